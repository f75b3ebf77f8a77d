//! Where a data directory's archive lives. At first the directory itself; once a new year's
//! baseline has been built beside it (`medlars sync`), the subdirectory that the file `current`
//! names. That file is replaced by a rename, so a reader opening the data directory finds the old
//! archive or the new one, never neither; a server notices the change and opens the new one.

use std::path::{Path, PathBuf};

use crate::error::{EngineError, Result};

/// The file naming the archive's subdirectory.
const CURRENT: &str = "current";

/// What an archive keeps directly in its directory: what is removed of an archive held in the
/// data directory itself once another has replaced it.
const ARCHIVE_ENTRIES: [&str; 8] =
    ["store.redb", "store.redb.new", "records.dat", "index", "dense", "mesh.redb", "mesh.redb.new", "downloads"];

/// The directory holding the archive of the data directory `data`.
pub fn archive_dir(data: &Path) -> Result<PathBuf> {
    Ok(match current_name(data)? {
        Some(name) => data.join(name),
        None => data.to_owned(),
    })
}

/// The subdirectory `current` names, if it names one.
fn current_name(data: &Path) -> Result<Option<String>> {
    let path = data.join(CURRENT);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let name = text.trim();
            let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !plain {
                return Err(EngineError::Corrupt {
                    what: path.display().to_string(),
                    detail: format!("{name:?} is not the name of a subdirectory"),
                });
            }
            Ok(Some(name.to_owned()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EngineError::io(&path, e)),
    }
}

/// Makes `data/name` the data directory's archive, in one rename.
pub fn switch_to(data: &Path, name: &str) -> Result<()> {
    let path = data.join(CURRENT);
    let fresh = data.join("current.new");
    std::fs::write(&fresh, format!("{name}\n")).map_err(|e| EngineError::io(&fresh, e))?;
    std::fs::File::open(&fresh).and_then(|f| f.sync_all()).map_err(|e| EngineError::io(&fresh, e))?;
    std::fs::rename(&fresh, &path).map_err(|e| EngineError::io(&path, e))?;
    // The rename itself is durable once the directory is synced.
    std::fs::File::open(data).and_then(|d| d.sync_all()).map_err(|e| EngineError::io(data, e))
}

/// Removes what archives replaced by the current one left: an archive held in the data
/// directory itself, and subdirectories of older years' baselines (named `pubmedYY` with a
/// smaller YY). Newer subdirectories, a baseline being built, are kept. Returns what was removed.
pub fn remove_replaced(data: &Path) -> Result<Vec<PathBuf>> {
    let Some(current) = current_name(data)? else { return Ok(Vec::new()) };
    let Some(current_year) = baseline_year(&current) else { return Ok(Vec::new()) };
    let mut replaced: Vec<PathBuf> = ARCHIVE_ENTRIES.iter().map(|e| data.join(e)).filter(|p| p.exists()).collect();
    let entries = std::fs::read_dir(data).map_err(|e| EngineError::io(data, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| EngineError::io(data, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if baseline_year(&name).is_some_and(|year| year < current_year) && entry.path().is_dir() {
            replaced.push(entry.path());
        }
    }
    for path in &replaced {
        let removed = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
        removed.map_err(|e| EngineError::io(path, e))?;
    }
    Ok(replaced)
}

/// The subdirectory name of the archive of a year's baseline: `pubmed26` for NLM's `pubmed26n`.
pub fn baseline_dir_name(year: u8) -> String {
    format!("pubmed{year:02}")
}

fn baseline_year(name: &str) -> Option<u8> {
    let digits = name.strip_prefix("pubmed")?;
    (digits.len() == 2).then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_archive_is_named_by_one_file_and_the_replaced_ones_removed() {
        let data = std::env::temp_dir().join(format!("medlars-location-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        for dir in ["index", "pubmed25", "pubmed26", "pubmed27"] {
            std::fs::create_dir_all(data.join(dir)).unwrap();
        }
        std::fs::write(data.join("store.redb"), b"old").unwrap();
        assert_eq!(archive_dir(&data).unwrap(), data, "no `current`: the directory itself");
        assert!(remove_replaced(&data).unwrap().is_empty(), "nothing is replaced before a switch");

        switch_to(&data, &baseline_dir_name(26)).unwrap();
        assert_eq!(archive_dir(&data).unwrap(), data.join("pubmed26"));
        let mut removed = remove_replaced(&data).unwrap();
        removed.sort();
        assert_eq!(removed, [data.join("index"), data.join("pubmed25"), data.join("store.redb")]);
        assert!(data.join("pubmed26").exists() && data.join("pubmed27").exists(), "current and newer stay");

        std::fs::write(data.join(CURRENT), "../elsewhere\n").unwrap();
        assert!(archive_dir(&data).is_err(), "a path that leaves the directory is refused");
        let _ = std::fs::remove_dir_all(&data);
    }
}
