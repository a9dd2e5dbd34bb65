//! The bot's error type: a user mistake (told to the user, politely, in
//! their language) or an internal failure (logged; the user only gets a
//! generic apology, never the details).

use poise::serenity_prelude as serenity;

use super::messages::{self, Lang};
use crate::core::import::ImportLimits;

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
    /// `/daily set time:` that is not `HH:MM`.
    BadDailyTime { given: String },
    /// A time zone that is not an IANA name.
    BadTimeZone { given: String },
    /// `/exam set date:` that is neither `YYYY-MM-DD` nor `DD/MM/YYYY`.
    BadExamDate { given: String },
    /// The daily post of that day is closed (or gone).
    DailyClosed,
    /// The member already answered that day's question.
    DailyAlreadyAnswered,
    /// `/quiz start mode:` that is neither term nor mixed.
    QuizBadMode { given: String },
    /// A quiz already runs in this channel.
    QuizAlreadyRunning,
    /// The deck has no card the quiz mode can ask.
    QuizNoQuestions { deck: String },
    /// No quiz runs in this channel.
    QuizNoneRunning,
    /// `/quiz stop` by someone who neither started the quiz nor manages the server.
    QuizStopRefused,
    /// `/decks upload id:` that is not a valid deck id.
    UploadBadId { given: String },
    /// A deck id longer than the store keeps for this server.
    UploadIdTooLong { max: usize },
    /// An uploaded deck with the id of a bundled deck.
    UploadBundledClash { id: String },
    /// An empty or too long deck title.
    UploadBadTitle { max: usize },
    /// A file over the import limit (`size` in bytes).
    UploadTooBig { size: u64, max: usize },
    /// The attachment could not be downloaded in time.
    UploadDownloadFailed,
    /// The file is not a deck rappel can import: the first problems, and
    /// how many more.
    UploadRefused {
        limits: ImportLimits,
        problems: Vec<String>,
        n_more: usize,
    },
    /// `/decks remove` of a bundled deck.
    RemoveBundled { id: String },
    /// `/decks remove` of a deck this server does not have.
    RemoveUnknown { id: String },
    /// A `/forget-me` button pressed by someone other than its user.
    ForgetNotYours,
    /// « J'avais raison » pressed on someone else's answer.
    AppealNotYours,
    /// « J'avais raison » on an answer that was accepted, or none.
    AppealNothing,
    /// The answer was appealed already (one appeal per review).
    AppealAlready,
    /// A moderator's button on an appeal decided since (or of another server).
    AppealGone,
    /// Reviewing appeals needs Manage Server or the server's appeals role.
    NeedsAppealReviewer,
    /// The bot lacks permissions in the channel a quiz or a daily
    /// question would use (View Channel alone: it cannot see it).
    BotMissing {
        channel: serenity::ChannelId,
        missing: serenity::Permissions,
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
            Self::BadDailyTime { given } => messages::bad_daily_time(lang, given),
            Self::BadTimeZone { given } => messages::bad_time_zone(lang, given),
            Self::BadExamDate { given } => messages::bad_exam_date(lang, given),
            Self::DailyClosed => messages::daily_closed(lang).to_string(),
            Self::DailyAlreadyAnswered => messages::daily_already_answered(lang).to_string(),
            Self::QuizBadMode { given } => messages::quiz_bad_mode(lang, given),
            Self::QuizAlreadyRunning => messages::quiz_already_running(lang).to_string(),
            Self::QuizNoQuestions { deck } => messages::quiz_no_questions(lang, deck),
            Self::QuizNoneRunning => messages::quiz_none_running(lang).to_string(),
            Self::QuizStopRefused => messages::quiz_stop_refused(lang).to_string(),
            // Not a valid id: shown back clipped and escaped, like any user text.
            Self::UploadBadId { given } => {
                messages::upload_bad_id(lang, &messages::echo(given, 80))
            }
            Self::UploadIdTooLong { max } => messages::upload_id_too_long(lang, *max),
            Self::UploadBundledClash { id } => messages::upload_bundled_clash(lang, id),
            Self::UploadBadTitle { max } => messages::upload_bad_title(lang, *max),
            Self::UploadTooBig { size, max } => messages::upload_too_big(lang, *size, *max),
            Self::UploadDownloadFailed => messages::upload_download_failed(lang).to_string(),
            Self::UploadRefused {
                limits,
                problems,
                n_more,
            } => messages::upload_refused(lang, limits, problems, *n_more),
            Self::ForgetNotYours => messages::forget_not_yours(lang).to_string(),
            Self::AppealNotYours => messages::appeal_not_yours(lang).to_string(),
            Self::AppealNothing => messages::appeal_nothing(lang).to_string(),
            Self::AppealAlready => messages::appeal_already(lang).to_string(),
            Self::AppealGone => messages::appeal_gone(lang).to_string(),
            Self::NeedsAppealReviewer => messages::appeal_needs_reviewer(lang).to_string(),
            Self::BotMissing { channel, missing } => {
                messages::bot_missing(lang, channel.get(), *missing)
            }
            Self::RemoveBundled { id } => messages::remove_bundled(lang, id),
            Self::RemoveUnknown { id } => messages::remove_unknown(lang, &messages::echo(id, 80)),
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
