//! The exam-readiness forecast, kept and checked against what happened.
//!
//! `/exam show` predicts, for each card a student has seen, the recall on
//! exam day if they stopped reviewing now (`core::readiness`). Each such
//! forecast is stored with, per card, the memory it was made from
//! (stability, day of the last review) and the parameters' decay, so the
//! prediction can be read off the same forgetting curve on any later day.
//!
//! After the exam the forecast meets the facts: the recall observed on
//! those cards in the week after the exam (any answer: `/study`, the daily
//! question, a quiz). Per card, the first answer in
//! `[exam, exam + 7 days)` is the observation (recalled: a rating above
//! Again), compared with the recall the forecast's memory predicts *for the
//! day of that answer* (on exam day itself, that is the exam-day figure;
//! later in the week the curve has gone down a little further). A card
//! answered between the forecast and the exam is left out: its forecast
//! ("if you stopped now") no longer holds, and a later forecast would have
//! seen that answer. Cards never seen are left out too: FSRS predicts
//! nothing for them (the forecast counts them as not known).
//!
//! Pure: the stored forecast and the answers come in as values.

use serde::{Deserialize, Serialize};

use crate::core::schedule::{CardState, Millis, Rating, Scheduler, day_index, days};

/// The window after the exam in which answers count.
pub const WEEK_AFTER: Millis = days(7);

/// A bin (or the whole) is reported as conclusive from this many cards.
pub const MIN_CARDS_PER_BIN: usize = 50;

/// One seen card of a stored forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardForecast {
    /// The card, as `CardKey`'s parts (`deck`, `card`, `forward`/`backward`).
    pub deck: String,
    pub card: String,
    pub direction: String,
    /// The recall predicted for exam day.
    pub recall: f32,
    /// The memory it was predicted from.
    pub stability: f32,
    /// The student's day of the card's last review.
    pub last_day: i64,
}

/// The per-card predictions of a forecast made with `scheduler` (the
/// student's parameters and zone) for `exam_at`, from the seen cards'
/// states (`(deck, card, direction)` and the state).
pub fn card_forecasts<'a>(
    scheduler: &Scheduler,
    states: impl IntoIterator<Item = ((&'a str, &'a str, &'a str), &'a CardState)>,
    exam_at: Millis,
) -> Vec<CardForecast> {
    let tz = scheduler.config().time_zone;
    states
        .into_iter()
        .filter_map(|((deck, card, direction), state)| {
            let last = state.last_review?;
            (state.stability > 0.0).then(|| CardForecast {
                deck: deck.to_string(),
                card: card.to_string(),
                direction: direction.to_string(),
                recall: scheduler.retrievability(state, exam_at),
                stability: state.stability,
                last_day: day_index(last, tz),
            })
        })
        .collect()
}

/// A stored forecast, as calibration needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub made_at: Millis,
    pub exam_at: Millis,
    /// The forgetting curve's decay of the parameters it was made with.
    pub decay: f32,
    pub cards: Vec<CardForecast>,
}

/// One answer of the student after the forecast was made.
#[derive(Debug, Clone, PartialEq)]
pub struct LaterAnswer {
    pub deck: String,
    pub card: String,
    pub direction: String,
    pub at: Millis,
    /// The student's day of the answer, as stored.
    pub day: i64,
    pub rating: Rating,
}

/// One card's forecast against its first answer in the week after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// The recall the forecast predicts for the day of the answer.
    pub predicted: f32,
    pub recalled: bool,
}

/// The observations of `forecast`, given the student's answers made after
/// it (any order).
pub fn observations(forecast: &Forecast, answers: &[LaterAnswer]) -> Vec<Observation> {
    let mut by_card: std::collections::HashMap<(&str, &str, &str), Vec<&LaterAnswer>> =
        std::collections::HashMap::new();
    for a in answers.iter().filter(|a| a.at > forecast.made_at) {
        by_card
            .entry((&a.deck, &a.card, &a.direction))
            .or_default()
            .push(a);
    }
    let window = forecast.exam_at..forecast.exam_at + WEEK_AFTER;
    forecast
        .cards
        .iter()
        .filter_map(|c| {
            let mut answers = by_card
                .get(&(c.deck.as_str(), c.card.as_str(), c.direction.as_str()))?
                .clone();
            answers.sort_by_key(|a| a.at);
            let first = answers.first()?;
            if !window.contains(&first.at) {
                // Reviewed before the exam (the forecast no longer holds),
                // or not in the week after.
                return None;
            }
            let elapsed = (first.day - c.last_day).max(0) as f32;
            let memory = fsrs::MemoryState {
                stability: c.stability,
                difficulty: 5.0,
            };
            Some(Observation {
                predicted: fsrs::current_retrievability(memory, elapsed, forecast.decay),
                recalled: first.rating != Rating::Again,
            })
        })
        .collect()
}

/// Predicted against observed recall over some cards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bin {
    /// Cards in the bin.
    pub n: usize,
    /// Mean predicted recall, 0 to 1 (0 when empty).
    pub predicted: f64,
    /// Share recalled, 0 to 1 (0 when empty).
    pub observed: f64,
}

impl Bin {
    fn of(observations: &[Observation]) -> Self {
        let n = observations.len();
        if n == 0 {
            return Self::default();
        }
        let predicted = observations
            .iter()
            .map(|o| f64::from(o.predicted))
            .sum::<f64>()
            / n as f64;
        let observed = observations.iter().filter(|o| o.recalled).count() as f64 / n as f64;
        Self {
            n,
            predicted,
            observed,
        }
    }

    /// Observed minus predicted, in percentage points.
    pub fn gap_points(&self) -> f64 {
        (self.observed - self.predicted) * 100.0
    }

    /// Half the width of the 95 % interval of the observed share, in
    /// points (normal approximation around the predicted recall): a gap
    /// within it is what chance alone gives.
    pub fn margin_points(&self) -> f64 {
        if self.n == 0 {
            return 100.0;
        }
        let p = self.predicted.clamp(0.01, 0.99);
        1.96 * (p * (1.0 - p) / self.n as f64).sqrt() * 100.0
    }

    /// Whether the bin has [`MIN_CARDS_PER_BIN`] cards.
    pub fn conclusive(&self) -> bool {
        self.n >= MIN_CARDS_PER_BIN
    }
}

/// Forecasts against facts, overall and by tenth of predicted recall
/// (`deciles[i]` holds predictions in `[i/10, (i+1)/10)`, the last one
/// with 1).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Calibration {
    pub overall: Bin,
    pub deciles: [Bin; 10],
}

pub fn calibrate(observations: &[Observation]) -> Calibration {
    let mut split: [Vec<Observation>; 10] = Default::default();
    for o in observations {
        let decile = ((o.predicted * 10.0).floor().max(0.0) as usize).min(9);
        split[decile].push(*o);
    }
    Calibration {
        overall: Bin::of(observations),
        deciles: split.map(|obs| Bin::of(&obs)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Millis = 86_400_000;

    fn card(name: &str, stability: f32, last_day: i64) -> CardForecast {
        CardForecast {
            deck: "d".into(),
            card: name.into(),
            direction: "forward".into(),
            recall: 0.0,
            stability,
            last_day,
        }
    }

    fn answer(name: &str, day: i64, rating: Rating) -> LaterAnswer {
        LaterAnswer {
            deck: "d".into(),
            card: name.into(),
            direction: "forward".into(),
            at: day * DAY + DAY / 2,
            day,
            rating,
        }
    }

    #[test]
    fn a_card_answered_before_the_exam_is_left_out() {
        let forecast = Forecast {
            made_at: 10 * DAY,
            exam_at: 20 * DAY,
            decay: fsrs::DEFAULT_PARAMETERS[20],
            cards: vec![card("a", 10.0, 5), card("b", 10.0, 5), card("c", 10.0, 5)],
        };
        let answers = [
            answer("a", 15, Rating::Good),
            answer("a", 21, Rating::Good),
            answer("b", 22, Rating::Again),
            answer("b", 23, Rating::Good),
            answer("c", 30, Rating::Good),
        ];
        let seen = observations(&forecast, &answers);
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(!seen[0].recalled);
        // 17 days after a review with stability 10: the curve at day 22.
        let expected = fsrs::current_retrievability(
            fsrs::MemoryState {
                stability: 10.0,
                difficulty: 5.0,
            },
            17.0,
            fsrs::DEFAULT_PARAMETERS[20],
        );
        assert!((seen[0].predicted - expected).abs() < 1e-6);
    }

    #[test]
    fn deciles_split_by_predicted_recall() {
        let obs = |predicted, recalled| Observation {
            predicted,
            recalled,
        };
        let c = calibrate(&[
            obs(0.95, true),
            obs(0.91, false),
            obs(1.0, true),
            obs(0.05, false),
        ]);
        assert_eq!(c.overall.n, 4);
        assert_eq!(c.deciles[9].n, 3);
        assert!((c.deciles[9].observed - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(c.deciles[0].n, 1);
        assert!(!c.deciles[9].conclusive());
    }
}
