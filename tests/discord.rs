//! End-to-end tests of the Discord bot: the real bot code (`rappel::discord`)
//! runs in-process against the fake Discord of `tests/support`, and the tests
//! read what it sent through the fake's recorded REST calls.

use std::path::PathBuf;

use poise::serenity_prelude as serenity;
use rappel::core::deck::Library;
use rappel::core::grade::{self, Verdict};
use rappel::core::session;
use rappel::discord::Config;
use rappel::discord::messages::{self, Lang};
use rappel::discord::study_id::{Action, Asked};
use rappel::store::Store;
use serde_json::json;

use crate::support::bot::{
    BotConfig, Decks, TestBot, assert_no_call_can_ping, bundled_decks, bundled_library as library,
    button, spawn_bot,
};
use crate::support::fake_discord::{self, Call, FakeDiscord, User};
use crate::support::{alice, bob};

impl TestBot {
    /// Every review logged, oldest first: (card id, direction, rating, verdict).
    async fn reviews(&self) -> Vec<(String, String, i64, Option<String>)> {
        let Store::Sqlite(pool, _) = self.store().await else {
            panic!("the tests use SQLite")
        };
        sqlx::query_as("SELECT card_id, direction, rating, verdict FROM reviews ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("read the review log")
    }
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
    let user = alice();
    let bot = json!({"id": "1", "username": "rappel", "discriminator": "0", "bot": true});
    let message = fake_discord::message_json(7, fake_discord::CHANNEL_ID, bot, "");
    let cases = [
        (
            2,
            json!({"id": "9", "name": "study", "type": 1, "options": []}),
            None,
        ),
        (
            3,
            json!({"custom_id": "study:x", "component_type": 2}),
            Some(message),
        ),
        (
            4,
            json!({"id": "9", "name": "study", "type": 1, "options": [{"name": "deck", "type": 3, "value": "ci", "focused": true}]}),
            None,
        ),
        (
            5,
            json!({"custom_id": "study:x", "components": [{"type": 1, "components": [{"type": 4, "custom_id": "answer", "value": "oui"}]}]}),
            None,
        ),
    ];
    for (kind, data, message) in cases {
        let payload = fake_discord::interaction_json(5, "t", &user, "fr", kind, data, message);
        let parsed: serenity::Interaction = serde_json::from_value(payload)
            .unwrap_or_else(|e| panic!("interaction type {kind} parses: {e}"));
        assert_eq!(parsed.id().get(), 5);
    }
}

#[tokio::test]
async fn fake_strips_message_content_unless_the_bot_asked_for_it() {
    for (message_content, expected) in [(true, "bonjour"), (false, "")] {
        let test = spawn_bot(BotConfig::default().message_content(message_content)).await;
        test.fake.message(&alice(), "bonjour");
        let sent = test
            .fake
            .dispatched()
            .last()
            .cloned()
            .expect("a dispatched event");
        assert_eq!(sent["t"], json!("MESSAGE_CREATE"));
        assert_eq!(
            sent["d"]["content"],
            json!(expected),
            "MESSAGE_CONTENT {message_content}"
        );
        test.stop().await;
    }
}

// ------------------------------------------------------------ study ids

/// Every study action of every card of `library` fits Discord's 100
/// characters and reads back as itself.
fn check_study_ids(library: &Library) {
    use rappel::discord::study_id::Graded;
    for item in session::items(library, None) {
        let asked = Asked {
            key: item.key.clone(),
            deck_only: true,
            asked_at: 1_767_225_600_000,
        };
        let graded = Graded {
            verdict: Verdict::Partial,
            score_pct: 67,
            answer_ms: 123_456,
        };
        for action in [
            Action::Answer(asked.clone()),
            Action::DontKnow(asked.clone()),
            Action::Submit(asked.clone()),
            Action::Rate(asked.clone(), 5, graded),
        ] {
            let id = action.encode();
            assert!(id.len() <= 100, "{} characters: {id}", id.len());
            assert_eq!(Action::parse(&id, library), Some(action), "{id}");
        }
    }
}

#[test]
fn study_ids_of_the_bundled_decks_fit_and_round_trip() {
    check_study_ids(&library());
}

#[test]
fn study_ids_with_the_longest_slugs_fall_back_to_hashes() {
    let long = "a".repeat(64);
    let text = format!(
        "[deck]\nid = \"{long}\"\ntitle = \"T\"\nlanguage = \"fr\"\n\n\
         [[cards]]\nid = \"{long}\"\nquestion = \"Q\"\nanswer = \"A\"\nkind = \"term\"\nreverse = true\n"
    );
    let deck = rappel::core::deck::parse("long.toml", &text).expect("a valid deck");
    let library = Library::new(vec![("long.toml".to_string(), deck)]).expect("a library");
    check_study_ids(&library);
}

#[test]
fn study_ids_of_unknown_cards_or_other_formats_do_not_parse() {
    let library = library();
    for id in [
        "study:answer:*:no-such-deck:x:f:0",
        "study:answer:*:ciblage:no-such-card:f:0",
        "study:answer:?:ciblage:ciblage:f:0",
        "study:rate:*:ciblage:ciblage:f:0:9:c100:0",
        "study:answer:*:ciblage:ciblage:f:0:extra",
        "quiz:answer:1",
        "",
    ] {
        assert_eq!(Action::parse(id, &library), None, "{id}");
    }
    assert!(Action::parse("study:answer:*:ciblage:ciblage:f:0", &library).is_some());
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
        "DATABASE_URL" => Some("postgres://rappel:db-password@127.0.0.1/rappel".to_string()),
        _ => None,
    })
    .expect("config");
    let shown = format!("{config:?}");
    assert!(!shown.contains("secret-token-123"), "{shown}");
    assert!(!shown.contains("db-password"), "{shown}");
    assert_eq!(config.token(), "secret-token-123");
    assert!(!config.message_content);
    let default = Config::from_lookup(|key| (key == "DISCORD_TOKEN").then(|| "t".to_string()))
        .expect("config");
    assert_eq!(default.database_url, "sqlite://rappel.db");
    assert!(default.message_content, "MESSAGE_CONTENT is on by default");
    assert_eq!(default.decks_dir, PathBuf::from("decks"));
}

// ------------------------------------------------------------ connection

#[tokio::test]
async fn bot_identifies_with_only_the_needed_intents() {
    let test = spawn_bot(BotConfig::default()).await;
    let identify = test.fake.identifies().last().cloned().expect("identified");
    let expected = 1 | (1 << 9) | (1 << 12) | (1 << 15);
    assert_eq!(identify["intents"], json!(expected));
    assert_eq!(identify["token"], json!("Bot fake-token-do-not-log"));
    test.stop().await;
}

/// The first answer would otherwise parse them (0.1 s), and every answer
/// arriving meanwhile wait for it (issue 18's quiz tail). Under nextest
/// this test has its own process, so nothing was graded before the bot.
#[tokio::test]
async fn bot_parses_the_grader_tables_before_it_connects() {
    let test = spawn_bot(BotConfig::default()).await;
    assert!(grade::lexicon::is_loaded(), "lexicon not parsed at start");
    test.stop().await;
}

#[tokio::test]
async fn bot_without_message_content_does_not_ask_for_it() {
    let test = spawn_bot(BotConfig::default().message_content(false)).await;
    let identify = test.fake.identifies().last().cloned().expect("identified");
    let intents = identify["intents"].as_u64().expect("intents");
    assert_eq!(intents & fake_discord::MESSAGE_CONTENT, 0);
    test.stop().await;
}

#[tokio::test]
async fn commands_are_registered_with_french_localizations() {
    let test = spawn_bot(BotConfig::default()).await;
    let registration = test.fake.wait_ready().await;
    let commands = registration.body.clone().expect("a body");
    let commands = commands.as_array().expect("a list");
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    for name in ["study", "decks", "stats"] {
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
    let sent = test.fake.slash(
        user,
        locale,
        "decks",
        json!([{"name": "list", "options": []}]),
    );
    test.fake.reply_to(&sent).await
}

#[tokio::test]
async fn decks_lists_every_deck_with_its_card_count_in_french() {
    let test = spawn_bot(BotConfig::default()).await;
    let reply = decks_reply(&test, &alice(), "fr").await;
    let text = reply.text();
    let library = rappel::deck_files::load_dir(&bundled_decks()).expect("decks load");
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
    let test = spawn_bot(BotConfig::default()).await;
    let text = decks_reply(&test, &bob(), "en-US").await.text();
    assert!(text.contains("cards"), "{text}");
    assert!(!text.contains("cartes"), "{text}");
    test.stop().await;
}

// ------------------------------------------------------------ /study

/// The custom id of the study button `verb` on a bot message.
/// The card a study screen asks.
fn asked(call: &Call) -> Asked {
    let id = button(call, "answer");
    Action::parse(&id, &library())
        .unwrap_or_else(|| panic!("unreadable custom id {id}"))
        .asked()
        .clone()
}

/// What the grader expects for the card a screen asks, and its accepted forms.
fn expected(call: &Call) -> (String, Vec<String>, bool) {
    let asked = asked(call);
    let library = library();
    let (_, card) = library
        .card(asked.key.deck.as_str(), asked.key.card.as_str())
        .expect("the card exists");
    let prompt = session::prompt(card, asked.key.direction);
    (
        prompt.expected.to_string(),
        prompt.accept.to_vec(),
        prompt.self_rated,
    )
}

/// A deck whose first card is not self-rated (so a typed answer is recorded at once).
const TYPED_DECK: &str = "examen-intra";

#[tokio::test]
async fn study_shows_a_private_card_with_answer_and_dont_know_buttons() {
    let test = spawn_bot(BotConfig::default()).await;
    let screen = test.study(&alice(), "fr", json!([])).await;
    assert_eq!(screen.callback_type(), Some(4), "{screen:?}");
    let message = screen.message().expect("a message");
    assert_eq!(message["flags"], json!(64), "ephemeral");
    let text = screen.text();
    assert!(
        text.contains("Répondre") && text.contains("Je ne sais pas"),
        "{text}"
    );
    let asked = asked(&screen);
    let library = library();
    let (deck, card) = library
        .card(asked.key.deck.as_str(), asked.key.card.as_str())
        .expect("a loaded card");
    assert!(text.contains(&deck.title), "the deck is shown: {text}");
    assert!(
        text.contains(session::prompt(card, asked.key.direction).shown),
        "{text}"
    );
    test.stop().await;
}

#[tokio::test]
async fn study_right_answer_is_correct_recorded_and_followed_by_the_next_card() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test
        .study(&user, "fr", json!([{"name": "deck", "value": TYPED_DECK}]))
        .await;
    let (answer, _, self_rated) = expected(&screen);
    assert!(!self_rated, "the first card of {TYPED_DECK} is typed");
    let first = asked(&screen);
    let result = test.answer(&user, "fr", &screen, &answer).await;
    assert_eq!(
        result.callback_type(),
        Some(7),
        "the card is replaced: {result:?}"
    );
    let text = result.text();
    assert!(
        text.contains(messages::verdict(Lang::Fr, Verdict::Correct)),
        "{text}"
    );
    assert!(text.contains("Réponse attendue"), "{text}");
    let next = asked(&result);
    assert_ne!(next.key, first.key, "the next card is shown");
    assert_eq!(
        next.key.deck.as_str(),
        TYPED_DECK,
        "the session stays in its deck"
    );
    let reviews = test.reviews().await;
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].0, first.key.card.as_str());
    assert_eq!(reviews[0].3.as_deref(), Some("correct"));
    assert!(reviews[0].2 >= 3, "a right answer is rated Good or Easy");
    test.stop().await;
}

#[tokio::test]
async fn study_answer_with_a_typo_gets_the_graders_verdict() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test
        .study(&user, "fr", json!([{"name": "deck", "value": TYPED_DECK}]))
        .await;
    let (answer, _, _) = expected(&screen);
    // Drop one letter in the middle of the expected answer.
    let mut typo: Vec<char> = answer.chars().collect();
    let middle = typo.len() / 2;
    let at = (middle..typo.len())
        .find(|&i| typo[i].is_alphabetic())
        .expect("a letter");
    typo.remove(at);
    let typo: String = typo.into_iter().collect();
    let asked = asked(&screen);
    let library = library();
    let (deck, card) = library
        .card(asked.key.deck.as_str(), asked.key.card.as_str())
        .expect("the card exists");
    let context = grade::DeckContext::new(&deck.cards);
    let graded = grade::grade_card(card, grade::Direction::Forward, &context, &typo);
    assert_eq!(
        asked.key.direction,
        rappel::core::review::Direction::Forward
    );
    assert_eq!(
        graded.verdict,
        Verdict::Close,
        "{typo:?} is a slip of {answer:?}"
    );
    let result = test.answer(&user, "fr", &screen, &typo).await;
    let text = result.text();
    assert!(
        text.contains(messages::verdict(Lang::Fr, graded.verdict)),
        "{text}"
    );
    let notes = messages::feedback_notes(Lang::Fr, &graded).expect("the slip is pointed out");
    assert!(text.contains(&notes), "missing {notes:?} in {text}");
    assert!(
        text.contains(&typo),
        "the student's answer is shown: {text}"
    );
    let reviews = test.reviews().await;
    let verdict = serde_json::to_value(graded.verdict).expect("verdict as json");
    assert_eq!(reviews[0].3.as_deref(), verdict.as_str());
    test.stop().await;
}

#[tokio::test]
async fn study_wrong_answer_is_rated_again_and_shows_the_expected_answer() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test
        .study(&user, "fr", json!([{"name": "deck", "value": TYPED_DECK}]))
        .await;
    let (answer, _, _) = expected(&screen);
    let result = test
        .answer(&user, "fr", &screen, "une réponse qui n'a rien à voir")
        .await;
    let text = result.text();
    assert!(
        text.contains(messages::verdict(Lang::Fr, Verdict::Wrong)),
        "{text}"
    );
    let first_line = answer.lines().next().expect("an answer");
    assert!(
        text.contains(first_line),
        "the expected answer is shown: {text}"
    );
    let reviews = test.reviews().await;
    assert_eq!((reviews[0].2, reviews[0].3.as_deref()), (1, Some("wrong")));
    test.stop().await;
}

#[tokio::test]
async fn study_dont_know_is_rated_again_without_verdict() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = bob();
    let screen = test.study(&user, "en-US", json!([])).await;
    let first = asked(&screen);
    let result = test
        .click(&user, "en-US", &button(&screen, "dontknow"))
        .await;
    let text = result.text();
    assert!(
        text.contains(messages::dont_know_verdict(Lang::En)),
        "{text}"
    );
    assert!(
        text.contains("Expected answer"),
        "English for en-US: {text}"
    );
    let reviews = test.reviews().await;
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].0, first.key.card.as_str());
    assert_eq!((reviews[0].2, reviews[0].3.clone()), (1, None));
    test.stop().await;
}

#[tokio::test]
async fn study_typed_dont_know_is_rated_again_without_verdict() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test
        .study(&user, "fr", json!([{"name": "deck", "value": TYPED_DECK}]))
        .await;
    let (answer, _, _) = expected(&screen);
    let first = asked(&screen);
    let result = test.answer(&user, "fr", &screen, "Je sais pas.").await;
    let text = result.text();
    assert!(
        text.contains(messages::dont_know_verdict(Lang::Fr)),
        "{text}"
    );
    assert!(
        !text.contains(messages::verdict(Lang::Fr, Verdict::Wrong)),
        "{text}"
    );
    let first_line = answer.lines().next().expect("an answer");
    assert!(text.contains(first_line), "the answer is shown: {text}");
    // The next card, answered "idk" in English.
    let result = test.answer(&user, "en-US", &result, "IDK").await;
    assert!(
        result
            .text()
            .contains(messages::dont_know_verdict(Lang::En)),
        "{result:?}"
    );
    let reviews = test.reviews().await;
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0].0, first.key.card.as_str());
    assert_eq!((reviews[0].2, reviews[0].3.clone()), (1, None));
    assert_eq!((reviews[1].2, reviews[1].3.clone()), (1, None));
    test.stop().await;
}

#[tokio::test]
async fn study_definition_is_recorded_when_graded_and_the_self_rating_amends_it() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test
        .study(&user, "fr", json!([{"name": "deck", "value": "grc-cours"}]))
        .await;
    let (answer, _, self_rated) = expected(&screen);
    assert!(self_rated, "grc-cours starts with a definition");
    let rating = test.answer(&user, "fr", &screen, &answer).await;
    let text = rating.text();
    assert!(
        text.contains("Dans quelle mesure le saviez-vous ?"),
        "{text}"
    );
    assert!(
        text.contains("Pas du tout") && text.contains("Parfaitement"),
        "{text}"
    );
    let graded = test.reviews().await;
    assert_eq!(graded.len(), 1, "recorded when graded: {graded:?}");
    assert!(
        graded[0].2 > 1,
        "the expected answer earns a passing rating"
    );
    assert_eq!(graded[0].3.as_deref(), Some("correct"));
    let four = rating
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("study:rate:") && id.split(':').nth(7) == Some("4"))
        .expect("a button for 4");
    let result = test.click(&user, "fr", &four).await;
    let text = result.text();
    assert!(text.contains("Réponse attendue"), "{text}");
    assert!(
        text.contains("aujourd'hui") || text.contains("Prochaine révision"),
        "{text}"
    );
    assert_ne!(asked(&result).key, asked(&screen).key, "then the next card");
    let reviews = test.reviews().await;
    assert_eq!(
        reviews.len(),
        2,
        "the answer and its correction: {reviews:?}"
    );
    assert_eq!(reviews[1].2, 3, "self-rating 4 is Good");
    let state = test
        .store()
        .await
        .card_state(&user.id.to_string(), &asked(&screen).key)
        .await
        .unwrap()
        .expect("a state");
    assert_eq!(state.reps, 1, "one answer, amended: {state:?}");
    // A second press of a rating button changes nothing.
    let five = rating
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("study:rate:") && id.split(':').nth(7) == Some("5"))
        .expect("a button for 5");
    let again = test.click(&user, "fr", &five).await;
    assert!(
        again.text().contains(messages::already_answered(Lang::Fr)),
        "{}",
        again.text()
    );
    assert_eq!(test.reviews().await.len(), 2);
    test.stop().await;
}

/// Issue 14: a definition answered in `/study` and never self-rated was lost.
#[tokio::test]
async fn study_definition_answered_but_never_rated_is_kept() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test
        .study(&user, "fr", json!([{"name": "deck", "value": "grc-cours"}]))
        .await;
    let (answer, _, self_rated) = expected(&screen);
    assert!(self_rated, "grc-cours starts with a definition");
    test.answer(&user, "fr", &screen, &answer).await;
    // The student closes the message and starts again.
    let next = test
        .study(&user, "fr", json!([{"name": "deck", "value": "grc-cours"}]))
        .await;
    assert_ne!(asked(&next).key, asked(&screen).key, "the card was counted");
    let reviews = test.reviews().await;
    assert_eq!(reviews.len(), 1, "{reviews:?}");
    assert_eq!(reviews[0].0, asked(&screen).key.card.as_str());
    let state = test
        .store()
        .await
        .card_state(&user.id.to_string(), &asked(&screen).key)
        .await
        .unwrap();
    assert!(state.is_some(), "the card has a state");
    test.stop().await;
}

#[tokio::test]
async fn study_button_pressed_after_a_restart_still_works() {
    let mut test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test.study(&user, "fr", json!([])).await;
    let first = asked(&screen);
    test.restart().await;
    let result = test.click(&user, "fr", &button(&screen, "dontknow")).await;
    assert!(
        result
            .text()
            .contains(messages::dont_know_verdict(Lang::Fr)),
        "{}",
        result.text()
    );
    let reviews = test.reviews().await;
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].0, first.key.card.as_str());
    test.stop().await;
}

#[tokio::test]
async fn study_button_pressed_twice_records_one_review() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test.study(&user, "fr", json!([])).await;
    let dont_know = button(&screen, "dontknow");
    test.click(&user, "fr", &dont_know).await;
    let again = test.click(&user, "fr", &dont_know).await;
    assert!(
        again.text().contains(messages::already_answered(Lang::Fr)),
        "{}",
        again.text()
    );
    assert_eq!(test.reviews().await.len(), 1);
    test.stop().await;
}

#[tokio::test]
async fn unreadable_button_says_the_session_expired() {
    let test = spawn_bot(BotConfig::default()).await;
    let reply = test
        .click(&alice(), "fr", "study:answer:*:no-such-deck:x:f:0")
        .await;
    assert_eq!(reply.callback_type(), Some(4));
    assert!(
        reply.text().contains(messages::session_expired(Lang::Fr)),
        "{}",
        reply.text()
    );
    assert_eq!(reply.message().expect("a message")["flags"], json!(64));
    test.stop().await;
}

#[tokio::test]
async fn internal_failure_gets_a_generic_reply_without_details() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let screen = test.study(&user, "fr", json!([])).await;
    let Store::Sqlite(pool, _) = test.store().await else {
        panic!("the tests use SQLite")
    };
    sqlx::query("DROP TABLE reviews")
        .execute(&pool)
        .await
        .expect("break the database");
    let reply = test.click(&user, "fr", &button(&screen, "dontknow")).await;
    assert_eq!(reply.callback_type(), Some(4), "{reply:?}");
    assert_eq!(reply.text(), messages::internal_error(Lang::Fr));
    assert_eq!(reply.message().expect("a message")["flags"], json!(64));
    test.stop().await;
}

#[tokio::test]
async fn study_unknown_deck_is_a_friendly_private_error() {
    let test = spawn_bot(BotConfig::default()).await;
    let reply = test
        .study(&alice(), "fr", json!([{"name": "deck", "value": "nope"}]))
        .await;
    let text = reply.text();
    assert!(
        text.contains("Je ne connais pas le paquet « nope »"),
        "{text}"
    );
    assert!(
        text.contains("ciblage"),
        "the known decks are listed: {text}"
    );
    assert_eq!(reply.message().expect("a message")["flags"], json!(64));
    test.stop().await;
}

#[tokio::test]
async fn deck_option_autocompletes_from_the_loaded_decks() {
    let test = spawn_bot(BotConfig::default()).await;
    let sent = test.fake.autocomplete(
        &alice(),
        "fr",
        "study",
        json!([{"name": "deck", "value": "cibl"}]),
        "deck",
    );
    let reply = test.fake.reply_to(&sent).await;
    assert_eq!(reply.callback_type(), Some(8), "{reply:?}");
    let choices = reply.body.as_ref().expect("a body")["data"]["choices"].clone();
    let values: Vec<&str> = choices
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["value"].as_str())
        .collect();
    assert_eq!(values, vec!["ciblage"]);
    test.stop().await;
}

#[tokio::test]
async fn study_works_without_the_message_content_intent() {
    let test = spawn_bot(BotConfig::default().message_content(false)).await;
    let user = alice();
    let screen = test.study(&user, "fr", json!([])).await;
    test.click(&user, "fr", &button(&screen, "dontknow")).await;
    assert_eq!(test.reviews().await.len(), 1);
    test.stop().await;
}

#[tokio::test]
async fn study_ends_when_nothing_is_due_and_says_when_to_come_back() {
    let decks = tempfile::tempdir().expect("temp dir");
    let deck = r#"
[deck]
id = "mini"
title = "Mini"
language = "fr"

[[cards]]
id = "rfm"
question = "Méthode de segmentation par récence, fréquence et montant"
answer = "Méthode RFM"
kind = "term"
"#;
    std::fs::write(decks.path().join("mini.toml"), deck).expect("write the deck");
    let test = spawn_bot(BotConfig {
        decks: Decks::Dir(decks.path().to_path_buf()),
        ..BotConfig::default()
    })
    .await;
    let user = alice();
    let mut screen = test.study(&user, "fr", json!([])).await;
    for _ in 0..6 {
        if !screen
            .custom_ids()
            .iter()
            .any(|id| id.starts_with("study:answer:"))
        {
            break;
        }
        screen = test.answer(&user, "fr", &screen, "Méthode RFM").await;
    }
    let text = screen.text();
    assert!(text.contains("Rien à revoir pour le moment"), "{text}");
    assert!(text.contains("Prochaine carte <t:"), "{text}");
    assert!(
        screen.custom_ids().is_empty(),
        "no buttons left: {screen:?}"
    );
    test.stop().await;
}

// ------------------------------------------------------------ progress

#[tokio::test]
async fn progress_shows_in_the_database_in_stats_and_in_decks() {
    let test = spawn_bot(BotConfig::default()).await;
    let user = alice();
    let mut screen = test
        .study(&user, "fr", json!([{"name": "deck", "value": TYPED_DECK}]))
        .await;
    for _ in 0..3 {
        screen = test.click(&user, "fr", &button(&screen, "dontknow")).await;
    }
    let store = test.store().await;
    let states = store
        .card_states(&user.id.to_string(), None)
        .await
        .expect("states");
    assert_eq!(states.len(), 3, "three cards have a state");

    let stats = test.fake.slash(
        &user,
        "fr",
        "stats",
        json!([{"name": "show", "options": []}]),
    );
    let stats = test.fake.reply_to(&stats).await;
    let text = stats.text();
    assert_eq!(stats.message().expect("a message")["flags"], json!(64));
    assert!(text.contains("Cartes apprises\n3"), "{text}");
    assert!(
        text.contains("0 %"),
        "three 'je ne sais pas' give 0 % retention: {text}"
    );
    assert!(text.contains("1 jour"), "a one-day streak: {text}");

    let decks = decks_reply(&test, &user, "fr").await.text();
    let n_questions = session::items(&library(), None)
        .iter()
        .filter(|i| i.key.deck.as_str() == TYPED_DECK)
        .count();
    assert!(
        decks.contains(&format!("3/{n_questions} questions vues")),
        "{decks}"
    );
    test.stop().await;
}

// ------------------------------------------------------------ the real binary

/// `rappel bot` started as a process against the fake, logging at trace level.
#[tokio::test]
async fn real_binary_connects_and_never_logs_the_token() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let log_path = dir.path().join("bot.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let token = "secret-token-that-must-not-appear";
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .arg("bot")
        .current_dir(dir.path())
        .env("DISCORD_TOKEN", token)
        .env("DISCORD_API_BASE", fake.base_url())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("bot.db").display()),
        )
        .env("RAPPEL_DECKS", bundled_decks())
        .env("RAPPEL_MESSAGE_CONTENT", "off")
        .env("RUST_LOG", "trace")
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("spawn rappel bot");
    fake.wait_ready().await;
    let sent = fake.slash(
        &alice(),
        "fr",
        "decks",
        json!([{"name": "list", "options": []}]),
    );
    let reply = fake.reply_to(&sent).await;
    assert!(reply.text().contains("Paquets"), "{}", reply.text());
    child.kill().await.expect("stop the bot");
    let identify = fake.identifies().last().cloned().expect("identified");
    assert_eq!(identify["intents"], json!(1 | (1 << 9) | (1 << 12)));
    let logged = std::fs::read_to_string(&log_path).expect("read the log");
    assert!(
        logged.len() > 1000,
        "trace logging is on: {} bytes",
        logged.len()
    );
    assert!(!logged.contains(token), "the token appears in the logs");
    assert_no_call_can_ping(&fake.calls());
}

#[test]
fn real_binary_without_token_fails_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .arg("bot")
        .current_dir(dir.path())
        .env_remove("DISCORD_TOKEN")
        .output()
        .expect("run rappel bot");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("DISCORD_TOKEN is not set"), "{stderr}");
}

/// Issue 15, item 8: the global commands are registered only when their
/// definitions changed (a fingerprint in the database), so restarting
/// processes spends none of Discord's limit; `--guild` registers on one
/// server at every start.
#[tokio::test]
async fn commands_are_registered_again_only_when_they_changed() {
    use rappel::discord::config::Registration;
    let test = crate::support::bot::prepare_bot(BotConfig::default().no_daily_loop()).await;
    let mut config = test.config();
    config.registration = Registration::IfChanged;
    let start =
        |config: Config| async move { rappel::discord::start(config).await.expect("bot starts") };
    let bot = start(config.clone()).await;
    test.fake.wait_registrations(1).await;
    bot.stop().await;

    // Same definitions: the restarted bot registers nothing and answers.
    let identified = test.fake.identifies().len();
    let bot = start(config.clone()).await;
    test.fake
        .wait_until("a new IDENTIFY", crate::support::bot::WAIT, |f| {
            f.identifies().len() > identified
        })
        .await;
    let reply = test.slash(&alice(), "fr", "settings", json!([])).await;
    assert!(reply.text().contains("Vos réglages"), "{}", reply.text());
    assert_eq!(test.fake.registrations(), 1, "not registered again");
    bot.stop().await;

    // Other definitions (another version's fingerprint): registered again.
    let store = test.store().await;
    let Store::Sqlite(pool, _) = &store else {
        panic!("SQLite")
    };
    sqlx::query("UPDATE command_registrations SET fingerprint = 'older'")
        .execute(pool)
        .await
        .expect("update");
    let bot = start(config.clone()).await;
    test.fake.wait_registrations(2).await;
    bot.stop().await;

    // --guild: on that server, at every start, the global ones untouched.
    config.registration = Registration::Guild(fake_discord::GUILD_ID);
    let bot = start(config).await;
    let path = format!(
        "/applications/{}/guilds/{}/commands",
        fake_discord::APPLICATION_ID,
        fake_discord::GUILD_ID
    );
    test.fake
        .wait_for_call(
            |c| c.method == "PUT" && c.path == path,
            crate::support::bot::WAIT,
        )
        .await;
    let global = format!("/applications/{}/commands", fake_discord::APPLICATION_ID);
    let global_puts = test
        .fake
        .calls()
        .iter()
        .filter(|c| c.method == "PUT" && c.path == global)
        .count();
    assert_eq!(global_puts, 2, "the global commands untouched");
    bot.stop().await;
    test.stop().await;
}

#[test]
fn registration_fingerprints_are_stable_and_follow_the_definitions() {
    let commands = rappel::discord::commands::all();
    let definitions = poise::builtins::create_application_commands(&commands);
    let a = rappel::discord::fingerprint(&definitions);
    assert_eq!(a, rappel::discord::fingerprint(&definitions));
    assert_eq!(a.len(), 16);
    let fewer = rappel::discord::fingerprint(&definitions[1..]);
    assert_ne!(a, fewer);
}
