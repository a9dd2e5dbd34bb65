//! Every word the bot says to people, in French and in English.
//!
//! User-facing text lives under this module and nowhere else, so a
//! translator (or a reviewer checking the French) reads one folder: a file
//! per command, as in `commands/`, plus [`registration`] (the names and
//! descriptions of the slash commands) and [`echo`] (the one way user text
//! is shown back). Handlers pick a [`Lang`] from the interaction's locale
//! and call these functions; what several commands say (errors, refusals)
//! is here.

/// Texts that take nothing but the language, one line each:
/// `name: "French", "English";` is `pub fn name(lang: Lang) -> &'static str`.
macro_rules! fixed_texts {
    ($($(#[$doc:meta])* $name:ident: $fr:literal, $en:literal;)*) => {$(
        $(#[$doc])*
        pub fn $name(lang: Lang) -> &'static str {
            lang.pick($fr, $en)
        }
    )*};
}

mod appeals;
mod daily;
mod decks;
mod echo;
mod exam;
mod forget;
mod leaderboard;
mod permission;
mod quiz;
pub mod registration;
mod settings;
mod stats;
mod study;

pub use appeals::*;
pub use daily::*;
pub use decks::*;
pub use echo::{MAX_ECHO, echo};
pub use exam::*;
pub use forget::*;
pub use leaderboard::*;
pub use permission::*;
pub use quiz::*;
pub use registration::{COMMANDS, CommandText, ParamText, command_text};
pub use settings::*;
pub use stats::*;
pub use study::*;

pub use crate::core::lang::Lang;

pub fn unknown_deck(lang: Lang, given: &str, known: &[&str]) -> String {
    let known = known.join(", ");
    let given = echo(given, 100);
    lang.pick(
        format!("Je ne connais pas le paquet « {given} ». Paquets : {known}."),
        format!("I don't know the deck \"{given}\". Decks: {known}."),
    )
}

pub fn session_expired(lang: Lang) -> &'static str {
    lang.pick(
        "Cette séance de révision a expiré. Relancez /réviser pour continuer.",
        "This study session has expired. Run /study again to continue.",
    )
}

pub fn already_answered(lang: Lang) -> &'static str {
    lang.pick(
        "Vous avez déjà répondu à cette carte.",
        "You have already answered this card.",
    )
}

pub fn internal_error(lang: Lang) -> &'static str {
    lang.pick(
        "Oups, quelque chose s'est mal passé de mon côté. Réessayez dans un instant.",
        "Oops, something went wrong on my side. Please try again in a moment.",
    )
}

pub fn bad_arguments(lang: Lang) -> &'static str {
    lang.pick(
        "Je n'ai pas compris les options de cette commande.",
        "I could not understand this command's options.",
    )
}

pub fn needs_manage_server(lang: Lang) -> &'static str {
    lang.pick(
        "Il faut la permission « Gérer le serveur » pour cela.",
        "You need the Manage Server permission for this.",
    )
}

pub fn only_in_server(lang: Lang) -> &'static str {
    lang.pick(
        "Cette commande ne marche que dans un serveur.",
        "This command only works in a server.",
    )
}

/// The database stayed busy or unreachable through every retry; nothing was saved.
pub fn database_busy(lang: Lang) -> &'static str {
    lang.pick(
        "La base de données est occupée en ce moment : rien n’a été enregistré. Réessayez dans quelques secondes.",
        "The database is busy right now: nothing was saved. Please try again in a few seconds.",
    )
}

/// A command option outside what the bot accepts. `command` and `option`
/// are the English names (as in [`COMMANDS`]); the French names are looked
/// up there.
pub fn out_of_range(
    lang: Lang,
    command: &str,
    option: &str,
    given: &str,
    min: &str,
    max: &str,
) -> String {
    let name = match lang {
        Lang::Fr => command_text(command)
            .and_then(|c| c.params.iter().find(|p| p.name == option))
            .map_or(option, |p| p.fr_name),
        Lang::En => option,
    };
    let given = echo(given, 40);
    match lang {
        Lang::Fr => {
            format!("Valeur refusée pour « {name} » : {given}. Choisissez entre {min} et {max}.")
        }
        Lang::En => {
            format!("Value not accepted for \"{name}\": {given}. Choose between {min} and {max}.")
        }
    }
}

/// A number as written in `lang`: a decimal comma in French.
pub fn decimal_mark(lang: Lang, text: String) -> String {
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A day as people write it: « dimanche 20 décembre 2026 » (« 1er » for the
/// first of a month), "Sunday 20 December 2026".
pub fn long_date(lang: Lang, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const JOURS: [&str; 7] = [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let (weekday, month, year) = (
        day.weekday().num_days_from_monday() as usize,
        day.month0() as usize,
        day.year(),
    );
    match lang {
        Lang::Fr => {
            let n = match day.day() {
                1 => "1er".to_string(),
                d => d.to_string(),
            };
            format!("{} {n} {} {year}", JOURS[weekday], MOIS[month])
        }
        Lang::En => day.format("%A %-d %B %Y").to_string(),
    }
}

/// The day of the instant `at` on the clock of `zone`, as [`long_date`]
/// writes it.
pub fn local_long_date(
    lang: Lang,
    at: crate::core::schedule::Millis,
    zone: chrono_tz::Tz,
) -> String {
    let day = chrono::DateTime::from_timestamp_millis(at)
        .unwrap_or_default()
        .with_timezone(&zone)
        .date_naive();
    long_date(lang, day)
}

/// The instant `at` on the clock of `zone`, as `format` writes it
/// (`"%H:%M"`).
pub fn local_time(at: crate::core::schedule::Millis, zone: chrono_tz::Tz, format: &str) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .unwrap_or_default()
        .with_timezone(&zone)
        .format(format)
        .to_string()
}

/// At most `max` characters (Discord's embed limits), with an ellipsis.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_written_out_in_the_reader_s_language() {
        for (lang, (y, m, d), written) in [
            (Lang::Fr, (2026, 12, 20), "dimanche 20 décembre 2026"),
            (Lang::Fr, (2027, 2, 1), "lundi 1er février 2027"),
            (Lang::En, (2026, 12, 20), "Sunday 20 December 2026"),
            (Lang::En, (2027, 2, 1), "Monday 1 February 2027"),
        ] {
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(long_date(lang, day), written);
        }
        // The day is the one on the student's clock: 03:00 UTC on the 21st
        // is still the 20th in Montreal.
        let at = 1_797_822_000_000; // 2026-12-21T03:00:00Z
        let zone: chrono_tz::Tz = "America/Montreal".parse().unwrap();
        assert_eq!(
            local_long_date(Lang::Fr, at, zone),
            "dimanche 20 décembre 2026"
        );
    }
}
