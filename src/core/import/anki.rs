//! Anki's notes: the "Notes in Plain Text" export and the notes of an
//! `.apkg` collection.
//!
//! The text export starts with `#key:value` header lines (`#separator:tab`,
//! `#html:true`, `#tags column:3`, `#notetype column:1`...), then one note
//! per row, CSV-quoted when a field holds the separator, a quote or a line
//! break. The first two fields that are not guid, notetype, deck or tags
//! columns are the question and the answer; further fields are dropped.
//! A row whose first field holds cloze deletions (`{{c1::…}}`) makes one
//! card per cloze number, as in a package.

use super::table::LineCounter;
use super::{Record, Report, apkg, cloze, html};

/// Header keys Anki writes; a file starting with one of them is Anki's.
const HEADER_KEYS: &[&str] = &[
    "separator",
    "html",
    "tags",
    "columns",
    "notetype",
    "deck",
    "guid column",
    "notetype column",
    "deck column",
    "tags column",
    "if matches",
];

fn header(line: &str) -> Option<(String, &str)> {
    let (key, value) = line.strip_prefix('#')?.split_once(':')?;
    let key = key.trim().to_lowercase();
    HEADER_KEYS
        .contains(&key.as_str())
        .then_some((key, value.trim()))
}

/// Whether the text starts with an Anki `#key:value` header line.
pub(crate) fn has_header(text: &str) -> bool {
    text.lines().next().and_then(header).is_some()
}

fn separator(value: &str) -> Option<u8> {
    match value.to_lowercase().as_str() {
        "tab" | "\\t" => Some(b'\t'),
        "comma" | "," => Some(b','),
        "semicolon" | ";" => Some(b';'),
        "space" | " " => Some(b' '),
        "pipe" | "|" => Some(b'|'),
        "colon" | ":" => Some(b':'),
        other if other.len() == 1 => Some(other.as_bytes()[0]),
        _ => None,
    }
}

pub(crate) fn parse(
    text: &str,
    separator_option: Option<char>,
    report: &mut Report,
) -> Vec<Record> {
    let mut delimiter = separator_option
        .filter(char::is_ascii)
        .map_or(b'\t', |c| c as u8);
    let mut is_html = true;
    let mut global_tags: Vec<String> = Vec::new();
    let mut meta_columns: Vec<usize> = Vec::new();
    let mut tags_column = None;
    let mut n_header_lines = 0;
    let mut body_start = 0;
    for line in text.split_inclusive('\n') {
        let Some((key, value)) = header(line.trim_end()) else {
            break;
        };
        n_header_lines += 1;
        body_start += line.len();
        let number = value.parse::<usize>().ok().filter(|&n| n >= 1);
        match key.as_str() {
            "separator" => match separator(value) {
                Some(d) if separator_option.is_none() => delimiter = d,
                Some(_) => {}
                None => report.error(
                    n_header_lines,
                    format!("unknown separator {value:?} (expected Tab, Comma, Semicolon, Space, Pipe or Colon)"),
                ),
            },
            "html" => is_html = value.eq_ignore_ascii_case("true"),
            "tags" => global_tags = value.split_whitespace().map(str::to_string).collect(),
            "tags column" | "guid column" | "notetype column" | "deck column" => match number {
                Some(n) => {
                    meta_columns.push(n - 1);
                    if key == "tags column" {
                        tags_column = Some(n - 1);
                    }
                }
                None => report.error(
                    n_header_lines,
                    format!("`#{key}` needs a column number from 1, found {value:?}"),
                ),
            },
            _ => {}
        }
    }
    if !report.errors.is_empty() {
        return Vec::new();
    }
    let to_text = if is_html { html::to_text } else { html::unmark };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(&text.as_bytes()[body_start..]);
    let mut records = Vec::new();
    let mut extra_fields_line = None;
    let mut lines = LineCounter::new(&text[body_start..]);
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = lines.of(e.position()).unwrap_or(0);
                report.invalid(n_header_lines + line, format!("unreadable row: {e}"));
                continue;
            }
        };
        let line = n_header_lines + lines.of(row.position()).unwrap_or(0);
        let fields: Vec<&str> = row
            .iter()
            .enumerate()
            .filter(|(idx, _)| !meta_columns.contains(idx))
            .map(|(_, field)| field)
            .collect();
        if fields.len() > 2 && extra_fields_line.is_none() {
            extra_fields_line = Some(line);
        }
        let mut tags = global_tags.clone();
        if let Some(tags_field) = tags_column.and_then(|idx| row.get(idx)) {
            tags.extend(tags_field.split_whitespace().map(str::to_string));
        }
        let first = fields.first().copied().unwrap_or("");
        if cloze::has_cloze(first) {
            records.extend(apkg::cloze_records(first, line, &tags, to_text, report));
            continue;
        }
        records.push(Record {
            line,
            question: to_text(first),
            answer: fields.get(1).map(|f| to_text(f)).unwrap_or_default(),
            tags,
            ..Record::default()
        });
    }
    warn_extra_fields(report, extra_fields_line);
    records
}

/// One warning for the notes with more than two fields, at the first of them.
fn warn_extra_fields(report: &mut Report, first_line: Option<usize>) {
    if let Some(line) = first_line {
        report.warn(
            line,
            "notes have more than two fields: only the first two (question, answer) are imported",
        );
    }
}
