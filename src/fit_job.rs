//! The background job that fits each student's FSRS parameters to their
//! own log (`core::fit`): one step, [`try_fit_due`], and a loop, [`run`],
//! that takes it every hour. Every bot process runs the loop; the database
//! decides which process fits a student, at most once per UTC day
//! ([`Store::claim_fit`]). The optimizer runs on tokio's blocking threads,
//! one fit at a time per process, never on the path of a reply.
//!
//! A fit that puts other parameters in use also replays the memory
//! (stability, difficulty) of the student's cards with them, so the
//! scheduler and the exam forecast read states made with the parameters
//! they use. A card answered meanwhile keeps the state its answer wrote.

use std::time::Duration;

use crate::core::fit::{self, Report};
use crate::core::schedule::Millis;
use crate::store::{Store, StoreError};

/// The pause between two rounds of the loop.
pub const INTERVAL: Duration = Duration::from_secs(3600);

/// Why a fit could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the fitting task failed: {0}")]
    Task(String),
}

/// The UTC day of `now` (days since 1970-01-01): the unit of the claim.
pub fn utc_day(now: Millis) -> i64 {
    now.div_euclid(86_400_000)
}

/// What one round did.
#[derive(Debug, Default)]
pub struct Round {
    /// The students this process fitted, with their reports.
    pub fitted: Vec<(String, Report)>,
    /// Students another process claimed first.
    pub lost: usize,
    /// Students claimed whose fit failed (logged).
    pub failed: usize,
}

/// Fits every student due a fit ([`Store::fit_candidates`]) whose claim
/// for today this process (`process`, unique to it) wins.
pub async fn try_fit_due(store: &Store, process: &str, now: Millis) -> Result<Round, StoreError> {
    let day = utc_day(now);
    let mut round = Round::default();
    for candidate in store.fit_candidates(day).await? {
        let user = candidate.user_id;
        if !store.claim_fit(&user, day, process, now).await? {
            round.lost += 1;
            continue;
        }
        match fit_user(store, &user, now).await {
            Ok(report) => {
                tracing::info!(
                    user = %user,
                    outcome = report.outcome.as_str(),
                    reviews = report.n_reviews,
                    "fitted memory parameters"
                );
                round.fitted.push((user, report));
            }
            Err(e) => {
                tracing::warn!(user = %user, error = %e, "fitting memory parameters");
                round.failed += 1;
            }
        }
    }
    Ok(round)
}

/// Fits `user_id` now: reads their log, fits and judges on blocking
/// threads, stores the fit and what it puts in use, and replays the
/// cards' memory when the parameters in use changed.
pub async fn fit_user(store: &Store, user_id: &str, now: Millis) -> Result<Report, FitError> {
    let log = store.fit_log(user_id).await?;
    let previous = store
        .fit_in_use(user_id)
        .await?
        .and_then(|f| f.report.fitted);
    let answers = std::sync::Arc::new(log.answers);
    let report = {
        let answers = answers.clone();
        tokio::task::spawn_blocking(move || fit::fit_student(&answers, previous.as_ref()))
            .await
            .map_err(|e| FitError::Task(e.to_string()))?
    };
    store.record_fit(user_id, &report, now).await?;
    let in_use = report.in_use(previous.as_ref());
    if in_use != previous {
        let parameters = in_use.unwrap_or_default();
        let memories =
            tokio::task::spawn_blocking(move || fit::memory_states(&parameters, &answers))
                .await
                .map_err(|e| FitError::Task(e.to_string()))?;
        store.set_memories(user_id, &log.keys, &memories).await?;
    }
    Ok(report)
}

/// Takes [`try_fit_due`] now and then every [`INTERVAL`], for as long as
/// the process runs.
pub async fn run(store: Store) {
    let process = format!("fit-{:016x}", rand::random::<u64>());
    loop {
        let now = chrono::Utc::now().timestamp_millis();
        match try_fit_due(&store, &process, now).await {
            Ok(round) if round.fitted.is_empty() && round.failed == 0 => {}
            Ok(round) => tracing::info!(
                fitted = round.fitted.len(),
                failed = round.failed,
                lost = round.lost,
                "memory fitting round"
            ),
            Err(e) => tracing::warn!(error = %e, "memory fitting round"),
        }
        tokio::time::sleep(INTERVAL).await;
    }
}
