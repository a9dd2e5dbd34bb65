//! `/settings` (`/réglages`): a student's own time zone, desired retention,
//! new cards per day and reply language, privately. Without options it
//! shows them; with options it checks each one with `core::settings`
//! (a refusal is a [`Mistake`], nothing is stored), stores them together
//! and shows the result. The retention comes with what it costs: FSRS's
//! expected reviews per day for the student's cards
//! (`core::workload`).

use poise::serenity_prelude as serenity;

use crate::core::settings::{self, Change, SettingError};
use crate::core::workload;
use crate::discord::messages::{self, Cost, Lang, SettingsText};
use crate::discord::{Context, Error, Mistake, client_lang, now_ms};

/// The reply language a student may choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum LanguageChoice {
    #[name = "auto"]
    Auto,
    #[name = "français"]
    Fr,
    #[name = "English"]
    #[name_localized("fr", "anglais")]
    En,
}

impl LanguageChoice {
    fn lang(self) -> Option<Lang> {
        match self {
            Self::Auto => None,
            Self::Fr => Some(Lang::Fr),
            Self::En => Some(Lang::En),
        }
    }
}

/// Your time zone, retention, new cards per day and language
#[poise::command(slash_command)]
pub async fn settings(
    ctx: Context<'_>,
    #[autocomplete = "autocomplete_zone"] timezone: Option<String>,
    #[min = 0.8]
    #[max = 0.97]
    retention: Option<f64>,
    #[rename = "new-cards"]
    #[min = 0]
    #[max = 200]
    new_cards: Option<i64>,
    language: Option<LanguageChoice>,
) -> Result<(), Error> {
    let data = ctx.data();
    let now = now_ms();
    let change = Change {
        time_zone: timezone
            .as_deref()
            .map(|z| settings::parse_time_zone(z).map(Some))
            .transpose()
            .map_err(refusal)?,
        desired_retention: retention
            .map(|r| settings::check_retention(r).map(Some))
            .transpose()
            .map_err(refusal)?,
        new_cards_per_day: new_cards
            .map(|n| settings::check_new_per_day(n).map(Some))
            .transpose()
            .map_err(refusal)?,
        language: language.map(LanguageChoice::lang),
    };
    let client = client_lang(ctx);
    let user = super::study::student(data, ctx.author().id, client, now).await?;
    let before = data.store.settings(&user.id).await?;
    let after = if change.is_empty() {
        before
    } else {
        data.store.change_settings(&user.id, &change, now).await?
    };
    // The reply is in the language just chosen.
    let lang = after.reply_lang(client);
    let decks = super::guild_decks(ctx).await?;
    let states: Vec<_> = data
        .store
        .card_states(&user.id, None)
        .await?
        .into_iter()
        .filter(|(key, _)| {
            decks
                .library
                .card(key.deck.as_str(), key.card.as_str())
                .is_some()
        })
        .map(|(_, state)| state)
        .collect();
    let default_zone = settings::default_time_zone();
    let zone = after.time_zone_or(default_zone);
    let retention = after
        .desired_retention
        .unwrap_or_else(settings::default_retention);
    let old_retention = before
        .desired_retention
        .unwrap_or_else(settings::default_retention);
    let cost = {
        let estimate = |r| workload::reviews_per_day(&states, r, now, zone, &user.parameters);
        estimate(retention).map(|per_day| Cost {
            n_cards: states.iter().filter(|s| s.last_review.is_some()).count(),
            per_day,
            horizon_days: workload::HORIZON_DAYS,
            before: (change.desired_retention.is_some() && old_retention != retention)
                .then(|| estimate(old_retention).map(|n| (old_retention, n)))
                .flatten(),
        })
    };
    let local_time = messages::local_time(now, zone, "%H:%M");
    let text = messages::settings_shown(
        lang,
        &SettingsText {
            chosen: &after,
            zone: zone.name(),
            local_time: &local_time,
            retention,
            shown: client,
            cost,
            changed: !change.is_empty(),
        },
    );
    tracing::debug!(changed = !change.is_empty(), "settings shown");
    super::private(ctx, text).await
}

/// The [`Mistake`] a refused setting is told as.
fn refusal(error: SettingError) -> Error {
    let out_of_range = |option, given, min: String, max: String| Mistake::OutOfRange {
        command: "settings",
        option,
        given,
        min,
        max,
    };
    let mistake = match error {
        SettingError::UnknownTimeZone(given) => Mistake::BadTimeZone { given },
        SettingError::RetentionOutOfRange(given) => out_of_range(
            "retention",
            given,
            format!("{:.2}", settings::RETENTION_MIN),
            format!("{:.2}", settings::RETENTION_MAX),
        ),
        SettingError::NewPerDayOutOfRange(given) => out_of_range(
            "new-cards",
            given,
            "0".to_string(),
            settings::NEW_PER_DAY_MAX.to_string(),
        ),
        SettingError::UnknownLanguage(given) => {
            out_of_range("language", given, "auto, fr".to_string(), "en".to_string())
        }
    };
    mistake.into()
}

/// Autocompletes the time zone from the IANA names (chrono-tz), on any
/// part of the name, case and accents ignored; at most 25, Discord's limit.
pub async fn autocomplete_zone(
    _ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let choices = settings::zone_suggestions(partial, settings::MAX_CHOICES)
        .into_iter()
        .map(|name| serenity::AutocompleteChoice::new(name, name))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}
