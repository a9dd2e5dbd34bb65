//! `/daily`: a question every day in a channel. `set`, `off` (Manage
//! Server, checked here) and `show`; the answer button and modal of the
//! posted question. Posting itself is [`crate::discord::daily_loop`].
//!
//! An answer is graded privately, recorded as a review with origin
//! `daily` in one transaction with the member's answer (which earns the
//! point) and counts once per member and question (the first answer);
//! answers feed the daily streak and the next post's "how many got it".

use chrono::NaiveDate;
use poise::serenity_prelude as serenity;

use super::{Pressed, Submitted};
use crate::core::answer;
use crate::core::daily::{self, Due, PostTime};
use crate::core::grade;
use crate::core::review::{Answered, Origin};
use crate::core::schedule::Answer;
use crate::core::session;
use crate::discord::daily_loop::submit_id;
use crate::discord::messages::{self, Lang};
use crate::discord::permission;
use crate::discord::server_decks::GuildDecks;
use crate::discord::{Context, Data, Error, Mistake, context_lang, no_pings, now_ms};
use crate::store::{DailyChannel, DailyPost};

const DEFAULT_ZONE: &str = "America/Montreal";

/// A question every day in a channel
#[poise::command(slash_command, subcommands("set", "off", "show"), guild_only)]
pub async fn daily(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Post a daily question in a channel (Manage Server)
#[poise::command(slash_command, guild_only)]
pub async fn set(
    ctx: Context<'_>,
    time: String,
    channel: Option<serenity::ChannelId>,
    #[autocomplete = "super::settings::autocomplete_zone"] timezone: Option<String>,
    #[autocomplete = "super::autocomplete_deck"] deck: Option<String>,
) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let guild = super::require_manager_guild(ctx)?;
    let Ok(post_time) = PostTime::parse(&time) else {
        return Err(Mistake::BadDailyTime { given: time }.into());
    };
    let zone_name = timezone.unwrap_or_else(|| DEFAULT_ZONE.to_string());
    let Ok(tz) = daily::parse_zone(&zone_name) else {
        return Err(Mistake::BadTimeZone { given: zone_name }.into());
    };
    let decks = super::guild_decks(ctx).await?;
    let deck = match deck {
        Some(given) => Some(super::find_in(&decks, &given)?.id.clone()),
        None => None,
    };
    let channel = channel.unwrap_or(ctx.channel_id());
    // A post Discord would refuse: say which permission is missing now.
    permission::require(ctx, channel, permission::DAILY).await?;
    let settings = DailyChannel {
        channel_id: channel.to_string(),
        guild_id: guild.to_string(),
        time: post_time,
        time_zone: tz,
        deck,
    };
    let now = now_ms();
    let admin = ctx.author().id.to_string();
    let store = &ctx.data().store;
    store.set_daily_by(&settings, Some(&admin), now).await?;
    let text = settings_text(ctx.data(), &decks, &settings, lang, now).await?;
    super::private(ctx, text).await
}

/// Stop the daily question in a channel (Manage Server)
#[poise::command(slash_command, guild_only)]
pub async fn off(ctx: Context<'_>, channel: Option<serenity::ChannelId>) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let guild = super::require_manager_guild(ctx)?.to_string();
    let channel = channel.unwrap_or(ctx.channel_id()).to_string();
    let store = &ctx.data().store;
    // Only a channel of this server: another server's daily stays.
    let here = store
        .daily_channel(&channel)
        .await?
        .is_some_and(|c| c.guild_id == guild);
    let was_on = here && store.daily_off(&channel).await?;
    super::private(ctx, messages::daily_turned_off(lang, &channel, was_on)).await
}

/// Show this server's daily questions
#[poise::command(slash_command, guild_only)]
pub async fn show(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let guild = super::require_guild(ctx)?.to_string();
    let now = now_ms();
    let channels = ctx.data().store.daily_channels(Some(&guild)).await?;
    let decks = super::guild_decks(ctx).await?;
    let mut lines = Vec::with_capacity(channels.len());
    for settings in &channels {
        lines.push(settings_text(ctx.data(), &decks, settings, lang, now).await?);
    }
    let text = match lines.is_empty() {
        true => messages::daily_not_set(lang).to_string(),
        false => lines.join("\n"),
    };
    super::private(ctx, text).await
}

async fn settings_text(
    data: &Data,
    decks: &GuildDecks,
    s: &DailyChannel,
    lang: Lang,
    now: i64,
) -> Result<String, Error> {
    let last = data.store.last_daily_post(&s.channel_id, None).await?;
    let next = match daily::due(now, s.time, s.time_zone, last.map(|p| p.date)) {
        Due::PostNow(_) => now,
        Due::WaitUntil(at) => at,
    };
    let mut text = messages::daily_settings(
        lang,
        &s.channel_id,
        &s.time.to_string(),
        s.time_zone.name(),
        s.deck.as_ref().map(|d| decks.shown_id(d)),
        next,
    );
    if let Some(failure) = data.store.daily_failure(&s.channel_id).await? {
        text.push('\n');
        text.push_str(&messages::daily_failure(lang, &failure));
    }
    Ok(text)
}

/// What a `daily:` custom id asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DailyAction {
    /// The answer button: open the modal.
    Answer(NaiveDate),
    /// The modal was submitted.
    Submit(NaiveDate),
}

impl DailyAction {
    pub fn parse(custom_id: &str) -> Option<Self> {
        let rest = custom_id.strip_prefix("daily:")?;
        let (kind, date) = rest.split_once(':')?;
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        match kind {
            "answer" => Some(Self::Answer(date)),
            "submit" => Some(Self::Submit(date)),
            _ => None,
        }
    }
}

/// The channel's post of `date` while it is open (the latest one), else
/// [`Mistake::DailyClosed`].
async fn open_post(
    data: &Data,
    channel_id: serenity::ChannelId,
    date: NaiveDate,
) -> Result<DailyPost, Error> {
    let channel = channel_id.to_string();
    let Some(post) = data.store.daily_post(&channel, date).await? else {
        return Err(Mistake::SessionExpired.into());
    };
    let latest = data.store.last_daily_post(&channel, None).await?;
    if latest.is_some_and(|l| l.date != date) {
        return Err(Mistake::DailyClosed.into());
    }
    Ok(post)
}

/// The answer button of a daily post: opens the answer modal.
pub async fn on_component(received: Pressed<'_>, date: NaiveDate) -> Result<(), Error> {
    let (ctx, data, lang) = (received.ctx, received.data, received.lang);
    let interaction = received.interaction;
    let post = open_post(data, interaction.channel_id, date).await?;
    let user = interaction.user.id.to_string();
    if data
        .store
        .daily_answered(&post.channel_id, date, &user)
        .await?
    {
        return Err(Mistake::DailyAlreadyAnswered.into());
    }
    let modal = super::answer_modal(
        submit_id(date),
        serenity::InputTextStyle::Paragraph,
        true,
        lang,
    );
    interaction
        .create_response(&ctx.http, serenity::CreateInteractionResponse::Modal(modal))
        .await?;
    Ok(())
}

/// The answer modal: grade privately, record the review (origin `daily`)
/// and the member's answer, show the streak.
pub async fn on_modal(received: Submitted<'_>, date: NaiveDate) -> Result<(), Error> {
    let (ctx, data, lang, now) = (received.ctx, received.data, received.lang, received.now);
    let interaction = received.interaction;
    let post = open_post(data, interaction.channel_id, date).await?;
    // The post's server's decks: it may ask a card of an uploaded deck.
    let guild = crate::discord::parse_id(&post.guild_id);
    let decks = data.server_decks.for_guild(&data.store, guild).await?;
    let Some((_, card)) = decks
        .library
        .card(post.key.deck.as_str(), post.key.card.as_str())
    else {
        return Err(Mistake::SessionExpired.into());
    };
    let given = super::modal_text(interaction);
    let given = given.trim();
    let direction = post.key.direction;
    let empty = grade::DeckContext::default();
    let context = decks.context(&post.key.deck).unwrap_or(&empty);
    let graded_card = decks.graded_card(&post.key, card);
    let graded = (!answer::is_dont_know(given))
        .then(|| grade::grade_card(&graded_card, direction, context, given));
    let answer = match &graded {
        Some(g) => Answer::Graded {
            verdict: g.verdict,
            score: g.score,
            answer_ms: 0,
            typical_ms: None,
        },
        None => Answer::DontKnow,
    };
    let user = super::study::student(data, interaction.user.id, lang, now).await?;
    let answered = Answered {
        key: post.key.clone(),
        at: now,
        answer,
        verdict: graded.as_ref().map(|g| (g.verdict, g.score)),
        answer_ms: 0,
        origin: Origin::Daily,
        typed: graded.is_some().then(|| given.to_string()),
    };
    // The member's answer, the server they use and the review: one transaction.
    if data
        .store
        .record_daily_answer(&post, &user, &answered)
        .await?
        .is_none()
    {
        return Err(Mistake::DailyAlreadyAnswered.into());
    }
    let today = daily::local_date(now, post_zone(data, &post).await?);
    let streak = data
        .store
        .daily_streak(&post.guild_id, &user.id, today)
        .await?;
    let prompt = session::prompt(card, post.key.direction);
    let notes = graded
        .as_ref()
        .and_then(|g| messages::feedback_notes(lang, g));
    let embed = super::study::verdict_embed(
        lang,
        graded.as_ref().map(|g| g.verdict),
        graded.is_some().then_some(given),
        notes.as_deref(),
        prompt.expected,
    )
    .footer(serenity::CreateEmbedFooter::new(messages::daily_streak(
        lang, streak,
    )));
    // « J'avais raison » under a grade that was not accepted.
    let appealable = graded.as_ref().is_some_and(|g| !g.verdict.is_accepted()) && guild.is_some();
    let row = match appealable {
        true => super::appeals::appeal_row(data, &user.id, &post.answer_key(), lang).await?,
        false => None,
    };
    let message = serenity::CreateInteractionResponseMessage::new()
        .ephemeral(true)
        .embed(embed)
        .components(row.into_iter().collect())
        .allowed_mentions(no_pings());
    let response = serenity::CreateInteractionResponse::Message(message);
    interaction.create_response(&ctx.http, response).await?;
    Ok(())
}

/// The zone of the post's channel (its local dates), Montreal if the
/// channel was turned off since.
async fn post_zone(data: &Data, post: &DailyPost) -> Result<chrono_tz::Tz, Error> {
    Ok(data
        .store
        .daily_channel(&post.channel_id)
        .await?
        .map_or(chrono_tz::America::Montreal, |c| c.time_zone))
}

/// After any command in a server: the daily posts that failed in
/// channels its author set up, told to them privately, once each.
pub async fn tell_failures(ctx: Context<'_>) {
    let Some(guild) = ctx.guild_id() else {
        return;
    };
    let store = &ctx.data().store;
    let author = ctx.author().id.to_string();
    let failures = match store.take_daily_notices(&guild.to_string(), &author).await {
        Ok(failures) => failures,
        Err(e) => {
            tracing::warn!(error = %crate::discord::error_chain(&e), "daily failures not told");
            return;
        }
    };
    if failures.is_empty() {
        return;
    }
    let lang = context_lang(ctx).await;
    let lines: Vec<String> = failures
        .iter()
        .map(|f| messages::daily_failure_notice(lang, f))
        .collect();
    if let Err(e) = super::private(ctx, lines.join("\n")).await {
        tracing::warn!(error = %crate::discord::error_chain(&e), "daily failures not told");
    }
}
