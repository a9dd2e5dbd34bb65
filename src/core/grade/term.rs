//! Grading a short answer: a term such as "Clients inactifs", "Méthode RFM"
//! or "Gestion de la relation client (GRC)".
//!
//! A term is split into its head ("Profilage", "Clients inactifs") and its
//! complement (what follows the first preposition: "des meilleurs clients").
//! The distinctive words of the head are required; generic words ("clients",
//! "méthode") and the complement are optional. When the head has no
//! distinctive word, the complement's distinctive words are required instead
//! ("attrition" answers "Taux d'attrition"; "valeur moyenne" is only partial
//! for "Valeur moyenne de commande").
//! Text in parentheses is optional and also an answer on its own.
//!
//! Refused: a missing distinctive word, extra words that are not part of the
//! term (even generic ones: "marketing de masse" is not "Personnalisation de
//! masse"), another answer of the same deck, and hedging between candidates
//! ("RFM ou RFA").

use super::align::{Alignment, align};
use super::normalize::{self, Token, Word};
use super::polarity;
use super::word::{self, Match};
use super::{Asked, DeckContext, Outcome, Verdict, right};

/// A head word this short is too vague to answer alone when the term also
/// has a distinctive complement ("lien" for "Lien de proximité").
const SHORT_HEAD_CHARS: usize = 7;

/// `text` with every parenthesised part removed.
pub fn without_parentheses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The forms of a term that are each a full answer: the text without its
/// parenthesised parts, and each parenthesised part ("Valeur à vie du client
/// (CLV)" → "Valeur à vie du client", "CLV").
pub fn alternatives(text: &str) -> Vec<String> {
    let text = normalize::cap(text);
    let mut alts = vec![without_parentheses(text)];
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                if depth == 0 {
                    inner.clear();
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    alts.push(std::mem::take(&mut inner));
                }
            }
            _ if depth > 0 => inner.push(c),
            _ => {}
        }
    }
    alts.retain(|a| a.chars().any(char::is_alphanumeric));
    alts
}

/// A prepared form of the term: its content words and which are required.
#[derive(Debug)]
struct Form {
    words: Vec<Word>,
    /// Every content word, repeats included (negations are counted).
    all_words: Vec<Word>,
    /// The content words of the whole expected text, parentheses included,
    /// and of the question: typed, they are part of the answer, not extra
    /// ("(cas du groupe Addoha)" copied with the term). Empty when they
    /// would be `all_words` again (no parentheses, no question).
    optional: Vec<Word>,
    required: Vec<bool>,
    has_hedge_word: bool,
    /// Has words after a preposition ("Profilage *des meilleurs clients*").
    has_complement: bool,
}

/// The content words of an answer, and where its tail starts: the first
/// word after a preposition or an opening parenthesis that follows the
/// answer's first word ("reconquête *des clients perdus*"). A tail can
/// explain a term without changing it.
struct Given {
    words: Vec<Word>,
    tail_start: usize,
}

impl Given {
    fn new(tokens: &[Token]) -> Self {
        let mut words = Vec::new();
        let mut tail_start = None;
        for token in tokens {
            match token {
                Token::Word(w) if w.is_content() => words.push(w.clone()),
                Token::Word(w)
                    if normalize::is_preposition(&w.folded)
                        && !words.is_empty()
                        && tail_start.is_none() =>
                {
                    tail_start = Some(words.len());
                }
                Token::Break('(') if !words.is_empty() && tail_start.is_none() => {
                    tail_start = Some(words.len());
                }
                _ => {}
            }
        }
        let tail_start = tail_start.unwrap_or(words.len());
        Given { words, tail_start }
    }
}

fn form(text: &str, context: &DeckContext, question: &[Word]) -> Form {
    let tokens = normalize::tokenize(text);
    let all_words = super::content(&tokens);
    let has_hedge_word = tokens.iter().any(is_hedge_separator);
    let mut head: Vec<Word> = Vec::new();
    let mut complement: Vec<Word> = Vec::new();
    let mut in_complement = false;
    for token in tokens {
        let Token::Word(w) = token else { continue };
        if !in_complement && !head.is_empty() && normalize::is_preposition(&w.folded) {
            in_complement = true;
        }
        if w.stop {
            continue;
        }
        let seen = head.iter().chain(&complement).any(|h| h.key == w.key);
        if seen {
            continue;
        }
        if in_complement {
            complement.push(w);
        } else {
            head.push(w);
        }
    }
    // Distinctive: not a generic head word, not common to the deck's
    // terms, and not already said by the question.
    let asked = |w: &Word| question.iter().any(|q| q.key == w.key);
    let distinctive = |w: &Word| !context.is_generic(w) && !asked(w);
    let head_d: Vec<bool> = head.iter().map(distinctive).collect();
    let comp_d: Vec<bool> = complement.iter().map(distinctive).collect();
    let n_head_d = head_d.iter().filter(|&&d| d).count();
    let (head_req, comp_req): (Vec<bool>, Vec<bool>) = if n_head_d > 0 {
        let short_head = n_head_d == 1
            && head
                .iter()
                .zip(&head_d)
                .any(|(w, &d)| d && w.folded.chars().count() < SHORT_HEAD_CHARS);
        let comp = if short_head {
            comp_d.clone()
        } else {
            vec![false; complement.len()]
        };
        (head_d, comp)
    } else if comp_d.iter().any(|&d| d) {
        // A generic head ("Taux d'attrition", "Le manque de synergie"): the
        // complement identifies the term.
        (vec![false; head.len()], comp_d)
    } else {
        (vec![true; head.len()], vec![true; complement.len()])
    };
    let has_complement = !complement.is_empty();
    let mut words = head;
    words.extend(complement);
    let mut required = head_req;
    required.extend(comp_req);
    Form {
        all_words,
        optional: Vec::new(),
        words,
        required,
        has_hedge_word,
        has_complement,
    }
}

fn is_hedge_separator(token: &Token) -> bool {
    match token {
        Token::Word(w) => matches!(w.folded.as_str(), "ou" | "or" | "soit"),
        Token::Break(c) => *c == '/',
    }
}

/// Grade a term answer (any of the expected text's forms or of the other
/// accepted answers); the question's words need not be repeated.
pub(crate) fn grade(asked: &Asked, given: &[Token], context: &DeckContext) -> Outcome {
    let question = asked.question;
    let forms: Vec<Form> = asked
        .texts()
        .flat_map(|text| {
            let alts = alternatives(text);
            // Without parentheses the one form is the whole text: its words
            // need not be folded twice.
            let plain = alts.len() == 1 && alts[0] == text && question.is_empty();
            let whole = if plain {
                Vec::new()
            } else {
                normalize::content_words(text)
            };
            alts.into_iter().map(move |alt| {
                let mut f = form(&alt, context, question);
                if !plain {
                    // The whole text's words, and the question's: repeating
                    // what was asked adds nothing wrong ("segmenter les
                    // clients" for "…regrouper les clients ?").
                    f.optional = whole.iter().chain(question).cloned().collect();
                }
                f
            })
        })
        .filter(|f| !f.words.is_empty())
        .collect();
    if forms.is_empty() {
        return Outcome::wrong();
    }
    let whole = best(&forms, &Given::new(given), context);
    if forms.iter().any(|f| f.has_hedge_word) {
        return whole;
    }
    // Hedging: several candidates, some right and some not, is wrong.
    let has_words = |part: &[Token]| {
        part.iter()
            .any(|t| matches!(t, Token::Word(w) if w.is_content()))
    };
    if given
        .split(is_hedge_separator)
        .filter(|p| has_words(p))
        .count()
        < 2
    {
        return whole;
    }
    let parts: Vec<Given> = given
        .split(is_hedge_separator)
        .map(Given::new)
        .filter(|p| !p.words.is_empty())
        .collect();
    if parts.len() < 2 {
        return whole;
    }
    let graded: Vec<Outcome> = parts.iter().map(|p| best(&forms, p, context)).collect();
    let n_right = graded.iter().filter(|o| o.verdict.is_accepted()).count();
    if n_right == graded.len() {
        graded
            .into_iter()
            .reduce(|a, b| if b.better_than(&a) { b } else { a })
            .unwrap_or(whole)
    } else if n_right > 0 {
        let mut out = Outcome::wrong();
        out.findings.hedge = true;
        out.findings.found = whole.findings.found;
        out.findings.extra = whole.findings.extra;
        out
    } else {
        whole
    }
}

fn best(forms: &[Form], given: &Given, context: &DeckContext) -> Outcome {
    if given.words.is_empty() {
        let mut out = Outcome::wrong();
        out.findings.missing = required_texts(&forms[0]);
        return out;
    }
    let mut best: Option<Outcome> = None;
    for f in forms {
        let o = evaluate(f, given, context);
        if best.as_ref().is_none_or(|b| o.better_than(b)) {
            best = Some(o);
        }
    }
    let mut best = best.unwrap_or_else(Outcome::wrong);
    // Typing another answer of the deck is a trap, never partial credit.
    if best.verdict == Verdict::Partial && context.is_term(&given.words) {
        best.verdict = Verdict::Wrong;
        best.score = 0.0;
    }
    best
}

fn required_texts(f: &Form) -> Vec<String> {
    f.words
        .iter()
        .zip(&f.required)
        .filter(|(_, r)| **r)
        .map(|(w, _)| w.text.clone())
        .collect()
}

/// Whether the two lists are the same letters run together: "data mining"
/// and "datamining" are one answer.
fn same_joined(a: &[Word], b: &[Word]) -> bool {
    a.iter()
        .flat_map(|w| w.folded.bytes())
        .eq(b.iter().flat_map(|w| w.folded.bytes()))
}

fn evaluate(f: &Form, answer: &Given, context: &DeckContext) -> Outcome {
    let given = &answer.words[..];
    if f.words.len() != given.len() && same_joined(&f.words, given) {
        let mut out = Outcome::wrong();
        (out.verdict, out.score) = right(&[]);
        out.findings.found = f.words.iter().map(|w| w.text.clone()).collect();
        return out;
    }
    // Best match of each expected word among the given words.
    let Alignment {
        best: mut matched,
        mut used,
    } = align(&f.words, given, context, false);
    if let [Some((Match::Synonym, gi))] = matched[..] {
        // A one-word term is a concept of its own: its thesaurus synonyms
        // name other concepts ("prospect" is not "client").
        matched[0] = None;
        used[gi] = false;
    }
    let optional = if f.optional.is_empty() {
        &f.all_words
    } else {
        &f.optional
    };
    if used.iter().any(|u| !u) && optional.len() > f.words.len() {
        let optional = align(optional, given, context, false);
        for (u, o) in used.iter_mut().zip(&optional.used) {
            *u |= *o;
        }
    }
    let extra: Vec<String> = given
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g.text.clone())
        .collect();
    let n = f.words.len();
    let n_matched = matched.iter().filter(|m| m.is_some()).count();
    let required_ok = matched
        .iter()
        .zip(&f.required)
        .all(|(m, r)| !r || m.is_some());
    let mut corrections = Vec::new();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for ((e, m), r) in f.words.iter().zip(&matched).zip(&f.required) {
        match m {
            Some((Match::Typo, gi)) => {
                found.push(e.text.clone());
                corrections.extend(word::correction(e, &given[*gi]));
            }
            Some(_) => found.push(e.text.clone()),
            None if *r => missing.push(e.text.clone()),
            None => {}
        }
    }
    // Extra words only in a tail after the whole term ("reconquête des
    // clients perdus") explain it; not when the term has a complement of its
    // own that the tail could contradict.
    let explained = !f.has_complement
        && given
            .iter()
            .enumerate()
            .zip(&used)
            .all(|((gi, _), u)| *u == (gi < answer.tail_start));
    // "pas la fidélisation" says the opposite (checked last: it is the
    // costly test, and only matters for an answer that would earn credit).
    let negated = || polarity::flipped(&f.all_words, given, context);
    let (verdict, score) = if required_ok && (extra.is_empty() || explained) {
        right(&corrections)
    } else if required_ok && matched[0].is_some() {
        // Right words plus others: credit shared with the extras.
        (
            Verdict::Partial,
            n_matched as f32 / (n + extra.len()) as f32,
        )
    } else if extra.is_empty() && n >= 3 && matched[0].is_some() && n_matched * 2 >= n {
        (Verdict::Partial, n_matched as f32 / n as f32)
    } else {
        (Verdict::Wrong, 0.0)
    };
    let (verdict, score) = if verdict != Verdict::Wrong && negated() {
        (Verdict::Wrong, 0.0)
    } else {
        (verdict, score)
    };
    if verdict == Verdict::Partial || verdict == Verdict::Wrong {
        // A required word missing: show every word of the term that is absent.
        missing = f
            .words
            .iter()
            .zip(&matched)
            .filter(|(_, m)| m.is_none())
            .map(|(w, _)| w.text.clone())
            .collect();
    }
    Outcome::graded((verdict, score), found, missing, extra, corrections)
}
