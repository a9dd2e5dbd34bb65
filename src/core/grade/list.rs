//! Grading a list answer: "the 3 conditions", "the 2 strategies".
//!
//! The expected items are the lines of the answer (bullets and numbers
//! stripped), or the comma-separated parts of a one-line answer; an item
//! that joins two things with "et" ("Augmenter les ventes et la
//! fidélisation") counts as two. "Term : explanation" lines are graded on
//! the term. Order does not matter and the student's own separators do not
//! either: an item is found when at least half of its own words are in the
//! answer: words no other item has and that are not generic ("défensive",
//! not "stratégie"; "continuité", not "degré").
//! k of n items is `partial` with score k/n; each extra item that matches
//! nothing costs half an item.

use super::align::align;
use super::normalize::{self, Token, Word};
use super::word::Match;
use super::{Correction, DeckContext, Outcome, Verdict, right};

/// An item longer than this (content words) is a sentence, not split on "et".
pub const SHORT_ITEM_WORDS: usize = 10;

/// Items of this many content words or more accept word families.
const LOOSE_ITEM_WORDS: usize = 3;

/// Penalty, in items, for each extra item that matches nothing expected.
const EXTRA_ITEM_COST: f32 = 0.5;

/// One expected item.
#[derive(Debug, Clone)]
pub struct Item {
    /// As written in the deck, for feedback.
    pub label: String,
    /// Its content words, one per key.
    pub words: Vec<Word>,
}

/// Whether a line starts with a bullet or a number ("- ", "• ", "1.", "2)").
pub fn has_bullet(line: &str) -> bool {
    strip_bullet(line).len() != line.trim_start().len()
}

fn strip_bullet(line: &str) -> &str {
    let line = line.trim_start();
    let rest = line.trim_start_matches(['-', '*', '•', '–', '—', '·', '>']);
    if rest.len() != line.len() {
        return rest.trim_start();
    }
    let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() != line.len()
        && let Some(rest) = digits.strip_prefix(['.', ')'])
    {
        return rest.trim_start();
    }
    line
}

/// The expected items of a list answer.
pub fn items(expected: &str) -> Vec<Item> {
    let expected = normalize::cap(expected);
    let lines: Vec<&str> = expected
        .lines()
        .map(strip_bullet)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let n_lines = lines.len();
    let mut items = Vec::new();
    for line in lines {
        if n_lines > 1 && line.ends_with(':') {
            // A header such as "Elle accepte de supporter :".
            continue;
        }
        // "Term : explanation": the term is the item; the explanation's words
        // are neither required nor extra.
        let label = match line.split_once(':') {
            Some((l, _)) if !normalize::content_words(l).is_empty() => l,
            _ => line,
        };
        let label = label.trim().trim_end_matches('.').trim();
        let tokens = normalize::tokenize(label);
        let n_content = tokens
            .iter()
            .filter(|t| matches!(t, Token::Word(w) if w.is_content()))
            .count();
        // Several lines are the author's items; one line is split on its
        // commas and "et".
        let pieces: Vec<&[Token]> = if n_lines == 1 && n_content <= SHORT_ITEM_WORDS {
            // "ou" inside an expected item offers a choice, it does not
            // separate two items ("Peu ou pas d'information de contact").
            tokens
                .split(|t| is_item_separator(t) && !matches!(t, Token::Word(w) if w.folded == "ou"))
                .collect()
        } else {
            vec![&tokens[..]]
        };
        let splittable = pieces.len() > 1 && pieces.iter().all(|p| !super::content(p).is_empty());
        if splittable {
            for p in pieces {
                items.push(item(display(p), super::content(p)));
            }
        } else {
            items.push(item(label.to_string(), super::content(&tokens)));
        }
    }
    items.retain(|i| !i.words.is_empty());
    items
}

fn item(label: String, words: Vec<Word>) -> Item {
    let mut unique: Vec<Word> = Vec::with_capacity(words.len());
    for w in words {
        if !unique.iter().any(|u| u.key == w.key) {
            unique.push(w);
        }
    }
    Item {
        label,
        words: unique,
    }
}

fn display(tokens: &[Token]) -> String {
    let words: Vec<&str> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w.text.as_str()),
            Token::Break(_) => None,
        })
        .collect();
    words.join(" ")
}

/// Separators between items, in the expected text and in answers.
fn is_item_separator(token: &Token) -> bool {
    match token {
        Token::Word(w) => matches!(w.folded.as_str(), "et" | "puis" | "ainsi" | "ou" | "and"),
        Token::Break(c) => !matches!(c, '(' | ')' | '\''),
    }
}

/// Grade a list answer against `expected` or any of `accept`.
pub(crate) fn grade(
    expected: &str,
    accept: &[String],
    given: &[Token],
    context: &DeckContext,
) -> Outcome {
    super::best_of(expected, accept, |text| {
        let items = items(text);
        if items.len() < 2 {
            super::term::grade(text, &[], given, context, &[])
        } else {
            grade_items(&items, &normalize::content_words(text), given, context)
        }
    })
}

/// Grade against `items`; `all_words` are every content word of the expected
/// text (headers and explanations included), which are never extra.
fn grade_items(
    items: &[Item],
    all_words: &[Word],
    given: &[Token],
    context: &DeckContext,
) -> Outcome {
    let given_words = super::content(given);
    let n_items_with = |key: &str| {
        items
            .iter()
            .filter(|i| i.words.iter().any(|w| w.key == key))
            .count()
    };
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut corrections: Vec<Correction> = Vec::new();
    // Every item at once, so that a typed word that is one item's word is
    // not also a synonym of another item's.
    let every_word: Vec<Word> = items.iter().flat_map(|i| i.words.iter().cloned()).collect();
    let strict = align(&every_word, &given_words, context, false);
    let loose = align(&every_word, &given_words, context, true);
    let mut offset = 0;
    for item in items {
        let mut n_matched = 0;
        let mut n_distinctive = 0;
        let mut n_distinctive_matched = 0;
        let mut item_corrections = Vec::new();
        // A phrase-long item is judged like a definition, with word
        // families ("consomme" for "consommation"); a short one strictly.
        let alignment = if item.words.len() >= LOOSE_ITEM_WORDS {
            &loose
        } else {
            &strict
        };
        let best = &alignment.best[offset..offset + item.words.len()];
        offset += item.words.len();
        for (w, m) in item.words.iter().zip(best) {
            // Deck-wide word counts are not used here: what matters is
            // whether another item of this list has the word.
            let distinctive = !normalize::is_generic(&w.key) && n_items_with(&w.key) == 1;
            n_distinctive += distinctive as usize;
            if let Some((m, gi)) = m {
                n_matched += 1;
                n_distinctive_matched += distinctive as usize;
                if *m == Match::Typo {
                    item_corrections.push(Correction {
                        given: given_words[*gi].text.clone(),
                        expected: w.text.clone(),
                    });
                }
            }
        }
        // Half the item's own words, or all of it when it has none.
        let is_found = if n_distinctive > 0 {
            n_distinctive_matched >= 1 && n_distinctive_matched * 2 >= n_distinctive
        } else {
            n_matched == item.words.len()
        };
        if is_found {
            found.push(item.label.clone());
            for c in item_corrections {
                if !corrections.contains(&c) {
                    corrections.push(c);
                }
            }
        } else {
            missing.push(item.label.clone());
        }
    }
    // Extra items: parts of the answer that match no expected word at all.
    let mut extra = Vec::new();
    for part in given.split(is_item_separator) {
        let words = super::content(part);
        if words
            .iter()
            .all(|w| normalize::is_generic(&w.key) && !w.is_negation())
        {
            continue;
        }
        let matches_something = align(all_words, &words, context, false)
            .used
            .iter()
            .any(|&u| u);
        if !matches_something {
            extra.push(display(part));
        }
    }
    let n = items.len() as f32;
    let k = found.len() as f32;
    let (verdict, score) = if found.len() == items.len() && extra.is_empty() {
        right(&corrections)
    } else {
        let score = (k - EXTRA_ITEM_COST * extra.len() as f32) / n;
        if found.is_empty() || score <= 0.0 {
            (Verdict::Wrong, 0.0)
        } else {
            (Verdict::Partial, score)
        }
    };
    Outcome::graded((verdict, score), found, missing, extra, corrections)
}
