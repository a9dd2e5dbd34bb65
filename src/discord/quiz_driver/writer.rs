//! The quiz's one writer task: group commits of reviews and awards, and
//! the acknowledgements released after them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use poise::serenity_prelude as serenity;
use tokio::sync::{mpsc, oneshot};

use super::Ack;
use super::Reply;
use super::driver::acknowledge;
use crate::core::grade::Verdict;
use crate::core::quiz::PlayerId;
use crate::core::review::{Answered, CardKey, Origin};
use crate::core::schedule::{Answer, Millis};
use crate::discord::error_chain;
use crate::discord::messages::Lang;
use crate::store::{self, QuizAnswer, QuizAward, Store, User};

/// A quiz answer to record as a review.
pub(super) struct PendingReview {
    pub(super) player: PlayerId,
    /// The answer's key in the log ([`QuizAnswer::key`]).
    pub(super) answer_key: String,
    pub(super) key: CardKey,
    pub(super) verdict: Verdict,
    pub(super) score: f32,
    pub(super) answer_ms: u32,
    pub(super) at: Millis,
    /// What the player typed.
    pub(super) typed: Option<String>,
}

/// A write for the quiz's writer task, in the order they happen.
pub(super) enum Write {
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
/// the state read in the transaction and the scheduler, like in `/study`)
/// in one transaction, then releases the acknowledgements and flushes that were
/// queued in that batch.
/// The awards of a quiz that were never stored: their batch failed to
/// commit, or their player ran `/forget-me` meanwhile. The answer's
/// scorers and the podium leave them out.
pub(super) type Lost = Arc<Mutex<Vec<QuizAward>>>;

pub(super) async fn writer(
    store: Store,
    http: Arc<serenity::Http>,
    channel: serenity::ChannelId,
    lang: Lang,
    lost: Lost,
    mut rx: mpsc::UnboundedReceiver<Write>,
) {
    let mut users: HashMap<PlayerId, (User, Option<u32>)> = HashMap::new();
    let defaults = store::NewUser {
        language: lang,
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
        let outcome = commit(&store, &mut users, &defaults, &awards, pending).await;
        let committed = outcome.is_some();
        let dropped = awards.into_iter().filter(|a| {
            outcome
                .as_ref()
                .is_none_or(|forgotten| forgotten.contains(&a.user_id))
        });
        lost.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(dropped);
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

/// Commits `awards` and the reviews of `pending` in one transaction: the
/// ids of the players whose writes were dropped (forgotten), or `None`
/// (nothing written, logged) when the store failed.
async fn commit(
    store: &Store,
    users: &mut HashMap<PlayerId, (User, Option<u32>)>,
    defaults: &store::NewUser,
    awards: &[QuizAward],
    pending: Vec<PendingReview>,
) -> Option<Vec<String>> {
    let Prepared { met, reviews } = match prepare(store, users, defaults, pending).await {
        Ok(prepared) => prepared,
        Err(e) => {
            tracing::error!(error = %e, "could not prepare quiz reviews");
            return None;
        }
    };
    let created: Vec<User> = met
        .iter()
        .filter(|m| m.new)
        .map(|m| m.user.clone())
        .collect();
    match store.record_quiz_writes(&created, awards, &reviews).await {
        Ok(forgotten) => {
            // Known from now on (the new ones only once their row is committed).
            users.extend(met.into_iter().map(|m| (m.player, (m.user, m.typical_ms))));
            // Players who ran /forget-me: their writes were dropped, and a
            // later answer meets them as new.
            users.retain(|player, _| !forgotten.contains(&player.to_string()));
            if !forgotten.is_empty() {
                tracing::info!(
                    n_players = forgotten.len(),
                    "dropped the quiz writes of forgotten players"
                );
            }
            Some(forgotten)
        }
        Err(e) => {
            tracing::error!(error = %error_chain(&e), n_awards = awards.len(), n_reviews = reviews.len(), "could not store quiz awards and reviews");
            None
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
    reviews: Vec<QuizAnswer>,
}

/// The players met for the first time in this quiz, and each pending
/// answer to record (the commit reads each card's state in its
/// transaction and makes the review). The reads run in parallel (pool
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
                        parameters: Default::default(),
                    };
                    (user, None, true)
                }
            };
            Ok::<_, store::StoreError>((player, known))
        });
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
    let mut reviews = Vec::with_capacity(pending.len());
    for p in pending {
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
            typed: p.typed,
        };
        reviews.push(QuizAnswer {
            user,
            key: p.answer_key,
            answered,
        });
    }
    Ok(Prepared { met, reviews })
}
