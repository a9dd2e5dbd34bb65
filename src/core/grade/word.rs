//! Comparing one typed word with one expected word: same word, same word
//! inflected, a typo of it, or a different word.
//!
//! The hard part is refusing near misses that are real different words.
//! Typo tolerance grows with word length (none under five letters, none on
//! acronyms: "RFM" is not "RFA"), the first letter must be right (prefixes
//! carry meaning: "actifs"/"inactifs", "conquête"/"reconquête",
//! "offensive"/"défensive"), and a typed word that the deck itself uses
//! elsewhere is a different word, not a typo.

use foldhash::HashSet;

use rust_stemmers::{Algorithm, Stemmer};

use super::lexicon::Entries;
use super::normalize::Word;
use super::{Correction, DeckContext, keyboard, lexicon, numbers};

/// Shortest word on which a neighbouring key on the first letter is a slip
/// (shorter words have too many real neighbours: "rue"/"tue").
const FIRST_SLIP_MIN_CHARS: usize = 5;

/// How well a typed word matches an expected word, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// A different word.
    None,
    /// A synonym from the thesaurus ("accroître"/"augmenter").
    Synonym,
    /// Same word family: "identifier"/"identification" (same Snowball
    /// stem), and in loose mode a long common beginning
    /// ("accroître"/"accroissement").
    Related,
    /// A misspelling of the expected word.
    Typo,
    /// The expected word inflected (plural, feminine...).
    Inflected,
    /// The expected word (accents and case aside).
    Exact,
}

impl Match {
    pub fn is_match(self) -> bool {
        self != Match::None
    }

    /// How much of the expected word's meaning the typed word carries: a
    /// synonym from a general thesaurus is often only close.
    pub fn strength(self) -> f32 {
        match self {
            Match::None => 0.0,
            Match::Synonym => 0.75,
            Match::Related => 0.85,
            Match::Typo => 0.95,
            Match::Inflected | Match::Exact => 1.0,
        }
    }
}

/// Words known to be real (from the deck), by [`Word::key`].
pub type Known = HashSet<String>;

/// Edits tolerated on a word of `n_chars` folded characters.
pub fn tolerance(n_chars: usize) -> usize {
    match n_chars {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// Compare a typed word with an expected word. `loose` also accepts words
/// that merely begin alike ([`Match::Related`]) without a verb among them,
/// for definitions.
pub fn compare(expected: &Word, given: &Word, context: &DeckContext, loose: bool) -> Match {
    let lexicon = lexicon::get();
    compare_with(
        (expected, &lexicon.entries(&expected.key)),
        (given, &lexicon.entries(&given.key)),
        context,
        loose,
    )
}

/// [`compare`] with each word's lexicon entries already looked up (for
/// comparing every expected word with every typed word).
pub fn compare_with(
    (expected, expected_entries): (&Word, &Entries),
    (given, given_entries): (&Word, &Entries),
    context: &DeckContext,
    loose: bool,
) -> Match {
    let known = context.known();
    if expected.folded == given.folded {
        return Match::Exact;
    }
    if expected.key == given.key {
        return Match::Inflected;
    }
    if let Some(same) = numbers::same_number(&expected.folded, &given.folded) {
        return if same { Match::Inflected } else { Match::None };
    }
    if expected.acronym || given.acronym {
        return Match::None;
    }
    if is_typo(expected, given, known) {
        return Match::Typo;
    }
    // A short answer is strict: a verb for its noun is the same answer
    // ("segmenter" for "segmentation"), two nouns of a family are not
    // ("fidélité" is not "fidélisation"), nor a relative that the deck uses
    // for a term of its own.
    let family_ok = loose
        || (!is_deck_term(given, context)
            && (is_verb_form(given)
                || is_verb_form(expected)
                || is_adjective_form(given) != is_adjective_form(expected)));
    if family_ok
        && (related(&expected.key, &given.key)
            || same_stem(expected, given)
            || same_base(&expected.folded, &given.folded)
            || expected_entries.same_family(given_entries))
    {
        return Match::Related;
    }
    // A word the deck uses for a term of its own is that term, not a
    // synonym of another ("prospect" is not "client" in a CRM deck).
    if expected_entries.has_synonym(given_entries) && !is_deck_term(given, context) {
        return Match::Synonym;
    }
    Match::None
}

/// A slip of the keyboard: few edits for the word's length, the first
/// letter right (or a neighbouring key, or swapped with the second), and
/// not a real word of the deck or of common French.
fn is_typo(expected: &Word, given: &Word, known: &Known) -> bool {
    // A real word of its own is not a misspelling (looked up only for a
    // word that could be one: most pairs differ from their first letter),
    // unless the expected word is none: the deck misspelt it.
    let real = || match spelt_right_of(expected, given) {
        Some(right) => !right,
        None => known.contains(&given.key),
    };
    let n_chars = expected.folded.chars().count();
    let tol = tolerance(n_chars);
    if tol == 0 {
        // A short word tolerates two letters swapped past the first one
        // (« laed » for « lead »), when that makes no word.
        return n_chars >= 3 && swapped_inside(&expected.folded, &given.folded) && !real();
    }
    let n_given = given.folded.chars().count();
    if n_chars.abs_diff(n_given) > tol {
        return false;
    }
    let mut e = expected.key.chars();
    let mut g = given.key.chars();
    let (e0, g0) = (e.next(), g.next());
    if e0 != g0 {
        let swapped = e.next() == g0 && g.next() == e0;
        if !swapped {
            // Wrong first letter: prefixes carry meaning ("actifs"/
            // "inactifs"). A neighbouring key is a slip when it is the only
            // one ("dissonance"/"consonance" is another word).
            return n_chars >= FIRST_SLIP_MIN_CHARS
                && e0.zip(g0).is_some_and(|(a, b)| keyboard::neighbours(a, b))
                && expected.key.get(1..) == given.key.get(1..)
                && !real();
        }
    }
    let tol = tol as f32;
    !real()
        && (keyboard::within(&expected.key, &given.key, tol)
            || ((expected.folded != expected.key || given.folded != given.key)
                && keyboard::within(&expected.folded, &given.folded, tol)))
}

/// Whether `b` is `a` with two neighbouring letters swapped, the first
/// letter kept.
fn swapped_inside(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let diff: Vec<usize> = (0..a.len()).filter(|&i| b.get(i) != a.get(i)).collect();
    a.len() == b.len()
        && matches!(diff[..], [i, j] if i >= 1 && j == i + 1 && a[i] == b[j] && a[j] == b[i])
}

/// Of a typed word and the expected word it is a typo of, whether the typed
/// one is the right spelling: a common word, where the expected one is not
/// (the deck's own slip, « parainnage » typed « parrainage »). `None`: the
/// typed word is no common word.
fn spelt_right_of(expected: &Word, given: &Word) -> Option<bool> {
    let lexicon = lexicon::get();
    lexicon
        .is_common(given)
        .then(|| !lexicon.is_common(expected))
}

/// The correction to show for a typed word that is a typo of an expected
/// one: none when the typed word is the right spelling of the deck's slip
/// (the student is not told to misspell it, nor graded down).
pub fn correction(expected: &Word, given: &Word) -> Option<Correction> {
    (spelt_right_of(expected, given) != Some(true)).then(|| Correction {
        given: given.text.clone(),
        expected: expected.text.clone(),
    })
}

/// Whether a word alone is one of the deck's short answers ("prospect").
fn is_deck_term(word: &Word, context: &DeckContext) -> bool {
    context.is_term(std::slice::from_ref(word))
}

/// Whether a word looks like a verb: an infinitive or a participle
/// ("acquérir", "segmenter", "sortant", "ciblé"), not a noun in "-ité".
fn is_verb_form(word: &Word) -> bool {
    let f = word.folded.as_str();
    // The last two letters as typed, lowercase: a participle keeps its
    // accent ("ciblé", "ciblée", "ciblés").
    let mut last = word.text.chars().rev().flat_map(char::to_lowercase);
    let (z, y) = (last.next(), last.next());
    let participle = z == Some('é') || (y == Some('é') && matches!(z, Some('e' | 's')));
    f.ends_with("er")
        || f.ends_with("ir")
        || (f.ends_with("re") && f.len() > 4)
        || f.ends_with("ant")
        || (participle && !f.ends_with("ite") && !f.ends_with("ites"))
        || present_of_er_verb(f)
}

/// Whether a word is the present of a verb in « -er » that French has
/// (« recommande », « consomment »).
fn present_of_er_verb(f: &str) -> bool {
    ["e", "es", "ent"].iter().any(|end| {
        f.strip_suffix(end)
            .is_some_and(|stem| lexicon::get().is_common_folded(&format!("{stem}er")))
    })
}

/// Whether a word looks like an adjective ("déclaratif", "concurrentielle",
/// "relationnel", "économique"): an adjective for its noun is the same
/// concept ("biais de déclaration" for "biais déclaratif"), two nouns of a
/// family are not.
pub(crate) fn is_adjective_form(word: &Word) -> bool {
    const SUFFIXES: &[&str] = &[
        "if", "ifs", "ive", "ives", "el", "els", "elle", "elles", "al", "ale", "aux", "ales",
        "ique", "iques", "aire", "aires", "eux", "euse", "euses", "able", "ables", "ible", "ibles",
    ];
    SUFFIXES.iter().any(|s| word.folded.ends_with(s))
}

/// Shortest Snowball stem that identifies a word family.
const MIN_STEM_CHARS: usize = 5;

/// Same French Snowball stem: "segmenter"/"segmentation",
/// "identifier"/"identification" (but "fidélité" and "fidélisation" differ).
fn same_stem(a: &Word, b: &Word) -> bool {
    // Equal stems share their first MIN_STEM_CHARS letters: checked first,
    // since stemming is the costly part.
    fn prefix(w: &Word) -> Option<&str> {
        w.folded.get(..MIN_STEM_CHARS)
    }
    if a.folded.len() < MIN_STEM_CHARS || b.folded.len() < MIN_STEM_CHARS || prefix(a) != prefix(b)
    {
        return false;
    }
    let stemmer = Stemmer::create(Algorithm::French);
    let sa = stemmer.stem(&a.folded);
    sa.chars().count() >= MIN_STEM_CHARS && sa == stemmer.stem(&b.folded)
}

/// Same word family: a long common beginning ("accroissement"/"accroître",
/// "prévenir"/"prévention", "transaction"/"transactionnel").
/// An adjective in « -able », « -ible » and its noun in « -abilité »,
/// « -ibilité » (« stable » / « stabilité », « fiable » / « fiabilité »),
/// too short a beginning in common for [`related`].
fn same_base(a: &str, b: &str) -> bool {
    fn base(w: &str) -> Option<(&str, char)> {
        let w = w.strip_suffix('s').unwrap_or(w);
        ["abilite", "ibilite", "able", "ible"]
            .iter()
            .find_map(|end| Some((w.strip_suffix(end)?, end.chars().next()?)))
    }
    a != b && base(a).is_some_and(|x| base(b) == Some(x) && x.0.len() >= 3)
}

fn related(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 5 && common * 3 >= shorter * 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::grade::normalize::words;

    fn check(expected: &str, given: &str, want: Match) {
        let e = &words(expected)[0];
        let g = &words(given)[0];
        assert_eq!(
            compare(e, g, &DeckContext::default(), false),
            want,
            "{expected} vs {given}"
        );
    }

    #[test]
    fn word_rules() {
        check("mécontents", "mecontents", Match::Exact);
        check("inactifs", "inactif", Match::Inflected);
        check("nouveaux", "nouveau", Match::Inflected);
        check("client", "cliente", Match::Inflected);
        check("inactifs", "innactifs", Match::Typo);
        check("fidélisation", "fidélistion", Match::Typo);
        check("inactifs", "actifs", Match::None);
        check("défensive", "offensive", Match::None);
        check("reconquête", "conquête", Match::None);
        check("RFM", "RFA", Match::None);
        check("suspect", "respect", Match::None);
        check("suspect", "prospect", Match::None);
        check("développement", "déploiement", Match::None);
        check("fidélisation", "fidélité", Match::None);
        check("acquisition", "acquérir", Match::Related);
        check("segmentation", "segmenter", Match::Related);
        check("panier", "lanier", Match::Typo);
        check("cartes", "xartes", Match::Typo);
        check("potentiel", "lotentiel", Match::Typo);
        check("clients", "xlients", Match::Typo);
        check("stabilité", "stable", Match::Related);
        check("fiabilité", "fiables", Match::Related);
        check("panier", "ranier", Match::None);
        check("rue", "tue", Match::None);
    }
}
