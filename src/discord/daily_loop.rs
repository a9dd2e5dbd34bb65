//! The daily-question poster: one step function, [`try_post_due`], that
//! posts every channel's question whose time has come, and [`run`], a loop
//! that calls it and sleeps until the next post is due.
//!
//! Exactly-once: before posting, the step claims the (channel, local date)
//! slot in the database (`Store::claim_daily_slot`, a unique key). Several
//! bot processes, or a restart, cannot post twice: whoever loses the claim
//! skips. A restart after the posting time posts that day's missed question
//! once; earlier missed days are never posted (`core::daily::due` only
//! looks at today).
//!
//! A post Discord refuses is recorded on the channel (`/daily show` and
//! the admin who set it up hear of it). Refused (403) or a channel gone
//! (404): the channel pauses until an admin sets it again. Any other
//! failure (5xx, no answer): the claim is tried again later the same day,
//! never twice: a second try first looks for the first one among the
//! channel's last messages (its answer may have been lost), and every try
//! carries the same nonce, which Discord de-duplicates.
//!
//! Time comes in as `now`, so tests drive the step with a fake clock.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use poise::serenity_prelude as serenity;

use crate::core::daily::{self, CardNeed, Due};
use crate::core::deck::Library;
use crate::core::review::CardKey;
use crate::core::schedule::{Millis, days};
use crate::core::session;
use crate::discord::messages::{self, Lang, clip};
use crate::discord::permission::{self, Access};
use crate::discord::server_decks::{GuildDecks, ServerDecks};
use crate::discord::{error_chain, no_pings, now_ms};
use crate::store::{DailyChannel, DailyPost, PostFailure, Store, StoreError};

/// What one step did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Slots this caller claimed and posted: (channel id, local date).
    pub posted: Vec<(String, NaiveDate)>,
    /// Slots due now but already claimed by another caller.
    pub lost_claims: usize,
    /// Channels that failed: Discord refused the post (recorded on the
    /// channel) or the step could not run (logged).
    pub failed: usize,
    /// The earliest instant a channel's next post is due, if any channel.
    pub next_due: Option<Millis>,
}

/// Why a step failed as a whole (per-channel failures are only counted).
#[derive(Debug, thiserror::Error)]
pub enum LoopError {
    #[error("cannot read the daily channels")]
    Store(#[from] StoreError),
}

/// The custom id of the answer button of a channel's post of `date`.
pub fn answer_id(date: NaiveDate) -> String {
    format!("daily:answer:{date}")
}

/// The custom id of the answer modal for the post of `date`.
pub fn submit_id(date: NaiveDate) -> String {
    format!("daily:submit:{date}")
}

/// Posts every daily question due at `now` (claiming each slot first).
pub async fn try_post_due(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    now: Millis,
) -> Result<Outcome, LoopError> {
    try_post_due_for(http, store, library, now, &|_| true).await
}

/// [`try_post_due`] for the channels of the servers `mine` accepts (a bot
/// process passes its shards: the others' processes post theirs; the
/// claim keeps each post exactly-once either way).
pub async fn try_post_due_for(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    now: Millis,
    mine: &(dyn Fn(u64) -> bool + Send + Sync),
) -> Result<Outcome, LoopError> {
    try_post_due_in(http, store, library, now, mine, &|_| None).await
}

/// A server's preferred locale (Discord's `preferred_locale`), if known.
pub type GuildLocale = dyn Fn(u64) -> Option<String> + Send + Sync;

/// [`try_post_due_for`], each post in the language of its server's
/// preferred locale as `locale` gives it (French when unknown).
pub async fn try_post_due_in(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    now: Millis,
    mine: &(dyn Fn(u64) -> bool + Send + Sync),
    locale: &GuildLocale,
) -> Result<Outcome, LoopError> {
    let mut outcome = Outcome::default();
    let channels = store.daily_channels(None).await?;
    let channels = channels
        .into_iter()
        .filter(|c| c.guild_id.parse().map_or(true, mine));
    for channel in channels {
        let lang = channel
            .guild_id
            .parse()
            .ok()
            .and_then(locale)
            .map_or(Lang::Fr, |l| Lang::from_locale(&l));
        match post_channel(http, store, library, &channel, lang, now, &mut outcome).await {
            Ok(next) => {
                outcome.next_due = Some(outcome.next_due.map_or(next, |n: Millis| n.min(next)));
            }
            Err(e) => {
                outcome.failed += 1;
                tracing::warn!(channel = %channel.channel_id, error = %e, "daily post failed");
            }
        }
    }
    Ok(outcome)
}

/// Handles one channel; returns when its next post is due.
async fn post_channel(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    channel: &DailyChannel,
    lang: Lang,
    now: Millis,
    outcome: &mut Outcome,
) -> Result<Millis, String> {
    let tz = channel.time_zone;
    let failure = store
        .daily_failure(&channel.channel_id)
        .await
        .map_err(|e| error_chain(&e))?;
    if failure.is_some_and(|f| f.paused) {
        // Until an admin sets it again (`/daily set` clears the pause).
        return Ok(now + days(1));
    }
    let last = store
        .last_daily_post(&channel.channel_id, None)
        .await
        .map_err(|e| error_chain(&e))?;
    let today = daily::local_date(now, tz);
    // Today's post, claimed but not accepted by Discord yet: tried again
    // when its time comes, the same day only.
    if let Some(post) = last
        .as_ref()
        .filter(|p| p.message_id.is_none() && p.date == today)
    {
        return retry_post(http, store, library, channel, lang, post, now, outcome).await;
    }
    let date = match daily::due(now, channel.time, tz, last.as_ref().map(|p| p.date)) {
        Due::WaitUntil(at) => return Ok(at),
        Due::PostNow(date) => date,
    };
    let next = daily::post_instant(date.succ_opt().unwrap_or(date), channel.time, tz);
    // The server's decks (bundled plus uploaded): its channel may ask an
    // uploaded deck, and "all decks" includes them, as in /study.
    let decks = server_decks(store, library, &channel.guild_id)
        .await
        .map_err(|e| error_chain(&e))?;
    let library = &decks.library;
    let Some(key) = pick_card(store, library, channel, last.as_ref(), now)
        .await
        .map_err(|e| error_chain(&e))?
    else {
        tracing::warn!(channel = %channel.channel_id, "no card to ask (empty deck?)");
        return Ok(next);
    };
    let claimed = store
        .claim_daily_slot(channel, date, &key, now)
        .await
        .map_err(|e| error_chain(&e))?;
    if !claimed {
        outcome.lost_claims += 1;
        return Ok(next);
    }
    let post = Attempt {
        date,
        key: &key,
        previous: last.as_ref(),
        attempts: 1,
    };
    deliver(http, store, library, channel, lang, post, now, outcome).await?;
    Ok(next)
}

/// One try at a claimed post.
#[derive(Clone, Copy)]
struct Attempt<'a> {
    date: NaiveDate,
    key: &'a CardKey,
    /// The channel's post before this one (its answer is revealed).
    previous: Option<&'a DailyPost>,
    /// The number of this try (1 for the first).
    attempts: u32,
}

/// Tries `post` again (claimed, never accepted by Discord) once its time
/// has come and this caller claimed the attempt, unless an earlier
/// attempt went through after all (its answer lost): the channel's last
/// messages are read first, so a post is never made twice.
#[allow(clippy::too_many_arguments)]
async fn retry_post(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    channel: &DailyChannel,
    lang: Lang,
    post: &DailyPost,
    now: Millis,
    outcome: &mut Outcome,
) -> Result<Millis, String> {
    let tz = channel.time_zone;
    let next = daily::post_instant(post.date.succ_opt().unwrap_or(post.date), channel.time, tz);
    if let Some(at) = post.retry_at.filter(|&at| at > now) {
        return Ok(at.min(next));
    }
    if !store
        .claim_daily_retry(post, now)
        .await
        .map_err(|e| error_chain(&e))?
    {
        outcome.lost_claims += 1;
        return Ok(next);
    }
    let channel_id = channel_id(channel)?;
    match find_post(http, channel_id, post.date).await {
        Ok(Some(message)) => {
            let id = message.to_string();
            recorded(store, channel, post.date, &id).await?;
            outcome.posted.push((channel.channel_id.clone(), post.date));
            return Ok(next);
        }
        Ok(None) => {}
        Err(e) => {
            failed(
                http,
                store,
                channel,
                post.date,
                post.attempts + 1,
                &e,
                now,
                outcome,
            )
            .await?;
            return Ok(next);
        }
    }
    let decks = server_decks(store, library, &channel.guild_id)
        .await
        .map_err(|e| error_chain(&e))?;
    let previous = store
        .last_daily_post(&channel.channel_id, Some(post.date))
        .await
        .map_err(|e| error_chain(&e))?;
    let attempt = Attempt {
        date: post.date,
        key: &post.key,
        previous: previous.as_ref(),
        attempts: post.attempts + 1,
    };
    deliver(
        http,
        store,
        &decks.library,
        channel,
        lang,
        attempt,
        now,
        outcome,
    )
    .await?;
    Ok(next)
}

/// Posts a claimed slot; a post Discord refuses is recorded
/// ([`failed`]), not returned as an error.
#[allow(clippy::too_many_arguments)]
async fn deliver(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    channel: &DailyChannel,
    lang: Lang,
    post: Attempt<'_>,
    now: Millis,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let message = compose(store, library, lang, post.date, post.key, post.previous)
        .await
        .map_err(|e| error_chain(&e))?;
    // Discord posts a message once per nonce (for a few minutes): a
    // quick second try of the same post returns the first.
    let message = message
        .nonce(serenity::Nonce::String(nonce(
            &channel.channel_id,
            post.date,
        )))
        .enforce_nonce(true);
    let channel_id = channel_id(channel)?;
    match channel_id.send_message(http, message).await {
        Ok(sent) => {
            recorded(store, channel, post.date, &sent.id.to_string()).await?;
            tracing::info!(channel = %channel.channel_id, date = %post.date, card = %post.key.card, "daily question posted");
            outcome.posted.push((channel.channel_id.clone(), post.date));
        }
        Err(e) => {
            failed(
                http,
                store,
                channel,
                post.date,
                post.attempts,
                &e,
                now,
                outcome,
            )
            .await?
        }
    }
    Ok(())
}

fn channel_id(channel: &DailyChannel) -> Result<serenity::ChannelId, String> {
    channel
        .channel_id
        .parse::<u64>()
        .ok()
        .filter(|&id| id != 0)
        .map(serenity::ChannelId::new)
        .ok_or_else(|| format!("bad channel id {:?}", channel.channel_id))
}

/// The post went through: its message is stored, the channel's failure forgotten.
async fn recorded(
    store: &Store,
    channel: &DailyChannel,
    date: NaiveDate,
    message_id: &str,
) -> Result<(), String> {
    store
        .set_daily_message(&channel.channel_id, date, message_id)
        .await
        .map_err(|e| error_chain(&e))?;
    store
        .daily_succeeded(&channel.channel_id)
        .await
        .map_err(|e| error_chain(&e))
}

/// Records why the post of `date` failed: refused (403, with the missing
/// permissions when the bot can tell them) or a channel gone (404) pause
/// the channel; anything else is tried again later the same day.
#[allow(clippy::too_many_arguments)]
async fn failed(
    http: &serenity::Http,
    store: &Store,
    channel: &DailyChannel,
    date: NaiveDate,
    attempts: u32,
    error: &serenity::Error,
    now: Millis,
    outcome: &mut Outcome,
) -> Result<(), String> {
    outcome.failed += 1;
    let failure = match permission::status(error) {
        Some(403) => diagnose(http, channel).await,
        Some(404) => PostFailure::Gone,
        status => PostFailure::Transient(status.unwrap_or(0)),
    };
    tracing::warn!(channel = %channel.channel_id, %date, ?failure, error = %error_chain(error), "daily post failed");
    if !failure.pauses() {
        store
            .retry_daily_at(&channel.channel_id, date, now + backoff(attempts))
            .await
            .map_err(|e| error_chain(&e))?;
    }
    store
        .daily_failed(&channel.channel_id, failure, now)
        .await
        .map_err(|e| error_chain(&e))
}

/// Which permission a refused post lacked, as far as the bot can tell.
async fn diagnose(http: &serenity::Http, channel: &DailyChannel) -> PostFailure {
    let (Ok(guild), Ok(id)) = (channel.guild_id.parse::<u64>(), channel_id(channel)) else {
        return PostFailure::Missing(0);
    };
    let guild = serenity::GuildId::new(guild.max(1));
    match permission::bot_access(http, guild, id).await {
        Ok(Access::Gone) => PostFailure::Gone,
        Ok(access) => PostFailure::Missing(access.missing(permission::DAILY).bits()),
        Err(e) => {
            tracing::warn!(error = %error_chain(&e), "cannot tell which permission is missing");
            PostFailure::Missing(0)
        }
    }
}

/// The pause before the next try after `attempts` failed ones: a minute,
/// doubling, at most half an hour.
fn backoff(attempts: u32) -> Millis {
    let doublings = attempts.clamp(1, 6) - 1;
    (60_000 << doublings).min(30 * 60_000)
}

/// The nonce of a channel's post of `date` (at most 25 characters, as
/// Discord allows): FNV-1a of both, stable across processes.
fn nonce(channel_id: &str, date: NaiveDate) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("{channel_id}:{date}").bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("daily{hash:016x}")
}

/// The bot's post of `date` among the channel's last 50 messages: a
/// message by a bot with that day's answer button.
async fn find_post(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    date: NaiveDate,
) -> Result<Option<serenity::MessageId>, serenity::Error> {
    let wanted = answer_id(date);
    let messages = channel
        .messages(http, serenity::GetMessages::new().limit(50))
        .await?;
    Ok(messages
        .iter()
        .find(|m| {
            m.author.bot
                && m.components.iter().flat_map(|row| &row.components).any(|c| {
                    matches!(c, serenity::ActionRowComponent::Button(b)
                        if matches!(&b.data, serenity::ButtonKind::NonLink { custom_id, .. } if *custom_id == wanted))
                })
        })
        .map(|m| m.id))
}

/// The decks server `guild` sees: `library` (the bundled decks) plus the
/// ones uploaded there.
async fn server_decks(
    store: &Store,
    library: &Library,
    guild: &str,
) -> Result<Arc<GuildDecks>, StoreError> {
    let bundled = ServerDecks::new(library, &HashMap::new());
    match guild.parse::<u64>().ok().filter(|&id| id != 0) {
        Some(id) => {
            bundled
                .for_guild(store, Some(serenity::GuildId::new(id)))
                .await
        }
        None => Ok(bundled.bundled()),
    }
}

/// The card the channel needs most (see [`daily::pick`]): needs are summed
/// over the server's known students' schedules. "Missed" is the number of
/// lapses (times a review card was forgotten) in their states.
async fn pick_card(
    store: &Store,
    library: &Library,
    channel: &DailyChannel,
    last: Option<&DailyPost>,
    now: Millis,
) -> Result<Option<CardKey>, StoreError> {
    let items = session::items(library, channel.deck.as_ref());
    let mut needs: Vec<CardNeed<CardKey>> = items
        .iter()
        .map(|item| CardNeed {
            card: item.key.clone(),
            n_due: 0,
            overdue_days: 0.0,
            n_missed: 0,
            n_asked: 0,
        })
        .collect();
    let index: HashMap<CardKey, usize> = needs
        .iter()
        .enumerate()
        .map(|(i, n)| (n.card.clone(), i))
        .collect();
    for user in store.guild_users(&channel.guild_id).await? {
        for (key, state) in store.card_states(&user, channel.deck.as_ref()).await? {
            let Some(&i) = index.get(&key) else { continue };
            let need = &mut needs[i];
            if state.reps > 0 && state.due <= now {
                need.n_due += 1;
                need.overdue_days += (now - state.due) as f64 / days(1) as f64;
            }
            need.n_missed += state.lapses;
        }
    }
    for (key, n) in store.daily_asked_counts(&channel.channel_id).await? {
        if let Some(&i) = index.get(&key) {
            needs[i].n_asked = n;
        }
    }
    Ok(daily::pick(&needs, last.map(|p| &p.key)))
}

/// The post: yesterday's answer and score first, then today's question
/// with its answer button, in the server's language.
async fn compose(
    store: &Store,
    library: &Library,
    lang: Lang,
    date: NaiveDate,
    key: &CardKey,
    previous: Option<&DailyPost>,
) -> Result<serenity::CreateMessage, StoreError> {
    let mut embeds = Vec::new();
    if let Some(prev) = previous.filter(|p| p.message_id.is_some())
        && let Some((_, card)) = library.card(prev.key.deck.as_str(), prev.key.card.as_str())
    {
        let (right, answered) = store.daily_results(&prev.channel_id, prev.date).await?;
        let expected = session::prompt(card, prev.key.direction).expected;
        let (name, value) = messages::daily_reveal(lang, &clip(expected, 900), right, answered);
        embeds.push(
            serenity::CreateEmbed::new()
                .title(name)
                .description(value)
                .colour(serenity::Colour::DARK_GREEN),
        );
    }
    let (deck_title, shown) = match library.card(key.deck.as_str(), key.card.as_str()) {
        Some((deck, card)) => (
            deck.title.as_str(),
            session::prompt(card, key.direction).shown,
        ),
        None => (key.deck.as_str(), key.card.as_str()),
    };
    embeds.push(
        serenity::CreateEmbed::new()
            .title(messages::daily_title(lang, &date.to_string()))
            .description(clip(shown, 4000))
            .colour(serenity::Colour::BLURPLE)
            .footer(serenity::CreateEmbedFooter::new(messages::daily_footer(
                lang, deck_title,
            ))),
    );
    let button = serenity::CreateButton::new(answer_id(date))
        .label(messages::daily_answer_button(lang))
        .style(serenity::ButtonStyle::Primary);
    Ok(serenity::CreateMessage::new()
        .embeds(embeds)
        .components(vec![serenity::CreateActionRow::Buttons(vec![button])])
        .allowed_mentions(no_pings()))
}

/// Posts forever the dailies of the servers `mine` accepts: a step, then
/// sleep until the next post is due (at most a minute, so new `/daily set`
/// settings are picked up soon).
pub async fn run(
    http: Arc<serenity::Http>,
    cache: Arc<serenity::Cache>,
    store: Store,
    library: Library,
    mine: impl Fn(u64) -> bool + Send + Sync + 'static,
) {
    // Each server's language, from the gateway's GUILD_CREATE.
    let locale = move |guild: u64| {
        let guild = serenity::GuildId::new(guild.max(1));
        cache.guild(guild).map(|g| g.preferred_locale.clone())
    };
    loop {
        let now = now_ms();
        let wait = match try_post_due_in(&http, &store, &library, now, &mine, &locale).await {
            Ok(outcome) => outcome.next_due.map_or(60_000, |at| at - now),
            Err(e) => {
                tracing::error!(error = %error_chain(&e), "daily loop step failed");
                60_000
            }
        };
        let wait = wait.clamp(1_000, 60_000) as u64;
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    }
}
