//! « J'avais raison »: what an appeal of a grade decides, as values.
//!
//! A student marked wrong says they were right; a moderator accepts, and
//! the typed answer becomes an accepted alternative of that card (one
//! direction) for that server. Nothing here changes the grader: an
//! alternative reaches it the way a deck's own `accept` entries do, through
//! the card ([`card_for`]). The shells store appeals and alternatives; this
//! module says what text becomes an alternative ([`alternative`]), when two
//! answers are "the same" ([`fold`]), which pending appeals a new
//! alternative settles ([`newly_accepted`]), the review that corrects an
//! accepted answer ([`corrected_answer`]) and the quiz points it earns
//! ([`quiz_credit`]).

use std::borrow::Cow;

use crate::core::deck::{Card, CardKind};
use crate::core::grade::{self, DeckContext, Direction, normalize};
use crate::core::quiz;
use crate::core::schedule::{Answer, Millis};

/// The longest alternative kept (the answer modal takes 1,000 characters;
/// an accepted alternative is an answer, not an essay).
pub const MAX_ALTERNATIVE_CHARS: usize = 300;

/// The longest reason a student may give (one line).
pub const MAX_REASON_CHARS: usize = 200;

/// The text an accepted answer is stored and exported as: trimmed, runs of
/// white space made one space, a final full stop or other closing
/// punctuation dropped. `None` when nothing is left (or no word: an
/// alternative of only punctuation would accept anything that folds to
/// nothing), or when it is longer than [`MAX_ALTERNATIVE_CHARS`].
pub fn alternative(typed: &str) -> Option<String> {
    let joined = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = joined
        .trim_end_matches(['.', '!', ';', ',', '…'])
        .trim()
        .to_string();
    let has_word = !fold(&text).is_empty();
    (has_word && text.chars().count() <= MAX_ALTERNATIVE_CHARS).then_some(text)
}

/// The comparable form of an answer (case, accents, apostrophes, hyphens
/// and punctuation folded): two students "typed the same" when these are
/// equal, and one alternative is stored per form.
pub fn fold(text: &str) -> String {
    normalize::fold(text)
}

/// `card` as graded in `direction` with the server's accepted
/// `alternatives` for that direction added to what it accepts. The grader
/// reads a card's `accept` list for both directions, except forward on a
/// reversible definition (where `accept` holds short forms of the
/// question): there the copy is graded as a one-way card whose `accept` is
/// the alternatives alone. The copy is only for grading that direction.
pub fn card_for<'a>(
    card: &'a Card,
    direction: Direction,
    alternatives: &[String],
) -> Cow<'a, Card> {
    if alternatives.is_empty() {
        return Cow::Borrowed(card);
    }
    let mut graded = card.clone();
    let accept_is_for_question = card.kind == CardKind::Definition && card.reverse;
    if direction == Direction::Forward && accept_is_for_question {
        graded.reverse = false;
        graded.accept = alternatives.to_vec();
    } else {
        graded.accept.extend(alternatives.iter().cloned());
    }
    Cow::Owned(graded)
}

/// Whether `typed` is accepted for `card` asked in `direction` once the
/// `alternatives` are accepted too.
pub fn accepts(
    card: &Card,
    direction: Direction,
    context: &DeckContext,
    alternatives: &[String],
    typed: &str,
) -> bool {
    let graded = card_for(card, direction, alternatives);
    grade::grade_card(&graded, direction, context, typed)
        .verdict
        .is_accepted()
}

/// Of `pending` appeals `(id, typed)` on one card direction, the ids that
/// grading with `alternatives` now accepts: when a moderator accepts one
/// answer, every appeal the new alternative settles is accepted with it.
pub fn newly_accepted<'a>(
    card: &Card,
    direction: Direction,
    context: &DeckContext,
    alternatives: &[String],
    pending: impl IntoIterator<Item = (i64, &'a str)>,
) -> Vec<i64> {
    let graded = card_for(card, direction, alternatives);
    pending
        .into_iter()
        .filter(|(_, typed)| {
            grade::grade_card(&graded, direction, context, typed)
                .verdict
                .is_accepted()
        })
        .map(|(id, _)| id)
        .collect()
}

/// The answer an accepted appeal puts in place of the graded one: right,
/// rated as a right answer is (`Good`; the speed bonus needs the usual
/// answer time of that moment, which the log does not keep).
pub fn corrected_answer(answer_ms: u32) -> Answer {
    Answer::Graded {
        verdict: grade::Verdict::Correct,
        score: 1.0,
        answer_ms,
        typical_ms: None,
    }
}

/// What the quiz knew when an appealed answer came.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizAnswerSeen {
    /// How long the question stayed open.
    pub answer_time: Millis,
    /// How long after the question was asked the answer came.
    pub answer_ms: Millis,
    /// The question shows a hint halfway (terms).
    pub has_hint: bool,
    /// When other players' right answers to the question came, as times
    /// after the question was asked.
    pub right_before: Vec<Millis>,
}

/// The points an appealed quiz answer earns once accepted, and whether it
/// was the first right answer: the rules' points for a right answer at
/// that moment ([`quiz::base_points`]): half when someone was right
/// before, three quarters after the hint (shown halfway unless someone was
/// right before it). No streak bonus: the streaks of later questions were
/// decided already.
pub fn quiz_credit(seen: &QuizAnswerSeen) -> (u32, bool) {
    let first = !seen.right_before.iter().any(|&t| t <= seen.answer_ms);
    let hint_at = seen.answer_time / 2;
    let hinted = seen.has_hint
        && seen.answer_ms >= hint_at
        && !seen.right_before.iter().any(|&t| t < hint_at);
    let points = quiz::base_points(
        seen.answer_time,
        seen.answer_ms,
        grade::Verdict::Correct,
        1.0,
        !first,
        hinted,
    );
    (points.round() as u32, first)
}

/// The `[[cards]]` entries of one deck for `rappel appeals export`: for
/// each card with answers accepted on appeal, its id and the `accept` list
/// to put in the deck file (the card's own entries first, then the new
/// ones, the same answer once). Answers accepted forward on a reversible
/// definition cannot go in `accept` (it holds forms of the question
/// there): they are listed in a comment.
pub fn accept_entries(
    deck: &str,
    title: &str,
    cards: &[(&Card, Vec<(Direction, String)>)],
) -> String {
    let quote = |text: &str| toml::Value::String(text.to_string()).to_string();
    let mut out = format!(
        "# Deck {} ({}): answers accepted on appeal. Put each `accept` list in\n\
         # the card with that id (its own entries come first).\n",
        quote(deck),
        title.replace('\n', " ")
    );
    for (card, accepted) in cards {
        let accept_is_for_question = card.kind == CardKind::Definition && card.reverse;
        let mut accept = card.accept.clone();
        let mut seen: Vec<String> = accept.iter().map(|a| fold(a)).collect();
        let mut forward_only = Vec::new();
        for (direction, answer) in accepted {
            if accept_is_for_question && *direction == Direction::Forward {
                forward_only.push(answer.clone());
                continue;
            }
            let folded = fold(answer);
            if !seen.contains(&folded) {
                seen.push(folded);
                accept.push(answer.clone());
            }
        }
        out.push_str("\n[[cards]]\n");
        out.push_str(&format!("id = {}\n", quote(card.id.as_str())));
        if accept.len() > card.accept.len() {
            let items: Vec<String> = accept.iter().map(|a| quote(a)).collect();
            out.push_str(&format!("accept = [{}]\n", items.join(", ")));
        }
        for answer in forward_only {
            out.push_str(&format!(
                "# accepted for the definition (not an `accept` entry): {}\n",
                quote(&answer)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::deck::CardId;

    fn card(kind: CardKind, reverse: bool, accept: &[&str]) -> Card {
        Card {
            id: CardId::parse("c").unwrap(),
            question: "Client qui recommande activement la marque".into(),
            answer: "Ambassadeur".into(),
            kind,
            reverse,
            accept: accept.iter().map(|s| s.to_string()).collect(),
            tags: Vec::new(),
        }
    }

    #[test]
    fn alternatives_are_trimmed_and_refuse_empty_or_long_text() {
        assert_eq!(
            alternative("  Client   prescripteur. ").as_deref(),
            Some("Client prescripteur")
        );
        assert_eq!(alternative(" ... "), None);
        assert_eq!(alternative(""), None);
        assert_eq!(alternative(&"mot ".repeat(100)), None);
    }

    #[test]
    fn the_same_answer_folds_the_same() {
        assert_eq!(fold("Client  PRESCRIPTEUR"), fold("client prescripteur"));
        assert_eq!(fold("éco-système"), fold("Eco système"));
    }

    #[test]
    fn an_alternative_is_accepted_after_and_not_before() {
        let card = card(CardKind::Term, false, &[]);
        let context = DeckContext::default();
        let typed = "Prescripteur";
        assert!(!accepts(&card, Direction::Forward, &context, &[], typed));
        let alts = vec!["Prescripteur".to_string()];
        assert!(accepts(&card, Direction::Forward, &context, &alts, typed));
        assert!(accepts(
            &card,
            Direction::Forward,
            &context,
            &alts,
            "prescripteurs"
        ));
        let pending = [
            (1, "prescripteur"),
            (2, "Client fidèle"),
            (3, "Ambassadeur"),
        ];
        assert_eq!(
            newly_accepted(&card, Direction::Forward, &context, &alts, pending),
            vec![1, 3]
        );
    }

    #[test]
    fn forward_alternatives_of_a_reversible_definition_apply_forward_only() {
        let mut card = card(CardKind::Definition, true, &["ambassadeur"]);
        card.answer = "Client qui recommande activement la marque".into();
        card.question = "Ambassadeur".into();
        let alts = vec!["un client qui fait la promotion de la marque".to_string()];
        let forward = card_for(&card, Direction::Forward, &alts);
        assert_eq!(forward.accept, alts);
        assert!(!forward.reverse);
        let backward = card_for(&card, Direction::Backward, &["prescripteur".to_string()]);
        assert_eq!(backward.accept, vec!["ambassadeur", "prescripteur"]);
        assert!(matches!(
            card_for(&card, Direction::Forward, &[]),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn export_lists_each_cards_accept_once_and_reads_back() {
        let term = card(CardKind::Term, false, &["Client ambassadeur"]);
        let accepted = vec![
            (Direction::Forward, "Prescripteur".to_string()),
            (Direction::Forward, "client ambassadeur".to_string()),
            (Direction::Forward, "Il a dit \"fan\"".to_string()),
        ];
        let text = accept_entries("crm", "Relation client", &[(&term, accepted)]);
        let value: toml::Table = toml::from_str(&text).expect("valid TOML");
        let cards = value["cards"].as_array().unwrap();
        assert_eq!(cards[0]["id"].as_str(), Some("c"));
        let accept: Vec<&str> = cards[0]["accept"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            accept,
            ["Client ambassadeur", "Prescripteur", "Il a dit \"fan\""]
        );
    }

    #[test]
    fn quiz_credit_follows_the_rules() {
        let seen = |answer_ms, right_before: Vec<Millis>| QuizAnswerSeen {
            answer_time: 20_000,
            answer_ms,
            has_hint: true,
            right_before,
        };
        // At once and first: the whole 1000.
        assert_eq!(quiz_credit(&seen(0, vec![])), (1000, true));
        // 5 s of 20: 1000 × (1 − 5/40).
        assert_eq!(quiz_credit(&seen(5_000, vec![])), (875, true));
        // After someone else: half.
        assert_eq!(quiz_credit(&seen(5_000, vec![4_000])), (438, false));
        // After the hint (nobody right before it): three quarters.
        assert_eq!(quiz_credit(&seen(10_000, vec![])), (563, true));
        // Someone right before halfway: no hint was shown, but not first.
        assert_eq!(quiz_credit(&seen(10_000, vec![2_000])), (375, false));
    }
}
