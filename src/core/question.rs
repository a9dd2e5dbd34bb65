//! Which questions a group quiz asks: a [`Mode`] filters a deck's card
//! directions, [`pick_questions`] draws them at random (the caller's
//! random source, so tests can fix it).

use rand::Rng;
use rand::seq::SliceRandom;

use crate::core::deck::{Card, CardKind, Deck};
use crate::core::quiz::QuizQuestion;
use crate::core::review::{CardKey, Direction};
use crate::core::session;

/// Which cards a quiz asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// What can be typed fast: reverse cards, terms, short lists.
    Term,
    /// Everything, definitions included (graded on key concepts).
    Mixed,
}

impl Mode {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().as_str() {
            "term" | "terme" | "termes" => Some(Self::Term),
            "mixed" | "mixte" => Some(Self::Mixed),
            _ => None,
        }
    }
}

/// A list with at most this many items counts as short (term mode).
const SHORT_LIST_ITEMS: usize = 4;

/// One question: which direction of which card.
#[derive(Debug, Clone)]
pub struct Question {
    pub key: CardKey,
    pub card: Card,
}

impl Question {
    /// The rules' view: the expected term for the hint, or no hint for
    /// lists and definitions asked forward.
    pub fn rules(&self) -> QuizQuestion {
        let hinted = self.key.direction == Direction::Backward || self.card.kind == CardKind::Term;
        let prompt = session::prompt(&self.card, self.key.direction);
        QuizQuestion {
            hint_source: hinted.then(|| prompt.expected.trim().to_string()),
        }
    }
}

/// Up to `n` random questions of `deck` for `mode`.
pub fn pick_questions<R: Rng + ?Sized>(
    deck: &Deck,
    mode: Mode,
    n: usize,
    rng: &mut R,
) -> Vec<Question> {
    let mut candidates: Vec<Question> = deck
        .cards
        .iter()
        .flat_map(|card| {
            let mut both = vec![Direction::Forward];
            if card.reverse {
                both.push(Direction::Backward);
            }
            both.into_iter().map(move |direction| Question {
                key: CardKey::new(&deck.id, &card.id, direction),
                card: card.clone(),
            })
        })
        .filter(|q| match mode {
            Mode::Mixed => true,
            Mode::Term => {
                q.key.direction == Direction::Backward
                    || q.card.kind == CardKind::Term
                    || (q.card.kind == CardKind::List && q.card.items().len() <= SHORT_LIST_ITEMS)
            }
        })
        .collect();
    candidates.shuffle(rng);
    candidates.truncate(n);
    candidates
}
