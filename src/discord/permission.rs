//! What the bot needs Discord to let it do, and whether it may, in a
//! channel.
//!
//! [`INVITE`] is what README's invite link asks for; [`QUIZ`] and
//! [`DAILY`] what a quiz and a daily post need in their channel (in a
//! thread, Send Messages in Threads instead of Send Messages). `/quiz
//! start` and `/daily set` check them before promising anything, and the
//! daily poster asks [`bot_access`] which one is missing after Discord
//! refused a post. Replies to interactions (private answers, `/study`,
//! files) need no channel permission: Discord lets an application answer
//! its own interactions anywhere.

use poise::serenity_prelude as serenity;
use serenity::{CacheHttp, Permissions as P};

use super::{Context, Error, Mistake, error_chain};

/// README's invite: every permission a feature of the bot needs.
pub const INVITE: P = P::VIEW_CHANNEL
    .union(P::SEND_MESSAGES)
    .union(P::SEND_MESSAGES_IN_THREADS)
    .union(P::EMBED_LINKS)
    .union(P::READ_MESSAGE_HISTORY)
    .union(P::ADD_REACTIONS);

/// A quiz: questions and results are embeds; each answer gets a ✅ 🟡 ❌
/// reaction (reacting needs the message history too).
pub const QUIZ: P = P::VIEW_CHANNEL
    .union(P::SEND_MESSAGES)
    .union(P::EMBED_LINKS)
    .union(P::READ_MESSAGE_HISTORY)
    .union(P::ADD_REACTIONS);

/// A daily post: an embed with a button; before trying a failed post
/// again, the poster reads the channel's last messages for it.
pub const DAILY: P = P::VIEW_CHANNEL
    .union(P::SEND_MESSAGES)
    .union(P::EMBED_LINKS)
    .union(P::READ_MESSAGE_HISTORY);

/// The permissions in the order they are named to people.
pub const ORDER: [P; 6] = [
    P::VIEW_CHANNEL,
    P::SEND_MESSAGES,
    P::SEND_MESSAGES_IN_THREADS,
    P::EMBED_LINKS,
    P::READ_MESSAGE_HISTORY,
    P::ADD_REACTIONS,
];

/// `needs` in a thread: Send Messages in Threads instead of Send Messages.
pub fn in_thread(needs: P) -> P {
    if needs.contains(P::SEND_MESSAGES) {
        needs.difference(P::SEND_MESSAGES) | P::SEND_MESSAGES_IN_THREADS
    } else {
        needs
    }
}

/// What the bot may do in a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The channel exists and the bot sees it: its permissions there
    /// (Discord's implicit rules applied) and whether it is a thread.
    Granted { permissions: P, thread: bool },
    /// The channel does not exist (deleted).
    Gone,
    /// Discord refuses to show the channel to the bot.
    Hidden,
}

impl Access {
    /// What of `needs` the bot lacks (all of it when it cannot see the
    /// channel; View Channel alone when it is gone).
    pub fn missing(self, needs: P) -> P {
        match self {
            Self::Granted {
                permissions,
                thread,
            } => {
                let needs = if thread { in_thread(needs) } else { needs };
                needs.difference(permissions)
            }
            Self::Gone | Self::Hidden => P::VIEW_CHANNEL,
        }
    }
}

/// Discord's implicit rules after the overwrites: nothing without View
/// Channel, and without the right to send, no embeds, files, TTS or
/// @everyone either.
fn implicit(permissions: P, thread: bool) -> P {
    if !permissions.contains(P::VIEW_CHANNEL) {
        return P::empty();
    }
    let send = if thread {
        P::SEND_MESSAGES_IN_THREADS
    } else {
        P::SEND_MESSAGES
    };
    if permissions.contains(send) {
        permissions
    } else {
        permissions.difference(
            P::EMBED_LINKS | P::ATTACH_FILES | P::SEND_TTS_MESSAGES | P::MENTION_EVERYONE,
        )
    }
}

/// Whether a Discord error is its "no such thing" (404) or "forbidden"
/// (403) answer.
pub fn status(error: &serenity::Error) -> Option<u16> {
    match error {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) => {
            Some(response.status_code.as_u16())
        }
        _ => None,
    }
}

/// The bot's permissions in `channel` of `guild`, computed as Discord does
/// from the server's roles, the bot's member and the channel's overwrites
/// (a thread's are its parent's): from the cache when it holds them, else
/// asked over HTTP.
pub async fn bot_access(
    cache_http: impl CacheHttp,
    guild: serenity::GuildId,
    channel: serenity::ChannelId,
) -> Result<Access, serenity::Error> {
    let found = match channel.to_channel(&cache_http).await {
        Ok(found) => found,
        Err(e) => {
            return match status(&e) {
                Some(404) => Ok(Access::Gone),
                Some(403) => Ok(Access::Hidden),
                _ => Err(e),
            };
        }
    };
    let Some(channel) = found.guild().filter(|c| c.guild_id == guild) else {
        return Ok(Access::Gone);
    };
    let thread = matches!(
        channel.kind,
        serenity::ChannelType::PublicThread
            | serenity::ChannelType::PrivateThread
            | serenity::ChannelType::NewsThread
    );
    let parent = match (thread, channel.parent_id) {
        (true, Some(parent)) => match parent.to_channel(&cache_http).await?.guild() {
            Some(parent) => parent,
            None => return Ok(Access::Gone),
        },
        _ => channel,
    };
    let me = match cache_http.cache() {
        Some(cache) => cache.current_user().id,
        None => cache_http.http().get_current_user().await?.id,
    };
    let member = guild.member(&cache_http, me).await?;
    let server = guild.to_partial_guild(&cache_http).await?;
    let permissions = server.user_permissions_in(&parent, &member);
    Ok(Access::Granted {
        permissions: implicit(permissions, thread),
        thread,
    })
}

/// [`Mistake::BotMissing`] unless the bot holds `needs` in `channel`: in
/// the command's own channel, Discord's own figure for the interaction
/// (`app_permissions`), elsewhere [`bot_access`]. When neither can tell
/// (Discord unreachable), the command goes on: Discord has the last word.
pub async fn require(
    ctx: Context<'_>,
    channel: serenity::ChannelId,
    needs: P,
) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Ok(());
    };
    let given = match ctx {
        poise::Context::Application(a) if channel == ctx.channel_id() => {
            let thread = a.interaction.channel.as_ref().is_some_and(|c| {
                matches!(
                    c.kind,
                    serenity::ChannelType::PublicThread
                        | serenity::ChannelType::PrivateThread
                        | serenity::ChannelType::NewsThread
                )
            });
            a.interaction.app_permissions.map(|p| Access::Granted {
                permissions: implicit(p, thread),
                thread,
            })
        }
        _ => None,
    };
    let access = match given {
        Some(access) => access,
        None => match bot_access(ctx.serenity_context(), guild, channel).await {
            Ok(access) => access,
            Err(e) => {
                tracing::warn!(error = %error_chain(&e), %channel, "cannot check the bot's permissions");
                return Ok(());
            }
        },
    };
    let missing = access.missing(needs);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Mistake::BotMissing { channel, missing }.into())
    }
}
