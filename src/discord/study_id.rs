//! The custom ids of `/study`'s buttons and modals.
//!
//! A study session keeps no state in the bot's memory: every button carries
//! what the next step needs (which card, which way, when it was asked, and
//! for self-rating the grade already given), so a button pressed after a bot
//! restart still works. Discord limits a custom id to 100 characters; deck
//! and card ids are slugs of up to 64 characters each, so when the readable
//! form would be too long the deck and card are written as short hashes and
//! looked up again in the loaded decks.
//!
//! Format: `study:<verb>:<scope>:<deck>:<card>:<dir>:<asked_at>[:<extra>…]`
//! where scope is `*` (all decks) or `=` (this deck only), dir is `f` or
//! `b`, times are base-36 milliseconds.

use crate::core::deck::{CardId, DeckId, Library};
use crate::core::grade::Verdict;
use crate::core::review::{CardKey, Direction};
use crate::core::schedule::Millis;

/// Discord's limit on a custom id.
pub const MAX_LEN: usize = 100;
const PREFIX: &str = "study";

/// One card asked to one student: the part of every study id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub key: CardKey,
    /// The session studies only this card's deck (else all decks).
    pub deck_only: bool,
    /// When the card was shown, to measure the answer time.
    pub asked_at: Millis,
}

/// The grade of a typed answer, carried to the self-rating buttons.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Graded {
    pub verdict: Verdict,
    /// Score in whole percent.
    pub score_pct: u8,
    pub answer_ms: u32,
}

/// What a study button or modal asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// "Répondre": open the answer modal.
    Answer(Asked),
    /// "Je ne sais pas".
    DontKnow(Asked),
    /// The answer modal was submitted.
    Submit(Asked),
    /// Self-rating `n` (1–5) of a definition after its answer was graded.
    Rate(Asked, u8, Graded),
}

impl Action {
    fn verb(&self) -> &'static str {
        match self {
            Self::Answer(_) => "answer",
            Self::DontKnow(_) => "dontknow",
            Self::Submit(_) => "submit",
            Self::Rate(..) => "rate",
        }
    }

    pub fn asked(&self) -> &Asked {
        match self {
            Self::Answer(a) | Self::DontKnow(a) | Self::Submit(a) | Self::Rate(a, ..) => a,
        }
    }

    /// The custom id, at most [`MAX_LEN`] characters.
    pub fn encode(&self) -> String {
        let asked = self.asked();
        let extra = match self {
            Self::Rate(_, n, g) => format!(
                ":{n}:{}{}:{}",
                verdict_code(g.verdict),
                g.score_pct,
                base36(i64::from(g.answer_ms))
            ),
            _ => String::new(),
        };
        let scope = if asked.deck_only { "=" } else { "*" };
        let dir = match asked.key.direction {
            Direction::Forward => "f",
            Direction::Backward => "b",
        };
        let at = base36(asked.asked_at);
        let readable = format!(
            "{PREFIX}:{}:{scope}:{}:{}:{dir}:{at}{extra}",
            self.verb(),
            asked.key.deck,
            asked.key.card
        );
        if readable.len() <= MAX_LEN {
            return readable;
        }
        format!(
            "{PREFIX}:{}:{scope}:#{:08x}:#{:08x}:{dir}:{at}{extra}",
            self.verb(),
            fnv1a(asked.key.deck.as_str()),
            fnv1a(asked.key.card.as_str())
        )
    }

    /// Reads a custom id back; `None` if it is not a study id of this
    /// format, or names a deck or card that is no longer loaded.
    pub fn parse(raw: &str, library: &Library) -> Option<Self> {
        let parts: Vec<&str> = raw.split(':').collect();
        let [PREFIX, verb, scope, deck, card, dir, at, extra @ ..] = parts.as_slice() else {
            return None;
        };
        let deck_only = match *scope {
            "=" => true,
            "*" => false,
            _ => return None,
        };
        let direction = match *dir {
            "f" => Direction::Forward,
            "b" => Direction::Backward,
            _ => return None,
        };
        let (deck, card) = resolve(library, deck, card)?;
        let asked = Asked {
            key: CardKey::new(&deck, &card, direction),
            deck_only,
            asked_at: from_base36(at)?,
        };
        match (*verb, extra) {
            ("answer", []) => Some(Self::Answer(asked)),
            ("dontknow", []) => Some(Self::DontKnow(asked)),
            ("submit", []) => Some(Self::Submit(asked)),
            ("rate", [n, grade, ms]) => {
                let n: u8 = n.parse().ok().filter(|n| (1..=5).contains(n))?;
                let verdict = verdict_from_code(grade.chars().next()?)?;
                let score_pct: u8 = grade.get(1..)?.parse().ok().filter(|s| *s <= 100)?;
                let answer_ms = u32::try_from(from_base36(ms)?).ok()?;
                Some(Self::Rate(
                    asked,
                    n,
                    Graded {
                        verdict,
                        score_pct,
                        answer_ms,
                    },
                ))
            }
            _ => None,
        }
    }
}

fn resolve(library: &Library, deck: &str, card: &str) -> Option<(DeckId, CardId)> {
    match (deck.strip_prefix('#'), card.strip_prefix('#')) {
        (None, None) => {
            let (deck, card) = library.card(deck, card)?;
            Some((deck.id.clone(), card.id.clone()))
        }
        (Some(deck_hash), Some(card_hash)) => {
            let deck_hash = u32::from_str_radix(deck_hash, 16).ok()?;
            let card_hash = u32::from_str_radix(card_hash, 16).ok()?;
            let deck = library
                .decks()
                .iter()
                .find(|d| fnv1a(d.id.as_str()) == deck_hash)?;
            let card = deck
                .cards
                .iter()
                .find(|c| fnv1a(c.id.as_str()) == card_hash)?;
            Some((deck.id.clone(), card.id.clone()))
        }
        _ => None,
    }
}

fn verdict_code(verdict: Verdict) -> char {
    match verdict {
        Verdict::Correct => 'c',
        Verdict::Close => 'l',
        Verdict::Partial => 'p',
        Verdict::Wrong => 'w',
    }
}

fn verdict_from_code(code: char) -> Option<Verdict> {
    match code {
        'c' => Some(Verdict::Correct),
        'l' => Some(Verdict::Close),
        'p' => Some(Verdict::Partial),
        'w' => Some(Verdict::Wrong),
        _ => None,
    }
}

/// 32-bit FNV-1a: short, stable across builds and platforms.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |hash, b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fn base36(n: i64) -> String {
    let mut n = n.max(0) as u64;
    if n == 0 {
        return "0".to_string();
    }
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
    }
    digits.iter().rev().collect()
}

fn from_base36(raw: &str) -> Option<i64> {
    i64::from_str_radix(raw, 36).ok().filter(|n| *n >= 0)
}
