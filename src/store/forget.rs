//! `/forget-me`: erasing everything rappel stores about one person.
//!
//! One transaction deletes every row keyed by the user (reviews, card
//! states, quiz awards, daily answers, server memberships, the user and
//! their settings). Rows that other people's data hangs on (a quiz the
//! user started, the exam they set, a season they reset) are kept and the
//! user's id in them is replaced by [`FORGOTTEN`]: deleting a quiz would
//! take the other players' points with it.
//!
//! This is the one exception to "nothing deletes a review row".

use super::retry::{WRITES, retry};
use super::{Result, Store};

/// What a forgotten user's id becomes where a row must stay (quiz starter,
/// exam setter, season starter): "0" is no Discord user.
pub const FORGOTTEN: &str = "0";

/// What [`Store::forget_user`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Answers deleted from the review log (a `/study` self-rating's
    /// correcting row is part of its answer, not counted again).
    pub reviews: u64,
    /// Every row deleted or anonymized, reviews included.
    pub rows: u64,
}

/// Deletes keyed by the user id (`$1`). Children before parents: `users`
/// last, so the foreign keys from `card_states` and `reviews` never see a
/// missing user. When a migration adds a table with a user id, add it here
/// (the store test checks every table of the schema for the id).
const SQL_DELETE: &[&str] = &[
    "DELETE FROM appeals WHERE user_id = $1",
    "DELETE FROM appeal_notices WHERE user_id = $1",
    "DELETE FROM reviews WHERE user_id = $1",
    "DELETE FROM quiz_awards WHERE user_id = $1",
    "DELETE FROM daily_answers WHERE user_id = $1",
    "DELETE FROM guild_members WHERE user_id = $1",
    "DELETE FROM card_states WHERE user_id = $1",
    "DELETE FROM user_parameters WHERE user_id = $1",
    "DELETE FROM memory_fits WHERE user_id = $1",
    "DELETE FROM memory_fit_claims WHERE user_id = $1",
    "DELETE FROM forecasts WHERE user_id = $1",
    "DELETE FROM user_settings WHERE user_id = $1",
    "DELETE FROM users WHERE id = $1",
];
/// The user's answers: the log rows that correct none.
const SQL_COUNT_ANSWERS: &str =
    "SELECT COUNT(*) FROM reviews WHERE user_id = $1 AND amends IS NULL";
/// Rows kept for others, the user's id replaced by `$2` ([`FORGOTTEN`]).
const SQL_ANONYMIZE: &[&str] = &[
    "UPDATE quizzes SET starter_id = $2 WHERE starter_id = $1",
    "UPDATE exams SET set_by = $2 WHERE set_by = $1",
    "UPDATE daily_channels SET set_by = $2 WHERE set_by = $1",
    "UPDATE seasons SET started_by = $2 WHERE started_by = $1",
    "UPDATE server_decks SET uploaded_by = $2 WHERE uploaded_by = $1",
    "UPDATE appeals SET decided_by = $2 WHERE decided_by = $1",
    "UPDATE accepted_answers SET accepted_by = $2 WHERE accepted_by = $1",
    "UPDATE appeal_roles SET set_by = $2 WHERE set_by = $1",
];

impl Store {
    /// Erases every trace of `user_id` in one transaction: all or nothing.
    /// Other users' rows are untouched.
    pub async fn forget_user(&self, user_id: &str) -> Result<Forgotten> {
        retry("forget user", &WRITES, || async {
            let mut out = Forgotten::default();
            with_pool!(self, pool => {
                let mut tx = pool.begin().await?;
                let answers: i64 = sqlx::query_scalar(SQL_COUNT_ANSWERS)
                    .bind(user_id)
                    .fetch_one(&mut *tx)
                    .await?;
                out.reviews = u64::try_from(answers).unwrap_or(0);
                let deletes = SQL_DELETE.iter().map(|&sql| (sql, false));
                let updates = SQL_ANONYMIZE.iter().map(|&sql| (sql, true));
                for (sql, anonymize) in deletes.chain(updates) {
                    let query = sqlx::query(sql).bind(user_id);
                    let query = if anonymize { query.bind(FORGOTTEN) } else { query };
                    out.rows += query.execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
            });
            Ok(out)
        })
        .await
    }
}
