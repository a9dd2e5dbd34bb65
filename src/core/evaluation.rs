//! Measuring the grader against answers a teacher labelled.
//!
//! A labelled set is JSON lines: `{"expected", "given", "label", "kind"}`
//! with `label` one of `accept`, `partial`, `reject`, and optionally
//! `"card": "deck/card-id"` (or `"deck/card-id#backward"`) and `"why"`.
//! [`Graders`] grades each line the way the bot would: a line naming its card
//! is graded with that card (kind, accepted variants, direction) and its
//! deck's context; a line without a card is graded from its expected text,
//! with the context of the deck that text comes from. [`Graders::evaluate`]
//! turns a set into a [`Report`] (agreement, confusion matrix, traps
//! accepted, disagreements by card), and [`folds`] splits a set for
//! cross-validation without putting one card in two folds.
//!
//! Pure: the shell reads the files and loads the decks.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;

use crate::core::deck::{Card, Deck};
use crate::core::grade::normalize::fold;
use crate::core::grade::{
    DeckContext, Direction, Grade, Verdict, grade_card, grade_with, infer_kind,
};
use crate::core::review;

/// One answer to grade, as a JSON line of `rappel grade --jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Request {
    /// The expected answer; ignored when `card` is given.
    pub expected: String,
    /// What the student typed.
    pub given: String,
    /// Other accepted answers; ignored when `card` is given.
    #[serde(default)]
    pub accept: Vec<String>,
    /// The card asked, `deck/card-id`, with `#backward` when the answer was
    /// shown and the question typed.
    #[serde(default)]
    pub card: Option<String>,
}

/// Why a request cannot be graded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// No loaded deck has this card (or the reference is not `deck/card-id`).
    #[error("unknown card {0}")]
    UnknownCard(String),
    /// `#backward` on a card that is only asked forward.
    #[error("card {0} is not reversible: it has no #backward")]
    NotReversible(String),
}

/// A card reference taken apart: `deck/card-id[#backward]`.
struct CardRef<'a> {
    deck: &'a str,
    card: &'a str,
    direction: Direction,
}

impl<'a> CardRef<'a> {
    fn parse(raw: &'a str) -> Option<Self> {
        let (id, direction) = match raw.strip_suffix("#backward") {
            Some(id) => (id, Direction::Backward),
            None => (raw, Direction::Forward),
        };
        let (deck, card) = id.split_once('/')?;
        Some(CardRef {
            deck,
            card,
            direction,
        })
    }
}

/// The loaded decks as grading contexts: each deck's context, its cards by
/// id, which deck an expected text belongs to (by its folded form), and one
/// context of all decks together for texts found in none.
#[derive(Debug, Clone, Default)]
pub struct Graders {
    decks: Vec<Deck>,
    contexts: Vec<DeckContext>,
    by_expected: HashMap<String, usize>,
    all: DeckContext,
}

impl Graders {
    /// Builds the contexts of `decks` (an empty slice grades without any deck
    /// knowledge). When two decks hold the same text, the first one owns it.
    pub fn new(decks: &[Deck]) -> Self {
        let mut contexts = Vec::with_capacity(decks.len());
        let mut by_expected = HashMap::new();
        for (deck_idx, deck) in decks.iter().enumerate() {
            contexts.push(DeckContext::new(&deck.cards));
            for card in &deck.cards {
                for text in [&card.question, &card.answer]
                    .into_iter()
                    .chain(&card.accept)
                {
                    by_expected.entry(fold(text)).or_insert(deck_idx);
                }
            }
        }
        // Word counts across several decks say little about one term: the
        // all-decks context keeps the vocabulary, not the generic words.
        let all = DeckContext::new(decks.iter().flat_map(|d| &d.cards)).without_generic();
        Graders {
            decks: decks.to_vec(),
            contexts,
            by_expected,
            all,
        }
    }

    /// The context for an expected text with no card: its deck's, else the
    /// all-decks context.
    pub fn context_for(&self, expected: &str) -> &DeckContext {
        match self.by_expected.get(&fold(expected)) {
            Some(&idx) => &self.contexts[idx],
            None => &self.all,
        }
    }

    /// A card and its deck's context, from `deck/card-id`.
    fn card(&self, deck: &str, card: &str) -> Option<(&Card, &DeckContext)> {
        let deck_idx = self.decks.iter().position(|d| d.id.as_str() == deck)?;
        let card = self.decks[deck_idx].card(card)?;
        Some((card, &self.contexts[deck_idx]))
    }

    /// Grades one request: with its card when it names one, else from its
    /// expected text (kind inferred).
    pub fn grade_request(&self, request: &Request) -> Result<Grade, RequestError> {
        let Some(raw) = &request.card else {
            return Ok(grade_with(
                &request.expected,
                &request.accept,
                infer_kind(&request.expected),
                self.context_for(&request.expected),
                &request.given,
            ));
        };
        let unknown = || RequestError::UnknownCard(raw.clone());
        let found = CardRef::parse(raw).ok_or_else(unknown)?;
        let (card, context) = self.card(found.deck, found.card).ok_or_else(unknown)?;
        if found.direction == Direction::Backward && !card.reverse {
            return Err(RequestError::NotReversible(raw.clone()));
        }
        Ok(grade_card(card, found.direction, context, &request.given))
    }

    /// Grades every case and counts how the grader agrees with the labels.
    /// A case that cannot be graded is listed in [`Report::errors`] and
    /// counted nowhere else.
    pub fn evaluate(&self, cases: &[Labelled]) -> Report {
        let mut report = Report::default();
        for (case_idx, case) in cases.iter().enumerate() {
            match self.grade_request(&case.request) {
                Ok(grade) => report.add(case, &grade),
                Err(error) => report.errors.push((case_idx, error)),
            }
        }
        report
    }
}

/// The teacher's label of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Accept,
    Partial,
    Reject,
}

impl Label {
    pub const ALL: [Label; 3] = [Label::Accept, Label::Partial, Label::Reject];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Accept => "accept",
            Label::Partial => "partial",
            Label::Reject => "reject",
        }
    }
}

/// Every verdict, in the order of the confusion matrix's columns.
pub const VERDICTS: [Verdict; 4] = [
    Verdict::Correct,
    Verdict::Close,
    Verdict::Partial,
    Verdict::Wrong,
];

fn verdict_idx(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Correct => 0,
        Verdict::Close => 1,
        Verdict::Partial => 2,
        Verdict::Wrong => 3,
    }
}

/// One line of a labelled set.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Labelled {
    /// What is graded: expected, given, accept, card.
    #[serde(flatten)]
    pub request: Request,
    pub label: Label,
    /// What the case tests (`typo`, `trap`, `list-partial`…).
    pub kind: String,
    /// The teacher's reason for the label.
    #[serde(default)]
    pub why: Option<String>,
}

impl Labelled {
    /// A wrong answer built to look right (`trap`, `trap-*`) or hedging
    /// between answers (`hedge`): accepting one is the worst mistake.
    pub fn is_trap(&self) -> bool {
        self.kind == "hedge" || self.kind.starts_with("trap")
    }

    /// What ties cases together: the card id without its direction (both
    /// directions share their words), else the expected text.
    pub fn group(&self) -> &str {
        match &self.request.card {
            Some(card) => card.strip_suffix("#backward").unwrap_or(card),
            None => &self.request.expected,
        }
    }
}

/// A case where the grader and the teacher disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub given: String,
    pub label: Label,
    pub verdict: Verdict,
    pub score: f32,
    pub kind: String,
    pub backward: bool,
    pub why: Option<String>,
}

/// How the grader's verdicts compare with the labels of a set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Cases graded.
    pub n_cases: usize,
    /// Cases where accepted (correct or close) ⇔ labelled `accept`.
    pub n_agree: usize,
    /// Cases by label (rows, [`Label::ALL`] order) and verdict (columns,
    /// [`VERDICTS`] order).
    pub confusion: [[usize; 4]; 3],
    /// Traps and hedges ([`Labelled::is_trap`]).
    pub n_traps: usize,
    /// Traps and hedges graded correct or close.
    pub n_traps_accepted: usize,
    /// Disagreements by [`Labelled::group`], in key order.
    pub disagreements: BTreeMap<String, Vec<Disagreement>>,
    /// Cases that could not be graded, by index in the set.
    pub errors: Vec<(usize, RequestError)>,
}

impl Report {
    fn add(&mut self, case: &Labelled, grade: &Grade) {
        let accepted = grade.verdict.is_accepted();
        self.n_cases += 1;
        self.confusion[case.label as usize][verdict_idx(grade.verdict)] += 1;
        if case.is_trap() {
            self.n_traps += 1;
            self.n_traps_accepted += usize::from(accepted);
        }
        if accepted == (case.label == Label::Accept) {
            self.n_agree += 1;
        } else {
            self.disagreements
                .entry(case.group().to_string())
                .or_default()
                .push(Disagreement {
                    given: case.request.given.clone(),
                    label: case.label,
                    verdict: grade.verdict,
                    score: grade.score,
                    kind: case.kind.clone(),
                    backward: case
                        .request
                        .card
                        .as_ref()
                        .is_some_and(|c| c.ends_with("#backward")),
                    why: case.why.clone(),
                });
        }
    }

    /// Cases with this label graded with this verdict.
    pub fn count(&self, label: Label, verdict: Verdict) -> usize {
        self.confusion[label as usize][verdict_idx(verdict)]
    }

    /// Cases with this label.
    pub fn n_labelled(&self, label: Label) -> usize {
        self.confusion[label as usize].iter().sum()
    }

    /// Share of cases where the grader agrees (0 for an empty set).
    pub fn agreement(&self) -> f64 {
        ratio(self.n_agree, self.n_cases)
    }

    /// Share of `partial` labels graded `partial` (0 when there are none).
    pub fn partial_share(&self) -> f64 {
        ratio(
            self.count(Label::Partial, Verdict::Partial),
            self.n_labelled(Label::Partial),
        )
    }

    /// The figures in one line: agreement, traps accepted, partial share.
    pub fn summary(&self) -> String {
        format!(
            "agreement {}/{} ({:.1} %), traps and hedges accepted {}/{}, \
             partial labels graded partial {}/{} ({:.1} %)",
            self.n_agree,
            self.n_cases,
            100.0 * self.agreement(),
            self.n_traps_accepted,
            self.n_traps,
            self.count(Label::Partial, Verdict::Partial),
            self.n_labelled(Label::Partial),
            100.0 * self.partial_share(),
        )
    }
}

fn ratio(n: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

/// Longest group key or answer shown in a report line, in characters.
const SHOWN_CHARS: usize = 70;

/// `text` on one line, quoted, clipped to [`SHOWN_CHARS`].
fn shown(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= SHOWN_CHARS {
        format!("{one_line:?}")
    } else {
        let clipped: String = one_line.chars().take(SHOWN_CHARS - 1).collect();
        format!("{:?}", format!("{clipped}…"))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} cases", self.n_cases)?;
        writeln!(
            f,
            "agreement: {}/{} ({:.1} %)",
            self.n_agree,
            self.n_cases,
            100.0 * self.agreement()
        )?;
        writeln!(
            f,
            "traps and hedges accepted: {}/{}",
            self.n_traps_accepted, self.n_traps
        )?;
        writeln!(
            f,
            "partial labels graded partial: {}/{} ({:.1} %)",
            self.count(Label::Partial, Verdict::Partial),
            self.n_labelled(Label::Partial),
            100.0 * self.partial_share()
        )?;
        writeln!(f)?;
        write!(f, "{:<16}", "label \\ verdict")?;
        for verdict in VERDICTS {
            write!(f, "{:>9}", review::verdict_str(verdict))?;
        }
        writeln!(f)?;
        for label in Label::ALL {
            write!(f, "{:<16}", label.as_str())?;
            for verdict in VERDICTS {
                write!(f, "{:>9}", self.count(label, verdict))?;
            }
            writeln!(f)?;
        }
        if !self.disagreements.is_empty() {
            let n: usize = self.disagreements.values().map(Vec::len).sum();
            writeln!(
                f,
                "\n{n} disagreement(s) in {} group(s):",
                self.disagreements.len()
            )?;
            for (group, cases) in &self.disagreements {
                if group.contains('\n') || group.contains(' ') {
                    writeln!(f, "{}", shown(group))?;
                } else {
                    writeln!(f, "{group}")?;
                }
                for case in cases {
                    write!(
                        f,
                        "  {} {:<8} → {} ({:.2}) {}",
                        case.label.as_str(),
                        format!("[{}]", case.kind),
                        review::verdict_str(case.verdict),
                        case.score,
                        shown(&case.given)
                    )?;
                    if case.backward {
                        write!(f, " (backward)")?;
                    }
                    if let Some(why) = &case.why {
                        write!(f, " — {why}")?;
                    }
                    writeln!(f)?;
                }
            }
        }
        if !self.errors.is_empty() {
            writeln!(f, "\n{} case(s) not graded:", self.errors.len())?;
            for (case_idx, error) in &self.errors {
                writeln!(f, "  case {}: {error}", case_idx + 1)?;
            }
        }
        Ok(())
    }
}

/// FNV-1a, 64 bits: a hash that is the same on every run and platform
/// (`std`'s `RandomState` is seeded per process).
fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Assigns each case a fold in `0..k` for cross-validation, keeping each
/// group ([`Labelled::group`]: a card in both directions, or an expected
/// text) in one fold, so no fold is tested on a card it was tuned on.
///
/// Groups are placed largest first, each into the fold with the fewest cases
/// so far (ties: the lowest fold); groups of equal size are ordered by a
/// fixed hash of their key. The result depends only on the cases, not on the
/// run or the platform, and fold sizes differ by at most the largest group.
///
/// # Panics
/// If `k` is 0.
pub fn folds(cases: &[Labelled], k: usize) -> Vec<usize> {
    assert!(k > 0, "cross-validation needs at least one fold");
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for case in cases {
        *sizes.entry(case.group()).or_default() += 1;
    }
    let mut groups: Vec<(&str, usize)> = sizes.into_iter().collect();
    groups.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| fnv1a(a.0).cmp(&fnv1a(b.0)))
            .then_with(|| a.0.cmp(b.0))
    });
    let mut fold_sizes = vec![0usize; k];
    let mut fold_of: HashMap<&str, usize> = HashMap::new();
    for (group, size) in groups {
        let (smallest, _) = fold_sizes
            .iter()
            .enumerate()
            .min_by_key(|&(idx, n)| (*n, idx))
            .expect("k > 0");
        fold_sizes[smallest] += size;
        fold_of.insert(group, smallest);
    }
    cases.iter().map(|case| fold_of[case.group()]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn card_refs_are_deck_slash_card_with_an_optional_direction() {
        let r = CardRef::parse("grc-cours/prospect#backward").unwrap();
        assert_eq!((r.deck, r.card), ("grc-cours", "prospect"));
        assert_eq!(r.direction, Direction::Backward);
        let r = CardRef::parse("grc-cours/prospect").unwrap();
        assert_eq!(r.direction, Direction::Forward);
        assert!(CardRef::parse("prospect").is_none());
    }
}
