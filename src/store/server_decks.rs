//! Decks uploaded by a server (`/decks upload`), and a student's own review
//! log for `/stats export` and `rappel stats export`.
//!
//! A server deck is stored as the TOML text the importer writes; the shell
//! parses it again with the deck parser when it loads a server's decks.
//! Progress needs a key that two servers cannot share, since both may
//! upload a deck `vocab` with different cards: the cards of a server deck
//! are scheduled under the internal deck id `srv-<guild>-<id>`
//! ([`server_deck_key`]) and users only ever see `<id>`
//! ([`shown_deck_id`]). Removing a deck only archives its row, so the
//! members' card states stay and come back with a re-upload of the same id.

use super::retry::{WRITES, retry};
use super::{Result, Store};
use crate::core::deck::DeckId;
use crate::core::schedule::Millis;

/// The prefix of every internal server deck id.
const PREFIX: &str = "srv-";

/// The internal deck id under which the cards of server `guild`'s deck
/// `id` are scheduled; `None` when it would be longer than a slug allows
/// (see [`max_server_deck_id_len`]).
pub fn server_deck_key(guild: &str, id: &DeckId) -> Option<DeckId> {
    DeckId::parse(&format!("{PREFIX}{guild}-{id}")).ok()
}

/// The longest deck id server `guild` can upload (the internal id adds
/// `srv-<guild>-` and must stay a 64-character slug).
pub fn max_server_deck_id_len(guild: &str) -> usize {
    64usize.saturating_sub(PREFIX.len() + guild.len() + 1)
}

/// The id users see for an internal deck id: `<id>` for `srv-<guild>-<id>`,
/// any other id unchanged.
pub fn shown_deck_id(id: &str) -> &str {
    let Some(rest) = id.strip_prefix(PREFIX) else {
        return id;
    };
    match rest.split_once('-') {
        Some((guild, shown))
            if !guild.is_empty()
                && guild.bytes().all(|b| b.is_ascii_digit())
                && !shown.is_empty() =>
        {
            shown
        }
        _ => id,
    }
}

/// A deck to store for one server.
#[derive(Debug, Clone, PartialEq)]
pub struct NewServerDeck<'a> {
    pub guild_id: &'a str,
    /// The id the server sees (not the internal key).
    pub deck_id: &'a DeckId,
    pub title: &'a str,
    /// The deck as `core::import::to_toml` writes it.
    pub toml: &'a str,
    pub n_cards: usize,
    pub uploaded_by: &'a str,
    pub at: Millis,
}

/// A stored server deck that is listed (not removed).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ServerDeck {
    /// The id the server sees.
    pub deck_id: String,
    pub title: String,
    pub toml: String,
    pub n_cards: i64,
    pub uploaded_by: String,
    pub uploaded_at: i64,
}

/// What an upload did to the server's deck of that id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uploaded {
    /// No deck had this id in the server.
    New,
    /// A listed deck was replaced.
    Replaced,
    /// A removed deck came back (with its members' progress).
    Restored,
}

/// A server's decks changed when this changed (see [`Store::server_decks_stamp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecksStamp {
    pub n_rows: i64,
    pub versions: i64,
    /// Answers the server accepted on appeal (only ever added).
    pub n_accepted: i64,
}

/// One row of a student's review log, as exported.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LoggedReview {
    /// The internal deck id (see [`shown_deck_id`]).
    pub deck_id: String,
    pub card_id: String,
    pub direction: String,
    pub reviewed_at: i64,
    /// `correct`, `close`, `partial`, `wrong`; `None` without a typed answer.
    pub verdict: Option<String>,
    /// 1 (Again) to 4 (Easy).
    pub rating: i64,
    pub interval_days: i64,
    pub origin: String,
    /// What the student typed; `None` for « je ne sais pas », timeouts and
    /// answers stored before rappel kept it.
    pub typed: Option<String>,
}

/// The header row of [`reviews_csv`].
pub const REVIEW_COLUMNS: [&str; 9] = [
    "deck",
    "card",
    "direction",
    "time",
    "verdict",
    "rating",
    "interval_days",
    "origin",
    "typed",
];

/// A review log as CSV: the deck as users see it, the time in RFC 3339
/// (UTC), an empty verdict for "don't know" and timeouts, what the student
/// typed last (empty when nothing was). The one format of
/// the bot's `/stats export` and the CLI's `stats export`.
pub fn reviews_csv(reviews: &[LoggedReview]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    writer
        .write_record(REVIEW_COLUMNS)
        .expect("write to memory");
    for r in reviews {
        let time = chrono::DateTime::from_timestamp_millis(r.reviewed_at)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .unwrap_or_default();
        writer
            .write_record([
                shown_deck_id(&r.deck_id),
                &r.card_id,
                &r.direction,
                &time,
                r.verdict.as_deref().unwrap_or(""),
                &r.rating.to_string(),
                &r.interval_days.to_string(),
                &r.origin,
                r.typed.as_deref().unwrap_or(""),
            ])
            .expect("write to memory");
    }
    let bytes = writer.into_inner().expect("flush to memory");
    String::from_utf8(bytes).expect("the csv writer keeps UTF-8")
}

impl Store {
    /// Stores (or replaces, or restores) a server's deck in one transaction.
    pub async fn put_server_deck(&self, deck: &NewServerDeck<'_>) -> Result<Uploaded> {
        let select = "SELECT removed_at FROM server_decks WHERE guild_id = $1 AND deck_id = $2";
        let upsert = "INSERT INTO server_decks \
             (guild_id, deck_id, title, toml, n_cards, uploaded_by, uploaded_at, removed_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, 1) \
             ON CONFLICT (guild_id, deck_id) DO UPDATE SET \
             title = excluded.title, toml = excluded.toml, n_cards = excluded.n_cards, \
             uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at, \
             removed_at = NULL, version = server_decks.version + 1";
        let before: Option<Option<i64>> = retry("put server deck", &WRITES, || async {
            Ok(with_pool!(self, pool => {
                let mut tx = pool.begin().await?;
                let before: Option<Option<i64>> = sqlx::query_scalar(select)
                    .bind(deck.guild_id)
                    .bind(deck.deck_id.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                sqlx::query(upsert)
                    .bind(deck.guild_id)
                    .bind(deck.deck_id.as_str())
                    .bind(deck.title)
                    .bind(deck.toml)
                    .bind(deck.n_cards as i64)
                    .bind(deck.uploaded_by)
                    .bind(deck.at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                before
            }))
        })
        .await?;
        Ok(match before {
            None => Uploaded::New,
            Some(None) => Uploaded::Replaced,
            Some(Some(_)) => Uploaded::Restored,
        })
    }

    /// Archives a server's deck: it is no longer listed, its row and the
    /// members' progress stay. `false` if no listed deck has this id.
    pub async fn remove_server_deck(
        &self,
        guild_id: &str,
        deck_id: &str,
        at: Millis,
    ) -> Result<bool> {
        let sql = "UPDATE server_decks SET removed_at = $3, version = version + 1 \
                   WHERE guild_id = $1 AND deck_id = $2 AND removed_at IS NULL";
        let n = write_rows!(self, "remove server deck", sql, guild_id, deck_id, at)?;
        Ok(n == 1)
    }

    /// The listed decks of a server, by id.
    pub async fn server_decks(&self, guild_id: &str) -> Result<Vec<ServerDeck>> {
        let sql = "SELECT deck_id, title, toml, n_cards, uploaded_by, uploaded_at \
                   FROM server_decks WHERE guild_id = $1 AND removed_at IS NULL ORDER BY deck_id";
        let rows = fetch!(self, fetch_all, query_as(sql), guild_id);
        Ok(rows)
    }

    /// A cheap fingerprint of a server's decks: it changes with every
    /// upload and removal and every answer accepted on appeal, from any
    /// process.
    pub async fn server_decks_stamp(&self, guild_id: &str) -> Result<DecksStamp> {
        let sql = "SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT), \
                   (SELECT COUNT(*) FROM accepted_answers WHERE guild_id = $1) \
                   FROM server_decks WHERE guild_id = $1";
        let (n_rows, versions, n_accepted): (i64, i64, i64) =
            fetch!(self, fetch_one, query_as(sql), guild_id);
        Ok(DecksStamp {
            n_rows,
            versions,
            n_accepted,
        })
    }

    /// Every answer of a user, oldest first: one row per answer, with the
    /// rating and interval of its latest correction (a `/study`
    /// self-rating) if it has one.
    pub async fn review_log(&self, user_id: &str) -> Result<Vec<LoggedReview>> {
        let sql = concat!(
            "SELECT r.deck_id, r.card_id, r.direction, r.reviewed_at, r.verdict, ",
            effective_rating!("r"),
            " AS rating, COALESCE((SELECT c.interval_days FROM reviews c WHERE c.amends = r.id \
             ORDER BY c.id DESC LIMIT 1), r.interval_days) AS interval_days, r.origin, r.typed \
             FROM reviews r WHERE r.user_id = $1 AND r.amends IS NULL ORDER BY r.reviewed_at, r.id"
        );
        let rows = fetch!(self, fetch_all, query_as(sql), user_id);
        Ok(rows)
    }
}
