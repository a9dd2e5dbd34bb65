//! `/forget-me` (`/oublier`): deletes everything rappel stores about the
//! caller, after a confirmation button.
//!
//! The buttons carry the caller's id (`forget:confirm:<id>`), so the bot
//! keeps no state between the command and the press, and a press by anyone
//! else (a forwarded or replayed button) is refused rather than deleting
//! the wrong person's data. The deletion is one transaction
//! ([`crate::store::Store::forget_user`]).

use poise::serenity_prelude as serenity;

use super::Pressed;
use crate::discord::messages;
use crate::discord::{Context, Error, Mistake, context_lang, no_pings};

const PREFIX: &str = "forget:";

/// Delete all your data (asks for confirmation)
#[poise::command(slash_command, rename = "forget-me")]
pub async fn forget_me(ctx: Context<'_>) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let user = ctx.author().id;
    let buttons = vec![
        serenity::CreateButton::new(ForgetAction::Confirm(user).encode())
            .label(messages::forget_confirm_button(lang))
            .style(serenity::ButtonStyle::Danger),
        serenity::CreateButton::new(ForgetAction::Cancel(user).encode())
            .label(messages::forget_cancel_button(lang))
            .style(serenity::ButtonStyle::Secondary),
    ];
    let reply = poise::CreateReply::default()
        .content(messages::forget_explain(lang))
        .components(vec![serenity::CreateActionRow::Buttons(buttons)])
        .ephemeral(true)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// What a `forget:` button asks, and for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForgetAction {
    Confirm(serenity::UserId),
    Cancel(serenity::UserId),
}

impl ForgetAction {
    pub fn encode(self) -> String {
        match self {
            Self::Confirm(user) => format!("{PREFIX}confirm:{user}"),
            Self::Cancel(user) => format!("{PREFIX}cancel:{user}"),
        }
    }

    /// `None` for anything that is not a well-formed `forget:` id.
    pub fn parse(custom_id: &str) -> Option<Self> {
        let (kind, user) = custom_id.strip_prefix(PREFIX)?.split_once(':')?;
        let user = crate::discord::parse_id(user)?;
        match kind {
            "confirm" => Some(Self::Confirm(user)),
            "cancel" => Some(Self::Cancel(user)),
            _ => None,
        }
    }

    fn user(self) -> serenity::UserId {
        match self {
            Self::Confirm(user) | Self::Cancel(user) => user,
        }
    }
}

/// A `forget:` button: only the user it was made for may press it.
pub async fn on_component(received: Pressed<'_>, action: ForgetAction) -> Result<(), Error> {
    let (ctx, data, lang) = (received.ctx, received.data, received.lang);
    let interaction = received.interaction;
    if interaction.user.id != action.user() {
        tracing::warn!("a /forget-me button was pressed by someone else");
        return Err(Mistake::ForgetNotYours.into());
    }
    let text = match action {
        ForgetAction::Confirm(user) => {
            let forgotten = data.store.forget_user(&user.to_string()).await?;
            tracing::info!(rows = forgotten.rows, "a user's data was erased");
            messages::forget_done(lang, forgotten.reviews)
        }
        ForgetAction::Cancel(_) => messages::forget_cancelled(lang).to_string(),
    };
    // Replaces the question and its buttons, so they cannot be pressed twice.
    let message = serenity::CreateInteractionResponseMessage::new()
        .content(text)
        .components(Vec::new())
        .allowed_mentions(no_pings());
    let response = serenity::CreateInteractionResponse::UpdateMessage(message);
    interaction.create_response(&ctx.http, response).await?;
    Ok(())
}
