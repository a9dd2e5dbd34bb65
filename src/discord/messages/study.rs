//! `/study`: the card, the answer, the verdict and the next review.

use super::{Lang, echo};
use crate::core::grade::{Grade, Verdict};

fixed_texts! {
    answer_button: "Répondre", "Answer";
    dont_know_button: "Je ne sais pas", "I don't know";
    answer_modal_title: "Votre réponse", "Your answer";
    answer_input_label: "Réponse", "Answer";
    reverse_hint: "Quel terme correspond à cette définition ?", "Which term matches this definition?";
    dont_know_verdict: "❔ Pas de réponse", "❔ No answer";
    your_answer: "Votre réponse", "Your answer";
    expected_answer: "Réponse attendue", "Expected answer";
    self_rating_question: "Dans quelle mesure le saviez-vous ?", "How well did you know it?";
    self_rating_scale: "1 = Pas du tout … 5 = Parfaitement", "1 = Not at all … 5 = Perfectly";
    notes_label: "Remarques", "Notes";
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

/// The label of self-rating button `n` (1 to 5), as on the course's flashcards.
pub fn self_rating_label(lang: Lang, n: u8) -> String {
    const WORDS: [(&str, &str); 5] = [
        ("Pas du tout", "Not at all"),
        ("Un peu", "A little"),
        ("À moitié", "Half"),
        ("Bien", "Well"),
        ("Parfaitement", "Perfectly"),
    ];
    // Any other number reads as the top of the scale.
    let i = if (1..=4).contains(&n) {
        usize::from(n) - 1
    } else {
        4
    };
    let (fr, en) = WORDS[i];
    format!("{n} · {}", lang.pick(fr, en))
}

/// The grader's remarks on an answer (spelling fixes, hedging, what was
/// found, missing or extra), one per line, the student's words escaped;
/// `None` when there is nothing to add to the verdict and the expected
/// answer. The text is [`crate::remarks`]'s, shared with the terminal.
pub fn feedback_notes(lang: Lang, grade: &Grade) -> Option<String> {
    crate::remarks::notes(lang, grade, |s| echo(s, 100))
}
