//! A memory model fitted to each student: FSRS-6's 21 parameters fitted to
//! the student's own review log with the `fsrs` crate's optimizer
//! (`compute_parameters`, the one Anki runs), judged on reviews the fit
//! never saw, and used only when they predict those better than the
//! defaults.
//!
//! - **What is predicted.** A *long-term review*: an answer on a later day
//!   than the card's previous answer (FSRS predicts recall across days;
//!   same-day learning steps only shape the memory state). Recalled means
//!   a rating above Again. Days are the student's days as stored with
//!   each answer (`schedule::day_index`, 4 am boundary).
//! - **How it is judged.** The long-term reviews are split in time order:
//!   the first 80 % fit, the last 20 % are held out. The default
//!   parameters, the fitted ones and the ones in use before (if fitted)
//!   each predict the held-out reviews (their histories included, as the
//!   scheduler would have seen them): mean log loss and RMSE(bins)
//!   (fsrs-rs's bins of interval, review count and lapses). The lowest log
//!   loss is used; the defaults win ties.
//! - **When.** From [`MIN_REVIEWS`] long-term reviews on, and again once the
//!   log has grown by half ([`refit_due`]). Because a re-fit waits for
//!   +50 %, its held-out fifth lies wholly after everything an earlier fit
//!   learned from, so the previous parameters are judged on reviews they
//!   never saw either.
//!
//! Pure: the log comes in as values, the result goes out as one.

/// A card's memory (stability, difficulty), as FSRS keeps it.
pub use fsrs::MemoryState;
use fsrs::{ComputeParametersInput, FSRS, FSRSItem, FSRSReview};

use crate::core::schedule::{Millis, Parameters, Rating};

/// Long-term reviews needed before a fit. fsrs-rs's optimizer returns the
/// defaults below 8 and fits only the four initial stabilities below 64;
/// Anki asked for 400 reviews before its 24.06 lifted the limit, and the
/// FSRS authors' measurements (anki#3094) show parameters fitted on about
/// 200 reviews holding up over the next 1,000. 400 gives 320 to fit and
/// 80 held out to judge them.
pub const MIN_REVIEWS: usize = 400;

/// The share of the long-term reviews held out (the most recent ones).
pub const HELD_OUT_PERCENT: usize = 20;

/// A re-fit waits until the log holds this many times the answers of the
/// last fit.
pub const REFIT_GROWTH: f64 = 1.5;

/// Whether a student with `n_answers` in their log is due a fit, the last
/// one having seen `last_fit_answers` (`None`: never fitted).
pub fn refit_due(n_answers: usize, last_fit_answers: Option<usize>) -> bool {
    n_answers >= MIN_REVIEWS
        && last_fit_answers.is_none_or(|last| n_answers as f64 >= last as f64 * REFIT_GROWTH)
}

/// One answer of a student's log (a `/study` self-rating already in place
/// of the rating it corrects), given oldest first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoggedAnswer {
    /// Tells the student's cards apart (an index into the caller's keys).
    pub card: u32,
    /// When it was answered.
    pub at: Millis,
    /// The student's day of the answer, as stored with it.
    pub day: i64,
    pub rating: Rating,
}

/// One card's answers as FSRS reads them, oldest first, and its last one.
#[derive(Debug, Default)]
struct History {
    reviews: Vec<FSRSReview>,
    last_at: Millis,
    last_day: i64,
}

impl History {
    /// Adds the card's next answer; returns the days since its previous
    /// one (0 for the first answer or one on the same day).
    fn push(&mut self, answer: &LoggedAnswer) -> u32 {
        let delta_t = if self.reviews.is_empty() {
            0
        } else {
            u32::try_from(answer.day - self.last_day).unwrap_or(0)
        };
        self.reviews.push(FSRSReview {
            rating: u32::from(answer.rating.number()),
            delta_t,
        });
        self.last_at = answer.at;
        self.last_day = answer.day;
        delta_t
    }
}

/// The long-term reviews of a log in time order, as FSRS reads them: each
/// one with its card's whole history up to it.
#[derive(Debug, Clone, Default)]
pub struct Reviews {
    items: Vec<FSRSItem>,
    cards: Vec<i64>,
}

impl Reviews {
    /// The long-term reviews of `log` (oldest first).
    pub fn from_log(log: &[LoggedAnswer]) -> Self {
        let mut histories: std::collections::HashMap<u32, History> =
            std::collections::HashMap::new();
        let mut out = Self::default();
        for answer in log {
            let history = histories.entry(answer.card).or_default();
            if history.push(answer) > 0 {
                out.items.push(FSRSItem {
                    reviews: history.reviews.clone(),
                });
                out.cards.push(i64::from(answer.card));
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The first 80 % (to fit) and the last 20 % (held out), in time order.
    pub fn split(mut self) -> (Self, Self) {
        let n_test = (self.len() * HELD_OUT_PERCENT).div_ceil(100);
        let at = self.len() - n_test;
        let test = Self {
            items: self.items.split_off(at),
            cards: self.cards.split_off(at),
        };
        (self, test)
    }

    /// Each review's predicted recall under `parameters`, and whether it
    /// was recalled.
    pub fn predictions(&self, parameters: &Parameters) -> Vec<(f32, bool)> {
        let model = parameters.model();
        self.items
            .iter()
            .map(|item| {
                let (current, history) = item.reviews.split_last().expect("a long-term review");
                let p = recall(&model, parameters, history, current.delta_t);
                (p, current.rating > 1)
            })
            .collect()
    }
}

/// The recall FSRS predicts `delta_t` days after `history`.
fn recall(model: &FSRS, parameters: &Parameters, history: &[FSRSReview], delta_t: u32) -> f32 {
    let item = FSRSItem {
        reviews: history.to_vec(),
    };
    match model.memory_state(item, None) {
        Ok(memory) => fsrs::current_retrievability(memory, delta_t as f32, parameters.decay()),
        Err(_) => 0.5,
    }
}

/// How well parameters predict reviews: mean log loss and RMSE over
/// fsrs-rs's bins (lower is better for both).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub log_loss: f32,
    pub rmse_bins: f32,
}

/// `parameters` judged on `reviews`; `None` without reviews.
pub fn evaluate(parameters: &Parameters, reviews: &Reviews) -> Option<Metrics> {
    if reviews.is_empty() {
        return None;
    }
    let predictions = reviews.predictions(parameters);
    let n = predictions.len() as f64;
    let log_loss = predictions
        .iter()
        .map(|&(p, y)| {
            let p = f64::from(p).clamp(1e-4, 1.0 - 1e-4);
            if y { -p.ln() } else { -(1.0 - p).ln() }
        })
        .sum::<f64>()
        / n;
    let mut bins: std::collections::HashMap<(u32, u32, u32), (f64, f64, f64)> =
        std::collections::HashMap::new();
    for (item, &(p, y)) in reviews.items.iter().zip(&predictions) {
        let bin = bins.entry(bin_of(item)).or_default();
        bin.0 += f64::from(p);
        bin.1 += f64::from(u8::from(y));
        bin.2 += 1.0;
    }
    let squared: f64 = bins
        .values()
        .map(|(p, y, count)| (p / count - y / count).powi(2) * count)
        .sum();
    Some(Metrics {
        log_loss: log_loss as f32,
        rmse_bins: (squared / n).sqrt() as f32,
    })
}

/// fsrs-rs's RMSE bin of a review (`FSRSItem::r_matrix_index`): its
/// interval, its card's number of long-term reviews and lapses, each on a
/// log scale.
fn bin_of(item: &FSRSItem) -> (u32, u32, u32) {
    let (current, history) = item.reviews.split_last().expect("a long-term review");
    let delta_t = f64::from(current.delta_t);
    let delta_t_bin = (2.48 * 3.62f64.powf(delta_t.log(3.62).floor()) * 100.0).round() as u32;
    let long_term = item.reviews.iter().filter(|r| r.delta_t > 0).count();
    let length = long_term as f64 + 1.0;
    let length_bin = (1.99 * 1.89f64.powf(length.log(1.89).floor())).round() as u32;
    let lapses = history
        .iter()
        .filter(|r| r.rating == 1 && r.delta_t > 0)
        .count();
    let lapse_bin = if lapses == 0 {
        0
    } else {
        (1.65 * 1.73f64.powf((lapses as f64).log(1.73).floor())).round() as u32
    };
    (delta_t_bin, length_bin, lapse_bin)
}

/// Fits FSRS-6 to `train` with the crate's optimizer (short-term
/// parameters on, one relearning step as `SchedulerConfig`'s default).
pub fn fit(train: &Reviews) -> Result<Parameters, String> {
    let input = ComputeParametersInput {
        train_set: train.items.clone(),
        card_ids: Some(train.cards.clone()),
        progress: None,
        enable_short_term: true,
        num_relearning_steps: Some(1),
        training_config: None,
    };
    let fitted = fsrs::compute_parameters(input).map_err(|e| e.to_string())?;
    Parameters::from_slice(&fitted).ok_or_else(|| format!("{} parameters", fitted.len()))
}

/// What the student's scheduler uses after a fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// This fit's parameters: the best on the held-out reviews.
    Fitted,
    /// The parameters fitted before: still the best.
    Previous,
    /// FSRS's defaults: no fitted parameters did better.
    Default,
    /// Fewer than [`MIN_REVIEWS`] long-term reviews: nothing fitted,
    /// nothing changed.
    TooFew,
    /// The optimizer refused the log: nothing changed.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fitted => "fitted",
            Self::Previous => "previous",
            Self::Default => "default",
            Self::TooFew => "too_few",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Fitted,
            Self::Previous,
            Self::Default,
            Self::TooFew,
            Self::Failed,
        ]
        .into_iter()
        .find(|o| o.as_str() == raw)
    }
}

/// One fit of one student: the counts, the parameters found, how the
/// candidates did on the held-out reviews and what is used now.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Answers in the log.
    pub n_answers: usize,
    /// Of which long-term reviews.
    pub n_reviews: usize,
    pub n_train: usize,
    pub n_test: usize,
    pub outcome: Outcome,
    /// The parameters this fit found (`None`: too few reviews, or failed).
    pub fitted: Option<Parameters>,
    /// Held-out figures of the defaults, the fitted parameters and the
    /// ones in use before (when those were fitted ones).
    pub default_metrics: Option<Metrics>,
    pub fitted_metrics: Option<Metrics>,
    pub previous_metrics: Option<Metrics>,
    /// The optimizer's refusal, for [`Outcome::Failed`].
    pub error: Option<String>,
}

impl Report {
    /// The parameters the student's scheduler uses after this fit, given
    /// `previous` (the fitted ones in use before it, if any); `None` is the
    /// defaults.
    pub fn in_use(&self, previous: Option<&Parameters>) -> Option<Parameters> {
        match self.outcome {
            Outcome::Fitted => self.fitted,
            Outcome::Default => None,
            Outcome::Previous | Outcome::TooFew | Outcome::Failed => previous.copied(),
        }
    }
}

/// Fits the student whose log is `log` (oldest first), `previous` being the
/// fitted parameters their scheduler uses now, if any.
pub fn fit_student(log: &[LoggedAnswer], previous: Option<&Parameters>) -> Report {
    let reviews = Reviews::from_log(log);
    let mut report = Report {
        n_answers: log.len(),
        n_reviews: reviews.len(),
        n_train: 0,
        n_test: 0,
        outcome: Outcome::TooFew,
        fitted: None,
        default_metrics: None,
        fitted_metrics: None,
        previous_metrics: None,
        error: None,
    };
    if reviews.len() < MIN_REVIEWS {
        return report;
    }
    let (train, test) = reviews.split();
    report.n_train = train.len();
    report.n_test = test.len();
    let fitted = match fit(&train) {
        Ok(p) => p,
        Err(e) => {
            report.outcome = Outcome::Failed;
            report.error = Some(e);
            return report;
        }
    };
    let default_metrics = evaluate(&Parameters::default(), &test);
    let fitted_metrics = evaluate(&fitted, &test);
    let previous_metrics = previous.and_then(|p| evaluate(p, &test));
    report.fitted = Some(fitted);
    report.outcome = choose(default_metrics, fitted_metrics, previous_metrics);
    report.default_metrics = default_metrics;
    report.fitted_metrics = fitted_metrics;
    report.previous_metrics = previous_metrics;
    report
}

/// The candidate with the lowest held-out log loss; the defaults win ties,
/// then the previous parameters.
fn choose(default: Option<Metrics>, fitted: Option<Metrics>, previous: Option<Metrics>) -> Outcome {
    let loss = |m: Option<Metrics>| m.map_or(f32::INFINITY, |m| m.log_loss);
    let mut best = (Outcome::Default, loss(default));
    for (outcome, metrics) in [(Outcome::Previous, previous), (Outcome::Fitted, fitted)] {
        if loss(metrics) < best.1 {
            best = (outcome, loss(metrics));
        }
    }
    best.0
}

/// Each card's memory state at its last answer under `parameters`,
/// replayed from the log (oldest first): what a card state holds once the
/// student's parameters change. `(card, time of its last answer, memory)`.
pub fn memory_states(
    parameters: &Parameters,
    log: &[LoggedAnswer],
) -> Vec<(u32, Millis, MemoryState)> {
    let model = parameters.model();
    let mut cards: std::collections::BTreeMap<u32, History> = std::collections::BTreeMap::new();
    for answer in log {
        cards.entry(answer.card).or_default().push(answer);
    }
    cards
        .into_iter()
        .filter_map(|(card, history)| {
            let reviews = history.reviews;
            let memory = model.memory_state(FSRSItem { reviews }, None).ok()?;
            Some((card, history.last_at, memory))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(card: u32, day: i64, rating: Rating) -> LoggedAnswer {
        LoggedAnswer {
            card,
            at: day * 86_400_000,
            day,
            rating,
        }
    }

    #[test]
    fn only_answers_on_a_later_day_are_long_term_reviews() {
        let log = [
            answer(1, 10, Rating::Again),
            answer(1, 10, Rating::Good),
            answer(2, 10, Rating::Good),
            answer(1, 11, Rating::Good),
            answer(2, 14, Rating::Again),
            answer(1, 15, Rating::Good),
        ];
        let reviews = Reviews::from_log(&log);
        assert_eq!(reviews.len(), 3);
        let deltas: Vec<Vec<u32>> = reviews
            .items
            .iter()
            .map(|i| i.reviews.iter().map(|r| r.delta_t).collect())
            .collect();
        assert_eq!(deltas, [vec![0, 0, 1], vec![0, 4], vec![0, 0, 1, 4]]);
        assert_eq!(reviews.cards, [1, 2, 1]);
    }

    #[test]
    fn the_held_out_fifth_is_the_most_recent() {
        let log: Vec<_> = (0..11).map(|d| answer(1, d, Rating::Good)).collect();
        let (train, test) = Reviews::from_log(&log).split();
        assert_eq!((train.len(), test.len()), (8, 2));
        assert_eq!(test.items[0].reviews.len(), 10);
    }

    #[test]
    fn a_refit_waits_for_half_as_many_answers_again() {
        assert!(!refit_due(MIN_REVIEWS - 1, None));
        assert!(refit_due(MIN_REVIEWS, None));
        assert!(!refit_due(599, Some(400)));
        assert!(refit_due(600, Some(400)));
    }

    #[test]
    fn the_defaults_win_a_tie() {
        let m = |log_loss| {
            Some(Metrics {
                log_loss,
                rmse_bins: 0.1,
            })
        };
        assert_eq!(choose(m(0.4), m(0.4), None), Outcome::Default);
        assert_eq!(choose(m(0.4), m(0.3), m(0.35)), Outcome::Fitted);
        assert_eq!(choose(m(0.4), m(0.39), m(0.35)), Outcome::Previous);
        assert_eq!(choose(m(0.3), m(0.39), m(0.35)), Outcome::Default);
    }

    #[test]
    fn too_few_reviews_fit_nothing() {
        let log: Vec<_> = (0..50)
            .map(|d| answer(d as u32 % 5, d, Rating::Good))
            .collect();
        let report = fit_student(&log, None);
        assert_eq!(report.outcome, Outcome::TooFew);
        assert_eq!(report.in_use(None), None);
    }
}
