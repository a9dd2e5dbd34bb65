//! `/quiz start|stop` and `/answer`: group quiz competitions in a channel.
//!
//! This file turns gateway events into inputs for the quiz driver
//! ([`crate::discord::quiz_driver`]): the slash commands, and the messages
//! typed in a channel where a quiz runs (with MESSAGE_CONTENT on). The
//! rules live in `core::quiz`; the driver task owns the running quiz.

use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::oneshot;

use crate::core::question::{Mode, pick_questions};
use crate::discord::messages;
use crate::discord::permission;
use crate::discord::quiz_driver::{Ack, Input, QuizSetup, Reply, acknowledge};
use crate::discord::{Context, Data, Error, Mistake, context_lang, no_pings, now_ms};
use crate::store::NewQuiz;

/// Default number of questions and seconds per question.
const DEFAULT_QUESTIONS: u32 = 10;
const DEFAULT_SECONDS: u32 = 20;

/// Group quiz competitions in this channel
#[poise::command(slash_command, subcommands("start", "stop"), subcommand_required)]
pub async fn quiz(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Start a quiz in this channel
#[poise::command(slash_command)]
pub async fn start(
    ctx: Context<'_>,
    #[autocomplete = "super::autocomplete_deck"] deck: String,
    #[min = 1]
    #[max = 50]
    questions: Option<i64>,
    #[min = 5]
    #[max = 120]
    seconds: Option<i64>,
    mode: Option<String>,
) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let data = ctx.data();
    // Discord's min/max only guide its client: check again.
    let n = super::in_range(
        "quiz start",
        "questions",
        questions,
        DEFAULT_QUESTIONS,
        1,
        50,
    )?;
    let seconds = super::in_range("quiz start", "seconds", seconds, DEFAULT_SECONDS, 5, 120)?;
    let decks = super::guild_decks(ctx).await?;
    let deck = super::find_in(&decks, &deck)?;
    let mode = match mode.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => Mode::Term,
        Some(raw) => match Mode::parse(raw) {
            Some(mode) => mode,
            None => {
                return Err(Mistake::QuizBadMode {
                    given: raw.to_string(),
                }
                .into());
            }
        },
    };
    let channel = ctx.channel_id();
    if data.quizzes.is_running(channel) {
        return Err(Mistake::QuizAlreadyRunning.into());
    }
    // Questions are embeds and answers get reactions: say now if Discord
    // would refuse them.
    permission::require(ctx, channel, permission::QUIZ).await?;
    let mut picked = pick_questions(deck, mode, n as usize, &mut rand::rng());
    // Graded with the answers the server accepted on appeal (as of now).
    for question in &mut picked {
        question.card = decks
            .graded_card(&question.key, &question.card)
            .into_owned();
    }
    if picked.is_empty() {
        return Err(Mistake::QuizNoQuestions {
            deck: deck.title.clone(),
        }
        .into());
    }
    let now = now_ms();
    let starter = ctx.author().id.get();
    let config = data.quizzes.timing.config(seconds);
    let quiz_id = data
        .store
        .begin_quiz(&NewQuiz {
            guild_id: ctx.guild_id().map(|g| g.to_string()),
            channel_id: channel.to_string(),
            starter_id: starter.to_string(),
            deck: deck.id.clone(),
            n_questions: picked.len() as u32,
            language: lang.as_str().to_string(),
            started_at: now,
            answer_ms: config.answer_time,
        })
        .await?;
    let announce = messages::quiz_started(lang, starter, picked.len(), &deck.title, seconds);
    let setup = QuizSetup {
        http: ctx.serenity_context().http.clone(),
        store: data.store.clone(),
        quiz_id,
        channel,
        starter,
        lang,
        deck_title: deck.title.clone(),
        questions: picked,
        context: decks.context(&deck.id).cloned().unwrap_or_default(),
        config,
    };
    // The announcement goes first; the driver posts question 1 right after.
    let reply = poise::CreateReply::default()
        .content(announce)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    if !data.quizzes.spawn(setup) {
        // Another /quiz start won the race in the same instant.
        data.store.end_quiz(quiz_id, now, true).await?;
        return Err(Mistake::QuizAlreadyRunning.into());
    }
    tracing::info!(quiz = quiz_id, deck = %deck.id, channel = %channel, "quiz started");
    Ok(())
}

/// Stop the quiz of this channel (its starter or Manage Server)
#[poise::command(slash_command)]
pub async fn stop(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let data = ctx.data();
    let channel = ctx.channel_id();
    let Some(starter) = data.quizzes.starter(channel) else {
        return Err(Mistake::QuizNoneRunning.into());
    };
    let author = ctx.author().id.get();
    if author != starter && !super::manages_server(ctx) {
        return Err(Mistake::QuizStopRefused.into());
    }
    if !data.quizzes.send(channel, Input::Stop { at: now_ms() }) {
        return Err(Mistake::QuizNoneRunning.into());
    }
    let reply = poise::CreateReply::default()
        .content(messages::quiz_stopped(lang, author))
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// Answer the quiz question
#[poise::command(slash_command)]
pub async fn answer(ctx: Context<'_>, #[max_length = 500] text: String) -> Result<(), Error> {
    let at = now_ms();
    let lang = context_lang(ctx).await;
    let (tx, rx) = oneshot::channel();
    let input = Input::Answer {
        player: ctx.author().id.get(),
        text,
        at,
        reply: Reply::Ack(tx),
    };
    if !ctx.data().quizzes.send(ctx.channel_id(), input) {
        return Err(Mistake::QuizNoneRunning.into());
    }
    // Discord wants an answer within 3 s; the driver answers in milliseconds.
    let ack = tokio::time::timeout(Duration::from_millis(2500), rx)
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or(Ack::NotOpen);
    let text = match ack {
        Ack::Scored { points, right } => messages::quiz_ack_scored(lang, points, right),
        Ack::Wrong => messages::quiz_ack_wrong(lang).to_string(),
        Ack::NotOpen | Ack::Late => messages::quiz_ack_not_open(lang).to_string(),
        Ack::Ignored => messages::quiz_ack_ignored(lang).to_string(),
        Ack::Failed => messages::database_busy(lang).to_string(),
    };
    // « J'avais raison » under an answer that was not accepted: the
    // player's answer to this question (their first try) is their latest
    // quiz review, committed before the acknowledgement.
    let not_accepted = matches!(ack, Ack::Wrong | Ack::Scored { right: false, .. });
    let mut row = None;
    if not_accepted && ctx.guild_id().is_some() {
        let data = ctx.data();
        let latest = data
            .store
            .latest_quiz_review(&ctx.author().id.to_string())
            .await?;
        if let Some(review) = latest {
            row = super::appeals::appeal_row_for(data, &review, lang).await?;
        }
    }
    let reply = poise::CreateReply::default()
        .content(text)
        .components(row.into_iter().collect())
        .ephemeral(true)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// A message typed in a channel: an answer when a quiz runs there; just
/// after a quiz ended, an answer to its last question, too late (⏱️).
pub fn on_message(http: &Arc<serenity::Http>, data: &Data, message: &serenity::Message) {
    if message.author.bot || message.content.trim().is_empty() {
        return;
    }
    let (player, at) = (message.author.id.get(), now_ms());
    let input = Input::Answer {
        player,
        text: message.content.clone(),
        at,
        reply: Reply::React(message.id),
    };
    if !data.quizzes.send(message.channel_id, input)
        && data.quizzes.late_after_end(message.channel_id, player, at)
    {
        acknowledge(
            http,
            message.channel_id,
            Reply::React(message.id),
            Ack::Late,
        );
    }
}
