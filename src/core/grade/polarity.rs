//! Meaning flips: "la synergie" answers the opposite of "le manque de
//! synergie", "traiter les clients avec un manque de cohérence" the opposite
//! of "éviter le traitement des clients avec un manque de cohérence".
//!
//! A text's polarity is the parity of its flips: negations ("pas", "sans",
//! "non", "jamais", "sinon": "if not"), words of lack and avoidance
//! ("manque", "absence", "éviter", "empêcher", "prévenir"), and a negative
//! prefix on a word whose stem the other text has ("incohérent" against
//! "cohérence", "asymétrique" against "symétrique"). Two flips cancel out,
//! so "traiter les clients de manière cohérente" keeps the meaning of
//! "éviter … un manque de cohérence".
//! A negation counts only where the other text speaks of what it governs
//! (the words after it, the verb of « ne … pas »): an answer that leaves
//! out a negated clause of a long definition has not reversed it.

use foldhash::{HashMap, HashSet};
use std::sync::OnceLock;

use super::DeckContext;
use super::lexicon::{self, Entries};
use super::normalize::{self, Word};
use super::word::{self, Match};

/// Words that flip the meaning of what they govern (folded forms).
const FLIP_WORDS: &[&str] = &[
    "pas", "non", "sans", "jamais", "aucun", "aucune", "rien", "nul", "nulle", "manque", "manquer",
    "absence", "absent", "eviter", "empecher", "prevenir", "sinon", "not", "no", "without",
];

/// Flip words that negate the word before them as well as those after
/// (« ne reviennent pas », « rentables ou non »).
const ADVERBS: &[&str] = &["pas", "non", "jamais", "rien", "not"];

/// Flip words of negative concord: after another flip of their clause they
/// repeat its negation (« sans aucun », « ne … jamais rien »).
const CONCORD: &[&str] = &["aucun", "aucune", "rien", "jamais", "nul", "nulle"];

/// Prefixes that negate the word they start ("in-cohérent", "dé-favorable").
const NEGATIVE_PREFIXES: &[&str] = &[
    "in", "im", "il", "ir", "des", "de", "dis", "mal", "a", "non",
];

/// What is left after a negative prefix must be a word of its own.
const MIN_STEM_CHARS: usize = 5;

pub(super) fn flip_keys() -> &'static HashSet<String> {
    static KEYS: OnceLock<HashSet<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        FLIP_WORDS
            .iter()
            .map(|w| normalize::light_stem(w))
            .collect()
    })
}

/// Whether a word is a flip word.
pub fn is_flip(word: &Word) -> bool {
    flip_keys().contains(&word.key) || flip_keys().contains(&word.folded)
}

/// A word with its lexicon entries, looked up once: each word of one text
/// is compared with every word of the other.
type Looked<'a> = (&'a Word, Entries<'static>);

fn looked_up(words: &[Word]) -> Vec<Looked<'_>> {
    let lexicon = lexicon::get();
    words.iter().map(|w| (w, lexicon.entries(&w.key))).collect()
}

/// Whether two words are one (either way round: a typo of the expected
/// word is the same word).
fn same_word(a: Looked, b: Looked, context: &DeckContext) -> bool {
    loose_match(a, b, context) >= Match::Related || loose_match(b, a, context) >= Match::Related
}

fn loose_match((e, e_entries): Looked, (g, g_entries): Looked, context: &DeckContext) -> Match {
    word::compare_with((e, &e_entries), (g, &g_entries), context, true)
}

/// Whether `word` is a negative-prefixed form of one of `others`
/// ("incohérente" of "cohérence") while not being one of them itself. What
/// is left after the prefix must be the other word or its relative, not a
/// mere look-alike ("avantage" is not "a-" + "vantage").
/// `same(i)`: whether `word` and `others[i]` are one word ([`same_word`]).
fn negated_form(
    word: Looked,
    others: &[Looked],
    mut same: impl FnMut(usize) -> bool,
    context: &DeckContext,
) -> bool {
    let stem = |p: &str| {
        word.0
            .folded
            .strip_prefix(p)
            .filter(|rest| rest.len() >= MIN_STEM_CHARS)
    };
    // The prefix test is cheap; comparing with every other word is not.
    if !NEGATIVE_PREFIXES.iter().any(|p| stem(p).is_some()) || (0..others.len()).any(&mut same) {
        return false;
    }
    let lexicon = lexicon::get();
    NEGATIVE_PREFIXES.iter().any(|p| {
        let Some(rest) = stem(p).and_then(normalize::single_word) else {
            return false;
        };
        let rest = (&rest, lexicon.entries(&rest.key));
        others.iter().any(|&o| {
            matches!(
                loose_match(o, rest, context),
                Match::Related | Match::Inflected | Match::Exact
            )
        })
    })
}

/// Content words after a flip that it governs.
const SCOPE_AFTER: usize = 3;

/// The words each flip of a text of `n_words` words governs (`role`: each
/// word's), one entry per negation: a run of adjacent flips ("non pas"),
/// or a flip with the concord word that repeats it. A flip governs up to
/// [`SCOPE_AFTER`] words after it, none beyond another flip or its
/// sentence (`sentence`: each word's); an adverb ([`ADVERBS`]) governs the
/// word before it too (the verb of « ne … pas », past the « ne »; after
/// « ne pas » side by side, only when nothing follows). « sans », « manque
/// de », « éviter » govern what follows them only.
fn flip_scopes(
    n_words: usize,
    sentence: &[usize],
    role: impl Fn(usize) -> Role,
) -> Vec<Vec<usize>> {
    let is_flip_at = |j: usize| matches!(role(j), Role::Flip { .. });
    let mut scopes: Vec<Vec<usize>> = Vec::new();
    // Where the last flip's run ended, for negative concord.
    let mut last_end: Option<usize> = None;
    let mut i = 0;
    while i < n_words {
        let Role::Flip { concord, .. } = role(i) else {
            i += 1;
            continue;
        };
        let start = i;
        while i < n_words && is_flip_at(i) {
            i += 1;
        }
        let after: Vec<usize> = (i..n_words)
            .take_while(|&j| !is_flip_at(j) && sentence[j] == sentence[i - 1])
            .take(SCOPE_AFTER)
            .collect();
        // Negative concord: « sans être contrôlé par aucune institution »
        // is one negation, not two that cancel out.
        let joins_last = concord
            && last_end.is_some_and(|end| {
                start - end <= SCOPE_AFTER && sentence[end - 1] == sentence[start]
            });
        last_end = Some(i);
        if joins_last && let Some(last) = scopes.last_mut() {
            last.extend(after);
            continue;
        }
        // « ne pas » side by side (« pour ne pas qu'ils sentent », « n'est
        // pas ») negates what follows, not the word before the « ne »,
        // unless nothing follows (« que tu n'as pas »).
        let ne_pas = start
            .checked_sub(1)
            .is_some_and(|j| matches!(role(j), Role::Ne));
        let adverb = (start..i).any(|j| matches!(role(j), Role::Flip { adverb: true, .. }));
        let before = (0..start)
            .rev()
            .take_while(|&j| !is_flip_at(j) && sentence[j] == sentence[start])
            .filter(|&j| !matches!(role(j), Role::Ne))
            .take(usize::from(adverb && (!ne_pas || after.is_empty())));
        scopes.push(before.chain(after).collect());
    }
    scopes
}

/// What a word does for polarity.
#[derive(Debug, Clone, Copy)]
enum Role {
    Plain,
    /// « ne », which points at the verb a later « pas » governs.
    Ne,
    Flip {
        /// Governs the word before it too ([`ADVERBS`]).
        adverb: bool,
        /// Joins a flip just before it into one negation ([`CONCORD`]).
        concord: bool,
    },
}

/// The [`Role`] of a word; `flip`: whether it is a flip word (the answer's
/// misspelt flips are too).
fn role(word: &Word, flip: bool) -> Role {
    let folded = word.folded.as_str();
    match (flip, folded) {
        (false, "ne") => Role::Ne,
        (false, _) => Role::Plain,
        (true, _) => Role::Flip {
            adverb: ADVERBS.contains(&folded) || !is_flip(word),
            concord: CONCORD.contains(&folded),
        },
    }
}

/// How many flips of a text are said of something the other text speaks
/// of: a flip counts when a word it governs is `covered` by the other
/// text, or when it governs nothing.
fn n_said_flips(scopes: &[Vec<usize>], mut covered: impl FnMut(usize) -> bool) -> usize {
    scopes
        .iter()
        .filter(|scope| scope.is_empty() || scope.iter().any(|&j| covered(j)))
        .count()
}

/// Which words of a text its flips govern, and how often it says each word
/// (by key) plainly, outside every flip. A governed word that the text
/// also says plainly is spoken of by the other text only where that text
/// governs it too, or says it plainly more often (« indépendante de
/// l'expérience … sans recours à l'expérience » answered « indépendante de
/// l'expérience » reverses nothing; « le SAV internet et le SAV
/// téléphone partagent … » for « le SAV internet ne communique pas avec le
/// SAV téléphone » speaks of both).
fn governed_and_plain<'a>(
    words: &'a [Word],
    scopes: &[Vec<usize>],
) -> (HashSet<usize>, HashMap<&'a str, usize>) {
    let governed: HashSet<usize> = scopes.iter().flatten().copied().collect();
    let mut plain: HashMap<&str, usize> = HashMap::default();
    for i in (0..words.len()).filter(|i| !governed.contains(i)) {
        *plain.entry(words[i].key.as_str()).or_default() += 1;
    }
    (governed, plain)
}

/// Whether a governed word of one text (`key`) may be the plain word of
/// the other: this text says it plainly too, and the other no more often.
fn plain_twin(key: &str, own: &HashMap<&str, usize>, other: &HashMap<&str, usize>) -> bool {
    own.get(key)
        .is_some_and(|&n| other.get(key).copied().unwrap_or(0) <= n)
}

/// Whether `given` says the opposite of `expected` (content words of each,
/// negations included).
pub fn flipped(expected: &[Word], given: &[Word], context: &DeckContext) -> bool {
    flipped_in(
        (expected, &vec![0; expected.len()]),
        (given, &vec![0; given.len()]),
        context,
    )
}

/// The sentence of each content word of `tokens`: a negation governs no
/// word of another sentence.
pub fn sentences(tokens: &[normalize::Token]) -> Vec<usize> {
    let mut n = 0;
    let mut out = Vec::new();
    for t in tokens {
        match t {
            normalize::Token::Break('.' | ';' | '!' | '?' | '\n') => n += 1,
            normalize::Token::Word(w) if w.is_content() => out.push(n),
            _ => {}
        }
    }
    out
}

/// [`flipped`] with the sentence of each word ([`sentences`]).
pub fn flipped_in(
    (expected, e_sentence): (&[Word], &[usize]),
    (given, g_sentence): (&[Word], &[usize]),
    context: &DeckContext,
) -> bool {
    let (e_looked, g_looked) = (looked_up(expected), looked_up(given));
    // A pair of words is asked about from both sides: decided once.
    let n_given_words = given.len();
    let mut decided: Vec<Option<bool>> = vec![None; expected.len() * n_given_words];
    let mut same = |ei: usize, gi: usize| {
        *decided[ei * n_given_words + gi]
            .get_or_insert_with(|| same_word(e_looked[ei], g_looked[gi], context))
    };
    let n_negated_expected = (0..expected.len())
        .filter(|&ei| negated_form(e_looked[ei], &g_looked, |gi| same(ei, gi), context))
        .count();
    let n_negated_given = (0..given.len())
        .filter(|&gi| negated_form(g_looked[gi], &e_looked, |ei| same(ei, gi), context))
        .count();
    // A flip counts when the other text speaks of what it governs: a
    // definition of several clauses may negate one the answer leaves out
    // (« … les éduquer. Il faut qu'ils aiment ton service et non juste les
    // rabais » answered « apprendre à les connaître et les éduquer »), and
    // an answer may negate in its own words (« sans exagérer »).
    let lexicon = lexicon::get();
    // What a negation governs is spoken of by its negated form too (« n'est
    // pas symétrique » against « asymétrique »), and by its opposite (« pas
    // statique » against « dynamique »: the opposite counts as a flip of
    // its own, [`n_swapped_for_opposite`]).
    let opposite_in = |word: &Word, others: &[Word]| {
        let opposites = lexicon.antonyms_of(&word.key);
        !opposites.is_empty() && others.iter().any(|o| opposites.contains(&o.key))
    };
    let reference_flips: Vec<&Word> = expected.iter().filter(|r| is_flip(r)).collect();
    // A misspelt flip word of the expected text is one ("mahque").
    let given_flips: Vec<bool> = given
        .iter()
        .map(|w| {
            is_flip(w)
                || reference_flips
                    .iter()
                    .any(|r| word::compare(r, w, context, false) == Match::Typo)
        })
        .collect();
    let e_scopes = flip_scopes(expected.len(), e_sentence, |ei| {
        role(&expected[ei], is_flip(&expected[ei]))
    });
    let g_scopes = flip_scopes(n_given_words, g_sentence, |gi| {
        role(&given[gi], given_flips[gi])
    });
    let (e_governed, e_plain) = governed_and_plain(expected, &e_scopes);
    let (g_governed, g_plain) = governed_and_plain(given, &g_scopes);
    let n_expected = n_said_flips(&e_scopes, |ei| {
        let twin = plain_twin(&expected[ei].key, &e_plain, &g_plain);
        (0..n_given_words).any(|gi| {
            // A negated form speaks of the negated word, never of its twin.
            ((!twin || g_governed.contains(&gi)) && same(ei, gi))
                || negated_form(g_looked[gi], &e_looked[ei..=ei], |_| same(ei, gi), context)
        }) || opposite_in(&expected[ei], given)
    }) + n_negated_expected;
    let n_given = n_said_flips(&g_scopes, |gi| {
        let twin = plain_twin(&given[gi].key, &g_plain, &e_plain);
        (0..expected.len()).any(|ei| {
            ((!twin || e_governed.contains(&ei)) && same(ei, gi))
                || negated_form(e_looked[ei], &g_looked[gi..=gi], |_| same(ei, gi), context)
        }) || opposite_in(&given[gi], expected)
    }) + n_negated_given
        + n_swapped_for_opposite(expected, given, context);
    n_expected % 2 != n_given % 2 || other_numbers(expected, given)
}

/// Expected words that the answer replaced by their opposite: missing from
/// it (not even as a synonym), while it has a word of opposite meaning that
/// is not there for an expected word of its own ("la demande *augmente*
/// quand le revenu augmente" for "la demande *diminue* quand le revenu
/// augmente").
fn n_swapped_for_opposite(expected: &[Word], given: &[Word], context: &DeckContext) -> usize {
    let lexicon = lexicon::get();
    let mut seen: Vec<&str> = Vec::new();
    let mut n = 0;
    for e in expected {
        if seen.contains(&e.key.as_str()) {
            continue;
        }
        seen.push(&e.key);
        let n_typed = |g: &Word| given.iter().filter(|x| x.key == g.key).count();
        let n_wanted = |g: &Word| {
            expected
                .iter()
                .filter(|x| word::compare(x, g, context, true).is_match())
                .count()
        };
        let opposites = lexicon.antonyms_of(&e.key);
        let opposite_typed = !opposites.is_empty()
            && given
                .iter()
                .any(|g| opposites.contains(&g.key) && n_typed(g) > n_wanted(g));
        if opposite_typed
            && !given
                .iter()
                .any(|g| word::compare(e, g, context, true).is_match())
        {
            n += 1;
        }
    }
    n
}

/// Whether the answer gives other numbers than the expected text: some of
/// the expected digits are missing and the answer has digits the text does
/// not ("dix-neuf vers" for "quatorze vers"). Digits are compared as a
/// multiset, so that notations of one number agree ("6,022 × 10²³",
/// "6,022.10^23"). Numbers are not flips: two wrong numbers do not cancel
/// out.
fn other_numbers(expected: &[Word], given: &[Word]) -> bool {
    let digits = |words: &[Word]| {
        let mut n = [0usize; 10];
        for d in words.iter().flat_map(|w| w.key.chars()) {
            if let Some(v) = d.to_digit(10) {
                n[v as usize] += 1;
            }
        }
        n
    };
    let (e, g) = (digits(expected), digits(given));
    let missing = e.iter().zip(&g).any(|(e, g)| e > g);
    let other = e.iter().zip(&g).any(|(e, g)| g > e);
    missing && other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expected: &str, answers: &[(&str, bool)]) {
        crate::core::grade::check_texts(normalize::content_words, flipped, expected, answers);
    }

    #[test]
    fn a_negation_governs_no_word_of_another_sentence() {
        let context = DeckContext::default();
        let read = |text: &str| {
            let tokens = normalize::tokenize(text);
            (crate::core::grade::content(&tokens), sentences(&tokens))
        };
        let expected = read("Ils se plaignent. Pas de reconquête.");
        let given = read("ils se plaignent");
        assert!(!flipped_in(
            (&expected.0, &expected.1),
            (&given.0, &given.1),
            &context
        ));
        // Read as one sentence, « pas » would govern « plaignent ».
        assert!(flipped(&expected.0, &given.0, &context));
    }

    #[test]
    fn flips_are_counted_by_parity() {
        check(
            "Le manque de synergie",
            &[
                ("la synergie", true),
                ("l'absence de synergie", false),
                ("le mahque de synergie", false),
            ],
        );
        check(
            "D'éviter le traitement des clients avec un manque de cohérence.",
            &[
                (
                    "le traitement des clients avec un manque de cohérence",
                    true,
                ),
                ("de traiter les clients de manière cohérente", false),
                (
                    "d'éviter de traiter les clients de façon incohérente",
                    false,
                ),
            ],
        );
        check(
            "Ce lien n'est pas symétrique",
            &[("le lien est asymétrique", false)],
        );
        check(
            "Pour prévenir le désabonnement",
            &[("pour éviter le désabonnement", false)],
        );
        check(
            "non pas sur une vente",
            &[("pas sur une seule vente", false)],
        );
        check("L'avantage produit", &[("l'avanrage produit", false)]);
        // A flip counts where the other text speaks of what it governs: the
        // answer leaves out the clause « non juste les rabais »…
        check(
            "Tu dois apprendre à les connaître et les éduquer. Il faut qu'ils \
             se mettent à aimer ton service et non juste les rabais.",
            &[
                ("il faut apprendre à les connaître et les éduquer", false),
                // …and one that keeps it keeps its flip.
                ("ils aiment juste les rabais", true),
            ],
        );
        // « ne pas » side by side negates what follows it.
        check(
            "Il faut dépenser pour eux mais pas en faire trop pour ne pas \
             qu'ils sentent de pression commerciale.",
            &[
                ("dépenser pour eux sans trop en faire", false),
                ("dépenser pour eux et en faire trop", true),
            ],
        );
        // « sinon » (« si non ») says what to avoid, as « pour ne pas que ».
        check(
            "Dépenser pour eux mais pas en faire trop pour ne pas qu'ils \
             sentent de pression commerciale.",
            &[(
                "dépenser pour eux mais pas trop en faire sinon ils sentent la pression commerciale",
                false,
            )],
        );
        // « ne VERBE pas » governs its verb.
        check(
            "Les clients ne reviennent pas après un cycle d'achat",
            &[("les clients reviennent après un cycle d'achat", true)],
        );
        check(
            "la demande diminue lorsque le revenu augmente",
            &[
                ("la demande augmente quand le revenu augmente", true),
                ("la demande baisse quand le revenu monte", false),
            ],
        );
        check(
            "ce qui augmente la probabilité",
            &[("ce qui la diminue", true)],
        );
        // A negated word said by its opposite keeps the meaning.
        check(
            "Ils ne dépensent pas beaucoup",
            &[
                ("ils dépensent peu", false),
                ("ils dépensent beaucoup", true),
            ],
        );
        // …and a negated opposite is the word itself.
        check(
            "On mènera des campagnes différentes",
            &[
                ("on fait des campagnes pas pareilles", false),
                ("on fait des campagnes pareilles", true),
            ],
        );
        check(
            "pas nécessairement de façon statique",
            &[("de façon dynamique", false), ("de façon statique", true)],
        );
        // A word said plainly and negated: the answer may speak of the
        // plain one.
        check(
            "Indépendante de l'expérience, acquise par la seule raison, sans \
             recours à l'expérience.",
            &[
                ("indépendante de l'expérience, connue par la raison", false),
                ("dépendante de l'expérience", true),
            ],
        );
        check(
            "Ne sont pas satisfaits. S'ils restent, ils seront plus satisfaits.",
            &[
                ("ils sont pas satisfaits", false),
                // A negated form speaks of the negated word.
                ("ils sont insatisfaits", false),
            ],
        );
        // …unless the answer says it plainly more often than the text.
        check(
            "Le service après vente par internet ne communique pas avec le \
             service après vente par téléphone.",
            &[(
                "le service après vente internet partage tout avec le service après vente téléphone",
                true,
            )],
        );
        // « sans » governs what follows it, not the word before it.
        check(
            "Elle est acquise par la raison, sans recours à l'expérience.",
            &[("connue par la raison", false)],
        );
        // Negative concord: « sans … aucune » is one negation.
        check(
            "Un régime sans être contrôlé par aucune autre institution",
            &[
                ("un régime qui n'est contrôlé par aucune institution", false),
                ("un régime contrôlé par une autre institution", true),
            ],
        );
        check(
            "de quatorze vers, deux quatrains et deux tercets",
            &[
                ("de dix-neuf vers : cinq tercets et un quatrain", true),
                ("14 vers, 2 quatrains, 2 tercets", false),
            ],
        );
    }
}
