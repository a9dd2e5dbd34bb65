//! `rappel srs optimize|simulate|calibration`: fitting one student's FSRS
//! parameters by hand, the simulated population that checks the fitting,
//! and the check of the stored exam forecasts against what happened.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use rand::SeedableRng;

use crate::core::fit::{Metrics, Outcome, Report};
use crate::core::forecast::{self, Calibration, MIN_CARDS_PER_BIN};
use crate::core::simulate::{self, Population};
use crate::store::Store;

fn metrics(m: Option<Metrics>) -> String {
    m.map_or("-".to_string(), |m| {
        format!("log loss {:.4}, RMSE(bins) {:.4}", m.log_loss, m.rmse_bins)
    })
}

/// The figures of a fit, one per line.
pub fn report_lines(report: &Report) -> Vec<String> {
    let mut lines = vec![
        format!(
            "answers {}, long-term reviews {} (fit on the first {}, {} held out)",
            report.n_answers, report.n_reviews, report.n_train, report.n_test
        ),
        format!("default parameters:  {}", metrics(report.default_metrics)),
        format!("fitted parameters:   {}", metrics(report.fitted_metrics)),
    ];
    if report.previous_metrics.is_some() {
        lines.push(format!(
            "previous parameters: {}",
            metrics(report.previous_metrics)
        ));
    }
    if let Some(p) = report.fitted {
        lines.push(format!("fitted: {}", p.to_text()));
    }
    lines.push(match report.outcome {
        Outcome::Fitted => "in use: the fitted parameters".to_string(),
        Outcome::Previous => "in use: the parameters fitted before (still better)".to_string(),
        Outcome::Default => "in use: FSRS's defaults (the fit did no better)".to_string(),
        Outcome::TooFew => format!(
            "not fitted: {} long-term reviews needed",
            crate::core::fit::MIN_REVIEWS
        ),
        Outcome::Failed => format!(
            "not fitted: {}",
            report.error.as_deref().unwrap_or("the optimizer failed")
        ),
    });
    lines
}

/// Fits `user` now (as the background job would, without its daily
/// claim) and prints the figures; `dry_run` stores nothing.
pub async fn srs_optimize(user: &str, db: &str, dry_run: bool) -> anyhow::Result<ExitCode> {
    let store = Store::connect(db)
        .await
        .with_context(|| format!("opening the database {db}"))?;
    let result = optimize(&store, user, dry_run).await;
    store.close().await;
    let report = result?;
    let mut out = std::io::stdout().lock();
    for line in report_lines(&report) {
        writeln!(out, "{line}")?;
    }
    if dry_run {
        writeln!(out, "(dry run: nothing stored)")?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn optimize(store: &Store, user: &str, dry_run: bool) -> anyhow::Result<Report> {
    anyhow::ensure!(
        store.find_user(user).await?.is_some(),
        "no user {user:?} in this database"
    );
    let now = chrono::Utc::now().timestamp_millis();
    if !dry_run {
        return Ok(crate::fit_job::fit_user(store, user, now).await?);
    }
    let log = store.fit_log(user).await?;
    let previous = store.fit_in_use(user).await?.and_then(|f| f.report.fitted);
    Ok(crate::core::fit::fit_student(
        &log.answers,
        previous.as_ref(),
    ))
}

/// Simulates a population and prints how close the fitted parameters come
/// to the true ones, and the calibration of the exam forecast.
pub fn srs_simulate(students: usize, days: u32, seed: u64) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(students > 0, "--students must be at least 1");
    anyhow::ensure!(
        days >= 21,
        "--days must be at least 21 (forecast, exam, week after)"
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let started = std::time::Instant::now();
    let outcome = simulate::simulate(&Population { students, days }, &mut rng);
    let mut out = std::io::stdout().lock();
    for line in simulation_lines(&outcome) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "({:.1} s)", started.elapsed().as_secs_f64())?;
    Ok(ExitCode::SUCCESS)
}

/// The figures of a simulation, one per line.
pub fn simulation_lines(outcome: &simulate::Outcome) -> Vec<String> {
    let fitted: Vec<_> = outcome.fitted().collect();
    let n = fitted.len();
    let better = fitted
        .iter()
        .filter(|s| s.fitted_better() == Some(true))
        .count();
    let mean = |f: &dyn Fn(&simulate::Student) -> Option<f64>| {
        let values: Vec<f64> = fitted.iter().filter_map(|s| f(s)).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    let loss = |m: Option<Metrics>| m.map(|m| f64::from(m.log_loss));
    let show = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.4}"));
    let mut lines = vec![
        format!(
            "{} students, {} with at least {} long-term reviews (fitted)",
            outcome.students.len(),
            n,
            crate::core::fit::MIN_REVIEWS
        ),
        format!(
            "fitted beat the defaults on held-out log loss for {better} of {n} ({:.0} %)",
            if n == 0 {
                0.0
            } else {
                better as f64 * 100.0 / n as f64
            }
        ),
        format!(
            "mean held-out log loss: default {}, fitted {}, true {}",
            show(mean(&|s| loss(s.report.default_metrics))),
            show(mean(&|s| loss(s.report.fitted_metrics))),
            show(mean(&|s| loss(s.true_metrics))),
        ),
        format!(
            "mean |predicted - true recall| on held-out reviews: default {}, fitted {}",
            show(mean(&|s| s.default_gap)),
            show(mean(&|s| s.fitted_gap)),
        ),
        format!(
            "fitted predictions closer to the true recall than the defaults' for {} of {n}",
            fitted
                .iter()
                .filter(|s| s.fitted_gap < s.default_gap)
                .count()
        ),
        format!(
            "in use after the fit: fitted {}, default {}",
            fitted
                .iter()
                .filter(|s| s.report.outcome == Outcome::Fitted)
                .count(),
            fitted
                .iter()
                .filter(|s| s.report.outcome == Outcome::Default)
                .count(),
        ),
        "exam forecast (made 7 days before the exam) against the first answer per card in the \
         week after:"
            .to_string(),
    ];
    lines.extend(calibration_lines(&outcome.calibration));
    for (name, wanted) in [("fitted", Outcome::Fitted), ("default", Outcome::Default)] {
        let obs: Vec<_> = outcome
            .students
            .iter()
            .filter(|s| s.report.outcome == wanted)
            .flat_map(|s| s.observations.iter().copied())
            .collect();
        lines.push(format!("students scheduled with {name} parameters:"));
        lines.extend(calibration_lines(&forecast::calibrate(&obs)));
    }
    lines
}

/// A calibration table: overall, then each tenth of predicted recall.
pub fn calibration_lines(c: &Calibration) -> Vec<String> {
    let row = |name: String, b: &forecast::Bin| {
        if b.n == 0 {
            return format!("  {name:<8} {:>7} cards", 0);
        }
        let verdict = if b.conclusive() {
            format!("gap {:+.1} points", b.gap_points())
        } else {
            format!("too few cards (< {MIN_CARDS_PER_BIN}) to conclude")
        };
        format!(
            "  {name:<8} {:>7} cards  predicted {:>5.1} %  observed {:>5.1} %  {verdict}",
            b.n,
            b.predicted * 100.0,
            b.observed * 100.0
        )
    };
    let mut lines = vec![row("all".to_string(), &c.overall)];
    for (i, b) in c.deciles.iter().enumerate() {
        lines.push(row(format!("{}-{}%", i * 10, i * 10 + 10), b));
    }
    lines
}

/// Every stored exam forecast whose exam is past against the answers of
/// the week after, together.
pub async fn srs_calibration(db: &str) -> anyhow::Result<ExitCode> {
    let store = Store::connect(db)
        .await
        .with_context(|| format!("opening the database {db}"))?;
    let result = calibration(&store).await;
    store.close().await;
    let (n_forecasts, n_open, observations) = result?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{n_forecasts} forecast(s) of past exams ({n_open} whose week after is not over), \
         {} card(s) answered in the week after their exam",
        observations.len()
    )?;
    if observations.is_empty() {
        writeln!(out, "nothing to compare yet")?;
        return Ok(ExitCode::SUCCESS);
    }
    for line in calibration_lines(&forecast::calibrate(&observations)) {
        writeln!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn calibration(store: &Store) -> anyhow::Result<(usize, usize, Vec<forecast::Observation>)> {
    let now = chrono::Utc::now().timestamp_millis();
    let forecasts = store.forecasts_to_check(now).await?;
    let mut observations = Vec::new();
    for f in &forecasts {
        observations.extend(store.forecast_observations(f).await?);
    }
    let open = forecasts
        .iter()
        .filter(|f| now < f.forecast.exam_at + forecast::WEEK_AFTER)
        .count();
    Ok((forecasts.len(), open, observations))
}
