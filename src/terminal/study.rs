//! The terminal study loop: ask the card the [`Session`] picks, read the
//! typed answer, grade it, show the verdict and the expected answer, ask
//! for a 1–5 self-rating on definitions, schedule, and commit the review
//! before saying what comes next.
//!
//! Generic over `BufRead`/`Write` and over a [`Clock`], so tests pipe
//! answers in and jump time forward. All French text is in [`text`].

use std::collections::HashMap;
use std::io::{BufRead, Write};

use crate::core::answer;
use crate::core::deck::{DeckId, Library};
use crate::core::grade::{self, Verdict};
use crate::core::lang::Lang;
use crate::core::review::{Answered, Origin};
use crate::core::schedule::{Answer, Millis, Rating};
use crate::core::session::{self, Limits, Session};
use crate::remarks;
use crate::store::{Store, StoreError, User};

/// Where the loop reads the time.
pub trait Clock {
    fn now(&mut self) -> Millis;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&mut self) -> Millis {
        chrono::Utc::now().timestamp_millis()
    }
}

/// Why a session stopped early.
#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// What to study.
#[derive(Debug, Clone, Default)]
pub struct StudyOptions {
    /// Only this deck (already checked to exist).
    pub deck: Option<DeckId>,
    pub limits: Limits,
}

/// The figures shown at the end of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Answers given (a card asked twice counts twice).
    pub seen: u32,
    /// Answers not rated Again.
    pub right: u32,
    /// When the earliest card met in the studied decks is due (maybe
    /// already), if any.
    pub next_due: Option<Millis>,
}

/// Runs one session until nothing is left to ask or `input` ends.
pub async fn run<R: BufRead, W: Write>(
    mut input: R,
    mut out: W,
    store: &Store,
    library: &Library,
    user: &User,
    options: &StudyOptions,
    clock: &mut impl Clock,
) -> Result<Summary, StudyError> {
    let start = clock.now();
    let items = session::items(library, options.deck.as_ref());
    let states = store.card_states(&user.id, options.deck.as_ref()).await?;
    let new_today = store.new_cards_today(user, start).await?;
    let mut session = Session::new(
        items,
        states,
        u32::try_from(new_today).unwrap_or(u32::MAX),
        options.limits,
    );
    let typical_ms = store.typical_answer_ms(&user.id).await?;
    // Each deck's grading context, as `/study` grades with it.
    let contexts: HashMap<&DeckId, grade::DeckContext> = library
        .decks()
        .iter()
        .map(|deck| (&deck.id, grade::DeckContext::new(&deck.cards)))
        .collect();
    writeln!(
        out,
        "{}",
        text::welcome(
            session.n_due(start),
            session.n_new_available(),
            options.limits.new_per_day
        )
    )?;

    let mut summary = Summary {
        seen: 0,
        right: 0,
        next_due: None,
    };
    let mut line = String::new();
    loop {
        let asked_at = clock.now();
        let Some((item, reason)) = session.next(asked_at) else {
            writeln!(out, "\n{}", text::NOTHING_LEFT)?;
            break;
        };
        let key = item.key.clone();
        let prompt = session::prompt(&item.card, key.direction);
        writeln!(out, "\n{}", text::header(&key.deck, reason, key.direction))?;
        writeln!(out, "{}", prompt.shown.trim())?;
        write!(out, "> ")?;
        out.flush()?;
        line.clear();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            break;
        }
        if text::is_quit(&line) {
            break;
        }
        let answered_at = clock.now();
        let answer_ms = u32::try_from((answered_at - asked_at).max(0)).unwrap_or(u32::MAX);
        let given = line.trim().to_string();
        let given = given.as_str();
        let mut ended = false;
        let (answer, verdict) = if answer::is_dont_know(given) {
            writeln!(out, "{}", text::DONT_KNOW)?;
            writeln!(out, "{}", text::expected(prompt.expected))?;
            (Answer::DontKnow, None)
        } else {
            let empty = grade::DeckContext::default();
            let context = contexts.get(&key.deck).unwrap_or(&empty);
            let graded = grade::grade_card(&item.card, key.direction, context, given);
            writeln!(out, "{}", text::verdict(graded.verdict))?;
            if let Some(notes) = remarks::notes(Lang::Fr, &graded, text::shown) {
                writeln!(out, "{notes}")?;
            }
            if graded.verdict != Verdict::Correct || prompt.self_rated {
                writeln!(out, "{}", text::expected(&graded.feedback.expected))?;
            }
            let graded_answer = Answer::Graded {
                verdict: graded.verdict,
                score: graded.score,
                answer_ms,
                typical_ms,
            };
            let answer = if prompt.self_rated {
                match ask_self_rating(&mut input, &mut out, &mut line)? {
                    SelfRating::Given(n) => Answer::SelfRated(n),
                    SelfRating::Skipped => graded_answer,
                    SelfRating::Stop => {
                        ended = true;
                        graded_answer
                    }
                }
            } else {
                graded_answer
            };
            (answer, Some((graded.verdict, graded.score)))
        };
        let answered = Answered {
            key: key.clone(),
            at: answered_at,
            answer,
            verdict,
            answer_ms,
            origin: Origin::Study,
            typed: verdict.is_some().then(|| given.to_string()),
        };
        // A generated key: each line typed is its own answer.
        let answer_key = format!("terminal:{:016x}", rand::random::<u64>());
        let review = store.record_answer(user, &answer_key, &answered).await?;
        session.record(&key, review.state);
        summary.seen += 1;
        if review.rating != Rating::Again {
            summary.right += 1;
        }
        writeln!(out, "{}", text::next_review(review.state.due - answered_at))?;
        if ended {
            writeln!(out)?;
            break;
        }
    }
    let end = clock.now();
    summary.next_due = session.next_due();
    writeln!(out, "{}", text::summary(&summary, user, end))?;
    out.flush()?;
    Ok(summary)
}

enum SelfRating {
    Given(u8),
    Skipped,
    /// The end of the input, or « q »: the grader's rating is kept and the
    /// session ends.
    Stop,
}

/// Asks "how well did you know it?" until 1–5, an empty line (keep the
/// grader's rating) or « q ».
fn ask_self_rating<R: BufRead, W: Write>(
    input: &mut R,
    out: &mut W,
    line: &mut String,
) -> std::io::Result<SelfRating> {
    loop {
        write!(out, "{}\n> ", text::SELF_RATING)?;
        out.flush()?;
        line.clear();
        if input.read_line(line)? == 0 || text::is_quit(line) {
            return Ok(SelfRating::Stop);
        }
        match line.trim() {
            "" => return Ok(SelfRating::Skipped),
            n => match n.parse::<u8>() {
                Ok(n @ 1..=5) => return Ok(SelfRating::Given(n)),
                _ => writeln!(out, "{}", text::SELF_RATING_AGAIN)?,
            },
        }
    }
}

/// The terminal's French text, in one place.
pub mod text {
    use chrono::DateTime;

    use super::Summary;
    use crate::core::deck::DeckId;
    use crate::core::grade::Verdict;
    use crate::core::review::Direction;
    use crate::core::schedule::Millis;
    use crate::core::session::Reason;
    use crate::store::User;

    pub const NOTHING_LEFT: &str = "Plus rien à réviser pour le moment. Bravo !";
    pub const DONT_KNOW: &str = "Pas de souci, on la revoit bientôt.";
    pub const SELF_RATING: &str = "Dans quelle mesure le saviez-vous ? 1 Pas du tout · 2 Un peu · 3 À moitié · 4 Bien · 5 Parfaitement (Entrée : garder la note proposée)";
    pub const SELF_RATING_AGAIN: &str = "Tapez un chiffre de 1 à 5, ou Entrée.";

    pub fn welcome(n_due: usize, n_new: usize, new_per_day: u32) -> String {
        format!(
            "Révision : {n_due} carte(s) à revoir, {n_new} nouvelle(s) (au plus {new_per_day} par jour).\n\
             Tapez votre réponse puis Entrée ; « je ne sais pas », « ? » ou une ligne vide si vous ne savez pas ; « q » ou Ctrl-D pour arrêter."
        )
    }

    pub fn header(deck: &DeckId, reason: Reason, direction: Direction) -> String {
        let reason = match reason {
            Reason::New => "nouvelle",
            Reason::Learning => "en apprentissage",
            Reason::Review => "à revoir",
        };
        let direction = match direction {
            Direction::Forward => "",
            Direction::Backward => " · à l’envers : retrouvez le terme",
        };
        format!("[{deck} · {reason}{direction}]")
    }

    pub fn verdict(verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Correct => "✓ Correct !",
            Verdict::Close => "≈ Presque : c’est accepté.",
            Verdict::Partial => "½ En partie.",
            Verdict::Wrong => "✗ Incorrect.",
        }
    }

    /// A piece of an answer as the terminal shows it back: one line, no
    /// control characters, at most 100 characters.
    pub fn shown(text: &str) -> String {
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if clean.chars().count() <= 100 {
            return clean;
        }
        let mut out: String = clean.chars().take(99).collect();
        out.push('…');
        out
    }

    /// The expected answer; a list's items one per line, as bullets, so the
    /// first one does not run on from the label.
    pub fn expected(answer: &str) -> String {
        let lines: Vec<&str> = answer
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        match lines.as_slice() {
            [one] => format!("Réponse attendue : {one}"),
            items => {
                let bullets: Vec<String> = items.iter().map(|i| format!("  • {i}")).collect();
                format!("Réponse attendue :\n{}", bullets.join("\n"))
            }
        }
    }

    /// What a student types to stop, besides Ctrl-D: never an answer.
    pub fn is_quit(line: &str) -> bool {
        matches!(
            line.trim().to_lowercase().as_str(),
            "q" | ":q" | "quit" | "quitter" | "exit" | "stop"
        )
    }

    /// "À revoir dans 10 min" etc.
    pub fn next_review(delay_ms: Millis) -> String {
        format!("À revoir {}.", delay(delay_ms))
    }

    fn delay(ms: Millis) -> String {
        let minutes = (ms.max(0) + 59_999) / 60_000;
        match minutes {
            0..=1 => "dans 1 min".to_string(),
            2..=59 => format!("dans {minutes} min"),
            60..=1439 => format!("dans {} h", (minutes + 30) / 60),
            _ => match (minutes + 720) / 1440 {
                1 => "demain".to_string(),
                n => format!("dans {n} jours"),
            },
        }
    }

    pub fn summary(summary: &Summary, user: &User, now: Millis) -> String {
        let next = match summary.next_due {
            None => "aucune carte en attente".to_string(),
            Some(at) if at <= now => "des cartes sont à revoir dès maintenant".to_string(),
            Some(at) => {
                let local = DateTime::from_timestamp_millis(at)
                    .unwrap_or_default()
                    .with_timezone(&user.time_zone);
                format!(
                    "prochaine carte le {} ({})",
                    local.format("%d/%m/%Y à %H:%M"),
                    user.time_zone.name()
                )
            }
        };
        format!(
            "Session terminée : {} carte(s) vue(s), {} réussie(s) ; {next}.",
            summary.seen, summary.right
        )
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn a_list_answer_is_shown_as_bullets() {
        assert_eq!(
            text::expected("  Customer Lifetime Value \n"),
            "Réponse attendue : Customer Lifetime Value"
        );
        assert_eq!(
            text::expected("Intérêt\nCoût\n\nFaisabilité\n"),
            "Réponse attendue :\n  • Intérêt\n  • Coût\n  • Faisabilité"
        );
    }
}
