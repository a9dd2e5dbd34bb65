//! The terminal study session: the pure driver, the loop with piped input
//! and a fake clock, and the real binary across restarts.

use std::process::{Command, Stdio};

use rappel::core::deck::{self, DeckId, Library};
use rappel::core::grade;
use rappel::core::review::{CardKey, Direction};
use rappel::core::schedule::{Millis, Phase};
use rappel::core::session::{self, Limits, Reason, Session};
use rappel::discord::messages::{self, Lang};
use rappel::store::{NewUser, Store, User};
use rappel::terminal::study::{self, Clock, StudyOptions, Summary};

use crate::support::db::{TestDb, at};

const DECK: &str = r#"
[deck]
id = "essai"
title = "Essai"
language = "fr"

[[cards]]
id = "rfm"
question = "Méthode RFM"
answer = "Récence, fréquence, montant: on classe les clients par comportement passé."
kind = "definition"
reverse = true
accept = ["RFM"]

[[cards]]
id = "crm"
question = "Que veut dire CRM ?"
answer = "Customer Relationship Management"
kind = "term"
accept = ["gestion de la relation client"]

[[cards]]
id = "clv"
question = "Que veut dire CLV ?"
answer = "Customer Lifetime Value"
kind = "term"
"#;

fn library() -> Library {
    let deck = deck::parse("essai.toml", DECK).unwrap();
    Library::new(vec![("essai.toml".to_string(), deck)]).unwrap()
}

/// A clock that moves `step` milliseconds each time it is read.
struct FakeClock {
    now: Millis,
    step: Millis,
}

impl Clock for FakeClock {
    fn now(&mut self) -> Millis {
        self.now += self.step;
        self.now
    }
}

/// One session over `input` (one answer per line) with `new_per_day`, the
/// clock starting at `start` and moving 30 s per reading. Returns the
/// prompts shown, in order, the whole output and the summary.
async fn session(
    store: &Store,
    user: &User,
    input: &str,
    new_per_day: u32,
    start: Millis,
) -> (Vec<String>, String, Summary) {
    let mut out = Vec::new();
    let options = StudyOptions {
        deck: None,
        limits: Limits { new_per_day },
    };
    let mut clock = FakeClock {
        now: start,
        step: 30_000,
    };
    let summary = study::run(
        input.as_bytes(),
        &mut out,
        store,
        &library(),
        user,
        &options,
        &mut clock,
    )
    .await
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    let prompts = lines
        .iter()
        .zip(lines.iter().skip(1))
        .filter(|(header, _)| header.starts_with("[essai"))
        .map(|(_, shown)| shown.to_string())
        .collect();
    (prompts, out, summary)
}

async fn alice(store: &Store) -> User {
    store
        .user("alice", &NewUser::default(), at(2026, 3, 2, 9, 0))
        .await
        .unwrap()
}

fn key(card: &str, direction: Direction) -> CardKey {
    CardKey::new(
        &DeckId::parse("essai").unwrap(),
        &rappel::core::deck::CardId::parse(card).unwrap(),
        direction,
    )
}

const RFM: &str = "Méthode RFM";
const RFM_BACK: &str = "Récence, fréquence, montant: on classe les clients par comportement passé.";
const CRM: &str = "Que veut dire CRM ?";
const CLV: &str = "Que veut dire CLV ?";

#[tokio::test]
async fn failed_card_is_asked_again_in_the_session_once_due() {
    let db = TestDb::sqlite().await;
    let user = alice(&db.store).await;
    // RFM: "?" (due in 1 min); CRM right (due in 10 min); a minute has
    // passed (30 s per clock reading), so RFM comes back before the new CLV
    // (answered in part, self-rated 3).
    let input = "?\nCustomer Relationship Management\nrécence\n3\nCustomer Lifetime Value\n";
    let (prompts, out, summary) = session(&db.store, &user, input, 3, at(2026, 3, 2, 10, 0)).await;
    assert_eq!(prompts[..4], [RFM, CRM, RFM, CLV], "{out}");
    assert!(out.contains("[essai · en apprentissage]"), "{out}");
    assert_eq!((summary.seen, summary.right), (4, 3), "{out}");
    db.finish().await;
}

#[tokio::test]
async fn typed_dont_know_shows_the_answer_without_a_verdict_and_is_rated_again() {
    let db = TestDb::sqlite().await;
    let user = alice(&db.store).await;
    // RFM (a self-rated definition): no verdict, no self-rating asked; CRM
    // the same, whatever the case, accents and punctuation; RFM is back.
    let input = "J’sais pas…\nAucune idée !\nidk\n";
    let (prompts, out, summary) = session(&db.store, &user, input, 3, at(2026, 3, 2, 10, 0)).await;
    assert_eq!(prompts[..3], [RFM, CRM, RFM], "{out}");
    assert_eq!(
        out.matches("Pas de souci, on la revoit bientôt.").count(),
        3,
        "{out}"
    );
    assert!(
        out.contains("Réponse attendue : Customer Relationship Management"),
        "{out}"
    );
    assert!(!out.contains("Incorrect"), "{out}");
    assert!(!out.contains("Dans quelle mesure"), "{out}");
    assert_eq!((summary.seen, summary.right), (3, 0), "{out}");
    let state = db
        .store
        .card_state("alice", &key("crm", Direction::Forward))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.reps, 1, "{state:?}");
    // Rated Again: the 1 min step (Good would be 10 min).
    assert_eq!(state.due - state.last_review.unwrap(), 60_000, "{state:?}");
    db.finish().await;
}

#[tokio::test]
async fn q_stops_the_session_without_answering_the_card() {
    let db = TestDb::sqlite().await;
    let user = alice(&db.store).await;
    // RFM answered (and self-rated), then « q » on CRM: CRM is not graded.
    let input = "récence fréquence montant\n4\nq\n";
    let (prompts, out, summary) = session(&db.store, &user, input, 3, at(2026, 3, 2, 10, 0)).await;
    assert_eq!(prompts[..2], [RFM, CRM], "{out}");
    assert_eq!((summary.seen, summary.right), (1, 1), "{out}");
    assert!(!out.contains("Incorrect"), "{out}");
    let crm = db
        .store
        .card_state("alice", &key("crm", Direction::Forward))
        .await
        .unwrap();
    assert!(crm.is_none(), "« q » is not an answer: {crm:?}");
    db.finish().await;
}

#[tokio::test]
async fn terminal_gives_the_remarks_study_gives() {
    let db = TestDb::sqlite().await;
    let user = alice(&db.store).await;
    // RFM in part (then self-rated 3), CRM with a slip.
    let input = "récence et montant\n3\nCustomer Relationship Managment\n";
    let (prompts, out, _) = session(&db.store, &user, input, 3, at(2026, 3, 2, 10, 0)).await;
    assert_eq!(prompts[..2], [RFM, CRM], "{out}");
    let library = library();
    let deck = &library.decks()[0];
    let context = grade::DeckContext::new(&deck.cards);
    for (card, given, needle) in [
        ("rfm", "récence et montant", "Manque :"),
        ("crm", "Customer Relationship Managment", "s'écrit"),
    ] {
        let card = deck.cards.iter().find(|c| c.id.as_str() == card).unwrap();
        let graded = grade::grade_card(card, Direction::Forward, &context, given);
        // What `/study` shows in its « Remarques » field, word for word.
        let notes = messages::feedback_notes(Lang::Fr, &graded).expect("remarks");
        assert!(notes.contains(needle), "{notes}");
        assert!(out.contains(&notes), "missing {notes:?} in {out}");
    }
    db.finish().await;
}

#[tokio::test]
async fn terminal_times_are_in_the_students_zone_and_name_it() {
    let db = TestDb::sqlite().await;
    let mut user = alice(&db.store).await;
    user.time_zone = chrono_tz::Europe::Paris;
    // The definition known perfectly: due again in days, at the start of
    // the student's day (4 am in Paris, which is 10 pm in Montreal).
    let input = "on classe les clients\n5\n";
    let (_, out, summary) = session(&db.store, &user, input, 1, at(2026, 3, 2, 10, 0)).await;
    let due = chrono::DateTime::from_timestamp_millis(summary.next_due.expect("a next card"))
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Paris);
    let shown = format!(
        "prochaine carte le {} (Europe/Paris).",
        due.format("%d/%m/%Y à %H:%M")
    );
    assert!(out.contains(&shown), "{shown:?} in {out}");
    assert!(shown.contains("à 04:00"), "{shown}");
    db.finish().await;
}

#[tokio::test]
async fn new_cards_per_day_limit_holds_across_sessions() {
    let db = TestDb::sqlite().await;
    let user = alice(&db.store).await;
    let start = at(2026, 3, 2, 10, 0);
    let (prompts, out, _) = session(&db.store, &user, "?\n?\n?\n", 2, start).await;
    assert_eq!(prompts[..3], [RFM, CRM, RFM], "{out}");
    assert!(!prompts.iter().any(|p| p == CLV), "{out}");
    // Later the same day: only the two cards already met come back.
    let (prompts, out, _) = session(&db.store, &user, "?\n?\n?\n?\n", 2, start + 3_600_000).await;
    assert!(out.contains("0 nouvelle(s)"), "{out}");
    assert!(prompts.iter().all(|p| p == RFM || p == CRM), "{out}");
    // Next day: new cards again.
    let (_, out, _) = session(&db.store, &user, "", 2, start + 86_400_000).await;
    assert!(out.contains("2 carte(s) à revoir, 2 nouvelle(s)"), "{out}");
    db.finish().await;
}

#[tokio::test]
async fn reverse_card_is_asked_backward_and_accepts_the_short_term() {
    let db = TestDb::sqlite().await;
    let user = alice(&db.store).await;
    // The forward definition: a wrong answer, self-rated 4; the terms right;
    // then the backward direction answered with the short form "RFM".
    let input =
        "je ne sais plus\n4\nCustomer Relationship Management\nCustomer Lifetime Value\nrfm\n";
    let (prompts, out, _) = session(&db.store, &user, input, 10, at(2026, 3, 2, 10, 0)).await;
    assert_eq!(prompts[..4], [RFM, CRM, CLV, RFM_BACK], "{out}");
    assert!(out.contains("à l’envers"), "{out}");
    let forward = db
        .store
        .card_state("alice", &key("rfm", Direction::Forward))
        .await
        .unwrap();
    let backward = db
        .store
        .card_state("alice", &key("rfm", Direction::Backward))
        .await
        .unwrap();
    assert_eq!(forward.map(|s| s.reps), Some(1), "{out}");
    assert_eq!(backward.map(|s| s.reps), Some(1), "{out}");
    // Self-rated 4 is Good, and so is the right "rfm": the 10 min step.
    let (forward, backward) = (forward.unwrap(), backward.unwrap());
    assert_eq!(forward.due - forward.last_review.unwrap(), 600_000);
    assert_eq!(backward.due - backward.last_review.unwrap(), 600_000);
    db.finish().await;
}

#[tokio::test]
async fn q_at_the_self_rating_keeps_the_graders_rating_and_stops() {
    let db = TestDb::sqlite().await;
    let user = alice(&db.store).await;
    let input = "récence fréquence montant\nq\nle crm\n";
    let (prompts, out, summary) = session(&db.store, &user, input, 3, at(2026, 3, 2, 10, 0)).await;
    assert_eq!(prompts, [RFM], "nothing is asked after « q »: {out}");
    assert!(
        !out.contains("Tapez un chiffre"),
        "« q » is not a bad rating: {out}"
    );
    assert_eq!((summary.seen, summary.right), (1, 1), "{out}");
    let rfm = db
        .store
        .card_state("alice", &key("rfm", Direction::Forward))
        .await
        .unwrap();
    assert!(rfm.is_some(), "the graded answer is kept: {out}");
    db.finish().await;
}

#[tokio::test]
async fn self_rating_five_graduates_a_definition() {
    let db = TestDb::sqlite().await;
    let user = alice(&db.store).await;
    let input = "on classe les clients\n9\n5\n";
    let (_, out, summary) = session(&db.store, &user, input, 1, at(2026, 3, 2, 10, 0)).await;
    assert!(
        out.contains("Tapez un chiffre de 1 à 5"),
        "bad rating is asked again: {out}"
    );
    let state = db
        .store
        .card_state("alice", &key("rfm", Direction::Forward))
        .await
        .unwrap();
    assert_eq!(state.map(|s| s.phase), Some(Phase::Review), "{out}");
    assert_eq!(summary.right, 1);
    assert!(
        summary
            .next_due
            .is_some_and(|due| due > at(2026, 3, 3, 0, 0)),
        "{out}"
    );
    db.finish().await;
}

#[test]
fn driver_asks_learning_then_review_then_new_and_skips_removed_cards() {
    let items = session::items(&library(), None);
    let keys: Vec<_> = items
        .iter()
        .map(|i| (i.key.card.as_str(), i.key.direction))
        .collect();
    assert_eq!(
        keys,
        [
            ("rfm", Direction::Forward),
            ("crm", Direction::Forward),
            ("clv", Direction::Forward),
            ("rfm", Direction::Backward)
        ]
    );
    let now = at(2026, 3, 10, 10, 0);
    let state = |phase, due| rappel::core::schedule::CardState {
        phase,
        due,
        last_review: Some(due - 1),
        reps: 1,
        ..rappel::core::schedule::CardState::new_card(due)
    };
    let gone = CardKey::new(
        &DeckId::parse("essai").unwrap(),
        &rappel::core::deck::CardId::parse("gone").unwrap(),
        Direction::Forward,
    );
    let states = vec![
        (
            key("clv", Direction::Forward),
            state(Phase::Review, now - 1_000),
        ),
        (
            key("crm", Direction::Forward),
            state(Phase::Learning, now - 10),
        ),
        (gone, state(Phase::Learning, now - 100_000)),
    ];
    let mut s = Session::new(items, states, 0, Limits::default());
    let next = |s: &Session, now| {
        s.next(now)
            .map(|(i, r)| (i.key.card.as_str().to_string(), r))
    };
    assert_eq!(next(&s, now), Some(("crm".into(), Reason::Learning)));
    s.record(
        &key("crm", Direction::Forward),
        state(Phase::Learning, now + 600_000),
    );
    assert_eq!(next(&s, now), Some(("clv".into(), Reason::Review)));
    s.record(
        &key("clv", Direction::Forward),
        state(Phase::Review, now + 86_400_000),
    );
    assert_eq!(next(&s, now), Some(("rfm".into(), Reason::New)));
    // With no new card allowed, the learning card is asked ahead of time...
    let s = Session::new(
        session::items(&library(), None),
        [(
            key("crm", Direction::Forward),
            state(Phase::Learning, now + 600_000),
        )],
        20,
        Limits::default(),
    );
    assert_eq!(next(&s, now), Some(("crm".into(), Reason::Learning)));
    // ...but not when it is due in more than 20 minutes.
    assert_eq!(next(&s, now - 1_000_000), None);
}

fn write_deck(dir: &std::path::Path, text: &str) {
    std::fs::write(dir.join("essai.toml"), text).unwrap();
}

/// Runs the real binary with `args` and `stdin`; returns (success, stdout, stderr).
fn rappel(args: &[&str], stdin: &str) -> (bool, String, String) {
    run_binary(Command::new(env!("CARGO_BIN_EXE_rappel")).args(args), stdin)
}

/// [`rappel`] on a machine whose zone (`TZ`) is `tz`.
fn rappel_with_tz(args: &[&str], stdin: &str, tz: &str) -> (bool, String, String) {
    run_binary(
        Command::new(env!("CARGO_BIN_EXE_rappel"))
            .args(args)
            .env("TZ", tz),
        stdin,
    )
}

fn run_binary(command: &mut Command, stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let mut child = command
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn binary_keeps_progress_across_restarts() {
    for db in [TestDb::sqlite().await, TestDb::postgres().await] {
        let decks = tempfile::tempdir().unwrap();
        write_deck(decks.path(), DECK);
        let dir = decks.path().to_str().unwrap();
        let args = [
            "study",
            "--db",
            &db.url,
            "--decks",
            dir,
            "--user",
            "bob",
            "--new-per-day",
            "3",
        ];
        let (ok, out, err) = rappel(&args, "?\nCustomer Relationship Management\n");
        assert!(ok, "{out}\n{err}");
        assert!(out.contains("3 nouvelle(s)"), "{out}");
        assert!(out.contains("2 carte(s) vue(s), 1 réussie(s)"), "{out}");
        // Restart: the two cards met are remembered, one new card is left today.
        let (ok, out, err) = rappel(&args, "Customer Lifetime Value\n");
        assert!(ok, "{out}\n{err}");
        assert!(out.contains("1 nouvelle(s)"), "{out}");
        assert!(out.contains(&format!("{CLV}\n> ✓ Correct")), "{out}");
        let states = db.store.card_states("bob", None).await.unwrap();
        let mut cards: Vec<_> = states.iter().map(|(k, _)| k.card.as_str()).collect();
        cards.sort();
        assert_eq!(cards, ["clv", "crm", "rfm"], "{}", db.url);
        db.finish().await;
    }
}

#[test]
fn binary_shows_times_in_the_machines_zone_unless_tz_is_given() {
    let decks = tempfile::tempdir().unwrap();
    write_deck(decks.path(), DECK);
    let db = format!("sqlite://{}", decks.path().join("rappel.db").display());
    let dir = decks.path().to_str().unwrap();
    let study = ["study", "--db", &db, "--decks", dir, "--user", "zoe"];
    let (ok, out, err) = rappel_with_tz(&study, "Customer Relationship Management\n", "Asia/Tokyo");
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("(Asia/Tokyo)."), "{out}");
    let mut paris = study.to_vec();
    paris.extend(["--tz", "Europe/Paris"]);
    let (ok, out, err) = rappel_with_tz(&paris, "", "Asia/Tokyo");
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("(Europe/Paris)."), "{out}");
    let mut bad = study.to_vec();
    bad.extend(["--tz", "Paris"]);
    let (ok, _, err) = rappel_with_tz(&bad, "", "Asia/Tokyo");
    assert!(!ok);
    assert!(err.contains("fuseau horaire inconnu"), "{err}");
}

#[test]
fn binary_reports_deck_problems_with_file_and_line() {
    let decks = tempfile::tempdir().unwrap();
    write_deck(
        decks.path(),
        &DECK.replace("kind = \"term\"\naccept", "kind = \"mot\"\naccept"),
    );
    let db = decks.path().join("rappel.db");
    let db = format!("sqlite://{}", db.display());
    let dir = decks.path().to_str().unwrap();
    let (ok, _, err) = rappel(&["study", "--db", &db, "--decks", dir], "");
    assert!(!ok);
    assert!(err.contains("essai.toml:19: unknown kind \"mot\""), "{err}");
}

#[test]
fn binary_lists_deck_ids_for_an_unknown_deck() {
    let decks = tempfile::tempdir().unwrap();
    write_deck(decks.path(), DECK);
    let db = format!("sqlite://{}", decks.path().join("rappel.db").display());
    let dir = decks.path().to_str().unwrap();
    let (ok, _, err) = rappel(
        &["study", "--db", &db, "--decks", dir, "--deck", "ciblag"],
        "",
    );
    assert!(!ok);
    assert!(
        err.contains("deck inconnu : \"ciblag\" ; decks disponibles : essai"),
        "{err}"
    );
}
