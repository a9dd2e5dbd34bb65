//! The notes of an Anki package (`.apkg`), read by the shell
//! ([`crate::deck_io`]) into a [`Collection`]: each note with its note
//! type, its deck and its cards.
//!
//! A note type says which fields a card shows: a standard one (Basic,
//! Basic and reversed…) asks the first field its first template shows and
//! answers with the first other field its answer side shows; a template
//! whose question shows the answer field and not the question field is a
//! reversed card, so the rappel card gets `reverse = true`. A cloze note
//! type makes one card per cloze number ([`super::cloze`]). Without its note
//! type (an older or hand-made package), a note whose first field holds a
//! deletion is a cloze note, any other reads its first two fields.

use std::collections::{BTreeSet, HashMap};

use super::{Record, Report, cloze, html};
use crate::core::deck::CardKind;

/// What the shell reads from a package.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collection {
    /// In creation order; a note's rank (from 1) is its `line` in messages.
    pub notes: Vec<Note>,
    /// By id (a note's `note_type`).
    pub note_types: HashMap<i64, NoteType>,
}

/// A note: its raw `flds` (fields separated by `\x1f`, HTML), its
/// space-separated `tags` and its cards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Note {
    pub fields: String,
    pub tags: String,
    /// Its note type's id (`mid`).
    pub note_type: i64,
    /// In template order.
    pub cards: Vec<NoteCard>,
}

/// A card of a note as the package files it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteCard {
    /// The template it comes from (`ord`).
    pub template: u32,
    /// The full name of its deck (`Parent::Child`), if known.
    pub deck: Option<String>,
}

impl Note {
    /// The deck a note is filed under: its first card's.
    fn deck(&self) -> Option<&str> {
        self.cards.first().and_then(|c| c.deck.as_deref())
    }
}

/// A note type: cloze or standard, its field names and its templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteType {
    pub cloze: bool,
    pub fields: Vec<String>,
    pub templates: Vec<Template>,
}

/// A card template: the question side and the answer side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Template {
    pub question: String,
    pub answer: String,
}

/// Which fields of a note make its cards.
#[derive(Debug, Clone, PartialEq)]
enum Layout {
    Standard {
        question: usize,
        answer: usize,
        /// Templates asking the answer field: reversed cards.
        reversed: Vec<u32>,
        /// Other fields a template shows: dropped, with a warning.
        others: Vec<usize>,
    },
    Cloze {
        text: usize,
    },
    /// Unknown note type: decided by the note's content.
    Guess,
}

/// Special fields a template may show that are not note fields.
const SPECIAL: &[&str] = &[
    "FrontSide",
    "Tags",
    "Type",
    "Deck",
    "Subdeck",
    "Card",
    "CardFlag",
    "CardID",
];

/// The fields a template side references, in order: `{{Field}}` and
/// `{{filter:Field}}`, as `(filters, name)`. Conditionals (`{{#F}}`,
/// `{{^F}}`, `{{/F}}`), comments and special fields are left out.
fn references(side: &str) -> Vec<(Vec<&str>, &str)> {
    let mut found = Vec::new();
    let mut rest = side;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim();
        rest = &after[end + 2..];
        if inner.starts_with(['#', '^', '/', '!']) {
            continue;
        }
        let mut parts: Vec<&str> = inner.split(':').map(str::trim).collect();
        let name = parts.pop().unwrap_or("");
        if !name.is_empty() && !SPECIAL.contains(&name) {
            found.push((parts, name));
        }
    }
    found
}

/// Indexes of the fields a side shows (a `type:` input shows nothing).
fn shown(side: &str, fields: &[String]) -> Vec<usize> {
    let mut out = Vec::new();
    for (filters, name) in references(side) {
        if filters.contains(&"type") {
            continue;
        }
        if let Some(idx) = fields.iter().position(|f| f == name)
            && !out.contains(&idx)
        {
            out.push(idx);
        }
    }
    out
}

impl NoteType {
    fn layout(&self) -> Layout {
        let Some(first) = self.templates.first() else {
            return Layout::Guess;
        };
        if self.cloze {
            let text = references(&first.question)
                .into_iter()
                .find(|(filters, _)| filters.contains(&"cloze"))
                .and_then(|(_, name)| self.fields.iter().position(|f| f == name))
                .unwrap_or(0);
            return Layout::Cloze { text };
        }
        let asked = shown(&first.question, &self.fields);
        let question = asked.first().copied().unwrap_or(0);
        let answer = shown(&first.answer, &self.fields)
            .into_iter()
            .find(|idx| !asked.contains(idx))
            .unwrap_or(if question == 0 { 1 } else { 0 });
        let mut reversed = Vec::new();
        let mut others = BTreeSet::new();
        for (ord, template) in (0..).zip(&self.templates) {
            let asks = shown(&template.question, &self.fields);
            if asks.contains(&answer) && !asks.contains(&question) {
                reversed.push(ord);
            }
            others.extend(asks);
            others.extend(shown(&template.answer, &self.fields));
        }
        others.remove(&question);
        others.remove(&answer);
        Layout::Standard {
            question,
            answer,
            reversed,
            others: others.into_iter().collect(),
        }
    }
}

/// Whether an HTML field shows an image, a sound or a video.
fn has_media(field: &str) -> bool {
    let lower = field.to_lowercase();
    ["<img", "[sound:", "<audio", "<video"]
        .iter()
        .any(|needle| lower.contains(needle))
}

/// Records from the notes of a collection; `line` is the note's rank. When
/// the notes come from several decks, each card is tagged with its deck's
/// full name.
pub(crate) fn records(collection: &Collection, report: &mut Report) -> Vec<Record> {
    let layouts: HashMap<i64, Layout> = collection
        .note_types
        .iter()
        .map(|(&id, note_type)| (id, note_type.layout()))
        .collect();
    let decks: BTreeSet<&str> = collection.notes.iter().filter_map(Note::deck).collect();
    let tag_decks = decks.len() > 1;
    let mut records = Vec::with_capacity(collection.notes.len());
    let mut extra_fields = Vec::new();
    let mut media = Vec::new();
    for (idx, note) in collection.notes.iter().enumerate() {
        let line = idx + 1;
        let fields: Vec<&str> = note.fields.split('\x1f').collect();
        let field = |idx: usize| fields.get(idx).copied().unwrap_or("");
        let mut tags: Vec<String> = note.tags.split_whitespace().map(str::to_string).collect();
        if let Some(deck) = note.deck().filter(|_| tag_decks) {
            tags.push(deck.to_string());
        }
        let layout = layouts.get(&note.note_type).unwrap_or(&Layout::Guess);
        let layout = match layout {
            Layout::Guess if cloze::has_cloze(field(0)) => &Layout::Cloze { text: 0 },
            Layout::Guess => &Layout::Standard {
                question: 0,
                answer: 1,
                reversed: Vec::new(),
                others: (2..fields.len()).collect(),
            },
            known => known,
        };
        match layout {
            Layout::Cloze { text } => {
                if has_media(field(*text)) {
                    media.push(line);
                }
                records.extend(cloze_records(
                    field(*text),
                    line,
                    &tags,
                    html::to_text,
                    report,
                ));
            }
            Layout::Standard {
                question,
                answer,
                reversed,
                others,
            } => {
                if others
                    .iter()
                    .any(|&idx| !html::to_text(field(idx)).trim().is_empty())
                {
                    extra_fields.push(line);
                }
                let (question, answer) = (field(*question), field(*answer));
                if has_media(question) || has_media(answer) {
                    media.push(line);
                }
                let record = Record {
                    line,
                    question: html::to_text(question),
                    answer: html::to_text(answer),
                    reverse: note
                        .cards
                        .iter()
                        .any(|c| reversed.contains(&c.template))
                        .then_some(true),
                    tags: tags.clone(),
                    ..Record::default()
                };
                let media_only = [
                    ("question", question, &record.question),
                    ("answer", answer, &record.answer),
                ]
                .into_iter()
                .find(|(_, raw, text)| text.trim().is_empty() && has_media(raw));
                match media_only {
                    Some((what, _, _)) => report.skip(
                        line,
                        format!(
                            "the {what} is only an image or a sound, and media are not imported: \
                             skipped"
                        ),
                    ),
                    None => records.push(record),
                }
            }
            Layout::Guess => unreachable!("resolved above"),
        }
    }
    if let Some(&first) = extra_fields.first() {
        report.warn(
            first,
            format!(
                "{} note(s) have more fields than a question and an answer: only those two are \
                 imported",
                extra_fields.len()
            ),
        );
    }
    if let Some(&first) = media.first() {
        report.warn(
            first,
            format!(
                "{} note(s) show images or sounds, which are not imported: their cards keep the \
                 text only",
                media.len()
            ),
        );
    }
    records
}

/// The records of a cloze field: one per cloze number, its deletions hidden
/// in the question and their text as the answer (a list when there are
/// several different ones). `to_text` reads the field (HTML or not).
pub(crate) fn cloze_records(
    field: &str,
    line: usize,
    tags: &[String],
    to_text: fn(&str) -> String,
    report: &mut Report,
) -> Vec<Record> {
    let cards = cloze::cards(field);
    if cards.is_empty() {
        report.skip(line, "cloze note without any deletion {{c1::…}}: skipped");
    }
    cards
        .into_iter()
        .map(|card| {
            let mut items: Vec<String> = Vec::new();
            for answer in &card.answers {
                let item = to_text(answer);
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            if items.len() >= 2 {
                // One deletion, one item: line breaks inside one are spaces.
                for item in &mut items {
                    *item = item.split_whitespace().collect::<Vec<_>>().join(" ");
                }
            }
            Record {
                line,
                question: to_text(&card.question),
                kind: (items.len() >= 2).then_some(CardKind::List),
                answer: items.join("\n"),
                reverse: Some(false),
                tags: tags.to_vec(),
                ..Record::default()
            }
        })
        .collect()
}
