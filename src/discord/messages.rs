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
        params: &[ParamText {
            name: "scope",
            description: "Whose activity: yours (default) or the server's (Manage Server)",
            fr_name: "portée",
            fr_description: "L'activité de qui : la vôtre (par défaut) ou celle du serveur (Gérer le serveur)",
        }],
    },
    // /leaderboard (subcommands are looked up by qualified name)
    CommandText {
        name: "leaderboard",
        description: "The server's leaderboard and seasons",
        fr_name: "classement",
        fr_description: "Le classement du serveur et ses saisons",
        params: &[],
    },
    CommandText {
        name: "leaderboard show",
        description: "Top 10 and your rank: all time, this week, this month, a season, a deck",
        fr_name: "voir",
        fr_description: "Les 10 premiers et votre rang : depuis toujours, semaine, mois, saison, paquet",
        params: &[
            ParamText {
                name: "period",
                description: "All time (default), this week, this month or this season",
                fr_name: "période",
                fr_description: "Depuis toujours (par défaut), cette semaine, ce mois-ci ou cette saison",
            },
            ParamText {
                name: "season",
                description: "A season number (current or archived)",
                fr_name: "saison",
                fr_description: "Un numéro de saison (en cours ou archivée)",
            },
            DECK_PARAM,
        ],
    },
    CommandText {
        name: "leaderboard season-reset",
        description: "Close the current season and start a new one (Manage Server)",
        fr_name: "nouvelle-saison",
        fr_description: "Clore la saison en cours et en commencer une nouvelle (Gérer le serveur)",
        params: &[],
    },
    // /daily and /exam: subcommand texts come from their doc comments.
    CommandText {
        name: "daily",
        description: "A question every day in a channel",
        fr_name: "quotidien",
        fr_description: "Une question chaque jour dans un salon",
        params: &[],
    },
    CommandText {
        name: "exam",
        description: "The exam date and your readiness",
        fr_name: "examen",
        fr_description: "La date de l'examen et votre préparation",
        params: &[],
    },
    CommandText {
        name: "daily set",
        description: "Post a daily question in a channel (Manage Server)",
        fr_name: "activer",
        fr_description: "Publier une question chaque jour dans un salon (Gérer le serveur)",
        params: &[
            ParamText {
                name: "time",
                description: "Local time HH:MM",
                fr_name: "heure",
                fr_description: "Heure locale HH:MM",
            },
            ParamText {
                name: "channel",
                description: "Channel (this one when empty)",
                fr_name: "salon",
                fr_description: "Salon (celui-ci si vide)",
            },
            ParamText {
                name: "timezone",
                description: "IANA time zone (America/Montreal when empty)",
                fr_name: "fuseau",
                fr_description: "Fuseau horaire IANA (America/Montreal si vide)",
            },
            DECK_PARAM,
        ],
    },
    CommandText {
        name: "daily off",
        description: "Stop the daily question in this channel (Manage Server)",
        fr_name: "arrêter",
        fr_description: "Arrêter la question du jour dans ce salon (Gérer le serveur)",
        params: &[],
    },
    CommandText {
        name: "daily show",
        description: "Show this channel's daily question settings",
        fr_name: "voir",
        fr_description: "Voir les réglages de la question du jour de ce salon",
        params: &[],
    },
    CommandText {
        name: "exam set",
        description: "Set the server's exam date (Manage Server)",
        fr_name: "fixer",
        fr_description: "Fixer la date de l'examen du serveur (Gérer le serveur)",
        params: &[
            ParamText {
                name: "date",
                description: "Exam date YYYY-MM-DD",
                fr_name: "date",
                fr_description: "Date de l'examen AAAA-MM-JJ",
            },
            DECK_PARAM,
        ],
    },
    CommandText {
        name: "exam show",
        description: "The exam countdown and your readiness forecast",
        fr_name: "voir",
        fr_description: "Le compte à rebours et votre prévision de réussite",
        params: &[],
    },
    FORGET_ME,
];

// ---- quiz: registration text of /quiz and /answer ----
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
        .chain(SERVER_DECKS_COMMANDS)
        .find(|c| c.name == name)
}

// ---------------------------------------------------------------- errors

pub fn unknown_deck(lang: Lang, given: &str, known: &[&str]) -> String {
    let known = known.join(", ");
    let given = echo(given, 100);
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
            Lang::Fr => format!("« {} »", echo(s, 100)),
            Lang::En => format!("\"{}\"", echo(s, 100)),
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
            Lang::Fr => format!("« {} » s'écrit « {} ».", echo(&c.given, 100), c.expected),
            Lang::En => format!("\"{}\" is spelt \"{}\".", echo(&c.given, 100), c.expected),
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

// ---------------------------------------------------------------- /daily and /exam
// (owned by the daily/exam feature; channel posts are in French, the
// server's language; private replies follow the user's locale)

pub fn needs_manage_server(lang: Lang) -> &'static str {
    lang.pick(
        "Il faut la permission « Gérer le serveur » pour cela.",
        "You need the Manage Server permission for this.",
    )
}

pub fn guild_only(lang: Lang) -> &'static str {
    lang.pick(
        "Cette commande s'utilise dans un serveur.",
        "This command works in a server.",
    )
}

pub fn bad_daily_time(lang: Lang, given: &str) -> String {
    let given = echo(given, 40);
    match lang {
        Lang::Fr => format!("Heure invalide « {given} » : écrivez HH:MM, par exemple 08:30."),
        Lang::En => format!("Invalid time \"{given}\": write HH:MM, for example 08:30."),
    }
}

pub fn bad_time_zone(lang: Lang, given: &str) -> String {
    let given = echo(given, 60);
    match lang {
        Lang::Fr => format!(
            "Fuseau horaire inconnu « {given} » : utilisez un nom IANA comme America/Montreal."
        ),
        Lang::En => {
            format!("Unknown time zone \"{given}\": use an IANA name such as America/Montreal.")
        }
    }
}

/// `/daily set` and `/daily show`: the channel's settings and next post.
pub fn daily_settings(
    lang: Lang,
    channel_id: &str,
    time: &str,
    zone: &str,
    deck: Option<&str>,
    next_post_ms: i64,
) -> String {
    let next = next_post_ms / 1000;
    match lang {
        Lang::Fr => format!(
            "Question du jour dans <#{channel_id}> chaque jour à {time} ({zone}), paquet : {}. \
             Prochaine question <t:{next}:R>.",
            deck.unwrap_or("tous")
        ),
        Lang::En => format!(
            "Daily question in <#{channel_id}> every day at {time} ({zone}), deck: {}. \
             Next question <t:{next}:R>.",
            deck.unwrap_or("all")
        ),
    }
}

pub fn daily_not_set(lang: Lang) -> &'static str {
    lang.pick(
        "Pas de question du jour dans ce salon. Activez-la avec /daily set.",
        "No daily question in this channel. Turn it on with /daily set.",
    )
}

pub fn daily_turned_off(lang: Lang, was_on: bool) -> &'static str {
    match was_on {
        true => lang.pick(
            "Question du jour désactivée dans ce salon.",
            "Daily question turned off in this channel.",
        ),
        false => daily_not_set(lang),
    }
}

pub fn daily_title(date: &str) -> String {
    format!("Question du jour — {date}")
}

pub fn daily_footer(deck_title: &str) -> String {
    format!("{deck_title} · Répondez avec le bouton : la correction est privée.")
}

pub fn daily_answer_button() -> &'static str {
    "Répondre"
}

/// The reveal of the previous question at the top of a new post.
pub fn daily_reveal(expected: &str, right: u32, answered: u32) -> (String, String) {
    let who = match (right, answered) {
        (_, 0) => "Personne n'a répondu.".to_string(),
        (r, n) => format!(
            "{r} sur {n} {} juste.",
            if r > 1 { "ont eu" } else { "a eu" }
        ),
    };
    (
        "Réponse de la question précédente".to_string(),
        format!("{expected}\n\n{who}"),
    )
}

pub fn daily_already_answered(lang: Lang) -> &'static str {
    lang.pick(
        "Vous avez déjà répondu à la question du jour. Rendez-vous demain !",
        "You have already answered today's question. See you tomorrow!",
    )
}

pub fn daily_closed(lang: Lang) -> &'static str {
    lang.pick(
        "Cette question est close : la réponse a été donnée avec la question suivante.",
        "This question is closed: its answer came with the next question.",
    )
}

pub fn daily_streak(lang: Lang, days: u32) -> String {
    match (lang, days) {
        (Lang::Fr, 1) => "Série : 1 jour de question du jour.".to_string(),
        (Lang::Fr, n) => format!("Série : {n} jours de suite."),
        (Lang::En, 1) => "Streak: 1 day of daily questions.".to_string(),
        (Lang::En, n) => format!("Streak: {n} days in a row."),
    }
}

pub fn bad_exam_date(lang: Lang, given: &str) -> String {
    let given = echo(given, 40);
    match lang {
        Lang::Fr => {
            format!("Date invalide « {given} » : écrivez AAAA-MM-JJ, par exemple 2026-12-15.")
        }
        Lang::En => format!("Invalid date \"{given}\": write YYYY-MM-DD, for example 2026-12-15."),
    }
}

pub fn no_exam(lang: Lang) -> &'static str {
    lang.pick(
        "Aucun examen n'est fixé sur ce serveur. Un modérateur peut le faire avec /exam set.",
        "No exam is set on this server. A moderator can set one with /exam set.",
    )
}

pub fn exam_set(lang: Lang, date: &str, deck: Option<&str>) -> String {
    match lang {
        Lang::Fr => format!(
            "Examen fixé au {date} (paquet : {}). Avant cette date, /réviser fait passer en premier \
             les cartes que vous risquez le plus d'oublier le jour J.",
            deck.unwrap_or("tous")
        ),
        Lang::En => format!(
            "Exam set for {date} (deck: {}). Until then, /study asks first the cards you are most \
             likely to have forgotten on the day.",
            deck.unwrap_or("all")
        ),
    }
}

/// What `/exam show` tells a student.
pub struct ExamText<'a> {
    pub date: &'a str,
    pub deck: Option<&'a str>,
    pub days_left: i64,
    pub predicted_pct: u32,
    pub n_cards: usize,
    pub n_unseen: usize,
    pub reviews_per_day: Option<u32>,
}

pub fn exam_show(lang: Lang, e: &ExamText) -> String {
    let deck = e.deck.unwrap_or(match lang {
        Lang::Fr => "tous les paquets",
        Lang::En => "all decks",
    });
    let countdown = match (lang, e.days_left) {
        (Lang::Fr, d) if d < 0 => format!("L'examen du {} ({deck}) est passé.", e.date),
        (Lang::Fr, 0) => format!(
            "L'examen ({deck}) est aujourd'hui, {}. Bonne chance !",
            e.date
        ),
        (Lang::Fr, d) => format!(
            "Examen le {} ({deck}) : dans {d} jour{}.",
            e.date,
            if d > 1 { "s" } else { "" }
        ),
        (Lang::En, d) if d < 0 => format!("The exam of {} ({deck}) is over.", e.date),
        (Lang::En, 0) => format!("The exam ({deck}) is today, {}. Good luck!", e.date),
        (Lang::En, d) => format!(
            "Exam on {} ({deck}): in {d} day{}.",
            e.date,
            if d > 1 { "s" } else { "" }
        ),
    };
    let forecast = match lang {
        Lang::Fr => format!(
            "Prévision pour vous : {} % des {} cartes retenues le jour J. C'est la probabilité \
             moyenne de rappel que votre planning FSRS prédit pour ce jour-là si vous arrêtiez de \
             réviser maintenant ; les {} cartes jamais vues comptent comme non sues.",
            e.predicted_pct, e.n_cards, e.n_unseen
        ),
        Lang::En => format!(
            "Your forecast: {}% of the {} cards recalled on the day. That is the mean recall \
             probability your FSRS schedule predicts for that day if you stopped reviewing now; \
             the {} cards you never saw count as not known.",
            e.predicted_pct, e.n_cards, e.n_unseen
        ),
    };
    let work = match (lang, e.reviews_per_day) {
        (_, None) => String::new(),
        (Lang::Fr, Some(0)) => {
            "Vous êtes déjà au-dessus de 90 % : entretenez avec /réviser.".into()
        }
        (Lang::Fr, Some(n)) => format!(
            "Pour viser 90 % : environ {n} révision{} par jour d'ici là (estimation simple).",
            if n > 1 { "s" } else { "" }
        ),
        (Lang::En, Some(0)) => "You are already above 90%: keep it up with /study.".into(),
        (Lang::En, Some(n)) => format!(
            "To reach 90%: about {n} review{} a day until then (a rough estimate).",
            if n > 1 { "s" } else { "" }
        ),
    };
    [countdown, forecast, work]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
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
    let given = echo(given, 40);
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

// ------------------------------------------------- /stats chart and server scope

/// The words drawn on the `/stats` chart.
pub fn chart_labels(lang: Lang) -> crate::chart::ChartLabels {
    let s = |fr: &'static str, en: &'static str| lang.pick(fr, en).to_string();
    crate::chart::ChartLabels {
        reviews_title: s("Révisions, 30 derniers jours", "Reviews, last 30 days"),
        due_title: s("À revoir, 14 prochains jours", "Due, next 14 days"),
        right: s("réussies", "right"),
        wrong: s("ratées", "wrong"),
        due: s("cartes", "cards"),
        days_ago: s("jours (0 = aujourd'hui)", "days (0 = today)"),
        days_ahead: s("dans n jours", "in n days"),
    }
}

pub fn server_stats_title(lang: Lang) -> &'static str {
    lang.pick("Activité du serveur", "Server activity")
}

/// The figures under the chart: reviews, right answers, due cards.
pub struct ActivityText {
    pub reviews_30d: u64,
    pub right_30d: u64,
    pub due_14d: u64,
    pub due_today: u64,
    /// `Some` for a server: members and those active in the last 30 days.
    pub members: Option<(u64, u64)>,
}

pub fn activity_lines(lang: Lang, a: &ActivityText) -> Vec<(&'static str, String)> {
    let right = if a.reviews_30d == 0 {
        lang.pick("pas encore de révisions", "no reviews yet")
            .to_string()
    } else {
        let share = a.right_30d as f64 * 100.0 / a.reviews_30d as f64;
        format!("{} ({share:.0} %)", a.right_30d)
    };
    let mut lines = vec![
        (
            lang.pick("Révisions (30 jours)", "Reviews (30 days)"),
            a.reviews_30d.to_string(),
        ),
        (lang.pick("Réussies (30 jours)", "Right (30 days)"), right),
        (
            lang.pick("À revoir dans les 14 jours", "Due within 14 days"),
            a.due_14d.to_string(),
        ),
    ];
    if let Some((members, active)) = a.members {
        lines.push((
            lang.pick("Membres actifs (30 jours)", "Active members (30 days)"),
            format!("{active} / {members}"),
        ));
        lines.push((
            lang.pick("À revoir aujourd'hui", "Due today"),
            a.due_today.to_string(),
        ));
    }
    lines
}

pub fn chart_alt(lang: Lang) -> &'static str {
    lang.pick(
        "Graphique : révisions des 30 derniers jours et cartes à revoir",
        "Chart: reviews of the last 30 days and cards coming due",
    )
}

pub fn only_in_server(lang: Lang) -> &'static str {
    lang.pick(
        "Cette commande ne marche que dans un serveur.",
        "This command only works in a server.",
    )
}

// ---------------------------------------------------------------- /leaderboard

/// Which window a leaderboard covers, for its title.
pub enum BoardScope<'a> {
    AllTime,
    Week,
    Month,
    /// Season number, and whether it is the current one.
    Season(i64, bool),
    /// Inside another scope: only this deck.
    Deck(&'a str, &'a BoardScope<'a>),
}

pub fn board_title(lang: Lang, scope: &BoardScope<'_>) -> String {
    match (scope, lang) {
        (BoardScope::AllTime, Lang::Fr) => "Classement du serveur".to_string(),
        (BoardScope::AllTime, Lang::En) => "Server leaderboard".to_string(),
        (BoardScope::Week, Lang::Fr) => "Classement de la semaine".to_string(),
        (BoardScope::Week, Lang::En) => "This week's leaderboard".to_string(),
        (BoardScope::Month, Lang::Fr) => "Classement du mois".to_string(),
        (BoardScope::Month, Lang::En) => "This month's leaderboard".to_string(),
        (BoardScope::Season(n, true), Lang::Fr) => {
            format!("Classement de la saison {n} (en cours)")
        }
        (BoardScope::Season(n, true), Lang::En) => format!("Season {n} leaderboard (current)"),
        (BoardScope::Season(n, false), Lang::Fr) => {
            format!("Classement de la saison {n} (archivée)")
        }
        (BoardScope::Season(n, false), Lang::En) => format!("Season {n} leaderboard (archived)"),
        (BoardScope::Deck(deck, inner), _) => format!("{} · {deck}", board_title(lang, inner)),
    }
}

/// One line: rank, member (mention, or stored name), points, streak, mastered.
pub fn board_line(lang: Lang, r: &crate::core::leaderboard::Ranked) -> String {
    let e = &r.entry;
    let medal = match r.rank {
        1 => "🥇",
        2 => "🥈",
        3 => "🥉",
        _ => "",
    };
    let who = format!("<@{}>", e.user_id);
    match lang {
        Lang::Fr => format!(
            "{medal}**{}.** {who} — **{} pt{}** · série {} j · {} carte{} maîtrisée{}",
            r.rank,
            e.points,
            if e.points > 1 { "s" } else { "" },
            e.daily_streak,
            e.mastered,
            if e.mastered > 1 { "s" } else { "" },
            if e.mastered > 1 { "s" } else { "" },
        ),
        Lang::En => format!(
            "{medal}**{}.** {who} — **{} pt{}** · streak {} d · {} mastered",
            r.rank,
            e.points,
            if e.points == 1 { "" } else { "s" },
            e.daily_streak,
            e.mastered,
        ),
    }
}

pub fn board_empty(lang: Lang) -> &'static str {
    lang.pick(
        "Personne n'est encore classé ici. Répondez aux quiz et à la question du jour pour marquer des points !",
        "Nobody is ranked here yet. Answer quizzes and the daily question to score points!",
    )
}

pub fn board_you(lang: Lang) -> &'static str {
    lang.pick("Vous", "You")
}

pub fn board_unranked(lang: Lang) -> &'static str {
    lang.pick(
        "Vous n'êtes pas encore classé : répondez à un quiz ou à la question du jour.",
        "You are not ranked yet: answer a quiz or the daily question.",
    )
}

pub fn board_footer(lang: Lang, n_ranked: usize) -> String {
    match lang {
        Lang::Fr => format!(
            "{n_ranked} classé(s) · 1 point par bonne réponse aux quiz et à la question du jour · maîtrisée = stabilité ≥ 21 jours"
        ),
        Lang::En => format!(
            "{n_ranked} ranked · 1 point per right answer in quizzes and to the daily question · mastered = stability ≥ 21 days"
        ),
    }
}

pub fn unknown_season(lang: Lang, given: i64, current: i64) -> String {
    match lang {
        Lang::Fr => {
            format!("Il n'y a pas de saison {given} : la saison en cours est la {current}.")
        }
        Lang::En => format!("There is no season {given}: the current season is {current}."),
    }
}

pub fn season_reset_done(lang: Lang, closed: i64) -> String {
    let next = closed + 1;
    match lang {
        Lang::Fr => format!(
            "La saison {closed} est terminée et archivée (`/classement voir saison:{closed}`). La saison {next} commence maintenant : tout le monde repart de zéro."
        ),
        Lang::En => format!(
            "Season {closed} is over and archived (`/leaderboard show season:{closed}`). Season {next} starts now: everyone starts from zero."
        ),
    }
}

pub fn season_reset_already(lang: Lang, current: i64) -> String {
    match lang {
        Lang::Fr => {
            format!("La saison vient déjà d'être réinitialisée : la saison {current} est en cours.")
        }
        Lang::En => format!("The season was just reset already: season {current} is under way."),
    }
}

// --- crash safety and shutdown ---

/// Posted above the standings of a quiz stopped because the bot shuts down.
pub fn quiz_shutdown_notice(lang: Lang) -> &'static str {
    lang.pick(
        "rappel redémarre… le quiz est arrêté. Les points gagnés sont enregistrés ; voici le classement :",
        "rappel is restarting… the quiz is stopped. The points earned are saved; here are the standings:",
    )
}

/// The database stayed busy or unreachable through every retry; nothing was saved.
pub fn database_busy(lang: Lang) -> &'static str {
    lang.pick(
        "La base de données est occupée en ce moment : rien n’a été enregistré. Réessayez dans quelques secondes.",
        "The database is busy right now: nothing was saved. Please try again in a few seconds.",
    )
}

// --- privacy: /forget-me, option ranges, echoed user text ---

/// `/forget-me`'s registration text (listed in [`COMMANDS`]).
const FORGET_ME: CommandText = CommandText {
    name: "forget-me",
    description: "Delete all your data (asks for confirmation)",
    fr_name: "oublier",
    fr_description: "Supprimer toutes vos données (après confirmation)",
    params: &[],
};

/// What `/forget-me` will delete, before the confirmation buttons.
pub fn forget_explain(lang: Lang) -> &'static str {
    lang.pick(
        "**Supprimer toutes vos données ?**\n\
         Cela efface définitivement, sur tous les serveurs : votre historique de révisions, \
         l'état de vos cartes et vos révisions prévues, vos réglages, vos points de quiz, \
         vos réponses et votre série de la question du jour, et votre place dans les classements. \
         C'est irréversible.",
        "**Delete all your data?**\n\
         This permanently erases, on every server: your review history, your cards' state and \
         scheduled reviews, your settings, your quiz points, your daily question answers and \
         streak, and your place on the leaderboards. This cannot be undone.",
    )
}

pub fn forget_confirm_button(lang: Lang) -> &'static str {
    lang.pick("Tout supprimer", "Delete everything")
}

pub fn forget_cancel_button(lang: Lang) -> &'static str {
    lang.pick("Annuler", "Cancel")
}

pub fn forget_done(lang: Lang, n_reviews: u64) -> String {
    match lang {
        Lang::Fr => format!(
            "C'est fait : toutes vos données ont été supprimées ({n_reviews} révision(s) effacée(s)). \
             Si vous utilisez de nouveau rappel, vous repartirez de zéro."
        ),
        Lang::En => format!(
            "Done: all your data has been deleted ({n_reviews} review(s) erased). \
             If you use rappel again, you will start from scratch."
        ),
    }
}

pub fn forget_cancelled(lang: Lang) -> &'static str {
    lang.pick("Rien n'a été supprimé.", "Nothing was deleted.")
}

pub fn forget_not_yours(lang: Lang) -> &'static str {
    lang.pick(
        "Ce bouton n'est pas pour vous : seule la personne qui a lancé `/oublier` peut confirmer. \
         Pour supprimer vos propres données, utilisez `/oublier`.",
        "This button is not yours: only the person who ran `/forget-me` can confirm. \
         To delete your own data, use `/forget-me`.",
    )
}

/// A command option outside what the bot accepts. `command` and `option`
/// are the English names (as in [`COMMANDS`]); the French names are looked
/// up there.
pub fn out_of_range(
    lang: Lang,
    command: &str,
    option: &str,
    given: &str,
    min: &str,
    max: &str,
) -> String {
    let name = match lang {
        Lang::Fr => command_text(command)
            .and_then(|c| c.params.iter().find(|p| p.name == option))
            .map_or(option, |p| p.fr_name),
        Lang::En => option,
    };
    let given = echo(given, 40);
    match lang {
        Lang::Fr => {
            format!("Valeur refusée pour « {name} » : {given}. Choisissez entre {min} et {max}.")
        }
        Lang::En => {
            format!("Value not accepted for \"{name}\": {given}. Choose between {min} and {max}.")
        }
    }
}

/// Longest piece of a typed answer echoed back in a private reply.
pub const MAX_ECHO: usize = 300;

/// User text made safe to quote in a message: at most `max` characters
/// (with an ellipsis), direction overrides removed (so it cannot reverse
/// the text that follows it), combining marks capped at two per character
/// (zalgo), markdown and `<…>` mentions escaped, so it shows as typed and
/// never formats or links. Pings are prevented by the empty allowed
/// mentions of every message, not here: "@everyone" is shown as typed.
pub fn echo(text: &str, max: usize) -> String {
    let mut kept: Vec<char> = Vec::new();
    let mut n_marks = 0;
    for c in text.chars() {
        if is_bidi_control(c) || (c.is_control() && c != '\n') {
            continue;
        }
        if unicode_normalization::char::is_combining_mark(c) {
            n_marks += 1;
            if n_marks > 2 {
                continue;
            }
        } else {
            n_marks = 0;
        }
        kept.push(c);
        if kept.len() > max {
            break;
        }
    }
    let clipped = kept.len() > max;
    if clipped {
        kept.truncate(max.saturating_sub(1));
    }
    let mut out = String::with_capacity(kept.len() + 8);
    let mut line_start = true;
    for c in kept {
        let at_start = line_start && matches!(c, '-' | '#' | '>' | '+');
        if at_start || matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n' || (line_start && c.is_whitespace());
    }
    if clipped {
        out.push('…');
    }
    out
}

/// Unicode bidirectional formatting characters (embeddings, overrides,
/// isolates and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

// --- server decks and progress export ---

const DECK_ID_PARAM: ParamText = ParamText {
    name: "id",
    description: "Deck id",
    fr_name: "id",
    fr_description: "Identifiant du paquet",
};

/// Registration text of `/decks list|upload|remove|export` and
/// `/stats show|export`.
const SERVER_DECKS_COMMANDS: &[CommandText] = &[
    CommandText {
        name: "decks list",
        description: "List the decks and your progress",
        fr_name: "liste",
        fr_description: "Lister les paquets et votre progression",
        params: &[],
    },
    CommandText {
        name: "decks upload",
        description: "Add a deck to this server from a Quizlet, Anki or CSV export (Manage Server)",
        fr_name: "importer",
        fr_description: "Ajouter un paquet au serveur depuis un export Quizlet, Anki ou CSV (Gérer le serveur)",
        params: &[
            ParamText {
                name: "file",
                description: "Quizlet text, Anki \"Notes in Plain Text\" or .apkg, CSV with a header (2 MB at most)",
                fr_name: "fichier",
                fr_description: "Texte Quizlet, Anki « Notes en texte brut » ou .apkg, CSV avec en-tête (2 Mo au plus)",
            },
            ParamText {
                name: "id",
                description: "Id of the deck (a-z, 0-9, '-'); the same id replaces the deck",
                fr_name: "id",
                fr_description: "Identifiant du paquet (a-z, 0-9, '-') ; le même identifiant remplace le paquet",
            },
            ParamText {
                name: "title",
                description: "Title of the deck",
                fr_name: "titre",
                fr_description: "Titre du paquet",
            },
        ],
    },
    CommandText {
        name: "decks remove",
        description: "Remove a deck of this server; members keep their progress (Manage Server)",
        fr_name: "retirer",
        fr_description: "Retirer un paquet du serveur ; les membres gardent leur progression (Gérer le serveur)",
        params: &[DECK_ID_PARAM],
    },
    CommandText {
        name: "decks export",
        description: "Download a deck as a CSV file",
        fr_name: "exporter",
        fr_description: "Télécharger un paquet en fichier CSV",
        params: &[DECK_ID_PARAM],
    },
    CommandText {
        name: "stats show",
        description: "Your own review statistics",
        fr_name: "voir",
        fr_description: "Vos statistiques de révision",
        params: &[ParamText {
            name: "scope",
            description: "Whose activity: yours (default) or the server's (Manage Server)",
            fr_name: "portée",
            fr_description: "L'activité de qui : la vôtre (par défaut) ou celle du serveur (Gérer le serveur)",
        }],
    },
    CommandText {
        name: "stats export",
        description: "Download your own review log as a CSV file",
        fr_name: "exporter",
        fr_description: "Télécharger votre historique de révisions en fichier CSV",
        params: &[],
    },
];

/// Appended to a server deck's line in `/decks list`.
pub fn server_deck_tag(lang: Lang) -> &'static str {
    lang.pick(" · paquet du serveur", " · server deck")
}

pub fn upload_too_big(lang: Lang, size: u64, max: usize) -> String {
    let (size_kb, max_mb) = (size.div_ceil(1024), max / 1024 / 1024);
    match lang {
        Lang::Fr => format!(
            "Fichier refusé : il fait {size_kb} Ko, la limite est de {max_mb} Mo. Découpez-le en plusieurs paquets."
        ),
        Lang::En => format!(
            "File refused: it is {size_kb} KB, the limit is {max_mb} MB. Split it into several decks."
        ),
    }
}

pub fn upload_download_failed(lang: Lang) -> &'static str {
    lang.pick(
        "Je n'ai pas pu télécharger le fichier depuis Discord. Réessayez dans un instant.",
        "I could not download the file from Discord. Try again in a moment.",
    )
}

pub fn upload_bad_id(lang: Lang, given: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Identifiant refusé « {given} » : utilisez des minuscules sans accent, des chiffres et des tirets (par ex. `vocabulaire-s1`)."
        ),
        Lang::En => format!(
            "Id refused \"{given}\": use lowercase letters, digits and dashes (e.g. `vocab-week-1`)."
        ),
    }
}

pub fn upload_id_too_long(lang: Lang, max: usize) -> String {
    match lang {
        Lang::Fr => format!("Identifiant trop long : {max} caractères au plus."),
        Lang::En => format!("Id too long: {max} characters at most."),
    }
}

pub fn upload_bundled_clash(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "« {id} » est déjà un paquet fourni avec rappel : choisissez un autre identifiant."
        ),
        Lang::En => format!("\"{id}\" is already a deck bundled with rappel: choose another id."),
    }
}

pub fn upload_bad_title(lang: Lang, max: usize) -> String {
    match lang {
        Lang::Fr => format!("Le titre doit faire entre 1 et {max} caractères."),
        Lang::En => format!("The title must be 1 to {max} characters long."),
    }
}

/// The refusal of a file that does not import: a header with the limits,
/// then the problems (`file:line: message`, from the shared importer).
pub fn upload_refused(
    lang: Lang,
    limits: &crate::core::import::ImportLimits,
    problems: &[String],
    n_more: usize,
) -> String {
    let (mb, cards, chars) = (
        limits.max_bytes / 1024 / 1024,
        limits.max_cards,
        limits.max_question_chars,
    );
    let mut out = match lang {
        Lang::Fr => format!(
            "Fichier refusé, rien n'a été importé (limites : {mb} Mo, {cards} cartes, questions de {chars} caractères). Problèmes :"
        ),
        Lang::En => format!(
            "File refused, nothing was imported (limits: {mb} MB, {cards} cards, {chars}-character questions). Problems:"
        ),
    };
    for problem in problems {
        out.push_str("\n• ");
        out.push_str(problem);
    }
    if n_more > 0 {
        out.push_str(&match lang {
            Lang::Fr => format!("\n… et {n_more} autre(s)."),
            Lang::En => format!("\n… and {n_more} more."),
        });
    }
    out
}

pub fn upload_done(
    lang: Lang,
    title: &str,
    id: &str,
    n_cards: usize,
    outcome: crate::store::Uploaded,
    warnings: &[String],
    n_more: usize,
) -> String {
    use crate::store::Uploaded;
    let mut out = match (lang, outcome) {
        (Lang::Fr, Uploaded::New) => format!(
            "Paquet **{title}** (`{id}`) ajouté au serveur : {n_cards} cartes. `/réviser paquet:{id}` ou `/quiz lancer paquet:{id}`."
        ),
        (Lang::Fr, Uploaded::Replaced) => format!(
            "Paquet **{title}** (`{id}`) remplacé : {n_cards} cartes. La progression des cartes inchangées est conservée."
        ),
        (Lang::Fr, Uploaded::Restored) => format!(
            "Paquet **{title}** (`{id}`) de retour : {n_cards} cartes. Les membres retrouvent leur progression."
        ),
        (Lang::En, Uploaded::New) => format!(
            "Deck **{title}** (`{id}`) added to this server: {n_cards} cards. `/study deck:{id}` or `/quiz start deck:{id}`."
        ),
        (Lang::En, Uploaded::Replaced) => format!(
            "Deck **{title}** (`{id}`) replaced: {n_cards} cards. Progress on unchanged cards is kept."
        ),
        (Lang::En, Uploaded::Restored) => format!(
            "Deck **{title}** (`{id}`) is back: {n_cards} cards. Members get their progress back."
        ),
    };
    if !warnings.is_empty() {
        out.push_str(lang.pick(
            "\nLignes ignorées ou modifiées :",
            "\nRows skipped or changed:",
        ));
        for warning in warnings {
            out.push_str("\n• ");
            out.push_str(warning);
        }
        if n_more > 0 {
            out.push_str(&match lang {
                Lang::Fr => format!("\n… et {n_more} autre(s)."),
                Lang::En => format!("\n… and {n_more} more."),
            });
        }
    }
    out
}

pub fn remove_bundled(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "« {id} » est un paquet fourni avec rappel : seuls les paquets importés par le serveur peuvent être retirés."
        ),
        Lang::En => format!(
            "\"{id}\" is bundled with rappel: only decks uploaded by this server can be removed."
        ),
    }
}

pub fn remove_unknown(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Fr => format!("Ce serveur n'a pas de paquet « {id} »."),
        Lang::En => format!("This server has no deck \"{id}\"."),
    }
}

pub fn remove_done(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Paquet `{id}` retiré. La progression des membres est archivée : elle revient si le paquet est importé à nouveau avec l'identifiant `{id}`."
        ),
        Lang::En => format!(
            "Deck `{id}` removed. Members' progress is archived: it comes back if the deck is uploaded again with the id `{id}`."
        ),
    }
}

pub fn deck_export_done(lang: Lang, title: &str, n_cards: usize) -> String {
    match lang {
        Lang::Fr => format!(
            "**{title}** : {n_cards} cartes en CSV (se réimporte avec `/paquets importer`)."
        ),
        Lang::En => {
            format!("**{title}**: {n_cards} cards as CSV (imports back with `/decks upload`).")
        }
    }
}

pub fn stats_export_done(lang: Lang, n_reviews: usize) -> String {
    match lang {
        Lang::Fr => format!(
            "Votre historique : {n_reviews} révision(s) (paquet, carte, sens, date, verdict, note 1–4, intervalle en jours, origine)."
        ),
        Lang::En => format!(
            "Your review log: {n_reviews} review(s) (deck, card, direction, time, verdict, rating 1–4, interval in days, origin)."
        ),
    }
}
