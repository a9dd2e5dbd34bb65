//! Group commit of the answers written on SQLite: the one writer
//! connection ([`SqliteWriter`]) runs every answer queued while it was busy
//! in one transaction, so a review costs its own statements but shares
//! `BEGIN IMMEDIATE`, `COMMIT` and the WAL frames of the pages they touch
//! (the review log's last page, the index pages of the same users).
//!
//! How: a caller queues its write and waits for its answer. Whoever gets
//! the connection takes everything queued (its own write, and any other
//! caller's) and runs them, in a spawned task (a caller that gives up
//! waiting never cancels a transaction others are in): one transaction,
//! each write as it would run alone (`record_in_tx!`: read the state, make
//! the review, append the log row, upsert the state), in queue order, so
//! two writes of one card see each other as if run one after the other.
//! Each caller is answered after the COMMIT, so nothing is acknowledged
//! before it is stored. There is no timer: a write waits for the
//! transaction in progress and its own, never for a window.
//!
//! Failures stay each caller's own. A write whose statement fails is
//! answered with its error and the transaction rolled back; the others run
//! again in a new one (failures are rare: cheaper than a savepoint around
//! every write). When `BEGIN` or `COMMIT` fails (busy: another process
//! holds the write lock), every write of the group gets that error, and
//! each caller's own [`retry::retry`](super::retry::retry) loop tries
//! again as before, so the busy and "unavailable" behaviour is unchanged.
//! PostgreSQL does not come here: its answers run on the pool, each in its
//! own transaction.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use sqlx::error::{DatabaseError, ErrorKind};
use tokio::sync::oneshot;

use super::{Recorded, Result, Store, StoreError, User, batch};
use crate::core::review::{Answered, Review};

/// The one SQLite connection that writes answers (`/study`, the daily
/// question, the quiz writer, the fixtures' reviews), taken in turn
/// (tokio's mutex is first come, first served), and the answers waiting
/// for it. SQLite has one writer at a time anyway; what one connection
/// saves is its page cache: a WAL connection drops its whole cache
/// whenever another connection committed since its last transaction, so
/// answers spread over the pool's connections each re-read the index
/// pages of a million card states. Readers (the pool) never invalidate it.
#[derive(Clone)]
pub struct SqliteWriter {
    /// `None` once closed.
    conn: Arc<tokio::sync::Mutex<Option<sqlx::SqliteConnection>>>,
    queue: Arc<Mutex<Vec<Queued>>>,
}

impl std::fmt::Debug for SqliteWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteWriter").finish_non_exhaustive()
    }
}

/// Most writes in one transaction: a group holds the write lock while it
/// runs, and the first of its callers waits for all of it.
const MAX_GROUP: usize = 256;

impl SqliteWriter {
    pub(super) fn new(conn: sqlx::SqliteConnection) -> Self {
        Self {
            conn: Arc::new(tokio::sync::Mutex::new(Some(conn))),
            queue: Arc::default(),
        }
    }

    /// Gone once every clone of this writer (of its store) is dropped.
    pub(super) fn alive(&self) -> std::sync::Weak<impl Send + Sync + 'static> {
        Arc::downgrade(&self.queue)
    }

    /// The writer connection, waiting for its turn (`None` once closed).
    pub async fn lock(&self) -> tokio::sync::MutexGuard<'_, Option<sqlx::SqliteConnection>> {
        self.conn.lock().await
    }

    /// Runs `job` in the next group transaction; returns once it is
    /// committed (or failed). One attempt: callers retry.
    pub(super) async fn submit(&self, store: &Store, job: Job) -> Result<Done> {
        let (reply, mut done) = oneshot::channel();
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Queued { job, reply });
        loop {
            tokio::select! {
                biased;
                answer = &mut done => {
                    // The group task ended without answering: it panicked,
                    // and its transaction was rolled back.
                    return answer.unwrap_or(Err(StoreError::Sqlx(sqlx::Error::WorkerCrashed)));
                }
                guard = self.conn.clone().lock_owned() => {
                    let jobs: Vec<Queued> = {
                        let mut queue = self
                            .queue
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        let n = queue.len().min(MAX_GROUP);
                        queue.drain(..n).collect()
                    };
                    // Empty: a group before took this write, and answered
                    // it before giving the connection back.
                    if !jobs.is_empty() {
                        let store = store.clone();
                        tokio::spawn(async move {
                            let mut guard = guard;
                            run_group(&store, &mut guard, jobs).await;
                        });
                    }
                }
            }
        }
    }
}

/// A write that can run in a group.
#[derive(Clone)]
pub(super) enum Job {
    /// [`Store::record_answer`].
    Answer {
        user: User,
        answer_key: String,
        answered: Answered,
    },
    /// [`Store::record_review`].
    Review {
        user: User,
        answer_key: String,
        review: Review,
    },
}

/// What a committed [`Job`] gives back.
pub(super) enum Done {
    Answer(Recorded),
    Review,
}

struct Queued {
    job: Job,
    reply: oneshot::Sender<Result<Done>>,
}

/// Runs `jobs` in one transaction (again without a failed one, see the
/// module doc) and answers each.
async fn run_group(
    store: &Store,
    conn: &mut Option<sqlx::SqliteConnection>,
    mut jobs: Vec<Queued>,
) {
    use sqlx::Connection as _;
    let batch: Vec<&Job> = jobs.iter().map(|queued| &queued.job).collect();
    if let Some(answers) = batch::answers(&batch) {
        let Some(conn) = conn.as_mut() else {
            return fail_all(jobs, &sqlx::Error::PoolClosed);
        };
        let mut tx = match conn.begin_with(store.begin_answer()).await {
            Ok(tx) => tx,
            Err(e) => return fail_all(jobs, &e),
        };
        match batch::run(&mut tx, &answers).await {
            Ok(done) => return commit(tx, jobs, done).await,
            // One by one below: the failing write gets its own error.
            Err(e) => {
                tracing::debug!(error = %e, "a batched group failed; writing it one by one");
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(error = %rollback, "rolling back a group of answers");
                }
            }
        }
    }
    while !jobs.is_empty() {
        let Some(conn) = conn.as_mut() else {
            return fail_all(jobs, &sqlx::Error::PoolClosed);
        };
        let mut tx = match conn.begin_with(store.begin_answer()).await {
            Ok(tx) => tx,
            Err(e) => return fail_all(jobs, &e),
        };
        let mut done = Vec::with_capacity(jobs.len());
        let mut failed = None;
        for (i, queued) in jobs.iter().enumerate() {
            match run_job(store, &mut tx, &queued.job).await {
                Ok(d) => done.push(d),
                Err(e) => {
                    failed = Some((i, e));
                    break;
                }
            }
        }
        if let Some((i, e)) = failed {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(error = %rollback, "rolling back a group of answers");
            }
            let _ = jobs.remove(i).reply.send(Err(e));
            continue;
        }
        return commit(tx, jobs, done).await;
    }
}

/// Commits `tx` and answers each of `jobs` with what it gave back
/// (`done`, in order), or all with the error.
async fn commit(tx: sqlx::Transaction<'_, sqlx::Sqlite>, jobs: Vec<Queued>, done: Vec<Done>) {
    match tx.commit().await {
        Ok(()) => {
            for (queued, d) in jobs.into_iter().zip(done) {
                let _ = queued.reply.send(Ok(d));
            }
        }
        Err(e) => fail_all(jobs, &e),
    }
}

/// One write, as [`Store::record_answer`] or [`Store::record_review`]
/// would run it in a transaction of its own.
pub(super) async fn run_job(
    store: &Store,
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    job: &Job,
) -> Result<Done> {
    job_in_tx!(store, tx, job)
}

/// Answers every write of a group that did not commit with `error`.
fn fail_all(jobs: Vec<Queued>, error: &sqlx::Error) {
    for queued in jobs {
        let _ = queued.reply.send(Err(StoreError::Sqlx(copy_error(error))));
    }
}

/// A copy of `error` for each caller of a failed group (`sqlx::Error` is
/// not `Clone`): the same variant where it matters to
/// [`retry::is_transient`](super::retry::is_transient) (I/O, pool, worker,
/// database errors with their code), the message otherwise.
fn copy_error(error: &sqlx::Error) -> sqlx::Error {
    match error {
        sqlx::Error::Io(e) => sqlx::Error::Io(std::io::Error::new(e.kind(), e.to_string())),
        sqlx::Error::PoolTimedOut => sqlx::Error::PoolTimedOut,
        sqlx::Error::PoolClosed => sqlx::Error::PoolClosed,
        sqlx::Error::WorkerCrashed => sqlx::Error::WorkerCrashed,
        sqlx::Error::Database(db) => sqlx::Error::Database(Box::new(SharedError {
            message: db.message().to_string(),
            code: db.code().map(Cow::into_owned),
            kind: db.kind(),
        })),
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

/// A SQLite error that several writes of a failed group got: its message,
/// code (read by `retry::is_transient`) and kind.
#[derive(Debug)]
pub(super) struct SharedError {
    message: String,
    code: Option<String>,
    kind: ErrorKind,
}

impl std::fmt::Display for SharedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SharedError {}

impl DatabaseError for SharedError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        self.code.as_deref().map(Cow::Borrowed)
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        match self.kind {
            ErrorKind::UniqueViolation => ErrorKind::UniqueViolation,
            ErrorKind::ForeignKeyViolation => ErrorKind::ForeignKeyViolation,
            ErrorKind::NotNullViolation => ErrorKind::NotNullViolation,
            ErrorKind::CheckViolation => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}
