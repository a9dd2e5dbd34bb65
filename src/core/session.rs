//! The study-session driver: which card to ask next, given the loaded
//! decks, the student's card states and the time. Pure (no I/O, no clock):
//! the terminal loop feeds it the store's states and each new state, and
//! asks it for the next card with `now`.
//!
//! Order, as in Anki: (re)learning cards that are due, then review cards
//! that are due (earliest first), then new cards up to the daily limit
//! (every forward direction in deck order before any backward one, so a
//! definition is met before it is asked in reverse). When nothing else is
//! left, a learning card due within [`LEARN_AHEAD_MS`] is asked early
//! rather than ending the session.

use std::collections::HashMap;

use crate::core::deck::{Card, CardKind, DeckId, Library};
use crate::core::review::{CardKey, Direction};
use crate::core::schedule::{CardState, Millis, Phase};

/// How early a learning card may be asked when nothing else is due
/// (Anki's "learn ahead limit").
pub const LEARN_AHEAD_MS: Millis = 20 * 60 * 1000;

/// Why a card is asked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// In its same-day (re)learning steps.
    Learning,
    /// Scheduled in days by FSRS and due.
    Review,
    /// Never seen.
    New,
}

/// One askable direction of one card.
#[derive(Debug, Clone)]
pub struct Item {
    pub key: CardKey,
    pub card: Card,
}

/// What to show and what to expect for one direction of a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt<'a> {
    /// The text shown to the student.
    pub shown: &'a str,
    /// The answer graded against.
    pub expected: &'a str,
    /// Other answers accepted as right.
    pub accept: &'a [String],
    /// Long definitions get the "how well did you know it? 1–5" question.
    pub self_rated: bool,
}

/// What to show for `card` asked in `direction`. On a reversible definition
/// card `accept` holds short forms of the term (the question), so it only
/// applies backwards; on other cards it lists variants of the answer.
pub fn prompt(card: &Card, direction: Direction) -> Prompt<'_> {
    let accept_is_for_question = card.kind == CardKind::Definition && card.reverse;
    let none: &[String] = &[];
    match direction {
        Direction::Forward => Prompt {
            shown: &card.question,
            expected: &card.answer,
            accept: if accept_is_for_question {
                none
            } else {
                &card.accept
            },
            self_rated: card.kind == CardKind::Definition,
        },
        Direction::Backward => Prompt {
            shown: &card.answer,
            expected: &card.question,
            accept: if accept_is_for_question {
                &card.accept
            } else {
                none
            },
            self_rated: false,
        },
    }
}

/// Every askable direction of the cards of `library` (of `deck` only if
/// given): forward directions in deck order, then backward ones.
pub fn items(library: &Library, deck: Option<&DeckId>) -> Vec<Item> {
    let decks = library
        .decks()
        .iter()
        .filter(|d| deck.is_none_or(|id| &d.id == id));
    let mut forward = Vec::new();
    let mut backward = Vec::new();
    for d in decks {
        for card in &d.cards {
            forward.push(Item {
                key: CardKey::new(&d.id, &card.id, Direction::Forward),
                card: card.clone(),
            });
            if card.reverse {
                backward.push(Item {
                    key: CardKey::new(&d.id, &card.id, Direction::Backward),
                    card: card.clone(),
                });
            }
        }
    }
    forward.append(&mut backward);
    forward
}

/// Session limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// New card directions introduced per local day.
    pub new_per_day: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { new_per_day: 20 }
    }
}

/// The driver's state: the items and what the student knows of them.
#[derive(Debug, Clone)]
pub struct Session {
    items: Vec<Item>,
    states: HashMap<CardKey, CardState>,
    new_left: u32,
}

impl Session {
    /// `states` are the student's stored states (extra ones, of removed
    /// cards, are ignored); `new_today` the new cards already seen today.
    pub fn new(
        items: Vec<Item>,
        states: impl IntoIterator<Item = (CardKey, CardState)>,
        new_today: u32,
        limits: Limits,
    ) -> Self {
        Self {
            items,
            states: states.into_iter().collect(),
            new_left: limits.new_per_day.saturating_sub(new_today),
        }
    }

    /// The next item to ask at `now`, or `None` when the session is over.
    pub fn next(&self, now: Millis) -> Option<(&Item, Reason)> {
        let mut learning: Option<(&Item, Millis)> = None;
        let mut review: Option<(&Item, Millis)> = None;
        let mut new: Option<&Item> = None;
        for item in &self.items {
            match self.states.get(&item.key) {
                None => new = new.or(Some(item)),
                Some(s) if s.phase == Phase::New => new = new.or(Some(item)),
                Some(s) if matches!(s.phase, Phase::Learning | Phase::Relearning) => {
                    if learning.is_none_or(|(_, due)| s.due < due) {
                        learning = Some((item, s.due));
                    }
                }
                Some(s) => {
                    if s.due <= now && review.is_none_or(|(_, due)| s.due < due) {
                        review = Some((item, s.due));
                    }
                }
            }
        }
        let learning_due = learning.filter(|&(_, due)| due <= now);
        if let Some((item, _)) = learning_due {
            return Some((item, Reason::Learning));
        }
        if let Some((item, _)) = review {
            return Some((item, Reason::Review));
        }
        if let Some(item) = new.filter(|_| self.new_left > 0) {
            return Some((item, Reason::New));
        }
        learning
            .filter(|&(_, due)| due <= now + LEARN_AHEAD_MS)
            .map(|(item, _)| (item, Reason::Learning))
    }

    /// Takes the state a review of `key` led to.
    pub fn record(&mut self, key: &CardKey, state: CardState) {
        let was_new = self.states.get(key).is_none_or(|s| s.phase == Phase::New);
        if was_new {
            self.new_left = self.new_left.saturating_sub(1);
        }
        self.states.insert(key.clone(), state);
    }

    /// Every askable item, in deck order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The stored state of `key`, if it was ever reviewed.
    pub fn state(&self, key: &CardKey) -> Option<&CardState> {
        self.states.get(key)
    }

    /// Due card directions at `now` (new ones not counted).
    pub fn n_due(&self, now: Millis) -> usize {
        self.items
            .iter()
            .filter_map(|i| self.states.get(&i.key))
            .filter(|s| s.phase != Phase::New && s.due <= now)
            .count()
    }

    /// New card directions that may still be introduced today.
    pub fn n_new_available(&self) -> usize {
        let unseen = self
            .items
            .iter()
            .filter(|i| {
                self.states
                    .get(&i.key)
                    .is_none_or(|s| s.phase == Phase::New)
            })
            .count();
        unseen.min(self.new_left as usize)
    }

    /// When the earliest seen item of the loaded decks is due (maybe
    /// already), `None` if none was ever seen.
    pub fn next_due(&self) -> Option<Millis> {
        self.items
            .iter()
            .filter_map(|i| self.states.get(&i.key))
            .filter(|s| s.phase != Phase::New)
            .map(|s| s.due)
            .min()
    }
}
