//! The driver of running quizzes: one tokio task per quiz owns its
//! [`Quiz`] (the pure rules of `core::quiz`), receives answers and stop
//! requests through an mpsc channel, sleeps until `poll_timeout()` (the only
//! place in the quiz that sleeps) and turns the returned actions into
//! Discord messages and store writes.
//!
//! Ordering and durability: all writes go through one writer task per quiz
//! (one SQLite writer, no lock contention), in the order the answers came.
//! The writer commits what is pending in batches (group commit: the awards
//! and reviews of a batch in one transaction) and only then releases the
//! acknowledgements queued behind them (reaction or `/answer` reply), so
//! no answer is acknowledged before its review and award are stored.
//! Before a question's answer and scorers are posted, the driver waits for
//! the writer to flush, so nothing announces an award that is not stored.
//! [`Quizzes::shutdown_all`] (SIGTERM) stops every quiz like `/quiz stop`,
//! with a notice that the bot restarts.
//! Channel messages go through one ordered outbox task and reactions are
//! fire-and-forget, so a slow or failing Discord call never stops the quiz
//! (it is logged). After a restart,
//! [`recover`] closes the quizzes the store still has as running and posts
//! their standings from the stored awards.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use rand::seq::SliceRandom;
use tokio::sync::{mpsc, oneshot};

use crate::core::deck::{Card, CardKind, Deck};
use crate::core::grade::{self, DeckContext, Verdict};
use crate::core::quiz::{
    Action, AnswerOutcome, PlayerId, Quiz, QuizConfig, QuizQuestion, Standing,
};
use crate::core::review::{self, Answered, CardKey, Direction, Origin, Review};
use crate::core::schedule::{Answer, Millis, Scheduler};
use crate::core::session;
use crate::discord::messages::{self, Lang};
use crate::discord::{error_chain, no_pings, now_ms};
use crate::store::{self, QuizAward, Store, User};

/// How long questions, the grace window and the pause last. The default
/// takes the time per question from `/quiz start seconds:`; tests set short
/// times so a whole quiz runs in a second or two.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizTiming {
    /// Overrides `seconds:` (milliseconds per question) when set.
    pub answer_ms: Option<Millis>,
    pub grace_ms: Millis,
    pub pause_ms: Millis,
}

impl Default for QuizTiming {
    fn default() -> Self {
        let defaults = QuizConfig::with_seconds(20);
        Self {
            answer_ms: None,
            grace_ms: defaults.grace,
            pause_ms: defaults.pause,
        }
    }
}

impl QuizTiming {
    /// Reads `answer=MS,grace=MS,pause=MS` (any of them, in milliseconds;
    /// the others keep their default), the form of `RAPPEL_QUIZ_TIMING`.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut timing = Self::default();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=')?;
            let ms: Millis = value.trim().parse().ok().filter(|ms| *ms >= 0)?;
            match key.trim() {
                "answer" => timing.answer_ms = Some(ms.max(1)),
                "grace" => timing.grace_ms = ms,
                "pause" => timing.pause_ms = ms,
                _ => return None,
            }
        }
        Some(timing)
    }

    /// The rules' timing for a quiz started with `seconds` per question.
    pub fn config(&self, seconds: u32) -> QuizConfig {
        let mut config = QuizConfig::with_seconds(seconds);
        if let Some(ms) = self.answer_ms {
            config.answer_time = ms;
        }
        config.grace = self.grace_ms;
        config.pause = self.pause_ms;
        config
    }
}

/// Which cards a quiz asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// What can be typed fast: reverse cards, terms, short lists.
    Term,
    /// Everything, definitions included (graded on key concepts).
    Mixed,
}

impl Mode {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().as_str() {
            "term" | "terme" | "termes" => Some(Self::Term),
            "mixed" | "mixte" => Some(Self::Mixed),
            _ => None,
        }
    }
}

/// A list with at most this many items counts as short (term mode).
const SHORT_LIST_ITEMS: usize = 4;

/// One question: which direction of which card.
#[derive(Debug, Clone)]
pub struct Question {
    pub key: CardKey,
    pub card: Card,
}

impl Question {
    /// The rules' view: the expected term for the hint, or no hint for
    /// lists and definitions asked forward.
    fn rules(&self) -> QuizQuestion {
        let hinted = self.key.direction == Direction::Backward || self.card.kind == CardKind::Term;
        let prompt = session::prompt(&self.card, self.key.direction);
        QuizQuestion {
            hint_source: hinted.then(|| prompt.expected.trim().to_string()),
        }
    }
}

/// Up to `n` random questions of `deck` for `mode`.
pub fn pick_questions(deck: &Deck, mode: Mode, n: usize) -> Vec<Question> {
    let mut candidates: Vec<Question> = deck
        .cards
        .iter()
        .flat_map(|card| {
            let mut both = vec![Direction::Forward];
            if card.reverse {
                both.push(Direction::Backward);
            }
            both.into_iter().map(move |direction| Question {
                key: CardKey::new(&deck.id, &card.id, direction),
                card: card.clone(),
            })
        })
        .filter(|q| match mode {
            Mode::Mixed => true,
            Mode::Term => {
                q.key.direction == Direction::Backward
                    || q.card.kind == CardKind::Term
                    || (q.card.kind == CardKind::List && q.card.items().len() <= SHORT_LIST_ITEMS)
            }
        })
        .collect();
    candidates.shuffle(&mut rand::rng());
    candidates.truncate(n);
    candidates
}

/// How the bot acknowledges one answer.
#[derive(Debug)]
pub enum Reply {
    /// A message typed in the channel: a reaction on it.
    React(serenity::MessageId),
    /// `/answer`: the command waits for the outcome to answer privately.
    Ack(oneshot::Sender<Ack>),
}

/// What happened to an `/answer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ack {
    Scored {
        points: u32,
        right: bool,
    },
    Wrong,
    /// No question open (between questions, or time up).
    NotOpen,
    /// Already scored on this question, or no attempts left.
    Ignored,
    /// The database stayed busy: the answer was not saved.
    Failed,
}

/// An event for a running quiz.
#[derive(Debug)]
pub enum Input {
    Answer {
        player: PlayerId,
        text: String,
        /// When the answer reached the bot.
        at: Millis,
        reply: Reply,
    },
    Stop {
        at: Millis,
    },
    /// The bot shuts down: stop like `/quiz stop`, with a restart notice.
    Shutdown {
        at: Millis,
    },
}

#[derive(Debug, Clone)]
struct Running {
    tx: mpsc::UnboundedSender<Input>,
    starter: u64,
}

/// The running quizzes, one per channel at most. Clones share them.
#[derive(Debug, Default, Clone)]
pub struct Quizzes {
    running: Arc<Mutex<HashMap<u64, Running>>>,
    /// Set by [`Quizzes::shutdown_all`]: no new quiz, no new answer.
    closing: Arc<AtomicBool>,
    pub timing: QuizTiming,
}

/// Everything a driver task needs, owned.
pub struct QuizSetup {
    pub http: Arc<serenity::Http>,
    pub store: Store,
    pub quiz_id: i64,
    pub channel: serenity::ChannelId,
    pub starter: u64,
    pub lang: Lang,
    pub deck_title: String,
    pub questions: Vec<Question>,
    pub context: DeckContext,
    pub config: QuizConfig,
}

impl Quizzes {
    pub fn new(timing: QuizTiming) -> Self {
        Self {
            running: Arc::default(),
            closing: Arc::default(),
            timing,
        }
    }

    /// Whether a quiz runs in `channel`.
    pub fn is_running(&self, channel: serenity::ChannelId) -> bool {
        self.lock().contains_key(&channel.get())
    }

    /// The starter of the quiz running in `channel`.
    pub fn starter(&self, channel: serenity::ChannelId) -> Option<u64> {
        self.lock().get(&channel.get()).map(|r| r.starter)
    }

    /// Passes `input` to the quiz of `channel`; false when none runs or
    /// the bot shuts down.
    pub fn send(&self, channel: serenity::ChannelId, input: Input) -> bool {
        if self.closing.load(Ordering::SeqCst) {
            return false;
        }
        match self.lock().get(&channel.get()) {
            Some(running) => running.tx.send(input).is_ok(),
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Running>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers the quiz of `setup.channel` and spawns its driver; false
    /// (nothing spawned) when the channel already has one.
    pub fn spawn(&self, setup: QuizSetup) -> bool {
        let channel = setup.channel.get();
        let (tx, rx) = mpsc::unbounded_channel();
        {
            let mut running = self.lock();
            if running.contains_key(&channel) || self.closing.load(Ordering::SeqCst) {
                return false;
            }
            running.insert(
                channel,
                Running {
                    tx,
                    starter: setup.starter,
                },
            );
        }
        let registry = self.running.clone();
        tokio::spawn(async move {
            drive(setup, rx).await;
            registry
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&channel);
        });
        true
    }
}

impl Quizzes {
    /// Stops taking answers and quizzes, then stops every running quiz:
    /// the answers already received are graded, every award and review is
    /// committed, the standings are posted with a restart notice, and each
    /// quiz is marked ended in the store (so a restart does not close it
    /// again). Returns when every driver is done; callers bound the wait.
    pub async fn shutdown_all(&self) {
        self.closing.store(true, Ordering::SeqCst);
        let at = now_ms();
        let n = {
            let running = self.lock();
            for quiz in running.values() {
                // Queued behind the answers already received.
                let _ = quiz.tx.send(Input::Shutdown { at });
            }
            running.len()
        };
        if n > 0 {
            tracing::info!(quizzes = n, "stopping the running quizzes");
        }
        // Each driver removes itself from the registry when it ends.
        while !self.lock().is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// A quiz answer to record as a review.
struct PendingReview {
    player: PlayerId,
    key: CardKey,
    verdict: Verdict,
    score: f32,
    answer_ms: u32,
    at: Millis,
}

/// Runs one quiz to its end.
async fn drive(setup: QuizSetup, mut inputs: mpsc::UnboundedReceiver<Input>) {
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
    let writer = tokio::spawn(writer(store.clone(), http.clone(), channel, lang, write_rx));
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
        given: HashMap::new(),
        shutting_down: false,
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
}

struct Driver {
    http: Arc<serenity::Http>,
    store: Store,
    quiz_id: i64,
    channel: serenity::ChannelId,
    lang: Lang,
    deck_title: String,
    questions: Vec<Question>,
    outbox: Outbox,
    writes: Option<mpsc::UnboundedSender<Write>>,
    writer: Option<tokio::task::JoinHandle<()>>,
    /// What each player typed last on the open question (for the reveal).
    given: HashMap<PlayerId, String>,
    /// Stopped by [`Quizzes::shutdown_all`]: the podium says so.
    shutting_down: bool,
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
            acknowledge(&self.http, self.channel, reply, Ack::NotOpen);
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
            AnswerOutcome::NotOpen => acknowledge(&self.http, self.channel, reply, Ack::NotOpen),
            AnswerOutcome::Ignored => acknowledge(&self.http, self.channel, reply, Ack::Ignored),
        }
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
                    let pending = PendingReview {
                        player,
                        key: self.questions[index].key.clone(),
                        verdict,
                        score,
                        answer_ms: u32::try_from(answer_ms.max(0)).unwrap_or(u32::MAX),
                        at: now_ms(),
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
                    // The scorers' awards are committed before they are shown.
                    let (done, flushed) = oneshot::channel();
                    self.write(Write::Flush(done));
                    let _ = flushed.await;
                    let text = self.close_text(index, &scorers);
                    self.outbox.send(
                        serenity::CreateMessage::new().embed(
                            serenity::CreateEmbed::new()
                                .description(text)
                                .colour(serenity::Colour::DARK_GREEN),
                        ),
                    );
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

    fn write(&self, write: Write) {
        if let Some(writes) = &self.writes {
            let _ = writes.send(write);
        }
    }

    fn ask_embed(
        &self,
        index: usize,
        n_questions: usize,
        deadline: Millis,
    ) -> serenity::CreateEmbed {
        let question = &self.questions[index];
        let prompt = session::prompt(&question.card, question.key.direction);
        let shown = match question.key.direction {
            Direction::Forward => clip(prompt.shown, 3500),
            Direction::Backward => format!(
                "*{}*\n\n{}",
                messages::reverse_hint(self.lang),
                clip(prompt.shown, 3400)
            ),
        };
        serenity::CreateEmbed::new()
            .title(clip(
                &messages::quiz_question_title(self.lang, index + 1, n_questions, &self.deck_title),
                256,
            ))
            .description(format!(
                "{shown}\n\n{}",
                messages::quiz_countdown(self.lang, deadline / 1000)
            ))
            .colour(serenity::Colour::BLURPLE)
            .footer(serenity::CreateEmbedFooter::new(
                messages::quiz_how_to_answer(self.lang),
            ))
    }

    fn close_text(&self, index: usize, scorers: &[(PlayerId, u32)]) -> String {
        let question = &self.questions[index];
        let prompt = session::prompt(&question.card, question.key.direction);
        let mut lines = vec![messages::quiz_expected(
            self.lang,
            &clip(prompt.expected.trim(), 1000),
        )];
        if scorers.is_empty() {
            lines.push(messages::quiz_nobody(self.lang).to_string());
        }
        for (i, (player, points)) in scorers.iter().enumerate() {
            let given = if i == 0 {
                self.given
                    .get(player)
                    .map(|t| messages::echo(&one_line(t), MAX_ECHO))
            } else {
                None
            };
            lines.push(messages::quiz_scorer_line(
                self.lang,
                *player,
                *points,
                i == 0,
                given.as_deref(),
            ));
        }
        clip(&lines.join("\n"), 4000)
    }

    fn podium_embed(
        &self,
        standings: &[Standing],
        missed: &[usize],
        stopped: bool,
    ) -> serenity::CreateEmbed {
        let rows: Vec<(u64, u64, u64)> = standings
            .iter()
            .map(|s| (s.player, u64::from(s.points), u64::from(s.n_right)))
            .collect();
        let mut text = messages::quiz_podium(self.lang, &rows);
        if self.shutting_down {
            text = format!("{}\n\n{text}", messages::quiz_shutdown_notice(self.lang));
        }
        if !missed.is_empty() {
            text.push_str("\n\n");
            text.push_str(messages::quiz_missed_title(self.lang));
            for &index in missed.iter().take(10) {
                let question = &self.questions[index];
                let prompt = session::prompt(&question.card, question.key.direction);
                text.push_str(&format!(
                    "\n• {} → **{}**",
                    clip(&one_line(prompt.shown), 120),
                    clip(&one_line(prompt.expected), 120)
                ));
            }
        }
        if !standings.is_empty() {
            text.push_str("\n\n");
            text.push_str(messages::quiz_review_offer(self.lang));
        }
        serenity::CreateEmbed::new()
            .title(messages::quiz_podium_title(self.lang, stopped))
            .description(clip(&text, 4000))
            .colour(serenity::Colour::GOLD)
    }
}

/// Longest piece of a player's answer echoed in the channel.
const MAX_ECHO: usize = 80;

fn acknowledge(http: &Arc<serenity::Http>, channel: serenity::ChannelId, reply: Reply, ack: Ack) {
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

/// A write for the quiz's writer task, in the order they happen.
enum Write {
    Review(PendingReview),
    Award(QuizAward),
    /// Sent once everything queued before it is committed (a failed
    /// commit turns it into [`Ack::Failed`]).
    Ack(Reply, Ack),
    /// Answered once everything queued before it is committed (or failed).
    Flush(oneshot::Sender<()>),
}

/// Most reviews committed in one transaction. Awards and acknowledgements
/// between them ride along, so an answer waits for at most the batch in
/// progress and its own.
const REVIEW_BATCH: usize = 32;

/// The quiz's one writer: takes the queued writes in order, commits a
/// batch (its awards and its reviews, each new card state computed from
/// the stored state and the scheduler like in `/study`) in one
/// transaction, then releases the acknowledgements and flushes that were
/// queued in that batch.
async fn writer(
    store: Store,
    http: Arc<serenity::Http>,
    channel: serenity::ChannelId,
    lang: Lang,
    mut rx: mpsc::UnboundedReceiver<Write>,
) {
    let mut users: HashMap<PlayerId, (User, Option<u32>)> = HashMap::new();
    let defaults = store::NewUser {
        language: match lang {
            Lang::Fr => store::Language::French,
            Lang::En => store::Language::English,
        },
        ..Default::default()
    };
    let mut queue: VecDeque<Write> = VecDeque::new();
    let mut open = true;
    loop {
        // Wait only when there is nothing left to write.
        if queue.is_empty() {
            match rx.recv().await {
                Some(w) if open => queue.push_back(w),
                _ => break,
            }
        }
        while open {
            match rx.try_recv() {
                Ok(w) => queue.push_back(w),
                Err(mpsc::error::TryRecvError::Empty) => break,
                Err(mpsc::error::TryRecvError::Disconnected) => open = false,
            }
        }
        let mut awards = Vec::new();
        let mut pending = Vec::new();
        let mut released = Vec::new();
        while let Some(write) = queue.pop_front() {
            match write {
                Write::Review(p) if pending.len() == REVIEW_BATCH => {
                    queue.push_front(Write::Review(p));
                    break;
                }
                Write::Review(p) => pending.push(p),
                Write::Award(award) => awards.push(award),
                other => released.push(other),
            }
        }
        let committed = commit(&store, &mut users, &defaults, &awards, pending).await;
        for write in released {
            match write {
                Write::Ack(reply, ack) => {
                    let ack = if committed { ack } else { Ack::Failed };
                    acknowledge(&http, channel, reply, ack);
                }
                Write::Flush(done) => {
                    let _ = done.send(());
                }
                Write::Review(_) | Write::Award(_) => {}
            }
        }
        if !open && queue.is_empty() {
            break;
        }
    }
}

/// Commits `awards` and the reviews of `pending` in one transaction;
/// false (nothing written, logged) when the store failed.
async fn commit(
    store: &Store,
    users: &mut HashMap<PlayerId, (User, Option<u32>)>,
    defaults: &store::NewUser,
    awards: &[QuizAward],
    pending: Vec<PendingReview>,
) -> bool {
    let Prepared { met, reviews } = match prepare(store, users, defaults, pending).await {
        Ok(prepared) => prepared,
        Err(e) => {
            tracing::error!(error = %e, "could not prepare quiz reviews");
            return false;
        }
    };
    let created: Vec<User> = met
        .iter()
        .filter(|m| m.new)
        .map(|m| m.user.clone())
        .collect();
    match store.record_quiz_writes(&created, awards, &reviews).await {
        Ok(()) => {
            // Known from now on (the new ones only once their row is committed).
            users.extend(met.into_iter().map(|m| (m.player, (m.user, m.typical_ms))));
            true
        }
        Err(e) => {
            tracing::error!(error = %error_chain(&e), n_awards = awards.len(), n_reviews = reviews.len(), "could not store quiz awards and reviews");
            false
        }
    }
}

/// A player met for the first time in this quiz.
struct Met {
    player: PlayerId,
    user: User,
    typical_ms: Option<u32>,
    /// Not stored yet: created by the commit.
    new: bool,
}

struct Prepared {
    met: Vec<Met>,
    reviews: Vec<(User, Review)>,
}

/// The players met for the first time in this quiz, and each pending
/// answer as a review: the new card state from the stored state and the
/// scheduler, like in `/study`. The reads run in parallel (pool
/// connections); nothing is written here, so a new player's row is
/// created in the commit's transaction.
async fn prepare(
    store: &Store,
    users: &HashMap<PlayerId, (User, Option<u32>)>,
    defaults: &store::NewUser,
    pending: Vec<PendingReview>,
) -> Result<Prepared, String> {
    let failed = |e: &dyn std::error::Error| error_chain(e);
    // Settings and usual answer time of players not met yet.
    let mut players = tokio::task::JoinSet::new();
    let mut asked = std::collections::HashSet::new();
    for p in &pending {
        if users.contains_key(&p.player) || !asked.insert(p.player) {
            continue;
        }
        let (store, defaults, player, at) = (store.clone(), defaults.clone(), p.player, p.at);
        players.spawn(async move {
            let id = player.to_string();
            let known = match store.find_user(&id).await? {
                Some(user) => {
                    let typical_ms = store.typical_answer_ms(&user.id).await?;
                    (user, typical_ms, false)
                }
                None => {
                    let user = User {
                        id,
                        time_zone: defaults.time_zone,
                        desired_retention: defaults.desired_retention,
                        language: defaults.language,
                        created_at: at,
                    };
                    (user, None, true)
                }
            };
            Ok::<_, store::StoreError>((player, known))
        });
    }
    // The stored state of each card, in parallel too.
    let mut states = tokio::task::JoinSet::new();
    for (i, p) in pending.iter().enumerate() {
        let (store, user_id, key) = (store.clone(), p.player.to_string(), p.key.clone());
        states.spawn(async move { (i, store.card_state(&user_id, &key).await) });
    }
    let mut met = Vec::new();
    while let Some(joined) = players.join_next().await {
        let (player, (user, typical_ms, new)) =
            joined.map_err(|e| failed(&e))?.map_err(|e| failed(&e))?;
        met.push(Met {
            player,
            user,
            typical_ms,
            new,
        });
    }
    let mut previous = vec![None; pending.len()];
    while let Some(joined) = states.join_next().await {
        let (i, state) = joined.map_err(|e| failed(&e))?;
        previous[i] = state.map_err(|e| failed(&e))?;
    }
    let mut reviews = Vec::with_capacity(pending.len());
    for (p, previous) in pending.into_iter().zip(previous) {
        let (user, typical_ms) = match users.get(&p.player) {
            Some(known) => known.clone(),
            None => met
                .iter()
                .find(|m| m.player == p.player)
                .map(|m| (m.user.clone(), m.typical_ms))
                .ok_or_else(|| format!("player {} not prepared", p.player))?,
        };
        let answered = Answered {
            key: p.key,
            at: p.at,
            answer: Answer::Graded {
                verdict: p.verdict,
                score: p.score,
                answer_ms: p.answer_ms,
                typical_ms,
            },
            verdict: Some((p.verdict, p.score)),
            answer_ms: p.answer_ms,
            origin: Origin::Quiz,
        };
        let scheduler = Scheduler::new(user.scheduler_config());
        let review = review::review(&scheduler, previous.as_ref(), answered);
        reviews.push((user, review));
    }
    Ok(Prepared { met, reviews })
}

/// Channel messages, sent one after the other by their own task so the
/// quiz never waits for Discord; a failed send is logged and skipped.
struct Outbox {
    tx: Option<mpsc::UnboundedSender<serenity::CreateMessage>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Outbox {
    fn spawn(http: Arc<serenity::Http>, channel: serenity::ChannelId) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<serenity::CreateMessage>();
        let task = tokio::spawn(async move {
            while let Some(message) = rx.recv().await {
                let message = message.allowed_mentions(no_pings());
                if let Err(e) = channel.send_message(&http, message).await {
                    tracing::warn!(error = %error_chain(&e), "could not post a quiz message");
                }
            }
        });
        Self {
            tx: Some(tx),
            task: Some(task),
        }
    }

    fn send(&self, message: serenity::CreateMessage) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(message);
        }
    }

    /// Waits until every queued message was sent (or failed).
    async fn close(&mut self) {
        self.tx = None;
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Closes the quizzes that were running when the bot stopped: posts their
/// standings from the stored awards and marks them ended (stopped). Only
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
        let lang = if quiz.language == "en" {
            Lang::En
        } else {
            Lang::Fr
        };
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
        if let Ok(channel) = quiz.channel_id.parse::<u64>() {
            let message = serenity::CreateMessage::new()
                .embed(embed)
                .allowed_mentions(no_pings());
            if let Err(e) = serenity::ChannelId::new(channel)
                .send_message(http, message)
                .await
            {
                tracing::warn!(error = %error_chain(&e), quiz = quiz.id, "could not post the standings of an interrupted quiz");
            }
        }
        if let Err(e) = store.end_quiz(quiz.id, now_ms(), true).await {
            tracing::error!(error = %error_chain(&e), quiz = quiz.id, "could not close an interrupted quiz");
        }
        tracing::info!(
            quiz = quiz.id,
            "interrupted quiz closed with its stored standings"
        );
    }
}

/// Newlines and backticks out, so an echoed answer stays one quoted line.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "'")
}

/// At most `max` characters, with an ellipsis.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
