//! The one way user text is shown back: clipped, markdown and `<…>`
//! escaped, bidi overrides and zalgo removed.

/// Longest piece of a typed answer echoed back in a private reply.
pub const MAX_ECHO: usize = 300;

/// User text made safe to quote in a message: at most `max` characters
/// (with an ellipsis), direction overrides removed (so it cannot reverse
/// the text that follows it), combining marks capped at two per character
/// (zalgo), markdown and `<…>` mentions escaped, so it shows as typed and
/// never formats or links. Pings are prevented by the empty allowed
/// mentions of every message, not here: "@everyone" is shown as typed.
pub fn echo(text: &str, max: usize) -> String {
    let mut kept: Vec<char> = Vec::new();
    let mut n_marks = 0;
    for c in text.chars() {
        if is_bidi_control(c) || (c.is_control() && c != '\n') {
            continue;
        }
        if unicode_normalization::char::is_combining_mark(c) {
            n_marks += 1;
            if n_marks > 2 {
                continue;
            }
        } else {
            n_marks = 0;
        }
        kept.push(c);
        if kept.len() > max {
            break;
        }
    }
    let clipped = kept.len() > max;
    if clipped {
        kept.truncate(max.saturating_sub(1));
    }
    let mut out = String::with_capacity(kept.len() + 8);
    let mut line_start = true;
    for c in kept {
        let at_start = line_start && matches!(c, '-' | '#' | '>' | '+');
        if at_start || matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n' || (line_start && c.is_whitespace());
    }
    if clipped {
        out.push('…');
    }
    out
}

/// Unicode bidirectional formatting characters (embeddings, overrides,
/// isolates and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
