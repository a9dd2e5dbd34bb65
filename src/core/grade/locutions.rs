//! Compound prepositions and locutions whose nouns are function words
//! there ("par rapport à", "grâce à"), marked as stop words after
//! tokenizing.

use super::normalize::Token;

/// Compound prepositions ("par rapport à", "grâce à", "en fonction de",
/// "c'est-à-dire"...): their nouns are function words there, not concepts.
/// Each pattern lists folded words ("" matches any word) and which of them
/// become stop words.
const LOCUTIONS: &[(&[&str], &[usize])] = &[
    (&["par", "rapport"], &[1]),
    (&["a", "l", "egard"], &[2]),
    (&["grace", "a"], &[0]),
    (&["grace", "au"], &[0]),
    (&["grace", "aux"], &[0]),
    (&["en", "fonction"], &[1]),
    (&["c", "est", "a", "dire"], &[3]),
    (&["au", "niveau", "de"], &[1]),
    (&["au", "niveau", "du"], &[1]),
    (&["au", "niveau", "des"], &[1]),
    (&["au", "lieu"], &[1]),
    (&["a", "travers"], &[1]),
    (&["vis", "a", "vis"], &[0, 2]),
    (&["en", "termes"], &[1]),
    (&["en", "terme"], &[1]),
];

pub(super) fn mark(tokens: &mut [Token]) {
    // Most texts have no locution: look for a first word before anything.
    let starts =
        |t: &Token| matches!(t, Token::Word(w) if LOCUTIONS.iter().any(|(p, _)| p[0] == w.folded));
    if !tokens.iter().any(starts) {
        return;
    }
    let words: Vec<(usize, &str)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Token::Word(w) => Some((i, w.folded.as_str())),
            Token::Break(_) => None,
        })
        .collect();
    let mut to_mark = Vec::new();
    for start in 0..words.len() {
        for (pattern, marks) in LOCUTIONS {
            let fits = pattern
                .iter()
                .enumerate()
                .all(|(k, p)| words.get(start + k).is_some_and(|(_, f)| f == p));
            if fits {
                to_mark.extend(marks.iter().map(|&k| words[start + k].0));
            }
        }
    }
    for i in to_mark {
        if let Token::Word(w) = &mut tokens[i] {
            w.stop = true;
        }
    }
}
