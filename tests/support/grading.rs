//! The labelled grading sets in `tests/fixtures/grading/`, read as
//! `rappel grade --eval` reads them.

use rappel::core::evaluation::Labelled;

/// The path of a file under `tests/fixtures/grading/`.
pub fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/grading/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A labelled line.
pub fn labelled(line: &str) -> Labelled {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// Every labelled case of a fixture file.
pub fn read_cases(name: &str) -> Vec<Labelled> {
    let text = std::fs::read_to_string(fixture(name)).expect("the fixture is in the repository");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(labelled)
        .collect()
}
