//! Retries of writes that failed for a passing reason: SQLite busy or
//! locked (another connection or process holds the write lock longer than
//! `busy_timeout`), PostgreSQL serialization failures, deadlocks, lock
//! timeouts and lost connections. Each attempt is a whole transaction, so
//! a failed attempt leaves nothing half-written; after the last attempt
//! the caller gets [`StoreError::Unavailable`], which the bot turns into a
//! localized "database busy, try again" message.

use std::future::Future;
use std::time::Duration;

use super::{Result, StoreError};

/// How many times and how patiently a write is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub attempts: u32,
    /// Pause after the first failure; doubled after each further one.
    pub first_delay: Duration,
    pub max_delay: Duration,
}

/// How long one SQLite statement waits for a lock held elsewhere.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_millis(300);

/// The policy of every write path. With [`SQLITE_BUSY_TIMEOUT`] per
/// attempt, a write gives up after about 1.6 s of a lock held elsewhere
/// (4 × 300 ms + 350 ms of pauses): the user still gets the "busy" reply
/// within Discord's 3 s interaction window, and `/answer`'s 2.5 s wait.
pub const WRITES: RetryPolicy = RetryPolicy {
    attempts: 4,
    first_delay: Duration::from_millis(50),
    max_delay: Duration::from_millis(400),
};

impl RetryPolicy {
    /// The pause after failed attempt `n` (1-based).
    pub fn delay(&self, n: u32) -> Duration {
        let factor = 1u32 << n.saturating_sub(1).min(16);
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Runs `attempt` until it succeeds, fails for good, or `policy.attempts`
/// transient failures happened (then [`StoreError::Unavailable`]).
/// `attempt` must be one whole transaction, safe to run again.
pub async fn retry<T, F, Fut>(what: &'static str, policy: &RetryPolicy, mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut n = 0;
    loop {
        n += 1;
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(StoreError::Sqlx(e)) if is_transient(&e) => {
                if n >= policy.attempts {
                    tracing::warn!(error = %e, attempts = n, what, "database unavailable, giving up");
                    return Err(StoreError::Unavailable {
                        attempts: n,
                        source: e,
                    });
                }
                let delay = policy.delay(n);
                tracing::info!(error = %e, attempt = n, ?delay, what, "database busy, retrying");
                tokio::time::sleep(delay).await;
            }
            Err(StoreError::Conflict) if n < policy.attempts => {
                tracing::info!(
                    attempt = n,
                    what,
                    "concurrent write of the same answer, retrying"
                );
            }
            Err(e) => return Err(e),
        }
    }
}

/// [`retry`] for a write that tells a retry from its first attempt:
/// `attempt` gets `true` from the second attempt on, when an earlier
/// attempt's COMMIT may have gone through with its reply lost (the write
/// then looks for its own row instead of storing a second one).
pub async fn retry_tracked<T, F, Fut>(
    what: &'static str,
    policy: &RetryPolicy,
    mut attempt: F,
) -> Result<T>
where
    F: FnMut(bool) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut n = 0;
    retry(what, policy, || {
        n += 1;
        attempt(n > 1)
    })
    .await
}

/// Whether `error` may go away if the same transaction is tried again.
pub fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            // A SQLite error, or its copy for each write of a failed group
            // commit (`group.rs`).
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
                || db.try_downcast_ref::<super::group::SharedError>().is_some()
            {
                // Primary result code in the low byte of the extended one.
                let code = db.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
                matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED)
            } else if let Some(e) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                let state = e.code();
                // Connection exceptions (08…), serialization failure,
                // deadlock, lock not available, too many connections,
                // server shutting down or not yet accepting connections.
                state.starts_with("08")
                    || matches!(
                        state,
                        "40001" | "40P01" | "55P03" | "53300" | "57P01" | "57P02" | "57P03"
                    )
            } else {
                false
            }
        }
        _ => false,
    }
}

const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let delays: Vec<u64> = (1..=5)
            .map(|n| WRITES.delay(n).as_millis() as u64)
            .collect();
        assert_eq!(delays, [50, 100, 200, 400, 400]);
    }

    #[test]
    fn pool_timeouts_and_io_errors_are_transient_but_missing_rows_are_not() {
        assert!(is_transient(&sqlx::Error::PoolTimedOut));
        assert!(is_transient(&sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset
        ))));
        assert!(!is_transient(&sqlx::Error::RowNotFound));
        assert!(!is_transient(&sqlx::Error::PoolClosed));
    }
}
