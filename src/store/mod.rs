//! The database: users and their settings, one FSRS card state per (user,
//! deck, card, direction), and an append-only review log. The terminal and
//! the bot go through this one API.
//!
//! Two backends behind one enum: SQLite (the default, one file, WAL) and
//! PostgreSQL (for several bot processes sharing one database). The SQL is
//! written once, portable (`$N` parameters, integer milliseconds for time,
//! every integer column BIGINT/INTEGER decoded as `i64`, every real as
//! `f64`), and [`with_pool!`] expands each query body for both pool types,
//! so no query exists in two versions. We use typed pools rather than
//! sqlx's `Any` driver to keep each backend's connect options (WAL,
//! busy_timeout, foreign keys, search_path) and to skip `Any`'s conversions.
//!
//! Migrations for both backends are embedded and applied by [`Store::connect`].
//! Returns core types (`CardState`, `Rating`, `Verdict`, deck and card ids).

pub mod retry;
mod row;

use std::str::FromStr;
use std::time::Duration;

use chrono_tz::Tz;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::core::deck::DeckId;
use crate::core::lang::Lang;
use crate::core::review::{CardKey, Direction};
use crate::core::schedule::{self, CardState, Millis};

use row::{StateRow, UserRow};

/// The database used when neither `--db` nor `DATABASE_URL` is given.
pub const DEFAULT_URL: &str = "sqlite://rappel.db";

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database url {0:?} (expected sqlite://FILE or postgres://...)")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A value in the database that rappel never writes (hand-edited row?).
    #[error("invalid value in the database: {0}")]
    Corrupt(String),
    #[error("unknown time zone {0:?} (expected an IANA name such as America/Montreal)")]
    UnknownTimeZone(String),
    /// A concurrent transaction stored the same answer first; retried by
    /// [`retry::retry`], whose next attempt finds it.
    #[error("a concurrent write stored the same answer")]
    Conflict,
    #[error("desired retention must be between 0.7 and 0.99, got {0}")]
    BadRetention(f32),
    /// A `/settings` value outside what `core::settings` accepts.
    #[error("{0}")]
    BadSetting(#[from] crate::core::settings::SettingError),
    /// Busy or unreachable through every attempt of [`retry::WRITES`];
    /// nothing was written.
    #[error("the database stayed busy or unreachable after {attempts} attempts")]
    Unavailable {
        attempts: u32,
        #[source]
        source: sqlx::Error,
    },
}

impl StoreError {
    /// A passing failure: worth telling the user to try again.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable { .. })
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A student and their settings: the zone, retention and language they
/// chose in `/settings` ([`Store::settings`]) or else the ones stored when
/// they were created.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Discord user id, or a local name in the terminal.
    pub id: String,
    pub time_zone: Tz,
    pub desired_retention: f32,
    pub language: Lang,
    pub created_at: Millis,
    /// The FSRS parameters in use: fitted to this student's log when they
    /// did better than the defaults on held-out reviews (`fit.rs`).
    pub parameters: schedule::Parameters,
}

impl User {
    /// The scheduler settings of this student.
    pub fn scheduler_config(&self) -> schedule::SchedulerConfig {
        schedule::SchedulerConfig {
            desired_retention: self.desired_retention,
            time_zone: self.time_zone,
            parameters: self.parameters,
            ..Default::default()
        }
    }
}

/// Settings given to a user created on first contact.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub time_zone: Tz,
    pub desired_retention: f32,
    pub language: Lang,
}

impl Default for NewUser {
    fn default() -> Self {
        Self {
            time_zone: schedule::SchedulerConfig::default().time_zone,
            desired_retention: 0.9,
            language: Lang::Fr,
        }
    }
}

/// A connection pool to one of the two supported databases. On SQLite,
/// also the one connection that runs the answer transactions, in groups
/// ([`SqliteWriter`]).
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqlitePool, SqliteWriter),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the backend's typed pool. The body is
/// expanded once per backend, so it must only use what both offer (plain
/// queries, `FromRow` structs, transactions).
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool, _) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

/// One statement on the pool, its values bound in order:
/// `fetch!(self, fetch_optional, query_as(sql), user, key)` runs
/// `sqlx::query_as(sql).bind(user).bind(key).fetch_optional(pool)` on
/// whichever backend the store has (`?` on its error).
macro_rules! fetch {
    ($store:expr, $fetch:ident, $query:ident($sql:expr) $(, $value:expr)* $(,)?) => {
        with_pool!($store, pool => bind!(sqlx::$query($sql) $(, $value)*).$fetch(pool).await?)
    };
}

/// `$query` with each value bound in order: `bind!(sqlx::query(sql), a, b)`
/// is `sqlx::query(sql).bind(a).bind(b)`.
macro_rules! bind {
    ($query:expr $(, $value:expr)* $(,)?) => {
        $query$(.bind($value))*
    };
}

/// Like [`with_pool!`] for an answer's transaction: `$conn` is the
/// [`SqliteWriter`] connection on SQLite (held for the whole body, so the
/// body must not wait on another `with_writer!`), the pool on PostgreSQL.
/// Either way `$conn.begin_with(…)` begins the transaction.
macro_rules! with_writer {
    ($store:expr, $conn:ident => $body:expr) => {
        match $store {
            Store::Sqlite(_, writer) => {
                use sqlx::Connection as _;
                let mut guard = writer.lock().await;
                let $conn = guard.as_mut().ok_or(sqlx::Error::PoolClosed)?;
                $body
            }
            Store::Postgres($conn) => $body,
        }
    };
}

// The SQL shared by the write paths, as macros (after `with_pool!` and
// `with_writer!`, which they use; before the modules that use them).
#[macro_use]
mod sql;
// Group commit of answers on the SQLite writer (after `sql`, whose macros
// it uses).
mod group;
pub use group::SqliteWriter;
mod checkpoint;

// After `with_pool!`, which it uses.
mod leaderboard;
pub use leaderboard::{Activity, SeasonReset, Who};
mod quiz;
pub use quiz::{NewQuiz, QuizAnswer, QuizAward, QuizTotal, StoredQuiz};
// The daily question and the exam date (after `with_pool!`, which it uses).
mod daily;
pub use daily::{DailyChannel, DailyPost, Exam};
mod daily_failure;
pub use daily_failure::{DailyFailure, PostFailure};
// /forget-me: erasing a user (after `with_pool!`, which it uses).
mod forget;
pub use forget::{FORGOTTEN, Forgotten};

// Recording answers once (after the macros above, which it uses).
mod answer;
pub use answer::Recorded;
// Appeals of a grade and the answers servers accepted (after `answer`).
mod appeal;
mod appeal_decision;
pub use appeal::{AcceptedAnswer, Appeal, AppealStatus, GradedReview, NewAppeal};
pub use appeal_decision::{AcceptedAppeal, Decision};
// The stored answers `rappel grade --replay` grades again.
mod replay;
pub use replay::{AnswerServers, TypedAnswer};

// What students chose in /settings (after `with_pool!`, which it uses).
mod settings;
// Per-student FSRS parameters and the exam forecasts kept (issue 17).
mod fit;
pub use fit::{FitCandidate, FitLog, StoredFit};
mod forecast;
pub use forecast::{NewForecast, StoredForecast};
// The slash commands last registered.
mod registration;

// Per-server decks and the review log export.
mod server_decks;
// A student's figures (after `with_pool!`, which it uses).
mod stats;
pub use server_decks::{
    DecksStamp, LoggedReview, NewServerDeck, REVIEW_COLUMNS, ServerDeck, Uploaded,
    max_server_deck_id_len, reviews_csv, server_deck_key, shown_deck_id,
};
use stats::streak;
pub use stats::{DeckProgress, Stats};

const SQL_INSERT_USER: &str = "INSERT INTO users (id, time_zone, desired_retention, language, created_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING";
/// A user with what they chose in `/settings` and their fitted FSRS
/// parameters, if in use (see [`row::UserRow`]).
const SQL_SELECT_USER: &str = "SELECT u.id, u.time_zone, u.desired_retention, u.language, \
     u.created_at, s.time_zone AS chosen_time_zone, s.desired_retention AS chosen_retention, \
     s.language AS chosen_language, p.parameters AS fitted_parameters \
     FROM users u LEFT JOIN user_settings s ON s.user_id = u.id \
     LEFT JOIN user_parameters p ON p.user_id = u.id WHERE u.id = $1";
/// `INSERT INTO reviews (<every column but id>) VALUES`, before one
/// row of values or several (`batch`).
macro_rules! insert_review_head {
    () => {
        "INSERT INTO reviews \
         (user_id, deck_id, card_id, direction, reviewed_at, day, rating, verdict, score, answer_ms, \
          rules_version, phase, stability, difficulty, due, interval_days, reps, origin, answer_key, amends, \
          typed) VALUES "
    };
}
/// After a review's values: nothing when the user's answer key is stored.
macro_rules! insert_review_tail {
    () => {
        " ON CONFLICT (user_id, answer_key) DO NOTHING"
    };
}
/// A review's log row (`$1`–`$21`); nothing when the user's answer key is
/// stored already.
macro_rules! insert_review_sql {
    () => {
        concat!(
            insert_review_head!(),
            "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
             $20, $21)",
            insert_review_tail!()
        )
    };
}
/// `INSERT INTO card_states (<every column>)`, before the values.
macro_rules! upsert_state_head {
    () => {
        "INSERT INTO card_states \
         (user_id, deck_id, card_id, direction, phase, step, stability, difficulty, due, last_review, reps, lapses) "
    };
}
/// After a state's values: the stored state of that card replaced.
macro_rules! upsert_state_tail {
    () => {
        " ON CONFLICT (user_id, deck_id, card_id, direction) DO UPDATE SET \
         phase = excluded.phase, step = excluded.step, stability = excluded.stability, \
         difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review, \
         reps = excluded.reps, lapses = excluded.lapses"
    };
}
/// `INSERT INTO card_states (<every column>) <values> ON CONFLICT … DO
/// UPDATE` the card's state, as a literal.
macro_rules! upsert_state_sql {
    ($values:literal) => {
        concat!(upsert_state_head!(), $values, upsert_state_tail!())
    };
}
// After the statement macros it expands.
mod batch;
/// PostgreSQL: a review's log row.
const SQL_INSERT_REVIEW: &str = insert_review_sql!();
/// PostgreSQL: a card's state, once its log row is written.
const SQL_UPSERT_STATE: &str =
    upsert_state_sql!("VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
/// SQLite: a review's log row and, only if that row is new (its answer key
/// was not stored), the card's new state, in one round trip: two
/// statements in one query, the second seeing the first's `changes()`. The
/// state takes the review's parameters (`$1`–`$4` the user and card, `$12`
/// phase, `$13` stability, `$14` difficulty, `$15` due, `$17` reps) and
/// three of its own (`$22` step, `$23` last review, `$24` lapses). Rows
/// changed: 0 when the answer key was stored. (PostgreSQL keeps two
/// statements: one statement with a data-modifying `WITH` measured slower
/// there for one writer.) Public for `benches/store.rs`, whose
/// direct-connection reference runs the statements rappel runs.
#[doc(hidden)]
pub const SQL_WRITE_REVIEW: &str = concat!(
    insert_review_sql!(),
    "; ",
    upsert_state_sql!(
        "SELECT $1, $2, $3, $4, $12, $22, $13, $14, $15, $23, $17, $24 WHERE changes() = 1"
    )
);
/// The rating and interval of a user's stored answer, by its key.
const SQL_FIND_ANSWER: &str =
    "SELECT rating, interval_days FROM reviews WHERE user_id = $1 AND answer_key = $2";
/// SQLite: an answer's key looked up and its card's state read, in one
/// round trip: one row, the stored answer's `rating` and `interval_days`
/// (NULL when it is not stored) beside the state's columns (NULL when the
/// card was never reviewed). `$1` user, `$2`–`$4` card, `$5` answer key.
/// (PostgreSQL keeps [`SQL_FIND_ANSWER`] and the state's own read.)
#[doc(hidden)]
pub const SQL_FIND_ANSWER_AND_STATE: &str = "SELECT a.rating, a.interval_days, s.deck_id, \
     s.card_id, s.direction, s.phase, s.step, s.stability, s.difficulty, s.due, s.last_review, \
     s.reps, s.lapses FROM (SELECT 1 AS one) AS one \
     LEFT JOIN reviews a ON a.user_id = $1 AND a.answer_key = $5 \
     LEFT JOIN card_states s ON s.user_id = $1 AND s.deck_id = $2 AND s.card_id = $3 \
     AND s.direction = $4";

/// Binds a card key as the three parameters every statement on one card
/// takes, in this order: deck id, card id, direction.
pub(crate) trait BindKey<'q> {
    fn bind_key(self, key: &'q CardKey) -> Self;
}

/// The [`BindKey`] of each kind of sqlx query (`Query`, `QueryAs<O>`,
/// `QueryScalar<O>`).
macro_rules! bind_key_for {
    ($($query:ident $(<$o:ident>)?),*) => {$(
        impl<'q, DB: sqlx::Database $(, $o)?> BindKey<'q>
            for sqlx::query::$query<'q, DB, $($o,)? DB::Arguments>
        where
            &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        {
            fn bind_key(self, key: &'q CardKey) -> Self {
                self.bind(key.deck.as_str())
                    .bind(key.card.as_str())
                    .bind(key.direction.as_str())
            }
        }
    )*};
}

bind_key_for!(Query, QueryAs<O>, QueryScalar<O>);

/// The log of one card of a user, `(id, reviewed_at, rating, amends)`,
/// oldest first: what a correction replays (`answer::replay`).
const SQL_CARD_LOG: &str = "SELECT id, reviewed_at, rating, amends FROM reviews \
     WHERE user_id = $1 AND deck_id = $2 AND card_id = $3 AND direction = $4 \
     ORDER BY reviewed_at, id";

impl Store {
    /// Connects to `url` (`sqlite://FILE`, created if missing, or
    /// `postgres://…`) and applies the embedded migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        let store = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // In WAL mode NORMAL survives application crashes and only
                // risks the last commits on power loss, for ~10x faster commits.
                .synchronous(SqliteSynchronous::Normal)
                // Short, because writes are retried with backoff on top
                // (`retry::WRITES`): about 1.6 s in all before giving up.
                .busy_timeout(retry::SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                // An in-process connection does not go stale: no ping (one
                // more hand-off to sqlx's worker thread) before each use.
                .test_before_acquire(false)
                .connect_with(options.clone())
                .await?;
            sqlx::migrate!("migrations/sqlite").run(&pool).await?;
            // The writer leaves WAL checkpoints to a task of their own
            // (`checkpoint.rs`), so no answer waits for one.
            // The writer alone has a 32 MB page cache (SQLite's default
            // is 2 MB): with a million card states, index pages of random
            // users are otherwise re-read on every write. A reader's cache
            // would buy little: a WAL connection drops it whenever another
            // one committed, so under writes it lasts one query, and five
            // large caches would cost up to 160 MB on a large database.
            let writer = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(
                &options
                    .pragma("wal_autocheckpoint", "0")
                    .pragma("cache_size", "-32768"),
            )
            .await?;
            let writer = SqliteWriter::new(writer);
            checkpoint::spawn(pool.clone(), writer.alive());
            Self::Sqlite(pool, writer)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                // Short, like SQLite's busy_timeout: a pool that cannot give a
                // connection (server down) is retried by `retry::WRITES`, and
                // the user must hear about it within Discord's 3 s window.
                .acquire_timeout(Duration::from_millis(1500))
                .connect_with(options)
                .await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Self::Postgres(pool)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        Ok(store)
    }

    /// Closes every connection (waits for the ones in use).
    pub async fn close(&self) {
        if let Self::Sqlite(_, writer) = self {
            let taken = writer.lock().await.take();
            if let Some(conn) = taken {
                use sqlx::Connection;
                if let Err(e) = conn.close().await {
                    tracing::warn!(error = %e, "closing the SQLite writer connection");
                }
            }
        }
        with_pool!(self, pool => pool.close().await)
    }

    /// The backend's name, for logs and bench output.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(..) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    // ---- users ----

    /// The user `id`, created with `defaults` on first contact.
    /// Retried when the database is busy (it may insert).
    pub async fn user(&self, id: &str, defaults: &NewUser, now: Millis) -> Result<User> {
        let row: UserRow = retry::retry("create user", &retry::WRITES, || async {
            Ok(with_pool!(self, pool => {
                sqlx::query(SQL_INSERT_USER)
                    .bind(id)
                    .bind(defaults.time_zone.name())
                    .bind(f64::from(defaults.desired_retention))
                    .bind(defaults.language.as_str())
                    .bind(now)
                    .execute(pool)
                    .await?;
                sqlx::query_as(SQL_SELECT_USER).bind(id).fetch_one(pool).await?
            }))
        })
        .await?;
        row.into_user()
    }

    /// The user `id` if they exist.
    pub async fn find_user(&self, id: &str) -> Result<Option<User>> {
        let row: Option<UserRow> = fetch!(self, fetch_optional, query_as(SQL_SELECT_USER), id);
        row.map(UserRow::into_user).transpose()
    }

    pub async fn set_time_zone(&self, id: &str, time_zone: Tz) -> Result<()> {
        self.set_user_field(
            "UPDATE users SET time_zone = $2 WHERE id = $1",
            id,
            time_zone.name(),
        )
        .await
    }

    pub async fn set_language(&self, id: &str, language: Lang) -> Result<()> {
        self.set_user_field(
            "UPDATE users SET language = $2 WHERE id = $1",
            id,
            language.as_str(),
        )
        .await
    }

    pub async fn set_desired_retention(&self, id: &str, retention: f32) -> Result<()> {
        if !(0.7..=0.99).contains(&retention) {
            return Err(StoreError::BadRetention(retention));
        }
        let sql = "UPDATE users SET desired_retention = $2 WHERE id = $1";
        write_rows!(self, "set desired retention", sql, id, f64::from(retention)).map(|_| ())
    }

    async fn set_user_field(&self, sql: &'static str, id: &str, value: &str) -> Result<()> {
        write_rows!(self, "set user setting", sql, id, value).map(|_| ())
    }

    // ---- card states ----

    /// The state of one card direction, `None` if never reviewed.
    pub async fn card_state(&self, user: &str, key: &CardKey) -> Result<Option<CardState>> {
        let sql = select_states!(
            "WHERE user_id = $1 AND deck_id = $2 AND card_id = $3 AND direction = $4"
        );
        let row: Option<StateRow> = with_pool!(self, pool => {
            sqlx::query_as(sql)
                .bind(user)
                .bind_key(key)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(StateRow::into_pair).transpose()?.map(|(_, s)| s))
    }

    /// Every state of a user (of one deck if `deck` is given), including
    /// cards since removed from their deck file.
    pub async fn card_states(
        &self,
        user: &str,
        deck: Option<&DeckId>,
    ) -> Result<Vec<(CardKey, CardState)>> {
        let sql = select_states!(
            "WHERE user_id = $1 \
             AND ($2 IS NULL OR deck_id = $2) ORDER BY deck_id, card_id, direction"
        );
        let rows: Vec<StateRow> = fetch!(
            self,
            fetch_all,
            query_as(sql),
            user,
            deck.map(DeckId::as_str)
        );
        rows.into_iter().map(StateRow::into_pair).collect()
    }

    /// Up to `limit` card directions due at `now` (of `deck` if given),
    /// earliest due first, keeping only those `is_known` accepts (cards
    /// still in the loaded decks; rows of removed cards stay in the db).
    pub async fn next_due(
        &self,
        user: &str,
        deck: Option<&DeckId>,
        now: Millis,
        limit: usize,
        is_known: impl Fn(&CardKey) -> bool,
    ) -> Result<Vec<(CardKey, CardState)>> {
        // Fetch in pages so that removed cards cannot starve the result.
        let page = (limit as i64).saturating_mul(2).max(16);
        let sql = select_states!(
            "WHERE user_id = $1 AND due <= $2 AND ($3 IS NULL OR deck_id = $3) \
             ORDER BY due, deck_id, card_id, direction LIMIT $4 OFFSET $5"
        );
        let mut out = Vec::new();
        let mut offset = 0i64;
        while out.len() < limit {
            let rows: Vec<StateRow> = fetch!(
                self,
                fetch_all,
                query_as(sql),
                user,
                now,
                deck.map(DeckId::as_str),
                page,
                offset
            );
            let n_rows = rows.len() as i64;
            for row in rows {
                let (key, state) = row.into_pair()?;
                if out.len() < limit && is_known(&key) {
                    out.push((key, state));
                }
            }
            if n_rows < page {
                break;
            }
            offset += page;
        }
        Ok(out)
    }
}
