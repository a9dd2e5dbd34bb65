//! What the daily poster does when Discord refuses a post: record why
//! (the missing permissions, asked of [`permission::bot_access`]; a
//! channel gone; a transient failure and when to try again), and what
//! keeps a second try from posting twice (the post's nonce, and finding
//! the first try among the channel's last messages).

use chrono::NaiveDate;
use poise::serenity_prelude as serenity;

use crate::core::schedule::Millis;
use crate::discord::daily_loop::{Step, answer_id};
use crate::discord::error_chain;
use crate::discord::permission::{self, Access};
use crate::store::{DailyChannel, PostFailure};

pub(crate) fn channel_id(channel: &DailyChannel) -> Result<serenity::ChannelId, String> {
    crate::discord::parse_id(&channel.channel_id)
        .ok_or_else(|| format!("bad channel id {:?}", channel.channel_id))
}

impl Step<'_> {
    /// Records why the post of `date` failed: refused (403, with the
    /// missing permissions when the bot can tell them) or a channel gone
    /// (404) pause the channel; anything else is tried again later the
    /// same day.
    pub(crate) async fn failed(
        &mut self,
        channel: &DailyChannel,
        date: NaiveDate,
        attempts: u32,
        error: &serenity::Error,
    ) -> Result<(), String> {
        let (store, now) = (self.store, self.now);
        self.outcome.failed += 1;
        let failure = match permission::status(error) {
            Some(403) => diagnose(self.http, channel).await,
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
pub(crate) fn nonce(channel_id: &str, date: NaiveDate) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("{channel_id}:{date}").bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("daily{hash:016x}")
}

/// The bot's post of `date` among the channel's last 50 messages: a
/// message by a bot with that day's answer button.
pub(crate) async fn find_post(
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
