//! `/settings` (`/réglages`): a student's own settings, privately.

use super::Lang;

/// What `/settings` shows: each setting, whether it is the default, and
/// what the retention costs.
pub struct SettingsText<'a> {
    /// The zone days are counted in, and the local time there now (HH:MM).
    pub zone: &'a str,
    pub local_time: &'a str,
    pub zone_default: bool,
    /// Desired retention, 0–1.
    pub retention: f32,
    pub retention_default: bool,
    pub new_per_day: u32,
    pub new_per_day_default: bool,
    /// The chosen reply language, `None` for auto; `shown` the language
    /// this reply is in.
    pub language: Option<Lang>,
    pub shown: Lang,
    /// What the retention costs (`None`: FSRS gave no estimate).
    pub cost: Option<Cost>,
    /// Whether the reply follows a change (else it shows the settings).
    pub changed: bool,
}

/// FSRS's expected reviews per day for the student's cards at the chosen
/// retention, and at the retention before the change if it changed.
pub struct Cost {
    pub n_cards: usize,
    pub per_day: f32,
    pub horizon_days: u32,
    /// (retention before, reviews per day at it).
    pub before: Option<(f32, f32)>,
}

/// A retention as a percentage, one decimal only when needed, with the
/// language's decimal mark.
fn pct(lang: Lang, r: f32) -> String {
    let p = r * 100.0;
    let text = if (p - p.round()).abs() < 0.05 {
        format!("{}", p.round() as u32)
    } else {
        format!("{p:.1}")
    };
    decimal(lang, text)
}

/// Reviews per day: one decimal below 10.
fn per_day(lang: Lang, n: f32) -> String {
    let text = if n < 10.0 {
        format!("{n:.1}")
    } else {
        format!("{}", n.round() as u64)
    };
    decimal(lang, text)
}

fn decimal(lang: Lang, text: String) -> String {
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The settings, one per line, then how to change them.
pub fn settings_shown(lang: Lang, s: &SettingsText) -> String {
    let default = |is: bool| match (is, lang) {
        (true, Lang::Fr) => " (par défaut)",
        (true, Lang::En) => " (default)",
        (false, _) => "",
    };
    let language = match (s.language, lang) {
        (Some(Lang::Fr), _) => "français".to_string(),
        (Some(Lang::En), _) => "English".to_string(),
        (None, Lang::Fr) => format!(
            "automatique (celle de votre Discord : {})",
            s.shown.pick("français", "anglais")
        ),
        (None, Lang::En) => format!(
            "auto (your Discord's: {})",
            s.shown.pick("French", "English")
        ),
    };
    let cost = match &s.cost {
        Some(c) => cost_line(lang, s.retention, c),
        None => lang
            .pick(
                "FSRS n'a pas pu estimer la charge de révision.",
                "FSRS could not estimate the review workload.",
            )
            .to_string(),
    };
    let (title, zone, retention, new, lang_label, hint) = match lang {
        Lang::Fr => (
            if s.changed {
                "**Réglages enregistrés**"
            } else {
                "**Vos réglages**"
            },
            format!(
                "Fuseau horaire : {}{} — il est {} chez vous ; une journée de révision commence à 4 h.",
                s.zone,
                default(s.zone_default),
                s.local_time
            ),
            format!(
                "Rétention visée : {} %{}",
                pct(lang, s.retention),
                default(s.retention_default)
            ),
            format!(
                "Nouvelles cartes par jour : {}{}",
                s.new_per_day,
                default(s.new_per_day_default)
            ),
            format!("Langue des réponses : {language}"),
            "Pour changer : /réglages fuseau: rétention: nouvelles-cartes: langue:",
        ),
        Lang::En => (
            if s.changed {
                "**Settings saved**"
            } else {
                "**Your settings**"
            },
            format!(
                "Time zone: {}{}, where it is {}; a study day starts at 4 am.",
                s.zone,
                default(s.zone_default),
                s.local_time
            ),
            format!(
                "Desired retention: {}%{}",
                pct(lang, s.retention),
                default(s.retention_default)
            ),
            format!(
                "New cards per day: {}{}",
                s.new_per_day,
                default(s.new_per_day_default)
            ),
            format!("Reply language: {language}"),
            "To change them: /settings timezone: retention: new-cards: language:",
        ),
    };
    [
        title.to_string(),
        zone,
        retention,
        format!("→ {cost}"),
        new,
        lang_label,
        hint.to_string(),
    ]
    .join("\n")
}

/// The one line on what a retention costs.
fn cost_line(lang: Lang, retention: f32, c: &Cost) -> String {
    if c.n_cards == 0 {
        return lang
            .pick(
                "Aucune carte étudiée pour l'instant : FSRS estimera vos révisions par jour dès que vous en aurez.",
                "No card studied yet: FSRS will estimate your reviews per day once you have some.",
            )
            .to_string();
    }
    let before = c.before.map(|(r, n)| match lang {
        Lang::Fr => format!(" (contre {} à {} %)", per_day(lang, n), pct(lang, r)),
        Lang::En => format!(" (vs {} at {}%)", per_day(lang, n), pct(lang, r)),
    });
    let before = before.unwrap_or_default();
    let cards = match (lang, c.n_cards) {
        (Lang::Fr, 1) => "votre carte".to_string(),
        (Lang::Fr, n) => format!("vos {n} cartes"),
        (Lang::En, 1) => "your card".to_string(),
        (Lang::En, n) => format!("your {n} cards"),
    };
    match lang {
        Lang::Fr => format!(
            "À {} %, FSRS prévoit environ {} révision{} par jour{before} pour {cards} (moyenne des {} prochains jours, sans nouvelles cartes).",
            pct(lang, retention),
            per_day(lang, c.per_day),
            if c.per_day < 1.95 { "" } else { "s" },
            c.horizon_days
        ),
        Lang::En => format!(
            "At {}%, FSRS expects about {} review{} a day{before} for {cards} (average of the next {} days, without new cards).",
            pct(lang, retention),
            per_day(lang, c.per_day),
            if (c.per_day - 1.0).abs() < 0.05 {
                ""
            } else {
                "s"
            },
            c.horizon_days
        ),
    }
}

/// `/stats`: the zone the days are counted in.
pub fn stats_zone(lang: Lang, zone: &str) -> String {
    lang.pick(
        format!("Jours comptés à l'heure de {zone} (changez-le avec /réglages)."),
        format!("Days counted in {zone} time (change it with /settings)."),
    )
}
