//! `/exam`: the exam date and the exam-day forecast.

use super::{Lang, echo};
use crate::core::forecast::{Calibration, MIN_CARDS_PER_BIN};
use crate::core::readiness::Readiness;

pub fn bad_exam_date(lang: Lang, given: &str) -> String {
    let given = echo(given, 40);
    match lang {
        Lang::Fr => {
            format!(
                "Date invalide « {given} » : écrivez AAAA-MM-JJ ou JJ/MM/AAAA, par exemple 2026-12-15 ou 15/12/2026."
            )
        }
        Lang::En => format!(
            "Invalid date \"{given}\": write YYYY-MM-DD or DD/MM/YYYY, for example 2026-12-15 or 15/12/2026."
        ),
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

/// What `/exam show` tells a student: the exam's date and deck (as the
/// server sees it) and the student's readiness for it.
pub struct ExamText<'a> {
    pub date: &'a str,
    pub deck: Option<&'a str>,
    pub readiness: &'a Readiness,
}

pub fn exam_show(lang: Lang, e: &ExamText) -> String {
    let r = e.readiness;
    let predicted_pct = (r.predicted * 100.0).round() as u32;
    let deck = e.deck.unwrap_or(match lang {
        Lang::Fr => "tous les paquets",
        Lang::En => "all decks",
    });
    let countdown = match (lang, r.days_left) {
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
            predicted_pct, r.n_cards, r.n_unseen
        ),
        format!(
            "Your forecast: {}% of the {} cards recalled on the day. That is the mean recall \
             probability your FSRS schedule predicts for that day if you stopped reviewing now; \
             the {} cards you never saw count as not known.",
            predicted_pct, r.n_cards, r.n_unseen
        ),
    );
    let work = match (lang, r.reviews_per_day) {
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

/// After the exam: the student's last forecast against the week after.
pub enum CheckText {
    /// No forecast was stored before the exam.
    NoForecast,
    /// None of the forecast's cards answered in the week after yet.
    Nothing { until: String, over: bool },
    /// The comparison.
    Compared {
        made: String,
        until: String,
        over: bool,
        calibration: Box<Calibration>,
    },
}

fn pct(x: f64) -> String {
    format!("{:.0}", x * 100.0)
}

pub fn exam_check(lang: Lang, c: &CheckText) -> String {
    match c {
        CheckText::NoForecast => lang
            .pick(
                "Aucune prévision enregistrée avant cet examen (/exam show en enregistre une \
                 avant la date) : rien à comparer.",
                "No forecast was recorded before this exam (/exam show records one before the \
                 date): nothing to compare.",
            )
            .to_string(),
        CheckText::Nothing { until, over } => match (lang, over) {
            (Lang::Fr, true) => "Aucune des cartes de votre prévision n'a été revue dans la \
                 semaine après l'examen : rien à comparer."
                .to_string(),
            (Lang::Fr, false) => format!(
                "Aucune des cartes de votre prévision n'a encore été revue depuis l'examen : \
                 rien à comparer pour l'instant (la semaine court jusqu'au {until})."
            ),
            (Lang::En, true) => "None of your forecast's cards was answered in the week after \
                 the exam: nothing to compare."
                .to_string(),
            (Lang::En, false) => format!(
                "None of your forecast's cards has been answered since the exam yet: nothing to \
                 compare for now (the week runs until {until})."
            ),
        },
        CheckText::Compared {
            made,
            until,
            over,
            calibration,
        } => {
            let all = &calibration.overall;
            let (n, p, o) = (all.n, pct(all.predicted), pct(all.observed));
            let (gap, margin) = (all.gap_points(), all.margin_points());
            let mut lines = vec![lang.pick(
                format!(
                    "Vérification de votre prévision du {made} : sur les {n} cartes revues dans \
                     la semaine après l'examen, rappel prévu {p} %, observé {o} % (écart \
                     {gap:+.0} points ; le hasard seul donne jusqu'à ±{margin:.0} points)."
                ),
                format!(
                    "Checking your forecast of {made}: on the {n} cards answered in the week \
                     after the exam, predicted recall {p}%, observed {o}% (gap {gap:+.0} points; \
                     chance alone gives up to ±{margin:.0} points)."
                ),
            )];
            if !all.conclusive() {
                lines.push(lang.pick(
                    format!("Trop peu de cartes pour conclure (il en faut {MIN_CARDS_PER_BIN})."),
                    format!("Too few cards to conclude ({MIN_CARDS_PER_BIN} are needed)."),
                ));
            }
            let bins: Vec<String> = calibration
                .deciles
                .iter()
                .enumerate()
                .filter(|(_, b)| b.n > 0)
                .map(|(i, b)| {
                    let (lo, hi) = (i * 10, i * 10 + 10);
                    let o = pct(b.observed);
                    let n = b.n;
                    lang.pick(
                        format!("prévu {lo}–{hi} % → observé {o} % sur {n} carte(s)"),
                        format!("predicted {lo}–{hi}% → observed {o}% on {n} card(s)"),
                    )
                })
                .collect();
            if !bins.is_empty() {
                let head = lang.pick("Par tranche : ", "By band: ");
                let sep = lang.pick(" ; ", "; ");
                lines.push(format!("{head}{}.", bins.join(sep)));
            }
            if !over {
                lines.push(lang.pick(
                    format!("La semaine court jusqu'au {until} : le chiffre peut encore bouger."),
                    format!("The week runs until {until}: the figure may still move."),
                ));
            }
            lines.join("\n")
        }
    }
}
