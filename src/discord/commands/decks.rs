//! `/decks`: the loaded decks with their card counts and the user's progress.

use poise::serenity_prelude as serenity;

use crate::discord::messages;
use crate::discord::{Context, Error, context_lang, no_pings};

/// List the decks and your progress
#[poise::command(slash_command)]
pub async fn decks(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx);
    let library = &ctx.data().library;
    let lines: Vec<String> = library
        .decks()
        .iter()
        .map(|d| messages::deck_line(lang, &d.title, d.id.as_str(), d.cards.len(), 0))
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
