//! The student's side of « J'avais raison »: the button under a grade that
//! was not accepted (`/study`, the daily question, `/answer`: ephemeral, as
//! the grade was; a quiz question's summary: public, and the press finds
//! the presser's own answer), the form with an optional one-line reason,
//! and filing the appeal. Also what every command does afterwards: tell
//! the author of decisions they have not heard of, and tell a moderator,
//! at most once a day, how many appeals wait.
//!
//! Custom ids ([`AppealAction`]) name a stored review, a quiz question or
//! an appeal, never a session, so a button works after a restart; nobody
//! appeals for someone else (the review must be the presser's).

use poise::serenity_prelude as serenity;

use super::appeals::{self, Told};
use super::{Pressed, Submitted};
use crate::core::appeal;
use crate::discord::messages::{self, Lang};
use crate::discord::{Context, Data, Error, Mistake, context_lang, error_chain, no_pings, now_ms};
use crate::store::{Decision, GradedReview, NewAppeal, QuizAnswer};

const PREFIX: &str = "appeal:";

/// The custom id of the text input of the appeal forms.
pub(super) const TEXT_INPUT: &str = "text";

/// What an `appeal:` button or form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppealAction {
    /// « J'avais raison » under a graded answer: review id.
    Open(i64),
    /// « J'avais raison » under a quiz question's summary: quiz, question.
    Quiz(i64, u32),
    /// The reason form of review id.
    Reason(i64),
    /// A moderator's buttons on appeal id.
    Accept(i64),
    Refuse(i64),
    Skip(i64),
    /// The refusal's note form of appeal id.
    Note(i64),
}

impl AppealAction {
    pub fn encode(self) -> String {
        match self {
            Self::Open(review) => format!("{PREFIX}open:{review}"),
            Self::Quiz(quiz, question) => format!("{PREFIX}quiz:{quiz}:{question}"),
            Self::Reason(review) => format!("{PREFIX}reason:{review}"),
            Self::Accept(id) => format!("{PREFIX}accept:{id}"),
            Self::Refuse(id) => format!("{PREFIX}refuse:{id}"),
            Self::Skip(id) => format!("{PREFIX}skip:{id}"),
            Self::Note(id) => format!("{PREFIX}note:{id}"),
        }
    }

    /// `None` for anything that is not a well-formed `appeal:` id.
    pub fn parse(custom_id: &str) -> Option<Self> {
        let (verb, rest) = custom_id.strip_prefix(PREFIX)?.split_once(':')?;
        if verb == "quiz" {
            let (quiz, question) = rest.split_once(':')?;
            return Some(Self::Quiz(quiz.parse().ok()?, question.parse().ok()?));
        }
        let id: i64 = rest.parse().ok().filter(|&id| id > 0)?;
        Some(match verb {
            "open" => Self::Open(id),
            "reason" => Self::Reason(id),
            "accept" => Self::Accept(id),
            "refuse" => Self::Refuse(id),
            "skip" => Self::Skip(id),
            "note" => Self::Note(id),
            _ => return None,
        })
    }
}

fn button(action: AppealAction, lang: Lang) -> serenity::CreateActionRow {
    let button = serenity::CreateButton::new(action.encode())
        .label(messages::appeal_button(lang))
        .emoji('🙋')
        .style(serenity::ButtonStyle::Secondary);
    serenity::CreateActionRow::Buttons(vec![button])
}

/// The « J'avais raison » row under `user`'s answer `answer_key`, when it
/// was graded, not accepted and not appealed yet.
pub async fn appeal_row(
    data: &Data,
    user: &str,
    answer_key: &str,
    lang: Lang,
) -> Result<Option<serenity::CreateActionRow>, Error> {
    let Some(review) = data.store.graded_review_by_key(user, answer_key).await? else {
        return Ok(None);
    };
    appeal_row_for(data, &review, lang).await
}

/// The « J'avais raison » row under `review`, if it may be appealed.
pub async fn appeal_row_for(
    data: &Data,
    review: &GradedReview,
    lang: Lang,
) -> Result<Option<serenity::CreateActionRow>, Error> {
    if !review.is_appealable() || data.store.appeal_of_review(review.id).await?.is_some() {
        return Ok(None);
    }
    Ok(Some(button(AppealAction::Open(review.id), lang)))
}

/// The « J'avais raison » row under the summary of question `question`
/// of quiz `quiz`: each player who presses it appeals their own answer.
pub fn quiz_appeal_row(quiz: i64, question: u32, lang: Lang) -> serenity::CreateActionRow {
    button(AppealAction::Quiz(quiz, question), lang)
}

/// A student's button: checks the answer is theirs and may be appealed,
/// then opens the reason form; a moderator's button goes to `appeals`.
pub async fn on_component(received: Pressed<'_>, action: AppealAction) -> Result<(), Error> {
    let (ctx, data, lang) = (received.ctx, received.data, received.lang);
    let interaction = received.interaction;
    let user = interaction.user.id.to_string();
    let review = match action {
        AppealAction::Open(review) => data.store.graded_review(review).await?,
        AppealAction::Quiz(quiz, question) => {
            let key = QuizAnswer::key(quiz, question);
            let review = data.store.graded_review_by_key(&user, &key).await?;
            Some(review.ok_or(Mistake::AppealNothing)?)
        }
        _ => return appeals::on_decision_button(received, action).await,
    };
    let review = appealable(data, interaction.guild_id, review, &user).await?;
    let input = serenity::CreateInputText::new(
        serenity::InputTextStyle::Short,
        messages::appeal_reason_label(lang),
        TEXT_INPUT,
    )
    .placeholder(messages::appeal_reason_placeholder(lang))
    .required(false)
    .max_length(appeal::MAX_REASON_CHARS as u16);
    let modal = serenity::CreateModal::new(
        AppealAction::Reason(review.id).encode(),
        messages::appeal_modal_title(lang),
    )
    .components(vec![serenity::CreateActionRow::InputText(input)]);
    interaction
        .create_response(&ctx.http, serenity::CreateInteractionResponse::Modal(modal))
        .await?;
    Ok(())
}

/// `review`, when `user` may appeal it in `guild`: theirs, graded, not
/// accepted, not appealed yet, and in a server (whose moderators decide).
async fn appealable(
    data: &Data,
    guild: Option<serenity::GuildId>,
    review: Option<GradedReview>,
    user: &str,
) -> Result<GradedReview, Error> {
    guild.ok_or(Mistake::OnlyInServer)?;
    let review = review.ok_or(Mistake::SessionExpired)?;
    if review.user_id != user {
        return Err(Mistake::AppealNotYours.into());
    }
    if data.store.appeal_of_review(review.id).await?.is_some() {
        return Err(Mistake::AppealAlready.into());
    }
    if !review.is_appealable() {
        return Err(Mistake::AppealNothing.into());
    }
    Ok(review)
}

/// What was typed in an appeal form (`None` when nothing was).
pub(super) fn form_text(interaction: &serenity::ModalInteraction) -> Option<String> {
    let text = super::input_value(interaction, TEXT_INPUT)?;
    let text: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(appeal::MAX_REASON_CHARS)
        .collect();
    (!text.is_empty()).then_some(text)
}

/// An appeal form was submitted: the student's reason (file the appeal)
/// or a moderator's refusal note.
pub async fn on_modal(received: Submitted<'_>, action: AppealAction) -> Result<(), Error> {
    let review = match action {
        AppealAction::Reason(review) => review,
        AppealAction::Note(id) => return appeals::on_refusal(received, id).await,
        _ => return Err(Mistake::SessionExpired.into()),
    };
    let (ctx, data, lang, now) = (received.ctx, received.data, received.lang, received.now);
    let interaction = received.interaction;
    let user = interaction.user.id.to_string();
    let found = data.store.graded_review(review).await?;
    let review = appealable(data, interaction.guild_id, found, &user).await?;
    let guild = interaction.guild_id.ok_or(Mistake::OnlyInServer)?;
    let reason = form_text(interaction);
    let appeal = NewAppeal {
        guild_id: &guild.to_string(),
        review: &review,
        reason: reason.as_deref(),
        at: now,
    };
    let id = data
        .store
        .file_appeal(&appeal)
        .await?
        .ok_or(Mistake::AppealAlready)?;
    tracing::info!(appeal = id, "appeal filed");
    // An answer the server accepted since it was graded: accepted at once.
    let decks = data
        .server_decks
        .for_guild(&data.store, Some(guild))
        .await?;
    let accepted_now = decks
        .library
        .card(review.key.deck.as_str(), review.key.card.as_str())
        .is_some_and(|(_, card)| {
            let empty = crate::core::grade::DeckContext::default();
            let context = decks.context(&review.key.deck).unwrap_or(&empty);
            let alternatives = decks.alternatives(&review.key);
            let typed = review.typed.as_deref().unwrap_or_default();
            !alternatives.is_empty()
                && appeal::accepts(card, review.key.direction, context, alternatives, typed)
        });
    let mut settled = None;
    if accepted_now {
        let question = crate::core::question::Question {
            key: review.key.clone(),
            card: decks
                .library
                .card(review.key.deck.as_str(), review.key.card.as_str())
                .map(|(_, c)| c.clone())
                .ok_or(Mistake::SessionExpired)?,
        };
        let decision = Decision {
            guild_id: &guild.to_string(),
            moderator: AUTOMATIC,
            at: now,
        };
        let has_hint = question.rules().hint_source.is_some();
        settled = data.store.accept_appeal(id, &decision, has_hint).await?;
    }
    let text = match &settled {
        Some(accepted) if data.store.claim_appeal_told(id, now).await? => appeals::decision_text(
            lang,
            &decks,
            &accepted.appeal,
            &Told::Accepted(accepted.points),
        ),
        _ => messages::appeal_filed(lang).to_string(),
    };
    let message = serenity::CreateInteractionResponseMessage::new()
        .ephemeral(true)
        .content(text)
        .allowed_mentions(no_pings());
    interaction
        .create_response(
            &ctx.http,
            serenity::CreateInteractionResponse::Message(message),
        )
        .await?;
    Ok(())
}

/// Who decided an appeal accepted at once (an answer the server had
/// accepted already): no moderator, no user id.
pub const AUTOMATIC: &str = "auto";

/// After every command: the author's daily-post failures, the decisions on
/// their appeals they have not heard of (a direct message was refused),
/// and for a moderator the appeals that wait (at most once a day).
pub async fn after_command(ctx: Context<'_>) {
    super::daily::tell_failures(ctx).await;
    if let Err(e) = tell_decisions(ctx).await {
        tracing::warn!(error = %error_chain(&e), "appeal decisions not told");
    }
    if let Err(e) = tell_waiting(ctx).await {
        tracing::warn!(error = %error_chain(&e), "waiting appeals not told");
    }
}

async fn tell_decisions(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let untold = data
        .store
        .untold_decisions(&ctx.author().id.to_string())
        .await?;
    // Claimed first, so a direct message or another command meanwhile does
    // not tell them twice.
    let now = now_ms();
    let mut claimed = Vec::new();
    for appeal in untold {
        if data.store.claim_appeal_told(appeal.id, now).await? {
            claimed.push(appeal);
        }
    }
    if claimed.is_empty() {
        return Ok(());
    }
    let lang = context_lang(ctx).await;
    let mut lines = Vec::new();
    for appeal in &claimed {
        let guild = crate::discord::parse_id(&appeal.guild_id);
        let decks = data.server_decks.for_guild(&data.store, guild).await?;
        let told = match appeal.status {
            crate::store::AppealStatus::Refused => Told::Refused,
            _ => Told::Accepted(None),
        };
        lines.push(appeals::decision_text(lang, &decks, appeal, &told));
    }
    if let Err(e) = super::private(ctx, messages::clip(&lines.join("\n\n"), 2000)).await {
        for appeal in &claimed {
            data.store.release_appeal_told(appeal.id, now).await?;
        }
        return Err(e);
    }
    Ok(())
}

async fn tell_waiting(ctx: Context<'_>) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Ok(());
    };
    if ctx.command().qualified_name.starts_with("appeals") {
        return Ok(());
    }
    let member = match ctx {
        poise::Context::Application(a) => a.interaction.member.as_deref(),
        poise::Context::Prefix(_) => None,
    };
    let data = ctx.data();
    if !appeals::is_reviewer(data, guild, member).await? {
        return Ok(());
    }
    let guild_key = guild.to_string();
    let n = data.store.count_pending_appeals(&guild_key).await?;
    let today = now_ms().div_euclid(86_400_000);
    if n == 0
        || !data
            .store
            .claim_appeal_notice(&guild_key, &ctx.author().id.to_string(), today)
            .await?
    {
        return Ok(());
    }
    let lang = context_lang(ctx).await;
    super::private(ctx, messages::appeals_waiting(lang, n)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_read_back_and_refuse_garbage() {
        for action in [
            AppealAction::Open(12),
            AppealAction::Quiz(3, 0),
            AppealAction::Reason(12),
            AppealAction::Accept(7),
            AppealAction::Refuse(7),
            AppealAction::Skip(7),
            AppealAction::Note(7),
        ] {
            assert_eq!(AppealAction::parse(&action.encode()), Some(action));
            assert!(action.encode().len() <= 100);
        }
        for bad in [
            "appeal:open:",
            "appeal:open:-1",
            "appeal:what:1",
            "study:open:1",
            "appeal:quiz:1",
        ] {
            assert_eq!(AppealAction::parse(bad), None, "{bad}");
        }
    }
}
