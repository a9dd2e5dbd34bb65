//! `/study`: a private review session in Discord.
//!
//! Everything is ephemeral (only the student sees it). A card is shown as an
//! embed with "Répondre" (opens a modal; the typed answer is graded) and "Je
//! ne sais pas". The answer screen replaces the card with the verdict, the
//! student's answer and the expected one, followed by the next card.
//! Definition cards asked forward are recorded when the answer is graded,
//! with the grader's rating, then rated by the student (« Dans quelle
//! mesure le saviez-vous ? » 1–5, as on the course's flashcards): the
//! self-rating amends the stored review, so an answer never rated is still
//! kept. Each review is stored under the key of the card shown
//! ([`answer_key`]), so a second press stores nothing. Progress goes through the same store, session driver and
//! scheduler as the terminal; the buttons carry their state in their custom
//! ids ([`crate::discord::study_id`]), so they survive a bot restart.

use poise::serenity_prelude as serenity;

use super::{Pressed, Screen, Submitted};
use crate::core::answer;
use crate::core::deck::DeckId;
use crate::core::grade::{self, Verdict};
use crate::core::review::{Answered, CardKey, Direction, Origin};
use crate::core::schedule::{Answer, Millis, Scheduler, rating_for};
use crate::core::session::{self, Item, Session};
use crate::discord::messages::{self, Lang, clip};
use crate::discord::server_decks::GuildDecks;
use crate::discord::study_id::{Action, Asked, Graded};
use crate::discord::{Context, Data, Error, Mistake, context_lang, now_ms};
use crate::store::{self, User};

/// Review your due cards privately
#[poise::command(slash_command)]
pub async fn study(
    ctx: Context<'_>,
    #[autocomplete = "super::autocomplete_deck"] deck: Option<String>,
) -> Result<(), Error> {
    let lang = context_lang(ctx).await;
    let data = ctx.data();
    let decks = super::guild_decks(ctx).await?;
    let scope = match deck {
        Some(given) => Some(super::find_in(&decks, &given)?.id.clone()),
        None => None,
    };
    let now = now_ms();
    let user = student(data, ctx.author().id, lang, now).await?;
    // The server's exam date reaches the student through their membership,
    // recorded before every command (`leaderboard::remember_member`).
    let screen =
        next_card_screen(data, &decks, &user, scope.as_ref(), lang, now, Vec::new()).await?;
    screen.send(ctx).await
}

/// A study button was pressed.
pub async fn on_component(
    received: Pressed<'_>,
    decks: &GuildDecks,
    action: Action,
) -> Result<(), Error> {
    let (ctx, data, lang, now) = (received.ctx, received.data, received.lang, received.now);
    let interaction = received.interaction;
    let user = student(data, interaction.user.id, lang, now).await?;
    let asked = action.asked().clone();
    let answered_before = match &action {
        // The graded answer is stored already: only a second rating is late.
        Action::Rate(..) => data.store.has_answer(&user.id, &rated_key(&asked)).await?,
        _ => already_answered(data, &user, &asked).await?,
    };
    if answered_before {
        let screen = answered_screen(data, decks, &user, &asked, lang, now).await?;
        return screen.update(ctx, interaction.id, &interaction.token).await;
    }
    match action {
        Action::Answer(asked) => {
            let (_, card) = card_of(decks, &asked.key)?;
            let style = match card.kind {
                crate::core::deck::CardKind::Term => serenity::InputTextStyle::Short,
                _ => serenity::InputTextStyle::Paragraph,
            };
            let modal = super::answer_modal(Action::Submit(asked).encode(), style, false, lang);
            let response = serenity::CreateInteractionResponse::Modal(modal);
            interaction.create_response(&ctx.http, response).await?;
            Ok(())
        }
        Action::DontKnow(asked) => {
            let outcome = Outcome::DontKnow;
            let screen =
                record_and_continue(data, decks, &user, &asked, outcome, lang, now).await?;
            screen.update(ctx, interaction.id, &interaction.token).await
        }
        Action::Rate(asked, n, graded) => {
            let outcome = Outcome::SelfRated(n, graded);
            let mut screen =
                record_and_continue(data, decks, &user, &asked, outcome, lang, now).await?;
            let in_guild = interaction.guild_id.is_some();
            add_appeal_row(data, &user, &asked, graded, in_guild, lang, &mut screen).await?;
            screen.update(ctx, interaction.id, &interaction.token).await
        }
        Action::Submit(_) => Err(Mistake::SessionExpired.into()),
    }
}

/// The answer modal was submitted.
pub async fn on_modal(
    received: Submitted<'_>,
    decks: &GuildDecks,
    asked: &Asked,
) -> Result<(), Error> {
    let (ctx, data, lang, now) = (received.ctx, received.data, received.lang, received.now);
    let interaction = received.interaction;
    let user = student(data, interaction.user.id, lang, now).await?;
    if already_answered(data, &user, asked).await? {
        let screen = answered_screen(data, decks, &user, asked, lang, now).await?;
        return screen.update(ctx, interaction.id, &interaction.token).await;
    }
    let given = super::modal_text(interaction);
    let given = given.trim();
    let screen = if answer::is_dont_know(given) {
        record_and_continue(data, decks, &user, asked, Outcome::DontKnow, lang, now).await?
    } else {
        let (_, card) = card_of(decks, &asked.key)?;
        let prompt = session::prompt(card, asked.key.direction);
        let direction = asked.key.direction;
        let empty = grade::DeckContext::default();
        let context = decks.context(&asked.key.deck).unwrap_or(&empty);
        let graded_card = decks.graded_card(&asked.key, card);
        let result = grade::grade_card(&graded_card, direction, context, given);
        let notes = messages::feedback_notes(lang, &result);
        let graded = Graded {
            verdict: result.verdict,
            score_pct: (result.score.clamp(0.0, 1.0) * 100.0).round() as u8,
            answer_ms: answer_ms(asked.asked_at, now),
        };
        if prompt.self_rated {
            // Stored now with the grader's rating; a self-rating amends it.
            let now = now.max(asked.asked_at + 1);
            let typed = Outcome::Typed(given.to_string(), graded, None);
            let answered = answered(data, &user, asked, &typed, now).await?;
            data.store
                .record_answer(&user, &answer_key(asked), &answered)
                .await?;
            self_rating_screen(decks, asked, given, graded, notes, lang)?
        } else {
            let outcome = Outcome::Typed(given.to_string(), graded, notes);
            let mut screen =
                record_and_continue(data, decks, &user, asked, outcome, lang, now).await?;
            let in_guild = interaction.guild_id.is_some();
            add_appeal_row(data, &user, asked, graded, in_guild, lang, &mut screen).await?;
            screen
        }
    };
    screen.update(ctx, interaction.id, &interaction.token).await
}

/// « J'avais raison » under a grade that was not accepted, in a server
/// (a self-rated definition gets it once rated: the rating is the
/// student's, the grade is what an appeal contests).
async fn add_appeal_row(
    data: &Data,
    user: &User,
    asked: &Asked,
    graded: Graded,
    in_guild: bool,
    lang: Lang,
    screen: &mut Screen,
) -> Result<(), Error> {
    if !graded.verdict.is_accepted() && in_guild {
        let key = answer_key(asked);
        let row = super::appeals::appeal_row(data, &user.id, &key, lang).await?;
        screen.components.extend(row);
    }
    Ok(())
}

/// How the student answered a card.
enum Outcome {
    DontKnow,
    /// A typed answer, its grade and the grader's remarks.
    Typed(String, Graded, Option<String>),
    SelfRated(u8, Graded),
}

/// The stored student for a Discord user, created on first contact.
pub async fn student(
    data: &Data,
    id: serenity::UserId,
    lang: Lang,
    now: Millis,
) -> Result<User, Error> {
    let defaults = store::NewUser {
        language: lang,
        ..Default::default()
    };
    Ok(data.store.user(&id.to_string(), &defaults, now).await?)
}

fn card_of<'a>(
    decks: &'a GuildDecks,
    key: &CardKey,
) -> Result<(&'a crate::core::deck::Deck, &'a crate::core::deck::Card), Error> {
    decks
        .library
        .card(key.deck.as_str(), key.card.as_str())
        .ok_or_else(|| Mistake::SessionExpired.into())
}

/// Whether the card was reviewed after this button's card was shown (a
/// second press, or a press on an old message). Strictly after: a card
/// that comes straight back is shown in the same millisecond as the review
/// that scheduled it.
async fn already_answered(data: &Data, user: &User, asked: &Asked) -> Result<bool, Error> {
    let state = data.store.card_state(&user.id, &asked.key).await?;
    Ok(state
        .and_then(|s| s.last_review)
        .is_some_and(|at| at > asked.asked_at))
}

fn answer_ms(asked_at: Millis, now: Millis) -> u32 {
    (now - asked_at).clamp(0, i64::from(u32::MAX)) as u32
}

/// The key of the answer to the card `asked` in the review log: one
/// review per card shown, however many presses.
fn answer_key(asked: &Asked) -> String {
    format!(
        "study:{}:{}:{}:{}",
        asked.key.deck,
        asked.key.card,
        asked.key.direction.as_str(),
        asked.asked_at
    )
}

/// The key of the self-rating that amends the answer to `asked`.
fn rated_key(asked: &Asked) -> String {
    format!("{}:rated", answer_key(asked))
}

/// The answer to store for `outcome`, given at `now`.
async fn answered(
    data: &Data,
    user: &User,
    asked: &Asked,
    outcome: &Outcome,
    now: Millis,
) -> Result<Answered, Error> {
    let (answer, verdict, answer_time) = match outcome {
        Outcome::DontKnow => (Answer::DontKnow, None, answer_ms(asked.asked_at, now)),
        Outcome::Typed(_, g, _) => {
            let typical_ms = data.store.typical_answer_ms(&user.id).await?;
            let answer = Answer::Graded {
                verdict: g.verdict,
                score: f32::from(g.score_pct) / 100.0,
                answer_ms: g.answer_ms,
                typical_ms,
            };
            (answer, Some(*g), g.answer_ms)
        }
        Outcome::SelfRated(n, g) => (Answer::SelfRated(*n), Some(*g), g.answer_ms),
    };
    Ok(Answered {
        key: asked.key.clone(),
        at: now,
        answer,
        verdict: verdict.map(|g| (g.verdict, f32::from(g.score_pct) / 100.0)),
        answer_ms: answer_time,
        origin: Origin::Study,
        typed: match outcome {
            Outcome::Typed(given, ..) => Some(given.clone()),
            Outcome::DontKnow | Outcome::SelfRated(..) => None,
        },
    })
}

/// Records the answer (state + log row, committed; a self-rating amends
/// the graded answer stored before it), then shows the result and the
/// next card.
async fn record_and_continue(
    data: &Data,
    decks: &GuildDecks,
    user: &User,
    asked: &Asked,
    outcome: Outcome,
    lang: Lang,
    now: Millis,
) -> Result<Screen, Error> {
    // A review is always later than the showing of its card, so that
    // `already_answered` recognises a second press even within one millisecond.
    let now = now.max(asked.asked_at + 1);
    let (deck, card) = card_of(decks, &asked.key)?;
    let prompt = session::prompt(card, asked.key.direction);
    let answered = answered(data, user, asked, &outcome, now).await?;
    let amended = match &outcome {
        Outcome::SelfRated(n, _) => {
            let rating = rating_for(Answer::SelfRated(*n));
            data.store
                .amend_answer(user, &answer_key(asked), &rated_key(asked), rating)
                .await?
        }
        _ => None,
    };
    // A self-rating without a stored answer (a button from before answers
    // were stored when graded) is recorded as the answer.
    let review = match amended {
        Some(review) => review,
        None => {
            data.store
                .record_answer(user, &answer_key(asked), &answered)
                .await?
        }
    };
    let (given, verdict) = match &outcome {
        Outcome::DontKnow => (None, None),
        Outcome::Typed(given, g, _) => (Some(given.as_str()), Some(*g)),
        Outcome::SelfRated(_, g) => (None, Some(*g)),
    };
    tracing::debug!(deck = %deck.id, card = %card.id, rating = review.rating.number(), "study review recorded");

    let notes = match &outcome {
        Outcome::Typed(_, _, notes) => notes.as_deref(),
        _ => None,
    };
    let verdict = verdict.map(|g| g.verdict);
    let result = verdict_embed(lang, verdict, given, notes, prompt.expected)
        .colour(colour(verdict))
        .description(clip(prompt.shown, 1000))
        .footer(serenity::CreateEmbedFooter::new(messages::next_review(
            lang,
            review.interval_days,
        )));
    let scope = asked.deck_only.then_some(&asked.key.deck);
    next_card_screen(data, decks, user, scope, lang, now, vec![result]).await
}

/// The verdict on an answer (`None`: "I don't know"), what was typed, the
/// grader's remarks and the expected answer: the result of a `/study` card
/// and of the daily question.
pub(super) fn verdict_embed(
    lang: Lang,
    verdict: Option<Verdict>,
    given: Option<&str>,
    notes: Option<&str>,
    expected: &str,
) -> serenity::CreateEmbed {
    let title = match verdict {
        Some(v) => messages::verdict(lang, v),
        None => messages::dont_know_verdict(lang),
    };
    let mut embed = serenity::CreateEmbed::new().title(title);
    if let Some(given) = given {
        embed = embed.field(
            messages::your_answer(lang),
            messages::echo(given, messages::MAX_ECHO),
            false,
        );
    }
    if let Some(notes) = notes {
        embed = embed.field(messages::notes_label(lang), clip(notes, 1024), false);
    }
    embed.field(messages::expected_answer(lang), clip(expected, 1024), false)
}

/// The graded answer of a definition, with the 1–5 self-rating buttons.
fn self_rating_screen(
    decks: &GuildDecks,
    asked: &Asked,
    given: &str,
    graded: Graded,
    notes: Option<String>,
    lang: Lang,
) -> Result<Screen, Error> {
    let (_, card) = card_of(decks, &asked.key)?;
    let prompt = session::prompt(card, asked.key.direction);
    let verdict = Some(graded.verdict);
    let embed = verdict_embed(
        lang,
        verdict,
        Some(given),
        notes.as_deref(),
        prompt.expected,
    )
    .colour(colour(verdict))
    .description(clip(prompt.shown, 1000))
    .field(
        messages::self_rating_question(lang),
        messages::self_rating_scale(lang),
        false,
    );
    let buttons = (1..=5u8)
        .map(|n| {
            serenity::CreateButton::new(Action::Rate(asked.clone(), n, graded).encode())
                .label(messages::self_rating_label(lang, n))
                .style(if n <= 2 {
                    serenity::ButtonStyle::Secondary
                } else {
                    serenity::ButtonStyle::Primary
                })
        })
        .collect();
    Ok(Screen {
        embeds: vec![embed],
        components: vec![serenity::CreateActionRow::Buttons(buttons)],
    })
}

/// "Already answered", then the next card.
async fn answered_screen(
    data: &Data,
    decks: &GuildDecks,
    user: &User,
    asked: &Asked,
    lang: Lang,
    now: Millis,
) -> Result<Screen, Error> {
    let note = serenity::CreateEmbed::new().description(messages::already_answered(lang));
    let scope = asked.deck_only.then_some(&asked.key.deck);
    next_card_screen(data, decks, user, scope, lang, now, vec![note]).await
}

/// The next card to study (of `scope` if given) after the `before` embeds,
/// or a "nothing due" note.
async fn next_card_screen(
    data: &Data,
    decks: &GuildDecks,
    user: &User,
    scope: Option<&DeckId>,
    lang: Lang,
    now: Millis,
    mut embeds: Vec<serenity::CreateEmbed>,
) -> Result<Screen, Error> {
    let items = session::items(&decks.library, scope);
    // Cards missed in a group quiz and not reviewed since come first.
    let misses = data.store.quiz_misses(&user.id).await?;
    let quiz_miss = misses
        .iter()
        .find_map(|key| items.iter().find(|i| &i.key == key))
        .cloned();
    let states = data.store.card_states(&user.id, scope).await?;
    let new_today = data.store.new_cards_today(user, now).await?;
    let exam_at = upcoming_exam_at(data, user, now).await?;
    // New cards per day as the student chose in /settings.
    let limits = data.store.settings(&user.id).await?.limits();
    let session = Session::new(
        items,
        states,
        u32::try_from(new_today).unwrap_or(u32::MAX),
        limits,
    );
    // A quiz miss is asked like a learning card (the exam's "weakest due
    // review first" does not override it).
    let next = match quiz_miss.as_ref() {
        Some(item) => Some((item, session::Reason::Learning)),
        None => session.next(now),
    };
    let Some((item, reason)) = next else {
        let text = messages::nothing_due(lang, session.next_due().filter(|&due| due > now));
        embeds.push(serenity::CreateEmbed::new().description(text));
        return Ok(Screen {
            embeds,
            components: Vec::new(),
        });
    };
    let item = match (reason, exam_at) {
        (session::Reason::Review, Some(exam_at)) => {
            weakest_due(&session, user, now, exam_at).unwrap_or(item)
        }
        _ => item,
    };
    // The card shown counts even when it is a learning card asked early.
    let n_left = (session.n_due(now) + session.n_new_available()).max(1);
    let asked = Asked {
        key: item.key.clone(),
        deck_only: scope.is_some(),
        asked_at: now,
    };
    embeds.push(card_embed(decks, item, n_left, lang));
    let buttons = vec![
        serenity::CreateButton::new(Action::Answer(asked.clone()).encode())
            .label(messages::answer_button(lang))
            .style(serenity::ButtonStyle::Primary),
        serenity::CreateButton::new(Action::DontKnow(asked).encode())
            .label(messages::dont_know_button(lang))
            .style(serenity::ButtonStyle::Secondary),
    ];
    Ok(Screen {
        embeds,
        components: vec![serenity::CreateActionRow::Buttons(buttons)],
    })
}

/// When the student's nearest upcoming exam happens (any server they use
/// the bot in), if one is set: due cards are then asked by exam-day recall.
async fn upcoming_exam_at(data: &Data, user: &User, now: Millis) -> Result<Option<Millis>, Error> {
    let today = crate::core::daily::local_date(now, user.time_zone);
    let exam = data.store.upcoming_exam(&user.id, today).await?;
    Ok(exam
        .map(|e| crate::core::exam::exam_instant(e.date, e.time_zone))
        .filter(|&at| at > now))
}

/// Before an exam: the due review card with the lowest predicted recall on
/// exam day (instead of the earliest due).
fn weakest_due<'a>(
    session: &'a Session,
    user: &User,
    now: Millis,
    exam_at: Millis,
) -> Option<&'a Item> {
    let scheduler = Scheduler::new(user.scheduler_config());
    let due = session.items().iter().filter_map(|i| {
        session
            .state(&i.key)
            .filter(|s| s.phase == crate::core::schedule::Phase::Review && s.due <= now)
            .map(|s| (i, s))
    });
    crate::core::exam::weakest_on_exam_day(&scheduler, due, exam_at)
}

fn card_embed(decks: &GuildDecks, item: &Item, n_left: usize, lang: Lang) -> serenity::CreateEmbed {
    let prompt = session::prompt(&item.card, item.key.direction);
    let deck_title = decks
        .library
        .deck(item.key.deck.as_str())
        .map_or(item.key.deck.as_str(), |d| d.title.as_str());
    let shown = match item.key.direction {
        Direction::Forward => clip(prompt.shown, 4000),
        Direction::Backward => format!(
            "*{}*\n\n{}",
            messages::reverse_hint(lang),
            clip(prompt.shown, 3900)
        ),
    };
    serenity::CreateEmbed::new()
        .title(clip(deck_title, 256))
        .description(shown)
        .colour(serenity::Colour::BLURPLE)
        .footer(serenity::CreateEmbedFooter::new(messages::card_footer(
            lang,
            decks.shown_id(&item.key.deck),
            n_left,
        )))
}

fn colour(verdict: Option<Verdict>) -> serenity::Colour {
    match verdict {
        Some(Verdict::Correct) => serenity::Colour::DARK_GREEN,
        Some(Verdict::Close) => serenity::Colour::GOLD,
        Some(Verdict::Partial) => serenity::Colour::ORANGE,
        Some(Verdict::Wrong) | None => serenity::Colour::RED,
    }
}
