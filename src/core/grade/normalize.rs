//! Turning typed French text into comparable words.
//!
//! A phone keyboard produces the same answer in many spellings: with or
//! without accents, `’` or `'`, "bouche-à-oreille" or "bouche à oreille",
//! "L'Identification" or "identification". This module folds all of those to
//! one form per word, drops the words that carry no meaning for grading
//! (articles, elided prefixes, most prepositions) and keeps the ones that
//! change the meaning (negations). Each word keeps its original spelling too,
//! so feedback can show the right spelling of the expected answer.
//!
//! Input is capped ([`MAX_CHARS`], [`MAX_WORDS`], [`MAX_WORD_CHARS`]) so any
//! text, however long or strange, is processed in bounded time.

use super::{filler, lexicon, locutions, numbers};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Characters of an answer (or expected answer) looked at; the rest is ignored.
pub const MAX_CHARS: usize = 4000;
/// Words of an answer looked at; the rest is ignored.
pub const MAX_WORDS: usize = 400;
/// Characters of one word looked at (a 4,000-letter "word" is not compared in full).
pub const MAX_WORD_CHARS: usize = 40;

/// One word of a text, in the forms the grader compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// As written (case and accents kept), for feedback.
    pub text: String,
    /// Lowercase, accents and ligatures folded: "mécontents" → "mecontents".
    pub folded: String,
    /// `folded` with French inflection removed (plural, feminine, infinitive):
    /// "nouveaux" → "nouveau", "orientée" → "orient". Two words with the same
    /// key are the same word for grading.
    pub key: String,
    /// Written in capitals, two letters or more ("RFM", "CLV"): never fuzzy.
    pub acronym: bool,
    /// A function word (article, preposition, pronoun...) ignored when grading.
    pub stop: bool,
}

impl Word {
    /// A word that carries meaning (not a stop word).
    pub fn is_content(&self) -> bool {
        !self.stop
    }

    /// One of the negation words that flip a sentence's meaning.
    pub fn is_negation(&self) -> bool {
        is_negation(&self.folded)
    }
}

/// A piece of tokenized text: a word, or a mark that separates items (comma, line break...).
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Word(Word),
    /// The separating character (`\n` for line breaks).
    Break(char),
}

/// The first [`MAX_CHARS`] characters of `text`, cut at a space when possible (no half word).
pub fn cap(text: &str) -> &str {
    match text.char_indices().nth(MAX_CHARS) {
        Some((idx, _)) => {
            let head = &text[..idx];
            match head.rfind(char::is_whitespace) {
                Some(space) if space > 0 => &head[..space],
                _ => head,
            }
        }
        None => text,
    }
}

/// Split `text` into words and separators, folding each word.
///
/// Discord mentions (`<@123>`, `<#123>`, `<@&123>`) are dropped. Apostrophes
/// of every form end a word, so elided articles ("l'", "d'", "qu'") become
/// words of their own that are then marked as stop words; "n'" becomes "ne".
pub fn tokenize(text: &str) -> Vec<Token> {
    let text = cap(text);
    let mut tokens = Vec::new();
    let mut n_words = 0;
    let mut current = WordBuilder::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if n_words >= MAX_WORDS {
            break;
        }
        if c == '<' && matches!(chars.peek(), Some('@' | '#')) {
            // A Discord mention: skip up to the closing '>'.
            n_words += current.finish(&mut tokens) as usize;
            for d in chars.by_ref() {
                if d == '>' {
                    break;
                }
            }
            continue;
        }
        if !c.is_ascii() && is_combining_mark(c) {
            // Accents typed as separate marks (or zalgo): part of the word.
            current.push_mark(c);
            continue;
        }
        if c.is_alphanumeric() {
            current.push(c);
            continue;
        }
        if matches!(c, ',' | '.')
            && current.is_integer()
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            // A decimal comma or point ("6,022"): one number.
            current.push_point(c);
            continue;
        }
        let finished = current.finish(&mut tokens);
        n_words += finished as usize;
        if finished
            && matches!(c, '.' | ')' | '-')
            && !chars.peek().is_some_and(char::is_ascii_digit)
        {
            // "1." / "2)" / "3-" numbering an item, not a number of the
            // answer.
            if let Some(Token::Word(w)) = tokens.last_mut()
                && w.folded.chars().all(|d| d.is_ascii_digit())
            {
                w.stop = true;
            }
        }
        if let Some(separator) = separator(c)
            && tokens.last() != Some(&Token::Break(separator))
        {
            tokens.push(Token::Break(separator));
        }
    }
    if n_words < MAX_WORDS {
        current.finish(&mut tokens);
    }
    locutions::mark(&mut tokens);
    numbers::merge(&mut tokens);
    numbers::scientific(&mut tokens);
    tokens
}

/// One word written without spaces or punctuation (a line of the grader's
/// data files), folded like the words of an answer; `None` if it holds
/// anything but letters and digits.
pub fn single_word(text: &str) -> Option<Word> {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_alphanumeric() {
            return None;
        }
        fold_char(c, &mut folded);
    }
    (!folded.is_empty()).then(|| make_word(text.to_string(), folded))
}

/// The words of `text`, separators dropped.
pub fn words(text: &str) -> Vec<Word> {
    tokenize(text)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w),
            Token::Break(_) => None,
        })
        .collect()
}

/// The content words of `text` (stop words dropped).
pub fn content_words(text: &str) -> Vec<Word> {
    words(text).into_iter().filter(Word::is_content).collect()
}

/// Characters that separate list items or alternatives; every other
/// non-alphanumeric character (space, hyphen, apostrophe, quote, emoji) only
/// separates words.
fn separator(c: char) -> Option<char> {
    match c {
        ',' | ';' | '/' | '+' | '&' | '|' | '?' | '!' | ':' | '(' | ')' | '[' | ']' => Some(c),
        '.' | '…' => Some('.'),
        '\n' | '\r' | '•' | '·' | '*' => Some('\n'),
        _ => None,
    }
}

#[derive(Default)]
struct WordBuilder {
    text: String,
    folded: String,
    n_chars: usize,
}

impl WordBuilder {
    fn push(&mut self, c: char) {
        if self.n_chars >= MAX_WORD_CHARS {
            return;
        }
        self.n_chars += 1;
        self.text.push(c);
        fold_char(c, &mut self.folded);
    }

    /// Whether the word so far is digits alone (no decimal point yet).
    fn is_integer(&self) -> bool {
        !self.folded.is_empty() && self.folded.bytes().all(|b| b.is_ascii_digit())
    }

    /// A decimal separator, kept as written and folded to a point.
    fn push_point(&mut self, c: char) {
        if self.n_chars < MAX_WORD_CHARS {
            self.n_chars += 1;
            self.text.push(c);
            self.folded.push('.');
        }
    }

    fn push_mark(&mut self, c: char) {
        if !self.text.is_empty() && self.n_chars < MAX_WORD_CHARS {
            self.text.push(c);
        }
    }

    /// Push the word built so far (if any) and start a new one; true if a
    /// word was pushed.
    fn finish(&mut self, tokens: &mut Vec<Token>) -> bool {
        if self.text.is_empty() {
            return false;
        }
        // Copies of exact size; the builder's buffers are kept for the next
        // word (growing a fresh string char by char costs several
        // reallocations per word).
        let text = self.text.clone();
        let mut folded = self.folded.clone();
        self.text.clear();
        self.folded.clear();
        self.n_chars = 0;
        if folded.is_empty() {
            return false;
        }
        if folded == "n" {
            folded = "ne".to_string();
        }
        tokens.push(Token::Word(make_word(text, folded)));
        true
    }
}

fn make_word(text: String, folded: String) -> Word {
    let (mut n_letters, mut upper, mut lower) = (0, false, false);
    for c in text.chars() {
        n_letters += c.is_alphabetic() as usize;
        upper |= c.is_uppercase();
        lower |= c.is_lowercase();
    }
    let acronym = n_letters >= 2 && upper && !lower;
    let stop = is_stop(&folded);
    // Function words are never looked up: none is a verb form that grading
    // compares, and most words typed are function words.
    let infinitive = if stop {
        None
    } else {
        lexicon::infinitive(&folded)
    };
    let key = light_stem(infinitive.unwrap_or(&folded));
    Word {
        text,
        folded,
        key,
        acronym,
        stop,
    }
}

/// Append the folded form of `c`: lowercase, compatibility-decomposed,
/// combining marks dropped, ligatures spelled out.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        match lower {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ => decompose_compatible(lower, |d| {
                if !is_combining_mark(d) && d.is_alphanumeric() {
                    for l in d.to_lowercase() {
                        out.push(l);
                    }
                }
            }),
        }
    }
}

/// Fold a whole string to the comparable form used by [`Word::folded`],
/// words joined by single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::new();
    for w in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.folded);
    }
    out
}

/// Remove French inflection from a folded word so that singular/plural,
/// masculine/feminine and infinitive/participle compare equal.
///
/// Deliberately light (a few endings): a full stemmer merges words a teacher
/// keeps apart ("fidélité"/"fidélisation" would be close, "relation" and
/// "relationnel" equal), which is wrong for short terms.
pub fn light_stem(folded: &str) -> String {
    let mut w = folded.to_string();
    // ASCII from here on: a length in bytes is one in letters.
    let len = |w: &str| w.len();
    if !w.is_ascii() || len(&w) <= 3 {
        return w;
    }
    // Plural.
    if w.ends_with("eaux") {
        w.pop();
    } else if w.ends_with("aux") && len(&w) > 4 {
        w.truncate(w.len() - 3);
        w.push_str("al");
    } else if (w.ends_with('s') || w.ends_with('x')) && !w.ends_with("ss") {
        w.pop();
    }
    // Feminine agent nouns: "ambassadrice" → "ambassadeur", "vendeuse" →
    // "vendeur".
    let agent = ((w.ends_with("trice") || w.ends_with("drice")) && len(&w) > 6)
        || (w.ends_with("euse") && len(&w) > 5);
    if agent {
        // "-rice" and "-euse" are both four letters.
        w.truncate(w.len() - 4);
        w.push_str("eur");
    }
    // Feminine and participle endings: "ee" → "", "e" → "".
    for _ in 0..2 {
        if w.ends_with('e') && len(&w) > 3 {
            w.pop();
        }
    }
    // Infinitive.
    if w.ends_with("er") && len(&w) > 5 {
        w.truncate(w.len() - 2);
    }
    // Feminine forms that double or change the last consonant.
    if w.ends_with("iv") {
        w.pop();
        w.push('f');
    } else if ["ell", "eill", "enn", "onn"].iter().any(|e| w.ends_with(e)) {
        w.pop();
    }
    w
}

/// An article or an elided one ("le", "l", "des", "d").
pub fn is_article(folded: &str) -> bool {
    matches!(
        folded,
        "le" | "la" | "les" | "l" | "un" | "une" | "des" | "du" | "de" | "d"
    )
}

/// Function words ignored when grading: articles, elided prefixes,
/// prepositions, pronouns, auxiliaries and connectors (folded forms).
/// Negations are deliberately absent (see [`is_negation`]).
pub fn is_stop(folded: &str) -> bool {
    matches!(
        folded,
        "le" | "la"
            | "les"
            | "l"
            | "un"
            | "une"
            | "des"
            | "du"
            | "de"
            | "d"
            | "au"
            | "aux"
            | "a"
            | "et"
            | "ou"
            | "en"
            | "est"
            | "sont"
            | "c"
            | "ce"
            | "ces"
            | "cet"
            | "cette"
            | "ca"
            | "son"
            | "sa"
            | "ses"
            | "leur"
            | "leurs"
            | "nos"
            | "notre"
            | "vos"
            | "votre"
            | "mon"
            | "ma"
            | "mes"
            | "ton"
            | "ta"
            | "tes"
            | "que"
            | "qu"
            | "qui"
            | "quoi"
            | "dont"
            | "y"
            | "il"
            | "ils"
            | "elle"
            | "elles"
            | "on"
            | "se"
            | "s"
            | "je"
            | "j"
            | "tu"
            | "t"
            | "nous"
            | "vous"
            | "me"
            | "m"
            | "te"
            | "lui"
            | "eux"
            | "pour"
            | "par"
            | "avec"
            | "sur"
            | "dans"
            | "vers"
            | "chez"
            | "entre"
            | "envers"
            | "selon"
            | "via"
            | "parmi"
            | "durant"
            | "pendant"
            | "aupres"
            | "puis"
            | "donc"
            | "car"
            | "parce"
            | "puisque"
            | "mais"
            | "comme"
            | "ont"
            | "ai"
            | "as"
            | "avons"
            | "avez"
            | "etre"
            | "etait"
            | "sera"
            | "meme"
            | "memes"
            | "tout"
            | "tous"
            | "toute"
            | "toutes"
            | "tres"
            | "certain"
            | "certaine"
            | "certains"
            | "certaines"
            | "afin"
            | "ainsi"
            | "alors"
            | "aussi"
            | "cela"
            | "ceci"
            | "celui"
            | "celle"
            | "ceux"
            | "celles"
            | "lors"
            | "lorsque"
            | "lorsqu"
            | "quand"
            | "si"
            | "etc"
            | "jusqu"
            | "puisqu"
            | "the"
            | "of"
            | "and"
            | "an"
            | "or"
    ) || filler::is_filler(folded)
}

/// Words that flip the meaning of what follows; kept as content words.
pub fn is_negation(folded: &str) -> bool {
    matches!(
        folded,
        "ne" | "pas" | "sans" | "non" | "jamais" | "aucun" | "aucune" | "rien" | "not" | "no"
    )
}

/// Prepositions that start the complement of a term's head ("Profilage
/// *des* meilleurs clients", "Valeur moyenne *de* commande").
pub fn is_preposition(folded: &str) -> bool {
    matches!(
        folded,
        "de" | "des"
            | "du"
            | "d"
            | "a"
            | "au"
            | "aux"
            | "pour"
            | "par"
            | "en"
            | "sur"
            | "avec"
            | "dans"
            | "vers"
            | "chez"
            | "entre"
    )
}

/// Head words too common to identify a term on their own: "clients" does not
/// answer "Clients somnambules", "méthode" does not answer "Méthode RFM".
/// Light nouns ("manque", "niveau", "type") are here too: "manque" alone does
/// not answer "Le manque de synergie".
const GENERIC_WORDS: &[&str] = &[
    "client",
    "clientele",
    "methode",
    "strategie",
    "marketing",
    "valeur",
    "moyen",
    "moyenne",
    "gestion",
    "type",
    "taux",
    "nombre",
    "niveau",
    "produit",
    "service",
    "entreprise",
    "programme",
    "action",
    "outil",
    "analyse",
    "information",
    "info",
    "donnee",
    "processus",
    "approche",
    "technique",
    "manque",
    "degre",
    "forme",
    "facon",
    "ensemble",
    "part",
    "mise",
    "modele",
    "systeme",
    "chose",
    "personne",
    "gens",
    "fait",
    "faire",
    "plus",
    "moins",
    "bien",
    "bon",
    "bonne",
    "grand",
    "grande",
    "petit",
    "lien",
    "relation",
];

/// Whether a word (by [`Word::key`]) is one of the generic head words.
pub fn is_generic(key: &str) -> bool {
    static KEYS: std::sync::OnceLock<foldhash::HashSet<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| GENERIC_WORDS.iter().map(|w| light_stem(w)).collect())
        .contains(key)
}
