//! Load benchmark of a whole day (not a timed test): a 5,000-member server's
//! day squeezed into a few minutes, against the real `rappel` binary (a
//! separate process, so its memory is measured alone) talking to the fake
//! Discord on 127.0.0.1, with a SQLite database in a temp dir.
//!
//! The day, all at once:
//! - `DAY_STUDENTS` members (1,500) each run a `/study` session of up to
//!   `DAY_CARDS` cards (10), answering through the button and the text box
//!   (70 % right), rating definitions, then look at one of `/stats`,
//!   `/decks`, `/leaderboard show` or `/exam show`;
//! - a daily question is posted and `DAY_DAILY` members (2,000) answer it;
//! - `DAY_QUIZZES` group quizzes (6) of 5 questions run one after the other
//!   in the channel, each with `DAY_PLAYERS` players (50) answering within
//!   1.5 s of each question.
//!
//! `DAY_CONCURRENCY` (64) members act at the same time. Reported: what was
//! handled and how fast, the reply time (the fake sending the event → the
//! bot's reply reaching the fake) per kind at p50/p99, the bot's peak memory
//! (VmHWM of its process) and the database size.
//!
//! Run: `cargo bench --bench day_load`.

#[allow(dead_code)]
#[path = "../tests/support/fake_discord.rs"]
mod fake_discord;
#[allow(dead_code)]
#[path = "../tests/support/fake_permissions.rs"]
mod fake_permissions;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_discord::{CHANNEL_ID, Call, FakeDiscord, Sent, User};
use rand::Rng;
use rappel::core::deck::Library;
use rappel::core::review::Direction;
use rappel::core::session;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, broadcast, oneshot};

fn env_number(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// ⏱️, percent-encoded as in a reaction's path: an answer that came
/// after its question closed.
const STOPWATCH: &str = "%E2%8F%B1";

/// Routes the bot's calls to whoever waits for them: interaction replies by
/// token, reactions by message id; channel posts are broadcast.
#[derive(Default)]
struct Hub {
    inner: Mutex<HubInner>,
}

#[derive(Default)]
struct HubInner {
    waiting: HashMap<String, oneshot::Sender<Call>>,
    /// Calls that arrived before anyone waited for them.
    arrived: HashMap<String, Call>,
}

impl Hub {
    fn key(call: &Call) -> Option<String> {
        let parts: Vec<&str> = call.path.split('/').collect();
        if call.path.starts_with("/interactions/") {
            return parts.get(3).map(|t| format!("tok:{t}"));
        }
        if call.path.starts_with("/webhooks/") {
            return parts.get(3).map(|t| format!("tok:{t}"));
        }
        if call.method == "PUT" && call.path.contains("/reactions/") {
            return parts.get(4).map(|m| format!("msg:{m}"));
        }
        None
    }

    fn deliver(&self, call: Call) {
        let Some(key) = Self::key(&call) else { return };
        let mut inner = self.inner.lock().unwrap();
        match inner.waiting.remove(&key) {
            Some(tx) => {
                let _ = tx.send(call);
            }
            None => {
                // Only the first call answering an interaction counts.
                inner.arrived.entry(key).or_insert(call);
            }
        }
    }

    async fn wait(&self, key: String, timeout: Duration) -> Option<Call> {
        let rx = {
            let mut inner = self.inner.lock().unwrap();
            if let Some(call) = inner.arrived.remove(&key) {
                return Some(call);
            }
            let (tx, rx) = oneshot::channel();
            inner.waiting.insert(key, tx);
            rx
        };
        tokio::time::timeout(timeout, rx).await.ok()?.ok()
    }

    async fn reply(&self, sent: &Sent) -> Option<Call> {
        self.wait(format!("tok:{}", sent.token), Duration::from_secs(30))
            .await
    }
}

/// Reply times per kind of request, and what went unanswered.
#[derive(Default)]
struct Record {
    times: Mutex<HashMap<&'static str, Vec<Duration>>>,
    missed: Mutex<HashMap<&'static str, usize>>,
}

impl Record {
    fn note(&self, kind: &'static str, sent_at: Instant, reply: &Option<Call>) {
        match reply {
            Some(call) => self
                .times
                .lock()
                .unwrap()
                .entry(kind)
                .or_default()
                .push(call.at.saturating_duration_since(sent_at)),
            None => *self.missed.lock().unwrap().entry(kind).or_default() += 1,
        }
    }
}

/// What to type for what is shown: every card in both directions.
struct Answers {
    library: Library,
    by_shown: Vec<(String, String)>,
}

impl Answers {
    fn new(library: Library) -> Self {
        let mut by_shown = Vec::new();
        for deck in library.decks() {
            for card in &deck.cards {
                for dir in [Direction::Forward, Direction::Backward] {
                    let p = session::prompt(card, dir);
                    let head: String = p.shown.chars().take(60).collect();
                    by_shown.push((head, p.expected.to_string()));
                }
            }
        }
        Self { library, by_shown }
    }

    /// The expected answer of a readable study custom id
    /// (`study:answer:=:deck:card:f:at`).
    fn for_study_id(&self, id: &str) -> Option<String> {
        let parts: Vec<&str> = id.split(':').collect();
        let deck = self.library.deck(parts.get(3)?)?;
        let card = deck.cards.iter().find(|c| c.id.as_str() == parts[4])?;
        let dir = if parts.get(5)? == &"b" {
            Direction::Backward
        } else {
            Direction::Forward
        };
        Some(session::prompt(card, dir).expected.to_string())
    }

    /// The expected answer of a posted question, found by its text.
    fn for_text(&self, text: &str) -> Option<String> {
        self.by_shown
            .iter()
            .find(|(shown, _)| text.contains(shown.as_str()))
            .map(|(_, expected)| expected.clone())
    }
}

struct Day {
    fake: FakeDiscord,
    hub: Hub,
    record: Record,
    answers: Answers,
    posts: broadcast::Sender<Call>,
}

impl Day {
    async fn interact(&self, kind: &'static str, send: impl FnOnce() -> Sent) -> Option<Call> {
        let at = Instant::now();
        let sent = send();
        let reply = self.hub.reply(&sent).await;
        self.record.note(kind, at, &reply);
        reply
    }

    /// One `/study` session of up to `cards` cards, then one look at a
    /// command.
    async fn study_session(&self, user: User, cards: usize, right_share: f64) {
        let locale = if user.id.is_multiple_of(5) {
            "en-US"
        } else {
            "fr"
        };
        let f = &self.fake;
        let mut screen = self
            .interact("/study (first card)", || {
                f.slash(&user, locale, "study", json!([]))
            })
            .await;
        for _ in 0..cards {
            let Some(current) = &screen else { break };
            let ids = current.custom_ids();
            let Some(answer_id) = ids.iter().find(|id| id.starts_with("study:answer:")) else {
                break;
            };
            let expected = self.answers.for_study_id(answer_id);
            let Some(modal) = self
                .interact("study: open the answer box", || {
                    f.click(&user, locale, answer_id)
                })
                .await
            else {
                break;
            };
            let modal_ids = modal.custom_ids();
            let (Some(submit), Some(input)) = (
                modal_ids.iter().find(|id| id.starts_with("study:submit:")),
                modal_ids.iter().find(|id| !id.starts_with("study:")),
            ) else {
                break;
            };
            let right = rand::rng().random_bool(right_share);
            let text = match (right, expected) {
                (true, Some(expected)) => expected,
                _ => "aucune idée, vraiment".to_string(),
            };
            let graded = self
                .interact("study: graded answer + next card", || {
                    f.submit_modal(&user, locale, submit, &[(input, &text)])
                })
                .await;
            let rate = graded.as_ref().and_then(|g| {
                g.custom_ids()
                    .into_iter()
                    .find(|id| id.starts_with("study:rate:") && id.split(':').nth(7) == Some("4"))
            });
            screen = match rate {
                Some(rate) => {
                    self.interact("study: self-rating + next card", || {
                        f.click(&user, locale, &rate)
                    })
                    .await
                }
                None => graded,
            };
        }
        let (kind, name, options): (&'static str, &str, Value) = match user.id % 4 {
            0 => (
                "/stats show (with chart)",
                "stats",
                json!([{"name": "show", "options": []}]),
            ),
            1 => (
                "/decks list",
                "decks",
                json!([{"name": "list", "options": []}]),
            ),
            2 => (
                "/leaderboard show",
                "leaderboard",
                json!([{"name": "show", "options": []}]),
            ),
            _ => (
                "/exam show",
                "exam",
                json!([{"name": "show", "options": []}]),
            ),
        };
        self.interact(kind, || f.slash(&user, locale, name, options))
            .await;
    }

    /// Answers the daily question posted in `post` as `user`.
    async fn answer_daily(&self, user: User, post: &Call, right_share: f64) {
        let f = &self.fake;
        let ids = post.custom_ids();
        let Some(answer_id) = ids.iter().find(|id| id.starts_with("daily:answer:")) else {
            return;
        };
        let Some(modal) = self
            .interact("daily: open the answer box", || {
                f.click(&user, "fr", answer_id)
            })
            .await
        else {
            return;
        };
        let modal_ids = modal.custom_ids();
        let (Some(submit), Some(input)) = (
            modal_ids.iter().find(|id| id.starts_with("daily:submit:")),
            modal_ids.iter().find(|id| !id.starts_with("daily:")),
        ) else {
            return;
        };
        let expected = self.answers.for_text(&post.text());
        let text = match (rand::rng().random_bool(right_share), expected) {
            (true, Some(expected)) => expected,
            _ => "je crois que c'est la segmentation".to_string(),
        };
        self.interact("daily: graded answer", || {
            f.submit_modal(&user, "fr", submit, &[(input, &text)])
        })
        .await;
    }
}

fn member(i: usize) -> User {
    User::student(1_800_000_000_000_000_000 + i as u64, &format!("membre{i}"))
}

fn admin() -> User {
    let mut user = User::student(1_700_000_000_000_000_000, "prof");
    // Administrator, so Manage Server too.
    user.permissions = ((1u64 << 3) | (1 << 5) | (1 << 10) | (1 << 11) | (1 << 31)).to_string();
    user
}

/// The bot's resident memory now and at its peak, in kB (Linux `/proc`).
fn memory_kb(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse::<u64>()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Which phase of the day a kind of request belongs to.
fn phase_of(kind: &str) -> &'static str {
    if kind.starts_with("daily") || kind.starts_with("/daily") {
        "daily"
    } else if kind.starts_with("quiz") || kind.starts_with("/quiz") {
        "quiz"
    } else {
        "study"
    }
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1))
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let students = env_number("DAY_STUDENTS", 1500);
    let cards = env_number("DAY_CARDS", 10);
    let daily = env_number("DAY_DAILY", 2000);
    let quizzes = env_number("DAY_QUIZZES", 6);
    let players = env_number("DAY_PLAYERS", 50);
    let concurrency = env_number("DAY_CONCURRENCY", 64);

    let decks = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("decks");
    let library = rappel::deck_files::load_dir(&decks).expect("the bundled decks load");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("rappel.db");
    let fake = FakeDiscord::start().await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .arg("bot")
        .env("DISCORD_TOKEN", "fake-token")
        .env("DISCORD_API_BASE", fake.base_url())
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("RAPPEL_DECKS", &decks)
        .env("RUST_LOG", "error")
        .kill_on_drop(true)
        .spawn()
        .expect("start the rappel binary");
    let pid = child.id().expect("the bot's pid");
    fake.wait_ready().await;

    let (posts, _) = broadcast::channel(1024);
    let day = Arc::new(Day {
        fake,
        hub: Hub::default(),
        record: Record::default(),
        answers: Answers::new(library.clone()),
        posts,
    });

    // The collector: routes every new call, and samples the bot's memory.
    let collector = {
        let day = day.clone();
        tokio::spawn(async move {
            let mut seen = 0;
            let mut peak_rss = 0;
            let channel_posts = format!("/channels/{CHANNEL_ID}/messages");
            let mut last_sample = Instant::now();
            loop {
                let calls = day.fake.calls_since(seen);
                seen += calls.len();
                for call in calls {
                    if call.method == "POST" && call.path == channel_posts {
                        let _ = day.posts.send(call.clone());
                    }
                    day.hub.deliver(call);
                }
                if last_sample.elapsed() > Duration::from_millis(100) {
                    if let Some((rss, _)) = memory_kb(pid) {
                        peak_rss = peak_rss.max(rss);
                    }
                    last_sample = Instant::now();
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
                if Arc::strong_count(&day) == 1 {
                    return (peak_rss, seen);
                }
            }
        })
    };

    let start = Instant::now();
    let (rss_start, _) = memory_kb(pid).unwrap_or_default();

    // The daily question: due now, in UTC.
    let now = chrono::Utc::now();
    let time = now.format("%H:%M").to_string();
    let mut daily_posts = day.posts.subscribe();
    day.interact("/daily set (admin)", || {
        day.fake.slash(
            &admin(),
            "fr",
            "daily",
            json!([{"name": "set", "options": [
                {"name": "time", "value": time}, {"name": "timezone", "value": "UTC"}
            ]}]),
        )
    })
    .await;

    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();

    // Study sessions.
    {
        let (day, gate) = (day.clone(), gate.clone());
        tasks.spawn(async move {
            let mut sessions = tokio::task::JoinSet::new();
            for i in 0..students {
                let (day, gate) = (day.clone(), gate.clone());
                sessions.spawn(async move {
                    let _permit = gate.acquire().await.expect("gate");
                    day.study_session(member(i), cards, 0.7).await;
                });
            }
            while let Some(result) = sessions.join_next().await {
                result.expect("a simulated student panicked");
            }
            ("study", start.elapsed())
        });
    }

    // The daily: wait for the post (the poster wakes at least once a
    // minute), then members answer it.
    {
        let (day, gate) = (day.clone(), gate.clone());
        tasks.spawn(async move {
            let deadline = Instant::now() + Duration::from_secs(90);
            let post = loop {
                let left = deadline.saturating_duration_since(Instant::now());
                match tokio::time::timeout(left, daily_posts.recv()).await {
                    Ok(Ok(call))
                        if call
                            .custom_ids()
                            .iter()
                            .any(|id| id.starts_with("daily:answer:")) =>
                    {
                        break Some(call);
                    }
                    Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
                    _ => break None,
                }
            };
            let Some(post) = post else {
                eprintln!("no daily question was posted within 90 s");
                return ("daily", start.elapsed());
            };
            println!(
                "  (the daily question was posted {:.1} s into the run)",
                start.elapsed().as_secs_f64()
            );
            let post = Arc::new(post);
            let mut answers = tokio::task::JoinSet::new();
            for i in 0..daily {
                let (day, gate, post) = (day.clone(), gate.clone(), post.clone());
                answers.spawn(async move {
                    let _permit = gate.acquire().await.expect("gate");
                    // Members 3,000 and up answer the daily; 0.. study.
                    day.answer_daily(member(3000 + i), &post, 0.6).await;
                });
            }
            while answers.join_next().await.is_some() {}
            ("daily", start.elapsed())
        });
    }

    // The quizzes, one after the other in the channel.
    {
        let day = day.clone();
        let deck_ids: Vec<String> = library.decks().iter().map(|d| d.id.to_string()).collect();
        tasks.spawn(async move {
            let mut posts = day.posts.subscribe();
            let starter = admin();
            let mut n_started = 0;
            let mut attempt = 0;
            while n_started < quizzes && attempt < quizzes * 40 {
                let deck = &deck_ids[attempt % deck_ids.len()];
                attempt += 1;
                let reply = day
                    .interact("/quiz start (or refused: one runs)", || {
                        day.fake.slash(
                            &starter,
                            "fr",
                            "quiz",
                            json!([{"name": "start", "options": [
                                {"name": "deck", "value": deck}, {"name": "questions", "value": 5},
                                {"name": "seconds", "value": 5}, {"name": "mode", "value": "term"}
                            ]}]),
                        )
                    })
                    .await;
                let refused = reply
                    .as_ref()
                    .and_then(|r| r.message())
                    .and_then(|m| m.get("flags"))
                    .and_then(Value::as_u64)
                    .is_some_and(|flags| flags & 64 != 0);
                if reply.is_none() || refused {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
                n_started += 1;
                let mut asked = 0;
                while asked < 5 {
                    let post =
                        match tokio::time::timeout(Duration::from_secs(30), posts.recv()).await {
                            Ok(Ok(post)) => post,
                            Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
                            _ => break,
                        };
                    let text = post.text();
                    if !text.contains("Question ") {
                        continue;
                    }
                    asked += 1;
                    let expected = day.answers.for_text(&text);
                    let mut answers = tokio::task::JoinSet::new();
                    for p in 0..players {
                        let day = day.clone();
                        let expected = expected.clone();
                        answers.spawn(async move {
                            let delay = rand::rng().random_range(0..1500);
                            tokio::time::sleep(Duration::from_millis(delay)).await;
                            let text = match (rand::rng().random_bool(0.5), expected) {
                                (true, Some(e)) => e,
                                _ => "la fidélisation ?".to_string(),
                            };
                            let user = member(2000 + (n_started * players + p) % 1000);
                            let at = Instant::now();
                            let id = day.fake.message(&user, &text);
                            let reaction = day
                                .hub
                                .wait(format!("msg:{id}"), Duration::from_secs(10))
                                .await;
                            (at, reaction)
                        });
                    }
                    let mut sent = Vec::with_capacity(players);
                    while let Some(answer) = answers.join_next().await {
                        sent.push(answer.expect("an answer task"));
                    }
                    // The close the bot announced: its post of the
                    // question's answer (« Réponse : … »), when it reached
                    // the fake.
                    let close = loop {
                        match tokio::time::timeout(Duration::from_secs(30), posts.recv()).await {
                            Ok(Ok(post)) if post.text().contains("Réponse : ") => {
                                break Some(post.at);
                            }
                            Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
                            _ => break None,
                        }
                    };
                    for (at, reaction) in sent {
                        let before_close = close.is_none_or(|close| at < close);
                        let late = reaction
                            .as_ref()
                            .is_some_and(|r| r.path.contains(STOPWATCH));
                        let kind = match (&reaction, before_close, late) {
                            (None, _, _) => "quiz: answer DROPPED (no reaction)",
                            (Some(_), true, false) => "quiz: answer → reaction",
                            (Some(_), false, true) => "quiz: after the close → ⏱️",
                            // Sent before the close was announced but
                            // reached the bot after it closed.
                            (Some(_), true, true) => "quiz: in flight at the close → ⏱️",
                            (Some(_), false, false) => "quiz: after the close → verdict (!)",
                        };
                        day.record.note(kind, at, &reaction);
                    }
                }
            }
            ("quiz", start.elapsed())
        });
    }

    let mut phases = Vec::new();
    while let Some(result) = tasks.join_next().await {
        phases.push(result.expect("a simulated member panicked"));
    }
    let wall = start.elapsed();
    let (rss_end, hwm) = memory_kb(pid).unwrap_or_default();
    let db_bytes = file_size(&db) + file_size(&dir.path().join("rappel.db-wal"));
    let record = std::mem::take(&mut *day.record.times.lock().unwrap());
    let missed = std::mem::take(&mut *day.record.missed.lock().unwrap());
    drop(day);
    let (peak_sampled, n_calls) = collector.await.expect("collector");
    let _ = child.start_kill();

    let handled: usize = record.values().map(Vec::len).sum();
    println!(
        "day_load (sqlite, real binary): {students} study sessions of up to {cards} cards, \
         {daily} daily answers, {quizzes} quizzes x {players} players, {concurrency} members at once"
    );
    println!(
        "  handled: {handled} requests in {:.1} s = {:.0} requests/s ({n_calls} REST calls from the bot)",
        wall.as_secs_f64(),
        handled as f64 / wall.as_secs_f64()
    );
    // Each phase ran alongside the others; its rate is over its own span.
    phases.sort_by_key(|p| p.1);
    for (phase, done) in &phases {
        let n: usize = record
            .iter()
            .filter(|(kind, _)| phase_of(kind) == *phase)
            .map(|(_, t)| t.len())
            .sum();
        println!(
            "  {phase:<6} phase: {n} requests, done {:.1} s into the run = {:.0} requests/s",
            done.as_secs_f64(),
            n as f64 / done.as_secs_f64()
        );
    }
    let mut kinds: Vec<_> = record.into_iter().collect();
    kinds.sort_by(|a, b| a.0.cmp(b.0));
    for (kind, mut times) in kinds {
        times.sort();
        println!(
            "  {kind:<34} n={:>6}  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            times.len(),
            pct(&times, 0.5),
            pct(&times, 0.99),
            times.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
        );
    }
    for (kind, n) in &missed {
        if kind.contains("DROPPED") {
            println!("  {kind}: {n} (target: none)");
        } else {
            println!("  UNANSWERED {kind}: {n}");
        }
    }
    if !missed.keys().any(|kind| kind.contains("DROPPED")) {
        println!("  quiz answers dropped (no reaction at all): 0 (target: none)");
    }
    println!(
        "  bot memory: {:.1} MB at start, peak {:.1} MB (VmHWM; sampled peak {:.1} MB), {:.1} MB at the end",
        rss_start as f64 / 1024.0,
        hwm as f64 / 1024.0,
        peak_sampled as f64 / 1024.0,
        rss_end as f64 / 1024.0
    );
    println!(
        "  database: {:.1} MB (SQLite file + WAL)",
        db_bytes as f64 / 1_048_576.0
    );
}
