//! The `rappel` binary: parse arguments, set up logging, call the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use rappel::cli::{
    ImportTarget, appeals_export, decks_check, decks_export, decks_import, grade_eval, grade_jsonl,
    grade_replay, import_options, srs_calibration, srs_optimize, srs_replay, srs_simulate,
    stats_export, study,
};

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
    /// Grade typed answers (JSON lines on stdin), or measure the grader on
    /// labelled sets.
    Grade {
        /// Read `{"expected", "given", "accept"?, "card"?}` JSON lines from
        /// stdin, write one JSON grade per line.
        #[arg(long, conflicts_with = "eval")]
        jsonl: bool,
        /// Grade labelled sets (`{"expected", "given", "label", "kind",
        /// "card"?}` lines) and print agreement, confusion matrix, traps
        /// accepted and disagreements.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        eval: Vec<PathBuf>,
        /// Grade every answer stored in the database again, with the current
        /// grader and the answers each server accepted on appeal, and print
        /// what would change (counts and examples).
        #[arg(long, conflicts_with_all = ["jsonl", "eval"])]
        replay: bool,
        /// Database URL for --replay: sqlite://FILE or postgres://...
        #[arg(long, env = "DATABASE_URL", default_value = rappel::store::DEFAULT_URL)]
        db: String,
        /// Deck directory, used to know the other answers of a deck.
        #[arg(long, default_value = "decks")]
        decks: PathBuf,
    },
    /// Students' appeals of a grade (« J'avais raison »).
    Appeals {
        #[command(subcommand)]
        command: AppealsCommand,
    },
    /// Run the Discord bot (reads DISCORD_TOKEN, DATABASE_URL, DISCORD_API_BASE,
    /// RAPPEL_MESSAGE_CONTENT, RAPPEL_DECKS, RAPPEL_SHARDS, RAPPEL_TOTAL_SHARDS,
    /// RAPPEL_REGISTER and RAPPEL_GUILD from the environment).
    Bot {
        /// Run only these shards, FIRST-LAST inclusive (`0-3` is shards 0, 1,
        /// 2 and 3); needs --total-shards. Overrides RAPPEL_SHARDS.
        #[arg(long, value_name = "FIRST-LAST")]
        shards: Option<String>,
        /// Register the slash commands on this server only (instantly, for
        /// trying a change) instead of globally. Overrides RAPPEL_GUILD.
        #[arg(long, value_name = "ID")]
        guild: Option<String>,
        /// The number of shards of all processes together. Overrides
        /// RAPPEL_TOTAL_SHARDS.
        #[arg(long, value_name = "N")]
        total_shards: Option<String>,
    },
    /// Study the due and new cards in the terminal (progress is saved).
    Study {
        /// Only this deck (its id, e.g. `ciblage`).
        #[arg(long)]
        deck: Option<String>,
        /// Whose progress to use; defaults to $USER, else "local".
        #[arg(long)]
        user: Option<String>,
        /// Database URL: sqlite://FILE (created if missing) or postgres://...
        #[arg(long, env = "DATABASE_URL", default_value = rappel::store::DEFAULT_URL)]
        db: String,
        /// Deck directory.
        #[arg(long, default_value = "decks")]
        decks: PathBuf,
        /// New cards introduced per day at most.
        #[arg(long, default_value_t = 20)]
        new_per_day: u32,
        /// IANA time zone for days and the times shown (e.g. Europe/Paris);
        /// defaults to the machine's own ($TZ, else /etc/localtime).
        #[arg(long)]
        tz: Option<String>,
    },
    /// A student's own data.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Spaced-repetition tools.
    Srs {
        #[command(subcommand)]
        command: SrsCommand,
    },
}

#[derive(Subcommand)]
enum StatsCommand {
    /// Print a user's review log as CSV (deck, card, direction, time, verdict,
    /// rating, interval_days, origin, typed), the same as `/stats export`.
    Export {
        /// The user: a Discord user id, or the terminal's user name.
        #[arg(long)]
        user: String,
        /// Database URL: sqlite://FILE or postgres://...
        #[arg(long, env = "DATABASE_URL", default_value = rappel::store::DEFAULT_URL)]
        database: String,
    },
}

#[derive(Subcommand)]
enum AppealsCommand {
    /// Print the answers a server accepted on appeal as `[[cards]]` entries
    /// with their `accept` lists, to fold into the deck files.
    Export {
        /// The server (Discord server id).
        #[arg(long)]
        guild: String,
        /// Only this deck (its id as the server sees it).
        #[arg(long)]
        deck: Option<String>,
        /// Database URL: sqlite://FILE or postgres://...
        #[arg(long, env = "DATABASE_URL", default_value = rappel::store::DEFAULT_URL)]
        db: String,
        /// Deck directory (the bundled decks).
        #[arg(long, default_value = "decks")]
        decks: PathBuf,
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
    /// Fit a student's FSRS parameters to their log now (as the bot's
    /// background job does) and print the held-out figures.
    Optimize {
        /// The user: a Discord user id, or the terminal's user name.
        #[arg(long)]
        user: String,
        /// Database URL: sqlite://FILE or postgres://...
        #[arg(long, env = "DATABASE_URL", default_value = rappel::store::DEFAULT_URL)]
        db: String,
        /// Print the figures without storing the fit.
        #[arg(long)]
        dry_run: bool,
    },
    /// Simulate students with known memory parameters, fit them and print
    /// how close the fitted parameters come (log loss of default, fitted
    /// and true parameters) and the exam forecast's calibration.
    Simulate {
        #[arg(long, default_value_t = 200)]
        students: usize,
        #[arg(long, default_value_t = 90)]
        days: u32,
        #[arg(long, default_value_t = 17)]
        seed: u64,
    },
    /// Compare the stored exam forecasts with the recall observed in the
    /// week after each exam, overall and by tenth of predicted recall.
    Calibration {
        /// Database URL: sqlite://FILE or postgres://...
        #[arg(long, env = "DATABASE_URL", default_value = rappel::store::DEFAULT_URL)]
        db: String,
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
        /// All or nothing: refuse the whole file if one row is invalid (over
        /// a limit, unreadable) instead of importing the valid rows.
        #[arg(long)]
        strict: bool,
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
                    strict,
                },
        } => {
            let mut options = import_options(&format, separator, term_sep, row_sep)?;
            options.strict = strict;
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
        Command::Grade {
            jsonl,
            eval,
            replay,
            db,
            decks,
        } => {
            if replay {
                return runtime()?.block_on(grade_replay(&db, &decks));
            }
            if !eval.is_empty() {
                return grade_eval(&eval, &decks);
            }
            anyhow::ensure!(
                jsonl,
                "give --jsonl, --eval or --replay: rappel grade --jsonl < answers.jsonl, \
                 rappel grade --eval labelled.jsonl, rappel grade --replay --db URL"
            );
            grade_jsonl(&decks)
        }
        Command::Appeals {
            command:
                AppealsCommand::Export {
                    guild,
                    deck,
                    db,
                    decks,
                },
        } => runtime()?.block_on(appeals_export(&guild, deck.as_deref(), &db, &decks)),
        Command::Bot {
            shards,
            total_shards,
            guild,
        } => bot(shards, total_shards, guild),
        Command::Study {
            deck,
            user,
            db,
            decks,
            new_per_day,
            tz,
        } => {
            let user = user
                .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
                .unwrap_or_else(|| "local".to_string());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            runtime.block_on(study(deck, &user, &db, &decks, new_per_day, tz.as_deref()))
        }
        Command::Stats {
            command: StatsCommand::Export { user, database },
        } => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            runtime.block_on(stats_export(&user, &database))
        }
        Command::Srs {
            command:
                SrsCommand::Replay {
                    ratings,
                    days,
                    retention,
                },
        } => srs_replay(&ratings, &days, retention),
        Command::Srs {
            command: SrsCommand::Optimize { user, db, dry_run },
        } => runtime()?.block_on(srs_optimize(&user, &db, dry_run)),
        Command::Srs {
            command:
                SrsCommand::Simulate {
                    students,
                    days,
                    seed,
                },
        } => srs_simulate(students, days, seed),
        Command::Srs {
            command: SrsCommand::Calibration { db },
        } => runtime()?.block_on(srs_calibration(&db)),
    }
}

/// A runtime for one command-line tool.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Runs the bot until the gateway ends for good, or until SIGTERM or
/// Ctrl-C: then it stops gracefully (see `Bot::shutdown`) and exits 0.
fn bot(
    shards: Option<String>,
    total_shards: Option<String>,
    guild: Option<String>,
) -> anyhow::Result<ExitCode> {
    // The command line wins over the environment, key by key.
    let config = rappel::discord::Config::from_lookup(|key| match key {
        "RAPPEL_SHARDS" if shards.is_some() => shards.clone(),
        "RAPPEL_TOTAL_SHARDS" if total_shards.is_some() => total_shards.clone(),
        "RAPPEL_GUILD" if guild.is_some() => guild.clone(),
        _ => std::env::var(key).ok(),
    })?;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        // Installed before connecting, so an early SIGTERM is not fatal.
        let signal = shutdown_signal()?;
        let bot = rappel::discord::start(config).await?;
        bot.run_until(signal).await?;
        anyhow::Ok(())
    })?;
    // Do not wait for stray blocking tasks: exit within the 5 s promised.
    runtime.shutdown_timeout(std::time::Duration::from_millis(300));
    Ok(ExitCode::SUCCESS)
}

/// Completes on the first SIGTERM or Ctrl-C (SIGINT).
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("listening for SIGTERM")?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}
