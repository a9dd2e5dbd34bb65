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
        }
    }

    /// Reads `DISCORD_TOKEN` (required), `DATABASE_URL`, `DISCORD_API_BASE`,
    /// `RAPPEL_MESSAGE_CONTENT`, `RAPPEL_DECKS` and `RAPPEL_QUIZ_TIMING` (tests)
    /// from the process environment.
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
