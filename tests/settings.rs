//! Issue 15, item 1: `/settings` (`/réglages`). A student's own time zone,
//! desired retention, new cards per day and reply language: stored per
//! user (both backends), used by the scheduler, the day boundaries, the
//! new-cards limit and the replies; refused politely when wrong; erased
//! by `/forget-me`.

use chrono_tz::Tz;
use rappel::core::deck::{CardId, DeckId};
use rappel::core::grade::Verdict;
use rappel::core::lang::Lang;
use rappel::core::review::{Answered, CardKey, Direction, Origin, Review};
use rappel::core::schedule::{self, CardState, Millis, Phase, Rating};
use rappel::core::settings::{Change, Settings};
use rappel::store::{NewUser, Store, StoreError, User};
use serde_json::{Value, json};

use crate::support::bot::{BotConfig, TestBot, button, spawn_bot};
use crate::support::db::{at, on_both, right_answer, user};
use crate::support::fake_discord::Call;
use crate::support::{alice, bob};

const TOKYO: Tz = chrono_tz::Asia::Tokyo;
const MONTREAL: Tz = chrono_tz::America::Montreal;

fn card(id: &str) -> CardKey {
    CardKey::new(
        &DeckId::parse("ciblage").unwrap(),
        &CardId::parse(id).unwrap(),
        Direction::Forward,
    )
}

fn correct(key: CardKey, at: Millis) -> Answered {
    right_answer(key, Origin::Study, at)
}

fn zone(tz: Tz) -> Change {
    Change {
        time_zone: Some(Some(tz)),
        ..Change::default()
    }
}

/// Stores a reviewed card of `user` due at `due` (a review logged at `at`).
async fn seed_due(store: &Store, user: &User, id: &str, at: Millis, due: Millis) {
    let state = CardState {
        phase: Phase::Review,
        step: 0,
        stability: 5.0,
        difficulty: 5.0,
        due,
        last_review: Some(at),
        reps: 2,
        lapses: 0,
    };
    let review = Review {
        key: card(id),
        at,
        rating: Rating::Good,
        verdict: Some((Verdict::Correct, 1.0)),
        answer_ms: 3_000,
        origin: Origin::Study,
        state,
        interval_days: 3,
    };
    store.record_review(user, &review).await.unwrap();
}

on_both! {
    settings_are_chosen_one_at_a_time_and_read_over_the_defaults(store) {
        let created = user(store, "alice").await;
        assert_eq!(created.time_zone, MONTREAL);
        assert_eq!(store.settings("alice").await.unwrap(), Settings::default());
        let now = at(2026, 3, 2, 10, 0);

        let chosen = store.change_settings("alice", &zone(TOKYO), now).await.unwrap();
        assert_eq!(chosen, Settings { time_zone: Some(TOKYO), ..Settings::default() });
        let retention = Change { desired_retention: Some(Some(0.85)), ..Change::default() };
        let chosen = store.change_settings("alice", &retention, now).await.unwrap();
        assert_eq!(chosen.time_zone, Some(TOKYO), "an earlier choice is kept");
        assert_eq!(chosen.desired_retention, Some(0.85));
        let more = Change {
            new_cards_per_day: Some(Some(5)),
            language: Some(Some(Lang::En)),
            ..Change::default()
        };
        let chosen = store.change_settings("alice", &more, now).await.unwrap();
        assert_eq!(chosen.new_cards_per_day(), 5);
        assert_eq!(chosen.reply_lang(Lang::Fr), Lang::En);

        // Every path that loads the student gets what they chose.
        let alice = store.user("alice", &NewUser::default(), now).await.unwrap();
        assert_eq!(alice.time_zone, TOKYO);
        assert!((alice.desired_retention - 0.85).abs() < 1e-6);
        assert_eq!(alice.language, Lang::En);
        assert_eq!(store.find_user("alice").await.unwrap(), Some(alice));

        // Back to auto.
        let auto = Change { language: Some(None), ..Change::default() };
        let chosen = store.change_settings("alice", &auto, now).await.unwrap();
        assert_eq!(chosen.language, None);
        assert_eq!(chosen.reply_lang(Lang::Fr), Lang::Fr);
        assert_eq!(chosen.time_zone, Some(TOKYO));

        // The store refuses what core refuses.
        let bad = Change { desired_retention: Some(Some(0.5)), ..Change::default() };
        assert!(matches!(
            store.change_settings("alice", &bad, now).await,
            Err(StoreError::BadSetting(_))
        ));
        assert_eq!(store.settings("alice").await.unwrap(), chosen);
        // Another student is untouched.
        user(store, "bob").await;
        assert_eq!(store.settings("bob").await.unwrap(), Settings::default());
    }

    a_student_in_tokyo_counts_days_in_tokyo(store) {
        let tokyo = user(store, "tokyo").await;
        let montreal = user(store, "montreal").await;
        store.change_settings("tokyo", &zone(TOKYO), at(2026, 3, 1, 0, 0)).await.unwrap();
        let tokyo = store.find_user(&tokyo.id).await.unwrap().unwrap();
        // 2026-03-02 19:30 UTC: 04:30 on the 3rd in Tokyo (a new study day
        // since 04:00), 14:30 on the 2nd in Montreal.
        let utc = |d, h, m| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, d, h, m, 0)
            .unwrap()
            .timestamp_millis();
        let before_4am_tokyo = utc(2, 18, 30);
        let after_4am_tokyo = utc(2, 19, 30);
        for who in [&tokyo, &montreal] {
            store
                .record_answer(who, "study:first", &correct(card("methode-rfm"), before_4am_tokyo))
                .await
                .unwrap();
        }
        // The card learned at 03:30 in Tokyo was the day before's.
        assert_eq!(store.new_cards_today(&tokyo, after_4am_tokyo).await.unwrap(), 0);
        assert_eq!(store.new_cards_today(&montreal, after_4am_tokyo).await.unwrap(), 1);

        // Due 2026-03-03 12:00 UTC: before the end of Tokyo's study day
        // (the 4th, 04:00 JST = 19:00 UTC on the 3rd), after Montreal's
        // (the 3rd, 04:00 EST = 09:00 UTC).
        for who in [&tokyo, &montreal] {
            seed_due(store, who, "segmentation", before_4am_tokyo, utc(3, 12, 0)).await;
        }
        let due = |u| async move { store.stats(u, after_4am_tokyo).await.unwrap().due_today };
        // methode-rfm (a learning card, due within minutes) and segmentation.
        assert_eq!(due(&tokyo).await, 2);
        assert_eq!(due(&montreal).await, 1);
        // Each review's day is the student's own local day.
        let days: Vec<i64> = match store {
            Store::Sqlite(pool, _) => sqlx::query_scalar("SELECT day FROM reviews WHERE user_id = 'tokyo' ORDER BY id")
                .fetch_all(pool).await.unwrap(),
            Store::Postgres(pool) => sqlx::query_scalar("SELECT day FROM reviews WHERE user_id = 'tokyo' ORDER BY id")
                .fetch_all(pool).await.unwrap(),
        };
        assert_eq!(days[0], schedule::day_index(before_4am_tokyo, TOKYO));
        assert_eq!(days[0] + 1, schedule::day_index(after_4am_tokyo, TOKYO));
    }

    a_higher_retention_brings_cards_back_sooner(store) {
        let mut intervals = Vec::new();
        for (id, retention) in [("careless", 0.80f32), ("careful", 0.97)] {
            let student = user(store, id).await;
            let change = Change { desired_retention: Some(Some(retention)), ..Change::default() };
            store.change_settings(id, &change, at(2026, 3, 1, 0, 0)).await.unwrap();
            let student = store.find_user(&student.id).await.unwrap().unwrap();
            let mut now = at(2026, 3, 2, 10, 0);
            let mut last = 0;
            for i in 0..4 {
                let recorded = store
                    .record_answer(&student, &format!("study:{i}"), &correct(card("methode-rfm"), now))
                    .await
                    .unwrap();
                last = recorded.interval_days;
                now = recorded.state.due.max(now + 60_000);
            }
            intervals.push(last);
        }
        assert!(intervals[1] < intervals[0], "0.97 asks sooner than 0.80: {intervals:?}");
    }

    forgetting_a_student_deletes_their_settings(store) {
        user(store, "alice").await;
        user(store, "bob").await;
        let now = at(2026, 3, 2, 10, 0);
        store.change_settings("alice", &zone(TOKYO), now).await.unwrap();
        store.change_settings("bob", &zone(TOKYO), now).await.unwrap();
        store.forget_user("alice").await.unwrap();
        assert_eq!(store.settings("alice").await.unwrap(), Settings::default());
        assert_eq!(store.settings("bob").await.unwrap().time_zone, Some(TOKYO));
        // Created again later, alice starts from the defaults.
        assert_eq!(user(store, "alice").await.time_zone, MONTREAL);
    }
}

// ------------------------------------------------------------ through Discord

/// `/settings` with `options` (`{name, value}`; a retention needs `"type": 10`).
async fn settings(test: &TestBot, locale: &str, options: Value) -> Call {
    let reply = test.slash(&alice(), locale, "settings", options).await;
    assert_eq!(
        reply.message().expect("a message")["flags"],
        json!(64),
        "private: {reply:?}"
    );
    reply
}

fn retention(value: f64) -> Value {
    json!({"name": "retention", "value": value, "type": 10})
}

/// The value of the embed field named `name` in a reply.
fn field(call: &Call, name: &str) -> String {
    let embeds = call.message().expect("a message")["embeds"].clone();
    embeds[0]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name} in {call:?}"))
        .to_string()
}

#[tokio::test]
async fn settings_alone_shows_the_defaults_privately() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let fr = settings(&test, "fr", json!([])).await.text();
    for line in [
        "Vos réglages",
        "Fuseau horaire : America/Montreal (par défaut) — il est ",
        "Rétention visée : 90 % (par défaut)",
        "Aucune carte étudiée pour l'instant",
        "Nouvelles cartes par jour : 20 (par défaut)",
        "Langue des réponses : automatique (celle de votre Discord : français)",
        "/réglages fuseau:",
    ] {
        assert!(fr.contains(line), "{line:?} in {fr}");
    }
    let en = settings(&test, "en-US", json!([])).await.text();
    assert!(en.contains("Your settings"), "{en}");
    assert!(
        en.contains("Reply language: auto (your Discord's: English)"),
        "{en}"
    );
    assert_eq!(
        test.count("user_settings").await,
        0,
        "showing stores nothing"
    );
    test.stop().await;
}

#[tokio::test]
async fn the_zone_autocompletes_from_iana_names_ignoring_case_and_accents() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let choices = |typed: &'static str| {
        let test = &test;
        async move {
            let sent = test.fake.autocomplete(
                &alice(),
                "fr",
                "settings",
                json!([{"name": "timezone", "value": typed}]),
                "timezone",
            );
            let reply = test.fake.reply_to(&sent).await;
            assert_eq!(reply.callback_type(), Some(8), "{reply:?}");
            reply.body.as_ref().expect("a body")["data"]["choices"]
                .as_array()
                .expect("choices")
                .iter()
                .map(|c| c["value"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        choices("tokyo").await.first().map(String::as_str),
        Some("Asia/Tokyo")
    );
    assert_eq!(
        choices("MONTRÉAL").await.first().map(String::as_str),
        Some("America/Montreal")
    );
    assert_eq!(choices("sao pau").await, vec!["America/Sao_Paulo"]);
    assert_eq!(choices("e").await.len(), 25, "at most Discord's 25");
    assert!(choices("").await.contains(&"Europe/Paris".to_string()));
    test.stop().await;
}

#[tokio::test]
async fn a_wrong_option_is_refused_in_the_students_language_and_nothing_is_stored() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let zone = json!([{"name": "timezone", "value": "Mars/Olympus"}]);
    let fr = settings(&test, "fr", zone.clone()).await.text();
    assert_eq!(
        fr,
        "Fuseau horaire inconnu « Mars/Olympus » : utilisez un nom IANA comme America/Montreal."
    );
    let en = settings(&test, "en-GB", zone).await.text();
    assert!(en.starts_with("Unknown time zone \"Mars/Olympus\""), "{en}");
    let low = settings(&test, "fr", json!([retention(0.5)])).await.text();
    assert_eq!(
        low,
        "Valeur refusée pour « rétention » : 0.5. Choisissez entre 0.80 et 0.97."
    );
    // One wrong option refuses the whole command: the right one is not stored either.
    let mixed = json!([{"name": "timezone", "value": "Asia/Tokyo"}, retention(0.99)]);
    let refused = settings(&test, "en-US", mixed).await.text();
    assert!(
        refused.starts_with("Value not accepted for \"retention\""),
        "{refused}"
    );
    let many = json!([{"name": "new-cards", "value": 5000}]);
    let refused = settings(&test, "fr", many).await.text();
    assert!(refused.contains("« nouvelles-cartes »"), "{refused}");
    assert_eq!(test.count("user_settings").await, 0);
    test.stop().await;
}

#[tokio::test]
async fn a_student_in_tokyo_sees_due_today_in_their_own_day() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let store = test.store().await;
    let id = alice().id.to_string();
    let now = rappel::discord::now_ms();
    let student = store.user(&id, &NewUser::default(), now).await.unwrap();
    // The end of today in each zone; a card due between the two is due
    // today in one zone and not in the other, whatever the clock says.
    let end = |tz| schedule::day_start(schedule::day_index(now, tz) + 1, tz);
    let (end_tokyo, end_montreal) = (end(TOKYO), end(MONTREAL));
    assert_ne!(end_tokyo, end_montreal);
    seed_due(
        &store,
        &student,
        "segmentation",
        now - 86_400_000,
        (end_tokyo + end_montreal) / 2,
    )
    .await;
    let due_today = || async {
        let stats = test.sub(&alice(), "fr", "stats", "show", json!([])).await;
        let due: u64 = field(&stats, "À revoir aujourd'hui").parse().unwrap();
        (due, stats.text())
    };
    let (due, text) = due_today().await;
    assert_eq!(
        due,
        u64::from(end_montreal > (end_tokyo + end_montreal) / 2)
    );
    assert!(
        text.contains("Jours comptés à l'heure de America/Montreal"),
        "{text}"
    );

    let set = settings(
        &test,
        "fr",
        json!([{"name": "timezone", "value": "asia/tokyo"}]),
    )
    .await;
    let text = set.text();
    assert!(text.contains("Réglages enregistrés"), "{text}");
    let local = chrono::DateTime::from_timestamp_millis(rappel::discord::now_ms())
        .unwrap()
        .with_timezone(&TOKYO)
        .format("%H:")
        .to_string();
    assert!(
        text.contains(&format!("Fuseau horaire : Asia/Tokyo — il est {local}")),
        "the zone is named and its time given: {text}"
    );
    let (due, text) = due_today().await;
    assert_eq!(due, u64::from(end_tokyo > (end_tokyo + end_montreal) / 2));
    assert!(
        text.contains("Jours comptés à l'heure de Asia/Tokyo"),
        "{text}"
    );
    test.stop().await;
}

#[tokio::test]
async fn retention_says_what_it_costs_and_the_language_is_followed() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let user = alice();
    // Two cards studied.
    for _ in 0..2 {
        let screen = test.study(&user, "fr", json!([])).await;
        test.click(&user, "fr", &button(&screen, "dontknow")).await;
    }
    let shown = settings(&test, "fr", json!([])).await.text();
    assert!(
        shown.contains("À 90 %, FSRS prévoit environ ") && shown.contains("pour vos 2 cartes"),
        "{shown}"
    );
    // Language index 2: English, although the client is French.
    let set = settings(
        &test,
        "fr",
        json!([retention(0.95), {"name": "language", "value": 2}]),
    )
    .await;
    let text = set.text();
    for line in [
        "Settings saved",
        "Desired retention: 95%",
        "At 95%, FSRS expects about ",
        " at 90%) for your 2 cards",
        "Reply language: English",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    // Other commands follow the chosen language, buttons too.
    let screen = test.study(&user, "fr", json!([])).await;
    assert!(screen.text().contains("I don't know"), "{}", screen.text());
    let next = test.click(&user, "fr", &button(&screen, "dontknow")).await;
    assert!(
        next.text().contains("Expected answer") || next.text().contains("answer"),
        "{}",
        next.text()
    );
    let decks = test.sub(&user, "fr", "decks", "list", json!([])).await;
    assert!(decks.text().contains("Decks"), "{}", decks.text());
    // A refusal too.
    let refused = settings(&test, "fr", json!([retention(0.1)])).await.text();
    assert!(refused.starts_with("Value not accepted"), "{refused}");
    // Back to auto: French again.
    let auto = settings(&test, "fr", json!([{"name": "language", "value": 0}]))
        .await
        .text();
    assert!(auto.contains("Réglages enregistrés"), "{auto}");
    assert!(auto.contains("Rétention visée : 95 %\n"), "{auto}");
    // Someone else keeps their own settings.
    let bob_sees = test.slash(&bob(), "fr", "settings", json!([])).await.text();
    assert!(
        bob_sees.contains("Rétention visée : 90 % (par défaut)"),
        "{bob_sees}"
    );
    test.stop().await;
}

#[tokio::test]
async fn no_new_cards_per_day_means_study_asks_none() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let set = settings(&test, "fr", json!([{"name": "new-cards", "value": 0}]))
        .await
        .text();
    assert!(set.contains("Nouvelles cartes par jour : 0\n"), "{set}");
    let screen = test.study(&alice(), "fr", json!([])).await;
    assert!(
        screen.custom_ids().is_empty(),
        "no card to answer: {screen:?}"
    );
    // Bob, with the default, gets a card.
    let screen = test.study(&bob(), "fr", json!([])).await;
    assert!(!screen.custom_ids().is_empty(), "{screen:?}");
    test.stop().await;
}

#[tokio::test]
async fn forget_me_deletes_the_settings() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    settings(
        &test,
        "fr",
        json!([{"name": "timezone", "value": "Asia/Tokyo"}]),
    )
    .await;
    assert_eq!(test.count("user_settings").await, 1);
    let ask = test.slash(&alice(), "fr", "forget-me", json!([])).await;
    let confirm = ask
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("forget:confirm:"))
        .expect("the confirm button");
    test.click(&alice(), "fr", &confirm).await;
    assert_eq!(test.count("user_settings").await, 0);
    let shown = settings(&test, "fr", json!([])).await.text();
    assert!(shown.contains("America/Montreal (par défaut)"), "{shown}");
    test.stop().await;
}
