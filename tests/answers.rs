//! Issue 14: nothing a student does is lost or counted twice. Answers are
//! recorded under a key (`Store::record_answer`), their card state read in
//! the writing transaction; a retry after a lost COMMIT writes nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use rappel::chart::DayReviews;
use rappel::core::daily::PostTime;
use rappel::core::deck::{CardId, DeckId};
use rappel::core::review::{Answered, CardKey, Direction, Origin};
use rappel::core::schedule::{Millis, Rating};
use rappel::store::{DailyChannel, NewQuiz, QuizAnswer, QuizAward, Store, User, Who};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::db::{TestDb, at, on_both, review_log as log, right_answer, user};

fn card() -> CardKey {
    CardKey::new(
        &DeckId::parse("grc").unwrap(),
        &CardId::parse("fidelisation").unwrap(),
        Direction::Forward,
    )
}

fn answered(origin: Origin, at: Millis) -> Answered {
    right_answer(card(), origin, at)
}

on_both! {
    concurrent_study_and_quiz_answers_on_one_card_are_all_counted(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        let n = 6u32;
        let mut writers = tokio::task::JoinSet::new();
        for i in 0..n {
            let (store, alice) = (store.clone(), alice.clone());
            writers.spawn(async move {
                let at = now + i64::from(i);
                if i % 2 == 0 {
                    let key = format!("study:test:{i}");
                    store.record_answer(&alice, &key, &answered(Origin::Study, at)).await.map(|_| ())
                } else {
                    let answer = QuizAnswer {
                        user: alice.clone(),
                        key: QuizAnswer::key(1, i),
                        answered: answered(Origin::Quiz, at),
                    };
                    store.record_quiz_writes(&[], &[], &[answer]).await.map(|_| ())
                }
            });
        }
        while let Some(done) = writers.join_next().await {
            done.unwrap().unwrap();
        }
        let state = store.card_state("alice", &card()).await.unwrap().expect("a state");
        assert_eq!(state.reps, n, "every answer stepped the state: {state:?}");
        let mut reps: Vec<i64> = log(store, "alice").await.into_iter().map(|(r, _)| r).collect();
        reps.sort();
        assert_eq!(reps, (1..=i64::from(n)).collect::<Vec<_>>(), "each answer read the state the one before wrote");
    }

    an_answer_recorded_twice_under_one_key_is_stored_once(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        let first = store.record_answer(&alice, "daily:1:2026-03-02", &answered(Origin::Daily, now)).await.unwrap();
        let again = store.record_answer(&alice, "daily:1:2026-03-02", &answered(Origin::Daily, now + 5)).await.unwrap();
        assert!(first.fresh && !again.fresh);
        assert_eq!((again.rating, again.interval_days, again.state), (first.rating, first.interval_days, first.state));
        let quiz = QuizAnswer { user: alice.clone(), key: QuizAnswer::key(7, 0), answered: answered(Origin::Quiz, now + 10) };
        store.record_quiz_writes(&[], &[], std::slice::from_ref(&quiz)).await.unwrap();
        store.record_quiz_writes(&[], &[], &[quiz]).await.unwrap();
        assert_eq!(log(store, "alice").await.len(), 2);
        assert_eq!(store.card_state("alice", &card()).await.unwrap().unwrap().reps, 2);
    }
}

on_both! {
    // Issue 14: a quiz's writes after /forget-me created the user again.
    quiz_writes_of_a_player_forgotten_mid_quiz_are_dropped(store) {
        let now = at(2026, 3, 2, 9, 0);
        let alice = User { id: "alice".into(), ..user(store, "setup").await };
        let bob = user(store, "bob").await;
        let quiz_id = store.begin_quiz(&NewQuiz {
            guild_id: Some("g1".into()), channel_id: "c1".into(), starter_id: "bob".into(),
            deck: DeckId::parse("grc").unwrap(), n_questions: 3, language: "fr".into(), started_at: now,
            answer_ms: 20_000,
        }).await.unwrap();
        let award = |user: &str, question: u32| QuizAward {
            quiz_id, question, user_id: user.into(), points: 10, first: true, right: true, at: now,
        };
        let quiz_answer = |user: &User, question: u32| QuizAnswer {
            user: user.clone(), key: QuizAnswer::key(quiz_id, question), answered: answered(Origin::Quiz, now + i64::from(question)),
        };
        // Alice's first answer creates her.
        let dropped = store.record_quiz_writes(std::slice::from_ref(&alice), &[award("alice", 0)], &[quiz_answer(&alice, 0)]).await.unwrap();
        assert!(dropped.is_empty());
        store.forget_user("alice").await.unwrap();
        // Her answer in flight when she ran /forget-me, in a batch with bob's.
        let dropped = store
            .record_quiz_writes(&[], &[award("alice", 1), award("bob", 1)], &[quiz_answer(&alice, 1), quiz_answer(&bob, 1)])
            .await
            .unwrap();
        assert_eq!(dropped, ["alice"]);
        assert_eq!(store.find_user("alice").await.unwrap(), None, "not created again");
        assert!(log(store, "alice").await.is_empty());
        let totals = store.quiz_totals(quiz_id).await.unwrap();
        assert_eq!(totals.iter().map(|t| t.user_id.as_str()).collect::<Vec<_>>(), ["bob"]);
        assert_eq!(log(store, "bob").await.len(), 1, "the others' writes are kept");
    }
}

on_both! {
    // Issue 14: /stats and /forget-me counted a self-rating's correcting
    // row as a second review.
    a_self_rated_answer_counts_once_in_stats_export_and_forget_me(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        let key = "study:grc:fidelisation:forward:1";
        store.record_answer(&alice, key, &answered(Origin::Study, now)).await.unwrap();
        // The student rates it Again: the answer now counts as missed.
        let rated = format!("{key}:rated");
        store.amend_answer(&alice, key, &rated, Rating::Again).await.unwrap().expect("amended");
        assert_eq!(log(store, "alice").await.len(), 2, "the log keeps both rows");
        let later = now + 60_000;
        let stats = store.stats(&alice, later).await.unwrap();
        assert_eq!(stats.reviews_30d, 1, "{stats:?}");
        assert_eq!(stats.retention_30d, Some(0.0), "the self-rating's rating counts: {stats:?}");
        assert_eq!(store.reviews_per_day(&alice, later, 3).await.unwrap(), [0, 0, 1]);
        assert_eq!(store.new_cards_today(&alice, later).await.unwrap(), 1);
        let activity = store.activity(Who::User("alice"), later, alice.time_zone, 2, 1).await.unwrap();
        assert_eq!(activity.chart.reviews, [DayReviews::default(), DayReviews { right: 0, wrong: 1 }]);
        let exported = store.review_log("alice").await.unwrap();
        assert_eq!(exported.len(), 1, "{exported:?}");
        assert_eq!(exported[0].rating, 1, "exported with its corrected rating");
        let forgotten = store.forget_user("alice").await.unwrap();
        assert_eq!(forgotten.reviews, 1, "{forgotten:?}");
        assert!(log(store, "alice").await.is_empty(), "both rows deleted");
    }
}

/// Runs `sql` on the store's pool (test setup).
async fn exec(store: &Store, sql: &'static str) {
    match store {
        Store::Sqlite(pool, _) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        Store::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap()
}

/// From now on every INSERT into `reviews` fails (for good: no retry).
async fn break_review_inserts(store: &Store) {
    match store {
        Store::Sqlite(..) => {
            exec(
                store,
                "CREATE TRIGGER reviews_fail BEFORE INSERT ON reviews \
             BEGIN SELECT RAISE(ABORT, 'test: the review cannot be written'); END",
            )
            .await
        }
        Store::Postgres(_) => {
            exec(
                store,
                "CREATE FUNCTION reviews_fail() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'test: the review cannot be written'; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER reviews_fail BEFORE INSERT ON reviews \
             FOR EACH ROW EXECUTE FUNCTION reviews_fail();",
            )
            .await
        }
    }
}

async fn mend_review_inserts(store: &Store) {
    match store {
        Store::Sqlite(..) => exec(store, "DROP TRIGGER reviews_fail").await,
        Store::Postgres(_) => exec(store, "DROP TRIGGER reviews_fail ON reviews").await,
    }
}

/// Rows of `table` whose `user_id` is `user`.
async fn rows_of(store: &Store, table: &str, user: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1"));
    match store {
        Store::Sqlite(pool, _) => sqlx::query_scalar(sql).bind(user).fetch_one(pool).await,
        Store::Postgres(pool) => sqlx::query_scalar(sql).bind(user).fetch_one(pool).await,
    }
    .unwrap()
}

on_both! {
    // Issue 14, item 6: the member's answer, the server they use and the
    // review are one transaction.
    a_daily_answer_is_stored_whole_or_not_at_all(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        let channel = DailyChannel {
            channel_id: "c1".into(), guild_id: "g1".into(), time: PostTime::parse("08:00").unwrap(),
            time_zone: chrono_tz::America::Montreal, deck: None,
        };
        let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        store.set_daily(&channel, now).await.unwrap();
        assert!(store.claim_daily_slot(&channel, date, &card(), now).await.unwrap());
        let post = store.daily_post("c1", date).await.unwrap().unwrap();
        let answer = answered(Origin::Daily, now);

        break_review_inserts(store).await;
        assert!(store.record_daily_answer(&post, &alice, &answer).await.is_err());
        for table in ["daily_answers", "guild_members", "reviews", "card_states"] {
            assert_eq!(rows_of(store, table, "alice").await, 0, "{table}: nothing half-written");
        }
        mend_review_inserts(store).await;
        let recorded = store.record_daily_answer(&post, &alice, &answer).await.unwrap().expect("recorded");
        assert!(recorded.fresh);
        let again = answered(Origin::Daily, now + 1_000);
        assert_eq!(store.record_daily_answer(&post, &alice, &again).await.unwrap(), None, "the first answer counts");
        for table in ["daily_answers", "guild_members", "reviews", "card_states"] {
            assert_eq!(rows_of(store, table, "alice").await, 1, "{table}");
        }
        assert_eq!(log(store, "alice").await[0].1, "daily:c1:2026-03-02");
        assert_eq!(store.daily_results("c1", date).await.unwrap(), (1, 1));

        // Bob's /forget-me runs while his answer is in flight: nothing is
        // written and he is not created again.
        let bob = user(store, "bob").await;
        store.forget_user("bob").await.unwrap();
        assert!(store.record_daily_answer(&post, &bob, &answer).await.is_err());
        assert_eq!(store.find_user("bob").await.unwrap(), None);
        for table in ["daily_answers", "guild_members", "reviews"] {
            assert_eq!(rows_of(store, table, "bob").await, 0, "{table}");
        }
    }
}

/// A TCP proxy to PostgreSQL that, once `armed`, forwards the next COMMIT
/// to the server and closes the client's connection when the server's
/// reply comes, without passing it on: the commit happened, the client saw
/// the connection drop. Counts the cuts.
async fn commit_dropping_proxy(
    upstream: String,
    armed: Arc<AtomicBool>,
    cuts: Arc<AtomicU32>,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = TcpStream::connect(&upstream).await.unwrap();
            let (armed, cuts) = (armed.clone(), cuts.clone());
            tokio::spawn(async move {
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let cut = Arc::new(AtomicBool::new(false));
                let down_cut = cut.clone();
                let down = tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    loop {
                        let n = match server_read.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        if down_cut.load(Ordering::SeqCst) {
                            return;
                        }
                        if client_write.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                });
                let mut buf = vec![0u8; 16 * 1024];
                loop {
                    let n = match client_read.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let is_commit = buf[..n].windows(6).any(|w| w == b"COMMIT");
                    if is_commit && armed.swap(false, Ordering::SeqCst) {
                        // The reply is dropped (and the client's side closed)
                        // as soon as the server sends it, after committing.
                        cut.store(true, Ordering::SeqCst);
                        cuts.fetch_add(1, Ordering::SeqCst);
                        server_write.write_all(&buf[..n]).await.unwrap();
                        let _ = down.await;
                        return;
                    }
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
                down.abort();
            });
        }
    });
    addr
}

/// The PostgreSQL test database reached through a commit-dropping proxy.
async fn through_proxy(db: &TestDb, armed: Arc<AtomicBool>, cuts: Arc<AtomicU32>) -> Store {
    let (scheme, rest) = db.url.split_once("://").unwrap();
    let (credentials, rest) = rest.split_once('@').unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let proxy = commit_dropping_proxy(host.to_string(), armed, cuts).await;
    // In clear, so that the proxy sees the COMMIT.
    let sep = if path.contains('?') { '&' } else { '?' };
    Store::connect(&format!(
        "{scheme}://{credentials}@{proxy}/{path}{sep}sslmode=disable"
    ))
    .await
    .unwrap()
}

#[tokio::test]
async fn answer_retried_after_its_commit_reply_was_lost_is_stored_once() {
    let db = TestDb::postgres().await;
    let alice = user(&db.store, "alice").await;
    let (armed, cuts) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU32::new(0)),
    );
    let store = through_proxy(&db, armed.clone(), cuts.clone()).await;
    armed.store(true, Ordering::SeqCst);
    let now = at(2026, 3, 2, 9, 0);
    let recorded = store
        .record_answer(
            &alice,
            "study:grc:x:forward:1",
            &answered(Origin::Study, now),
        )
        .await
        .unwrap();
    assert_eq!(
        cuts.load(Ordering::SeqCst),
        1,
        "the COMMIT's reply was dropped"
    );
    assert!(!recorded.fresh, "the retry found the committed answer");
    assert_eq!(log(&db.store, "alice").await.len(), 1, "stored once");
    let state = db
        .store
        .card_state("alice", &card())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.reps, 1);
    store.close().await;
    db.finish().await;
}

#[tokio::test]
async fn quiz_batch_retried_after_its_commit_reply_was_lost_is_stored_once() {
    let db = TestDb::postgres().await;
    let alice = user(&db.store, "alice").await;
    let (armed, cuts) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU32::new(0)),
    );
    let store = through_proxy(&db, armed.clone(), cuts.clone()).await;
    armed.store(true, Ordering::SeqCst);
    let now = at(2026, 3, 2, 9, 0);
    let answers: Vec<QuizAnswer> = (0..2)
        .map(|question| QuizAnswer {
            user: alice.clone(),
            key: QuizAnswer::key(3, question),
            answered: answered(Origin::Quiz, now + i64::from(question)),
        })
        .collect();
    store.record_quiz_writes(&[], &[], &answers).await.unwrap();
    assert_eq!(
        cuts.load(Ordering::SeqCst),
        1,
        "the COMMIT's reply was dropped"
    );
    let keys: Vec<String> = log(&db.store, "alice")
        .await
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    assert_eq!(keys, ["quiz:3:0", "quiz:3:1"]);
    store.close().await;
    db.finish().await;
}

/// A start whose registration claim's COMMIT reply was lost still
/// registers the commands: the retry finds its own fingerprint stored
/// (else no process would register them until they changed again).
#[tokio::test]
async fn registration_claim_retried_after_its_commit_reply_was_lost_still_registers() {
    let db = TestDb::postgres().await;
    let (armed, cuts) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU32::new(0)),
    );
    let store = through_proxy(&db, armed.clone(), cuts.clone()).await;
    let now = at(2026, 3, 2, 9, 0);
    armed.store(true, Ordering::SeqCst);
    assert!(
        store
            .claim_command_registration("global", "f1", now)
            .await
            .unwrap(),
        "the registration is this start's: it registers"
    );
    assert_eq!(
        cuts.load(Ordering::SeqCst),
        1,
        "the COMMIT's reply was dropped"
    );
    assert!(
        !db.store
            .claim_command_registration("global", "f1", now + 1)
            .await
            .unwrap(),
        "and no other start's"
    );
    store.close().await;
    db.finish().await;
}

/// Issue 14, item 6: every write path retried whole, and a retry after a
/// COMMIT whose reply was lost finds what the first attempt stored: the
/// daily slot claimed (and posted), one quiz begun, the season reset by
/// this reset, the daily answer stored once and reported as given.
#[tokio::test]
async fn writes_retried_after_their_commit_reply_was_lost_find_their_own_work() {
    let db = TestDb::postgres().await;
    let alice = user(&db.store, "alice").await;
    let (armed, cuts) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU32::new(0)),
    );
    let store = through_proxy(&db, armed.clone(), cuts.clone()).await;
    let now = at(2026, 3, 2, 9, 0);
    let cut = |what: &str, before: u32| {
        assert_eq!(
            cuts.load(Ordering::SeqCst),
            before + 1,
            "{what}: the COMMIT's reply was dropped"
        );
    };

    let channel = DailyChannel {
        channel_id: "c1".into(),
        guild_id: "g1".into(),
        time: PostTime::parse("08:00").unwrap(),
        time_zone: chrono_tz::America::Montreal,
        deck: None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    store.set_daily(&channel, now).await.unwrap();
    armed.store(true, Ordering::SeqCst);
    assert!(
        store
            .claim_daily_slot(&channel, date, &card(), now)
            .await
            .unwrap(),
        "the slot is this caller's: it posts"
    );
    cut("claim", 0);
    assert!(
        !db.store
            .claim_daily_slot(&channel, date, &card(), now + 1)
            .await
            .unwrap(),
        "and nobody else's"
    );

    let post = db.store.daily_post("c1", date).await.unwrap().unwrap();
    armed.store(true, Ordering::SeqCst);
    let recorded = store
        .record_daily_answer(&post, &alice, &answered(Origin::Daily, now))
        .await
        .unwrap()
        .expect("reported as given, not as answered already");
    cut("daily answer", 1);
    assert!(!recorded.fresh);
    assert_eq!(rows_of(&db.store, "daily_answers", "alice").await, 1);
    assert_eq!(log(&db.store, "alice").await.len(), 1, "stored once");

    let quiz = NewQuiz {
        guild_id: Some("g1".into()),
        channel_id: "c1".into(),
        starter_id: "alice".into(),
        deck: DeckId::parse("grc").unwrap(),
        n_questions: 3,
        language: "fr".into(),
        started_at: now,
        answer_ms: 20_000,
    };
    armed.store(true, Ordering::SeqCst);
    let quiz_id = store.begin_quiz(&quiz).await.unwrap();
    cut("begin quiz", 2);
    let running: Vec<i64> = db
        .store
        .running_quizzes()
        .await
        .unwrap()
        .iter()
        .map(|q| q.id)
        .collect();
    assert_eq!(running, [quiz_id], "one quiz begun");

    let later = now + rappel::core::schedule::days(30);
    armed.store(true, Ordering::SeqCst);
    let reset = store.reset_season("g1", "alice", later).await.unwrap();
    cut("reset season", 3);
    assert!(
        matches!(reset, rappel::store::SeasonReset::Done { .. }),
        "{reset:?}"
    );
    assert_eq!(db.store.current_season("g1").await.unwrap().number, 2);

    store.close().await;
    db.finish().await;
}
