//! Closing the quizzes a stopped bot left running.

use poise::serenity_prelude as serenity;

use crate::discord::messages::{self, Lang, clip};
use crate::discord::{error_chain, no_pings, now_ms};
use crate::store::Store;

/// Closes the quizzes that were running when the bot stopped: marks them
/// ended (stopped), then posts their standings from the stored awards. Only
/// the quizzes of servers `mine` says this process holds (its shards): the
/// others may be running in another process.
pub async fn recover(http: &serenity::Http, store: &Store, mine: impl Fn(Option<u64>) -> bool) {
    let quizzes = match store.running_quizzes().await {
        Ok(q) => q,
        Err(e) => {
            tracing::error!(error = %error_chain(&e), "could not look for interrupted quizzes");
            return;
        }
    };
    for quiz in quizzes {
        let guild = quiz.guild_id.as_deref().and_then(|g| g.parse().ok());
        if !mine(guild) {
            continue;
        }
        let lang = Lang::parse(&quiz.language).unwrap_or(Lang::Fr);
        let totals = match store.quiz_totals(quiz.id).await {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(error = %error_chain(&e), quiz = quiz.id, "could not read quiz awards");
                continue;
            }
        };
        let rows: Vec<(u64, u64, u64)> = totals
            .iter()
            .filter_map(|t| Some((t.user_id.parse().ok()?, t.points, t.n_right)))
            .collect();
        let text = format!(
            "{}\n\n{}",
            messages::quiz_interrupted(lang),
            messages::quiz_podium(lang, &rows)
        );
        let embed = serenity::CreateEmbed::new()
            .title(messages::quiz_podium_title(lang, true))
            .description(clip(&text, 4000))
            .colour(serenity::Colour::GOLD);
        // Closed before the standings say so: a reader of the message
        // finds the quiz ended (a failed close is retried at the next start,
        // and nothing is posted meanwhile).
        if let Err(e) = store.end_quiz(quiz.id, now_ms(), true).await {
            tracing::error!(error = %error_chain(&e), quiz = quiz.id, "could not close an interrupted quiz");
            continue;
        }
        if let Some(channel) = crate::discord::parse_id::<serenity::ChannelId>(&quiz.channel_id) {
            let message = serenity::CreateMessage::new()
                .embed(embed)
                .allowed_mentions(no_pings());
            if let Err(e) = channel.send_message(http, message).await {
                tracing::warn!(error = %error_chain(&e), quiz = quiz.id, "could not post the standings of an interrupted quiz");
            }
        }
        tracing::info!(
            quiz = quiz.id,
            "interrupted quiz closed with its stored standings"
        );
    }
}
