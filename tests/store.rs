//! Storage: every test runs on SQLite (a temp file) and on PostgreSQL (a
//! fresh schema per test) through `on_both!`.

use std::collections::BTreeMap;

use chrono_tz::America::Montreal;
use chrono_tz::Tz;
use rappel::core::deck::{CardId, DeckId};
use rappel::core::grade::Verdict;
use rappel::core::lang::Lang;
use rappel::core::review::{CardKey, Direction, Origin, Review};
use rappel::core::schedule::{Millis, Phase, Rating, Scheduler, days};
use rappel::store::{DeckProgress, NewUser, Store, StoreError, User};

use crate::support::db::{TestDb, at, on_both, user};

fn key(deck: &str, card: &str, direction: Direction) -> CardKey {
    CardKey::new(
        &DeckId::parse(deck).unwrap(),
        &CardId::parse(card).unwrap(),
        direction,
    )
}

fn fwd(deck: &str, card: &str) -> CardKey {
    key(deck, card, Direction::Forward)
}

/// Reviews `key` at `now` with `rating` through the real scheduler and
/// records it; returns the new state's due time.
async fn answer(store: &Store, user: &User, key: &CardKey, rating: Rating, now: Millis) -> Millis {
    let previous = store.card_state(&user.id, key).await.unwrap();
    let reviewed = Scheduler::new(user.scheduler_config()).review(previous.as_ref(), rating, now);
    let verdict = match rating {
        Rating::Again => Verdict::Wrong,
        _ => Verdict::Correct,
    };
    let review = Review {
        key: key.clone(),
        at: now,
        rating,
        verdict: Some((verdict, if rating == Rating::Again { 0.0 } else { 1.0 })),
        answer_ms: 4_000,
        origin: Origin::Study,
        state: reviewed.state,
        interval_days: reviewed.interval_days,
    };
    store.record_review(user, &review).await.unwrap();
    reviewed.state.due
}

on_both! {
    user_is_created_once_and_settings_persist(store) {
        let created = user(store, "alice").await;
        assert_eq!(created.language, Lang::Fr);
        assert_eq!(created.time_zone, Montreal);
        assert!((created.desired_retention - 0.9).abs() < 1e-6);

        let paris: Tz = "Europe/Paris".parse().unwrap();
        store.set_time_zone("alice", paris).await.unwrap();
        store.set_language("alice", Lang::En).await.unwrap();
        store.set_desired_retention("alice", 0.85).await.unwrap();
        // A second "create" must not reset the settings.
        let again = store.user("alice", &NewUser::default(), at(2026, 2, 1, 12, 0)).await.unwrap();
        assert_eq!(again.time_zone, paris);
        assert_eq!(again.language, Lang::En);
        assert!((again.desired_retention - 0.85).abs() < 1e-6);
        assert_eq!(again.created_at, created.created_at);
        assert!(matches!(
            store.set_desired_retention("alice", 1.5).await,
            Err(StoreError::BadRetention(_))
        ));
        assert_eq!(store.find_user("bob").await.unwrap(), None);
    }

    card_state_follows_the_scheduler_through_a_lapse(store) {
        // After a lapse the stored state is exactly the scheduler's.
        let alice = user(store, "alice").await;
        let k = fwd("ciblage", "methode-rfm");
        let scheduler = Scheduler::new(alice.scheduler_config());
        let mut state = None;
        let mut now = at(2026, 3, 2, 10, 0);
        for rating in [Rating::Good, Rating::Good, Rating::Good, Rating::Again] {
            let due = answer(store, &alice, &k, rating, now).await;
            state = Some(scheduler.review(state.as_ref(), rating, now).state);
            assert_eq!(store.card_state("alice", &k).await.unwrap(), state);
            now = due.max(now + 60_000);
        }
        let lapsed = state.unwrap();
        assert_eq!(lapsed.lapses, 1);
    }

    recorded_state_reads_back_exactly(store) {
        let alice = user(store, "alice").await;
        let k = fwd("ciblage", "methode-rfm");
        assert_eq!(store.card_state("alice", &k).await.unwrap(), None);
        let now = at(2026, 3, 2, 10, 0);
        let first = Scheduler::new(alice.scheduler_config()).review(None, Rating::Good, now);
        answer(store, &alice, &k, Rating::Good, now).await;
        assert_eq!(store.card_state("alice", &k).await.unwrap(), Some(first.state));
        // The backward direction is a separate card.
        let back = key("ciblage", "methode-rfm", Direction::Backward);
        assert_eq!(store.card_state("alice", &back).await.unwrap(), None);
        // A second review updates the one state row and appends a log row.
        answer(store, &alice, &k, Rating::Good, now + 60_000).await;
        let states = store.card_states("alice", None).await.unwrap();
        assert_eq!(states.len(), 1);
        assert_eq!(states[0].1.reps, 2);
        assert_eq!(store.reviews_per_day(&alice, now, 1).await.unwrap(), vec![2]);
    }

    next_due_is_ordered_filtered_and_limited(store) {
        let alice = user(store, "alice").await;
        let bob = user(store, "bob").await;
        let t0 = at(2026, 3, 2, 10, 0);
        // Again → due in 1 min; Good → due in 10 min; Easy → due in days.
        let again = answer(store, &alice, &fwd("a", "again"), Rating::Again, t0).await;
        let good = answer(store, &alice, &fwd("a", "good"), Rating::Good, t0).await;
        answer(store, &alice, &fwd("a", "easy"), Rating::Easy, t0).await;
        answer(store, &alice, &fwd("b", "other-deck"), Rating::Again, t0 + 1).await;
        answer(store, &bob, &fwd("a", "bobs"), Rating::Again, t0).await;
        // Removed cards, due first: more than one page of them.
        for idx in 0..40 {
            answer(store, &alice, &fwd("a", &format!("removed-{idx}")), Rating::Again, t0 - 1).await;
        }
        assert!(again < good);
        let known = |k: &CardKey| !k.card.as_str().starts_with("removed");
        let now = t0 + days(1);
        let due = store.next_due("alice", None, now, 10, known).await.unwrap();
        let cards: Vec<_> = due.iter().map(|(k, _)| k.card.as_str()).collect();
        assert_eq!(cards, ["again", "other-deck", "good"]);
        let deck_a = DeckId::parse("a").unwrap();
        let due = store.next_due("alice", Some(&deck_a), now, 1, known).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].0, fwd("a", "again"));
        // Nothing is due before its time.
        let due = store.next_due("alice", None, t0 + 30_000, 10, known).await.unwrap();
        assert!(due.is_empty(), "{due:?}");
        // Removed cards are kept in the db.
        assert_eq!(store.card_states("alice", Some(&deck_a)).await.unwrap().len(), 43);
    }

    new_cards_are_counted_per_local_day(store) {
        let alice = user(store, "alice").await;
        // The day starts at 4 am Montreal time: 3 am belongs to the day before.
        let evening = at(2026, 3, 2, 3, 0);
        let morning = at(2026, 3, 2, 9, 0);
        answer(store, &alice, &fwd("a", "one"), Rating::Good, evening).await;
        answer(store, &alice, &fwd("a", "two"), Rating::Good, morning).await;
        answer(store, &alice, &fwd("a", "two"), Rating::Good, morning + 600_000).await;
        answer(store, &alice, &key("a", "two", Direction::Backward), Rating::Good, morning).await;
        assert_eq!(store.new_cards_today(&alice, morning).await.unwrap(), 2);
        assert_eq!(store.new_cards_today(&alice, evening).await.unwrap(), 1);
    }

    stats_count_learned_due_retention_and_streak(store) {
        let alice = user(store, "alice").await;
        let today = at(2026, 3, 10, 12, 0);
        // Reviews on the 6th, 8th and 9th (yesterday): streak 2, ending yesterday.
        answer(store, &alice, &fwd("a", "one"), Rating::Again, at(2026, 3, 6, 12, 0)).await;
        answer(store, &alice, &fwd("a", "two"), Rating::Good, at(2026, 3, 8, 12, 0)).await;
        answer(store, &alice, &fwd("a", "three"), Rating::Easy, at(2026, 3, 9, 12, 0)).await;
        answer(store, &alice, &fwd("a", "four"), Rating::Hard, at(2026, 3, 9, 13, 0)).await;
        // Far outside the 30-day window.
        answer(store, &alice, &fwd("a", "old"), Rating::Again, at(2025, 12, 1, 12, 0)).await;
        let stats = store.stats(&alice, today).await.unwrap();
        assert_eq!(stats.learned, 5);
        assert_eq!(stats.reviews_30d, 4);
        assert_eq!(stats.retention_30d, Some(0.75));
        assert_eq!(stats.streak_days, 2);
        let expected_due = store
            .card_states("alice", None)
            .await
            .unwrap()
            .iter()
            .filter(|(_, s)| s.due < at(2026, 3, 11, 4, 0))
            .count() as u64;
        assert_eq!(stats.due_today, expected_due);
        assert!(expected_due >= 2, "the Again cards are due");
        // A review today extends the streak; two days later it is broken.
        answer(store, &alice, &fwd("a", "one"), Rating::Good, today).await;
        assert_eq!(store.stats(&alice, today).await.unwrap().streak_days, 3);
        assert_eq!(store.stats(&alice, today + days(2)).await.unwrap().streak_days, 0);
        let nobody = user(store, "nobody").await;
        let empty = store.stats(&nobody, today).await.unwrap();
        assert_eq!((empty.learned, empty.streak_days, empty.retention_30d), (0, 0, None));
        assert_eq!(
            store.reviews_per_day(&alice, today, 5).await.unwrap(),
            vec![1, 0, 1, 2, 1]
        );
    }

    deck_progress_counts_only_known_cards(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 10, 0);
        answer(store, &alice, &fwd("a", "one"), Rating::Good, now).await;
        answer(store, &alice, &key("a", "one", Direction::Backward), Rating::Good, now).await;
        answer(store, &alice, &fwd("a", "gone"), Rating::Good, now).await;
        answer(store, &alice, &fwd("b", "x"), Rating::Good, now).await;
        let totals = BTreeMap::from([
            (DeckId::parse("a").unwrap(), 10),
            (DeckId::parse("b").unwrap(), 3),
            (DeckId::parse("c").unwrap(), 4),
        ]);
        let progress = store
            .deck_progress("alice", &totals, |k| k.card.as_str() != "gone")
            .await
            .unwrap();
        let seen: Vec<_> = progress.iter().map(|p: &DeckProgress| (p.deck.as_str(), p.seen, p.total)).collect();
        assert_eq!(seen, [("a", 2, 10), ("b", 1, 3), ("c", 0, 4)]);
    }

    typical_answer_time_is_the_median_of_right_answers(store) {
        let alice = user(store, "alice").await;
        assert_eq!(store.typical_answer_ms("alice").await.unwrap(), None);
        let now = at(2026, 3, 2, 10, 0);
        for idx in 0..5 {
            answer(store, &alice, &fwd("a", &format!("c{idx}")), Rating::Good, now + idx).await;
        }
        answer(store, &alice, &fwd("a", "wrong"), Rating::Again, now).await;
        assert_eq!(store.typical_answer_ms("alice").await.unwrap(), Some(4_000));
    }
}

#[tokio::test]
async fn progress_survives_reconnecting() {
    for db in [TestDb::sqlite().await, TestDb::postgres().await] {
        let alice = user(&db.store, "alice").await;
        let now = at(2026, 3, 2, 10, 0);
        answer(&db.store, &alice, &fwd("a", "one"), Rating::Good, now).await;
        db.store.close().await;
        let reopened = Store::connect(&db.url).await.unwrap();
        let state = reopened
            .card_state("alice", &fwd("a", "one"))
            .await
            .unwrap();
        assert_eq!(state.map(|s| s.phase), Some(Phase::Learning), "{}", db.url);
        reopened.close().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn unsupported_url_is_refused() {
    let err = Store::connect("mysql://localhost/rappel")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedUrl(_)), "{err}");
}
