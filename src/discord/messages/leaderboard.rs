//! `/leaderboard` and season resets.

use super::Lang;

/// Which window a leaderboard covers, for its title.
pub enum BoardScope<'a> {
    AllTime,
    Week,
    Month,
    /// Season number, and whether it is the current one.
    Season(i64, bool),
    /// Inside another scope: only this deck.
    Deck(&'a str, &'a BoardScope<'a>),
}

pub fn board_title(lang: Lang, scope: &BoardScope<'_>) -> String {
    match (scope, lang) {
        (BoardScope::AllTime, Lang::Fr) => "Classement du serveur".to_string(),
        (BoardScope::AllTime, Lang::En) => "Server leaderboard".to_string(),
        (BoardScope::Week, Lang::Fr) => "Classement de la semaine".to_string(),
        (BoardScope::Week, Lang::En) => "This week's leaderboard".to_string(),
        (BoardScope::Month, Lang::Fr) => "Classement du mois".to_string(),
        (BoardScope::Month, Lang::En) => "This month's leaderboard".to_string(),
        (BoardScope::Season(n, true), Lang::Fr) => {
            format!("Classement de la saison {n} (en cours)")
        }
        (BoardScope::Season(n, true), Lang::En) => format!("Season {n} leaderboard (current)"),
        (BoardScope::Season(n, false), Lang::Fr) => {
            format!("Classement de la saison {n} (archivée)")
        }
        (BoardScope::Season(n, false), Lang::En) => format!("Season {n} leaderboard (archived)"),
        (BoardScope::Deck(deck, inner), _) => format!("{} · {deck}", board_title(lang, inner)),
    }
}

/// One line: rank, member (mention, or stored name), points, streak, mastered.
pub fn board_line(lang: Lang, r: &crate::core::leaderboard::Ranked) -> String {
    let e = &r.entry;
    let medal = match r.rank {
        1 => "🥇",
        2 => "🥈",
        3 => "🥉",
        _ => "",
    };
    let who = format!("<@{}>", e.user_id);
    lang.pick(
        format!(
            "{medal}**{}.** {who} — **{} pt{}** · série {} j · {} carte{} maîtrisée{}",
            r.rank,
            e.points,
            if e.points > 1 { "s" } else { "" },
            e.daily_streak,
            e.mastered,
            if e.mastered > 1 { "s" } else { "" },
            if e.mastered > 1 { "s" } else { "" },
        ),
        format!(
            "{medal}**{}.** {who} — **{} pt{}** · streak {} d · {} mastered",
            r.rank,
            e.points,
            if e.points == 1 { "" } else { "s" },
            e.daily_streak,
            e.mastered,
        ),
    )
}

pub fn board_empty(lang: Lang) -> &'static str {
    lang.pick(
        "Personne n'est encore classé ici. Répondez aux quiz et à la question du jour pour marquer des points !",
        "Nobody is ranked here yet. Answer quizzes and the daily question to score points!",
    )
}

pub fn board_you(lang: Lang) -> &'static str {
    lang.pick("Vous", "You")
}

pub fn board_unranked(lang: Lang) -> &'static str {
    lang.pick(
        "Vous n'êtes pas encore classé : répondez à un quiz ou à la question du jour.",
        "You are not ranked yet: answer a quiz or the daily question.",
    )
}

pub fn board_footer(lang: Lang, n_ranked: usize) -> String {
    lang.pick(format!(
            "{n_ranked} classé(s) · 1 point par bonne réponse aux quiz et à la question du jour · maîtrisée = stabilité ≥ 21 jours"
        ), format!(
            "{n_ranked} ranked · 1 point per right answer in quizzes and to the daily question · mastered = stability ≥ 21 days"
        ))
}

pub fn unknown_season(lang: Lang, given: i64, current: i64) -> String {
    match lang {
        Lang::Fr => {
            format!("Il n'y a pas de saison {given} : la saison en cours est la {current}.")
        }
        Lang::En => format!("There is no season {given}: the current season is {current}."),
    }
}

pub fn season_reset_done(lang: Lang, closed: i64) -> String {
    let next = closed + 1;
    lang.pick(format!(
            "La saison {closed} est terminée et archivée (`/classement voir saison:{closed}`). La saison {next} commence maintenant : tout le monde repart de zéro."
        ), format!(
            "Season {closed} is over and archived (`/leaderboard show season:{closed}`). Season {next} starts now: everyone starts from zero."
        ))
}

pub fn season_reset_already(lang: Lang, current: i64) -> String {
    match lang {
        Lang::Fr => {
            format!("La saison vient déjà d'être réinitialisée : la saison {current} est en cours.")
        }
        Lang::En => format!("The season was just reset already: season {current} is under way."),
    }
}
