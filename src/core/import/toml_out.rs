//! Writes a deck as a TOML deck file that [`crate::core::deck::parse`] reads
//! back to the same deck.
//!
//! Written by hand rather than with a serializer so the file looks like the
//! hand-written decks (one `[[cards]]` table per card, multi-line answers as
//! `"""` blocks, default fields left out) and stays pleasant to edit.

use std::fmt::Write;

use crate::core::deck::Deck;

/// The TOML text of a deck, opening with a comment telling the reader that
/// kinds and directions were guessed.
pub fn to_toml(deck: &Deck) -> String {
    let mut out = String::new();
    out.push_str(
        "# Imported by `rappel decks import`. Each card's `kind` (term, list,\n\
         # definition) and `reverse` were guessed: check them, and add `accept`\n\
         # answers where useful. Card ids can be edited until someone studies.\n\n",
    );
    out.push_str("[deck]\n");
    line(&mut out, "id", &basic(deck.id.as_str()));
    line(&mut out, "title", &basic(&deck.title));
    line(&mut out, "language", &basic(&deck.language));
    if let Some(source) = &deck.source {
        line(&mut out, "source", &basic(source));
    }
    for card in &deck.cards {
        out.push_str("\n[[cards]]\n");
        line(&mut out, "id", &basic(card.id.as_str()));
        line(&mut out, "question", &string(&card.question));
        line(&mut out, "answer", &string(&card.answer));
        line(&mut out, "kind", &basic(card.kind.as_str()));
        if card.reverse {
            line(&mut out, "reverse", "true");
        }
        if !card.accept.is_empty() {
            line(&mut out, "accept", &array(&card.accept));
        }
        if !card.tags.is_empty() {
            line(&mut out, "tags", &array(&card.tags));
        }
    }
    out
}

fn line(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {value}");
}

fn array(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| basic(s)).collect();
    format!("[{}]", items.join(", "))
}

/// A multi-line `"""` string when the text has line breaks, else a basic
/// string. The closing quotes follow the last character, so no trailing
/// newline is added to the value.
fn string(text: &str) -> String {
    if text.contains('\n') {
        format!("\"\"\"\n{}\"\"\"", escape(text, true))
    } else {
        basic(text)
    }
}

fn basic(text: &str) -> String {
    format!("\"{}\"", escape(text, false))
}

/// Escapes for a basic (or, with `multi_line`, multi-line basic) string:
/// backslashes, every quote (so `"""` can never close the string early) and
/// control characters; newlines stay literal in a multi-line string.
fn escape(text: &str, multi_line: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' if multi_line => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}
