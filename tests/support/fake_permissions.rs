//! The fake Discord's permission model: server roles (@everyone and the
//! bot's), channels with their permission overwrites, threads under their
//! parent, deleted channels; the bot's permissions in a channel computed
//! as Discord does, and what each REST call needs.
//!
//! Computation (Discord's "permission hierarchy"): the OR of @everyone's
//! and the member's roles' permissions; everything with ADMINISTRATOR;
//! then the channel's overwrites in order: @everyone's, the member's roles'
//! (denies of all of them, then allows), the member's own. Then the
//! implicit rules: without VIEW_CHANNEL nothing else holds, and without
//! SEND_MESSAGES neither do EMBED_LINKS, ATTACH_FILES, SEND_TTS nor
//! MENTION_EVERYONE. A thread takes its parent's overwrites.
//!
//! By default a server's @everyone has no permission at all and the bot
//! holds exactly the invite's permissions ([`INVITE`], through its managed
//! role), so every test runs as on a locked-down server that invited the
//! bot with README's link.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

pub const ADMINISTRATOR: u64 = 1 << 3;
pub const ADD_REACTIONS: u64 = 1 << 6;
pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;
pub const SEND_TTS: u64 = 1 << 12;
pub const EMBED_LINKS: u64 = 1 << 14;
pub const ATTACH_FILES: u64 = 1 << 15;
pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
pub const MENTION_EVERYONE: u64 = 1 << 17;
pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;

/// What README's invite link asks for; the bot's own list must agree
/// (`rappel::discord::permission::INVITE`, checked in `permissions.rs`).
pub const INVITE: u64 = VIEW_CHANNEL
    | SEND_MESSAGES
    | SEND_MESSAGES_IN_THREADS
    | EMBED_LINKS
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS;

/// Every permission bit Discord defines today (for ADMINISTRATOR).
const ALL: u64 = (1 << 51) - 1;

/// The id of the bot's managed role in `guild` (the role Discord creates
/// when a bot is invited with permissions).
pub fn bot_role_id(guild: u64) -> u64 {
    guild + 7
}

/// Who a channel permission overwrite is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A role (the server's id is @everyone).
    Role(u64),
    /// One member.
    Member(u64),
}

/// One permission overwrite of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overwrite {
    pub target: Target,
    pub allow: u64,
    pub deny: u64,
}

impl Overwrite {
    fn json(&self) -> Value {
        let (id, kind) = match self.target {
            Target::Role(id) => (id, 0),
            Target::Member(id) => (id, 1),
        };
        json!({"id": id.to_string(), "type": kind, "allow": self.allow.to_string(), "deny": self.deny.to_string()})
    }
}

/// A channel the fake knows beyond a server's first one.
#[derive(Debug, Clone, Copy)]
pub struct ChannelInfo {
    pub guild: u64,
    /// The parent text channel, for a thread.
    pub parent: Option<u64>,
}

/// Roles, overwrites and deleted channels of every server.
#[derive(Debug, Default)]
pub struct Model {
    /// @everyone's permissions by server; 0 when not set.
    everyone: HashMap<u64, u64>,
    /// The bot's roles by server (role id, permissions); when not set,
    /// its managed role with [`INVITE`].
    bot_roles: HashMap<u64, Vec<(u64, u64)>>,
    /// Overwrites by channel.
    overwrites: HashMap<u64, Vec<Overwrite>>,
    /// Channels added beyond each server's first one (and threads).
    pub channels: HashMap<u64, ChannelInfo>,
    /// Channels deleted: every call on them gets 404 Unknown Channel.
    deleted: HashSet<u64>,
}

impl Model {
    pub fn set_everyone(&mut self, guild: u64, bits: u64) {
        self.everyone.insert(guild, bits);
    }

    /// Replaces the bot's roles in `guild` (its managed role first).
    pub fn set_bot_roles(&mut self, guild: u64, roles: Vec<(u64, u64)>) {
        self.bot_roles.insert(guild, roles);
    }

    /// Sets `target`'s overwrite in `channel` (replacing any).
    pub fn set_overwrite(&mut self, channel: u64, overwrite: Overwrite) {
        let list = self.overwrites.entry(channel).or_default();
        list.retain(|o| o.target != overwrite.target);
        list.push(overwrite);
    }

    pub fn delete(&mut self, channel: u64) {
        self.deleted.insert(channel);
    }

    pub fn is_deleted(&self, channel: u64) -> bool {
        self.deleted.contains(&channel)
    }

    pub fn everyone(&self, guild: u64) -> u64 {
        self.everyone.get(&guild).copied().unwrap_or(0)
    }

    pub fn bot_roles(&self, guild: u64) -> Vec<(u64, u64)> {
        self.bot_roles
            .get(&guild)
            .cloned()
            .unwrap_or_else(|| vec![(bot_role_id(guild), INVITE)])
    }

    /// The overwrites that apply in `channel`: a thread's parent's.
    pub fn overwrites(&self, channel: u64) -> Vec<Overwrite> {
        let own = match self.channels.get(&channel).and_then(|c| c.parent) {
            Some(parent) => parent,
            None => channel,
        };
        self.overwrites.get(&own).cloned().unwrap_or_default()
    }

    /// Whether `channel` is a thread.
    pub fn is_thread(&self, channel: u64) -> bool {
        self.channels
            .get(&channel)
            .is_some_and(|c| c.parent.is_some())
    }

    /// The bot's permissions in `channel` of `guild`, as Discord computes them.
    pub fn bot_permissions(&self, guild: u64, channel: u64, bot: u64) -> u64 {
        let roles = self.bot_roles(guild);
        let mut perms = self.everyone(guild);
        for (_, bits) in &roles {
            perms |= bits;
        }
        if perms & ADMINISTRATOR != 0 {
            return ALL;
        }
        let overwrites = self.overwrites(channel);
        if let Some(o) = overwrites.iter().find(|o| o.target == Target::Role(guild)) {
            perms = (perms & !o.deny) | o.allow;
        }
        let (mut allow, mut deny) = (0, 0);
        for o in &overwrites {
            if let Target::Role(id) = o.target
                && id != guild
                && roles.iter().any(|(r, _)| *r == id)
            {
                allow |= o.allow;
                deny |= o.deny;
            }
        }
        perms = (perms & !deny) | allow;
        if let Some(o) = overwrites.iter().find(|o| o.target == Target::Member(bot)) {
            perms = (perms & !o.deny) | o.allow;
        }
        if perms & VIEW_CHANNEL == 0 {
            return 0;
        }
        let send = if self.is_thread(channel) {
            SEND_MESSAGES_IN_THREADS
        } else {
            SEND_MESSAGES
        };
        if perms & send == 0 {
            perms &= !(EMBED_LINKS | ATTACH_FILES | SEND_TTS | MENTION_EVERYONE);
        }
        perms
    }

    /// The roles of `guild` as GUILD_CREATE lists them: @everyone, then
    /// the bot's.
    pub fn roles_json(&self, guild: u64) -> Vec<Value> {
        let mut roles = vec![role_json(
            guild,
            "@everyone",
            self.everyone(guild),
            0,
            false,
        )];
        for (i, (id, bits)) in self.bot_roles(guild).into_iter().enumerate() {
            let name = if i == 0 { "rappel" } else { "bot role" };
            roles.push(role_json(id, name, bits, i as u64 + 1, i == 0));
        }
        roles
    }

    /// The overwrites of `channel` as Discord sends them.
    pub fn overwrites_json(&self, channel: u64) -> Value {
        let own = self.overwrites.get(&channel).cloned().unwrap_or_default();
        Value::Array(own.iter().map(Overwrite::json).collect())
    }
}

fn role_json(id: u64, name: &str, bits: u64, position: u64, managed: bool) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": bits.to_string(),
        "managed": managed,
        "mentionable": false,
        "flags": 0,
    })
}

/// What a REST call on a channel needs, Discord's rules for the calls the
/// bot makes: `None` for calls that need nothing (interaction callbacks
/// and webhooks need no channel permission).
pub fn needed(method: &str, rest: &[&str], body: &Value, files: bool, thread: bool) -> u64 {
    let send = if thread {
        SEND_MESSAGES_IN_THREADS
    } else {
        SEND_MESSAGES
    };
    let embeds = body
        .get("embeds")
        .and_then(Value::as_array)
        .is_some_and(|e| !e.is_empty());
    let with_content = |mut bits: u64| {
        if embeds {
            bits |= EMBED_LINKS;
        }
        if files {
            bits |= ATTACH_FILES;
        }
        if body.get("message_reference").is_some_and(|r| !r.is_null()) {
            bits |= READ_MESSAGE_HISTORY;
        }
        bits
    };
    match (method, rest) {
        ("GET", []) => VIEW_CHANNEL,
        ("POST", ["messages"]) => with_content(VIEW_CHANNEL | send),
        // Editing its own message: embeds still need Embed Links.
        ("PATCH", ["messages", _]) => with_content(VIEW_CHANNEL),
        ("GET", ["messages"] | ["messages", _]) => VIEW_CHANNEL | READ_MESSAGE_HISTORY,
        // A reaction nobody added yet (the bot's always are).
        ("PUT", ["messages", _, "reactions", _, "@me"]) => {
            VIEW_CHANNEL | READ_MESSAGE_HISTORY | ADD_REACTIONS
        }
        _ => VIEW_CHANNEL,
    }
}
