//! A student's own settings (`/settings`): time zone, desired retention,
//! new cards per day and reply language, each either chosen or left to its
//! default. What a value may be is decided here, once: the bot checks every
//! option it receives with these functions, the store refuses anything else.
//!
//! Also the time zone search behind the `/settings` autocomplete: IANA
//! names from chrono-tz matched on substrings, case and accents ignored.

use chrono_tz::{TZ_VARIANTS, Tz};
use unicode_normalization::UnicodeNormalization;

use super::lang::Lang;
use super::schedule::SchedulerConfig;
use super::session::Limits;

/// The lowest desired retention a student may choose.
pub const RETENTION_MIN: f32 = 0.80;
/// The highest desired retention a student may choose.
pub const RETENTION_MAX: f32 = 0.97;
/// The most new cards per day a student may choose (0 pauses new cards).
pub const NEW_PER_DAY_MAX: u32 = 200;
/// The most zones an autocomplete offers (Discord's limit).
pub const MAX_CHOICES: usize = 25;

/// What a student chose; `None` leaves the default (for the language:
/// "auto", the language of their Discord client).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Settings {
    pub time_zone: Option<Tz>,
    pub desired_retention: Option<f32>,
    pub new_cards_per_day: Option<u32>,
    pub language: Option<Lang>,
}

impl Settings {
    /// The zone days are counted in: the chosen one, else `fallback`.
    pub fn time_zone_or(&self, fallback: Tz) -> Tz {
        self.time_zone.unwrap_or(fallback)
    }

    /// New cards introduced per local day.
    pub fn new_cards_per_day(&self) -> u32 {
        self.new_cards_per_day
            .unwrap_or(Limits::default().new_per_day)
    }

    /// The session limits these settings give.
    pub fn limits(&self) -> Limits {
        Limits {
            new_per_day: self.new_cards_per_day(),
        }
    }

    /// The language of a reply: the chosen one, else the client's (`auto`).
    pub fn reply_lang(&self, client: Lang) -> Lang {
        self.language.unwrap_or(client)
    }

    /// These settings with every chosen value of `change` applied.
    pub fn with(self, change: &Change) -> Self {
        Self {
            time_zone: change.time_zone.unwrap_or(self.time_zone),
            desired_retention: change.desired_retention.unwrap_or(self.desired_retention),
            new_cards_per_day: change.new_cards_per_day.unwrap_or(self.new_cards_per_day),
            language: change.language.unwrap_or(self.language),
        }
    }
}

/// The default zone, for a student who has not chosen one.
pub fn default_time_zone() -> Tz {
    SchedulerConfig::default().time_zone
}

/// The default desired retention.
pub fn default_retention() -> f32 {
    SchedulerConfig::default().desired_retention
}

/// What one `/settings` asks to change: `Some(v)` sets `v` (`Some(None)`
/// for the language: back to auto), `None` leaves the setting alone.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Change {
    pub time_zone: Option<Option<Tz>>,
    pub desired_retention: Option<Option<f32>>,
    pub new_cards_per_day: Option<Option<u32>>,
    pub language: Option<Option<Lang>>,
}

impl Change {
    /// Whether nothing is to change (`/settings` alone shows the settings).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Why a setting was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingError {
    #[error("unknown time zone {0:?} (expected an IANA name such as Europe/Paris)")]
    UnknownTimeZone(String),
    #[error("desired retention must be between {RETENTION_MIN} and {RETENTION_MAX}, got {0}")]
    RetentionOutOfRange(String),
    #[error("new cards per day must be between 0 and {NEW_PER_DAY_MAX}, got {0}")]
    NewPerDayOutOfRange(String),
    #[error("unknown language {0:?} (expected auto, fr or en)")]
    UnknownLanguage(String),
}

/// A time zone as typed or picked: an IANA name, case, accents, spaces
/// for underscores ignored (`europe/paris`, `America/Montréal`,
/// `America/New York`), or a city that names one zone alone (`Tokyo`).
pub fn parse_time_zone(given: &str) -> Result<Tz, SettingError> {
    let trimmed = given.trim();
    if let Ok(tz) = trimmed.parse::<Tz>() {
        return Ok(tz);
    }
    let folded = fold(trimmed);
    if folded.is_empty() {
        return Err(SettingError::UnknownTimeZone(given.to_string()));
    }
    if let Some(tz) = TZ_VARIANTS.iter().find(|tz| fold(tz.name()) == folded) {
        return Ok(*tz);
    }
    let mut by_city = TZ_VARIANTS
        .iter()
        .filter(|tz| is_regional(tz.name()) && fold(city(tz.name())) == folded);
    match (by_city.next(), by_city.next()) {
        (Some(tz), None) => Ok(*tz),
        _ => Err(SettingError::UnknownTimeZone(given.to_string())),
    }
}

/// A desired retention, as a fraction (0.85) within
/// [`RETENTION_MIN`]..=[`RETENTION_MAX`]; never clamped.
pub fn check_retention(given: f64) -> Result<f32, SettingError> {
    // A hair of slack, so 0.8 and 0.97 typed as such are inside.
    let (min, max) = (
        f64::from(RETENTION_MIN) - 1e-6,
        f64::from(RETENTION_MAX) + 1e-6,
    );
    if given.is_finite() && (min..=max).contains(&given) {
        Ok(given as f32)
    } else {
        Err(SettingError::RetentionOutOfRange(given.to_string()))
    }
}

/// New cards per day, 0 (none) to [`NEW_PER_DAY_MAX`].
pub fn check_new_per_day(given: i64) -> Result<u32, SettingError> {
    u32::try_from(given)
        .ok()
        .filter(|&n| n <= NEW_PER_DAY_MAX)
        .ok_or_else(|| SettingError::NewPerDayOutOfRange(given.to_string()))
}

/// A reply language: `auto` (`None`: the Discord client's), `fr` or `en`.
pub fn parse_language(given: &str) -> Result<Option<Lang>, SettingError> {
    match fold(given).as_str() {
        "auto" => Ok(None),
        "fr" | "francais" | "french" => Ok(Some(Lang::Fr)),
        "en" | "anglais" | "english" => Ok(Some(Lang::En)),
        _ => Err(SettingError::UnknownLanguage(given.to_string())),
    }
}

/// Zones offered when nothing is typed yet: where the course's students
/// mostly live.
const COMMON_ZONES: &[&str] = &[
    "America/Montreal",
    "America/Toronto",
    "America/Vancouver",
    "America/New_York",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Zurich",
    "Europe/London",
    "Africa/Casablanca",
    "Africa/Algiers",
    "Africa/Tunis",
    "Africa/Dakar",
    "Africa/Abidjan",
    "Indian/Reunion",
    "America/Guadeloupe",
    "America/Martinique",
    "Pacific/Tahiti",
    "Asia/Tokyo",
    "UTC",
];

/// Up to `limit` IANA zone names whose name contains `typed` (case,
/// accents and `_`/space ignored): exact names first, then names whose
/// city starts with it, then any part, then the rest; continental zones
/// before legacy aliases (`US/Eastern`, `EST5EDT`), each group in
/// alphabetical order. Nothing typed: a few common zones.
pub fn zone_suggestions(typed: &str, limit: usize) -> Vec<&'static str> {
    let query = fold(typed);
    if query.is_empty() {
        return COMMON_ZONES.iter().copied().take(limit).collect();
    }
    let mut hits: Vec<(u8, bool, &'static str)> = TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter_map(|name| {
            let folded = fold(name);
            let rank = if folded == query {
                0
            } else if fold(city(name)).starts_with(&query) {
                1
            } else if folded.split('/').any(|part| part.starts_with(&query)) {
                2
            } else if folded.contains(&query) {
                3
            } else {
                return None;
            };
            Some((rank, !is_regional(name), name))
        })
        .collect();
    hits.sort();
    hits.into_iter()
        .take(limit)
        .map(|(_, _, name)| name)
        .collect()
}

/// The last part of a zone name, its city (`Sao_Paulo` of
/// `America/Sao_Paulo`).
fn city(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// A zone under a continent or ocean, as opposed to the legacy aliases.
fn is_regional(name: &str) -> bool {
    const REGIONS: &[&str] = &[
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    REGIONS.iter().any(|r| name.starts_with(r))
}

/// Lower case without accents, `_` read as a space, spaces squeezed.
fn fold(text: &str) -> String {
    let plain: String = text
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == '_' { ' ' } else { c })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_parse_whatever_the_case_and_accents() {
        assert_eq!(parse_time_zone("Asia/Tokyo"), Ok(chrono_tz::Asia::Tokyo));
        assert_eq!(
            parse_time_zone(" europe/paris "),
            Ok(chrono_tz::Europe::Paris)
        );
        assert_eq!(
            parse_time_zone("America/Montréal"),
            Ok(chrono_tz::America::Montreal)
        );
        assert_eq!(
            parse_time_zone("america/new york"),
            Ok(chrono_tz::America::New_York)
        );
        assert_eq!(parse_time_zone("tokyo"), Ok(chrono_tz::Asia::Tokyo));
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert!(parse_time_zone("").is_err());
    }

    #[test]
    fn suggestions_match_substrings_and_stay_within_the_limit() {
        let montreal = zone_suggestions("montréal", MAX_CHOICES);
        assert_eq!(montreal.first(), Some(&"America/Montreal"));
        let sao = zone_suggestions("SAO PAU", MAX_CHOICES);
        assert_eq!(sao, vec!["America/Sao_Paulo"]);
        assert!(zone_suggestions("a", MAX_CHOICES).len() <= MAX_CHOICES);
        assert!(zone_suggestions("zzzz", MAX_CHOICES).is_empty());
        assert_eq!(zone_suggestions("", 3).len(), 3);
        // The city before the legacy alias.
        let tokyo = zone_suggestions("tokyo", MAX_CHOICES);
        assert_eq!(tokyo.first(), Some(&"Asia/Tokyo"));
    }

    #[test]
    fn retention_is_checked_never_clamped() {
        assert_eq!(check_retention(0.8), Ok(0.8));
        assert_eq!(check_retention(0.97), Ok(0.97));
        assert_eq!(check_retention(0.855), Ok(0.855));
        assert!(check_retention(0.79).is_err());
        assert!(check_retention(0.98).is_err());
        assert!(check_retention(90.0).is_err());
        assert!(check_retention(f64::NAN).is_err());
    }

    #[test]
    fn new_cards_and_language() {
        assert_eq!(check_new_per_day(0), Ok(0));
        assert_eq!(check_new_per_day(200), Ok(200));
        assert!(check_new_per_day(-1).is_err());
        assert!(check_new_per_day(201).is_err());
        assert_eq!(parse_language("auto"), Ok(None));
        assert_eq!(parse_language("Français"), Ok(Some(Lang::Fr)));
        assert_eq!(parse_language("en"), Ok(Some(Lang::En)));
        assert!(parse_language("de").is_err());
    }
}
