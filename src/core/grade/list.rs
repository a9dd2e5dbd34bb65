//! Grading a list answer: "the 3 conditions", "the 2 strategies".
//!
//! The expected items are the lines of the answer (bullets and numbers
//! stripped), or the comma-separated parts of a one-line answer; an item
//! that joins two things with "et" ("Augmenter les ventes et la
//! fidélisation") counts as two. "Term : explanation" lines are graded on
//! the term. Order does not matter and the student's own separators do not
//! either: an item is found when close to half of the weight of its own
//! words is in the answer. Its own words are those no other item has
//! ("défensive", not "stratégie"), each weighing what it says in French and
//! how specific it is to the card; words in parentheses are details, never
//! required but counted when typed.
//! k of n items is `partial` with score k/n; each extra item that matches
//! nothing costs half an item.

use super::align::align;
use super::comparison;
use super::example;
use super::lexicon;
use super::normalize::{self, Token, Word};
use super::word::{self, Match};
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
    /// Whether each word is a detail, never required: inside parentheses
    /// (an example), or in the relative clause of a long item.
    pub optional: Vec<bool>,
    /// The content words of its explanation ("Term : explanation"), one
    /// per key: never required, but an answer that gives this explanation
    /// under another item's term has swapped them.
    pub explanation: Vec<Word>,
    /// An item that compares (« plus rentable que … »): its comparative
    /// (folded), which the answer must say, and its tokens, which the
    /// answer must not turn round.
    pub comparison: Option<(String, Vec<Token>)>,
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
        let (label, explanation) = match line.split_once(':') {
            Some((l, rest)) if !normalize::content_words(l).is_empty() => (l, rest),
            _ => (line, ""),
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
                items.push(item(display(p), p));
            }
        } else {
            let mut whole = item(label.to_string(), &tokens);
            for w in normalize::content_words(explanation) {
                if !whole.explanation.iter().any(|u| u.key == w.key) {
                    whole.explanation.push(w);
                }
            }
            items.push(whole);
        }
    }
    items.retain(|i| !i.words.is_empty());
    items
}

/// Content words an item's head needs before a relative clause is a detail
/// of it, and that the clause needs to be one.
const RELATIVE_MIN_WORDS: usize = 2;

/// Where the relative clause of a long item starts: « Gérer les clients
/// mécontents *qui peuvent dénoncer la marque…* » names the item before
/// « qui » and explains it after, like "Term : explanation".
fn relative_clause(tokens: &[Token]) -> Option<usize> {
    let is_content = |t: &Token| matches!(t, Token::Word(w) if w.is_content());
    let at = tokens
        .iter()
        .position(|t| matches!(t, Token::Word(w) if matches!(w.folded.as_str(), "qui" | "dont")))?;
    let before = tokens[..at].iter().filter(|t| is_content(t)).count();
    let after = tokens[at..].iter().filter(|t| is_content(t)).count();
    (before >= RELATIVE_MIN_WORDS
        && after >= RELATIVE_MIN_WORDS
        && before + after > SHORT_ITEM_WORDS / 2)
        .then_some(at)
}

/// Where the other side of an item's comparison starts: « Un client fidèle
/// est plus rentable *que le client occasionnel* » is said in « plus
/// rentable », the side it is compared with being implied.
fn compared_with(tokens: &[Token]) -> Option<usize> {
    let is_content = |t: &Token| matches!(t, Token::Word(w) if w.is_content());
    let at = comparison::first_than(tokens)?;
    let before = tokens[..at].iter().filter(|t| is_content(t)).count();
    let after = tokens[at..].iter().filter(|t| is_content(t)).count();
    (before >= RELATIVE_MIN_WORDS && after >= 1).then_some(at)
}

/// Whether `given` has the word `folded` (a comparative: « plus », not
/// « moins »).
fn says_word(given: &[Token], folded: &str) -> bool {
    given
        .iter()
        .any(|t| matches!(t, Token::Word(w) if w.folded == folded))
}

fn item(label: String, tokens: &[Token]) -> Item {
    let mut words: Vec<Word> = Vec::new();
    let mut optional = Vec::new();
    let mut depth = 0usize;
    let relative = relative_clause(tokens).unwrap_or(tokens.len());
    let compared = compared_with(tokens);
    let relative = compared.map_or(relative, |at| at.min(relative));
    for (at, token) in tokens.iter().enumerate() {
        let detail = depth > 0 || at >= relative;
        match token {
            Token::Break('(') => depth += 1,
            Token::Break(')') => depth = depth.saturating_sub(1),
            Token::Word(w) if w.is_content() => {
                match words.iter().position(|u| u.key == w.key) {
                    // Required if it is required once.
                    Some(i) => optional[i] &= detail,
                    None => {
                        words.push(w.clone());
                        optional.push(detail);
                    }
                }
            }
            _ => {}
        }
    }
    if words.is_empty() {
        // An item made only of function words is a name of its own
        // (Freud's « le ça », « le moi »): its words, articles aside, are
        // its content.
        for token in tokens {
            if let Token::Word(w) = token
                && !normalize::is_article(&w.folded)
                && !words.iter().any(|u| u.key == w.key)
            {
                words.push(Word {
                    stop: false,
                    ..w.clone()
                });
                optional.push(false);
            }
        }
    }
    if optional.iter().all(|&o| o) {
        optional.iter_mut().for_each(|o| *o = false);
    }
    let comparison = compared.and_then(|than| {
        let comparative = tokens[..than].iter().rev().find_map(|t| match t {
            Token::Word(w) if comparison::is_comparative(&w.folded) => Some(w.folded.clone()),
            _ => None,
        })?;
        Some((comparative, tokens.to_vec()))
    });
    Item {
        label,
        words,
        optional,
        explanation: Vec::new(),
        comparison,
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

/// The words of an answer that count against `items`: its content words,
/// the function words that an item uses as its content (« moi »), and two
/// typed words run together when that is an item's word (« sur-moi » for
/// « surmoi », « data warehouse » for « datawarehouse »).
fn answer_words(given: &[Token], items: &[Item]) -> Vec<Word> {
    let expected = |folded: &str| {
        items
            .iter()
            .flat_map(|i| &i.words)
            .any(|w| w.folded == folded)
    };
    let mut out: Vec<Word> = Vec::new();
    let mut previous: Option<&Word> = None;
    for token in given {
        let Token::Word(w) = token else {
            previous = None;
            continue;
        };
        let run_together = |p: &Word| {
            items.iter().flat_map(|i| &i.words).any(|e| {
                e.folded.len() == p.folded.len() + w.folded.len()
                    && e.folded.starts_with(&p.folded)
                    && e.folded.ends_with(&w.folded)
            })
        };
        if let Some(p) = previous
            && run_together(p)
            && !(expected(&p.folded) && expected(&w.folded))
        {
            if p.is_content() || expected(&p.folded) {
                out.pop();
            }
            let joined = format!("{}{}", p.folded, w.folded);
            if let Some(word) = normalize::single_word(&joined) {
                let text = format!("{}-{}", p.text, w.text);
                out.push(Word { text, ..word });
            }
            previous = None;
            continue;
        }
        if w.is_content() || expected(&w.folded) {
            out.push(Word {
                stop: false,
                ..w.clone()
            });
        }
        previous = Some(w);
    }
    out
}

/// Explanation words of another item that make an answer's explanation
/// that item's rather than its own.
const MIN_SWAPPED_WORDS: usize = 2;

/// For each item, whether the answer explains it with another item's
/// explanation ("Technologique : l'ensemble des stratégies pour capter les
/// infos" when that is the organisational definition): the words typed
/// after an item's term, up to the next term, are compared with every
/// item's own explanation words (those no other explanation has and no
/// term uses).
fn swapped_explanations(
    items: &[Item],
    named_at: &[Option<usize>],
    given: &[Word],
    context: &DeckContext,
) -> Vec<bool> {
    let mut swapped = vec![false; items.len()];
    if items.iter().filter(|i| !i.explanation.is_empty()).count() < 2 {
        return swapped;
    }
    let own: Vec<Vec<Word>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.explanation
                .iter()
                .filter(|w| {
                    items.iter().enumerate().all(|(j, other)| {
                        !other.words.iter().any(|u| u.key == w.key)
                            && (j == i || !other.explanation.iter().any(|u| u.key == w.key))
                    })
                })
                .cloned()
                .collect()
        })
        .collect();
    let mut starts: Vec<usize> = named_at.iter().flatten().copied().collect();
    starts.sort_unstable();
    for (i, at) in named_at.iter().enumerate() {
        let Some(start) = *at else { continue };
        let end = starts
            .iter()
            .copied()
            .find(|&s| s > start)
            .unwrap_or(given.len());
        let segment = &given[start..end];
        let n_matched = |words: &[Word]| {
            align(words, segment, context, true)
                .best
                .iter()
                .filter(|m| m.is_some())
                .count()
        };
        let mine = n_matched(&own[i]);
        swapped[i] = own
            .iter()
            .enumerate()
            .any(|(j, theirs)| j != i && n_matched(theirs) >= MIN_SWAPPED_WORDS.max(mine + 1));
    }
    swapped
}

/// Separators between items, in the expected text and in answers.
fn is_item_separator(token: &Token) -> bool {
    match token {
        Token::Word(w) => matches!(w.folded.as_str(), "et" | "puis" | "ainsi" | "ou" | "and"),
        Token::Break(c) => !matches!(c, '(' | ')' | '\''),
    }
}

/// Share of an item's weight that must be found for the item to count.
const FOUND_SHARE: f32 = 0.45;

/// How much a word of an item says about that item: what it says in French
/// ([`lexicon`]'s informativeness) and how specific it is to this card in
/// the deck.
fn word_weight(word: &Word, context: &DeckContext) -> f32 {
    lexicon::get().informativeness(word).max(super::MIN_WEIGHT) * context.specificity(&word.key)
}

/// Whether a question asks for its items in an order (« du moins mature
/// au plus engagé », « dans l'ordre chronologique », « classez »).
pub(crate) fn asks_for_order(question: &str) -> bool {
    let folded = normalize::fold(question);
    let words: Vec<&str> = folded.split(' ').collect();
    let pair = |a: &str, b: &[&str]| words.windows(2).any(|w| w[0] == a && b.contains(&w[1]));
    words.iter().any(|w| {
        matches!(
            *w,
            "ordre" | "classez" | "classer" | "ordonnez" | "ordonner" | "rangez" | "order" | "rank"
        )
    }) || (pair("du", &["plus", "moins", "premier"]) && pair("au", &["plus", "moins", "dernier"]))
}

/// Grade a list answer against one expected `text` (a list of fewer than
/// two items is graded as a term); `ordered`: the question asks for the
/// items in their order.
pub(crate) fn grade(text: &str, given: &[Token], context: &DeckContext, ordered: bool) -> Outcome {
    let items = items(text);
    if items.len() < 2 {
        super::term::grade(&super::Asked::text(text), given, context)
    } else {
        grade_items(
            &items,
            &normalize::content_words(text),
            given,
            context,
            ordered,
        )
    }
}

/// Grade against `items`; `all_words` are every content word of the expected
/// text (headers and explanations included), which are never extra.
fn grade_items(
    items: &[Item],
    all_words: &[Word],
    given: &[Token],
    context: &DeckContext,
    ordered: bool,
) -> Outcome {
    let given_words = answer_words(given, items);
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
    // For each item: where the answer names it (its first own word typed),
    // or None when it is not found, and the typos found on its words.
    let mut named_at: Vec<Option<usize>> = Vec::new();
    let mut typos: Vec<Vec<Correction>> = Vec::new();
    for item in items {
        let mut weight_total = 0.0;
        let mut weight_matched = 0.0;
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
        // A word that several items share tells them apart from nothing
        // ("stratégie" in "Stratégie offensive" and "Stratégie défensive"):
        // the item is judged on its own words when it has some.
        let has_own = item.words.iter().any(|w| n_items_with(&w.key) == 1);
        let mut first_typed: Option<usize> = None;
        for ((w, m), optional) in item.words.iter().zip(best).zip(&item.optional) {
            if has_own && n_items_with(&w.key) > 1 {
                continue;
            }
            if let Some((_, gi)) = m {
                first_typed = Some(first_typed.map_or(*gi, |f| f.min(*gi)));
            }
            let weight = word_weight(w, context);
            if *optional {
                // A detail typed counts for the item; one left out costs
                // nothing.
                if let Some((m, _)) = m {
                    weight_matched += weight * m.strength();
                }
                continue;
            }
            weight_total += weight;
            if let Some((m, gi)) = m {
                weight_matched += weight * m.strength();
                if *m == Match::Typo {
                    item_corrections.extend(word::correction(w, &given_words[*gi]));
                }
            }
        }
        let is_found = weight_total > 0.0
            && weight_matched >= FOUND_SHARE * weight_total
            && item
                .comparison
                .as_ref()
                .is_none_or(|(comparative, tokens)| {
                    says_word(given, comparative) && !comparison::reversed(tokens, given, context)
                });
        named_at.push(first_typed.filter(|_| is_found));
        typos.push(item_corrections);
    }
    let swapped = swapped_explanations(items, &named_at, &given_words, context);
    for (((item, at), item_typos), swapped) in items.iter().zip(&named_at).zip(typos).zip(swapped) {
        if at.is_some() && !swapped {
            found.push(item.label.clone());
            for c in item_typos {
                if !corrections.contains(&c) {
                    corrections.push(c);
                }
            }
        } else {
            missing.push(item.label.clone());
        }
    }
    // Extra items: parts of the answer that match no expected word at all.
    // Every expected word, the items' promoted function words included.
    let all_words: Vec<Word> = all_words.iter().chain(&every_word).cloned().collect();
    let mut extra = Vec::new();
    let example = example::in_example(given);
    let mut n_content = 0;
    let main: Vec<Token> = given
        .iter()
        .filter(|t| match t {
            Token::Word(w) if w.is_content() => {
                n_content += 1;
                !example[n_content - 1]
            }
            _ => true,
        })
        .cloned()
        .collect();
    for part in main.split(is_item_separator) {
        let words = answer_words(part, items);
        if words
            .iter()
            .all(|w| normalize::is_generic(&w.key) && !w.is_negation())
        {
            continue;
        }
        let matches_something = align(&all_words, &words, context, false)
            .used
            .iter()
            .any(|&u| u);
        if !matches_something {
            extra.push(display(part));
        }
    }
    // Asked in an order, an item counts where it keeps that order.
    let n_named = named_at.iter().flatten().count();
    let n_in_order = longest_rising(named_at.iter().flatten().copied());
    let out_of_order = ordered && n_in_order < n_named;
    let n = items.len() as f32;
    let k = (found.len()
        - if out_of_order {
            n_named - n_in_order
        } else {
            0
        }) as f32;
    let (verdict, score) = if found.len() == items.len() && extra.is_empty() && !out_of_order {
        right(&corrections)
    } else {
        let score = (k - EXTRA_ITEM_COST * extra.len() as f32) / n;
        if found.is_empty() || score <= 0.0 {
            (Verdict::Wrong, 0.0)
        } else {
            (Verdict::Partial, score)
        }
    };
    let mut outcome = Outcome::graded((verdict, score), found, missing, extra, corrections);
    outcome.findings.out_of_order = out_of_order;
    outcome
}

/// The length of the longest rising run (not necessarily adjacent) of
/// `positions`: how many items keep their order.
fn longest_rising(positions: impl Iterator<Item = usize>) -> usize {
    let positions: Vec<usize> = positions.collect();
    let mut best = vec![1; positions.len()];
    for i in 0..positions.len() {
        for j in 0..i {
            if positions[j] < positions[i] {
                best[i] = best[i].max(best[j] + 1);
            }
        }
    }
    best.into_iter().max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_question_asks_for_an_order_in_so_many_words() {
        for (question, ordered) in [
            (
                "Quels sont les stades, du moins mature au plus engagé ?",
                true,
            ),
            ("Classez ces planètes du plus petit au plus grand.", true),
            ("Dans quel ordre se déroulent les étapes ?", true),
            ("Quels sont les 4 moments de la relation ?", false),
            ("Quelles sont les classes sociales ?", false),
            ("Citez du plus important des canaux.", false),
        ] {
            assert_eq!(super::asks_for_order(question), ordered, "{question}");
        }
    }
}
