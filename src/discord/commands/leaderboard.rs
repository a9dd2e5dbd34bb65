//! `/leaderboard show` (top 10 and the caller's rank: all time, this week,
//! this month, a season, per deck) and `/leaderboard season-reset` (Manage
//! Server; closes and archives the current season, exactly once across
//! processes). Also the server helpers other commands share: which server a
//! command runs in, the Manage Server check, and remembering members.

use poise::serenity_prelude as serenity;

use crate::core::deck::DeckId;
use crate::core::leaderboard::{self, Period, TOP_N};
use crate::discord::messages::{self, BoardScope};
use crate::discord::{Context, Error, Mistake, context_lang, error_chain, no_pings, now_ms};
use crate::store::SeasonReset;

/// The time window of `/leaderboard show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum PeriodChoice {
    #[name = "all-time"]
    #[name_localized("fr", "depuis-toujours")]
    AllTime,
    #[name = "week"]
    #[name_localized("fr", "semaine")]
    Week,
    #[name = "month"]
    #[name_localized("fr", "mois")]
    Month,
    #[name = "season"]
    #[name_localized("fr", "saison")]
    Season,
}

/// The server's leaderboard and seasons
#[poise::command(
    slash_command,
    subcommands("show", "season_reset"),
    subcommand_required
)]
pub async fn leaderboard(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Top 10 and your rank
#[poise::command(slash_command)]
pub async fn show(
    ctx: Context<'_>,
    period: Option<PeriodChoice>,
    #[min = 1] season: Option<i64>,
    #[autocomplete = "super::autocomplete_deck"] deck: Option<String>,
) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let guild = super::require_guild(ctx)?.to_string();
    let data = ctx.data();
    let now = now_ms();
    let decks = super::guild_decks(ctx).await?;
    let deck: Option<DeckId> = match deck.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(given) => Some(super::find_in(&decks, given)?.id.clone()),
    };
    let caller = super::study::student(data, ctx.author().id, lang, now).await?;
    let current = data.store.current_season(&guild).await?;
    let (period, scope) = match (season, period.unwrap_or(PeriodChoice::AllTime)) {
        (Some(n), _) => {
            // Checked before the store sees it (`n + 1` must not overflow).
            let found = match n {
                n if (1..=current.number).contains(&n) => data.store.season(&guild, n).await?,
                _ => None,
            };
            let Some(s) = found else {
                return Err(Mistake::UnknownSeason {
                    given: n,
                    current: current.number,
                }
                .into());
            };
            (Period::Season(s), BoardScope::Season(n, s.end.is_none()))
        }
        (None, PeriodChoice::Season) => (
            Period::Season(current),
            BoardScope::Season(current.number, true),
        ),
        (None, PeriodChoice::AllTime) => (Period::AllTime, BoardScope::AllTime),
        (None, PeriodChoice::Week) => (Period::Week, BoardScope::Week),
        (None, PeriodChoice::Month) => (Period::Month, BoardScope::Month),
    };
    let (start, end) = leaderboard::window(period, now, caller.time_zone);
    let entries = data
        .store
        .leaderboard_entries(&guild, start, end, deck.as_ref(), now)
        .await?;
    let board = leaderboard::rank(entries, &caller.id, TOP_N);

    let title = match &deck {
        Some(d) => messages::board_title(lang, &BoardScope::Deck(decks.shown_id(d), &scope)),
        None => messages::board_title(lang, &scope),
    };
    let mut lines: Vec<String> = board
        .top
        .iter()
        .map(|r| messages::board_line(lang, r))
        .collect();
    if lines.is_empty() {
        lines.push(messages::board_empty(lang).to_string());
    }
    let in_top = board.top.iter().any(|r| r.entry.user_id == caller.id);
    let you = match &board.caller {
        Some(r) => Some(messages::board_line(lang, r)),
        None if in_top || board.top.is_empty() => None,
        None => Some(messages::board_unranked(lang).to_string()),
    };
    let mut embed = serenity::CreateEmbed::new()
        .title(title)
        .colour(serenity::Colour::GOLD)
        .description(lines.join("\n"))
        .footer(serenity::CreateEmbedFooter::new(messages::board_footer(
            lang,
            board.n_ranked,
        )));
    if let Some(you) = you {
        embed = embed.field(messages::board_you(lang), you, false);
    }
    let reply = poise::CreateReply::default()
        .embed(embed)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// Close the current season and start a new one
#[poise::command(slash_command, rename = "season-reset")]
pub async fn season_reset(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let guild = super::require_manager_guild(ctx)?.to_string();
    let by = ctx.author().id.to_string();
    let text = match ctx.data().store.reset_season(&guild, &by, now_ms()).await? {
        SeasonReset::Done { closed } => {
            tracing::info!(guild = %guild, season = closed.number, by = %by, "season closed");
            messages::season_reset_done(lang, closed.number)
        }
        SeasonReset::AlreadyReset { current } => messages::season_reset_already(lang, current),
    };
    let reply = poise::CreateReply::default()
        .content(text)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// Remembers that the caller uses the bot in this server, under the name
/// the server shows (nickname, else global name, else username). Run before
/// every command; a failure is logged and the command still runs.
pub async fn remember_member(ctx: Context<'_>) {
    let Some(guild) = ctx.guild_id() else {
        return;
    };
    let author = ctx.author();
    let nick = match ctx {
        poise::Context::Application(a) => {
            a.interaction.member.as_ref().and_then(|m| m.nick.clone())
        }
        poise::Context::Prefix(_) => None,
    };
    let name = nick
        .or_else(|| author.global_name.clone())
        .unwrap_or_else(|| author.name.clone());
    let result = ctx
        .data()
        .store
        .touch_member(&guild.to_string(), &author.id.to_string(), &name, now_ms())
        .await;
    if let Err(e) = result {
        tracing::warn!(error = %error_chain(&e), "could not remember a server member");
    }
}
