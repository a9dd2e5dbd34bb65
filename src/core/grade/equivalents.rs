//! Phrases of general French that say the same thing (« centre d'appels »
//! and « call center », « magasin » and « point de vente »): an answer that
//! says one where the expected text says another is read as saying the
//! expected one, before any word is compared.

use std::sync::OnceLock;

use super::normalize::{self, Token, Word};

const EQUIVALENTS: &str = include_str!("data/equivalents.txt");

/// The groups of phrases, each phrase as its words.
fn groups() -> &'static [Vec<Vec<Word>>] {
    static GROUPS: OnceLock<Vec<Vec<Vec<Word>>>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        EQUIVALENTS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split('|').map(normalize::words).collect())
            .collect()
    })
}

/// Where `phrase` starts in `tokens`: its words in a row (same keys), no
/// separator between them.
fn find(tokens: &[Token], phrase: &[Word], from: usize) -> Option<usize> {
    (from..tokens.len()).find(|&i| {
        phrase.len() <= tokens.len() - i
            && phrase.iter().zip(&tokens[i..]).all(|(p, t)| match t {
                Token::Word(w) => w.key == p.key,
                Token::Break(_) => false,
            })
    })
}

/// `given`, each phrase of a group replaced by the group's phrase that one
/// of `expected` (tokenized texts) says, unless the expected texts say
/// that phrase too (then both are ideas of their own: « Représentants »
/// and « Force de vente » are two items).
pub fn toward(expected: &[Vec<Token>], mut given: Vec<Token>) -> Vec<Token> {
    for group in groups() {
        let Some(target) = group
            .iter()
            .find(|p| expected.iter().any(|e| find(e, p, 0).is_some()))
        else {
            continue;
        };
        // Said apart from the target: « mail » inside « e-mails » is not.
        let says_apart = |phrase: &[Word]| {
            expected.iter().any(|e| {
                let in_target = |i: usize| {
                    (i.saturating_sub(target.len())..=i).any(|t| {
                        find(e, target, t) == Some(t) && i + phrase.len() <= t + target.len()
                    })
                };
                let mut from = 0;
                while let Some(i) = find(e, phrase, from) {
                    if !in_target(i) {
                        return true;
                    }
                    from = i + 1;
                }
                false
            })
        };
        for phrase in group.iter().filter(|p| *p != target && !says_apart(p)) {
            let mut from = 0;
            while let Some(i) = find(&given, phrase, from) {
                let words = target.iter().cloned().map(Token::Word);
                given.splice(i..i + phrase.len(), words);
                from = i + target.len();
            }
        }
    }
    given
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(expected: &str, given: &str) -> Vec<String> {
        let expected = [normalize::tokenize(expected)];
        toward(&expected, normalize::tokenize(given))
            .into_iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w.folded),
                Token::Break(_) => None,
            })
            .collect()
    }

    #[test]
    fn a_phrase_is_read_as_the_expected_one_of_its_group() {
        assert_eq!(
            read("Le call center\nInternet", "centre d'appels, web"),
            ["call", "center", "internet"]
        );
        assert_eq!(
            read("Points de vente", "les magasins"),
            ["les", "point", "de", "vente"]
        );
        // Nothing of the group expected: nothing read otherwise.
        assert_eq!(read("Le prix", "les magasins"), ["les", "magasins"]);
        // Two phrases of a group both expected are two ideas.
        assert_eq!(read("Internet\nLe web", "web"), ["web"]);
        // A phrase said only inside the expected one is not said apart.
        assert_eq!(read("Les e-mails", "mail"), ["e", "mail"]);
    }
}
