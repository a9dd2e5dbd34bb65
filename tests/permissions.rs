//! The bot's own permissions (issue 20): the fake Discord enforces them as
//! Discord does (every other test runs with @everyone stripped to nothing
//! and the bot holding exactly the invite's permissions), `/quiz start`
//! and `/daily set` say which one is missing instead of starting, and a
//! daily post Discord refuses is recorded, shown and paused (a refusal or
//! a channel gone) or tried again the same day, never twice (a transient
//! failure).

use std::path::PathBuf;

use rappel::core::schedule::Millis;
use rappel::discord::daily_loop::try_post_due;
use rappel::discord::now_ms;
use rappel::store::PostFailure;
use serde_json::{Value, json};

use crate::support::bot::{BotConfig, TestBot, bundled_library as library, http, spawn_bot};
use crate::support::fake_discord::{BOT_ID, CHANNEL_ID, FakeDiscord, Outage};
use crate::support::fake_permissions::{
    self as perms, ADD_REACTIONS, ADMINISTRATOR, EMBED_LINKS, INVITE, Overwrite, SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS, Target, VIEW_CHANNEL,
};
use crate::support::{admin, alice, mini_deck_all};

/// The permissions a test takes away, with their French and English names.
const TAKEN: [(u64, &str, &str); 3] = [
    (ADD_REACTIONS, "Ajouter des réactions", "Add Reactions"),
    (SEND_MESSAGES, "Envoyer des messages", "Send Messages"),
    (EMBED_LINKS, "Intégrer des liens", "Embed Links"),
];

fn sub(name: &str, options: Value) -> Value {
    json!([{"name": name, "type": 1, "options": options}])
}

fn channel_option(channel: u64) -> Value {
    json!({"name": "channel", "type": 7, "value": channel.to_string()})
}

/// `/daily set` at 00:00 (so due at once) in `channel`, as the admin.
async fn daily_set(test: &TestBot, channel: u64, locale: &str) -> String {
    let options = json!([{"name": "time", "value": "00:00"}, channel_option(channel), {"name": "deck", "value": "crm-etapes"}]);
    test.slash(&admin(), locale, "daily", sub("set", options))
        .await
        .text()
}

/// The bot's posts in `channel` that Discord accepted.
fn accepted_posts(fake: &FakeDiscord, channel: u64) -> usize {
    let path = format!("/channels/{channel}/messages");
    fake.calls()
        .iter()
        .filter(|c| c.method == "POST" && c.path == path && c.status == 200)
        .count()
}

/// Every POST the bot tried in `channel`, whatever Discord answered.
fn tried_posts(fake: &FakeDiscord, channel: u64) -> usize {
    let path = format!("/channels/{channel}/messages");
    fake.calls()
        .iter()
        .filter(|c| c.method == "POST" && c.path == path)
        .count()
}

async fn step(test: &TestBot, now: Millis) -> rappel::discord::daily_loop::Outcome {
    let store = test.store().await;
    try_post_due(&http(&test.fake), &store, &library(), now)
        .await
        .expect("the step runs")
}

// ------------------------------------------------------------ the invite

#[test]
fn the_readme_invite_asks_exactly_the_bots_permissions() {
    let bits = rappel::discord::permission::INVITE.bits();
    assert_eq!(bits, INVITE, "the fake's default is the bot's invite");
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README");
    assert!(
        readme.contains(&format!("&permissions={bits}`")),
        "README's invite link asks for {bits}"
    );
    for needed in [
        rappel::discord::permission::QUIZ,
        rappel::discord::permission::DAILY,
    ] {
        assert!(rappel::discord::permission::INVITE.contains(needed));
    }
}

// ----------------------------------------------- the fake computes them

#[test]
fn the_fake_computes_the_bots_permissions_as_discord_does() {
    const G: u64 = 10;
    const C: u64 = 20;
    const ROLE: u64 = 30;
    let bot_role = perms::bot_role_id(G);
    let with = |f: &dyn Fn(&mut perms::Model)| {
        let mut model = perms::Model::default();
        f(&mut model);
        model.bot_permissions(G, C, BOT_ID)
    };
    assert_eq!(with(&|_| {}), INVITE, "the invite's, @everyone has nothing");
    // A moderated channel: nobody reacts, which takes it from the bot too...
    let no_reactions = |m: &mut perms::Model| {
        let target = Target::Role(G);
        m.set_overwrite(
            C,
            Overwrite {
                target,
                allow: 0,
                deny: ADD_REACTIONS,
            },
        );
    };
    assert_eq!(with(&no_reactions), INVITE & !ADD_REACTIONS);
    // ...unless its role is allowed back, which a member overwrite beats.
    let role_allowed = |m: &mut perms::Model| {
        no_reactions(m);
        let target = Target::Role(bot_role);
        m.set_overwrite(
            C,
            Overwrite {
                target,
                allow: ADD_REACTIONS,
                deny: 0,
            },
        );
    };
    assert_eq!(with(&role_allowed), INVITE);
    let member_denied = |m: &mut perms::Model| {
        role_allowed(m);
        let target = Target::Member(BOT_ID);
        m.set_overwrite(
            C,
            Overwrite {
                target,
                allow: 0,
                deny: ADD_REACTIONS,
            },
        );
    };
    assert_eq!(with(&member_denied), INVITE & !ADD_REACTIONS);
    // Roles add up; Administrator is everything, whatever the overwrites.
    let two_roles = |m: &mut perms::Model| {
        m.set_bot_roles(G, vec![(bot_role, VIEW_CHANNEL), (ROLE, SEND_MESSAGES)]);
    };
    assert_eq!(with(&two_roles), VIEW_CHANNEL | SEND_MESSAGES);
    let admin = |m: &mut perms::Model| {
        member_denied(m);
        m.set_bot_roles(G, vec![(bot_role, ADMINISTRATOR)]);
    };
    assert!(with(&admin) & (ADD_REACTIONS | SEND_MESSAGES) == ADD_REACTIONS | SEND_MESSAGES);
    // Implicit rules: nothing without View Channel; no embeds without Send Messages.
    let hidden = |m: &mut perms::Model| {
        let target = Target::Role(G);
        m.set_overwrite(
            C,
            Overwrite {
                target,
                allow: 0,
                deny: VIEW_CHANNEL,
            },
        );
    };
    assert_eq!(with(&hidden), 0);
    let mute = |m: &mut perms::Model| {
        let target = Target::Member(BOT_ID);
        m.set_overwrite(
            C,
            Overwrite {
                target,
                allow: 0,
                deny: SEND_MESSAGES,
            },
        );
    };
    assert_eq!(
        with(&mute),
        INVITE & !(SEND_MESSAGES | EMBED_LINKS),
        "embeds need the right to send"
    );
    // A thread takes its parent's overwrites and needs its own send permission.
    let mut model = perms::Model::default();
    mute(&mut model);
    model.channels.insert(
        21,
        perms::ChannelInfo {
            guild: G,
            parent: Some(C),
        },
    );
    let in_thread = model.bot_permissions(G, 21, BOT_ID);
    assert_eq!(
        in_thread & (SEND_MESSAGES_IN_THREADS | EMBED_LINKS),
        SEND_MESSAGES_IN_THREADS | EMBED_LINKS
    );
}

#[tokio::test]
async fn a_reaction_without_add_reactions_is_refused_like_discord() {
    let test = spawn_bot(BotConfig::with_deck(mini_deck_all()).quiz_timing(3_000, 1_500, 50)).await;
    let question = test.start_quiz(&alice(), "mini", 1).await;
    assert_eq!(question.status, 200, "the invite's permissions post a quiz");
    test.fake.deny_bot(CHANNEL_ID, ADD_REACTIONS);
    let id = test.fake.message(&alice(), "n'importe quoi");
    let refused = test
        .fake
        .wait_for_call(
            |c| c.method == "PUT" && c.path.contains(&format!("/messages/{id}/reactions/")),
            crate::support::bot::WAIT,
        )
        .await;
    assert_eq!(refused.status, 403, "{refused:?}");
    test.stop().await;
}

// ------------------------------------------------------- /quiz start

#[tokio::test]
async fn quiz_start_names_the_permission_it_lacks_and_starts_nothing() {
    let test = spawn_bot(BotConfig::with_deck(mini_deck_all()).quiz_timing(3_000, 1_500, 50)).await;
    let start = json!([{"name": "deck", "value": "mini"}, {"name": "questions", "value": 1}]);
    for (bits, fr, en) in TAKEN {
        test.fake.deny_bot(CHANNEL_ID, bits);
        for (locale, name) in [("fr", fr), ("en-US", en)] {
            let reply = test
                .sub(&alice(), locale, "quiz", "start", start.clone())
                .await;
            let text = reply.text();
            assert!(text.contains(name), "{name} in {text}");
            assert!(text.contains(&format!("<#{CHANNEL_ID}>")), "{text}");
            assert_eq!(reply.message().unwrap()["flags"], json!(64), "private");
        }
    }
    assert_eq!(test.count("quizzes").await, 0, "no quiz started");
    assert_eq!(tried_posts(&test.fake, CHANNEL_ID), 0, "nothing posted");
    // Given back, the quiz starts.
    test.fake.deny_bot(CHANNEL_ID, 0);
    test.start_quiz(&alice(), "mini", 1).await;
    test.stop().await;
}

// -------------------------------------------------------- /daily set

#[tokio::test]
async fn daily_set_names_what_it_lacks_but_needs_no_reactions() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    // A channel the bot's cache does not hold: its overwrites are read
    // from Discord, as set now.
    let mut channel = 1_300_000_000_000_000_100;
    for (bits, fr, en) in TAKEN {
        channel += 1;
        test.fake.deny_bot(channel, bits);
        let text = daily_set(&test, channel, "fr").await;
        if bits == ADD_REACTIONS {
            // The daily post does not react: nothing to refuse.
            assert!(
                text.contains(&format!("Question du jour dans <#{channel}>")),
                "{text}"
            );
            step(&test, now_ms()).await;
            assert_eq!(accepted_posts(&test.fake, channel), 1, "posted");
            continue;
        }
        assert!(text.contains(fr), "{fr} in {text}");
        assert!(daily_set(&test, channel, "en-US").await.contains(en));
        let store = test.store().await;
        let channel_id = channel.to_string();
        assert!(
            store.daily_channel(&channel_id).await.unwrap().is_none(),
            "nothing saved"
        );
    }
    test.stop().await;
}

// ------------------------------------------- a daily post Discord refuses

#[tokio::test]
async fn a_refused_daily_post_is_shown_told_once_and_paused_until_set_again() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let channel = 1_300_000_000_000_000_200;
    let set = daily_set(&test, channel, "fr").await;
    assert!(set.contains("Question du jour dans"), "{set}");
    // Embed Links taken away after the set: Discord refuses the post.
    test.fake.deny_bot(channel, EMBED_LINKS);
    let now = now_ms();
    let outcome = step(&test, now).await;
    assert_eq!((outcome.posted.len(), outcome.failed), (0, 1));
    let refused = tried_posts(&test.fake, channel);
    assert_eq!(refused, 1);
    let store = test.store().await;
    let failure = store
        .daily_failure(&channel.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(failure.failure, PostFailure::Missing(EMBED_LINKS));
    assert!(failure.paused);

    // /daily show says it, to anyone.
    let show = test
        .slash(&alice(), "fr", "daily", sub("show", json!([])))
        .await
        .text();
    assert!(
        show.contains("Dernière publication échouée")
            && show.contains("permission manquante : « Intégrer des liens »"),
        "{show}"
    );
    // The admin who set it up hears it after their next command, once.
    let sent = test
        .fake
        .slash(&admin(), "fr", "decks", sub("list", json!([])));
    let notice = test
        .fake
        .wait_for_call(
            |c| sent.is_answered_by(c) && c.text().contains("Question du jour dans"),
            crate::support::bot::WAIT,
        )
        .await;
    assert!(notice.text().contains("Intégrer des liens"), "{notice:?}");
    assert_eq!(notice.message().unwrap()["flags"], json!(64), "private");
    let again = test
        .fake
        .slash(&admin(), "fr", "decks", sub("list", json!([])));
    test.fake.reply_to(&again).await;
    // Another member is not told.
    let other = test
        .fake
        .slash(&alice(), "fr", "decks", sub("list", json!([])));
    test.fake.reply_to(&other).await;

    // Paused: later steps do not try.
    step(&test, now + 10 * 60_000).await;
    assert_eq!(tried_posts(&test.fake, channel), refused);

    // Fixed and set again: the day's question is posted at once, once.
    test.fake.deny_bot(channel, 0);
    daily_set(&test, channel, "fr").await;
    let outcome = step(&test, now_ms()).await;
    assert_eq!(outcome.posted.len(), 1, "{outcome:?}");
    assert_eq!(accepted_posts(&test.fake, channel), 1);
    assert!(
        store
            .daily_failure(&channel.to_string())
            .await
            .unwrap()
            .is_none()
    );
    let calls = test.stop().await;
    let told = calls
        .iter()
        .filter(|c| c.path.starts_with("/webhooks/") && c.text().contains("échouée"))
        .count();
    assert_eq!(told, 1, "told once, to the admin only");
}

#[tokio::test]
async fn a_deleted_daily_channel_pauses_its_daily() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let channel = 1_300_000_000_000_000_300;
    daily_set(&test, channel, "en-US").await;
    test.fake.delete_channel(channel);
    let now = now_ms();
    let outcome = step(&test, now).await;
    assert_eq!((outcome.posted.len(), outcome.failed), (0, 1));
    let store = test.store().await;
    let failure = store
        .daily_failure(&channel.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((failure.failure, failure.paused), (PostFailure::Gone, true));
    let show = test
        .slash(&alice(), "en-US", "daily", sub("show", json!([])))
        .await
        .text();
    assert!(
        show.contains("the channel is gone or I can no longer see it"),
        "{show}"
    );
    // Paused: the next day neither.
    step(&test, now + rappel::core::schedule::days(1)).await;
    assert_eq!(tried_posts(&test.fake, channel), 1);
    test.stop().await;
}

#[tokio::test]
async fn a_transient_failure_is_tried_again_the_same_day_once() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    daily_set(&test, CHANNEL_ID, "fr").await;
    test.fake.outage(CHANNEL_ID, Outage::ServerError);
    let now = now_ms();
    let outcome = step(&test, now).await;
    assert_eq!((outcome.posted.len(), outcome.failed), (0, 1));
    let store = test.store().await;
    let failure = store
        .daily_failure(&CHANNEL_ID.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (failure.failure, failure.paused),
        (PostFailure::Transient(500), false)
    );
    // Not before its time; then once.
    assert!(step(&test, now + 1_000).await.posted.is_empty());
    assert_eq!(tried_posts(&test.fake, CHANNEL_ID), 1);
    let outcome = step(&test, now + 2 * 60_000).await;
    assert_eq!(outcome.posted.len(), 1, "{outcome:?}");
    assert_eq!(test.fake.posted_in(CHANNEL_ID).len(), 1);
    assert!(
        store
            .daily_failure(&CHANNEL_ID.to_string())
            .await
            .unwrap()
            .is_none()
    );
    assert!(step(&test, now + 4 * 60_000).await.posted.is_empty());
    assert_eq!(test.fake.posted_in(CHANNEL_ID).len(), 1);
    test.stop().await;
}

#[tokio::test]
async fn a_post_whose_answer_was_lost_is_not_posted_again() {
    let test = spawn_bot(BotConfig::default().no_daily_loop()).await;
    daily_set(&test, CHANNEL_ID, "fr").await;
    // Discord posted it, the bot heard a 502.
    test.fake.outage(CHANNEL_ID, Outage::LostReply);
    let now = now_ms();
    let outcome = step(&test, now).await;
    assert_eq!(outcome.failed, 1);
    assert_eq!(test.fake.posted_in(CHANNEL_ID).len(), 1);
    // The next try finds it in the channel and records it.
    let outcome = step(&test, now + 2 * 60_000).await;
    assert_eq!(outcome.posted.len(), 1, "{outcome:?}");
    assert_eq!(test.fake.posted_in(CHANNEL_ID).len(), 1, "not posted twice");
    assert_eq!(
        tried_posts(&test.fake, CHANNEL_ID),
        1,
        "not even tried twice"
    );
    let store = test.store().await;
    let today = outcome.posted[0].1;
    let post = store
        .daily_post(&CHANNEL_ID.to_string(), today)
        .await
        .unwrap()
        .unwrap();
    let posted_id = test.fake.posted_in(CHANNEL_ID)[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(post.message_id, Some(posted_id));
    test.stop().await;
}

// ------------------------------------------------ the store, both backends

mod store {
    use chrono::NaiveDate;
    use chrono_tz::America::Montreal;
    use rappel::core::daily::PostTime;
    use rappel::core::deck::{CardId, DeckId};
    use rappel::core::review::{CardKey, Direction};
    use rappel::store::{DailyChannel, PostFailure, Store};

    use crate::support::db::{at, on_both};

    fn channel(id: &str) -> DailyChannel {
        DailyChannel {
            channel_id: id.to_string(),
            guild_id: "7".to_string(),
            time: PostTime::parse("08:00").unwrap(),
            time_zone: Montreal,
            deck: None,
        }
    }

    fn key() -> CardKey {
        CardKey {
            deck: DeckId::parse("crm").unwrap(),
            card: CardId::parse("fidelisation").unwrap(),
            direction: Direction::Forward,
        }
    }

    async fn failure(store: &Store, id: &str) -> Option<(PostFailure, bool)> {
        let found = store.daily_failure(id).await.unwrap();
        found.map(|f| (f.failure, f.paused))
    }

    on_both! {
        a_failure_is_kept_told_once_to_its_admin_and_cleared_by_a_set(store) {
            let now = at(2026, 1, 5, 8, 0);
            store.set_daily_by(&channel("1"), Some("prof"), now).await.unwrap();
            store.set_daily_by(&channel("2"), Some("other"), now).await.unwrap();
            assert_eq!(failure(store, "1").await, None);
            store.daily_failed("1", PostFailure::Missing(1 << 14), now).await.unwrap();
            store.daily_failed("2", PostFailure::Transient(502), now).await.unwrap();
            assert_eq!(failure(store, "1").await, Some((PostFailure::Missing(1 << 14), true)));
            assert_eq!(failure(store, "2").await, Some((PostFailure::Transient(502), false)));
            // Told to the admin who set it up, once; never to another.
            let told = store.take_daily_notices("7", "prof").await.unwrap();
            assert_eq!(told.iter().map(|f| f.channel_id.as_str()).collect::<Vec<_>>(), ["1"]);
            assert!(store.take_daily_notices("7", "prof").await.unwrap().is_empty());
            assert!(store.take_daily_notices("8", "other").await.unwrap().is_empty());
            // A post that went through forgets it; so does a new set.
            store.daily_succeeded("2").await.unwrap();
            assert_eq!(failure(store, "2").await, None);
            store.set_daily_by(&channel("1"), Some("prof"), now).await.unwrap();
            assert_eq!(failure(store, "1").await, None);
            // /forget-me leaves no one to tell.
            store.daily_failed("1", PostFailure::Gone, now).await.unwrap();
            store.user("prof", &rappel::store::NewUser::default(), now).await.unwrap();
            store.forget_user("prof").await.unwrap();
            assert!(store.take_daily_notices("7", "prof").await.unwrap().is_empty());
        }

        one_caller_gets_each_retry_of_an_unposted_claim(store) {
            let settings = channel("3");
            let now = at(2026, 1, 5, 8, 0);
            let day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
            store.set_daily(&settings, now).await.unwrap();
            assert!(store.claim_daily_slot(&settings, day, &key(), now).await.unwrap());
            let post = store.daily_post("3", day).await.unwrap().unwrap();
            assert_eq!(post.attempts, 1);
            let lease = post.retry_at.expect("a lease");
            assert!(lease > now, "the claimer's for a while");
            assert!(!store.claim_daily_retry(&post, now + 1).await.unwrap(), "not before its time");
            store.retry_daily_at("3", day, now + 60_000).await.unwrap();
            let post = store.daily_post("3", day).await.unwrap().unwrap();
            let later = now + 60_000;
            assert!(store.claim_daily_retry(&post, later).await.unwrap());
            assert!(!store.claim_daily_retry(&post, later).await.unwrap(), "one caller per attempt");
            let post = store.daily_post("3", day).await.unwrap().unwrap();
            assert_eq!(post.attempts, 2);
            // Posted: no more retries.
            store.set_daily_message("3", day, "99").await.unwrap();
            let posted = store.daily_post("3", day).await.unwrap().unwrap();
            assert!(!store.claim_daily_retry(&posted, later + days(1)).await.unwrap());
        }
    }

    use rappel::core::schedule::days;
}

#[tokio::test]
async fn in_a_thread_a_quiz_needs_send_messages_in_threads() {
    let test = spawn_bot(BotConfig::with_deck(mini_deck_all()).quiz_timing(3_000, 1_500, 50)).await;
    const THREAD: u64 = 1_300_000_000_000_000_400;
    test.fake
        .add_thread(crate::support::fake_discord::GUILD_ID, CHANNEL_ID, THREAD);
    test.fake.set_bot_permissions(
        crate::support::fake_discord::GUILD_ID,
        INVITE & !SEND_MESSAGES_IN_THREADS,
    );
    let start = json!([{"name": "start", "options": [{"name": "deck", "value": "mini"}, {"name": "questions", "value": 1}]}]);
    let place = (crate::support::fake_discord::GUILD_ID, THREAD);
    let sent = test
        .fake
        .slash_in(place, &alice(), "fr", "quiz", start.clone());
    let refused = test.fake.reply_to(&sent).await.text();
    assert!(
        refused.contains("« Envoyer des messages dans les fils »"),
        "{refused}"
    );
    assert_eq!(test.count("quizzes").await, 0);
    // Its parent channel only needs Send Messages, which the bot has.
    test.start_quiz(&alice(), "mini", 1).await;
    test.stop().await;
}
