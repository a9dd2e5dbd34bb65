//! A simulated population whose memory is known, to check that fitting
//! recovers it (`rappel srs simulate`, and the test that asserts it).
//!
//! The model, documented because the check is only as good as it:
//! - **Each student's true memory is FSRS-6** with parameters of their own:
//!   the defaults with the initial stabilities (w0–w3) scaled by a common
//!   log-normal factor (σ 1) and their own (σ 0.3), the initial
//!   difficulty (w4) moved by N(0, 1.5), the growth of stability after a
//!   success (w8) by N(0, 0.5) and its exponent on stability (w9) by
//!   N(0, 0.1), its dependence on recall (w10) and the stability after a
//!   lapse (w11) scaled by log-normal factors (σ 0.3 and 0.5), and the
//!   forgetting curve's decay (w20) scaled by a log-normal factor (σ 0.35);
//!   all within fsrs-rs's bounds. (Anki users' fitted parameters differ
//!   that much: the initial stability of Good alone ranges over orders of
//!   magnitude. Decays spread much wider, uniform in 0.1–0.5, make the
//!   forecast of long-overdue cards over-optimistic: README, *A memory
//!   model fitted to each student*.)
//! - **A review is recalled** with the true recall of the card: FSRS's
//!   forgetting curve after the whole days since its last review (the
//!   student's days, as the scheduler counts them), or after the exact
//!   time within a day for same-day learning steps. Recalled: Hard, Good
//!   or Easy with the student's own odds; forgotten: Again. A card seen
//!   for the first time gets a rating from the student's first-sight odds.
//! - **The student studies** on a share of days (60–100 %), at 18:00 UTC:
//!   every due card through rappel's own [`Scheduler`] (learning steps
//!   included, 15 s an answer), then 3–10 new cards.
//! - **Fourteen days before the end** rappel fits the student's log as the
//!   background job does (`core::fit`: time-ordered 80/20 split), uses the
//!   winner from then on (card memories replayed with it) and makes the
//!   exam forecast of every seen card for an exam seven days later. Four
//!   students in ten then stop studying until the exam (what the forecast
//!   assumes); the others go on. In the week after the exam every student
//!   also answers a quiz over a random [`QUIZ_SHARE`] of their cards,
//!   besides the usual reviews; the first answer per card in that week is
//!   the observation (`core::forecast`).
//!
//! Pure: randomness comes from the caller's `Rng`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use fsrs::MemoryState;
use rand::Rng;

use crate::core::fit::{self, LoggedAnswer, Metrics, Reviews};
use crate::core::forecast::{self, Calibration, Forecast, LaterAnswer, Observation};
use crate::core::schedule::{
    CardState, Millis, Parameters, Rating, Scheduler, SchedulerConfig, day_index, day_start, days,
};

const DAY_MS: Millis = days(1);
const HOUR_MS: Millis = 3_600_000;
/// 2026-01-05 00:00 UTC: the first simulated day.
const START: Millis = 1_767_571_200_000;
/// Days before the end when the fit and the forecast are made.
const FORECAST_BEFORE_END: u32 = 14;
/// Days from the forecast to the exam.
const EXAM_AFTER: u32 = 7;
/// The share of a student's cards the quiz after the exam asks.
const QUIZ_SHARE: f64 = 0.8;

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Population {
    pub students: usize,
    /// At least 21, for the forecast and the week after the exam.
    pub days: u32,
}

/// A simulated student's hidden truth and habits.
#[derive(Debug, Clone, PartialEq)]
pub struct Learner {
    pub parameters: Parameters,
    /// When recalled: Hard with `p_hard`, Easy with `p_easy`, else Good.
    pub p_hard: f64,
    pub p_easy: f64,
    /// A first sight: Again, Hard, Good with these odds, else Easy.
    pub first: [f64; 3],
    pub new_per_day: u32,
    pub p_study: f64,
    /// Stops studying from the forecast to the exam, as the forecast
    /// assumes ("if you stopped reviewing now").
    pub pauses_before_exam: bool,
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut impl Rng) -> f32 {
    let u1: f64 = rng.random::<f64>().max(1e-12);
    let u2: f64 = rng.random();
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
}

/// Draws a student as the module documentation says.
pub fn draw_learner(rng: &mut impl Rng) -> Learner {
    let mut w = fsrs::DEFAULT_PARAMETERS;
    let common = normal(rng).exp();
    for s in &mut w[..4] {
        *s = (*s * common * (0.3 * normal(rng)).exp()).clamp(0.01, 100.0);
    }
    w[..4].sort_by(f32::total_cmp);
    w[4] = (w[4] + 1.5 * normal(rng)).clamp(1.0, 10.0);
    w[8] = (w[8] + 0.5 * normal(rng)).clamp(0.0, 4.5);
    w[9] = (w[9] + 0.1 * normal(rng)).clamp(0.0, 0.8);
    w[10] = (w[10] * (0.3 * normal(rng)).exp()).clamp(0.001, 3.5);
    w[11] = (w[11] * (0.5 * normal(rng)).exp()).clamp(0.001, 5.0);
    w[20] = (w[20] * (0.35 * normal(rng)).exp()).clamp(0.1, 0.8);
    let again = rng.random_range(0.1..0.4);
    let hard = rng.random_range(0.05..0.15);
    let good = rng.random_range(0.4..0.6_f64).min(1.0 - again - hard);
    Learner {
        parameters: Parameters(w),
        p_hard: rng.random_range(0.05..0.2),
        p_easy: rng.random_range(0.02..0.15),
        first: [again, hard, good],
        new_per_day: rng.random_range(3..=10),
        p_study: rng.random_range(0.6..1.0),
        pauses_before_exam: rng.random_bool(0.4),
    }
}

/// One simulated student once the days are over.
#[derive(Debug, Clone)]
pub struct Student {
    pub learner: Learner,
    /// Answers in the log when fitted.
    pub n_answers: usize,
    /// The fit made fourteen days before the end.
    pub report: fit::Report,
    /// The true parameters on the same held-out reviews.
    pub true_metrics: Option<Metrics>,
    /// Mean |predicted − true recall| on the held-out reviews, with the
    /// defaults and with the fitted parameters.
    pub default_gap: Option<f64>,
    pub fitted_gap: Option<f64>,
    /// The forecast's cards against the week after the exam.
    pub observations: Vec<Observation>,
}

impl Student {
    /// Whether the fitted parameters beat the defaults on held-out log loss.
    pub fn fitted_better(&self) -> Option<bool> {
        let (d, f) = (self.report.default_metrics?, self.report.fitted_metrics?);
        Some(f.log_loss < d.log_loss)
    }
}

/// The whole population.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub students: Vec<Student>,
    /// Every student's forecast observations together.
    pub calibration: Calibration,
}

impl Outcome {
    /// The students with enough long-term reviews to be fitted.
    pub fn fitted(&self) -> impl Iterator<Item = &Student> {
        self.students
            .iter()
            .filter(|s| s.report.fitted_metrics.is_some())
    }
}

/// Simulates `population` (at least 21 days).
pub fn simulate(population: &Population, rng: &mut impl Rng) -> Outcome {
    let n_days = population.days.max(FORECAST_BEFORE_END + EXAM_AFTER);
    let students: Vec<Student> = (0..population.students)
        .map(|_| {
            let learner = draw_learner(rng);
            Sim::new(learner).run(n_days, rng)
        })
        .collect();
    let all: Vec<Observation> = students
        .iter()
        .flat_map(|s| s.observations.iter().copied())
        .collect();
    Outcome {
        calibration: forecast::calibrate(&all),
        students,
    }
}

/// The log of `learner` studying for `n_days` days with rappel's default
/// scheduler (no fit, no exam): test and benchmark data.
pub fn student_log(learner: &Learner, n_days: u32, rng: &mut impl Rng) -> Vec<LoggedAnswer> {
    let mut sim = Sim::new(learner.clone());
    let first_day = Sim::day(START);
    for d in 0..n_days {
        let midnight = day_start(first_day + i64::from(d), chrono_tz::UTC) - 4 * HOUR_MS;
        if rng.random_bool(sim.learner.p_study) {
            sim.session(midnight + 18 * HOUR_MS, rng);
        }
    }
    sim.log
}

/// One card: rappel's state and the student's true memory.
struct Card {
    state: Option<CardState>,
    truth: Option<MemoryState>,
    last_at: Millis,
}

struct Sim {
    learner: Learner,
    truth: fsrs::FSRS,
    scheduler: Scheduler,
    cards: Vec<Card>,
    /// (due, card), earliest first; an entry whose due is no longer the
    /// card's is stale and skipped.
    queue: BinaryHeap<Reverse<(Millis, u32)>>,
    log: Vec<LoggedAnswer>,
}

impl Sim {
    fn new(learner: Learner) -> Self {
        Self {
            truth: learner.parameters.model(),
            learner,
            scheduler: Scheduler::new(SchedulerConfig {
                time_zone: chrono_tz::UTC,
                ..SchedulerConfig::default()
            }),
            cards: Vec::new(),
            queue: BinaryHeap::new(),
            log: Vec::new(),
        }
    }

    fn day(at: Millis) -> i64 {
        day_index(at, chrono_tz::UTC)
    }

    fn run(mut self, n_days: u32, rng: &mut impl Rng) -> Student {
        let first_day = Self::day(START);
        let forecast_day = n_days - FORECAST_BEFORE_END;
        let quiz_day = forecast_day + EXAM_AFTER + rng.random_range(0..7);
        let mut fitted = None;
        for d in 0..n_days {
            let midnight = day_start(first_day + i64::from(d), chrono_tz::UTC) - 4 * HOUR_MS;
            if d == forecast_day {
                fitted = Some(self.fit_and_forecast(midnight + 8 * HOUR_MS));
            }
            if d == quiz_day {
                // After noon: on exam day itself, after the exam.
                self.quiz(midnight + 14 * HOUR_MS, rng);
            }
            let paused = self.learner.pauses_before_exam
                && (forecast_day..forecast_day + EXAM_AFTER).contains(&d);
            if !paused && rng.random_bool(self.learner.p_study) {
                self.session(midnight + 18 * HOUR_MS, rng);
            }
        }
        let (mut student, forecast) = fitted.expect("the forecast day is within the days");
        let later: Vec<LaterAnswer> = self
            .log
            .iter()
            .filter(|a| a.at > forecast.made_at)
            .map(|a| LaterAnswer {
                deck: "sim".into(),
                card: a.card.to_string(),
                direction: "forward".into(),
                at: a.at,
                day: a.day,
                rating: a.rating,
            })
            .collect();
        student.observations = forecast::observations(&forecast, &later);
        student
    }

    /// The fit of the log so far, the winner put in use (card memories
    /// replayed with it), and the forecast for an exam a week later.
    fn fit_and_forecast(&mut self, now: Millis) -> (Student, Forecast) {
        let report = fit::fit_student(&self.log, None);
        let (_, test) = Reviews::from_log(&self.log).split();
        let true_metrics = fit::evaluate(&self.learner.parameters, &test)
            .filter(|_| report.fitted_metrics.is_some());
        let gap = |p: &Parameters| mean_gap(&test, p, &self.learner.parameters);
        let (default_gap, fitted_gap) = match report.fitted {
            Some(fitted) if report.fitted_metrics.is_some() => {
                (gap(&Parameters::default()), gap(&fitted))
            }
            _ => (None, None),
        };
        if let Some(parameters) = report.in_use(None) {
            for (card, at, memory) in fit::memory_states(&parameters, &self.log) {
                if let Some(state) = self.cards[card as usize].state.as_mut()
                    && state.last_review == Some(at)
                {
                    state.stability = memory.stability;
                    state.difficulty = memory.difficulty;
                }
            }
            self.scheduler = Scheduler::new(SchedulerConfig {
                parameters,
                ..self.scheduler.config().clone()
            });
        }
        let exam_at = now + i64::from(EXAM_AFTER) * DAY_MS + 4 * HOUR_MS;
        let names: Vec<String> = (0..self.cards.len()).map(|i| i.to_string()).collect();
        let seen = self.cards.iter().zip(&names).filter_map(|(card, name)| {
            let state = card.state.as_ref()?;
            Some((("sim", name.as_str(), "forward"), state))
        });
        let forecast = Forecast {
            made_at: now,
            exam_at,
            decay: self.scheduler.config().parameters.decay(),
            cards: forecast::card_forecasts(&self.scheduler, seen, exam_at),
        };
        let student = Student {
            learner: self.learner.clone(),
            n_answers: self.log.len(),
            report,
            true_metrics,
            default_gap,
            fitted_gap,
            observations: Vec::new(),
        };
        (student, forecast)
    }

    /// A study session from `start`: due cards, then new ones, learning
    /// steps within 20 minutes waited for.
    fn session(&mut self, start: Millis, rng: &mut impl Rng) {
        const ANSWER_MS: Millis = 15_000;
        const LEARN_AHEAD: Millis = 20 * 60_000;
        let mut now = start;
        let mut new_left = self.learner.new_per_day;
        loop {
            if let Some(&Reverse((due, card))) = self.queue.peek() {
                let current = self.cards[card as usize].state.map(|s| s.due);
                if current != Some(due) {
                    self.queue.pop();
                    continue;
                }
                if due <= now {
                    self.queue.pop();
                    self.answer(card, now, rng);
                    now += ANSWER_MS;
                    continue;
                }
            }
            if new_left > 0 {
                new_left -= 1;
                let card = self.cards.len() as u32;
                self.cards.push(Card {
                    state: None,
                    truth: None,
                    last_at: now,
                });
                self.answer(card, now, rng);
                now += ANSWER_MS;
                continue;
            }
            match self.queue.peek() {
                Some(&Reverse((due, _))) if due <= now + LEARN_AHEAD => now = due,
                _ => break,
            }
        }
    }

    /// A quiz over a random [`QUIZ_SHARE`] of the cards seen.
    fn quiz(&mut self, start: Millis, rng: &mut impl Rng) {
        let mut now = start;
        for card in 0..self.cards.len() as u32 {
            if rng.random_bool(QUIZ_SHARE) {
                self.answer(card, now, rng);
                now += 20_000;
            }
        }
    }

    /// The student answers `card` at `now`: recalled or not as their true
    /// memory says, then rappel schedules it.
    fn answer(&mut self, card: u32, now: Millis, rng: &mut impl Rng) {
        let learner = &self.learner;
        let c = &mut self.cards[card as usize];
        let elapsed_days = (Self::day(now) - Self::day(c.last_at)).max(0);
        let rating = match c.truth {
            None => {
                let x: f64 = rng.random();
                let [again, hard, good] = learner.first;
                if x < again {
                    Rating::Again
                } else if x < again + hard {
                    Rating::Hard
                } else if x < again + hard + good {
                    Rating::Good
                } else {
                    Rating::Easy
                }
            }
            Some(memory) => {
                let t = if elapsed_days >= 1 {
                    elapsed_days as f32
                } else {
                    (now - c.last_at) as f32 / DAY_MS as f32
                };
                let recall = fsrs::current_retrievability(memory, t, learner.parameters.decay());
                if rng.random::<f32>() >= recall {
                    Rating::Again
                } else {
                    let x: f64 = rng.random();
                    if x < learner.p_hard {
                        Rating::Hard
                    } else if x < learner.p_hard + learner.p_easy {
                        Rating::Easy
                    } else {
                        Rating::Good
                    }
                }
            }
        };
        let elapsed = if c.truth.is_some() {
            elapsed_days as u32
        } else {
            0
        };
        if let Ok(next) = self.truth.next_states(c.truth, 0.9, elapsed) {
            c.truth = Some(
                match rating {
                    Rating::Again => next.again,
                    Rating::Hard => next.hard,
                    Rating::Good => next.good,
                    Rating::Easy => next.easy,
                }
                .memory,
            );
        }
        c.last_at = now;
        let reviewed = self.scheduler.review(c.state.as_ref(), rating, now);
        c.state = Some(reviewed.state);
        self.queue.push(Reverse((reviewed.state.due, card)));
        self.log.push(LoggedAnswer {
            card,
            at: now,
            day: Self::day(now),
            rating,
        });
    }
}

/// Mean |recall predicted with `parameters` − true recall| over `reviews`.
fn mean_gap(reviews: &Reviews, parameters: &Parameters, truth: &Parameters) -> Option<f64> {
    let predicted = reviews.predictions(parameters);
    let true_recall = reviews.predictions(truth);
    if predicted.is_empty() {
        return None;
    }
    let sum: f64 = predicted
        .iter()
        .zip(&true_recall)
        .map(|((p, _), (t, _))| f64::from((p - t).abs()))
        .sum();
    Some(sum / predicted.len() as f64)
}
