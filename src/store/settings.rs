//! What each student chose in `/settings` (`user_settings`): one row per
//! student who chose anything, a NULL column for a setting left to its
//! default. [`super::Store::user`] reads the chosen zone, retention and
//! language over the defaults of the `users` row; the new-cards limit is
//! read here. `/forget-me` deletes the row with the user.

use chrono_tz::Tz;

use super::retry::{WRITES, retry};
use super::{Result, Store, StoreError};
use crate::core::lang::Lang;
use crate::core::schedule::Millis;
use crate::core::settings::{self, Change, Settings};

const SQL_SELECT: &str = "SELECT time_zone, desired_retention, new_cards_per_day, language \
     FROM user_settings WHERE user_id = $1";

/// Sets each column whose flag (`$7`…`$10`) is true, keeps the others; a
/// first change creates the row (NULL for what was not given).
const SQL_UPSERT: &str = "INSERT INTO user_settings \
     (user_id, time_zone, desired_retention, new_cards_per_day, language, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (user_id) DO UPDATE SET \
     time_zone = CASE WHEN $7 THEN excluded.time_zone ELSE user_settings.time_zone END, \
     desired_retention = CASE WHEN $8 THEN excluded.desired_retention \
         ELSE user_settings.desired_retention END, \
     new_cards_per_day = CASE WHEN $9 THEN excluded.new_cards_per_day \
         ELSE user_settings.new_cards_per_day END, \
     language = CASE WHEN $10 THEN excluded.language ELSE user_settings.language END, \
     updated_at = excluded.updated_at";

type SettingsRow = (Option<String>, Option<f64>, Option<i64>, Option<String>);

impl Store {
    /// What `user_id` chose (all defaults if nothing, or no such user).
    pub async fn settings(&self, user_id: &str) -> Result<Settings> {
        let row: Option<SettingsRow> = fetch!(self, fetch_optional, query_as(SQL_SELECT), user_id);
        row.map_or(Ok(Settings::default()), settings_of)
    }

    /// Applies `change` to what the existing user `user_id` chose, in one
    /// statement (two changes at once each keep their own settings), and
    /// returns the settings now stored. Values `core::settings` refuses
    /// are refused here too ([`StoreError::BadSetting`]).
    pub async fn change_settings(
        &self,
        user_id: &str,
        change: &Change,
        now: Millis,
    ) -> Result<Settings> {
        if let Some(Some(r)) = change.desired_retention {
            settings::check_retention(f64::from(r))?;
        }
        if let Some(Some(n)) = change.new_cards_per_day {
            settings::check_new_per_day(i64::from(n))?;
        }
        let zone = change.time_zone.flatten().map(|tz: Tz| tz.name());
        let retention = change.desired_retention.flatten().map(f64::from);
        let new_per_day = change.new_cards_per_day.flatten().map(i64::from);
        let language = change.language.flatten().map(Lang::as_str);
        retry("change settings", &WRITES, || async {
            Ok(with_pool!(self, pool => {
                sqlx::query(SQL_UPSERT)
                    .bind(user_id)
                    .bind(zone)
                    .bind(retention)
                    .bind(new_per_day)
                    .bind(language)
                    .bind(now)
                    .bind(change.time_zone.is_some())
                    .bind(change.desired_retention.is_some())
                    .bind(change.new_cards_per_day.is_some())
                    .bind(change.language.is_some())
                    .execute(pool)
                    .await?
                    .rows_affected()
            }))
        })
        .await?;
        self.settings(user_id).await
    }
}

fn settings_of((zone, retention, new_per_day, language): SettingsRow) -> Result<Settings> {
    let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} {value:?}"));
    Ok(Settings {
        time_zone: zone
            .map(|z| z.parse::<Tz>().map_err(|_| corrupt("time zone", &z)))
            .transpose()?,
        desired_retention: retention.map(|r| r as f32),
        new_cards_per_day: new_per_day
            .map(|n| u32::try_from(n).map_err(|_| corrupt("new cards per day", &n.to_string())))
            .transpose()?,
        language: language
            .map(|l| Lang::parse(&l).ok_or_else(|| corrupt("language", &l)))
            .transpose()?,
    })
}
