//! The statements every write path shares, as macros expanded once per
//! backend (sqlx takes only `&'static str` queries and typed executors):
//! reading and locking a card state, appending a review row, upserting a
//! state, recording an answer inside a transaction, correcting one, one
//! retried write and one exactly-once claim; and the one mapping of a
//! review to its row's values (`bind_review_row`).

use super::{BindKey as _, User};
use crate::core::review::Review;
use crate::core::schedule::CardState;

/// `SELECT <every state column> FROM card_states <rest>`, as a literal
/// (sqlx only takes `&'static str` queries).
macro_rules! select_states {
    ($rest:literal) => {
        concat!(
            "SELECT deck_id, card_id, direction, phase, step, stability, difficulty, due, \
             last_review, reps, lapses FROM card_states ",
            $rest
        )
    };
}

/// `SELECT <every column of answer::AnswerRow> FROM reviews <rest>`, as a
/// literal: an answer as a correction reads it.
macro_rules! select_answer {
    ($rest:literal) => {
        concat!(
            "SELECT id, deck_id, card_id, direction, reviewed_at, verdict, score, answer_ms, \
             origin FROM reviews ",
            $rest
        )
    };
}

/// SQL for what an answer in the log counts as, as literals. A `/study`
/// self-rating is a correcting row (`amends` = the answer's id, same time
/// and day): the figures a student sees count each answer once (the rows
/// with `amends IS NULL`), with the rating of its latest correction if it
/// has one: this expression, `$r` the answer row's alias (corrections are
/// found through the `reviews_amends` index).
macro_rules! effective_rating {
    ($r:literal) => {
        concat!(
            "COALESCE((SELECT c.rating FROM reviews c WHERE c.amends = ",
            $r,
            ".id ORDER BY c.id DESC LIMIT 1), ",
            $r,
            ".rating)"
        )
    };
}

/// Writes the log row of `$review` by `$user` (answering `$answer_key`,
/// correcting review `$amends` if given, with the text the student typed,
/// `$typed`) and, if that row is new, the card's new state, in
/// transaction `$tx` of `$store`: one round trip on SQLite
/// ([`SQL_WRITE_REVIEW`](crate::store::SQL_WRITE_REVIEW)), two statements
/// on PostgreSQL. `true` when written; `false` (nothing written) when this
/// user's answer with this key is stored already. The one place that
/// writes review rows and card states (a macro so the body is expanded for
/// both backends' transactions).
macro_rules! write_review {
    ($store:expr, $tx:expr, $user:expr, $review:expr, $answer_key:expr, $amends:expr, $typed:expr) => {{
        use $crate::store::BindKey as _;
        let (user, review): (&$crate::store::User, &$crate::core::review::Review) =
            ($user, $review);
        let key = &review.key;
        let s = &review.state;
        let answer_key: &str = $answer_key;
        let sqlite = matches!($store, $crate::store::Store::Sqlite(..));
        let sql = if sqlite {
            $crate::store::SQL_WRITE_REVIEW
        } else {
            $crate::store::SQL_INSERT_REVIEW
        };
        let insert = $crate::store::sql::bind_review_row(
            sqlx::query(sql),
            user,
            review,
            answer_key,
            $amends,
            $typed,
        );
        let insert = if sqlite {
            $crate::store::sql::bind_state_tail(insert, s)
        } else {
            insert
        };
        let written = insert.execute(&mut **$tx).await?.rows_affected() > 0;
        if written && !sqlite {
            sqlx::query($crate::store::SQL_UPSERT_STATE)
                .bind(&user.id)
                .bind_key(key)
                .bind(s.phase.as_str())
                .bind(i64::from(s.step))
                .bind(f64::from(s.stability))
                .bind(f64::from(s.difficulty))
                .bind(s.due)
                .bind(s.last_review)
                .bind(i64::from(s.reps))
                .bind(i64::from(s.lapses))
                .execute(&mut **$tx)
                .await?;
        }
        written
    }};
}

/// The stored state of `$user_id`'s card `$key`, read in `$tx`.
macro_rules! read_state {
    ($tx:expr, $user_id:expr, $key:expr) => {{
        use $crate::store::BindKey as _;
        let key: &$crate::core::review::CardKey = $key;
        let sql = select_states!(
            "WHERE user_id = $1 AND deck_id = $2 AND card_id = $3 AND direction = $4"
        );
        let row: Option<$crate::store::row::StateRow> = sqlx::query_as(sql)
            .bind($user_id)
            .bind_key(key)
            .fetch_optional(&mut **$tx)
            .await?;
        row.map($crate::store::row::StateRow::into_pair)
            .transpose()?
            .map(|(_, s)| s)
    }};
}

/// Looks up `$user_id`'s answer `$answer_key` and reads the state of its
/// card `$key` in `$tx` of `$store`: the stored answer's rating and
/// interval, if stored, and the state, if the card was ever reviewed. One
/// round trip on SQLite
/// ([`SQL_FIND_ANSWER_AND_STATE`](crate::store::SQL_FIND_ANSWER_AND_STATE)),
/// two statements on PostgreSQL.
macro_rules! find_answer_and_state {
    ($store:expr, $tx:expr, $user_id:expr, $key:expr, $answer_key:expr) => {{
        use sqlx::{FromRow as _, Row as _};
        use $crate::store::BindKey as _;
        let key: &$crate::core::review::CardKey = $key;
        if matches!($store, $crate::store::Store::Sqlite(..)) {
            let row = sqlx::query($crate::store::SQL_FIND_ANSWER_AND_STATE)
                .bind($user_id)
                .bind_key(key)
                .bind($answer_key)
                .fetch_one(&mut **$tx)
                .await?;
            let rating: Option<i64> = row.try_get("rating")?;
            let interval_days: Option<i64> = row.try_get("interval_days")?;
            let state = match row.try_get::<Option<String>, _>("deck_id")? {
                Some(_) => Some($crate::store::row::StateRow::from_row(&row)?.into_pair()?.1),
                None => None,
            };
            (rating.zip(interval_days), state)
        } else {
            let stored: Option<(i64, i64)> = sqlx::query_as($crate::store::SQL_FIND_ANSWER)
                .bind($user_id)
                .bind($answer_key)
                .fetch_optional(&mut **$tx)
                .await?;
            (stored, read_state!($tx, $user_id, key))
        }
    }};
}

/// On PostgreSQL, waits in `$tx` for the lock of `$user_id`'s card `$key`
/// (an advisory lock held until the transaction ends), so the state read
/// next is the one written over; SQLite's `BEGIN IMMEDIATE` already
/// holds the database's one write lock.
macro_rules! lock_card {
    ($store:expr, $tx:expr, $user_id:expr, $key:expr) => {{
        let key: &$crate::core::review::CardKey = $key;
        if matches!($store, $crate::store::Store::Postgres(_)) {
            let name = format!(
                "card:{}:{}:{}:{}",
                $user_id,
                key.deck,
                key.card,
                key.direction.as_str()
            );
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(name)
                .execute(&mut **$tx)
                .await?;
        }
    }};
}

/// Records `$answered` by `$user` under `$answer_key` in `$tx` (begun
/// with [`Store::begin_answer`] on `$store`): locks the card, reads its state, makes the review
/// with `core::review::review`, writes the log row and the new state; a
/// key stored already writes nothing. Evaluates to a
/// `Result<Recorded>`; [`StoreError::Conflict`] when a concurrent
/// transaction stored the same key first (retried).
macro_rules! record_in_tx {
    ($store:expr, $tx:expr, $user:expr, $answer_key:expr, $answered:expr) => {{
        let tx = $tx;
        let user: &$crate::store::User = $user;
        let answer_key: &str = $answer_key;
        let answered: &$crate::core::review::Answered = $answered;
        lock_card!($store, tx, &user.id, &answered.key);
        let (stored, previous) =
            find_answer_and_state!($store, tx, &user.id, &answered.key, answer_key);
        match stored {
            Some((rating, interval_days)) => {
                $crate::store::Recorded::already(rating, interval_days, previous)
            }
            None => {
                let scheduler = $crate::core::schedule::Scheduler::new(user.scheduler_config());
                let review =
                    $crate::core::review::review(&scheduler, previous.as_ref(), answered.clone());
                let typed = answered.typed.as_deref();
                if write_review!($store, tx, user, &review, answer_key, None, typed) {
                    Ok($crate::store::Recorded {
                        rating: review.rating,
                        interval_days: review.interval_days,
                        state: review.state,
                        fresh: true,
                    })
                } else {
                    Err($crate::store::StoreError::Conflict)
                }
            }
        }
    }};
}

/// Runs `$job` (a `group::Job`) in `$tx`, begun with
/// [`Store::begin_answer`] on `$store`: what [`Store::record_answer`] or
/// [`Store::record_review`] writes, alone or in a group commit. Evaluates to
/// a `Result<group::Done>`.
macro_rules! job_in_tx {
    ($store:expr, $tx:expr, $job:expr) => {{
        let tx = $tx;
        match $job {
            $crate::store::group::Job::Answer {
                user,
                answer_key,
                answered,
            } => record_in_tx!($store, tx, user, answer_key, answered)
                .map($crate::store::group::Done::Answer),
            $crate::store::group::Job::Review {
                user,
                answer_key,
                review,
            } => {
                // A fresh key: stored already only if this very write was.
                let _written =
                    write_review!($store, tx, user, review, answer_key.as_str(), None, None);
                Ok($crate::store::group::Done::Review)
            }
        }
    }};
}

/// Corrects, in `$tx` of `$store`, `$original` (an `answer::AnswerRow` of
/// `$user` on card `$key`, locked with `lock_card!`): appends the
/// row under `$answer_key` that amends it, rated `$rating` with grade
/// `$verdict`, and writes the card's state replayed from its log (the
/// correction in place of the answer, `answer::replay` with `$scheduler`).
/// Evaluates to a `Result` of the new state and the interval the corrected
/// answer now gives; [`StoreError::Conflict`] when `$answer_key` is stored
/// already.
macro_rules! amend_in_tx {
    ($store:expr, $tx:expr, $user:expr, $scheduler:expr, $original:expr, $key:expr, $rating:expr, $verdict:expr, $answer_key:expr) => {{
        use $crate::store::BindKey as _;
        let tx = $tx;
        let user: &$crate::store::User = $user;
        let original: &$crate::store::answer::AnswerRow = $original;
        let key: &$crate::core::review::CardKey = $key;
        let rating: $crate::core::schedule::Rating = $rating;
        let rows: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as($crate::store::SQL_CARD_LOG)
            .bind(&user.id)
            .bind_key(key)
            .fetch_all(&mut **tx)
            .await?;
        let (state, interval_days) =
            $crate::store::answer::replay($scheduler, &rows, original.id, rating)?;
        let review = $crate::core::review::Review {
            key: key.clone(),
            at: original.reviewed_at,
            rating,
            verdict: $verdict,
            answer_ms: original.answer_ms(),
            origin: $crate::store::answer::origin_of(&original.origin)?,
            state,
            interval_days,
        };
        let amends = Some(original.id);
        if write_review!($store, tx, user, &review, $answer_key, amends, None) {
            Ok((state, interval_days))
        } else {
            Err($crate::store::StoreError::Conflict)
        }
    }};
}

/// Runs one write statement through [`retry::retry`]: the number of rows
/// it changed, or the error after the retries. The statement is either
/// `$query` (a `sqlx::query(…).bind(…)` chain, expanded for both backends)
/// or `$sql` and the values bound to it in order.
macro_rules! write_rows {
    ($store:expr, $what:expr, $query:expr) => {
        $crate::store::retry::retry($what, &$crate::store::retry::WRITES, || async {
            Ok(with_pool!($store, pool => $query.execute(pool).await?.rows_affected()))
        })
        .await
    };
    ($store:expr, $what:expr, $sql:expr $(, $value:expr)+ $(,)?) => {
        write_rows!($store, $what, bind!(sqlx::query($sql) $(, $value)+))
    };
}

/// Claims a row exactly once, in one transaction retried whole: `$insert`
/// (an `INSERT … ON CONFLICT DO NOTHING` chain, expanded for both
/// backends) claims it when it inserts its row. A retry after a COMMIT
/// whose reply was lost finds the row taken: it is this claim's when
/// `$mine` (a `sqlx::query_scalar::<_, i64>` chain counting the rows with
/// exactly this claim's values) finds it.
/// `true` for the one caller that got the row.
macro_rules! claim_once {
    ($store:expr, $what:expr, $insert:expr, $mine:expr) => {
        $crate::store::retry::retry_tracked(
            $what,
            &$crate::store::retry::WRITES,
            |retried| async move {
                with_pool!($store, pool => {
                    let mut tx = pool.begin().await?;
                    let inserted = $insert.execute(&mut *tx).await?.rows_affected() == 1;
                    let claimed = inserted
                        || (retried && $mine.fetch_one(&mut *tx).await? == 1);
                    tx.commit().await?;
                    Ok(claimed)
                })
            },
        )
        .await
    };
}

/// Binds the 21 values of `review`'s log row (`$1`–`$21` of
/// [`SQL_INSERT_REVIEW`](super::SQL_INSERT_REVIEW), in its column order) by `user`, answering
/// `answer_key`, correcting review `amends` if given, with what the
/// student typed: the one mapping of a review to its row, for the
/// one-answer write (`write_review!`) and the group's (`batch`).
pub(crate) fn bind_review_row<'q, DB: sqlx::Database>(
    query: sqlx::query::Query<'q, DB, DB::Arguments>,
    user: &'q User,
    review: &'q Review,
    answer_key: &'q str,
    amends: Option<i64>,
    typed: Option<&'q str>,
) -> sqlx::query::Query<'q, DB, DB::Arguments>
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    f64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<f64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let s = &review.state;
    let (verdict, score) = match review.verdict {
        Some((verdict, score)) => (
            Some(crate::core::review::verdict_str(verdict)),
            Some(f64::from(score)),
        ),
        None => (None, None),
    };
    query
        .bind(user.id.as_str())
        .bind_key(&review.key)
        .bind(review.at)
        .bind(crate::core::schedule::day_index(review.at, user.time_zone))
        .bind(i64::from(review.rating.number()))
        .bind(verdict)
        .bind(score)
        .bind(i64::from(review.answer_ms))
        .bind(i64::from(crate::core::schedule::RATING_RULES_VERSION))
        .bind(s.phase.as_str())
        .bind(f64::from(s.stability))
        .bind(f64::from(s.difficulty))
        .bind(s.due)
        .bind(i64::from(review.interval_days))
        .bind(i64::from(s.reps))
        .bind(review.origin.as_str())
        .bind(answer_key)
        .bind(amends)
        .bind(typed)
}

/// SQLite: binds the three values of a card's state that its review's
/// row does not hold (`$22` step, `$23` last review, `$24` lapses of
/// [`SQL_WRITE_REVIEW`](super::SQL_WRITE_REVIEW)), after [`bind_review_row`].
pub(crate) fn bind_state_tail<'q, DB: sqlx::Database>(
    query: sqlx::query::Query<'q, DB, DB::Arguments>,
    state: &CardState,
) -> sqlx::query::Query<'q, DB, DB::Arguments>
where
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .bind(i64::from(state.step))
        .bind(state.last_review)
        .bind(i64::from(state.lapses))
}
