//! The registration text of every slash command: English base names and
//! descriptions, French names and descriptions, and the same for each
//! parameter.

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

const SCOPE_PARAM: ParamText = ParamText {
    name: "scope",
    description: "Whose activity: yours (default) or the server's (Manage Server)",
    fr_name: "portée",
    fr_description: "L'activité de qui : la vôtre (par défaut) ou celle du serveur (Gérer le serveur)",
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
        name: "settings",
        description: "Your time zone, retention, new cards per day and language (shown when empty)",
        fr_name: "réglages",
        fr_description: "Votre fuseau horaire, rétention, nouvelles cartes par jour et langue (affichés si vide)",
        params: &[
            ParamText {
                name: "timezone",
                description: "Your IANA time zone, e.g. Europe/Paris (type a city)",
                fr_name: "fuseau",
                fr_description: "Votre fuseau horaire IANA, par ex. Europe/Paris (tapez une ville)",
            },
            ParamText {
                name: "retention",
                description: "Desired retention, 0.80 to 0.97 (higher: more reviews)",
                fr_name: "rétention",
                fr_description: "Rétention visée, de 0,80 à 0,97 (plus haut : plus de révisions)",
            },
            ParamText {
                name: "new-cards",
                description: "New cards per day, 0 to 200",
                fr_name: "nouvelles-cartes",
                fr_description: "Nouvelles cartes par jour, de 0 à 200",
            },
            ParamText {
                name: "language",
                description: "Reply language: auto (your Discord's), French or English",
                fr_name: "langue",
                fr_description: "Langue des réponses : auto (celle de Discord), français ou anglais",
            },
        ],
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
        params: &[SCOPE_PARAM],
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
        description: "Stop the daily question in a channel (Manage Server)",
        fr_name: "arrêter",
        fr_description: "Arrêter la question du jour dans un salon (Gérer le serveur)",
        params: &[ParamText {
            name: "channel",
            description: "Channel (this one when empty)",
            fr_name: "salon",
            fr_description: "Salon (celui-ci si vide)",
        }],
    },
    CommandText {
        name: "daily show",
        description: "Show this server's daily questions",
        fr_name: "voir",
        fr_description: "Voir les questions du jour de ce serveur",
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
                description: "Exam date: YYYY-MM-DD or DD/MM/YYYY",
                fr_name: "date",
                fr_description: "Date de l'examen : AAAA-MM-JJ ou JJ/MM/AAAA",
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
        .chain(APPEALS_COMMANDS)
        .find(|c| c.name == name)
}

/// `/forget-me`'s registration text (listed in [`COMMANDS`]).
const FORGET_ME: CommandText = CommandText {
    name: "forget-me",
    description: "Delete all your data (asks for confirmation)",
    fr_name: "oublier",
    fr_description: "Supprimer toutes vos données (après confirmation)",
    params: &[],
};

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
        params: &[SCOPE_PARAM],
    },
    CommandText {
        name: "stats export",
        description: "Download your own review log as a CSV file",
        fr_name: "exporter",
        fr_description: "Télécharger votre historique de révisions en fichier CSV",
        params: &[],
    },
];

/// Registration text of `/appeals review|role`.
const APPEALS_COMMANDS: &[CommandText] = &[
    CommandText {
        name: "appeals",
        description: "Students' appeals of a grade (« J'avais raison »)",
        fr_name: "contestations",
        fr_description: "Les contestations de note des élèves (« J'avais raison »)",
        params: &[],
    },
    CommandText {
        name: "appeals review",
        description: "Review the pending appeals one at a time (Manage Server or the appeals role)",
        fr_name: "examiner",
        fr_description: "Examiner une à une les contestations en attente (Gérer le serveur ou le rôle choisi)",
        params: &[],
    },
    CommandText {
        name: "appeals role",
        description: "Choose a role that may review appeals; empty: Manage Server only (Manage Server)",
        fr_name: "rôle",
        fr_description: "Choisir un rôle qui examine les contestations ; vide : Gérer le serveur seulement (Gérer le serveur)",
        params: &[ParamText {
            name: "role",
            description: "The role (empty: only members with Manage Server)",
            fr_name: "rôle",
            fr_description: "Le rôle (vide : seuls les membres avec Gérer le serveur)",
        }],
    },
];
