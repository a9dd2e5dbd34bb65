//! The quiz rules, driven with a fake clock: no sleeping, no Discord.

use rappel::core::grade::Verdict;
use rappel::core::quiz::{Action, AnswerOutcome, Quiz, QuizConfig, QuizQuestion, hint_for};

const T0: i64 = 1_000_000;

fn term(expected: &str) -> QuizQuestion {
    QuizQuestion {
        hint_source: Some(expected.to_string()),
    }
}

fn definition() -> QuizQuestion {
    QuizQuestion { hint_source: None }
}

/// A 20-second quiz over `questions`, with its first actions drained.
fn start(questions: Vec<QuizQuestion>) -> (Quiz, Vec<Action>) {
    let mut quiz = Quiz::new(QuizConfig::with_seconds(20), questions, T0);
    let actions = drain(&mut quiz);
    (quiz, actions)
}

fn drain(quiz: &mut Quiz) -> Vec<Action> {
    std::iter::from_fn(|| quiz.poll_action()).collect()
}

fn awards(actions: &[Action]) -> Vec<(u64, u32, bool)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Award {
                player,
                points,
                first,
                ..
            } => Some((*player, *points, *first)),
            _ => None,
        })
        .collect()
}

/// Runs the clock to the next deadline and returns what happened.
fn advance(quiz: &mut Quiz) -> Vec<Action> {
    let next = quiz.poll_timeout().expect("quiz still running");
    quiz.handle_tick(next);
    drain(quiz)
}

#[test]
fn first_question_is_asked_at_once_with_its_deadline() {
    let (_, actions) = start(vec![term("Méthode RFM")]);
    assert_eq!(
        actions,
        [Action::Ask {
            index: 0,
            n_questions: 1,
            deadline: T0 + 20_000
        }]
    );
}

#[test]
fn instant_answer_gets_1000_and_last_moment_gets_500() {
    let (mut quiz, _) = start(vec![definition(), definition()]);
    quiz.handle_answer(T0, 1, Verdict::Correct, 1.0);
    assert_eq!(awards(&drain(&mut quiz)), [(1, 1000, true)]);
    advance(&mut quiz); // close after grace
    advance(&mut quiz); // ask question 2
    let asked = T0 + 2_000 + 4_000;
    quiz.handle_answer(asked + 19_999, 2, Verdict::Correct, 1.0);
    assert_eq!(awards(&drain(&mut quiz)), [(2, 500, true)]);
}

#[test]
fn simultaneous_right_answers_have_exactly_one_winner() {
    let (mut quiz, _) = start(vec![definition()]);
    quiz.handle_answer(T0 + 3_000, 7, Verdict::Correct, 1.0);
    quiz.handle_answer(T0 + 3_000, 8, Verdict::Correct, 1.0);
    let got = awards(&drain(&mut quiz));
    assert_eq!(got.iter().filter(|(_, _, first)| *first).count(), 1);
    assert_eq!(got[0], (7, 925, true));
    assert_eq!(got[1], (8, 463, false), "in the grace window: half points");
}

#[test]
fn right_answer_after_grace_window_does_not_score() {
    let (mut quiz, _) = start(vec![definition(), definition()]);
    quiz.handle_answer(T0 + 1_000, 1, Verdict::Correct, 1.0);
    drain(&mut quiz);
    let outcome = quiz.handle_answer(T0 + 3_001, 2, Verdict::Correct, 1.0);
    assert_eq!(outcome, AnswerOutcome::NotOpen);
    let actions = drain(&mut quiz);
    assert!(matches!(actions[0], Action::Close { index: 0, ref scorers } if scorers.len() == 1));
}

#[test]
fn answer_after_the_deadline_is_refused() {
    let (mut quiz, _) = start(vec![definition(), definition()]);
    assert_eq!(
        quiz.handle_answer(T0 + 20_000, 1, Verdict::Correct, 1.0),
        AnswerOutcome::NotOpen
    );
    let actions = drain(&mut quiz);
    assert_eq!(
        actions[0],
        Action::Close {
            index: 0,
            scorers: vec![]
        }
    );
    assert!(awards(&actions).is_empty());
}

#[test]
fn typo_scores_a_little_less_than_correct() {
    let (mut quiz, _) = start(vec![definition()]);
    quiz.handle_answer(T0, 1, Verdict::Close, 0.9);
    assert_eq!(awards(&drain(&mut quiz)), [(1, 900, true)]);
}

#[test]
fn wrong_and_hedged_answers_only_get_a_reaction() {
    // The grader returns Wrong for a hedge ("CART ou CHAID"): no points.
    let (mut quiz, _) = start(vec![definition()]);
    quiz.handle_answer(T0 + 500, 3, Verdict::Wrong, 0.0);
    let actions = drain(&mut quiz);
    assert!(awards(&actions).is_empty());
    assert!(actions.contains(&Action::Wrong {
        index: 0,
        player: 3
    }));
}

#[test]
fn partial_answer_scores_partially_and_does_not_win() {
    let (mut quiz, _) = start(vec![definition()]);
    quiz.handle_answer(T0, 1, Verdict::Partial, 0.5);
    quiz.handle_answer(T0 + 1_000, 2, Verdict::Correct, 1.0);
    assert_eq!(awards(&drain(&mut quiz)), [(1, 500, false), (2, 975, true)]);
}

#[test]
fn player_answering_twice_scores_once_and_reviews_once() {
    let (mut quiz, _) = start(vec![definition()]);
    quiz.handle_answer(T0 + 1_000, 1, Verdict::Wrong, 0.0);
    quiz.handle_answer(T0 + 1_500, 1, Verdict::Correct, 1.0);
    assert_eq!(
        quiz.handle_answer(T0 + 1_600, 1, Verdict::Correct, 1.0),
        AnswerOutcome::Ignored
    );
    let actions = drain(&mut quiz);
    let reviews: Vec<_> = actions
        .iter()
        .filter(|a| matches!(a, Action::Review { .. }))
        .collect();
    assert_eq!(reviews.len(), 1, "only the first attempt is a review");
    assert!(matches!(
        reviews[0],
        Action::Review {
            verdict: Verdict::Wrong,
            answer_ms: 1_000,
            ..
        }
    ));
    assert_eq!(awards(&actions).len(), 1);
}

#[test]
fn attempts_are_capped() {
    let (mut quiz, _) = start(vec![definition()]);
    for i in 0..3 {
        assert_eq!(
            quiz.handle_answer(T0 + i, 1, Verdict::Wrong, 0.0),
            AnswerOutcome::Taken
        );
    }
    assert_eq!(
        quiz.handle_answer(T0 + 10, 1, Verdict::Correct, 1.0),
        AnswerOutcome::Ignored
    );
}

#[test]
fn hint_comes_at_half_time_and_lowers_points() {
    let (mut quiz, _) = start(vec![term("Clients somnambules")]);
    assert_eq!(quiz.poll_timeout(), Some(T0 + 10_000));
    let actions = advance(&mut quiz);
    assert_eq!(
        actions,
        [Action::Hint {
            index: 0,
            hint: hint_for("Clients somnambules")
        }]
    );
    quiz.handle_answer(T0 + 10_000, 1, Verdict::Correct, 1.0);
    assert_eq!(awards(&drain(&mut quiz)), [(1, 563, true)], "750 × 0.75");
}

#[test]
fn no_hint_for_definitions_or_once_answered() {
    let (mut quiz, _) = start(vec![definition()]);
    assert_eq!(quiz.poll_timeout(), Some(T0 + 20_000));
    let (mut quiz2, _) = start(vec![term("RFM")]);
    quiz2.handle_answer(T0 + 1_000, 1, Verdict::Correct, 1.0);
    drain(&mut quiz2);
    let actions = advance(&mut quiz2);
    assert!(
        !actions.iter().any(|a| matches!(a, Action::Hint { .. })),
        "{actions:?}"
    );
    let _ = advance(&mut quiz);
}

#[test]
fn hint_shows_the_shape_of_the_term() {
    assert_eq!(hint_for("Clients somnambules"), "C__e__s s__n__b__e_");
    assert_eq!(hint_for("bouche-à-oreille"), "b__c__-à-o__i__e");
    assert_eq!(hint_for("RFM"), "R__");
}

#[test]
fn streak_bonus_grows_and_is_capped() {
    let n = 8;
    let (mut quiz, _) = start((0..n).map(|_| definition()).collect());
    let mut points = Vec::new();
    for _ in 0..n {
        let Some(index) = quiz.open_question() else {
            panic!("no open question")
        };
        let asked = quiz.poll_timeout().unwrap() - 20_000;
        quiz.handle_answer(asked, 1, Verdict::Correct, 1.0);
        points.extend(awards(&drain(&mut quiz)).into_iter().map(|(_, p, _)| p));
        assert_eq!(quiz.open_question(), Some(index));
        advance(&mut quiz);
        advance(&mut quiz);
    }
    assert_eq!(points, [1000, 1100, 1200, 1300, 1400, 1500, 1500, 1500]);
}

#[test]
fn missing_a_question_breaks_the_streak() {
    let (mut quiz, _) = start(vec![definition(), definition(), definition()]);
    quiz.handle_answer(T0, 1, Verdict::Correct, 1.0);
    drain(&mut quiz);
    advance(&mut quiz);
    advance(&mut quiz); // question 1 asked: nobody answers
    advance(&mut quiz);
    advance(&mut quiz); // question 2 asked
    let asked = quiz.poll_timeout().unwrap() - 20_000;
    quiz.handle_answer(asked, 1, Verdict::Correct, 1.0);
    assert_eq!(awards(&drain(&mut quiz)), [(1, 1000, true)]);
}

#[test]
fn full_quiz_ends_with_podium_and_missed_questions() {
    let (mut quiz, mut all) = start(vec![definition(), definition(), definition()]);
    quiz.handle_answer(T0 + 2_000, 1, Verdict::Correct, 1.0);
    quiz.handle_answer(T0 + 2_500, 2, Verdict::Close, 0.9);
    quiz.handle_answer(T0 + 2_600, 3, Verdict::Wrong, 0.0);
    all.extend(drain(&mut quiz));
    while !quiz.is_finished() {
        all.extend(advance(&mut quiz));
    }
    assert_eq!(
        all.iter()
            .filter(|a| matches!(a, Action::Ask { .. }))
            .count(),
        3
    );
    let Some(Action::Finish {
        standings,
        missed,
        stopped,
    }) = all.last()
    else {
        panic!("no finish: {all:?}")
    };
    assert!(!stopped);
    assert_eq!(missed, &[1, 2]);
    let order: Vec<_> = standings.iter().map(|s| (s.player, s.points)).collect();
    // 1000 × (1 − 2000/40000) = 950; close in the grace window: 1000 × 0.9375 × 0.9 × 0.5 ≈ 422.
    assert_eq!(order, [(1, 950), (2, 422), (3, 0)]);
    assert_eq!(quiz.poll_timeout(), None);
}

#[test]
fn stop_closes_the_open_question_and_finishes() {
    let (mut quiz, _) = start(vec![definition(), definition()]);
    quiz.handle_answer(T0 + 1_000, 5, Verdict::Correct, 1.0);
    drain(&mut quiz);
    quiz.handle_stop(T0 + 1_500);
    let actions = drain(&mut quiz);
    assert!(matches!(actions[0], Action::Close { index: 0, .. }));
    assert!(
        matches!(&actions[1], Action::Finish { stopped: true, standings, .. } if standings[0].player == 5)
    );
    assert_eq!(
        quiz.handle_answer(T0 + 1_600, 6, Verdict::Correct, 1.0),
        AnswerOutcome::NotOpen
    );
}

#[test]
fn two_hundred_players_one_winner_and_every_review_recorded() {
    let (mut quiz, _) = start(vec![definition()]);
    for player in 0..200u64 {
        let verdict = if player % 2 == 0 {
            Verdict::Correct
        } else {
            Verdict::Wrong
        };
        quiz.handle_answer(T0 + 1_000 + player as i64, player, verdict, 1.0);
    }
    let actions = drain(&mut quiz);
    let reviews = actions
        .iter()
        .filter(|a| matches!(a, Action::Review { .. }))
        .count();
    assert_eq!(reviews, 200);
    let got = awards(&actions);
    assert_eq!(got.iter().filter(|(_, _, first)| *first).count(), 1);
    assert_eq!(got.len(), 100);
    let mut actions = advance(&mut quiz);
    while !quiz.is_finished() {
        actions = advance(&mut quiz);
    }
    let Some(Action::Finish { standings, .. }) = actions.last() else {
        panic!("{actions:?}")
    };
    assert_eq!(standings.len(), 200);
    assert_eq!(standings[0].player, 0);
}
