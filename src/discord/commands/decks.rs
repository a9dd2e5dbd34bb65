//! `/decks list|upload|remove|export`: the decks a server sees with the
//! user's progress, and a server's own decks.
//!
//! An upload runs the same importers, limits and `file:line` problems as
//! `rappel decks import` (the valid rows are imported, the others listed
//! privately, all of them in an attached file when the reply cannot hold
//! them), then stores the deck's TOML for that server only
//! ([`crate::store::NewServerDeck`]); [`crate::discord::server_decks`] merges
//! it with the bundled decks for `/study` and `/quiz start`. Upload and
//! removal need Manage Server, checked by the bot itself.

use std::collections::BTreeMap;

use poise::serenity_prelude as serenity;

use crate::core::deck::{self, DeckId};
use crate::core::import::{self, ImportLimits, ImportOptions};
use crate::core::session;
use crate::discord::messages;
use crate::discord::{Context, Error, Mistake, context_lang, no_pings, now_ms};
use crate::store::{self, NewServerDeck};

/// Longest deck title (Discord shows it in embed titles and choices).
const MAX_TITLE_CHARS: usize = 100;
/// Problems and warnings listed in a reply (Discord caps a message at
/// 2,000 characters); the rest are counted.
const MAX_LISTED: usize = 10;
const MAX_LISTED_CHARS: usize = 1500;
/// Discord's CDN answers in well under a second; a stuck download must not
/// hold the command forever.
const DOWNLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The decks: list, upload, remove, export
#[poise::command(
    slash_command,
    subcommands("list", "upload", "remove", "export"),
    subcommand_required
)]
pub async fn decks(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// List the decks and your progress
#[poise::command(slash_command)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let data = ctx.data();
    let decks = super::guild_decks(ctx).await?;
    let library = &decks.library;
    let items = session::items(library, None);
    let mut totals: BTreeMap<DeckId, u64> = BTreeMap::new();
    for item in &items {
        *totals.entry(item.key.deck.clone()).or_default() += 1;
    }
    let user = super::study::student(data, ctx.author().id, lang, now_ms()).await?;
    let progress = data
        .store
        .deck_progress(&user.id, &totals, |key| items.iter().any(|i| &i.key == key))
        .await?;
    let lines: Vec<String> = library
        .decks()
        .iter()
        .map(|d| {
            let (seen, total) = progress
                .iter()
                .find(|p| p.deck == d.id)
                .map_or((0, 0), |p| (p.seen, p.total));
            let mut line = messages::deck_line(
                lang,
                &d.title,
                decks.shown_id(&d.id),
                d.cards.len(),
                seen,
                total,
            );
            if decks.is_server_deck(&d.id) {
                line.push_str(messages::server_deck_tag(lang));
            }
            line
        })
        .collect();
    let embed = serenity::CreateEmbed::new()
        .title(messages::decks_title(lang))
        .description(lines.join("\n"))
        .footer(serenity::CreateEmbedFooter::new(messages::decks_total(
            lang,
            library.decks().len(),
            library.n_cards(),
        )));
    let reply = poise::CreateReply::default()
        .embed(embed)
        .ephemeral(true)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// Add a deck to this server from a Quizlet, Anki or CSV export (Manage Server)
#[poise::command(slash_command)]
pub async fn upload(
    ctx: Context<'_>,
    file: serenity::Attachment,
    id: String,
    title: String,
) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let guild = super::require_manager_guild(ctx)?.to_string();
    let data = ctx.data();
    let limits = ImportLimits::default();

    let id = id.trim();
    let Ok(deck_id) = DeckId::parse(id) else {
        return Err(Mistake::UploadBadId {
            given: id.to_string(),
        }
        .into());
    };
    let max_id = store::max_server_deck_id_len(&guild);
    if deck_id.as_str().len() > max_id {
        return Err(Mistake::UploadIdTooLong { max: max_id }.into());
    }
    if data.library.deck(deck_id.as_str()).is_some() {
        return Err(Mistake::UploadBundledClash { id: id.to_string() }.into());
    }
    let title = title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(Mistake::UploadBadTitle {
            max: MAX_TITLE_CHARS,
        }
        .into());
    }
    // Refused before downloading anything.
    if u64::from(file.size) > limits.max_bytes as u64 {
        return Err(Mistake::UploadTooBig {
            size: u64::from(file.size),
            max: limits.max_bytes,
        }
        .into());
    }

    // Downloading and reading an .apkg can take longer than Discord's 3 s.
    ctx.defer_ephemeral().await?;
    let download = tokio::time::timeout(DOWNLOAD_TIMEOUT, file.download()).await;
    let bytes = match download {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot download an uploaded deck");
            return Err(Mistake::UploadDownloadFailed.into());
        }
        Err(_) => {
            tracing::warn!("downloading an uploaded deck timed out");
            return Err(Mistake::UploadDownloadFailed.into());
        }
    };
    if bytes.len() > limits.max_bytes {
        return Err(Mistake::UploadTooBig {
            size: bytes.len() as u64,
            max: limits.max_bytes,
        }
        .into());
    }
    let options = ImportOptions {
        limits,
        ..ImportOptions::default()
    };
    let imported = match crate::deck_io::import_bytes(&file.filename, &bytes, &options).await {
        Ok(imported) => imported,
        Err(problems) => {
            return Err(refused(limits, &problems));
        }
    };
    // The stored text is what `decks import` writes; it reads back.
    let (deck, toml) = match import::to_deck(
        deck_id.clone(),
        title,
        "fr",
        Some(file.filename.clone()),
        imported.cards,
        &file.filename,
    ) {
        Ok(built) => built,
        Err(problems) => {
            tracing::error!(n_problems = problems.len(), guild = %guild, deck = %deck_id, "bug: an imported deck does not read back");
            return Err(refused(limits, &problems));
        }
    };
    let uploaded = data
        .store
        .put_server_deck(&NewServerDeck {
            guild_id: &guild,
            deck_id: &deck_id,
            title,
            toml: &toml,
            n_cards: deck.cards.len(),
            uploaded_by: &ctx.author().id.to_string(),
            at: now_ms(),
        })
        .await?;
    tracing::info!(guild = %guild, deck = %deck_id, cards = deck.cards.len(), format = %imported.format, ?uploaded, "server deck uploaded");
    // Loads the server's decks now, so the next command does not wait for
    // parsing and the grader's context (hundreds of ms for 5,000 cards).
    data.server_decks
        .for_guild(&data.store, ctx.guild_id())
        .await?;
    // Skipped rows first, then changes, within one reply; when some are
    // left out, the full list comes as a file.
    let (skipped, n_more_skipped) = listed(&imported.skipped, MAX_LISTED, MAX_LISTED_CHARS);
    let used: usize = skipped.iter().map(|s| s.chars().count()).sum();
    let (warnings, n_more) = listed(
        &imported.warnings,
        MAX_LISTED - skipped.len(),
        MAX_LISTED_CHARS - used,
    );
    let report_name = format!("{deck_id}-import.txt");
    let attached = n_more_skipped + n_more > 0;
    let text = messages::upload_done(
        lang,
        title,
        deck_id.as_str(),
        deck.cards.len(),
        uploaded,
        imported.columns,
        &messages::UploadNotes {
            skipped: (&skipped, n_more_skipped),
            warnings: (&warnings, n_more),
            attached: attached.then_some(report_name.as_str()),
        },
    );
    let mut reply = poise::CreateReply::default()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(no_pings());
    if attached {
        let lines: Vec<String> = (imported.skipped.iter().map(|p| format!("skipped: {p}")))
            .chain(imported.warnings.iter().map(|p| format!("warning: {p}")))
            .collect();
        let file = format!("{}\n", lines.join("\n"));
        reply = reply.attachment(serenity::CreateAttachment::bytes(
            file.into_bytes(),
            report_name,
        ));
    }
    ctx.send(reply).await?;
    Ok(())
}

/// Remove a deck of this server; members keep their progress (Manage Server)
#[poise::command(slash_command)]
pub async fn remove(
    ctx: Context<'_>,
    #[autocomplete = "super::autocomplete_deck"] id: String,
) -> Result<(), Error> {
    let guild = super::require_manager_guild(ctx)?.to_string();
    let data = ctx.data();
    let id = store::shown_deck_id(id.trim());
    if data.library.deck(id).is_some() {
        return Err(Mistake::RemoveBundled { id: id.to_string() }.into());
    }
    if !data.store.remove_server_deck(&guild, id, now_ms()).await? {
        return Err(Mistake::RemoveUnknown { id: id.to_string() }.into());
    }
    tracing::info!(guild = %guild, deck = %id, "server deck removed");
    // The reply's language is read once there is a reply (a refusal is
    // `on_error`'s).
    let lang = context_lang(ctx).await;
    super::private(ctx, messages::remove_done(lang, id)).await
}

/// Download a deck as a CSV file
#[poise::command(slash_command)]
pub async fn export(
    ctx: Context<'_>,
    #[autocomplete = "super::autocomplete_deck"] id: String,
) -> Result<(), Error> {
    let decks = super::guild_decks(ctx).await?;
    let deck = super::find_in(&decks, &id)?;
    let csv = import::export::to_table(deck, b',');
    let lang = context_lang(ctx).await;
    let name = format!("{}.csv", decks.shown_id(&deck.id));
    let reply = poise::CreateReply::default()
        .content(messages::deck_export_done(
            lang,
            &deck.title,
            deck.cards.len(),
        ))
        .attachment(serenity::CreateAttachment::bytes(csv.into_bytes(), name))
        .ephemeral(true)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// The refusal of an import, with its first problems.
fn refused(limits: ImportLimits, problems: &[deck::Problem]) -> Error {
    let (problems, n_more) = listed(problems, MAX_LISTED, MAX_LISTED_CHARS);
    Mistake::UploadRefused {
        limits,
        problems,
        n_more,
    }
    .into()
}

/// The first problems as `file:line: message`, at most `max_items` and
/// `max_chars` (what a reply allows), and how many are left out.
fn listed(problems: &[deck::Problem], max_items: usize, max_chars: usize) -> (Vec<String>, usize) {
    let mut shown = Vec::new();
    let mut n_chars = 0;
    for problem in problems.iter().take(max_items) {
        let text: String = problem.to_string().chars().take(200).collect();
        n_chars += text.chars().count();
        if n_chars > max_chars {
            break;
        }
        shown.push(text);
    }
    let n_more = problems.len() - shown.len();
    (shown, n_more)
}
