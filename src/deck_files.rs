//! Reading deck files from disk: the shell around [`crate::core::deck`].

use std::path::Path;

use crate::core::deck::{self, Library, Problem};

/// Loads every `*.toml` file of `dir` (sorted by name) into a [`Library`],
/// or returns every problem of every file.
pub fn load_dir(dir: &Path) -> Result<Library, Vec<Problem>> {
    let shown = dir.display().to_string();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            return Err(vec![Problem {
                file: shown,
                line: 0,
                message: format!("cannot read deck directory: {e}"),
            }]);
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    let mut problems = Vec::new();
    let mut decks = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Err(e) => problems.push(Problem {
                file,
                line: 0,
                message: format!("cannot read file: {e}"),
            }),
            Ok(text) => match deck::parse(&file, &text) {
                Ok(deck) => decks.push((file, deck)),
                Err(mut found) => problems.append(&mut found),
            },
        }
    }
    if decks.is_empty() && problems.is_empty() {
        problems.push(Problem {
            file: shown,
            line: 0,
            message: "no deck files (*.toml) found".to_string(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Library::new(decks)
}
