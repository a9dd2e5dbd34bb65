//! `/study`: the card, the answer, the verdict and the next review.

use super::{Lang, echo};
use crate::core::grade::{Grade, Verdict};

pub fn answer_button(lang: Lang) -> &'static str {
    lang.pick("Répondre", "Answer")
}

pub fn dont_know_button(lang: Lang) -> &'static str {
    lang.pick("Je ne sais pas", "I don't know")
}

pub fn answer_modal_title(lang: Lang) -> &'static str {
    lang.pick("Votre réponse", "Your answer")
}

pub fn answer_input_label(lang: Lang) -> &'static str {
    lang.pick("Réponse", "Answer")
}

pub fn reverse_hint(lang: Lang) -> &'static str {
    lang.pick(
        "Quel terme correspond à cette définition ?",
        "Which term matches this definition?",
    )
}

/// The footer of a study card: its deck and how many cards are left today.
pub fn card_footer(lang: Lang, deck: &str, n_left: usize) -> String {
    lang.pick(
        format!("Paquet : {deck} · {n_left} carte(s) à revoir"),
        format!("Deck: {deck} · {n_left} card(s) to go"),
    )
}

/// The end of a session; `next_due_ms` is when the next card comes due, shown
/// with Discord's relative timestamp (`<t:…:R>`, rendered in the reader's
/// language and time zone).
pub fn nothing_due(lang: Lang, next_due_ms: Option<i64>) -> String {
    let done = lang.pick(
        "Rien à revoir pour le moment. Bravo !",
        "Nothing to review right now. Well done!",
    );
    match next_due_ms {
        Some(ms) => {
            let at = ms.div_euclid(1000);
            lang.pick(
                format!("{done} Prochaine carte <t:{at}:R>."),
                format!("{done} Next card <t:{at}:R>."),
            )
        }
        None => done.to_string(),
    }
}

pub fn verdict(lang: Lang, verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Correct => lang.pick("✅ Correct", "✅ Correct"),
        Verdict::Close => lang.pick("🟡 Presque (petite faute)", "🟡 Close (small mistake)"),
        Verdict::Partial => lang.pick("🟠 En partie", "🟠 Partly right"),
        Verdict::Wrong => lang.pick("❌ Faux", "❌ Wrong"),
    }
}

pub fn dont_know_verdict(lang: Lang) -> &'static str {
    lang.pick("❔ Pas de réponse", "❔ No answer")
}

pub fn your_answer(lang: Lang) -> &'static str {
    lang.pick("Votre réponse", "Your answer")
}

pub fn expected_answer(lang: Lang) -> &'static str {
    lang.pick("Réponse attendue", "Expected answer")
}

pub fn next_review(lang: Lang, interval_days: u32) -> String {
    match (lang, interval_days) {
        (Lang::Fr, 0) => "Cette carte reviendra aujourd'hui.".to_string(),
        (Lang::Fr, 1) => "Prochaine révision dans 1 jour.".to_string(),
        (Lang::Fr, n) => format!("Prochaine révision dans {n} jours."),
        (Lang::En, 0) => "This card comes back today.".to_string(),
        (Lang::En, 1) => "Next review in 1 day.".to_string(),
        (Lang::En, n) => format!("Next review in {n} days."),
    }
}

pub fn self_rating_question(lang: Lang) -> &'static str {
    lang.pick(
        "Dans quelle mesure le saviez-vous ?",
        "How well did you know it?",
    )
}

/// The label of self-rating button `n` (1 to 5), as on the course's flashcards.
pub fn self_rating_label(lang: Lang, n: u8) -> String {
    let word = match (lang, n) {
        (Lang::Fr, 1) => "Pas du tout",
        (Lang::Fr, 2) => "Un peu",
        (Lang::Fr, 3) => "À moitié",
        (Lang::Fr, 4) => "Bien",
        (Lang::Fr, _) => "Parfaitement",
        (Lang::En, 1) => "Not at all",
        (Lang::En, 2) => "A little",
        (Lang::En, 3) => "Half",
        (Lang::En, 4) => "Well",
        (Lang::En, _) => "Perfectly",
    };
    format!("{n} · {word}")
}

pub fn self_rating_scale(lang: Lang) -> &'static str {
    lang.pick(
        "1 = Pas du tout … 5 = Parfaitement",
        "1 = Not at all … 5 = Perfectly",
    )
}

pub fn notes_label(lang: Lang) -> &'static str {
    lang.pick("Remarques", "Notes")
}

/// The grader's remarks on an answer (spelling fixes, hedging, what was
/// found, missing or extra), one per line, the student's words escaped;
/// `None` when there is nothing to add to the verdict and the expected
/// answer. The text is [`crate::remarks`]'s, shared with the terminal.
pub fn feedback_notes(lang: Lang, grade: &Grade) -> Option<String> {
    crate::remarks::notes(lang, grade, |s| echo(s, 100))
}
