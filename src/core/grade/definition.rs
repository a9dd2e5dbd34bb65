//! Grading a definition: a sentence or two, judged on its key concepts.
//!
//! The key concepts are the content words of the expected text. A concept
//! is covered by the same word, an inflection, a typo, or a word of the same
//! family (same French Snowball stem, or a long common beginning:
//! "accroître" covers "accroissement"). Whole-string similarity is not used:
//! a paraphrase in another order with other function words is right.
//!
//! Most concepts (and most of what was typed) → right; some → partial;
//! an answer whose negation differs from the expected one ("faire beaucoup
//! d'envois" for "ne pas faire trop d'envois") loses a level.

use rust_stemmers::{Algorithm, Stemmer};

use super::normalize::{self, Token, Word};
use super::word::{self, Match};
use super::{Correction, DeckContext, Outcome, Verdict, right};

/// Share of the concepts that makes an answer right.
const RIGHT_COVERAGE: f32 = 0.75;
/// A lower share is enough for a long definition when this many concepts
/// are covered: the gist, not every word.
const RIGHT_COVERAGE_LONG: f32 = 0.6;
const RIGHT_MIN_CONCEPTS_LONG: usize = 5;
/// Share of the concepts below which an answer earns nothing.
const PARTIAL_COVERAGE: f32 = 0.2;
/// Share of the typed content words that must belong to the definition
/// (otherwise the answer is mostly about something else).
const MIN_PRECISION: f32 = 0.5;

/// Grade a definition answer against `expected` or any of `accept`.
pub(crate) fn grade(
    expected: &str,
    accept: &[String],
    given: &[Token],
    context: &DeckContext,
) -> Outcome {
    let stemmer = Stemmer::create(Algorithm::French);
    let given_words = super::content(given);
    // Snowball stems are only needed for concepts no other rule matched:
    // computed on first use.
    let given_stems: std::cell::OnceCell<Vec<String>> = std::cell::OnceCell::new();
    let mut best: Option<Outcome> = None;
    for text in std::iter::once(expected).chain(accept.iter().map(String::as_str)) {
        let o = grade_one(text, &given_words, &given_stems, &stemmer, context);
        if best.as_ref().is_none_or(|b| o.better_than(b)) {
            best = Some(o);
        }
    }
    best.unwrap_or_else(Outcome::wrong)
}

fn grade_one(
    expected: &str,
    given: &[Word],
    given_stems: &std::cell::OnceCell<Vec<String>>,
    stemmer: &Stemmer,
    context: &DeckContext,
) -> Outcome {
    let known = context.known();
    let mut concepts: Vec<Word> = Vec::new();
    for w in normalize::content_words(expected) {
        if !concepts.iter().any(|c| c.key == w.key) {
            concepts.push(w);
        }
    }
    if concepts.is_empty() || given.is_empty() {
        let mut out = Outcome::wrong();
        out.missing = concepts.into_iter().map(|c| c.text).collect();
        return out;
    }
    let mut used = vec![false; given.len()];
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut corrections = Vec::new();
    for c in &concepts {
        let mut best: Option<(Match, usize)> = None;
        for (gi, g) in given.iter().enumerate() {
            let m = word::compare(c, g, known, true);
            if m.is_match() {
                used[gi] = true;
                if best.is_none_or(|(bm, _)| m > bm) {
                    best = Some((m, gi));
                }
            }
        }
        if best.is_none() {
            let stem = stemmer.stem(&c.folded);
            if stem.chars().count() >= 4 {
                let stems = given_stems.get_or_init(|| {
                    given
                        .iter()
                        .map(|w| stemmer.stem(&w.folded).into_owned())
                        .collect()
                });
                if let Some(gi) = stems.iter().position(|s| *s == stem) {
                    used[gi] = true;
                    best = Some((Match::Related, gi));
                }
            }
        }
        match best {
            Some((Match::Typo, gi)) => {
                found.push(c.text.clone());
                corrections.push(Correction {
                    given: given[gi].text.clone(),
                    expected: c.text.clone(),
                });
            }
            Some(_) => found.push(c.text.clone()),
            None => missing.push(c.text.clone()),
        }
    }
    let n_found = found.len();
    let coverage = n_found as f32 / concepts.len() as f32;
    let precision = used.iter().filter(|&&u| u).count() as f32 / given.len() as f32;
    let extra = given
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g.text.clone())
        .collect();
    let expected_negative = concepts.iter().any(Word::is_negation);
    let given_negative = given.iter().any(Word::is_negation);
    let mut level: u8 = if precision < MIN_PRECISION {
        0
    } else if coverage >= RIGHT_COVERAGE
        || (coverage >= RIGHT_COVERAGE_LONG && n_found >= RIGHT_MIN_CONCEPTS_LONG)
    {
        2
    } else if coverage >= PARTIAL_COVERAGE {
        1
    } else {
        0
    };
    if expected_negative != given_negative {
        level = level.saturating_sub(1);
    }
    let (verdict, score) = match level {
        2 => right(&corrections),
        1 => (Verdict::Partial, coverage),
        _ => (Verdict::Wrong, 0.0),
    };
    Outcome {
        verdict,
        score,
        found,
        missing,
        extra,
        corrections,
        hedge: false,
    }
}
