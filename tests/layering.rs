//! The layering rules of ARCHITECTURE.md, checked on the sources: `core`
//! is pure (no async runtime, database, Discord, file system, clock or
//! ambient randomness),
//! `store` knows nothing of the shells above it, the terminal nothing of
//! Discord.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/<dir>`, with its text minus comments.
fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut out = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("the source folder is readable") {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a readable source file");
                out.push((path, code_only(&text)));
            }
        }
    }
    assert!(!out.is_empty(), "no sources under src/{dir}");
    out
}

/// The text without `//` comments (doc comments included), so prose may
/// name what the code must not use.
fn code_only(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every (file, forbidden word) where a file of `src/<dir>` uses a word of `forbidden`.
fn breaches(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, code) in sources(dir) {
        for word in forbidden {
            if code.contains(word) {
                found.push(format!("{}: {word}", path.display()));
            }
        }
    }
    found
}

#[test]
fn core_is_pure() {
    let forbidden = [
        "tokio",
        "sqlx",
        "serenity",
        "poise",
        "std::fs",
        "fs::read",
        "File::",
        "SystemTime::now",
        "Utc::now",
        "Instant::now",
        "Local::now",
        "thread::sleep",
        "rand::rng()",
        "thread_rng",
        "crate::store",
        "crate::discord",
        "crate::terminal",
        "crate::deck_io",
        "crate::deck_files",
        "crate::cli",
    ];
    assert_eq!(breaches("core", &forbidden), Vec::<String>::new());
}

#[test]
fn store_knows_nothing_of_the_shells() {
    let forbidden = [
        "serenity",
        "poise",
        "crate::discord",
        "crate::terminal",
        "crate::cli",
        "Utc::now",
        "SystemTime::now",
        "Local::now",
    ];
    assert_eq!(breaches("store", &forbidden), Vec::<String>::new());
}

#[test]
fn terminal_knows_nothing_of_discord() {
    let forbidden = ["serenity", "poise", "crate::discord"];
    assert_eq!(breaches("terminal", &forbidden), Vec::<String>::new());
}
