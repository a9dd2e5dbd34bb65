//! A small fake of Discord for end-to-end tests of the real bot.
//!
//! It listens on 127.0.0.1 (port 0) and plays both halves of Discord:
//! - REST under `/api/v10/…` (axum): records every call (method, path, JSON
//!   body) and answers with plausible JSON (echoed command registrations,
//!   message objects for messages and webhooks, 204 for interaction
//!   callbacks);
//! - the gateway at `/gateway` (axum websocket): HELLO, IDENTIFY → READY +
//!   GUILD_CREATE, heartbeat ACKs, and events injected by the test
//!   (MESSAGE_CREATE, INTERACTION_CREATE) as a given user with given
//!   permissions and locale. Like Discord, it strips a message's `content`
//!   unless the bot identified with the MESSAGE_CONTENT intent (1 << 15).
//!
//! Sharding and reconnects work like Discord's: each IDENTIFY opens a
//! session for its `[shard, total]`; a server's events go to shard
//! `(guild_id >> 22) % total` and events without a server (DMs) to shard 0.
//! A session keeps its events, so a RESUME (op 6) after a dropped socket
//! ([`FakeDiscord::drop_gateway`]) replays the ones the bot missed, then
//! RESUMED; an invalidated session ([`FakeDiscord::invalidate_sessions`])
//! answers INVALID_SESSION and the bot must IDENTIFY again.
//!
//! Permissions are Discord's ([`super::fake_permissions`]): a call on a
//! channel where the bot lacks what it needs gets 403 (50013 Missing
//! Permissions, or 50001 Missing Access without View Channel), a deleted
//! channel 404 (10003 Unknown Channel); by default @everyone has nothing
//! and the bot exactly the invite's permissions.
//!
//! The bot finds it through `DISCORD_API_BASE`: serenity sends REST calls to
//! the base and connects to the gateway URL returned by `GET /gateway`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

use super::fake_permissions as perms;

pub const APPLICATION_ID: u64 = 1_100_000_000_000_000_001;
pub const BOT_ID: u64 = 1_100_000_000_000_000_001;
pub const GUILD_ID: u64 = 1_200_000_000_000_000_001;
pub const CHANNEL_ID: u64 = 1_300_000_000_000_000_001;
pub const BOT_NAME: &str = "rappel";
/// The MESSAGE_CONTENT gateway intent bit.
pub const MESSAGE_CONTENT: u64 = 1 << 15;
const TIMESTAMP: &str = "2026-01-05T10:00:00.000000+00:00";

/// A member of the fake guild.
#[derive(Debug, Clone)]
pub struct User {
    pub id: u64,
    pub name: String,
    /// Permission bits as Discord sends them (a decimal string).
    pub permissions: String,
    /// The member's roles in the server (ids).
    pub roles: Vec<u64>,
}

impl User {
    /// A member with ordinary permissions (view, send, read history, use
    /// application commands).
    pub fn student(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
            permissions: ((1u64 << 10) | (1 << 11) | (1 << 16) | (1 << 31)).to_string(),
            roles: Vec::new(),
        }
    }

    /// The same member with `role` too.
    pub fn with_role(mut self, role: u64) -> Self {
        self.roles.push(role);
        self
    }

    fn json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.name,
            "avatar": null,
        })
    }

    fn member(&self) -> Value {
        json!({
            "user": self.json(),
            "nick": null,
            "roles": self.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
            "joined_at": TIMESTAMP,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "permissions": self.permissions,
        })
    }
}

/// One REST call the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// The path after `/api/v10`, without the query string.
    pub path: String,
    /// The JSON body (for multipart requests, the `payload_json` part).
    pub body: Option<Value>,
    /// When the fake received it (for latency measurements).
    pub at: Instant,
    /// The token it was sent with (tells bot processes apart).
    pub token: Option<String>,
    /// The HTTP status the fake answered (403 when a permission is
    /// missing, see [`crate::support::fake_permissions`]).
    pub status: u16,
}

impl Call {
    /// The message this call sends or edits, if it sends content: the `data`
    /// of a message interaction response (types 4 and 7), or the body of a
    /// webhook (follow-up, edit) or channel message call.
    pub fn message(&self) -> Option<&Value> {
        let body = self.body.as_ref()?;
        if self.path.ends_with("/callback") {
            let kind = body.get("type")?.as_u64()?;
            return matches!(kind, 4 | 7).then(|| body.get("data")).flatten();
        }
        let sends = (self.path.starts_with("/webhooks/") || self.path.starts_with("/channels/"))
            && (self.method == "POST" || self.method == "PATCH")
            && (body.get("content").is_some() || body.get("embeds").is_some());
        sends.then_some(body)
    }

    /// Every piece of text the call shows: content, embed titles,
    /// descriptions, fields and footers, button labels, modal titles.
    pub fn text(&self) -> String {
        let mut out = Vec::new();
        if let Some(body) = &self.body {
            collect_text(body, &mut out);
        }
        out.join("\n")
    }

    /// The `custom_id` of every component (buttons, modal inputs) in the call.
    pub fn custom_ids(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(body) = &self.body {
            collect_custom_ids(body, &mut out);
        }
        out
    }

    /// The interaction callback type (4 message, 5 deferred, 7 update, 8
    /// autocomplete result, 9 modal), if this is a callback.
    pub fn callback_type(&self) -> Option<u64> {
        if !self.path.ends_with("/callback") {
            return None;
        }
        self.body.as_ref()?.get("type")?.as_u64()
    }
}

fn collect_text(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    (
                        "content" | "title" | "description" | "name" | "value" | "text" | "label",
                        Value::String(s),
                    ) => out.push(s.clone()),
                    _ => collect_text(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_text(v, out)),
        _ => {}
    }
}

fn collect_custom_ids(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("custom_id", Value::String(s)) => out.push(s.clone()),
                    _ => collect_custom_ids(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_custom_ids(v, out)),
        _ => {}
    }
}

/// An interaction the fake sent to the bot: its id and token find the
/// bot's answers among the calls.
#[derive(Debug, Clone)]
pub struct Sent {
    pub id: u64,
    pub token: String,
}

impl Sent {
    /// Whether `call` answers this interaction (callback, follow-up or edit).
    pub fn is_answered_by(&self, call: &Call) -> bool {
        call.path == format!("/interactions/{}/{}/callback", self.id, self.token)
            || call
                .path
                .starts_with(&format!("/webhooks/{APPLICATION_ID}/{}", self.token))
    }
}

struct Shared {
    port: u16,
    calls: Mutex<Vec<Call>>,
    identifies: Mutex<Vec<Value>>,
    resumes: Mutex<Vec<Value>>,
    /// Every gateway session, oldest first.
    sessions: Mutex<Vec<GatewaySession>>,
    /// The servers the bot is in: (guild id, its text channel).
    guilds: Mutex<Vec<(u64, u64)>>,
    next_id: AtomicU64,
    /// Numbers gateway sessions and connections.
    next_gateway_id: AtomicU64,
    /// The commands the bot registered, with the ids given to them.
    commands: Mutex<Vec<Value>>,
    /// Every dispatch event sent to a bot, as sent.
    dispatched: Mutex<Vec<Value>>,
    /// Attachments served to the bot and files it sent (issue 9 block).
    uploads: Uploads,
    /// How many command registrations were stored (ids given).
    registrations: AtomicU64,
    /// Roles, overwrites, deleted channels: what the bot may do where.
    perms: Mutex<perms::Model>,
    /// The messages the bot posted, by channel, oldest first (for
    /// `GET /channels/{id}/messages` and nonce de-duplication).
    posted: Mutex<HashMap<u64, Vec<Value>>>,
    /// Failures to answer to the next channel posts (see [`Outage`]).
    outages: Mutex<Vec<(u64, Outage)>>,
    /// Direct message channels the bot opened: channel → user.
    dm_channels: Mutex<HashMap<u64, u64>>,
    /// Users who do not accept direct messages from the bot.
    closed_dms: Mutex<Vec<u64>>,
    /// Bumped on every event (a REST call, an IDENTIFY, a RESUME, a
    /// registration stored, a socket opened or closed): the tests' waits
    /// wake on it instead of sleeping.
    events: watch::Sender<u64>,
}

impl Shared {
    fn snowflake(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Wakes every wait of the tests to look again.
    fn event(&self) {
        self.events.send_modify(|n| *n += 1);
    }
}

/// What Discord keeps of a gateway session between connections, so that a
/// RESUME gets the events sent while the bot was away.
struct GatewaySession {
    id: String,
    /// `[shard id, total]`, from IDENTIFY.
    shard: [u64; 2],
    /// The token it identified with.
    token: String,
    /// The sequence number of the last event.
    seq: u64,
    /// Every event of the session (`{op, s, t, d}`), for replays.
    log: Vec<Value>,
    /// The live connection (its number and sender), if any.
    conn: Option<(u64, mpsc::UnboundedSender<Message>)>,
    /// False once invalidated: a RESUME then gets INVALID_SESSION.
    resumable: bool,
}

impl GatewaySession {
    /// Numbers `event`, keeps it and sends it if connected.
    fn push(&mut self, event: &str, data: Value) -> Value {
        self.seq += 1;
        let payload = json!({"op": 0, "s": self.seq, "t": event, "d": data});
        self.log.push(payload.clone());
        if let Some((_, tx)) = &self.conn {
            // A closed connection: the event waits in the log for a RESUME.
            let _ = tx.send(Message::Text(payload.to_string().into()));
        }
        payload
    }
}

/// A token without serenity's `Bot ` prefix.
fn bare_token(token: &str) -> String {
    token.strip_prefix("Bot ").unwrap_or(token).to_string()
}

/// The shard Discord sends a server's events to.
pub fn shard_of(guild_id: u64, total: u64) -> u64 {
    (guild_id >> 22) % total.max(1)
}

/// The fake Discord server; dropped with the test (the server task is aborted).
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    /// Starts the fake on 127.0.0.1, on a free port.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake discord");
        let port = listener.local_addr().expect("local address").port();
        // Each gateway event and REST reply leaves at once: with Nagle's
        // algorithm a small write waits for the ACK of the one before,
        // which the bot's kernel may delay by 40 ms, so under load events
        // reached the bot in bursts 40 ms apart (the quiz_load bench's
        // right answers: p50 20 ms of the fake's own).
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                eprintln!("fake discord: TCP_NODELAY refused: {e}");
            }
        });
        let shared = Arc::new(Shared {
            port,
            calls: Mutex::new(Vec::new()),
            identifies: Mutex::new(Vec::new()),
            resumes: Mutex::new(Vec::new()),
            sessions: Mutex::new(Vec::new()),
            guilds: Mutex::new(vec![(GUILD_ID, CHANNEL_ID)]),
            next_id: AtomicU64::new(1_400_000_000_000_000_000),
            next_gateway_id: AtomicU64::new(1),
            commands: Mutex::new(Vec::new()),
            dispatched: Mutex::new(Vec::new()),
            uploads: Uploads::default(),
            registrations: AtomicU64::new(0),
            perms: Mutex::new(perms::Model::default()),
            posted: Mutex::new(HashMap::new()),
            outages: Mutex::new(Vec::new()),
            dm_channels: Mutex::new(HashMap::new()),
            closed_dms: Mutex::new(Vec::new()),
            events: watch::channel(0).0,
        });
        let app = Router::new()
            .route("/gateway", get(gateway))
            .route("/attachments/{id}/{name}", get(attachment))
            .fallback(rest)
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("fake discord server");
        });
        Self { shared, server }
    }

    /// What to put in `DISCORD_API_BASE`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.shared.port)
    }

    /// Every REST call recorded so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.calls.lock().unwrap().clone()
    }

    /// The calls recorded from index `from` on: cheap polling for the load
    /// benchmarks, which watch tens of thousands of calls.
    pub fn calls_since(&self, from: usize) -> Vec<Call> {
        let calls = self.shared.calls.lock().unwrap();
        calls.get(from..).map(<[Call]>::to_vec).unwrap_or_default()
    }

    /// Every event injected by the test (`{op, s, t, d}`), in order.
    pub fn dispatched(&self) -> Vec<Value> {
        self.shared.dispatched.lock().unwrap().clone()
    }

    /// Every IDENTIFY payload (`d`) received, in order.
    pub fn identifies(&self) -> Vec<Value> {
        self.shared.identifies.lock().unwrap().clone()
    }

    /// Every RESUME payload (`d`: session id, last sequence) received, in order.
    pub fn resumes(&self) -> Vec<Value> {
        self.shared.resumes.lock().unwrap().clone()
    }

    /// Waits until `check` gives a value, looking again at each event of
    /// the fake (a REST call, an IDENTIFY, a RESUME, a socket opened or
    /// closed); panics with `what` after `timeout`.
    pub async fn wait_for<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut(&Self) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut events = self.shared.events.subscribe();
        loop {
            events.borrow_and_update();
            if let Some(found) = check(self) {
                return found;
            }
            if tokio::time::timeout_at(deadline, events.changed())
                .await
                .is_err()
            {
                panic!(
                    "timed out after {timeout:?} waiting for {what}; calls were:\n{:#?}",
                    self.calls()
                );
            }
        }
    }

    /// Waits until `done` holds (see [`FakeDiscord::wait_for`]).
    pub async fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        mut done: impl FnMut(&Self) -> bool,
    ) {
        self.wait_for(what, timeout, |fake| done(fake).then_some(()))
            .await
    }

    /// Watches the fake for `window`: panics with `what` at the first event
    /// after which `still` no longer holds (a duplicate post, a fifth
    /// shard), returns when the window ends with `still` holding.
    pub async fn assert_quiet(
        &self,
        what: &str,
        window: Duration,
        mut still: impl FnMut(&Self) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + window;
        let mut events = self.shared.events.subscribe();
        loop {
            events.borrow_and_update();
            assert!(still(self), "{what}");
            if tokio::time::timeout_at(deadline, events.changed())
                .await
                .is_err()
            {
                return;
            }
        }
    }

    /// The first recorded call that matches, waiting for it; panics after `timeout`.
    pub async fn wait_for_call(&self, what: impl Fn(&Call) -> bool, timeout: Duration) -> Call {
        self.wait_for("a matching call", timeout, |fake| {
            fake.calls().into_iter().find(|c| what(c))
        })
        .await
    }

    fn registration_path() -> String {
        format!("/applications/{APPLICATION_ID}/commands")
    }

    /// Waits until a bot has identified and the bot registered its commands
    /// (their ids stored, so `slash` can name them); returns the
    /// registration call.
    pub async fn wait_ready(&self) -> Call {
        self.wait_registrations(1).await;
        let path = Self::registration_path();
        self.wait_for_call(
            |c| c.method == "PUT" && c.path == path,
            Duration::from_secs(20),
        )
        .await
    }

    /// Waits for the `n`th registration of the commands (after a restart,
    /// the second), their ids stored.
    pub async fn wait_registrations(&self, n: usize) {
        self.wait_until(
            &format!("the bot to register its commands {n} time(s)"),
            Duration::from_secs(20),
            |fake| fake.shared.registrations.load(Ordering::SeqCst) as usize >= n,
        )
        .await;
    }

    /// How many times the bots registered their commands so far.
    pub fn registrations(&self) -> usize {
        self.shared.registrations.load(Ordering::SeqCst) as usize
    }

    /// The first call answering `sent` (its callback, usually).
    pub async fn reply_to(&self, sent: &Sent) -> Call {
        self.wait_for_call(|c| sent.is_answered_by(c), Duration::from_secs(10))
            .await
    }

    /// Sends a gateway dispatch event to the session of the shard it belongs
    /// to: its `guild_id`'s shard, or shard 0 (DMs). The newest session of
    /// that shard gets it; if its socket is down, a RESUME replays it.
    pub fn dispatch(&self, event: &str, mut data: Value) {
        let guild = data["guild_id"]
            .as_str()
            .and_then(|g| g.parse::<u64>().ok());
        // Discord tells the bot its own permissions in the interaction's channel.
        let channel = data["channel_id"]
            .as_str()
            .and_then(|c| c.parse::<u64>().ok());
        if let (true, Some(guild), Some(channel)) = (event == "INTERACTION_CREATE", guild, channel)
        {
            let model = self.shared.perms.lock().unwrap();
            let bits = model.bot_permissions(guild, channel, BOT_ID);
            data["app_permissions"] = json!(bits.to_string());
            if let Some(parent) = model.channels.get(&channel).and_then(|c| c.parent) {
                data["channel"]["type"] = json!(11);
                data["channel"]["parent_id"] = json!(parent.to_string());
            }
        }
        let mut sessions = self.shared.sessions.lock().unwrap();
        let session = sessions
            .iter_mut()
            .rev()
            .find(|s| s.shard[0] == guild.map_or(0, |g| shard_of(g, s.shard[1])))
            .unwrap_or_else(|| {
                panic!("no bot has identified for the shard of guild {guild:?} on the fake gateway")
            });
        let payload = session.push(event, data);
        self.shared.dispatched.lock().unwrap().push(payload);
    }

    /// Adds a server with one text channel; the bots that identify after
    /// this see it in READY and get its GUILD_CREATE (on its shard).
    pub fn add_guild(&self, guild_id: u64, channel_id: u64) {
        self.shared
            .guilds
            .lock()
            .unwrap()
            .push((guild_id, channel_id));
    }

    /// The `[shard, total]` of every live gateway connection.
    pub fn connected_shards(&self) -> Vec<[u64; 2]> {
        let sessions = self.shared.sessions.lock().unwrap();
        sessions
            .iter()
            .filter(|s| s.conn.is_some())
            .map(|s| s.shard)
            .collect()
    }

    /// The token of the bot that holds `guild_id`'s shard (newest session),
    /// or shard 0's for `None`.
    pub fn token_of_shard(&self, guild: Option<u64>) -> Option<String> {
        let sessions = self.shared.sessions.lock().unwrap();
        sessions
            .iter()
            .rev()
            .find(|s| s.shard[0] == guild.map_or(0, |g| shard_of(g, s.shard[1])))
            .map(|s| s.token.clone())
    }

    /// Closes every gateway socket with close code 4000 (unknown error), as
    /// Discord does on a hiccup: the sessions stay resumable.
    pub fn drop_gateway(&self) {
        let mut sessions = self.shared.sessions.lock().unwrap();
        for session in sessions.iter_mut() {
            if let Some((_, tx)) = session.conn.take() {
                let frame = CloseFrame {
                    code: 4000,
                    reason: "fake discord dropped the connection".into(),
                };
                let _ = tx.send(Message::Close(Some(frame)));
            }
        }
        drop(sessions);
        self.shared.event();
    }

    /// Ends every session without telling the bots: their next RESUME gets
    /// INVALID_SESSION (as after a long outage).
    pub fn expire_sessions(&self) {
        let mut sessions = self.shared.sessions.lock().unwrap();
        for session in sessions.iter_mut() {
            session.resumable = false;
        }
    }

    /// Invalidates every session and tells the connected bots so (op 9,
    /// not resumable): they must IDENTIFY again; missed events are lost.
    pub fn invalidate_sessions(&self) {
        self.expire_sessions();
        let sessions = self.shared.sessions.lock().unwrap();
        for session in sessions.iter() {
            if let Some((_, tx)) = &session.conn {
                let invalid = json!({"op": 9, "d": false});
                let _ = tx.send(Message::Text(invalid.to_string().into()));
            }
        }
    }

    // --- permissions (see `fake_permissions`) ---

    /// Sets what @everyone may do in `guild` (nothing by default).
    pub fn set_everyone_permissions(&self, guild: u64, bits: u64) {
        self.shared.perms.lock().unwrap().set_everyone(guild, bits);
        self.roles_changed(guild);
    }

    /// Sets the permissions of the bot's managed role in `guild` (the
    /// invite's, [`perms::INVITE`], by default).
    pub fn set_bot_permissions(&self, guild: u64, bits: u64) {
        self.set_bot_roles(guild, vec![(perms::bot_role_id(guild), bits)]);
    }

    /// Gives the bot exactly these roles in `guild`: (role id, permissions).
    pub fn set_bot_roles(&self, guild: u64, roles: Vec<(u64, u64)>) {
        self.shared
            .perms
            .lock()
            .unwrap()
            .set_bot_roles(guild, roles);
        self.roles_changed(guild);
    }

    /// Sets a permission overwrite of `channel` (replacing the one of the
    /// same role or member).
    pub fn set_overwrite(&self, channel: u64, overwrite: perms::Overwrite) {
        self.shared
            .perms
            .lock()
            .unwrap()
            .set_overwrite(channel, overwrite);
        self.tell_bot(channel, "CHANNEL_UPDATE");
    }

    /// Denies the bot `bits` in `channel` (a member overwrite).
    pub fn deny_bot(&self, channel: u64, bits: u64) {
        let target = perms::Target::Member(BOT_ID);
        self.set_overwrite(
            channel,
            perms::Overwrite {
                target,
                allow: 0,
                deny: bits,
            },
        );
    }

    /// Adds a text channel to `guild` (listed in its GUILD_CREATE).
    pub fn add_channel(&self, guild: u64, channel: u64) {
        let info = perms::ChannelInfo {
            guild,
            parent: None,
        };
        self.shared
            .perms
            .lock()
            .unwrap()
            .channels
            .insert(channel, info);
        self.tell_bot(channel, "CHANNEL_CREATE");
    }

    /// Adds a thread of text channel `parent` in `guild`.
    pub fn add_thread(&self, guild: u64, parent: u64, thread: u64) {
        let info = perms::ChannelInfo {
            guild,
            parent: Some(parent),
        };
        self.shared
            .perms
            .lock()
            .unwrap()
            .channels
            .insert(thread, info);
        self.tell_bot(thread, "THREAD_CREATE");
    }

    /// Deletes `channel`: every later call on it gets 404 Unknown Channel.
    pub fn delete_channel(&self, channel: u64) {
        self.tell_bot(channel, "CHANNEL_DELETE");
        self.shared.perms.lock().unwrap().delete(channel);
    }

    /// The bot's permissions in `channel`, as the fake enforces them.
    pub fn bot_permissions_in(&self, channel: u64) -> u64 {
        let model = self.shared.perms.lock().unwrap();
        let guild = guild_of(&self.shared, &model, channel);
        model.bot_permissions(guild, channel, BOT_ID)
    }

    /// Tells a connected bot that `guild`'s roles changed (GUILD_ROLE_UPDATE).
    fn roles_changed(&self, guild: u64) {
        let roles = self.shared.perms.lock().unwrap().roles_json(guild);
        for role in roles {
            let data = json!({"guild_id": guild.to_string(), "role": role});
            self.dispatch_if_connected("GUILD_ROLE_UPDATE", data);
        }
    }

    /// Sends `event` with `channel`'s object to a connected bot.
    fn tell_bot(&self, channel: u64, event: &str) {
        let data = channel_json(&self.shared, channel);
        self.dispatch_if_connected(event, data);
    }

    /// [`FakeDiscord::dispatch`] when a bot holds the event's shard; a bot
    /// that connects later gets the state in GUILD_CREATE.
    fn dispatch_if_connected(&self, event: &str, data: Value) {
        let guild = data["guild_id"]
            .as_str()
            .and_then(|g| g.parse::<u64>().ok());
        if self.token_of_shard(guild).is_some() {
            self.dispatch(event, data);
        }
    }

    /// Makes the next post in `channel` fail as `outage` says.
    pub fn outage(&self, channel: u64, outage: Outage) {
        self.shared.outages.lock().unwrap().push((channel, outage));
    }

    /// The direct messages the bot sent `user`, oldest first.
    pub fn dms_to(&self, user: u64) -> Vec<Value> {
        let channels: Vec<u64> = self
            .shared
            .dm_channels
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, u)| **u == user)
            .map(|(c, _)| *c)
            .collect();
        let posted = self.shared.posted.lock().unwrap();
        let mut out: Vec<Value> = channels
            .iter()
            .flat_map(|c| posted.get(c).cloned().unwrap_or_default())
            .collect();
        out.sort_by_key(|m| m["id"].as_str().and_then(|id| id.parse::<u64>().ok()));
        out
    }

    /// `user` no longer accepts direct messages from the bot.
    pub fn close_dms(&self, user: u64) {
        self.shared.closed_dms.lock().unwrap().push(user);
    }

    /// The messages the bot posted in `channel`, oldest first.
    pub fn posted_in(&self, channel: u64) -> Vec<Value> {
        let posted = self.shared.posted.lock().unwrap();
        posted.get(&channel).cloned().unwrap_or_default()
    }

    fn message_content_granted(&self) -> bool {
        self.identifies()
            .last()
            .and_then(|d| d.get("intents")?.as_u64())
            .is_some_and(|intents| intents & MESSAGE_CONTENT != 0)
    }

    /// Posts a message in the guild channel as `user`. The content reaches the
    /// bot only when it asked for MESSAGE_CONTENT (or when it is mentioned).
    pub fn message(&self, user: &User, content: &str) -> u64 {
        let id = self.shared.snowflake();
        let mentioned = content.contains(&format!("<@{BOT_ID}>"));
        let content = if self.message_content_granted() || mentioned {
            content
        } else {
            ""
        };
        let mut message = message_json(id, CHANNEL_ID, user.json(), content);
        message["guild_id"] = json!(GUILD_ID.to_string());
        message["member"] = user.member();
        self.dispatch("MESSAGE_CREATE", message);
        id
    }

    fn interaction(
        &self,
        user: &User,
        locale: &str,
        kind: u8,
        data: Value,
        message: Option<Value>,
    ) -> Sent {
        let id = self.shared.snowflake();
        let token = format!("token-{id}");
        let payload = interaction_json(id, &token, user, locale, kind, data, message);
        self.dispatch("INTERACTION_CREATE", payload);
        Sent { id, token }
    }

    /// Runs slash command `name` in another server's channel (see
    /// [`FakeDiscord::add_guild`]); it reaches that server's shard.
    pub fn slash_in(
        &self,
        (guild_id, channel_id): (u64, u64),
        user: &User,
        locale: &str,
        name: &str,
        options: Value,
    ) -> Sent {
        let id = self.shared.snowflake();
        let token = format!("token-{id}");
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "options": typed_options(options, None),
            "guild_id": guild_id.to_string(),
        });
        let mut payload = interaction_json(id, &token, user, locale, 2, data, None);
        let (guild, channel) = (guild_id.to_string(), channel_id.to_string());
        payload["guild_id"] = json!(guild);
        payload["channel_id"] = json!(channel);
        payload["channel"]["id"] = json!(channel);
        payload["channel"]["guild_id"] = json!(guild);
        payload["authorizing_integration_owners"]["0"] = json!(guild);
        self.dispatch("INTERACTION_CREATE", payload);
        Sent { id, token }
    }

    /// Runs slash command `name` in a direct message with the bot: no
    /// server, so it reaches shard 0.
    pub fn slash_dm(&self, user: &User, locale: &str, name: &str, options: Value) -> Sent {
        let id = self.shared.snowflake();
        let token = format!("token-{id}");
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "options": typed_options(options, None),
        });
        let mut payload = interaction_json(id, &token, user, locale, 2, data, None);
        let dm_channel = self.shared.snowflake().to_string();
        let object = payload.as_object_mut().expect("an object");
        object.remove("guild_id");
        object.remove("member");
        object.remove("guild_locale");
        object.insert("user".into(), user.json());
        object.insert("channel_id".into(), json!(dm_channel));
        object.insert("channel".into(), json!({"id": dm_channel, "type": 1}));
        object.insert("context".into(), json!(1));
        object.insert(
            "authorizing_integration_owners".into(),
            json!({"1": user.id.to_string()}),
        );
        self.dispatch("INTERACTION_CREATE", payload);
        Sent { id, token }
    }

    fn command_id(&self, name: &str) -> String {
        self.shared
            .commands
            .lock()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["id"].as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("the bot did not register a command named {name}"))
    }

    /// Runs slash command `name` with `options` (a list of `{name, value}`),
    /// as `user` with the given locale.
    pub fn slash(&self, user: &User, locale: &str, name: &str, options: Value) -> Sent {
        let options = typed_options(options, None);
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "resolved": resolved(&options),
            "options": options,
            "guild_id": GUILD_ID.to_string(),
        });
        self.interaction(user, locale, 2, data, None)
    }

    /// Asks for autocomplete of option `focused` of command `name` with the
    /// other `options` already typed.
    pub fn autocomplete(
        &self,
        user: &User,
        locale: &str,
        name: &str,
        options: Value,
        focused: &str,
    ) -> Sent {
        let options = typed_options(options, Some(focused));
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "options": options,
        });
        self.interaction(user, locale, 4, data, None)
    }

    /// Presses the button `custom_id` on a message (ephemeral, from the bot).
    pub fn click(&self, user: &User, locale: &str, custom_id: &str) -> Sent {
        let message_id = self.shared.snowflake();
        let bot = json!({"id": BOT_ID.to_string(), "username": BOT_NAME, "discriminator": "0", "bot": true, "avatar": null});
        let mut message = message_json(message_id, CHANNEL_ID, bot, "");
        message["flags"] = json!(64);
        message["application_id"] = json!(APPLICATION_ID.to_string());
        let data = json!({"custom_id": custom_id, "component_type": 2});
        self.interaction(user, locale, 3, data, Some(message))
    }

    /// Presses the button `custom_id` on a message of the bot in another
    /// server, `guild` (see [`FakeDiscord::add_guild`]).
    pub fn click_in(&self, guild: u64, user: &User, locale: &str, custom_id: &str) -> Sent {
        let id = self.shared.snowflake();
        let token = format!("token-{id}");
        let bot = json!({"id": BOT_ID.to_string(), "username": BOT_NAME, "discriminator": "0", "bot": true, "avatar": null});
        let mut message = message_json(self.shared.snowflake(), CHANNEL_ID, bot, "");
        message["flags"] = json!(64);
        message["application_id"] = json!(APPLICATION_ID.to_string());
        let data = json!({"custom_id": custom_id, "component_type": 2});
        let mut payload = interaction_json(id, &token, user, locale, 3, data, Some(message));
        payload["guild_id"] = json!(guild.to_string());
        payload["channel"]["guild_id"] = json!(guild.to_string());
        payload["authorizing_integration_owners"] = json!({"0": guild.to_string()});
        self.dispatch("INTERACTION_CREATE", payload);
        Sent { id, token }
    }

    /// Submits modal `custom_id` whose text inputs hold `fields` (`(custom_id, value)`).
    pub fn submit_modal(
        &self,
        user: &User,
        locale: &str,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> Sent {
        let rows: Vec<Value> = fields
            .iter()
            .map(|(id, value)| {
                json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]})
            })
            .collect();
        let data = json!({"custom_id": custom_id, "components": rows});
        self.interaction(user, locale, 5, data, None)
    }
}

/// Turns `[{"name", "value"}]` into typed command options (strings → type 3,
/// integers → 4, booleans → 5, `{"name", "options"}` → subcommand 1),
/// marking `focused` for autocomplete.
/// The `resolved` data of an interaction: every channel option (type 7)
/// as a text channel of the server, every role option (type 8) as a role.
fn resolved(options: &Value) -> Value {
    fn resolve(
        options: &Value,
        channels: &mut serde_json::Map<String, Value>,
        roles: &mut serde_json::Map<String, Value>,
    ) {
        for o in options.as_array().into_iter().flatten() {
            let id = o["value"].as_str().unwrap_or_default().to_string();
            if o["type"] == json!(7) {
                let channel = json!({"id": id, "name": "salon", "type": 0, "permissions": "0"});
                channels.insert(id, channel);
            } else if o["type"] == json!(8) {
                let role = json!({
                    "id": id, "name": "tuteurs", "color": 0, "hoist": false, "icon": null,
                    "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
                    "unicode_emoji": null, "position": 1, "permissions": "0",
                    "managed": false, "mentionable": false, "flags": 0,
                });
                roles.insert(id, role);
            }
            resolve(&o["options"], channels, roles);
        }
    }
    let (mut channels, mut roles) = (serde_json::Map::new(), serde_json::Map::new());
    resolve(options, &mut channels, &mut roles);
    json!({ "channels": channels, "roles": roles })
}

fn typed_options(options: Value, focused: Option<&str>) -> Value {
    let items = options.as_array().cloned().unwrap_or_default();
    Value::Array(
        items
            .into_iter()
            .map(|mut o| {
                // A subcommand: `{"name", "options": [...]}`.
                if let Some(inner) = o.get("options").cloned() {
                    o["type"] = json!(1);
                    o["options"] = typed_options(inner, focused);
                    return o;
                }
                let kind = match &o["value"] {
                    // A type given by the test (7: a channel, see `resolved`).
                    _ if o["type"].is_u64() => o["type"].as_u64().unwrap_or(3),
                    Value::Number(_) => 4,
                    Value::Bool(_) => 5,
                    _ => 3,
                };
                o["type"] = json!(kind);
                if let Some(sub) = o.get_mut("options").map(Value::take) {
                    // A subcommand (`/quiz start`): type 1 with its own options.
                    o["type"] = json!(1);
                    o["options"] = typed_options(sub, focused);
                }
                if focused.is_some_and(|f| o["name"] == f) {
                    o["focused"] = json!(true);
                }
                o
            })
            .collect(),
    )
}

/// An INTERACTION_CREATE payload (see serenity's `model::application`):
/// `kind` 2 command, 3 component, 4 autocomplete, 5 modal submit.
pub fn interaction_json(
    id: u64,
    token: &str,
    user: &User,
    locale: &str,
    kind: u8,
    data: Value,
    message: Option<Value>,
) -> Value {
    let mut payload = json!({
        "id": id.to_string(),
        "application_id": APPLICATION_ID.to_string(),
        "type": kind,
        "data": data,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "channel": {"id": CHANNEL_ID.to_string(), "type": 0, "name": "révisions", "guild_id": GUILD_ID.to_string()},
        "member": user.member(),
        "token": token,
        "version": 1,
        "app_permissions": "2251799813685247",
        "locale": locale,
        "guild_locale": "fr",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
        "context": 0,
        "attachment_size_limit": 10_485_760,
    });
    if let Some(message) = message {
        payload["message"] = message;
    }
    payload
}

pub fn message_json(id: u64, channel_id: u64, author: Value, content: &str) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
    })
}

fn bot_user() -> Value {
    json!({
        "id": BOT_ID.to_string(),
        "username": BOT_NAME,
        "discriminator": "0",
        "global_name": null,
        "avatar": null,
        "bot": true,
        "verified": true,
        "mfa_enabled": false,
        "flags": 0,
    })
}

/// The READY payload serenity expects (see serenity's `model::gateway::Ready`).
pub fn ready_json(port: u16) -> Value {
    ready_for(port, "fake-session", [0, 1], &[GUILD_ID])
}

/// READY for one session of shard `[id, total]` with its `guilds`.
pub fn ready_for(port: u16, session_id: &str, shard: [u64; 2], guilds: &[u64]) -> Value {
    let guilds: Vec<Value> = guilds
        .iter()
        .map(|id| json!({"id": id.to_string(), "unavailable": true}))
        .collect();
    json!({
        "v": 10,
        "user": bot_user(),
        "guilds": guilds,
        "session_id": session_id,
        "resume_gateway_url": format!("ws://127.0.0.1:{port}/gateway"),
        "shard": shard,
        "application": {"id": APPLICATION_ID.to_string(), "flags": 0},
    })
}

/// A full-enough GUILD_CREATE payload (see serenity's `model::guild::Guild`).
pub fn guild_json() -> Value {
    guild_in(GUILD_ID, CHANNEL_ID)
}

/// GUILD_CREATE of server `guild_id` with its one text channel.
pub fn guild_in(guild_id: u64, channel_id: u64) -> Value {
    let mut guild = json!({
        "id": guild_id.to_string(),
        "name": "Cours CRM",
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": "1500000000000000001",
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": channel_id.to_string(),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "fr",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "joined_at": TIMESTAMP,
        "large": false,
        "unavailable": false,
        "member_count": 3,
        "voice_states": [],
        "members": [],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "safety_alerts_channel_id": null,
    });
    guild["roles"] = json!([{

        "id": guild_id.to_string(),
        "name": "@everyone",
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": 0,
        "permissions": "2248473465835073",
        "managed": false,
        "mentionable": false,
        "flags": 0,
    }]);
    guild["channels"] = json!([{

        "id": channel_id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": "révisions",
        "position": 0,
        "permission_overwrites": [],
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "parent_id": null,
    }]);
    guild
}

/// A failure of Discord's for the next post in a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// 500, and nothing was posted.
    ServerError,
    /// The message was posted but the answer was lost (a 502 from a
    /// proxy): the message is there, the bot was told it failed.
    LostReply,
}

/// The server `channel` belongs to: a server's first channel, a channel
/// added to one, or else the test server (tests name channels freely).
fn guild_of(shared: &Shared, model: &perms::Model, channel: u64) -> u64 {
    let guilds = shared.guilds.lock().unwrap();
    if let Some((guild, _)) = guilds.iter().find(|(_, c)| *c == channel) {
        return *guild;
    }
    model.channels.get(&channel).map_or(GUILD_ID, |c| c.guild)
}

/// The first text channel of `guild`.
fn first_channel(shared: &Shared, guild: u64) -> u64 {
    let guilds = shared.guilds.lock().unwrap();
    guilds
        .iter()
        .find(|(g, _)| *g == guild)
        .map_or(CHANNEL_ID, |(_, c)| *c)
}

/// A channel object: a text channel, or a thread under its parent.
fn channel_json(shared: &Shared, channel: u64) -> Value {
    let model = shared.perms.lock().unwrap();
    let guild = guild_of(shared, &model, channel);
    let parent = model.channels.get(&channel).and_then(|c| c.parent);
    let mut value = json!({
        "id": channel.to_string(),
        "type": if parent.is_some() { 11 } else { 0 },
        "guild_id": guild.to_string(),
        "name": "révisions",
        "position": 0,
        "permission_overwrites": model.overwrites_json(channel),
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "parent_id": parent.map(|p| p.to_string()),
    });
    if parent.is_some() {
        value["owner_id"] = json!(BOT_ID.to_string());
        value["thread_metadata"] = json!({
            "archived": false,
            "auto_archive_duration": 1440,
            "archive_timestamp": TIMESTAMP,
            "locked": false,
        });
    }
    value
}

/// The bot as a member of `guild`, with its roles.
fn bot_member(shared: &Shared, guild: u64) -> Value {
    let roles: Vec<String> = shared
        .perms
        .lock()
        .unwrap()
        .bot_roles(guild)
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    json!({
        "user": bot_user(),
        "nick": null,
        "roles": roles,
        "joined_at": TIMESTAMP,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
    })
}

/// GUILD_CREATE of `guild` as the fake's permission model has it: its
/// roles, its channels with their overwrites, its threads, and the bot's
/// own member (Discord always sends it, even without GUILD_MEMBERS).
fn guild_create(shared: &Shared, guild: u64, channel: u64) -> Value {
    let mut value = guild_in(guild, channel);
    let (roles, others) = {
        let model = shared.perms.lock().unwrap();
        let mut others: Vec<(u64, bool)> = model
            .channels
            .iter()
            .filter(|(id, c)| c.guild == guild && !model.is_deleted(**id))
            .map(|(id, c)| (*id, c.parent.is_some()))
            .collect();
        others.sort();
        (model.roles_json(guild), others)
    };
    value["roles"] = Value::Array(roles);
    let mut channels = vec![channel_json(shared, channel)];
    let mut threads = Vec::new();
    for (id, thread) in others {
        match thread {
            true => threads.push(channel_json(shared, id)),
            false => channels.push(channel_json(shared, id)),
        }
    }
    value["channels"] = Value::Array(channels);
    value["threads"] = Value::Array(threads);
    value["members"] = json!([bot_member(shared, guild)]);
    value
}

async fn gateway(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| session(socket, shared))
}

/// One gateway connection: HELLO, then IDENTIFY (a new session: READY and
/// the GUILD_CREATE of its shard's servers) or RESUME (the missed events,
/// then RESUMED); heartbeats acknowledged; the session's events forwarded.
async fn session(mut socket: WebSocket, shared: Arc<Shared>) {
    let conn = shared.next_gateway_id.fetch_add(1, Ordering::Relaxed);
    let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41_250}});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(message)) = incoming else { break };
                let text = match message {
                    Message::Text(text) => text.to_string(),
                    Message::Close(_) => break,
                    _ => continue,
                };
                let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                let replies = match payload["op"].as_u64() {
                    Some(1) => vec![json!({"op": 11})],
                    Some(2) => identify(&shared, conn, &tx, &payload["d"]),
                    Some(6) => resume(&shared, conn, &tx, &payload["d"]),
                    _ => Vec::new(),
                };
                for reply in replies {
                    if socket.send(Message::Text(reply.to_string().into())).await.is_err() {
                        break;
                    }
                }
            }
            outgoing = rx.recv() => {
                let Some(message) = outgoing else { break };
                let closing = matches!(message, Message::Close(_));
                if socket.send(message).await.is_err() || closing {
                    break;
                }
            }
        }
    }
    // The session outlives its socket, waiting for a RESUME.
    let mut sessions = shared.sessions.lock().unwrap();
    for session in sessions.iter_mut() {
        if session.conn.as_ref().is_some_and(|(c, _)| *c == conn) {
            session.conn = None;
        }
    }
    drop(sessions);
    shared.event();
}

/// IDENTIFY: a new session for the shard asked, with READY and the
/// GUILD_CREATE of the servers on that shard. Returns what to send now.
fn identify(
    shared: &Shared,
    conn: u64,
    tx: &mpsc::UnboundedSender<Message>,
    d: &Value,
) -> Vec<Value> {
    let shard = match d["shard"].as_array().map(|a| a.as_slice()) {
        Some([id, total]) => [id.as_u64().unwrap_or(0), total.as_u64().unwrap_or(1)],
        _ => [0, 1],
    };
    let guilds: Vec<(u64, u64)> = shared
        .guilds
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|(guild, _)| shard_of(*guild, shard[1]) == shard[0])
        .collect();
    let id = format!(
        "fake-session-{}",
        shared.next_gateway_id.fetch_add(1, Ordering::Relaxed)
    );
    let ids: Vec<u64> = guilds.iter().map(|(g, _)| *g).collect();
    let mut session = GatewaySession {
        id: id.clone(),
        shard,
        token: bare_token(d["token"].as_str().unwrap_or_default()),
        seq: 0,
        log: Vec::new(),
        conn: None,
        resumable: true,
    };
    // Sent by the caller, before anything dispatched from now on.
    let mut out = vec![session.push("READY", ready_for(shared.port, &id, shard, &ids))];
    for (guild, channel) in guilds {
        out.push(session.push("GUILD_CREATE", guild_create(shared, guild, channel)));
    }
    session.conn = Some((conn, tx.clone()));
    shared.sessions.lock().unwrap().push(session);
    // Recorded last: a test that saw the IDENTIFY can dispatch to its session.
    shared.identifies.lock().unwrap().push(d.clone());
    shared.event();
    out
}

/// RESUME: reattaches the session and replays the events after the bot's
/// last sequence number, then RESUMED; an unknown or invalidated session
/// gets INVALID_SESSION (not resumable).
fn resume(
    shared: &Shared,
    conn: u64,
    tx: &mpsc::UnboundedSender<Message>,
    d: &Value,
) -> Vec<Value> {
    shared.resumes.lock().unwrap().push(d.clone());
    shared.event();
    let mut sessions = shared.sessions.lock().unwrap();
    let found = sessions.iter_mut().find(|s| {
        s.resumable
            && Some(s.id.as_str()) == d["session_id"].as_str()
            && bare_token(d["token"].as_str().unwrap_or_default()) == s.token
    });
    let Some(session) = found else {
        return vec![json!({"op": 9, "d": false})];
    };
    let last_seen = d["seq"].as_u64().unwrap_or(0);
    let mut out: Vec<Value> = session
        .log
        .iter()
        .filter(|e| e["s"].as_u64().is_some_and(|s| s > last_seen))
        .cloned()
        .collect();
    out.push(session.push("RESUMED", json!({})));
    session.conn = Some((conn, tx.clone()));
    drop(sessions);
    shared.event();
    out
}

/// Every REST call: record it, answer like Discord would.
async fn rest(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri
        .path()
        .strip_prefix("/api/v10")
        .unwrap_or(uri.path())
        .to_string();
    let files = !multipart_files(&body).is_empty();
    shared.uploads.record(&path, &body);
    let body = parse_body(&body);
    let response = answer(
        &shared,
        method.as_str(),
        &path,
        body.clone().unwrap_or(Value::Null),
        files,
    );
    shared.calls.lock().unwrap().push(Call {
        method: method.to_string(),
        path,
        body,
        at: Instant::now(),
        token: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(bare_token),
        status: response.status().as_u16(),
    });
    shared.event();
    response
}

/// Discord's answer to a REST call: refused when the channel is gone or
/// the bot lacks a permission, else what the route returns.
fn answer(shared: &Shared, method: &str, path: &str, body: Value, files: bool) -> Response {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    if let Some(answered) = direct_message(shared, method, &parts, &body) {
        return answered;
    }
    if let ["channels", channel, rest @ ..] = parts.as_slice()
        && let Ok(channel) = channel.parse::<u64>()
    {
        if let Some(refused) = refuse(shared, method, channel, rest, &body, files) {
            return refused;
        }
        if let Some(answered) = channel_call(shared, method, channel, rest, &body) {
            return answered;
        }
    }
    match (method, parts.as_slice()) {
        ("GET", ["gateway"]) => {
            ok(json!({"url": format!("ws://127.0.0.1:{}/gateway", shared.port)}))
        }
        ("GET", ["gateway", "bot"]) => ok(json!({
            "url": format!("ws://127.0.0.1:{}/gateway", shared.port),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        })),
        ("GET", ["users", "@me"]) => ok(bot_user()),
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => ok(json!({
            "id": APPLICATION_ID.to_string(),
            "name": BOT_NAME,
            "icon": null,
            "description": "",
            "bot_public": true,
            "bot_require_code_grant": false,
            "verify_key": "0",
            "flags": 0,
            "owner": {"id": "1500000000000000001", "username": "prof", "discriminator": "0", "avatar": null},
            "team": null,
        })),
        ("PUT", ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"]) => {
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut c| {
                    c["id"] = json!(shared.snowflake().to_string());
                    c["application_id"] = json!(APPLICATION_ID.to_string());
                    c["version"] = json!("1");
                    if c.get("type").is_none() {
                        c["type"] = json!(1);
                    }
                    c
                })
                .collect();
            *shared.commands.lock().unwrap() = commands.clone();
            shared.registrations.fetch_add(1, Ordering::SeqCst);
            shared.event();
            ok(Value::Array(commands))
        }
        ("POST", ["interactions", _, _, "callback"]) => StatusCode::NO_CONTENT.into_response(),
        ("POST", ["webhooks", _, _]) | ("PATCH" | "GET", ["webhooks", _, _, "messages", _]) => {
            ok(message_from(shared, CHANNEL_ID, &body))
        }
        ("GET", ["guilds", guild]) => match guild.parse::<u64>() {
            Ok(guild) => ok(guild_create(shared, guild, first_channel(shared, guild))),
            Err(_) => not_found(),
        },
        ("GET", ["guilds", guild, "roles"]) => match guild.parse::<u64>() {
            Ok(guild) => ok(Value::Array(shared.perms.lock().unwrap().roles_json(guild))),
            Err(_) => not_found(),
        },
        ("GET", ["guilds", guild, "members", user]) => {
            match (guild.parse::<u64>(), user.parse::<u64>()) {
                (Ok(guild), Ok(BOT_ID)) => ok(bot_member(shared, guild)),
                _ => refusal(StatusCode::NOT_FOUND, "Unknown Member", 10007),
            }
        }
        ("DELETE", _) => StatusCode::NO_CONTENT.into_response(),
        _ => not_found(),
    }
}

/// Opening a direct message channel with a user, and posting in one: a
/// user who closed their DMs gets 403 (50007, Cannot send messages to this
/// user), as Discord answers. `None` for the other calls.
fn direct_message(shared: &Shared, method: &str, parts: &[&str], body: &Value) -> Option<Response> {
    match (method, parts) {
        ("POST", ["users", "@me", "channels"]) => {
            let user: u64 = body["recipient_id"].as_str()?.parse().ok()?;
            let channel = shared.snowflake();
            shared.dm_channels.lock().unwrap().insert(channel, user);
            let recipient = json!({"id": user.to_string(), "username": "member", "discriminator": "0", "avatar": null});
            Some(ok(json!({
                "id": channel.to_string(),
                "type": 1,
                "last_message_id": null,
                "recipients": [recipient],
            })))
        }
        ("POST", ["channels", channel, "messages"]) => {
            let channel: u64 = channel.parse().ok()?;
            let user = *shared.dm_channels.lock().unwrap().get(&channel)?;
            if shared.closed_dms.lock().unwrap().contains(&user) {
                return Some(refusal(
                    StatusCode::FORBIDDEN,
                    "Cannot send messages to this user",
                    50007,
                ));
            }
            Some(post_message(shared, channel, body))
        }
        _ => None,
    }
}

fn not_found() -> Response {
    refusal(StatusCode::NOT_FOUND, "404: Not Found", 0)
}

/// An error answer with Discord's JSON body.
fn refusal(status: StatusCode, message: &str, code: u64) -> Response {
    (
        status,
        axum::Json(json!({"message": message, "code": code})),
    )
        .into_response()
}

/// A 404 for a deleted channel, a 403 when the bot cannot see the channel
/// (Missing Access, 50001) or lacks a permission the call needs (Missing
/// Permissions, 50013), as Discord answers.
fn refuse(
    shared: &Shared,
    method: &str,
    channel: u64,
    rest: &[&str],
    body: &Value,
    files: bool,
) -> Option<Response> {
    let model = shared.perms.lock().unwrap();
    if model.is_deleted(channel) {
        return Some(refusal(StatusCode::NOT_FOUND, "Unknown Channel", 10003));
    }
    let guild = guild_of(shared, &model, channel);
    let have = model.bot_permissions(guild, channel, BOT_ID);
    let need = perms::needed(method, rest, body, files, model.is_thread(channel));
    if have & perms::VIEW_CHANNEL == 0 {
        return Some(refusal(StatusCode::FORBIDDEN, "Missing Access", 50001));
    }
    (need & !have != 0).then(|| refusal(StatusCode::FORBIDDEN, "Missing Permissions", 50013))
}

/// The calls on a channel the bot may make: post (once per enforced
/// nonce), edit, read its history, react; `None` for the others.
fn channel_call(
    shared: &Shared,
    method: &str,
    channel: u64,
    rest: &[&str],
    body: &Value,
) -> Option<Response> {
    Some(match (method, rest) {
        ("GET", []) => ok(channel_json(shared, channel)),
        ("POST", ["messages"]) => post_message(shared, channel, body),
        ("PATCH", ["messages", _]) => ok(message_from(shared, channel, body)),
        ("GET", ["messages"]) => {
            let posted = shared.posted.lock().unwrap();
            let newest: Vec<Value> = posted
                .get(&channel)
                .map(|m| m.iter().rev().take(50).cloned().collect())
                .unwrap_or_default();
            ok(Value::Array(newest))
        }
        ("PUT", ["messages", _, "reactions", _, "@me"]) | ("DELETE", _) => {
            StatusCode::NO_CONTENT.into_response()
        }
        _ => return None,
    })
}

/// A message posted in `channel`: kept for the history; with an enforced
/// nonce already used there, the first message again (nothing new), as
/// Discord de-duplicates; an [`Outage`] queued for the channel first.
fn post_message(shared: &Shared, channel: u64, body: &Value) -> Response {
    let outage = {
        let mut outages = shared.outages.lock().unwrap();
        let at = outages.iter().position(|(c, _)| *c == channel);
        at.map(|i| outages.remove(i).1)
    };
    let nonce = body
        .get("nonce")
        .filter(|_| body["enforce_nonce"] == json!(true))
        .filter(|n| !n.is_null());
    let mut posted = shared.posted.lock().unwrap();
    let list = posted.entry(channel).or_default();
    if let Some(nonce) = nonce
        && let Some(first) = list.iter().find(|m| m.get("nonce") == Some(nonce))
    {
        return ok(first.clone());
    }
    if outage == Some(Outage::ServerError) {
        return refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            0,
        );
    }
    let mut message = message_from(shared, channel, body);
    if let Some(nonce) = nonce {
        message["nonce"] = nonce.clone();
    }
    list.push(message.clone());
    if outage == Some(Outage::LostReply) {
        return refusal(StatusCode::BAD_GATEWAY, "Bad Gateway", 0);
    }
    ok(message)
}

fn ok(value: Value) -> Response {
    axum::Json(value).into_response()
}

/// JSON bodies as they are; for multipart bodies, the `payload_json` part.
fn parse_body(body: &Bytes) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    if let Ok(value) = serde_json::from_slice(body) {
        return Some(value);
    }
    let text = String::from_utf8_lossy(body);
    let start = text.find("name=\"payload_json\"")?;
    let rest = &text[start..];
    let json_start = rest.find("\r\n\r\n")? + 4;
    let json_end = rest[json_start..].find("\r\n--")? + json_start;
    serde_json::from_str(&rest[json_start..json_end]).ok()
}

/// The message object Discord returns for a message the bot sent.
fn message_from(shared: &Shared, channel_id: u64, body: &Value) -> Value {
    let id = shared.snowflake();
    let mut message = message_json(
        id,
        channel_id,
        bot_user(),
        body["content"].as_str().unwrap_or(""),
    );
    if let Some(embeds) = body.get("embeds") {
        message["embeds"] = embeds.clone();
    }
    if let Some(components) = body.get("components") {
        message["components"] = components.clone();
    }
    if let Some(flags) = body.get("flags") {
        message["flags"] = flags.clone();
    }
    message["application_id"] = json!(APPLICATION_ID.to_string());
    message
}

// --- attachments (issue 9: /decks upload, CSV exports) ---
//
// A slash command can carry a file (`slash_with_file`): the fake puts it in
// the interaction's `resolved.attachments` with a loopback URL and serves
// its bytes there, as Discord's CDN would. Files the bot sends (multipart
// parts of its REST calls) are kept for the tests (`sent_files`).
// `slash_in_guild` runs a command as if from another server.

/// Marks the option that carries the file in `slash_with_file`'s options.
pub const ATTACHED: &str = "@attached";

/// A file the bot sent in a multipart REST call.
#[derive(Debug, Clone)]
pub struct SentFile {
    /// The path of the call (after `/api/v10`).
    pub path: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
struct Uploads {
    served: Mutex<std::collections::HashMap<u64, Vec<u8>>>,
    sent: Mutex<Vec<SentFile>>,
}

impl Uploads {
    fn record(&self, path: &str, body: &[u8]) {
        let files = multipart_files(body);
        let mut sent = self.sent.lock().unwrap();
        for (filename, bytes) in files {
            sent.push(SentFile {
                path: path.to_string(),
                filename,
                bytes,
            });
        }
    }
}

impl FakeDiscord {
    /// Runs slash command `name` in server `guild` with `options`, where
    /// the option whose value is [`ATTACHED`] carries `filename` holding
    /// `bytes`.
    #[allow(clippy::too_many_arguments)]
    pub fn slash_with_file(
        &self,
        guild: u64,
        user: &User,
        locale: &str,
        name: &str,
        options: Value,
        filename: &str,
        bytes: &[u8],
    ) -> Sent {
        let attachment_id = self.shared.snowflake();
        self.shared
            .uploads
            .served
            .lock()
            .unwrap()
            .insert(attachment_id, bytes.to_vec());
        let mut options = typed_options(options, None);
        mark_attachment(&mut options, &attachment_id.to_string());
        let url = format!(
            "http://127.0.0.1:{}/attachments/{attachment_id}/{filename}",
            self.shared.port
        );
        let attachment = json!({
            "id": attachment_id.to_string(),
            "filename": filename,
            "size": bytes.len(),
            "url": url,
            "proxy_url": url,
            "content_type": "text/plain; charset=utf-8",
        });
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "options": options,
            "guild_id": guild.to_string(),
            "resolved": {"attachments": {attachment_id.to_string(): attachment}},
        });
        self.command_in_guild(guild, user, locale, data)
    }

    /// Runs slash command `name` as `user` in another server, `guild`.
    pub fn slash_in_guild(
        &self,
        guild: u64,
        user: &User,
        locale: &str,
        name: &str,
        options: Value,
    ) -> Sent {
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "options": typed_options(options, None),
            "guild_id": guild.to_string(),
        });
        self.command_in_guild(guild, user, locale, data)
    }

    fn command_in_guild(&self, guild: u64, user: &User, locale: &str, data: Value) -> Sent {
        let id = self.shared.snowflake();
        let token = format!("token-{id}");
        let mut payload = interaction_json(id, &token, user, locale, 2, data, None);
        payload["guild_id"] = json!(guild.to_string());
        payload["channel"]["guild_id"] = json!(guild.to_string());
        payload["authorizing_integration_owners"] = json!({"0": guild.to_string()});
        self.dispatch("INTERACTION_CREATE", payload);
        Sent { id, token }
    }

    /// Every file the bot sent so far, in order.
    pub fn sent_files(&self) -> Vec<SentFile> {
        self.shared.uploads.sent.lock().unwrap().clone()
    }
}

/// Turns the option whose value is [`ATTACHED`] into an attachment option
/// (type 11) holding `id`.
fn mark_attachment(options: &mut Value, id: &str) {
    let Some(items) = options.as_array_mut() else {
        return;
    };
    for option in items {
        if option["value"] == ATTACHED {
            option["type"] = json!(11);
            option["value"] = json!(id);
        }
        if let Some(inner) = option.get_mut("options") {
            mark_attachment(inner, id);
        }
    }
}

/// Serves an attachment's bytes, as Discord's CDN does.
async fn attachment(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path((id, _name)): axum::extract::Path<(u64, String)>,
) -> Response {
    match shared.uploads.served.lock().unwrap().get(&id) {
        Some(bytes) => bytes.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The file parts (`filename="…"`) of a multipart body, with their bytes.
fn multipart_files(body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Some(line_end) = find(body, b"\r\n") else {
        return Vec::new();
    };
    let delimiter = &body[..line_end];
    if !delimiter.starts_with(b"--") {
        return Vec::new();
    }
    let mut separator = b"\r\n".to_vec();
    separator.extend_from_slice(delimiter);
    let mut out = Vec::new();
    let mut rest = &body[line_end + 2..];
    while let Some(end) = find(rest, &separator) {
        let part = &rest[..end];
        rest = &rest[end + separator.len()..];
        let Some(headers_end) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&part[..headers_end]);
        let Some(start) = headers.find("filename=\"") else {
            continue;
        };
        let name = &headers[start + 10..];
        let name = name[..name.find('"').unwrap_or(name.len())].to_string();
        out.push((name, part[headers_end + 4..].to_vec()));
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
