//! Measuring the grader: requests naming their card, the report of a
//! labelled set, cross-validation folds, and `rappel grade --eval`.

use std::collections::HashMap;

use rappel::core::deck::{self, CardKind};
use rappel::core::evaluation::{Graders, Label, Labelled, Report, Request, RequestError, folds};
use rappel::core::grade::{Verdict, infer_kind};

use crate::support::grading::{fixture, labelled, read_cases};

const DECK: &str = r#"
[deck]
id = "crm"
title = "GRC"
language = "fr"

[[cards]]
id = "prospect"
question = "Qu'est-ce qu'un prospect ?"
answer = "Une personne qui a déjà manifesté un intérêt pour l'entreprise mais qui n'a encore rien acheté."
kind = "definition"
reverse = true

[[cards]]
id = "avantage"
question = "Que procure un programme de récompenses ?"
answer = "Un avantage concurrentiel"
kind = "definition"

[[cards]]
id = "clv"
question = "Comment appelle-t-on la valeur d'un client sur toute sa relation ?"
answer = "Valeur à vie du client"
kind = "term"
accept = ["CLV"]
"#;

fn graders() -> Graders {
    let deck = deck::parse("crm.toml", DECK).expect("the test deck parses");
    Graders::new(&[deck])
}

fn request(expected: &str, given: &str, card: Option<&str>) -> Request {
    Request {
        expected: expected.to_string(),
        given: given.to_string(),
        accept: Vec::new(),
        card: card.map(str::to_string),
    }
}

// ---------------------------------------------------------------------------
// Requests naming their card.

#[test]
fn a_card_line_is_graded_with_the_cards_kind_not_the_inferred_one() {
    let graders = graders();
    let answer = "Un avantage concurrentiel";
    assert_eq!(
        infer_kind(answer),
        CardKind::Term,
        "the case needs a text inferred as another kind"
    );
    let with_card = graders
        .grade_request(&request(answer, "un avantage", Some("crm/avantage")))
        .unwrap();
    assert_eq!(with_card.feedback.kind, CardKind::Definition);
    let without = graders
        .grade_request(&request(answer, "un avantage", None))
        .unwrap();
    assert_eq!(without.feedback.kind, CardKind::Term);
}

#[test]
fn a_card_line_uses_the_cards_accept_list_and_answer_not_the_lines() {
    let graders = graders();
    let g = graders
        .grade_request(&request("anything", "CLV", Some("crm/clv")))
        .unwrap();
    assert_eq!(g.verdict, Verdict::Correct, "{g:?}");
    assert_eq!(g.feedback.expected, "Valeur à vie du client");
    let g = graders
        .grade_request(&request("Valeur à vie du client", "CLV", None))
        .unwrap();
    assert!(!g.verdict.is_accepted(), "no card, no accept list: {g:?}");
}

#[test]
fn a_backward_line_is_graded_against_the_question() {
    let graders = graders();
    let backward = graders
        .grade_request(&request("", "prospect", Some("crm/prospect#backward")))
        .unwrap();
    assert_eq!(backward.verdict, Verdict::Correct, "{backward:?}");
    assert_eq!(backward.feedback.expected, "Qu'est-ce qu'un prospect ?");
    assert_eq!(backward.feedback.kind, CardKind::Term);
    let forward = graders
        .grade_request(&request("", "prospect", Some("crm/prospect")))
        .unwrap();
    assert!(!forward.verdict.is_accepted(), "{forward:?}");
    assert_eq!(forward.feedback.kind, CardKind::Definition);
}

#[test]
fn an_unknown_card_is_an_error_not_a_grade() {
    let graders = graders();
    for card in [
        "crm/nope",
        "nope/prospect",
        "prospect",
        "crm/prospect#sideways",
    ] {
        assert_eq!(
            graders.grade_request(&request("x", "x", Some(card))),
            Err(RequestError::UnknownCard(card.to_string()))
        );
    }
    let error = graders
        .grade_request(&request("x", "x", Some("crm/nope")))
        .unwrap_err();
    assert_eq!(error.to_string(), "unknown card crm/nope");
}

#[test]
fn backward_on_a_card_asked_only_forward_is_an_error() {
    assert_eq!(
        graders().grade_request(&request("x", "CLV", Some("crm/clv#backward"))),
        Err(RequestError::NotReversible("crm/clv#backward".to_string()))
    );
}

#[test]
fn unknown_cards_are_listed_in_the_report_and_counted_nowhere_else() {
    let cases = [
        labelled(
            r#"{"expected":"x","given":"CLV","label":"accept","kind":"abbrev","card":"crm/clv"}"#,
        ),
        labelled(
            r#"{"expected":"x","given":"y","label":"reject","kind":"trap","card":"crm/gone"}"#,
        ),
    ];
    let report = graders().evaluate(&cases);
    assert_eq!(report.n_cases, 1);
    assert_eq!(report.n_traps, 0);
    assert_eq!(
        report.errors,
        vec![(1, RequestError::UnknownCard("crm/gone".to_string()))]
    );
    assert!(
        report.to_string().contains("case 2: unknown card crm/gone"),
        "{report}"
    );
}

#[test]
fn every_card_named_by_the_fixtures_exists_in_its_decks() {
    let bundled = rappel::deck_files::load_dir(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/decks"
    )))
    .expect("the bundled decks load");
    let bundled = Graders::new(bundled.decks());
    for name in ["dev2-a.jsonl", "dev2-b.jsonl"] {
        let report = bundled.evaluate(&read_cases(name));
        assert_eq!(report.errors, vec![], "{name}");
    }
    let offdomain = rappel::deck_files::load_dir(std::path::Path::new(&fixture("offdomain-dev")))
        .expect("the off-domain deck loads, answers.jsonl ignored");
    assert_eq!(offdomain.decks().len(), 1);
    let report =
        Graders::new(offdomain.decks()).evaluate(&read_cases("offdomain-dev/answers.jsonl"));
    assert_eq!(report.errors, vec![]);
    assert_eq!(report.n_cases, 154);
}

// ---------------------------------------------------------------------------
// The report.

/// Six cases whose verdicts do not depend on the grader's fine rules (exact
/// copies, empty or unrelated answers, two items of three), one of them
/// deliberately mislabelled.
const SMALL_SET: &[&str] = &[
    r#"{"expected":"Fidélisation","given":"fidélisation","label":"accept","kind":"exact"}"#,
    r#"{"expected":"Fidélisation","given":"","label":"reject","kind":"empty"}"#,
    r#"{"expected":"Fidélisation","given":"banane","label":"reject","kind":"trap"}"#,
    r#"{"expected":"Fidélisation","given":"Fidélisation","label":"reject","kind":"trap-copy","why":"mislabelled on purpose"}"#,
    r#"{"expected":"- Le prix\n- La qualité\n- Le service","given":"le prix, la qualité","label":"partial","kind":"list-partial"}"#,
    r#"{"expected":"- Le prix\n- La qualité\n- Le service","given":"banane","label":"partial","kind":"list-wrong"}"#,
];

#[test]
fn the_report_counts_a_small_set() {
    let cases: Vec<Labelled> = SMALL_SET.iter().map(|l| labelled(l)).collect();
    let report = Graders::default().evaluate(&cases);

    assert_eq!(report.n_cases, 6);
    assert_eq!(report.n_agree, 5);
    assert_eq!(report.count(Label::Accept, Verdict::Correct), 1);
    assert_eq!(report.count(Label::Reject, Verdict::Wrong), 2);
    assert_eq!(report.count(Label::Reject, Verdict::Correct), 1);
    assert_eq!(report.count(Label::Partial, Verdict::Partial), 1);
    assert_eq!(report.count(Label::Partial, Verdict::Wrong), 1);
    assert_eq!(report.confusion.iter().flatten().sum::<usize>(), 6);
    assert_eq!((report.n_traps, report.n_traps_accepted), (2, 1));
    assert_eq!(report.partial_share(), 0.5);
    assert!(report.errors.is_empty());

    let groups: Vec<&String> = report.disagreements.keys().collect();
    assert_eq!(groups, ["Fidélisation"]);
    let disagreement = &report.disagreements["Fidélisation"][0];
    assert_eq!(disagreement.kind, "trap-copy");
    assert_eq!(disagreement.verdict, Verdict::Correct);
    assert_eq!(disagreement.label, Label::Reject);

    let shown = report.to_string();
    for line in [
        "agreement: 5/6 (83.3 %)",
        "traps and hedges accepted: 1/2",
        "partial labels graded partial: 1/2 (50.0 %)",
        "mislabelled on purpose",
    ] {
        assert!(shown.contains(line), "{line:?} missing from\n{shown}");
    }
}

#[test]
fn hedges_and_trap_kinds_are_traps() {
    let kind = |k: &str| {
        labelled(&format!(
            r#"{{"expected":"a","given":"b","label":"reject","kind":"{k}"}}"#
        ))
        .is_trap()
    };
    assert!(kind("trap") && kind("hedge") && kind("trap-antonym"));
    assert!(!kind("typo") && !kind("wrong"));
}

#[test]
fn an_empty_set_gives_an_empty_report() {
    let report = Graders::default().evaluate(&[]);
    assert_eq!(report, Report::default());
    assert_eq!(report.agreement(), 0.0);
    assert!(report.to_string().contains("agreement: 0/0"));
}

// ---------------------------------------------------------------------------
// Cross-validation folds.

/// Asserts that cases of one group share a fold, and returns the fold of
/// each group.
#[track_caller]
fn fold_by_group(cases: &[Labelled], assigned: &[usize], k: usize) -> HashMap<String, usize> {
    assert_eq!(assigned.len(), cases.len());
    let mut by_group = HashMap::new();
    for (case, &fold) in cases.iter().zip(assigned) {
        assert!(fold < k, "fold {fold} of {k}");
        let first = *by_group.entry(case.group().to_string()).or_insert(fold);
        assert_eq!(first, fold, "{} is in two folds", case.group());
    }
    by_group
}

#[test]
fn folds_keep_each_card_in_one_fold_both_directions_included() {
    let cases = read_cases("dev2-b.jsonl");
    assert!(cases.iter().any(|c| {
        c.request
            .card
            .as_deref()
            .is_some_and(|id| id.ends_with("#backward"))
    }));
    let k = 5;
    let assigned = folds(&cases, k);
    let by_group = fold_by_group(&cases, &assigned, k);
    assert_eq!(
        by_group["grc-cours/prospect"],
        assigned[cases
            .iter()
            .position(|c| c.request.card.as_deref() == Some("grc-cours/prospect#backward"))
            .unwrap()]
    );
    // Balanced: fold sizes differ by at most the largest group.
    let mut sizes = vec![0; k];
    for &fold in &assigned {
        sizes[fold] += 1;
    }
    let mut group_sizes: HashMap<&str, usize> = HashMap::new();
    for case in &cases {
        *group_sizes.entry(case.group()).or_default() += 1;
    }
    let largest = *group_sizes.values().max().unwrap();
    let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
    assert!(max - min <= largest, "fold sizes {sizes:?}");
    assert!(*min > 0, "fold sizes {sizes:?}");
}

#[test]
fn cases_without_a_card_are_grouped_by_expected_text() {
    let cases = read_cases("dev.jsonl");
    assert!(cases.iter().all(|c| c.request.card.is_none()));
    let assigned = folds(&cases, 4);
    let by_group = fold_by_group(&cases, &assigned, 4);
    let n_texts = cases
        .iter()
        .map(|c| c.request.expected.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert_eq!(by_group.len(), n_texts);
}

#[test]
fn folds_are_deterministic_and_do_not_depend_on_the_order_of_the_cases() {
    let cases = read_cases("offdomain-dev/answers.jsonl");
    let first = folds(&cases, 5);
    assert_eq!(folds(&cases, 5), first);
    let mut reversed = cases.clone();
    reversed.reverse();
    let by_group = fold_by_group(&cases, &first, 5);
    let reversed_by_group = fold_by_group(&reversed, &folds(&reversed, 5), 5);
    assert_eq!(by_group, reversed_by_group);
    assert_eq!(folds(&cases, 1), vec![0; cases.len()]);
}

// ---------------------------------------------------------------------------
// The command line.

#[test]
fn eval_command_grades_the_offdomain_set_with_its_own_deck() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(["grade", "--eval"])
        .arg(fixture("offdomain-dev/answers.jsonl"))
        .arg("--decks")
        .arg(fixture("offdomain-dev"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("154 cases"), "{stdout}");
    let agreement = stdout
        .lines()
        .find(|l| l.starts_with("agreement: "))
        .unwrap_or_else(|| panic!("no agreement line in\n{stdout}"));
    assert!(agreement.contains("/154 ("), "{agreement}");
    assert!(
        stdout.contains("traps and hedges accepted: ") && stdout.contains("label \\ verdict"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("not graded"),
        "every card is known: {stdout}"
    );
    assert!(!stderr.contains("not used for grading"), "{stderr}");
}

#[test]
fn jsonl_command_grades_by_card_and_reports_unknown_cards_by_line() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(["grade", "--jsonl", "--decks"])
        .arg(fixture("offdomain-dev"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = concat!(
        r#"{"expected":"?","given":"l'inflation","card":"culture-dev/inflation"}"#,
        "\n",
        r#"{"expected":"?","given":"x","card":"culture-dev/absent"}"#,
        "\n",
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["verdict"], "correct", "{}", lines[0]);
    assert_eq!(lines[0]["feedback"]["expected"], "L'inflation");
    assert_eq!(
        lines[1],
        serde_json::json!({"error": "line 2: unknown card culture-dev/absent"})
    );
}
