//! Store benchmark (not run in CI): bulk-loads USERS × CARDS card states
//! and REVIEWS review-log rows, then measures fetching one user's next due
//! card (median, p99) and recording reviews (state upsert + log row) and
//! answers (find the key, read the state, log row, upsert) per second with
//! 1, 4 and 32 concurrent tasks, on SQLite and on PostgreSQL. On SQLite it
//! also prints, in the same run, the rate of the answer's statements
//! through one direct connection (one transaction each) and rappel's
//! ratio to it, and the disk's rate of random page writes (what a WAL
//! checkpoint does), the ceiling of sustained writes on a large database.
//!
//! cargo bench --bench store
//! Scale and backends through env vars (defaults = the targets):
//!   RAPPEL_BENCH_USERS=10000 RAPPEL_BENCH_CARDS=100 RAPPEL_BENCH_REVIEWS=5000000
//!   RAPPEL_BENCH_BACKENDS=sqlite,postgres RAPPEL_BENCH_SAMPLES=2000
//!   RAPPEL_BENCH_WRITES=10000 (reviews, then answers, per phase: long
//!   enough that checkpoints, every 500 ms, are paid inside the phase)
//!   RAPPEL_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test
//! Quick run: RAPPEL_BENCH_USERS=500 RAPPEL_BENCH_REVIEWS=100000 cargo bench --bench store

use std::time::{Duration, Instant};

use rand::Rng;
use rappel::core::deck::{CardId, DeckId};
use rappel::core::grade::Verdict;
use rappel::core::review::{Answered, CardKey, Direction, Origin, Review};
use rappel::core::schedule::{Answer, Rating, Scheduler, SchedulerConfig};
use rappel::store::{NewUser, Store};
use sqlx::AssertSqlSafe;

/// A fixed "now" so runs are comparable: 2026-03-02 15:00 UTC.
const NOW: i64 = 1_772_463_600_000;
const DAY_MS: i64 = 86_400_000;
/// Concurrent tasks writing reviews and answers.
const TASKS: [usize; 3] = [1, 4, 32];

struct Scale {
    users: i64,
    cards: i64,
    reviews: i64,
    samples: usize,
    writes: usize,
}

fn env_or(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let scale = Scale {
        users: env_or("RAPPEL_BENCH_USERS", 10_000),
        cards: env_or("RAPPEL_BENCH_CARDS", 100),
        reviews: env_or("RAPPEL_BENCH_REVIEWS", 5_000_000),
        samples: env_or("RAPPEL_BENCH_SAMPLES", 2_000) as usize,
        writes: env_or("RAPPEL_BENCH_WRITES", 10_000).max(32) as usize,
    };
    let backends =
        std::env::var("RAPPEL_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".to_string());
    println!(
        "scale: {} users × {} cards = {} card states, {} reviews",
        scale.users,
        scale.cards,
        scale.users * scale.cards,
        scale.reviews
    );
    for backend in backends.split(',').map(str::trim) {
        match backend {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                let store = Store::connect(&url).await.expect("sqlite");
                run(&store, &scale, Some(&url)).await;
                let db = std::fs::metadata(dir.path().join("bench.db")).map_or(0, |m| m.len());
                let probe = dir.path().join("disk-probe");
                let rate = tokio::task::spawn_blocking(move || random_page_writes(&probe, db))
                    .await
                    .expect("disk probe");
                println!(
                    "[sqlite] disk: {rate:.0} random 4 KB writes/s in a file the size of the \
                     database ({:.0} MB), fsync every 2,000 (a checkpoint's work: each review \
                     the checkpoint copies back is a few such pages)",
                    db as f64 / 1e6
                );
                store.close().await;
            }
            "postgres" => {
                let base = std::env::var("RAPPEL_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
                let schema = format!("rappel_bench_{:08x}", rand::random::<u32>());
                let admin = sqlx::PgPool::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {base}: {e}"));
                sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&admin)
                    .await
                    .expect("create schema");
                let sep = if base.contains('?') { '&' } else { '?' };
                let store = Store::connect(&format!("{base}{sep}options[search_path]={schema}"))
                    .await
                    .expect("postgres");
                run(&store, &scale, None).await;
                store.close().await;
                sqlx::query(AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                    .execute(&admin)
                    .await
                    .expect("drop schema");
            }
            other => panic!("unknown backend {other:?} (sqlite or postgres)"),
        }
    }
}

async fn run(store: &Store, scale: &Scale, sqlite_url: Option<&str>) {
    let backend = store.backend();
    let started = Instant::now();
    bulk_load(store, scale).await;
    println!(
        "[{backend}] bulk load: {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Next due card of a random user.
    let mut rng = rand::rng();
    let mut times = Vec::with_capacity(scale.samples);
    let mut found = 0;
    for _ in 0..scale.samples {
        let user = format!("user-{}", rng.random_range(0..scale.users));
        let t = Instant::now();
        let due = store
            .next_due(&user, None, NOW, 1, |_| true)
            .await
            .expect("next_due");
        times.push(t.elapsed());
        found += due.len();
    }
    times.sort();
    println!(
        "[{backend}] next_due (1 card): median {:.3} ms, p99 {:.3} ms ({found}/{} users had one due)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100]),
        scale.samples
    );

    // Recording reviews and answers: one task, then several at once (the
    // students of a bot answering together; on SQLite their writes share
    // group commits). The answer path (find its key, read the state,
    // append the log row, upsert the state) is compared, on SQLite, with
    // the same statements, one transaction per answer, through one direct
    // connection in the same run: on a noisy machine the ratio is the
    // figure that matters.
    let n = scale.writes;
    for tasks in TASKS {
        let rate = record_reviews(store, scale, n, tasks).await;
        println!("[{backend}] record_review, {tasks} tasks: {rate:.0} reviews/s ({n} reviews)");
    }
    // Two references: SQLite's default (each COMMIT that takes the log
    // past 1,000 pages checkpoints it), and automatic checkpoints off as
    // on rappel's writer (rappel's checkpoint task, still running, then
    // checkpoints for it too): the like-for-like one.
    let mut reference = None;
    if let Some(url) = sqlite_url {
        for (label, autocheckpoint) in [("default checkpoints", "1000"), ("checkpoints off", "0")] {
            let rate = reference_reviews(url, scale, n, autocheckpoint).await;
            println!(
                "[{backend}] reference, {label} (one direct sqlx SqliteConnection, no pool, same \
                 pragmas and statements, one transaction per answer): {rate:.0} answers/s"
            );
            reference = Some(rate);
        }
    }
    for tasks in TASKS {
        let rate = record_answers(store, scale, n, tasks).await;
        let ratio = reference
            .map(|r| {
                format!(
                    "; rappel/reference (checkpoints off) = {:.0}%",
                    100.0 * rate / r
                )
            })
            .unwrap_or_default();
        println!(
            "[{backend}] record_answer, {tasks} tasks: {rate:.0} answers/s ({n} answers){ratio}"
        );
    }

    let user = store
        .user("user-1", &NewUser::default(), NOW)
        .await
        .expect("user");
    let t = Instant::now();
    let stats = store.stats(&user, NOW).await.expect("stats");
    println!(
        "[{backend}] stats for one user: {:.3} ms ({} learned, {} due today)",
        ms(t.elapsed()),
        stats.learned,
        stats.due_today
    );
}

/// Records `n` reviews of random cards spread over `tasks` concurrent tasks;
/// returns reviews per second.
async fn record_reviews(store: &Store, scale: &Scale, n: usize, tasks: usize) -> f64 {
    let scheduler = Scheduler::new(SchedulerConfig::default());
    let user = store
        .user("user-0", &NewUser::default(), NOW)
        .await
        .expect("user");
    let started = Instant::now();
    let mut handles = Vec::new();
    for task in 0..tasks {
        let store = store.clone();
        let scheduler = scheduler.clone();
        let mut user = user.clone();
        let (users, cards) = (scale.users, scale.cards);
        handles.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(task as u64);
            for _ in 0..n / tasks {
                user.id = format!("user-{}", rng.random_range(0..users));
                let key = CardKey::new(
                    &DeckId::parse("deck-0").unwrap(),
                    &CardId::parse(&format!("card-{}", rng.random_range(0..cards))).unwrap(),
                    Direction::Forward,
                );
                let reviewed = scheduler.review(None, Rating::Good, NOW);
                let review = Review {
                    key,
                    at: NOW,
                    rating: Rating::Good,
                    verdict: Some((Verdict::Correct, 1.0)),
                    answer_ms: 3_000,
                    origin: Origin::Study,
                    state: reviewed.state,
                    interval_days: reviewed.interval_days,
                };
                store.record_review(&user, &review).await.expect("record");
            }
        }));
    }
    for handle in handles {
        handle.await.expect("task");
    }
    (n / tasks * tasks) as f64 / started.elapsed().as_secs_f64()
}

use rand::SeedableRng;

/// A random card of a random user, as the bench writes them.
fn random_key(rng: &mut impl Rng, scale: &Scale) -> (String, CardKey) {
    let user = format!("user-{}", rng.random_range(0..scale.users));
    let key = CardKey::new(
        &DeckId::parse("deck-0").unwrap(),
        &CardId::parse(&format!("card-{}", rng.random_range(0..scale.cards))).unwrap(),
        Direction::Forward,
    );
    (user, key)
}

/// Records `n` graded answers of random cards through
/// [`Store::record_answer`], spread over `tasks` concurrent tasks; returns
/// answers per second.
async fn record_answers(store: &Store, scale: &Scale, n: usize, tasks: usize) -> f64 {
    let user = store
        .user("user-0", &NewUser::default(), NOW)
        .await
        .expect("user");
    let started = Instant::now();
    let mut handles = Vec::new();
    for task in 0..tasks {
        let store = store.clone();
        let mut user = user.clone();
        let (users, cards) = (scale.users, scale.cards);
        handles.push(tokio::spawn(async move {
            let scale = Scale {
                users,
                cards,
                reviews: 0,
                samples: 0,
                writes: 0,
            };
            let mut rng = rand::rngs::StdRng::seed_from_u64(1_000 + task as u64);
            for i in 0..n / tasks {
                let (id, key) = random_key(&mut rng, &scale);
                user.id = id;
                let answered = Answered {
                    key,
                    at: NOW,
                    answer: Answer::Graded {
                        verdict: Verdict::Correct,
                        score: 1.0,
                        answer_ms: 3_000,
                        typical_ms: None,
                    },
                    verdict: Some((Verdict::Correct, 1.0)),
                    answer_ms: 3_000,
                    origin: Origin::Study,
                    typed: None,
                };
                let recorded = store
                    .record_answer(
                        &user,
                        &format!("bench-answer:{tasks}:{task}:{i}"),
                        &answered,
                    )
                    .await
                    .expect("record answer");
                assert!(recorded.fresh, "each answer is new");
            }
        }));
    }
    for handle in handles {
        handle.await.expect("task");
    }
    (n / tasks * tasks) as f64 / started.elapsed().as_secs_f64()
}

/// The reference: `n` reviews of random cards, each the transaction
/// `record_answer` runs (BEGIN IMMEDIATE, find the answer key with the
/// state, write the log row with the state, COMMIT), through one
/// direct `SqliteConnection` (no pool), with rappel's pragmas (WAL,
/// synchronous NORMAL, 32 MB page cache; automatic checkpoints after
/// `autocheckpoint` pages, 0 = off), on the same database.
async fn reference_reviews(url: &str, scale: &Scale, n: usize, autocheckpoint: &str) -> f64 {
    use sqlx::Connection;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
    use std::str::FromStr;
    let options = SqliteConnectOptions::from_str(url)
        .expect("url")
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .pragma("cache_size", "-32768")
        .pragma("wal_autocheckpoint", autocheckpoint.to_string());
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .expect("reference connection");
    // The statements rappel's answer runs: the answer key looked up with
    // the state read, then the log row and the state written.
    let find_and_read = rappel::store::SQL_FIND_ANSWER_AND_STATE;
    let write = rappel::store::SQL_WRITE_REVIEW;
    let scheduler = Scheduler::new(SchedulerConfig::default());
    let mut rng = rand::rngs::StdRng::seed_from_u64(8);
    let started = Instant::now();
    for i in 0..n {
        let (user, key) = random_key(&mut rng, scale);
        let answer_key = format!("reference:{autocheckpoint}:{i}");
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.expect("begin");
        let _row = sqlx::query(find_and_read)
            .bind(&user)
            .bind(key.deck.as_str())
            .bind(key.card.as_str())
            .bind(key.direction.as_str())
            .bind(&answer_key)
            .fetch_one(&mut *tx)
            .await
            .expect("find and read");
        let s = scheduler.review(None, Rating::Good, NOW).state;
        let written = sqlx::query(write)
            .bind(&user)
            .bind(key.deck.as_str())
            .bind(key.card.as_str())
            .bind(key.direction.as_str())
            .bind(NOW)
            .bind(739_000i64)
            .bind(3i64)
            .bind("correct")
            .bind(1.0f64)
            .bind(3_000i64)
            .bind(1i64)
            .bind(s.phase.as_str())
            .bind(f64::from(s.stability))
            .bind(f64::from(s.difficulty))
            .bind(s.due)
            .bind(3i64)
            .bind(i64::from(s.reps))
            .bind("study")
            .bind(&answer_key)
            .bind(None::<i64>)
            .bind(None::<&str>)
            .bind(i64::from(s.step))
            .bind(s.last_review)
            .bind(i64::from(s.lapses))
            .execute(&mut *tx)
            .await
            .expect("write")
            .rows_affected();
        assert_eq!(written, 2, "the log row and the state");
        tx.commit().await.expect("commit");
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    conn.close().await.expect("close");
    rate
}

/// Random 4 KB writes per second at page boundaries of a file of `size`
/// bytes (at least 64 MB) at `path`, written in full first so no write
/// allocates, with an fsync every 2,000 writes, for about 3 s: the work of
/// a WAL checkpoint, which copies pages back to random places of the
/// database file and syncs it. The file is removed after.
fn random_page_writes(path: &std::path::Path, size: u64) -> f64 {
    use std::io::Write;
    use std::os::unix::fs::FileExt;
    const PAGE: u64 = 4_096;
    let size = size.max(64 << 20) / PAGE * PAGE;
    let mut file = std::fs::File::create(path).expect("disk probe file");
    let chunk = vec![0x5a_u8; 1 << 20];
    let mut written = 0;
    while written < size {
        let n = chunk.len().min((size - written) as usize);
        file.write_all(&chunk[..n]).expect("fill the probe file");
        written += n as u64;
    }
    file.sync_all().expect("sync the probe file");
    let mut rng = rand::rngs::StdRng::seed_from_u64(4_096);
    let page = [0xa5_u8; PAGE as usize];
    let started = Instant::now();
    let mut n = 0;
    while started.elapsed() < Duration::from_secs(3) {
        for _ in 0..2_000 {
            let at = rng.random_range(0..size / PAGE) * PAGE;
            file.write_all_at(&page, at).expect("random write");
        }
        file.sync_data().expect("fsync");
        n += 2_000;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    drop(file);
    let _ = std::fs::remove_file(path);
    rate
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// Fills the tables with SQL-generated rows (no per-row round trip), one
/// user after the other so index inserts stay local. Due
/// times are spread over ±12 days around `NOW`, so about half the cards are due.
async fn bulk_load(store: &Store, scale: &Scale) {
    let (users, cards, reviews) = (scale.users, scale.cards, scale.reviews);
    let spread = 24 * DAY_MS;
    let statements = match store {
        // SQLite has no generate_series by default: a recursive CTE.
        Store::Sqlite(..) => vec![
            format!(
                "INSERT INTO users (id, time_zone, desired_retention, language, created_at) \
                 WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < {users}) \
                 SELECT 'user-' || n, 'America/Montreal', 0.9, 'fr', 0 FROM s"
            ),
            format!(
                "INSERT INTO card_states (user_id, deck_id, card_id, direction, phase, step, stability, \
                 difficulty, due, last_review, reps, lapses) \
                 WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < {users} * {cards}) \
                 SELECT 'user-' || (n / {cards}), 'deck-' || (n % {cards} % 5), 'card-' || (n % {cards}), \
                 'forward', 'review', 0, 10.0, 5.0, {NOW} - {spread} / 2 + (n * 7919) % {spread}, \
                 {NOW} - {DAY_MS}, 3, 0 FROM s"
            ),
            format!(
                "INSERT INTO reviews (user_id, deck_id, card_id, direction, reviewed_at, day, rating, verdict, \
                 score, answer_ms, rules_version, phase, stability, difficulty, due, interval_days, reps, origin, answer_key) \
                 WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < {reviews}) \
                 SELECT 'user-' || (n * {users} / {reviews}), 'deck-0', 'card-' || (n % {cards}), 'forward', \
                 {NOW} - (n % 365) * {DAY_MS}, 739000 - (n % 365), 1 + n % 4, 'correct', 1.0, 3000, 1, \
                 'review', 10.0, 5.0, {NOW}, 3, 3, 'study', 'bulk:' || n FROM s"
            ),
            "ANALYZE".to_string(),
        ],
        Store::Postgres(_) => vec![
            format!(
                "INSERT INTO users (id, time_zone, desired_retention, language, created_at) \
                 SELECT 'user-' || n, 'America/Montreal', 0.9, 'fr', 0 FROM generate_series(0, {users} - 1) n"
            ),
            format!(
                "INSERT INTO card_states (user_id, deck_id, card_id, direction, phase, step, stability, \
                 difficulty, due, last_review, reps, lapses) \
                 SELECT 'user-' || (n / {cards}), 'deck-' || (n % {cards} % 5), 'card-' || (n % {cards}), \
                 'forward', 'review', 0, 10.0, 5.0, {NOW} - {spread} / 2 + (n * 7919) % {spread}, \
                 {NOW} - {DAY_MS}, 3, 0 FROM generate_series(0::bigint, {users} * {cards} - 1) n"
            ),
            format!(
                "INSERT INTO reviews (user_id, deck_id, card_id, direction, reviewed_at, day, rating, verdict, \
                 score, answer_ms, rules_version, phase, stability, difficulty, due, interval_days, reps, origin, answer_key) \
                 SELECT 'user-' || (n * {users} / {reviews}), 'deck-0', 'card-' || (n % {cards}), 'forward', \
                 {NOW} - (n % 365) * {DAY_MS}, 739000 - (n % 365), 1 + n % 4, 'correct', 1.0, 3000, 1, \
                 'review', 10.0, 5.0, {NOW}, 3, 3, 'study', 'bulk:' || n FROM generate_series(0::bigint, {reviews} - 1) n"
            ),
            "ANALYZE".to_string(),
        ],
    };
    for sql in statements {
        let t = Instant::now();
        match store {
            Store::Sqlite(pool, _) => sqlx::query(AssertSqlSafe(sql.clone()))
                .execute(pool)
                .await
                .map(|_| ()),
            Store::Postgres(pool) => sqlx::query(AssertSqlSafe(sql.clone()))
                .execute(pool)
                .await
                .map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("bulk load failed: {e}\n{sql}"));
        let what: String = sql.chars().take(24).collect();
        println!("  {what}…: {:.1} s", t.elapsed().as_secs_f64());
    }
}
