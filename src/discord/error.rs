//! The bot's error type: a user mistake (told to the user, politely, in
//! their language) or an internal failure (logged; the user only gets a
//! generic apology, never the details).

use poise::serenity_prelude as serenity;

use super::messages::{self, Lang};

/// Something the user can fix or should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mistake {
    /// A deck id that is not loaded.
    UnknownDeck { given: String, known: Vec<String> },
    /// A button from a session the bot can no longer continue (unknown id
    /// format, card removed from its deck, or too old).
    SessionExpired,
    /// A button for a card that has been answered since it was asked.
    AlreadyAnswered,
    /// A command reserved to members with the Manage Server permission.
    NeedsManageServer,
    /// A server command used in direct messages.
    OnlyInServer,
    /// `/leaderboard show season:<n>` for a season that has not started.
    UnknownSeason { given: i64, current: i64 },
    /// A command option outside the accepted range (Discord's `min`/`max`
    /// are hints to its client; the bot checks again). Names are the
    /// English command and option names of `messages::COMMANDS`.
    OutOfRange {
        command: &'static str,
        option: &'static str,
        given: String,
        min: String,
        max: String,
    },
}

impl Mistake {
    /// The text shown to the user.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::UnknownDeck { given, known } => {
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                messages::unknown_deck(lang, given, &known)
            }
            Self::SessionExpired => messages::session_expired(lang).to_string(),
            Self::AlreadyAnswered => messages::already_answered(lang).to_string(),
            Self::NeedsManageServer => messages::needs_manage_server(lang).to_string(),
            Self::OnlyInServer => messages::only_in_server(lang).to_string(),
            Self::UnknownSeason { given, current } => {
                messages::unknown_season(lang, *given, *current)
            }
            Self::OutOfRange {
                command,
                option,
                given,
                min,
                max,
            } => messages::out_of_range(lang, command, option, given, min, max),
        }
    }
}

/// Every error a command or an interaction handler can return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("user mistake: {0:?}")]
    Mistake(Mistake),
    /// Boxed: serenity's error is large and most results are `Ok`.
    #[error("discord request failed")]
    Discord(#[source] Box<serenity::Error>),
    #[error("storage failed")]
    Store(#[from] crate::store::StoreError),
}

impl From<serenity::Error> for Error {
    fn from(e: serenity::Error) -> Self {
        Self::Discord(Box::new(e))
    }
}

impl From<Mistake> for Error {
    fn from(m: Mistake) -> Self {
        Self::Mistake(m)
    }
}
