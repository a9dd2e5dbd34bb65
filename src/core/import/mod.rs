//! Importers: turn flashcards exported by other tools (Quizlet, Anki, a
//! spreadsheet) into rappel cards, and export a deck back to a spreadsheet.
//!
//! Everything here is pure: bytes in, cards out. The CLI (`decks import`)
//! and, later, the Discord `/decks upload` command do the reading and
//! writing, so both share the same parsing, guesses, limits and messages.
//! An Anki package (`.apkg`) is a zipped SQLite file: opening it is I/O, so
//! the shell ([`crate::deck_io`]) extracts its notes and hands them to
//! [`import_notes`].
//!
//! Every format goes through the same pipeline: a format parser yields
//! [`Record`]s (raw question/answer pairs with their line), then [`build`]
//! cleans them, skips the unusable ones, checks the [`ImportLimits`],
//! guesses the kind and direction, and gives each card a unique slug id.
//!
//! An import keeps what is valid: a row that cannot become a card (no
//! answer, a repeated question, a question over the limit, an unreadable
//! row) is listed in [`ImportedDeck::skipped`] with its line and reason,
//! and the others are imported. With [`ImportOptions::strict`], an invalid
//! row (over a limit, unreadable) is an error and nothing is imported.
//! Problems with the whole file (its size, its encoding, its header, too
//! many cards) are always errors; changes made to a row (a kind guessed, an
//! id made) are warnings. All name the file and the line.

mod anki;
mod apkg;
mod cloze;
pub mod export;
mod html;
mod infer;
mod quizlet;
mod table;
mod text;
mod toml_out;

use std::collections::HashMap;
use std::fmt;

use crate::core::deck::{self, Card, CardId, CardKind, Deck, DeckId, Problem};

pub use apkg::{Collection, Note, NoteCard, NoteType, Template};
pub use infer::{guess_kind, guess_reverse, one_line_items, slug};
pub use toml_out::to_toml;

/// The deck an import makes, and its TOML text checked to read back
/// through [`deck::parse`] (`name` names the text in problems; a problem is
/// a bug in [`to_toml`]). The one path from imported cards to a deck file:
/// `rappel decks import` writes this text and `/decks upload` stores it.
pub fn to_deck(
    id: DeckId,
    title: &str,
    language: &str,
    source: Option<String>,
    cards: Vec<Card>,
    name: &str,
) -> Result<(Deck, String), Vec<Problem>> {
    let deck = Deck {
        id,
        title: title.trim().to_string(),
        language: language.to_string(),
        source,
        cards,
    };
    let text = to_toml(&deck);
    deck::parse(name, &text)?;
    Ok((deck, text))
}

/// The input formats rappel reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Quizlet's export: term, separator, definition; one card per row.
    Quizlet,
    /// Anki's "Notes in Plain Text" export, HTML and `#` headers included.
    AnkiTxt,
    /// A spreadsheet saved as CSV (or TSV) with a header row.
    Csv,
    /// An Anki package: a zip holding a SQLite collection.
    Apkg,
}

impl Format {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "quizlet" => Some(Self::Quizlet),
            "anki-txt" => Some(Self::AnkiTxt),
            "csv" | "tsv" => Some(Self::Csv),
            "apkg" => Some(Self::Apkg),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quizlet => "quizlet",
            Self::AnkiTxt => "anki-txt",
            Self::Csv => "csv",
            Self::Apkg => "apkg",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Size limits of an import, shared by the CLI and the Discord upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    pub max_bytes: usize,
    pub max_cards: usize,
    pub max_question_chars: usize,
    pub max_answer_chars: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_bytes: 2 * 1024 * 1024,
            max_cards: 5000,
            max_question_chars: 400,
            max_answer_chars: 4000,
        }
    }
}

/// How to read the input. `Default` is "guess everything".
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// `None`: detect it from the file name and the content.
    pub format: Option<Format>,
    /// Quizlet: between term and definition (default: a tab).
    pub term_sep: Option<String>,
    /// Quizlet: between rows (default: a newline).
    pub row_sep: Option<String>,
    /// CSV, and Anki text without a `#separator:` header: the field
    /// delimiter (default: detected from the header row, or a tab for Anki).
    pub separator: Option<char>,
    pub limits: ImportLimits,
    /// All or nothing: an invalid row (over a limit, unreadable) refuses
    /// the whole import instead of being skipped.
    pub strict: bool,
}

/// One card as a format parser found it, before cleaning and guessing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// 1-based line where the row starts (for `.apkg`: the note's rank).
    pub line: usize,
    pub question: String,
    pub answer: String,
    /// Set when the input says it (a CSV `kind` column); guessed otherwise.
    pub kind: Option<CardKind>,
    pub reverse: Option<bool>,
    pub accept: Vec<String>,
    pub tags: Vec<String>,
    /// A card id the input asks for (a CSV `id` column).
    pub id: Option<String>,
}

/// The result of an import: valid cards, ready to become a deck, the rows
/// that were skipped and those that were changed, each with its line.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedDeck {
    pub format: Format,
    pub cards: Vec<Card>,
    /// Rows that did not become a card, with the reason.
    pub skipped: Vec<Problem>,
    /// Rows imported with a change, and remarks on the whole file.
    pub warnings: Vec<Problem>,
    /// How a CSV/TSV file's columns were read; `None` for other formats.
    pub columns: Option<Columns>,
}

/// How the columns of a CSV/TSV file were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// Its first row names them (`question`, `answer`, …).
    Named,
    /// It has no header row: the first column is the question, the second
    /// the answer.
    Assumed,
}

/// Collects warnings and errors for one input file.
#[derive(Debug)]
pub(crate) struct Report {
    file: String,
    strict: bool,
    pub(crate) skipped: Vec<Problem>,
    pub(crate) warnings: Vec<Problem>,
    pub(crate) errors: Vec<Problem>,
}

impl Report {
    pub(crate) fn new(file: &str, strict: bool) -> Self {
        Self {
            file: file.to_string(),
            strict,
            skipped: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// A row that does not become a card, whatever the mode (no answer, a
    /// repeated question).
    pub(crate) fn skip(&mut self, line: usize, message: impl Into<String>) {
        self.skipped.push(self.problem(line, message));
    }

    /// An invalid row (over a limit, unreadable): skipped, or an error in
    /// strict mode.
    pub(crate) fn invalid(&mut self, line: usize, message: impl Into<String>) {
        if self.strict {
            self.error(line, message);
        } else {
            self.skip(line, message);
        }
    }

    pub(crate) fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(self.problem(line, message));
    }

    pub(crate) fn error(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(self.problem(line, message));
    }

    fn problem(&self, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            file: self.file.clone(),
            line,
            message: message.into(),
        }
    }
}

/// Guesses the format of a text or package from its file name and content.
/// `None` when nothing fits; the caller should then ask for `--format`.
pub fn detect(file: &str, bytes: &[u8]) -> Option<Format> {
    let lower = file.to_lowercase();
    if lower.ends_with(".apkg") || bytes.starts_with(b"PK\x03\x04") {
        return Some(Format::Apkg);
    }
    let text = match text::decode(bytes) {
        Ok(text) => text,
        // Let the chosen parser report the encoding problem with its line.
        Err(_) => return lower.ends_with(".csv").then_some(Format::Csv),
    };
    if anki::has_header(&text) {
        return Some(Format::AnkiTxt);
    }
    if table::has_header(&text, None) || lower.ends_with(".csv") || lower.ends_with(".tsv") {
        return Some(Format::Csv);
    }
    if text.contains('\t') {
        // Anki's older plain-text export has no `#` header but keeps HTML.
        if html::looks_like_anki(&text) {
            return Some(Format::AnkiTxt);
        }
        return Some(Format::Quizlet);
    }
    None
}

/// Imports a text export (Quizlet, Anki plain text or CSV). `file` names the
/// input in messages. An `.apkg` must go through the shell, which extracts
/// its notes for [`import_notes`].
pub fn import(
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<ImportedDeck, Vec<Problem>> {
    let mut report = Report::new(file, options.strict);
    if bytes.len() > options.limits.max_bytes {
        report.error(
            0,
            format!(
                "file is too big: {} bytes, at most {} allowed",
                bytes.len(),
                options.limits.max_bytes
            ),
        );
        return Err(report.errors);
    }
    let format = match options.format {
        Some(format) => format,
        None if options.term_sep.is_some() || options.row_sep.is_some() => Format::Quizlet,
        None => match detect(file, bytes) {
            Some(format) => format,
            // Not UTF-8: any text parser reports that, with the line.
            None if text::decode(bytes).is_err() => Format::Quizlet,
            None => {
                report.error(
                    1,
                    "cannot tell the format: no tab, no CSV header (question, answer), not named \
                     .csv or .tsv and no Anki `#separator:` header; pass --format quizlet|anki-txt|csv \
                     (and --term-sep for a Quizlet export with another separator)",
                );
                return Err(report.errors);
            }
        },
    };
    if format == Format::Apkg {
        report.error(
            0,
            "an Anki package (.apkg) is a zip file: open it with deck_io::import_bytes",
        );
        return Err(report.errors);
    }
    let text = match text::decode(bytes) {
        Ok(text) => text,
        Err(line) => {
            report.error(
                line,
                "not UTF-8 text: save the file as UTF-8 (\"CSV UTF-8\" in a spreadsheet)",
            );
            return Err(report.errors);
        }
    };
    let mut columns = None;
    let records = match format {
        Format::Quizlet => quizlet::parse(
            &text,
            options.term_sep.as_deref().unwrap_or("\t"),
            options.row_sep.as_deref().unwrap_or("\n"),
            &mut report,
        ),
        Format::AnkiTxt => anki::parse(&text, options.separator, &mut report),
        Format::Csv => {
            let (records, read) = table::parse(&text, options.separator, &mut report);
            columns = Some(read);
            records
        }
        Format::Apkg => unreachable!("handled above"),
    };
    finish(format, records, columns, &options.limits, report)
}

/// Imports the notes of an Anki collection as their note types say (see
/// [`Collection`]). `line` in messages is the note's rank in the
/// collection (1-based).
pub fn import_notes(
    file: &str,
    collection: &Collection,
    options: &ImportOptions,
) -> Result<ImportedDeck, Vec<Problem>> {
    let mut report = Report::new(file, options.strict);
    let records = apkg::records(collection, &mut report);
    finish(Format::Apkg, records, None, &options.limits, report)
}

fn finish(
    format: Format,
    records: Vec<Record>,
    columns: Option<Columns>,
    limits: &ImportLimits,
    mut report: Report,
) -> Result<ImportedDeck, Vec<Problem>> {
    let cards = build(records, limits, &mut report);
    if cards.is_empty() && report.errors.is_empty() {
        // Nothing valid: why each row was skipped is why nothing imports.
        let skipped = std::mem::take(&mut report.skipped);
        report.errors.extend(skipped);
        report.error(0, format!("no card found (read as {format})"));
    }
    // Parsers and `build` find problems in two passes: show them in file
    // order (stable: the rows of one line keep their order).
    report.skipped.sort_by_key(|w| w.line);
    report.warnings.sort_by_key(|w| w.line);
    report.errors.sort_by_key(|e| e.line);
    if report.errors.is_empty() {
        Ok(ImportedDeck {
            format,
            cards,
            skipped: report.skipped,
            warnings: report.warnings,
            columns,
        })
    } else {
        Err(report.errors)
    }
}

/// Cleans records into valid cards: skips rows without a question or an
/// answer, repeated questions and rows over a limit (listed, or errors in
/// strict mode), guesses the kind and direction where the input does not
/// say (a one-line enumeration becomes a list, one item per line), and
/// gives each card a unique slug id.
pub(crate) fn build(records: Vec<Record>, limits: &ImportLimits, report: &mut Report) -> Vec<Card> {
    let mut cards: Vec<Card> = Vec::new();
    let mut questions: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for record in records {
        let line = record.line;
        let question = text::clean(&record.question);
        let answer = text::clean(&record.answer);
        if question.is_empty() && answer.is_empty() {
            continue;
        }
        if question.is_empty() {
            report.skip(line, "row has no question: skipped");
            continue;
        }
        if answer.is_empty() {
            report.skip(
                line,
                format!("row has no answer: skipped ({})", preview(&question)),
            );
            continue;
        }
        let too_long = [
            ("question", &question, limits.max_question_chars),
            ("answer", &answer, limits.max_answer_chars),
        ]
        .into_iter()
        .find(|(_, text, max)| text.chars().count() > *max);
        if let Some((what, text, max)) = too_long {
            let n = text.chars().count();
            report.invalid(
                line,
                format!(
                    "{what} is too long: {n} characters, at most {max} allowed ({})",
                    preview(&question)
                ),
            );
            continue;
        }
        let key = question_key(&question);
        if let Some(first) = questions.get(&key) {
            report.skip(
                line,
                format!(
                    "duplicate question {} (first at line {first}): skipped",
                    preview(&question)
                ),
            );
            continue;
        }
        if cards.len() == limits.max_cards {
            report.error(
                line,
                format!(
                    "too many cards: at most {} per deck; split the file",
                    limits.max_cards
                ),
            );
            break;
        }
        questions.insert(key, line);

        let enumeration = match record.kind {
            None | Some(CardKind::List) => one_line_items(&answer),
            Some(_) => None,
        };
        let (answer, kind) = match (record.kind, enumeration) {
            (None | Some(CardKind::List), Some(items)) => (items.join("\n"), CardKind::List),
            (Some(CardKind::List), None) if !infer::has_items(&answer) => {
                let guess = guess_kind(&answer);
                report.warn(
                    line,
                    format!(
                        "kind `list` needs one item per line, at least two: kind set to `{}`",
                        guess.as_str()
                    ),
                );
                (answer, guess)
            }
            (Some(kind), _) => (answer, kind),
            (None, None) => {
                let kind = guess_kind(&answer);
                (answer, kind)
            }
        };
        let reverse = record
            .reverse
            .unwrap_or_else(|| guess_reverse(&question, kind));
        let id = card_id(record.id.as_deref(), &question, &mut ids, line, report);
        let accept = record
            .accept
            .iter()
            .map(|a| text::clean(a))
            .filter(|a| !a.is_empty())
            .collect();
        let mut tags: Vec<String> = Vec::new();
        for tag in record.tags.iter().map(|t| t.trim()) {
            if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
        cards.push(Card {
            id,
            question,
            answer,
            kind,
            reverse,
            accept,
            tags,
        });
    }
    cards
}

/// Picks the card id: the one asked for if it is a free slug, else a slug
/// of the question made unique with `-2`, `-3`...
fn card_id(
    wanted: Option<&str>,
    question: &str,
    ids: &mut HashMap<String, usize>,
    line: usize,
    report: &mut Report,
) -> CardId {
    if let Some(wanted) = wanted.map(str::trim).filter(|w| !w.is_empty()) {
        match CardId::parse(wanted) {
            Ok(id) if !ids.contains_key(id.as_str()) => {
                ids.insert(id.as_str().to_string(), line);
                return id;
            }
            Ok(_) => report.warn(
                line,
                format!("card id `{wanted}` is already used: a new id is made from the question"),
            ),
            Err(e) => report.warn(
                line,
                format!("card id {e}: a new id is made from the question"),
            ),
        }
    }
    let id = infer::unique_slug(question, |candidate| ids.contains_key(candidate));
    ids.insert(id.clone(), line);
    CardId::parse(&id).expect("unique_slug always returns a valid slug")
}

fn question_key(question: &str) -> String {
    question
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The start of a text, quoted, for messages.
fn preview(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    let short: String = first_line.chars().take(50).collect();
    if short.len() < text.len() {
        format!("\"{short}…\"")
    } else {
        format!("\"{short}\"")
    }
}

/// A separator given on the command line: a name (`tab`, `comma`,
/// `semicolon`, `newline`, `space`, `pipe`), an escape (`\t`, `\n`), or the
/// string itself.
pub fn separator_arg(raw: &str) -> String {
    match raw.to_lowercase().as_str() {
        "tab" | "\\t" => "\t".to_string(),
        "comma" => ",".to_string(),
        "semicolon" => ";".to_string(),
        "newline" | "\\n" => "\n".to_string(),
        "space" => " ".to_string(),
        "pipe" => "|".to_string(),
        _ => raw.to_string(),
    }
}
