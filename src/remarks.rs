//! The grader's remarks on an answer, in French or English: spelling fixes
//! (« … s'écrit … »), hedging, what was found (« Trouvé : … »), missing
//! (« Manque : … ») or extra. One renderer for every shell, so the terminal
//! says what `/study` says; each shell passes how it shows the student's
//! own words back (Discord escapes them with `messages::echo`).

use crate::core::grade::{Grade, Verdict};
use crate::core::lang::Lang;

/// The remarks on `grade`, one per line; `None` when there is nothing to
/// add to the verdict and the expected answer. `shown` renders a piece of
/// the student's answer (or of the expected one) safely for the shell.
pub fn notes(lang: Lang, grade: &Grade, shown: impl Fn(&str) -> String) -> Option<String> {
    let f = &grade.feedback.findings;
    let quoted = |items: &[String]| {
        items
            .iter()
            .map(|s| lang.pick(format!("« {} »", shown(s)), format!("\"{}\"", shown(s))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = Vec::new();
    for c in &f.corrections {
        let given = shown(&c.given);
        lines.push(lang.pick(
            format!("« {given} » s'écrit « {} ».", c.expected),
            format!("\"{given}\" is spelt \"{}\".", c.expected),
        ));
    }
    if f.hedge {
        lines.push(
            lang.pick(
                "Une seule réponse : hésiter entre plusieurs ne compte pas.",
                "One answer only: hedging between several does not count.",
            )
            .to_string(),
        );
    }
    if grade.verdict == Verdict::Partial && !f.found.is_empty() {
        let label = lang.pick("Trouvé :", "Found:");
        lines.push(format!("{label} {}", quoted(&f.found)));
    }
    if grade.verdict != Verdict::Correct && !f.missing.is_empty() {
        let label = lang.pick("Manque :", "Missing:");
        lines.push(format!("{label} {}", quoted(&f.missing)));
    }
    if grade.verdict != Verdict::Correct && !f.extra.is_empty() {
        let label = lang.pick("En trop :", "Not expected:");
        lines.push(format!("{label} {}", quoted(&f.extra)));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}
