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
use crate::discord::daily_failure::{channel_id, find_post, nonce};
use crate::discord::messages::{self, Lang, clip};
use crate::discord::server_decks::{GuildDecks, ServerDecks};
use crate::discord::{error_chain, no_pings, now_ms};
use crate::store::{DailyChannel, DailyPost, Store, StoreError};

/// What one step did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Slots this caller claimed and posted (or, trying again, found
    /// posted by an attempt whose answer was lost): (channel id, local date).
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

/// Posts every daily question due at `now` (claiming each slot first),
/// in French: [`try_post_due_for`] with [`Scope::ALL`].
pub async fn try_post_due(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    now: Millis,
) -> Result<Outcome, LoopError> {
    try_post_due_for(http, store, library, now, &Scope::ALL).await
}

/// A server's preferred locale (Discord's `preferred_locale`), if known.
pub type GuildLocale = dyn Fn(u64) -> Option<String> + Send + Sync;

/// Which channels a step posts, and in which language.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// The servers whose channels this caller posts (a bot process passes
    /// its shards: the others' processes post theirs; the claim keeps each
    /// post exactly-once either way).
    pub mine: &'a (dyn Fn(u64) -> bool + Send + Sync),
    /// Each server's preferred locale: a post speaks its server's
    /// language (French when unknown).
    pub locale: &'a GuildLocale,
}

impl Scope<'static> {
    /// Every server, every post in French.
    pub const ALL: Self = Self {
        mine: &|_| true,
        locale: &|_| None,
    };
}

/// [`try_post_due`] for the channels and in the languages of `scope`.
pub async fn try_post_due_for(
    http: &serenity::Http,
    store: &Store,
    library: &Library,
    now: Millis,
    scope: &Scope<'_>,
) -> Result<Outcome, LoopError> {
    let mut step = Step {
        http,
        store,
        now,
        outcome: Outcome::default(),
    };
    let channels = store.daily_channels(None).await?;
    let channels = channels
        .into_iter()
        .filter(|c| c.guild_id.parse().map_or(true, scope.mine));
    for channel in channels {
        let lang = channel
            .guild_id
            .parse()
            .ok()
            .and_then(scope.locale)
            .map_or(Lang::Fr, |l| Lang::from_locale(&l));
        match step.post_channel(library, &channel, lang).await {
            Ok(next) => {
                let due = &mut step.outcome.next_due;
                *due = Some(due.map_or(next, |n: Millis| n.min(next)));
            }
            Err(e) => {
                step.outcome.failed += 1;
                tracing::warn!(channel = %channel.channel_id, error = %e, "daily post failed");
            }
        }
    }
    Ok(step.outcome)
}

/// One step over the channels: what it posts with, its instant, and what
/// it did so far.
pub(crate) struct Step<'a> {
    pub(crate) http: &'a serenity::Http,
    pub(crate) store: &'a Store,
    pub(crate) now: Millis,
    pub(crate) outcome: Outcome,
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

impl Step<'_> {
    /// Handles one channel (`library`: the bundled decks); returns when
    /// its next post is due.
    async fn post_channel(
        &mut self,
        library: &Library,
        channel: &DailyChannel,
        lang: Lang,
    ) -> Result<Millis, String> {
        let (store, now) = (self.store, self.now);
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
            return self.retry_post(library, channel, lang, post).await;
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
            self.outcome.lost_claims += 1;
            return Ok(next);
        }
        let post = Attempt {
            date,
            key: &key,
            previous: last.as_ref(),
            attempts: 1,
        };
        self.deliver(library, channel, lang, post).await?;
        Ok(next)
    }

    /// Tries `post` again (claimed, never accepted by Discord) once its
    /// time has come and this caller claimed the attempt, unless an
    /// earlier attempt went through after all (its answer lost): the
    /// channel's last messages are read first, so a post is never made
    /// twice.
    async fn retry_post(
        &mut self,
        library: &Library,
        channel: &DailyChannel,
        lang: Lang,
        post: &DailyPost,
    ) -> Result<Millis, String> {
        let (store, now) = (self.store, self.now);
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
            self.outcome.lost_claims += 1;
            return Ok(next);
        }
        let channel_id = channel_id(channel)?;
        match find_post(self.http, channel_id, post.date).await {
            Ok(Some(message)) => {
                let id = message.to_string();
                recorded(store, channel, post.date, &id).await?;
                self.outcome
                    .posted
                    .push((channel.channel_id.clone(), post.date));
                return Ok(next);
            }
            Ok(None) => {}
            Err(e) => {
                self.failed(channel, post.date, post.attempts + 1, &e)
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
        self.deliver(&decks.library, channel, lang, attempt).await?;
        Ok(next)
    }

    /// Posts a claimed slot; a post Discord refuses is recorded
    /// ([`Step::failed`]), not returned as an error.
    async fn deliver(
        &mut self,
        library: &Library,
        channel: &DailyChannel,
        lang: Lang,
        post: Attempt<'_>,
    ) -> Result<(), String> {
        let store = self.store;
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
        match channel_id.send_message(self.http, message).await {
            Ok(sent) => {
                recorded(store, channel, post.date, &sent.id.to_string()).await?;
                tracing::info!(channel = %channel.channel_id, date = %post.date, card = %post.key.card, "daily question posted");
                self.outcome
                    .posted
                    .push((channel.channel_id.clone(), post.date));
            }
            Err(e) => self.failed(channel, post.date, post.attempts, &e).await?,
        }
        Ok(())
    }
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

/// The decks server `guild` sees: `library` (the bundled decks) plus the
/// ones uploaded there.
async fn server_decks(
    store: &Store,
    library: &Library,
    guild: &str,
) -> Result<Arc<GuildDecks>, StoreError> {
    let bundled = ServerDecks::new(library, &HashMap::new());
    match crate::discord::parse_id(guild) {
        Some(id) => bundled.for_guild(store, Some(id)).await,
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
    for user in store.guild_members(&channel.guild_id).await? {
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
            .title(messages::daily_title(
                lang,
                &messages::long_date(lang, date),
            ))
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
    let scope = Scope {
        mine: &mine,
        locale: &locale,
    };
    loop {
        let now = now_ms();
        let wait = match try_post_due_for(&http, &store, &library, now, &scope).await {
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
