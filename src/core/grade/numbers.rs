//! Numbers written in words: "quatorze vers" and "14 vers" are one answer,
//! and "dix-neuf" is not "quatorze". The tokenizer hands its tokens here;
//! a run of number words becomes one word whose key is its value. Numbers
//! in scientific notation ("6,022 × 10²³", "6,02e23", "6,022.10^23")
//! become one word too, and a number rounded right is the number
//! ("6,02e23" for "6,022 × 10²³", "3,14" for "3,1416").

use super::normalize::{Token, Word};

/// Number words by value ("un"/"une" stay articles, "neuf" alone means
/// "new").
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("zero", 0),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("six", 6),
    ("sept", 7),
    ("huit", 8),
    ("neuf", 9),
    ("dix", 10),
    ("onze", 11),
    ("douze", 12),
    ("treize", 13),
    ("quatorze", 14),
    ("quinze", 15),
    ("seize", 16),
    ("vingt", 20),
    ("vingts", 20),
    ("trente", 30),
    ("quarante", 40),
    ("cinquante", 50),
    ("soixante", 60),
    ("cent", 100),
    ("cents", 100),
    ("mille", 1000),
];

fn number_value(folded: &str) -> Option<u32> {
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == folded)
        .map(|&(_, v)| v)
}

/// Numbers written in words become their digits, so that "quatorze vers"
/// and "14 vers" are one answer and "dix-neuf" is not "quatorze": a run of
/// number words ("dix-neuf", "quatre-vingt-dix", "deux cents") is one word
/// whose key is its value.
pub(super) fn merge(tokens: &mut Vec<Token>) {
    // Most answers have no number word: leave their tokens where they are.
    if !tokens
        .iter()
        .any(|t| matches!(t, Token::Word(w) if number_value(&w.folded).is_some()))
    {
        return;
    }
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut run: Vec<Word> = Vec::new();
    let flush = |run: &mut Vec<Word>, out: &mut Vec<Token>| {
        if run.is_empty() {
            return;
        }
        if run.len() == 1 && run[0].folded == "neuf" {
            out.push(Token::Word(run.pop().unwrap_or_else(|| unreachable!())));
            return;
        }
        let (mut total, mut current) = (0u32, 0u32);
        for w in run.iter() {
            match number_value(&w.folded) {
                Some(100) => current = current.max(1) * 100,
                Some(1000) => {
                    total += current.max(1) * 1000;
                    current = 0;
                }
                Some(20) if current % 100 == 4 => current += 76,
                Some(v) => current += v,
                None => {}
            }
        }
        let value = (total + current).to_string();
        let text: Vec<&str> = run.iter().map(|w| w.text.as_str()).collect();
        out.push(Token::Word(Word {
            text: text.join("-"),
            folded: value.clone(),
            key: value,
            acronym: false,
            stop: false,
        }));
        run.clear();
    };
    for token in tokens.drain(..) {
        match token {
            Token::Word(w) if number_value(&w.folded).is_some() => run.push(w),
            other => {
                flush(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut run, &mut out);
    *tokens = out;
}

/// Superscript digits, by value.
const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

fn is_number(folded: &str) -> bool {
    folded.starts_with(|c: char| c.is_ascii_digit())
        && folded.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && folded.bytes().filter(|&b| b == b'.').count() <= 1
}

/// The power of ten a word writes with superscripts ("10²³" → 23).
fn superscript_power(text: &str) -> Option<u32> {
    let rest = text.strip_prefix("10")?;
    if rest.is_empty() {
        return None;
    }
    rest.chars().try_fold(0u32, |n, c| {
        let d = SUPERSCRIPTS.iter().position(|&s| s == c)?;
        n.checked_mul(10)?.checked_add(d as u32)
    })
}

/// Mantissa × 10^power written over several words becomes one word whose
/// folded form and key are `<mantissa>e<power>` ("6.022e23").
pub(super) fn scientific(tokens: &mut Vec<Token>) {
    let mut i = 0;
    while i < tokens.len() {
        let Token::Word(mantissa) = &tokens[i] else {
            i += 1;
            continue;
        };
        if !is_number(&mantissa.folded) {
            i += 1;
            continue;
        }
        // "×" is not a token; "x", "*" (a line break) and "." may stand for it.
        let mut j = i + 1;
        if matches!(tokens.get(j), Some(Token::Break('.' | '\n')))
            || matches!(tokens.get(j), Some(Token::Word(w)) if w.folded == "x")
        {
            j += 1;
        }
        let power = match (tokens.get(j), tokens.get(j + 1)) {
            (Some(Token::Word(ten)), _) if superscript_power(&ten.text).is_some() => {
                superscript_power(&ten.text).map(|p| (p, j + 1))
            }
            (Some(Token::Word(ten)), Some(Token::Word(p)))
                if ten.folded == "10" && p.folded.bytes().all(|b| b.is_ascii_digit()) =>
            {
                p.folded.parse::<u32>().ok().map(|p| (p, j + 2))
            }
            _ => None,
        };
        let Some((power, end)) = power else {
            i += 1;
            continue;
        };
        let text: Vec<String> = tokens[i..end]
            .iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w.text.clone()),
                Token::Break(_) => None,
            })
            .collect();
        let folded = format!("{}e{power}", mantissa.folded);
        let word = Word {
            text: text.join(" "),
            key: folded.clone(),
            folded,
            acronym: false,
            stop: false,
        };
        tokens.splice(i..end, [Token::Word(word)]);
        i += 1;
    }
}

/// A number's value and how many significant digits it is written with.
fn value(folded: &str) -> Option<(f64, i32)> {
    let (mantissa, power) = match folded.split_once('e') {
        Some((m, p)) => (m, p.parse::<i32>().ok()?),
        None => (folded, 0),
    };
    if !is_number(mantissa) {
        return None;
    }
    let digits = mantissa.trim_start_matches(['0', '.']);
    let significant = digits.bytes().filter(u8::is_ascii_digit).count() as i32;
    let value: f64 = mantissa.parse::<f64>().ok()? * 10f64.powi(power);
    Some((value, significant))
}

/// Fewest significant digits a rounded number must keep.
const MIN_SIGNIFICANT: i32 = 2;

/// Whether the typed number `given` is the expected number `expected`, as
/// written or rounded (to two significant digits at least); `None` if
/// either is not a number.
pub(super) fn same_number(expected: &str, given: &str) -> Option<bool> {
    // Every word is compared: words are ruled out on their first letter.
    let starts_with_digit = |w: &str| w.as_bytes().first().is_some_and(u8::is_ascii_digit);
    if !starts_with_digit(expected) || !starts_with_digit(given) {
        return None;
    }
    let (x, _) = value(expected)?;
    let (t, significant) = value(given)?;
    if x == t {
        return Some(true);
    }
    if significant < MIN_SIGNIFICANT || t == 0.0 {
        return Some(false);
    }
    let magnitude = t.abs().log10().floor() as i32;
    let unit = 10f64.powi(magnitude - significant + 1);
    Some((t - x).abs() <= unit / 2.0 * (1.0 + 1e-9))
}

#[cfg(test)]
mod tests {
    use super::super::normalize::tokenize;
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w.key),
                Token::Break(_) => None,
            })
            .collect()
    }

    #[test]
    fn scientific_notations_are_one_number() {
        assert_eq!(keys("6,022 × 10²³ entités"), ["6.022e23", "entit"]);
        assert_eq!(keys("6,022.10^23"), ["6.022e23"]);
        assert_eq!(keys("6,02e23"), ["6.02e23"]);
        assert_eq!(keys("3 x 10^8 m/s")[0], "3e8");
        assert_eq!(keys("1, 2, 3"), ["1", "2", "3"]);
    }

    #[test]
    fn a_number_rounded_right_is_the_number() {
        assert_eq!(same_number("6.022e23", "6.02e23"), Some(true));
        assert_eq!(same_number("6.022e23", "6e23"), Some(false));
        assert_eq!(same_number("3.1416", "3.14"), Some(true));
        assert_eq!(same_number("3.1416", "3.15"), Some(false));
        assert_eq!(same_number("14", "19"), Some(false));
        assert_eq!(same_number("14", "14.0"), Some(true));
        assert_eq!(same_number("14", "vers"), None);
    }
}
