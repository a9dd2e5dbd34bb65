//! Per-student FSRS parameters: every fit (`memory_fits`, kept), the
//! fitted parameters in use (`user_parameters`, read with the user by
//! [`Store::user`]), and the claim that makes a fit happen at most once
//! per student and UTC day across processes (`memory_fit_claims`:
//! `INSERT … ON CONFLICT DO NOTHING`, one row affected wins, as the daily
//! post's claim).
//!
//! The fitting itself is `core::fit`; the job that runs it is
//! `crate::fit_job`.

use std::collections::HashMap;

use super::retry::{WRITES, retry};
use super::row::corrupt;
use super::{BindKey, CardKey, Direction, Result, Store};
use crate::core::deck::{CardId, DeckId};
use crate::core::fit::{self, LoggedAnswer, MemoryState, Metrics, Outcome, Report};
use crate::core::schedule::{Millis, Parameters, Rating};

/// A student who may be due a fit: their answers now, and at their last fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitCandidate {
    pub user_id: String,
    pub n_answers: usize,
    pub last_fit_answers: Option<usize>,
}

/// A stored fit: the report [`Store::record_fit`] stored, as it was made
/// (the optimizer's refusal, `error`, is not kept: always `None` here).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFit {
    pub id: i64,
    pub fitted_at: Millis,
    pub report: Report,
}

/// A student's log as `core::fit` reads it, and the card of each index.
#[derive(Debug, Clone, Default)]
pub struct FitLog {
    pub keys: Vec<CardKey>,
    pub answers: Vec<LoggedAnswer>,
}

const SQL_CANDIDATES: &str = "SELECT c.user_id, c.n, \
     (SELECT f.n_answers FROM memory_fits f WHERE f.user_id = c.user_id \
      ORDER BY f.fitted_at DESC, f.id DESC LIMIT 1) AS last_n \
     FROM (SELECT user_id, COUNT(*) AS n FROM reviews WHERE amends IS NULL \
           GROUP BY user_id HAVING COUNT(*) >= $1) c \
     WHERE NOT EXISTS (SELECT 1 FROM memory_fit_claims m \
                       WHERE m.user_id = c.user_id AND m.day = $2) \
     ORDER BY c.user_id";

const SQL_CLAIM: &str = "INSERT INTO memory_fit_claims (user_id, day, claimed_at, claimed_by) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, day) DO NOTHING";
const SQL_OWN_CLAIM: &str = "SELECT COUNT(*) FROM memory_fit_claims \
     WHERE user_id = $1 AND day = $2 AND claimed_at = $3 AND claimed_by = $4";

const SQL_LOG: &str = concat!(
    "SELECT r.deck_id, r.card_id, r.direction, r.reviewed_at, r.day, ",
    effective_rating!("r"),
    " AS rating FROM reviews r WHERE r.user_id = $1 AND r.amends IS NULL \
     ORDER BY r.reviewed_at, r.id"
);

/// `SELECT <every fit column> FROM memory_fits f <rest>` as a literal.
macro_rules! select_fit {
    ($rest:literal) => {
        concat!(
            "SELECT f.id, f.fitted_at, f.n_answers, f.n_reviews, f.n_train, f.n_test, f.outcome, \
             f.parameters, f.default_log_loss, f.default_rmse, f.fitted_log_loss, f.fitted_rmse, \
             f.previous_log_loss, f.previous_rmse FROM memory_fits f ",
            $rest
        )
    };
}

const SQL_INSERT_FIT: &str = "INSERT INTO memory_fits \
     (user_id, fitted_at, n_answers, n_reviews, n_train, n_test, outcome, parameters, \
      default_log_loss, default_rmse, fitted_log_loss, fitted_rmse, previous_log_loss, previous_rmse) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
const SQL_FIT_AT: &str = "SELECT id FROM memory_fits WHERE user_id = $1 AND fitted_at = $2";
const SQL_ADOPT: &str = "INSERT INTO user_parameters (user_id, parameters, fit_id, adopted_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET \
     parameters = excluded.parameters, fit_id = excluded.fit_id, adopted_at = excluded.adopted_at";
const SQL_DROP_PARAMETERS: &str = "DELETE FROM user_parameters WHERE user_id = $1";

/// Sets a card's memory when its last review is still the one replayed
/// (an answer since then keeps its own state).
const SQL_SET_MEMORY: &str = "UPDATE card_states SET stability = $5, difficulty = $6 \
     WHERE user_id = $1 AND deck_id = $2 AND card_id = $3 AND direction = $4 AND last_review = $7";

/// The long-term reviews of a student: answers on a later day than the
/// card's previous answer.
const SQL_LONG_TERM: &str = "SELECT COUNT(*) FROM (SELECT day, LAG(day) OVER \
     (PARTITION BY deck_id, card_id, direction ORDER BY reviewed_at, id) AS previous_day \
     FROM reviews WHERE user_id = $1 AND amends IS NULL) t \
     WHERE t.previous_day IS NOT NULL AND t.day > t.previous_day";

/// A `select_fit!` row.
#[derive(sqlx::FromRow)]
struct FitRow {
    id: i64,
    fitted_at: i64,
    n_answers: i64,
    n_reviews: i64,
    n_train: i64,
    n_test: i64,
    outcome: String,
    parameters: Option<String>,
    default_log_loss: Option<f64>,
    default_rmse: Option<f64>,
    fitted_log_loss: Option<f64>,
    fitted_rmse: Option<f64>,
    previous_log_loss: Option<f64>,
    previous_rmse: Option<f64>,
}

fn fit_from(row: FitRow) -> Result<StoredFit> {
    let count = |n: i64| usize::try_from(n).map_err(|_| corrupt("count", &n.to_string()));
    let metrics = |log_loss: Option<f64>, rmse: Option<f64>| {
        Some(Metrics {
            log_loss: log_loss? as f32,
            rmse_bins: rmse? as f32,
        })
    };
    let outcome = row.outcome;
    let report = Report {
        n_answers: count(row.n_answers)?,
        n_reviews: count(row.n_reviews)?,
        n_train: count(row.n_train)?,
        n_test: count(row.n_test)?,
        outcome: Outcome::parse(&outcome).ok_or_else(|| corrupt("fit outcome", &outcome))?,
        fitted: row
            .parameters
            .map(|p| Parameters::parse(&p).ok_or_else(|| corrupt("parameters", &p)))
            .transpose()?,
        default_metrics: metrics(row.default_log_loss, row.default_rmse),
        fitted_metrics: metrics(row.fitted_log_loss, row.fitted_rmse),
        previous_metrics: metrics(row.previous_log_loss, row.previous_rmse),
        error: None,
    };
    Ok(StoredFit {
        id: row.id,
        fitted_at: row.fitted_at,
        report,
    })
}

impl Store {
    /// The students not claimed for UTC day `day` whose log holds at
    /// least [`fit::MIN_REVIEWS`] answers and who are due a fit
    /// ([`fit::refit_due`]), by id.
    pub async fn fit_candidates(&self, day: i64) -> Result<Vec<FitCandidate>> {
        let rows: Vec<(String, i64, Option<i64>)> = fetch!(
            self,
            fetch_all,
            query_as(SQL_CANDIDATES),
            fit::MIN_REVIEWS as i64,
            day
        );
        Ok(rows
            .into_iter()
            .map(|(user_id, n, last)| FitCandidate {
                user_id,
                n_answers: usize::try_from(n).unwrap_or(0),
                last_fit_answers: last.and_then(|n| usize::try_from(n).ok()),
            })
            .filter(|c| fit::refit_due(c.n_answers, c.last_fit_answers))
            .collect())
    }

    /// Claims the fit of `user_id` for UTC day `day` for `process` (any
    /// string unique to the caller): true for the one caller, of all
    /// processes, that gets it.
    pub async fn claim_fit(
        &self,
        user_id: &str,
        day: i64,
        process: &str,
        now: Millis,
    ) -> Result<bool> {
        claim_once!(
            self,
            "claim fit",
            sqlx::query(SQL_CLAIM)
                .bind(user_id)
                .bind(day)
                .bind(now)
                .bind(process),
            sqlx::query_scalar::<_, i64>(SQL_OWN_CLAIM)
                .bind(user_id)
                .bind(day)
                .bind(now)
                .bind(process)
        )
    }

    /// How many fit claims there are for `user_id` (for tests and checks).
    pub async fn fit_claims(&self, user_id: &str) -> Result<u64> {
        let n: i64 = fetch!(
            self,
            fetch_one,
            query_scalar("SELECT COUNT(*) FROM memory_fit_claims WHERE user_id = $1"),
            user_id
        );
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// `user_id`'s answers, oldest first, each with its correction's
    /// rating if it has one.
    pub async fn fit_log(&self, user_id: &str) -> Result<FitLog> {
        let rows: Vec<(String, String, String, i64, i64, i64)> =
            fetch!(self, fetch_all, query_as(SQL_LOG), user_id);
        let mut index: HashMap<(String, String, String), u32> = HashMap::new();
        let mut log = FitLog::default();
        for (deck, card, direction, at, day, rating) in rows {
            let n = index.len() as u32;
            let card_idx = match index.get(&(deck.clone(), card.clone(), direction.clone())) {
                Some(&i) => i,
                None => {
                    log.keys.push(CardKey {
                        deck: DeckId::parse(&deck).map_err(|_| corrupt("deck id", &deck))?,
                        card: CardId::parse(&card).map_err(|_| corrupt("card id", &card))?,
                        direction: Direction::parse(&direction)
                            .ok_or_else(|| corrupt("direction", &direction))?,
                    });
                    index.insert((deck, card, direction), n);
                    n
                }
            };
            let rating = u8::try_from(rating)
                .ok()
                .and_then(Rating::from_number)
                .ok_or_else(|| corrupt("rating", &rating.to_string()))?;
            log.answers.push(LoggedAnswer {
                card: card_idx,
                at,
                day,
                rating,
            });
        }
        Ok(log)
    }

    /// `user_id`'s long-term reviews (answers on a later day than their
    /// card's previous one): what a fit needs [`fit::MIN_REVIEWS`] of.
    pub async fn long_term_reviews(&self, user_id: &str) -> Result<u64> {
        let n: i64 = fetch!(self, fetch_one, query_scalar(SQL_LONG_TERM), user_id);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The latest fit of `user_id`, whatever its outcome.
    pub async fn last_fit(&self, user_id: &str) -> Result<Option<StoredFit>> {
        let sql = select_fit!("WHERE f.user_id = $1 ORDER BY f.fitted_at DESC, f.id DESC LIMIT 1");
        self.one_fit(sql, user_id).await
    }

    /// The fit whose parameters `user_id`'s scheduler uses, if fitted ones.
    pub async fn fit_in_use(&self, user_id: &str) -> Result<Option<StoredFit>> {
        let sql = select_fit!("JOIN user_parameters p ON p.fit_id = f.id WHERE p.user_id = $1");
        self.one_fit(sql, user_id).await
    }

    /// The fit `sql` (a `select_fit!` of one user, `$1`) finds, if any.
    async fn one_fit(&self, sql: &'static str, user_id: &str) -> Result<Option<StoredFit>> {
        let row: Option<FitRow> = fetch!(self, fetch_optional, query_as(sql), user_id);
        row.map(fit_from).transpose()
    }

    /// Stores `report`, made at `now`, and puts in use what it chose: this
    /// fit's parameters, the defaults, or (previous, too few, failed)
    /// whatever was in use. One transaction; a retry after a lost COMMIT
    /// finds its own row (same user and instant) and stores nothing more.
    pub async fn record_fit(&self, user_id: &str, report: &Report, now: Millis) -> Result<i64> {
        let metric = |m: Option<Metrics>, f: fn(&Metrics) -> f32| m.map(|m| f64::from(f(&m)));
        let log_loss = |m: &Metrics| m.log_loss;
        let rmse = |m: &Metrics| m.rmse_bins;
        let parameters = report.fitted.map(|p| p.to_text());
        retry("record fit", &WRITES, || async {
            with_pool!(self, pool => {
                let mut tx = pool.begin().await?;
                let stored: Option<i64> = sqlx::query_scalar(SQL_FIT_AT)
                    .bind(user_id)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(id) = stored {
                    tx.commit().await?;
                    return Ok(id);
                }
                let id: i64 = sqlx::query_scalar(SQL_INSERT_FIT)
                    .bind(user_id)
                    .bind(now)
                    .bind(report.n_answers as i64)
                    .bind(report.n_reviews as i64)
                    .bind(report.n_train as i64)
                    .bind(report.n_test as i64)
                    .bind(report.outcome.as_str())
                    .bind(parameters.as_deref())
                    .bind(metric(report.default_metrics, log_loss))
                    .bind(metric(report.default_metrics, rmse))
                    .bind(metric(report.fitted_metrics, log_loss))
                    .bind(metric(report.fitted_metrics, rmse))
                    .bind(metric(report.previous_metrics, log_loss))
                    .bind(metric(report.previous_metrics, rmse))
                    .fetch_one(&mut *tx)
                    .await?;
                match report.outcome {
                    Outcome::Fitted => {
                        let adopt = bind!(sqlx::query(SQL_ADOPT), user_id, parameters.as_deref(), id, now);
                        adopt.execute(&mut *tx).await?;
                    }
                    Outcome::Default => {
                        let drop = bind!(sqlx::query(SQL_DROP_PARAMETERS), user_id);
                        drop.execute(&mut *tx).await?;
                    }
                    Outcome::Previous | Outcome::TooFew | Outcome::Failed => {}
                }
                tx.commit().await?;
                Ok(id)
            })
        })
        .await
    }

    /// Sets the memory (stability, difficulty) of `user_id`'s cards to
    /// `memories` (`(index into keys, time of the last answer replayed,
    /// memory)`, from `core::fit::memory_states`), for each card whose
    /// last review is still that answer. Chunks of 200 cards, one
    /// transaction each. The number of cards changed.
    pub async fn set_memories(
        &self,
        user_id: &str,
        keys: &[CardKey],
        memories: &[(u32, Millis, MemoryState)],
    ) -> Result<u64> {
        let mut changed = 0;
        for chunk in memories.chunks(200) {
            changed += retry("set memories", &WRITES, || async {
                with_pool!(self, pool => {
                    let mut tx = pool.begin().await?;
                    let mut n = 0;
                    for &(card, at, memory) in chunk {
                        let Some(key) = keys.get(card as usize) else {
                            continue;
                        };
                        n += sqlx::query(SQL_SET_MEMORY)
                            .bind(user_id)
                            .bind_key(key)
                            .bind(f64::from(memory.stability))
                            .bind(f64::from(memory.difficulty))
                            .bind(at)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                    }
                    tx.commit().await?;
                    Ok(n)
                })
            })
            .await?;
        }
        Ok(changed)
    }
}
