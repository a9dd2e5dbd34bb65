//! « J'avais raison » / "I was right": the appeal button and form, the
//! moderators' review screen, the decisions and what the student is told.

use super::{Lang, clip, echo};
use crate::core::grade::Verdict;

fixed_texts! {
    appeal_button: "J'avais raison", "I was right";
    appeal_modal_title: "J'avais raison", "I was right";
    appeal_reason_label: "Pourquoi ? (facultatif)", "Why? (optional)";
    appeal_reason_placeholder: "Par ex. : c'est un synonyme vu en cours", "E.g. it is a synonym we saw in class";
    appeal_filed: "📨 Contestation envoyée : un modérateur du serveur va la regarder. Vous serez prévenu en privé de sa décision.",
        "📨 Appeal sent: a moderator of the server will look at it. You will be told privately of the decision.";
    appeal_not_yours: "Ce bouton n'est pas pour vous : on ne conteste que ses propres réponses.",
        "This button is not yours: you can only appeal your own answers.";
    appeal_nothing: "Il n'y a rien à contester ici : votre réponse a été acceptée, ou vous n'avez pas répondu à cette question.",
        "There is nothing to appeal here: your answer was accepted, or you did not answer this question.";
    appeal_already: "Vous avez déjà contesté cette réponse.", "You have already appealed this answer.";
    appeal_gone: "Cette contestation a déjà été traitée, ou n'existe plus.", "This appeal was already decided, or no longer exists.";
    appeal_needs_reviewer: "Il faut la permission « Gérer le serveur » ou le rôle choisi avec `/contestations rôle` pour examiner les contestations.",
        "You need the Manage Server permission or the role set with `/appeals role` to review appeals.";
    appeals_none_pending: "Aucune contestation en attente. 🎉", "No appeal waiting. 🎉";
    appeal_accept_button: "Accepter", "Accept";
    appeal_refuse_button: "Refuser", "Refuse";
    appeal_skip_button: "Passer", "Skip";
    appeal_note_title: "Refuser la contestation", "Refuse the appeal";
    appeal_note_label: "Un mot pour l'élève (facultatif)", "A note for the student (optional)";
    appeal_role_cleared: "Seuls les membres avec « Gérer le serveur » examinent désormais les contestations.",
        "Only members with Manage Server review appeals now.";
}

/// The appeal screen's title.
pub fn appeal_title(lang: Lang, n_pending: i64) -> String {
    lang.pick(
        format!("Contestation · {n_pending} en attente"),
        format!("Appeal · {n_pending} waiting"),
    )
}

/// One appeal for a moderator: the card, what was expected and typed, the
/// grade, the reason and how many students typed the same.
pub struct AppealView<'a> {
    pub question: &'a str,
    pub expected: &'a str,
    pub typed: &'a str,
    pub verdict: Option<Verdict>,
    pub reason: Option<&'a str>,
    pub n_same: i64,
    /// `study`, `quiz` or `daily`.
    pub origin: &'a str,
}

/// The fields of an appeal's embed, `(name, value)`.
pub fn appeal_fields(lang: Lang, view: &AppealView<'_>) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        (lang.pick("Question", "Question"), clip(view.question, 1000)),
        (
            lang.pick("Réponse attendue", "Expected answer"),
            clip(view.expected, 1000),
        ),
        (
            lang.pick("Réponse tapée", "Typed answer"),
            echo(view.typed, 1000),
        ),
        (lang.pick("Note donnée", "Grade given"), grade(lang, view)),
    ];
    if let Some(reason) = view.reason.filter(|r| !r.trim().is_empty()) {
        fields.push((
            lang.pick("Raison de l'élève", "Student's reason"),
            echo(reason, 300),
        ));
    }
    if view.n_same > 1 {
        fields.push((
            lang.pick("Même réponse", "Same answer"),
            lang.pick(
                format!("{} élèves ont tapé la même chose.", view.n_same),
                format!("{} students typed the same.", view.n_same),
            ),
        ));
    }
    fields
}

fn grade(lang: Lang, view: &AppealView<'_>) -> String {
    let verdict = view
        .verdict
        .map_or_else(|| "?".to_string(), |v| super::verdict(lang, v).to_string());
    let origin = match view.origin {
        "quiz" => lang.pick("quiz", "quiz"),
        "daily" => lang.pick("question du jour", "daily question"),
        _ => lang.pick("révision", "study"),
    };
    format!("{verdict} ({origin})")
}

/// What the moderator sees after accepting: the answer now accepted for
/// the card (or for this student only when it is too long to become one),
/// and how many other appeals it settled.
pub fn appeal_accepted_note(lang: Lang, alternative: Option<&str>, n_others: usize) -> String {
    let first = match alternative {
        Some(text) => lang.pick(
            format!(
                "✅ Acceptée : « {} » est désormais acceptée pour cette carte sur ce serveur.",
                echo(text, 200)
            ),
            format!(
                "✅ Accepted: \"{}\" is now accepted for this card on this server.",
                echo(text, 200)
            ),
        ),
        None => lang.pick(
            "✅ Acceptée pour cet élève (réponse trop longue pour devenir une réponse acceptée)."
                .to_string(),
            "✅ Accepted for this student (the answer is too long to become an accepted answer)."
                .to_string(),
        ),
    };
    if n_others == 0 {
        return first;
    }
    lang.pick(
        format!("{first} {n_others} autre(s) contestation(s) acceptée(s) avec elle."),
        format!("{first} {n_others} other appeal(s) accepted with it."),
    )
}

pub fn appeal_refused_note(lang: Lang) -> &'static str {
    lang.pick(
        "❌ Refusée : l'élève est prévenu.",
        "❌ Refused: the student is told.",
    )
}

/// What the student is told of an accepted appeal.
pub fn appeal_accepted_dm(lang: Lang, question: &str, typed: &str, points: Option<u32>) -> String {
    let (question, typed) = (clip(question, 300), echo(typed, 300));
    let points = match points {
        Some(n) => lang.pick(
            format!(" Vous gagnez {n} point(s) de quiz."),
            format!(" You earn {n} quiz point(s)."),
        ),
        None => String::new(),
    };
    lang.pick(
        format!(
            "✅ **J'avais raison** : votre réponse « {typed} » à « {question} » est acceptée. \
             Votre révision a été corrigée.{points}"
        ),
        format!(
            "✅ **I was right**: your answer \"{typed}\" to \"{question}\" is accepted. \
             Your review was corrected.{points}"
        ),
    )
}

/// What the student is told of a refused appeal, with the moderator's note.
pub fn appeal_refused_dm(lang: Lang, question: &str, typed: &str, note: Option<&str>) -> String {
    let (question, typed) = (clip(question, 300), echo(typed, 300));
    let note = match note.filter(|n| !n.trim().is_empty()) {
        Some(note) => lang.pick(
            format!("\nNote du modérateur : {}", echo(note, 300)),
            format!("\nModerator's note: {}", echo(note, 300)),
        ),
        None => String::new(),
    };
    lang.pick(
        format!(
            "Votre contestation n'a pas été retenue : « {typed} » pour « {question} » reste comptée fausse.{note}"
        ),
        format!(
            "Your appeal was not accepted: \"{typed}\" for \"{question}\" still counts as wrong.{note}"
        ),
    )
}

/// The daily notice to a moderator: how many appeals wait.
pub fn appeals_waiting(lang: Lang, n: i64) -> String {
    lang.pick(
        format!("📨 {n} contestation(s) en attente sur ce serveur : `/contestations examiner`."),
        format!("📨 {n} appeal(s) waiting on this server: `/appeals review`."),
    )
}

pub fn appeal_role_set(lang: Lang, role: u64) -> String {
    lang.pick(
        format!(
            "Les membres du rôle <@&{role}> (et ceux qui gèrent le serveur) examinent désormais les contestations."
        ),
        format!("Members of <@&{role}> (and those who manage the server) now review appeals."),
    )
}
