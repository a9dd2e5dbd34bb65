//! Comparisons turned round: « la satisfaction a plus d'impact que
//! l'insatisfaction » says the opposite of « l'insatisfaction a un impact
//! plus important que la satisfaction », with the same words and no
//! negation.
//!
//! A comparison has two sides: the words of its clause before the
//! comparative (« plus », « moins », « mieux »…) and the words after its
//! « que ». An answer whose comparison holds an expected side's word on the
//! other side, both ways round, and no expected word on its own side, has
//! reversed it, unless it also turned « plus » into « moins ».

use super::DeckContext;
use super::normalize::{Token, Word};
use super::word::{self, Match};

/// Words that compare (folded): more, then less.
const MORE: &[&str] = &["plus", "davantage", "mieux", "more", "better"];
const LESS: &[&str] = &["moins", "pire", "less", "worse"];
/// The word that introduces the other side (folded; « qu' » folds to "qu").
const THAN: &[&str] = &["que", "qu", "than"];
/// Words that start a clause: a side never reaches past them.
const CLAUSE_STARTS: &[&str] = &[
    "car", "mais", "donc", "parce", "puisque", "lorsque", "quand", "si", "alors", "because", "but",
    "when", "since",
];
/// The longest run of words between a comparative and its « que ».
const MAX_GAP: usize = 6;

/// One comparison: its two sides (content words) and whether it says
/// "more".
struct Sides {
    before: Vec<Word>,
    after: Vec<Word>,
    more: bool,
}

/// Whether a word compares (« plus », « moins », « mieux »…).
pub(super) fn is_comparative(folded: &str) -> bool {
    MORE.contains(&folded) || LESS.contains(&folded)
}

/// Whether a token ends a side: a punctuation mark other than an apostrophe
/// or a hyphen, or a word that starts a clause.
fn ends_side(token: &Token) -> bool {
    match token {
        Token::Break(c) => !matches!(c, '\'' | '-'),
        Token::Word(w) => CLAUSE_STARTS.contains(&w.folded.as_str()),
    }
}

fn content(tokens: &[Token]) -> Vec<Word> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.is_content() && !is_comparative(&w.folded) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// The « que » of the comparative at `at`, if it has one.
fn than_of(tokens: &[Token], at: usize) -> Option<usize> {
    tokens[at + 1..]
        .iter()
        .take(MAX_GAP + 1)
        .take_while(|t| !ends_side(t))
        .position(|t| matches!(t, Token::Word(w) if THAN.contains(&w.folded.as_str())))
        .map(|p| at + 1 + p)
}

/// Where the first comparison's other side starts (its « que »): « plus
/// rentable *que le client occasionnel* ».
pub(super) fn first_than(tokens: &[Token]) -> Option<usize> {
    tokens
        .iter()
        .enumerate()
        .find_map(|(at, token)| match token {
            Token::Word(w) if is_comparative(&w.folded) => than_of(tokens, at),
            _ => None,
        })
}

/// Every comparison of a text whose two sides have content words.
fn comparisons(tokens: &[Token]) -> Vec<Sides> {
    let mut out = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let Token::Word(w) = token else { continue };
        if !is_comparative(&w.folded) {
            continue;
        }
        let Some(than) = than_of(tokens, at) else {
            continue;
        };
        let start = tokens[..at]
            .iter()
            .rposition(ends_side)
            .map_or(0, |p| p + 1);
        let end = tokens[than + 1..]
            .iter()
            .position(ends_side)
            .map_or(tokens.len(), |p| than + 1 + p);
        let sides = Sides {
            before: content(&tokens[start..at]),
            after: content(&tokens[than + 1..end]),
            more: MORE.contains(&w.folded.as_str()),
        };
        if !sides.before.is_empty() && !sides.after.is_empty() {
            out.push(sides);
        }
    }
    out
}

/// The same word: exact, inflected or misspelt, never a mere relative
/// (« insatisfaction » is not « satisfaction »).
fn has(words: &[Word], word: &Word, context: &DeckContext) -> bool {
    words
        .iter()
        .any(|w| word::compare(word, w, context, false) >= Match::Typo)
}

fn crosses(from: &[Word], to: &[Word], own: &[Word], context: &DeckContext) -> bool {
    from.iter()
        .any(|w| has(to, w, context) && !has(own, w, context))
}

/// The superlatives of a text (« le plus », « la moins »), in order: true
/// for "most".
fn superlatives(tokens: &[Token]) -> Vec<bool> {
    let is_article = |t: &Token| matches!(t, Token::Word(w) if matches!(w.folded.as_str(), "le" | "la" | "les" | "l" | "the"));
    tokens
        .windows(2)
        .filter_map(|pair| match &pair[1] {
            Token::Word(w) if is_comparative(&w.folded) && is_article(&pair[0]) => {
                Some(MORE.contains(&w.folded.as_str()))
            }
            _ => None,
        })
        .collect()
}

/// Whether `given` compares the sides of an expected comparison the other
/// way round, or says its superlatives in the other order (« du milieu le
/// plus concentré vers le moins concentré » for « du milieu le moins
/// concentré vers le plus concentré »). An answer that says the two ends
/// the other way round in its own words (« vers le plus concentré, depuis
/// le moins concentré ») is read as reversed too: a known limit.
pub fn reversed(expected: &[Token], given: &[Token], context: &DeckContext) -> bool {
    let (e, g) = (superlatives(expected), superlatives(given));
    if e.contains(&true) && e.contains(&false) && g.len() == e.len() && g.iter().rev().eq(&e) {
        return true;
    }
    let expected = comparisons(expected);
    if expected.is_empty() {
        return false;
    }
    let given = comparisons(given);
    expected.iter().any(|e| {
        given.iter().any(|g| {
            let swapped = crosses(&e.before, &g.after, &g.before, context)
                && crosses(&e.after, &g.before, &g.after, context);
            let kept = crosses(&e.before, &g.before, &g.after, context)
                && crosses(&e.after, &g.after, &g.before, context);
            // « moins » with the sides swapped says what « plus » said.
            if e.more == g.more { swapped } else { kept }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::grade::{check_texts, normalize};

    #[test]
    fn a_comparison_turned_round_is_reversed() {
        check_texts(
            normalize::tokenize,
            reversed,
            "Ce lien n'est pas symétrique car l'insatisfaction a un impact plus \
             important sur la fidélisation que la satisfaction.",
            &[
                (
                    "pas symétrique car la satisfaction a plus d'impact sur la fidélisation que l'insatisfaction",
                    true,
                ),
                (
                    "pas symétrique : l'insatisfaction pèse plus sur la fidélité que la satisfaction",
                    false,
                ),
                // « moins » for « plus » with the sides swapped says the same.
                (
                    "la satisfaction compte moins que l'insatisfaction pour la fidélisation",
                    false,
                ),
                (
                    "l'insatisfaction compte moins que la satisfaction pour la fidélisation",
                    true,
                ),
            ],
        );
        check_texts(
            normalize::tokenize,
            reversed,
            "De l'eau, du milieu le moins concentré vers le milieu le plus concentré",
            &[
                (
                    "des solutés, du milieu le plus concentré vers le moins concentré",
                    true,
                ),
                ("de l'eau du moins concentré au plus concentré", false),
            ],
        );
        check_texts(
            normalize::tokenize,
            reversed,
            "le prix est plus élevé que la valeur",
            &[("la valeur est plus élevée", false)],
        );
    }
}
