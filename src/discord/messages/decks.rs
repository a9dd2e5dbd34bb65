//! `/decks`: the list, uploads, removals and exports of decks.

use super::Lang;
use crate::core::import::Columns;

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
    lang.pick(
        format!("{n_decks} paquets, {n_cards} cartes au total"),
        format!("{n_decks} decks, {n_cards} cards in all"),
    )
}

/// Appended to a server deck's line in `/decks list`.
pub fn server_deck_tag(lang: Lang) -> &'static str {
    lang.pick(" · paquet du serveur", " · server deck")
}

pub fn upload_too_big(lang: Lang, size: u64, max: usize) -> String {
    let (size_kb, max_mb) = (size.div_ceil(1024), max / 1024 / 1024);
    lang.pick(format!(
            "Fichier refusé : il fait {size_kb} Ko, la limite est de {max_mb} Mo. Découpez-le en plusieurs paquets."
        ), format!(
            "File refused: it is {size_kb} KB, the limit is {max_mb} MB. Split it into several decks."
        ))
}

pub fn upload_download_failed(lang: Lang) -> &'static str {
    lang.pick(
        "Je n'ai pas pu télécharger le fichier depuis Discord. Réessayez dans un instant.",
        "I could not download the file from Discord. Try again in a moment.",
    )
}

pub fn upload_bad_id(lang: Lang, given: &str) -> String {
    lang.pick(format!(
            "Identifiant refusé « {given} » : utilisez des minuscules sans accent, des chiffres et des tirets (par ex. `vocabulaire-s1`)."
        ), format!(
            "Id refused \"{given}\": use lowercase letters, digits and dashes (e.g. `vocab-week-1`)."
        ))
}

pub fn upload_id_too_long(lang: Lang, max: usize) -> String {
    lang.pick(
        format!("Identifiant trop long : {max} caractères au plus."),
        format!("Id too long: {max} characters at most."),
    )
}

pub fn upload_bundled_clash(lang: Lang, id: &str) -> String {
    lang.pick(
        format!(
            "« {id} » est déjà un paquet fourni avec rappel : choisissez un autre identifiant."
        ),
        format!("\"{id}\" is already a deck bundled with rappel: choose another id."),
    )
}

pub fn upload_bad_title(lang: Lang, max: usize) -> String {
    lang.pick(
        format!("Le titre doit faire entre 1 et {max} caractères."),
        format!("The title must be 1 to {max} characters long."),
    )
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
    let mut out = lang.pick(format!(
            "Fichier refusé, rien n'a été importé (limites : {mb} Mo, {cards} cartes, questions de {chars} caractères). Problèmes :"
        ), format!(
            "File refused, nothing was imported (limits: {mb} MB, {cards} cards, {chars}-character questions). Problems:"
        ));
    bullets(&mut out, lang, problems, n_more);
    out
}

/// What an upload left out or changed, for its reply: the rows skipped
/// (`file:line: reason`) and the rows changed, each as `(listed, n_more)`,
/// and whether the full list is attached.
pub struct UploadNotes<'a> {
    pub skipped: (&'a [String], usize),
    pub warnings: (&'a [String], usize),
    pub attached: Option<&'a str>,
}

/// The reply to a successful upload: the deck, how its columns were read
/// (CSV/TSV), the rows skipped (every one counted) and the rows changed.
pub fn upload_done(
    lang: Lang,
    title: &str,
    id: &str,
    n_cards: usize,
    outcome: crate::store::Uploaded,
    columns: Option<Columns>,
    notes: &UploadNotes<'_>,
) -> String {
    use crate::store::Uploaded;
    let mut out = match outcome {
        Uploaded::New => lang.pick(
            format!(
                "Paquet **{title}** (`{id}`) ajouté au serveur : {n_cards} cartes. `/réviser paquet:{id}` ou `/quiz lancer paquet:{id}`."
            ),
            format!(
                "Deck **{title}** (`{id}`) added to this server: {n_cards} cards. `/study deck:{id}` or `/quiz start deck:{id}`."
            ),
        ),
        Uploaded::Replaced => lang.pick(
            format!(
                "Paquet **{title}** (`{id}`) remplacé : {n_cards} cartes. La progression des cartes inchangées est conservée."
            ),
            format!(
                "Deck **{title}** (`{id}`) replaced: {n_cards} cards. Progress on unchanged cards is kept."
            ),
        ),
        Uploaded::Restored => lang.pick(
            format!(
                "Paquet **{title}** (`{id}`) de retour : {n_cards} cartes. Les membres retrouvent leur progression."
            ),
            format!(
                "Deck **{title}** (`{id}`) is back: {n_cards} cards. Members get their progress back."
            ),
        ),
    };
    match columns {
        None => {}
        Some(Columns::Named) => out.push_str(lang.pick(
            "\nColonnes lues d’après la ligne d’en-tête.",
            "\nColumns read from the header row.",
        )),
        Some(Columns::Assumed) => out.push_str(lang.pick(
            "\nPas de ligne d’en-tête : 1re colonne lue comme question, 2e comme réponse.",
            "\nNo header row: column 1 read as the question, column 2 as the answer.",
        )),
    }
    let (skipped, n_more_skipped) = notes.skipped;
    let n_skipped = skipped.len() + n_more_skipped;
    if n_skipped > 0 {
        out.push_str(&lang.pick(
            format!("\n{n_skipped} ligne(s) non importée(s), les autres le sont :"),
            format!("\n{n_skipped} row(s) not imported, the others are:"),
        ));
        bullets(&mut out, lang, skipped, n_more_skipped);
    }
    let (warnings, n_more) = notes.warnings;
    if !warnings.is_empty() || n_more > 0 {
        out.push_str(lang.pick("\nRemarques :", "\nNotes:"));
        bullets(&mut out, lang, warnings, n_more);
    }
    if let Some(name) = notes.attached {
        out.push_str(&lang.pick(
            format!("\nLa liste complète est dans `{name}`."),
            format!("\nThe full list is in `{name}`."),
        ));
    }
    out
}

pub fn remove_bundled(lang: Lang, id: &str) -> String {
    lang.pick(format!(
            "« {id} » est un paquet fourni avec rappel : seuls les paquets importés par le serveur peuvent être retirés."
        ), format!(
            "\"{id}\" is bundled with rappel: only decks uploaded by this server can be removed."
        ))
}

pub fn remove_unknown(lang: Lang, id: &str) -> String {
    lang.pick(
        format!("Ce serveur n'a pas de paquet « {id} »."),
        format!("This server has no deck \"{id}\"."),
    )
}

pub fn remove_done(lang: Lang, id: &str) -> String {
    lang.pick(format!(
            "Paquet `{id}` retiré. La progression des membres est archivée : elle revient si le paquet est importé à nouveau avec l'identifiant `{id}`."
        ), format!(
            "Deck `{id}` removed. Members' progress is archived: it comes back if the deck is uploaded again with the id `{id}`."
        ))
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

/// `items` as a bulleted list, then how many more were left out.
fn bullets(out: &mut String, lang: Lang, items: &[String], n_more: usize) {
    for item in items {
        out.push_str("\n• ");
        out.push_str(item);
    }
    if n_more > 0 {
        out.push_str(&lang.pick(
            format!("\n… et {n_more} autre(s)."),
            format!("\n… and {n_more} more."),
        ));
    }
}
