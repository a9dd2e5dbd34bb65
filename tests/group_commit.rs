//! Issue 18: on SQLite, answers queued together share one transaction
//! (group commit, `store/group.rs`), yet each is recorded as if alone: a
//! failing answer fails alone, and answers of one card see each other.
//! The same tests run on PostgreSQL, where each answer has its own
//! transaction.

use rappel::core::deck::{CardId, DeckId};
use rappel::core::review::{Answered, CardKey, Direction, Origin};
use rappel::core::schedule::Millis;
use rappel::store::Store;

use crate::support::db::{at, on_both, review_log as log, right_answer, user};

fn answered(at: Millis) -> Answered {
    let key = CardKey::new(
        &DeckId::parse("grc").unwrap(),
        &CardId::parse("fidelisation").unwrap(),
        Direction::Forward,
    );
    right_answer(key, Origin::Study, at)
}

async fn exec(store: &Store, sql: &'static str) {
    match store {
        Store::Sqlite(pool, _) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
        Store::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap()
}

on_both! {
    a_failing_answer_among_concurrent_ones_fails_alone(store) {
        // Every review of "bad" fails to insert, for good.
        match store {
            Store::Sqlite(..) => exec(store, "CREATE TRIGGER bad_fails BEFORE INSERT ON reviews \
                 WHEN NEW.user_id = 'bad' BEGIN SELECT RAISE(ABORT, 'test: bad'); END").await,
            Store::Postgres(_) => exec(store, "CREATE FUNCTION bad_fails() RETURNS trigger AS $$ \
                 BEGIN IF NEW.user_id = 'bad' THEN RAISE EXCEPTION 'test: bad'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql; \
                 CREATE TRIGGER bad_fails BEFORE INSERT ON reviews \
                 FOR EACH ROW EXECUTE FUNCTION bad_fails();").await,
        }
        let now = at(2026, 3, 2, 9, 0);
        let ids: Vec<String> = (0..24)
            .map(|i| if i == 11 { "bad".to_string() } else { format!("s{i}") })
            .collect();
        let mut users = Vec::new();
        for id in &ids {
            users.push(user(store, id).await);
        }
        let mut writers = tokio::task::JoinSet::new();
        for student in users {
            let store = store.clone();
            writers.spawn(async move {
                let got = store.record_answer(&student, "study:group:1", &answered(now)).await;
                (student.id, got)
            });
        }
        while let Some(done) = writers.join_next().await {
            let (id, got) = done.unwrap();
            if id == "bad" {
                let error = got.expect_err("the bad answer fails");
                assert!(!error.is_unavailable(), "a failure, not busy: {error:?}");
                assert!(error.to_string().contains("test: bad"), "its own error: {error}");
            } else {
                let recorded = got.unwrap_or_else(|e| panic!("{id}: {e}"));
                assert!(recorded.fresh, "{id}");
            }
        }
        for id in &ids {
            let rows = log(store, id).await;
            let expected = usize::from(id != "bad");
            assert_eq!(rows.len(), expected, "{id}: {rows:?}");
        }
    }

    concurrent_answers_of_one_card_see_each_other_once_each(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        // 8 answers, each sent twice at once (a double press).
        let mut writers = tokio::task::JoinSet::new();
        for i in 0..16u32 {
            let (store, alice) = (store.clone(), alice.clone());
            writers.spawn(async move {
                let key = format!("study:twice:{}", i % 8);
                store
                    .record_answer(&alice, &key, &answered(now + i64::from(i % 8)))
                    .await
                    .unwrap()
                    .fresh
            });
        }
        let mut fresh = 0;
        while let Some(done) = writers.join_next().await {
            fresh += u32::from(done.unwrap());
        }
        assert_eq!(fresh, 8, "each key stored once");
        let rows = log(store, "alice").await;
        let reps: Vec<i64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(reps, (1..=8).collect::<Vec<i64>>(), "each answer saw the one before: {rows:?}");
    }
}
