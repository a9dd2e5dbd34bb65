//! Scheduling: FSRS-6 reference values, Anki-style steps, local days, ratings.

use chrono_tz::America::Montreal;
use rappel::core::grade::Verdict;
use rappel::core::schedule::{
    self, Answer, CardState, Phase, Rating, Scheduler, SchedulerConfig, day_index, day_start,
    rating_for,
};

use crate::support::db::at;

fn close(actual: f32, expected: f32) -> bool {
    (actual - expected).abs() <= 1e-4 * expected.abs().max(1.0)
}

fn scheduler() -> Scheduler {
    Scheduler::new(SchedulerConfig::default())
}

#[test]
fn first_rating_gives_reference_memory_states() {
    // fsrs-rs src/inference.rs, py-fsrs tests/test_basic.py (default parameters, retention 0.9).
    let expected = [
        (Rating::Again, 0.212, 6.4133),
        (Rating::Hard, 1.2931, 5.1121707),
        (Rating::Good, 2.3065, 2.118104),
        (Rating::Easy, 8.2956, 1.0),
    ];
    for (rating, stability, difficulty) in expected {
        let reviewed = scheduler().review(None, rating, at(2026, 11, 2, 10, 0));
        let state = reviewed.state;
        assert!(close(state.stability, stability), "{rating:?}: {state:?}");
        assert!(close(state.difficulty, difficulty), "{rating:?}: {state:?}");
    }
}

#[test]
fn replay_reproduces_reference_history() {
    let ratings: Vec<_> = [1, 3, 3, 3, 3, 3]
        .into_iter()
        .map(|n| Rating::from_number(n).unwrap())
        .collect();
    let result = schedule::replay(&ratings, &[0, 0, 1, 3, 8, 21], 0.9).unwrap();
    assert!(close(result.stability, 53.62691), "{result:?}");
    assert!(close(result.difficulty, 6.3574867), "{result:?}");
    assert!(result.next_interval_days > 50.0, "{result:?}");
}

#[test]
fn scheduler_history_matches_replay_when_days_pass() {
    // Same history through the scheduler (with steps): memory must match FSRS.
    let s = scheduler();
    let mut now = at(2026, 1, 5, 10, 0);
    let mut state: Option<CardState> = None;
    for (rating, days) in [(1, 0), (3, 0), (3, 1), (3, 3), (3, 8), (3, 21)] {
        now += schedule::days(days);
        let reviewed = s.review(state.as_ref(), Rating::from_number(rating).unwrap(), now);
        state = Some(reviewed.state);
    }
    let state = state.unwrap();
    assert!(close(state.stability, 53.62691), "{state:?}");
    assert!(close(state.difficulty, 6.3574867), "{state:?}");
    assert_eq!(state.phase, Phase::Review);
    assert_eq!(state.reps, 6);
}

#[test]
fn new_card_walks_learning_steps_then_graduates() {
    let s = scheduler();
    let now = at(2026, 3, 2, 10, 0);
    let again = s.review(None, Rating::Again, now).state;
    assert_eq!((again.phase, again.step), (Phase::Learning, 0));
    assert_eq!(again.due - now, 60_000);

    let hard = s.review(None, Rating::Hard, now).state;
    assert_eq!(
        hard.due - now,
        330_000,
        "hard on first step is the average of 1 and 10 min"
    );

    let good = s.review(None, Rating::Good, now).state;
    assert_eq!((good.phase, good.step), (Phase::Learning, 1));
    assert_eq!(good.due - now, 600_000);

    let later = now + 600_000;
    let graduated = s.review(Some(&good), Rating::Good, later);
    assert_eq!(graduated.state.phase, Phase::Review);
    assert!(graduated.interval_days >= 1);
    assert_eq!(
        graduated.state.due,
        day_start(
            day_index(later, Montreal) + i64::from(graduated.interval_days),
            Montreal
        )
    );

    let easy = s.review(None, Rating::Easy, now);
    assert_eq!(easy.state.phase, Phase::Review);
    assert_eq!(
        easy.interval_days, 8,
        "easy on a new card: round(8.2956) days"
    );
}

#[test]
fn lapse_goes_to_relearning_and_counts() {
    let s = scheduler();
    let now = at(2026, 3, 2, 10, 0);
    let review = s.review(None, Rating::Easy, now).state;
    let lapse_time = review.due + 3_600_000;
    let lapsed = s.review(Some(&review), Rating::Again, lapse_time).state;
    assert_eq!(lapsed.phase, Phase::Relearning);
    assert_eq!(lapsed.lapses, 1);
    assert_eq!(lapsed.due - lapse_time, 600_000);
    assert!(lapsed.stability < review.stability);
    let back = s.review(Some(&lapsed), Rating::Good, lapsed.due);
    assert_eq!(back.state.phase, Phase::Review);
    assert_eq!(back.state.lapses, 1);
}

#[test]
fn day_starts_at_4am_local() {
    // 3 am belongs to the day before; 5 am to the new day.
    let d1 = day_index(at(2026, 11, 10, 3, 0), Montreal);
    let d2 = day_index(at(2026, 11, 10, 5, 0), Montreal);
    let evening = day_index(at(2026, 11, 9, 23, 0), Montreal);
    assert_eq!(d1, evening);
    assert_eq!(d2, d1 + 1);
    assert_eq!(day_start(d2, Montreal), at(2026, 11, 10, 4, 0));
}

#[test]
fn day_boundary_follows_daylight_saving() {
    // Montreal leaves DST at 2 am on 2026-11-01: the student day that runs
    // from Saturday 4 am to Sunday 4 am is 25 hours long.
    let saturday = day_index(at(2026, 10, 31, 12, 0), Montreal);
    let start_sat = day_start(saturday, Montreal);
    let start_sun = day_start(saturday + 1, Montreal);
    let start_mon = day_start(saturday + 2, Montreal);
    assert_eq!(start_sun - start_sat, 25 * 3_600_000);
    assert_eq!(start_mon - start_sun, 24 * 3_600_000);
    assert_eq!(start_sun, at(2026, 11, 1, 4, 0));
}

#[test]
fn interval_is_counted_in_the_students_days() {
    // Reviewing at 23:30 or at 01:30 the next night is the same student day.
    let s = scheduler();
    let late = s.review(None, Rating::Easy, at(2026, 3, 2, 23, 30));
    let later = s.review(None, Rating::Easy, at(2026, 3, 3, 1, 30));
    assert_eq!(late.state.due, later.state.due);
}

#[test]
fn retrievability_decays_and_is_zero_for_unseen() {
    let s = scheduler();
    let now = at(2026, 3, 2, 10, 0);
    let state = s.review(None, Rating::Good, now).state;
    let soon = s.retrievability(&state, now + schedule::days(1));
    let late = s.retrievability(&state, now + schedule::days(30));
    assert!(soon > late && late > 0.0 && soon <= 1.0, "{soon} {late}");
    // At t = stability days, FSRS recall is exactly 90% by definition.
    let r = fsrs::current_retrievability(
        fsrs::MemoryState {
            stability: 10.0,
            difficulty: 5.0,
        },
        10.0,
        fsrs::DEFAULT_PARAMETERS[20],
    );
    assert!(close(r, 0.9), "{r}");
    assert_eq!(s.retrievability(&CardState::new_card(now), now), 0.0);
}

#[test]
fn lower_desired_retention_gives_longer_intervals() {
    let strict = Scheduler::new(SchedulerConfig {
        desired_retention: 0.95,
        ..Default::default()
    });
    let relaxed = Scheduler::new(SchedulerConfig {
        desired_retention: 0.8,
        ..Default::default()
    });
    assert!(relaxed.interval_days(20.0) > strict.interval_days(20.0));
}

fn graded(verdict: Verdict, score: f32, answer_ms: u32, typical_ms: Option<u32>) -> Rating {
    rating_for(Answer::Graded {
        verdict,
        score,
        answer_ms,
        typical_ms,
    })
}

#[test]
fn answers_map_to_ratings() {
    assert_eq!(graded(Verdict::Wrong, 0.0, 3_000, None), Rating::Again);
    assert_eq!(rating_for(Answer::DontKnow), Rating::Again);
    assert_eq!(rating_for(Answer::TimedOut), Rating::Again);
    assert_eq!(graded(Verdict::Partial, 0.5, 3_000, None), Rating::Again);
    assert_eq!(graded(Verdict::Partial, 0.75, 3_000, None), Rating::Hard);
    assert_eq!(graded(Verdict::Close, 0.9, 3_000, None), Rating::Good);
    assert_eq!(graded(Verdict::Correct, 1.0, 3_000, None), Rating::Good);
    assert_eq!(
        graded(Verdict::Correct, 1.0, 3_000, Some(5_000)),
        Rating::Good
    );
    assert_eq!(
        graded(Verdict::Correct, 1.0, 2_000, Some(5_000)),
        Rating::Easy
    );
}

#[test]
fn self_rating_follows_the_course_flashcards() {
    let ratings: Vec<_> = (1..=5).map(|n| rating_for(Answer::SelfRated(n))).collect();
    assert_eq!(
        ratings,
        [
            Rating::Again,
            Rating::Again,
            Rating::Hard,
            Rating::Good,
            Rating::Easy
        ]
    );
}
