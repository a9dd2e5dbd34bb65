//! « J'avais raison » (issue 16) through the fake Discord: an answer graded
//! wrong in `/study` is appealed, a moderator accepts it, the same text is
//! then accepted for another student (in this process and in a second one
//! on the same database), the student's card state is what the scheduler
//! gives a right answer; quiz points are credited once; a refusal is told
//! with its note (at the next command when DMs are closed); a member
//! without the right is refused; another server's appeals stay invisible.

use rappel::core::review::{CardKey, Direction};
use rappel::core::schedule::{Rating, Scheduler};
use rappel::discord::Config;
use rappel::store::{QuizAnswer, Store};
use serde_json::json;

use crate::support::bot::{BotConfig, TestBot, WAIT, assert_no_call_can_ping, spawn_bot};
use crate::support::fake_discord::{Call, FakeDiscord, GUILD_ID, User};
use crate::support::{admin, alice, bob, member, mini_deck_all};

/// Another server the bot is in.
const OTHER_GUILD: u64 = 1_210_000_000_000_000_009;
const OTHER_CHANNEL: u64 = 1_310_000_000_000_000_009;

/// The first card `/study` asks in the mini deck, and a wrong answer to it
/// that a teacher could accept.
const QUESTION: &str = "Stratégie qui vise à garder ses clients";
const SYNONYM: &str = "Rétention client";

fn config() -> BotConfig {
    let mut config = BotConfig::with_deck(mini_deck_all()).no_daily_loop();
    config.guilds.push((OTHER_GUILD, OTHER_CHANNEL));
    config
}

/// The custom id starting with `prefix` in `call`, if any.
fn id_with(call: &Call, prefix: &str) -> Option<String> {
    call.custom_ids()
        .into_iter()
        .find(|id| id.starts_with(prefix))
}

/// `/study` then `typed` on its first card (the fidélisation card): the
/// screen with the verdict.
async fn study_answer(test: &TestBot, user: &User, typed: &str) -> Call {
    let screen = test.study(user, "fr", json!([])).await;
    assert!(screen.text().contains(QUESTION), "{}", screen.text());
    test.answer(user, "fr", &screen, typed).await
}

/// Presses the appeal button `button` as `user` and sends `reason`: the
/// bot's answer to the form.
async fn appeal(fake: &FakeDiscord, user: &User, button: &str, reason: &str) -> Call {
    let modal = fake.reply_to(&fake.click(user, "fr", button)).await;
    assert_eq!(modal.callback_type(), Some(9), "a form opens: {modal:?}");
    let form = id_with(&modal, "appeal:reason:").expect("the form's id");
    let sent = fake.submit_modal(user, "fr", &form, &[("text", reason)]);
    fake.reply_to(&sent).await
}

/// `user`'s state of the fidélisation card, and when their first answer to it came.
async fn state_and_first_answer(
    store: &Store,
    user: &User,
) -> (Option<rappel::core::schedule::CardState>, i64) {
    let key = CardKey::new(
        &rappel::core::deck::DeckId::parse("mini").unwrap(),
        &rappel::core::deck::CardId::parse("fidelisation").unwrap(),
        Direction::Forward,
    );
    let state = store.card_state(&user.id.to_string(), &key).await.unwrap();
    let Store::Sqlite(pool, _) = store else {
        unreachable!("the bot's database is SQLite")
    };
    let at: i64 = sqlx::query_scalar(
        "SELECT reviewed_at FROM reviews WHERE user_id = $1 AND amends IS NULL ORDER BY id LIMIT 1",
    )
    .bind(user.id.to_string())
    .fetch_one(pool)
    .await
    .unwrap();
    (state, at)
}

/// The options of `/decks list`: any command, after which the bot may tell more.
fn decks_list() -> serde_json::Value {
    json!([{"name": "list", "options": []}])
}

/// The ephemeral reply to a command: its flags say so.
fn is_ephemeral(call: &Call) -> bool {
    call.message().is_some_and(|m| m["flags"] == json!(64))
}

#[tokio::test]
async fn an_appeal_accepted_by_a_moderator_is_accepted_for_everyone() {
    let test = spawn_bot(config()).await;
    let (alice, bob, prof) = (alice(), bob(), admin());

    // Graded wrong: the verdict comes with « J'avais raison ».
    let graded = study_answer(&test, &alice, SYNONYM).await;
    assert!(graded.text().contains("❌ Faux"), "{}", graded.text());
    let button = id_with(&graded, "appeal:open:").expect("the appeal button");
    assert!(
        graded.text().contains("J'avais raison"),
        "{}",
        graded.text()
    );
    // Nobody appeals for someone else.
    let refused = test.click(&bob, "fr", &button).await;
    assert!(
        refused.text().contains("pas pour vous"),
        "{}",
        refused.text()
    );

    let filed = appeal(&test.fake, &alice, &button, "vu en cours comme synonyme").await;
    assert!(
        filed.text().contains("Contestation envoyée"),
        "{}",
        filed.text()
    );
    assert!(is_ephemeral(&filed));
    let again = test.click(&alice, "fr", &button).await;
    assert!(again.text().contains("déjà contesté"), "{}", again.text());

    // A member without Manage Server or the role cannot review.
    let denied = test.sub(&bob, "fr", "appeals", "review", json!([])).await;
    assert!(
        denied.text().contains("Gérer le serveur"),
        "{}",
        denied.text()
    );
    // Another server sees none of it.
    let sent = test.fake.slash_in_guild(
        OTHER_GUILD,
        &prof,
        "fr",
        "appeals",
        json!([{"name": "review", "options": []}]),
    );
    let elsewhere = test.fake.reply_to(&sent).await;
    assert!(
        elsewhere.text().contains("Aucune contestation"),
        "{}",
        elsewhere.text()
    );

    let screen = test.sub(&prof, "fr", "appeals", "review", json!([])).await;
    assert!(is_ephemeral(&screen));
    for shown in [
        QUESTION,
        "Fidélisation",
        SYNONYM,
        "vu en cours comme synonyme",
        "❌ Faux",
    ] {
        assert!(screen.text().contains(shown), "{shown}: {}", screen.text());
    }
    let accept = id_with(&screen, "appeal:accept:").expect("Accepter");
    assert!(
        id_with(&screen, "appeal:refuse:").is_some() && id_with(&screen, "appeal:skip:").is_some()
    );
    // Its buttons do nothing in another server, nor for a member.
    let foreign = test
        .fake
        .reply_to(&test.fake.click_in(OTHER_GUILD, &prof, "fr", &accept))
        .await;
    assert!(
        foreign.text().contains("déjà été traitée"),
        "{}",
        foreign.text()
    );
    let by_member = test.click(&bob, "fr", &accept).await;
    assert!(
        by_member.text().contains("Gérer le serveur"),
        "{}",
        by_member.text()
    );

    let decided = test.click(&prof, "fr", &accept).await;
    assert_eq!(decided.callback_type(), Some(7), "the screen moves on");
    assert!(
        decided
            .text()
            .contains("« Rétention client » est désormais acceptée"),
        "{}",
        decided.text()
    );
    assert!(
        decided.text().contains("Aucune contestation en attente"),
        "{}",
        decided.text()
    );
    // The student is told privately.
    let dm = test
        .fake
        .wait_for("the student's direct message", WAIT, |fake| {
            fake.dms_to(alice.id).pop()
        })
        .await;
    let dm_text = dm["content"].as_str().unwrap_or_default();
    assert!(
        dm_text.contains("J'avais raison") && dm_text.contains(SYNONYM),
        "{dm_text}"
    );

    // Her card is where a right answer would have put it.
    let store = test.store().await;
    let user = store
        .find_user(&alice.id.to_string())
        .await
        .unwrap()
        .unwrap();
    let (state, answered_at) = state_and_first_answer(&store, &alice).await;
    let right = Scheduler::new(user.scheduler_config()).review(None, Rating::Good, answered_at);
    assert_eq!(state, Some(right.state));

    // The same text is now right for bob, with no appeal button.
    let bob_graded = study_answer(&test, &bob, "rétention  client").await;
    assert!(
        bob_graded.text().contains("✅ Correct"),
        "{}",
        bob_graded.text()
    );
    assert_eq!(id_with(&bob_graded, "appeal:"), None);
    // Deciding twice does nothing.
    let twice = test.click(&prof, "fr", &accept).await;
    assert!(
        twice.text().contains("déjà été traitée"),
        "{}",
        twice.text()
    );
    test.stop().await;
}

#[tokio::test]
async fn a_refusal_is_told_with_its_note_at_the_next_command_when_dms_are_closed() {
    let test = spawn_bot(config()).await;
    let (alice, prof) = (alice(), admin());
    test.fake.close_dms(alice.id);
    let graded = study_answer(&test, &alice, "Client").await;
    let button = id_with(&graded, "appeal:open:").expect("the appeal button");
    appeal(&test.fake, &alice, &button, "").await;

    // A moderator hears of it once a day, after any command.
    let sent = test.fake.slash(&prof, "fr", "decks", decks_list());
    let notice = test
        .fake
        .wait_for_call(
            |c| sent.is_answered_by(c) && c.text().contains("1 contestation(s) en attente"),
            WAIT,
        )
        .await;
    assert!(is_ephemeral(&notice), "{notice:?}");
    let n_calls = test.fake.calls().len();
    let sent = test.fake.slash(&prof, "fr", "decks", decks_list());
    test.fake.reply_to(&sent).await;
    let second = test.fake.slash(
        &prof,
        "fr",
        "stats",
        json!([{"name": "show", "options": []}]),
    );
    test.fake.reply_to(&second).await;
    assert!(
        !test.fake.calls()[n_calls..]
            .iter()
            .any(|c| c.text().contains("en attente")),
        "once a day"
    );

    let screen = test.sub(&prof, "fr", "appeals", "review", json!([])).await;
    let refuse = id_with(&screen, "appeal:refuse:").expect("Refuser");
    let form = test.click(&prof, "fr", &refuse).await;
    assert_eq!(form.callback_type(), Some(9));
    let note_form = id_with(&form, "appeal:note:").expect("the note form");
    let sent = test.fake.submit_modal(
        &prof,
        "fr",
        &note_form,
        &[("text", "Trop vague : le terme du cours est attendu")],
    );
    let decided = test.fake.reply_to(&sent).await;
    assert!(decided.text().contains("Refusée"), "{}", decided.text());

    // Discord refuses the direct message; the decision waits for her next
    // command (the bot gives back its claim to tell it: seen in the
    // database, the one wait that polls).
    test.fake
        .wait_for_call(|c| c.path.ends_with("/messages") && c.status == 403, WAIT)
        .await;
    let store = test.store().await;
    let deadline = std::time::Instant::now() + WAIT;
    while store
        .untold_decisions(&alice.id.to_string())
        .await
        .unwrap()
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the decision stays to be told"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Her next command tells her, once.
    let sent = test.fake.slash(&alice, "fr", "decks", decks_list());
    let told = test
        .fake
        .wait_for_call(
            |c| sent.is_answered_by(c) && c.text().contains("pas été retenue"),
            WAIT,
        )
        .await;
    assert!(told.text().contains("Trop vague"), "{}", told.text());
    assert!(is_ephemeral(&told));
    let n_calls = test.fake.calls().len();
    let sent = test.fake.slash(&alice, "fr", "decks", decks_list());
    test.fake.reply_to(&sent).await;
    let later: Vec<Call> = test.fake.calls()[n_calls..].to_vec();
    assert!(
        !later.iter().any(|c| c.text().contains("pas été retenue")),
        "told once"
    );
    // Still wrong.
    let (state, _) = state_and_first_answer(&store, &alice).await;
    assert_eq!(state.map(|s| s.reps), Some(1));
    assert_eq!(test.count("appeals WHERE status = 'refused'").await, 1);
    test.stop().await;
}

#[tokio::test]
async fn a_role_lets_its_members_review_appeals() {
    let test = spawn_bot(config()).await;
    let (prof, tutor) = (admin(), member(5, "tuteur").with_role(77));
    let denied = test.sub(&tutor, "fr", "appeals", "review", json!([])).await;
    assert!(
        denied.text().contains("Gérer le serveur"),
        "{}",
        denied.text()
    );
    let refused = test
        .sub(
            &tutor,
            "fr",
            "appeals",
            "role",
            json!([{"name": "role", "value": "77", "type": 8}]),
        )
        .await;
    assert!(
        refused.text().contains("Gérer le serveur"),
        "only managers set it: {}",
        refused.text()
    );
    let set = test
        .sub(
            &prof,
            "fr",
            "appeals",
            "role",
            json!([{"name": "role", "value": "77", "type": 8}]),
        )
        .await;
    assert!(set.text().contains("<@&77>"), "{}", set.text());
    let allowed = test.sub(&tutor, "fr", "appeals", "review", json!([])).await;
    assert!(
        allowed.text().contains("Aucune contestation"),
        "{}",
        allowed.text()
    );
    test.sub(&prof, "fr", "appeals", "role", json!([])).await;
    let denied = test.sub(&tutor, "fr", "appeals", "review", json!([])).await;
    assert!(
        denied.text().contains("Gérer le serveur"),
        "{}",
        denied.text()
    );
    test.stop().await;
}

/// (question shown, right answer, a wrong answer a teacher could accept).
const CARDS: [(&str, &str, &str); 3] = [
    (QUESTION, "Fidélisation", SYNONYM),
    (
        "Personne qui pourrait devenir cliente",
        "Prospect",
        "Client potentiel",
    ),
    (
        "Client qui recommande activement la marque",
        "Ambassadeur",
        "Prescripteur",
    ),
];

#[tokio::test]
async fn quiz_answers_appealed_and_accepted_are_credited_once() {
    let test = spawn_bot(config().quiz_timing(3_000, 1_500, 50)).await;
    let (alice, bob, carol, prof) = (alice(), bob(), member(3, "carol"), admin());
    let asked = test.start_quiz(&prof, "mini", 1).await;
    let text = asked.text();
    let (_, right, synonym) = CARDS
        .into_iter()
        .find(|(shown, _, _)| text.contains(shown))
        .expect("a question of the deck");
    // Alice answers with /answer: refused privately, with the button.
    let ack = test
        .slash(
            &alice,
            "fr",
            "answer",
            json!([{"name": "text", "value": synonym}]),
        )
        .await;
    assert!(is_ephemeral(&ack));
    let alice_button = id_with(&ack, "appeal:open:").expect("the appeal button under /answer");
    // Carol types the same in the channel; bob is right.
    assert_eq!(test.say(&carol, synonym).await, "❌");
    assert_eq!(test.say(&bob, right).await, "✅");
    let summary = test
        .channel_message(&format!("Réponse : **{right}**"))
        .await;
    let summary_button = id_with(&summary, "appeal:quiz:").expect("the summary's button");
    // Bob was right: nothing to appeal for him.
    let nothing = test.click(&bob, "fr", &summary_button).await;
    assert!(
        nothing.text().contains("rien à contester"),
        "{}",
        nothing.text()
    );
    test.channel_message("Fin du quiz").await;

    appeal(&test.fake, &alice, &alice_button, "").await;
    appeal(&test.fake, &carol, &summary_button, "même réponse").await;
    let screen = test.sub(&prof, "fr", "appeals", "review", json!([])).await;
    assert!(
        screen.text().contains("2 élèves ont tapé la même chose"),
        "{}",
        screen.text()
    );
    assert!(screen.text().contains("quiz"), "{}", screen.text());
    let accept = id_with(&screen, "appeal:accept:").unwrap();
    let decided = test.click(&prof, "fr", &accept).await;
    assert!(
        decided
            .text()
            .contains("1 autre(s) contestation(s) acceptée(s)"),
        "{}",
        decided.text()
    );
    for student in [&alice, &carol] {
        let dm = test
            .fake
            .wait_for("the student's direct message", WAIT, |fake| {
                fake.dms_to(student.id).pop()
            })
            .await;
        assert!(
            dm["content"]
                .as_str()
                .unwrap_or_default()
                .contains("point(s) de quiz"),
            "{dm}"
        );
    }
    let store = test.store().await;
    let totals = store.quiz_totals(1).await.unwrap();
    let points = |u: &User| {
        totals
            .iter()
            .find(|t| t.user_id == u.id.to_string())
            .map(|t| (t.points, t.n_right))
    };
    let (alice_points, carol_points) = (points(&alice).unwrap(), points(&carol).unwrap());
    assert!(alice_points.0 > 0 && alice_points.1 == 1, "{totals:?}");
    assert!(carol_points.0 > 0 && carol_points.1 == 1, "{totals:?}");
    // Accepting again credits nothing more.
    test.click(&prof, "fr", &accept).await;
    assert_eq!(store.quiz_totals(1).await.unwrap(), totals);
    for student in [&alice, &carol] {
        let review = store
            .graded_review_by_key(&student.id.to_string(), &QuizAnswer::key(1, 0))
            .await
            .unwrap()
            .unwrap();
        assert!(!review.is_appealable(), "corrected");
    }
    test.stop().await;
}

/// `/study` on a bot other than the test's, through its own fake Discord.
async fn study_on(fake: &FakeDiscord, user: &User) -> Call {
    fake.reply_to(&fake.slash(user, "fr", "study", json!([])))
        .await
}

/// Answers `screen` with `typed` on that bot.
async fn answer_on(fake: &FakeDiscord, user: &User, screen: &Call, typed: &str) -> Call {
    let button = id_with(screen, "study:answer:").expect("Répondre");
    let modal = fake.reply_to(&fake.click(user, "fr", &button)).await;
    let submit = id_with(&modal, "study:submit:").expect("the answer form");
    fake.reply_to(&fake.submit_modal(user, "fr", &submit, &[("answer", typed)]))
        .await
}

#[tokio::test]
async fn a_second_process_grades_with_the_new_alternative_at_once() {
    let test = spawn_bot(config()).await;
    // A second bot process on the same database (a deploy overlapping the
    // old one, or another shard range), with its own gateway.
    let fake_b = FakeDiscord::start().await;
    let mut config_b = Config::new("fake-token-second-process", test.database_url());
    config_b.api_base = Some(fake_b.base_url());
    config_b.decks_dir = test.config().decks_dir;
    config_b.daily_loop = false;
    config_b.registration = rappel::discord::config::Registration::Always;
    let bot_b = rappel::discord::start(config_b).await.expect("second bot");
    fake_b.wait_registrations(1).await;
    let bob = bob();
    // Bob's card is on screen in the second process before the decision.
    let screen = study_on(&fake_b, &bob).await;
    assert!(screen.text().contains(QUESTION), "{}", screen.text());

    let alice = alice();
    let graded = study_answer(&test, &alice, SYNONYM).await;
    let button = id_with(&graded, "appeal:open:").unwrap();
    appeal(&test.fake, &alice, &button, "").await;
    let review = test
        .sub(&admin(), "fr", "appeals", "review", json!([]))
        .await;
    test.click(&admin(), "fr", &id_with(&review, "appeal:accept:").unwrap())
        .await;

    let graded_b = answer_on(&fake_b, &bob, &screen, SYNONYM).await;
    assert!(
        graded_b.text().contains("✅ Correct"),
        "{}",
        graded_b.text()
    );
    bot_b.stop().await;
    assert_no_call_can_ping(&fake_b.calls());
    test.stop().await;
}

/// The answer column of `rappel appeals export`: TOML that a deck file takes.
#[tokio::test]
async fn accepted_answers_export_as_toml_accept_entries() {
    let test = spawn_bot(config()).await;
    let alice = alice();
    let graded = study_answer(&test, &alice, SYNONYM).await;
    appeal(
        &test.fake,
        &alice,
        &id_with(&graded, "appeal:open:").unwrap(),
        "",
    )
    .await;
    let screen = test
        .sub(&admin(), "fr", "appeals", "review", json!([]))
        .await;
    test.click(&admin(), "fr", &id_with(&screen, "appeal:accept:").unwrap())
        .await;
    let decks = test.config().decks_dir;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
            .args(args)
            .args([
                "--db",
                &test.database_url(),
                "--decks",
                decks.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let out = run(&["appeals", "export", "--guild", &GUILD_ID.to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let parsed: toml::Table = toml::from_str(&text).expect("TOML");
    let cards = parsed["cards"].as_array().expect("[[cards]]");
    assert_eq!(cards.len(), 1, "{text}");
    assert_eq!(cards[0]["id"].as_str(), Some("fidelisation"));
    let accept: Vec<&str> = cards[0]["accept"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(accept, [SYNONYM]);
    let other = run(&["appeals", "export", "--guild", &OTHER_GUILD.to_string()]);
    assert!(
        !String::from_utf8(other.stdout)
            .unwrap()
            .contains("[[cards]]")
    );

    // Replaying the log: the appealed answer, graded with its server's
    // accepted answers, keeps its corrected grade.
    let replay = run(&["grade", "--replay"]);
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let report = String::from_utf8(replay.stdout).unwrap();
    assert!(report.contains("re-graded 1 stored answer(s)"), "{report}");
    assert!(report.contains("would change: 0"), "{report}");
    test.stop().await;
}

#[tokio::test]
async fn a_daily_answer_appealed_and_accepted_counts_right() {
    let test = spawn_bot(config()).await;
    let (alice, prof) = (alice(), admin());
    test.sub(
        &prof,
        "fr",
        "daily",
        "set",
        json!([{"name": "time", "value": "08:00"}]),
    )
    .await;
    let library = rappel::deck_files::load_dir(&test.config().decks_dir).expect("decks");
    let http = poise::serenity_prelude::HttpBuilder::new("fake-token")
        .proxy(test.fake.base_url())
        .ratelimiter_disabled(true)
        .build();
    let store = test.store().await;
    crate::support::bot::post_next_daily(&http, &store, &library, rappel::discord::now_ms()).await;
    let path = format!(
        "/channels/{}/messages",
        crate::support::fake_discord::CHANNEL_ID
    );
    let post = test
        .fake
        .wait_for_call(|c| c.method == "POST" && c.path == path, WAIT)
        .await;
    let (_, _, synonym) = CARDS
        .into_iter()
        .find(|(shown, _, _)| post.text().contains(shown))
        .expect("a question of the deck");
    let answer = id_with(&post, "daily:answer:").expect("the answer button");
    let modal = test.click(&alice, "fr", &answer).await;
    let submit = id_with(&modal, "daily:submit:").expect("the form");
    let graded = test
        .fake
        .reply_to(
            &test
                .fake
                .submit_modal(&alice, "fr", &submit, &[("answer", synonym)]),
        )
        .await;
    assert!(is_ephemeral(&graded));
    assert!(graded.text().contains("❌ Faux"), "{}", graded.text());
    let button = id_with(&graded, "appeal:open:").expect("the appeal button");
    appeal(&test.fake, &alice, &button, "").await;
    let screen = test.sub(&prof, "fr", "appeals", "review", json!([])).await;
    assert!(
        screen.text().contains("question du jour"),
        "{}",
        screen.text()
    );
    test.click(&prof, "fr", &id_with(&screen, "appeal:accept:").unwrap())
        .await;
    let Store::Sqlite(pool, _) = &store else {
        unreachable!("SQLite")
    };
    let correct: i64 = sqlx::query_scalar("SELECT correct FROM daily_answers WHERE user_id = $1")
        .bind(alice.id.to_string())
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(correct, 1, "the daily answer counts as right");
    test.stop().await;
}

/// A definition is rated by its student after the grade (« Dans quelle
/// mesure le saviez-vous ? »): « J'avais raison » comes once rated, and an
/// accepted appeal puts the card where a right answer would have, whatever
/// the student's own rating was.
#[tokio::test]
async fn a_self_rated_definition_is_appealed_once_rated() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let (alice, prof) = (alice(), admin());
    let deck = json!([{"name": "deck", "value": "c2-grc"}]);
    let screen = test.study(&alice, "fr", deck).await;
    assert!(
        screen
            .text()
            .contains("le but de l’entreprise relationnelle"),
        "{}",
        screen.text()
    );
    let typed = "garder les clients longtemps grâce à la relation";
    let graded = test.answer(&alice, "fr", &screen, typed).await;
    assert!(graded.text().contains("En partie"), "{}", graded.text());
    let rate = graded
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("study:rate:") && id.contains(":2:"))
        .expect("the self-rating « 2 · Un peu »");
    let rated = test.click(&alice, "fr", &rate).await;
    let button = id_with(&rated, "appeal:open:").expect("« J'avais raison » once rated");
    let filed = appeal(&test.fake, &alice, &button, "c'est l'idée du cours").await;
    assert!(
        filed.text().contains("Contestation envoyée"),
        "{}",
        filed.text()
    );

    let review = test.sub(&prof, "fr", "appeals", "review", json!([])).await;
    assert!(review.text().contains(typed), "{}", review.text());
    let accept = id_with(&review, "appeal:accept:").expect("Accepter");
    let decided = test.click(&prof, "fr", &accept).await;
    assert!(decided.text().contains("Acceptée"), "{}", decided.text());

    let store = test.store().await;
    let key = CardKey::new(
        &rappel::core::deck::DeckId::parse("c2-grc").unwrap(),
        &rappel::core::deck::CardId::parse("but-entreprise-relationnelle").unwrap(),
        Direction::Forward,
    );
    let Store::Sqlite(pool, _) = &store else {
        unreachable!("the bot's database is SQLite")
    };
    let answered_at: i64 = sqlx::query_scalar(
        "SELECT reviewed_at FROM reviews WHERE amends IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let user = store
        .find_user(&alice.id.to_string())
        .await
        .unwrap()
        .unwrap();
    let right = Scheduler::new(user.scheduler_config()).review(None, Rating::Good, answered_at);
    let state = store.card_state(&alice.id.to_string(), &key).await.unwrap();
    assert_eq!(state, Some(right.state), "corrected past the self-rating");
    test.stop().await;
}
