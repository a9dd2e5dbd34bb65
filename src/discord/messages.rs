//! Every word the bot says to people, in French and in English.
//!
//! User-facing text lives here and nowhere else, so a translator (or a
//! reviewer checking the French) reads one file. Handlers pick a [`Lang`]
//! from the interaction's locale and call these functions; command names and
//! descriptions for the slash-command registration come from here too.

use crate::core::grade::{Grade, Verdict};

/// The language of a reply: French when Discord says the user's client is
/// French, English otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// `fr`, `fr-FR`, `fr-CA`… are French; every other locale gets English.
    pub fn from_locale(locale: &str) -> Self {
        if locale == "fr" || locale.starts_with("fr-") {
            Self::Fr
        } else {
            Self::En
        }
    }

    fn pick(self, fr: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Fr => fr,
            Self::En => en,
        }
    }
}

/// How a slash command is presented in Discord's command picker: English base
/// name and description, French name and description, and the same for each
/// parameter.
pub struct CommandText {
    pub name: &'static str,
    pub description: &'static str,
    pub fr_name: &'static str,
    pub fr_description: &'static str,
    pub params: &'static [ParamText],
}

pub struct ParamText {
    pub name: &'static str,
    pub description: &'static str,
    pub fr_name: &'static str,
    pub fr_description: &'static str,
}

const DECK_PARAM: ParamText = ParamText {
    name: "deck",
    description: "Deck to use (all decks when empty)",
    fr_name: "paquet",
    fr_description: "Paquet à utiliser (tous les paquets si vide)",
};

/// The registration text of every command the bot may register.
pub const COMMANDS: &[CommandText] = &[
    CommandText {
        name: "study",
        description: "Review your due cards privately",
        fr_name: "réviser",
        fr_description: "Réviser en privé les cartes à revoir",
        params: &[DECK_PARAM],
    },
    CommandText {
        name: "decks",
        description: "List the decks and your progress",
        fr_name: "paquets",
        fr_description: "Lister les paquets et votre progression",
        params: &[],
    },
    CommandText {
        name: "stats",
        description: "Your own review statistics",
        fr_name: "statistiques",
        fr_description: "Vos statistiques de révision",
        params: &[],
    },
];

/// The registration text of the command named `name` (English base name).
pub fn command_text(name: &str) -> Option<&'static CommandText> {
    COMMANDS.iter().find(|c| c.name == name)
}

// ---------------------------------------------------------------- errors

pub fn unknown_deck(lang: Lang, given: &str, known: &[&str]) -> String {
    let known = known.join(", ");
    match lang {
        Lang::Fr => format!("Je ne connais pas le paquet « {given} ». Paquets : {known}."),
        Lang::En => format!("I don't know the deck \"{given}\". Decks: {known}."),
    }
}

pub fn session_expired(lang: Lang) -> &'static str {
    lang.pick(
        "Cette séance de révision a expiré. Relancez /réviser pour continuer.",
        "This study session has expired. Run /study again to continue.",
    )
}

pub fn already_answered(lang: Lang) -> &'static str {
    lang.pick(
        "Vous avez déjà répondu à cette carte.",
        "You have already answered this card.",
    )
}

pub fn internal_error(lang: Lang) -> &'static str {
    lang.pick(
        "Oups, quelque chose s'est mal passé de mon côté. Réessayez dans un instant.",
        "Oops, something went wrong on my side. Please try again in a moment.",
    )
}

pub fn bad_arguments(lang: Lang) -> &'static str {
    lang.pick(
        "Je n'ai pas compris les options de cette commande.",
        "I could not understand this command's options.",
    )
}

// ---------------------------------------------------------------- /decks

pub fn decks_title(lang: Lang) -> &'static str {
    lang.pick("Paquets", "Decks")
}

/// One line of `/decks`: title, id, card count, and how many of the deck's
/// questions (a reversible card is asked both ways) this user has seen.
pub fn deck_line(
    lang: Lang,
    title: &str,
    id: &str,
    n_cards: usize,
    seen: u64,
    total: u64,
) -> String {
    match lang {
        Lang::Fr => {
            format!("**{title}** (`{id}`) : {n_cards} cartes, {seen}/{total} questions vues")
        }
        Lang::En => format!("**{title}** (`{id}`): {n_cards} cards, {seen}/{total} questions seen"),
    }
}

pub fn decks_total(lang: Lang, n_decks: usize, n_cards: usize) -> String {
    match lang {
        Lang::Fr => format!("{n_decks} paquets, {n_cards} cartes au total"),
        Lang::En => format!("{n_decks} decks, {n_cards} cards in all"),
    }
}

// ---------------------------------------------------------------- /study

pub fn answer_button(lang: Lang) -> &'static str {
    lang.pick("Répondre", "Answer")
}

pub fn dont_know_button(lang: Lang) -> &'static str {
    lang.pick("Je ne sais pas", "I don't know")
}

pub fn answer_modal_title(lang: Lang) -> &'static str {
    lang.pick("Votre réponse", "Your answer")
}

pub fn answer_input_label(lang: Lang) -> &'static str {
    lang.pick("Réponse", "Answer")
}

pub fn reverse_hint(lang: Lang) -> &'static str {
    lang.pick(
        "Quel terme correspond à cette définition ?",
        "Which term matches this definition?",
    )
}

/// The footer of a study card: its deck and how many cards are left today.
pub fn card_footer(lang: Lang, deck: &str, n_left: usize) -> String {
    match lang {
        Lang::Fr => format!("Paquet : {deck} · {n_left} carte(s) à revoir"),
        Lang::En => format!("Deck: {deck} · {n_left} card(s) to go"),
    }
}

/// The end of a session; `next_due_ms` is when the next card comes due, shown
/// with Discord's relative timestamp (`<t:…:R>`, rendered in the reader's
/// language and time zone).
pub fn nothing_due(lang: Lang, next_due_ms: Option<i64>) -> String {
    let done = lang.pick(
        "Rien à revoir pour le moment. Bravo !",
        "Nothing to review right now. Well done!",
    );
    match next_due_ms {
        Some(ms) => {
            let at = ms.div_euclid(1000);
            match lang {
                Lang::Fr => format!("{done} Prochaine carte <t:{at}:R>."),
                Lang::En => format!("{done} Next card <t:{at}:R>."),
            }
        }
        None => done.to_string(),
    }
}

pub fn verdict(lang: Lang, verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Correct => lang.pick("✅ Correct", "✅ Correct"),
        Verdict::Close => lang.pick("🟡 Presque (petite faute)", "🟡 Close (small mistake)"),
        Verdict::Partial => lang.pick("🟠 En partie", "🟠 Partly right"),
        Verdict::Wrong => lang.pick("❌ Faux", "❌ Wrong"),
    }
}

pub fn dont_know_verdict(lang: Lang) -> &'static str {
    lang.pick("❔ Pas de réponse", "❔ No answer")
}

pub fn your_answer(lang: Lang) -> &'static str {
    lang.pick("Votre réponse", "Your answer")
}

pub fn expected_answer(lang: Lang) -> &'static str {
    lang.pick("Réponse attendue", "Expected answer")
}

pub fn next_review(lang: Lang, interval_days: u32) -> String {
    match (lang, interval_days) {
        (Lang::Fr, 0) => "Cette carte reviendra aujourd'hui.".to_string(),
        (Lang::Fr, 1) => "Prochaine révision dans 1 jour.".to_string(),
        (Lang::Fr, n) => format!("Prochaine révision dans {n} jours."),
        (Lang::En, 0) => "This card comes back today.".to_string(),
        (Lang::En, 1) => "Next review in 1 day.".to_string(),
        (Lang::En, n) => format!("Next review in {n} days."),
    }
}

pub fn self_rating_question(lang: Lang) -> &'static str {
    lang.pick(
        "Dans quelle mesure le saviez-vous ?",
        "How well did you know it?",
    )
}

/// The label of self-rating button `n` (1 to 5), as on the course's flashcards.
pub fn self_rating_label(lang: Lang, n: u8) -> String {
    let word = match (lang, n) {
        (Lang::Fr, 1) => "Pas du tout",
        (Lang::Fr, 2) => "Un peu",
        (Lang::Fr, 3) => "À moitié",
        (Lang::Fr, 4) => "Bien",
        (Lang::Fr, _) => "Parfaitement",
        (Lang::En, 1) => "Not at all",
        (Lang::En, 2) => "A little",
        (Lang::En, 3) => "Half",
        (Lang::En, 4) => "Well",
        (Lang::En, _) => "Perfectly",
    };
    format!("{n} · {word}")
}

pub fn self_rating_scale(lang: Lang) -> &'static str {
    lang.pick(
        "1 = Pas du tout … 5 = Parfaitement",
        "1 = Not at all … 5 = Perfectly",
    )
}

pub fn notes_label(lang: Lang) -> &'static str {
    lang.pick("Remarques", "Notes")
}

fn quoted(items: &[String], lang: Lang) -> String {
    items
        .iter()
        .map(|s| match lang {
            Lang::Fr => format!("« {s} »"),
            Lang::En => format!("\"{s}\""),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The grader's remarks on an answer (spelling fixes, hedging, what was
/// found, missing or extra), one per line; `None` when there is nothing to
/// add to the verdict and the expected answer.
pub fn feedback_notes(lang: Lang, grade: &Grade) -> Option<String> {
    let f = &grade.feedback;
    let mut lines = Vec::new();
    for c in &f.corrections {
        lines.push(match lang {
            Lang::Fr => format!("« {} » s'écrit « {} ».", c.given, c.expected),
            Lang::En => format!("\"{}\" is spelt \"{}\".", c.given, c.expected),
        });
    }
    if f.hedge {
        lines.push(
            lang.pick(
                "Une seule réponse : hésiter entre plusieurs ne compte pas.",
                "One answer only: hedging between several does not count.",
            )
            .to_string(),
        );
    }
    if grade.verdict == Verdict::Partial && !f.found.is_empty() {
        let label = lang.pick("Trouvé :", "Found:");
        lines.push(format!("{label} {}", quoted(&f.found, lang)));
    }
    if grade.verdict != Verdict::Correct && !f.missing.is_empty() {
        let label = lang.pick("Manque :", "Missing:");
        lines.push(format!("{label} {}", quoted(&f.missing, lang)));
    }
    if grade.verdict != Verdict::Correct && !f.extra.is_empty() {
        let label = lang.pick("En trop :", "Not expected:");
        lines.push(format!("{label} {}", quoted(&f.extra, lang)));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

// ---------------------------------------------------------------- /stats

pub fn stats_title(lang: Lang) -> &'static str {
    lang.pick("Vos statistiques", "Your statistics")
}

pub struct StatsText {
    pub learned: u64,
    pub due_today: u64,
    /// Share of right reviews over the last 30 days, `None` without reviews.
    pub retention: Option<f64>,
    pub streak_days: u64,
}

pub fn stats_lines(lang: Lang, s: &StatsText) -> Vec<(&'static str, String)> {
    let retention = match s.retention {
        Some(r) => format!("{:.0} %", r * 100.0),
        None => lang
            .pick("pas encore de révisions", "no reviews yet")
            .to_string(),
    };
    let streak = match (lang, s.streak_days) {
        (Lang::Fr, n) if n <= 1 => format!("{n} jour"),
        (Lang::Fr, n) => format!("{n} jours"),
        (Lang::En, 1) => "1 day".to_string(),
        (Lang::En, n) => format!("{n} days"),
    };
    vec![
        (
            lang.pick("Cartes apprises", "Cards learned"),
            s.learned.to_string(),
        ),
        (
            lang.pick("À revoir aujourd'hui", "Due today"),
            s.due_today.to_string(),
        ),
        (
            lang.pick("Rétention (30 jours)", "Retention (30 days)"),
            retention,
        ),
        (lang.pick("Série", "Streak"), streak),
    ]
}
