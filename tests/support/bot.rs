//! `spawn_bot(config) -> TestBot`: the real bot (`rappel::discord::start`)
//! in-process against a fresh fake Discord, with its own SQLite file and
//! decks folder, and a method for each action a test does. Every wait is
//! on an event of the fake (`FakeDiscord::wait_for`), never a sleep.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use rappel::core::deck::Library;
use rappel::core::schedule::Millis;
use rappel::discord::config::Shards;
use rappel::discord::quiz_driver::QuizTiming;
use rappel::discord::{Bot, Config};
use rappel::store::Store;
use serde_json::{Value, json};

use super::db::sqlite_url_in;
use super::fake_discord::{CHANNEL_ID, Call, FakeDiscord, Sent, User};

/// How long a test waits for the bot's answer to something.
pub const WAIT: Duration = Duration::from_secs(15);

/// The decks the bundled `decks/` folder holds.
pub fn bundled_decks() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("decks")
}

/// The bundled decks, loaded.
pub fn bundled_library() -> Library {
    rappel::deck_files::load_dir(&bundled_decks()).expect("the bundled decks load")
}

/// A REST client pointed at the fake Discord, like the bot's (for the
/// daily poster's step, run by a test as another process would).
pub fn http(fake: &FakeDiscord) -> serenity::Http {
    serenity::HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build()
}

/// Runs the daily poster's step (as another process would) at the first
/// moment a channel set this day has a question due: a day from now, or,
/// when that instant is before the set hour in the server's zone, at that
/// hour. Tests that post "tomorrow's" question then pass at any hour of the
/// day they run.
pub async fn post_next_daily(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    now: Millis,
) -> rappel::discord::daily_loop::Outcome {
    use rappel::discord::daily_loop::try_post_due;
    let first = try_post_due(http, store, library, now + 86_400_000)
        .await
        .expect("the daily step");
    match first.next_due {
        Some(at) if first.posted.is_empty() => try_post_due(http, store, library, at)
            .await
            .expect("the daily step"),
        _ => first,
    }
}

/// Where a test bot's decks come from.
#[derive(Debug, Clone)]
pub enum Decks {
    /// The repository's `decks/`.
    Bundled,
    /// `(file name, TOML)` written to the test's own folder.
    Files(Vec<(&'static str, String)>),
    /// A folder the test made.
    Dir(PathBuf),
}

/// What a test bot runs with; the token, the fake's address and the
/// database (a fresh SQLite file) are the harness's.
#[derive(Debug, Clone)]
pub struct BotConfig {
    pub decks: Decks,
    pub message_content: bool,
    pub quiz_timing: QuizTiming,
    pub daily_loop: bool,
    pub shards: Option<Shards>,
    /// Servers (guild, channel) added to the fake before the bot connects.
    pub guilds: Vec<(u64, u64)>,
}

impl Default for BotConfig {
    /// As `Config::new`: the bundled decks, MESSAGE_CONTENT, the real quiz
    /// timing, the daily loop on, one shard.
    fn default() -> Self {
        Self {
            decks: Decks::Bundled,
            message_content: true,
            quiz_timing: QuizTiming::default(),
            daily_loop: true,
            shards: None,
            guilds: Vec::new(),
        }
    }
}

impl BotConfig {
    /// One deck file `mini.toml` holding `toml`.
    pub fn with_deck(toml: impl Into<String>) -> Self {
        Self {
            decks: Decks::Files(vec![("mini.toml", toml.into())]),
            ..Self::default()
        }
    }

    /// Quiz questions open `answer_ms`, then `grace_ms`, `pause_ms` between.
    pub fn quiz_timing(mut self, answer_ms: Millis, grace_ms: Millis, pause_ms: Millis) -> Self {
        self.quiz_timing = QuizTiming {
            answer_ms: Some(answer_ms),
            grace_ms,
            pause_ms,
        };
        self
    }

    pub fn message_content(mut self, on: bool) -> Self {
        self.message_content = on;
        self
    }

    /// No daily poster: the test drives its step by hand.
    pub fn no_daily_loop(mut self) -> Self {
        self.daily_loop = false;
        self
    }
}

/// A bot connected to a fake Discord, with its own SQLite file.
pub struct TestBot {
    pub fake: FakeDiscord,
    bot: Option<Bot>,
    dir: tempfile::TempDir,
    config: BotConfig,
}

/// Starts a fake Discord and the bot on it; returns once the bot
/// registered its commands.
pub async fn spawn_bot(config: BotConfig) -> TestBot {
    let mut test = prepare_bot(config).await;
    test.boot().await;
    test
}

/// The fake Discord, the decks and the database, without the bot yet:
/// for a test that stores something first (then [`TestBot::boot`]).
pub async fn prepare_bot(config: BotConfig) -> TestBot {
    let dir = tempfile::tempdir().expect("temp dir");
    if let Decks::Files(files) = &config.decks {
        std::fs::create_dir(dir.path().join("decks")).expect("decks dir");
        for (name, toml) in files {
            std::fs::write(dir.path().join("decks").join(name), toml).expect("write a deck");
        }
    }
    let fake = FakeDiscord::start().await;
    for &(guild, channel) in &config.guilds {
        fake.add_guild(guild, channel);
    }
    TestBot {
        fake,
        bot: None,
        dir,
        config,
    }
}

impl TestBot {
    /// The bot's configuration: fake token, the fake's address, the test's
    /// SQLite file and decks.
    pub fn config(&self) -> Config {
        let mut config = Config::new("fake-token-do-not-log", self.database_url());
        config.api_base = Some(self.fake.base_url());
        config.message_content = self.config.message_content;
        config.decks_dir = match &self.config.decks {
            Decks::Bundled => bundled_decks(),
            Decks::Files(_) => self.dir.path().join("decks"),
            Decks::Dir(dir) => dir.clone(),
        };
        config.quiz_timing = self.config.quiz_timing.clone();
        config.daily_loop = self.config.daily_loop;
        config.shards = self.config.shards;
        // Every start registers, so a test knows the bot is set up (the
        // production default, registering only changed commands, has its
        // own test in `discord.rs`).
        config.registration = rappel::discord::config::Registration::Always;
        config
    }

    /// Starts the bot (in-process) and waits until it registered its
    /// commands once more.
    pub async fn boot(&mut self) {
        let n_before = self.fake.registrations();
        let bot = rappel::discord::start(self.config())
            .await
            .expect("bot starts");
        self.bot = Some(bot);
        self.fake.wait_registrations(n_before + 1).await;
    }

    /// Stops the bot and starts a new one on the same database.
    pub async fn restart(&mut self) {
        if let Some(bot) = self.bot.take() {
            bot.stop().await;
        }
        self.boot().await;
    }

    /// The test's own folder (database, decks).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn database_url(&self) -> String {
        sqlite_url_in(self.dir.path())
    }

    /// The bot's database, opened a second time by the test.
    pub async fn store(&self) -> Store {
        Store::connect(&self.database_url())
            .await
            .expect("open the bot's database")
    }

    /// How many rows `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        let Store::Sqlite(pool, _) = self.store().await else {
            unreachable!("the bot's database is SQLite")
        };
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&pool)
            .await
            .expect("count rows")
    }

    /// Runs `/name options` and returns the bot's first answer to it.
    pub async fn slash(&self, user: &User, locale: &str, name: &str, options: Value) -> Call {
        let sent = self.fake.slash(user, locale, name, options);
        self.fake.reply_to(&sent).await
    }

    /// Runs `/name sub options` and returns the bot's first answer to it.
    pub async fn sub(
        &self,
        user: &User,
        locale: &str,
        name: &str,
        sub: &str,
        options: Value,
    ) -> Call {
        let options = json!([{"name": sub, "options": options}]);
        self.slash(user, locale, name, options).await
    }

    /// Presses a button and returns the bot's answer to it.
    pub async fn click(&self, user: &User, locale: &str, custom_id: &str) -> Call {
        let sent = self.fake.click(user, locale, custom_id);
        self.fake.reply_to(&sent).await
    }

    /// Runs `/study` with `options` and returns the bot's reply.
    pub async fn study(&self, user: &User, locale: &str, options: Value) -> Call {
        let sent = self.fake.slash(user, locale, "study", options);
        self.fake.reply_to(&sent).await
    }

    /// Presses "Répondre" on `screen`, types `text` in the modal, returns the
    /// bot's answer to the modal.
    pub async fn answer(&self, user: &User, locale: &str, screen: &Call, text: &str) -> Call {
        let modal = self.click(user, locale, &button(screen, "answer")).await;
        assert_eq!(modal.callback_type(), Some(9), "a modal opens: {modal:?}");
        let submit_id = modal
            .custom_ids()
            .into_iter()
            .find(|id| id.starts_with("study:submit:"))
            .expect("the modal's custom id");
        let input_id = modal
            .custom_ids()
            .into_iter()
            .find(|id| !id.starts_with("study:"))
            .expect("the text input's custom id");
        let sent = self
            .fake
            .submit_modal(user, locale, &submit_id, &[(&input_id, text)]);
        self.fake.reply_to(&sent).await
    }

    /// The bot's message answering `sent` (after a deferral, the follow-up).
    pub async fn answer_to(&self, sent: &Sent) -> Call {
        self.fake
            .wait_for_call(|c| sent.is_answered_by(c) && c.message().is_some(), WAIT)
            .await
    }

    /// Waits for the bot's message in the test channel whose text contains `needle`.
    pub async fn channel_message(&self, needle: &str) -> Call {
        let path = format!("/channels/{CHANNEL_ID}/messages");
        self.fake
            .wait_for_call(
                |c| c.method == "POST" && c.path == path && c.text().contains(needle),
                WAIT,
            )
            .await
    }

    /// `/quiz start` of `n` questions of `deck` as `user` (in French);
    /// returns the post of question 1.
    pub async fn start_quiz(&self, user: &User, deck: &str, n: u32) -> Call {
        let options = json!([{"name": "deck", "value": deck}, {"name": "questions", "value": n}]);
        self.sub(user, "fr", "quiz", "start", options).await;
        self.channel_message(&format!("Question 1/{n}")).await
    }

    /// Posts `text` in the channel as `user` and returns the reaction the
    /// bot put on it.
    pub async fn say(&self, user: &User, text: &str) -> String {
        let id = self.fake.message(user, text);
        self.fake
            .wait_for("a reaction to the message", WAIT, |fake| {
                reactions(&fake.calls()).remove(&id)
            })
            .await
    }

    /// Stops the bot; every message it sent could ping nobody. Returns
    /// every call the fake recorded.
    pub async fn stop(mut self) -> Vec<Call> {
        if let Some(bot) = self.bot.take() {
            bot.stop().await;
        }
        let calls = self.fake.calls();
        assert_no_call_can_ping(&calls);
        calls
    }
}

/// The custom id of the study button `verb` (`answer`, `dontknow`, …) in `call`.
#[track_caller]
pub fn button(call: &Call, verb: &str) -> String {
    let prefix = format!("study:{verb}:");
    call.custom_ids()
        .into_iter()
        .find(|id| id.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {verb} button in {call:?}"))
}

/// Every call that sends content carries allowed mentions that cannot ping.
#[track_caller]
pub fn assert_no_call_can_ping(calls: &[Call]) {
    for call in calls {
        let Some(message) = call.message() else {
            continue;
        };
        let mentions = message.get("allowed_mentions").unwrap_or_else(|| {
            panic!(
                "no allowed_mentions in {} {}: {message}",
                call.method, call.path
            )
        });
        assert_eq!(
            mentions["parse"],
            json!([]),
            "{} {}: {message}",
            call.method,
            call.path
        );
        for key in ["users", "roles"] {
            let list = mentions.get(key).cloned().unwrap_or(json!([]));
            assert_eq!(list, json!([]), "{key} in {} {}", call.method, call.path);
        }
        let replied = mentions
            .get("replied_user")
            .cloned()
            .unwrap_or(json!(false));
        assert_eq!(
            replied,
            json!(false),
            "replied_user in {} {}",
            call.method,
            call.path
        );
    }
}

/// message id → emoji of every reaction the bot put in the test channel.
pub fn reactions(calls: &[Call]) -> HashMap<u64, String> {
    calls.iter().filter_map(reaction).collect()
}

/// The (message id, emoji) of a reaction the bot put in the test channel.
pub fn reaction(call: &Call) -> Option<(u64, String)> {
    if call.method != "PUT" {
        return None;
    }
    let prefix = format!("/channels/{CHANNEL_ID}/messages/");
    let rest = call.path.strip_prefix(&prefix)?;
    let (id, rest) = rest.split_once("/reactions/")?;
    let emoji = rest.strip_suffix("/@me")?;
    Some((id.parse().ok()?, percent_decode(emoji)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}
