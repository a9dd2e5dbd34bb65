//! Deciding an appeal: each decision is one transaction, retried whole.
//!
//! Accepting corrects the student's review the way a `/study` self-rating
//! does: a correcting row (`amends` the answer, key `appeal:<id>`) rated as
//! a right answer (`core::appeal::corrected_answer`), and the card's state
//! recomputed from its log with the correction in place of the answer (the
//! log stays append-only). A quiz answer earns the points the rules give a
//! right answer at that moment (`core::appeal::quiz_credit`), once: a new
//! award row, or a partial one raised; a player who scored right on that
//! question already gets nothing more. A daily answer counts as right.
//! Refusing records the moderator and their note. Either way the student is
//! told once: whoever tells claims `told_at` first.

use super::answer::{AnswerRow, card_key};
use super::appeal::Appeal;
use super::retry::{WRITES, retry};
use super::row::UserRow;
use super::{Result, Store, StoreError};
use crate::core::appeal::{QuizAnswerSeen, corrected_answer, quiz_credit};
use crate::core::grade::Verdict;
use crate::core::schedule::{CardState, Millis, Scheduler, rating_for};

/// Who decides, where and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision<'a> {
    pub guild_id: &'a str,
    pub moderator: &'a str,
    pub at: Millis,
}

/// What accepting an appeal did.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedAppeal {
    pub appeal: Appeal,
    /// The card's state once corrected (`None`: the review was gone).
    pub state: Option<CardState>,
    /// Quiz points credited by this acceptance.
    pub points: Option<u32>,
}

/// What the accept transaction found.
enum Outcome {
    NotPending,
    Accepted(Option<CardState>, Option<u32>),
}

impl Store {
    /// Accepts pending appeal `id` of `decision.guild_id`: the appeal marked
    /// accepted, the review corrected, the card's state recomputed, quiz
    /// points credited (`has_hint`: the question showed a hint halfway), in
    /// one transaction. `None` when it is not a pending appeal of that
    /// server (decided meanwhile, another server's, unknown).
    pub async fn accept_appeal(
        &self,
        id: i64,
        decision: &Decision<'_>,
        has_hint: bool,
    ) -> Result<Option<AcceptedAppeal>> {
        let mark = "UPDATE appeals SET status = 'accepted', decided_by = $3, decided_at = $4 \
                    WHERE id = $1 AND guild_id = $2 AND status = 'pending' RETURNING review_id";
        let find = select_answer!("WHERE id = $1 AND amends IS NULL");
        let owner = "SELECT user_id, answer_key FROM reviews WHERE id = $1";
        let outcome = retry("accept appeal", &WRITES, || async {
            with_writer!(self, conn => {
                let mut tx = conn.begin_with(self.begin_answer()).await?;
                let review_id: Option<i64> = sqlx::query_scalar(mark)
                    .bind(id)
                    .bind(decision.guild_id)
                    .bind(decision.moderator)
                    .bind(decision.at)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(review_id) = review_id else {
                    return Ok(Outcome::NotPending);
                };
                let original: Option<AnswerRow> =
                    sqlx::query_as(find).bind(review_id).fetch_optional(&mut *tx).await?;
                let owned: Option<(String, String)> =
                    sqlx::query_as(owner).bind(review_id).fetch_optional(&mut *tx).await?;
                let (Some(original), Some((user_id, answer_key))) = (original, owned) else {
                    tx.commit().await?;
                    return Ok(Outcome::Accepted(None, None));
                };
                let user: UserRow = sqlx::query_as(super::SQL_SELECT_USER)
                    .bind(&user_id)
                    .fetch_one(&mut *tx)
                    .await?;
                let user = user.into_user()?;
                let key = card_key(&original)?;
                lock_card!(self, &mut tx, &user.id, &key);
                let rating = rating_for(corrected_answer(original.answer_ms()));
                let scheduler = Scheduler::new(user.scheduler_config());
                let correction_key = format!("appeal:{id}");
                let verdict = Some((Verdict::Correct, 1.0));
                let (state, _) = amend_in_tx!(
                    self, &mut tx, &user, &scheduler, &original, &key, rating, verdict, correction_key.as_str()
                )?;
                let mut points = None;
                if let Some((quiz_id, question)) = quiz_question(&answer_key) {
                    let asked_at = original.reviewed_at - original.answer_ms;
                    let answer_time: Option<i64> =
                        sqlx::query_scalar("SELECT answer_ms FROM quizzes WHERE id = $1")
                            .bind(quiz_id)
                            .fetch_optional(&mut *tx)
                            .await?
                            .flatten();
                    let awards: Vec<(String, i64, i64)> = sqlx::query_as(
                        "SELECT user_id, awarded_at, is_right FROM quiz_awards \
                         WHERE quiz_id = $1 AND question = $2",
                    )
                    .bind(quiz_id)
                    .bind(question)
                    .fetch_all(&mut *tx)
                    .await?;
                    let scored_right = awards.iter().any(|(u, _, right)| *u == user.id && *right == 1);
                    if !scored_right {
                        let seen = QuizAnswerSeen {
                            answer_time: answer_time.unwrap_or(DEFAULT_ANSWER_MS),
                            answer_ms: original.answer_ms,
                            has_hint,
                            right_before: awards
                                .iter()
                                .filter(|(u, _, right)| *u != user.id && *right == 1)
                                .map(|(_, at, _)| at - asked_at)
                                .collect(),
                        };
                        let (credit, first) = quiz_credit(&seen);
                        let insert = "INSERT INTO quiz_awards \
                             (quiz_id, question, user_id, points, is_first, is_right, awarded_at) \
                             VALUES ($1, $2, $3, $4, $5, 1, $6) \
                             ON CONFLICT (quiz_id, question, user_id) DO UPDATE SET \
                             points = excluded.points, is_first = excluded.is_first, is_right = 1 \
                             WHERE quiz_awards.is_right = 0 AND quiz_awards.points < excluded.points";
                        let n = sqlx::query(insert)
                            .bind(quiz_id)
                            .bind(question)
                            .bind(&user.id)
                            .bind(i64::from(credit))
                            .bind(i64::from(first))
                            .bind(original.reviewed_at)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                        points = (n == 1).then_some(credit);
                    }
                }
                if let Some((channel, date)) = daily_post(&answer_key) {
                    sqlx::query(
                        "UPDATE daily_answers SET correct = 1 \
                         WHERE channel_id = $1 AND local_date = $2 AND user_id = $3",
                    )
                    .bind(channel)
                    .bind(date)
                    .bind(&user.id)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(Outcome::Accepted(Some(state), points))
            })
        })
        .await?;
        let appeal = self.appeal(id).await?;
        match (outcome, appeal) {
            (Outcome::Accepted(state, points), Some(appeal)) => Ok(Some(AcceptedAppeal {
                appeal,
                state,
                points,
            })),
            (Outcome::Accepted(..), None) => Err(StoreError::Corrupt(format!(
                "appeal {id} gone once accepted"
            ))),
            // A retry after a COMMIT whose reply was lost meets this very
            // decision: it is reported (its credit was made then).
            (Outcome::NotPending, Some(appeal)) if appeal.is_decision(decision, "accepted") => {
                Ok(Some(AcceptedAppeal {
                    state: None,
                    points: None,
                    appeal,
                }))
            }
            (Outcome::NotPending, _) => Ok(None),
        }
    }

    /// Refuses pending appeal `id` of `decision.guild_id`, with the
    /// moderator's optional `note`; `None` when it is not a pending appeal
    /// of that server.
    pub async fn refuse_appeal(
        &self,
        id: i64,
        decision: &Decision<'_>,
        note: Option<&str>,
    ) -> Result<Option<Appeal>> {
        let sql = "UPDATE appeals SET status = 'refused', decided_by = $3, decided_at = $4, \
                   note = $5 WHERE id = $1 AND guild_id = $2 AND status = 'pending'";
        let n = write_rows!(
            self,
            "refuse appeal",
            sql,
            id,
            decision.guild_id,
            decision.moderator,
            decision.at,
            note
        )?;
        let appeal = self.appeal(id).await?;
        // A retry after a COMMIT whose reply was lost meets this very decision.
        Ok(appeal.filter(|a| n == 1 || a.is_decision(decision, "refused")))
    }

    /// Claims the telling of the decision on appeal `id` (told at `at`):
    /// true for the one caller that tells it, who gives it back with
    /// [`Store::release_appeal_told`] if the telling fails.
    pub async fn claim_appeal_told(&self, id: i64, at: Millis) -> Result<bool> {
        let sql = "UPDATE appeals SET told_at = $2 WHERE id = $1 AND status <> 'pending' \
                   AND told_at IS NULL";
        let n = write_rows!(self, "claim appeal told", sql, id, at)?;
        Ok(n == 1)
    }

    /// The decision on appeal `id` was not told after all (its claim, made
    /// at `at`, is given back): the student's next command tells it.
    pub async fn release_appeal_told(&self, id: i64, at: Millis) -> Result<()> {
        let sql = "UPDATE appeals SET told_at = NULL WHERE id = $1 AND told_at = $2";
        write_rows!(self, "release appeal told", sql, id, at)?;
        Ok(())
    }

    /// `user`'s decided appeals they have not heard of yet, oldest first.
    pub async fn untold_decisions(&self, user: &str) -> Result<Vec<Appeal>> {
        let sql = "SELECT id FROM appeals WHERE user_id = $1 AND status <> 'pending' \
                   AND told_at IS NULL ORDER BY decided_at, id";
        let ids: Vec<i64> = fetch!(self, fetch_all, query_scalar(sql), user);
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(appeal) = self.appeal(id).await? {
                out.push(appeal);
            }
        }
        Ok(out)
    }
}

impl Appeal {
    /// Whether `decision` is what decided this appeal, as `status`.
    fn is_decision(&self, decision: &Decision<'_>, status: &str) -> bool {
        self.status.as_str() == status
            && self.guild_id == decision.guild_id
            && self.decided_by.as_deref() == Some(decision.moderator)
            && self.decided_at == Some(decision.at)
    }
}

/// How long a quiz question stayed open when the quiz row does not say
/// (quizzes started before rappel kept it): the default of `/quiz start`.
const DEFAULT_ANSWER_MS: Millis = 20_000;

/// The quiz and question of a quiz answer's key (`quiz:<quiz>:<question>`).
fn quiz_question(answer_key: &str) -> Option<(i64, i64)> {
    let rest = answer_key.strip_prefix("quiz:")?;
    let (quiz, question) = rest.split_once(':')?;
    Some((quiz.parse().ok()?, question.parse().ok()?))
}

/// The channel and local date of a daily answer's key (`daily:<channel>:<date>`).
fn daily_post(answer_key: &str) -> Option<(&str, &str)> {
    answer_key.strip_prefix("daily:")?.split_once(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_keys_name_their_quiz_question_or_daily_post() {
        assert_eq!(quiz_question("quiz:12:3"), Some((12, 3)));
        assert_eq!(quiz_question("study:a:b:forward:1"), None);
        assert_eq!(
            daily_post("daily:1300:2026-03-02"),
            Some(("1300", "2026-03-02"))
        );
        assert_eq!(daily_post("quiz:1:2"), None);
    }
}
