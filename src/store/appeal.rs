//! « J'avais raison »: students' appeals of a grade, the answers a
//! server's moderators accepted, and who may review them.
//!
//! An appeal names the review it contests (one appeal per review) and the
//! server it was made in; it keeps what was typed, folded
//! (`core::appeal::fold`) to count the students who typed the same. An
//! accepted answer (`accepted_answers`) is an alternative of one card
//! direction for one server, read by every process that grades there (its
//! count is part of [`super::DecksStamp`], so a cached copy of the server's
//! decks is reloaded when one is added). Deciding an appeal is in
//! `appeal_decision.rs`.

use super::retry::{self, WRITES};
use super::row::corrupt;
use super::{BindKey, Result, Store};
use crate::core::deck::{CardId, DeckId};
use crate::core::grade::Verdict;
use crate::core::review::{self, CardKey, Direction};
use crate::core::schedule::Millis;

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppealStatus {
    Pending,
    Accepted,
    Refused,
}

impl AppealStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Refused => "refused",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [Self::Pending, Self::Accepted, Self::Refused]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// A stored review a student may appeal: theirs, graded, not accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct GradedReview {
    pub id: i64,
    pub user_id: String,
    pub key: CardKey,
    /// What was typed (`None` for answers stored before rappel kept it).
    pub typed: Option<String>,
    /// The grade, as corrected since if it was (`None`: not graded).
    pub verdict: Option<Verdict>,
    /// `study`, `quiz` or `daily`.
    pub origin: String,
    pub answer_key: String,
}

impl GradedReview {
    /// Graded and not accepted: what a student may appeal.
    pub fn is_appealable(&self) -> bool {
        self.verdict.is_some_and(|v| !v.is_accepted())
            && self.typed.as_deref().is_some_and(|t| !t.trim().is_empty())
    }
}

/// An appeal to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAppeal<'a> {
    pub guild_id: &'a str,
    /// The appealed review; what it typed is stored with the appeal, with
    /// its folded form (what "the same answer" compares).
    pub review: &'a GradedReview,
    pub reason: Option<&'a str>,
    pub at: Millis,
}

/// A stored appeal, with what a moderator needs to decide it.
#[derive(Debug, Clone, PartialEq)]
pub struct Appeal {
    pub id: i64,
    pub guild_id: String,
    pub review_id: i64,
    pub user_id: String,
    pub key: CardKey,
    pub typed: String,
    pub reason: Option<String>,
    pub created_at: Millis,
    pub status: AppealStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<Millis>,
    pub note: Option<String>,
    /// The grade the student contests.
    pub verdict: Option<Verdict>,
    pub score: Option<f64>,
    /// `study`, `quiz` or `daily`.
    pub origin: String,
    /// The students (this one included) whose pending appeal on this card
    /// direction in this server typed the same (folded).
    pub n_same: i64,
}

/// An answer a server accepted for one card direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedAnswer {
    pub key: CardKey,
    pub answer: String,
    pub accepted_at: Millis,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    user_id: String,
    deck_id: String,
    card_id: String,
    direction: String,
    typed: Option<String>,
    verdict: Option<String>,
    origin: String,
    answer_key: String,
}

#[derive(sqlx::FromRow)]
struct AppealRow {
    id: i64,
    guild_id: String,
    review_id: i64,
    user_id: String,
    deck_id: String,
    card_id: String,
    direction: String,
    typed: String,
    reason: Option<String>,
    created_at: i64,
    status: String,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    note: Option<String>,
    verdict: Option<String>,
    score: Option<f64>,
    origin: Option<String>,
    n_same: i64,
}

pub(super) fn key_of(deck: &str, card: &str, direction: &str) -> Result<CardKey> {
    Ok(CardKey {
        deck: DeckId::parse(deck).map_err(|_| corrupt("deck id", deck))?,
        card: CardId::parse(card).map_err(|_| corrupt("card id", card))?,
        direction: Direction::parse(direction).ok_or_else(|| corrupt("direction", direction))?,
    })
}

fn verdict_of(raw: Option<&str>) -> Result<Option<Verdict>> {
    raw.map(|v| review::parse_verdict(v).ok_or_else(|| corrupt("verdict", v)))
        .transpose()
}

impl ReviewRow {
    fn into_review(self) -> Result<GradedReview> {
        Ok(GradedReview {
            id: self.id,
            key: key_of(&self.deck_id, &self.card_id, &self.direction)?,
            user_id: self.user_id,
            typed: self.typed,
            verdict: verdict_of(self.verdict.as_deref())?,
            origin: self.origin,
            answer_key: self.answer_key,
        })
    }
}

impl AppealRow {
    pub(super) fn into_appeal(self) -> Result<Appeal> {
        Ok(Appeal {
            id: self.id,
            key: key_of(&self.deck_id, &self.card_id, &self.direction)?,
            guild_id: self.guild_id,
            review_id: self.review_id,
            user_id: self.user_id,
            typed: self.typed,
            reason: self.reason,
            created_at: self.created_at,
            status: AppealStatus::parse(&self.status)
                .ok_or_else(|| corrupt("appeal status", &self.status))?,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            note: self.note,
            verdict: verdict_of(self.verdict.as_deref())?,
            score: self.score,
            origin: self.origin.unwrap_or_default(),
            n_same: self.n_same,
        })
    }
}

/// `SELECT` a review (`r`) with the verdict of its latest correction, if
/// any, then `$rest`, as a literal.
macro_rules! select_review {
    ($rest:literal) => {
        concat!(
            "SELECT r.id, r.user_id, r.deck_id, r.card_id, r.direction, r.typed, \
             COALESCE((SELECT c.verdict FROM reviews c WHERE c.amends = r.id \
             ORDER BY c.id DESC LIMIT 1), r.verdict) AS verdict, r.origin, r.answer_key \
             FROM reviews r ",
            $rest
        )
    };
}

/// `SELECT` appeals (`a`) with their review's grade and the count of the
/// same answer, then `$rest`, as a literal.
macro_rules! select_appeals {
    ($rest:literal) => {
        concat!(
            "SELECT a.id, a.guild_id, a.review_id, a.user_id, a.deck_id, a.card_id, \
             a.direction, a.typed, a.reason, a.created_at, a.status, a.decided_by, \
             a.decided_at, a.note, \
             r.verdict, r.score, r.origin, \
             (SELECT COUNT(DISTINCT o.user_id) FROM appeals o WHERE o.guild_id = a.guild_id \
              AND o.deck_id = a.deck_id AND o.card_id = a.card_id AND o.direction = a.direction \
              AND o.folded = a.folded AND o.status = 'pending') AS n_same \
             FROM appeals a LEFT JOIN reviews r ON r.id = a.review_id ",
            $rest
        )
    };
}

impl Store {
    /// The answer (not a correction) `review_id`, if stored.
    pub async fn graded_review(&self, review_id: i64) -> Result<Option<GradedReview>> {
        let sql = select_review!("WHERE r.id = $1 AND r.amends IS NULL");
        let row: Option<ReviewRow> = fetch!(self, fetch_optional, query_as(sql), review_id);
        row.map(ReviewRow::into_review).transpose()
    }

    /// `user`'s answer `answer_key` (`quiz:<quiz>:<question>`, …), if stored.
    pub async fn graded_review_by_key(
        &self,
        user: &str,
        answer_key: &str,
    ) -> Result<Option<GradedReview>> {
        let sql = select_review!("WHERE r.user_id = $1 AND r.answer_key = $2 AND r.amends IS NULL");
        let row: Option<ReviewRow> = fetch!(self, fetch_optional, query_as(sql), user, answer_key);
        row.map(ReviewRow::into_review).transpose()
    }

    /// `user`'s latest quiz answer (what `/answer` was about).
    pub async fn latest_quiz_review(&self, user: &str) -> Result<Option<GradedReview>> {
        let sql = select_review!(
            "WHERE r.user_id = $1 AND r.origin = 'quiz' AND r.amends IS NULL \
             ORDER BY r.id DESC LIMIT 1"
        );
        let row: Option<ReviewRow> = fetch!(self, fetch_optional, query_as(sql), user);
        row.map(ReviewRow::into_review).transpose()
    }

    /// Stores an appeal; `None` when the review was appealed already (one
    /// appeal per review: a second press, another process). A retry after
    /// a COMMIT whose reply was lost finds its own row (same review and
    /// instant) and returns it.
    pub async fn file_appeal(&self, appeal: &NewAppeal<'_>) -> Result<Option<i64>> {
        let sql = "INSERT INTO appeals (guild_id, review_id, user_id, deck_id, card_id, direction, \
                   typed, folded, reason, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                   ON CONFLICT (review_id) DO NOTHING RETURNING id";
        let mine = "SELECT id FROM appeals WHERE review_id = $1 AND created_at = $2";
        let review = appeal.review;
        let typed = review.typed.as_deref().unwrap_or_default();
        let folded = crate::core::appeal::fold(typed);
        let folded = folded.as_str();
        retry::retry_tracked("file appeal", &WRITES, |retried| async move {
            Ok(with_pool!(self, pool => {
                let inserted: Option<i64> = sqlx::query_scalar(sql)
                    .bind(appeal.guild_id)
                    .bind(review.id)
                    .bind(&review.user_id)
                    .bind_key(&review.key)
                    .bind(typed)
                    .bind(folded)
                    .bind(appeal.reason)
                    .bind(appeal.at)
                    .fetch_optional(pool)
                    .await?;
                match inserted {
                    None if retried => {
                        sqlx::query_scalar(mine)
                            .bind(review.id)
                            .bind(appeal.at)
                            .fetch_optional(pool)
                            .await?
                    }
                    inserted => inserted,
                }
            }))
        })
        .await
    }

    /// The appeal of review `review_id`, if there is one.
    pub async fn appeal_of_review(&self, review_id: i64) -> Result<Option<Appeal>> {
        self.one_appeal(select_appeals!("WHERE a.review_id = $1"), review_id)
            .await
    }

    /// Appeal `id`, if stored.
    pub async fn appeal(&self, id: i64) -> Result<Option<Appeal>> {
        self.one_appeal(select_appeals!("WHERE a.id = $1"), id)
            .await
    }

    async fn one_appeal(&self, sql: &'static str, id: i64) -> Result<Option<Appeal>> {
        let row: Option<AppealRow> = fetch!(self, fetch_optional, query_as(sql), id);
        row.map(AppealRow::into_appeal).transpose()
    }

    /// The oldest pending appeal of `guild` after appeal `after` (the next
    /// one for "Passer"), else the oldest one; `None` when none is pending.
    pub async fn next_pending_appeal(&self, guild: &str, after: i64) -> Result<Option<Appeal>> {
        let sql = select_appeals!(
            "WHERE a.guild_id = $1 AND a.status = 'pending' \
             ORDER BY CASE WHEN a.id > $2 THEN 0 ELSE 1 END, a.id LIMIT 1"
        );
        let row: Option<AppealRow> = fetch!(self, fetch_optional, query_as(sql), guild, after);
        row.map(AppealRow::into_appeal).transpose()
    }

    /// How many appeals of `guild` wait for a decision.
    pub async fn count_pending_appeals(&self, guild: &str) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM appeals WHERE guild_id = $1 AND status = 'pending'";
        Ok(fetch!(self, fetch_one, query_scalar(sql), guild))
    }

    /// The pending appeals `(id, typed)` of `guild` on one card direction.
    pub async fn pending_appeals_on(
        &self,
        guild: &str,
        key: &CardKey,
    ) -> Result<Vec<(i64, String)>> {
        let sql = "SELECT id, typed FROM appeals WHERE guild_id = $1 AND deck_id = $2 \
                   AND card_id = $3 AND direction = $4 AND status = 'pending' ORDER BY id";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(sql)
                .bind(guild)
                .bind_key(key)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Adds `answer` (folded `folded`) to what `guild` accepts for `key`;
    /// false when the same answer was accepted already.
    pub async fn accept_answer(
        &self,
        guild: &str,
        key: &CardKey,
        answer: &str,
        folded: &str,
        by: &str,
        at: Millis,
    ) -> Result<bool> {
        let sql = "INSERT INTO accepted_answers \
                   (guild_id, deck_id, card_id, direction, folded, answer, accepted_by, accepted_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";
        let n = write_rows!(
            self,
            "accept answer",
            sqlx::query(sql)
                .bind(guild)
                .bind_key(key)
                .bind(folded)
                .bind(answer)
                .bind(by)
                .bind(at)
        )?;
        Ok(n == 1)
    }

    /// Every answer `guild` accepted, by card, oldest first; of one deck
    /// (an internal id) if given.
    pub async fn accepted_answers(
        &self,
        guild: &str,
        deck: Option<&DeckId>,
    ) -> Result<Vec<AcceptedAnswer>> {
        let sql = "SELECT deck_id, card_id, direction, answer, accepted_at FROM accepted_answers \
                   WHERE guild_id = $1 AND ($2 IS NULL OR deck_id = $2) \
                   ORDER BY deck_id, card_id, direction, accepted_at, answer";
        let rows: Vec<(String, String, String, String, i64)> = fetch!(
            self,
            fetch_all,
            query_as(sql),
            guild,
            deck.map(DeckId::as_str)
        );
        rows.into_iter()
            .map(|(deck, card, direction, answer, accepted_at)| {
                Ok(AcceptedAnswer {
                    key: key_of(&deck, &card, &direction)?,
                    answer,
                    accepted_at,
                })
            })
            .collect()
    }

    /// The servers that accepted answers.
    pub async fn guilds_with_accepted_answers(&self) -> Result<Vec<String>> {
        let sql = "SELECT DISTINCT guild_id FROM accepted_answers ORDER BY guild_id";
        Ok(with_pool!(self, pool => sqlx::query_scalar(sql).fetch_all(pool).await?))
    }

    /// Sets (or, with `None`, clears) the role that may review `guild`'s appeals.
    pub async fn set_appeal_role(
        &self,
        guild: &str,
        role: Option<&str>,
        by: &str,
        at: Millis,
    ) -> Result<()> {
        let Some(role) = role else {
            let sql = "DELETE FROM appeal_roles WHERE guild_id = $1";
            write_rows!(self, "clear appeal role", sql, guild)?;
            return Ok(());
        };
        let sql = "INSERT INTO appeal_roles (guild_id, role_id, set_by, set_at) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id) DO UPDATE SET \
                   role_id = excluded.role_id, set_by = excluded.set_by, set_at = excluded.set_at";
        write_rows!(self, "set appeal role", sql, guild, role, by, at)?;
        Ok(())
    }

    /// The role that may review `guild`'s appeals, if one is set.
    pub async fn appeal_role(&self, guild: &str) -> Result<Option<String>> {
        let sql = "SELECT role_id FROM appeal_roles WHERE guild_id = $1";
        Ok(fetch!(self, fetch_optional, query_scalar(sql), guild))
    }

    /// Claims `user`'s notice of `guild`'s pending appeals for `day` (a day
    /// number): true for the first claim of the day, so the notice is given
    /// at most once a day (in every process).
    pub async fn claim_appeal_notice(&self, guild: &str, user: &str, day: i64) -> Result<bool> {
        let sql = "INSERT INTO appeal_notices (guild_id, user_id, day) VALUES ($1, $2, $3) \
                   ON CONFLICT (guild_id, user_id) DO UPDATE SET day = excluded.day \
                   WHERE appeal_notices.day < excluded.day";
        let n = write_rows!(self, "claim appeal notice", sql, guild, user, day)?;
        Ok(n == 1)
    }
}
