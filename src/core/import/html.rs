//! Anki fields are HTML: this turns them into plain card text. Tags go,
//! block tags and `<br>` become line breaks (so an HTML list becomes a list
//! card), entities are decoded, cloze deletions `{{c1::text::hint}}` keep
//! their text, and sound references (`[sound:x.mp3]`) go (no media).

/// Plain text of an Anki HTML field.
pub(crate) fn to_text(html: &str) -> String {
    let stripped = strip_tags(html);
    unmark(&decode_entities(&stripped))
}

/// Plain text of a field exported without HTML: only the cloze markers and
/// sound references go.
pub(crate) fn unmark(text: &str) -> String {
    remove_sounds(&cloze(text))
}

/// Whether tab-separated text without `#` headers looks like an old Anki
/// export rather than a Quizlet one.
pub(crate) fn looks_like_anki(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["<br", "<div", "&nbsp;", "{{c1::", "[sound:"]
        .iter()
        .any(|needle| lower.contains(needle))
}

const BLOCK_TAGS: &[&str] = &[
    "br",
    "div",
    "p",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
];

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            // A lone `<` ("a < b") is text.
            out.push_str(&rest[start..]);
            return out;
        };
        let inside = &after[..end];
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() && !inside.starts_with('/') && !inside.starts_with('!') {
            // Not a tag ("a <= b", "<3"): keep it as text.
            out.push('<');
            rest = after;
            continue;
        }
        rest = &after[end + 1..];
        if (name == "style" || name == "script") && !inside.starts_with('/') {
            let closing = format!("</{name}");
            match rest.to_ascii_lowercase().find(&closing) {
                Some(idx) => {
                    rest = &rest[idx..];
                    rest = rest.find('>').map_or("", |gt| &rest[gt + 1..]);
                }
                None => rest = "",
            }
        } else if BLOCK_TAGS.contains(&name.as_str()) {
            out.push('\n');
        } else if name == "td" || name == "th" {
            out.push(' ');
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "nbsp" => " ",
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "eacute" => "é",
        "Eacute" => "É",
        "egrave" => "è",
        "Egrave" => "È",
        "ecirc" => "ê",
        "euml" => "ë",
        "agrave" => "à",
        "Agrave" => "À",
        "acirc" => "â",
        "ccedil" => "ç",
        "Ccedil" => "Ç",
        "icirc" => "î",
        "iuml" => "ï",
        "ocirc" => "ô",
        "ucirc" => "û",
        "ugrave" => "ù",
        "uuml" => "ü",
        "oelig" => "œ",
        "OElig" => "Œ",
        "laquo" => "«",
        "raquo" => "»",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "hellip" => "…",
        "ndash" => "–",
        "mdash" => "—",
        "euro" => "€",
        "deg" => "°",
        _ => return None,
    })
}

fn decode_entities(text: &str) -> String {
    replace_each(text, "&", |after| {
        let end = after.find(';').filter(|&end| end <= 10)?;
        decode_entity(&after[..end]).map(|c| (c, end + 1))
    })
}

/// `text` with each `marker` replaced by what `replace` makes of the text
/// after it (the replacement and how many bytes it stands for); a marker
/// it refuses stays as it is.
fn replace_each(
    text: &str,
    marker: &str,
    replace: impl Fn(&str) -> Option<(String, usize)>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(marker) {
        out.push_str(&rest[..start]);
        let after = &rest[start + marker.len()..];
        match replace(after) {
            Some((replaced, used)) => {
                out.push_str(&replaced);
                rest = &after[used..];
            }
            None => {
                out.push_str(marker);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entity(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).map(String::from);
    }
    named_entity(name).map(str::to_string)
}

/// `{{c1::text}}` and `{{c1::text::hint}}` become `text`.
fn cloze(text: &str) -> String {
    replace_each(text, "{{c", |after| {
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let inner = after[digits..].strip_prefix("::").filter(|_| digits > 0)?;
        let end = inner.find("}}")?;
        let content = &inner[..end];
        let answer = content.split("::").next().unwrap_or(content);
        Some((answer.to_string(), digits + 2 + end + 2))
    })
}

fn remove_sounds(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[sound:") {
        out.push_str(&rest[..start]);
        match rest[start..].find(']') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}
