//! The command-line tools behind `rappel decks|grade|study|stats|srs|appeals`: each reads
//! its input, calls the library and prints the outcome. A shell, like
//! `main.rs` (which only parses arguments and calls these), so errors are
//! `anyhow` here.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::core::deck::{Library, Problem};

mod appeals;
pub mod srs;
pub use appeals::{appeals_export, grade_replay};
pub use srs::{srs_calibration, srs_optimize, srs_simulate};

/// The decks of `dir`, or `None` after printing every problem and then
/// `closing` with the number of problems in place of `{}`.
fn load_or_report(dir: &Path, closing: &str) -> Option<Library> {
    match crate::deck_files::load_dir(dir) {
        Ok(library) => Some(library),
        Err(problems) => {
            report(&problems);
            eprintln!("{}", closing.replace("{}", &problems.len().to_string()));
            None
        }
    }
}

fn report(problems: &[Problem]) {
    for problem in problems {
        eprintln!("{problem}");
    }
}

pub fn decks_check(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let Some(library) = load_or_report(dir, "{} problem(s) found") else {
        return Ok(ExitCode::FAILURE);
    };
    let mut out = std::io::stdout().lock();
    for deck in library.decks() {
        writeln!(
            out,
            "{}\t{}\t{} cards",
            deck.id,
            deck.title,
            deck.cards.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn study(
    deck: Option<String>,
    user: &str,
    db: &str,
    decks: &std::path::Path,
    new_per_day: u32,
    tz: Option<&str>,
) -> anyhow::Result<ExitCode> {
    use crate::core::session::Limits;
    use crate::terminal::study::{self, StudyOptions, SystemClock};
    let Some(library) = load_or_report(
        decks,
        "{} problème(s) dans les decks : corrigez-les puis relancez",
    ) else {
        return Ok(ExitCode::FAILURE);
    };
    let deck = match deck {
        None => None,
        Some(raw) => match library.deck(&raw) {
            Some(found) => Some(found.id.clone()),
            None => {
                let ids: Vec<_> = library.decks().iter().map(|d| d.id.as_str()).collect();
                eprintln!(
                    "deck inconnu : {raw:?} ; decks disponibles : {}",
                    ids.join(", ")
                );
                return Ok(ExitCode::FAILURE);
            }
        },
    };
    let time_zone = match tz {
        Some(name) => match crate::core::daily::parse_zone(name) {
            Ok(zone) => zone,
            Err(_) => {
                eprintln!(
                    "fuseau horaire inconnu : {name:?} ; donnez un nom IANA comme Europe/Paris"
                );
                return Ok(ExitCode::FAILURE);
            }
        },
        None => machine_zone(),
    };
    let store = crate::store::Store::connect(db)
        .await
        .with_context(|| format!("opening the database {db}"))?;
    let now = chrono::Utc::now().timestamp_millis();
    let defaults = crate::store::NewUser {
        time_zone,
        ..Default::default()
    };
    let mut user = store
        .user(user, &defaults, now)
        .await
        .context("loading the user")?;
    // Days and times in the terminal are the machine's (or --tz's).
    user.time_zone = time_zone;
    let options = StudyOptions {
        deck,
        limits: Limits { new_per_day },
    };
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    let result = study::run(
        stdin,
        stdout,
        &store,
        &library,
        &user,
        &options,
        &mut SystemClock,
    )
    .await;
    store.close().await;
    result.context("study session")?;
    Ok(ExitCode::SUCCESS)
}

/// The machine's own time zone: `$TZ` (an IANA name, maybe after `:` or
/// as a path under `zoneinfo/`), else the zone `/etc/localtime` links to,
/// else `/etc/timezone`, else UTC.
pub fn machine_zone() -> chrono_tz::Tz {
    fn named(raw: &str) -> Option<chrono_tz::Tz> {
        let raw = raw.trim().trim_start_matches(':');
        let name = raw.rsplit_once("zoneinfo/").map_or(raw, |(_, name)| name);
        crate::core::daily::parse_zone(name).ok()
    }
    std::env::var("TZ")
        .ok()
        .and_then(|tz| named(&tz))
        .or_else(|| {
            let target = std::fs::read_link("/etc/localtime").ok()?;
            named(&target.to_string_lossy())
        })
        .or_else(|| named(&std::fs::read_to_string("/etc/timezone").ok()?))
        .unwrap_or(chrono_tz::UTC)
}

pub async fn stats_export(user: &str, database: &str) -> anyhow::Result<ExitCode> {
    let store = crate::store::Store::connect(database)
        .await
        .with_context(|| format!("opening the database {database}"))?;
    let found = store.find_user(user).await.context("loading the user")?;
    let log = match found {
        Some(_) => store.review_log(user).await.context("reading the reviews"),
        None => Err(anyhow::anyhow!("no user {user:?} in {database}")),
    };
    store.close().await;
    let csv = crate::store::reviews_csv(&log?);
    std::io::stdout().lock().write_all(csv.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

pub fn import_options(
    format: &str,
    separator: Option<String>,
    term_sep: Option<String>,
    row_sep: Option<String>,
) -> anyhow::Result<crate::core::import::ImportOptions> {
    use crate::core::import::{Format, ImportOptions, separator_arg};
    let separator = match separator.as_deref().map(separator_arg) {
        None => None,
        Some(sep) => {
            let mut chars = sep.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => anyhow::bail!("--separator must be one character, or tab, comma, semicolon"),
            }
        }
    };
    Ok(ImportOptions {
        format: Format::parse(format),
        term_sep: term_sep.as_deref().map(separator_arg),
        row_sep: row_sep.as_deref().map(separator_arg),
        separator,
        ..ImportOptions::default()
    })
}

/// Where and under which name `decks import` writes the deck.
pub struct ImportTarget {
    pub id: String,
    pub title: String,
    pub language: String,
    pub out: PathBuf,
    pub force: bool,
}

pub fn decks_import(
    file: &std::path::Path,
    options: &crate::core::import::ImportOptions,
    target: &ImportTarget,
) -> anyhow::Result<ExitCode> {
    use crate::core::deck::{CardKind, DeckId};
    use crate::core::import::{Columns, to_deck};
    use crate::deck_io;

    let id = DeckId::parse(&target.id).map_err(|e| anyhow::anyhow!("--id {e}"))?;
    anyhow::ensure!(!target.title.trim().is_empty(), "--title is empty");
    let path = target.out.join(format!("{id}.toml"));
    anyhow::ensure!(
        target.force || !path.exists(),
        "{} already exists: pass --force to overwrite it",
        path.display()
    );
    let shown = file.display().to_string();
    let imported = deck_io::read_input(file, options.limits.max_bytes)
        .map_err(|problem| vec![problem])
        .and_then(|bytes| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a current-thread runtime builds");
            runtime.block_on(deck_io::import_bytes(&shown, &bytes, options))
        });
    let imported = match imported {
        Ok(imported) => imported,
        Err(problems) => {
            report(&problems);
            let advice = if options.strict {
                " (--strict; without it, the valid rows are imported)"
            } else {
                ""
            };
            eprintln!(
                "{} problem(s) found: nothing written{advice}",
                problems.len()
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    for skipped in &imported.skipped {
        eprintln!("skipped: {skipped}");
    }
    for warning in &imported.warnings {
        eprintln!("warning: {warning}");
    }
    let source = file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    let (deck, text) = to_deck(
        id,
        &target.title,
        &target.language,
        source,
        imported.cards,
        &path.display().to_string(),
    )
    .map_err(|problems| {
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        anyhow::anyhow!(
            "bug: the imported deck does not read back:\n{}",
            shown.join("\n")
        )
    })?;
    deck_io::write_file(&path, &text, target.force)?;
    let count = |kind| deck.cards.iter().filter(|c| c.kind == kind).count();
    let columns = match imported.columns {
        None => "",
        Some(Columns::Named) => ", columns named by the header row",
        Some(Columns::Assumed) => {
            ", no header row: column 1 read as the question, column 2 as the answer"
        }
    };
    println!(
        "{}: {} cards from {} ({}{columns}): {} term, {} list, {} definition, {} reversible; {} row(s) skipped, {} warning(s)",
        path.display(),
        deck.cards.len(),
        shown,
        imported.format,
        count(CardKind::Term),
        count(CardKind::List),
        count(CardKind::Definition),
        deck.cards.iter().filter(|c| c.reverse).count(),
        imported.skipped.len(),
        imported.warnings.len()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn decks_export(
    id: &str,
    format: &str,
    dir: &std::path::Path,
    out: &std::path::Path,
    force: bool,
) -> anyhow::Result<ExitCode> {
    let Some(library) = load_or_report(dir, "{} problem(s) found") else {
        return Ok(ExitCode::FAILURE);
    };
    let deck = library
        .deck(id)
        .with_context(|| format!("no deck `{id}` in {}", dir.display()))?;
    let delimiter = if format == "tsv" { b'\t' } else { b',' };
    let text = crate::core::import::export::to_table(deck, delimiter);
    if out.as_os_str() == "-" {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        crate::deck_io::write_file(out, &text, force)?;
        eprintln!("{}: {} cards", out.display(), deck.cards.len());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn srs_replay(ratings: &[u8], days: &[u32], retention: f32) -> anyhow::Result<ExitCode> {
    use crate::core::schedule::{Rating, replay};
    let ratings = ratings
        .iter()
        .map(|&n| Rating::from_number(n).with_context(|| format!("rating {n} is not 1, 2, 3 or 4")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    anyhow::ensure!(
        ratings.len() == days.len(),
        "--ratings has {} values but --days has {}: give one day count per rating",
        ratings.len(),
        days.len()
    );
    anyhow::ensure!(
        (0.7..=0.99).contains(&retention),
        "--retention must be between 0.7 and 0.99"
    );
    let result = replay(&ratings, days, retention).context("fsrs could not replay this history")?;
    println!("{}", serde_json::to_string(&result)?);
    Ok(ExitCode::SUCCESS)
}

/// The decks in `dir` as grading contexts; a missing or broken directory
/// gives none (grading still works, with fewer traps known).
fn load_graders(dir: &std::path::Path) -> crate::core::evaluation::Graders {
    use crate::core::evaluation::Graders;
    match crate::deck_files::load_dir(dir) {
        Ok(library) => Graders::new(library.decks()),
        Err(problems) => {
            tracing::warn!(
                "decks in {} not used for grading: {} problem(s)",
                dir.display(),
                problems.len()
            );
            Graders::default()
        }
    }
}

pub fn grade_jsonl(decks_dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    use crate::core::evaluation::Request;
    let graders = load_graders(decks_dir);
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (idx, line) in stdin.split(b'\n').enumerate() {
        let line = line.context("reading stdin")?;
        // Invalid UTF-8 is replaced, not fatal: the line then fails to parse
        // or is graded with replacement characters.
        let line = String::from_utf8_lossy(&line);
        if line.trim().is_empty() {
            continue;
        }
        let graded = serde_json::from_str::<Request>(&line)
            .map_err(|e| format!("not a grading request: {e}"))
            .and_then(|request| graders.grade_request(&request).map_err(|e| e.to_string()));
        match graded {
            Ok(grade) => serde_json::to_writer(&mut out, &grade)?,
            Err(e) => {
                let error = serde_json::json!({ "error": format!("line {}: {e}", idx + 1) });
                serde_json::to_writer(&mut out, &error)?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the evaluation report of each labelled file, then the summary of
/// all of them together.
pub fn grade_eval(files: &[PathBuf], decks_dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    use crate::core::evaluation::Labelled;
    let graders = load_graders(decks_dir);
    let mut all = Vec::new();
    let mut out = std::io::stdout().lock();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let mut cases = Vec::new();
        for (idx, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let case: Labelled = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not a labelled case", file.display(), idx + 1))?;
            cases.push(case);
        }
        writeln!(out, "== {}", file.display())?;
        writeln!(out, "{}", graders.evaluate(&cases))?;
        all.extend(cases);
    }
    if files.len() > 1 {
        writeln!(
            out,
            "== all {} files: {}",
            files.len(),
            graders.evaluate(&all).summary()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
