//! What the bot says about its own permissions: the ones it lacks before
//! a quiz or a daily question, and a daily post Discord refused. Names
//! are Discord's own (its French interface's in French).

use poise::serenity_prelude::Permissions as P;

use super::Lang;
use crate::discord::permission::ORDER;
use crate::store::{DailyFailure, PostFailure};

/// A permission's name as Discord's settings show it.
pub fn permission_name(lang: Lang, permission: P) -> &'static str {
    let (fr, en) = match permission {
        p if p == P::VIEW_CHANNEL => ("Voir les salons", "View Channels"),
        p if p == P::SEND_MESSAGES => ("Envoyer des messages", "Send Messages"),
        p if p == P::SEND_MESSAGES_IN_THREADS => (
            "Envoyer des messages dans les fils",
            "Send Messages in Threads",
        ),
        p if p == P::EMBED_LINKS => ("Intégrer des liens", "Embed Links"),
        p if p == P::READ_MESSAGE_HISTORY => ("Voir les anciens messages", "Read Message History"),
        p if p == P::ADD_REACTIONS => ("Ajouter des réactions", "Add Reactions"),
        _ => ("(autre permission)", "(other permission)"),
    };
    lang.pick(fr, en)
}

/// « A », « B » et « C » (French) or "A", "B" and "C".
fn names(lang: Lang, missing: P) -> String {
    let quoted: Vec<String> = ORDER
        .iter()
        .filter(|p| missing.contains(**p))
        .map(|p| match lang {
            Lang::Fr => format!("« {} »", permission_name(lang, *p)),
            Lang::En => format!("\"{}\"", permission_name(lang, *p)),
        })
        .collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), lang.pick("et", "and")),
    }
}

/// The permission(s) phrase: « la permission « A » » / « les permissions … ».
fn missing_phrase(lang: Lang, missing: P) -> String {
    let plural = ORDER.iter().filter(|p| missing.contains(**p)).count() > 1;
    let names = names(lang, missing);
    match (lang, plural) {
        (Lang::Fr, false) => format!("la permission {names}"),
        (Lang::Fr, true) => format!("les permissions {names}"),
        (Lang::En, false) => format!("the {names} permission"),
        (Lang::En, true) => format!("the {names} permissions"),
    }
}

/// `/quiz start` or `/daily set` in a channel where the bot lacks `missing`.
pub fn bot_missing(lang: Lang, channel: u64, missing: P) -> String {
    let what = missing_phrase(lang, missing);
    lang.pick(
        format!(
            "Je ne peux pas le faire dans <#{channel}> : il me manque {what}. \
             Un administrateur peut me l'accorder (paramètres du salon → Permissions, \
             ou mon rôle), puis relancez la commande. Rien n'a été lancé ni enregistré."
        ),
        format!(
            "I can't do that in <#{channel}>: I'm missing {what}. \
             An admin can grant it (channel settings → Permissions, or my role); \
             then run the command again. Nothing was started or saved."
        ),
    )
}

/// The line `/daily show` adds under a channel whose last post failed,
/// and what its admin is told.
pub fn daily_failure(lang: Lang, failure: &DailyFailure) -> String {
    let at = failure.at / 1000;
    let why = match failure.failure {
        PostFailure::Missing(0) => lang
            .pick(
                "Discord a refusé (permission manquante)",
                "Discord refused it (missing permission)",
            )
            .to_string(),
        PostFailure::Missing(bits) => {
            let missing = P::from_bits_truncate(bits);
            lang.pick(
                format!("permission manquante : {}", names(lang, missing)),
                format!("missing permission: {}", names(lang, missing)),
            )
        }
        PostFailure::Gone => lang
            .pick(
                "le salon n'existe plus ou je ne le vois plus",
                "the channel is gone or I can no longer see it",
            )
            .to_string(),
        PostFailure::Transient(0) => lang
            .pick("Discord n'a pas répondu", "Discord did not answer")
            .to_string(),
        PostFailure::Transient(status) => lang.pick(
            format!("Discord a répondu par une erreur {status}"),
            format!("Discord answered with error {status}"),
        ),
    };
    let then = match failure.paused {
        true => lang.pick(
            "Question du jour en pause : corrigez puis relancez /daily set.",
            "Daily question paused: fix it, then run /daily set again.",
        ),
        false => lang.pick(
            "Nouvel essai dans la journée.",
            "It will be tried again today.",
        ),
    };
    lang.pick(
        format!("⚠️ Dernière publication échouée (<t:{at}:f>) : {why}. {then}"),
        format!("⚠️ Last post failed (<t:{at}:f>): {why}. {then}"),
    )
}

/// What the admin who set a daily question up is told, once, of its
/// failed post.
pub fn daily_failure_notice(lang: Lang, failure: &DailyFailure) -> String {
    let channel = &failure.channel_id;
    lang.pick(
        format!(
            "Question du jour dans <#{channel}> : {}",
            daily_failure(lang, failure)
        ),
        format!(
            "Daily question in <#{channel}>: {}",
            daily_failure(lang, failure)
        ),
    )
}
