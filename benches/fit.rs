//! Time to fit one student's FSRS parameters (`core::fit::fit_student`:
//! the optimizer on 80 % of the long-term reviews, then the defaults and
//! the fitted parameters judged on the held-out 20 %), for logs of 1,000,
//! 2,000 and 4,000 long-term reviews of one simulated student. Criterion
//! prints the time per fit and the throughput in reviews per second; the
//! time per 1,000 reviews is the first line, or a quarter of the last.
//!
//! Run: `cargo bench --bench fit`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rappel::core::fit::{LoggedAnswer, Reviews, fit_student};
use rappel::core::simulate::{Learner, draw_learner, student_log};
use std::hint::black_box;

/// The shortest prefixes of one long simulated log holding 1,000, 2,000
/// and 4,000 long-term reviews.
fn logs() -> Vec<(usize, Vec<LoggedAnswer>)> {
    let mut rng = StdRng::seed_from_u64(1);
    let learner = Learner {
        new_per_day: 15,
        p_study: 1.0,
        ..draw_learner(&mut rng)
    };
    let log = student_log(&learner, 200, &mut rng);
    let mut out = Vec::new();
    for target in [1_000, 2_000, 4_000] {
        let mut n = target;
        while n <= log.len() && Reviews::from_log(&log[..n]).len() < target {
            n += 50;
        }
        if n <= log.len() {
            out.push((target, log[..n].to_vec()));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("fit_student");
    group.sample_size(10);
    for (n_reviews, log) in logs() {
        group.throughput(Throughput::Elements(n_reviews as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n_reviews), &log, |b, log| {
            b.iter(|| fit_student(black_box(log), None))
        });
    }
    group.finish();
}

// No plots: criterion's plotters backend needs a system font, which this
// machine (and CI) lacks.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
