//! What a running quiz posts: the question, the answer and its scorers,
//! the podium.

use poise::serenity_prelude as serenity;

use super::driver::Driver;
use crate::core::quiz::{PlayerId, Standing};
use crate::core::review::Direction;
use crate::core::schedule::Millis;
use crate::core::session;
use crate::discord::messages::{self, clip};

impl Driver {
    pub(super) fn ask_embed(
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

    pub(super) fn close_text(&self, index: usize, scorers: &[(PlayerId, u32)]) -> String {
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

    pub(super) fn podium_embed(
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
                    clip(&items_line(prompt.shown), 120),
                    clip(&items_line(prompt.expected), 120)
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

/// Newlines and backticks out, so an echoed answer stays one quoted line.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "'")
}

/// A card's text on one line with its lines kept apart: a list answer's
/// items read « Intérêt · Coût · Faisabilité », not « Intérêt Coût
/// Faisabilité ».
pub(super) fn items_line(text: &str) -> String {
    text.lines()
        .map(one_line)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_answer_keeps_its_items_apart_on_one_line() {
        assert_eq!(
            items_line("Intérêt\nCoût\n\n  Faisabilité  \n"),
            "Intérêt · Coût · Faisabilité"
        );
        assert_eq!(items_line("Une `seule`   ligne"), "Une 'seule' ligne");
    }
}
