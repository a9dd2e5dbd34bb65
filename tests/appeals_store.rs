//! « J'avais raison » (issue 16) in the store, on SQLite and PostgreSQL:
//! the typed text kept with every review (export, `/forget-me`), one
//! appeal per review, per-server visibility, an accepted appeal correcting
//! the review and the card's state as the scheduler would have had it,
//! quiz points credited once, a refusal with its note, the accepted
//! answers and the decks stamp, the daily notice claim, the reviewers' role.

use rappel::core::appeal;
use rappel::core::deck::{CardId, DeckId};
use rappel::core::grade::Verdict;
use rappel::core::review::{Answered, CardKey, Direction, Origin};
use rappel::core::schedule::{Answer, Millis, Rating, Scheduler};
use rappel::store::{
    AppealStatus, Decision, GradedReview, NewAppeal, NewQuiz, NewUser, QuizAnswer, QuizAward,
    Store, User,
};

use crate::support::db::{at, graded, on_both};

fn key(card: &str) -> CardKey {
    CardKey::new(
        &DeckId::parse("crm").unwrap(),
        &CardId::parse(card).unwrap(),
        Direction::Forward,
    )
}

/// A graded answer typed `answer_ms` after the card was asked.
fn answered_in(
    card: &str,
    verdict: Verdict,
    typed: &str,
    at: Millis,
    origin: Origin,
    answer_ms: u32,
) -> Answered {
    graded(key(card), verdict, origin, at, answer_ms, Some(typed))
}

fn answered(card: &str, verdict: Verdict, typed: &str, at: Millis, origin: Origin) -> Answered {
    answered_in(card, verdict, typed, at, origin, 5_000)
}

async fn user(store: &Store, id: &str) -> User {
    store
        .user(id, &NewUser::default(), at(2026, 3, 2, 8, 0))
        .await
        .unwrap()
}

/// `user`'s wrong answer `typed` to `card` in `/study` under `answer_key`, appealed in `guild`.
async fn appealed(
    store: &Store,
    user: &User,
    card: &str,
    typed: &str,
    answer_key: &str,
    guild: &str,
    at: Millis,
) -> (GradedReview, i64) {
    let wrong = answered(card, Verdict::Wrong, typed, at, Origin::Study);
    store.record_answer(user, answer_key, &wrong).await.unwrap();
    let review = store
        .graded_review_by_key(&user.id, answer_key)
        .await
        .unwrap()
        .expect("the answer is stored");
    let appeal = NewAppeal {
        guild_id: guild,
        review: &review,
        reason: Some("c'est un synonyme"),
        at: at + 1_000,
    };
    let id = store.file_appeal(&appeal).await.unwrap().expect("filed");
    assert_eq!(
        store.file_appeal(&appeal).await.unwrap(),
        None,
        "one appeal per review"
    );
    (review, id)
}

on_both! {
    typed_text_is_kept_exported_and_forgotten(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        let typed = "Rétention, client";
        store
            .record_answer(&alice, "study:1", &answered("fidelisation", Verdict::Wrong, typed, now, Origin::Study))
            .await
            .unwrap();
        let mut dont_know = answered("prospect", Verdict::Wrong, "", now + 60_000, Origin::Study);
        (dont_know.answer, dont_know.verdict, dont_know.typed) = (Answer::DontKnow, None, None);
        store.record_answer(&alice, "study:2", &dont_know).await.unwrap();
        let log = store.review_log("alice").await.unwrap();
        assert_eq!(log[0].typed.as_deref(), Some(typed));
        assert_eq!(log[1].typed, None);
        let csv = rappel::store::reviews_csv(&log);
        assert!(csv.lines().next().unwrap().ends_with(",origin,typed"), "{csv}");
        assert!(csv.contains(",study,\"Rétention, client\""), "quoted: {csv}");
        let review = store.graded_review_by_key("alice", "study:1").await.unwrap().unwrap();
        appeal_in_g1(store, &review).await;
        store.forget_user("alice").await.unwrap();
        assert!(store.graded_review(review.id).await.unwrap().is_none());
        assert!(store.next_pending_appeal("g1", 0).await.unwrap().is_none(), "the appeal went with her");
    }

    accepted_appeal_corrects_the_review_and_the_card_state(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        let (review, id) = appealed(store, &alice, "fidelisation", "Rétention client", "study:a", "g1", now).await;
        assert!(review.is_appealable());

        // Visible in its server only.
        let pending = store.next_pending_appeal("g1", 0).await.unwrap().expect("pending in g1");
        assert_eq!((pending.id, pending.typed.as_str()), (id, "Rétention client"));
        assert_eq!(pending.reason.as_deref(), Some("c'est un synonyme"));
        assert_eq!((pending.verdict, pending.n_same, pending.origin.as_str()), (Some(Verdict::Wrong), 1, "study"));
        assert!(store.next_pending_appeal("g2", 0).await.unwrap().is_none());
        assert_eq!(store.count_pending_appeals("g2").await.unwrap(), 0);
        let elsewhere = Decision { guild_id: "g2", moderator: "prof", at: now + 5_000 };
        assert!(store.accept_appeal(id, &elsewhere, false).await.unwrap().is_none());
        assert!(store.refuse_appeal(id, &elsewhere, None).await.unwrap().is_none());

        let decision = Decision { guild_id: "g1", moderator: "prof", at: now + 5_000 };
        let accepted = store.accept_appeal(id, &decision, false).await.unwrap().expect("accepted");
        // As if the answer had been accepted when given: a right answer, rated Good.
        let right = Scheduler::new(alice.scheduler_config()).review(None, Rating::Good, now).state;
        assert_eq!(accepted.state, Some(right));
        assert_eq!(store.card_state("alice", &key("fidelisation")).await.unwrap(), Some(right));
        assert_eq!(accepted.appeal.status, AppealStatus::Accepted);
        assert_eq!(accepted.appeal.decided_by.as_deref(), Some("prof"));
        assert_eq!(accepted.points, None, "not a quiz answer");
        // Decided once (a retry of this very decision is recognised, a
        // later one does nothing); the log stays append-only and counts the
        // answer once.
        let retried = store.accept_appeal(id, &decision, false).await.unwrap().expect("its own decision");
        assert_eq!((retried.appeal.id, retried.points), (id, None));
        let later = Decision { at: now + 9_000, ..decision.clone() };
        assert!(store.accept_appeal(id, &later, false).await.unwrap().is_none());
        let log = store.review_log("alice").await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].rating, 3, "the correction's rating");
        assert!(!store.graded_review(review.id).await.unwrap().unwrap().is_appealable());
        assert_eq!(store.count_pending_appeals("g1").await.unwrap(), 0);

        // Told once.
        let untold = store.untold_decisions("alice").await.unwrap();
        assert_eq!(untold.iter().map(|a| a.id).collect::<Vec<_>>(), vec![id]);
        assert!(store.claim_appeal_told(id, now + 6_000).await.unwrap());
        assert!(!store.claim_appeal_told(id, now + 7_000).await.unwrap(), "told once");
        assert!(store.untold_decisions("alice").await.unwrap().is_empty());
        // A telling that failed gives its claim back.
        store.release_appeal_told(id, now + 6_000).await.unwrap();
        assert_eq!(store.untold_decisions("alice").await.unwrap().len(), 1);
    }

    later_answers_replay_on_top_of_the_correction(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        let (_, id) = appealed(store, &alice, "fidelisation", "Rétention client", "study:a", "g1", now).await;
        // Answered again (wrong) before the moderator decides.
        let later = now + 600_000;
        store
            .record_answer(&alice, "study:b", &answered("fidelisation", Verdict::Wrong, "?", later, Origin::Study))
            .await
            .unwrap();
        let decision = Decision { guild_id: "g1", moderator: "prof", at: later + 1 };
        let accepted = store.accept_appeal(id, &decision, false).await.unwrap().unwrap();
        let scheduler = Scheduler::new(alice.scheduler_config());
        let first = scheduler.review(None, Rating::Good, now).state;
        let then = scheduler.review(Some(&first), Rating::Again, later).state;
        assert_eq!(accepted.state, Some(then));
        assert_eq!(store.card_state("alice", &key("fidelisation")).await.unwrap(), Some(then));
    }

    refused_appeal_keeps_the_grade_and_the_note(store) {
        let alice = user(store, "alice").await;
        let now = at(2026, 3, 2, 9, 0);
        let before = store.card_state("alice", &key("fidelisation")).await.unwrap();
        let (review, id) = appealed(store, &alice, "fidelisation", "Client", "study:a", "g1", now).await;
        let state = store.card_state("alice", &key("fidelisation")).await.unwrap();
        assert_ne!(state, before);
        let decision = Decision { guild_id: "g1", moderator: "prof", at: now + 5_000 };
        let refused = store
            .refuse_appeal(id, &decision, Some("trop vague"))
            .await
            .unwrap()
            .expect("refused");
        assert_eq!(refused.status, AppealStatus::Refused);
        assert_eq!(refused.note.as_deref(), Some("trop vague"));
        assert!(store.accept_appeal(id, &decision, false).await.unwrap().is_none(), "decided");
        assert_eq!(store.card_state("alice", &key("fidelisation")).await.unwrap(), state);
        let still = store.graded_review(review.id).await.unwrap().unwrap();
        assert_eq!(still.verdict, Some(Verdict::Wrong));
        assert_eq!(store.untold_decisions("alice").await.unwrap().len(), 1);
    }

    quiz_points_are_credited_once_as_the_rules_would_have(store) {
        let (alice, bob) = (user(store, "alice").await, user(store, "bob").await);
        let asked = at(2026, 3, 2, 9, 0);
        let quiz_id = store.begin_quiz(&NewQuiz {
            guild_id: Some("g1".into()), channel_id: "c1".into(), starter_id: "bob".into(),
            deck: DeckId::parse("crm").unwrap(), n_questions: 2, language: "fr".into(),
            started_at: asked, answer_ms: 20_000,
        }).await.unwrap();
        // Bob right first at 2 s; alice wrong at 5 s.
        let bob_award = QuizAward {
            quiz_id, question: 0, user_id: "bob".into(), points: 950, first: true, right: true, at: asked + 2_000,
        };
        let answer = |user: &User, verdict, typed: &str, at| QuizAnswer {
            user: user.clone(),
            key: QuizAnswer::key(quiz_id, 0),
            answered: answered("fidelisation", verdict, typed, at, Origin::Quiz),
        };
        store.record_quiz_writes(&[], &[bob_award], &[
            answer(&bob, Verdict::Correct, "Fidélisation", asked + 2_000),
            answer(&alice, Verdict::Wrong, "Rétention client", asked + 5_000),
        ]).await.unwrap();
        let review = store.graded_review_by_key("alice", &QuizAnswer::key(quiz_id, 0)).await.unwrap().unwrap();
        assert_eq!(review.origin, "quiz");
        let id = store.file_appeal(&NewAppeal {
            guild_id: "g1", review: &review, reason: None, at: asked + 60_000,
        }).await.unwrap().unwrap();
        let decision = Decision { guild_id: "g1", moderator: "prof", at: asked + 120_000 };
        let accepted = store.accept_appeal(id, &decision, true).await.unwrap().unwrap();
        // 1000 × (1 − 5/40), halved: bob was right first; no hint before 10 s.
        assert_eq!(accepted.points, Some(438));
        let later = Decision { at: asked + 130_000, ..decision.clone() };
        assert!(store.accept_appeal(id, &later, true).await.unwrap().is_none());
        let retried = store.accept_appeal(id, &decision, true).await.unwrap().unwrap();
        assert_eq!(retried.points, None, "its own decision, credited once");
        let totals = store.quiz_totals(quiz_id).await.unwrap();
        let alice_total = totals.iter().find(|t| t.user_id == "alice").expect("alice scored");
        assert_eq!((alice_total.points, alice_total.n_right), (438, 1), "credited once");
        let bob_total = totals.iter().find(|t| t.user_id == "bob").unwrap();
        assert_eq!(bob_total.points, 950, "bob untouched");
    }

    a_partial_quiz_award_is_raised_not_doubled(store) {
        let alice = user(store, "alice").await;
        let asked = at(2026, 3, 2, 9, 0);
        let quiz_id = store.begin_quiz(&NewQuiz {
            guild_id: Some("g1".into()), channel_id: "c1".into(), starter_id: "alice".into(),
            deck: DeckId::parse("crm").unwrap(), n_questions: 1, language: "fr".into(),
            started_at: asked, answer_ms: 20_000,
        }).await.unwrap();
        let partial = QuizAward {
            quiz_id, question: 0, user_id: "alice".into(), points: 300, first: false, right: false, at: asked + 4_000,
        };
        let quiz_answer =
            answered_in("fidelisation", Verdict::Partial, "Fidélité", asked + 4_000, Origin::Quiz, 4_000);
        store.record_quiz_writes(&[], &[partial], &[QuizAnswer {
            user: alice.clone(), key: QuizAnswer::key(quiz_id, 0), answered: quiz_answer,
        }]).await.unwrap();
        let review = store.graded_review_by_key("alice", &QuizAnswer::key(quiz_id, 0)).await.unwrap().unwrap();
        let id = store.file_appeal(&NewAppeal {
            guild_id: "g1", review: &review, reason: None, at: asked + 60_000,
        }).await.unwrap().unwrap();
        let decision = Decision { guild_id: "g1", moderator: "prof", at: asked + 120_000 };
        let accepted = store.accept_appeal(id, &decision, true).await.unwrap().unwrap();
        // First and fast: 1000 × (1 − 4/40).
        assert_eq!(accepted.points, Some(900));
        let totals = store.quiz_totals(quiz_id).await.unwrap();
        assert_eq!((totals[0].points, totals[0].n_right), (900, 1));
    }

    accepted_answers_change_the_stamp_and_are_per_server(store) {
        let before = store.server_decks_stamp("g1").await.unwrap();
        let k = key("fidelisation");
        let folded = appeal::fold("Rétention client");
        assert!(store.accept_answer("g1", &k, "Rétention client", &folded, "prof", 1).await.unwrap());
        assert!(!store.accept_answer("g1", &k, "rétention  CLIENT", &folded, "prof", 2).await.unwrap(), "the same answer once");
        let after = store.server_decks_stamp("g1").await.unwrap();
        assert_ne!(before, after);
        assert_eq!(after.n_accepted, 1);
        assert_eq!(store.server_decks_stamp("g2").await.unwrap().n_accepted, 0);
        let listed = store.accepted_answers("g1", None).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].key.clone(), listed[0].answer.as_str()), (k, "Rétention client"));
        assert!(store.accepted_answers("g2", None).await.unwrap().is_empty());
        let other_deck = DeckId::parse("autre").unwrap();
        assert!(store.accepted_answers("g1", Some(&other_deck)).await.unwrap().is_empty());
    }

    notices_are_claimed_once_a_day_and_roles_are_per_server(store) {
        let prof = user(store, "prof").await;
        assert!(store.claim_appeal_notice("g1", &prof.id, 100).await.unwrap());
        assert!(!store.claim_appeal_notice("g1", "prof", 100).await.unwrap());
        assert!(store.claim_appeal_notice("g2", "prof", 100).await.unwrap());
        assert!(store.claim_appeal_notice("g1", "prof", 101).await.unwrap());
        assert_eq!(store.appeal_role("g1").await.unwrap(), None);
        store.set_appeal_role("g1", Some("42"), "prof", 1).await.unwrap();
        store.set_appeal_role("g1", Some("43"), "prof", 2).await.unwrap();
        assert_eq!(store.appeal_role("g1").await.unwrap().as_deref(), Some("43"));
        assert_eq!(store.appeal_role("g2").await.unwrap(), None);
        store.set_appeal_role("g1", None, "prof", 3).await.unwrap();
        assert_eq!(store.appeal_role("g1").await.unwrap(), None);
    }
}

/// Files an appeal of `review` in `g1`.
async fn appeal_in_g1(store: &Store, review: &GradedReview) -> i64 {
    store
        .file_appeal(&NewAppeal {
            guild_id: "g1",
            review,
            reason: None,
            at: at(2026, 3, 2, 9, 30),
        })
        .await
        .unwrap()
        .expect("filed")
}
