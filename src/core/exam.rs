//! Exam day helpers: the instant that stands for an exam date, and the
//! order `/study` asks due cards in before an exam (lowest predicted recall
//! on exam day first, so the cards most likely forgotten on the day come
//! first). Pure: time comes in as arguments.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::core::daily::{self, PostTime};
use crate::core::schedule::{CardState, Millis, Scheduler};

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
