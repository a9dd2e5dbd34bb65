//! The loop of one quiz: feed the rules answers, stops and ticks, carry out
//! the actions they return.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::{mpsc, oneshot};

use super::outbox::Outbox;
use super::writer::{Lost, PendingReview, Write, writer};
use super::{Ack, Input, QuizSetup, Reply};
use crate::core::grade::{self, DeckContext, Verdict};
use crate::core::question::Question;
use crate::core::quiz::{Action, AnswerOutcome, PlayerId, Quiz, QuizQuestion, without_lost};
use crate::core::schedule::Millis;
use crate::discord::commands::appeals;
use crate::discord::messages::{self, Lang};
use crate::discord::{error_chain, now_ms};
use crate::store::{QuizAnswer, QuizAward, Store};

/// Runs one quiz to its end; returns, if a question closed, the players
/// already told they were late for the last one.
pub(super) async fn drive(
    setup: QuizSetup,
    mut inputs: mpsc::UnboundedReceiver<Input>,
) -> Option<HashSet<PlayerId>> {
    let QuizSetup {
        http,
        store,
        quiz_id,
        channel,
        starter: _,
        lang,
        deck_title,
        questions,
        context,
        config,
    } = setup;
    let outbox = Outbox::spawn(http.clone(), channel);
    let (write_tx, write_rx) = mpsc::unbounded_channel();
    let lost = Lost::default();
    let writer = tokio::spawn(writer(
        store.clone(),
        http.clone(),
        channel,
        lang,
        lost.clone(),
        write_rx,
    ));
    let rules: Vec<QuizQuestion> = questions.iter().map(Question::rules).collect();
    let mut quiz = Quiz::new(config, rules, now_ms());
    let mut driver = Driver {
        http,
        store,
        quiz_id,
        channel,
        lang,
        deck_title,
        questions,
        outbox,
        writes: Some(write_tx),
        writer: Some(writer),
        lost,
        given: HashMap::new(),
        appealable: false,
        shutting_down: false,
        closed: None,
        late: HashSet::new(),
    };
    loop {
        driver.perform(&mut quiz, None).await;
        if quiz.is_finished() {
            break;
        }
        let Some(wake) = quiz.poll_timeout() else {
            break;
        };
        let wait = Duration::from_millis(u64::try_from(wake - now_ms()).unwrap_or(0));
        let deadline = tokio::time::Instant::now() + wait;
        tokio::select! {
            input = inputs.recv() => match input {
                Some(Input::Answer { player, text, at, reply }) => {
                    driver.answer(&mut quiz, &context, player, text, at, reply).await;
                }
                Some(Input::Stop { at }) => quiz.handle_stop(at),
                Some(Input::Shutdown { at }) => {
                    driver.shutting_down = true;
                    quiz.handle_stop(at);
                }
                None => quiz.handle_stop(now_ms()),
            },
            () = tokio::time::sleep_until(deadline) => quiz.handle_tick(now_ms()),
        }
    }
    driver.outbox.close().await;
    let last = driver.closed?;
    Some(
        driver
            .late
            .iter()
            .filter(|(q, _)| *q == last)
            .map(|(_, p)| *p)
            .collect(),
    )
}

pub(super) struct Driver {
    pub(super) http: Arc<serenity::Http>,
    pub(super) store: Store,
    pub(super) quiz_id: i64,
    pub(super) channel: serenity::ChannelId,
    pub(super) lang: Lang,
    pub(super) deck_title: String,
    pub(super) questions: Vec<Question>,
    pub(super) outbox: Outbox,
    pub(super) writes: Option<mpsc::UnboundedSender<Write>>,
    pub(super) writer: Option<tokio::task::JoinHandle<()>>,
    /// The awards the writer could not store: never shown.
    pub(super) lost: Lost,
    /// What each player typed last on the open question (for the reveal).
    pub(super) given: HashMap<PlayerId, String>,
    /// Someone's answer to the open question was graded and not accepted:
    /// its summary offers « J'avais raison ».
    pub(super) appealable: bool,
    /// Stopped by [`Quizzes::shutdown_all`]: the podium says so.
    pub(super) shutting_down: bool,
    /// The last question that closed.
    pub(super) closed: Option<usize>,
    /// (question, player): told the answer came after that question closed.
    pub(super) late: HashSet<(usize, PlayerId)>,
}

impl Driver {
    async fn answer(
        &mut self,
        quiz: &mut Quiz,
        context: &DeckContext,
        player: PlayerId,
        text: String,
        at: Millis,
        reply: Reply,
    ) {
        // Timers first, so the answer is graded against the question open at `at`.
        quiz.handle_tick(at);
        self.perform(quiz, None).await;
        let Some(index) = quiz.open_question() else {
            self.not_open(player, reply);
            return;
        };
        let question = &self.questions[index];
        let direction = question.key.direction;
        let graded = grade::grade_card(&question.card, direction, context, &text);
        match quiz.handle_answer(at, player, graded.verdict, graded.score) {
            AnswerOutcome::Taken => {
                self.given.insert(player, text);
                self.perform(quiz, Some((player, reply, graded.verdict)))
                    .await;
            }
            AnswerOutcome::NotOpen => self.not_open(player, reply),
            AnswerOutcome::Ignored => acknowledge(&self.http, self.channel, reply, Ack::Ignored),
        }
    }

    /// An answer with no question open: too late (⏱️, once per player
    /// and question) when a question closed before it came.
    fn not_open(&mut self, player: PlayerId, reply: Reply) {
        let ack = match self.closed {
            Some(question) if self.late.insert((question, player)) => Ack::Late,
            _ => Ack::NotOpen,
        };
        acknowledge(&self.http, self.channel, reply, ack);
    }

    /// Carries out every queued action, in order. `answering` is the player
    /// whose answer produced them and how to acknowledge it.
    async fn perform(
        &mut self,
        quiz: &mut Quiz,
        mut answering: Option<(PlayerId, Reply, Verdict)>,
    ) {
        while let Some(action) = quiz.poll_action() {
            match action {
                Action::Ask {
                    index,
                    n_questions,
                    deadline,
                } => {
                    self.given.clear();
                    self.appealable = false;
                    let embed = self.ask_embed(index, n_questions, deadline);
                    self.outbox
                        .send(serenity::CreateMessage::new().embed(embed));
                }
                Action::Hint { hint, .. } => {
                    self.outbox.send(
                        serenity::CreateMessage::new()
                            .content(messages::quiz_hint(self.lang, &hint)),
                    );
                }
                Action::Review {
                    index,
                    player,
                    verdict,
                    score,
                    answer_ms,
                } => {
                    let question = u32::try_from(index).unwrap_or(u32::MAX);
                    self.appealable |= !verdict.is_accepted();
                    let pending = PendingReview {
                        player,
                        answer_key: QuizAnswer::key(self.quiz_id, question),
                        key: self.questions[index].key.clone(),
                        verdict,
                        score,
                        answer_ms: u32::try_from(answer_ms.max(0)).unwrap_or(u32::MAX),
                        at: now_ms(),
                        // Reviews only come from the answer being handled.
                        typed: self.given.get(&player).cloned(),
                    };
                    self.write(Write::Review(pending));
                }
                Action::Award {
                    index,
                    player,
                    points,
                    first,
                    streak: _,
                } => {
                    // Awards only come from the answer being handled.
                    let right = answering
                        .as_ref()
                        .is_some_and(|(_, _, v)| matches!(v, Verdict::Correct | Verdict::Close));
                    let award = QuizAward {
                        quiz_id: self.quiz_id,
                        question: u32::try_from(index).unwrap_or(u32::MAX),
                        user_id: player.to_string(),
                        points,
                        first,
                        right,
                        at: now_ms(),
                    };
                    self.write(Write::Award(award));
                    // Acknowledged once the award and review are committed.
                    if let Some((_, reply, _)) = answering.take_if(|(p, _, _)| *p == player) {
                        self.write(Write::Ack(reply, Ack::Scored { points, right }));
                    }
                }
                Action::Wrong { player, .. } => {
                    // Acknowledged once its review is committed.
                    if let Some((_, reply, _)) = answering.take_if(|(p, _, _)| *p == player) {
                        self.write(Write::Ack(reply, Ack::Wrong));
                    }
                }
                Action::Close { index, scorers } => {
                    self.closed = Some(index);
                    // The scorers' awards are committed before they are
                    // shown, and only those that were.
                    let (done, flushed) = oneshot::channel();
                    self.write(Write::Flush(done));
                    let _ = flushed.await;
                    let question = u32::try_from(index).unwrap_or(u32::MAX);
                    let scorers: Vec<(PlayerId, u32)> = {
                        let lost = self.lost_awards();
                        scorers
                            .into_iter()
                            .filter(|&(player, _)| {
                                !lost.iter().any(|a| {
                                    a.question == question && a.user_id == player.to_string()
                                })
                            })
                            .collect()
                    };
                    let text = self.close_text(index, &scorers);
                    let mut message = serenity::CreateMessage::new().embed(
                        serenity::CreateEmbed::new()
                            .description(text)
                            .colour(serenity::Colour::DARK_GREEN),
                    );
                    if self.appealable {
                        let row = appeals::quiz_appeal_row(self.quiz_id, question, self.lang);
                        message = message.components(vec![row]);
                    }
                    self.outbox.send(message);
                }
                Action::Finish {
                    standings,
                    missed,
                    stopped,
                } => {
                    // Every review is committed before the podium is posted.
                    self.writes = None;
                    if let Some(writer) = self.writer.take() {
                        let _ = writer.await;
                    }
                    if let Err(e) = self.store.end_quiz(self.quiz_id, now_ms(), stopped).await {
                        tracing::error!(error = %error_chain(&e), quiz = self.quiz_id, "could not close the quiz");
                    }
                    // Only the points stored: less the awards never committed.
                    let lost: Vec<(PlayerId, u32, bool)> = self
                        .lost_awards()
                        .iter()
                        .filter_map(|a| Some((a.user_id.parse().ok()?, a.points, a.right)))
                        .collect();
                    let standings = without_lost(&standings, &lost);
                    let embed = self.podium_embed(&standings, &missed, stopped);
                    self.outbox
                        .send(serenity::CreateMessage::new().embed(embed));
                }
            }
        }
        if let Some((_, reply, _)) = answering {
            // An answer that produced no award and no wrong (cannot happen
            // with the current rules) still gets its private reply.
            acknowledge(&self.http, self.channel, reply, Ack::Ignored);
        }
    }

    /// The awards the writer could not store, so far.
    fn lost_awards(&self) -> std::sync::MutexGuard<'_, Vec<QuizAward>> {
        self.lost
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self, write: Write) {
        if let Some(writes) = &self.writes {
            let _ = writes.send(write);
        }
    }
}

/// Tells a player what became of their answer: the reply `/answer` waits
/// for, or a reaction on the message they typed.
pub fn acknowledge(
    http: &Arc<serenity::Http>,
    channel: serenity::ChannelId,
    reply: Reply,
    ack: Ack,
) {
    match reply {
        Reply::Ack(tx) => {
            let _ = tx.send(ack);
        }
        Reply::React(message) => {
            let emoji = match ack {
                Ack::Scored { right: true, .. } => "✅",
                Ack::Scored { right: false, .. } => "🟡",
                Ack::Wrong => "❌",
                Ack::Failed => "⚠️",
                Ack::Late => "⏱️",
                Ack::NotOpen | Ack::Ignored => return,
            };
            let http = http.clone();
            tokio::spawn(async move {
                let reaction = serenity::ReactionType::Unicode(emoji.to_string());
                if let Err(e) = http.create_reaction(channel, message, &reaction).await {
                    tracing::warn!(error = %error_chain(&e), "could not react to an answer");
                }
            });
        }
    }
}
