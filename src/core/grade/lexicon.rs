//! What the grader knows of French beyond the deck: which words are common
//! (and how common), which are synonyms, which belong to one word family,
//! and the abbreviations students use in notes.
//!
//! The data is public (see `data/LICENSES.md`), reduced by the scripts in
//! `scripts/grading/` to what grading needs, built into the binary and
//! parsed once, on first use. Every table is keyed by the grader's own word
//! forms ([`Word::folded`] or [`Word::key`]), so a lookup is one hash probe.

use foldhash::HashMap;
use std::sync::OnceLock;

use super::normalize::{self, Word};

const LEXICON: &str = include_str!("data/lexicon.txt");
const SYNONYMS: &str = include_str!("data/synonyms.txt");
const FAMILIES: &str = include_str!("data/families.txt");
const ABBREVIATIONS: &str = include_str!("data/abbreviations.txt");
const ANTONYMS: &str = include_str!("data/antonyms.txt");
const LEMMAS: &str = include_str!("data/lemmas.txt");

/// Synonyms kept per headword: the thesaurus lists the closest first, and
/// its later entries drift ("public" → "monde", "aide").
const SYNONYMS_PER_WORD: usize = 8;

/// The parsed tables.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Frequency rank (0 = most frequent) by folded form.
    rank: HashMap<Box<str>, u32>,
    /// Rank of the most frequent form, by key.
    key_rank: HashMap<Box<str>, u32>,
    n_words: u32,
    /// A number for each key that has synonyms or a family: the lists
    /// below hold numbers, not strings (a string per entry cost the bot
    /// about 10 MB more).
    ids: HashMap<Box<str>, u32>,
    /// Synonyms (ids) by id, both ways.
    synonyms: Vec<Box<[u32]>>,
    /// Word families (index into a family list) by id; a word may belong
    /// to several.
    families: Vec<Box<[u32]>>,
    /// The words an abbreviation stands for, by its folded form.
    abbreviations: HashMap<Box<str>, Vec<Word>>,
    /// Opposite keys by key, both ways.
    antonyms: HashMap<String, Vec<String>>,
}

/// One word's entries in the tables ([`Lexicon::entries`]).
#[derive(Debug, Clone, Copy)]
pub struct Entries<'a> {
    /// The word's id, `None` when it has no synonym and no family.
    id: Option<u32>,
    families: &'a [u32],
    synonyms: &'a [u32],
}

impl Entries<'_> {
    /// Whether the two words belong to one family ("acquérir"/"acquisition").
    pub fn same_family(&self, other: &Entries) -> bool {
        self.families.iter().any(|f| other.families.contains(f))
    }

    /// Whether the other word is one of this word's synonyms.
    pub fn has_synonym(&self, other: &Entries) -> bool {
        other.id.is_some_and(|id| self.synonyms.contains(&id))
    }
}

/// The infinitive of an irregularly conjugated verb form, folded
/// ("maintient" → "maintenir", "accroit" → "accroitre"): the data lists
/// are by infinitive, and regular endings are already removed by
/// [`normalize::light_stem`]. Its own table, since building the lexicon
/// folds words, which asks this.
pub fn infinitive(folded: &str) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            LEMMAS
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('|'))
                .collect()
        })
        .get(folded)
        .copied()
}

static LEXICON_TABLES: OnceLock<Lexicon> = OnceLock::new();

/// The tables, parsed on first use (about 0.1 s in a release build: the
/// bot parses them at start, [`super::warm_up`]).
pub fn get() -> &'static Lexicon {
    LEXICON_TABLES.get_or_init(Lexicon::load)
}

/// Whether the tables are parsed already.
pub fn is_loaded() -> bool {
    LEXICON_TABLES.get().is_some()
}

/// Data lines: comments (`#`) and blank lines skipped.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The list at `id` in `lists`, grown to it if needed.
fn list_of(lists: &mut Vec<Vec<u32>>, id: u32) -> &mut Vec<u32> {
    let i = id as usize;
    if lists.len() <= i {
        lists.resize_with(i + 1, Vec::new);
    }
    &mut lists[i]
}

/// The grader's word for one word of a data file.
fn word_of(text: &str) -> Option<Word> {
    normalize::single_word(text)
}

impl Lexicon {
    fn load() -> Self {
        let mut lexicon = Lexicon::default();
        for (idx, line) in lines(LEXICON).enumerate() {
            let Some(w) = word_of(line) else { continue };
            let rank = idx as u32;
            lexicon.rank.entry(w.folded.into()).or_insert(rank);
            lexicon.key_rank.entry(w.key.into()).or_insert(rank);
            lexicon.n_words = rank + 1;
        }
        // Built as growable lists, kept as boxed slices (no spare capacity).
        let mut synonyms: Vec<Vec<u32>> = Vec::new();
        let mut families: Vec<Vec<u32>> = Vec::new();
        for line in lines(SYNONYMS) {
            let mut words = line.split('|').filter_map(word_of);
            let Some(head) = words.next() else { continue };
            for syn in words.take(SYNONYMS_PER_WORD) {
                if syn.key == head.key || syn.stop || head.stop {
                    continue;
                }
                let (a, b) = (lexicon.id(&head.key), lexicon.id(&syn.key));
                for (from, to) in [(a, b), (b, a)] {
                    let list = list_of(&mut synonyms, from);
                    if !list.contains(&to) {
                        list.push(to);
                    }
                }
            }
        }
        for (idx, line) in lines(FAMILIES).enumerate() {
            for w in line.split('|').filter_map(word_of) {
                let list = list_of(&mut families, lexicon.id(&w.key));
                if !list.contains(&(idx as u32)) {
                    list.push(idx as u32);
                }
            }
        }
        let n_ids = lexicon.ids.len();
        synonyms.resize_with(n_ids, Vec::new);
        families.resize_with(n_ids, Vec::new);
        lexicon.synonyms = synonyms.into_iter().map(Vec::into_boxed_slice).collect();
        lexicon.families = families.into_iter().map(Vec::into_boxed_slice).collect();
        for line in lines(ABBREVIATIONS) {
            let Some((abbr, expansion)) = line.split_once('|') else {
                continue;
            };
            let Some(abbr) = word_of(abbr) else { continue };
            let words = normalize::content_words(expansion);
            if !words.is_empty() {
                lexicon.abbreviations.insert(abbr.folded.into(), words);
            }
        }
        for line in lines(ANTONYMS) {
            let Some((a, b)) = line.split_once('|') else {
                continue;
            };
            let (Some(a), Some(b)) = (word_of(a), word_of(b)) else {
                continue;
            };
            lexicon
                .antonyms
                .entry(a.key.clone())
                .or_default()
                .push(b.key.clone());
            lexicon.antonyms.entry(b.key).or_default().push(a.key);
        }
        lexicon
    }

    /// A word's families and synonyms, looked up once for comparing it with
    /// many words.
    pub fn entries<'a>(&'a self, key: &str) -> Entries<'a> {
        let id = self.ids.get(key).copied();
        let list = |lists: &'a [Box<[u32]>]| -> &'a [u32] {
            id.and_then(|id| lists.get(id as usize)).map_or(&[], |l| l)
        };
        Entries {
            id,
            families: list(&self.families),
            synonyms: list(&self.synonyms),
        }
    }

    /// Whether two keys are of opposite meaning ("augmente"/"diminue").
    pub fn are_antonyms(&self, a: &str, b: &str) -> bool {
        self.antonyms_of(a).iter().any(|k| k == b)
    }

    /// The keys of opposite meaning to `key` (looked up once for comparing
    /// it with many words).
    pub fn antonyms_of(&self, key: &str) -> &[String] {
        self.antonyms.get(key).map_or(&[], Vec::as_slice)
    }

    /// The id of `key`, given it now if it has none.
    fn id(&mut self, key: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(key.into()).or_insert(next)
    }

    /// Whether a word, as typed, is a common French word ("lanier" is not,
    /// though "lanière" is).
    pub fn is_common(&self, word: &Word) -> bool {
        self.is_common_folded(&word.folded)
    }

    /// [`Self::is_common`] of a folded form.
    pub fn is_common_folded(&self, folded: &str) -> bool {
        self.rank.contains_key(folded)
    }

    /// How much a word says, from 0 (the most common words) to 1 (words
    /// rarer than the lexicon's 50,000, usually the technical terms): the
    /// log of its frequency rank, which is Zipf's law read backwards.
    pub fn informativeness(&self, word: &Word) -> f32 {
        let rank = self
            .rank
            .get(word.folded.as_str())
            .or_else(|| self.key_rank.get(word.key.as_str()));
        match rank {
            Some(&r) if self.n_words > 1 => {
                ((r as f32 + 1.0).ln() / (self.n_words as f32).ln()).clamp(0.0, 1.0)
            }
            _ => 1.0,
        }
    }

    /// The content words a note-taking abbreviation stands for ("pdv" →
    /// point, vente), plural or not ("perfs").
    pub fn expansion(&self, folded: &str) -> Option<&[Word]> {
        self.abbreviations
            .get(folded)
            .or_else(|| self.abbreviations.get(folded.strip_suffix('s')?))
            .map(Vec::as_slice)
    }

    /// Whether two keys are listed as synonyms.
    pub fn are_synonyms(&self, a: &str, b: &str) -> bool {
        self.entries(a).has_synonym(&self.entries(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Word {
        word_of(text).unwrap()
    }

    #[test]
    fn common_words_say_less_than_technical_ones() {
        let lexicon = get();
        assert!(lexicon.is_common(&w("actifs")));
        assert!(!lexicon.is_common(&w("innactifs")));
        let faut = lexicon.informativeness(&w("faut"));
        let nette = lexicon.informativeness(&w("nette"));
        let fidelisation = lexicon.informativeness(&w("fidélisation"));
        assert!(
            faut < nette && nette < fidelisation,
            "{faut} {nette} {fidelisation}"
        );
    }

    #[test]
    fn synonyms_go_both_ways() {
        let lexicon = get();
        assert!(lexicon.are_synonyms(&w("augmenter").key, &w("accroître").key));
        assert!(lexicon.are_synonyms(&w("accroître").key, &w("augmenter").key));
        assert!(!lexicon.are_synonyms(&w("augmenter").key, &w("diminuer").key));
    }

    #[test]
    fn antonyms_go_both_ways_and_take_inflections() {
        let lexicon = get();
        assert!(lexicon.are_antonyms(&w("augmente").key, &w("diminue").key));
        assert!(lexicon.are_antonyms(&w("diminuer").key, &w("augmenter").key));
        assert!(lexicon.are_antonyms(&w("sortants").key, &w("entrant").key));
        assert!(!lexicon.are_antonyms(&w("augmente").key, &w("accroître").key));
    }
}
