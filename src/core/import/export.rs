//! Exports a deck as CSV or TSV, the format the CSV importer reads: a header
//! `question,answer,kind,accept,tags,reverse,id`, list items joined with line
//! breaks inside one quoted field, `accept` answers joined with `|`, tags
//! with spaces (or `|` when a tag has a space). `reverse` and `id` come last
//! so that an export imports back to the same cards, progress ids included.

use crate::core::deck::Deck;

/// The header row of an export.
pub const COLUMNS: [&str; 7] = [
    "question", "answer", "kind", "accept", "tags", "reverse", "id",
];

/// The deck as CSV (`delimiter` `b','`) or TSV (`b'\t'`), fields quoted when
/// they hold the delimiter, a quote or a line break.
pub fn to_table(deck: &Deck, delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    writer.write_record(COLUMNS).expect("write to memory");
    for card in &deck.cards {
        let tags = if card.tags.iter().any(|t| t.contains(char::is_whitespace)) {
            card.tags.join("|")
        } else {
            card.tags.join(" ")
        };
        writer
            .write_record([
                card.question.as_str(),
                card.answer.as_str(),
                card.kind.as_str(),
                &card.accept.join("|"),
                &tags,
                if card.reverse { "true" } else { "false" },
                card.id.as_str(),
            ])
            .expect("write to memory");
    }
    let bytes = writer.into_inner().expect("flush to memory");
    String::from_utf8(bytes).expect("the csv writer keeps UTF-8")
}
