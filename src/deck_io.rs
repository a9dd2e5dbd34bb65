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
use crate::core::import::{self, Format, ImportOptions, ImportedDeck, Note};

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
    let notes = apkg_notes(bytes).await.map_err(|m| vec![problem(m)])?;
    import::import_notes(file, &notes, &options.limits)
}

/// The notes of an Anki package, in creation order. The error is a message
/// for the user.
pub async fn apkg_notes(bytes: &[u8]) -> Result<Vec<Note>, String> {
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
    read_notes(&temp.path)
        .await
        .map_err(|e| format!("cannot read the notes of {name}: {e}"))
}

async fn read_notes(path: &Path) -> Result<Vec<Note>, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, flds, tags FROM notes ORDER BY id")
            .fetch_all(&mut conn)
            .await?;
    conn.close().await?;
    Ok(rows
        .into_iter()
        .map(|(id, fields, tags)| Note { id, fields, tags })
        .collect())
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
