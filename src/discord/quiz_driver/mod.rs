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
//!
//! Files: this one holds the registry ([`Quizzes`]) and what goes in and
//! out of a quiz; `driver` is the loop, `writer` the group commits, `outbox`
//! the ordered sends, `render` the question, answer and podium embeds,
//! `recover` the closing of interrupted quizzes. Which cards are asked is
//! decided in `core::question`.

mod driver;
mod outbox;
mod recover;
mod render;
mod writer;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::{mpsc, oneshot};

use crate::core::grade::DeckContext;
use crate::core::question::Question;
use crate::core::quiz::{PlayerId, QuizConfig};
use crate::core::schedule::Millis;
use crate::discord::messages::Lang;
use crate::discord::now_ms;
use crate::store::Store;
pub use driver::acknowledge;
use driver::drive;

/// How long after a quiz ended an answer typed in its channel still gets
/// its ⏱️ (too late for the last question).
const LATE_WINDOW: Millis = 10_000;

pub use recover::recover;

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
    /// No question open, and the question this answer came too late for
    /// closed: told once per player and question (a ⏱️ reaction).
    Late,
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

/// A quiz that just ended: when, and who was told they were late for
/// its last question.
#[derive(Debug, Default)]
struct Ended {
    at: Millis,
    told: HashSet<PlayerId>,
}

/// The running quizzes, one per channel at most. Clones share them.
#[derive(Debug, Default, Clone)]
pub struct Quizzes {
    running: Arc<Mutex<HashMap<u64, Running>>>,
    /// Quizzes that ended less than [`LATE_WINDOW`] ago, by channel.
    ended: Arc<Mutex<HashMap<u64, Ended>>>,
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
            ended: Arc::default(),
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

    /// Whether an answer by `player` at `at` in `channel`, where no quiz
    /// runs, came too late for the last question of a quiz that just
    /// ended there, and they were not told yet (they are now).
    pub fn late_after_end(
        &self,
        channel: serenity::ChannelId,
        player: PlayerId,
        at: Millis,
    ) -> bool {
        let mut ended = self.ended.lock().unwrap_or_else(|e| e.into_inner());
        ended.retain(|_, e| at - e.at <= LATE_WINDOW);
        ended
            .get_mut(&channel.get())
            .is_some_and(|e| e.told.insert(player))
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
        let (registry, ended) = (self.running.clone(), self.ended.clone());
        ended
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&channel);
        tokio::spawn(async move {
            let told = drive(setup, rx).await;
            // Ended before it leaves the registry: no answer falls between.
            if let Some(told) = told {
                let at = now_ms();
                ended
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(channel, Ended { at, told });
            }
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
