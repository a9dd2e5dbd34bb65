//! The stored answers `rappel grade --replay` grades again, and the server
//! each was given in (so it is graded with that server's decks and the
//! answers that server accepted): an appealed answer names its server; a
//! quiz answer's quiz and a daily answer's channel say it; a server deck's
//! cards carry it in their deck id. Answers in `/study` on bundled decks
//! say nothing of their server: they are graded with the bundled decks.

use super::appeal::key_of;
use super::{Result, Store};
use crate::core::grade::Verdict;
use crate::core::review::{self, CardKey};

/// A stored answer with what was typed.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedAnswer {
    pub id: i64,
    pub key: CardKey,
    pub typed: String,
    /// The grade it has now (its latest correction's, if corrected).
    pub verdict: Verdict,
    pub answer_key: String,
}

/// Which server each kind of answer was given in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnswerServers {
    /// Appealed review id → server.
    pub appeals: Vec<(i64, String)>,
    /// Quiz id → server (quizzes outside servers have none).
    pub quizzes: Vec<(i64, String)>,
    /// Daily channel → server.
    pub daily_channels: Vec<(String, String)>,
}

impl Store {
    /// Up to `limit` graded answers with text, after review `after` (ids
    /// ascending), for paging through the whole log.
    pub async fn typed_answers(&self, after: i64, limit: i64) -> Result<Vec<TypedAnswer>> {
        let sql = "SELECT r.id, r.deck_id, r.card_id, r.direction, r.typed, \
                   COALESCE((SELECT c.verdict FROM reviews c WHERE c.amends = r.id \
                   ORDER BY c.id DESC LIMIT 1), r.verdict) AS verdict, r.answer_key \
                   FROM reviews r WHERE r.id > $1 AND r.amends IS NULL AND r.typed IS NOT NULL \
                   AND r.verdict IS NOT NULL ORDER BY r.id LIMIT $2";
        type Row = (i64, String, String, String, String, String, String);
        let rows: Vec<Row> = fetch!(self, fetch_all, query_as(sql), after, limit);
        rows.into_iter()
            .map(|(id, deck, card, direction, typed, verdict, answer_key)| {
                Ok(TypedAnswer {
                    id,
                    key: key_of(&deck, &card, &direction)?,
                    typed,
                    verdict: review::parse_verdict(&verdict)
                        .ok_or_else(|| super::row::corrupt("verdict", &verdict))?,
                    answer_key,
                })
            })
            .collect()
    }

    /// Where appealed answers, quizzes and daily channels were.
    pub async fn answer_servers(&self) -> Result<AnswerServers> {
        let appeals = "SELECT review_id, guild_id FROM appeals";
        let quizzes = "SELECT id, guild_id FROM quizzes WHERE guild_id IS NOT NULL";
        let daily = "SELECT DISTINCT channel_id, guild_id FROM daily_posts";
        Ok(with_pool!(self, pool => AnswerServers {
            appeals: sqlx::query_as(appeals).fetch_all(pool).await?,
            quizzes: sqlx::query_as(quizzes).fetch_all(pool).await?,
            daily_channels: sqlx::query_as(daily).fetch_all(pool).await?,
        }))
    }
}
