//! The rules of a group quiz competition, as a sans-IO state machine.
//!
//! The quiz never sleeps, never reads the clock and never talks to Discord:
//! the driver feeds it events with their time (`handle_answer`,
//! `handle_tick`, `handle_stop`), drains what to do with `poll_action`, and
//! asks `poll_timeout` when to wake it next. Tests jump time straight to the
//! next deadline, so a whole quiz with timers runs in microseconds.
//!
//! Grading is not done here: the driver grades a typed answer with the
//! grader and passes the verdict and score in, so the rules stay about time
//! and points.
//!
//! # Points
//! A right answer (`correct` or `close`) earns, like Kahoot,
//! `1000 × (1 − t / (2·T))` where `t` is the time since the question was
//! asked and `T` the time allowed: 1000 at once, 500 at the last moment.
//! That base is multiplied by
//! - 0.9 for a `close` answer (right, with slips), the score for a `partial` one;
//! - 0.5 for a right answer that comes after the first one, within the
//!   grace window (the first wins the question; the others still score);
//! - 0.75 when the hint had already been shown.
//!
//! A player who answers right on consecutive questions gets a streak bonus
//! of 100 points per question of streak beyond the first, capped at 500.
//! Points are rounded to whole numbers.

use std::collections::{HashMap, VecDeque};

use crate::core::grade::Verdict;
use crate::core::schedule::Millis;

/// A player, by Discord user id (or any stable number in tests).
pub type PlayerId = u64;

/// How a competition is timed.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizConfig {
    /// Time allowed for each question, in milliseconds.
    pub answer_time: Millis,
    /// After the first right answer, how long other right answers still score.
    pub grace: Millis,
    /// Pause between the end of a question and the next one.
    pub pause: Millis,
    /// Wrong attempts a player may make on one question before being ignored.
    pub max_attempts: u32,
}

impl QuizConfig {
    /// The defaults for `seconds` per question: 2 s grace, 4 s pause, 3 attempts.
    pub fn with_seconds(seconds: u32) -> Self {
        Self {
            answer_time: i64::from(seconds) * 1000,
            grace: 2_000,
            pause: 4_000,
            max_attempts: 3,
        }
    }
}

/// What the quiz needs to know about a question; the driver keeps the card.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizQuestion {
    /// The expected term, used for the hint; `None` when no hint is given
    /// (lists and definitions).
    pub hint_source: Option<String>,
}

/// Something the driver must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Post question `index` (0-based); answers are taken until `deadline`.
    Ask {
        index: usize,
        n_questions: usize,
        deadline: Millis,
    },
    /// Post the hint for question `index`.
    Hint { index: usize, hint: String },
    /// Record this graded answer as a review for `player` (only a player's
    /// first attempt at a question counts as a review).
    Review {
        index: usize,
        player: PlayerId,
        verdict: Verdict,
        score: f32,
        answer_ms: Millis,
    },
    /// `player` scored on question `index`; store it at once.
    Award {
        index: usize,
        player: PlayerId,
        points: u32,
        /// The first right answer: the winner of the question.
        first: bool,
        /// Questions in a row this player has answered right, this one included.
        streak: u32,
    },
    /// A wrong answer: acknowledge discreetly (a reaction), never a message.
    Wrong { index: usize, player: PlayerId },
    /// Question `index` is over: reveal the answer and who scored.
    Close {
        index: usize,
        scorers: Vec<(PlayerId, u32)>,
    },
    /// The competition is over (all questions asked, or stopped).
    Finish {
        standings: Vec<Standing>,
        /// Questions nobody answered right.
        missed: Vec<usize>,
        stopped: bool,
    },
}

/// One player's total at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub player: PlayerId,
    pub points: u32,
    pub n_right: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Waiting to ask question `next` at `at`.
    Between {
        next: usize,
        at: Millis,
    },
    /// Question `index` is open.
    Open {
        index: usize,
        asked: Millis,
        hint_at: Option<Millis>,
        hint_shown: bool,
        /// When the first right answer came, if any.
        first_right: Option<Millis>,
    },
    Finished,
}

#[derive(Debug, Default, Clone)]
struct PlayerScore {
    points: u32,
    n_right: u32,
    streak: u32,
    /// Last question this player answered right, for the streak.
    last_right: Option<usize>,
}

/// A running competition.
#[derive(Debug, Clone)]
pub struct Quiz {
    config: QuizConfig,
    questions: Vec<QuizQuestion>,
    stage: Stage,
    actions: VecDeque<Action>,
    players: HashMap<PlayerId, PlayerScore>,
    /// For the open question: attempts per player and who already scored.
    attempts: HashMap<PlayerId, u32>,
    scored: Vec<(PlayerId, u32)>,
    missed: Vec<usize>,
}

/// What happened to one answer, for the driver's own bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerOutcome {
    /// Graded and acted upon (see the queued actions).
    Taken,
    /// No question is open, or the time is up.
    NotOpen,
    /// This player already scored on this question, or used every attempt.
    Ignored,
}

impl Quiz {
    /// A competition over `questions`, with the first question asked at `now`.
    pub fn new(config: QuizConfig, questions: Vec<QuizQuestion>, now: Millis) -> Self {
        let mut quiz = Self {
            config,
            questions,
            stage: Stage::Between { next: 0, at: now },
            actions: VecDeque::new(),
            players: HashMap::new(),
            attempts: HashMap::new(),
            scored: Vec::new(),
            missed: Vec::new(),
        };
        quiz.handle_tick(now);
        quiz
    }

    pub fn n_questions(&self) -> usize {
        self.questions.len()
    }

    /// The open question's index, if one is open.
    pub fn open_question(&self) -> Option<usize> {
        match self.stage {
            Stage::Open { index, .. } => Some(index),
            _ => None,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.stage == Stage::Finished
    }

    /// The next thing the driver must do, if any.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// When the driver must call [`Quiz::handle_tick`] next.
    pub fn poll_timeout(&self) -> Option<Millis> {
        match self.stage {
            Stage::Between { at, .. } => Some(at),
            Stage::Open {
                asked,
                hint_at,
                hint_shown,
                first_right,
                ..
            } => {
                let deadline = self.close_time(asked, first_right);
                match hint_at {
                    Some(h) if !hint_shown && first_right.is_none() => Some(h.min(deadline)),
                    _ => Some(deadline),
                }
            }
            Stage::Finished => None,
        }
    }

    fn close_time(&self, asked: Millis, first_right: Option<Millis>) -> Millis {
        let deadline = asked + self.config.answer_time;
        match first_right {
            Some(t) => (t + self.config.grace).min(deadline),
            None => deadline,
        }
    }

    /// Advances timers: posts hints, closes questions, asks the next one.
    pub fn handle_tick(&mut self, now: Millis) {
        loop {
            match self.stage {
                Stage::Finished => return,
                Stage::Between { next, at } => {
                    if now < at {
                        return;
                    }
                    if next >= self.questions.len() {
                        self.finish(false);
                        return;
                    }
                    self.open(next, at);
                }
                Stage::Open {
                    index,
                    asked,
                    hint_at,
                    hint_shown,
                    first_right,
                } => {
                    let close = self.close_time(asked, first_right);
                    if now >= close {
                        self.close(index, close);
                        continue;
                    }
                    if let Some(h) = hint_at
                        && !hint_shown
                        && first_right.is_none()
                        && now >= h
                    {
                        let hint = self.questions[index]
                            .hint_source
                            .as_deref()
                            .map(hint_for)
                            .unwrap_or_default();
                        self.actions.push_back(Action::Hint { index, hint });
                        self.stage = Stage::Open {
                            index,
                            asked,
                            hint_at,
                            hint_shown: true,
                            first_right,
                        };
                    }
                    return;
                }
            }
        }
    }

    fn open(&mut self, index: usize, at: Millis) {
        let hint_at = self.questions[index]
            .hint_source
            .as_ref()
            .map(|_| at + self.config.answer_time / 2);
        self.stage = Stage::Open {
            index,
            asked: at,
            hint_at,
            hint_shown: false,
            first_right: None,
        };
        self.attempts.clear();
        self.scored.clear();
        self.actions.push_back(Action::Ask {
            index,
            n_questions: self.questions.len(),
            deadline: at + self.config.answer_time,
        });
    }

    fn close(&mut self, index: usize, at: Millis) {
        if self.scored.is_empty() {
            self.missed.push(index);
        }
        self.actions.push_back(Action::Close {
            index,
            scorers: std::mem::take(&mut self.scored),
        });
        self.stage = Stage::Between {
            next: index + 1,
            at: at + self.config.pause,
        };
    }

    /// A graded answer from `player` at `now`.
    pub fn handle_answer(
        &mut self,
        now: Millis,
        player: PlayerId,
        verdict: Verdict,
        score: f32,
    ) -> AnswerOutcome {
        self.handle_tick(now);
        let Stage::Open {
            index,
            asked,
            hint_at,
            hint_shown,
            first_right,
        } = self.stage
        else {
            return AnswerOutcome::NotOpen;
        };
        if self.scored.iter().any(|(p, _)| *p == player) {
            return AnswerOutcome::Ignored;
        }
        let attempts = self.attempts.entry(player).or_insert(0);
        if *attempts >= self.config.max_attempts {
            return AnswerOutcome::Ignored;
        }
        *attempts += 1;
        let first_attempt = *attempts == 1;
        // Everyone who answers is on the podium list, even with 0 points.
        let entry = self.players.entry(player).or_default();
        let answer_ms = now - asked;
        if first_attempt {
            self.actions.push_back(Action::Review {
                index,
                player,
                verdict,
                score,
                answer_ms,
            });
        }
        let right = matches!(verdict, Verdict::Correct | Verdict::Close);
        if credit(verdict, score) <= 0.0 {
            self.actions.push_back(Action::Wrong { index, player });
            return AnswerOutcome::Taken;
        }
        let first = right && first_right.is_none();
        let points = base_points(
            self.config.answer_time,
            answer_ms,
            verdict,
            score,
            right && !first,
            hint_shown && hint_at.is_some(),
        );
        let streak = if right {
            entry.streak = match entry.last_right {
                Some(prev) if prev + 1 == index => entry.streak + 1,
                _ => 1,
            };
            entry.last_right = Some(index);
            entry.n_right += 1;
            entry.streak
        } else {
            0
        };
        let bonus = (100 * streak.saturating_sub(1)).min(500);
        let points = points.round() as u32 + bonus;
        entry.points += points;
        self.scored.push((player, points));
        self.actions.push_back(Action::Award {
            index,
            player,
            points,
            first,
            streak,
        });
        if first {
            self.stage = Stage::Open {
                index,
                asked,
                hint_at,
                hint_shown,
                first_right: Some(now),
            };
        }
        AnswerOutcome::Taken
    }

    /// Stops the competition now (the starter or a moderator asked).
    pub fn handle_stop(&mut self, now: Millis) {
        match self.stage {
            Stage::Finished => return,
            Stage::Open { index, .. } => self.close(index, now),
            Stage::Between { .. } => {}
        }
        self.finish(true);
    }

    fn finish(&mut self, stopped: bool) {
        self.stage = Stage::Finished;
        self.actions.push_back(Action::Finish {
            standings: standings(&self.players),
            missed: self.missed.clone(),
            stopped,
        });
    }

    /// Current standings, best first (ties: more right answers, then lower id).
    pub fn standings(&self) -> Vec<Standing> {
        standings(&self.players)
    }
}

/// The share of a question's points an answer earns: 1 correct, 0.9
/// close, the score for partial, 0 wrong.
fn credit(verdict: Verdict, score: f32) -> f64 {
    match verdict {
        Verdict::Correct => 1.0,
        Verdict::Close => 0.9,
        Verdict::Partial => f64::from(score.clamp(0.0, 1.0)),
        Verdict::Wrong => 0.0,
    }
}

/// The points of an answer `answer_ms` after its question was asked, before
/// rounding and the streak bonus (see the module's "Points"): `after_first`
/// for a right answer after the question's first one, `hinted` when the
/// hint was showing. Also what an accepted appeal credits
/// (`core::appeal::quiz_credit`).
pub fn base_points(
    answer_time: Millis,
    answer_ms: Millis,
    verdict: Verdict,
    score: f32,
    after_first: bool,
    hinted: bool,
) -> f64 {
    let speed = 1.0 - answer_ms as f64 / (2.0 * answer_time.max(1) as f64);
    let mut points = 1000.0 * speed.clamp(0.5, 1.0) * credit(verdict, score);
    if after_first {
        points *= 0.5;
    }
    if hinted {
        points *= 0.75;
    }
    points
}

/// `standings` without the awards that were never stored (`lost`: player,
/// points, right; a failed commit, a player who ran `/forget-me`),
/// ranked again: what the podium may show.
pub fn without_lost(standings: &[Standing], lost: &[(PlayerId, u32, bool)]) -> Vec<Standing> {
    let mut out: Vec<Standing> = standings
        .iter()
        .map(|s| {
            let mut s = s.clone();
            for &(_, points, right) in lost.iter().filter(|l| l.0 == s.player) {
                s.points = s.points.saturating_sub(points);
                s.n_right = s.n_right.saturating_sub(u32::from(right));
            }
            s
        })
        .collect();
    rank(&mut out);
    out
}

/// Best first: points, then right answers, then player id.
fn rank(standings: &mut [Standing]) {
    standings.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then(b.n_right.cmp(&a.n_right))
            .then(a.player.cmp(&b.player))
    });
}

fn standings(players: &HashMap<PlayerId, PlayerScore>) -> Vec<Standing> {
    let mut out: Vec<_> = players
        .iter()
        .map(|(&player, s)| Standing {
            player,
            points: s.points,
            n_right: s.n_right,
        })
        .collect();
    rank(&mut out);
    out
}

/// A hint for `term`: the first letter of each word and every third letter
/// shown, the others as `_`; spaces, hyphens and apostrophes kept, so the
/// shape of the answer shows.
pub fn hint_for(term: &str) -> String {
    let mut out = String::with_capacity(term.len() * 2);
    let mut pos_in_word = 0usize;
    for ch in term.chars() {
        if ch.is_alphanumeric() {
            if pos_in_word.is_multiple_of(3) {
                out.push(ch);
            } else {
                out.push('_');
            }
            pos_in_word += 1;
        } else {
            out.push(ch);
            pos_in_word = 0;
        }
    }
    out
}
