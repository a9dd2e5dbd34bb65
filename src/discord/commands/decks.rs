//! `/decks`: the loaded decks with their card counts and the user's progress.

use std::collections::BTreeMap;

use poise::serenity_prelude as serenity;

use crate::core::deck::DeckId;
use crate::discord::messages;
use crate::discord::{Context, Error, context_lang, no_pings, now_ms};
use crate::terminal::session;

/// List the decks and your progress
#[poise::command(slash_command)]
pub async fn decks(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx);
    let data = ctx.data();
    let library = &data.library;
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
            messages::deck_line(lang, &d.title, d.id.as_str(), d.cards.len(), seen, total)
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
