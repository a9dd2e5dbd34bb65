//! The daily question: when to post it, and which card a channel needs most.
//!
//! A channel posts once per local day at a local time (`08:00` in
//! `America/Montreal`, say). Times are computed from the wall clock of the
//! channel's zone, so the post stays at 08:00 across daylight-saving changes.
//! The shell claims the (channel, local date) slot in the database before
//! posting, which makes the post exactly-once across processes and restarts.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::core::schedule::{self, Millis};

/// A local posting time, `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostTime(NaiveTime);

/// Why a posting time or zone was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DailyError {
    #[error("time must be HH:MM (24 h), found {0:?}")]
    BadTime(String),
    #[error("unknown time zone {0:?} (use an IANA name such as America/Montreal)")]
    BadZone(String),
}

impl PostTime {
    pub fn parse(raw: &str) -> Result<Self, DailyError> {
        NaiveTime::parse_from_str(raw.trim(), "%H:%M")
            .map(Self)
            .map_err(|_| DailyError::BadTime(raw.to_string()))
    }
    pub fn time(self) -> NaiveTime {
        self.0
    }
}

impl std::fmt::Display for PostTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

/// Parses an IANA zone name.
pub fn parse_zone(raw: &str) -> Result<Tz, DailyError> {
    raw.trim()
        .parse::<Tz>()
        .map_err(|_| DailyError::BadZone(raw.to_string()))
}

/// The local calendar date of `at` in `tz` (the daily slot's key).
pub fn local_date(at: Millis, tz: Tz) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_millis(at)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive()
}

/// The instant `time` happens on local `date` in `tz`. When the time falls
/// in a daylight-saving gap (02:30 on the spring-forward night), the post
/// goes out at the first valid minute after it; when it happens twice (the
/// autumn night), the first one.
pub fn post_instant(date: NaiveDate, time: PostTime, tz: Tz) -> Millis {
    let naive = date.and_time(time.0);
    schedule::first_valid_instant(naive, tz, Duration::minutes(1), 121)
}

/// What the daily loop should do at `now` for a channel posting at `time`
/// in `tz`: post today's slot (once its time has come: a restart after the
/// posting time posts the missed question once, never a backlog), or wait
/// until the next slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Post for this local date now (the shell claims the slot first).
    PostNow(NaiveDate),
    /// Nothing to do before this instant.
    WaitUntil(Millis),
}

/// Decides whether a channel's daily is due. `last_posted` is the local date
/// of the last slot claimed for the channel, if any.
pub fn due(now: Millis, time: PostTime, tz: Tz, last_posted: Option<NaiveDate>) -> Due {
    let today = local_date(now, tz);
    let today_at = post_instant(today, time, tz);
    if now >= today_at && last_posted != Some(today) {
        return Due::PostNow(today);
    }
    let next_date = if now < today_at {
        today
    } else {
        today.succ_opt().unwrap_or(today)
    };
    Due::WaitUntil(post_instant(next_date, time, tz))
}

/// How much a channel's members need one card, from their schedules.
#[derive(Debug, Clone, PartialEq)]
pub struct CardNeed<K> {
    pub card: K,
    /// Members for whom the card is due (or overdue) now.
    pub n_due: u32,
    /// Sum over those members of the days it is overdue.
    pub overdue_days: f64,
    /// Wrong answers by members over the last 30 days.
    pub n_missed: u32,
    /// Times the card was already the channel's daily question.
    pub n_asked: u32,
}

/// Picks the card the channel needs most: the most overdue across members'
/// schedules, then the most missed; when nobody has it due or missed, the
/// least asked. Never `yesterday`'s card (unless it is the only one). Ties
/// break on the order of `needs` (the caller sorts them by a stable key, or
/// shuffles them with its own seed).
pub fn pick<K: PartialEq + Clone>(needs: &[CardNeed<K>], yesterday: Option<&K>) -> Option<K> {
    let candidates: Vec<&CardNeed<K>> = needs
        .iter()
        .filter(|n| Some(&n.card) != yesterday)
        .collect();
    let pool: Vec<&CardNeed<K>> = if candidates.is_empty() {
        needs.iter().collect()
    } else {
        candidates
    };
    let needed = pool
        .iter()
        .filter(|n| n.n_due > 0 || n.n_missed > 0)
        .max_by(|a, b| {
            let key = |n: &CardNeed<K>| {
                (n.overdue_days + f64::from(n.n_due)) + 2.0 * f64::from(n.n_missed)
            };
            key(a)
                .total_cmp(&key(b))
                // Prefer the first in `needs` on ties: max_by keeps the last max.
                .then(std::cmp::Ordering::Greater)
        });
    needed
        .or_else(|| pool.iter().min_by_key(|n| n.n_asked))
        .map(|n| n.card.clone())
}
