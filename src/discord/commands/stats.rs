//! `/stats`: the student's own figures (cards learned, due today, retention
//! of the last 30 days, streak), privately.

use poise::serenity_prelude as serenity;

use crate::discord::messages::{self, StatsText};
use crate::discord::{Context, Error, context_lang, no_pings, now_ms};

/// Your own review statistics
#[poise::command(slash_command)]
pub async fn stats(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx);
    let data = ctx.data();
    let now = now_ms();
    let user = super::study::student(data, ctx.author().id, lang, now).await?;
    let stats = data.store.stats(&user, now).await?;
    let text = StatsText {
        learned: stats.learned,
        due_today: stats.due_today,
        retention: stats.retention_30d,
        streak_days: u64::from(stats.streak_days),
    };
    let mut embed = serenity::CreateEmbed::new()
        .title(messages::stats_title(lang))
        .colour(serenity::Colour::BLURPLE);
    for (name, value) in messages::stats_lines(lang, &text) {
        embed = embed.field(name, value, true);
    }
    let reply = poise::CreateReply::default()
        .embed(embed)
        .ephemeral(true)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}
