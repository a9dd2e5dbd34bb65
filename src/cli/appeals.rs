//! `rappel appeals export` and `rappel grade --replay`: the answers servers
//! accepted on appeal, as deck-file `accept` entries for a teacher; and
//! every stored answer graded again with the current grader and those
//! answers, to see what a grader upgrade would change before it ships.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use poise::serenity_prelude as serenity;

use crate::core::appeal;
use crate::core::deck::Card;
use crate::core::grade::{self, DeckContext};
use crate::core::regrade::Report;
use crate::core::review::Direction;
use crate::discord::server_decks::{GuildDecks, ServerDecks};
use crate::store::{self, Store};

/// The decks of `dir` and every server's view of them, on `database`.
async fn open(decks_dir: &Path, database: &str) -> anyhow::Result<Option<(Store, ServerDecks)>> {
    let Some(library) = super::load_or_report(decks_dir, "{} problem(s) in the decks") else {
        return Ok(None);
    };
    let contexts = library
        .decks()
        .iter()
        .map(|d| (d.id.clone(), DeckContext::new(&d.cards)))
        .collect();
    let store = Store::connect(database)
        .await
        .with_context(|| format!("opening the database {database}"))?;
    Ok(Some((store, ServerDecks::new(&library, &contexts))))
}

fn guild_id(raw: &str) -> Option<serenity::GuildId> {
    raw.parse::<u64>()
        .ok()
        .filter(|&id| id != 0)
        .map(serenity::GuildId::new)
}

/// Prints server `guild`'s accepted answers (of deck `deck` only if given,
/// by the id the server sees) as `[[cards]]` entries with their `accept`
/// lists, deck by deck.
pub async fn appeals_export(
    guild: &str,
    deck: Option<&str>,
    database: &str,
    decks_dir: &Path,
) -> anyhow::Result<ExitCode> {
    let guild_id = guild_id(guild)
        .ok_or_else(|| anyhow::anyhow!("--guild takes a server id (a number), got {guild:?}"))?;
    let Some((store, servers)) = open(decks_dir, database).await? else {
        return Ok(ExitCode::FAILURE);
    };
    let result = export(&store, &servers, guild, guild_id, deck).await;
    store.close().await;
    let text = result?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

async fn export(
    store: &Store,
    servers: &ServerDecks,
    guild: &str,
    guild_id: serenity::GuildId,
    deck: Option<&str>,
) -> anyhow::Result<String> {
    let decks = servers
        .for_guild(store, Some(guild_id))
        .await
        .context("loading the server's decks")?;
    let only = match deck {
        Some(given) => Some(
            decks
                .find(given)
                .ok_or_else(|| anyhow::anyhow!("no deck {given:?} in server {guild}"))?
                .id
                .clone(),
        ),
        None => None,
    };
    let accepted = store
        .accepted_answers(guild, only.as_ref())
        .await
        .context("reading the accepted answers")?;
    let mut out = format!(
        "# Answers accepted on appeal in server {guild} ({} in all).\n",
        accepted.len()
    );
    for deck in decks.library.decks() {
        let mut cards: Vec<(&Card, Vec<(Direction, String)>)> = Vec::new();
        for card in &deck.cards {
            let mine: Vec<(Direction, String)> = accepted
                .iter()
                .filter(|a| a.key.deck == deck.id && a.key.card == card.id)
                .map(|a| (a.key.direction, a.answer.clone()))
                .collect();
            if !mine.is_empty() {
                cards.push((card, mine));
            }
        }
        if !cards.is_empty() {
            out.push('\n');
            out.push_str(&appeal::accept_entries(
                decks.shown_id(&deck.id),
                &deck.title,
                &cards,
            ));
        }
    }
    Ok(out)
}

/// Grades every stored answer again and prints what would change.
pub async fn grade_replay(database: &str, decks_dir: &Path) -> anyhow::Result<ExitCode> {
    let Some((store, servers)) = open(decks_dir, database).await? else {
        return Ok(ExitCode::FAILURE);
    };
    let result = replay(&store, &servers).await;
    store.close().await;
    let report = result?;
    std::io::stdout()
        .lock()
        .write_all(report.render().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// How many answers are read at a time.
const PAGE: i64 = 2_000;

async fn replay(store: &Store, servers: &ServerDecks) -> anyhow::Result<Report> {
    let known = store
        .answer_servers()
        .await
        .context("reading where answers were given")?;
    let by_review: HashMap<i64, String> = known.appeals.into_iter().collect();
    let by_quiz: HashMap<i64, String> = known.quizzes.into_iter().collect();
    let by_channel: HashMap<String, String> = known.daily_channels.into_iter().collect();
    let mut views: HashMap<Option<String>, std::sync::Arc<GuildDecks>> = HashMap::new();
    let mut report = Report::default();
    let mut after = 0;
    loop {
        let page = store
            .typed_answers(after, PAGE)
            .await
            .context("reading the answers")?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.id;
        for answer in page {
            let guild = by_review
                .get(&answer.id)
                .cloned()
                .or_else(|| server_of_deck(answer.key.deck.as_str()))
                .or_else(|| {
                    let rest = answer.answer_key.strip_prefix("quiz:")?;
                    let quiz: i64 = rest.split(':').next()?.parse().ok()?;
                    by_quiz.get(&quiz).cloned()
                })
                .or_else(|| {
                    let rest = answer.answer_key.strip_prefix("daily:")?;
                    by_channel.get(rest.split(':').next()?).cloned()
                });
            let decks = match views.get(&guild) {
                Some(decks) => decks.clone(),
                None => {
                    let decks = servers
                        .for_guild(store, guild.as_deref().and_then(guild_id))
                        .await
                        .context("loading a server's decks")?;
                    views.insert(guild.clone(), decks.clone());
                    decks
                }
            };
            let key = &answer.key;
            let Some((_, card)) = decks.library.card(key.deck.as_str(), key.card.as_str()) else {
                report.skip();
                continue;
            };
            let empty = DeckContext::default();
            let context = decks.context(&key.deck).unwrap_or(&empty);
            let graded = decks.graded_card(key, card);
            let now = grade::grade_card(&graded, key.direction, context, &answer.typed).verdict;
            let label = format!(
                "{}/{} ({})",
                decks.shown_id(&key.deck),
                key.card,
                key.direction.as_str()
            );
            report.add(&label, &answer.typed, answer.verdict, now);
        }
    }
    Ok(report)
}

/// The server of a server deck's internal id (`srv-<guild>-<id>`).
fn server_of_deck(deck: &str) -> Option<String> {
    let shown = store::shown_deck_id(deck);
    if shown == deck {
        return None;
    }
    let guild = deck.strip_prefix("srv-")?.split('-').next()?;
    Some(guild.to_string())
}
