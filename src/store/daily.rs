//! Storage of the daily question and the exam date: channel settings, the
//! (channel, local date) claim that makes each post exactly-once, members'
//! answers and streaks, one exam per server.
//!
//! The claim is `INSERT … ON CONFLICT DO NOTHING` on the primary key
//! `(channel_id, local_date)`: of several processes racing for a slot, the
//! one whose insert affected a row posts; the others see 0 rows and skip.

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::leaderboard::SQL_TOUCH_MEMBER;
use super::retry::{self, WRITES};
use super::{BindKey, CardKey, Direction, Recorded, Result, Store, StoreError, User};
use crate::core::daily::PostTime;
use crate::core::deck::{CardId, DeckId};
use crate::core::review::Answered;
use crate::core::schedule::{Millis, Rating, rating_for};

/// A channel's daily-question settings.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyChannel {
    pub channel_id: String,
    pub guild_id: String,
    pub time: PostTime,
    pub time_zone: Tz,
    /// `None` = every deck.
    pub deck: Option<DeckId>,
}

/// A claimed daily slot: which card the channel was asked that day.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyPost {
    pub channel_id: String,
    pub date: NaiveDate,
    pub guild_id: String,
    pub key: CardKey,
    /// `None` until Discord accepted the post.
    pub message_id: Option<String>,
    /// Posts tried for this claim (1 for the first).
    pub attempts: u32,
    /// Unposted: when the claim may be tried again (a lease while a
    /// process posts it; after a transient failure, the next try).
    pub retry_at: Option<Millis>,
}

impl DailyPost {
    /// The key of a member's answer to this post in the review log.
    pub fn answer_key(&self) -> String {
        format!("daily:{}:{}", self.channel_id, date_str(self.date))
    }
}

/// A server's exam.
#[derive(Debug, Clone, PartialEq)]
pub struct Exam {
    pub guild_id: String,
    pub date: NaiveDate,
    pub time_zone: Tz,
    pub deck: Option<DeckId>,
}

const DATE_FORMAT: &str = "%Y-%m-%d";

/// How long a claimed post is the claimer's to post: after it, with no
/// message recorded (a crash, a failure not recorded), any process may
/// try again (having looked for the post in the channel first).
pub const DAILY_LEASE: Millis = 5 * 60 * 1000;

/// The rating and interval of `$3`'s answer to the post (`$1`, `$2`) given
/// at `$4` and reviewed under `$5`: a daily answer already stored.
const SQL_OWN_DAILY_ANSWER: &str = "SELECT r.rating, r.interval_days FROM daily_answers a \
     JOIN reviews r ON r.user_id = a.user_id AND r.answer_key = $5 \
     WHERE a.channel_id = $1 AND a.local_date = $2 AND a.user_id = $3 AND a.answered_at = $4";

pub(super) fn date_str(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

fn parse_date(raw: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(raw, DATE_FORMAT).map_err(|_| corrupt("date", raw))
}

fn parse_tz(raw: &str) -> Result<Tz> {
    raw.parse().map_err(|_| corrupt("time zone", raw))
}

fn parse_deck(raw: Option<String>) -> Result<Option<DeckId>> {
    raw.map(|d| DeckId::parse(&d).map_err(|_| corrupt("deck id", &d)))
        .transpose()
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

type ChannelRow = (String, String, String, String, Option<String>);
type PostRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
);

fn channel_from(row: ChannelRow) -> Result<DailyChannel> {
    let (channel_id, guild_id, time, zone, deck) = row;
    Ok(DailyChannel {
        time: PostTime::parse(&time).map_err(|_| corrupt("post time", &time))?,
        time_zone: parse_tz(&zone)?,
        deck: parse_deck(deck)?,
        channel_id,
        guild_id,
    })
}

fn post_from(row: PostRow) -> Result<DailyPost> {
    let (channel_id, date, guild_id, deck, card, direction, message_id, attempts, retry_at) = row;
    Ok(DailyPost {
        date: parse_date(&date)?,
        key: CardKey {
            deck: DeckId::parse(&deck).map_err(|_| corrupt("deck id", &deck))?,
            card: CardId::parse(&card).map_err(|_| corrupt("card id", &card))?,
            direction: Direction::parse(&direction)
                .ok_or_else(|| corrupt("direction", &direction))?,
        },
        channel_id,
        guild_id,
        message_id,
        attempts: u32::try_from(attempts).unwrap_or(0),
        retry_at,
    })
}

/// `SELECT <channel columns> FROM daily_channels <rest>` as a literal.
macro_rules! select_channel {
    ($rest:literal) => {
        concat!(
            "SELECT channel_id, guild_id, post_time, time_zone, deck_id FROM daily_channels ",
            $rest
        )
    };
}
/// `SELECT <post columns> FROM daily_posts <rest>` as a literal.
macro_rules! select_post {
    ($rest:literal) => {
        concat!(
            "SELECT channel_id, local_date, guild_id, deck_id, card_id, direction, message_id, \
             attempts, retry_at FROM daily_posts ",
            $rest
        )
    };
}

impl Store {
    // ---- daily channels ----

    /// Turns the daily question on for a channel, or changes its settings.
    pub async fn set_daily(&self, channel: &DailyChannel, now: Millis) -> Result<()> {
        self.set_daily_by(channel, None, now).await
    }

    /// [`Store::set_daily`] by `admin`, who hears of the posts that fail.
    /// Setting a channel again fixes it: its failure is forgotten, a
    /// paused channel posts again and today's unposted claim, if any, is
    /// tried at once.
    pub async fn set_daily_by(
        &self,
        channel: &DailyChannel,
        admin: Option<&str>,
        now: Millis,
    ) -> Result<()> {
        let sql = "INSERT INTO daily_channels \
             (channel_id, guild_id, post_time, time_zone, deck_id, updated_at, set_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (channel_id) DO UPDATE SET \
             guild_id = excluded.guild_id, post_time = excluded.post_time, \
             time_zone = excluded.time_zone, deck_id = excluded.deck_id, \
             updated_at = excluded.updated_at, set_by = excluded.set_by, \
             failure_kind = NULL, failure_detail = NULL, failed_at = NULL, paused = 0, \
             failure_told = 0";
        write_rows!(
            self,
            "set daily",
            sql,
            &channel.channel_id,
            &channel.guild_id,
            channel.time.to_string(),
            channel.time_zone.name(),
            channel.deck.as_ref().map(DeckId::as_str),
            now,
            admin
        )?;
        let retry = "UPDATE daily_posts SET retry_at = $2 \
             WHERE channel_id = $1 AND message_id IS NULL AND retry_at > $2";
        write_rows!(self, "retry daily now", retry, &channel.channel_id, now)?;
        Ok(())
    }

    /// Turns the daily question off in a channel; `false` if it was not on.
    pub async fn daily_off(&self, channel_id: &str) -> Result<bool> {
        let sql = "DELETE FROM daily_channels WHERE channel_id = $1";
        let n = write_rows!(self, "daily off", sql, channel_id)?;
        Ok(n > 0)
    }

    /// The daily settings of one channel.
    pub async fn daily_channel(&self, channel_id: &str) -> Result<Option<DailyChannel>> {
        let sql = select_channel!(" WHERE channel_id = $1");
        let row: Option<ChannelRow> = fetch!(self, fetch_optional, query_as(sql), channel_id);
        row.map(channel_from).transpose()
    }

    /// Every channel with a daily question (of one server if given).
    pub async fn daily_channels(&self, guild_id: Option<&str>) -> Result<Vec<DailyChannel>> {
        let sql = select_channel!(" WHERE ($1 IS NULL OR guild_id = $1) ORDER BY channel_id");
        let rows: Vec<ChannelRow> = fetch!(self, fetch_all, query_as(sql), guild_id);
        rows.into_iter().map(channel_from).collect()
    }

    // ---- daily posts ----

    /// Claims the (channel, date) slot for `key`. `true` for the one caller
    /// that got it; every other caller, in any process, gets `false`.
    ///
    /// Retried whole. A retry after a COMMIT whose reply was lost finds
    /// the slot taken: it is this caller's when the stored claim is
    /// exactly its own (same card, same `now`), so a lost reply never
    /// leaves a claimed day unposted.
    pub async fn claim_daily_slot(
        &self,
        channel: &DailyChannel,
        date: NaiveDate,
        key: &CardKey,
        now: Millis,
    ) -> Result<bool> {
        let sql = "INSERT INTO daily_posts \
             (channel_id, local_date, guild_id, deck_id, card_id, direction, claimed_at, retry_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7 + $8) \
             ON CONFLICT (channel_id, local_date) DO NOTHING";
        let mine = "SELECT COUNT(*) FROM daily_posts WHERE channel_id = $1 AND local_date = $2 \
             AND deck_id = $3 AND card_id = $4 AND direction = $5 AND claimed_at = $6";
        claim_once!(
            self,
            "claim daily slot",
            sqlx::query(sql)
                .bind(&channel.channel_id)
                .bind(date_str(date))
                .bind(&channel.guild_id)
                .bind_key(key)
                .bind(now)
                .bind(DAILY_LEASE),
            sqlx::query_scalar::<_, i64>(mine)
                .bind(&channel.channel_id)
                .bind(date_str(date))
                .bind_key(key)
                .bind(now)
        )
    }

    /// Remembers the Discord message of a posted slot.
    pub async fn set_daily_message(
        &self,
        channel_id: &str,
        date: NaiveDate,
        message_id: &str,
    ) -> Result<()> {
        let sql =
            "UPDATE daily_posts SET message_id = $3 WHERE channel_id = $1 AND local_date = $2";
        write_rows!(
            self,
            "set daily message",
            sql,
            channel_id,
            date_str(date),
            message_id
        )?;
        Ok(())
    }

    /// The channel's post of `date`, if that slot was claimed.
    pub async fn daily_post(&self, channel_id: &str, date: NaiveDate) -> Result<Option<DailyPost>> {
        let sql = select_post!(" WHERE channel_id = $1 AND local_date = $2");
        let row: Option<PostRow> = fetch!(
            self,
            fetch_optional,
            query_as(sql),
            channel_id,
            date_str(date)
        );
        row.map(post_from).transpose()
    }

    /// The channel's latest claimed post (before `before` if given).
    pub async fn last_daily_post(
        &self,
        channel_id: &str,
        before: Option<NaiveDate>,
    ) -> Result<Option<DailyPost>> {
        let sql = select_post!(
            "WHERE channel_id = $1 AND ($2 IS NULL OR local_date < $2) \
             ORDER BY local_date DESC LIMIT 1"
        );
        let row: Option<PostRow> = fetch!(
            self,
            fetch_optional,
            query_as(sql),
            channel_id,
            before.map(date_str)
        );
        row.map(post_from).transpose()
    }

    /// How many times each card direction was the channel's question.
    pub async fn daily_asked_counts(&self, channel_id: &str) -> Result<Vec<(CardKey, u32)>> {
        let sql = "SELECT deck_id, card_id, direction, COUNT(*) FROM daily_posts \
                   WHERE channel_id = $1 GROUP BY deck_id, card_id, direction";
        let rows: Vec<(String, String, String, i64)> =
            fetch!(self, fetch_all, query_as(sql), channel_id);
        rows.into_iter()
            .map(|(deck, card, direction, n)| {
                let key = CardKey {
                    deck: DeckId::parse(&deck).map_err(|_| corrupt("deck id", &deck))?,
                    card: CardId::parse(&card).map_err(|_| corrupt("card id", &card))?,
                    direction: Direction::parse(&direction)
                        .ok_or_else(|| corrupt("direction", &direction))?,
                };
                Ok((key, u32::try_from(n).unwrap_or(u32::MAX)))
            })
            .collect()
    }

    // ---- daily answers ----

    /// Records a member's answer to a daily question in one transaction,
    /// retried whole: the member's answer (`daily_answers`, which earns the
    /// point in the post's server), the member noted in the post's server
    /// (`guild_members`) and the review, recorded like
    /// [`Store::record_answer`] under [`DailyPost::answer_key`]. `None`
    /// when they had answered it already (the first answer counts; nothing
    /// is written). A crash or a failure leaves all of it or none; so does
    /// a member whose `/forget-me` ran while they answered: the review's
    /// user is gone, the transaction fails and nothing creates them again.
    ///
    /// A retry after a COMMIT whose reply was lost finds this very answer
    /// stored (same member, post, time and review key) and returns it,
    /// `fresh` false: stored once, and the member hears how it went.
    pub async fn record_daily_answer(
        &self,
        post: &DailyPost,
        user: &User,
        answered: &Answered,
    ) -> Result<Option<Recorded>> {
        let answer_sql = "INSERT INTO daily_answers \
             (channel_id, local_date, user_id, guild_id, correct, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (channel_id, local_date, user_id) DO NOTHING";
        let correct = rating_for(answered.answer) != Rating::Again;
        let answer_key = post.answer_key();
        retry::retry_tracked("record daily answer", &WRITES, |retried| {
            let answer_key = &answer_key;
            async move {
            with_writer!(self, conn => {
                let mut tx = conn.begin_with(self.begin_answer()).await?;
                let first = sqlx::query(answer_sql)
                    .bind(&post.channel_id)
                    .bind(date_str(post.date))
                    .bind(&user.id)
                    .bind(&post.guild_id)
                    .bind(i64::from(correct))
                    .bind(answered.at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
                if !first {
                    // This very answer, when an earlier attempt's COMMIT
                    // went through but its reply was lost.
                    let mine: Option<(i64, i64)> = if retried {
                        sqlx::query_as(SQL_OWN_DAILY_ANSWER)
                            .bind(&post.channel_id)
                            .bind(date_str(post.date))
                            .bind(&user.id)
                            .bind(answered.at)
                            .bind(answer_key.as_str())
                            .fetch_optional(&mut *tx)
                            .await?
                    } else {
                        None
                    };
                    return match mine {
                        Some((rating, interval_days)) => {
                            let state = read_state!(&mut tx, &user.id, &answered.key);
                            Recorded::already(rating, interval_days, state).map(Some)
                        }
                        None => Ok(None),
                    };
                }
                sqlx::query(SQL_TOUCH_MEMBER)
                    .bind(&post.guild_id)
                    .bind(&user.id)
                    .bind(None::<&str>)
                    .bind(answered.at)
                    .execute(&mut *tx)
                    .await?;
                let recorded = record_in_tx!(self, &mut tx, user, answer_key.as_str(), answered)?;
                tx.commit().await?;
                Ok(Some(recorded))
            })
            }
        })
        .await
    }

    /// Whether `user_id` already answered the channel's question of `date`.
    pub async fn daily_answered(
        &self,
        channel_id: &str,
        date: NaiveDate,
        user_id: &str,
    ) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM daily_answers \
                   WHERE channel_id = $1 AND local_date = $2 AND user_id = $3";
        let n: i64 = fetch!(
            self,
            fetch_one,
            query_scalar(sql),
            channel_id,
            date_str(date),
            user_id
        );
        Ok(n > 0)
    }

    /// `(right, answered)` for the channel's question of `date`.
    pub async fn daily_results(&self, channel_id: &str, date: NaiveDate) -> Result<(u32, u32)> {
        let sql = "SELECT CAST(COALESCE(SUM(correct), 0) AS BIGINT), COUNT(*) FROM daily_answers \
                   WHERE channel_id = $1 AND local_date = $2";
        let (right, total): (i64, i64) =
            fetch!(self, fetch_one, query_as(sql), channel_id, date_str(date));
        Ok((right as u32, total as u32))
    }

    /// The member's daily streak in a server: consecutive local dates with
    /// an answer to a daily question of that server, ending on `today` or
    /// the day before (right or wrong both count: the streak is about
    /// showing up). For the leaderboard too.
    pub async fn daily_streak(
        &self,
        guild_id: &str,
        user_id: &str,
        today: NaiveDate,
    ) -> Result<u32> {
        let sql = "SELECT DISTINCT local_date FROM daily_answers \
                   WHERE guild_id = $1 AND user_id = $2 ORDER BY local_date DESC";
        let dates: Vec<String> = fetch!(self, fetch_all, query_scalar(sql), guild_id, user_id);
        let dates: Vec<NaiveDate> = dates.iter().map(|d| parse_date(d)).collect::<Result<_>>()?;
        Ok(date_streak(&dates, today))
    }

    // ---- servers and exams ----

    /// Sets (or replaces) a server's exam.
    pub async fn set_exam(&self, exam: &Exam, set_by: &str, now: Millis) -> Result<()> {
        let sql = "INSERT INTO exams (guild_id, exam_date, time_zone, deck_id, set_by, set_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (guild_id) DO UPDATE SET \
             exam_date = excluded.exam_date, time_zone = excluded.time_zone, \
             deck_id = excluded.deck_id, set_by = excluded.set_by, set_at = excluded.set_at";
        write_rows!(
            self,
            "set exam",
            sql,
            &exam.guild_id,
            date_str(exam.date),
            exam.time_zone.name(),
            exam.deck.as_ref().map(DeckId::as_str),
            set_by,
            now
        )?;
        Ok(())
    }

    /// A server's exam, if one was set.
    pub async fn exam(&self, guild_id: &str) -> Result<Option<Exam>> {
        let sql = "SELECT guild_id, exam_date, time_zone, deck_id FROM exams WHERE guild_id = $1";
        let row: Option<(String, String, String, Option<String>)> =
            fetch!(self, fetch_optional, query_as(sql), guild_id);
        row.map(exam_from).transpose()
    }

    /// The nearest exam on or after `today` among the servers the student
    /// uses the bot in (for `/study`'s exam-day ordering).
    pub async fn upcoming_exam(&self, user_id: &str, today: NaiveDate) -> Result<Option<Exam>> {
        let sql = "SELECT e.guild_id, e.exam_date, e.time_zone, e.deck_id FROM exams e \
                   JOIN guild_members g ON g.guild_id = e.guild_id \
                   WHERE g.user_id = $1 AND e.exam_date >= $2 ORDER BY e.exam_date LIMIT 1";
        let row: Option<(String, String, String, Option<String>)> = fetch!(
            self,
            fetch_optional,
            query_as(sql),
            user_id,
            date_str(today)
        );
        row.map(exam_from).transpose()
    }
}

fn exam_from(row: (String, String, String, Option<String>)) -> Result<Exam> {
    let (guild_id, date, zone, deck) = row;
    Ok(Exam {
        guild_id,
        date: parse_date(&date)?,
        time_zone: parse_tz(&zone)?,
        deck: parse_deck(deck)?,
    })
}

/// Consecutive dates in `dates_desc` (distinct, latest first) ending on
/// `today` or the day before.
fn date_streak(dates_desc: &[NaiveDate], today: NaiveDate) -> u32 {
    let Some(&latest) = dates_desc.first() else {
        return 0;
    };
    if (today - latest).num_days() > 1 {
        return 0;
    }
    dates_desc
        .iter()
        .enumerate()
        .take_while(|&(i, &d)| (latest - d).num_days() == i as i64)
        .count() as u32
}
