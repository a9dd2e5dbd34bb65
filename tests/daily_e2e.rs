//! The daily question and the exam: the poster's step with a fake clock
//! (local time, daylight saving, restarts), exactly one post per channel
//! and day with two callers on separate connections (SQLite and
//! PostgreSQL), and end-to-end runs of /daily and /exam through the fake
//! Discord.

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono_tz::America::Montreal;
use poise::serenity_prelude as serenity;
use rappel::core::daily::PostTime;
use rappel::core::deck::{DeckId, Library};
use rappel::core::exam::{exam_instant, weakest_on_exam_day};
use rappel::core::readiness;
use rappel::core::schedule::{CardState, Millis, Rating, Scheduler, days};
use rappel::core::session;
use rappel::discord::daily_loop::{Outcome, Scope, try_post_due, try_post_due_for};
use rappel::discord::now_ms;
use rappel::store::{DailyChannel, Store};
use serde_json::{Value, json};

use crate::support::bot::{BotConfig, bundled_library as library, http, spawn_bot};
use crate::support::db::{TestDb, at};
use crate::support::fake_discord::{CHANNEL_ID, Call, FakeDiscord, GUILD_ID};
use crate::support::{admin, alice, bob};

fn channel(time: &str) -> DailyChannel {
    DailyChannel {
        channel_id: CHANNEL_ID.to_string(),
        guild_id: GUILD_ID.to_string(),
        time: PostTime::parse(time).unwrap(),
        time_zone: Montreal,
        deck: Some(DeckId::parse("crm-etapes").unwrap()),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The channel messages the bot posted.
fn posts(fake: &FakeDiscord) -> Vec<Call> {
    fake.calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path == format!("/channels/{CHANNEL_ID}/messages"))
        .collect()
}

/// One step of the poster at `now`, on a fresh fake Discord's calls.
struct Poster {
    fake: FakeDiscord,
    http: serenity::Http,
    library: Library,
}

impl Poster {
    async fn new() -> Self {
        let fake = FakeDiscord::start().await;
        let http = http(&fake);
        Self {
            fake,
            http,
            library: library(),
        }
    }

    async fn step(&self, store: &Store, now: Millis) -> Outcome {
        try_post_due(&self.http, store, &self.library, now)
            .await
            .expect("the step runs")
    }
}

/// A bot process posts only the dailies of the servers on its shards.
#[tokio::test]
async fn a_process_posts_only_the_dailies_of_its_own_servers() {
    let db = TestDb::sqlite().await;
    let p = Poster::new().await;
    db.store
        .set_daily(&channel("08:00"), at(2026, 1, 5, 7, 0))
        .await
        .unwrap();
    let now = at(2026, 1, 5, 8, 1);
    let others = Scope {
        mine: &|g| g != GUILD_ID,
        ..Scope::ALL
    };
    let others = try_post_due_for(&p.http, &db.store, &p.library, now, &others)
        .await
        .unwrap();
    assert!(others.posted.is_empty(), "not this process's server");
    assert!(posts(&p.fake).is_empty());
    let mine = Scope {
        mine: &|g| g == GUILD_ID,
        ..Scope::ALL
    };
    let mine = try_post_due_for(&p.http, &db.store, &p.library, now, &mine)
        .await
        .unwrap();
    assert_eq!(mine.posted.len(), 1);
    assert_eq!(posts(&p.fake).len(), 1);
}

/// Issue 15, item 7: the post speaks its server's language (Discord's
/// preferred locale), French when unknown; the reveal the next day too.
#[tokio::test]
async fn the_daily_post_speaks_the_servers_language() {
    let db = TestDb::sqlite().await;
    let p = Poster::new().await;
    db.store
        .set_daily(&channel("08:00"), at(2026, 1, 5, 7, 0))
        .await
        .unwrap();
    let english = |g: u64| (g == GUILD_ID).then(|| "en-US".to_string());
    let english = Scope {
        locale: &english,
        ..Scope::ALL
    };
    let step = |now| try_post_due_for(&p.http, &db.store, &p.library, now, &english);
    step(at(2026, 1, 5, 8, 1)).await.unwrap();
    step(at(2026, 1, 6, 8, 1)).await.unwrap();
    let posts = posts(&p.fake);
    assert_eq!(posts.len(), 2);
    let text = posts[1].text();
    for line in [
        "Question of the day — Tuesday 6 January 2026",
        "Answer to the previous question",
        "Nobody answered.",
        "Answer with the button: the feedback is private.",
        "Answer",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert!(!text.contains("Répondre"), "{text}");
    // Unknown locale: French.
    let unknown = Scope {
        locale: &|_| None,
        ..Scope::ALL
    };
    let fr = try_post_due_for(
        &p.http,
        &db.store,
        &p.library,
        at(2026, 1, 7, 8, 1),
        &unknown,
    );
    fr.await.unwrap();
    let text = self::posts(&p.fake)[2].text();
    assert!(
        text.contains("Question du jour — mercredi 7 janvier 2026"),
        "{text}"
    );
    assert!(text.contains("Répondre"), "{text}");
}

#[tokio::test]
async fn posts_once_at_the_local_time_then_reveals_yesterday() {
    let db = TestDb::sqlite().await;
    let p = Poster::new().await;
    db.store
        .set_daily(&channel("08:00"), at(2026, 1, 5, 7, 0))
        .await
        .unwrap();

    let early = p.step(&db.store, at(2026, 1, 5, 7, 59)).await;
    assert!(early.posted.is_empty());
    assert_eq!(early.next_due, Some(at(2026, 1, 5, 8, 0)));

    let first = p.step(&db.store, at(2026, 1, 5, 8, 1)).await;
    assert_eq!(
        first.posted,
        vec![(CHANNEL_ID.to_string(), date(2026, 1, 5))]
    );
    assert_eq!(first.next_due, Some(at(2026, 1, 6, 8, 0)));
    let later = p.step(&db.store, at(2026, 1, 5, 21, 0)).await;
    assert!(later.posted.is_empty(), "one post a day");
    assert_eq!(posts(&p.fake).len(), 1);
    let post = &posts(&p.fake)[0];
    assert!(
        post.text()
            .contains("Question du jour — lundi 5 janvier 2026")
    );
    assert!(!post.text().contains("Réponse de la question précédente"));
    assert_eq!(
        post.custom_ids(),
        vec!["daily:answer:2026-01-05".to_string()]
    );
    assert_eq!(
        post.body.as_ref().unwrap()["allowed_mentions"]["parse"],
        json!([])
    );

    let channel_id = CHANNEL_ID.to_string();
    let day1 = db
        .store
        .daily_post(&channel_id, date(2026, 1, 5))
        .await
        .unwrap()
        .unwrap();
    for (user, right) in [("u1", true), ("u2", false), ("u3", true)] {
        let answered_at = at(2026, 1, 5, 9, 0);
        assert!(crate::support::answer_daily(&db.store, &day1, user, right, answered_at).await);
    }
    let next = p.step(&db.store, at(2026, 1, 6, 8, 0)).await;
    assert_eq!(next.posted.len(), 1);
    let second = &posts(&p.fake)[1];
    assert!(second.text().contains("Réponse de la question précédente"));
    assert!(
        second.text().contains("2 sur 3 ont eu juste."),
        "{}",
        second.text()
    );
    let lib = library();
    let (_, card1) = lib
        .card(day1.key.deck.as_str(), day1.key.card.as_str())
        .unwrap();
    let expected1 = session::prompt(card1, day1.key.direction).expected;
    assert!(
        second.text().contains(expected1.trim()),
        "yesterday's answer is revealed"
    );
    let third = p.step(&db.store, at(2026, 1, 7, 8, 0)).await;
    assert_eq!(third.posted.len(), 1);
    assert!(posts(&p.fake)[2].text().contains("Personne n'a répondu."));
    let day2 = db
        .store
        .daily_post(&channel_id, date(2026, 1, 6))
        .await
        .unwrap()
        .unwrap();
    assert_ne!(day1.key, day2.key, "never the same card two days running");
    assert!(day2.message_id.is_some(), "the message id is kept");
    db.finish().await;
}

#[tokio::test]
async fn the_card_members_most_need_is_asked_first() {
    let db = TestDb::sqlite().await;
    let p = Poster::new().await;
    let settings = channel("08:00");
    db.store
        .set_daily(&settings, at(2026, 1, 5, 7, 0))
        .await
        .unwrap();
    let items = session::items(&p.library, settings.deck.as_ref());
    let needed = &items[4];
    // Two members of the server have card 4 overdue.
    let scheduler = Scheduler::new(Default::default());
    for member in ["m1", "m2"] {
        let user = db
            .store
            .user(member, &Default::default(), at(2026, 1, 1, 9, 0))
            .await
            .unwrap();
        db.store
            .touch_member(&settings.guild_id, member, member, at(2026, 1, 1, 9, 0))
            .await
            .unwrap();
        let reviewed = scheduler.review(None, Rating::Again, at(2026, 1, 1, 9, 0));
        let review = rappel::core::review::Review {
            key: needed.key.clone(),
            at: at(2026, 1, 1, 9, 0),
            rating: Rating::Again,
            verdict: None,
            answer_ms: 1000,
            origin: rappel::core::review::Origin::Study,
            state: reviewed.state,
            interval_days: reviewed.interval_days,
        };
        db.store.record_review(&user, &review).await.unwrap();
    }
    p.step(&db.store, at(2026, 1, 5, 8, 0)).await;
    let post = db
        .store
        .daily_post(&settings.channel_id, date(2026, 1, 5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(post.key, needed.key);
    // Not the same card the next day, although it is still the most needed.
    p.step(&db.store, at(2026, 1, 6, 8, 0)).await;
    let next = db
        .store
        .daily_post(&settings.channel_id, date(2026, 1, 6))
        .await
        .unwrap()
        .unwrap();
    assert_ne!(next.key, needed.key);
    db.finish().await;
}

#[tokio::test]
async fn a_restart_after_the_time_posts_the_missed_day_once_without_backlog() {
    let db = TestDb::sqlite().await;
    let p = Poster::new().await;
    db.store
        .set_daily(&channel("08:00"), at(2026, 1, 5, 7, 0))
        .await
        .unwrap();
    p.step(&db.store, at(2026, 1, 5, 8, 0)).await;
    // Down from the 5th to the 9th at 15:00.
    let back = p.step(&db.store, at(2026, 1, 9, 15, 0)).await;
    assert_eq!(
        back.posted,
        vec![(CHANNEL_ID.to_string(), date(2026, 1, 9))]
    );
    let again = p.step(&db.store, at(2026, 1, 9, 15, 1)).await;
    assert!(again.posted.is_empty());
    assert_eq!(posts(&p.fake).len(), 2);
    for missed in 6..=8 {
        let post = db
            .store
            .daily_post(&CHANNEL_ID.to_string(), date(2026, 1, missed))
            .await
            .unwrap();
        assert!(post.is_none(), "no backlog for the {missed}th");
    }
    db.finish().await;
}

#[tokio::test]
async fn the_post_stays_at_local_time_across_daylight_saving() {
    let db = TestDb::sqlite().await;
    let p = Poster::new().await;
    db.store
        .set_daily(&channel("08:00"), at(2026, 3, 6, 7, 0))
        .await
        .unwrap();
    // 2026-03-08: Montreal moves from UTC-5 to UTC-4 at 02:00.
    let before = p.step(&db.store, at(2026, 3, 7, 8, 0)).await;
    assert_eq!(before.posted.len(), 1);
    assert_eq!(before.next_due, Some(at(2026, 3, 8, 8, 0)));
    // 08:00 EDT is 12:00 UTC, an hour earlier in UTC than the day before.
    assert_eq!(
        at(2026, 3, 8, 8, 0) - at(2026, 3, 7, 8, 0),
        days(1) - 3_600_000
    );
    let one_minute_early = p.step(&db.store, at(2026, 3, 8, 7, 59)).await;
    assert!(one_minute_early.posted.is_empty());
    let on_time = p.step(&db.store, at(2026, 3, 8, 8, 0)).await;
    assert_eq!(
        on_time.posted,
        vec![(CHANNEL_ID.to_string(), date(2026, 3, 8))]
    );
    db.finish().await;
}

/// Two posters with their own connections race for the same slots.
async fn two_processes_post_once(db: TestDb) {
    let p = Poster::new().await;
    let other = Store::connect(&db.url).await.expect("a second connection");
    db.store
        .set_daily(&channel("08:00"), at(2026, 1, 5, 7, 0))
        .await
        .unwrap();
    for day in 5..=9 {
        let now = at(2026, 1, day, 8, 0);
        let (a, b) = tokio::join!(p.step(&db.store, now), p.step(&other, now));
        assert_eq!(a.posted.len() + b.posted.len(), 1, "day {day}: one winner");
        // The other saw the post already made, or lost the claim.
        assert!(a.lost_claims + b.lost_claims <= 1);
        assert_eq!(posts(&p.fake).len(), (day - 4) as usize);
    }
    other.close().await;
    db.finish().await;
}

/// Many connections claim the same slot at once: exactly one gets it.
async fn one_claim_wins(db: TestDb) {
    let others = [
        Store::connect(&db.url).await.unwrap(),
        Store::connect(&db.url).await.unwrap(),
        Store::connect(&db.url).await.unwrap(),
    ];
    let settings = channel("08:00");
    let lib = library();
    let items = session::items(&lib, settings.deck.as_ref());
    let now = at(2026, 1, 5, 8, 0);
    let day = date(2026, 1, 5);
    let claims = futures::future::join_all(
        std::iter::once(&db.store)
            .chain(others.iter())
            .enumerate()
            .map(|(i, store)| store.claim_daily_slot(&settings, day, &items[i].key, now)),
    )
    .await;
    let won: Vec<usize> = claims
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| c.unwrap().then_some(i))
        .collect();
    assert_eq!(won.len(), 1, "{won:?}");
    let kept = db
        .store
        .daily_post(&settings.channel_id, day)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.key, items[won[0]].key,
        "the winner's card is the day's card"
    );
    for store in others {
        store.close().await;
    }
    db.finish().await;
}

#[tokio::test]
async fn one_concurrent_claim_wins_sqlite() {
    one_claim_wins(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn one_concurrent_claim_wins_postgres() {
    one_claim_wins(TestDb::postgres().await).await;
}

#[tokio::test]
async fn two_processes_post_once_per_day_sqlite() {
    two_processes_post_once(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn two_processes_post_once_per_day_postgres() {
    two_processes_post_once(TestDb::postgres().await).await;
}

#[tokio::test]
async fn daily_streak_counts_consecutive_answered_days() {
    let db = TestDb::sqlite().await;
    let p = Poster::new().await;
    db.store
        .set_daily(&channel("08:00"), at(2026, 1, 1, 7, 0))
        .await
        .unwrap();
    let channel_id = CHANNEL_ID.to_string();
    let guild = GUILD_ID.to_string();
    // Answers on the 1st, then the 3rd, 4th, 5th (the 2nd skipped).
    for (day, answers) in [(1, true), (2, false), (3, true), (4, true), (5, true)] {
        p.step(&db.store, at(2026, 1, day, 8, 0)).await;
        if answers {
            let post = db
                .store
                .daily_post(&channel_id, date(2026, 1, day))
                .await
                .unwrap()
                .unwrap();
            assert!(
                crate::support::answer_daily(
                    &db.store,
                    &post,
                    "u1",
                    day % 2 == 1,
                    at(2026, 1, day, 9, 0)
                )
                .await
            );
            assert!(
                !crate::support::answer_daily(&db.store, &post, "u1", true, at(2026, 1, day, 9, 1))
                    .await,
                "the first answer counts"
            );
        }
    }
    let streak = |today| db.store.daily_streak(&guild, "u1", today);
    assert_eq!(streak(date(2026, 1, 5)).await.unwrap(), 3);
    assert_eq!(
        streak(date(2026, 1, 6)).await.unwrap(),
        3,
        "still on the next day"
    );
    assert_eq!(
        streak(date(2026, 1, 7)).await.unwrap(),
        0,
        "broken after a missed day"
    );
    assert_eq!(
        db.store
            .daily_streak(&guild, "nobody", date(2026, 1, 5))
            .await
            .unwrap(),
        0
    );
    let (right, answered) = db
        .store
        .daily_results(&channel_id, date(2026, 1, 4))
        .await
        .unwrap();
    assert_eq!((right, answered), (0, 1));
    db.finish().await;
}

#[test]
fn before_an_exam_the_card_weakest_on_exam_day_comes_first() {
    let scheduler = Scheduler::new(Default::default());
    let t0 = at(2026, 1, 5, 10, 0);
    let strong = scheduler.review(None, Rating::Easy, t0).state;
    let weak = scheduler.review(None, Rating::Hard, t0).state;
    let cards: Vec<(&str, &CardState)> = vec![("strong", &strong), ("weak", &weak)];
    let exam_at = exam_instant(date(2026, 2, 1), Montreal);
    let pick = weakest_on_exam_day(&scheduler, cards.iter().map(|(k, s)| (k, *s)), exam_at);
    assert_eq!(pick, Some(&"weak"));
    assert_eq!(
        exam_instant(date(2026, 2, 1), Montreal),
        at(2026, 2, 1, 12, 0)
    );
}

// ---------------------------------------------------------------- end to end

/// A subcommand as Discord sends it: `[{name, type 1, options}]`.
fn sub(name: &str, options: Value) -> Value {
    json!([{"name": name, "type": 1, "options": options}])
}

#[tokio::test]
async fn daily_end_to_end_set_post_answer_privately() {
    let e = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let opts = json!([{"name": "time", "value": "00:00", "type": 3}, {"name": "deck", "value": "crm-etapes", "type": 3}]);
    let refused = e
        .slash(&alice(), "fr", "daily", sub("set", opts.clone()))
        .await;
    assert!(refused.text().contains("Gérer le serveur"), "{refused:?}");
    let set = e.slash(&admin(), "fr", "daily", sub("set", opts)).await;
    assert!(
        set.text().contains("00:00") && set.text().contains("America/Montreal"),
        "{set:?}"
    );
    let show = e
        .slash(&alice(), "fr", "daily", sub("show", json!([])))
        .await;
    assert!(show.text().contains("crm-etapes"), "{show:?}");

    // The poster's step (another process, its own connection) posts today's question.
    let store = e.store().await;
    let outcome = try_post_due(&http(&e.fake), &store, &library(), now_ms())
        .await
        .unwrap();
    assert_eq!(outcome.posted.len(), 1);
    let post_call = posts(&e.fake).pop().expect("a post");
    let answer_id = post_call.custom_ids().pop().unwrap();
    let (_, today) = outcome.posted[0].clone();
    let post = store
        .daily_post(&CHANNEL_ID.to_string(), today)
        .await
        .unwrap()
        .unwrap();
    let lib = library();
    let (_, card) = lib
        .card(post.key.deck.as_str(), post.key.card.as_str())
        .unwrap();
    let expected = session::prompt(card, post.key.direction)
        .expected
        .to_string();

    let modal = e.click(&alice(), "fr", &answer_id).await;
    assert_eq!(modal.callback_type(), Some(9), "a modal opens: {modal:?}");
    let submit = modal
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("daily:submit:"))
        .unwrap();
    let sent = e
        .fake
        .submit_modal(&alice(), "fr", &submit, &[("answer", &expected)]);
    let graded = e.fake.reply_to(&sent).await;
    let message = graded.message().expect("a message");
    assert_eq!(message["flags"], json!(64), "graded privately");
    assert!(graded.text().contains("Série : 1 jour"), "{graded:?}");

    let Store::Sqlite(pool, _) = &store else {
        panic!()
    };
    let origins: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT user_id, origin, rating FROM reviews")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(origins.len(), 1);
    assert_eq!(origins[0].0, alice().id.to_string());
    assert_eq!(origins[0].1, "daily");
    assert!(
        origins[0].2 >= 3,
        "the expected answer is right: {origins:?}"
    );
    assert_eq!(
        store
            .daily_results(&CHANNEL_ID.to_string(), today)
            .await
            .unwrap(),
        (1, 1)
    );

    let again = e.click(&alice(), "fr", &answer_id).await;
    assert!(again.text().contains("déjà répondu"), "{again:?}");
    // Tomorrow's post closes today's question.
    let tomorrow = try_post_due(&http(&e.fake), &store, &library(), now_ms() + days(1))
        .await
        .unwrap();
    assert_eq!(tomorrow.posted.len(), 1);
    let closed = e.click(&bob(), "fr", &answer_id).await;
    assert!(closed.text().contains("close"), "{closed:?}");
    let off = e
        .slash(&admin(), "fr", "daily", sub("off", json!([])))
        .await;
    assert!(off.text().contains("désactivée"), "{off:?}");
    assert!(store.daily_channels(None).await.unwrap().is_empty());
    store.close().await;
    e.stop().await;
}

/// Issue 14, item 6: a daily answer was three transactions (the member's
/// answer, the server they use, the review); when the review failed, the
/// answer stayed without it and the member could not answer again. Now
/// it is one: a failed review leaves nothing, and the member answers again.
#[tokio::test]
async fn a_daily_answer_whose_review_fails_leaves_nothing_and_can_be_given_again() {
    let e = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let opts = json!([{"name": "time", "value": "00:00", "type": 3}, {"name": "deck", "value": "crm-etapes", "type": 3}]);
    e.slash(&admin(), "fr", "daily", sub("set", opts)).await;
    let store = e.store().await;
    let outcome = try_post_due(&http(&e.fake), &store, &library(), now_ms())
        .await
        .unwrap();
    assert_eq!(outcome.posted.len(), 1);
    let answer_id = posts(&e.fake).pop().unwrap().custom_ids().pop().unwrap();
    let Store::Sqlite(pool, _) = &store else {
        panic!()
    };
    // The review's INSERT fails (not a passing failure: no retry).
    sqlx::query(
        "CREATE TRIGGER reviews_fail BEFORE INSERT ON reviews \
         BEGIN SELECT RAISE(ABORT, 'test: the review cannot be written'); END",
    )
    .execute(pool)
    .await
    .unwrap();
    let submit = |modal: &Call| {
        modal
            .custom_ids()
            .into_iter()
            .find(|id| id.starts_with("daily:submit:"))
            .unwrap()
    };
    let modal = e.click(&alice(), "fr", &answer_id).await;
    let sent = e
        .fake
        .submit_modal(&alice(), "fr", &submit(&modal), &[("answer", "banane")]);
    let failed = e.fake.reply_to(&sent).await;
    assert!(!failed.text().contains("Série"), "not graded: {failed:?}");
    let count = |table: &'static str| async move {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE {} = $1",
            if table == "users" { "id" } else { "user_id" }
        )))
        .bind(alice().id.to_string())
        .fetch_one(pool)
        .await
        .unwrap();
        n
    };
    assert_eq!(
        count("daily_answers").await,
        0,
        "no answer without its review"
    );
    assert_eq!(count("guild_members").await, 0);
    assert_eq!(count("reviews").await, 0);

    sqlx::query("DROP TRIGGER reviews_fail")
        .execute(pool)
        .await
        .unwrap();
    let modal = e.click(&alice(), "fr", &answer_id).await;
    assert_eq!(modal.callback_type(), Some(9), "answers again: {modal:?}");
    let sent = e
        .fake
        .submit_modal(&alice(), "fr", &submit(&modal), &[("answer", "banane")]);
    let graded = e.fake.reply_to(&sent).await;
    assert!(graded.text().contains("Série : 1 jour"), "{graded:?}");
    assert_eq!(count("daily_answers").await, 1);
    assert_eq!(count("guild_members").await, 1);
    assert_eq!(count("reviews").await, 1);
    store.close().await;
    e.stop().await;
}

#[tokio::test]
async fn daily_typed_dont_know_shows_the_answer_and_is_rated_again() {
    let e = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let opts = json!([{"name": "time", "value": "00:00", "type": 3}, {"name": "deck", "value": "crm-etapes", "type": 3}]);
    e.slash(&admin(), "fr", "daily", sub("set", opts)).await;
    let store = e.store().await;
    let outcome = try_post_due(&http(&e.fake), &store, &library(), now_ms())
        .await
        .unwrap();
    assert_eq!(outcome.posted.len(), 1);
    let answer_id = posts(&e.fake)
        .pop()
        .expect("a post")
        .custom_ids()
        .pop()
        .unwrap();
    let (_, today) = outcome.posted[0].clone();
    let post = store
        .daily_post(&CHANNEL_ID.to_string(), today)
        .await
        .unwrap()
        .unwrap();
    let lib = library();
    let (_, card) = lib
        .card(post.key.deck.as_str(), post.key.card.as_str())
        .unwrap();
    let expected = session::prompt(card, post.key.direction)
        .expected
        .to_string();

    let modal = e.click(&alice(), "fr", &answer_id).await;
    let submit = modal
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("daily:submit:"))
        .unwrap();
    let sent = e
        .fake
        .submit_modal(&alice(), "fr", &submit, &[("answer", "aucune idée")]);
    let reply = e.fake.reply_to(&sent).await;
    let text = reply.text();
    assert!(text.contains("Pas de réponse"), "{text}");
    assert!(!text.contains("Faux"), "{text}");
    let first_line = expected.lines().next().expect("an answer");
    assert!(text.contains(first_line), "the answer is shown: {text}");

    let Store::Sqlite(pool, _) = &store else {
        panic!()
    };
    let rows: Vec<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT origin, rating, verdict FROM reviews")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(rows, [("daily".to_string(), 1, None)]);
    assert_eq!(
        store
            .daily_results(&CHANNEL_ID.to_string(), today)
            .await
            .unwrap(),
        (0, 1)
    );
    store.close().await;
    e.stop().await;
}

#[tokio::test]
async fn daily_show_lists_the_servers_dailies_anywhere_and_off_takes_a_channel() {
    let e = spawn_bot(BotConfig::default().no_daily_loop()).await;
    const REVISION: u64 = 1_300_000_000_000_000_042;
    let channel = json!({"name": "channel", "type": 7, "value": REVISION.to_string()});
    let opts = json!([{"name": "time", "value": "08:30"}, channel, {"name": "timezone", "value": "Europe/Paris"}, {"name": "deck", "value": "crm-etapes"}]);
    let set = e.slash(&admin(), "fr", "daily", sub("set", opts)).await;
    assert!(set.text().contains(&format!("<#{REVISION}>")), "{set:?}");
    // Shown from another channel (the test's), with everything a member needs.
    let show = e
        .slash(&alice(), "fr", "daily", sub("show", json!([])))
        .await
        .text();
    for part in [
        format!("<#{REVISION}>"),
        "08:30".to_string(),
        "Europe/Paris".to_string(),
        "crm-etapes".to_string(),
        "Prochaine question <t:".to_string(),
    ] {
        assert!(show.contains(&part), "{part} in {show}");
    }
    // Off, from the test's channel, names the channel.
    let channel = json!({"name": "channel", "type": 7, "value": REVISION.to_string()});
    let off = e
        .slash(&admin(), "fr", "daily", sub("off", json!([channel])))
        .await;
    assert!(
        off.text()
            .contains(&format!("Question du jour désactivée dans <#{REVISION}>.")),
        "{off:?}"
    );
    let show = e
        .slash(&alice(), "en-US", "daily", sub("show", json!([])))
        .await;
    assert!(
        show.text().contains("No daily question on this server"),
        "{show:?}"
    );
    e.stop().await;
}

#[tokio::test]
async fn exam_end_to_end_countdown_and_forecast() {
    let e = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let none = e
        .slash(&alice(), "fr", "exam", sub("show", json!([])))
        .await;
    assert!(none.text().contains("Aucun examen"), "{none:?}");
    let exam_day = chrono::Utc::now().date_naive() + chrono::Duration::days(20);
    let opts = json!([{"name": "date", "value": exam_day.to_string(), "type": 3}, {"name": "deck", "value": "crm-etapes", "type": 3}]);
    let refused = e
        .slash(&alice(), "fr", "exam", sub("set", opts.clone()))
        .await;
    assert!(refused.text().contains("Gérer le serveur"), "{refused:?}");
    let bad = e
        .slash(
            &admin(),
            "fr",
            "exam",
            sub(
                "set",
                json!([{"name": "date", "value": "15/12", "type": 3}]),
            ),
        )
        .await;
    assert!(bad.text().contains("AAAA-MM-JJ"), "{bad:?}");
    let set = e.slash(&admin(), "fr", "exam", sub("set", opts)).await;
    // The day written out (its format is checked in `messages`).
    let written =
        rappel::discord::messages::long_date(rappel::discord::messages::Lang::Fr, exam_day);
    assert!(
        set.text().contains(&format!("Examen fixé au {written}")),
        "{set:?}"
    );

    // Alice knows two cards of the deck.
    let store = e.store().await;
    let user = store
        .user(&alice().id.to_string(), &Default::default(), now_ms())
        .await
        .unwrap();
    let lib = library();
    let deck = DeckId::parse("crm-etapes").unwrap();
    let items = session::items(&lib, Some(&deck));
    let scheduler = Scheduler::new(user.scheduler_config());
    let t0 = now_ms() - days(3);
    for item in items.iter().take(2) {
        let reviewed = scheduler.review(None, Rating::Good, t0);
        let review = rappel::core::review::Review {
            key: item.key.clone(),
            at: t0,
            rating: Rating::Good,
            verdict: None,
            answer_ms: 1000,
            origin: rappel::core::review::Origin::Study,
            state: reviewed.state,
            interval_days: reviewed.interval_days,
        };
        store.record_review(&user, &review).await.unwrap();
    }
    let show = e
        .slash(&alice(), "fr", "exam", sub("show", json!([])))
        .await;
    let text = show.text();
    assert_eq!(show.message().unwrap()["flags"], json!(64));

    let states: HashMap<_, _> = store
        .card_states(&user.id, Some(&deck))
        .await
        .unwrap()
        .into_iter()
        .collect();
    let per_card: Vec<_> = items.iter().map(|i| states.get(&i.key).cloned()).collect();
    let exam_at = exam_instant(exam_day, Montreal);
    let r = readiness::forecast(&scheduler, &per_card, now_ms(), exam_at, 0.9);
    assert!(r.predicted > 0.0 && r.predicted < 0.5);
    let pct = (r.predicted * 100.0).round() as u32;
    assert!(
        text.contains(&format!(
            "Prévision pour vous : {pct} % des {} cartes",
            items.len()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("les {} cartes jamais vues", items.len() - 2)),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Examen le {written} (crm-etapes) : dans {} jours",
            r.days_left
        )),
        "{text}"
    );
    let per_day = r.reviews_per_day.expect("days are left");
    assert!(per_day > 0);
    assert!(
        text.contains(&format!("environ {per_day} révision")),
        "{text}"
    );
    store.close().await;
    e.stop().await;
}

#[tokio::test]
async fn before_an_exam_study_asks_the_card_weakest_on_exam_day_first() {
    let e = spawn_bot(BotConfig::default().no_daily_loop()).await;
    let store = e.store().await;
    let user = store
        .user(&alice().id.to_string(), &Default::default(), now_ms())
        .await
        .unwrap();
    let lib = library();
    let deck = DeckId::parse("crm-etapes").unwrap();
    let items = session::items(&lib, Some(&deck));
    let now = now_ms();
    // `sturdy` is due first but well remembered; `fragile` is due later
    // and will be mostly forgotten on exam day.
    let (sturdy, fragile) = (&items[0], &items[1]);
    for (item, stability, due) in [
        (sturdy, 40.0, now - days(2)),
        (fragile, 1.5, now - 3_600_000),
    ] {
        let state = CardState {
            phase: rappel::core::schedule::Phase::Review,
            step: 0,
            stability,
            difficulty: 5.0,
            due,
            last_review: Some(due - days(stability as i64)),
            reps: 3,
            lapses: 0,
        };
        let review = rappel::core::review::Review {
            key: item.key.clone(),
            at: due - days(stability as i64),
            rating: Rating::Good,
            verdict: None,
            answer_ms: 1000,
            origin: rappel::core::review::Origin::Study,
            state,
            interval_days: stability as u32,
        };
        store.record_review(&user, &review).await.unwrap();
    }
    let shown = |item: &session::Item| {
        session::prompt(&item.card, item.key.direction)
            .shown
            .to_string()
    };
    let study = json!([{"name": "deck", "value": "crm-etapes"}]);
    let before = e.fake.slash(&alice(), "fr", "study", study.clone());
    let before = e.fake.reply_to(&before).await;
    assert!(
        before.text().contains(&shown(sturdy)),
        "earliest due first without an exam"
    );

    let exam_day = chrono::Utc::now().date_naive() + chrono::Duration::days(30);
    let opts = json!([{"name": "date", "value": exam_day.to_string(), "type": 3}]);
    e.slash(&admin(), "fr", "exam", sub("set", opts)).await;
    let after = e.fake.slash(&alice(), "fr", "study", study);
    let after = e.fake.reply_to(&after).await;
    assert!(after.text().contains(&shown(fragile)), "{}", after.text());
    store.close().await;
    e.stop().await;
}
