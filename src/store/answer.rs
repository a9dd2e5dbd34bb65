//! Recording an answer exactly once. Every review names the answer it
//! records (`answer_key`, unique per user): the card shown in `/study`,
//! the daily post, the quiz question, a generated key in the terminal. The
//! transaction reads the card's state, makes the review and writes it, so
//! two answers on one card never overwrite each other (SQLite: `BEGIN
//! IMMEDIATE`, one writer at a time; PostgreSQL: a transaction-scoped
//! advisory lock per user and card, taken before the state is read); and
//! an answer whose key is stored already writes nothing,
//! so a retry after a COMMIT whose reply was lost, or a second press of a
//! button, is a no-op.
//!
//! A `/study` self-rating given after the grader's proposed rating was
//! stored appends a correcting row (`amends`) and recomputes the card's
//! state from the log, where the correction takes the place of the answer
//! it amends.

use super::group::{Done, Job};
use super::retry::{self, WRITES};
use super::row::corrupt;
use super::{Result, Store, StoreError, User};
use crate::core::deck::{CardId, DeckId};
use crate::core::grade::Verdict;
use crate::core::review::{self, Answered, CardKey, Direction, Origin, Review};
use crate::core::schedule::{CardState, Rating, Scheduler};

/// What a recorded answer did to its card.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub rating: Rating,
    pub interval_days: u32,
    /// The card's state once the transaction committed.
    pub state: CardState,
    /// False when this answer was stored already (nothing was written).
    pub fresh: bool,
}

impl Recorded {
    /// An answer stored before: its rating and interval, the card's state now.
    pub(super) fn already(
        rating: i64,
        interval_days: i64,
        state: Option<CardState>,
    ) -> Result<Self> {
        let rating = u8::try_from(rating)
            .ok()
            .and_then(Rating::from_number)
            .ok_or_else(|| corrupt("rating", &rating.to_string()))?;
        Ok(Self {
            rating,
            interval_days: u32::try_from(interval_days)
                .map_err(|_| corrupt("interval", &interval_days.to_string()))?,
            state: state.ok_or_else(|| StoreError::Corrupt("review without card state".into()))?,
            fresh: false,
        })
    }
}

/// The answer a correction amends, as stored.
#[derive(sqlx::FromRow)]
pub(super) struct AnswerRow {
    pub(super) id: i64,
    pub(super) deck_id: String,
    pub(super) card_id: String,
    pub(super) direction: String,
    pub(super) reviewed_at: i64,
    pub(super) verdict: Option<String>,
    pub(super) score: Option<f64>,
    pub(super) answer_ms: i64,
    pub(super) origin: String,
}

impl AnswerRow {
    /// How long the student took, as a review keeps it.
    pub(super) fn answer_ms(&self) -> u32 {
        u32::try_from(self.answer_ms).unwrap_or(u32::MAX)
    }
}

impl Store {
    /// The statement that begins an answer's transaction: SQLite takes the
    /// write lock first (`BEGIN IMMEDIATE`), so the state read is the state
    /// written over; PostgreSQL begins as usual (READ COMMITTED) and locks
    /// each card before reading it (`lock_card!`).
    pub(super) fn begin_answer(&self) -> &'static str {
        match self {
            Self::Sqlite(..) => "BEGIN IMMEDIATE",
            Self::Postgres(_) => "BEGIN",
        }
    }

    /// Records one answer of `user` in one transaction, retried whole: the
    /// card's state read, the review made by `core::review::review`, the
    /// log row and the new state written. `answer_key` names the answer; if
    /// it is stored already, nothing is written and the stored rating is
    /// returned (`fresh` false). When this returns, the review is committed.
    /// On SQLite the transaction is shared with the answers queued with it
    /// (group commit, `group.rs`); each is still recorded as if alone.
    pub async fn record_answer(
        &self,
        user: &User,
        answer_key: &str,
        answered: &Answered,
    ) -> Result<Recorded> {
        let job = Job::Answer {
            user: user.clone(),
            answer_key: answer_key.to_string(),
            answered: answered.clone(),
        };
        match self.write_job("record answer", &job).await? {
            Done::Answer(recorded) => Ok(recorded),
            Done::Review => unreachable!("an answer's job gives its answer"),
        }
    }

    /// Writes a review made elsewhere (the test fixtures' histories) under a
    /// fresh key: its state as given, in one transaction. Answers go
    /// through [`Store::record_answer`], which reads the state it steps in
    /// its transaction.
    pub async fn record_review(&self, user: &User, review: &Review) -> Result<()> {
        let job = Job::Review {
            user: user.clone(),
            answer_key: format!("given:{:016x}", rand::random::<u64>()),
            review: review.clone(),
        };
        self.write_job("write review", &job).await.map(|_| ())
    }

    /// Runs `job` in a transaction of its own, retried whole: on SQLite in
    /// the writer's next group commit (`group.rs`, with the jobs queued
    /// meanwhile), on PostgreSQL on the pool.
    async fn write_job(&self, what: &'static str, job: &Job) -> Result<Done> {
        retry::retry(what, &WRITES, || async {
            if let Self::Sqlite(_, writer) = self {
                return writer.submit(self, job.clone()).await;
            }
            with_writer!(self, conn => {
                let mut tx = conn.begin_with(self.begin_answer()).await?;
                let done = job_in_tx!(self, &mut tx, job)?;
                tx.commit().await?;
                Ok(done)
            })
        })
        .await
    }

    /// Whether `user`'s answer `answer_key` is stored.
    pub async fn has_answer(&self, user: &str, answer_key: &str) -> Result<bool> {
        let found: Option<(i64, i64)> = fetch!(
            self,
            fetch_optional,
            query_as(super::SQL_FIND_ANSWER),
            user,
            answer_key
        );
        Ok(found.is_some())
    }

    /// Corrects the rating of `user`'s answer `original_key` to `rating`
    /// (a `/study` self-rating): appends a row under `answer_key` that
    /// amends it, and recomputes the card's state by replaying the card's
    /// log with the correction in place of the answer. `None` when the
    /// answer is not stored (nothing written); `fresh` false when
    /// `answer_key` is stored already.
    pub async fn amend_answer(
        &self,
        user: &User,
        original_key: &str,
        answer_key: &str,
        rating: Rating,
    ) -> Result<Option<Recorded>> {
        let find = select_answer!("WHERE user_id = $1 AND answer_key = $2");
        let scheduler = Scheduler::new(user.scheduler_config());
        retry::retry("amend answer", &WRITES, || async {
            with_writer!(self, conn => {
                let mut tx = conn.begin_with(self.begin_answer()).await?;
                let Some(original): Option<AnswerRow> = sqlx::query_as(find)
                    .bind(&user.id)
                    .bind(original_key)
                    .fetch_optional(&mut *tx)
                    .await?
                else {
                    return Ok(None);
                };
                let key = card_key(&original)?;
                lock_card!(self, &mut tx, &user.id, &key);
                let stored: Option<(i64, i64)> = sqlx::query_as(super::SQL_FIND_ANSWER)
                    .bind(&user.id)
                    .bind(answer_key)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some((rating, interval_days)) = stored {
                    let state = read_state!(&mut tx, &user.id, &key);
                    return Recorded::already(rating, interval_days, state).map(Some);
                }
                let verdict = verdict_of(&original)?;
                let (state, interval_days) =
                    amend_in_tx!(self, &mut tx, user, &scheduler, &original, &key, rating, verdict, answer_key)?;
                tx.commit().await?;
                Ok(Some(Recorded {
                    rating,
                    interval_days,
                    state,
                    fresh: true,
                }))
            })
        })
        .await
    }
}

/// The card's state after its log `(id, reviewed_at, rating, amends)`,
/// oldest first, with answer `amended` rated `rating`; corrections take
/// the place of the answer they amend (the latest one wins). Also the
/// interval the amended answer now gives.
pub(super) fn replay(
    scheduler: &Scheduler,
    rows: &[(i64, i64, i64, Option<i64>)],
    amended: i64,
    rating: Rating,
) -> Result<(CardState, u32)> {
    let mut state: Option<CardState> = None;
    let mut interval = 0;
    for &(id, at, stored, amends) in rows {
        if amends.is_some() {
            continue;
        }
        let effective = if id == amended {
            rating
        } else {
            let latest = rows
                .iter()
                .filter(|r| r.3 == Some(id))
                .max_by_key(|r| r.0)
                .map_or(stored, |r| r.2);
            u8::try_from(latest)
                .ok()
                .and_then(Rating::from_number)
                .ok_or_else(|| corrupt("rating", &latest.to_string()))?
        };
        let reviewed = scheduler.review(state.as_ref(), effective, at);
        if id == amended {
            interval = reviewed.interval_days;
        }
        state = Some(reviewed.state);
    }
    let state = state.ok_or_else(|| StoreError::Corrupt("amended review not in its log".into()))?;
    Ok((state, interval))
}

pub(super) fn card_key(row: &AnswerRow) -> Result<CardKey> {
    Ok(CardKey {
        deck: DeckId::parse(&row.deck_id).map_err(|_| corrupt("deck id", &row.deck_id))?,
        card: CardId::parse(&row.card_id).map_err(|_| corrupt("card id", &row.card_id))?,
        direction: Direction::parse(&row.direction)
            .ok_or_else(|| corrupt("direction", &row.direction))?,
    })
}

fn verdict_of(row: &AnswerRow) -> Result<Option<(Verdict, f32)>> {
    let Some(raw) = row.verdict.as_deref() else {
        return Ok(None);
    };
    let verdict = review::parse_verdict(raw).ok_or_else(|| corrupt("verdict", raw))?;
    Ok(Some((verdict, row.score.unwrap_or(0.0) as f32)))
}

pub(super) fn origin_of(raw: &str) -> Result<Origin> {
    match raw {
        "study" => Ok(Origin::Study),
        "quiz" => Ok(Origin::Quiz),
        "daily" => Ok(Origin::Daily),
        _ => Err(corrupt("origin", raw)),
    }
}
