//! Numbers written in words: "quatorze vers" and "14 vers" are one answer,
//! and "dix-neuf" is not "quatorze". The tokenizer hands its tokens here;
//! a run of number words becomes one word whose key is its value.

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
