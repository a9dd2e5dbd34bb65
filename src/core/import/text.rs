//! Text plumbing shared by the importers: decoding the bytes (BOM, UTF-16
//! from spreadsheets) and cleaning a field into the text a card stores.

/// Decodes an export into text: drops a UTF-8 byte-order mark and reads
/// UTF-16 when it starts with one (Excel's "Unicode text"). On invalid UTF-8,
/// returns the 1-based line of the first bad byte.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, usize> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode(rest);
    }
    let utf16 = |rest: &[u8], read: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| read([pair[0], pair[1]]))
            .collect();
        String::from_utf16(&units).map_err(|_| 1)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => Err(line_at(bytes, e.valid_up_to())),
    }
}

/// The 1-based line of a byte offset.
pub(crate) fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// A field as a card stores it: one item per line, each line trimmed with
/// its inner runs of spaces collapsed, blank lines and invisible characters
/// dropped, line endings made `\n`.
pub(crate) fn clean(field: &str) -> String {
    let unified = field.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .lines()
        .map(|line| {
            line.chars()
                .filter(|&c| !matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}'))
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .filter(|c| !c.is_control())
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
