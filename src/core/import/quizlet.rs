//! Quizlet's export: `term<sep>definition` rows. Quizlet lets the user pick
//! both separators (tab, comma or any string between term and definition;
//! newline, semicolon or any string between rows), and it quotes nothing:
//! the first term separator of a row splits it, the rest is the definition.

use super::text::line_at;
use super::{Record, Report};

pub(crate) fn parse(text: &str, term_sep: &str, row_sep: &str, report: &mut Report) -> Vec<Record> {
    if term_sep.is_empty() || row_sep.is_empty() || term_sep == row_sep {
        report.error(
            0,
            "the term separator and the row separator must be non-empty and different",
        );
        return Vec::new();
    }
    let shown = match term_sep {
        "\t" => "a tab".to_string(),
        other => format!("{other:?}"),
    };
    let mut records = Vec::new();
    let mut offset = 0;
    // Lines are counted as rows go by, not from the start for each row.
    let (mut counted, mut line) = (0, 1);
    for row in text.split(row_sep) {
        let row_start = offset;
        offset += row.len() + row_sep.len();
        // Rows end with `\r` in a CRLF file: the separator was `\n`.
        let row = row.trim_end_matches('\r');
        let lead = row.len() - row.trim_start().len();
        if row.trim().is_empty() {
            continue;
        }
        let start = row_start + lead;
        line += line_at(&text.as_bytes()[counted..start], start - counted) - 1;
        counted = start;
        match row.split_once(term_sep) {
            Some((term, definition)) => records.push(Record {
                line,
                question: term.to_string(),
                answer: definition.to_string(),
                ..Record::default()
            }),
            None => report.skip(
                line,
                format!("row has no answer (no {shown} between term and definition): skipped"),
            ),
        }
    }
    records
}
