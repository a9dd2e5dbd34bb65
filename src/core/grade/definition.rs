//! Grading a definition: a sentence or two, judged on its key ideas.
//!
//! Each content word of the expected text is a concept with a weight: how
//! much it says in French (rare words say more: [`lexicon`]'s frequency
//! rank) times how specific it is to this card within its deck (a word in
//! every card, "client" in a CRM deck, says little). Examples in parentheses
//! weigh little. A concept is covered by the same word, an inflection, a
//! typo, a word of the same family, a synonym or an abbreviation, each
//! giving part of its weight ([`Match::strength`]).
//!
//! The answer's [`Evidence`] is the weighted share of concepts covered and
//! the weighted share of its own words that belong to the definition (an
//! answer mostly about something else is wrong); [`Thresholds`] turn it into
//! a verdict. Those thresholds are fitted on labelled answers
//! (`tests/grade_calibration.rs`), not chosen by hand. An answer that says the
//! opposite ([`polarity`], a [`comparison`] turned round) or names another
//! thing (a [`qualifier`] swapped) loses a level.

use serde::Serialize;
use std::borrow::Cow;

use super::align::align_in;
use super::comparison;
use super::example;
use super::filler;
use super::lexicon;
use super::normalize::{self, Token, Word};
use super::polarity;
use super::qualifier;
use super::word::{self, Match};
use super::{Asked, DeckContext, Findings, Outcome, Verdict, right};

/// What a definition answer shows, before any threshold is applied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    /// Weighted share of the expected concepts the answer covers, in [0, 1].
    pub coverage: f32,
    /// Weighted share of the answer's words that belong to the definition.
    pub precision: f32,
    /// The answer says the opposite of the expected text.
    pub flipped: bool,
}

/// Where a definition's verdict changes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Coverage from which the answer is right.
    pub accept: f32,
    /// Coverage from which the answer earns partial credit.
    pub partial: f32,
    /// Precision below which the answer is about something else.
    pub precision: f32,
}

impl Thresholds {
    /// Fitted on the labelled answers in `tests/fixtures/grading/` by
    /// maximising agreement (see `tests/grade_calibration.rs`, which checks
    /// them with cross-validation grouped by card).
    pub const FITTED: Thresholds = Thresholds {
        accept: 0.52,
        partial: 0.05,
        precision: 0.4,
    };

    /// The verdict level (0 wrong, 1 partial, 2 right) for some evidence.
    pub fn level(&self, e: &Evidence) -> u8 {
        let level: u8 = if e.precision < self.precision {
            0
        } else if e.coverage >= self.accept {
            2
        } else if e.coverage >= self.partial {
            1
        } else {
            0
        };
        if e.flipped {
            level.saturating_sub(1)
        } else {
            level
        }
    }
}

/// Weight of a concept inside parentheses (an example, a case name).
const OPTIONAL_WEIGHT: f32 = 0.2;

/// Grade a definition answer against the expected text or any other
/// accepted answer. Words the question already says need not be typed
/// again: « Dans quelle *vision* … ? » is answered « court-termiste, … » as
/// well as « une vision court-termiste, … ».
pub(crate) fn grade(asked: &Asked, given: &[Token], context: &DeckContext) -> Outcome {
    let question = asked.question;
    // An example the student adds may cover concepts, but its other words
    // are neither off topic nor a change of meaning.
    let example = example::in_example(given);
    let given_words = super::content(given);
    super::best_of(asked.expected, asked.accept, |text| {
        let mut tokens = normalize::tokenize(text);
        // Answer fillers (« je pense que ») that the expected text uses as
        // words of its own (« ce que le personnage perçoit, pense et
        // ressent ») are words of both.
        let fillers = filler::as_content(&mut tokens);
        let mut with_fillers: Vec<Token> = Vec::new();
        let (given, example, given_words): (&[Token], Cow<[bool]>, Cow<[Word]>) =
            if fillers.is_empty() {
                (given, Cow::Borrowed(&example), Cow::Borrowed(&given_words))
            } else {
                with_fillers.extend_from_slice(given);
                filler::as_content_of(&mut with_fillers, &fillers);
                let words = super::content(&with_fillers);
                let example = example::in_example(&with_fillers);
                (&with_fillers[..], Cow::Owned(example), Cow::Owned(words))
            };
        // Unless the expected text gives an example itself.
        let example = if example::in_example(&tokens).contains(&true) {
            Cow::Owned(vec![false; example.len()])
        } else {
            example
        };
        grade_one(
            (&tokens, question),
            given,
            &given_words,
            &example,
            context,
            &Thresholds::FITTED,
        )
    })
}

/// A concept: an expected word and its weight.
struct Concept {
    word: Word,
    weight: f32,
    /// The question says it: typed, it counts; left out, it costs nothing.
    implied: bool,
}

/// The concepts of an expected text, one per key.
fn concepts(expected: &[Token], question: &[Word], context: &DeckContext) -> Vec<Concept> {
    let lexicon = lexicon::get();
    let mut out: Vec<Concept> = Vec::new();
    let mut depth = 0usize;
    for token in expected {
        let w = match token {
            Token::Break('(') => {
                depth += 1;
                continue;
            }
            Token::Break(')') => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Token::Break(_) => continue,
            Token::Word(w) if w.stop => continue,
            Token::Word(w) => w,
        };
        let mut weight =
            (lexicon.informativeness(w) * context.specificity(&w.key)).max(super::MIN_WEIGHT);
        if depth > 0 {
            weight *= OPTIONAL_WEIGHT;
        }
        let implied = question.iter().any(|q| q.key == w.key);
        match out.iter_mut().find(|c| c.word.key == w.key) {
            Some(c) => c.weight = c.weight.max(weight),
            None => out.push(Concept {
                word: w.clone(),
                weight,
                implied,
            }),
        }
    }
    out
}

/// The evidence and feedback of one answer against one expected text.
fn grade_one(
    (expected, question): (&[Token], &[Word]),
    given_tokens: &[Token],
    given: &[Word],
    example: &[bool],
    context: &DeckContext,
    thresholds: &Thresholds,
) -> Outcome {
    let concepts = concepts(expected, question, context);
    if concepts.is_empty() || given.is_empty() {
        let mut out = Outcome::wrong();
        out.findings.missing = key_ideas(&concepts, &vec![None; concepts.len()]);
        return out;
    }
    let words: Vec<Word> = concepts.iter().map(|c| c.word.clone()).collect();
    let text: Vec<Word> = expected
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.is_content() => Some(w.clone()),
            _ => None,
        })
        .collect();
    let alignment = align_in(&words, &text, given, context, true);
    let mut found = Vec::new();
    let mut corrections = Vec::new();
    let mut covered = 0.0;
    let mut total = 0.0;
    for (c, m) in concepts.iter().zip(&alignment.best) {
        if c.implied && m.is_none() {
            continue;
        }
        total += c.weight;
        if let Some((m, gi)) = m {
            covered += c.weight * m.strength();
            found.push(c.word.text.clone());
            if *m == Match::Typo {
                corrections.extend(word::correction(&c.word, &given[*gi]));
            }
        }
    }
    let main: Vec<Word> = given
        .iter()
        .zip(example)
        .filter(|(_, e)| !**e)
        .map(|(g, _)| g.clone())
        .collect();
    let main_sentence: Vec<usize> = polarity::sentences(given_tokens)
        .into_iter()
        .zip(example)
        .filter(|(_, e)| !**e)
        .map(|(s, _)| s)
        .collect();
    let lexicon = lexicon::get();
    let (mut typed, mut relevant) = (0.0, 0.0);
    for ((g, used), in_example) in given.iter().zip(&alignment.used).zip(example) {
        if *in_example && !used {
            continue;
        }
        let w = lexicon.informativeness(g).max(super::MIN_WEIGHT);
        typed += w;
        if *used {
            relevant += w;
        }
    }
    let evidence = Evidence {
        coverage: if total > 0.0 { covered / total } else { 0.0 },
        precision: if typed > 0.0 { relevant / typed } else { 0.0 },
        flipped: polarity::flipped_in(
            (&super::content(expected), &polarity::sentences(expected)),
            (&main, &main_sentence),
            context,
        ) || comparison::reversed(expected, given_tokens, context)
            || qualifier::swapped(expected, given_tokens, context),
    };
    let (verdict, score) = match thresholds.level(&evidence) {
        2 => right(&corrections),
        1 => (Verdict::Partial, evidence.coverage),
        _ => (Verdict::Wrong, 0.0),
    };
    let extra = given
        .iter()
        .zip(&alignment.used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g.text.clone())
        .collect();
    Outcome {
        verdict,
        score,
        findings: Findings {
            found,
            missing: key_ideas(&concepts, &alignment.best),
            extra,
            corrections,
            evidence: Some(evidence),
            ..Findings::default()
        },
    }
}

/// A concept weighing at least this share of the heaviest one is a key idea
/// worth naming when missing.
const KEY_IDEA_SHARE: f32 = 0.5;
/// Missing key ideas named in feedback, heaviest first.
const MAX_KEY_IDEAS: usize = 5;

/// The missing concepts that matter, heaviest first: feedback names the key
/// ideas, not every missing word.
fn key_ideas(concepts: &[Concept], best: &[Option<(Match, usize)>]) -> Vec<String> {
    let heaviest = concepts.iter().map(|c| c.weight).fold(0.0, f32::max);
    let mut missing: Vec<&Concept> = concepts
        .iter()
        .zip(best)
        .filter(|(c, m)| m.is_none() && c.weight >= heaviest * KEY_IDEA_SHARE)
        .map(|(c, _)| c)
        .collect();
    missing.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    missing
        .into_iter()
        .take(MAX_KEY_IDEAS)
        .map(|c| c.word.text.clone())
        .collect()
}
