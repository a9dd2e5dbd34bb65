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
//! words ("CAC" for "coût d'acquisition client"). Words run together or
//! written apart are one word either way ("e-mail" for "email", "cross
//! selling" for "crosselling").

use super::DeckContext;
use super::lexicon;
use super::normalize::{self, Word};
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

/// The fewest letters a clipped word keeps ([`clipped`]).
const MIN_CLIPPED: usize = 4;

/// Align `given` with `expected` (both content words).
pub fn align(expected: &[Word], given: &[Word], context: &DeckContext, loose: bool) -> Alignment {
    align_in(expected, expected, given, context, loose)
}

/// [`align`] when `expected` holds each word once: `text` is the expected
/// content words in their order, repeats included, where initials are
/// read ("PDM" in « élargir le marché et augmenter la part de marché »).
pub fn align_in(
    expected: &[Word],
    text: &[Word],
    given: &[Word],
    context: &DeckContext,
    loose: bool,
) -> Alignment {
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
        let written = written_solid(expected, g)
            .into_iter()
            .map(|ei| (ei, Match::Exact));
        for (ei, m) in abbreviated(expected, text, g, context)
            .into_iter()
            .chain(written)
        {
            used[gi] = true;
            if best[ei].is_none_or(|(bm, _)| bm < m) {
                best[ei] = Some((m, gi));
            }
        }
    }
    for (gi, ei, m) in written_apart(expected, given, &strong, context, loose) {
        used[gi] = true;
        used[gi + 1] = true;
        if best[ei].is_none_or(|(bm, _)| bm < m) {
            best[ei] = Some((m, gi));
        }
    }
    Alignment { best, used }
}

/// Two typed words that write one expected word apart ("data mining" for
/// "datamining", "cross selling" for "crosselling", and for a definition
/// "court terme" for "courttermiste"): (the first typed word, the expected
/// word, how well). A relative must owe its common beginning to both typed
/// words, not to the first alone ("client fidèle" is not "clientèle").
fn written_apart(
    expected: &[Word],
    given: &[Word],
    strong: &[bool],
    context: &DeckContext,
    loose: bool,
) -> Vec<(usize, usize, Match)> {
    let mut out = Vec::new();
    for gi in 0..given.len().saturating_sub(1) {
        let (first, second) = (&given[gi], &given[gi + 1]);
        let begins = |e: &Word| e.folded.starts_with(first.folded.as_str());
        // Joining (and stemming) the pair only where it may be a word.
        if strong[gi] || strong[gi + 1] || !expected.iter().any(begins) {
            continue;
        }
        let Some(joined) = normalize::single_word(&format!("{}{}", first.folded, second.folded))
        else {
            continue;
        };
        for (ei, e) in expected.iter().enumerate() {
            if !begins(e) {
                continue;
            }
            let common = joined
                .folded
                .bytes()
                .zip(e.folded.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let m = word::compare(e, &joined, context, loose);
            if m >= Match::Typo || (m == Match::Related && common >= first.folded.len() + 2) {
                out.push((gi, ei, m));
            }
        }
    }
    out
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

/// The one expected word that the typed word `g` clips: `g`, no French
/// word, is its beginning, of [`MIN_CLIPPED`] letters or more, maybe with
/// the « -o » of spoken French and a plural « s » (« perfs » for
/// performances, « compilo » for compilateur). Two expected words that
/// begin so leave it unread.
fn clipped(expected: &[Word], g: &Word) -> Option<usize> {
    if g.acronym || lexicon::get().is_common(g) {
        return None;
    }
    let bare = g.folded.strip_suffix('s').unwrap_or(&g.folded);
    let stems = [Some(bare), bare.strip_suffix('o')];
    let clips = |e: &Word| {
        stems.iter().flatten().any(|stem| {
            stem.chars().count() >= MIN_CLIPPED
                && e.folded.len() >= stem.len() + 2
                && e.folded.starts_with(stem)
        })
    };
    let mut found = expected.iter().enumerate().filter(|(_, e)| clips(e));
    let (ei, first) = found.next()?;
    found.all(|(_, e)| e.key == first.key).then_some(ei)
}

/// The expected words that the typed word `g` abbreviates, with how well:
/// the words of a note-taking abbreviation's expansion when they are all
/// expected; for a one-word expansion, a word of its family ("conso",
/// consommation, for "consommateur": notes clip a word where its family
/// still agrees); or a run of consecutive expected words whose initials `g`
/// spells (in `text`, the expected words in order).
fn abbreviated(
    expected: &[Word],
    text: &[Word],
    g: &Word,
    context: &DeckContext,
) -> Vec<(usize, Match)> {
    if let Some(expansion) = lexicon::get().expansion(&g.folded) {
        let idx: Vec<(usize, Match)> = expansion
            .iter()
            .filter_map(|x| expected.iter().position(|e| e.key == x.key))
            .map(|ei| (ei, Match::Exact))
            .collect();
        if !idx.is_empty() && idx.len() == expansion.len() {
            return idx;
        }
        if let [x] = expansion {
            let family = expected
                .iter()
                .position(|e| word::compare(e, x, context, true) >= Match::Related);
            if let Some(ei) = family {
                return vec![(ei, Match::Related)];
            }
        }
    }
    if let Some(ei) = clipped(expected, g) {
        return vec![(ei, Match::Related)];
    }
    let n = g.folded.chars().count();
    // Initials are typed as a short word that is not a French word, or in
    // capitals ("SAV", "cac").
    if !(2..=MAX_INITIALS).contains(&n) || (!g.acronym && lexicon::get().is_common(g)) {
        return Vec::new();
    }
    let letters: Vec<char> = g.folded.chars().collect();
    let Some(run) = (0..text.len()).find_map(|start| {
        let n_words = initials(&text[start..], &letters)?;
        Some(&text[start..start + n_words])
    }) else {
        return Vec::new();
    };
    run.iter()
        .filter_map(|w| expected.iter().position(|e| e.key == w.key))
        .map(|ei| (ei, Match::Exact))
        .collect()
}

/// Letters of initials that may stand for a function word between two
/// content words: « PDM », part *de* marché; « CDI », contrat *à* durée
/// indéterminée; « PME », petites *et* moyennes entreprises.
const FUNCTION_INITIALS: [char; 3] = ['d', 'a', 'e'];

/// How many of `words` (from the first) the initials `letters` spell, each
/// letter the first of the next word or, between two words, a function word
/// left out of the content words; `None` when they spell no run of at least
/// two words.
fn initials(words: &[Word], letters: &[char]) -> Option<usize> {
    let mut n_words = 0;
    let mut i = 0;
    while i < letters.len() {
        let l = letters[i];
        if words.get(n_words).is_some_and(|w| w.folded.starts_with(l)) {
            n_words += 1;
        } else if !(n_words > 0 && i + 1 < letters.len() && FUNCTION_INITIALS.contains(&l)) {
            return None;
        }
        i += 1;
    }
    (n_words >= 2).then_some(n_words)
}
