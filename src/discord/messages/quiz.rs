//! `/quiz` and `/answer`: the competition's posts and acknowledgements.

use super::{Lang, echo};

/// The public reply to `/quiz start`.
pub fn quiz_started(
    lang: Lang,
    starter: u64,
    n_questions: usize,
    deck: &str,
    seconds: u32,
) -> String {
    lang.pick(format!(
            "🎯 <@{starter}> lance un quiz : {n_questions} question(s) sur « {deck} », {seconds} s par question. \
             Répondez directement dans le salon ou avec `/répondre`."
        ), format!(
            "🎯 <@{starter}> started a quiz: {n_questions} question(s) on “{deck}”, {seconds} s per question. \
             Answer right here in the channel or with `/answer`."
        ))
}

pub fn quiz_already_running(lang: Lang) -> &'static str {
    lang.pick(
        "Un quiz est déjà en cours dans ce salon. Attendez la fin (ou `/quiz arrêter`).",
        "A quiz is already running in this channel. Wait for its end (or `/quiz stop`).",
    )
}

pub fn quiz_none_running(lang: Lang) -> &'static str {
    lang.pick(
        "Aucun quiz en cours dans ce salon. Lancez-en un avec `/quiz lancer`.",
        "No quiz is running in this channel. Start one with `/quiz start`.",
    )
}

pub fn quiz_stop_refused(lang: Lang) -> &'static str {
    lang.pick(
        "Seule la personne qui a lancé le quiz, ou un membre avec la permission « Gérer le serveur », peut l’arrêter.",
        "Only the member who started the quiz, or a member with the Manage Server permission, can stop it.",
    )
}

pub fn quiz_stopped(lang: Lang, by: u64) -> String {
    lang.pick(
        format!("⏹️ Quiz arrêté par <@{by}>."),
        format!("⏹️ Quiz stopped by <@{by}>."),
    )
}

pub fn quiz_no_questions(lang: Lang, deck: &str) -> String {
    match lang {
        Lang::Fr => {
            format!("Le paquet « {deck} » n’a pas de question pour ce mode. Essayez `mode: mixed`.")
        }
        Lang::En => format!("Deck “{deck}” has no question for this mode. Try `mode: mixed`."),
    }
}

pub fn quiz_bad_mode(lang: Lang, given: &str) -> String {
    let given = echo(given, 40);
    lang.pick(
        format!("Mode inconnu « {given} » : choisissez `term` ou `mixed`."),
        format!("Unknown mode “{given}”: choose `term` or `mixed`."),
    )
}

pub fn quiz_question_title(lang: Lang, number: usize, total: usize, deck: &str) -> String {
    lang.pick(
        format!("Question {number}/{total} — {deck}"),
        format!("Question {number}/{total} — {deck}"),
    )
}

/// The countdown of a question, as a Discord relative timestamp.
pub fn quiz_countdown(lang: Lang, deadline_unix: i64) -> String {
    lang.pick(
        format!("⏱️ Fin <t:{deadline_unix}:R>"),
        format!("⏱️ Ends <t:{deadline_unix}:R>"),
    )
}

pub fn quiz_how_to_answer(lang: Lang) -> &'static str {
    lang.pick(
        "Répondez dans le salon ou avec /répondre. Le plus rapide gagne le plus de points.",
        "Answer in the channel or with /answer. The fastest earns the most points.",
    )
}

pub fn quiz_hint(lang: Lang, hint: &str) -> String {
    lang.pick(
        format!("💡 Indice : `{hint}`"),
        format!("💡 Hint: `{hint}`"),
    )
}

pub fn quiz_expected(lang: Lang, expected: &str) -> String {
    lang.pick(
        format!("Réponse : **{expected}**"),
        format!("Answer: **{expected}**"),
    )
}

pub fn quiz_nobody(lang: Lang) -> &'static str {
    lang.pick("Personne n’a trouvé.", "Nobody got it.")
}

/// One scorer of a question; the winner's (already truncated) answer is quoted.
pub fn quiz_scorer_line(
    lang: Lang,
    player: u64,
    points: u32,
    first: bool,
    given: Option<&str>,
) -> String {
    let medal = if first { "🏆" } else { "➕" };
    match (lang, given) {
        (Lang::Fr, Some(given)) => format!("{medal} <@{player}> +{points} pts — « {given} »"),
        (Lang::En, Some(given)) => format!("{medal} <@{player}> +{points} pts — “{given}”"),
        (_, None) => format!("{medal} <@{player}> +{points} pts"),
    }
}

pub fn quiz_podium_title(lang: Lang, stopped: bool) -> &'static str {
    match stopped {
        false => lang.pick("🏁 Fin du quiz : le podium", "🏁 Quiz over: the podium"),
        true => lang.pick(
            "⏹️ Quiz arrêté : le classement",
            "⏹️ Quiz stopped: the standings",
        ),
    }
}

/// The standings, best first: (player, points, right answers). Medals go
/// to points: a player who answered and scored nothing is listed, not
/// crowned.
pub fn quiz_podium(lang: Lang, rows: &[(u64, u64, u64)]) -> String {
    if rows.is_empty() {
        return lang
            .pick("Personne n’a répondu.", "Nobody answered.")
            .to_string();
    }
    let nobody_scored = rows.iter().all(|(_, points, _)| *points == 0);
    let lines = rows
        .iter()
        .take(20)
        .enumerate()
        .map(|(i, (player, points, n_right))| {
            let place = match i {
                _ if *points == 0 => "•".to_string(),
                0 => "🥇".to_string(),
                1 => "🥈".to_string(),
                2 => "🥉".to_string(),
                n => format!("{}.", n + 1),
            };
            match lang {
                Lang::Fr => {
                    format!("{place} <@{player}> — {points} pts ({n_right} bonne(s) réponse(s))")
                }
                Lang::En => {
                    format!("{place} <@{player}> — {points} pts ({n_right} right answer(s))")
                }
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    if nobody_scored {
        let none = lang.pick(
            "Personne n’a marqué de point cette fois.",
            "Nobody scored this time.",
        );
        format!("{none}\n{lines}")
    } else {
        lines
    }
}

pub fn quiz_missed_title(lang: Lang) -> &'static str {
    lang.pick(
        "**Questions que personne n’a trouvées :**",
        "**Questions nobody got:**",
    )
}

pub fn quiz_review_offer(lang: Lang) -> &'static str {
    lang.pick(
        "📚 Chacun peut revoir ses erreurs en privé avec `/réviser` : les cartes manquées reviennent en premier.",
        "📚 Review your misses privately with `/study`: the cards you missed come first.",
    )
}

pub fn quiz_interrupted(lang: Lang) -> &'static str {
    lang.pick(
        "Le bot a redémarré pendant le quiz : il est clos avec les points déjà gagnés.",
        "The bot restarted during the quiz: it is closed with the points already earned.",
    )
}

/// The private acknowledgement of `/answer`.
pub fn quiz_ack_scored(lang: Lang, points: u32, right: bool) -> String {
    match (lang, right) {
        (Lang::Fr, true) => format!("✅ Bonne réponse : +{points} pts."),
        (Lang::Fr, false) => format!("🟡 En partie juste : +{points} pts."),
        (Lang::En, true) => format!("✅ Right: +{points} pts."),
        (Lang::En, false) => format!("🟡 Partly right: +{points} pts."),
    }
}

pub fn quiz_ack_wrong(lang: Lang) -> &'static str {
    lang.pick("❌ Ce n’est pas ça.", "❌ Not that.")
}

pub fn quiz_ack_not_open(lang: Lang) -> &'static str {
    lang.pick(
        "Aucune question n’est ouverte en ce moment.",
        "No question is open right now.",
    )
}

pub fn quiz_ack_ignored(lang: Lang) -> &'static str {
    lang.pick(
        "Réponse non prise en compte (déjà trouvée, ou plus d’essais).",
        "Answer not counted (already found, or no attempts left).",
    )
}

/// Posted above the standings of a quiz stopped because the bot shuts down.
pub fn quiz_shutdown_notice(lang: Lang) -> &'static str {
    lang.pick(
        "rappel redémarre… le quiz est arrêté. Les points gagnés sont enregistrés ; voici le classement :",
        "rappel is restarting… the quiz is stopped. The points earned are saved; here are the standings:",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medals_go_to_points_only() {
        let podium = quiz_podium(Lang::Fr, &[(1, 12, 2), (2, 0, 0)]);
        assert!(podium.starts_with("🥇 <@1> — 12 pts"), "{podium}");
        assert!(podium.contains("\n• <@2> — 0 pts"), "{podium}");
        assert!(!podium.contains("🥈"), "{podium}");
        let none = quiz_podium(Lang::En, &[(1, 0, 0), (2, 0, 0)]);
        assert!(
            none.starts_with("Nobody scored this time.\n• <@1>"),
            "{none}"
        );
        assert!(!none.contains("🥇"), "{none}");
    }
}
