//! `/exam`: the exam date and the exam-day forecast.

use super::{Lang, echo};

pub fn bad_exam_date(lang: Lang, given: &str) -> String {
    let given = echo(given, 40);
    match lang {
        Lang::Fr => {
            format!("Date invalide « {given} » : écrivez AAAA-MM-JJ, par exemple 2026-12-15.")
        }
        Lang::En => format!("Invalid date \"{given}\": write YYYY-MM-DD, for example 2026-12-15."),
    }
}

pub fn no_exam(lang: Lang) -> &'static str {
    lang.pick(
        "Aucun examen n'est fixé sur ce serveur. Un modérateur peut le faire avec /exam set.",
        "No exam is set on this server. A moderator can set one with /exam set.",
    )
}

pub fn exam_set(lang: Lang, date: &str, deck: Option<&str>) -> String {
    lang.pick(format!(
            "Examen fixé au {date} (paquet : {}). Avant cette date, /réviser fait passer en premier \
             les cartes que vous risquez le plus d'oublier le jour J.",
            deck.unwrap_or("tous")
        ), format!(
            "Exam set for {date} (deck: {}). Until then, /study asks first the cards you are most \
             likely to have forgotten on the day.",
            deck.unwrap_or("all")
        ))
}

/// What `/exam show` tells a student.
pub struct ExamText<'a> {
    pub date: &'a str,
    pub deck: Option<&'a str>,
    pub days_left: i64,
    pub predicted_pct: u32,
    pub n_cards: usize,
    pub n_unseen: usize,
    pub reviews_per_day: Option<u32>,
}

pub fn exam_show(lang: Lang, e: &ExamText) -> String {
    let deck = e.deck.unwrap_or(match lang {
        Lang::Fr => "tous les paquets",
        Lang::En => "all decks",
    });
    let countdown = match (lang, e.days_left) {
        (Lang::Fr, d) if d < 0 => format!("L'examen du {} ({deck}) est passé.", e.date),
        (Lang::Fr, 0) => format!(
            "L'examen ({deck}) est aujourd'hui, {}. Bonne chance !",
            e.date
        ),
        (Lang::Fr, d) => format!(
            "Examen le {} ({deck}) : dans {d} jour{}.",
            e.date,
            if d > 1 { "s" } else { "" }
        ),
        (Lang::En, d) if d < 0 => format!("The exam of {} ({deck}) is over.", e.date),
        (Lang::En, 0) => format!("The exam ({deck}) is today, {}. Good luck!", e.date),
        (Lang::En, d) => format!(
            "Exam on {} ({deck}): in {d} day{}.",
            e.date,
            if d > 1 { "s" } else { "" }
        ),
    };
    let forecast = lang.pick(
        format!(
            "Prévision pour vous : {} % des {} cartes retenues le jour J. C'est la probabilité \
             moyenne de rappel que votre planning FSRS prédit pour ce jour-là si vous arrêtiez de \
             réviser maintenant ; les {} cartes jamais vues comptent comme non sues.",
            e.predicted_pct, e.n_cards, e.n_unseen
        ),
        format!(
            "Your forecast: {}% of the {} cards recalled on the day. That is the mean recall \
             probability your FSRS schedule predicts for that day if you stopped reviewing now; \
             the {} cards you never saw count as not known.",
            e.predicted_pct, e.n_cards, e.n_unseen
        ),
    );
    let work = match (lang, e.reviews_per_day) {
        (_, None) => String::new(),
        (Lang::Fr, Some(0)) => {
            "Vous êtes déjà au-dessus de 90 % : entretenez avec /réviser.".into()
        }
        (Lang::Fr, Some(n)) => format!(
            "Pour viser 90 % : environ {n} révision{} par jour d'ici là (estimation simple).",
            if n > 1 { "s" } else { "" }
        ),
        (Lang::En, Some(0)) => "You are already above 90%: keep it up with /study.".into(),
        (Lang::En, Some(n)) => format!(
            "To reach 90%: about {n} review{} a day until then (a rough estimate).",
            if n > 1 { "s" } else { "" }
        ),
    };
    [countdown, forecast, work]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
