//! The slash commands, one file per feature, and the one list of them all.
//!
//! Names and descriptions (English base, French localizations) are applied
//! from [`super::messages::COMMANDS`] here, so the French lives in one file.

mod appeal_button;
pub mod appeals;
pub mod daily;
pub mod decks;
pub mod exam;
pub mod forget;
pub mod leaderboard;
pub mod quiz;
pub mod settings;
pub mod stats;
pub mod study;

use std::borrow::Cow;
use std::sync::Arc;

use poise::serenity_prelude as serenity;

use super::messages;
use super::server_decks::GuildDecks;
use super::study_id::Action;
use super::{Context, Data, Error, Mistake, context_lang};
use crate::core::schedule::Millis;
use crate::store::User;

/// Every command the bot registers. Only implemented commands are listed.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    let mut commands = vec![study::study(), decks::decks(), stats::stats()];
    commands.extend([daily::daily(), exam::exam()]);
    commands.extend([quiz::quiz(), quiz::answer()]);
    commands.push(leaderboard::leaderboard());
    commands.push(settings::settings());
    commands.push(forget::forget_me());
    commands.push(appeals::appeals());
    for command in &mut commands {
        localize(command);
    }
    commands
}

/// Sets a command's descriptions and French localizations from the messages
/// module (subcommands by their qualified name, e.g. `quiz start`): the one
/// place with a command's or an option's text (no `#[description]` here).
fn localize(command: &mut poise::Command<Data, Error>) {
    localize_as(command, &command.name.clone());
}

/// [`localize`] with the name to look up: subcommands are found by their
/// full name ("daily set").
fn localize_as(command: &mut poise::Command<Data, Error>, full_name: &str) {
    for sub in &mut command.subcommands {
        let sub_name = format!("{full_name} {}", sub.name);
        localize_as(sub, &sub_name);
    }
    let Some(text) = messages::command_text(full_name) else {
        return;
    };
    command.description = Some(Cow::Borrowed(text.description));
    command.name_localizations =
        Cow::Owned(vec![(Cow::Borrowed("fr"), Cow::Borrowed(text.fr_name))]);
    command.description_localizations = Cow::Owned(vec![(
        Cow::Borrowed("fr"),
        Cow::Borrowed(text.fr_description),
    )]);
    for param in &mut command.parameters {
        if let Some(p) = text.params.iter().find(|p| p.name == param.name) {
            param.description = Some(Cow::Borrowed(p.description));
            param.name_localizations =
                Cow::Owned(vec![(Cow::Borrowed("fr"), Cow::Borrowed(p.fr_name))]);
            param.description_localizations =
                Cow::Owned(vec![(Cow::Borrowed("fr"), Cow::Borrowed(p.fr_description))]);
        }
    }
}

/// Autocompletes a deck parameter from the loaded decks, matching the typed
/// text against deck ids and titles (case-insensitive). The commands that
/// can use a server's uploaded decks ([`SERVER_DECK_COMMANDS`]) offer them
/// too, by the id the server sees.
pub async fn autocomplete_deck(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let partial = partial.trim().to_lowercase();
    let data = ctx.data();
    let command = &ctx.command().qualified_name;
    let decks = if SERVER_DECK_COMMANDS.iter().any(|c| c == command) {
        data.server_decks
            .for_guild(&data.store, ctx.guild_id())
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "server decks for autocomplete");
                data.server_decks.bundled()
            })
    } else {
        data.server_decks.bundled()
    };
    let choices = decks
        .library
        .decks()
        .iter()
        .map(|d| (decks.shown_id(&d.id), d))
        .filter(|(id, d)| {
            partial.is_empty() || id.contains(&partial) || d.title.to_lowercase().contains(&partial)
        })
        .take(25)
        .map(|(id, d)| {
            // Discord limits a choice name to 100 characters.
            let name: String = format!("{} ({id})", d.title).chars().take(100).collect();
            serenity::AutocompleteChoice::new(name, id)
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// The commands that can use a server's uploaded decks (all of them with a
/// deck option).
pub const SERVER_DECK_COMMANDS: &[&str] = &[
    "study",
    "quiz start",
    "decks export",
    "decks remove",
    "daily set",
    "exam set",
    "leaderboard show",
];

/// The server a command runs in; [`Mistake::OnlyInServer`] in direct messages.
pub fn require_guild(ctx: Context<'_>) -> Result<serenity::GuildId, Error> {
    ctx.guild_id().ok_or_else(|| Mistake::OnlyInServer.into())
}

/// The server member who ran the command (`None` in direct messages).
pub fn command_member<'a>(ctx: Context<'a>) -> Option<&'a serenity::Member> {
    match ctx {
        poise::Context::Application(a) => a.interaction.member.as_deref(),
        poise::Context::Prefix(_) => None,
    }
}

/// Whether the caller has Manage Server (or Administrator).
pub fn manages_server(ctx: Context<'_>) -> bool {
    member_manages_server(command_member(ctx))
}

/// Whether `member` has Manage Server (or Administrator), as Discord
/// computed it for this interaction (it sends the member's resolved
/// permissions with every interaction in a server).
pub fn member_manages_server(member: Option<&serenity::Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild() || p.administrator())
}

/// [`Mistake::NeedsManageServer`] unless the caller manages the server.
/// Checked by the bot itself, so a server that reopens a command to
/// everyone still cannot use it.
pub fn require_manage_server(ctx: Context<'_>) -> Result<(), Error> {
    if manages_server(ctx) {
        Ok(())
    } else {
        Err(Mistake::NeedsManageServer.into())
    }
}

/// The custom id of the text input of an answer modal.
const ANSWER_INPUT: &str = "answer";

/// The modal a student types an answer in (`/study`, the daily question);
/// `custom_id` says what it answers.
pub fn answer_modal(
    custom_id: String,
    style: serenity::InputTextStyle,
    required: bool,
    lang: messages::Lang,
) -> serenity::CreateModal {
    let input =
        serenity::CreateInputText::new(style, messages::answer_input_label(lang), ANSWER_INPUT)
            .required(required)
            .max_length(1000);
    serenity::CreateModal::new(custom_id, messages::answer_modal_title(lang))
        .components(vec![serenity::CreateActionRow::InputText(input)])
}

/// What was typed in an answer modal (empty when nothing was).
pub fn modal_text(interaction: &serenity::ModalInteraction) -> String {
    input_value(interaction, ANSWER_INPUT).unwrap_or_default()
}

/// What was typed in the text input `custom_id` of a submitted modal.
pub fn input_value(interaction: &serenity::ModalInteraction, custom_id: &str) -> Option<String> {
    interaction
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            serenity::ActionRowComponent::InputText(input) if input.custom_id == custom_id => {
                Some(input)
            }
            _ => None,
        })?
        .value
        .clone()
}

/// The server of a command reserved to its managers: [`require_guild`]
/// then [`require_manage_server`].
pub fn require_manager_guild(ctx: Context<'_>) -> Result<serenity::GuildId, Error> {
    let guild = require_guild(ctx)?;
    require_manage_server(ctx)?;
    Ok(guild)
}

/// A reply only the caller sees.
pub async fn private(ctx: Context<'_>, text: String) -> Result<(), Error> {
    let reply = poise::CreateReply::default()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(super::no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// What an ephemeral message shows (`/study`, `/appeals review`): embeds
/// and buttons, sent first as a private reply, then put in place of the
/// message a button or form was on.
pub struct Screen {
    pub embeds: Vec<serenity::CreateEmbed>,
    pub components: Vec<serenity::CreateActionRow>,
}

impl Screen {
    /// Sends the screen as a reply only the caller sees.
    pub async fn send(self, ctx: Context<'_>) -> Result<(), Error> {
        let mut reply = poise::CreateReply::default()
            .ephemeral(true)
            .allowed_mentions(super::no_pings())
            .components(self.components);
        for embed in self.embeds {
            reply = reply.embed(embed);
        }
        ctx.send(reply).await?;
        Ok(())
    }

    /// Puts the screen in place of the message interaction `id` came from.
    pub async fn update(
        self,
        ctx: &serenity::Context,
        id: serenity::InteractionId,
        token: &str,
    ) -> Result<(), Error> {
        let message = serenity::CreateInteractionResponseMessage::new()
            .embeds(self.embeds)
            .components(self.components)
            .allowed_mentions(super::no_pings());
        let response = serenity::CreateInteractionResponse::UpdateMessage(message);
        ctx.http
            .create_interaction_response(id, token, &response, vec![])
            .await?;
        Ok(())
    }
}

/// An integer option checked against its range (`default` when absent):
/// Discord's `min`/`max` only guide its client, a forged or buggy request
/// can carry anything.
pub fn in_range(
    command: &'static str,
    option: &'static str,
    given: Option<i64>,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, Error> {
    let Some(given) = given else {
        return Ok(default);
    };
    u32::try_from(given)
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            Error::Mistake(Mistake::OutOfRange {
                command,
                option,
                given: given.to_string(),
                min: min.to_string(),
                max: max.to_string(),
            })
        })
}

/// The decks the command's server sees: bundled plus uploaded ones.
pub async fn guild_decks(ctx: Context<'_>) -> Result<Arc<GuildDecks>, Error> {
    let data = ctx.data();
    Ok(data
        .server_decks
        .for_guild(&data.store, ctx.guild_id())
        .await?)
}

/// The author of a command as a student (created on first contact, `now`)
/// and the language to answer them in.
pub async fn author(ctx: Context<'_>, now: Millis) -> Result<(User, messages::Lang), Error> {
    let lang = context_lang(ctx).await;
    let user = study::student(ctx.data(), ctx.author().id, lang, now).await?;
    Ok((user, lang))
}

/// Looks up a deck given as a command option among a server's decks.
pub fn find_in<'a>(
    decks: &'a GuildDecks,
    given: &str,
) -> Result<&'a crate::core::deck::Deck, Error> {
    decks.find(given).ok_or_else(|| {
        Error::Mistake(Mistake::UnknownDeck {
            given: given.to_string(),
            known: decks
                .library
                .decks()
                .iter()
                .map(|d| decks.shown_id(&d.id).to_string())
                .collect(),
        })
    })
}

/// A button press or a modal submission (`I`) as the router received it,
/// with what every handler of one needs, read once on arrival.
pub struct Received<'a, I> {
    pub ctx: &'a serenity::Context,
    pub data: &'a Data,
    /// The language to answer in: the user's `/settings` choice, else
    /// their client's.
    pub lang: messages::Lang,
    /// When it arrived: the handler's one reading of the clock.
    pub now: Millis,
    /// The press or the submission itself.
    pub interaction: &'a I,
}

impl<'a, I> Received<'a, I> {
    pub fn new(
        ctx: &'a serenity::Context,
        data: &'a Data,
        lang: messages::Lang,
        now: Millis,
        interaction: &'a I,
    ) -> Self {
        Self {
            ctx,
            data,
            lang,
            now,
            interaction,
        }
    }
}

// Not derived: a derive would ask `I: Copy` of the interaction.
impl<I> Clone for Received<'_, I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I> Copy for Received<'_, I> {}

/// A button pressed on one of the bot's messages.
pub type Pressed<'a> = Received<'a, serenity::ComponentInteraction>;

/// A modal the bot opened, submitted.
pub type Submitted<'a> = Received<'a, serenity::ModalInteraction>;

/// A button was pressed on one of the bot's messages (`/study`, the daily
/// question, `/forget-me`, appeals); anything unreadable, or a step a
/// button does not take, gets "this session has expired".
pub async fn on_component(pressed: Pressed<'_>) -> Result<(), Error> {
    let custom_id = &pressed.interaction.data.custom_id;
    if let Some(action) = daily::DailyAction::parse(custom_id) {
        match action {
            daily::DailyAction::Answer(date) => daily::on_component(pressed, date).await,
            daily::DailyAction::Submit(_) => Err(Mistake::SessionExpired.into()),
        }
    } else if let Some(action) = forget::ForgetAction::parse(custom_id) {
        forget::on_component(pressed, action).await
    } else if let Some(action) = appeals::AppealAction::parse(custom_id) {
        appeal_button::on_component(pressed, action).await
    } else {
        let guild = pressed.interaction.guild_id;
        let (decks, action) = study_action(pressed.data, guild, custom_id).await?;
        study::on_component(pressed, &decks, action).await
    }
}

/// A modal the bot opened was submitted (`/study`, the daily question,
/// appeals); anything unreadable, or a step a modal does not take, gets
/// "this session has expired".
pub async fn on_modal(submitted: Submitted<'_>) -> Result<(), Error> {
    let custom_id = &submitted.interaction.data.custom_id;
    if let Some(action) = appeals::AppealAction::parse(custom_id) {
        return appeal_button::on_modal(submitted, action).await;
    }
    match daily::DailyAction::parse(custom_id) {
        Some(daily::DailyAction::Submit(date)) => daily::on_modal(submitted, date).await,
        Some(daily::DailyAction::Answer(_)) => Err(Mistake::SessionExpired.into()),
        None => {
            let guild = submitted.interaction.guild_id;
            match study_action(submitted.data, guild, custom_id).await? {
                (decks, Action::Submit(asked)) => study::on_modal(submitted, &decks, &asked).await,
                _ => Err(Mistake::SessionExpired.into()),
            }
        }
    }
}

/// The `/study` step a button or modal carries, read against the decks of
/// its server; [`Mistake::SessionExpired`] when it cannot be read.
async fn study_action(
    data: &Data,
    guild: Option<serenity::GuildId>,
    custom_id: &str,
) -> Result<(Arc<GuildDecks>, Action), Error> {
    let decks = data.server_decks.for_guild(&data.store, guild).await?;
    match Action::parse(custom_id, &decks.library) {
        Some(action) => Ok((decks, action)),
        None => {
            tracing::info!(custom_id = %custom_id, "button or modal from an expired session");
            Err(Mistake::SessionExpired.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command, subcommand and option has its names and descriptions
    /// in `messages` (Discord refuses an option without a description).
    #[test]
    fn every_command_and_option_has_its_text() {
        fn check(command: &poise::Command<Data, Error>, full_name: &str) {
            let text = messages::command_text(full_name)
                .unwrap_or_else(|| panic!("no text for /{full_name}"));
            for param in &command.parameters {
                assert!(
                    text.params.iter().any(|p| p.name == param.name),
                    "/{full_name}: no text for option {}",
                    param.name
                );
            }
            for sub in &command.subcommands {
                check(sub, &format!("{full_name} {}", sub.name));
            }
        }
        for command in all() {
            check(&command, &command.name.clone());
        }
    }
}
