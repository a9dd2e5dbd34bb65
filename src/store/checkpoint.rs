//! WAL checkpoints off the answer path. SQLite copies the write-ahead log
//! back into the database file (a checkpoint: writes at random places and
//! two fsyncs) by default in the COMMIT that makes the log pass 1,000
//! pages, so one answer in a few hundred waited tens of milliseconds for
//! it. The writer connection ([`super::SqliteWriter`]) has that off
//! (`wal_autocheckpoint = 0`); this task checkpoints from a pool connection
//! instead, every [`INTERVAL`], in `PASSIVE` mode: it never takes the write
//! lock, so answers go on committing meanwhile. Pool connections keep the
//! default, so the log is still checkpointed if this task is late.

use std::sync::Weak;
use std::time::Duration;

use sqlx::SqlitePool;

/// Time between two checkpoints; the log grows by what is written
/// meanwhile (a few MB at thousands of answers a second).
pub(super) const INTERVAL: Duration = Duration::from_millis(500);

/// Frames (pages) in the log past which it is made to start over: 16 MB.
const LIMIT_FRAMES: i64 = 4_096;

/// Runs checkpoint `sql`: the frames in the log.
async fn checkpoint(pool: &SqlitePool, sql: &'static str) -> sqlx::Result<i64> {
    let (_busy, frames, _copied): (i64, i64, i64) = sqlx::query_as(sql).fetch_one(pool).await?;
    Ok(frames)
}

/// Checkpoints `pool`'s database every [`INTERVAL`] until the pool is
/// closed or `alive` (held by every clone of the store) is gone.
pub(super) fn spawn<T: Send + Sync + 'static>(pool: SqlitePool, alive: Weak<T>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            if pool.is_closed() || alive.strong_count() == 0 {
                break;
            }
            // Busy (another checkpoint, another process) or failing: the
            // next tick tries again, and pool connections still checkpoint.
            match checkpoint(&pool, "PRAGMA wal_checkpoint(PASSIVE)").await {
                // Under a steady stream of answers a PASSIVE checkpoint
                // never catches up with the end of the log, which then
                // never restarts: past LIMIT_FRAMES, a RESTART checkpoint
                // (it holds answers back while it copies the few frames
                // the PASSIVE one left) lets the log start over.
                Ok(frames) if frames > LIMIT_FRAMES => {
                    if let Err(e) = checkpoint(&pool, "PRAGMA wal_checkpoint(RESTART)").await {
                        tracing::debug!(error = %e, "WAL checkpoint (restart)");
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "WAL checkpoint"),
            }
        }
    });
}
