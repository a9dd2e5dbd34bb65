//! Load benchmark of a group quiz (not a timed test): 500 simulated players
//! answer through the fake Discord while one question is open, each with a
//! wrong answer then the right one, paced at `QUIZ_LOAD_RATE` answers per
//! second (500 by default; 0 = as fast as possible). Measured: answers
//! handled per second, and the time from the answer's arrival (the fake
//! injecting MESSAGE_CREATE) to the bot's reply request (the reaction PUT
//! reaching the fake), 50th/99th percentile. SQLite store in a temp dir.
//!
//! Run: `cargo bench --bench quiz_load` (env: QUIZ_LOAD_RATE, QUIZ_LOAD_PLAYERS).

#[allow(dead_code)]
#[path = "../tests/support/fake_discord.rs"]
mod fake_discord;
#[allow(dead_code)]
#[path = "../tests/support/fake_permissions.rs"]
mod fake_permissions;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fake_discord::{CHANNEL_ID, FakeDiscord, User};
use rappel::discord::Config;
use rappel::discord::quiz_driver::QuizTiming;
use serde_json::json;

const DECK: &str = r#"
[deck]
id = "charge"
title = "Charge"
language = "fr"

[[cards]]
id = "fidelisation"
question = "Stratégie qui vise à garder ses clients"
answer = "Fidélisation"
kind = "term"
"#;

fn env_number(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let rate = env_number("QUIZ_LOAD_RATE", 500);
    let n_players = env_number("QUIZ_LOAD_PLAYERS", 500);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("decks")).expect("decks dir");
    std::fs::write(dir.path().join("decks/charge.toml"), DECK).expect("deck");
    let fake = FakeDiscord::start().await;
    let db = dir.path().join("rappel.db");
    let mut config = Config::new("fake-token", format!("sqlite://{}", db.display()));
    config.api_base = Some(fake.base_url());
    config.decks_dir = dir.path().join("decks");
    // One question open for the whole run; every right answer scores.
    config.quiz_timing = QuizTiming {
        answer_ms: Some(600_000),
        grace_ms: 600_000,
        pause_ms: 0,
    };
    let bot = rappel::discord::start(config).await.expect("bot starts");
    fake.wait_ready().await;

    let starter = User::student(1_700_000_000_000_000_000, "prof");
    let options = json!([{"name": "start", "options": [
        {"name": "deck", "value": "charge"}, {"name": "questions", "value": 1}
    ]}]);
    fake.slash(&starter, "fr", "quiz", options);
    let path = format!("/channels/{CHANNEL_ID}/messages");
    fake.wait_for_call(
        |c| c.path == path && c.text().contains("Question 1/1"),
        Duration::from_secs(10),
    )
    .await;

    let players: Vec<User> = (0..n_players)
        .map(|i| User::student(1_800_000_000_000_000_000 + i, &format!("joueur{i}")))
        .collect();
    // Each player: a wrong answer, then the right one.
    let answers: Vec<(&User, &str)> = players
        .iter()
        .map(|p| (p, "banane"))
        .chain(players.iter().map(|p| (p, "Fidélisation")))
        .collect();
    // Message id → (injected at, a right answer).
    let mut sent: HashMap<u64, (Instant, bool)> = HashMap::with_capacity(answers.len());
    let period = (rate > 0).then(|| Duration::from_secs_f64(1.0 / rate as f64));
    let start = Instant::now();
    for (i, (player, text)) in answers.iter().enumerate() {
        if let Some(period) = period {
            let due = start + period * i as u32;
            tokio::time::sleep_until(due.into()).await;
        }
        let at = Instant::now();
        let id = fake.message(player, text);
        sent.insert(id, (at, *text != "banane"));
    }
    let injected = start.elapsed();

    // Wait for a reaction on every answer.
    let deadline = Instant::now() + Duration::from_secs(120);
    let latencies = loop {
        let calls = fake.calls();
        let mut latencies = Vec::with_capacity(sent.len());
        let mut last = start;
        for call in &calls {
            if call.method != "PUT" || !call.path.contains("/reactions/") {
                continue;
            }
            let id = call
                .path
                .split('/')
                .nth(4)
                .and_then(|s| s.parse::<u64>().ok());
            if let Some((at, right)) = id.and_then(|id| sent.get(&id)) {
                latencies.push((call.at.duration_since(*at), *right));
                last = last.max(call.at);
            }
        }
        if latencies.len() >= sent.len() || Instant::now() > deadline {
            break (latencies, last.duration_since(start));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let (latencies, span) = latencies;
    let sorted = |keep: &dyn Fn(bool) -> bool| {
        let mut out: Vec<Duration> = latencies
            .iter()
            .filter(|(_, right)| keep(*right))
            .map(|(d, _)| *d)
            .collect();
        out.sort();
        out
    };
    let pct = |sorted: &[Duration], p: f64| {
        sorted
            .get(((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "quiz_load (sqlite): {} players, {} answers injected in {:.2} s (target rate {}/s)",
        n_players,
        sent.len(),
        injected.as_secs_f64(),
        if rate == 0 {
            "max".to_string()
        } else {
            rate.to_string()
        }
    );
    println!(
        "  handled: {} answers in {:.2} s = {:.0} answers/s",
        latencies.len(),
        span.as_secs_f64(),
        latencies.len() as f64 / span.as_secs_f64()
    );
    for (label, keep) in [
        ("all answers", &(|_| true) as &dyn Fn(bool) -> bool),
        ("wrong (review committed first)", &|right| !right),
        ("right (award and review committed first)", &|right| right),
    ] {
        let sorted = sorted(keep);
        println!(
            "  arrival -> reaction PUT, {label}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            pct(&sorted, 0.50),
            pct(&sorted, 0.99),
            pct(&sorted, 1.0)
        );
    }
    if latencies.len() < sent.len() {
        println!(
            "  WARNING: {} answers got no reaction",
            sent.len() - latencies.len()
        );
    }
    bot.stop().await;
}
