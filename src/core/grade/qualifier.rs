//! A qualifier swapped for another: « la satisfaction totale » is not « la
//! satisfaction supplémentaire », « une stratégie défensive » not « une
//! stratégie offensive », though every other word is there.
//!
//! French puts the qualifier right after its noun. When the expected
//! text's qualifier is nowhere in the answer (not even as a relative or a
//! synonym) and the answer puts another qualifier of its own, one the
//! expected text does not have, right after that same noun, the answer
//! names another thing.

use super::DeckContext;
use super::normalize::{Token, Word};
use super::word::{self, Match};

/// Each content word followed at once (no punctuation, no function word)
/// by a content word that looks like an adjective.
fn qualified(tokens: &[Token]) -> Vec<(&Word, &Word)> {
    tokens
        .windows(2)
        .filter_map(|pair| match pair {
            [Token::Word(noun), Token::Word(qualifier)]
                if noun.is_content()
                    && qualifier.is_content()
                    && !word::is_adjective_form(noun)
                    && word::is_adjective_form(qualifier) =>
            {
                Some((noun, qualifier))
            }
            _ => None,
        })
        .collect()
}

/// Whether `given` qualifies an expected noun with another qualifier than
/// the expected one.
pub fn swapped(expected: &[Token], given: &[Token], context: &DeckContext) -> bool {
    let expected_pairs = qualified(expected);
    if expected_pairs.is_empty() {
        return false;
    }
    let given_pairs = qualified(given);
    if given_pairs.is_empty() {
        return false;
    }
    let expected_words = super::content(expected);
    let given_words = super::content(given);
    let in_given = |w: &Word| {
        given_words
            .iter()
            .any(|g| word::compare(w, g, context, true).is_match())
    };
    let in_expected = |g: &Word| {
        expected_words
            .iter()
            .any(|e| word::compare(e, g, context, true).is_match())
    };
    expected_pairs.iter().any(|(noun, qualifier)| {
        !in_given(qualifier)
            && given_pairs.iter().any(|(typed_noun, typed_qualifier)| {
                word::compare(noun, typed_noun, context, false) >= Match::Typo
                    && !in_expected(typed_qualifier)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::grade::{check_texts, normalize};

    #[test]
    fn another_qualifier_after_the_same_noun_is_another_thing() {
        check_texts(
            normalize::tokenize,
            swapped,
            "La satisfaction supplémentaire procurée par une unité supplémentaire d'un bien.",
            &[
                (
                    "la satisfaction totale procurée par toutes les unités",
                    true,
                ),
                (
                    "la satisfaction supplémentaire que procure une unité de plus",
                    false,
                ),
                ("le surcroît de satisfaction d'une unité de plus", false),
            ],
        );
        check_texts(
            normalize::tokenize,
            swapped,
            "une stratégie défensive",
            &[
                ("une stratégie offensive", true),
                ("une stratégie défensive et durable", false),
            ],
        );
    }
}
