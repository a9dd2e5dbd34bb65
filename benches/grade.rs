//! Time per grade for a term, a list and a definition answer (one core).
//! Targets: under 5 µs for a term, under 50 µs for a definition.
//! Run: `cargo bench --bench grade -- --warm-up-time 1 --measurement-time 3`.

use criterion::{Criterion, criterion_group, criterion_main};
use rappel::core::grade::grade;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let none: Vec<String> = Vec::new();
    c.bench_function("term", |b| {
        b.iter(|| {
            grade(
                black_box("Clients inactifs"),
                &none,
                black_box("client innactifs"),
            )
        })
    });
    c.bench_function("term_trap", |b| {
        b.iter(|| grade(black_box("Méthode RFM"), &none, black_box("RFM ou RFA")))
    });
    c.bench_function("list", |b| {
        b.iter(|| {
            grade(
                black_box("  1. Les interactions\n  2. Un certain degré de continuité\n  3. La symétrie des attentions"),
                &none,
                black_box("les interactions, la continuité et la symetrie des attention"),
            )
        })
    });
    c.bench_function("definition", |b| {
        b.iter(|| {
            grade(
                black_box("L’objectif des actions de communication est de concrétiser une vente avec le marketing direct. Maximiser le taux d’achat en minimisant le coût par transaction."),
                &none,
                black_box("concrétiser une vente avec le marketing direct, maximiser le taux d'achat en minimisant le coût par transaction"),
            )
        })
    });
    let long = "la fidélisation des clients somnambules, ".repeat(100);
    c.bench_function("noise_4000_chars", |b| {
        b.iter(|| grade(black_box("Fidélisation"), &none, black_box(&long)))
    });
}

// No plots: criterion's plotters backend needs a system font, which this
// machine (and CI) lacks (`BackendError(FontError(FontUnavailable))`).
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
