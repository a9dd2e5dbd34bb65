//! `/exam`: the server's exam date (`set`, Manage Server) and, for the
//! caller, the countdown with a readiness forecast (`show`), computed by
//! [`crate::core::readiness::forecast`] from the caller's own schedule.

use std::collections::HashMap;

use crate::core::exam::{self, exam_instant};
use crate::core::schedule::{Millis, Scheduler, day_index};
use crate::core::{forecast, readiness, session};
use crate::discord::messages::{self, CheckText, ExamText};
use crate::discord::{Context, Error, Lang, Mistake, context_lang, now_ms};
use crate::store::{Exam, NewForecast};

/// The target of the "reviews per day" estimate.
const TARGET: f32 = 0.9;

/// The exam date and your readiness
#[poise::command(slash_command, subcommands("set", "show"), guild_only)]
pub async fn exam(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Set the server's exam date (Manage Server)
#[poise::command(slash_command, guild_only)]
pub async fn set(
    ctx: Context<'_>,
    date: String,
    #[autocomplete = "super::autocomplete_deck"] deck: Option<String>,
) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let guild = super::require_manager_guild(ctx)?;
    let day = exam::parse_date(&date).ok_or_else(|| Mistake::BadExamDate {
        given: date.clone(),
    })?;
    // From yesterday (any zone's today) to two years ahead: a typo such as
    // 0226 or 20226 is refused instead of stored.
    let now = now_ms();
    let today = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .date_naive();
    let (min, max) = (today - chrono::Days::new(1), today + chrono::Days::new(731));
    if !(min..=max).contains(&day) {
        return Err(Mistake::OutOfRange {
            command: "exam set",
            option: "date",
            given: date,
            min: min.to_string(),
            max: max.to_string(),
        }
        .into());
    }
    let decks = super::guild_decks(ctx).await?;
    let deck = match deck {
        Some(given) => Some(super::find_in(&decks, &given)?.id.clone()),
        None => None,
    };
    let author = ctx.author().id.to_string();
    // The date is in the zone of the person who sets it.
    let setter = super::study::student(ctx.data(), ctx.author().id, lang, now).await?;
    let exam = Exam {
        guild_id: guild.to_string(),
        date: day,
        time_zone: setter.time_zone,
        deck,
    };
    let store = &ctx.data().store;
    store.set_exam(&exam, &author, now).await?;
    let text = messages::exam_set(
        lang,
        &messages::long_date(lang, day),
        exam.deck.as_ref().map(|d| decks.shown_id(d)),
    );
    super::private(ctx, text).await
}

/// The exam countdown and your readiness forecast
#[poise::command(slash_command, guild_only)]
pub async fn show(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let guild = super::require_guild(ctx)?;
    let data = ctx.data();
    let now = now_ms();
    let user = super::study::student(data, ctx.author().id, lang, now).await?;
    let Some(exam) = data.store.exam(&guild.to_string()).await? else {
        return super::private(ctx, messages::no_exam(lang).to_string()).await;
    };
    let decks = super::guild_decks(ctx).await?;
    let items = session::items(&decks.library, exam.deck.as_ref());
    let states: HashMap<_, _> = data
        .store
        .card_states(&user.id, exam.deck.as_ref())
        .await?
        .into_iter()
        .collect();
    let per_card: Vec<_> = items.iter().map(|i| states.get(&i.key).cloned()).collect();
    let scheduler = Scheduler::new(user.scheduler_config());
    let exam_at = exam_instant(exam.date, exam.time_zone);
    let r = readiness::forecast(&scheduler, &per_card, now, exam_at, TARGET);
    let guild_id = guild.to_string();
    let check = if now < exam_at {
        let seen = items.iter().filter_map(|i| {
            let state = states.get(&i.key)?;
            let key = (
                i.key.deck.as_str(),
                i.key.card.as_str(),
                i.key.direction.as_str(),
            );
            Some((key, state))
        });
        let cards = forecast::card_forecasts(&scheduler, seen, exam_at);
        let stored = NewForecast {
            user_id: &user.id,
            guild_id: &guild_id,
            deck: exam.deck.as_ref(),
            exam_at,
            made_at: now,
            made_day: day_index(now, user.time_zone),
            predicted: r.predicted,
            n_cards: r.n_cards,
            n_unseen: r.n_unseen,
            fitted: !user.parameters.is_default(),
            decay: user.parameters.decay(),
            cards: &cards,
        };
        // Kept to be checked after the exam; the forecast is still worth
        // showing if it cannot be stored.
        if let Err(e) = data.store.save_forecast(&stored).await {
            tracing::warn!(error = %e, "storing an exam forecast");
        }
        None
    } else {
        Some(check(data, &user, &guild_id, exam_at, now, lang).await?)
    };
    let date = messages::long_date(lang, exam.date);
    let text = messages::exam_show(
        lang,
        &ExamText {
            date: &date,
            deck: exam.deck.as_ref().map(|d| decks.shown_id(d)),
            readiness: &r,
        },
    );
    let text = match check {
        Some(check) => format!("{text}\n{}", messages::exam_check(lang, &check)),
        None => text,
    };
    super::private(ctx, text).await
}

/// `user`'s last forecast for the exam at `exam_at` against their answers
/// of the week after it.
async fn check(
    data: &crate::discord::Data,
    user: &crate::store::User,
    guild_id: &str,
    exam_at: Millis,
    now: Millis,
    lang: Lang,
) -> Result<CheckText, Error> {
    let store = &data.store;
    let Some(stored) = store.forecast_for_exam(&user.id, guild_id, exam_at).await? else {
        return Ok(CheckText::NoForecast);
    };
    let date = |at: Millis| messages::local_long_date(lang, at, user.time_zone);
    let end = exam_at + forecast::WEEK_AFTER;
    let (until, over) = (date(end - 1), now >= end);
    let observations = store.forecast_observations(&stored).await?;
    if observations.is_empty() {
        return Ok(CheckText::Nothing { until, over });
    }
    Ok(CheckText::Compared {
        made: date(stored.forecast.made_at),
        until,
        over,
        calibration: Box::new(forecast::calibrate(&observations)),
    })
}
