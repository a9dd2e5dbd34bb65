//! Grading typed French answers: accept what a teacher would accept, refuse
//! what a teacher would refuse, and say why.
//!
//! Whole-string similarity fails both ways (it refuses "inactifs" for
//! "Clients inactifs" and accepts "RFA" for "Méthode RFM"), so the grader
//! works on words: [`normalize`] folds accents, case, apostrophes, hyphens
//! and drops articles; [`word`] decides whether a typed word is the expected
//! word, an inflection, a typo or a different word; then one of three
//! strategies grades the answer as a whole:
//!
//! - [`term`]: a short answer. The distinctive words are required ("somnambules"
//!   answers "Clients somnambules", "clients" does not), articles, plurals and
//!   parenthesised parts are optional, hedging ("RFM ou RFA") is wrong.
//! - [`list`]: items in any order; k of n items is `partial` with score k/n,
//!   wrong extra items cost.
//! - [`definition`]: coverage of the key concepts, with looser word families.
//!
//! Everything is pure and total: any input (empty, emoji, 4,000 characters)
//! gives a [`Grade`], in bounded time. The shells word the structured
//! [`Feedback`] in the student's language.

pub mod align;
mod comparison;
pub mod definition;
mod equivalents;
mod example;
mod filler;
pub mod keyboard;
pub mod lexicon;
pub mod list;
mod locutions;
pub mod normalize;
mod numbers;
pub mod polarity;
mod qualifier;
pub mod term;
pub mod word;

use foldhash::{HashMap, HashSet};

use serde::Serialize;

use crate::core::deck::{Card, CardKind};
use normalize::{Token, Word};

/// The teacher's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Right, and written right.
    Correct,
    /// Right, with slips (a misspelt word): see [`Feedback::corrections`].
    Close,
    /// Some of the required items or concepts, not all.
    Partial,
    /// Wrong, empty, or hedged between several answers.
    Wrong,
}

impl Verdict {
    /// Counted as a right answer (correct or close).
    pub fn is_accepted(self) -> bool {
        matches!(self, Verdict::Correct | Verdict::Close)
    }
}

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    pub verdict: Verdict,
    /// Credit in [0, 1]: 1 for correct, a little less for close, the share of
    /// items or concepts found for partial, 0 for wrong.
    pub score: f32,
    pub feedback: Feedback,
}

/// What the bot can show after an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    /// The expected answer, as written in the deck.
    pub expected: String,
    /// How the answer was graded.
    pub kind: CardKind,
    /// What the strategy that graded it found.
    #[serde(flatten)]
    pub findings: Findings,
}

/// What a strategy found in an answer, besides its verdict and score.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Findings {
    /// Expected words, items or concepts found in the answer.
    pub found: Vec<String>,
    /// Required words, items or concepts missing from the answer.
    pub missing: Vec<String>,
    /// Words or items of the answer that are not part of the expected answer.
    pub extra: Vec<String>,
    /// Misspelt words with their right spelling.
    pub corrections: Vec<Correction>,
    /// The answer hedged between several candidates ("RFM ou RFA").
    pub hedge: bool,
    /// The items came in another order than the one the question asks for.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub out_of_order: bool,
    /// For definitions, what the verdict was decided on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<definition::Evidence>,
}

/// A misspelt word and its right spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub given: String,
    pub expected: String,
}

pub use crate::core::review::Direction;

/// What the grader knows about a deck, built once per deck: the words the
/// deck uses (a typed word the deck uses elsewhere is a different word, not
/// a typo), the words common to many of its terms (not distinctive), and its
/// short answers (typing another card's answer is a trap, not a partial).
#[derive(Debug, Clone, Default)]
pub struct DeckContext {
    known: word::Known,
    generic: HashSet<String>,
    terms: HashSet<String>,
    /// In how many cards each key appears (question or answer), and the
    /// number of cards: how specific a word is to one card.
    n_cards_with_word: HashMap<String, u32>,
    n_cards: u32,
}

/// The least a content word weighs in a list or a definition, however common.
const MIN_WEIGHT: f32 = 0.1;

/// A term answer appearing in this many terms of a deck is not distinctive.
const GENERIC_MIN_TERMS: usize = 3;

/// Longest list item (in content words) still counted as a short answer of
/// the deck.
const TERM_MAX_WORDS: usize = 4;

impl DeckContext {
    /// Build the context of a deck from its cards.
    pub fn new<'a>(cards: impl IntoIterator<Item = &'a Card>) -> Self {
        let mut known = word::Known::default();
        let mut terms = HashSet::default();
        // In how many cards' short answers each key appears (a card's
        // accepted variants count once).
        let mut n_cards_with: HashMap<String, usize> = HashMap::default();
        let mut n_cards_with_word: HashMap<String, u32> = HashMap::default();
        let mut n_cards = 0;
        for card in cards {
            n_cards += 1;
            let mut card_words: HashSet<String> = HashSet::default();
            for text in [&card.question, &card.answer]
                .into_iter()
                .chain(&card.accept)
            {
                card_words.extend(normalize::content_words(text).into_iter().map(|w| w.key));
            }
            for k in &card_words {
                *n_cards_with_word.entry(k.clone()).or_default() += 1;
            }
            known.extend(card_words);
            let mut short: Vec<String> = Vec::new();
            match card.kind {
                CardKind::Term => {
                    short.push(card.answer.clone());
                    short.extend(card.accept.iter().cloned());
                }
                CardKind::List => {
                    short.extend(list::items(&card.answer).into_iter().map(|i| i.label))
                }
                CardKind::Definition => {}
            }
            if card.reverse {
                short.push(card.question.clone());
                short.extend(card.accept.iter().cloned());
            }
            let mut card_keys: HashSet<String> = HashSet::default();
            for alt in short.iter().flat_map(|t| term::alternatives(t)) {
                let words = normalize::content_words(&alt);
                if words.is_empty() || words.len() > TERM_MAX_WORDS {
                    continue;
                }
                card_keys.extend(words.iter().map(|w| w.key.clone()));
                terms.insert(signature(&words));
            }
            for k in card_keys {
                *n_cards_with.entry(k).or_default() += 1;
            }
        }
        let generic = n_cards_with
            .into_iter()
            .filter(|&(_, n)| n >= GENERIC_MIN_TERMS)
            .map(|(k, _)| k)
            .collect();
        DeckContext {
            known,
            generic,
            terms,
            n_cards_with_word,
            n_cards,
        }
    }

    /// How specific a word is to one card of the deck, in (0, 1]: an
    /// inverse document frequency over the deck's cards, softened so that a
    /// word in every card still counts for half. 1 without a deck.
    pub fn specificity(&self, key: &str) -> f32 {
        let n = self.n_cards as f32;
        let df = self.n_cards_with_word.get(key).copied().unwrap_or(0).max(1) as f32;
        if n < 2.0 {
            return 1.0;
        }
        let idf = (n / df).ln() / n.ln();
        0.5 + 0.5 * idf.clamp(0.0, 1.0)
    }

    /// The same context without the deck-frequency generic words: for a
    /// context spanning several decks (used when the deck of an expected
    /// answer is unknown), where word counts say little about one term.
    pub fn without_generic(mut self) -> Self {
        self.generic.clear();
        self
    }

    /// Not distinctive: a generic head word (`normalize::GENERIC_WORDS`), or common
    /// to several terms of this deck.
    pub fn is_generic(&self, word: &Word) -> bool {
        normalize::is_generic(&word.key) || self.generic.contains(&word.key)
    }

    /// Words the deck uses, by key.
    pub fn known(&self) -> &word::Known {
        &self.known
    }

    /// Whether these content words are, as a whole, one of the deck's short
    /// answers.
    pub fn is_term(&self, words: &[Word]) -> bool {
        match words {
            [] => false,
            // One word is its own signature (asked for every word compared).
            [word] => self.terms.contains(word.key.as_str()),
            _ => self.terms.contains(&signature(words)),
        }
    }
}

/// Order-independent identity of a set of content words.
fn signature(words: &[Word]) -> String {
    let mut keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.join(" ")
}

/// Parses the grader's built-in tables now (the lexicon, the irregular
/// verbs, the flip and generic words), which it otherwise does in the first
/// answer it grades: about 0.1 s, which every answer arriving meanwhile
/// would wait for too. The bot calls it at start.
pub fn warm_up() {
    lexicon::get();
    lexicon::infinitive("");
    polarity::flip_keys();
    normalize::is_generic("");
}

/// Grade `given` against `expected` (or any of `accept`), inferring from the
/// expected text whether it is a term, a list or a definition.
pub fn grade(expected: &str, accept: &[String], given: &str) -> Grade {
    grade_with(
        expected,
        accept,
        infer_kind(expected),
        &DeckContext::default(),
        given,
    )
}

/// Grade `given` for a card asked in `direction`, with its deck's context.
///
/// Forward, the expected answer is the card's answer; on a reversible
/// definition card `accept` holds short forms of the *question* and does not
/// apply. Backward, the expected answer is the question (a term), and
/// `accept` applies.
pub fn grade_card(card: &Card, direction: Direction, context: &DeckContext, given: &str) -> Grade {
    match direction {
        Direction::Backward => {
            grade_with(&card.question, &card.accept, CardKind::Term, context, given)
        }
        Direction::Forward => {
            // Words the question already says ("Quel *stade* …") need not be
            // typed again: « sensori-moteur » answers « Le stade
            // sensori-moteur ».
            let question = normalize::content_words(&card.question);
            let asked = Asked {
                expected: &card.answer,
                accept: if card.reverse && card.kind == CardKind::Definition {
                    &[]
                } else {
                    &card.accept
                },
                question: &question,
                ordered: card.kind == CardKind::List && list::asks_for_order(&card.question),
            };
            grade_asked(&asked, card.kind, context, given)
        }
    }
}

/// What an answer is graded against.
pub(crate) struct Asked<'a> {
    pub expected: &'a str,
    /// Other answers accepted as right.
    pub accept: &'a [String],
    /// The content words of the question.
    pub question: &'a [Word],
    /// A list asked in its order.
    pub ordered: bool,
}

impl<'a> Asked<'a> {
    /// One expected text, nothing else known.
    pub fn text(expected: &'a str) -> Self {
        Asked {
            expected,
            accept: &[],
            question: &[],
            ordered: false,
        }
    }

    /// The expected text, then the other accepted answers.
    pub fn texts(&self) -> impl Iterator<Item = &'a str> {
        std::iter::once(self.expected).chain(self.accept.iter().map(String::as_str))
    }
}

/// Grade with an explicit kind and context (what [`grade_card`] does once it
/// has picked the expected text).
pub fn grade_with(
    expected: &str,
    accept: &[String],
    kind: CardKind,
    context: &DeckContext,
    given: &str,
) -> Grade {
    let asked = Asked {
        accept,
        ..Asked::text(expected)
    };
    grade_asked(&asked, kind, context, given)
}

fn grade_asked(asked: &Asked, kind: CardKind, context: &DeckContext, given: &str) -> Grade {
    // The answer's phrases read as the ones the expected texts say
    // ([`equivalents`]: « centre d'appels » for « call center »).
    let texts: Vec<_> = asked.texts().map(normalize::tokenize).collect();
    let given_tokens = equivalents::toward(&texts, normalize::tokenize(given));
    let outcome = match kind {
        CardKind::Term => term::grade(asked, &given_tokens, context),
        CardKind::List => best_of(asked.expected, asked.accept, |text| {
            list::grade(text, &given_tokens, context, asked.ordered)
        }),
        CardKind::Definition => definition::grade(asked, &given_tokens, context),
    };
    outcome.into_grade(asked.expected, kind)
}

/// Guess the kind of an expected answer from its text: several short lines
/// or comma-separated short parts make a list, a sentence makes a
/// definition, anything else is a term.
pub fn infer_kind(expected: &str) -> CardKind {
    let expected = normalize::cap(expected);
    if is_plainly_short(expected) {
        return CardKind::Term;
    }
    kind_by_words(expected)
}

/// [`infer_kind`] from the text's lines, parts and content words.
fn kind_by_words(expected: &str) -> CardKind {
    let lines: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() >= 2 {
        let short = lines
            .iter()
            .all(|l| normalize::content_words(l).len() <= list::SHORT_ITEM_WORDS);
        let bulleted = lines.iter().all(|l| list::has_bullet(l));
        return if short || bulleted {
            CardKind::List
        } else {
            CardKind::Definition
        };
    }
    let line = lines.first().copied().unwrap_or("");
    if line.trim_end().ends_with('.') || line.contains(". ") {
        // A sentence.
        return CardKind::Definition;
    }
    let main = term::without_parentheses(line);
    let parts: Vec<&str> = main.split([',', ';']).collect();
    if parts.len() >= 2
        && parts
            .iter()
            .all(|p| (1..=4).contains(&normalize::content_words(p).len()))
    {
        CardKind::List
    } else if normalize::content_words(&main).len() > 4 {
        CardKind::Definition
    } else {
        CardKind::Term
    }
}

/// One line of at most four runs of letters and digits, without a full
/// stop, comma or semicolon: a term whatever its words are, since a run
/// never yields more than one word. Most expected answers are such terms,
/// and this spares folding them once more only to count their words.
fn is_plainly_short(text: &str) -> bool {
    let mut runs = 0;
    let mut in_run = false;
    for c in text.chars() {
        if matches!(c, '\n' | '\r' | '.' | ',' | ';') {
            return false;
        }
        let alnum = c.is_alphanumeric();
        runs += (alnum && !in_run) as usize;
        in_run = alnum;
    }
    runs <= 4
}

/// What a strategy decides, before it becomes a [`Grade`].
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub verdict: Verdict,
    pub score: f32,
    pub findings: Findings,
}

/// Score of a close answer: right, but with slips.
pub(crate) const CLOSE_SCORE: f32 = 0.9;

impl Outcome {
    pub fn wrong() -> Self {
        Outcome {
            verdict: Verdict::Wrong,
            score: 0.0,
            findings: Findings::default(),
        }
    }

    /// A graded outcome (not a hedge, no definition evidence).
    pub fn graded(
        (verdict, score): (Verdict, f32),
        found: Vec<String>,
        missing: Vec<String>,
        extra: Vec<String>,
        corrections: Vec<Correction>,
    ) -> Self {
        Outcome {
            verdict,
            score,
            findings: Findings {
                found,
                missing,
                extra,
                corrections,
                ..Findings::default()
            },
        }
    }

    /// Rank for picking the best of several outcomes.
    pub fn rank(&self) -> (u8, f32) {
        let v = match self.verdict {
            Verdict::Correct => 3,
            Verdict::Close => 2,
            Verdict::Partial => 1,
            Verdict::Wrong => 0,
        };
        (v, self.score)
    }

    pub fn better_than(&self, other: &Outcome) -> bool {
        let (a, b) = (self.rank(), other.rank());
        a.0 > b.0 || (a.0 == b.0 && a.1 > b.1)
    }

    fn into_grade(self, expected: &str, kind: CardKind) -> Grade {
        let score = if self.score.is_finite() {
            self.score.clamp(0.0, 1.0)
        } else {
            0.0
        };
        Grade {
            verdict: self.verdict,
            score,
            feedback: Feedback {
                expected: expected.trim().to_string(),
                kind,
                findings: self.findings,
            },
        }
    }
}

/// The best of `grade_one` over the expected text and each accepted
/// alternative.
pub(crate) fn best_of(
    expected: &str,
    accept: &[String],
    grade_one: impl Fn(&str) -> Outcome,
) -> Outcome {
    std::iter::once(expected)
        .chain(accept.iter().map(String::as_str))
        .map(grade_one)
        .reduce(|best, o| if o.better_than(&best) { o } else { best })
        .unwrap_or_else(Outcome::wrong)
}

/// Verdict for a right answer: correct, or close when a word was misspelt.
pub(crate) fn right(corrections: &[Correction]) -> (Verdict, f32) {
    if corrections.is_empty() {
        (Verdict::Correct, 1.0)
    } else {
        (Verdict::Close, CLOSE_SCORE)
    }
}

/// The content words of some tokens.
pub(crate) fn content(tokens: &[Token]) -> Vec<Word> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.is_content() => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// Test a rule that compares an expected text with answers, each text
/// `read` into the units (tokens, content words) the rule compares: each
/// answer's verdict must be the one paired with it.
#[cfg(test)]
#[track_caller]
pub(crate) fn check_texts<T>(
    read: fn(&str) -> Vec<T>,
    rule: fn(&[T], &[T], &DeckContext) -> bool,
    expected: &str,
    answers: &[(&str, bool)],
) {
    let e = read(expected);
    for &(given, want) in answers {
        let g = read(given);
        assert_eq!(
            rule(&e, &g, &DeckContext::default()),
            want,
            "{expected} ← {given}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut never calls a term what the word count would not.
        #[test]
        fn a_plainly_short_text_is_a_term(text in "[a-zA-Zé0-9]{0,12}([ '()\\-:]{1,2}[a-zA-Zé0-9]{1,12}){0,5}[ .,\n]?") {
            if is_plainly_short(&text) {
                prop_assert_eq!(kind_by_words(&text), CardKind::Term);
            }
        }
    }

    #[test]
    fn long_or_punctuated_texts_are_not_plainly_short() {
        assert!(is_plainly_short("Valeur client (CLV)"));
        assert!(is_plainly_short("Bouche-à-oreille"));
        assert!(!is_plainly_short("Gestion de la relation client (GRC)"));
        assert!(!is_plainly_short("Récence, fréquence"));
        assert!(!is_plainly_short("Fin."));
    }
}
