//! What a typed answer says before it is graded: « je sais pas », « jsp »,
//! « ? » or "idk" typed in the answer box mean the same as the « Je ne sais
//! pas » button. Every shell (the terminal, `/study`, the daily question)
//! asks [`is_dont_know`] first and grades only the other answers, so a
//! student who admits not knowing is shown the answer without an
//! "Incorrect" verdict and the card is rated Again.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The phrases that say "I don't know", folded as [`fold`] does: lowercase,
/// no accents, apostrophes and punctuation turned into spaces.
const DONT_KNOW: &[&str] = &[
    // French
    "je sais pas",
    "je ne sais pas",
    "j sais pas",
    "jsais pas",
    "sais pas",
    "ne sais pas",
    "chais pas",
    "chai pas",
    "jsp",
    "j en sais rien",
    "je n en sais rien",
    "aucune idee",
    "pas d idee",
    "je ne sais pas du tout",
    "je sais pas du tout",
    "aucune idee du tout",
    // English
    "idk",
    "i don t know",
    "i dont know",
    "i do not know",
    "don t know",
    "dont know",
    "no idea",
    "dunno",
    "no clue",
    "i have no idea",
];

/// Whether `text` says "I don't know" rather than answering: empty, only
/// question marks (or other punctuation), or one of the usual phrases in
/// French or English, whatever the case, accents, apostrophes and final
/// punctuation.
pub fn is_dont_know(text: &str) -> bool {
    let folded = fold(text);
    if folded.is_empty() {
        // Nothing but spaces and punctuation: "", "?", "??", "…".
        return text
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '?' | '¿' | '.' | '…' | '!' | '-'));
    }
    DONT_KNOW.contains(&folded.as_str())
}

/// Lowercase words without accents, separated by one space; apostrophes
/// and punctuation separate words.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd().filter(|&c| !is_combining_mark(c)) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_dont_know;

    #[test]
    fn the_usual_ways_of_not_knowing_are_recognised() {
        for text in [
            "",
            "  ",
            "?",
            " ??? ",
            "je sais pas",
            "Je ne sais pas.",
            "j'sais pas",
            "J’sais pas !",
            "aucune idée",
            "AUCUNE IDEE...",
            "jsp",
            "JSP ?",
            "idk",
            "no idea",
            "I don't know",
            "I don’t know.",
            "i dont know",
        ] {
            assert!(is_dont_know(text), "{text:?}");
        }
    }

    #[test]
    fn answers_are_not_taken_for_not_knowing() {
        for text in [
            "Prospect",
            "je sais pas trop, la fidélisation ?",
            "sais",
            "pas",
            "idée",
            "je ne sais plus",
            "%",
            "Customer Relationship Management",
        ] {
            assert!(!is_dont_know(text), "{text:?}");
        }
    }
}
