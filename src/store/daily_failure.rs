//! What became of a channel's daily post when Discord refused it, and the
//! second tries of a claimed post.
//!
//! A channel keeps its last failure (`daily_channels.failure_*`) until a
//! post goes through or an admin sets it again: `/daily show` shows it,
//! and the admin who set it up is told once (`failure_told`). A refusal
//! (403) or a channel gone (404) pauses the channel. A claimed post not
//! yet accepted by Discord (`message_id` NULL) is tried again from its
//! `retry_at` on, by whoever claims the next attempt
//! ([`Store::claim_daily_retry`], one caller wins).

use chrono::NaiveDate;

use super::daily::{DAILY_LEASE, date_str as date_text};
use super::retry::{self, WRITES};
use super::{DailyPost, Result, Store, StoreError};
use crate::core::schedule::Millis;

/// Why a daily post failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostFailure {
    /// Discord refused it (403): these permissions are missing in the
    /// channel (Discord's bits; 0 when the bot could not tell which).
    Missing(u64),
    /// The channel is gone or the bot no longer sees it (404).
    Gone,
    /// Discord failed or did not answer: the HTTP status, 0 for none.
    Transient(u16),
}

impl PostFailure {
    /// Whether the channel waits for an admin (a transient failure does not).
    pub fn pauses(self) -> bool {
        !matches!(self, Self::Transient(_))
    }

    fn to_row(self) -> (&'static str, i64) {
        match self {
            Self::Missing(bits) => ("missing", i64::try_from(bits).unwrap_or(0)),
            Self::Gone => ("gone", 0),
            Self::Transient(status) => ("transient", i64::from(status)),
        }
    }

    fn from_row(kind: &str, detail: Option<i64>) -> Result<Self> {
        let detail = detail.unwrap_or(0);
        match kind {
            "missing" => Ok(Self::Missing(u64::try_from(detail).unwrap_or(0))),
            "gone" => Ok(Self::Gone),
            "transient" => Ok(Self::Transient(u16::try_from(detail).unwrap_or(0))),
            other => Err(StoreError::Corrupt(format!("daily failure {other:?}"))),
        }
    }
}

/// A channel's last failed post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyFailure {
    pub channel_id: String,
    pub failure: PostFailure,
    pub at: Millis,
    /// No post until an admin sets the channel again.
    pub paused: bool,
}

type FailureRow = (String, String, Option<i64>, Option<i64>, i64);

fn failure_from(row: FailureRow) -> Result<DailyFailure> {
    let (channel_id, kind, detail, at, paused) = row;
    Ok(DailyFailure {
        failure: PostFailure::from_row(&kind, detail)?,
        at: at.unwrap_or(0),
        paused: paused != 0,
        channel_id,
    })
}

impl Store {
    /// Records that the channel's post failed at `at` (pausing it for a
    /// refusal or a channel gone); its admin has not been told yet.
    pub async fn daily_failed(
        &self,
        channel_id: &str,
        failure: PostFailure,
        at: Millis,
    ) -> Result<()> {
        let sql = "UPDATE daily_channels SET failure_kind = $2, failure_detail = $3, \
                   failed_at = $4, paused = $5, failure_told = 0 WHERE channel_id = $1";
        let (kind, detail) = failure.to_row();
        write_rows!(
            self,
            "daily failed",
            sql,
            channel_id,
            kind,
            detail,
            at,
            i64::from(failure.pauses())
        )?;
        Ok(())
    }

    /// Forgets the channel's failure: a post went through.
    pub async fn daily_succeeded(&self, channel_id: &str) -> Result<()> {
        let sql = "UPDATE daily_channels SET failure_kind = NULL, failure_detail = NULL, \
                   failed_at = NULL, paused = 0, failure_told = 0 \
                   WHERE channel_id = $1 AND failure_kind IS NOT NULL";
        write_rows!(self, "daily succeeded", sql, channel_id)?;
        Ok(())
    }

    /// The channel's last failed post, if its last post failed.
    pub async fn daily_failure(&self, channel_id: &str) -> Result<Option<DailyFailure>> {
        let sql = "SELECT channel_id, failure_kind, failure_detail, failed_at, paused \
                   FROM daily_channels WHERE channel_id = $1 AND failure_kind IS NOT NULL";
        let row: Option<FailureRow> = fetch!(self, fetch_optional, query_as(sql), channel_id);
        row.map(failure_from).transpose()
    }

    /// The failures of `guild`'s daily channels that `admin` set up and
    /// has not been told of, marked told: each is told once (a reply lost
    /// in the COMMIT of this very call loses its notice; `/daily show`
    /// still shows it).
    pub async fn take_daily_notices(
        &self,
        guild_id: &str,
        admin: &str,
    ) -> Result<Vec<DailyFailure>> {
        // Read first: this runs after every command, and almost always
        // finds nothing to write.
        let untold = "SELECT COUNT(*) FROM daily_channels WHERE guild_id = $1 AND set_by = $2 \
                      AND failure_told = 0 AND failure_kind IS NOT NULL";
        let n: i64 = fetch!(self, fetch_one, query_scalar(untold), guild_id, admin);
        if n == 0 {
            return Ok(Vec::new());
        }
        let sql = "UPDATE daily_channels SET failure_told = 1 \
                   WHERE guild_id = $1 AND set_by = $2 AND failure_told = 0 \
                   AND failure_kind IS NOT NULL \
                   RETURNING channel_id, failure_kind, failure_detail, failed_at, paused";
        let rows: Vec<FailureRow> = retry::retry("take daily notices", &WRITES, || async {
            Ok(fetch!(self, fetch_all, query_as(sql), guild_id, admin))
        })
        .await?;
        let mut failures: Vec<DailyFailure> =
            rows.into_iter().map(failure_from).collect::<Result<_>>()?;
        failures.sort_by(|a, b| a.channel_id.cmp(&b.channel_id));
        Ok(failures)
    }

    /// Claims the next attempt at `post`, a claimed post not yet accepted
    /// whose `retry_at` has come: `true` for the one caller that gets it
    /// (its lease runs until `now` + [`DAILY_LEASE`]).
    ///
    /// Retried whole: a retry after a COMMIT whose reply was lost finds
    /// its own attempt (the next number, its lease) and still gets it.
    pub async fn claim_daily_retry(&self, post: &DailyPost, now: Millis) -> Result<bool> {
        let sql = "UPDATE daily_posts SET attempts = attempts + 1, retry_at = $4 \
                   WHERE channel_id = $1 AND local_date = $2 AND attempts = $3 \
                   AND message_id IS NULL AND (retry_at IS NULL OR retry_at <= $5)";
        let mine = "SELECT COUNT(*) FROM daily_posts WHERE channel_id = $1 AND local_date = $2 \
                    AND attempts = $3 AND retry_at = $4";
        let date = date_text(post.date);
        let seen = i64::from(post.attempts);
        let until = now + DAILY_LEASE;
        let mut attempts = 0;
        retry::retry("claim daily retry", &WRITES, || {
            attempts += 1;
            let retried = attempts > 1;
            let date = &date;
            async move {
                with_pool!(self, pool => {
                    let mut tx = pool.begin().await?;
                    let n = bind!(sqlx::query(sql), &post.channel_id, date, seen, until, now)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    let claimed = if n == 1 {
                        true
                    } else if retried {
                        let found: i64 = bind!(sqlx::query_scalar(mine), &post.channel_id, date, seen + 1, until)
                            .fetch_one(&mut *tx)
                            .await?;
                        found == 1
                    } else {
                        false
                    };
                    tx.commit().await?;
                    Ok(claimed)
                })
            }
        })
        .await
    }

    /// The claimed, unposted post of `date` may be tried again from `at`.
    pub async fn retry_daily_at(&self, channel: &str, date: NaiveDate, at: Millis) -> Result<()> {
        let sql = "UPDATE daily_posts SET retry_at = $3 \
                   WHERE channel_id = $1 AND local_date = $2 AND message_id IS NULL";
        write_rows!(self, "retry daily at", sql, channel, date_text(date), at)?;
        Ok(())
    }
}
