//! Deck loading and validation: every problem reported, each with its line.

use rappel::core::deck::{self, CardKind, Problem};

const GOOD: &str = r#"
[deck]
id = "ciblage"
title = "Chapitre 6"
language = "fr"
source = "003.txt"

[[cards]]
id = "clients-somnambules"
question = "Clients somnambules"
answer = "Ne sont pas satisfaits mais continuent de consommer par habitude."
kind = "definition"
reverse = true
accept = ["somnambules"]
tags = ["segments"]

[[cards]]
id = "rfm"
question = "Que veut dire RFM ?"
answer = """
Récence
Fréquence
Montant
"""
kind = "list"
"#;

/// Parses `text` and returns `(line, message)` of every problem.
fn problems(text: &str) -> Vec<(usize, String)> {
    match deck::parse("broken.toml", text) {
        Ok(deck) => panic!("expected problems, parsed deck {}", deck.id),
        Err(problems) => problems
            .into_iter()
            .map(
                |Problem {
                     file,
                     line,
                     message,
                 }| {
                    assert_eq!(file, "broken.toml");
                    (line, message)
                },
            )
            .collect(),
    }
}

/// Asserts that exactly one problem mentions `needle`, on `line`.
fn check(text: &str, line: usize, needle: &str) {
    let found = problems(text);
    let matching: Vec<_> = found.iter().filter(|(_, m)| m.contains(needle)).collect();
    assert_eq!(
        matching.len(),
        1,
        "want one problem with {needle:?}, got {found:#?}"
    );
    assert_eq!(matching[0].0, line, "wrong line for {needle:?}: {found:#?}");
}

#[test]
fn good_deck_parses_with_all_fields() {
    let deck = deck::parse("good.toml", GOOD).unwrap();
    assert_eq!(deck.id.as_str(), "ciblage");
    assert_eq!(deck.cards.len(), 2);
    let card = &deck.cards[0];
    assert_eq!(card.kind, CardKind::Definition);
    assert!(card.reverse);
    assert_eq!(card.accept, ["somnambules"]);
    assert_eq!(card.tags, ["segments"]);
    assert_eq!(deck.cards[1].items(), ["Récence", "Fréquence", "Montant"]);
    assert!(!deck.cards[1].reverse);
}

#[test]
fn invalid_toml_is_reported_with_its_line() {
    let text = GOOD.replace("kind = \"list\"", "kind = \"list");
    check(&text, 25, "invalid TOML");
}

#[test]
fn unknown_keys_are_all_reported() {
    let text = GOOD
        .replace(
            "source = \"003.txt\"",
            "source = \"003.txt\"\nauthor = \"x\"",
        )
        .replace(
            "tags = [\"segments\"]",
            "tags = [\"segments\"]\nrevers = false",
        );
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    check(&text, 7, "unknown key `author`");
    check(
        &text,
        17,
        "unknown key `revers` in card `clients-somnambules`",
    );
}

#[test]
fn missing_field_names_the_card() {
    let text = GOOD.replace("question = \"Que veut dire RFM ?\"\n", "");
    check(&text, 17, "missing field `question` in card `rfm`");
}

#[test]
fn empty_field_is_reported() {
    let text = GOOD.replace("title = \"Chapitre 6\"", "title = \"  \"");
    check(&text, 4, "field `title` in [deck] is empty");
}

#[test]
fn duplicate_card_id_points_at_both() {
    let text = GOOD.replace("id = \"rfm\"", "id = \"clients-somnambules\"");
    check(
        &text,
        17,
        "duplicate card id `clients-somnambules` (first defined at line 8)",
    );
}

#[test]
fn list_with_one_item_is_refused() {
    let text = GOOD.replace("Récence\nFréquence\nMontant\n", "Récence\n");
    check(&text, 20, "is a list but its answer has 1 item");
}

#[test]
fn unknown_kind_is_refused() {
    let text = GOOD.replace("kind = \"definition\"", "kind = \"essay\"");
    check(&text, 12, "unknown kind \"essay\"");
}

#[test]
fn bad_slug_is_refused() {
    let text = GOOD.replace("id = \"ciblage\"", "id = \"Ciblage Chap 6\"");
    check(&text, 3, "deck id must be a lowercase slug");
}

#[test]
fn missing_deck_table_and_cards_are_both_reported() {
    let found = problems("title = \"x\"\n");
    let messages: Vec<_> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("unknown key `title`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("missing [deck]")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("no cards")),
        "{messages:?}"
    );
}

#[test]
fn wrong_type_is_reported() {
    let text = GOOD.replace("reverse = true", "reverse = \"yes\"");
    check(&text, 13, "must be true or false");
}

#[test]
fn duplicate_deck_ids_across_files_are_refused() {
    let a = deck::parse("a.toml", GOOD).unwrap();
    let b = deck::parse("b.toml", GOOD).unwrap();
    let problems =
        deck::Library::new(vec![("a.toml".into(), a), ("b.toml".into(), b)]).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].file, "b.toml");
    assert!(
        problems[0]
            .message
            .contains("duplicate deck id `ciblage` (also in a.toml)")
    );
}

#[test]
fn check_command_reports_file_and_line_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.toml"), GOOD).unwrap();
    let broken = GOOD
        .replace("id = \"ciblage\"", "id = \"autre\"")
        .replace("kind = \"definition\"", "kind = \"essay\"");
    std::fs::write(dir.path().join("broken.toml"), broken).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(["decks", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.toml:12: unknown kind \"essay\""),
        "{stderr}"
    );
}

#[test]
fn check_command_lists_decks_on_success() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.toml"), GOOD).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(["decks", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ciblage\tChapitre 6\t2 cards\n"
    );
}

#[test]
fn bundled_decks_are_valid_and_cover_every_seed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let library = rappel::deck_files::load_dir(&dir).unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(library.decks().len() >= 4);
    assert!(library.n_cards() >= 100, "{} cards", library.n_cards());
    for seed in ["000_", "001_", "002_", "003_", "004_"] {
        assert!(
            library
                .decks()
                .iter()
                .any(|d| d.source.as_deref().is_some_and(|s| s.contains(seed))),
            "no deck cites seed {seed}"
        );
    }
}

mod fuzz {
    //! The parser takes any text without panicking and in bounded time, and
    //! every problem it reports points at a line of the file.

    use proptest::prelude::*;
    use rappel::core::deck;

    /// Lines that look like deck files, so mutations reach the walker and
    /// not only the TOML syntax errors.
    fn deckish_line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("[deck]".to_string()),
            Just("[[cards]]".to_string()),
            Just("answer = \"\"\"".to_string()),
            Just("\"\"\"".to_string()),
            "(id|title|language|source|question|answer|kind|reverse|accept|tags|x) = \"[a-zé -]{0,12}\"",
            "(kind) = \"(term|list|definition|essay)\"",
            "(reverse) = (true|false|1)",
            "(accept|tags) = \\[\"[a-z]{0,5}\"(, \"[a-z]{0,5}\"){0,2}\\]",
            "\\PC{0,30}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn parser_never_panics_and_locates_problems(lines in prop::collection::vec(deckish_line(), 0..40)) {
            let text = lines.join("\n");
            let n_lines = text.lines().count().max(1);
            if let Err(problems) = deck::parse("fuzz.toml", &text) {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    prop_assert!(p.line <= n_lines + 1, "{p} beyond {n_lines} lines");
                    prop_assert!(!p.message.is_empty());
                }
            }
        }

        /// The time a parse takes is measured by `cargo bench --bench budgets`.
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            let _ = deck::parse("fuzz.toml", &text);
        }
    }
}
