//! Anki cloze deletions: `{{c1::texte}}`, `{{c1::texte::indice}}`, nested
//! ones included (`{{c1::Paris, {{c2::France}}}}`).
//!
//! Anki makes one card per cloze number: its question is the text with
//! that number's deletions hidden (« […] », or « [indice] » when the
//! deletion has a hint) and every other deletion shown as its text; its
//! answer is the hidden text. rappel does the same, and several deletions
//! with the same number make a list answer, one item per deletion. Written
//! after Anki's own `rslib/src/cloze.rs`: the hint is what follows the
//! first `::` of a deletion, and a marker left open is plain text.

use std::collections::BTreeSet;

/// What a hidden deletion shows in a question without a hint.
pub(crate) const BLANK: &str = "[…]";

/// A piece of a field: text, or a deletion with its number, its content and
/// its optional hint.
#[derive(Debug, Clone, PartialEq)]
enum Node<'a> {
    Text(&'a str),
    Cloze {
        number: u32,
        content: Vec<Node<'a>>,
        hint: Option<Vec<Node<'a>>>,
    },
}

/// A deletion being read: where it starts, its number, what it holds so far.
struct Open<'a> {
    start: usize,
    number: u32,
    content: Vec<Node<'a>>,
    hint: Option<Vec<Node<'a>>>,
}

impl<'a> Open<'a> {
    fn nodes(&mut self) -> &mut Vec<Node<'a>> {
        self.hint.as_mut().unwrap_or(&mut self.content)
    }
}

/// The opening marker at the start of `rest` (`{{c12::`): its number and
/// length.
fn opening(rest: &str) -> Option<(u32, usize)> {
    let after = rest.strip_prefix("{{c")?;
    let digits = after.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || !after[digits..].starts_with("::") {
        return None;
    }
    let number = after[..digits].parse().ok()?;
    Some((number, 3 + digits + 2))
}

/// Reads a field into text and deletions. Never fails: what is not a well
/// formed deletion is text.
fn parse(field: &str) -> Vec<Node<'_>> {
    let mut root: Vec<Node<'_>> = Vec::new();
    let mut open: Vec<Open<'_>> = Vec::new();
    let mut text_start = 0;
    let mut idx = 0;
    while idx < field.len() {
        let rest = &field[idx..];
        let marker = if let Some((number, len)) = opening(rest) {
            Some((Token::Open(number), len))
        } else if !open.is_empty() && rest.starts_with("}}") {
            Some((Token::Close, 2))
        } else if open.last().is_some_and(|f| f.hint.is_none()) && rest.starts_with("::") {
            Some((Token::Hint, 2))
        } else {
            None
        };
        let Some((token, len)) = marker else {
            idx += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        if text_start < idx {
            let text = Node::Text(&field[text_start..idx]);
            match open.last_mut() {
                Some(frame) => frame.nodes().push(text),
                None => root.push(text),
            }
        }
        match token {
            Token::Open(number) => open.push(Open {
                start: idx,
                number,
                content: Vec::new(),
                hint: None,
            }),
            Token::Hint => {
                if let Some(frame) = open.last_mut() {
                    frame.hint = Some(Vec::new());
                }
            }
            Token::Close => {
                if let Some(frame) = open.pop() {
                    let node = Node::Cloze {
                        number: frame.number,
                        content: frame.content,
                        hint: frame.hint,
                    };
                    match open.last_mut() {
                        Some(outer) => outer.nodes().push(node),
                        None => root.push(node),
                    }
                }
            }
        }
        idx += len;
        text_start = idx;
    }
    match open.first() {
        // A deletion left open: from its marker on, everything is text.
        Some(outermost) => root.push(Node::Text(&field[outermost.start..])),
        None if text_start < field.len() => root.push(Node::Text(&field[text_start..])),
        None => {}
    }
    root
}

enum Token {
    Open(u32),
    Hint,
    Close,
}

/// The cloze numbers of a field, in increasing order.
fn numbers(nodes: &[Node<'_>], found: &mut BTreeSet<u32>) {
    for node in nodes {
        if let Node::Cloze {
            number, content, ..
        } = node
        {
            found.insert(*number);
            numbers(content, found);
        }
    }
}

/// The text of `nodes` with the deletions numbered `hidden` hidden and the
/// others shown (`hidden` 0 shows them all).
fn render(nodes: &[Node<'_>], hidden: u32, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Cloze {
                number,
                content,
                hint,
            } if *number == hidden => match hint {
                Some(hint) => {
                    out.push('[');
                    render(hint, 0, out);
                    out.push(']');
                }
                None => out.push_str(BLANK),
            },
            Node::Cloze { content, .. } => render(content, hidden, out),
        }
    }
}

/// The contents of the deletions numbered `number`, every deletion shown,
/// in order (a deletion inside one of them is part of its text).
fn hidden_texts(nodes: &[Node<'_>], number: u32, out: &mut Vec<String>) {
    for node in nodes {
        if let Node::Cloze {
            number: n, content, ..
        } = node
        {
            if *n == number {
                let mut text = String::new();
                render(content, 0, &mut text);
                out.push(text);
            } else {
                hidden_texts(content, number, out);
            }
        }
    }
}

/// One card of a cloze field: the question (HTML, as the field) and the
/// hidden texts, one per deletion of its number.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ClozeCard {
    pub(crate) number: u32,
    pub(crate) question: String,
    pub(crate) answers: Vec<String>,
}

/// Whether a field holds at least one deletion.
pub(crate) fn has_cloze(field: &str) -> bool {
    parse(field).iter().any(|n| matches!(n, Node::Cloze { .. }))
}

/// The cards of a cloze field, one per cloze number in increasing order;
/// empty when it holds no deletion.
pub(crate) fn cards(field: &str) -> Vec<ClozeCard> {
    let nodes = parse(field);
    let mut found = BTreeSet::new();
    numbers(&nodes, &mut found);
    found
        .into_iter()
        .map(|number| {
            let mut question = String::new();
            render(&nodes, number, &mut question);
            let mut answers = Vec::new();
            hidden_texts(&nodes, number, &mut answers);
            ClozeCard {
                number,
                question,
                answers,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(field: &str, expected: &[(u32, &str, &[&str])]) {
        let found: Vec<(u32, String, Vec<String>)> = cards(field)
            .into_iter()
            .map(|c| (c.number, c.question, c.answers))
            .collect();
        let expected: Vec<(u32, String, Vec<String>)> = expected
            .iter()
            .map(|(n, q, a)| (*n, q.to_string(), a.iter().map(|s| s.to_string()).collect()))
            .collect();
        assert_eq!(found, expected, "for {field:?}");
    }

    #[test]
    fn one_card_per_number() {
        // The other numbers' deletions are shown, with their hint if any.
        check(
            "{{c1::Paris}} est la capitale de la {{c2::France::pays}}",
            &[
                (1, "[…] est la capitale de la France", &["Paris"]),
                (2, "Paris est la capitale de la [pays]", &["France"]),
            ],
        );
        // The same number twice is two items of one card.
        check(
            "Les 4P : {{c1::Produit}}, {{c1::Prix}}, {{c2::Place}}",
            &[
                (1, "Les 4P : […], […], Place", &["Produit", "Prix"]),
                (2, "Les 4P : Produit, Prix, […]", &["Place"]),
            ],
        );
        // A deletion inside another one.
        check(
            "{{c1::Paris, capitale de la {{c2::France}}}}",
            &[
                (1, "[…]", &["Paris, capitale de la France"]),
                (2, "Paris, capitale de la […]", &["France"]),
            ],
        );
    }

    #[test]
    fn malformed_markers_are_text() {
        check("pas de {{c1 ici}} ni {{cx::y}}", &[]);
        check("{{c1::ouvert et {{c2::fermé}}", &[]);
        check("a :: b }} {{c1::c}}", &[(1, "a :: b }} […]", &["c"])]);
        assert!(!has_cloze("{{c1::jamais fermé"));
    }
}
