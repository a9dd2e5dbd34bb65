//! Raw rows as the database returns them (plain integers, reals and
//! strings, the same on both backends), and their conversion into the
//! validated types of the store API. A value rappel never writes (an
//! unknown phase, a bad slug) is reported as [`StoreError::Corrupt`].

use chrono_tz::Tz;

use super::{CardKey, Direction, Result, StoreError, User};
use crate::core::deck::{CardId, DeckId};
use crate::core::lang::Lang;
use crate::core::schedule::{CardState, Parameters, Phase};

#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: String,
    time_zone: String,
    desired_retention: f64,
    language: String,
    created_at: i64,
    /// What the student chose in `/settings` (`user_settings`), if anything.
    chosen_time_zone: Option<String>,
    chosen_retention: Option<f64>,
    chosen_language: Option<String>,
    /// Fitted FSRS parameters in use (`user_parameters`), if any.
    fitted_parameters: Option<String>,
}

impl UserRow {
    /// The user with their chosen settings over the stored defaults.
    pub(super) fn into_user(self) -> Result<User> {
        let zone = self.chosen_time_zone.as_ref().unwrap_or(&self.time_zone);
        let time_zone: Tz = zone.parse().map_err(|_| corrupt("time zone", zone))?;
        let language = self.chosen_language.as_ref().unwrap_or(&self.language);
        let language = Lang::parse(language).ok_or_else(|| corrupt("language", language))?;
        let parameters = match &self.fitted_parameters {
            Some(text) => Parameters::parse(text).ok_or_else(|| corrupt("parameters", text))?,
            None => Parameters::default(),
        };
        Ok(User {
            parameters,
            id: self.id,
            time_zone,
            desired_retention: self.chosen_retention.unwrap_or(self.desired_retention) as f32,
            language,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct StateRow {
    deck_id: String,
    card_id: String,
    direction: String,
    phase: String,
    step: i64,
    stability: f64,
    difficulty: f64,
    due: i64,
    last_review: Option<i64>,
    reps: i64,
    lapses: i64,
}

impl StateRow {
    pub(super) fn into_pair(self) -> Result<(CardKey, CardState)> {
        let key = CardKey {
            deck: DeckId::parse(&self.deck_id).map_err(|_| corrupt("deck id", &self.deck_id))?,
            card: CardId::parse(&self.card_id).map_err(|_| corrupt("card id", &self.card_id))?,
            direction: Direction::parse(&self.direction)
                .ok_or_else(|| corrupt("direction", &self.direction))?,
        };
        let state = CardState {
            phase: Phase::parse(&self.phase).ok_or_else(|| corrupt("phase", &self.phase))?,
            step: count(self.step, "step")?,
            stability: self.stability as f32,
            difficulty: self.difficulty as f32,
            due: self.due,
            last_review: self.last_review,
            reps: count(self.reps, "reps")?,
            lapses: count(self.lapses, "lapses")?,
        };
        Ok((key, state))
    }
}

fn count(n: i64, what: &str) -> Result<u32> {
    u32::try_from(n).map_err(|_| corrupt(what, &n.to_string()))
}

pub(super) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}
