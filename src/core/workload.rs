//! What a desired retention costs: FSRS's expected number of reviews per
//! day for the cards a student has now, over the coming weeks.
//!
//! The `fsrs` crate's workload estimator (`expected_workload_with_existing_cards`)
//! takes each card's memory (stability, difficulty, last review) and the
//! desired retention, and sums the expected cost of every review until the
//! horizon, following each possible rating with its probability. Each
//! review is given a cost of 1, so the sum is a number of reviews. Every
//! card is taken as scheduled at the retention asked about (what FSRS would
//! give it from its next review on), so two retentions compare like for
//! like; cards never seen and no new cards are counted.

use chrono_tz::Tz;

use super::schedule::{
    CardState, Millis, Parameters, Phase, Scheduler, SchedulerConfig, day_index,
};

/// The days the estimate averages over.
pub const HORIZON_DAYS: u32 = 30;

/// Expected reviews per day over the next [`HORIZON_DAYS`] days for the
/// cards of `states` already seen, at `desired_retention`, counted from
/// `now` in `tz`, with the student's FSRS `parameters`. 0 without such
/// cards; `None` if FSRS refuses the inputs.
pub fn reviews_per_day(
    states: &[CardState],
    desired_retention: f32,
    now: Millis,
    tz: Tz,
    parameters: &Parameters,
) -> Option<f32> {
    let scheduler = Scheduler::new(SchedulerConfig {
        desired_retention,
        time_zone: tz,
        parameters: *parameters,
        ..SchedulerConfig::default()
    });
    let today = day_index(now, tz);
    let cards: Vec<fsrs::Card> = states
        .iter()
        .filter(|s| s.phase != Phase::New && s.stability > 0.0)
        .filter_map(|s| {
            let last = s.last_review?;
            let last_date = (day_index(last, tz) - today).min(0) as f32;
            let interval = match s.phase {
                // Same-day steps: back today.
                Phase::Learning | Phase::Relearning => 0.0,
                _ => scheduler.interval_days(s.stability) as f32,
            };
            Some(fsrs::Card {
                difficulty: s.difficulty,
                stability: s.stability,
                last_date,
                due: (last_date + interval).max(0.0),
                interval,
                desired_retention,
                ..fsrs::Card::default()
            })
        })
        .collect();
    if cards.is_empty() {
        return Some(0.0);
    }
    let config = fsrs::SimulatorConfig {
        deck_size: cards.len(),
        learn_span: HORIZON_DAYS as usize,
        // No new cards: only the ones the student has.
        learn_limit: 0,
        // Every review costs one: the workload is a number of reviews.
        state_rating_costs: [[1.0; 4]; 3],
        ..fsrs::SimulatorConfig::default()
    };
    let total = fsrs::expected_workload_with_existing_cards(
        &parameters.0,
        desired_retention,
        &config,
        &cards,
    )
    .ok()?;
    Some(total / HORIZON_DAYS as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Millis = 86_400_000;

    fn reviewed(stability: f32, days_ago: i64, now: Millis) -> CardState {
        CardState {
            phase: Phase::Review,
            step: 0,
            stability,
            difficulty: 5.0,
            due: now,
            last_review: Some(now - days_ago * DAY),
            reps: 3,
            lapses: 0,
        }
    }

    #[test]
    fn higher_retention_costs_more_reviews() {
        let now = 1_780_000_000_000;
        let tz = chrono_tz::Europe::Paris;
        let states: Vec<CardState> = (0..200)
            .map(|i| reviewed(1.0 + (i % 40) as f32, i % 7, now))
            .collect();
        let low = reviews_per_day(&states, 0.80, now, tz, &Parameters::default()).unwrap();
        let mid = reviews_per_day(&states, 0.90, now, tz, &Parameters::default()).unwrap();
        let high = reviews_per_day(&states, 0.97, now, tz, &Parameters::default()).unwrap();
        assert!(low > 0.0, "{low}");
        assert!(low < mid && mid < high, "{low} {mid} {high}");
    }

    #[test]
    fn no_cards_no_reviews() {
        let now = 1_780_000_000_000;
        let new = CardState::new_card(now);
        assert_eq!(
            reviews_per_day(&[new], 0.9, now, chrono_tz::UTC, &Parameters::default()),
            Some(0.0)
        );
    }
}
