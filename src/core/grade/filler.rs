//! Words that pad an answer (« je pense que », « la réponse est », « il
//! s'agit de », a hesitation: « euh », « bah »): stop words, unless the
//! expected text uses them as words of its own (« ce que le personnage
//! perçoit, pense et ressent »).

use super::normalize::Token;

/// Whether a folded word pads answers.
pub fn is_filler(folded: &str) -> bool {
    matches!(
        folded,
        "crois"
            | "agit"
            | "appelle"
            | "pense"
            | "reponse"
            | "voila"
            | "euh"
            | "heu"
            | "hum"
            | "hmm"
            | "bah"
            | "ben"
    )
}

/// Turn the fillers of an expected text into content words; their folded
/// forms.
pub fn as_content(tokens: &mut [Token]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tokens.iter_mut() {
        if let Token::Word(w) = t
            && is_filler(&w.folded)
        {
            w.stop = false;
            if !out.contains(&w.folded) {
                out.push(w.folded.clone());
            }
        }
    }
    out
}

/// Turn the words of `fillers` into content words in an answer.
pub fn as_content_of(tokens: &mut [Token], fillers: &[String]) {
    for t in tokens.iter_mut() {
        if let Token::Word(w) = t
            && fillers.contains(&w.folded)
        {
            w.stop = false;
        }
    }
}
