//! `/stats`: a student's figures, the chart, a server's activity and the
//! review-log export.

use super::Lang;

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
