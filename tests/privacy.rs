//! Privacy and bad input (issue 8): `/forget-me` erases a user on both
//! backends and through the fake Discord; out-of-range options get a
//! localized answer and write nothing; hostile answers are graded quickly
//! and echoed clipped, escaped and without pings; private replies are
//! ephemeral.

use chrono::NaiveDate;
use rappel::core::daily::PostTime;
use rappel::core::deck::{CardId, DeckId};
use rappel::core::grade::Verdict;
use rappel::core::review::{CardKey, Direction, Origin, Review};
use rappel::core::schedule::{Millis, Rating, Scheduler};
use rappel::discord::messages::{self, Lang};
use rappel::store::{DailyChannel, Exam, FORGOTTEN, NewQuiz, NewUser, QuizAward, Store, User};
use serde_json::{Value, json};

use crate::support::bot::{BotConfig, TestBot, spawn_bot};
use crate::support::db::{at, on_both};
use crate::support::fake_discord::{Call, User as Member};
use crate::support::{admin, alice, bob, hostile_answers, mini_deck};

// ------------------------------------------------------------ the store

fn key(card: &str) -> CardKey {
    CardKey::new(
        &DeckId::parse("crm").unwrap(),
        &CardId::parse(card).unwrap(),
        Direction::Forward,
    )
}

async fn review(store: &Store, user: &User, key: &CardKey, origin: Origin, now: Millis) {
    let previous = store.card_state(&user.id, key).await.unwrap();
    let reviewed =
        Scheduler::new(user.scheduler_config()).review(previous.as_ref(), Rating::Good, now);
    let review = Review {
        key: key.clone(),
        at: now,
        rating: Rating::Good,
        verdict: Some((Verdict::Correct, 1.0)),
        answer_ms: 3_000,
        origin,
        state: reviewed.state,
        interval_days: reviewed.interval_days,
    };
    store.record_review(user, &review).await.unwrap();
}

/// Gives `id` a row in every table that can hold a user: reviews and
/// states, quiz awards, a daily answer, server membership, settings; `starts` also
/// makes them the starter of a quiz, the setter of the exam and the one
/// who reset the season.
async fn seed(store: &Store, id: &str, quiz_id: i64, starts: bool) {
    let now = at(2026, 3, 2, 10, 0);
    let user = store.user(id, &NewUser::default(), now).await.unwrap();
    for (i, card) in ["crm", "gestion-relation-client"].iter().enumerate() {
        let origin = [Origin::Study, Origin::Quiz][i];
        review(store, &user, &key(card), origin, now + i as i64).await;
    }
    store
        .record_quiz_writes(
            &[],
            &[QuizAward {
                quiz_id,
                question: 0,
                user_id: id.to_string(),
                points: 900,
                first: starts,
                right: true,
                at: now,
            }],
            &[],
        )
        .await
        .unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let post = store.daily_post("chan", date).await.unwrap().unwrap();
    assert!(crate::support::answer_daily(store, &post, id, true, now).await);
    store.touch_member("guild", id, id, now).await.unwrap();
    let tokyo = rappel::core::settings::Change {
        time_zone: Some(Some(chrono_tz::Asia::Tokyo)),
        ..Default::default()
    };
    store.change_settings(id, &tokyo, now).await.unwrap();
    crate::fit::seed_memory_rows(store, id, now).await;
    if starts {
        let exam = Exam {
            guild_id: "guild".into(),
            date: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            time_zone: chrono_tz::America::Montreal,
            deck: None,
        };
        store.set_exam(&exam, id, now).await.unwrap();
        store.reset_season("guild", id, now).await.unwrap();
    }
}

/// Every (table, column) of the schema, read from the database itself, so
/// a table added later is checked too.
async fn columns(store: &Store) -> Vec<(String, String)> {
    match store {
        Store::Sqlite(pool, _) => {
            let sql = "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
                       WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                       AND m.name NOT LIKE '_sqlx%'";
            sqlx::query_as(sql).fetch_all(pool).await.unwrap()
        }
        Store::Postgres(pool) => {
            let sql = "SELECT table_name::text, column_name::text FROM information_schema.columns \
                       WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'";
            sqlx::query_as(sql).fetch_all(pool).await.unwrap()
        }
    }
}

/// How many rows of each (table, column) hold exactly `value`.
async fn rows_holding(store: &Store, value: &str) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    for (table, column) in columns(store).await {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE CAST({column} AS TEXT) = $1");
        let n: i64 = match store {
            Store::Sqlite(pool, _) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(value)
                .fetch_one(pool)
                .await
                .unwrap(),
            Store::Postgres(pool) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(value)
                .fetch_one(pool)
                .await
                .unwrap(),
        };
        if n > 0 {
            out.push((table, column, n));
        }
    }
    out
}

const ALICE: &str = "1600000000000000001";
const BOB: &str = "1600000000000000002";

on_both! {
    forget_user_erases_every_row_of_the_user_and_keeps_the_others(store) {
        let now = at(2026, 3, 2, 9, 0);
        let quiz_id = store
            .begin_quiz(&NewQuiz {
                guild_id: Some("guild".into()),
                channel_id: "chan".into(),
                starter_id: ALICE.into(),
                deck: DeckId::parse("crm").unwrap(),
                n_questions: 5,
                language: "fr".into(),
                started_at: now,
                answer_ms: 20_000,
            })
            .await
            .unwrap();
        let channel = DailyChannel {
            channel_id: "chan".into(),
            guild_id: "guild".into(),
            time: PostTime::parse("08:00").unwrap(),
            time_zone: chrono_tz::America::Montreal,
            deck: None,
        };
        store.set_daily(&channel, now).await.unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert!(store.claim_daily_slot(&channel, date, &key("crm"), now).await.unwrap());
        seed(store, ALICE, quiz_id, true).await;
        seed(store, BOB, quiz_id, false).await;
        let bob_before = rows_holding(store, BOB).await;
        let alice_before = rows_holding(store, ALICE).await;
        // The seed reaches every kind of row (a failing line names the gap).
        let tables: Vec<&str> = alice_before.iter().map(|(t, _, _)| t.as_str()).collect();
        for table in ["users", "card_states", "reviews", "quiz_awards", "quizzes",
                      "daily_answers", "guild_members", "exams", "seasons"] {
            assert!(tables.contains(&table), "no {table} row for alice: {alice_before:?}");
        }

        let forgotten = store.forget_user(ALICE).await.unwrap();

        // A study and a quiz review, and the daily answer's review.
        assert_eq!(forgotten.reviews, 3);
        assert_eq!(rows_holding(store, ALICE).await, vec![], "alice is gone everywhere");
        assert_eq!(rows_holding(store, BOB).await, bob_before, "bob is untouched");
        assert!(store.find_user(ALICE).await.unwrap().is_none());
        // The quiz stays (bob's award row, counted in `bob_before`, hangs
        // on it); only its starter is anonymized.
        assert_eq!(store.quiz(quiz_id).await.unwrap().unwrap().starter_id, FORGOTTEN);
        assert!(store.exam("guild").await.unwrap().is_some(), "the server keeps its exam");
        assert_eq!(store.current_season("guild").await.unwrap().number, 2);
        // Forgetting twice (a second click) is harmless.
        assert_eq!(store.forget_user(ALICE).await.unwrap().rows, 0);
    }

    forget_user_of_a_stranger_changes_nothing(store) {
        let bob = store.user(BOB, &NewUser::default(), at(2026, 3, 2, 9, 0)).await.unwrap();
        review(store, &bob, &key("crm"), Origin::Study, at(2026, 3, 2, 9, 1)).await;
        let before = rows_holding(store, BOB).await;
        assert_eq!(store.forget_user(ALICE).await.unwrap().rows, 0);
        assert_eq!(rows_holding(store, BOB).await, before);
    }
}

// ------------------------------------------------- through the fake Discord

/// The mini deck, 3-second quiz questions, no daily poster.
fn quiz_config() -> BotConfig {
    BotConfig::with_deck(mini_deck("mini", "Mini CRM", &["fidelisation"]))
        .quiz_timing(3_000, 500, 50)
        .no_daily_loop()
}

#[track_caller]
fn assert_no_pings(message: &Value) {
    let mentions = &message["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]), "{message}");
    for key in ["users", "roles"] {
        let list = mentions.get(key).cloned().unwrap_or(json!([]));
        assert_eq!(list, json!([]), "{key}: {message}");
    }
}

#[track_caller]
fn assert_ephemeral(call: &Call) {
    let message = call
        .message()
        .unwrap_or_else(|| panic!("not a message: {call:?}"));
    assert_eq!(message["flags"], json!(64), "ephemeral: {message}");
}

fn custom_id(call: &Call, prefix: &str) -> String {
    call.custom_ids()
        .into_iter()
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} button in {call:?}"))
}

/// `/study` and "I don't know" on its first card: one review recorded.
async fn study_one_card(test: &TestBot, user: &Member) {
    let screen = test.slash(user, "fr", "study", json!([])).await;
    let reply = test
        .click(user, "fr", &custom_id(&screen, "study:dontknow:"))
        .await;
    assert_eq!(reply.callback_type(), Some(7), "{reply:?}");
}

#[tokio::test]
async fn forget_me_erases_the_caller_after_their_own_confirmation() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    study_one_card(&test, &alice()).await;
    study_one_card(&test, &bob()).await;
    let store = test.store().await;
    assert!(!rows_holding(&store, ALICE).await.is_empty());
    let bob_before = rows_holding(&store, BOB).await;

    let ask = test.slash(&alice(), "fr", "forget-me", json!([])).await;
    assert_ephemeral(&ask);
    assert!(
        ask.text().contains(messages::forget_explain(Lang::Fr)),
        "{}",
        ask.text()
    );
    assert!(ask.text().contains("Tout supprimer"), "{}", ask.text());
    let confirm = custom_id(&ask, "forget:confirm:");
    let cancel = custom_id(&ask, "forget:cancel:");
    assert!(
        confirm.ends_with(ALICE),
        "the button names its user: {confirm}"
    );
    let danger =
        ask.body.as_ref().unwrap()["data"]["components"][0]["components"][0]["style"].clone();
    assert_eq!(danger, json!(4), "the delete button is red");

    // Someone else pressing alice's button deletes nothing.
    let refused = test.click(&bob(), "en-US", &confirm).await;
    assert_eq!(refused.text(), messages::forget_not_yours(Lang::En));
    assert_ephemeral(&refused);
    let refused = test.click(&bob(), "fr", &confirm).await;
    assert_eq!(refused.text(), messages::forget_not_yours(Lang::Fr));
    // Cancel deletes nothing either.
    let cancelled = test.click(&alice(), "fr", &cancel).await;
    assert_eq!(cancelled.callback_type(), Some(7));
    assert_eq!(cancelled.text(), messages::forget_cancelled(Lang::Fr));
    assert!(!rows_holding(&store, ALICE).await.is_empty(), "still there");

    let done = test.click(&alice(), "fr", &confirm).await;
    assert_eq!(
        done.callback_type(),
        Some(7),
        "replaces the question: {done:?}"
    );
    assert_eq!(done.text(), messages::forget_done(Lang::Fr, 1));
    assert!(
        done.custom_ids().is_empty(),
        "no button left to press twice"
    );
    assert_eq!(
        rows_holding(&store, ALICE).await,
        vec![],
        "no row holds alice's id"
    );
    assert_eq!(
        rows_holding(&store, BOB).await,
        bob_before,
        "bob is untouched"
    );

    let stats = test
        .slash(
            &alice(),
            "fr",
            "stats",
            json!([{"name": "show", "options": []}]),
        )
        .await;
    assert!(
        stats.text().contains("Cartes apprises\n0"),
        "{}",
        stats.text()
    );
    let Store::Sqlite(pool, _) = &store else {
        unreachable!()
    };
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE user_id = $1")
        .bind(ALICE)
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
    test.stop().await;
}

#[tokio::test]
async fn forget_me_speaks_english_and_forged_buttons_are_refused() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let ask = test.slash(&alice(), "en-US", "forget-me", json!([])).await;
    assert!(ask.text().contains(messages::forget_explain(Lang::En)));
    assert!(ask.text().contains("Delete everything"));
    for forged in [
        "forget:confirm:",
        "forget:confirm:abc",
        "forget:confirm:0",
        "forget:wipe:1",
    ] {
        let reply = test.click(&alice(), "en-US", forged).await;
        assert_eq!(
            reply.text(),
            messages::session_expired(Lang::En),
            "{forged}"
        );
    }
    test.stop().await;
}

/// Every out-of-range or malformed option: (command, options, admin,
/// expected French reply, expected English reply).
fn bad_options() -> Vec<(&'static str, Value, bool, String, String)> {
    let quiz = |options: Value| json!([{"name": "start", "options": options}]);
    let deck = json!({"name": "deck", "value": "grc-cours"});
    let range = |option: &str, given: &str, min: &str, max: &str| {
        (
            messages::out_of_range(Lang::Fr, "quiz start", option, given, min, max),
            messages::out_of_range(Lang::En, "quiz start", option, given, min, max),
        )
    };
    let mut cases = Vec::new();
    for (option, given, min, max) in [
        ("questions", 0i64, "1", "50"),
        ("questions", 51, "1", "50"),
        ("questions", -3, "1", "50"),
        ("questions", 99_999_999_999, "1", "50"),
        ("seconds", 4, "5", "120"),
        ("seconds", 121, "5", "120"),
        ("seconds", i64::MIN, "5", "120"),
    ] {
        let (fr, en) = range(option, &given.to_string(), min, max);
        let options = quiz(json!([deck, {"name": option, "value": given}]));
        cases.push(("quiz", options, false, fr, en));
    }
    let bad_args = || {
        (
            messages::bad_arguments(Lang::Fr).to_string(),
            messages::bad_arguments(Lang::En).to_string(),
        )
    };
    let (fr, en) = bad_args();
    cases.push((
        "quiz",
        quiz(json!([deck, {"name": "questions", "value": "dix"}])),
        false,
        fr,
        en,
    ));
    let (fr, en) = bad_args();
    let period = json!([{"name": "show", "options": [{"name": "period", "value": "forever"}]}]);
    cases.push(("leaderboard", period, false, fr, en));
    let (fr, en) = bad_args();
    cases.push((
        "stats",
        json!([{"name": "show", "options": [{"name": "scope", "value": "everyone"}]}]),
        false,
        fr,
        en,
    ));
    for season in [0i64, -1, i64::MAX] {
        let options = json!([{"name": "show", "options": [{"name": "season", "value": season}]}]);
        let fr = messages::unknown_season(Lang::Fr, season, 1);
        let en = messages::unknown_season(Lang::En, season, 1);
        cases.push(("leaderboard", options, false, fr, en));
    }
    let long = "9".repeat(4000);
    for time in ["25:00", "8h", "-1:00", long.as_str()] {
        let options = json!([{"name": "set", "options": [{"name": "time", "value": time}]}]);
        let fr = messages::bad_daily_time(Lang::Fr, time);
        let en = messages::bad_daily_time(Lang::En, time);
        cases.push(("daily", options, true, fr, en));
    }
    let zone = json!([{"name": "set", "options": [
        {"name": "time", "value": "08:00"}, {"name": "timezone", "value": "Mars/Olympus"}]}]);
    let fr = messages::bad_time_zone(Lang::Fr, "Mars/Olympus");
    let en = messages::bad_time_zone(Lang::En, "Mars/Olympus");
    cases.push(("daily", zone, true, fr, en));
    for date in ["2026-13-01", "15/12", "31/02/2026", "2026-02-30"] {
        let options = json!([{"name": "set", "options": [{"name": "date", "value": date}]}]);
        let fr = messages::bad_exam_date(Lang::Fr, date);
        let en = messages::bad_exam_date(Lang::En, date);
        cases.push(("exam", options, true, fr, en));
    }
    for date in ["1999-01-01", "9999-12-31", "+12026-01-01"] {
        let options = json!([{"name": "set", "options": [{"name": "date", "value": date}]}]);
        // The accepted range moves with today: compared by prefix below.
        let fr = "Valeur refusée pour « date » : ".to_string();
        let en = "Value not accepted for \"date\": ".to_string();
        cases.push(("exam", options, true, fr, en));
    }
    let mode = quiz(json!([deck, {"name": "mode", "value": "turbo"}]));
    let (fr, en) = (
        messages::quiz_bad_mode(Lang::Fr, "turbo"),
        messages::quiz_bad_mode(Lang::En, "turbo"),
    );
    cases.push(("quiz", mode, false, fr, en));
    // Unknown decks: compared up to the list of known decks.
    let cut = |s: String| s[..s.find('.').unwrap_or(s.len())].to_string();
    let daily_deck = json!([{"name": "set", "options": [
        {"name": "time", "value": "08:00"}, {"name": "deck", "value": "nope"}]}]);
    let fr = messages::unknown_deck(Lang::Fr, "nope", &[]);
    let en = messages::unknown_deck(Lang::En, "nope", &[]);
    cases.push(("daily", daily_deck, true, cut(fr), cut(en)));
    let huge_deck = "x".repeat(6000);
    let fr = messages::unknown_deck(Lang::Fr, &huge_deck, &[]);
    let en = messages::unknown_deck(Lang::En, &huge_deck, &[]);
    cases.push((
        "study",
        json!([{"name": "deck", "value": huge_deck}]),
        false,
        cut(fr),
        cut(en),
    ));
    cases
}

#[tokio::test]
async fn out_of_range_options_get_a_localized_answer_and_write_nothing() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    for (command, options, as_admin, fr, en) in bad_options() {
        let user = if as_admin { admin() } else { alice() };
        for (locale, want) in [("fr", &fr), ("en-US", &en)] {
            let reply = test.slash(&user, locale, command, options.clone()).await;
            let text = reply.text();
            assert!(
                text.starts_with(want.as_str()),
                "/{command} {options} in {locale}: want {want:?}, got {text:?}"
            );
            assert_ephemeral(&reply);
            assert!(
                text.chars().count() < 600,
                "the echo is clipped: {} chars",
                text.len()
            );
        }
    }
    for table in [
        "quizzes",
        "daily_channels",
        "exams",
        "seasons",
        "reviews",
        "card_states",
    ] {
        assert_eq!(test.count(table).await, 0, "nothing written to {table}");
    }
    test.stop().await;
}

#[tokio::test]
async fn private_replies_are_ephemeral() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let user = alice();
    for (command, options) in [
        ("stats", json!([{"name": "show", "options": []}])),
        ("study", json!([])),
        ("decks", json!([{"name": "list", "options": []}])),
        ("exam", json!([{"name": "show", "options": []}])),
        ("forget-me", json!([])),
    ] {
        for locale in ["fr", "en-US"] {
            let reply = test.slash(&user, locale, command, options.clone()).await;
            assert_ephemeral(&reply);
        }
    }
    test.stop().await;
}

#[tokio::test]
async fn hostile_study_answers_are_graded_and_echoed_clipped_and_inert() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let user = alice();
    for given in hostile_answers(BOB) {
        let screen = test.slash(&user, "fr", "study", json!([])).await;
        let modal = test
            .click(&user, "fr", &custom_id(&screen, "study:answer:"))
            .await;
        let submit = custom_id(&modal, "study:submit:");
        let input = modal
            .custom_ids()
            .into_iter()
            .find(|id| !id.starts_with("study:"))
            .expect("the text input");
        let sent = test
            .fake
            .submit_modal(&user, "fr", &submit, &[(&input, &given)]);
        // Graded within `reply_to`'s 10 s; the time each takes is measured
        // by `cargo bench --bench budgets`.
        let reply = test.fake.reply_to(&sent).await;
        let message = reply.message().expect("a message");
        assert_no_pings(message);
        let fields = message["embeds"][0]["fields"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let echoed = fields
            .iter()
            .find(|f| f["name"] == messages::your_answer(Lang::Fr))
            .map(|f| f["value"].as_str().unwrap_or_default().to_string())
            .expect("the answer is shown back");
        assert!(echoed.ends_with('…'), "clipped: {echoed}");
        assert!(
            echoed.chars().count() <= 2 * messages::MAX_ECHO + 1,
            "{}",
            echoed.len()
        );
        if given.contains("<@") {
            assert!(
                echoed.contains("\\<@"),
                "user mention shown as text: {echoed}"
            );
        }
        assert!(
            !echoed.contains("\u{202e}"),
            "no direction override: {echoed}"
        );
        assert!(
            !echoed.contains("```") && !echoed.contains("**"),
            "markdown escaped: {echoed}"
        );
        // A self-rated card waits for its rating: rate it to go on.
        if let Some(rate) = reply
            .custom_ids()
            .into_iter()
            .find(|id| id.starts_with("study:rate:"))
        {
            test.click(&user, "fr", &rate).await;
        }
    }
    test.stop().await;
}

#[test]
fn echo_keeps_short_plain_answers_and_neutralizes_the_rest() {
    assert_eq!(
        messages::echo("gestion de la relation client", 300),
        "gestion de la relation client"
    );
    assert_eq!(
        messages::echo("l'entreprise, peut-être.", 300),
        "l'entreprise, peut-être."
    );
    assert_eq!(messages::echo("abcdef", 4), "abc…");
    assert_eq!(messages::echo("abcd", 4), "abcd");
    assert_eq!(messages::echo("**x**", 10), "\\*\\*x\\*\\*");
    assert_eq!(messages::echo("- item\n# titre", 30), "\\- item\n\\# titre");
    assert_eq!(messages::echo("@everyone <@1>", 30), "@everyone \\<@1>");
    assert_eq!(messages::echo("a\u{202e}b", 30), "ab");
    let zalgo = format!("a{}", "\u{0301}".repeat(50));
    assert_eq!(
        messages::echo(&zalgo, 30).chars().count(),
        3,
        "two marks kept"
    );
}

#[tokio::test]
async fn hostile_quiz_answer_is_echoed_clipped_escaped_and_without_pings() {
    let test = spawn_bot(quiz_config()).await;
    let user = alice();
    test.start_quiz(&user, "mini", 1).await;
    let given = format!(
        "**Fidélisation** @everyone <@{BOB}> ||x|| ```y``` \u{202e}{}",
        "a\u{0301}\u{0302}\u{0303}\u{0304}".repeat(1000)
    );
    // How long the answer takes is measured by `cargo bench --bench budgets`.
    let ack = test
        .slash(
            &user,
            "fr",
            "answer",
            json!([{"name": "text", "value": given}]),
        )
        .await;
    assert!(ack.text().contains(" pts."), "scored: {}", ack.text());
    let close = test.channel_message("Réponse : **").await;
    let text = close.text();
    let line = text
        .lines()
        .find(|l| l.contains("Fidélisation") && l.contains("pts"))
        .unwrap_or_else(|| panic!("the scorer line echoes the answer: {text}"));
    assert!(
        line.contains("\\*\\*Fidélisation\\*\\*"),
        "markdown escaped: {line}"
    );
    assert!(line.contains("\\<@"), "mention shown as text: {line}");
    assert!(!line.contains("```") && !line.contains("||"), "{line}");
    assert!(!line.contains('\u{202e}'), "no direction override: {line}");
    assert!(
        line.contains('…') && line.chars().count() < 300,
        "clipped: {line}"
    );
    assert_no_pings(close.message().expect("a message"));
    test.stop().await;
}
