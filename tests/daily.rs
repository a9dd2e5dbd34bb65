//! Daily questions (posting times across DST, the card a channel needs) and
//! the exam readiness forecast.

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::America::Montreal;
use rappel::core::daily::{self, CardNeed, Due, PostTime};
use rappel::core::readiness::forecast;
use rappel::core::schedule::{self, CardState, Rating, Scheduler, SchedulerConfig};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .timestamp_millis()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn eight() -> PostTime {
    PostTime::parse("08:00").unwrap()
}

#[test]
fn daily_at_eight_stays_at_eight_across_the_november_change() {
    // Montreal: EDT (UTC−4) until 2026-11-01 02:00, then EST (UTC−5).
    assert_eq!(
        daily::post_instant(date(2026, 10, 31), eight(), Montreal),
        utc(2026, 10, 31, 12, 0)
    );
    assert_eq!(
        daily::post_instant(date(2026, 11, 1), eight(), Montreal),
        utc(2026, 11, 1, 13, 0)
    );
    assert_eq!(
        daily::post_instant(date(2026, 11, 2), eight(), Montreal),
        utc(2026, 11, 2, 13, 0)
    );
    // Waiting on Saturday evening: the next post is Sunday 08:00 EST, 25 h after Saturday's.
    let saturday_evening = utc(2026, 11, 1, 1, 0);
    assert_eq!(
        daily::due(
            saturday_evening,
            eight(),
            Montreal,
            Some(date(2026, 10, 31))
        ),
        Due::WaitUntil(utc(2026, 11, 1, 13, 0))
    );
}

#[test]
fn time_in_the_spring_gap_posts_just_after_it() {
    let half_two = PostTime::parse("02:30").unwrap();
    // 2026-03-08: clocks jump from 02:00 to 03:00 in Montreal.
    assert_eq!(
        daily::post_instant(date(2026, 3, 8), half_two, Montreal),
        utc(2026, 3, 8, 7, 0)
    );
}

#[test]
fn due_posts_once_per_local_day() {
    let morning = utc(2026, 11, 10, 13, 30); // 08:30 EST
    assert_eq!(
        daily::due(morning, eight(), Montreal, Some(date(2026, 11, 9))),
        Due::PostNow(date(2026, 11, 10))
    );
    assert_eq!(
        daily::due(morning, eight(), Montreal, Some(date(2026, 11, 10))),
        Due::WaitUntil(utc(2026, 11, 11, 13, 0))
    );
    let early = utc(2026, 11, 10, 12, 0); // 07:00 EST
    assert_eq!(
        daily::due(early, eight(), Montreal, Some(date(2026, 11, 9))),
        Due::WaitUntil(utc(2026, 11, 10, 13, 0))
    );
}

#[test]
fn restart_after_days_down_posts_only_today() {
    let now = utc(2026, 11, 20, 20, 0);
    assert_eq!(
        daily::due(now, eight(), Montreal, Some(date(2026, 11, 12))),
        Due::PostNow(date(2026, 11, 20))
    );
}

#[test]
fn bad_time_and_zone_are_refused() {
    assert!(PostTime::parse("25:00").is_err());
    assert!(PostTime::parse("8h").is_err());
    assert_eq!(PostTime::parse(" 07:05 ").unwrap().to_string(), "07:05");
    assert!(daily::parse_zone("Mars/Olympus").is_err());
    assert_eq!(
        daily::parse_zone("Europe/Paris").unwrap(),
        chrono_tz::Europe::Paris
    );
}

fn need(
    card: &str,
    n_due: u32,
    overdue_days: f64,
    n_missed: u32,
    n_asked: u32,
) -> CardNeed<String> {
    CardNeed {
        card: card.to_string(),
        n_due,
        overdue_days,
        n_missed,
        n_asked,
    }
}

#[test]
fn pick_prefers_the_most_overdue_then_most_missed() {
    let needs = [
        need("a", 1, 0.5, 0, 0),
        need("b", 3, 10.0, 0, 5),
        need("c", 0, 0.0, 2, 1),
    ];
    assert_eq!(daily::pick(&needs, None).as_deref(), Some("b"));
    let needs = [need("a", 0, 0.0, 1, 0), need("c", 0, 0.0, 4, 1)];
    assert_eq!(daily::pick(&needs, None).as_deref(), Some("c"));
}

#[test]
fn pick_falls_back_to_least_asked_and_never_repeats_yesterday() {
    let needs = [
        need("a", 0, 0.0, 0, 3),
        need("b", 0, 0.0, 0, 1),
        need("c", 0, 0.0, 0, 2),
    ];
    assert_eq!(daily::pick(&needs, None).as_deref(), Some("b"));
    assert_eq!(
        daily::pick(&needs, Some(&"b".to_string())).as_deref(),
        Some("c")
    );
    let overdue = [need("x", 5, 9.0, 0, 0), need("y", 1, 0.0, 0, 0)];
    assert_eq!(
        daily::pick(&overdue, Some(&"x".to_string())).as_deref(),
        Some("y")
    );
    let only = [need("x", 5, 9.0, 0, 0)];
    assert_eq!(
        daily::pick(&only, Some(&"x".to_string())).as_deref(),
        Some("x")
    );
    assert_eq!(daily::pick::<String>(&[], None), None);
}

#[test]
fn readiness_matches_hand_computed_fsrs_values() {
    let scheduler = Scheduler::new(SchedulerConfig::default());
    let now = Montreal
        .with_ymd_and_hms(2026, 11, 2, 10, 0, 0)
        .unwrap()
        .timestamp_millis();
    let exam = now + schedule::days(10);
    // One card rated Good once today: S = 2.3065 days. Recall after 10 days
    // on FSRS-6's curve R = (1 + f·t/S)^(−w20), f = 0.9^(−1/w20) − 1.
    let good = scheduler.review(None, Rating::Good, now).state;
    let w20 = fsrs::DEFAULT_PARAMETERS[20];
    let factor = 0.9f32.powf(-1.0 / w20) - 1.0;
    let r_good = (1.0 + factor * 10.0 / 2.3065).powf(-w20);
    let states = [Some(good), None];
    let readiness = forecast(&scheduler, &states, now, exam, 0.9);
    assert!(
        (readiness.predicted - r_good / 2.0).abs() < 1e-4,
        "{readiness:?} vs {}",
        r_good / 2.0
    );
    assert_eq!(readiness.n_unseen, 1);
    assert_eq!(readiness.days_left, 10);
    // Both cards must be lifted: 1 review + 2 for the unseen one, over 10 days.
    assert_eq!(readiness.reviews_per_day, Some(1));
}

#[test]
fn readiness_of_unseen_deck_is_zero_and_exam_day_needs_no_plan() {
    let scheduler = Scheduler::new(SchedulerConfig::default());
    let now = utc(2026, 11, 2, 15, 0);
    let states: Vec<Option<CardState>> = vec![None; 40];
    let readiness = forecast(&scheduler, &states, now, now + schedule::days(4), 0.9);
    assert_eq!(readiness.predicted, 0.0);
    assert_eq!(
        readiness.reviews_per_day,
        Some(20),
        "80 reviews over 4 days"
    );
    let today = forecast(&scheduler, &states, now, now, 0.9);
    assert_eq!(today.reviews_per_day, None);
}

#[test]
fn well_known_deck_needs_nothing() {
    let scheduler = Scheduler::new(SchedulerConfig::default());
    let now = utc(2026, 11, 2, 15, 0);
    let strong = CardState {
        stability: 400.0,
        difficulty: 3.0,
        ..scheduler.review(None, Rating::Easy, now).state
    };
    let readiness = forecast(
        &scheduler,
        &[Some(strong); 5],
        now,
        now + schedule::days(3),
        0.9,
    );
    assert!(readiness.predicted > 0.95, "{readiness:?}");
    assert_eq!(readiness.reviews_per_day, Some(0));
}
