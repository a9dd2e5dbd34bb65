//! Pairing the words of an answer with the words of the expected text, the
//! one step every strategy shares.
//!
//! Each expected word takes its best match among the typed words
//! ([`word::compare`]). Two rules keep loose matches honest: a typed word
//! that is itself one of the expected words (exactly, inflected or
//! misspelt) is not also a synonym or relative of another one ("interactions
//! et continuité" does not cover "attentions"), and a typed abbreviation
//! covers the expected words it stands for: a note-taking abbreviation
//! ("pdv" for "point de vente") or the initials of consecutive expected
//! words ("CAC" for "coût d'acquisition client").

use super::DeckContext;
use super::lexicon;
use super::normalize::Word;
use super::word::{self, Match};

/// For each expected word, its best match and the typed word that gave it;
/// for each typed word, whether it matched anything.
#[derive(Debug, Clone)]
pub struct Alignment {
    pub best: Vec<Option<(Match, usize)>>,
    pub used: Vec<bool>,
}

/// Longest run of words an abbreviation may stand for.
const MAX_INITIALS: usize = 5;

/// Align `given` with `expected` (both content words).
pub fn align(expected: &[Word], given: &[Word], context: &DeckContext, loose: bool) -> Alignment {
    let mut best: Vec<Option<(Match, usize)>> = vec![None; expected.len()];
    let mut used = vec![false; given.len()];
    let lexicon = lexicon::get();
    let given_entries: Vec<_> = given.iter().map(|g| lexicon.entries(&g.key)).collect();
    // One row per expected word, in one allocation.
    let matrix: Vec<Match> = expected
        .iter()
        .flat_map(|e| {
            let e_entries = lexicon.entries(&e.key);
            given
                .iter()
                .zip(&given_entries)
                .map(move |(g, ge)| word::compare_with((e, &e_entries), (g, ge), context, loose))
        })
        .collect();
    let rows = || matrix.chunks_exact(given.len().max(1));
    // Typed words that are expected words in their own right.
    let strong: Vec<bool> = (0..given.len())
        .map(|gi| rows().any(|row| row[gi] >= Match::Typo))
        .collect();
    for (ei, row) in rows().enumerate() {
        for (gi, &m) in row.iter().enumerate() {
            if !m.is_match() || (m < Match::Typo && strong[gi]) {
                continue;
            }
            used[gi] = true;
            if best[ei].is_none_or(|(bm, _)| m > bm) {
                best[ei] = Some((m, gi));
            }
        }
    }
    for (gi, g) in given.iter().enumerate() {
        if strong[gi] {
            continue;
        }
        for ei in abbreviated(expected, g)
            .into_iter()
            .chain(written_solid(expected, g))
        {
            used[gi] = true;
            if best[ei].is_none_or(|(bm, _)| bm < Match::Inflected) {
                best[ei] = Some((Match::Exact, gi));
            }
        }
    }
    Alignment { best, used }
}

/// Longest run of expected words a typed word may write as one.
const MAX_SOLID: usize = 3;

/// The run of consecutive expected words that the typed word `g` writes as
/// one word ("sensorimoteur" for "sensori-moteur", "email" for "e-mail").
fn written_solid(expected: &[Word], g: &Word) -> Vec<usize> {
    for start in 0..expected.len() {
        let mut rest = g.folded.as_str();
        for (n, e) in expected[start..].iter().take(MAX_SOLID).enumerate() {
            let Some(tail) = rest.strip_prefix(e.folded.as_str()) else {
                break;
            };
            rest = tail;
            if rest.is_empty() {
                if n == 0 {
                    break;
                }
                return (start..=start + n).collect();
            }
        }
    }
    Vec::new()
}

/// The expected words that the typed word `g` abbreviates: the words of a
/// note-taking abbreviation's expansion when they are all expected, or a
/// run of consecutive expected words whose initials `g` spells.
fn abbreviated(expected: &[Word], g: &Word) -> Vec<usize> {
    if let Some(expansion) = lexicon::get().expansion(&g.folded) {
        let idx: Vec<usize> = expansion
            .iter()
            .filter_map(|x| expected.iter().position(|e| e.key == x.key))
            .collect();
        if !idx.is_empty() && idx.len() == expansion.len() {
            return idx;
        }
    }
    let n = g.folded.chars().count();
    // Initials are typed as a short word that is not a French word, or in
    // capitals ("SAV", "cac").
    if !(2..=MAX_INITIALS).contains(&n) || (!g.acronym && lexicon::get().is_common(g)) {
        return Vec::new();
    }
    let letters: Vec<char> = g.folded.chars().collect();
    (0..expected.len().saturating_sub(n - 1))
        .find(|&start| {
            expected[start..start + n]
                .iter()
                .zip(&letters)
                .all(|(e, l)| e.folded.starts_with(*l))
        })
        .map(|start| (start..start + n).collect())
        .unwrap_or_default()
}
