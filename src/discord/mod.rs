//! The Discord bot: serenity 0.12 for the connection, poise 0.7 for the
//! slash commands.
//!
//! This module is the shell around the core for Discord. It owns the
//! connection (intents, the HTTP client, optionally pointed at a fake
//! Discord in tests), the shared [`Data`], the one error handler and the
//! routing of button and modal interactions (which are not slash commands,
//! so poise hands them to [`event_handler`]). Each feature lives in its own
//! file under [`commands`]; every word shown to users is in [`messages`].

pub mod commands;
pub mod config;
mod daily_failure;
pub mod daily_loop;
pub mod error;
pub mod messages;
pub mod permission;
pub mod quiz_driver;
pub mod server_decks;
pub mod study_id;

use std::collections::HashMap;
use std::sync::Arc;

use poise::serenity_prelude as serenity;

use crate::core::deck::{DeckId, Library, Problem};
use crate::core::grade::DeckContext;
use crate::core::schedule::Millis;
use crate::store::{Store, StoreError};
use messages::Lang;

pub use config::{Config, ConfigError};
pub use error::{Error, Mistake};

/// State shared by every handler.
pub struct Data {
    pub library: Library,
    pub store: Store,
    /// The grader's knowledge of each deck, built once at start.
    pub contexts: HashMap<DeckId, DeckContext>,
    /// The running group quizzes, one per channel.
    pub quizzes: quiz_driver::Quizzes,
    /// Each server's uploaded decks merged with the bundled ones.
    pub server_decks: server_decks::ServerDecks,
}

pub type Context<'a> = poise::Context<'a, Data, Error>;

/// Why the bot could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the decks have {} problem(s):\n{}", .0.len(), show_problems(.0))]
    Decks(Vec<Problem>),
    #[error("cannot open the database")]
    Store(#[from] StoreError),
    #[error("discord client failed")]
    Discord(#[from] serenity::Error),
    #[error("the bot task failed: {0}")]
    Task(String),
}

fn show_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The gateway intents the bot asks for: guilds, guild and direct messages,
/// and the privileged MESSAGE_CONTENT only when enabled. Everything works
/// without it through slash commands, buttons and modals.
pub fn intents(message_content: bool) -> serenity::GatewayIntents {
    let mut intents = serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::DIRECT_MESSAGES;
    if message_content {
        intents |= serenity::GatewayIntents::MESSAGE_CONTENT;
    }
    intents
}

/// A Discord id stored as text (a user, a server, a channel); `None` when
/// the text is not one (unreadable, or 0).
pub fn parse_id<T: From<std::num::NonZeroU64>>(text: &str) -> Option<T> {
    text.parse::<std::num::NonZeroU64>().ok().map(T::from)
}

/// Allowed mentions that cannot ping anyone: no @everyone, @here, roles,
/// users or replied user. Put on every message the bot sends.
pub fn no_pings() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .replied_user(false)
}

/// A running bot: stop it, or wait until it ends.
pub struct Bot {
    shard_manager: Arc<serenity::ShardManager>,
    task: tokio::task::JoinHandle<Result<(), serenity::Error>>,
    /// Shared with the handlers, for [`Bot::shutdown`].
    quizzes: quiz_driver::Quizzes,
    store: Store,
}

impl Bot {
    /// Closes the gateway connection and waits for the client to end.
    pub async fn stop(self) {
        self.shard_manager.shutdown_all().await;
        let _ = self.task.await;
    }

    /// Graceful stop (SIGTERM, Ctrl-C): the running quizzes stop taking
    /// answers, commit what is in flight and post their standings with a
    /// restart notice; then the gateway closes and the database pool is
    /// closed (SQLite checkpoints its WAL). Bounded to about 4.5 s.
    pub async fn shutdown(self) {
        use std::time::Duration;
        use tokio::time::timeout;
        if timeout(Duration::from_millis(3000), self.quizzes.shutdown_all())
            .await
            .is_err()
        {
            tracing::warn!("some quizzes did not stop in time");
        }
        if timeout(
            Duration::from_millis(1000),
            self.shard_manager.shutdown_all(),
        )
        .await
        .is_err()
        {
            tracing::warn!("the gateway did not close in time");
        }
        let _ = timeout(Duration::from_millis(200), self.task).await;
        tracing::info!("gateway closed");
        if timeout(Duration::from_millis(300), self.store.close())
            .await
            .is_err()
        {
            tracing::warn!("the database did not close in time");
        }
    }

    /// Runs until the connection ends for good, or until `signal`
    /// completes, then shuts down gracefully.
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> Result<(), StartError> {
        tokio::select! {
            result = &mut self.task => match result {
                Ok(result) => Ok(result?),
                Err(e) => Err(StartError::Task(e.to_string())),
            },
            () = signal => {
                tracing::info!("shutting down");
                self.shutdown().await;
                Ok(())
            }
        }
    }

    /// Runs until the connection ends for good.
    pub async fn wait(self) -> Result<(), StartError> {
        match self.task.await {
            Ok(result) => Ok(result?),
            Err(e) => Err(StartError::Task(e.to_string())),
        }
    }
}

/// Loads the decks, connects to Discord (or to `config.api_base`) and starts
/// handling events on a background task.
pub async fn start(config: Config) -> Result<Bot, StartError> {
    let library = crate::deck_files::load_dir(&config.decks_dir).map_err(StartError::Decks)?;
    tracing::info!(
        decks = library.decks().len(),
        cards = library.n_cards(),
        "decks loaded"
    );
    let store = Store::connect(&config.database_url).await?;
    // The grader's tables, parsed before the first answer rather than in
    // it (the answers arriving meanwhile would wait for them too).
    if let Err(e) = tokio::task::spawn_blocking(crate::core::grade::warm_up).await {
        tracing::warn!(error = %e, "could not load the grader's tables at start");
    }
    let contexts = library
        .decks()
        .iter()
        .map(|d| (d.id.clone(), DeckContext::new(&d.cards)))
        .collect();
    let server_decks = server_decks::ServerDecks::new(&library, &contexts);
    let data = Data {
        library,
        store,
        contexts,
        server_decks,
        quizzes: quiz_driver::Quizzes::new(config.quiz_timing.clone()),
    };
    // For `Bot::shutdown`: clones share the running quizzes and the pool.
    let (quizzes, store) = (data.quizzes.clone(), data.store.clone());

    let options = poise::FrameworkOptions {
        commands: commands::all(),
        on_error: |error| Box::pin(on_error(error)),
        event_handler: |framework, event| Box::pin(event_handler(framework, event)),
        pre_command: |ctx| Box::pin(commands::leaderboard::remember_member(ctx)),
        post_command: |ctx| Box::pin(commands::appeals::after_command(ctx)),
        allowed_mentions: Some(no_pings()),
        initialize_owners: false,
        ..Default::default()
    };
    let daily_loop_on = config.daily_loop;
    let registration = config.registration;
    let own_shards = config.shards;
    let framework = poise::Framework::builder()
        .options(options)
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                tracing::info!(user = %ready.user.name, "connected to discord");
                let commands = &framework.options().commands;
                register_commands(ctx, &data.store, commands, registration).await;
                // Only this process's quizzes: another process may be running
                // the quizzes of servers on its own shards right now.
                let mine = |guild: Option<u64>| own_shards.is_none_or(|s| s.holds(guild));
                quiz_driver::recover(&ctx.http, &data.store, mine).await;
                // Fits students' memory parameters in the background; the
                // database decides which process fits whom.
                tokio::spawn(crate::fit_job::run(data.store.clone()));
                if daily_loop_on {
                    let (http, cache, store, library) = (
                        ctx.http.clone(),
                        ctx.cache.clone(),
                        data.store.clone(),
                        data.library.clone(),
                    );
                    let mine = move |guild: u64| own_shards.is_none_or(|s| s.holds(Some(guild)));
                    tokio::spawn(daily_loop::run(http, cache, store, library, mine));
                }
                Ok(data)
            })
        })
        .build();

    let mut http = serenity::HttpBuilder::new(config.token()).default_allowed_mentions(no_pings());
    if let Some(base) = &config.api_base {
        // The proxy is ignored while serenity's rate limiter is on.
        http = http.proxy(base.clone()).ratelimiter_disabled(true);
    }
    let mut client =
        serenity::ClientBuilder::new_with_http(http.build(), intents(config.message_content))
            .framework(framework)
            .await?;
    let shard_manager = client.shard_manager.clone();
    let shards = config.shards;
    let task = tokio::spawn(async move {
        match shards {
            // serenity 0.12 starts `range.start..=range.end`: the end is inclusive.
            Some(s) => {
                client
                    .start_shard_range(s.first()..s.last(), s.total())
                    .await
            }
            None => client.start().await,
        }
    });
    Ok(Bot {
        shard_manager,
        task,
        quizzes,
        store,
    })
}

/// Registers the slash commands as `registration` says; a failure is
/// logged (the bot still answers the commands Discord already knows).
async fn register_commands(
    ctx: &serenity::Context,
    store: &Store,
    commands: &[poise::Command<Data, Error>],
    registration: config::Registration,
) {
    use config::Registration;
    let definitions = poise::builtins::create_application_commands(commands);
    let result = match registration {
        Registration::Guild(id) => {
            tracing::info!(guild = id, "registering the commands on one server");
            serenity::GuildId::new(id)
                .set_commands(ctx, definitions)
                .await
                .map(|_| ())
        }
        Registration::Always => serenity::Command::set_global_commands(ctx, definitions)
            .await
            .map(|_| ()),
        Registration::IfChanged => {
            let fingerprint = fingerprint(&definitions);
            match store
                .claim_command_registration(GLOBAL, &fingerprint, now_ms())
                .await
            {
                Ok(false) => {
                    tracing::info!("slash commands unchanged since their last registration");
                    Ok(())
                }
                claimed => {
                    if let Err(e) = &claimed {
                        tracing::warn!(error = %error_chain(e), "registration fingerprint unknown: registering");
                    }
                    let result = serenity::Command::set_global_commands(ctx, definitions)
                        .await
                        .map(|_| ());
                    if result.is_err()
                        && claimed.is_ok()
                        && let Err(e) = store.forget_command_registration(GLOBAL).await
                    {
                        tracing::warn!(error = %error_chain(&e), "could not forget the failed registration");
                    }
                    result
                }
            }
        }
    };
    if let Err(e) = result {
        tracing::error!(error = %error_chain(&e), "could not register the slash commands");
    }
}

/// The scope of the global commands in `command_registrations`.
const GLOBAL: &str = "global";

/// A fingerprint of command definitions: FNV-1a (64 bits) of their JSON
/// with object keys sorted, the same in every process and version of Rust.
pub fn fingerprint(definitions: &[serenity::CreateCommand]) -> String {
    fn canonical(value: &serde_json::Value, out: &mut String) {
        match value {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for key in keys {
                    out.push_str(&serde_json::Value::String(key.clone()).to_string());
                    out.push(':');
                    canonical(&map[key], out);
                    out.push(',');
                }
                out.push('}');
            }
            serde_json::Value::Array(items) => {
                out.push('[');
                for item in items {
                    canonical(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let value = serde_json::to_value(definitions).unwrap_or_default();
    let mut text = String::new();
    canonical(&value, &mut text);
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Routes what poise does not handle itself: button presses and modal
/// submissions. Errors are answered here, since poise's `on_error` has no
/// interaction to reply to for events.
async fn event_handler(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let ctx = framework.serenity_context;
    let data = framework.user_data;
    if let serenity::FullEvent::Message { new_message } = event {
        commands::quiz::on_message(&ctx.http, data, new_message);
        return Ok(());
    }
    if let serenity::FullEvent::InteractionCreate { interaction } = event {
        let (id, token, locale, user) = match interaction {
            serenity::Interaction::Component(i) => (i.id, &i.token, &i.locale, i.user.id),
            serenity::Interaction::Modal(i) => (i.id, &i.token, &i.locale, i.user.id),
            _ => return Ok(()),
        };
        let lang = reply_lang(data, user, Lang::from_locale(locale)).await;
        let now = now_ms();
        let result = match interaction {
            serenity::Interaction::Component(i) => {
                commands::on_component(commands::Received::new(ctx, data, lang, now, i)).await
            }
            serenity::Interaction::Modal(i) => {
                commands::on_modal(commands::Received::new(ctx, data, lang, now, i)).await
            }
            _ => Ok(()),
        };
        if let Err(error) = result {
            let text = user_text(&error, lang);
            let reply = serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .content(text)
                    .ephemeral(true)
                    .allowed_mentions(no_pings()),
            );
            if let Err(e) = ctx
                .http
                .create_interaction_response(id, token, &reply, vec![])
                .await
            {
                tracing::warn!(error = %error_chain(&e), "could not report an error to the user");
            }
        }
    }
    Ok(())
}

/// What the user is told about `error`; internal failures are logged here.
fn user_text(error: &Error, lang: Lang) -> String {
    match error {
        Error::Mistake(mistake) => mistake.text(lang),
        Error::Store(e) if e.is_unavailable() => {
            tracing::warn!(error = %error_chain(e), "database unavailable");
            messages::database_busy(lang).to_string()
        }
        internal => {
            tracing::error!(error = %error_chain(internal), "internal error");
            messages::internal_error(lang).to_string()
        }
    }
}

/// The current time; the shell is the only place that reads the clock.
pub fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// An error and its sources on one line.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        out.push_str(": ");
        out.push_str(&e.to_string());
        source = e.source();
    }
    out
}

/// The language of the caller's Discord client (its locale).
pub(crate) fn client_lang(ctx: Context<'_>) -> Lang {
    Lang::from_locale(ctx.locale().unwrap_or("en-US"))
}

/// The language to answer the caller in: the one they chose in
/// `/settings`, else their client's.
pub(crate) async fn context_lang(ctx: Context<'_>) -> Lang {
    reply_lang(ctx.data(), ctx.author().id, client_lang(ctx)).await
}

/// The language to answer `user` in: their `/settings` choice, else
/// `client` (their locale's). The client's when the database cannot say.
pub(crate) async fn reply_lang(data: &Data, user: serenity::UserId, client: Lang) -> Lang {
    match data.store.settings(&user.to_string()).await {
        Ok(settings) => settings.reply_lang(client),
        Err(e) => {
            tracing::warn!(error = %error_chain(&e), "reply language unknown: the client's used");
            client
        }
    }
}

async fn say_private(ctx: Context<'_>, text: String) {
    if let Err(e) = commands::private(ctx, text).await {
        tracing::warn!(error = %error_chain(&e), "could not send an error reply");
    }
}

/// The one error handler: user mistakes become a friendly private reply in
/// the user's language, internal failures a log line plus a generic reply.
async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            let text = user_text(&error, context_lang(ctx).await);
            say_private(ctx, text).await;
        }
        poise::FrameworkError::ArgumentParse { ctx, error, .. } => {
            tracing::info!(error = %error, command = %ctx.command().name, "bad arguments");
            say_private(
                ctx,
                messages::bad_arguments(context_lang(ctx).await).to_string(),
            )
            .await;
        }
        // An option of the wrong type or an unknown choice: Discord's client
        // never sends one, a forged or stale request can.
        poise::FrameworkError::CommandStructureMismatch {
            description, ctx, ..
        } => {
            tracing::info!(description, command = %ctx.command().name, "malformed options");
            say_private(
                poise::Context::Application(ctx),
                messages::bad_arguments(Lang::from_locale(&ctx.interaction.locale)).to_string(),
            )
            .await;
        }
        poise::FrameworkError::Setup { error, .. } => {
            tracing::error!(error = %error_chain(&error), "bot setup failed");
        }
        poise::FrameworkError::EventHandler { error, .. } => {
            tracing::error!(error = %error_chain(&error), "event handler failed");
        }
        other => {
            tracing::error!(error = %other, "framework error");
            if let Some(ctx) = other.ctx() {
                say_private(
                    ctx,
                    messages::internal_error(context_lang(ctx).await).to_string(),
                )
                .await;
            }
        }
    }
}
