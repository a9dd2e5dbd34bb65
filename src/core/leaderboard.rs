//! Leaderboard rules: which time window a scope covers, and how members are
//! ranked (top N plus the caller's own rank).
//!
//! Pure: the store supplies each member's figures for a window, the shell
//! supplies the clock and the time zone. Points are what the store counts
//! (see `store::leaderboard`); ties share a rank (1, 1, 3), so two members
//! with the same points are never shown in an arbitrary "better" order.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::schedule::Millis;

/// A season lasts at least this long: a reset within an hour of the last
/// one is taken for the same reset sent twice (two clicks, two admins).
pub const MIN_SEASON_MS: Millis = 60 * 60 * 1000;

/// Cards whose stability is at least this many days count as mastered.
pub const MASTERED_STABILITY_DAYS: f64 = 21.0;

/// How many members a leaderboard shows.
pub const TOP_N: usize = 10;

/// The time window a leaderboard covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    AllTime,
    /// Since Monday 00:00, local time.
    Week,
    /// Since the 1st of the month 00:00, local time.
    Month,
    /// A season (current or archived), with its bounds from the store.
    Season(Season),
}

/// One season of a server: number 1 starts at the beginning of time; each
/// reset starts the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Season {
    pub number: i64,
    pub start: Millis,
    /// `None` for the current season.
    pub end: Option<Millis>,
}

/// `[start, end)` of a period at `now` in `tz`; `end` is `None` for "until now".
pub fn window(period: Period, now: Millis, tz: Tz) -> (Millis, Option<Millis>) {
    let today = DateTime::<Utc>::from_timestamp_millis(now)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive();
    match period {
        Period::AllTime => (0, None),
        Period::Week => {
            let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
            (local_midnight(monday, tz), None)
        }
        Period::Month => (local_midnight(today.with_day(1).unwrap_or(today), tz), None),
        Period::Season(s) => (s.start, s.end),
    }
}

/// The first instant of `date` in `tz` (the end of the gap when midnight
/// does not exist, as in zones that change the clock at midnight).
fn local_midnight(date: NaiveDate, tz: Tz) -> Millis {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..4)
        .find_map(|h| {
            tz.from_local_datetime(&(midnight + Duration::hours(h)))
                .earliest()
        })
        .map_or(0, |t| t.timestamp_millis())
}

/// A member's figures for one leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub user_id: String,
    /// The name stored at the member's last command, if any.
    pub name: Option<String>,
    pub points: u64,
    /// Consecutive days with a daily question answered.
    pub daily_streak: u32,
    /// Cards with stability ≥ [`MASTERED_STABILITY_DAYS`].
    pub mastered: u64,
}

/// A ranked line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    /// 1-based; equal points share a rank.
    pub rank: usize,
    pub entry: Entry,
}

/// What a leaderboard shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    /// The best members, at most `top_n` lines.
    pub top: Vec<Ranked>,
    /// The caller's line when they are ranked but not in `top`.
    pub caller: Option<Ranked>,
    /// Members ranked in all.
    pub n_ranked: usize,
}

/// Ranks `entries` by points (then mastered cards, then streak, for the
/// order of display only) and keeps the top `top_n` plus `caller`'s line.
/// Members with neither points nor mastered cards are left out (a streak
/// alone is not per deck or per period, so it does not earn a place).
pub fn rank(entries: Vec<Entry>, caller: &str, top_n: usize) -> Board {
    let mut entries: Vec<Entry> = entries
        .into_iter()
        .filter(|e| e.points > 0 || e.mastered > 0)
        .collect();
    entries.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then(b.mastered.cmp(&a.mastered))
            .then(b.daily_streak.cmp(&a.daily_streak))
            .then(a.user_id.cmp(&b.user_id))
    });
    let mut ranked = Vec::with_capacity(entries.len());
    let mut rank = 0;
    let mut previous_points = None;
    for (i, entry) in entries.into_iter().enumerate() {
        if previous_points != Some(entry.points) {
            rank = i + 1;
            previous_points = Some(entry.points);
        }
        ranked.push(Ranked { rank, entry });
    }
    let n_ranked = ranked.len();
    let caller_line = ranked
        .iter()
        .position(|r| r.entry.user_id == caller)
        .filter(|&i| i >= top_n)
        .map(|i| ranked[i].clone());
    ranked.truncate(top_n);
    Board {
        top: ranked,
        caller: caller_line,
        n_ranked,
    }
}
