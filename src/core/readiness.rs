//! Exam readiness: the share of a deck a student is predicted to recall on
//! exam day, and how much daily work would bring it to a target.
//!
//! The forecast is FSRS's own prediction: for each card, the retrievability
//! on the exam day given the student's memory state today, if they stopped
//! reviewing now. Cards never seen count as not known (0).
//!
//! The workload estimate is deliberately simple and says so: a review of a
//! card in the days before the exam is assumed to bring it to the desired
//! retention on exam day (that is what FSRS schedules for), a card never
//! seen needs two reviews (first sight and one learning step). Lifting the
//! weakest cards first, the estimate counts reviews until the mean reaches
//! the target, spread over the days left.

use crate::core::schedule::{CardState, Millis, Scheduler, day_index};

/// The forecast for one student and one deck.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Readiness {
    /// Predicted share of the deck recalled on exam day, 0 to 1.
    pub predicted: f32,
    /// Cards in the deck.
    pub n_cards: usize,
    /// Cards the student has never reviewed.
    pub n_unseen: usize,
    /// Whole student days until the exam day (0 on the day itself).
    pub days_left: i64,
    /// Reviews per day, from today until the day before the exam, that
    /// would bring the prediction to the target; `None` when the exam is
    /// today or past, 0 when the target is already met.
    pub reviews_per_day: Option<u32>,
}

/// Forecasts readiness for `exam_at` (any instant on the exam day) from the
/// states of the deck's cards (`None` = never seen), aiming at `target`
/// (e.g. 0.9).
pub fn forecast(
    scheduler: &Scheduler,
    states: &[Option<CardState>],
    now: Millis,
    exam_at: Millis,
    target: f32,
) -> Readiness {
    let tz = scheduler.config().time_zone;
    let days_left = day_index(exam_at, tz) - day_index(now, tz);
    let mut recalls: Vec<(f32, u32)> = states
        .iter()
        .map(|state| match state {
            Some(s) if s.last_review.is_some() => (scheduler.retrievability(s, exam_at), 1),
            _ => (0.0, 2),
        })
        .collect();
    let n_cards = recalls.len();
    let n_unseen = recalls.iter().filter(|(_, cost)| *cost == 2).count();
    let sum: f32 = recalls.iter().map(|(r, _)| r).sum();
    let predicted = if n_cards == 0 {
        0.0
    } else {
        sum / n_cards as f32
    };
    let reviews_per_day = (days_left > 0).then(|| {
        let lifted = scheduler.config().desired_retention.max(target);
        recalls.sort_by(|a, b| a.0.total_cmp(&b.0));
        let needed_sum = target * n_cards as f32;
        let mut current = sum;
        let mut reviews = 0u32;
        for (r, cost) in recalls {
            if current >= needed_sum - 1e-6 {
                break;
            }
            if r >= lifted {
                break;
            }
            current += lifted - r;
            reviews += cost;
        }
        reviews.div_ceil(days_left as u32)
    });
    Readiness {
        predicted,
        n_cards,
        n_unseen,
        days_left,
        reviews_per_day,
    }
}
