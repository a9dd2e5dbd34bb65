//! The layering rules of ARCHITECTURE.md, checked on the sources: `core`
//! is pure (no async runtime, database, Discord, file system, clock or
//! ambient randomness),
//! `store` knows nothing of the shells above it, the terminal nothing of
//! Discord, and each layer uses only the crates and modules its "May
//! import" line lists.

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

/// The crates of `[dependencies]` in Cargo.toml, as code names them
/// (`rust-stemmers` → `rust_stemmers`).
fn dependencies() -> Vec<String> {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml is readable");
    let mut out = Vec::new();
    let mut in_dependencies = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
        } else if in_dependencies && let Some((name, _)) = line.split_once('=') {
            out.push(name.trim().replace('-', "_"));
        }
    }
    assert!(out.iter().any(|c| c == "sqlx"), "no [dependencies] read");
    out
}

/// Whether `code` names the path root `name` (`name::…`, not `x_name::`
/// nor `a::name::`).
fn names_root(code: &str, name: &str) -> bool {
    let needle = format!("{name}::");
    code.match_indices(&needle).any(|(i, _)| {
        !code[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    })
}

/// What the sources of `src/<dir>` use beyond `allowed`: external crates
/// of Cargo.toml and the crate's own top-level modules (`crate::x`).
fn unlisted(dir: &str, allowed: &[&str]) -> Vec<String> {
    let modules = [
        "chart",
        "cli",
        "core",
        "deck_files",
        "deck_io",
        "discord",
        "fit_job",
        "remarks",
        "store",
        "terminal",
    ];
    let own = dir.split('/').next().unwrap_or(dir);
    let mut found = Vec::new();
    for (path, code) in sources(dir) {
        for krate in dependencies() {
            if !allowed.contains(&krate.as_str()) && names_root(&code, &krate) {
                found.push(format!("{}: {krate}", path.display()));
            }
        }
        for module in modules {
            if module != own
                && !allowed.contains(&module)
                && code.contains(&format!("crate::{module}"))
            {
                found.push(format!("{}: crate::{module}", path.display()));
            }
        }
    }
    found
}

/// The "May import" lines of ARCHITECTURE.md: a layer that needs another
/// crate or module says so there and here.
#[test]
fn each_layer_imports_only_what_architecture_lists() {
    let core = [
        "serde",
        "toml",
        "unicode_normalization",
        "fsrs",
        "chrono",
        "chrono_tz",
        "csv",
        "rust_stemmers",
        "foldhash",
        "thiserror",
        "rand",
    ];
    assert_eq!(unlisted("core", &core), Vec::<String>::new());
    let store = [
        "core",
        "chart",
        "sqlx",
        "tokio",
        "chrono",
        "chrono_tz",
        "csv",
        "rand",
        "serde_json",
        "thiserror",
        "tracing",
    ];
    assert_eq!(unlisted("store", &store), Vec::<String>::new());
    let terminal = ["core", "store", "remarks", "chrono", "rand", "thiserror"];
    assert_eq!(unlisted("terminal", &terminal), Vec::<String>::new());
    let discord = [
        "core",
        "store",
        "chart",
        "remarks",
        "deck_io",
        "deck_files",
        "fit_job",
        "serenity",
        "poise",
        "tokio",
        "chrono",
        "chrono_tz",
        "serde",
        "serde_json",
        "rand",
        "unicode_normalization",
        "thiserror",
        "tracing",
    ];
    assert_eq!(unlisted("discord", &discord), Vec::<String>::new());
}
