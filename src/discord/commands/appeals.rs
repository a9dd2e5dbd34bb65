//! « J'avais raison »: a student marked wrong appeals in one click, a
//! moderator decides (`/appeals review`, `/contestations examiner`), and an
//! accepted answer is accepted for everyone on the server from then on.
//!
//! The student's side (the button under a grade, the reason form, filing)
//! is in `appeal_button.rs`. Here: the moderators' screen, one pending
//! appeal at a time with Accepter / Refuser / Passer, the decisions, and
//! telling the student (a direct message; when Discord refuses one, at the
//! student's next command). Every button carries what it needs in its
//! custom id ([`AppealAction`]), so old screens survive a restart, and is
//! checked again on press: the presser may review this server's appeals,
//! and the appeal is a pending one of the server the button is pressed in.

use poise::serenity_prelude as serenity;

use super::{Pressed, Screen, Submitted};
use crate::core::appeal;
use crate::core::question::Question;
use crate::core::review::CardKey;
use crate::core::schedule::Millis;
use crate::core::session;
use crate::discord::messages::{self, Lang, clip};
use crate::discord::server_decks::GuildDecks;
use crate::discord::{Context, Data, Error, Mistake, context_lang, error_chain, no_pings, now_ms};
use crate::store::{Appeal, Decision};

pub use super::appeal_button::{
    AppealAction, after_command, appeal_row, appeal_row_for, quiz_appeal_row,
};

/// Students' appeals of a grade (« J'avais raison »)
#[poise::command(slash_command, subcommands("review", "role"), subcommand_required)]
pub async fn appeals(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Review the pending appeals one at a time
#[poise::command(slash_command)]
pub async fn review(ctx: Context<'_>) -> Result<(), Error> {
    let guild = super::require_guild(ctx)?;
    require_reviewer(ctx.data(), guild, super::command_member(ctx)).await?;
    let lang = context_lang(ctx).await;
    let screen = review_screen(ctx.data(), guild, 0, lang, None).await?;
    screen.send(ctx).await
}

/// Choose the role that may review appeals
#[poise::command(slash_command)]
pub async fn role(ctx: Context<'_>, role: Option<serenity::RoleId>) -> Result<(), Error> {
    let guild = super::require_manager_guild(ctx)?;
    let lang = context_lang(ctx).await;
    let role_id = role.map(|r| r.to_string());
    ctx.data()
        .store
        .set_appeal_role(
            &guild.to_string(),
            role_id.as_deref(),
            &ctx.author().id.to_string(),
            now_ms(),
        )
        .await?;
    let text = match role {
        Some(role) => messages::appeal_role_set(lang, role.get()),
        None => messages::appeal_role_cleared(lang).to_string(),
    };
    super::private(ctx, text).await
}

/// Whether `member` may review `guild`'s appeals: Manage Server (or
/// Administrator), as Discord computed it for the interaction, or the
/// role set with `/appeals role`.
pub(super) async fn is_reviewer(
    data: &Data,
    guild: serenity::GuildId,
    member: Option<&serenity::Member>,
) -> Result<bool, Error> {
    if super::member_manages_server(member) {
        return Ok(true);
    }
    let Some(member) = member else {
        return Ok(false);
    };
    let role = data.store.appeal_role(&guild.to_string()).await?;
    Ok(role.is_some_and(|role| member.roles.iter().any(|r| r.to_string() == role)))
}

async fn require_reviewer(
    data: &Data,
    guild: serenity::GuildId,
    member: Option<&serenity::Member>,
) -> Result<(), Error> {
    if is_reviewer(data, guild, member).await? {
        Ok(())
    } else {
        Err(Mistake::NeedsAppealReviewer.into())
    }
}

/// The next pending appeal of `guild` after appeal `after` (0: the
/// oldest), with its buttons, under `note` (what was just decided).
async fn review_screen(
    data: &Data,
    guild: serenity::GuildId,
    after: i64,
    lang: Lang,
    note: Option<String>,
) -> Result<Screen, Error> {
    let guild_key = guild.to_string();
    let mut embeds = Vec::new();
    if let Some(note) = note {
        embeds.push(serenity::CreateEmbed::new().description(note));
    }
    let Some(next) = data.store.next_pending_appeal(&guild_key, after).await? else {
        embeds.push(serenity::CreateEmbed::new().description(messages::appeals_none_pending(lang)));
        return Ok(Screen {
            embeds,
            components: Vec::new(),
        });
    };
    let n_pending = data.store.count_pending_appeals(&guild_key).await?;
    let decks = data
        .server_decks
        .for_guild(&data.store, Some(guild))
        .await?;
    let (question, expected) = card_texts(&decks, &next.key);
    let view = messages::AppealView {
        question: &question,
        expected: &expected,
        typed: &next.typed,
        verdict: next.verdict,
        reason: next.reason.as_deref(),
        n_same: next.n_same,
        origin: &next.origin,
    };
    let mut embed = serenity::CreateEmbed::new()
        .title(messages::appeal_title(lang, n_pending))
        .colour(serenity::Colour::ORANGE);
    for (name, value) in messages::appeal_fields(lang, &view) {
        embed = embed.field(name, value, false);
    }
    embeds.push(embed);
    let buttons = vec![
        serenity::CreateButton::new(AppealAction::Accept(next.id).encode())
            .label(messages::appeal_accept_button(lang))
            .style(serenity::ButtonStyle::Success),
        serenity::CreateButton::new(AppealAction::Refuse(next.id).encode())
            .label(messages::appeal_refuse_button(lang))
            .style(serenity::ButtonStyle::Danger),
        serenity::CreateButton::new(AppealAction::Skip(next.id).encode())
            .label(messages::appeal_skip_button(lang))
            .style(serenity::ButtonStyle::Secondary),
    ];
    Ok(Screen {
        embeds,
        components: vec![serenity::CreateActionRow::Buttons(buttons)],
    })
}

/// The question shown and the answer expected for `key` in this server
/// (the card id when the card is no longer in its deck).
pub(super) fn card_texts(decks: &GuildDecks, key: &CardKey) -> (String, String) {
    match decks.library.card(key.deck.as_str(), key.card.as_str()) {
        Some((_, card)) => {
            let prompt = session::prompt(card, key.direction);
            (prompt.shown.to_string(), prompt.expected.to_string())
        }
        None => (key.card.to_string(), String::from("—")),
    }
}

/// The pending appeal `id` of the server the button was pressed in, for a
/// member who may review it.
async fn pending_for_reviewer(
    data: &Data,
    guild: Option<serenity::GuildId>,
    member: Option<&serenity::Member>,
    id: i64,
) -> Result<(serenity::GuildId, Appeal), Error> {
    let guild = guild.ok_or(Mistake::OnlyInServer)?;
    require_reviewer(data, guild, member).await?;
    let appeal = data
        .store
        .appeal(id)
        .await?
        .filter(|a| a.guild_id == guild.to_string())
        .filter(|a| a.status == crate::store::AppealStatus::Pending)
        .ok_or(Mistake::AppealGone)?;
    Ok((guild, appeal))
}

/// Accepter / Refuser / Passer on a moderator's screen.
pub(super) async fn on_decision_button(
    received: Pressed<'_>,
    action: AppealAction,
) -> Result<(), Error> {
    let (ctx, data, lang, now) = (received.ctx, received.data, received.lang, received.now);
    let interaction = received.interaction;
    let member = interaction.member.as_ref();
    match action {
        AppealAction::Accept(id) => {
            let (guild, appeal) =
                pending_for_reviewer(data, interaction.guild_id, member, id).await?;
            let moderator = interaction.user.id.to_string();
            let (decks, settled, note) =
                accept(data, guild, &appeal, &moderator, lang, now).await?;
            let screen = review_screen(data, guild, id, lang, Some(note)).await?;
            screen
                .update(ctx, interaction.id, &interaction.token)
                .await?;
            for (appeal, points) in settled {
                tell_student(ctx, data, &decks, &appeal, Told::Accepted(points), now).await;
            }
            Ok(())
        }
        AppealAction::Refuse(id) => {
            pending_for_reviewer(data, interaction.guild_id, member, id).await?;
            let input = serenity::CreateInputText::new(
                serenity::InputTextStyle::Short,
                messages::appeal_note_label(lang),
                super::appeal_button::TEXT_INPUT,
            )
            .required(false)
            .max_length(appeal::MAX_REASON_CHARS as u16);
            let modal = serenity::CreateModal::new(
                AppealAction::Note(id).encode(),
                messages::appeal_note_title(lang),
            )
            .components(vec![serenity::CreateActionRow::InputText(input)]);
            let response = serenity::CreateInteractionResponse::Modal(modal);
            interaction.create_response(&ctx.http, response).await?;
            Ok(())
        }
        AppealAction::Skip(id) => {
            let guild = interaction.guild_id.ok_or(Mistake::OnlyInServer)?;
            require_reviewer(data, guild, member).await?;
            let screen = review_screen(data, guild, id, lang, None).await?;
            screen.update(ctx, interaction.id, &interaction.token).await
        }
        _ => Err(Mistake::SessionExpired.into()),
    }
}

/// The refusal form was submitted: refuse, show the next appeal, tell the student.
pub(super) async fn on_refusal(received: Submitted<'_>, id: i64) -> Result<(), Error> {
    let (ctx, data, lang, now) = (received.ctx, received.data, received.lang, received.now);
    let interaction = received.interaction;
    let (guild, _) =
        pending_for_reviewer(data, interaction.guild_id, interaction.member.as_ref(), id).await?;
    let note = super::appeal_button::form_text(interaction);
    let decision = Decision {
        guild_id: &guild.to_string(),
        moderator: &interaction.user.id.to_string(),
        at: now,
    };
    let refused = data
        .store
        .refuse_appeal(id, &decision, note.as_deref())
        .await?
        .ok_or(Mistake::AppealGone)?;
    let note = messages::appeal_refused_note(lang).to_string();
    let screen = review_screen(data, guild, id, lang, Some(note)).await?;
    screen
        .update(ctx, interaction.id, &interaction.token)
        .await?;
    let decks = data
        .server_decks
        .for_guild(&data.store, Some(guild))
        .await?;
    tell_student(ctx, data, &decks, &refused, Told::Refused, now).await;
    Ok(())
}

/// Accepts `appeal`: its answer becomes one the server accepts for the
/// card direction (unless too long to be one), its review is corrected,
/// and every pending appeal the new answer now settles is accepted with
/// it. Returns the server's decks, the appeals accepted with the quiz
/// points each earned, and the note for the moderator.
pub(super) async fn accept(
    data: &Data,
    guild: serenity::GuildId,
    appeal: &Appeal,
    moderator: &str,
    lang: Lang,
    now: Millis,
) -> Result<AcceptOutcome, Error> {
    let guild_key = guild.to_string();
    let decks = data
        .server_decks
        .for_guild(&data.store, Some(guild))
        .await?;
    let key = &appeal.key;
    let card = decks
        .library
        .card(key.deck.as_str(), key.card.as_str())
        .map(|(_, card)| card);
    let has_hint = card.is_some_and(|card| {
        let question = Question {
            key: key.clone(),
            card: card.clone(),
        };
        question.rules().hint_source.is_some()
    });
    let alternative = appeal::alternative(&appeal.typed);
    if let Some(text) = &alternative {
        let folded = appeal::fold(text);
        data.store
            .accept_answer(&guild_key, key, text, &folded, moderator, now)
            .await?;
    }
    let decision = Decision {
        guild_id: &guild_key,
        moderator,
        at: now,
    };
    let accepted = data
        .store
        .accept_appeal(appeal.id, &decision, has_hint)
        .await?
        .ok_or(Mistake::AppealGone)?;
    let mut settled = vec![(accepted.appeal, accepted.points)];
    if let (Some(text), Some(card)) = (&alternative, card) {
        let mut alternatives = decks.alternatives(key).to_vec();
        alternatives.push(text.clone());
        let empty = crate::core::grade::DeckContext::default();
        let context = decks.context(&key.deck).unwrap_or(&empty);
        let pending = data.store.pending_appeals_on(&guild_key, key).await?;
        let others = appeal::newly_accepted(
            card,
            key.direction,
            context,
            &alternatives,
            pending.iter().map(|(id, typed)| (*id, typed.as_str())),
        );
        for other in others {
            if let Some(accepted) = data.store.accept_appeal(other, &decision, has_hint).await? {
                settled.push((accepted.appeal, accepted.points));
            }
        }
    }
    tracing::info!(
        appeal = appeal.id,
        n_settled = settled.len(),
        "appeal accepted"
    );
    let note = messages::appeal_accepted_note(lang, alternative.as_deref(), settled.len() - 1);
    Ok((decks, settled, note))
}

/// What [`accept`] returns.
pub(super) type AcceptOutcome = (
    std::sync::Arc<GuildDecks>,
    Vec<(Appeal, Option<u32>)>,
    String,
);

/// How an appeal was decided, for the student.
pub(super) enum Told {
    Accepted(Option<u32>),
    Refused,
}

/// The text that tells the student of a decision, in their language.
pub(super) fn decision_text(
    lang: Lang,
    decks: &GuildDecks,
    appeal: &Appeal,
    told: &Told,
) -> String {
    let (question, _) = card_texts(decks, &appeal.key);
    match told {
        Told::Accepted(points) => {
            messages::appeal_accepted_dm(lang, &question, &appeal.typed, *points)
        }
        Told::Refused => {
            messages::appeal_refused_dm(lang, &question, &appeal.typed, appeal.note.as_deref())
        }
    }
}

/// Tells the student of a decision in a direct message, then notes it
/// told; when Discord refuses the message (closed DMs), the student hears
/// of it at their next command ([`after_command`]).
pub(super) async fn tell_student(
    ctx: &serenity::Context,
    data: &Data,
    decks: &GuildDecks,
    appeal: &Appeal,
    told: Told,
    now: Millis,
) {
    let lang = match data.store.find_user(&appeal.user_id).await {
        Ok(Some(user)) => user.language,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %error_chain(&e), "appeal decision not told");
            return;
        }
    };
    let Some(user) = crate::discord::parse_id::<serenity::UserId>(&appeal.user_id) else {
        return;
    };
    // Claimed first, so a command of the student's meanwhile does not tell it twice.
    match data.store.claim_appeal_told(appeal.id, now).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!(error = %error_chain(&e), "appeal decision not told");
            return;
        }
    }
    let text = clip(&decision_text(lang, decks, appeal, &told), 2000);
    let message = serenity::CreateMessage::new()
        .content(text)
        .allowed_mentions(no_pings());
    let sent = match user.create_dm_channel(ctx).await {
        Ok(channel) => channel
            .id
            .send_message(&ctx.http, message)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        tracing::info!(error = %error_chain(&e), appeal = appeal.id, "no direct message: told at the next command");
        if let Err(e) = data.store.release_appeal_told(appeal.id, now).await {
            tracing::warn!(error = %error_chain(&e), "an untold decision stays marked told");
        }
    }
}
