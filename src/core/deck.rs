//! Decks: the validated flashcards rappel asks, and the parser that turns a
//! TOML deck file into them.
//!
//! Parsing never stops at the first mistake: a deck author fixing a file wants
//! every problem at once, each with its line. That is why the parser walks the
//! spanned TOML tree itself instead of deriving `Deserialize` (serde stops at
//! the first error, and `deny_unknown_fields` reports one unknown key only).

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A deck identifier: a lowercase slug (`a-z`, `0-9`, `-`), stable across
/// edits because progress is keyed on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct DeckId(String);

/// A card identifier, unique inside its deck; same slug rules as [`DeckId`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CardId(String);

/// Why a string is not a valid slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("is empty")]
    Empty,
    #[error("is longer than 64 characters")]
    TooLong,
    #[error("must be a lowercase slug (a-z, 0-9 and '-'), found {0:?}")]
    Invalid(String),
}

fn parse_slug(raw: &str) -> Result<String, SlugError> {
    if raw.is_empty() {
        return Err(SlugError::Empty);
    }
    if raw.len() > 64 {
        return Err(SlugError::TooLong);
    }
    let ok = raw
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !raw.starts_with('-')
        && !raw.ends_with('-');
    if ok {
        Ok(raw.to_string())
    } else {
        Err(SlugError::Invalid(raw.to_string()))
    }
}

impl DeckId {
    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        parse_slug(raw).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl CardId {
    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        parse_slug(raw).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DeckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What shape of answer a card expects; the grader and the quiz use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardKind {
    /// A short term, typed fast ("Méthode RFM").
    Term,
    /// Several items, one per line of the answer; order does not matter.
    List,
    /// A sentence or more, graded on its key concepts.
    Definition,
}

impl CardKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "term" => Some(Self::Term),
            "list" => Some(Self::List),
            "definition" => Some(Self::Definition),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Term => "term",
            Self::List => "list",
            Self::Definition => "definition",
        }
    }
}

/// One flashcard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub id: CardId,
    pub question: String,
    pub answer: String,
    pub kind: CardKind,
    /// May be asked the other way round: show the answer, type the question.
    pub reverse: bool,
    /// Extra answers accepted as right, besides `answer`.
    pub accept: Vec<String>,
    pub tags: Vec<String>,
}

impl Card {
    /// The items of a `list` card (the non-empty lines of its answer); for
    /// other kinds, the whole answer as one item.
    pub fn items(&self) -> Vec<&str> {
        match self.kind {
            CardKind::List => list_items(&self.answer),
            _ => vec![self.answer.trim()],
        }
    }
}

fn list_items(answer: &str) -> Vec<&str> {
    answer
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// A validated deck: ids are slugs, card ids are unique, every field is set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deck {
    pub id: DeckId,
    pub title: String,
    pub language: String,
    pub source: Option<String>,
    pub cards: Vec<Card>,
}

impl Deck {
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id.as_str() == id)
    }
}

/// One problem in a deck file, located by file name and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

const DECK_KEYS: &[&str] = &["id", "title", "language", "source"];
const CARD_KEYS: &[&str] = &[
    "id", "question", "answer", "kind", "reverse", "accept", "tags",
];
const TOP_KEYS: &[&str] = &["deck", "cards"];

/// Collects problems while walking one file.
struct Walker<'a> {
    file: &'a str,
    line_starts: Vec<usize>,
    problems: Vec<Problem>,
}

impl Walker<'_> {
    fn line_of(&self, span: &Range<usize>) -> usize {
        match self.line_starts.binary_search(&span.start) {
            Ok(idx) => idx + 1,
            Err(idx) => idx,
        }
    }

    fn problem(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let line = self.line_of(span);
        self.problems.push(Problem {
            file: self.file.to_string(),
            line,
            message: message.into(),
        });
    }

    fn unknown_keys(&mut self, table: &DeTable<'_>, known: &[&str], what: &str) {
        for key in table.keys() {
            if !known.contains(&key.get_ref().as_ref()) {
                let message = format!(
                    "unknown key `{}` in {what} (expected one of: {})",
                    key.get_ref(),
                    known.join(", ")
                );
                self.problem(&key.span(), message);
            }
        }
    }

    /// A required, non-empty string field.
    fn string(
        &mut self,
        table: &DeTable<'_>,
        table_span: &Range<usize>,
        key: &str,
        what: &str,
    ) -> Option<(String, Range<usize>)> {
        match table.get(key) {
            None => {
                self.problem(table_span, format!("missing field `{key}` in {what}"));
                None
            }
            Some(value) => self.non_empty_string(value, key, what),
        }
    }

    fn non_empty_string(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        what: &str,
    ) -> Option<(String, Range<usize>)> {
        match value.get_ref().as_str() {
            None => {
                let found = value.get_ref().type_str();
                self.problem(
                    &value.span(),
                    format!("field `{key}` in {what} must be a string, found {found}"),
                );
                None
            }
            Some(s) if s.trim().is_empty() => {
                self.problem(&value.span(), format!("field `{key}` in {what} is empty"));
                None
            }
            Some(s) => Some((s.to_string(), value.span())),
        }
    }

    fn optional_string(&mut self, table: &DeTable<'_>, key: &str, what: &str) -> Option<String> {
        let value = table.get(key)?;
        self.non_empty_string(value, key, what).map(|(s, _)| s)
    }

    fn string_list(&mut self, table: &DeTable<'_>, key: &str, what: &str) -> Vec<String> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        let Some(array) = value.get_ref().as_array() else {
            let found = value.get_ref().type_str();
            self.problem(
                &value.span(),
                format!("field `{key}` in {what} must be an array of strings, found {found}"),
            );
            return Vec::new();
        };
        array
            .iter()
            .filter_map(|item| self.non_empty_string(item, key, what).map(|(s, _)| s))
            .collect()
    }

    fn boolean(&mut self, table: &DeTable<'_>, key: &str, what: &str) -> bool {
        let Some(value) = table.get(key) else {
            return false;
        };
        match value.get_ref().as_bool() {
            Some(b) => b,
            None => {
                let found = value.get_ref().type_str();
                self.problem(
                    &value.span(),
                    format!("field `{key}` in {what} must be true or false, found {found}"),
                );
                false
            }
        }
    }
}

/// Parses one deck file. `file` names the file in problem messages; `text`
/// is its content. Returns the deck or every problem found.
pub fn parse(file: &str, text: &str) -> Result<Deck, Vec<Problem>> {
    let mut walker = Walker {
        file,
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        problems: Vec::new(),
    };
    let (root, errors) = DeTable::parse_recoverable(text);
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        let message = format!("invalid TOML: {}", error.message().trim_end_matches('\n'));
        walker.problem(&span, message);
    }
    if !errors.is_empty() {
        // A broken file yields a partial tree; reporting missing fields on it
        // would only add noise to the syntax errors.
        return Err(walker.problems);
    }
    let root_span = root.span();
    let root = root.get_ref();
    walker.unknown_keys(root, TOP_KEYS, "the file");

    let header = match root.get("deck") {
        None => {
            walker.problem(&(0..0), "missing [deck] table");
            None
        }
        Some(v) => match v.get_ref().as_table() {
            Some(t) => Some((t, v.span())),
            None => {
                walker.problem(&v.span(), "`deck` must be a table: [deck]");
                None
            }
        },
    };
    let mut deck_fields = None;
    if let Some((table, span)) = header {
        walker.unknown_keys(table, DECK_KEYS, "[deck]");
        let id = walker
            .string(table, &span, "id", "[deck]")
            .and_then(|(raw, span)| match DeckId::parse(&raw) {
                Ok(id) => Some(id),
                Err(e) => {
                    walker.problem(&span, format!("deck id {e}"));
                    None
                }
            });
        let title = walker
            .string(table, &span, "title", "[deck]")
            .map(|(s, _)| s);
        let language = walker
            .string(table, &span, "language", "[deck]")
            .map(|(s, _)| s);
        let source = walker.optional_string(table, "source", "[deck]");
        deck_fields = Some((id, title, language, source));
    }

    let mut cards = Vec::new();
    match root.get("cards") {
        None => walker.problem(&root_span, "the deck has no cards: add [[cards]] tables"),
        Some(v) => match v.get_ref().as_array() {
            None => walker.problem(&v.span(), "`cards` must be an array of tables: [[cards]]"),
            Some(array) if array.is_empty() => {
                walker.problem(&v.span(), "the deck has no cards: add [[cards]] tables")
            }
            Some(array) => {
                let mut seen: HashMap<String, usize> = HashMap::new();
                for (idx, item) in array.iter().enumerate() {
                    let what = format!("card #{}", idx + 1);
                    let Some(table) = item.get_ref().as_table() else {
                        walker.problem(&item.span(), format!("{what} must be a table"));
                        continue;
                    };
                    if let Some(card) = parse_card(&mut walker, table, &item.span(), &what) {
                        let line = walker.line_of(&item.span());
                        match seen.get(card.id.as_str()) {
                            Some(first) => {
                                let message = format!(
                                    "duplicate card id `{}` (first defined at line {first})",
                                    card.id
                                );
                                walker.problem(&item.span(), message);
                            }
                            None => {
                                seen.insert(card.id.as_str().to_string(), line);
                                cards.push(card);
                            }
                        }
                    }
                }
            }
        },
    }

    match deck_fields {
        Some((Some(id), Some(title), Some(language), source)) if walker.problems.is_empty() => {
            Ok(Deck {
                id,
                title,
                language,
                source,
                cards,
            })
        }
        _ => Err(walker.problems),
    }
}

fn parse_card(
    walker: &mut Walker<'_>,
    table: &DeTable<'_>,
    span: &Range<usize>,
    what: &str,
) -> Option<Card> {
    let id = walker
        .string(table, span, "id", what)
        .and_then(|(raw, span)| match CardId::parse(&raw) {
            Ok(id) => Some(id),
            Err(e) => {
                walker.problem(&span, format!("card id {e}"));
                None
            }
        });
    let what = match &id {
        Some(id) => format!("card `{id}`"),
        None => what.to_string(),
    };
    walker.unknown_keys(table, CARD_KEYS, &what);
    let question = walker
        .string(table, span, "question", &what)
        .map(|(s, _)| s);
    let answer = walker.string(table, span, "answer", &what);
    let kind = match walker.string(table, span, "kind", &what) {
        None => None,
        Some((raw, kind_span)) => match CardKind::parse(&raw) {
            Some(kind) => Some(kind),
            None => {
                walker.problem(
                    &kind_span,
                    format!("unknown kind {raw:?} in {what} (expected term, list or definition)"),
                );
                None
            }
        },
    };
    let reverse = walker.boolean(table, "reverse", &what);
    let accept = walker.string_list(table, "accept", &what);
    let tags = walker.string_list(table, "tags", &what);
    if let (Some(CardKind::List), Some((answer, answer_span))) = (kind, &answer) {
        let n_items = list_items(answer).len();
        if n_items < 2 {
            walker.problem(
                answer_span,
                format!("{what} is a list but its answer has {n_items} item (one item per line, at least two)"),
            );
            return None;
        }
    }
    Some(Card {
        id: id?,
        question: question?,
        answer: answer?.0,
        kind: kind?,
        reverse,
        accept,
        tags,
    })
}

/// Every loaded deck, with unique deck ids.
#[derive(Debug, Clone, Default)]
pub struct Library {
    decks: Vec<Deck>,
}

impl Library {
    /// Builds a library from parsed decks; `files` names each deck's file for
    /// the duplicate-id message.
    pub fn new(decks: Vec<(String, Deck)>) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut seen: HashMap<DeckId, String> = HashMap::new();
        let mut out = Vec::with_capacity(decks.len());
        for (file, deck) in decks {
            if let Some(first) = seen.get(&deck.id) {
                problems.push(Problem {
                    file,
                    line: 1,
                    message: format!("duplicate deck id `{}` (also in {first})", deck.id),
                });
                continue;
            }
            seen.insert(deck.id.clone(), file);
            out.push(deck);
        }
        if problems.is_empty() {
            out.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(Self { decks: out })
        } else {
            Err(problems)
        }
    }

    pub fn decks(&self) -> &[Deck] {
        &self.decks
    }

    pub fn deck(&self, id: &str) -> Option<&Deck> {
        self.decks.iter().find(|d| d.id.as_str() == id)
    }

    pub fn card(&self, deck: &str, card: &str) -> Option<(&Deck, &Card)> {
        let deck = self.deck(deck)?;
        Some((deck, deck.card(card)?))
    }

    pub fn n_cards(&self) -> usize {
        self.decks.iter().map(|d| d.cards.len()).sum()
    }
}
