//! The exam-readiness forecasts `/exam show` gives (`forecasts`): one per
//! student, server, exam and student day (a later one the same day
//! replaces it), with each seen card's prediction as JSON
//! (`core::forecast::CardForecast`). After the exam they are compared with
//! the answers of the week after (`core::forecast::observations`).

use super::{Result, Store, StoreError};
use crate::core::deck::DeckId;
use crate::core::forecast::{self, CardForecast, Forecast, LaterAnswer, Observation};
use crate::core::schedule::{Millis, Rating};

/// A forecast to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewForecast<'a> {
    pub user_id: &'a str,
    pub guild_id: &'a str,
    pub deck: Option<&'a DeckId>,
    pub exam_at: Millis,
    pub made_at: Millis,
    /// The student's day it was made on (`schedule::day_index`).
    pub made_day: i64,
    pub predicted: f32,
    pub n_cards: usize,
    pub n_unseen: usize,
    /// Made with the student's fitted parameters (else the defaults).
    pub fitted: bool,
    pub decay: f32,
    pub cards: &'a [CardForecast],
}

/// A stored forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredForecast {
    pub user_id: String,
    pub guild_id: String,
    pub deck: Option<String>,
    pub predicted: f32,
    pub n_cards: usize,
    pub n_unseen: usize,
    pub fitted: bool,
    pub forecast: Forecast,
}

const SQL_UPSERT: &str = "INSERT INTO forecasts \
     (user_id, guild_id, deck_id, exam_at, made_at, made_day, predicted, n_cards, n_unseen, \
      fitted, decay, cards) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
     ON CONFLICT (user_id, guild_id, exam_at, made_day) DO UPDATE SET \
     deck_id = excluded.deck_id, made_at = excluded.made_at, predicted = excluded.predicted, \
     n_cards = excluded.n_cards, n_unseen = excluded.n_unseen, fitted = excluded.fitted, \
     decay = excluded.decay, cards = excluded.cards";

/// `SELECT <forecast columns> FROM forecasts f <rest>` as a literal.
macro_rules! select_forecast {
    ($rest:literal) => {
        concat!(
            "SELECT f.user_id, f.guild_id, f.deck_id, f.exam_at, f.made_at, f.predicted, \
             f.n_cards, f.n_unseen, f.fitted, f.decay, f.cards FROM forecasts f ",
            $rest
        )
    };
}

type ForecastRow = (
    String,
    String,
    Option<String>,
    i64,
    i64,
    f64,
    i64,
    i64,
    i64,
    f64,
    String,
);

fn forecast_from(row: ForecastRow) -> Result<StoredForecast> {
    let (
        user_id,
        guild_id,
        deck,
        exam_at,
        made_at,
        predicted,
        n_cards,
        n_unseen,
        fitted,
        decay,
        cards,
    ) = row;
    let cards: Vec<CardForecast> = serde_json::from_str(&cards)
        .map_err(|e| StoreError::Corrupt(format!("forecast cards: {e}")))?;
    Ok(StoredForecast {
        user_id,
        guild_id,
        deck,
        predicted: predicted as f32,
        n_cards: usize::try_from(n_cards).unwrap_or(0),
        n_unseen: usize::try_from(n_unseen).unwrap_or(0),
        fitted: fitted != 0,
        forecast: Forecast {
            made_at,
            exam_at,
            decay: decay as f32,
            cards,
        },
    })
}

impl Store {
    /// Stores `f`, replacing the same student's forecast of the same exam
    /// made earlier the same day.
    pub async fn save_forecast(&self, f: &NewForecast<'_>) -> Result<()> {
        let cards = serde_json::to_string(f.cards)
            .map_err(|e| StoreError::Corrupt(format!("forecast cards: {e}")))?;
        write_rows!(
            self,
            "save forecast",
            SQL_UPSERT,
            f.user_id,
            f.guild_id,
            f.deck.map(DeckId::as_str),
            f.exam_at,
            f.made_at,
            f.made_day,
            f64::from(f.predicted),
            f.n_cards as i64,
            f.n_unseen as i64,
            i64::from(f.fitted),
            f64::from(f.decay),
            cards.as_str()
        )
        .map(|_| ())
    }

    /// `user_id`'s last forecast for the exam at `exam_at` in `guild_id`
    /// made before it: the one a check uses (an answer after an earlier
    /// forecast is also after a later one, so earlier ones add nothing).
    pub async fn forecast_for_exam(
        &self,
        user_id: &str,
        guild_id: &str,
        exam_at: Millis,
    ) -> Result<Option<StoredForecast>> {
        let sql = concat!(
            select_forecast!("WHERE f.user_id = $1 AND f.guild_id = $2 AND f.exam_at = $3 AND "),
            "f.made_at < f.exam_at AND NOT EXISTS \
             (SELECT 1 FROM forecasts g WHERE g.user_id = f.user_id AND g.guild_id = f.guild_id \
              AND g.exam_at = f.exam_at AND g.made_at < g.exam_at AND g.made_at > f.made_at)"
        );
        let row: Option<ForecastRow> = fetch!(
            self,
            fetch_optional,
            query_as(sql),
            user_id,
            guild_id,
            exam_at
        );
        row.map(forecast_from).transpose()
    }

    /// Every student's last forecast before an exam held by `now`.
    pub async fn forecasts_to_check(&self, now: Millis) -> Result<Vec<StoredForecast>> {
        let sql = concat!(
            select_forecast!("WHERE f.exam_at <= $1 AND "),
            "f.made_at < f.exam_at AND NOT EXISTS \
             (SELECT 1 FROM forecasts g WHERE g.user_id = f.user_id AND g.guild_id = f.guild_id \
              AND g.exam_at = f.exam_at AND g.made_at < g.exam_at AND g.made_at > f.made_at) \
             ORDER BY f.exam_at, f.user_id, f.guild_id"
        );
        let rows: Vec<ForecastRow> = fetch!(self, fetch_all, query_as(sql), now);
        rows.into_iter().map(forecast_from).collect()
    }

    /// `stored` against the student's answers in the week after its exam
    /// (none yet before the exam).
    pub async fn forecast_observations(&self, stored: &StoredForecast) -> Result<Vec<Observation>> {
        let f = &stored.forecast;
        let sql = concat!(
            "SELECT r.deck_id, r.card_id, r.direction, r.reviewed_at, r.day, ",
            effective_rating!("r"),
            " AS rating FROM reviews r WHERE r.user_id = $1 AND r.amends IS NULL \
             AND r.reviewed_at > $2 AND r.reviewed_at < $3"
        );
        let rows: Vec<(String, String, String, i64, i64, i64)> = fetch!(
            self,
            fetch_all,
            query_as(sql),
            &stored.user_id,
            f.made_at,
            f.exam_at + forecast::WEEK_AFTER
        );
        let answers: Vec<LaterAnswer> = rows
            .into_iter()
            .filter_map(|(deck, card, direction, at, day, rating)| {
                Some(LaterAnswer {
                    deck,
                    card,
                    direction,
                    at,
                    day,
                    rating: Rating::from_number(u8::try_from(rating).ok()?)?,
                })
            })
            .collect();
        Ok(forecast::observations(f, &answers))
    }
}
