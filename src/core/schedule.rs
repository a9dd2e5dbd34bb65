//! Spaced repetition: FSRS-6 memory states (from the `fsrs` crate) plus the
//! parts fsrs-rs leaves to its caller, done the way Anki does them: short
//! same-day learning steps for new and lapsed cards, due dates counted in the
//! student's own days (time zone, day boundary at 4 am), and the mapping from
//! a graded answer to a rating.
//!
//! Pure: "now" is always an argument.

use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use fsrs::{FSRS, MemoryState};
use serde::Serialize;

use crate::core::grade::Verdict;

/// Milliseconds since the Unix epoch, UTC. The only time type the core uses,
/// so that SQL can store it as a plain integer.
pub type Millis = i64;

const MS_PER_SECOND: i64 = 1_000;
const MS_PER_DAY: i64 = 86_400_000;

/// The hour at which a student's day starts, as in Anki: a review at 1 am
/// still belongs to the evening before.
pub const DAY_START_HOUR: u32 = 4;

/// The four FSRS ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::Again),
            2 => Some(Self::Hard),
            3 => Some(Self::Good),
            4 => Some(Self::Easy),
            _ => None,
        }
    }
    pub fn number(self) -> u8 {
        self as u8
    }
}

/// Where a card is in its life, as in Anki.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Never reviewed.
    New,
    /// Going through the same-day learning steps after its first review.
    Learning,
    /// Scheduled in days by FSRS.
    Review,
    /// Forgotten in review, going through the relearning steps.
    Relearning,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Learning => "learning",
            Self::Review => "review",
            Self::Relearning => "relearning",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "new" => Some(Self::New),
            "learning" => Some(Self::Learning),
            "review" => Some(Self::Review),
            "relearning" => Some(Self::Relearning),
            _ => None,
        }
    }
}

/// One student's memory of one card: everything needed to schedule it next.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CardState {
    pub phase: Phase,
    /// Index of the current (re)learning step; 0 outside the steps.
    pub step: u32,
    /// FSRS stability in days (0 for a new card).
    pub stability: f32,
    /// FSRS difficulty, 1 to 10 (0 for a new card).
    pub difficulty: f32,
    pub due: Millis,
    pub last_review: Option<Millis>,
    pub reps: u32,
    pub lapses: u32,
}

impl CardState {
    /// The state of a card never seen, due at once.
    pub fn new_card(now: Millis) -> Self {
        Self {
            phase: Phase::New,
            step: 0,
            stability: 0.0,
            difficulty: 0.0,
            due: now,
            last_review: None,
            reps: 0,
            lapses: 0,
        }
    }

    fn memory(&self) -> Option<MemoryState> {
        (self.phase != Phase::New && self.stability > 0.0).then_some(MemoryState {
            stability: self.stability,
            difficulty: self.difficulty,
        })
    }
}

/// FSRS-6's 21 parameters (w0–w20): the crate's defaults, or the ones
/// fitted to one student's own log (`core::fit`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parameters(pub [f32; 21]);

impl Default for Parameters {
    fn default() -> Self {
        Self(fsrs::DEFAULT_PARAMETERS)
    }
}

impl Parameters {
    /// From any list of 21 finite numbers (what the optimizer returns);
    /// `None` otherwise.
    pub fn from_slice(values: &[f32]) -> Option<Self> {
        let weights: [f32; 21] = values.try_into().ok()?;
        weights
            .iter()
            .all(|w| w.is_finite())
            .then_some(Self(weights))
    }

    /// The forgetting curve's decay (w20).
    pub fn decay(&self) -> f32 {
        self.0[20]
    }

    /// Whether these are the crate's defaults.
    pub fn is_default(&self) -> bool {
        self.0 == fsrs::DEFAULT_PARAMETERS
    }

    /// The 21 numbers separated by commas, as stored and printed.
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads [`Self::to_text`]'s form back.
    pub fn parse(text: &str) -> Option<Self> {
        let values: Option<Vec<f32>> = text.split(',').map(|w| w.trim().parse().ok()).collect();
        Self::from_slice(&values?)
    }

    /// The `fsrs` model with these parameters (the defaults if the crate
    /// refuses them, which a [`Parameters`] built here never is).
    pub fn model(&self) -> FSRS {
        FSRS::new(&self.0).unwrap_or_default()
    }
}

/// Per-student scheduling settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerConfig {
    /// Probability of recall FSRS aims for when a card comes back (0.7–0.99).
    pub desired_retention: f32,
    /// Same-day steps for a new card, in seconds (Anki's default: 1 min, 10 min).
    pub learning_steps: Vec<u32>,
    /// Same-day steps for a lapsed card, in seconds (Anki's default: 10 min).
    pub relearning_steps: Vec<u32>,
    /// Longest interval, in days.
    pub maximum_interval: u32,
    /// The student's time zone, for counting days.
    pub time_zone: Tz,
    /// FSRS's parameters: the defaults, or the student's fitted ones.
    pub parameters: Parameters,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            desired_retention: 0.9,
            learning_steps: vec![60, 600],
            relearning_steps: vec![600],
            maximum_interval: 36_500,
            time_zone: chrono_tz::America::Montreal,
            parameters: Parameters::default(),
        }
    }
}

/// The day a moment belongs to for a student: days since 0001-01-01 of the
/// local date, where a day starts at [`DAY_START_HOUR`].
pub fn day_index(at: Millis, tz: Tz) -> i64 {
    let utc = DateTime::<Utc>::from_timestamp_millis(at).unwrap_or_default();
    let shifted = utc.with_timezone(&tz) - Duration::hours(i64::from(DAY_START_HOUR));
    i64::from(chrono::Datelike::num_days_from_ce(&shifted.date_naive()))
}

/// The moment day `day` (a [`day_index`]) starts in `tz`. Across a daylight
/// saving change the earliest valid instant at or after 4 am is used.
pub fn day_start(day: i64, tz: Tz) -> Millis {
    let date = chrono::NaiveDate::from_num_days_from_ce_opt(day as i32).unwrap_or_default();
    let start = NaiveTime::from_hms_opt(DAY_START_HOUR, 0, 0).unwrap_or_default();
    let naive = date.and_time(start);
    // 4 am never falls in a DST gap in real zones, but be total anyway.
    first_valid_instant(naive, tz, Duration::hours(1), 3)
}

/// The first of `naive`, `naive + step`, … (`n_steps` in all) that exists
/// in `tz` (a daylight-saving gap skips local times), its earliest instant
/// when it happens twice; `naive` read as UTC if none exists.
pub fn first_valid_instant(naive: NaiveDateTime, tz: Tz, step: Duration, n_steps: i32) -> Millis {
    (0..n_steps)
        .find_map(|i| tz.from_local_datetime(&(naive + step * i)).earliest())
        .map(|dt| dt.timestamp_millis())
        .unwrap_or_else(|| naive.and_utc().timestamp_millis())
}

/// What one review did to a card: the state after it, and the FSRS interval
/// that was scheduled (0 while in same-day steps).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reviewed {
    pub state: CardState,
    pub interval_days: u32,
}

/// FSRS-6 (the student's parameters) plus Anki-style steps.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    config: SchedulerConfig,
}

impl Scheduler {
    pub fn new(config: SchedulerConfig) -> Self {
        Self {
            fsrs: config.parameters.model(),
            config,
        }
    }

    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// Applies one review with `rating` at `now` to `state` (`None` or a
    /// `New` state for a card never seen).
    pub fn review(&self, state: Option<&CardState>, rating: Rating, now: Millis) -> Reviewed {
        let tz = self.config.time_zone;
        let prev = state.copied().unwrap_or_else(|| CardState::new_card(now));
        let elapsed_days = match prev.last_review {
            Some(last) => (day_index(now, tz) - day_index(last, tz)).max(0) as u32,
            None => 0,
        };
        let memory = self.next_memory(prev.memory(), rating, elapsed_days);
        let mut next = CardState {
            stability: memory.stability,
            difficulty: memory.difficulty,
            last_review: Some(now),
            reps: prev.reps + 1,
            ..prev
        };
        let steps = |phase| match phase {
            Phase::Relearning => &self.config.relearning_steps,
            _ => &self.config.learning_steps,
        };
        match (prev.phase, rating) {
            (Phase::Review, Rating::Again) => {
                next.lapses += 1;
                if self.config.relearning_steps.is_empty() {
                    return self.graduate(next, now);
                }
                next.phase = Phase::Relearning;
                next.step = 0;
                next.due = now + secs(self.config.relearning_steps[0]);
            }
            (Phase::Review, _) => return self.graduate(next, now),
            (phase, rating) => {
                // New, Learning or Relearning: walk the same-day steps.
                let phase = if phase == Phase::New {
                    Phase::Learning
                } else {
                    phase
                };
                let steps = steps(phase);
                let step = prev.step as usize;
                let delay = match rating {
                    Rating::Easy => None,
                    Rating::Again => steps.first().map(|&s| (0, s)),
                    Rating::Hard => hard_delay(steps, step).map(|d| (step, d)),
                    Rating::Good => steps.get(step + 1).map(|&s| (step + 1, s)),
                };
                let in_new_card = prev.phase == Phase::New && steps.is_empty();
                match delay {
                    Some((step, delay)) if !in_new_card => {
                        next.phase = phase;
                        next.step = step as u32;
                        next.due = now + secs(delay);
                    }
                    _ => return self.graduate(next, now),
                }
            }
        }
        Reviewed {
            state: next,
            interval_days: 0,
        }
    }

    /// Moves a card to `Review`, due in its FSRS interval (whole days, at
    /// least one), counted from the start of today in the student's zone.
    fn graduate(&self, mut next: CardState, now: Millis) -> Reviewed {
        let interval = self.interval_days(next.stability);
        let tz = self.config.time_zone;
        next.phase = Phase::Review;
        next.step = 0;
        next.due = day_start(day_index(now, tz) + i64::from(interval), tz);
        Reviewed {
            state: next,
            interval_days: interval,
        }
    }

    /// The FSRS interval for `stability` at the desired retention, rounded
    /// to whole days in `1..=maximum_interval`.
    pub fn interval_days(&self, stability: f32) -> u32 {
        let raw = self
            .fsrs
            .next_interval(Some(stability), self.config.desired_retention, 3);
        (raw.round() as u32).clamp(1, self.config.maximum_interval.max(1))
    }

    fn next_memory(
        &self,
        memory: Option<MemoryState>,
        rating: Rating,
        elapsed_days: u32,
    ) -> MemoryState {
        let retention = self.config.desired_retention;
        match self.fsrs.next_states(memory, retention, elapsed_days) {
            Ok(states) => {
                let item = match rating {
                    Rating::Again => states.again,
                    Rating::Hard => states.hard,
                    Rating::Good => states.good,
                    Rating::Easy => states.easy,
                };
                item.memory
            }
            // fsrs only fails on non-finite states; keep the old memory then.
            Err(_) => memory.unwrap_or(MemoryState {
                stability: 0.1,
                difficulty: 5.0,
            }),
        }
    }

    /// Probability that the student recalls a card at `at` (0 for a card
    /// never seen): FSRS's forgetting curve, days counted as for scheduling.
    pub fn retrievability(&self, state: &CardState, at: Millis) -> f32 {
        let (Some(memory), Some(last)) = (state.memory(), state.last_review) else {
            return 0.0;
        };
        let tz = self.config.time_zone;
        let days = (day_index(at, tz) - day_index(last, tz)).max(0) as f32;
        fsrs::current_retrievability(memory, days, self.config.parameters.decay())
    }
}

fn secs(s: u32) -> Millis {
    i64::from(s) * MS_PER_SECOND
}

/// Anki's Hard delay on a step: the average of this step and the next on the
/// first step, 1.5× the only step, or the same step again later on.
fn hard_delay(steps: &[u32], step: usize) -> Option<u32> {
    let current = *steps.get(step)?;
    Some(match (step, steps.get(1)) {
        (0, Some(&next)) => (current + next) / 2,
        (0, None) => current.saturating_mul(3) / 2,
        _ => current,
    })
}

/// Replays a card's history (ratings with the days between them) through
/// pure FSRS, without learning steps: what `rappel srs replay` prints.
pub fn replay(
    ratings: &[Rating],
    days_between: &[u32],
    desired_retention: f32,
) -> Option<ReplayResult> {
    if ratings.is_empty() || ratings.len() != days_between.len() {
        return None;
    }
    let fsrs = FSRS::default();
    let mut memory = None;
    for (&rating, &days) in ratings.iter().zip(days_between) {
        let states = fsrs.next_states(memory, desired_retention, days).ok()?;
        memory = Some(match rating {
            Rating::Again => states.again.memory,
            Rating::Hard => states.hard.memory,
            Rating::Good => states.good.memory,
            Rating::Easy => states.easy.memory,
        });
    }
    let memory = memory?;
    let next_interval_days = fsrs.next_interval(Some(memory.stability), desired_retention, 3);
    Some(ReplayResult {
        stability: memory.stability,
        difficulty: memory.difficulty,
        next_interval_days,
    })
}

/// The memory state at the end of a replay.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReplayResult {
    pub stability: f32,
    pub difficulty: f32,
    pub next_interval_days: f32,
}

/// Version of [`rating_for`]'s rules, stored with each review so ratings can
/// be re-derived if the rules change.
pub const RATING_RULES_VERSION: u32 = 1;

/// How a student answered, as the rating rules see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    /// A typed answer graded by the grader.
    Graded {
        verdict: Verdict,
        score: f32,
        /// How long the student took, in milliseconds.
        answer_ms: u32,
        /// This student's usual answer time (median of recent right answers), if known.
        typical_ms: Option<u32>,
    },
    /// "Je ne sais pas", `?` or an empty answer.
    DontKnow,
    /// No answer before the time ran out.
    TimedOut,
    /// The course's own flashcard form: "How well did you know this?" 1 to 5.
    SelfRated(u8),
}

/// The rating an answer earns (rules version [`RATING_RULES_VERSION`]):
/// - wrong, "I don't know", timed out → Again;
/// - partial → Hard when more than half was right, else Again;
/// - close → Good;
/// - correct → Easy when answered in under half this student's usual time, else Good;
/// - self-rated 1–2 → Again, 3 → Hard, 4 → Good, 5 → Easy.
pub fn rating_for(answer: Answer) -> Rating {
    match answer {
        Answer::DontKnow | Answer::TimedOut => Rating::Again,
        Answer::SelfRated(n) => match n {
            0..=2 => Rating::Again,
            3 => Rating::Hard,
            4 => Rating::Good,
            _ => Rating::Easy,
        },
        Answer::Graded {
            verdict,
            score,
            answer_ms,
            typical_ms,
        } => match verdict {
            Verdict::Wrong => Rating::Again,
            Verdict::Partial if score > 0.5 => Rating::Hard,
            Verdict::Partial => Rating::Again,
            Verdict::Close => Rating::Good,
            Verdict::Correct => match typical_ms {
                Some(typical) if answer_ms.saturating_mul(2) < typical => Rating::Easy,
                _ => Rating::Good,
            },
        },
    }
}

/// Days as milliseconds, for callers computing spans.
pub const fn days(n: i64) -> Millis {
    n * MS_PER_DAY
}
