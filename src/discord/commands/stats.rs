//! `/stats show`: the student's own figures (cards learned, due today,
//! retention of the last 30 days, streak) with a chart of their reviews and
//! coming due cards, privately; `/stats show scope:server` (Manage Server)
//! shows the same chart for every member of the server. `/stats export`
//! gives the student their own review log as CSV.

use poise::serenity_prelude as serenity;

use crate::chart;
use crate::core::fit::{self, Outcome};
use crate::discord::messages::{self, ActivityText, Lang, MemoryText, StatsText};
use crate::discord::{Context, Error, no_pings, now_ms};
use crate::store::{Activity, Store, StoredFit, User, Who};

/// Days of reviews and of coming due cards on the chart.
const PAST_DAYS: u32 = 30;
const AHEAD_DAYS: u32 = 14;
const CHART_FILE: &str = "stats.png";

/// Whose statistics `/stats` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum Scope {
    #[name = "me"]
    #[name_localized("fr", "moi")]
    Me,
    #[name = "server"]
    #[name_localized("fr", "serveur")]
    Server,
}

/// Your statistics: show them, or download your review log
#[poise::command(slash_command, subcommands("show", "export"), subcommand_required)]
pub async fn stats(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Download your own review log as a CSV file
#[poise::command(slash_command)]
pub async fn export(ctx: Context<'_>) -> Result<(), Error> {
    let (user, lang) = super::author(ctx, now_ms()).await?;
    let data = ctx.data();
    let log = data.store.review_log(&user.id).await?;
    let csv = crate::store::reviews_csv(&log);
    let reply = poise::CreateReply::default()
        .content(messages::stats_export_done(lang, log.len()))
        .attachment(serenity::CreateAttachment::bytes(
            csv.into_bytes(),
            EXPORT_FILE,
        ))
        .ephemeral(true)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

const EXPORT_FILE: &str = "rappel-reviews.csv";

/// Your own review statistics
#[poise::command(slash_command)]
pub async fn show(ctx: Context<'_>, scope: Option<Scope>) -> Result<(), Error> {
    let now = now_ms();
    let (user, lang) = super::author(ctx, now).await?;
    let data = ctx.data();
    let mut embed = serenity::CreateEmbed::new().colour(serenity::Colour::BLURPLE);
    let activity = match scope.unwrap_or(Scope::Me) {
        Scope::Me => {
            let stats = data.store.stats(&user, now).await?;
            let text = StatsText {
                learned: stats.learned,
                due_today: stats.due_today,
                retention: stats.retention_30d,
                streak_days: u64::from(stats.streak_days),
            };
            embed = embed
                .title(messages::stats_title(lang))
                .description(messages::stats_zone(lang, user.time_zone.name()));
            for (name, value) in messages::stats_lines(lang, &text) {
                embed = embed.field(name, value, true);
            }
            let memory = memory_text(&data.store, &user, lang).await?;
            embed = embed.field(
                messages::memory_title(lang),
                messages::memory_line(lang, &memory),
                false,
            );
            let who = Who::User(&user.id);
            let activity = data
                .store
                .activity(who, now, user.time_zone, PAST_DAYS, AHEAD_DAYS)
                .await?;
            let text = activity_text(&activity, None);
            for (name, value) in messages::activity_lines(lang, &text) {
                embed = embed.field(name, value, true);
            }
            activity
        }
        Scope::Server => {
            let guild = super::require_manager_guild(ctx)?;
            let guild = guild.to_string();
            let activity = data
                .store
                .activity(
                    Who::Guild(&guild),
                    now,
                    user.time_zone,
                    PAST_DAYS,
                    AHEAD_DAYS,
                )
                .await?;
            let n_members = data.store.guild_member_count(&guild).await?;
            let text = activity_text(&activity, Some(n_members));
            embed = embed.title(messages::server_stats_title(lang));
            for (name, value) in messages::activity_lines(lang, &text) {
                embed = embed.field(name, value, true);
            }
            activity
        }
    };
    let png = render(activity, lang).await;
    let mut reply = poise::CreateReply::default()
        .ephemeral(true)
        .allowed_mentions(no_pings());
    match png {
        Some(png) => {
            embed = embed
                .image(format!("attachment://{CHART_FILE}"))
                .footer(serenity::CreateEmbedFooter::new(messages::chart_alt(lang)));
            reply = reply.attachment(serenity::CreateAttachment::bytes(png, CHART_FILE));
        }
        // The figures are still worth sending without their chart.
        None => tracing::error!("the stats chart could not be drawn"),
    }
    ctx.send(reply.embed(embed)).await?;
    Ok(())
}

/// What fit `f` of `user` says: their own parameters (fitted), or the
/// defaults that did better; `None` for another outcome, or without both
/// candidates' held-out figures.
fn fit_text(f: StoredFit, user: &User, lang: Lang) -> Option<MemoryText> {
    let date = messages::local_long_date(lang, f.fitted_at, user.time_zone);
    let r = f.report;
    let (default, fitted) = (r.default_metrics?, r.fitted_metrics?);
    match r.outcome {
        Outcome::Fitted => Some(MemoryText::Fitted {
            date,
            n_train: r.n_train,
            n_test: r.n_test,
            default,
            fitted,
        }),
        Outcome::Default => Some(MemoryText::DefaultBetter {
            date,
            n_reviews: r.n_reviews,
            n_test: r.n_test,
            default,
            fitted,
        }),
        Outcome::Previous | Outcome::TooFew | Outcome::Failed => None,
    }
}

/// Which parameters schedule `user`, from their fits.
async fn memory_text(store: &Store, user: &User, lang: Lang) -> Result<MemoryText, Error> {
    // The fit in use is a fitted one (`Store::record_fit` adopts no other).
    if let Some(text) = store
        .fit_in_use(&user.id)
        .await?
        .and_then(|f| fit_text(f, user, lang))
    {
        return Ok(text);
    }
    let last = store.last_fit(&user.id).await?;
    if let Some(text) = last
        .filter(|f| f.report.outcome == Outcome::Default)
        .and_then(|f| fit_text(f, user, lang))
    {
        return Ok(text);
    }
    let n_reviews = store.long_term_reviews(&user.id).await?;
    Ok(if n_reviews >= fit::MIN_REVIEWS as u64 {
        MemoryText::Pending { n_reviews }
    } else {
        MemoryText::TooFew {
            n_reviews,
            needed: fit::MIN_REVIEWS,
        }
    })
}

fn activity_text(activity: &Activity, n_members: Option<u64>) -> ActivityText {
    let reviews = &activity.chart.reviews;
    ActivityText {
        reviews_30d: reviews.iter().map(|d| d.right + d.wrong).sum(),
        right_30d: reviews.iter().map(|d| d.right).sum(),
        due_14d: activity.chart.due.iter().sum(),
        due_today: activity.chart.due.first().copied().unwrap_or(0),
        members: n_members.map(|n| (n, activity.active_students)),
    }
}

/// Draws the chart off the async threads (it takes a few tens of ms).
async fn render(activity: Activity, lang: Lang) -> Option<Vec<u8>> {
    let labels = messages::chart_labels(lang);
    let drawn = tokio::task::spawn_blocking(move || chart::render(&activity.chart, &labels)).await;
    match drawn {
        Ok(Ok(png)) => Some(png),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "chart");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "chart task");
            None
        }
    }
}
