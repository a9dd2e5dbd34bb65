//! A student's figures: `/stats`, the end of a terminal session, the
//! new-cards limit, progress per deck, the usual answer time.

use std::collections::BTreeMap;

use super::{Result, Store, User};
use crate::core::deck::DeckId;
use crate::core::review::CardKey;
use crate::core::schedule::{self, Millis, days};

/// A student's figures for `/stats` and the end of a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Card directions reviewed at least once.
    pub learned: u64,
    /// Card directions due before the end of the student's today.
    pub due_today: u64,
    /// Share of the last 30 days' reviews not rated Again; `None` without reviews.
    pub retention_30d: Option<f64>,
    pub reviews_30d: u64,
    /// Consecutive local days with a review, ending today or yesterday.
    pub streak_days: u32,
}

/// Progress in one deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckProgress {
    pub deck: DeckId,
    /// Card directions of this deck reviewed at least once (only those
    /// still in the deck if the caller filtered, see [`Store::deck_progress`]).
    pub seen: u64,
    pub total: u64,
}

impl Store {
    /// Card directions reviewed for the first time during the user's
    /// current day (for the new-cards-per-day limit).
    pub async fn new_cards_today(&self, user: &User, now: Millis) -> Result<u64> {
        let today = schedule::day_index(now, user.time_zone);
        let sql = "SELECT COUNT(*) FROM reviews \
                   WHERE user_id = $1 AND day = $2 AND reps = 1 AND amends IS NULL";
        let n: i64 = fetch!(self, fetch_one, query_scalar(sql), &user.id, today);
        Ok(n as u64)
    }

    /// The user's figures at `now`. Cards of archived server decks (see
    /// [`super::server_deck_key`]) are left out of the learned and due
    /// counts: they are no longer asked.
    pub async fn stats(&self, user: &User, now: Millis) -> Result<Stats> {
        let tz = user.time_zone;
        let today = schedule::day_index(now, tz);
        let end_of_today = schedule::day_start(today + 1, tz);
        let since = now - days(30);
        // Answers, not log rows: a self-rating corrects its answer's rating.
        // Cards of archived server decks are not counted.
        let counts_sql = concat!(
            "SELECT \
             (SELECT COUNT(*) FROM card_states WHERE user_id = $1 AND reps > 0 \
              AND deck_id NOT IN (SELECT 'srv-' || guild_id || '-' || deck_id FROM server_decks \
              WHERE removed_at IS NOT NULL)), \
             (SELECT COUNT(*) FROM card_states WHERE user_id = $1 AND due < $2 \
              AND deck_id NOT IN (SELECT 'srv-' || guild_id || '-' || deck_id FROM server_decks \
              WHERE removed_at IS NOT NULL)), \
             (SELECT COUNT(*) FROM reviews WHERE user_id = $1 AND reviewed_at > $3 \
              AND amends IS NULL), \
             (SELECT COUNT(*) FROM reviews r WHERE r.user_id = $1 AND r.reviewed_at > $3 \
              AND r.amends IS NULL AND ",
            effective_rating!("r"),
            " > 1)"
        );
        let days_sql = "SELECT DISTINCT day FROM reviews WHERE user_id = $1 ORDER BY day DESC";
        let ((learned, due_today, reviews_30d, passed_30d), review_days): (
            (i64, i64, i64, i64),
            Vec<i64>,
        ) = with_pool!(self, pool => {
            let counts = sqlx::query_as(counts_sql)
                .bind(&user.id)
                .bind(end_of_today)
                .bind(since)
                .fetch_one(pool)
                .await?;
            let all_days: Vec<i64> =
                sqlx::query_scalar(days_sql).bind(&user.id).fetch_all(pool).await?;
            (counts, all_days)
        });
        Ok(Stats {
            streak_days: streak(&review_days, today),
            learned: learned as u64,
            due_today: due_today as u64,
            retention_30d: (reviews_30d > 0).then(|| passed_30d as f64 / reviews_30d as f64),
            reviews_30d: reviews_30d as u64,
        })
    }

    /// Reviews per local day for the last `n_days` days, oldest first,
    /// today last (days without reviews count 0).
    pub async fn reviews_per_day(&self, user: &User, now: Millis, n_days: u32) -> Result<Vec<u64>> {
        let today = schedule::day_index(now, user.time_zone);
        let first = today - i64::from(n_days) + 1;
        let sql = "SELECT day, COUNT(*) FROM reviews WHERE user_id = $1 AND day >= $2 AND day <= $3 \
                   AND amends IS NULL GROUP BY day";
        let rows: Vec<(i64, i64)> = fetch!(self, fetch_all, query_as(sql), &user.id, first, today);
        let mut out = vec![0u64; n_days as usize];
        for (day, n) in rows {
            out[(day - first) as usize] = n as u64;
        }
        Ok(out)
    }

    /// Seen card directions per deck, out of `totals` (deck → number of
    /// card directions in the loaded deck). Only keys `is_known` accepts
    /// are counted, so removed cards do not inflate progress.
    pub async fn deck_progress(
        &self,
        user: &str,
        totals: &BTreeMap<DeckId, u64>,
        is_known: impl Fn(&CardKey) -> bool,
    ) -> Result<Vec<DeckProgress>> {
        let states = self.card_states(user, None).await?;
        let mut seen: BTreeMap<&DeckId, u64> = BTreeMap::new();
        for (key, state) in &states {
            if state.reps > 0 && is_known(key) {
                *seen.entry(&key.deck).or_default() += 1;
            }
        }
        Ok(totals
            .iter()
            .map(|(deck, &total)| DeckProgress {
                deck: deck.clone(),
                seen: seen.get(deck).copied().unwrap_or(0),
                total,
            })
            .collect())
    }

    /// Median answer time of the user's last right answers (Correct
    /// verdict), for the "fast answer → Easy" rule; `None` under 5 answers.
    pub async fn typical_answer_ms(&self, user: &str) -> Result<Option<u32>> {
        let sql = "SELECT answer_ms FROM reviews WHERE user_id = $1 AND verdict = 'correct' \
                   AND amends IS NULL ORDER BY reviewed_at DESC LIMIT 20";
        let mut times: Vec<i64> = fetch!(self, fetch_all, query_scalar(sql), user);
        if times.len() < 5 {
            return Ok(None);
        }
        times.sort_unstable();
        Ok(Some(
            times[times.len() / 2].clamp(0, i64::from(u32::MAX)) as u32
        ))
    }
}

/// Consecutive days ending today or yesterday in `days_desc` (distinct
/// day indexes, latest first).
pub(super) fn streak(days_desc: &[i64], today: i64) -> u32 {
    let Some(&latest) = days_desc.first() else {
        return 0;
    };
    if latest < today - 1 {
        return 0;
    }
    days_desc
        .iter()
        .enumerate()
        .take_while(|&(i, &d)| d == latest - i as i64)
        .count() as u32
}
