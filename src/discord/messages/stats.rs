//! `/stats`: a student's figures, the chart, a server's activity and the
//! review-log export.

use super::{Lang, decimal_mark};
use crate::core::fit::Metrics;

pub fn stats_title(lang: Lang) -> &'static str {
    lang.pick("Vos statistiques", "Your statistics")
}

pub struct StatsText {
    pub learned: u64,
    pub due_today: u64,
    /// Share of right reviews over the last 30 days, `None` without reviews.
    pub retention: Option<f64>,
    pub streak_days: u64,
}

pub fn stats_lines(lang: Lang, s: &StatsText) -> Vec<(&'static str, String)> {
    let retention = match s.retention {
        Some(r) => format!("{:.0} %", r * 100.0),
        None => lang
            .pick("pas encore de révisions", "no reviews yet")
            .to_string(),
    };
    let streak = match (lang, s.streak_days) {
        (Lang::Fr, n) if n <= 1 => format!("{n} jour"),
        (Lang::Fr, n) => format!("{n} jours"),
        (Lang::En, 1) => "1 day".to_string(),
        (Lang::En, n) => format!("{n} days"),
    };
    vec![
        (
            lang.pick("Cartes apprises", "Cards learned"),
            s.learned.to_string(),
        ),
        (
            lang.pick("À revoir aujourd'hui", "Due today"),
            s.due_today.to_string(),
        ),
        (
            lang.pick("Rétention (30 jours)", "Retention (30 days)"),
            retention,
        ),
        (lang.pick("Série", "Streak"), streak),
    ]
}

/// The words drawn on the `/stats` chart.
pub fn chart_labels(lang: Lang) -> crate::chart::ChartLabels {
    let s = |fr: &'static str, en: &'static str| lang.pick(fr, en).to_string();
    crate::chart::ChartLabels {
        reviews_title: s("Révisions, 30 derniers jours", "Reviews, last 30 days"),
        due_title: s("À revoir, 14 prochains jours", "Due, next 14 days"),
        right: s("réussies", "right"),
        wrong: s("ratées", "wrong"),
        due: s("cartes", "cards"),
        days_ago: s("jours (0 = aujourd'hui)", "days (0 = today)"),
        days_ahead: s("dans n jours", "in n days"),
    }
}

pub fn server_stats_title(lang: Lang) -> &'static str {
    lang.pick("Activité du serveur", "Server activity")
}

/// The figures under the chart: reviews, right answers, due cards.
pub struct ActivityText {
    pub reviews_30d: u64,
    pub right_30d: u64,
    pub due_14d: u64,
    pub due_today: u64,
    /// `Some` for a server: members and those active in the last 30 days.
    pub members: Option<(u64, u64)>,
}

pub fn activity_lines(lang: Lang, a: &ActivityText) -> Vec<(&'static str, String)> {
    let right = if a.reviews_30d == 0 {
        lang.pick("pas encore de révisions", "no reviews yet")
            .to_string()
    } else {
        let share = a.right_30d as f64 * 100.0 / a.reviews_30d as f64;
        format!("{} ({share:.0} %)", a.right_30d)
    };
    let mut lines = vec![
        (
            lang.pick("Révisions (30 jours)", "Reviews (30 days)"),
            a.reviews_30d.to_string(),
        ),
        (lang.pick("Réussies (30 jours)", "Right (30 days)"), right),
        (
            lang.pick("À revoir dans les 14 jours", "Due within 14 days"),
            a.due_14d.to_string(),
        ),
    ];
    if let Some((members, active)) = a.members {
        lines.push((
            lang.pick("Membres actifs (30 jours)", "Active members (30 days)"),
            format!("{active} / {members}"),
        ));
        lines.push((
            lang.pick("À revoir aujourd'hui", "Due today"),
            a.due_today.to_string(),
        ));
    }
    lines
}

pub fn chart_alt(lang: Lang) -> &'static str {
    lang.pick(
        "Graphique : révisions des 30 derniers jours et cartes à revoir",
        "Chart: reviews of the last 30 days and cards coming due",
    )
}

pub fn stats_export_done(lang: Lang, n_reviews: usize) -> String {
    lang.pick(format!(
            "Votre historique : {n_reviews} révision(s) (paquet, carte, sens, date, verdict, note 1–4, intervalle en jours, origine)."
        ), format!(
            "Your review log: {n_reviews} review(s) (deck, card, direction, time, verdict, rating 1–4, interval in days, origin)."
        ))
}

/// Which FSRS parameters schedule the student, for `/stats show`.
pub enum MemoryText {
    /// Their own, fitted on `date` (their day).
    Fitted {
        date: String,
        n_train: usize,
        n_test: usize,
        default: Metrics,
        fitted: Metrics,
    },
    /// The defaults: a fit on `date` did no better on the held-out reviews.
    DefaultBetter {
        date: String,
        n_reviews: usize,
        n_test: usize,
        default: Metrics,
        fitted: Metrics,
    },
    /// The defaults: `n_reviews` long-term reviews of the `needed` yet.
    TooFew { n_reviews: u64, needed: usize },
    /// The defaults: enough reviews, the fit is still to come.
    Pending { n_reviews: u64 },
}

pub fn memory_title(lang: Lang) -> &'static str {
    lang.pick("Modèle de mémoire (FSRS)", "Memory model (FSRS)")
}

/// A number with three decimals, a decimal comma in French.
fn decimal(lang: Lang, x: f32) -> String {
    decimal_mark(lang, format!("{x:.3}"))
}

/// A share as whole-ish percentage points (one decimal).
fn points(lang: Lang, x: f32) -> String {
    decimal_mark(lang, format!("{:.1}", x * 100.0))
}

/// The held-out log loss of the default and of the fitted parameters.
fn losses(lang: Lang, default: &Metrics, fitted: &Metrics) -> (String, String) {
    (
        decimal(lang, default.log_loss),
        decimal(lang, fitted.log_loss),
    )
}

pub fn memory_line(lang: Lang, m: &MemoryText) -> String {
    match m {
        MemoryText::Fitted {
            date,
            n_train,
            n_test,
            default,
            fitted,
        } => {
            let (d, f) = losses(lang, default, fitted);
            let (dr, fr) = (
                points(lang, default.rmse_bins),
                points(lang, fitted.rmse_bins),
            );
            lang.pick(
                format!(
                    "Paramètres ajustés à votre mémoire le {date}, sur {n_train} révisions. Sur \
                     les {n_test} révisions suivantes, mises de côté pour les juger : perte \
                     logarithmique {d} avec les paramètres par défaut → {f} avec les vôtres \
                     (RMSE {dr} % → {fr} %)."
                ),
                format!(
                    "Fitted to your memory on {date}, from {n_train} reviews. On the {n_test} \
                     later reviews held out to judge them: log loss {d} with the default \
                     parameters → {f} with yours (RMSE {dr}% → {fr}%)."
                ),
            )
        }
        MemoryText::DefaultBetter {
            date,
            n_reviews,
            n_test,
            default,
            fitted,
        } => {
            let (d, f) = losses(lang, default, fitted);
            lang.pick(
                format!(
                    "Paramètres par défaut de FSRS : ajustés à vos {n_reviews} révisions le \
                     {date}, les vôtres ne prédisaient pas mieux les {n_test} révisions mises de \
                     côté (perte logarithmique {d} par défaut, {f} ajustés)."
                ),
                format!(
                    "FSRS's default parameters: fitted to your {n_reviews} reviews on {date}, \
                     yours did not predict the {n_test} held-out reviews better (log loss {d} \
                     default, {f} fitted)."
                ),
            )
        }
        MemoryText::TooFew { n_reviews, needed } => lang.pick(
            format!(
                "Paramètres par défaut de FSRS. Ils seront ajustés à votre mémoire à partir de \
                 {needed} révisions faites un autre jour que la précédente de la même carte \
                 (vous en avez {n_reviews})."
            ),
            format!(
                "FSRS's default parameters. They will be fitted to your memory from {needed} \
                 reviews made on a later day than the card's previous one (you have {n_reviews})."
            ),
        ),
        MemoryText::Pending { n_reviews } => lang.pick(
            format!(
                "Paramètres par défaut de FSRS, pour l'instant : avec {n_reviews} révisions \
                 espacées, les vôtres seront ajustés dans la journée."
            ),
            format!(
                "FSRS's default parameters, for now: with {n_reviews} spaced reviews, yours \
                 will be fitted within the day."
            ),
        ),
    }
}
