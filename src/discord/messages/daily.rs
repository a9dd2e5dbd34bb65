//! `/daily` and the daily question. Channel posts speak the server's
//! language (its preferred locale, French when unknown); private replies
//! follow the user's.

use super::{Lang, echo};

pub fn bad_daily_time(lang: Lang, given: &str) -> String {
    let given = echo(given, 40);
    lang.pick(
        format!("Heure invalide « {given} » : écrivez HH:MM, par exemple 08:30."),
        format!("Invalid time \"{given}\": write HH:MM, for example 08:30."),
    )
}

pub fn bad_time_zone(lang: Lang, given: &str) -> String {
    let given = echo(given, 60);
    match lang {
        Lang::Fr => format!(
            "Fuseau horaire inconnu « {given} » : utilisez un nom IANA comme America/Montreal."
        ),
        Lang::En => {
            format!("Unknown time zone \"{given}\": use an IANA name such as America/Montreal.")
        }
    }
}

/// `/daily set` and `/daily show`: the channel's settings and next post.
pub fn daily_settings(
    lang: Lang,
    channel_id: &str,
    time: &str,
    zone: &str,
    deck: Option<&str>,
    next_post_ms: i64,
) -> String {
    let next = next_post_ms / 1000;
    lang.pick(
        format!(
            "Question du jour dans <#{channel_id}> chaque jour à {time} ({zone}), paquet : {}. \
             Prochaine question <t:{next}:R>.",
            deck.unwrap_or("tous")
        ),
        format!(
            "Daily question in <#{channel_id}> every day at {time} ({zone}), deck: {}. \
             Next question <t:{next}:R>.",
            deck.unwrap_or("all")
        ),
    )
}

/// `/daily show` on a server without a daily question.
pub fn daily_not_set(lang: Lang) -> &'static str {
    lang.pick(
        "Pas de question du jour sur ce serveur. Activez-la avec /daily set.",
        "No daily question on this server. Turn it on with /daily set.",
    )
}

/// `/daily off` in `channel_id`; `was_on`: it had a daily question.
pub fn daily_turned_off(lang: Lang, channel_id: &str, was_on: bool) -> String {
    match was_on {
        true => lang.pick(
            format!("Question du jour désactivée dans <#{channel_id}>."),
            format!("Daily question turned off in <#{channel_id}>."),
        ),
        false => lang.pick(
            format!("Pas de question du jour dans <#{channel_id}>. Voir /daily show."),
            format!("No daily question in <#{channel_id}>. See /daily show."),
        ),
    }
}

// The daily post is in the server's language (its preferred locale,
// French when unknown).

pub fn daily_title(lang: Lang, date: &str) -> String {
    lang.pick(
        format!("Question du jour — {date}"),
        format!("Question of the day — {date}"),
    )
}

pub fn daily_footer(lang: Lang, deck_title: &str) -> String {
    lang.pick(
        format!("{deck_title} · Répondez avec le bouton : la correction est privée."),
        format!("{deck_title} · Answer with the button: the feedback is private."),
    )
}

pub fn daily_answer_button(lang: Lang) -> &'static str {
    lang.pick("Répondre", "Answer")
}

/// The reveal of the previous question at the top of a new post.
pub fn daily_reveal(lang: Lang, expected: &str, right: u32, answered: u32) -> (String, String) {
    let who = match (lang, right, answered) {
        (Lang::Fr, _, 0) => "Personne n'a répondu.".to_string(),
        (Lang::Fr, 0, 1) => "Personne n'a eu juste (1 réponse).".to_string(),
        (Lang::Fr, 0, n) => format!("Personne n'a eu juste ({n} réponses)."),
        (Lang::Fr, r, n) => format!(
            "{r} sur {n} {} juste.",
            if r > 1 { "ont eu" } else { "a eu" }
        ),
        (Lang::En, _, 0) => "Nobody answered.".to_string(),
        (Lang::En, 0, 1) => "Nobody got it right (1 answer).".to_string(),
        (Lang::En, 0, n) => format!("Nobody got it right ({n} answers)."),
        (Lang::En, r, n) => format!("{r} of {n} got it right."),
    };
    (
        lang.pick(
            "Réponse de la question précédente",
            "Answer to the previous question",
        )
        .to_string(),
        format!("{expected}\n\n{who}"),
    )
}

pub fn daily_already_answered(lang: Lang) -> &'static str {
    lang.pick(
        "Vous avez déjà répondu à la question du jour. Rendez-vous demain !",
        "You have already answered today's question. See you tomorrow!",
    )
}

pub fn daily_closed(lang: Lang) -> &'static str {
    lang.pick(
        "Cette question est close : la réponse a été donnée avec la question suivante.",
        "This question is closed: its answer came with the next question.",
    )
}

pub fn daily_streak(lang: Lang, days: u32) -> String {
    match (lang, days) {
        (Lang::Fr, 1) => "Série : 1 jour de question du jour.".to_string(),
        (Lang::Fr, n) => format!("Série : {n} jours de suite."),
        (Lang::En, 1) => "Streak: 1 day of daily questions.".to_string(),
        (Lang::En, n) => format!("Streak: {n} days in a row."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reveal_counts_right_answers_in_plain_words() {
        let who = |lang, right, answered| daily_reveal(lang, "X", right, answered).1;
        assert_eq!(who(Lang::Fr, 2, 3), "X\n\n2 sur 3 ont eu juste.");
        assert_eq!(who(Lang::Fr, 1, 3), "X\n\n1 sur 3 a eu juste.");
        assert_eq!(
            who(Lang::Fr, 0, 2),
            "X\n\nPersonne n'a eu juste (2 réponses)."
        );
        assert_eq!(
            who(Lang::Fr, 0, 1),
            "X\n\nPersonne n'a eu juste (1 réponse)."
        );
        assert_eq!(who(Lang::Fr, 0, 0), "X\n\nPersonne n'a répondu.");
        assert_eq!(who(Lang::En, 0, 2), "X\n\nNobody got it right (2 answers).");
    }
}
