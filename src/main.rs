//! The `rappel` binary: parse arguments, set up logging, call the library.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

/// rappel: a revision tutor for French-speaking study groups, on Discord and
/// in the terminal.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Work with the deck files.
    Decks {
        #[command(subcommand)]
        command: DecksCommand,
    },
    /// Grade typed answers (reads JSON lines on stdin, writes JSON lines).
    Grade {
        /// Read `{"expected", "given", "accept"}` JSON lines from stdin.
        #[arg(long)]
        jsonl: bool,
        /// Deck directory, used to know the other answers of a deck.
        #[arg(long, default_value = "decks")]
        decks: PathBuf,
    },
    /// Spaced-repetition tools.
    Srs {
        #[command(subcommand)]
        command: SrsCommand,
    },
}

#[derive(Subcommand)]
enum SrsCommand {
    /// Replay a card's history through FSRS-6 and print its memory state as
    /// JSON ("why is this card due?").
    Replay {
        /// Ratings, 1 (Again) to 4 (Easy), comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        ratings: Vec<u8>,
        /// Days since the previous review, one per rating (0 for the first).
        #[arg(long, value_delimiter = ',', required = true)]
        days: Vec<u32>,
        /// Desired retention.
        #[arg(long, default_value_t = 0.9)]
        retention: f32,
    },
}

#[derive(Subcommand)]
enum DecksCommand {
    /// Load every deck and report every problem with its file and line.
    Check {
        /// Directory holding the *.toml decks.
        #[arg(default_value = "decks")]
        dir: PathBuf,
    },
    /// Turn a Quizlet, Anki or CSV export into a TOML deck `<out>/<id>.toml`.
    Import {
        /// The export: Quizlet text, Anki "Notes in Plain Text", CSV/TSV with
        /// a header row, or an Anki package (.apkg).
        file: PathBuf,
        /// Id of the new deck (a slug: a-z, 0-9, '-').
        #[arg(long)]
        id: String,
        /// Title of the new deck.
        #[arg(long)]
        title: String,
        /// Directory the deck is written to.
        #[arg(long, default_value = "decks")]
        out: PathBuf,
        /// Input format; `auto` guesses it from the name and the content.
        #[arg(long, default_value = "auto", value_parser = ["auto", "quizlet", "anki-txt", "csv", "tsv", "apkg"])]
        format: String,
        /// CSV/Anki field separator: tab, comma, semicolon or one character.
        #[arg(long)]
        separator: Option<String>,
        /// Quizlet: between term and definition (tab, comma or any string).
        #[arg(long)]
        term_sep: Option<String>,
        /// Quizlet: between rows (newline, semicolon or any string).
        #[arg(long)]
        row_sep: Option<String>,
        /// Language of the deck.
        #[arg(long, default_value = "fr")]
        language: String,
        /// Overwrite an existing deck file.
        #[arg(long)]
        force: bool,
    },
    /// Write a deck out as CSV or TSV (reads back with `decks import`).
    Export {
        /// Id of the deck.
        id: String,
        #[arg(long, value_parser = ["csv", "tsv"])]
        format: String,
        /// Directory holding the *.toml decks.
        #[arg(long, default_value = "decks")]
        decks: PathBuf,
        /// Output file, `-` for stdout.
        #[arg(long, default_value = "-")]
        out: PathBuf,
        /// Overwrite an existing output file.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Decks {
            command: DecksCommand::Check { dir },
        } => decks_check(&dir),
        Command::Decks {
            command:
                DecksCommand::Import {
                    file,
                    id,
                    title,
                    out,
                    format,
                    separator,
                    term_sep,
                    row_sep,
                    language,
                    force,
                },
        } => {
            let options = import_options(&format, separator, term_sep, row_sep)?;
            let target = ImportTarget {
                id,
                title,
                language,
                out,
                force,
            };
            decks_import(&file, &options, &target)
        }
        Command::Decks {
            command:
                DecksCommand::Export {
                    id,
                    format,
                    decks,
                    out,
                    force,
                },
        } => decks_export(&id, &format, &decks, &out, force),
        Command::Grade { jsonl, decks: _ } => {
            anyhow::ensure!(
                jsonl,
                "only --jsonl is supported: rappel grade --jsonl < answers.jsonl"
            );
            grade_jsonl()
        }
        Command::Srs {
            command:
                SrsCommand::Replay {
                    ratings,
                    days,
                    retention,
                },
        } => srs_replay(&ratings, &days, retention),
    }
}

fn decks_check(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    match rappel::deck_files::load_dir(dir) {
        Ok(library) => {
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
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            eprintln!("{} problem(s) found", problems.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

fn import_options(
    format: &str,
    separator: Option<String>,
    term_sep: Option<String>,
    row_sep: Option<String>,
) -> anyhow::Result<rappel::core::import::ImportOptions> {
    use rappel::core::import::{Format, ImportOptions, separator_arg};
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
struct ImportTarget {
    id: String,
    title: String,
    language: String,
    out: PathBuf,
    force: bool,
}

fn decks_import(
    file: &std::path::Path,
    options: &rappel::core::import::ImportOptions,
    target: &ImportTarget,
) -> anyhow::Result<ExitCode> {
    use rappel::core::deck::{self, CardKind, Deck, DeckId};
    use rappel::core::import::to_toml;
    use rappel::deck_io;

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
            for problem in &problems {
                eprintln!("{problem}");
            }
            eprintln!("{} problem(s) found: nothing written", problems.len());
            return Ok(ExitCode::FAILURE);
        }
    };
    for warning in &imported.warnings {
        eprintln!("warning: {warning}");
    }
    let source = file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    let deck = Deck {
        id,
        title: target.title.trim().to_string(),
        language: target.language.clone(),
        source,
        cards: imported.cards,
    };
    let text = to_toml(&deck);
    if let Err(problems) = deck::parse(&path.display().to_string(), &text) {
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        anyhow::bail!(
            "bug: the imported deck does not read back:\n{}",
            shown.join("\n")
        );
    }
    deck_io::write_file(&path, &text, target.force)?;
    let count = |kind| deck.cards.iter().filter(|c| c.kind == kind).count();
    println!(
        "{}: {} cards from {} ({}): {} term, {} list, {} definition, {} reversible; {} warning(s)",
        path.display(),
        deck.cards.len(),
        shown,
        imported.format,
        count(CardKind::Term),
        count(CardKind::List),
        count(CardKind::Definition),
        deck.cards.iter().filter(|c| c.reverse).count(),
        imported.warnings.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn decks_export(
    id: &str,
    format: &str,
    dir: &std::path::Path,
    out: &std::path::Path,
    force: bool,
) -> anyhow::Result<ExitCode> {
    let library = match rappel::deck_files::load_dir(dir) {
        Ok(library) => library,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            eprintln!("{} problem(s) found", problems.len());
            return Ok(ExitCode::FAILURE);
        }
    };
    let deck = library
        .deck(id)
        .with_context(|| format!("no deck `{id}` in {}", dir.display()))?;
    let delimiter = if format == "tsv" { b'\t' } else { b',' };
    let text = rappel::core::import::export::to_table(deck, delimiter);
    if out.as_os_str() == "-" {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        rappel::deck_io::write_file(out, &text, force)?;
        eprintln!("{}: {} cards", out.display(), deck.cards.len());
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Deserialize)]
struct GradeRequest {
    expected: String,
    given: String,
    #[serde(default)]
    accept: Vec<String>,
}

fn grade_jsonl() -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (idx, line) in stdin.lines().enumerate() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let request: GradeRequest = serde_json::from_str(&line)
            .with_context(|| format!("line {}: not a grading request", idx + 1))?;
        let grade = rappel::core::grade::grade(&request.expected, &request.accept, &request.given);
        serde_json::to_writer(&mut out, &grade)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn srs_replay(ratings: &[u8], days: &[u32], retention: f32) -> anyhow::Result<ExitCode> {
    use rappel::core::schedule::{Rating, replay};
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
