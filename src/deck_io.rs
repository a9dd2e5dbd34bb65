//! The file side of importing and exporting decks: reading an export (or an
//! Anki package) from disk, writing the TOML deck without clobbering an
//! existing one, and writing an export.
//!
//! The parsing itself is pure and lives in [`crate::core::import`]; this
//! module only adds what needs I/O. An `.apkg` is a zip holding a SQLite
//! collection: the collection is copied to a temporary file (SQLite reads
//! files, not memory) and its notes are read with sqlx, read-only.

use std::fs::OpenOptions;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::core::deck::Problem;
use crate::core::import::{
    self, Collection, Format, ImportOptions, ImportedDeck, Note, NoteCard, NoteType, Template,
};

/// Largest collection unpacked from an `.apkg`: a guard against zip bombs.
const MAX_COLLECTION_BYTES: u64 = 256 * 1024 * 1024;

/// Reads an input file, refusing one over the size limit before reading it.
pub fn read_input(path: &Path, max_bytes: usize) -> Result<Vec<u8>, Problem> {
    let problem = |message: String| Problem {
        file: path.display().to_string(),
        line: 0,
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| problem(format!("cannot read file: {e}")))?
        .len();
    if size > max_bytes as u64 {
        return Err(problem(format!(
            "file is too big: {size} bytes, at most {max_bytes} allowed"
        )));
    }
    std::fs::read(path).map_err(|e| problem(format!("cannot read file: {e}")))
}

/// Imports an export of any supported format; `file` names it in messages
/// and helps detect the format. Async because an `.apkg` is read with sqlx.
pub async fn import_bytes(
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<ImportedDeck, Vec<Problem>> {
    let is_apkg = match options.format {
        Some(format) => format == Format::Apkg,
        None => {
            options.term_sep.is_none()
                && options.row_sep.is_none()
                && import::detect(file, bytes) == Some(Format::Apkg)
        }
    };
    if !is_apkg {
        return import::import(file, bytes, options);
    }
    let problem = |message: String| Problem {
        file: file.to_string(),
        line: 0,
        message,
    };
    if bytes.len() > options.limits.max_bytes {
        return Err(vec![problem(format!(
            "file is too big: {} bytes, at most {} allowed",
            bytes.len(),
            options.limits.max_bytes
        ))]);
    }
    let collection = apkg_collection(bytes).await.map_err(|m| vec![problem(m)])?;
    import::import_notes(file, &collection, options)
}

/// The notes of an Anki package, in creation order, with their note types
/// and decks. The error is a message for the user.
pub async fn apkg_collection(bytes: &[u8]) -> Result<Collection, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not an Anki package (.apkg is a zip file): {e}"))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|name| name.ok().map(|n| n.into_owned()))
        .collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    // Recent Anki writes `collection.anki21b` (zstd) and, for older
    // versions, a `collection.anki2` that only says "please update": the
    // legacy file is usable only when no `anki21b` sits beside it.
    let name = if has("collection.anki21") {
        "collection.anki21"
    } else if has("collection.anki21b") {
        return Err(
            "this .apkg uses Anki's newest format (collection.anki21b), which rappel \
                    cannot read: export again from Anki with \"Notes in Plain Text\", or as a \
                    package with \"Support older Anki versions\" ticked"
                .to_string(),
        );
    } else if has("collection.anki2") {
        "collection.anki2"
    } else {
        return Err(
            "not an Anki package: no collection.anki2 or collection.anki21 inside".to_string(),
        );
    };
    let mut collection = Vec::new();
    archive
        .by_name(name)
        .map_err(|e| format!("cannot open {name} in the package: {e}"))?
        .take(MAX_COLLECTION_BYTES + 1)
        .read_to_end(&mut collection)
        .map_err(|e| format!("cannot unpack {name}: {e}"))?;
    if collection.len() as u64 > MAX_COLLECTION_BYTES {
        return Err(format!(
            "{name} is bigger than {} MB once unpacked",
            MAX_COLLECTION_BYTES / 1024 / 1024
        ));
    }
    let temp =
        TempFile::create(&collection).map_err(|e| format!("cannot write a temporary file: {e}"))?;
    read_collection(&temp.path)
        .await
        .map_err(|e| format!("cannot read the notes of {name}: {e}"))
}

/// Reads the notes, and when the collection has them (Anki's schema 11,
/// which genanki and "Support older Anki versions" write) the note types
/// and decks in `col` and each note's cards. The newer schema keeps note
/// types in binary tables: its notes are read without them (see
/// [`import::Collection`]), its deck names from the `decks` table.
async fn read_collection(path: &Path) -> Result<Collection, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut conn)
            .await?;
    let has = |name: &str| tables.iter().any(|(t,)| t == name);
    let rows: Vec<(i64, i64, String, String)> =
        sqlx::query_as("SELECT id, mid, flds, tags FROM notes ORDER BY id")
            .fetch_all(&mut conn)
            .await?;
    let (models, mut decks) = if has("col") {
        let col: Option<(String, String)> = sqlx::query_as("SELECT models, decks FROM col")
            .fetch_optional(&mut conn)
            .await?;
        col.map(|(models, decks)| (note_types(&models), deck_names(&decks)))
            .unwrap_or_default()
    } else {
        Default::default()
    };
    if decks.is_empty() && has("decks") {
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM decks")
            .fetch_all(&mut conn)
            .await?;
        decks = rows
            .into_iter()
            .map(|(id, name)| (id, name.replace('\x1f', "::")))
            .collect();
    }
    let mut cards: std::collections::HashMap<i64, Vec<(u32, i64)>> = Default::default();
    if has("cards") {
        let rows: Vec<(i64, i64, i64)> =
            sqlx::query_as("SELECT nid, ord, did FROM cards ORDER BY nid, ord")
                .fetch_all(&mut conn)
                .await?;
        for (nid, ord, did) in rows {
            cards
                .entry(nid)
                .or_default()
                .push((u32::try_from(ord).unwrap_or(0), did));
        }
    }
    conn.close().await?;
    let notes = rows
        .into_iter()
        .map(|(id, note_type, fields, tags)| {
            let own = cards.remove(&id).unwrap_or_default();
            Note {
                fields,
                tags,
                note_type,
                cards: own
                    .into_iter()
                    .map(|(template, did)| NoteCard {
                        template,
                        deck: decks.get(&did).cloned(),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Collection {
        notes,
        note_types: models,
    })
}

/// The note types of `col.models` (JSON keyed by id); an unreadable one is
/// left out, its notes then read without it.
fn note_types(json: &str) -> std::collections::HashMap<i64, NoteType> {
    let Ok(serde_json::Value::Object(models)) = serde_json::from_str(json) else {
        return Default::default();
    };
    let text =
        |value: &serde_json::Value, key: &str| value[key].as_str().unwrap_or_default().to_string();
    let by_ord = |value: &serde_json::Value| {
        let mut items: Vec<serde_json::Value> = value.as_array().cloned().unwrap_or_default();
        items.sort_by_key(|item| item["ord"].as_i64().unwrap_or(0));
        items
    };
    models
        .iter()
        .filter_map(|(id, model)| {
            let id = id.parse().ok().or_else(|| model["id"].as_i64())?;
            let note_type = NoteType {
                cloze: model["type"].as_i64() == Some(1),
                fields: by_ord(&model["flds"])
                    .iter()
                    .map(|f| text(f, "name"))
                    .collect(),
                templates: by_ord(&model["tmpls"])
                    .iter()
                    .map(|t| Template {
                        question: text(t, "qfmt"),
                        answer: text(t, "afmt"),
                    })
                    .collect(),
            };
            Some((id, note_type))
        })
        .collect()
}

/// Deck names by id, from `col.decks` (JSON keyed by id).
fn deck_names(json: &str) -> std::collections::HashMap<i64, String> {
    let Ok(serde_json::Value::Object(decks)) = serde_json::from_str(json) else {
        return Default::default();
    };
    decks
        .iter()
        .filter_map(|(id, deck)| Some((id.parse().ok()?, deck["name"].as_str()?.to_string())))
        .collect()
}

/// A file in the temporary directory, deleted when dropped.
struct TempFile {
    path: PathBuf,
}

impl TempFile {
    fn create(content: &[u8]) -> std::io::Result<Self> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("rappel-import-{}-{n}.sqlite", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let temp = Self { path };
                    file.write_all(content)?;
                    return Ok(temp);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} already exists: pass --force to overwrite it")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes `text` to `path`, creating its directory; refuses to replace an
/// existing file unless `force`.
pub fn write_file(path: &Path, text: &str, force: bool) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut open = OpenOptions::new();
    open.write(true);
    if force {
        open.create(true).truncate(true);
    } else {
        open.create_new(true);
    }
    let mut file = open.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.to_path_buf())
        } else {
            io(e)
        }
    })?;
    file.write_all(text.as_bytes()).map_err(io)
}
