//! `/settings` (`/réglages`): a student's own settings, privately.

use super::{Lang, decimal_mark};
use crate::core::settings::Settings;

/// What `/settings` shows: each setting, whether it is the default, and
/// what the retention costs.
pub struct SettingsText<'a> {
    /// What the student chose (`None`: the default).
    pub chosen: &'a Settings,
    /// The zone days are counted in, and the local time there now (HH:MM).
    pub zone: &'a str,
    pub local_time: &'a str,
    /// Desired retention, 0–1: the chosen one or the default.
    pub retention: f32,
    /// The language of the student's client (the reply's when `chosen`
    /// says auto).
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
    decimal_mark(lang, text)
}

/// Reviews per day: one decimal below 10.
fn per_day(lang: Lang, n: f32) -> String {
    let text = if n < 10.0 {
        format!("{n:.1}")
    } else {
        format!("{}", n.round() as u64)
    };
    decimal_mark(lang, text)
}

/// The settings, one per line, then how to change them.
pub fn settings_shown(lang: Lang, s: &SettingsText) -> String {
    let default = |is: bool| match (is, lang) {
        (true, Lang::Fr) => " (par défaut)",
        (true, Lang::En) => " (default)",
        (false, _) => "",
    };
    let language = match (s.chosen.language, lang) {
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
    // The values once; each language only words them.
    let (zone, local_time) = (s.zone, s.local_time);
    let zone_default = default(s.chosen.time_zone.is_none());
    let retention = pct(lang, s.retention);
    let retention_default = default(s.chosen.desired_retention.is_none());
    let new_per_day = s.chosen.new_cards_per_day();
    let new_default = default(s.chosen.new_cards_per_day.is_none());
    let title = match (lang, s.changed) {
        (Lang::Fr, true) => "**Réglages enregistrés**",
        (Lang::Fr, false) => "**Vos réglages**",
        (Lang::En, true) => "**Settings saved**",
        (Lang::En, false) => "**Your settings**",
    };
    let (zone, retention, new, lang_label, hint) = match lang {
        Lang::Fr => (
            format!(
                "Fuseau horaire : {zone}{zone_default} — il est {local_time} chez vous ; une journée de révision commence à 4 h."
            ),
            format!("Rétention visée : {retention} %{retention_default}"),
            format!("Nouvelles cartes par jour : {new_per_day}{new_default}"),
            format!("Langue des réponses : {language}"),
            "Pour changer : /réglages fuseau: rétention: nouvelles-cartes: langue:",
        ),
        Lang::En => (
            format!(
                "Time zone: {zone}{zone_default}, where it is {local_time}; a study day starts at 4 am."
            ),
            format!("Desired retention: {retention}%{retention_default}"),
            format!("New cards per day: {new_per_day}{new_default}"),
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
