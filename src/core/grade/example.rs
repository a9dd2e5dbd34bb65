//! Examples a student adds to an answer ("…, ex : le bip de la ceinture"):
//! their words illustrate the answer, they are neither the answer's words
//! nor off topic.

use super::normalize::Token;

/// For each content word of `tokens`, whether it is part of an example the
/// student added ("…, ex : le bip de la ceinture", "par exemple", "e.g."),
/// up to the end of its sentence or parenthesis: an example illustrates the
/// answer, its words are not the answer's and not off topic either.
pub fn in_example(tokens: &[Token]) -> Vec<bool> {
    let mut mask = Vec::new();
    let mut inside = false;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Break('.' | ')' | '\n') => inside = false,
            Token::Break(_) => {}
            Token::Word(w) => {
                let marker = match w.folded.as_str() {
                    "exemple" | "exemples" => i > 0,
                    "ex" | "eg" => {
                        matches!(tokens.get(i + 1), Some(Token::Break(':' | '.' | ',')))
                    }
                    _ => false,
                };
                inside |= marker;
                if w.is_content() {
                    mask.push(inside);
                }
            }
        }
    }
    mask
}
