//! Load benchmark (not a timed test): the bot's reply time while its
//! background job fits students' FSRS parameters, against the same load
//! once the fits are done. `FIT_LOAD_STUDENTS` simulated students (30 by
//! default, 90 days of study each, `core::simulate::student_log`) are
//! written to a fresh SQLite database; the real bot then starts against
//! the fake Discord and its fitting job (`fit_job`, started at READY) fits
//! them one after the other, while 4 other members send `/study` and
//! `/stats show` back to back. Reply time: from the fake injecting the
//! interaction to the bot's answer reaching it; p50/p99 during the fits
//! and for as long again after them.
//!
//! Run: `cargo bench --bench fit_load` (env: FIT_LOAD_STUDENTS).

#[allow(dead_code)]
#[path = "../tests/support/fake_discord.rs"]
mod fake_discord;
#[allow(dead_code)]
#[path = "../tests/support/fake_permissions.rs"]
mod fake_permissions;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, User};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rappel::core::schedule::{CardState, Scheduler, day_index};
use rappel::core::simulate::{Learner, draw_learner, student_log};
use rappel::discord::Config;
use rappel::store::{NewUser, Store};
use serde_json::json;
use tokio::sync::Mutex;

const INSERT_REVIEW: &str = "INSERT INTO reviews \
     (user_id, deck_id, card_id, direction, reviewed_at, day, rating, verdict, score, answer_ms, \
      rules_version, phase, stability, difficulty, due, interval_days, reps, origin, answer_key) \
     VALUES ($1, 'sim', $2, 'forward', $3, $4, $5, NULL, NULL, 3000, 1, $6, $7, $8, $9, $10, $11, \
     'study', $12)";
const UPSERT_STATE: &str = "INSERT INTO card_states \
     (user_id, deck_id, card_id, direction, phase, step, stability, difficulty, due, last_review, reps, lapses) \
     VALUES ($1, 'sim', $2, 'forward', $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (user_id, deck_id, card_id, direction) DO UPDATE SET \
     phase = excluded.phase, step = excluded.step, stability = excluded.stability, \
     difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review, \
     reps = excluded.reps, lapses = excluded.lapses";

/// Writes a simulated student's log (and card states) in one transaction:
/// the bench's data, not what it measures.
async fn seed(store: &Store, id: &str, seed: u64) -> usize {
    let user = store
        .user(id, &NewUser::default(), 1_767_000_000_000)
        .await
        .expect("user");
    let mut rng = StdRng::seed_from_u64(seed);
    let learner = Learner {
        new_per_day: 10,
        p_study: 0.9,
        ..draw_learner(&mut rng)
    };
    let log = student_log(&learner, 90, &mut rng);
    let scheduler = Scheduler::new(user.scheduler_config());
    let Store::Sqlite(pool, _) = store else {
        unreachable!("the bench uses SQLite")
    };
    let mut tx = pool.begin().await.expect("begin");
    let mut states: HashMap<u32, CardState> = HashMap::new();
    for (i, a) in log.iter().enumerate() {
        let reviewed = scheduler.review(states.get(&a.card), a.rating, a.at);
        let s = reviewed.state;
        states.insert(a.card, s);
        let card = format!("c{}", a.card);
        sqlx::query(INSERT_REVIEW)
            .bind(id)
            .bind(&card)
            .bind(a.at)
            .bind(day_index(a.at, user.time_zone))
            .bind(i64::from(a.rating.number()))
            .bind(s.phase.as_str())
            .bind(f64::from(s.stability))
            .bind(f64::from(s.difficulty))
            .bind(s.due)
            .bind(i64::from(reviewed.interval_days))
            .bind(i64::from(s.reps))
            .bind(format!("bench:{i}"))
            .execute(&mut *tx)
            .await
            .expect("review");
        sqlx::query(UPSERT_STATE)
            .bind(id)
            .bind(&card)
            .bind(s.phase.as_str())
            .bind(i64::from(s.step))
            .bind(f64::from(s.stability))
            .bind(f64::from(s.difficulty))
            .bind(s.due)
            .bind(s.last_review)
            .bind(i64::from(s.reps))
            .bind(i64::from(s.lapses))
            .execute(&mut *tx)
            .await
            .expect("state");
    }
    tx.commit().await.expect("commit");
    log.len()
}

/// A request: when it was sent, its reply time, the command.
type Reply = (Instant, Duration, &'static str);

fn env_number(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1))
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let n_students = env_number("FIT_LOAD_STUDENTS", 30);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("rappel.db").display());
    let store = Store::connect(&url).await.expect("database");
    let seeding = Instant::now();
    let mut n_answers = 0;
    for i in 0..n_students {
        n_answers += seed(&store, &format!("student-{i}"), i as u64).await;
    }
    println!(
        "fit_load (sqlite): {n_students} students, {n_answers} answers written in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let fake = FakeDiscord::start().await;
    let mut config = Config::new("fake-token", url);
    config.api_base = Some(fake.base_url());
    config.decks_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("decks");
    config.daily_loop = false;
    let bot = rappel::discord::start(config).await.expect("bot starts");
    fake.wait_ready().await;
    let started = Instant::now();

    let replies: Arc<Mutex<Vec<Reply>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let fake = Arc::new(fake);
    let mut tasks = Vec::new();
    for m in 0..4u64 {
        let (fake, replies, stop) = (fake.clone(), replies.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let member = User::student(1_900_000_000_000_000_000 + m, &format!("membre{m}"));
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let (name, options) = if n.is_multiple_of(2) {
                    ("study", json!([]))
                } else {
                    ("stats", json!([{"name": "show", "options": []}]))
                };
                n += 1;
                let at = Instant::now();
                let sent = fake.slash(&member, "fr", name, options);
                let reply = fake.reply_to(&sent).await;
                replies
                    .lock()
                    .await
                    .push((at, reply.at.duration_since(at), name));
            }
        }));
    }

    // The fits: done when every student has one.
    let fits_done = loop {
        let n: i64 = match &store {
            Store::Sqlite(pool, _) => sqlx::query_scalar("SELECT COUNT(*) FROM memory_fits")
                .fetch_one(pool)
                .await
                .expect("count fits"),
            Store::Postgres(_) => unreachable!(),
        };
        if n as usize >= n_students || started.elapsed() > Duration::from_secs(600) {
            break Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let fitting = fits_done.duration_since(started);
    tokio::time::sleep(fitting.max(Duration::from_secs(3))).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("requester");
    }
    let outcomes: Vec<(String, i64)> = match &store {
        Store::Sqlite(pool, _) => {
            sqlx::query_as("SELECT outcome, COUNT(*) FROM memory_fits GROUP BY outcome")
                .fetch_all(pool)
                .await
                .expect("outcomes")
        }
        Store::Postgres(_) => unreachable!(),
    };
    println!(
        "  fits: {n_students} students fitted in {:.1} s after READY ({:.0} ms each), outcomes {outcomes:?}",
        fitting.as_secs_f64(),
        fitting.as_secs_f64() * 1000.0 / n_students as f64
    );
    let replies = replies.lock().await;
    for (phase, during) in [("while fits run", true), ("after the fits", false)] {
        for command in ["study", "stats", "all"] {
            let mut times: Vec<Duration> = replies
                .iter()
                .filter(|(at, _, _)| (*at < fits_done) == during)
                .filter(|(_, _, name)| command == "all" || *name == command)
                .map(|(_, d, _)| *d)
                .collect();
            times.sort();
            println!(
                "  {phase}, {command:<5}: {} replies, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
                times.len(),
                pct(&times, 0.5),
                pct(&times, 0.99),
                pct(&times, 1.0)
            );
        }
    }
    store.close().await;
    bot.stop().await;
}
