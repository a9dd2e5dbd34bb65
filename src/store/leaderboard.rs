//! Store queries for `/leaderboard` and `/stats`: server members, seasons,
//! each member's figures over a time window, and the activity behind the
//! `/stats` chart (one student or a whole server).
//!
//! Membership: reviews are not tied to a server, so a server's members are
//! the users who ran a command or answered its daily question there
//! (`guild_members`, written by [`Store::touch_member`] and
//! [`Store::record_daily_answer`]; quiz players are added from the awards).
//! It is the one table of a server's members: the daily question's choice
//! of card and `/study`'s exam date read it too.
//! Points come from one isolated function, [`Store::points_by_member`]:
//! quiz awards of the server's quizzes plus right daily answers.

use std::collections::HashMap;

use chrono_tz::Tz;

use super::{Result, Store, streak};
use crate::chart::{ChartData, DayReviews};
use crate::core::deck::DeckId;
use crate::core::leaderboard::{Entry, MASTERED_STABILITY_DAYS, MIN_SEASON_MS, Season};
use crate::core::schedule::{self, Millis};

/// (user id, display name, time zone) of a server member.
type MemberRow = (String, String, Option<String>);
type UserCount = (String, i64);
type UserDay = (String, i64);

/// Whose activity `/stats` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    User(&'a str),
    /// Every member of a server (see [`Store::touch_member`]).
    Guild(&'a str),
}

impl<'a> Who<'a> {
    fn binds(self) -> (Option<&'a str>, Option<&'a str>) {
        match self {
            Self::User(u) => (Some(u), None),
            Self::Guild(g) => (None, Some(g)),
        }
    }
}

/// Reviews and due cards over time, for the chart and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub chart: ChartData,
    /// Distinct students with a review in the reviewed window.
    pub active_students: u64,
}

/// What `/leaderboard season-reset` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeasonReset {
    /// `closed` is archived; season `closed.number + 1` starts now.
    Done { closed: Season },
    /// Another process (or click) reset it first; `current` is under way.
    AlreadyReset { current: i64 },
}

/// `SELECT … WHERE <who> …` with `$1` a user or `$2` a guild (the other
/// NULL): one user, or every member of a guild.
macro_rules! who_sql {
    ($head:literal, $tail:literal) => {
        concat!(
            $head,
            " WHERE ($1 IS NULL OR user_id = $1) AND \
             ($2 IS NULL OR user_id IN (SELECT user_id FROM guild_members WHERE guild_id = $2)) ",
            $tail
        )
    };
}

/// Notes that `$2` uses the bot in server `$1` at `$4`, under the name
/// `$3`; a NULL name (a daily answer, which has none at hand) keeps the
/// stored one, empty for a new member.
pub(super) const SQL_TOUCH_MEMBER: &str = "INSERT INTO guild_members (guild_id, user_id, display_name, first_seen, last_seen) \
     VALUES ($1, $2, COALESCE($3, ''), $4, $4) ON CONFLICT (guild_id, user_id) DO UPDATE SET \
     display_name = COALESCE($3, guild_members.display_name), last_seen = excluded.last_seen";

impl Store {
    /// Records that `user` used the bot in `guild`, under `name`.
    pub async fn touch_member(
        &self,
        guild: &str,
        user: &str,
        name: &str,
        now: Millis,
    ) -> Result<()> {
        write_rows!(
            self,
            "touch member",
            SQL_TOUCH_MEMBER,
            guild,
            user,
            Some(name),
            now
        )?;
        Ok(())
    }

    /// The members of `guild` (their user ids, in order).
    pub async fn guild_members(&self, guild: &str) -> Result<Vec<String>> {
        let sql = "SELECT user_id FROM guild_members WHERE guild_id = $1 ORDER BY user_id";
        Ok(fetch!(self, fetch_all, query_scalar(sql), guild))
    }

    /// How many users have used the bot in `guild`.
    pub async fn guild_member_count(&self, guild: &str) -> Result<u64> {
        let sql = "SELECT COUNT(*) FROM guild_members WHERE guild_id = $1";
        let n: i64 = fetch!(self, fetch_one, query_scalar(sql), guild);
        Ok(n as u64)
    }

    /// The number of the current season and when it started.
    pub async fn current_season(&self, guild: &str) -> Result<Season> {
        let sql = "SELECT number, started_at FROM seasons WHERE guild_id = $1 \
                   ORDER BY number DESC LIMIT 1";
        let row: Option<(i64, i64)> = fetch!(self, fetch_optional, query_as(sql), guild);
        let (number, start) = row.unwrap_or((1, 0));
        Ok(Season {
            number,
            start,
            end: None,
        })
    }

    /// Season `number` (current or archived), `None` if it has not started.
    pub async fn season(&self, guild: &str, number: i64) -> Result<Option<Season>> {
        let sql = "SELECT number, started_at FROM seasons WHERE guild_id = $1 \
                   AND number IN ($2, $3)";
        let rows: Vec<(i64, i64)> =
            fetch!(self, fetch_all, query_as(sql), guild, number, number + 1);
        let start_of = |n: i64| rows.iter().find(|r| r.0 == n).map(|r| r.1);
        let start = if number == 1 {
            Some(0)
        } else {
            start_of(number)
        };
        Ok(start.map(|start| Season {
            number,
            start,
            end: start_of(number + 1),
        }))
    }

    /// Closes the current season and starts the next one, exactly once:
    /// the next season's row is claimed with its primary key, so of two
    /// concurrent resets (two processes, two clicks) only one inserts it.
    /// A reset within [`MIN_SEASON_MS`] of the previous one is the same
    /// reset sent twice and does nothing.
    pub async fn reset_season(&self, guild: &str, by: &str, now: Millis) -> Result<SeasonReset> {
        let current = self.current_season(guild).await?;
        if current.number > 1 && now - current.start < MIN_SEASON_MS {
            return Ok(SeasonReset::AlreadyReset {
                current: current.number,
            });
        }
        let sql = "INSERT INTO seasons (guild_id, number, started_at, started_by) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id, number) DO NOTHING";
        let mine = "SELECT COUNT(*) FROM seasons \
                    WHERE guild_id = $1 AND number = $2 AND started_at = $3 AND started_by = $4";
        // A retry after a COMMIT whose reply was lost finds the season
        // started: it is this reset's when it has this reset's instant and
        // author.
        let done = claim_once!(
            self,
            "reset season",
            sqlx::query(sql)
                .bind(guild)
                .bind(current.number + 1)
                .bind(now)
                .bind(by),
            sqlx::query_scalar::<_, i64>(mine)
                .bind(guild)
                .bind(current.number + 1)
                .bind(now)
                .bind(by)
        )?;
        Ok(if done {
            SeasonReset::Done {
                closed: Season {
                    end: Some(now),
                    ..current
                },
            }
        } else {
            SeasonReset::AlreadyReset {
                current: current.number + 1,
            }
        })
    }

    /// Points per user in `guild` in `[start, end)` (of `deck` if given):
    /// the quiz points awarded in the server's quizzes (`quiz_awards`) plus
    /// one point per right answer (rating above Again) to the server's
    /// daily question (`daily_answers` of its channels).
    /// The only place that decides what a point is.
    pub async fn points_by_member(
        &self,
        guild: &str,
        start: Millis,
        end: Option<Millis>,
        deck: Option<&DeckId>,
    ) -> Result<HashMap<String, u64>> {
        let quiz_sql = "SELECT a.user_id, CAST(SUM(a.points) AS BIGINT) FROM quiz_awards a \
                        JOIN quizzes q ON q.id = a.quiz_id \
                        WHERE q.guild_id = $1 AND a.awarded_at >= $2 \
                        AND ($3 IS NULL OR a.awarded_at < $3) \
                        AND ($4 IS NULL OR q.deck_id = $4) GROUP BY a.user_id";
        // Daily answers count in the server they were given in (a student
        // in two servers earns each server's points in that server only).
        let daily_sql = "SELECT a.user_id, COUNT(*) FROM daily_answers a \
                         JOIN daily_posts p ON p.channel_id = a.channel_id \
                         AND p.local_date = a.local_date \
                         JOIN guild_members m ON m.user_id = a.user_id AND m.guild_id = a.guild_id \
                         WHERE a.guild_id = $1 AND a.correct = 1 \
                         AND a.answered_at >= $2 AND ($3 IS NULL OR a.answered_at < $3) \
                         AND ($4 IS NULL OR p.deck_id = $4) GROUP BY a.user_id";
        let deck = deck.map(DeckId::as_str);
        let (quiz, daily): (Vec<UserCount>, Vec<UserCount>) = with_pool!(self, pool => {
            let quiz = sqlx::query_as(quiz_sql)
                .bind(guild).bind(start).bind(end).bind(deck)
                .fetch_all(pool).await?;
            let daily = sqlx::query_as(daily_sql)
                .bind(guild).bind(start).bind(end).bind(deck)
                .fetch_all(pool).await?;
            (quiz, daily)
        });
        let mut points: HashMap<String, u64> = HashMap::new();
        for (user, n) in quiz.into_iter().chain(daily) {
            *points.entry(user).or_default() += n.max(0) as u64;
        }
        Ok(points)
    }

    /// Every member of `guild` with their points in `[start, end)`, cards
    /// mastered now and daily streak now (of `deck` if given; the streak is
    /// over all decks).
    pub async fn leaderboard_entries(
        &self,
        guild: &str,
        start: Millis,
        end: Option<Millis>,
        deck: Option<&DeckId>,
        now: Millis,
    ) -> Result<Vec<Entry>> {
        let points = self.points_by_member(guild, start, end, deck).await?;
        // Each member's day in their own zone: the one chosen in /settings first.
        let members_sql = "SELECT m.user_id, m.display_name, COALESCE(s.time_zone, u.time_zone) \
                           FROM guild_members m LEFT JOIN users u ON u.id = m.user_id \
                           LEFT JOIN user_settings s ON s.user_id = m.user_id \
                           WHERE m.guild_id = $1";
        let mastered_sql = "SELECT s.user_id, COUNT(*) FROM card_states s \
                            JOIN guild_members m ON m.user_id = s.user_id AND m.guild_id = $1 \
                            WHERE s.stability >= $2 AND ($3 IS NULL OR s.deck_id = $3) \
                            GROUP BY s.user_id";
        let daily_sql = "SELECT DISTINCT r.user_id, r.day FROM reviews r \
                         JOIN guild_members m ON m.user_id = r.user_id AND m.guild_id = $1 \
                         WHERE r.origin = 'daily' ORDER BY r.user_id, r.day DESC";
        let (members, mastered, daily): (Vec<MemberRow>, Vec<UserCount>, Vec<UserDay>) = with_pool!(self, pool => {
            let members = sqlx::query_as(members_sql).bind(guild).fetch_all(pool).await?;
            let mastered = sqlx::query_as(mastered_sql)
                .bind(guild)
                .bind(MASTERED_STABILITY_DAYS)
                .bind(deck.map(DeckId::as_str))
                .fetch_all(pool)
                .await?;
            let daily = sqlx::query_as(daily_sql).bind(guild).fetch_all(pool).await?;
            (members, mastered, daily)
        });
        let mastered: HashMap<String, i64> = mastered.into_iter().collect();
        let mut daily_days: HashMap<String, Vec<i64>> = HashMap::new();
        for (user, day) in daily {
            daily_days.entry(user).or_default().push(day);
        }
        let mut members = members;
        for user in points.keys() {
            if !members.iter().any(|m| &m.0 == user) {
                members.push((user.clone(), String::new(), None));
            }
        }
        Ok(members
            .into_iter()
            .map(|(user_id, name, tz)| {
                let tz: Tz = tz
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(schedule::SchedulerConfig::default().time_zone);
                let today = schedule::day_index(now, tz);
                Entry {
                    points: points.get(&user_id).copied().unwrap_or(0),
                    mastered: mastered.get(&user_id).map_or(0, |&n| n as u64),
                    daily_streak: daily_days
                        .get(&user_id)
                        .map_or(0, |days| streak(days, today)),
                    name: Some(name).filter(|n| !n.is_empty()),
                    user_id,
                }
            })
            .collect())
    }

    /// Reviews per day (right / wrong) over the last `n_past` days, today
    /// last, and cards due per day over the next `n_ahead` days, today first
    /// (overdue cards count for today). Days are local days in `tz` for due
    /// cards and each student's own local day for reviews.
    pub async fn activity(
        &self,
        who: Who<'_>,
        now: Millis,
        tz: Tz,
        n_past: u32,
        n_ahead: u32,
    ) -> Result<Activity> {
        let today = schedule::day_index(now, tz);
        let first = today - i64::from(n_past) + 1;
        let horizon = schedule::day_start(today + i64::from(n_ahead), tz);
        // Answers, not log rows: a self-rating corrects its answer's rating.
        let reviews_sql = concat!(
            "SELECT day, rating, COUNT(*) FROM (SELECT r.day, ",
            effective_rating!("r"),
            " AS rating FROM reviews r \
             WHERE ($1 IS NULL OR r.user_id = $1) AND \
             ($2 IS NULL OR r.user_id IN (SELECT user_id FROM guild_members WHERE guild_id = $2)) \
             AND r.day >= $3 AND r.day <= $4 AND r.amends IS NULL) answers GROUP BY day, rating"
        );
        let active_sql = who_sql!(
            "SELECT COUNT(DISTINCT user_id) FROM reviews",
            "AND day >= $3 AND day <= $4"
        );
        // Archived server decks' cards are no longer asked: not due.
        let due_sql = who_sql!(
            "SELECT due FROM card_states",
            "AND due < $3 AND deck_id NOT IN (SELECT 'srv-' || guild_id || '-' || deck_id \
             FROM server_decks WHERE removed_at IS NOT NULL)"
        );
        let (user, guild) = who.binds();
        let review_rows: Vec<(i64, i64, i64)> = fetch!(
            self,
            fetch_all,
            query_as(reviews_sql),
            user,
            guild,
            first,
            today
        );
        let active: i64 = fetch!(
            self,
            fetch_one,
            query_scalar(active_sql),
            user,
            guild,
            first,
            today
        );
        let dues: Vec<i64> = fetch!(self, fetch_all, query_scalar(due_sql), user, guild, horizon);
        let mut reviews = vec![DayReviews::default(); n_past as usize];
        for (day, rating, n) in review_rows {
            let slot = &mut reviews[(day - first) as usize];
            if rating > 1 {
                slot.right += n as u64;
            } else {
                slot.wrong += n as u64;
            }
        }
        let mut due = vec![0u64; n_ahead as usize];
        for at in dues {
            let offset = (schedule::day_index(at, tz) - today).max(0) as usize;
            if let Some(slot) = due.get_mut(offset) {
                *slot += 1;
            }
        }
        Ok(Activity {
            chart: ChartData { reviews, due },
            active_students: active as u64,
        })
    }
}
