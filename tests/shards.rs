//! Sharding and reconnects: `--shards FIRST-LAST --total-shards N` (the
//! range end is inclusive), two real bot processes sharing one PostgreSQL
//! database and one fake Discord (exactly-once daily posts, each process
//! answering only its own shards' servers, DMs on shard 0), and a gateway
//! that drops its socket (RESUME replays what was missed) or invalidates
//! the session (a new IDENTIFY): no duplicated question or daily post.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use rappel::core::daily::PostTime;
use rappel::core::deck::DeckId;
use rappel::discord::config::Shards;
use rappel::discord::{ConfigError, now_ms};
use rappel::store::DailyChannel;
use serde_json::{Value, json};

use crate::support::bot::{BotConfig, TestBot, bundled_decks, prepare_bot, spawn_bot};
use crate::support::db::TestDb;
use crate::support::fake_discord::{CHANNEL_ID, Call, FakeDiscord, GUILD_ID, Sent, shard_of};
use crate::support::{alice, mini_deck_all};

const WAIT: Duration = Duration::from_secs(15);

/// A server whose events go to `shard` out of `total`.
fn guild_on_shard(shard: u64, total: u64) -> u64 {
    let base = 1_210_000_000_000_000_000;
    base + (((shard + total - shard_of(base, total)) % total) << 22)
}

fn channel_of_shard(shard: u64) -> u64 {
    1_310_000_000_000_000_000 + shard
}

/// A daily question at midnight UTC: due as soon as a poster looks.
fn daily_due_now(guild: u64, channel: u64, deck: &str) -> DailyChannel {
    DailyChannel {
        channel_id: channel.to_string(),
        guild_id: guild.to_string(),
        time: PostTime::parse("00:00").unwrap(),
        time_zone: Tz::UTC,
        deck: Some(DeckId::parse(deck).unwrap()),
    }
}

/// The daily posts in `channel` (their answer button is `daily:answer:…`).
fn daily_posts(calls: &[Call], channel: u64) -> Vec<Call> {
    let path = format!("/channels/{channel}/messages");
    calls
        .iter()
        .filter(|c| c.method == "POST" && c.path == path)
        .filter(|c| {
            c.custom_ids()
                .iter()
                .any(|id| id.starts_with("daily:answer:"))
        })
        .cloned()
        .collect()
}

/// The calls answering `sent` (callback, follow-ups, edits).
fn answers(fake: &FakeDiscord, sent: &Sent) -> Vec<Call> {
    fake.calls()
        .into_iter()
        .filter(|c| sent.is_answered_by(c))
        .collect()
}

fn shards_of(identifies: &[Value]) -> Vec<Value> {
    identifies.iter().map(|d| d["shard"].clone()).collect()
}

// ------------------------------------------------------------ the settings

/// What `recover` uses to leave other processes' quizzes alone.
#[test]
fn a_process_holds_exactly_the_servers_of_its_shards_and_dms_with_shard_0() {
    let low = Shards::parse(Some("0-3"), Some("8")).unwrap().unwrap();
    let high = Shards::parse(Some("4-7"), Some("8")).unwrap().unwrap();
    for shard in 0..8 {
        let guild = Some(guild_on_shard(shard, 8));
        assert_eq!(low.holds(guild), shard <= 3, "shard {shard}");
        assert_eq!(high.holds(guild), shard >= 4, "shard {shard}");
    }
    assert!(low.holds(None), "direct messages go to shard 0");
    assert!(!high.holds(None));
}

#[test]
fn shard_ranges_are_inclusive_and_checked() {
    let parse = |range: Option<&str>, total: Option<&str>| Shards::parse(range, total);
    let s = parse(Some("0-3"), Some("8")).unwrap().unwrap();
    assert_eq!((s.first(), s.last(), s.total()), (0, 3, 8));
    let s = parse(Some(" 5 "), Some("8")).unwrap().unwrap();
    assert_eq!((s.first(), s.last(), s.total()), (5, 5, 8));
    let s = parse(None, Some("4")).unwrap().unwrap();
    assert_eq!((s.first(), s.last(), s.total()), (0, 3, 4));
    assert_eq!(parse(None, None).unwrap(), None);

    let error = |range, total| match parse(range, total) {
        Err(ConfigError::BadShards(text)) => text,
        other => panic!("{range:?} of {total:?} should be refused: {other:?}"),
    };
    assert!(error(Some("4-2"), Some("8")).contains("reversed"));
    assert!(error(Some("4-8"), Some("8")).contains("numbered 0 to 7"));
    assert!(error(Some("0-3"), None).contains("needs --total-shards"));
    assert!(error(Some("0-3"), Some("0")).contains("at least 1"));
    assert!(error(Some("zéro-3"), Some("8")).contains("FIRST-LAST"));
    assert!(error(Some("-1-3"), Some("8")).contains("FIRST-LAST"));
}

#[test]
fn real_binary_refuses_a_range_outside_the_total_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(["bot", "--shards", "4-8", "--total-shards", "8"])
        .current_dir(dir.path())
        .env("DISCORD_TOKEN", "unused-token")
        .env_remove("RAPPEL_SHARDS")
        .env_remove("RAPPEL_TOTAL_SHARDS")
        .output()
        .expect("run rappel bot");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("does not fit in --total-shards 8"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// -------------------------------------------------------- one process, 0-3

#[tokio::test]
async fn shards_0_to_3_of_8_identify_exactly_those_four_shards() {
    let total = 8;
    let test = spawn_bot(BotConfig {
        shards: Shards::parse(Some("0-3"), Some("8")).unwrap(),
        guilds: (0..total)
            .map(|shard| (guild_on_shard(shard, total), channel_of_shard(shard)))
            .collect(),
        ..BotConfig::default().no_daily_loop()
    })
    .await;
    let fake = &test.fake;

    // serenity waits 5 s between two IDENTIFYs: 4 shards take 15 s.
    fake.wait_until("four identifies", Duration::from_secs(40), |f| {
        f.identifies().len() >= 4
    })
    .await;
    // A fifth shard (an exclusive end read as inclusive) would come 5 s later.
    fake.assert_quiet(
        "a fifth shard identified",
        Duration::from_millis(5_600),
        |f| f.identifies().len() == 4,
    )
    .await;
    assert_eq!(
        shards_of(&fake.identifies()),
        vec![json!([0, 8]), json!([1, 8]), json!([2, 8]), json!([3, 8])]
    );

    // A server on shard 2 is answered; a DM (shard 0) too.
    fake.wait_ready().await;
    let sent = fake.slash_in(
        (guild_on_shard(2, total), channel_of_shard(2)),
        &alice(),
        "fr",
        "decks",
        json!([{"name": "list", "options": []}]),
    );
    let reply = fake.reply_to(&sent).await;
    assert!(reply.text().contains("Paquets"), "{}", reply.text());
    let dm = fake.slash_dm(
        &alice(),
        "fr",
        "decks",
        json!([{"name": "list", "options": []}]),
    );
    let reply = fake.reply_to(&dm).await;
    assert!(reply.text().contains("Paquets"), "{}", reply.text());
    // Nobody holds shards 4-7 in this test.
    assert_eq!(fake.token_of_shard(Some(guild_on_shard(5, total))), None);
    test.stop().await;
}

// ------------------------------------------------- two processes, one PG

/// A `rappel bot` process running `shards` of 8 with its own token.
struct Process {
    child: tokio::process::Child,
    log: PathBuf,
}

impl Process {
    fn spawn(fake: &FakeDiscord, dir: &Path, token: &str, shards: &str, database: &str) -> Self {
        let log = dir.join(format!("{token}.log"));
        let file = std::fs::File::create(&log).expect("log file");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
            .args(["bot", "--shards", shards, "--total-shards", "8"])
            .current_dir(dir)
            .env("DISCORD_TOKEN", token)
            .env("DISCORD_API_BASE", fake.base_url())
            .env("DATABASE_URL", database)
            .env("RAPPEL_DECKS", bundled_decks())
            .env("RAPPEL_MESSAGE_CONTENT", "off")
            .env_remove("RAPPEL_SHARDS")
            .env_remove("RAPPEL_TOTAL_SHARDS")
            .env("RUST_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(file)
            .kill_on_drop(true)
            .spawn()
            .expect("spawn rappel bot");
        Self { child, log }
    }

    async fn stop(mut self) -> String {
        self.child.kill().await.expect("stop the bot");
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

#[tokio::test]
async fn two_processes_share_the_shards_and_post_each_daily_once() {
    let db = TestDb::postgres().await;
    let fake = FakeDiscord::start().await;
    let total = 8;
    let places: Vec<(u64, u64)> = (0..total)
        .map(|shard| (guild_on_shard(shard, total), channel_of_shard(shard)))
        .collect();
    for &(guild, channel) in &places {
        fake.add_guild(guild, channel);
        db.store
            .set_daily(&daily_due_now(guild, channel, "crm-etapes"), now_ms())
            .await
            .expect("set a daily question");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let a = Process::spawn(&fake, dir.path(), "token-a", "0-3", &db.url);
    let b = Process::spawn(&fake, dir.path(), "token-b", "4-7", &db.url);

    // Both run their daily loop at start, racing for the same 8 slots.
    fake.wait_until("eight identifies", Duration::from_secs(45), |f| {
        f.identifies().len() >= 8
    })
    .await;
    fake.wait_until("a daily post in each channel", WAIT, |f| {
        let calls = f.calls();
        places
            .iter()
            .all(|&(_, c)| !daily_posts(&calls, c).is_empty())
    })
    .await;
    fake.assert_quiet("a second daily post", Duration::from_secs(1), |f| {
        let calls = f.calls();
        places
            .iter()
            .all(|&(_, c)| daily_posts(&calls, c).len() <= 1)
    })
    .await;
    let calls = fake.calls();
    for &(_, channel) in &places {
        assert_eq!(daily_posts(&calls, channel).len(), 1, "channel {channel}");
    }

    // Each process identified exactly its own range.
    let identified = |token: &str| {
        let of_token: Vec<Value> = fake
            .identifies()
            .into_iter()
            // serenity sends `Bot <token>`.
            .filter(|d| d["token"].as_str().is_some_and(|t| t.ends_with(token)))
            .collect();
        let mut shards = shards_of(&of_token);
        shards.sort_by_key(|s| s[0].as_u64());
        shards
    };
    let range = |r: std::ops::Range<u64>| r.map(|s| json!([s, 8])).collect::<Vec<_>>();
    assert_eq!(identified("token-a"), range(0..4));
    assert_eq!(identified("token-b"), range(4..8));

    // A command is answered once, by the process holding its server's shard.
    for (shard, &place) in places.iter().enumerate() {
        let sent = fake.slash_in(
            place,
            &alice(),
            "fr",
            "decks",
            json!([{"name": "list", "options": []}]),
        );
        let reply = fake.reply_to(&sent).await;
        assert!(reply.text().contains("Paquets"), "{}", reply.text());
        let expected = if shard < 4 { "token-a" } else { "token-b" };
        assert_eq!(reply.token.as_deref(), Some(expected), "shard {shard}");
    }
    // Direct messages go to shard 0: process A.
    let dm = fake.slash_dm(
        &alice(),
        "fr",
        "decks",
        json!([{"name": "list", "options": []}]),
    );
    assert_eq!(fake.reply_to(&dm).await.token.as_deref(), Some("token-a"));
    fake.assert_quiet(
        "a second answer to the DM",
        Duration::from_millis(500),
        |f| answers(f, &dm).len() <= 1,
    )
    .await;
    assert_eq!(answers(&fake, &dm).len(), 1, "one answer to the DM");

    let (log_a, log_b) = (a.stop().await, b.stop().await);
    for log in [&log_a, &log_b] {
        assert!(!log.contains("panicked"), "{log}");
        assert!(!log.contains("token-a") && !log.contains("token-b"));
    }
    // Still one post per channel after both stopped.
    let calls = fake.calls();
    for &(_, channel) in &places {
        assert_eq!(daily_posts(&calls, channel).len(), 1, "channel {channel}");
    }
    db.finish().await;
}

// ------------------------------------------------------------- reconnects

/// (question shown, right answer) of each card.
const CARDS: [(&str, &str); 3] = [
    ("Stratégie qui vise à garder ses clients", "Fidélisation"),
    ("Personne qui pourrait devenir cliente", "Prospect"),
    ("Client qui recommande activement la marque", "Ambassadeur"),
];

/// One bot (one shard) with the mini deck, a daily question due now and
/// short quiz timings.
async fn reconnecting() -> TestBot {
    let config = BotConfig::with_deck(mini_deck_all()).quiz_timing(4_000, 500, 50);
    let mut test = prepare_bot(config).await;
    let store = test.store().await;
    store
        .set_daily(&daily_due_now(GUILD_ID, CHANNEL_ID, "mini"), now_ms())
        .await
        .expect("set the daily question");
    store.close().await;
    test.boot().await;
    test
}

impl TestBot {
    /// After the quiz: each question and the daily question were posted
    /// exactly once, and the bot still answers a command.
    async fn assert_no_duplicate_and_still_answering(&self) {
        self.channel_message("Fin du quiz : le podium").await;
        let posts_in = |calls: &[Call], needle: &str| {
            calls
                .iter()
                .filter(|c| c.method == "POST" && c.text().contains(needle))
                .count()
        };
        self.fake
            .assert_quiet("a post came twice", Duration::from_millis(300), |f| {
                let calls = f.calls();
                posts_in(&calls, "Fin du quiz : le podium") <= 1
                    && daily_posts(&calls, CHANNEL_ID).len() <= 1
                    && (1..=3).all(|n| posts_in(&calls, &format!("Question {n}/3 — Mini CRM")) <= 1)
            })
            .await;
        let calls = self.fake.calls();
        let posts = |needle: &str| posts_in(&calls, needle);
        for n in 1..=3 {
            assert_eq!(
                posts(&format!("Question {n}/3 — Mini CRM")),
                1,
                "question {n}"
            );
        }
        assert_eq!(posts("Fin du quiz : le podium"), 1);
        assert_eq!(daily_posts(&calls, CHANNEL_ID).len(), 1, "one daily post");
        let sent = self.fake.slash(
            &alice(),
            "fr",
            "decks",
            json!([{"name": "list", "options": []}]),
        );
        let reply = self.fake.reply_to(&sent).await;
        assert!(reply.text().contains("Mini CRM"), "{}", reply.text());
        self.fake
            .assert_quiet("a second answer", Duration::from_millis(300), |f| {
                answers(f, &sent).len() <= 1
            })
            .await;
        assert_eq!(answers(&self.fake, &sent).len(), 1, "one answer");
    }
}

fn right_answer(question: &Call) -> &'static str {
    let text = question.text();
    CARDS
        .into_iter()
        .find(|(shown, _)| text.contains(shown))
        .map(|(_, answer)| answer)
        .unwrap_or_else(|| panic!("unknown question: {text}"))
}

fn reactions_on(calls: &[Call], message: u64) -> usize {
    let prefix = format!("/channels/{CHANNEL_ID}/messages/{message}/reactions/");
    calls
        .iter()
        .filter(|c| c.method == "PUT" && c.path.starts_with(&prefix))
        .count()
}

#[tokio::test]
async fn a_dropped_socket_resumes_and_replays_without_duplicates() {
    let test = reconnecting().await;
    let fake = &test.fake;
    fake.wait_until("the daily post", WAIT, |f| {
        !daily_posts(&f.calls(), CHANNEL_ID).is_empty()
    })
    .await;
    let question = test.start_quiz(&alice(), "mini", 3).await;

    fake.drop_gateway();
    // Sent while the socket is down: the RESUME must replay it, once.
    let answer = fake.message(&alice(), right_answer(&question));
    fake.wait_until("the resumed connection", WAIT, |f| {
        !f.connected_shards().is_empty()
    })
    .await;
    fake.wait_until("a reaction to the answer", WAIT, |f| {
        reactions_on(&f.calls(), answer) > 0
    })
    .await;
    assert_eq!(fake.identifies().len(), 1, "resumed, not identified again");
    let resumes = fake.resumes();
    assert_eq!(resumes.len(), 1);
    assert!(resumes[0]["seq"].as_u64() > Some(0), "{resumes:?}");

    test.assert_no_duplicate_and_still_answering().await;
    assert_eq!(reactions_on(&fake.calls(), answer), 1, "one reaction");
    test.stop().await;
}

#[tokio::test]
async fn an_invalidated_session_identifies_again_without_duplicates() {
    let test = reconnecting().await;
    let fake = &test.fake;
    fake.wait_until("the daily post", WAIT, |f| {
        !daily_posts(&f.calls(), CHANNEL_ID).is_empty()
    })
    .await;
    test.start_quiz(&alice(), "mini", 3).await;

    fake.invalidate_sessions();
    // serenity restarts the shard (after its 5 s IDENTIFY spacing).
    fake.wait_until("a second identify", WAIT, |f| f.identifies().len() == 2)
        .await;
    fake.wait_until("the new connection", WAIT, |f| {
        !f.connected_shards().is_empty()
    })
    .await;

    test.assert_no_duplicate_and_still_answering().await;
    assert_eq!(fake.identifies().len(), 2);
    test.stop().await;
}

#[tokio::test]
async fn a_refused_resume_identifies_again_without_duplicates() {
    let test = reconnecting().await;
    let fake = &test.fake;
    fake.wait_until("the daily post", WAIT, |f| {
        !daily_posts(&f.calls(), CHANNEL_ID).is_empty()
    })
    .await;
    test.start_quiz(&alice(), "mini", 3).await;

    // The session ended while the socket was down: the RESUME is refused.
    fake.expire_sessions();
    fake.drop_gateway();
    fake.wait_until("a second identify", WAIT, |f| f.identifies().len() == 2)
        .await;
    assert_eq!(fake.resumes().len(), 1, "it tried to resume first");
    fake.wait_until("the new connection", WAIT, |f| {
        !f.connected_shards().is_empty()
    })
    .await;

    test.assert_no_duplicate_and_still_answering().await;
    assert_eq!(fake.identifies().len(), 2);
    test.stop().await;
}
