//! The bot's settings, read from the environment.
//!
//! The token is a secret: it is kept in a private field, never printed, and
//! `Config`'s `Debug` shows it as redacted so a stray `{:?}` cannot leak it.

use std::fmt;
use std::path::PathBuf;

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "DISCORD_TOKEN is not set: create a bot in the Discord developer portal and export its token as DISCORD_TOKEN"
    )]
    MissingToken,
    #[error("RAPPEL_MESSAGE_CONTENT must be on/off, true/false, yes/no or 1/0, found {0:?}")]
    BadFlag(String),
    #[error(
        "RAPPEL_QUIZ_TIMING must look like answer=3000,grace=500,pause=1000 (milliseconds), found {0:?}"
    )]
    BadQuizTiming(String),
    #[error("{0}")]
    BadShards(String),
}

/// The shards this process runs: `first..=last` out of `total` (Discord
/// sends a server's events to shard `(server_id >> 22) % total`, direct
/// messages to shard 0). Built by [`Shards::parse`], so it is never empty
/// nor outside the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    first: u32,
    last: u32,
    total: u32,
}

impl Shards {
    /// Reads `--shards` (`FIRST-LAST`, inclusive, or one shard `N`) and
    /// `--total-shards`. Neither: `None` (one connection, as serenity's
    /// `start`). Only a total: all its shards. A range needs its total.
    pub fn parse(range: Option<&str>, total: Option<&str>) -> Result<Option<Self>, ConfigError> {
        let bad = |text: String| Err(ConfigError::BadShards(text));
        let total = match total.map(str::trim) {
            None => None,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    return bad(format!(
                        "--total-shards (RAPPEL_TOTAL_SHARDS) must be a whole number of at least 1, found {text:?}"
                    ));
                }
            },
        };
        let Some(range) = range.map(str::trim) else {
            return Ok(total.map(|total| Self {
                first: 0,
                last: total - 1,
                total,
            }));
        };
        let Some(total) = total else {
            return bad(format!(
                "--shards {range} needs --total-shards (RAPPEL_TOTAL_SHARDS): the number of shards of all processes together"
            ));
        };
        let number = |text: &str| text.trim().parse::<u32>().ok();
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (number(a), number(b)),
            None => (number(range), number(range)),
        };
        let (Some(first), Some(last)) = (first, last) else {
            return bad(format!(
                "--shards (RAPPEL_SHARDS) must be FIRST-LAST (inclusive, e.g. 0-3) or one shard number, found {range:?}"
            ));
        };
        if first > last {
            return bad(format!(
                "--shards {first}-{last} is reversed: the first shard must not come after the last"
            ));
        }
        if last >= total {
            return bad(format!(
                "--shards {first}-{last} does not fit in --total-shards {total}: shards are numbered 0 to {}",
                total - 1
            ));
        }
        Ok(Some(Self { first, last, total }))
    }

    /// The first shard this process runs.
    pub fn first(&self) -> u32 {
        self.first
    }

    /// The last shard this process runs (included).
    pub fn last(&self) -> u32 {
        self.last
    }

    /// The number of shards of all processes together.
    pub fn total(&self) -> u32 {
        self.total
    }

    /// Whether this process gets the events of server `guild` (`None`: a
    /// direct message, which Discord sends to shard 0).
    pub fn holds(&self, guild: Option<u64>) -> bool {
        let shard = guild.map_or(0, |id| ((id >> 22) % u64::from(self.total)) as u32);
        (self.first..=self.last).contains(&shard)
    }
}

/// How the slash commands are registered with Discord when a process starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Registration {
    /// Globally, only when their definitions changed since the last
    /// registration (a fingerprint kept in the database): restarting many
    /// shard processes spends none of Discord's registration limit.
    #[default]
    IfChanged,
    /// Globally at every start (`RAPPEL_REGISTER=always`).
    Always,
    /// On one server only, at every start: instant, for trying a change
    /// (`rappel bot --guild ID`, `RAPPEL_GUILD`).
    Guild(u64),
}

/// Everything `rappel bot` needs to start.
#[derive(Clone)]
pub struct Config {
    token: String,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Send REST calls to `{api_base}/api/v10/…` instead of discord.com (tests).
    pub api_base: Option<String>,
    /// Ask for the privileged MESSAGE_CONTENT intent.
    pub message_content: bool,
    /// Directory of the `*.toml` decks.
    pub decks_dir: PathBuf,
    /// Quiz timing; tests shorten it (see `QuizTiming`).
    pub quiz_timing: super::quiz_driver::QuizTiming,
    /// Run the daily-question poster (tests drive its step by hand).
    pub daily_loop: bool,
    /// Which shards to run; `None`: one connection (shard 0 of 1).
    pub shards: Option<Shards>,
    /// When and where the slash commands are registered.
    pub registration: Registration,
}

impl Config {
    pub fn new(token: impl Into<String>, database_url: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            database_url: database_url.into(),
            api_base: None,
            message_content: true,
            decks_dir: PathBuf::from("decks"),
            quiz_timing: Default::default(),
            daily_loop: true,
            shards: None,
            registration: Registration::default(),
        }
    }

    /// Reads `DISCORD_TOKEN` (required), `DATABASE_URL`, `DISCORD_API_BASE`,
    /// `RAPPEL_MESSAGE_CONTENT`, `RAPPEL_DECKS`, `RAPPEL_SHARDS`,
    /// `RAPPEL_TOTAL_SHARDS`, `RAPPEL_REGISTER` (`changed` or `always`),
    /// `RAPPEL_GUILD` and `RAPPEL_QUIZ_TIMING` (tests) from the process
    /// environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Same as [`Config::from_env`] with the variables given by `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let set = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let token = set("DISCORD_TOKEN").ok_or(ConfigError::MissingToken)?;
        let mut config = Self::new(
            token.trim(),
            set("DATABASE_URL").unwrap_or_else(|| "sqlite://rappel.db".to_string()),
        );
        config.api_base = set("DISCORD_API_BASE");
        if let Some(flag) = set("RAPPEL_MESSAGE_CONTENT") {
            config.message_content = match flag.trim().to_ascii_lowercase().as_str() {
                "1" | "on" | "true" | "yes" => true,
                "0" | "off" | "false" | "no" => false,
                _ => return Err(ConfigError::BadFlag(flag)),
            };
        }
        if let Some(dir) = set("RAPPEL_DECKS") {
            config.decks_dir = PathBuf::from(dir);
        }
        if let Some(raw) = set("RAPPEL_QUIZ_TIMING") {
            config.quiz_timing = super::quiz_driver::QuizTiming::parse(&raw)
                .ok_or(ConfigError::BadQuizTiming(raw))?;
        }
        if let Some(raw) = set("RAPPEL_REGISTER") {
            config.registration = match raw.trim().to_ascii_lowercase().as_str() {
                "changed" => Registration::IfChanged,
                "always" => Registration::Always,
                _ => return Err(ConfigError::BadFlag(raw)),
            };
        }
        if let Some(raw) = set("RAPPEL_GUILD") {
            let id = raw.trim().parse::<u64>().ok().filter(|&id| id != 0);
            config.registration = Registration::Guild(id.ok_or(ConfigError::BadFlag(raw))?);
        }
        config.shards = Shards::parse(
            set("RAPPEL_SHARDS").as_deref(),
            set("RAPPEL_TOTAL_SHARDS").as_deref(),
        )?;
        Ok(config)
    }

    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("token", &"<redacted>")
            .field("database_url", &redact_password(&self.database_url))
            .field("api_base", &self.api_base)
            .field("message_content", &self.message_content)
            .field("decks_dir", &self.decks_dir)
            .field("daily_loop", &self.daily_loop)
            .field("shards", &self.shards)
            .field("registration", &self.registration)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}
