//! One review, computed once for every shell: what was asked (`CardKey`),
//! how the student answered, the rating the answer earns and the FSRS step
//! it makes. The terminal, `/study`, the daily question and the quiz writer
//! all turn an answer into a [`Review`] with [`review`], then store it.

use serde::Serialize;

use crate::core::deck::{CardId, DeckId};
use crate::core::grade::Verdict;
use crate::core::schedule::{Answer, CardState, Millis, Rating, Scheduler, rating_for};

/// Which way a card is asked. A reversible card has one memory state per
/// direction: knowing a definition from its term is not knowing the term
/// from its definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Show the question, type the answer.
    Forward,
    /// Show the answer, type the question (cards with `reverse = true`).
    Backward,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Backward => "backward",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "forward" => Some(Self::Forward),
            "backward" => Some(Self::Backward),
            _ => None,
        }
    }
}

/// What is scheduled: one direction of one card of one deck.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardKey {
    pub deck: DeckId,
    pub card: CardId,
    pub direction: Direction,
}

impl CardKey {
    pub fn new(deck: &DeckId, card: &CardId, direction: Direction) -> Self {
        Self {
            deck: deck.clone(),
            card: card.clone(),
            direction,
        }
    }
}

/// Where a review was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A solo session (terminal or the bot's `/study`).
    Study,
    /// A group quiz.
    Quiz,
    /// The daily question.
    Daily,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Study => "study",
            Self::Quiz => "quiz",
            Self::Daily => "daily",
        }
    }
}

/// One answer to record: how it was graded and the state the scheduler
/// computed from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub key: CardKey,
    pub at: Millis,
    pub rating: Rating,
    /// The grader's verdict and score; `None` for "je ne sais pas" / timeout.
    pub verdict: Option<(Verdict, f32)>,
    pub answer_ms: u32,
    pub origin: Origin,
    /// The state after the review ([`Scheduler::review`]).
    pub state: CardState,
    pub interval_days: u32,
}

/// A student's answer to one card, as a shell saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub key: CardKey,
    /// When the answer came.
    pub at: Millis,
    /// What the rating rules look at ([`rating_for`]).
    pub answer: Answer,
    /// The grader's verdict and score, kept in the log; `None` when nothing
    /// was graded.
    pub verdict: Option<(Verdict, f32)>,
    pub answer_ms: u32,
    pub origin: Origin,
    /// What the student typed, kept in the log with the review (`None` for
    /// « je ne sais pas », a timeout or a self-rating).
    pub typed: Option<String>,
}

/// The review an answer makes: its rating, then one scheduler step from
/// `previous` (`None` for a card never seen).
pub fn review(scheduler: &Scheduler, previous: Option<&CardState>, answered: Answered) -> Review {
    let rating = rating_for(answered.answer);
    let reviewed = scheduler.review(previous, rating, answered.at);
    Review {
        key: answered.key,
        at: answered.at,
        rating,
        verdict: answered.verdict,
        answer_ms: answered.answer_ms,
        origin: answered.origin,
        state: reviewed.state,
        interval_days: reviewed.interval_days,
    }
}

/// How a verdict is written in the review log and in the grading reports.
pub fn verdict_str(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Correct => "correct",
        Verdict::Close => "close",
        Verdict::Partial => "partial",
        Verdict::Wrong => "wrong",
    }
}

/// The verdict [`verdict_str`] wrote as `raw`.
pub fn parse_verdict(raw: &str) -> Option<Verdict> {
    [
        Verdict::Correct,
        Verdict::Close,
        Verdict::Partial,
        Verdict::Wrong,
    ]
    .into_iter()
    .find(|&v| verdict_str(v) == raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_read_back_as_written() {
        for verdict in [
            Verdict::Correct,
            Verdict::Close,
            Verdict::Partial,
            Verdict::Wrong,
        ] {
            assert_eq!(parse_verdict(verdict_str(verdict)), Some(verdict));
        }
        assert_eq!(parse_verdict("right"), None);
    }
}
