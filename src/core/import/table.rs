//! A spreadsheet saved as CSV or TSV, with a header row naming the columns:
//! `question`, `answer` (or `réponse`), and optionally `accept` (answers
//! separated by `|`), `kind`, `tags` (separated by spaces or `|`),
//! `reverse` and `id`. Header names are matched without case or accents,
//! with a few French and Anki synonyms (`recto`/`verso`, `front`/`back`).
//! This is also the format `decks export` writes, so an export reads back.
//!
//! The first row is a header only when one of its cells names a known
//! column; otherwise the file is a headerless two-column export (Quizlet,
//! Anki, a spreadsheet): the first column is the question, the second the
//! answer, and [`Columns::Assumed`] says so in the import summary.

use super::infer::slug;
use super::{Columns, Record, Report};
use crate::core::deck::CardKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Question,
    Answer,
    Accept,
    Kind,
    Tags,
    Reverse,
    Id,
}

fn column(name: &str) -> Option<Column> {
    Some(match slug(name).as_str() {
        "question" | "questions" | "term" | "terme" | "front" | "recto" => Column::Question,
        "answer" | "reponse" | "reponses" | "definition" | "back" | "verso" => Column::Answer,
        "accept" | "accepte" | "acceptes" | "accepted" | "alternatives" | "variantes" => {
            Column::Accept
        }
        "kind" | "type" | "genre" => Column::Kind,
        "tags" | "tag" | "etiquettes" | "etiquette" => Column::Tags,
        "reverse" | "inverse" | "inverser" => Column::Reverse,
        "id" | "identifiant" => Column::Id,
        _ => return None,
    })
}

/// The delimiter the header row uses most: tab, `;` or `,`.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|&d| (header.bytes().filter(|&b| b == d).count(), d == b','))
        .unwrap_or(b',')
}

fn reader(text: &str, separator: Option<char>) -> Result<csv::Reader<&[u8]>, String> {
    let delimiter = match separator {
        None => delimiter(text),
        Some(c) if c.is_ascii() && c != '"' && c != '\n' => c as u8,
        Some(c) => {
            return Err(format!(
                "the CSV separator must be one ASCII character, not {c:?}"
            ));
        }
    };
    Ok(csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes()))
}

/// What each cell of a row holds, by position (`None`: a column ignored).
struct Layout(Vec<Option<Column>>);

impl Layout {
    /// The columns a first row names.
    fn named(headers: &csv::StringRecord) -> Self {
        Self(headers.iter().map(column).collect())
    }

    /// A headerless two-column export: the question, then the answer.
    fn assumed() -> Self {
        Self(vec![Some(Column::Question), Some(Column::Answer)])
    }

    /// Whether a first row is a header: one of its cells names a known
    /// column. A row of cards names none ("Prospect", "Personne qui …").
    fn is_header(&self) -> bool {
        self.0.iter().any(Option::is_some)
    }

    fn has(&self, column: Column) -> bool {
        self.0.contains(&Some(column))
    }

    /// Checks a header row: a question and an answer column are required,
    /// other unknown names are ignored with a warning. `false` when it is
    /// refused.
    fn check(&self, headers: &csv::StringRecord, line: usize, report: &mut Report) -> bool {
        let missing: Vec<&str> = [(Column::Question, "question"), (Column::Answer, "answer")]
            .into_iter()
            .filter(|(c, _)| !self.has(*c))
            .map(|(_, name)| name)
            .collect();
        if !missing.is_empty() {
            let names: Vec<&str> = headers.iter().collect();
            report.error(
                line,
                format!(
                    "the header row has no {} column (found: {}); name the columns question, \
                     answer, and optionally accept, kind, tags",
                    missing.join(" or "),
                    names.join(", ")
                ),
            );
            return false;
        }
        let ignored: Vec<&str> = headers
            .iter()
            .zip(&self.0)
            .filter(|(name, c)| c.is_none() && !name.trim().is_empty())
            .map(|(name, _)| name)
            .collect();
        if !ignored.is_empty() {
            report.warn(line, format!("columns ignored: {}", ignored.join(", ")));
        }
        true
    }

    /// The card of one row, its cells read by this layout.
    fn record(&self, row: &csv::StringRecord, line: usize, report: &mut Report) -> Record {
        let mut record = Record {
            line,
            ..Record::default()
        };
        for (value, column) in row.iter().zip(&self.0) {
            let value = value.trim();
            match column {
                None => {}
                Some(Column::Question) => record.question = value.to_string(),
                Some(Column::Answer) => record.answer = value.to_string(),
                Some(Column::Accept) => {
                    record.accept = value.split('|').map(str::to_string).collect();
                }
                Some(Column::Tags) => record.tags = split_tags(value),
                Some(Column::Id) => record.id = Some(value.to_string()),
                Some(Column::Kind) if value.is_empty() => {}
                Some(Column::Kind) => match kind(value) {
                    Some(kind) => record.kind = Some(kind),
                    None => report.warn(
                        line,
                        format!(
                            "unknown kind {value:?} (expected term, list or definition): guessed"
                        ),
                    ),
                },
                Some(Column::Reverse) if value.is_empty() => {}
                Some(Column::Reverse) => match yes_no(value) {
                    Some(reverse) => record.reverse = Some(reverse),
                    None => report.warn(
                        line,
                        format!("`reverse` should be true or false, not {value:?}: guessed"),
                    ),
                },
            }
        }
        record
    }
}

/// Whether the first row names a question and an answer column.
pub(crate) fn has_header(text: &str, separator: Option<char>) -> bool {
    let Ok(mut reader) = reader(text, separator) else {
        return false;
    };
    let mut first = csv::StringRecord::new();
    if !matches!(reader.read_record(&mut first), Ok(true)) {
        return false;
    }
    let layout = Layout::named(&first);
    layout.has(Column::Question) && layout.has(Column::Answer)
}

pub(crate) fn parse(
    text: &str,
    separator: Option<char>,
    report: &mut Report,
) -> (Vec<Record>, Columns) {
    let mut reader = match reader(text, separator) {
        Ok(reader) => reader,
        Err(message) => {
            report.error(0, message);
            return (Vec::new(), Columns::Named);
        }
    };
    let mut lines = LineCounter::new(text);
    let mut first = csv::StringRecord::new();
    match reader.read_record(&mut first) {
        Ok(true) => {}
        Ok(false) => return (Vec::new(), Columns::Named),
        Err(e) => {
            report.error(1, format!("cannot read the first row: {e}"));
            return (Vec::new(), Columns::Named);
        }
    }
    let first_line = lines.of(first.position()).unwrap_or(1);
    let named = Layout::named(&first);
    let mut records = Vec::new();
    let (layout, assumed) = if named.is_header() {
        if !named.check(&first, first_line, report) {
            return (Vec::new(), Columns::Named);
        }
        (named, Columns::Named)
    } else {
        // No header: a two-column export (Quizlet, Anki, a spreadsheet).
        if first.len() < 2 {
            report.error(
                first_line,
                "one column only: put the question and the answer in two columns, or name the \
                 columns in a header row (question, answer, and optionally accept, kind, tags)",
            );
            return (Vec::new(), Columns::Assumed);
        }
        if first.len() > 2 {
            report.warn(
                first_line,
                format!(
                    "no header row: the first column is read as the question, the second as the \
                     answer; columns 3 to {} ignored",
                    first.len()
                ),
            );
        }
        let layout = Layout::assumed();
        records.push(layout.record(&first, first_line, report));
        (layout, Columns::Assumed)
    };
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = lines.of(e.position()).unwrap_or(0);
                report.invalid(line, format!("unreadable CSV row: {e}"));
                continue;
            }
        };
        let line = lines.of(row.position()).unwrap_or(0);
        records.push(layout.record(&row, line, report));
    }
    (records, assumed)
}

/// Lines of CSV records, counted incrementally from their byte offsets:
/// the csv crate's own line numbers are off by one after a CRLF line.
pub(crate) struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of a record at `position` (`None` without one).
    pub(crate) fn of(&mut self, position: Option<&csv::Position>) -> Option<usize> {
        position.map(|p| self.at(p.byte() as usize))
    }

    /// The 1-based line of the record the csv crate places at `offset`,
    /// which must not be before the last one. The crate's record positions
    /// can point at the line break (or blank lines) before the record: those
    /// are skipped.
    fn at(&mut self, offset: usize) -> usize {
        let mut offset = offset.clamp(self.offset, self.bytes.len());
        while matches!(self.bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        self.line += self.bytes[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

fn split_tags(value: &str) -> Vec<String> {
    if value.contains('|') {
        value.split('|').map(str::to_string).collect()
    } else {
        value.split_whitespace().map(str::to_string).collect()
    }
}

fn kind(value: &str) -> Option<CardKind> {
    match slug(value).as_str() {
        "term" | "terme" => Some(CardKind::Term),
        "list" | "liste" => Some(CardKind::List),
        "definition" => Some(CardKind::Definition),
        _ => None,
    }
}

fn yes_no(value: &str) -> Option<bool> {
    match slug(value).as_str() {
        "true" | "yes" | "oui" | "vrai" | "1" | "x" => Some(true),
        "false" | "no" | "non" | "faux" | "0" => Some(false),
        _ => None,
    }
}
