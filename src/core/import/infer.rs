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

/// Several short lines make a list (and so does an enumeration on one
/// line, see [`one_line_items`], once the caller has split it); a long answer (over 80 characters) or
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

/// Most words an item of a one-line list may have, and most characters.
const ITEM_WORDS: usize = 4;
const ITEM_CHARS: usize = 40;

/// Words that open a clause, not a noun phrase: an item starting with one
/// ("mais seulement en B2B", "il revient") is part of a sentence. Elided
/// forms are listed without their apostrophe (`s'il` → `s`, `qu'il` → `qu`).
const CLAUSE_OPENERS: &[&str] = &[
    "mais",
    "donc",
    "car",
    "puis",
    "cependant",
    "pourtant",
    "toutefois",
    "ainsi",
    "alors",
    "si",
    "s",
    "quand",
    "lorsque",
    "lorsqu",
    "parce",
    "puisque",
    "puisqu",
    "comme",
    "qui",
    "que",
    "qu",
    "dont",
    "il",
    "elle",
    "ils",
    "elles",
    "on",
    "je",
    "j",
    "tu",
    "nous",
    "vous",
    "c",
    "ce",
    "cela",
    "ça",
    "ceci",
    "n",
    "ne",
    "but",
    "so",
    "because",
    "when",
    "if",
    "which",
    "that",
    "who",
    "then",
    "however",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
];

/// The items of an answer written as an enumeration on one line, when it is
/// one: « Produit; Prix; Place; Promotion », « Produit, Prix, Place et
/// Promotion ». The rule: at least three items, separated by `;` (when the
/// line has one) or else by `,` (not a decimal comma), the last one possibly
/// joined by « et », « ou », « and », « or » or `&`; every item one to four
/// words, at most 40 characters, without sentence punctuation (`.`, `:`,
/// `?`, `!`) and not opening a clause (« mais », « il », « qui »…). So
/// « Oui, mais seulement en B2B » (two items, a clause) and « Quand le
/// client est satisfait, il revient, il achète » (long items, clauses) stay
/// sentences. A final full stop is ignored.
pub fn one_line_items(answer: &str) -> Option<Vec<String>> {
    let line = answer.trim();
    if line.contains('\n') {
        return None;
    }
    let line = line.strip_suffix('.').unwrap_or(line).trim_end();
    let separator = if line.contains(';') { ';' } else { ',' };
    let chars: Vec<char> = line.chars().collect();
    let mut items: Vec<String> = Vec::new();
    let mut current = String::new();
    for (idx, &c) in chars.iter().enumerate() {
        let decimal = c == ','
            && idx > 0
            && chars[idx - 1].is_ascii_digit()
            && chars.get(idx + 1).is_some_and(char::is_ascii_digit);
        if c == separator && !decimal {
            items.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    items.push(current);
    if items.len() < 2 {
        return None;
    }
    let last = items.pop().unwrap_or_default();
    match split_conjunction(&last) {
        Some((before, after)) => items.extend([before, after]),
        None => items.push(last),
    }
    let items: Vec<String> = items.iter().map(|i| i.trim().to_string()).collect();
    let is_item = |item: &String| {
        let words: Vec<&str> = item.split_whitespace().collect();
        (1..=ITEM_WORDS).contains(&words.len())
            && item.chars().count() <= ITEM_CHARS
            && !item.contains(['.', ':', '?', '!'])
            && !opens_clause(words[0])
    };
    (items.len() >= 3 && items.iter().all(is_item)).then_some(items)
}

/// `item` cut at its last « et », « ou », « and », « or » or `&`.
fn split_conjunction(item: &str) -> Option<(String, String)> {
    let words: Vec<&str> = item.split_whitespace().collect();
    let at = words
        .iter()
        .rposition(|w| matches!(w.to_lowercase().as_str(), "et" | "ou" | "and" | "or" | "&"))?;
    (at > 0 && at + 1 < words.len()).then(|| (words[..at].join(" "), words[at + 1..].join(" ")))
}

fn opens_clause(word: &str) -> bool {
    let lower = word.to_lowercase();
    let head = lower.split(['\'', '’']).next().unwrap_or("");
    CLAUSE_OPENERS.contains(&head)
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
