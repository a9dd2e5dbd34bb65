//! The grader against the labelled answers: the figures on every set, and
//! the definition thresholds checked by cross-validation grouped by card.
//!
//! Definition verdicts come from [`Thresholds`] applied to each answer's
//! [`Evidence`]; every other verdict is fixed by the grader's rules. So the
//! folds re-fit the thresholds on the training folds alone and measure the
//! held-out fold with them: a held-out fold far below its training folds
//! means the grader fits its cases, not French.

use rappel::core::deck::Deck;
use rappel::core::evaluation::{Graders, Label, Labelled, Report, folds};
use rappel::core::grade::Verdict;
use rappel::core::grade::definition::{Evidence, Thresholds};

use crate::support::grading::{fixture, read_cases};

/// The labelled sets on the bundled decks.
const DEV_SETS: [&str; 3] = ["dev.jsonl", "dev2-a.jsonl", "dev2-b.jsonl"];
const FOLDS: usize = 5;

/// Floors: issue 19's targets on the dev sets (92 % agreement, 75 % of
/// partials graded partial) and off-domain with its own deck (90 %); no
/// trap or hedge is ever accepted.
const DEV_MIN_AGREEMENT: f64 = 0.92;
const DEV_MIN_PARTIAL_SHARE: f64 = 0.75;
const OFFDOMAIN_MIN_AGREEMENT: f64 = 0.90;
/// What accepting a trap costs when fitting, in agreement: about as much
/// as two other disagreements (a fitted threshold alone cannot refuse a
/// trap that covers the definition's words; the flip rules do that).
const TRAP_COST: f64 = 0.004;
/// No held-out fold may be further than this below its training folds
/// (issue 19: "held-out folds within 3 points of training folds"). One fold
/// of ~130 cases varies by about 2 points on its own (the standard error of
/// a 94 % agreement on 130 cases), so a fold past this is a rule fitted to
/// its cases, not French.
const MAX_OVERFIT: f64 = 0.03;
/// The fitted acceptance threshold may move this much between folds.
const MAX_THRESHOLD_SPREAD: f32 = 0.08;

fn decks(dir: &str) -> Vec<Deck> {
    rappel::deck_files::load_dir(dir.as_ref())
        .expect("the decks load")
        .decks()
        .to_vec()
}

/// One graded case: its label, whether it is a trap, and either its fixed
/// verdict or the evidence a definition verdict is decided on.
struct Graded {
    label: Label,
    trap: bool,
    verdict: Verdict,
    evidence: Option<Evidence>,
}

impl Graded {
    /// Accepted / partial under `thresholds`.
    fn outcome(&self, thresholds: &Thresholds) -> (bool, bool) {
        match &self.evidence {
            Some(e) => {
                let level = thresholds.level(e);
                (level == 2, level == 1)
            }
            None => (self.verdict.is_accepted(), self.verdict == Verdict::Partial),
        }
    }
}

fn grade_all(graders: &Graders, cases: &[Labelled]) -> Vec<Graded> {
    cases
        .iter()
        .map(|case| {
            let grade = graders
                .grade_request(&case.request)
                .unwrap_or_else(|e| panic!("{e}"));
            Graded {
                label: case.label,
                trap: case.is_trap(),
                verdict: grade.verdict,
                evidence: grade.feedback.findings.evidence,
            }
        })
        .collect()
}

/// Agreement, traps accepted, partial labels graded partial, partial labels.
fn figures(graded: &[&Graded], thresholds: &Thresholds) -> (f64, usize, f64) {
    let (mut agree, mut traps, mut partial, mut n_partial) = (0, 0, 0, 0);
    for g in graded {
        let (accepted, is_partial) = g.outcome(thresholds);
        agree += (accepted == (g.label == Label::Accept)) as usize;
        traps += (accepted && g.trap) as usize;
        if g.label == Label::Partial {
            n_partial += 1;
            partial += is_partial as usize;
        }
    }
    let share = |n: usize, of: usize| if of == 0 { 1.0 } else { n as f64 / of as f64 };
    (share(agree, graded.len()), traps, share(partial, n_partial))
}

/// The thresholds that best grade `graded`: most agreement, then fewest
/// traps accepted, then most partials found. A grid over plausible values.
fn fit(graded: &[&Graded]) -> Thresholds {
    let steps =
        |from: u32, to: u32, by: u32| (from..=to).step_by(by as usize).map(|p| p as f32 / 100.0);
    let mut best = (f64::MIN, Thresholds::FITTED);
    for accept in steps(30, 80, 2) {
        for partial in steps(5, 40, 3).filter(|p| *p < accept) {
            for precision in steps(0, 70, 5) {
                let t = Thresholds {
                    accept,
                    partial,
                    precision,
                };
                let (agreement, traps, partials) = figures(graded, &t);
                let objective = agreement - TRAP_COST * traps as f64 + 0.001 * partials;
                if objective > best.0 + 1e-9 {
                    best = (objective, t);
                }
            }
        }
    }
    best.1
}

#[test]
fn definition_thresholds_hold_on_held_out_cards() {
    let graders = Graders::new(&decks(concat!(env!("CARGO_MANIFEST_DIR"), "/decks")));
    let mut cases: Vec<Labelled> = DEV_SETS.iter().flat_map(|s| read_cases(s)).collect();
    let mut graded = grade_all(&graders, &cases);
    let off_cases = read_cases("offdomain-dev/answers.jsonl");
    let off_graders = Graders::new(&decks(&fixture("offdomain-dev")));
    graded.extend(grade_all(&off_graders, &off_cases));
    cases.extend(off_cases);
    let fold_of = folds(&cases, FOLDS);
    let (mut sum_gap, mut worst_gap): (f64, f64) = (0.0, 0.0);
    let mut accepts: Vec<f32> = Vec::new();
    for fold in 0..FOLDS {
        let train: Vec<&Graded> = graded
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f != fold)
            .map(|(g, _)| g)
            .collect();
        let test: Vec<&Graded> = graded
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f == fold)
            .map(|(g, _)| g)
            .collect();
        let t = fit(&train);
        let (train_agreement, _, _) = figures(&train, &t);
        let (test_agreement, test_traps, _) = figures(&test, &t);
        println!(
            "fold {fold}: {} training cases {:.1} %, {} held-out cases {:.1} % ({} traps accepted); thresholds accept {:.2} partial {:.2} precision {:.2}",
            train.len(),
            100.0 * train_agreement,
            test.len(),
            100.0 * test_agreement,
            test_traps,
            t.accept,
            t.partial,
            t.precision,
        );
        worst_gap = worst_gap.max(train_agreement - test_agreement);
        sum_gap += train_agreement - test_agreement;
        accepts.push(t.accept);
    }
    let all: Vec<&Graded> = graded.iter().collect();
    let refit = fit(&all);
    let (fitted, _, _) = figures(&all, &Thresholds::FITTED);
    let (best, _, _) = figures(&all, &refit);
    println!(
        "all cases: shipped thresholds {:.1} %, best fit {:.1} % ({refit:?})",
        100.0 * fitted,
        100.0 * best
    );
    let mean_gap = sum_gap / FOLDS as f64;
    println!(
        "held-out folds are {:.1} points below training on average, {:.1} at worst",
        100.0 * mean_gap,
        100.0 * worst_gap
    );
    assert!(
        worst_gap <= MAX_OVERFIT,
        "a held-out fold is {:.1} points below its training folds",
        100.0 * worst_gap
    );
    let spread = accepts.iter().copied().fold(f32::MIN, f32::max)
        - accepts.iter().copied().fold(f32::MAX, f32::min);
    assert!(
        spread <= MAX_THRESHOLD_SPREAD,
        "the fitted acceptance threshold moves by {spread:.2} between folds"
    );
    assert!(
        best - fitted <= 0.005,
        "the shipped thresholds are not the fitted ones: refit gives {refit:?}"
    );
}

/// Keyboard slips of the decks' own terms, generated with nlpaug
/// (`scripts/grading/make_typos.py`).
const TYPOS_MIN_AGREEMENT: f64 = 0.99;

#[test]
fn keyboard_slips_of_the_decks_terms_are_accepted() {
    let graders = Graders::new(&decks(concat!(env!("CARGO_MANIFEST_DIR"), "/decks")));
    let report = graders.evaluate(&read_cases("typos.jsonl"));
    println!("typos.jsonl: {}", report.summary());
    assert!(report.n_cases >= 400, "only {} slips", report.n_cases);
    assert!(report.agreement() >= TYPOS_MIN_AGREEMENT, "{report}");
}

/// The figures of the CRM `sets` (each, then together) and of an
/// off-domain set with its own deck, printed under `name`.
fn figures_of(name: &str, sets: &[&str], offdomain: &str) -> (Report, Report) {
    let graders = Graders::new(&decks(concat!(env!("CARGO_MANIFEST_DIR"), "/decks")));
    let mut all = Vec::new();
    for set in sets {
        let report = graders.evaluate(&read_cases(set));
        println!("{set}: {}", report.summary());
        all.extend(read_cases(set));
    }
    let report = graders.evaluate(&all);
    println!("{name} sets together: {}", report.summary());
    let off_graders = Graders::new(&decks(&fixture(offdomain)));
    let off = off_graders.evaluate(&read_cases(&format!("{offdomain}/answers.jsonl")));
    println!("{offdomain} with its deck: {}", off.summary());
    (report, off)
}

#[test]
fn figures_on_every_labelled_set() {
    let (report, off) = figures_of("dev", &DEV_SETS, "offdomain-dev");
    assert!(
        report.agreement() >= DEV_MIN_AGREEMENT,
        "{}",
        report.summary()
    );
    assert!(
        report.partial_share() >= DEV_MIN_PARTIAL_SHARE,
        "{}",
        report.summary()
    );
    assert!(
        off.agreement() >= OFFDOMAIN_MIN_AGREEMENT,
        "{}",
        off.summary()
    );
    assert_eq!(report.n_traps_accepted, 0, "{report}");
    assert_eq!(off.n_traps_accepted, 0, "{off}");
}

/// Sets written later, after the grader was tuned on the dev sets, by
/// writers who did not read it: answers on the bundled decks (`dev3-a`,
/// `dev3-b`) and a deck on other subjects with its answers
/// (`offdomain-dev3`). They measure the grader on answers it was not
/// tuned on, so their floors sit below the dev sets' own.
const LATER_MIN_AGREEMENT: f64 = 0.80;
const LATER_OFFDOMAIN_MIN_AGREEMENT: f64 = 0.75;

#[test]
fn figures_on_the_later_sets() {
    let (report, off) = figures_of("dev3", &["dev3-a.jsonl", "dev3-b.jsonl"], "offdomain-dev3");
    assert!(
        report.agreement() >= LATER_MIN_AGREEMENT,
        "{}",
        report.summary()
    );
    assert!(
        off.agreement() >= LATER_OFFDOMAIN_MIN_AGREEMENT,
        "{}",
        off.summary()
    );
}
