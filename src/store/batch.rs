//! A group commit's writes in two statements (SQLite). Each statement is
//! a hand-off to sqlx's worker thread and back, two thread wake-ups that
//! cost more than SQLite's own work on a small machine (measured with
//! `perf` on the store bench: about 40 % of the CPU time of a group went
//! to waking threads). So a group of several answers reads every answer
//! key and card state it needs in one statement, makes each review in
//! Rust, and writes every log row and state in one query of two
//! statements: four hand-offs for the group (with `BEGIN` and `COMMIT`)
//! instead of two per write.
//!
//! Same results as the writes one by one ([`super::group`]): the group
//! holds the write lock from `BEGIN IMMEDIATE`, so what the read finds is
//! what each write would have found, provided no two writes of the group
//! touch the same card or answer key; a group where two do (a student
//! answering the same card twice in a few milliseconds) is left to the
//! one-by-one path, which sees each write's effect before the next. Any
//! failed statement (a write the one-by-one path would refuse) rolls the
//! batch back and the one-by-one path runs the group again, answering the
//! failing write with its own error.

use std::collections::HashSet;

use sqlx::{AssertSqlSafe, FromRow as _, Row as _};

use super::group::{Done, Job};
use super::sql::{bind_review_row, bind_state_tail};
use super::{Recorded, Result, StoreError, User};
use crate::core::review::{Answered, Review};
use crate::core::schedule::Scheduler;

/// Parameters a read binds per answer: rank, user, deck, card, direction,
/// answer key.
const READ_PARAMS: usize = 6;
/// Parameters a write binds per row: the review's 21 and the state's 3.
const WRITE_PARAMS: usize = 24;
/// A state's columns among its row's parameters, as in
/// [`super::SQL_WRITE_REVIEW`]: user and card, phase, step, stability,
/// difficulty, due, last review, reps, lapses.
const STATE_PARAMS: [usize; 12] = [1, 2, 3, 4, 12, 22, 13, 14, 15, 23, 17, 24];

/// One answer of a batch, borrowed from its [`Job::Answer`].
pub(super) struct Answer<'a> {
    user: &'a User,
    answer_key: &'a str,
    answered: &'a Answered,
}

/// The group's answers when it can be batched: at least two answers, no
/// two on the same card of a user or with the same answer key of a user.
/// A review made elsewhere (`Store::record_review`, the fixtures) is one
/// statement alone, which the batch's read would only add to (measured
/// slower): groups with one go one by one (`None`).
pub(super) fn answers<'a>(jobs: &[&'a Job]) -> Option<Vec<Answer<'a>>> {
    if jobs.len() < 2 {
        return None;
    }
    let mut cards = HashSet::with_capacity(jobs.len());
    let mut keys = HashSet::with_capacity(jobs.len());
    jobs.iter()
        .map(|job| {
            let Job::Answer {
                user,
                answer_key,
                answered,
            } = job
            else {
                return None;
            };
            let alone =
                cards.insert((&user.id, &answered.key)) && keys.insert((&user.id, answer_key));
            alone.then_some(Answer {
                user,
                answer_key,
                answered,
            })
        })
        .collect()
}

/// Runs a batch of `answers` in `tx` (begun with `BEGIN IMMEDIATE`): what
/// each gives back, in order, once its writes are made (not committed).
/// An error leaves `tx` to be rolled back.
pub(super) async fn run(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    answers: &[Answer<'_>],
) -> Result<Vec<Done>> {
    let found = read(tx, answers).await?;
    let mut done = Vec::with_capacity(answers.len());
    let mut writes: Vec<(&User, &str, Review, Option<&str>)> = Vec::with_capacity(answers.len());
    for (answer, (stored, previous)) in answers.iter().zip(found) {
        if let Some((rating, interval_days)) = stored {
            let recorded = Recorded::already(rating, interval_days, previous)?;
            done.push(Done::Answer(recorded));
            continue;
        }
        let scheduler = Scheduler::new(answer.user.scheduler_config());
        let answered = answer.answered;
        let review = crate::core::review::review(&scheduler, previous.as_ref(), answered.clone());
        done.push(Done::Answer(Recorded {
            rating: review.rating,
            interval_days: review.interval_days,
            state: review.state,
            fresh: true,
        }));
        writes.push((
            answer.user,
            answer.answer_key,
            review,
            answered.typed.as_deref(),
        ));
    }
    write(tx, &writes).await?;
    Ok(done)
}

/// For each job, its stored answer's rating and interval (if its answer
/// key is stored) and its card's state (if ever reviewed), in order: one
/// statement, [`super::SQL_FIND_ANSWER_AND_STATE`] for every job at once.
async fn read(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    answers: &[Answer<'_>],
) -> Result<Vec<(Option<(i64, i64)>, Option<crate::core::schedule::CardState>)>> {
    let values = rows(answers.len(), READ_PARAMS, &[1, 2, 3, 4, 5, 6]);
    let sql = format!(
        "WITH j(i, u, d, c, r, k) AS (VALUES {values}) \
         SELECT a.rating, a.interval_days, s.deck_id, s.card_id, s.direction, s.phase, s.step, \
         s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses FROM j \
         LEFT JOIN reviews a ON a.user_id = j.u AND a.answer_key = j.k \
         LEFT JOIN card_states s ON s.user_id = j.u AND s.deck_id = j.d AND s.card_id = j.c \
         AND s.direction = j.r ORDER BY j.i"
    );
    let mut query = sqlx::query(AssertSqlSafe(sql)).persistent(false);
    for (i, answer) in answers.iter().enumerate() {
        let key = &answer.answered.key;
        query = query
            .bind(i as i64)
            .bind(&answer.user.id)
            .bind(key.deck.as_str())
            .bind(key.card.as_str())
            .bind(key.direction.as_str())
            .bind(answer.answer_key);
    }
    let rows = query.fetch_all(&mut **tx).await?;
    if rows.len() != answers.len() {
        return Err(StoreError::Corrupt(format!(
            "{} rows read for {} answers",
            rows.len(),
            answers.len()
        )));
    }
    rows.iter()
        .map(|row| {
            let rating: Option<i64> = row.try_get("rating")?;
            let interval_days: Option<i64> = row.try_get("interval_days")?;
            let state = match row.try_get::<Option<String>, _>("deck_id")? {
                Some(_) => Some(super::row::StateRow::from_row(row)?.into_pair()?.1),
                None => None,
            };
            Ok((rating.zip(interval_days), state))
        })
        .collect()
}

/// Appends every review's log row and writes its card's state: one query
/// of two statements ([`super::SQL_WRITE_REVIEW`] for many rows). Fails
/// unless every row and state was written.
async fn write(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    writes: &[(&User, &str, Review, Option<&str>)],
) -> Result<()> {
    if writes.is_empty() {
        return Ok(());
    }
    let n = writes.len();
    let review_rows = rows(n, WRITE_PARAMS, &(1..=21).collect::<Vec<_>>());
    let states = rows(n, WRITE_PARAMS, &STATE_PARAMS);
    let sql = format!(
        "{}{review_rows}{}; {}VALUES {states}{}",
        insert_review_head!(),
        insert_review_tail!(),
        upsert_state_head!(),
        upsert_state_tail!()
    );
    let mut query = sqlx::query(AssertSqlSafe(sql)).persistent(false);
    for (user, answer_key, review, typed) in writes {
        query = bind_state_tail(
            bind_review_row(query, user, review, answer_key, None, *typed),
            &review.state,
        );
    }
    let changed = query.execute(&mut **tx).await?.rows_affected();
    let expected = 2 * writes.len() as u64;
    if changed != expected {
        return Err(StoreError::Corrupt(format!(
            "{changed} rows written for {} answers",
            writes.len()
        )));
    }
    Ok(())
}

/// `n` rows of numbered parameters, row `i` taking those at `columns`
/// (1-based) of its `stride`: `($1, $2), ($4, $5)` for 2 rows, stride 3,
/// columns 1 and 2.
fn rows(n: usize, stride: usize, columns: &[usize]) -> String {
    (0..n)
        .map(|i| {
            let params = columns
                .iter()
                .map(|c| format!("${}", i * stride + c))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({params})")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use sqlx::Connection as _;

    use super::{answers, rows, run};
    use crate::core::deck::{CardId, DeckId};
    use crate::core::grade::Verdict;
    use crate::core::review::{Answered, CardKey, Direction, Origin};
    use crate::core::schedule::{Answer, Millis, Scheduler};
    use crate::store::group::{Done, Job, run_job};
    use crate::store::{NewUser, Store};

    const NOW: Millis = 1_772_463_600_000;
    const DAY: Millis = 86_400_000;

    fn key(card: &str) -> CardKey {
        CardKey::new(
            &DeckId::parse("grc").unwrap(),
            &CardId::parse(card).unwrap(),
            Direction::Forward,
        )
    }

    fn answered(card: &str, verdict: Verdict, at: Millis) -> Answered {
        let score = if verdict.is_accepted() { 1.0 } else { 0.0 };
        Answered {
            key: key(card),
            at,
            answer: Answer::Graded {
                verdict,
                score,
                answer_ms: 4_000,
                typical_ms: None,
            },
            verdict: Some((verdict, score)),
            answer_ms: 4_000,
            origin: Origin::Study,
            typed: Some(format!("typed {card}")),
        }
    }

    /// The same history on a fresh database: alice answered `x`, bob's
    /// answer `k` is stored; then the group of writes to compare, each of
    /// a different student or card: one with a state before, one stored
    /// already, one on a new card (wrong), one close on a card that
    /// another student of the group answers.
    async fn history_and_group(store: &Store) -> Vec<Job> {
        let mut users = Vec::new();
        for id in ["alice", "bob", "carol", "dave"] {
            users.push(store.user(id, &NewUser::default(), NOW).await.unwrap());
        }
        let first = answered("x", Verdict::Correct, NOW);
        store
            .record_answer(&users[0], "first", &first)
            .await
            .unwrap();
        let stored = answered("y", Verdict::Correct, NOW);
        store.record_answer(&users[1], "k", &stored).await.unwrap();
        vec![
            Job::Answer {
                user: users[0].clone(),
                answer_key: "second".into(),
                answered: answered("x", Verdict::Correct, NOW + 3 * DAY),
            },
            Job::Answer {
                user: users[1].clone(),
                answer_key: "k".into(),
                answered: answered("y", Verdict::Wrong, NOW + DAY),
            },
            Job::Answer {
                user: users[2].clone(),
                answer_key: "c".into(),
                answered: answered("z", Verdict::Wrong, NOW + DAY),
            },
            Job::Answer {
                user: users[3].clone(),
                answer_key: "d".into(),
                answered: answered("x", Verdict::Close, NOW + 2 * DAY),
            },
        ]
    }

    /// Every log row and state, ids aside.
    async fn contents(store: &Store) -> (Vec<String>, Vec<String>) {
        let Store::Sqlite(pool, _) = store else {
            unreachable!("SQLite")
        };
        let reviews = sqlx::query_scalar(
            "SELECT user_id || '|' || deck_id || '|' || card_id || '|' || direction || '|' || \
             reviewed_at || '|' || day || '|' || rating || '|' || COALESCE(verdict, '-') || '|' || \
             COALESCE(score, '-') || '|' || answer_ms || '|' || phase || '|' || stability || '|' || \
             difficulty || '|' || due || '|' || interval_days || '|' || reps || '|' || origin || \
             '|' || answer_key || '|' || COALESCE(typed, '-') FROM reviews ORDER BY id",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let states = sqlx::query_scalar(
            "SELECT user_id || '|' || deck_id || '|' || card_id || '|' || direction || '|' || \
             phase || '|' || step || '|' || stability || '|' || difficulty || '|' || due || '|' || \
             COALESCE(last_review, '-') || '|' || reps || '|' || lapses FROM card_states \
             ORDER BY user_id, card_id",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        (reviews, states)
    }

    fn summary(done: &[Done]) -> Vec<String> {
        done.iter()
            .map(|d| match d {
                Done::Answer(recorded) => format!("{recorded:?}"),
                Done::Review => "review".to_string(),
            })
            .collect()
    }

    #[tokio::test]
    async fn a_batch_writes_and_answers_what_the_writes_one_by_one_do() {
        let dir = tempfile::tempdir().unwrap();
        let mut results = Vec::new();
        for (name, batched) in [("batched.db", true), ("alone.db", false)] {
            let url = format!("sqlite://{}", dir.path().join(name).display());
            let store = Store::connect(&url).await.unwrap();
            let jobs = history_and_group(&store).await;
            let refs: Vec<&Job> = jobs.iter().collect();
            let batch = answers(&refs).expect("batchable");
            let Store::Sqlite(_, writer) = &store else {
                unreachable!("SQLite")
            };
            let mut conn = writer.lock().await;
            let conn = conn.as_mut().unwrap();
            let mut tx = conn.begin_with(store.begin_answer()).await.unwrap();
            let done = if batched {
                run(&mut tx, &batch).await.unwrap()
            } else {
                let mut done = Vec::new();
                for job in &jobs {
                    done.push(run_job(&store, &mut tx, job).await.unwrap());
                }
                done
            };
            tx.commit().await.unwrap();
            results.push((summary(&done), contents(&store).await));
        }
        let (batched, alone) = (&results[0], &results[1]);
        assert_eq!(batched.0, alone.0, "what each write gives back");
        assert!(batched.0[1].contains("fresh: false"), "{:?}", batched.0);
        assert_eq!(
            batched.1.0.len(),
            5,
            "two before, three written: {:?}",
            batched.1.0
        );
        assert_eq!(batched.1, alone.1, "the log and the states");
    }

    #[test]
    fn two_writes_of_one_card_or_one_answer_key_are_not_batched() {
        let user = crate::store::User {
            id: "alice".into(),
            time_zone: chrono_tz::UTC,
            desired_retention: 0.9,
            language: crate::core::lang::Lang::Fr,
            created_at: NOW,
            parameters: crate::core::schedule::Parameters::default(),
        };
        let job = |answer_key: &str, card: &str| Job::Answer {
            user: user.clone(),
            answer_key: answer_key.into(),
            answered: answered(card, Verdict::Correct, NOW),
        };
        let (a, b, c) = (job("1", "x"), job("2", "x"), job("1", "y"));
        let d = job("2", "y");
        assert!(answers(&[&a, &d]).is_some());
        assert!(answers(&[&a, &b]).is_none(), "one card twice");
        assert!(answers(&[&a, &c]).is_none(), "one answer key twice");
        assert!(answers(&[&a]).is_none(), "a write alone");
        let scheduler = Scheduler::new(user.scheduler_config());
        let review = Job::Review {
            user: user.clone(),
            answer_key: "3".into(),
            review: crate::core::review::review(
                &scheduler,
                None,
                answered("z", Verdict::Correct, NOW),
            ),
        };
        assert!(answers(&[&a, &review]).is_none(), "a review made elsewhere");
    }

    #[test]
    fn rows_number_each_row_from_its_stride() {
        assert_eq!(rows(2, 3, &[1, 2]), "($1, $2), ($4, $5)");
        assert_eq!(rows(1, 24, &[1, 22]), "($1, $22)");
    }
}
