//! The grader's remarks on an answer, in French or English: spelling fixes
//! (« … s'écrit … »), hedging, what was found (« Trouvé : … »), missing
//! (« Manque : … ») or extra. One renderer for every shell, so the terminal
//! says what `/study` says; each shell passes how it shows the student's
//! own words back (Discord escapes them with `messages::echo`).

use crate::core::grade::{Grade, Verdict};
use crate::core::lang::Lang;

/// The remarks on `grade`, one per line; `None` when there is nothing to
/// add to the verdict and the expected answer (as for a wrong answer that
/// has nothing of the expected one). `shown` renders a piece of
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
    if f.out_of_order {
        lines.push(
            lang.pick(
                "Dans le désordre : la question demande un ordre.",
                "Out of order: the question asks for an order.",
            )
            .to_string(),
        );
    }
    if grade.verdict == Verdict::Partial && !f.found.is_empty() {
        let label = lang.pick("Trouvé :", "Found:");
        lines.push(format!("{label} {}", quoted(&f.found)));
    }
    // A wrong answer with nothing of the expected one: « Manque » would list
    // the whole expected answer, shown below anyway, and « En trop » the
    // whole answer typed.
    let nothing_found = grade.verdict == Verdict::Wrong && f.found.is_empty();
    if grade.verdict != Verdict::Correct && !nothing_found && !f.missing.is_empty() {
        let label = lang.pick("Manque :", "Missing:");
        lines.push(format!("{label} {}", quoted(&f.missing)));
    }
    if grade.verdict != Verdict::Correct && !nothing_found && !f.extra.is_empty() {
        let label = lang.pick("En trop :", "Not expected:");
        lines.push(format!("{label} {}", quoted(&f.extra)));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::grade::grade;

    fn notes_on(expected: &str, given: &str) -> Option<String> {
        notes(Lang::Fr, &grade(expected, &[], given), str::to_string)
    }

    #[test]
    fn remarks_say_what_the_expected_answer_does_not() {
        let list = "Intérêt\nCoût\nFaisabilité";
        // Nothing found: the expected answer, shown anyway, says it all.
        assert_eq!(notes_on(list, "la segmentation"), None);
        // Part of it: what was found, what is missing, what is not expected.
        let partial = notes_on(list, "coût, rapidité").expect("remarks");
        assert!(partial.contains("Trouvé : « Coût »"), "{partial}");
        assert!(
            partial.contains("Manque : « Intérêt », « Faisabilité »"),
            "{partial}"
        );
        assert!(partial.contains("En trop : « rapidité »"), "{partial}");
        // The same for a term answered with another word.
        let wrong = notes_on("Fidélisation", "segmentatoin").unwrap_or_default();
        assert!(!wrong.contains("Manque"), "{wrong}");
    }
}
