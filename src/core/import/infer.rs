//! The guesses an import makes where the input says nothing: the kind of a
//! card, whether it may be asked in reverse, and its id.
//!
//! They are written into the TOML file, where the deck author can change
//! them; they only have to be right most of the time.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::core::deck::CardKind;

/// Above this many characters a line or an answer is prose, not a term.
const SHORT: usize = 80;

/// Several short lines make a list; a long answer (over 80 characters) or
/// several sentences make a definition; anything else is a term.
pub fn guess_kind(answer: &str) -> CardKind {
    let lines: Vec<&str> = non_empty_lines(answer).collect();
    if lines.len() >= 2 && lines.iter().all(|l| l.chars().count() <= SHORT) {
        CardKind::List
    } else if answer.chars().count() > SHORT || n_sentences(answer) >= 2 || lines.len() >= 2 {
        CardKind::Definition
    } else {
        CardKind::Term
    }
}

/// A short, one-line question that is not a question (a term, a name) with
/// a definition for answer can be asked the other way round: show the
/// definition, type the term.
pub fn guess_reverse(question: &str, kind: CardKind) -> bool {
    kind == CardKind::Definition
        && !question.contains('\n')
        && question.chars().count() <= SHORT
        && !question.trim_end().ends_with('?')
}

/// Whether an answer has the two items a `list` card needs.
pub(crate) fn has_items(answer: &str) -> bool {
    non_empty_lines(answer).count() >= 2
}

fn non_empty_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// Counts sentence ends: a lowercase letter (or a closing quote), then `.`,
/// `!` or `?`, a space and a capital letter (so "M. Dupont" is one
/// sentence), plus the last one.
fn n_sentences(text: &str) -> usize {
    let chars: Vec<char> = text.trim().chars().collect();
    let inner = chars
        .windows(4)
        .filter(|w| {
            (w[0].is_lowercase() || matches!(w[0], '"' | '»' | ')' | '’'))
                && matches!(w[1], '.' | '!' | '?')
                && w[2] == ' '
                && w[3].is_uppercase()
        })
        .count();
    inner + usize::from(!chars.is_empty())
}

/// A card id from a question: accents folded, lowercase, every run of other
/// characters made one `-`, at most 64 characters (cut at a word boundary
/// when one is close). `card` when nothing is left.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.nfd().filter(|&c| !is_combining_mark(c)) {
        let folded: &str = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            'ø' | 'Ø' => "o",
            'ł' | 'Ł' => "l",
            'đ' | 'Đ' => "d",
            _ => "",
        };
        if !folded.is_empty() {
            out.push_str(folded);
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = cut(out.trim_matches('-'), 64);
    if out.is_empty() {
        "card".to_string()
    } else {
        out
    }
}

/// Cuts a slug to `max` bytes (it is ASCII), at a `-` if one is in the last
/// third, and never leaves a trailing `-`.
fn cut(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    let head = &slug[..max];
    let head = match head.rfind('-') {
        Some(idx) if idx >= max * 2 / 3 => &head[..idx],
        _ => head,
    };
    head.trim_end_matches('-').to_string()
}

/// [`slug`] of `text`, suffixed with `-2`, `-3`... until `taken` says no,
/// still at most 64 characters.
pub(crate) fn unique_slug(text: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slug(text);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            format!("{}{suffix}", cut(&base, 64 - suffix.len()))
        })
        .find(|candidate| !taken(candidate))
        .expect("an unbounded range always has a free suffix")
}
