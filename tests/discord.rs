//! End-to-end tests of the Discord bot: the real bot code (`rappel::discord`)
//! runs in-process against the fake Discord of `tests/support`, and the tests
//! read what it sent through the fake's recorded REST calls.

use std::path::PathBuf;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use rappel::discord::{Bot, Config};
use serde_json::{Value, json};

use crate::support::fake_discord::{self, Call, FakeDiscord, User};

/// A bot connected to a fake Discord, with its own SQLite file.
struct TestBot {
    fake: FakeDiscord,
    bot: Option<Bot>,
    dir: tempfile::TempDir,
    message_content: bool,
}

fn decks_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("decks")
}

impl TestBot {
    async fn start() -> Self {
        Self::start_with(true).await
    }

    async fn start_with(message_content: bool) -> Self {
        let fake = FakeDiscord::start().await;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut test = Self {
            fake,
            bot: None,
            dir,
            message_content,
        };
        test.boot().await;
        test
    }

    fn config(&self) -> Config {
        let db = self.dir.path().join("rappel.db");
        let mut config = Config::new(
            "fake-token-do-not-log",
            format!("sqlite://{}", db.display()),
        );
        config.api_base = Some(self.fake.base_url());
        config.message_content = self.message_content;
        config.decks_dir = decks_dir();
        config
    }

    /// Starts a bot process (in-process) and waits until it registered its commands.
    async fn boot(&mut self) {
        let n_before = self.registrations();
        let bot = rappel::discord::start(self.config())
            .await
            .expect("bot starts");
        self.bot = Some(bot);
        self.fake.wait_registrations(n_before + 1).await;
    }

    fn registrations(&self) -> usize {
        self.fake
            .calls()
            .iter()
            .filter(|c| c.method == "PUT" && c.path.ends_with("/commands"))
            .count()
    }

    /// Stops the bot and starts a new one on the same database.
    async fn restart(&mut self) {
        if let Some(bot) = self.bot.take() {
            bot.stop().await;
        }
        self.boot().await;
    }

    async fn stop(mut self) -> FakeDiscord {
        if let Some(bot) = self.bot.take() {
            bot.stop().await;
        }
        assert_no_call_can_ping(&self.fake.calls());
        self.fake
    }
}

/// Every call that sends content carries allowed mentions that cannot ping.
fn assert_no_call_can_ping(calls: &[Call]) {
    let mut n_checked = 0;
    for call in calls {
        let Some(message) = call.message() else {
            continue;
        };
        n_checked += 1;
        let mentions = message.get("allowed_mentions").unwrap_or_else(|| {
            panic!(
                "no allowed_mentions in {} {}: {message}",
                call.method, call.path
            )
        });
        assert_eq!(
            mentions["parse"],
            json!([]),
            "{} {}",
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
    assert!(n_checked > 0 || calls.iter().all(|c| c.message().is_none()));
}

fn alice() -> User {
    User::student(1_600_000_000_000_000_001, "alice")
}

fn bob() -> User {
    User::student(1_600_000_000_000_000_002, "bob")
}

// ------------------------------------------------------------ the fake itself

#[test]
fn fake_payloads_parse_as_serenity_models() {
    let ready: serenity::Ready =
        serde_json::from_value(fake_discord::ready_json(1234)).expect("READY parses");
    assert_eq!(ready.application.id.get(), fake_discord::APPLICATION_ID);
    let guild: serenity::Guild =
        serde_json::from_value(fake_discord::guild_json()).expect("GUILD_CREATE parses");
    assert_eq!(guild.channels.len(), 1);
}

// ------------------------------------------------------------ configuration

#[test]
fn config_without_token_is_a_clear_error() {
    let error = Config::from_lookup(|_| None).expect_err("no token");
    assert!(error.to_string().contains("DISCORD_TOKEN"), "{error}");
}

#[test]
fn config_debug_never_shows_the_token() {
    let config = Config::from_lookup(|key| match key {
        "DISCORD_TOKEN" => Some("secret-token-123".to_string()),
        "RAPPEL_MESSAGE_CONTENT" => Some("off".to_string()),
        _ => None,
    })
    .expect("config");
    assert!(!format!("{config:?}").contains("secret-token-123"));
    assert_eq!(config.token(), "secret-token-123");
    assert!(!config.message_content);
    assert_eq!(config.database_url, "sqlite://rappel.db");
}

// ------------------------------------------------------------ connection

#[tokio::test]
async fn bot_identifies_with_only_the_needed_intents() {
    let test = TestBot::start().await;
    let identify = test.fake.identifies().last().cloned().expect("identified");
    let expected = 1 | (1 << 9) | (1 << 12) | (1 << 15);
    assert_eq!(identify["intents"], json!(expected));
    assert_eq!(identify["token"], json!("Bot fake-token-do-not-log"));
    test.stop().await;
}

#[tokio::test]
async fn bot_without_message_content_does_not_ask_for_it() {
    let test = TestBot::start_with(false).await;
    let identify = test.fake.identifies().last().cloned().expect("identified");
    let intents = identify["intents"].as_u64().expect("intents");
    assert_eq!(intents & fake_discord::MESSAGE_CONTENT, 0);
    test.stop().await;
}

#[tokio::test]
async fn commands_are_registered_with_french_localizations() {
    let test = TestBot::start().await;
    let registration = test.fake.wait_ready().await;
    let commands = registration.body.clone().expect("a body");
    let commands = commands.as_array().expect("a list");
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    for name in ["decks"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    for command in commands {
        let name = &command["name"];
        let fr_name = command["name_localizations"]["fr"].as_str();
        let fr_description = command["description_localizations"]["fr"].as_str();
        assert!(
            fr_name.is_some_and(|n| !n.is_empty()),
            "{name}: no French name"
        );
        assert!(
            fr_description.is_some_and(|d| !d.is_empty()),
            "{name}: no French description"
        );
        for option in command["options"].as_array().into_iter().flatten() {
            assert!(
                option["name_localizations"]["fr"].is_string(),
                "{name}: option without French name"
            );
            assert!(
                option["description_localizations"]["fr"].is_string(),
                "{name}: option without French description"
            );
        }
    }
    test.stop().await;
}

// ------------------------------------------------------------ /decks

async fn decks_reply(test: &TestBot, user: &User, locale: &str) -> Call {
    let sent = test.fake.slash(user, locale, "decks", json!([]));
    test.fake.reply_to(&sent).await
}

#[tokio::test]
async fn decks_lists_every_deck_with_its_card_count_in_french() {
    let test = TestBot::start().await;
    let reply = decks_reply(&test, &alice(), "fr").await;
    let text = reply.text();
    let library = rappel::deck_files::load_dir(&decks_dir()).expect("decks load");
    for deck in library.decks() {
        let line = format!("(`{}`) : {} cartes", deck.id, deck.cards.len());
        assert!(text.contains(&line), "missing {line:?} in {text}");
    }
    assert!(text.contains("Paquets"), "{text}");
    assert_eq!(
        reply.message().expect("a message")["flags"],
        json!(64),
        "ephemeral"
    );
    test.stop().await;
}

#[tokio::test]
async fn decks_answers_in_english_outside_french_locales() {
    let test = TestBot::start().await;
    let text = decks_reply(&test, &bob(), "en-US").await.text();
    assert!(text.contains("cards"), "{text}");
    assert!(!text.contains("cartes"), "{text}");
    test.stop().await;
}
