//! Crash safety: the real `rappel bot` binary killed with SIGKILL in the
//! middle of a 50-player quiz loses nothing it acknowledged and closes the
//! quiz on restart; killed while students self-rate in `/study` and answer
//! the daily question, it stores every acknowledged answer exactly once; SIGTERM stops it gracefully within 5 s; a busy
//! database is waited out with retries, then reported clearly.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rappel::core::deck::{CardId, DeckId};
use rappel::core::grade::Verdict;
use rappel::core::review::{CardKey, Direction, Origin, Review};
use rappel::core::schedule::{Rating, Scheduler};
use rappel::discord::messages::{self, Lang};
use rappel::discord::quiz_driver::QuizTiming;
use rappel::store::{NewUser, Store, StoreError};
use serde_json::json;
use sqlx::Connection;

use crate::support::bot::{BotConfig, Decks, assert_no_call_can_ping, reactions, spawn_bot};
use crate::support::db::TestDb;
use crate::support::fake_discord::{CHANNEL_ID, Call, FakeDiscord, User};
use crate::support::mini_deck;

/// The deck of these tests: two short terms.
fn deck() -> String {
    mini_deck("crash", "Crash", &["fidelisation", "prospect"])
}

const WAIT: Duration = Duration::from_secs(15);

/// A temp dir with the deck, a SQLite file and the bot's logs.
struct Site {
    dir: tempfile::TempDir,
    fake: FakeDiscord,
}

impl Site {
    async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("decks")).expect("decks dir");
        std::fs::write(dir.path().join("decks/crash.toml"), deck()).expect("write the deck");
        Self {
            dir,
            fake: FakeDiscord::start().await,
        }
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join("rappel.db")
    }

    fn log(&self, n: u32) -> PathBuf {
        self.dir.path().join(format!("bot-{n}.log"))
    }

    /// Starts `rappel bot` (run `n`, for its log file) and waits until it
    /// registered its commands for the `n`th time.
    async fn spawn(&self, n: u32, timing: &str) -> tokio::process::Child {
        let log = std::fs::File::create(self.log(n)).expect("log file");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
            .arg("bot")
            .current_dir(self.dir.path())
            .env("DISCORD_TOKEN", "fake-token")
            .env("DISCORD_API_BASE", self.fake.base_url())
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", self.db_path().display()),
            )
            .env("RAPPEL_DECKS", self.dir.path().join("decks"))
            .env("RAPPEL_MESSAGE_CONTENT", "on")
            .env("RAPPEL_QUIZ_TIMING", timing)
            // Registering at every start is how this test knows the restarted
            // bot is set up (the default registers only changed commands).
            .env("RAPPEL_REGISTER", "always")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("spawn rappel bot");
        self.fake.wait_registrations(n as usize).await;
        child
    }

    /// `/quiz start` with `n` questions, in French; waits for question 1.
    async fn start_quiz(&self, n: u32) {
        start_quiz(&self.fake, n).await;
    }

    async fn channel_message(&self, needle: &str) -> Call {
        channel_message(&self.fake, needle).await
    }

    /// The right answer to the question currently shown (the last one posted).
    fn open_answer(&self) -> &'static str {
        open_answer(&self.fake)
    }

    /// message id → emoji of every reaction the fake received.
    fn reactions(&self) -> HashMap<u64, String> {
        reactions(&self.fake.calls())
    }

    /// Waits until the bot reacted to at least `n` messages.
    async fn wait_reactions(&self, what: &str, n: usize) {
        self.fake
            .wait_until(what, WAIT, |f| reactions(&f.calls()).len() >= n)
            .await;
    }

    /// A connection to the bot's SQLite file (no migrations, no pool).
    async fn sqlite(&self) -> sqlx::SqliteConnection {
        let url = format!("sqlite://{}", self.db_path().display());
        sqlx::SqliteConnection::connect(&url)
            .await
            .expect("open the bot's database")
    }
}

/// `/quiz start` with `n` questions, in French; waits for question 1.
async fn start_quiz(fake: &FakeDiscord, n: u32) {
    let prof = User::student(1_700_000_000_000_000_001, "prof");
    let options = json!([{"name": "start", "options": [
        {"name": "deck", "value": "crash"}, {"name": "questions", "value": n}
    ]}]);
    fake.slash(&prof, "fr", "quiz", options);
    channel_message(fake, &format!("Question 1/{n}")).await;
}

async fn channel_message(fake: &FakeDiscord, needle: &str) -> Call {
    let path = format!("/channels/{CHANNEL_ID}/messages");
    fake.wait_for_call(
        |c| c.method == "POST" && c.path == path && c.text().contains(needle),
        WAIT,
    )
    .await
}

/// The right answer to the question currently shown (the last one posted).
fn open_answer(fake: &FakeDiscord) -> &'static str {
    let last = fake
        .calls()
        .into_iter()
        .rev()
        .find(|c| c.text().contains("Question "))
        .expect("a question was posted");
    if last.text().contains("garder ses clients") {
        "Fidélisation"
    } else {
        "Prospect"
    }
}

fn player(i: u64) -> User {
    User::student(1_800_000_000_000_000_000 + i, &format!("joueur{i}"))
}

/// Every message the bot sent carries allowed mentions that cannot ping,
/// and there was at least one.
#[track_caller]
fn assert_some_message_and_none_can_ping(calls: &[Call]) {
    assert!(
        calls.iter().any(|c| c.message().is_some()),
        "no message was checked"
    );
    assert_no_call_can_ping(calls);
}

/// (id, ended_at, stopped) of every quiz.
async fn quizzes(db: &mut sqlx::SqliteConnection) -> Vec<(i64, Option<i64>, i64)> {
    sqlx::query_as("SELECT id, ended_at, stopped FROM quizzes ORDER BY id")
        .fetch_all(db)
        .await
        .expect("read quizzes")
}

// ------------------------------------------------------------ SIGKILL

/// Kill -9 while 50 players answer: every answer the fake saw acknowledged
/// (✅ / 🟡: award and review; ❌: review) is in the database, the file
/// passes `PRAGMA integrity_check`, and the restarted bot closes the
/// interrupted quiz with its stored standings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_quiz_loses_nothing_acknowledged() {
    let site = Site::new().await;
    // One question open far longer than the test: every answer counts.
    let mut bot = site.spawn(1, "answer=600000,grace=600000,pause=0").await;
    site.start_quiz(1).await;
    let right = site.open_answer();

    // Half the players get it wrong first, then right; the others right at once.
    let players: Vec<User> = (0..50).map(player).collect();
    let answers: Vec<(&User, &str)> = players
        .iter()
        .flat_map(|p| {
            let wrong_first = (p.id % 2 == 0).then_some((p, "banane"));
            wrong_first.into_iter().chain([(p, right)])
        })
        .collect();
    // message id → (player, right answer?)
    let mut sent: HashMap<u64, (u64, bool)> = HashMap::new();
    // Answers come in bursts; the kill lands once 30 were acknowledged,
    // usually with others still in flight.
    for burst in answers.chunks(12) {
        for (p, text) in burst {
            let id = site.fake.message(p, text);
            sent.insert(id, (p.id, *text == right));
        }
        // The next burst once the bot acknowledged one more answer (or all).
        let before = site.reactions().len();
        site.wait_reactions("a reaction to the burst", (before + 1).min(sent.len()))
            .await;
        if site.reactions().len() >= 30 {
            break;
        }
    }
    site.wait_reactions("30 reactions", 30).await;
    bot.start_kill().expect("SIGKILL");
    let status = bot.wait().await.expect("the bot exits");
    assert!(!status.success(), "killed: {status:?}");

    let reactions = site.reactions();
    let mut db = site.sqlite().await;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .expect("integrity check");
    assert_eq!(check, "ok");
    let quiz = quizzes(&mut db).await;
    assert_eq!(quiz.len(), 1);
    let (quiz_id, ended_at, _) = quiz[0];
    assert_eq!(ended_at, None, "the kill interrupted the quiz");
    let awarded: HashSet<String> =
        sqlx::query_scalar("SELECT user_id FROM quiz_awards WHERE quiz_id = $1")
            .bind(quiz_id)
            .fetch_all(&mut db)
            .await
            .expect("awards")
            .into_iter()
            .collect();
    let reviewed: HashSet<String> =
        sqlx::query_scalar("SELECT user_id FROM reviews WHERE origin = 'quiz'")
            .fetch_all(&mut db)
            .await
            .expect("reviews")
            .into_iter()
            .collect();
    let (mut n_right, mut n_wrong) = (0, 0);
    for (message, emoji) in &reactions {
        let Some(&(player, is_right)) = sent.get(message) else {
            continue;
        };
        let player = player.to_string();
        assert!(
            reviewed.contains(&player),
            "{emoji} acknowledged, review lost"
        );
        match emoji.as_str() {
            "✅" => {
                assert!(is_right);
                assert!(awarded.contains(&player), "✅ acknowledged, award lost");
                n_right += 1;
            }
            "❌" => {
                assert!(!is_right);
                n_wrong += 1;
            }
            other => panic!("unexpected reaction {other}"),
        }
    }
    assert!(
        n_right > 0 && n_wrong > 0,
        "{n_right} right, {n_wrong} wrong"
    );
    eprintln!(
        "sigkill: {} answers sent, {} acknowledged ({n_right} ✅, {n_wrong} ❌), {} awards and {} reviewers stored",
        sent.len(),
        reactions.len(),
        awarded.len(),
        reviewed.len()
    );
    let totals: Vec<(String, i64)> = sqlx::query_as(
        "SELECT user_id, SUM(points) FROM quiz_awards WHERE quiz_id = $1 \
         GROUP BY user_id ORDER BY SUM(points) DESC, SUM(is_right) DESC, user_id",
    )
    .bind(quiz_id)
    .fetch_all(&mut db)
    .await
    .expect("totals");
    db.close().await.expect("close");

    // The restart closes the quiz and posts the standings from the store.
    let mut bot = site.spawn(2, "answer=600000,grace=600000,pause=0").await;
    let closing = site
        .channel_message(messages::quiz_interrupted(Lang::Fr))
        .await;
    let (leader, points) = &totals[0];
    assert!(
        closing
            .text()
            .contains(&format!("<@{leader}> — {points} pts")),
        "{}",
        closing.text()
    );
    // The standings are posted first, then the quiz is marked ended.
    let mut db = site.sqlite().await;
    let deadline = Instant::now() + WAIT;
    let quiz = loop {
        let quiz = quizzes(&mut db).await;
        if quiz[0].1.is_some() || Instant::now() > deadline {
            break quiz;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(quiz[0].1.is_some(), "the restart closed the quiz");
    assert_eq!(quiz[0].2, 1, "closed as stopped");
    db.close().await.expect("close");
    bot.start_kill().expect("stop the bot");
    let _ = bot.wait().await;
    assert_some_message_and_none_can_ping(&site.fake.calls());
}

// ------------------------------------------------------- SIGKILL (answers)

/// One of the students of the answers test.
fn student(i: u64) -> User {
    User::student(1_900_000_000_000_000_000 + i, &format!("eleve{i}"))
}

/// `/study` of `grc-cours` (its first card is a definition), the typed
/// answer: the self-rating screen, whose "4" button is returned.
async fn to_self_rating(fake: &FakeDiscord, user: &User) -> String {
    let screen = fake
        .reply_to(&fake.slash(
            user,
            "fr",
            "study",
            json!([{"name": "deck", "value": "grc-cours"}]),
        ))
        .await;
    let answer = screen
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("study:answer:"))
        .unwrap_or_else(|| panic!("an answer button: {screen:?}"));
    let modal = fake.reply_to(&fake.click(user, "fr", &answer)).await;
    let ids = modal.custom_ids();
    let submit = ids
        .iter()
        .find(|id| id.starts_with("study:submit:"))
        .expect("a modal");
    let input = ids
        .iter()
        .find(|id| !id.starts_with("study:"))
        .expect("its input");
    let rating = fake
        .reply_to(&fake.submit_modal(
            user,
            "fr",
            submit,
            &[(input.as_str(), "Vendre, réaliser des transactions")],
        ))
        .await;
    rating
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("study:rate:") && id.split(':').nth(7) == Some("4"))
        .unwrap_or_else(|| panic!("a self-rating screen: {rating:?}"))
}

/// One student's answers as stored: (answers, corrections of them, daily
/// answers, daily reviews).
async fn stored_answers(db: &mut sqlx::SqliteConnection, user: &User) -> (i64, i64, i64, i64) {
    let id = user.id.to_string();
    let row: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT \
         (SELECT COUNT(*) FROM reviews WHERE user_id = $1 AND origin = 'study' AND amends IS NULL), \
         (SELECT COUNT(*) FROM reviews c JOIN reviews a ON a.id = c.amends \
          WHERE c.user_id = $1 AND a.user_id = $1 AND c.answer_key = a.answer_key || ':rated'), \
         (SELECT COUNT(*) FROM daily_answers WHERE user_id = $1), \
         (SELECT COUNT(*) FROM reviews WHERE user_id = $1 AND origin = 'daily')",
    )
    .bind(&id)
    .fetch_one(db)
    .await
    .expect("read the answers");
    row
}

/// Kill -9 while students press their `/study` self-rating and answer the
/// daily question: every answer the fake saw acknowledged (the result
/// screen, the graded daily reply) is stored exactly once, no daily answer
/// is stored without its review; after the restart, students who press
/// or answer again (acknowledged or not) still have each answer once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_self_ratings_and_daily_answers_loses_nothing_acknowledged() {
    let site = Site::new().await;
    let decks = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("decks/grc-cours.toml");
    std::fs::copy(decks, site.dir.path().join("decks/grc-cours.toml")).expect("copy grc-cours");
    // Today's daily question, claimed before the bot starts.
    let now = rappel::discord::now_ms();
    let zone = chrono_tz::America::Montreal;
    let today = rappel::core::daily::local_date(now, zone);
    let channel = rappel::store::DailyChannel {
        channel_id: CHANNEL_ID.to_string(),
        guild_id: crate::support::fake_discord::GUILD_ID.to_string(),
        time: rappel::core::daily::PostTime::parse("00:00").unwrap(),
        time_zone: zone,
        deck: Some(DeckId::parse("crash").unwrap()),
    };
    let key = CardKey::new(
        &DeckId::parse("crash").unwrap(),
        &CardId::parse("fidelisation").unwrap(),
        Direction::Forward,
    );
    let store = Store::connect(&format!("sqlite://{}", site.db_path().display()))
        .await
        .expect("create the database");
    store.set_daily(&channel, now).await.unwrap();
    assert!(
        store
            .claim_daily_slot(&channel, today, &key, now)
            .await
            .unwrap()
    );
    store.close().await;
    let daily_submit = format!("daily:submit:{today}");

    let timing = "answer=600000,grace=600000,pause=0";
    let mut bot = site.spawn(1, timing).await;
    let raters: Vec<User> = (0..16).map(student).collect();
    let dailies: Vec<User> = (100..116).map(student).collect();
    let mut rate_buttons = Vec::new();
    for user in &raters {
        rate_buttons.push(to_self_rating(&site.fake, user).await);
    }

    // Self-ratings and daily answers in bursts; the kill lands once 12
    // were acknowledged, usually with others in flight.
    let acknowledged = |sent: &crate::support::fake_discord::Sent, needle: &str| {
        site.fake
            .calls()
            .iter()
            .any(|c| sent.is_answered_by(c) && c.text().contains(needle))
    };
    let result_screen = "Réponse attendue";
    let daily_reply = "Série";
    let mut ratings = Vec::new();
    let mut answers = Vec::new();
    for (burst, (raters, dailies)) in raters.chunks(4).zip(dailies.chunks(4)).enumerate() {
        for (i, (rater, daily)) in raters.iter().zip(dailies).enumerate() {
            let button = &rate_buttons[burst * 4 + i];
            ratings.push((rater, site.fake.click(rater, "fr", button)));
            let sent =
                site.fake
                    .submit_modal(daily, "fr", &daily_submit, &[("answer", "Fidélisation")]);
            answers.push((daily, sent));
        }
        let n_acked = |f: &FakeDiscord| {
            let calls = f.calls();
            ratings
                .iter()
                .map(|(_, s)| s)
                .chain(answers.iter().map(|(_, s)| s))
                .filter(|s| calls.iter().any(|c| s.is_answered_by(c)))
                .count()
        };
        let before = n_acked(&site.fake);
        let n_sent = ratings.len() + answers.len();
        site.fake
            .wait_until("one more answer acknowledged", WAIT, |f| {
                let n = n_acked(f);
                n > before || n == n_sent
            })
            .await;
        if n_acked(&site.fake) >= 12 {
            break;
        }
    }
    bot.start_kill().expect("SIGKILL");
    let status = bot.wait().await.expect("the bot exits");
    assert!(!status.success(), "killed: {status:?}");

    let mut db = site.sqlite().await;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .expect("integrity check");
    assert_eq!(check, "ok");
    let (mut n_rated, mut n_daily) = (0, 0);
    for (user, sent) in &ratings {
        let (answered, corrected, _, _) = stored_answers(&mut db, user).await;
        assert_eq!(answered, 1, "the graded answer, stored once");
        if acknowledged(sent, result_screen) {
            assert_eq!(corrected, 1, "acknowledged self-rating stored once");
            n_rated += 1;
        } else {
            assert!(corrected <= 1);
        }
    }
    for (user, sent) in &answers {
        let (_, _, daily, reviews) = stored_answers(&mut db, user).await;
        assert_eq!(
            daily, reviews,
            "a daily answer is stored with its review, or not at all"
        );
        if acknowledged(sent, daily_reply) {
            assert_eq!(
                (daily, reviews),
                (1, 1),
                "acknowledged daily answer stored once"
            );
            n_daily += 1;
        } else {
            assert!(daily <= 1);
        }
    }
    assert!(
        n_rated > 0 && n_daily > 0,
        "{n_rated} self-ratings, {n_daily} daily answers acknowledged"
    );
    eprintln!(
        "sigkill: {} self-ratings and {} daily answers sent, {n_rated} and {n_daily} acknowledged",
        ratings.len(),
        answers.len()
    );
    db.close().await.expect("close");

    // After the restart everyone presses or answers again (those who got
    // no answer would): each answer is still stored once.
    let mut bot = site.spawn(2, timing).await;
    for (i, user) in raters.iter().enumerate() {
        let reply = site
            .fake
            .reply_to(&site.fake.click(user, "fr", &rate_buttons[i]))
            .await;
        assert!(reply.message().is_some(), "{reply:?}");
    }
    for user in &dailies {
        let reply = site
            .fake
            .reply_to(&site.fake.submit_modal(
                user,
                "fr",
                &daily_submit,
                &[("answer", "Fidélisation")],
            ))
            .await;
        let text = reply.text();
        assert!(
            text.contains(daily_reply) || text.contains("déjà répondu"),
            "{text}"
        );
    }
    let mut db = site.sqlite().await;
    for user in &raters {
        assert_eq!(stored_answers(&mut db, user).await, (1, 1, 0, 0));
    }
    for user in &dailies {
        assert_eq!(stored_answers(&mut db, user).await, (0, 0, 1, 1));
    }
    db.close().await.expect("close");
    bot.start_kill().expect("stop the bot");
    let _ = bot.wait().await;
    assert_some_message_and_none_can_ping(&site.fake.calls());
}

// ------------------------------------------------------------ SIGTERM

fn sigterm(child: &tokio::process::Child) {
    let pid = child.id().expect("running");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

/// SIGTERM during a quiz: exit code 0 within 5 s, the standings posted
/// with a restart notice and no pings, the gateway closed, the quiz closed
/// in the database (so the next start does not close it again).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_quiz_posts_the_standings_and_exits_0() {
    let site = Site::new().await;
    let timing = "answer=600000,grace=600000,pause=0";
    let mut bot = site.spawn(1, timing).await;
    site.start_quiz(2).await;
    let right = site.open_answer();
    let players: Vec<User> = (0..5).map(player).collect();
    let ids: Vec<u64> = players
        .iter()
        .map(|p| site.fake.message(p, right))
        .collect();
    site.fake
        .wait_until("the answers acknowledged", WAIT, |f| {
            let reactions = reactions(&f.calls());
            ids.iter().all(|id| reactions.contains_key(id))
        })
        .await;

    let asked = Instant::now();
    sigterm(&bot);
    let status = tokio::time::timeout(Duration::from_secs(5), bot.wait())
        .await
        .expect("exits within 5 s")
        .expect("exit status");
    let took = asked.elapsed();
    assert_eq!(status.code(), Some(0), "{status:?}");
    eprintln!("sigterm: exited 0 in {took:?}");

    let notice = site.channel_message("rappel redémarre").await;
    let first = players[0].id;
    assert!(
        notice.text().contains(&format!("<@{first}>")),
        "{}",
        notice.text()
    );
    assert_some_message_and_none_can_ping(&site.fake.calls());
    let log = std::fs::read_to_string(site.log(1)).expect("log");
    assert!(log.contains("gateway closed"), "{log}");
    let mut db = site.sqlite().await;
    let quiz = quizzes(&mut db).await;
    assert!(quiz[0].1.is_some(), "the quiz is closed in the database");
    let n_awards: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quiz_awards")
        .fetch_one(&mut db)
        .await
        .expect("awards");
    assert_eq!(n_awards, 5);
    db.close().await.expect("close");

    // The next start has nothing to close.
    let mut bot = site.spawn(2, timing).await;
    let interrupted = messages::quiz_interrupted(Lang::Fr);
    site.fake
        .assert_quiet(
            "the quiz was closed a second time",
            Duration::from_millis(300),
            |f| !f.calls().iter().any(|c| c.text().contains(interrupted)),
        )
        .await;
    sigterm(&bot);
    let status = tokio::time::timeout(Duration::from_secs(5), bot.wait())
        .await
        .expect("exits within 5 s")
        .expect("exit status");
    assert_eq!(status.code(), Some(0));
}

// ------------------------------------------------------------ a busy database

fn review_at(at: i64) -> Review {
    let key = CardKey::new(
        &DeckId::parse("crash").unwrap(),
        &CardId::parse("fidelisation").unwrap(),
        Direction::Forward,
    );
    let reviewed = Scheduler::new(Default::default()).review(None, Rating::Good, at);
    Review {
        key,
        at,
        rating: Rating::Good,
        verdict: Some((Verdict::Correct, 1.0)),
        answer_ms: 2_000,
        origin: Origin::Study,
        state: reviewed.state,
        interval_days: reviewed.interval_days,
    }
}

const NOW: i64 = 1_780_000_000_000;

async fn n_reviews(store: &Store) -> i64 {
    match store {
        Store::Sqlite(pool, _) => sqlx::query_scalar("SELECT COUNT(*) FROM reviews")
            .fetch_one(pool)
            .await
            .unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar("SELECT COUNT(*) FROM reviews")
            .fetch_one(pool)
            .await
            .unwrap(),
    }
}

/// Holds SQLite's write lock from another connection for `hold`; the flag
/// turns true just before the lock is released.
async fn hold_sqlite_write_lock(
    path: &Path,
    hold: Duration,
) -> (tokio::task::JoinHandle<()>, Arc<AtomicBool>) {
    let url = format!("sqlite://{}", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut conn)
        .await
        .unwrap();
    let released = Arc::new(AtomicBool::new(false));
    let flag = released.clone();
    let holder = tokio::spawn(async move {
        tokio::time::sleep(hold).await;
        flag.store(true, Ordering::SeqCst);
        sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
    (holder, released)
}

fn sqlite_file(url: &str) -> PathBuf {
    PathBuf::from(url.strip_prefix("sqlite://").expect("a sqlite url"))
}

/// A write lock held elsewhere for 300 ms: the write waits and succeeds.
#[tokio::test]
async fn a_write_waits_out_a_brief_lock_sqlite() {
    let db = TestDb::sqlite().await;
    let user = db
        .store
        .user("ana", &NewUser::default(), NOW)
        .await
        .unwrap();
    let (holder, released) =
        hold_sqlite_write_lock(&sqlite_file(&db.url), Duration::from_millis(300)).await;
    db.store
        .record_review(&user, &review_at(NOW))
        .await
        .unwrap();
    assert!(
        released.load(Ordering::SeqCst),
        "the write went through only once the lock was released"
    );
    holder.await.unwrap();
    assert_eq!(n_reviews(&db.store).await, 1);
    db.finish().await;
}

/// The same on PostgreSQL: the table locked from another connection.
#[tokio::test]
async fn a_write_waits_out_a_brief_lock_postgres() {
    let db = TestDb::postgres().await;
    let user = db
        .store
        .user("ana", &NewUser::default(), NOW)
        .await
        .unwrap();
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
    sqlx::query("LOCK TABLE reviews IN EXCLUSIVE MODE")
        .execute(&mut conn)
        .await
        .unwrap();
    let released = Arc::new(AtomicBool::new(false));
    let flag = released.clone();
    let holder = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        flag.store(true, Ordering::SeqCst);
        sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
    db.store
        .record_review(&user, &review_at(NOW))
        .await
        .unwrap();
    assert!(
        released.load(Ordering::SeqCst),
        "the write went through only once the lock was released"
    );
    holder.await.unwrap();
    assert_eq!(n_reviews(&db.store).await, 1);
    db.finish().await;
}

/// A lock held longer than SQLite's busy_timeout: only the retries with
/// backoff get the write through.
#[tokio::test]
async fn a_lock_longer_than_busy_timeout_is_retried_through() {
    let db = TestDb::sqlite().await;
    let user = db
        .store
        .user("ana", &NewUser::default(), NOW)
        .await
        .unwrap();
    let hold = rappel::store::retry::SQLITE_BUSY_TIMEOUT + Duration::from_millis(300);
    let (holder, _) = hold_sqlite_write_lock(&sqlite_file(&db.url), hold).await;
    db.store
        .record_review(&user, &review_at(NOW))
        .await
        .unwrap();
    holder.await.unwrap();
    assert_eq!(n_reviews(&db.store).await, 1);
    db.finish().await;
}

/// A lock that never goes away: a clear `Unavailable` error after the
/// retries, a localized "busy" message for the user, nothing written.
#[tokio::test]
async fn a_lock_held_forever_gives_a_clear_error_and_writes_nothing() {
    let db = TestDb::sqlite().await;
    let user = db
        .store
        .user("ana", &NewUser::default(), NOW)
        .await
        .unwrap();
    let (holder, _) = hold_sqlite_write_lock(&sqlite_file(&db.url), Duration::from_secs(8)).await;
    // How long it takes to give up is measured by `cargo bench --bench budgets`.
    let error = db
        .store
        .record_review(&user, &review_at(NOW))
        .await
        .expect_err("the lock is never released in time");
    assert!(error.is_unavailable(), "{error:?}");
    assert!(
        matches!(error, StoreError::Unavailable { attempts: 4, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("busy or unreachable"), "{error}");
    holder.abort();
    let _ = holder.await;
    assert_eq!(n_reviews(&db.store).await, 0, "nothing half-written");
    db.finish().await;
}

// ------------------------------------------------------------ in the quiz

/// `/answer` while the database is locked for good: the quiz writer gives
/// up after its retries and the player is told the database is busy
/// (their answer was not saved), not that it scored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_while_the_database_is_locked_says_busy() {
    let config = BotConfig {
        decks: Decks::Files(vec![("crash.toml", deck())]),
        ..BotConfig::default()
            .quiz_timing(600_000, 600_000, 0)
            .no_daily_loop()
    };
    let test = spawn_bot(config).await;
    start_quiz(&test.fake, 1).await;
    let right = open_answer(&test.fake);
    let (holder, _) =
        hold_sqlite_write_lock(&sqlite_file(&test.database_url()), Duration::from_secs(8)).await;
    let sent = test.fake.slash(
        &player(1),
        "fr",
        "answer",
        json!([{"name": "text", "value": right}]),
    );
    let reply = test.fake.reply_to(&sent).await;
    assert!(
        reply.text().contains(messages::database_busy(Lang::Fr)),
        "{}",
        reply.text()
    );
    holder.abort();
    let _ = holder.await;
    let calls = test.stop().await;
    assert!(
        calls.iter().any(|c| c.message().is_some()),
        "no message was checked"
    );
}

// ------------------------------------------------------------ test timing

#[test]
fn quiz_timing_reads_the_environment_form() {
    let timing = QuizTiming::parse("answer=3000, grace=500,pause=0").expect("valid");
    assert_eq!(timing.answer_ms, Some(3000));
    assert_eq!((timing.grace_ms, timing.pause_ms), (500, 0));
    let only_pause = QuizTiming::parse("pause=10").expect("valid");
    assert_eq!(only_pause.answer_ms, None);
    assert_eq!(only_pause.grace_ms, QuizTiming::default().grace_ms);
    for bad in ["answer", "answer=-1", "speed=3", "answer=fast"] {
        assert_eq!(QuizTiming::parse(bad), None, "{bad}");
    }
    let lookup = |key: &str| match key {
        "DISCORD_TOKEN" => Some("t".to_string()),
        "RAPPEL_QUIZ_TIMING" => Some("grace=oops".to_string()),
        _ => None,
    };
    let error = rappel::discord::Config::from_lookup(lookup).expect_err("bad timing");
    assert!(error.to_string().contains("RAPPEL_QUIZ_TIMING"), "{error}");
}
