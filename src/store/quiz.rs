//! Storage of group quizzes: the quiz itself (running while `ended_at` is
//! NULL), one row per award written the moment it is earned (so a crash
//! never loses points and a restart can post the standings from them), the
//! quiz answers as reviews (written in batches, one transaction per batch,
//! to keep up with hundreds of answers a second), and the cards a student
//! missed in quizzes for `/study` to ask first.

use super::retry::{self, WRITES};
use super::row;
use super::{CardKey, Direction, Result, Store, User};
use crate::core::deck::{CardId, DeckId};
use crate::core::review::Answered;
use crate::core::schedule::Millis;

/// A quiz about to start.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuiz {
    pub guild_id: Option<String>,
    pub channel_id: String,
    pub starter_id: String,
    pub deck: DeckId,
    pub n_questions: u32,
    /// `fr` or `en`: the language of the channel messages.
    pub language: String,
    pub started_at: Millis,
    /// How long each question stays open, in milliseconds (to credit an
    /// accepted appeal as the rules would have).
    pub answer_ms: Millis,
}

/// A quiz as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredQuiz {
    pub id: i64,
    pub guild_id: Option<String>,
    pub channel_id: String,
    pub starter_id: String,
    pub deck_id: String,
    pub n_questions: i64,
    pub language: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
}

/// Points earned by one player on one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizAward {
    pub quiz_id: i64,
    pub question: u32,
    pub user_id: String,
    pub points: u32,
    pub first: bool,
    /// A right answer (correct or close); false for partial credit.
    pub right: bool,
    pub at: Millis,
}

/// A quiz answer to record: who, under which key (`quiz:<quiz>:<question>`,
/// see [`QuizAnswer::key`]) and how they answered.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizAnswer {
    pub user: User,
    pub key: String,
    pub answered: Answered,
}

impl QuizAnswer {
    /// The answer key of a player's answer to `question` of `quiz_id`.
    pub fn key(quiz_id: i64, question: u32) -> String {
        format!("quiz:{quiz_id}:{question}")
    }
}

/// A player's total in one quiz, from the stored awards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizTotal {
    pub user_id: String,
    pub points: u64,
    pub n_right: u64,
}

impl Store {
    /// Stores a starting quiz and returns its id.
    ///
    /// Retried whole. A retry after a COMMIT whose reply was lost finds the
    /// quiz it stored (same channel, starter and start instant) and returns
    /// its id, rather than storing a second quiz that would stay "running"
    /// until the next start closes it as interrupted.
    pub async fn begin_quiz(&self, quiz: &NewQuiz) -> Result<i64> {
        let find = "SELECT id FROM quizzes WHERE channel_id = $1 AND starter_id = $2 \
             AND started_at = $3 AND deck_id = $4 AND ended_at IS NULL ORDER BY id LIMIT 1";
        let sql = "INSERT INTO quizzes \
             (guild_id, channel_id, starter_id, deck_id, n_questions, language, started_at, \
              answer_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        retry::retry_tracked("begin quiz", &WRITES, |retried| async move {
            with_pool!(self, pool => {
                let mut tx = pool.begin().await?;
                let stored: Option<i64> = if retried {
                    sqlx::query_scalar(find)
                        .bind(&quiz.channel_id)
                        .bind(&quiz.starter_id)
                        .bind(quiz.started_at)
                        .bind(quiz.deck.as_str())
                        .fetch_optional(&mut *tx)
                        .await?
                } else {
                    None
                };
                let id: i64 = match stored {
                    Some(id) => id,
                    None => {
                        sqlx::query_scalar(sql)
                            .bind(quiz.guild_id.as_deref())
                            .bind(&quiz.channel_id)
                            .bind(&quiz.starter_id)
                            .bind(quiz.deck.as_str())
                            .bind(i64::from(quiz.n_questions))
                            .bind(&quiz.language)
                            .bind(quiz.started_at)
                            .bind(quiz.answer_ms)
                            .fetch_one(&mut *tx)
                            .await?
                    }
                };
                tx.commit().await?;
                Ok(id)
            })
        })
        .await
    }

    /// Stores new players, awards and quiz answers in one transaction (the
    /// quiz writer's group commit), retried whole when the database is
    /// busy; when this returns, all of them are committed, or none. A user
    /// in `new_users` who exists already is left as stored. Each answer is
    /// recorded like [`Store::record_answer`] (its card's state read in the
    /// transaction, nothing written for a key stored already).
    ///
    /// The awards and answers of a player who is neither in `new_users` nor
    /// stored any more (`/forget-me` while the quiz ran) are dropped, so a
    /// quiz never creates a forgotten user again; their ids are returned.
    pub async fn record_quiz_writes(
        &self,
        new_users: &[User],
        awards: &[QuizAward],
        answers: &[QuizAnswer],
    ) -> Result<Vec<String>> {
        if new_users.is_empty() && awards.is_empty() && answers.is_empty() {
            return Ok(Vec::new());
        }
        let exists = "SELECT COUNT(*) FROM users WHERE id = $1";
        let sql = "INSERT INTO quiz_awards \
             (quiz_id, question, user_id, points, is_first, is_right, awarded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (quiz_id, question, user_id) DO NOTHING";
        retry::retry("write quiz awards and reviews", &retry::WRITES, || async {
            with_writer!(self, conn => {
                let mut tx = conn.begin_with(self.begin_answer()).await?;
                let mut forgotten: Vec<String> = Vec::new();
                let players = awards
                    .iter()
                    .map(|a| a.user_id.as_str())
                    .chain(answers.iter().map(|a| a.user.id.as_str()));
                for player in players {
                    if new_users.iter().any(|u| u.id == player)
                        || forgotten.iter().any(|f| f == player)
                    {
                        continue;
                    }
                    let n: i64 = sqlx::query_scalar(exists)
                        .bind(player)
                        .fetch_one(&mut *tx)
                        .await?;
                    if n == 0 {
                        forgotten.push(player.to_string());
                    }
                }
                let kept = |id: &str| !forgotten.iter().any(|f| f == id);
                for user in new_users {
                    sqlx::query(super::SQL_INSERT_USER)
                        .bind(&user.id)
                        .bind(user.time_zone.name())
                        .bind(f64::from(user.desired_retention))
                        .bind(user.language.as_str())
                        .bind(user.created_at)
                        .execute(&mut *tx)
                        .await?;
                }
                for award in awards.iter().filter(|a| kept(&a.user_id)) {
                    sqlx::query(sql)
                        .bind(award.quiz_id)
                        .bind(i64::from(award.question))
                        .bind(&award.user_id)
                        .bind(i64::from(award.points))
                        .bind(i64::from(award.first))
                        .bind(i64::from(award.right))
                        .bind(award.at)
                        .execute(&mut *tx)
                        .await?;
                }
                for answer in answers.iter().filter(|a| kept(&a.user.id)) {
                    record_in_tx!(self, &mut tx, &answer.user, &answer.key, &answer.answered)?;
                }
                tx.commit().await?;
                Ok(forgotten)
            })
        })
        .await
    }

    /// Marks a quiz as over.
    pub async fn end_quiz(&self, quiz_id: i64, at: Millis, stopped: bool) -> Result<()> {
        let sql =
            "UPDATE quizzes SET ended_at = $2, stopped = $3 WHERE id = $1 AND ended_at IS NULL";
        write_rows!(self, "end quiz", sql, quiz_id, at, i64::from(stopped)).map(|_| ())
    }

    pub async fn quiz(&self, quiz_id: i64) -> Result<Option<StoredQuiz>> {
        let sql = "SELECT id, guild_id, channel_id, starter_id, deck_id, n_questions, \
                   language, started_at, ended_at FROM quizzes WHERE id = $1";
        Ok(fetch!(self, fetch_optional, query_as(sql), quiz_id))
    }

    /// Quizzes that never ended (the bot stopped while they ran), oldest first.
    pub async fn running_quizzes(&self) -> Result<Vec<StoredQuiz>> {
        let sql = "SELECT id, guild_id, channel_id, starter_id, deck_id, n_questions, \
                   language, started_at, ended_at FROM quizzes WHERE ended_at IS NULL ORDER BY id";
        Ok(fetch!(self, fetch_all, query_as(sql)))
    }

    /// Each player's total in a quiz, best first (ties: more right answers,
    /// then user id), from the stored awards.
    pub async fn quiz_totals(&self, quiz_id: i64) -> Result<Vec<QuizTotal>> {
        let sql = "SELECT user_id, CAST(SUM(points) AS BIGINT), CAST(SUM(is_right) AS BIGINT) \
                   FROM quiz_awards WHERE quiz_id = $1 \
                   GROUP BY user_id ORDER BY SUM(points) DESC, SUM(is_right) DESC, user_id";
        let rows: Vec<(String, i64, i64)> = fetch!(self, fetch_all, query_as(sql), quiz_id);
        Ok(rows
            .into_iter()
            .map(|(user_id, points, n_right)| QuizTotal {
                user_id,
                points: points.max(0) as u64,
                n_right: n_right.max(0) as u64,
            })
            .collect())
    }

    /// Cards `user` missed in a quiz (rated Again) and has not reviewed
    /// since, oldest miss first: `/study` asks them first.
    pub async fn quiz_misses(&self, user: &str) -> Result<Vec<CardKey>> {
        let sql = "SELECT r.deck_id, r.card_id, r.direction FROM reviews r \
             WHERE r.user_id = $1 AND r.origin = 'quiz' AND r.rating = 1 \
             AND NOT EXISTS (SELECT 1 FROM reviews l WHERE l.user_id = r.user_id \
                 AND l.deck_id = r.deck_id AND l.card_id = r.card_id \
                 AND l.direction = r.direction AND l.reviewed_at > r.reviewed_at) \
             ORDER BY r.reviewed_at, r.id";
        let rows: Vec<(String, String, String)> = fetch!(self, fetch_all, query_as(sql), user);
        rows.into_iter()
            .map(|(deck, card, direction)| {
                Ok(CardKey {
                    deck: DeckId::parse(&deck).map_err(|_| row::corrupt("deck id", &deck))?,
                    card: CardId::parse(&card).map_err(|_| row::corrupt("card id", &card))?,
                    direction: Direction::parse(&direction)
                        .ok_or_else(|| row::corrupt("direction", &direction))?,
                })
            })
            .collect()
    }
}
