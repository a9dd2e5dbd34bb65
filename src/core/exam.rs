//! Exam day helpers: the instant that stands for an exam date, and the
//! order `/study` asks due cards in before an exam (lowest predicted recall
//! on exam day first, so the cards most likely forgotten on the day come
//! first). Pure: time comes in as arguments.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::core::daily::{self, PostTime};
use crate::core::schedule::{CardState, Millis, Scheduler};

/// An exam date as a moderator types it: `2026-12-15` (ISO, what the
/// examples show) or `15/12/2026` (how dates are written in French); a
/// dot or a dash may stand for the slash. `None` for anything else,
/// including a day without its year, which would be a guess.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            let day_first = text.replace(['.', '-'], "/");
            NaiveDate::parse_from_str(&day_first, "%d/%m/%Y").ok()
        })
}

/// The instant an exam on `date` is assumed to happen: noon, local time.
pub fn exam_instant(date: NaiveDate, tz: Tz) -> Millis {
    let noon = PostTime::parse("12:00").expect("12:00 is a valid time");
    daily::post_instant(date, noon, tz)
}

/// Of `candidates` (key, state), the one with the lowest retrievability at
/// `exam_at`; ties keep the first.
pub fn weakest_on_exam_day<'a, K>(
    scheduler: &Scheduler,
    candidates: impl IntoIterator<Item = (&'a K, &'a CardState)>,
    exam_at: Millis,
) -> Option<&'a K> {
    candidates
        .into_iter()
        .map(|(k, s)| (k, scheduler.retrievability(s, exam_at)))
        .fold(None, |best: Option<(&K, f32)>, (k, r)| match best {
            Some((_, b)) if b <= r => best,
            _ => Some((k, r)),
        })
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exam_date_is_read_in_iso_or_day_first() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 15);
        for text in [
            "2026-12-15",
            " 15/12/2026 ",
            "15.12.2026",
            "15-12-2026",
            "5/1/2027",
        ] {
            let want = if text == "5/1/2027" {
                NaiveDate::from_ymd_opt(2027, 1, 5)
            } else {
                day
            };
            assert_eq!(parse_date(text), want, "{text}");
        }
        for text in ["15/12", "12/31/2026", "2026-13-01", "demain", ""] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }
}
