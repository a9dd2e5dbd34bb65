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

// ---- quiz (issue 6): registration text of /quiz and /answer ----
const QUIZ_COMMANDS: &[CommandText] = &[
    CommandText {
        name: "quiz",
        description: "Group quiz competitions in this channel",
        fr_name: "quiz",
        fr_description: "Quiz en groupe dans ce salon",
        params: &[],
    },
    CommandText {
        name: "quiz start",
        description: "Start a quiz in this channel",
        fr_name: "lancer",
        fr_description: "Lancer un quiz dans ce salon",
        params: &[
            ParamText {
                name: "deck",
                description: "Deck to ask",
                fr_name: "paquet",
                fr_description: "Paquet à interroger",
            },
            ParamText {
                name: "questions",
                description: "Number of questions (1–50, default 10)",
                fr_name: "questions",
                fr_description: "Nombre de questions (1 à 50, 10 par défaut)",
            },
            ParamText {
                name: "seconds",
                description: "Seconds per question (5–120, default 20)",
                fr_name: "secondes",
                fr_description: "Secondes par question (5 à 120, 20 par défaut)",
            },
            ParamText {
                name: "mode",
                description: "term (default): what is typed fast; mixed: definitions too",
                fr_name: "mode",
                fr_description: "term (par défaut) : ce qui se tape vite ; mixed : aussi les définitions",
            },
        ],
    },
    CommandText {
        name: "quiz stop",
        description: "Stop the quiz of this channel (its starter or Manage Server)",
        fr_name: "arrêter",
        fr_description: "Arrêter le quiz du salon (son lanceur ou « Gérer le serveur »)",
        params: &[],
    },
    CommandText {
        name: "answer",
        description: "Answer the quiz question",
        fr_name: "répondre",
        fr_description: "Répondre à la question du quiz",
        params: &[ParamText {
            name: "text",
            description: "Your answer",
            fr_name: "texte",
            fr_description: "Votre réponse",
        }],
    },
];

/// The registration text of the command named `name` (English base name).
pub fn command_text(name: &str) -> Option<&'static CommandText> {
    COMMANDS
        .iter()
        .chain(QUIZ_COMMANDS)
        .find(|c| c.name == name)
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

// ---------------------------------------------------------------- /quiz

/// The public reply to `/quiz start`.
pub fn quiz_started(
    lang: Lang,
    starter: u64,
    n_questions: usize,
    deck: &str,
    seconds: u32,
) -> String {
    match lang {
        Lang::Fr => format!(
            "🎯 <@{starter}> lance un quiz : {n_questions} question(s) sur « {deck} », {seconds} s par question. \
             Répondez directement dans le salon ou avec `/répondre`."
        ),
        Lang::En => format!(
            "🎯 <@{starter}> started a quiz: {n_questions} question(s) on “{deck}”, {seconds} s per question. \
             Answer right here in the channel or with `/answer`."
        ),
    }
}

pub fn quiz_already_running(lang: Lang) -> &'static str {
    lang.pick(
        "Un quiz est déjà en cours dans ce salon. Attendez la fin (ou `/quiz arrêter`).",
        "A quiz is already running in this channel. Wait for its end (or `/quiz stop`).",
    )
}

pub fn quiz_none_running(lang: Lang) -> &'static str {
    lang.pick(
        "Aucun quiz en cours dans ce salon. Lancez-en un avec `/quiz lancer`.",
        "No quiz is running in this channel. Start one with `/quiz start`.",
    )
}

pub fn quiz_stop_refused(lang: Lang) -> &'static str {
    lang.pick(
        "Seule la personne qui a lancé le quiz, ou un membre avec la permission « Gérer le serveur », peut l’arrêter.",
        "Only the member who started the quiz, or a member with the Manage Server permission, can stop it.",
    )
}

pub fn quiz_stopped(lang: Lang, by: u64) -> String {
    match lang {
        Lang::Fr => format!("⏹️ Quiz arrêté par <@{by}>."),
        Lang::En => format!("⏹️ Quiz stopped by <@{by}>."),
    }
}

pub fn quiz_no_questions(lang: Lang, deck: &str) -> String {
    match lang {
        Lang::Fr => {
            format!("Le paquet « {deck} » n’a pas de question pour ce mode. Essayez `mode: mixed`.")
        }
        Lang::En => format!("Deck “{deck}” has no question for this mode. Try `mode: mixed`."),
    }
}

pub fn quiz_bad_mode(lang: Lang, given: &str) -> String {
    let given: String = given.chars().take(40).collect();
    match lang {
        Lang::Fr => format!("Mode inconnu « {given} » : choisissez `term` ou `mixed`."),
        Lang::En => format!("Unknown mode “{given}”: choose `term` or `mixed`."),
    }
}

pub fn quiz_question_title(lang: Lang, number: usize, total: usize, deck: &str) -> String {
    match lang {
        Lang::Fr => format!("Question {number}/{total} — {deck}"),
        Lang::En => format!("Question {number}/{total} — {deck}"),
    }
}

/// The countdown of a question, as a Discord relative timestamp.
pub fn quiz_countdown(lang: Lang, deadline_unix: i64) -> String {
    match lang {
        Lang::Fr => format!("⏱️ Fin <t:{deadline_unix}:R>"),
        Lang::En => format!("⏱️ Ends <t:{deadline_unix}:R>"),
    }
}

pub fn quiz_how_to_answer(lang: Lang) -> &'static str {
    lang.pick(
        "Répondez dans le salon ou avec /répondre. Le plus rapide gagne le plus de points.",
        "Answer in the channel or with /answer. The fastest earns the most points.",
    )
}

pub fn quiz_hint(lang: Lang, hint: &str) -> String {
    match lang {
        Lang::Fr => format!("💡 Indice : `{hint}`"),
        Lang::En => format!("💡 Hint: `{hint}`"),
    }
}

pub fn quiz_expected(lang: Lang, expected: &str) -> String {
    match lang {
        Lang::Fr => format!("Réponse : **{expected}**"),
        Lang::En => format!("Answer: **{expected}**"),
    }
}

pub fn quiz_nobody(lang: Lang) -> &'static str {
    lang.pick("Personne n’a trouvé.", "Nobody got it.")
}

/// One scorer of a question; the winner's (already truncated) answer is quoted.
pub fn quiz_scorer_line(
    lang: Lang,
    player: u64,
    points: u32,
    first: bool,
    given: Option<&str>,
) -> String {
    let medal = if first { "🏆" } else { "➕" };
    match (lang, given) {
        (Lang::Fr, Some(given)) => format!("{medal} <@{player}> +{points} pts — « {given} »"),
        (Lang::En, Some(given)) => format!("{medal} <@{player}> +{points} pts — “{given}”"),
        (_, None) => format!("{medal} <@{player}> +{points} pts"),
    }
}

pub fn quiz_podium_title(lang: Lang, stopped: bool) -> &'static str {
    match stopped {
        false => lang.pick("🏁 Fin du quiz : le podium", "🏁 Quiz over: the podium"),
        true => lang.pick(
            "⏹️ Quiz arrêté : le classement",
            "⏹️ Quiz stopped: the standings",
        ),
    }
}

/// The standings, best first: (player, points, right answers).
pub fn quiz_podium(lang: Lang, rows: &[(u64, u64, u64)]) -> String {
    if rows.is_empty() {
        return lang
            .pick("Personne n’a répondu.", "Nobody answered.")
            .to_string();
    }
    rows.iter()
        .take(20)
        .enumerate()
        .map(|(i, (player, points, n_right))| {
            let place = match i {
                0 => "🥇".to_string(),
                1 => "🥈".to_string(),
                2 => "🥉".to_string(),
                n => format!("{}.", n + 1),
            };
            match lang {
                Lang::Fr => {
                    format!("{place} <@{player}> — {points} pts ({n_right} bonne(s) réponse(s))")
                }
                Lang::En => {
                    format!("{place} <@{player}> — {points} pts ({n_right} right answer(s))")
                }
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn quiz_missed_title(lang: Lang) -> &'static str {
    lang.pick(
        "**Questions que personne n’a trouvées :**",
        "**Questions nobody got:**",
    )
}

pub fn quiz_review_offer(lang: Lang) -> &'static str {
    lang.pick(
        "📚 Chacun peut revoir ses erreurs en privé avec `/réviser` : les cartes manquées reviennent en premier.",
        "📚 Review your misses privately with `/study`: the cards you missed come first.",
    )
}

pub fn quiz_interrupted(lang: Lang) -> &'static str {
    lang.pick(
        "Le bot a redémarré pendant le quiz : il est clos avec les points déjà gagnés.",
        "The bot restarted during the quiz: it is closed with the points already earned.",
    )
}

/// The private acknowledgement of `/answer`.
pub fn quiz_ack_scored(lang: Lang, points: u32, right: bool) -> String {
    match (lang, right) {
        (Lang::Fr, true) => format!("✅ Bonne réponse : +{points} pts."),
        (Lang::Fr, false) => format!("🟡 En partie juste : +{points} pts."),
        (Lang::En, true) => format!("✅ Right: +{points} pts."),
        (Lang::En, false) => format!("🟡 Partly right: +{points} pts."),
    }
}

pub fn quiz_ack_wrong(lang: Lang) -> &'static str {
    lang.pick("❌ Ce n’est pas ça.", "❌ Not that.")
}

pub fn quiz_ack_not_open(lang: Lang) -> &'static str {
    lang.pick(
        "Aucune question n’est ouverte en ce moment.",
        "No question is open right now.",
    )
}

pub fn quiz_ack_ignored(lang: Lang) -> &'static str {
    lang.pick(
        "Réponse non prise en compte (déjà trouvée, ou plus d’essais).",
        "Answer not counted (already found, or no attempts left).",
    )
}
