//! Locates `../shared` (NLM's real files, read-only) for tests and benchmarks.
//!
//! Tests that need it call [`shared`]: when the folder is absent (a user's clone) they skip with a
//! one-line note; under `CI=true` its absence is a failure, so CI can never skip them silently.

use std::path::{Path, PathBuf};

/// The `shared` folder beside the repository, or `None` (after printing why) when it is absent.
/// Panics when it is absent under `CI=true`.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("data").is_dir() {
        return Some(dir.canonicalize().unwrap_or(dir));
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "CI=true but the shared data folder {} is missing",
            dir.display()
        );
    }
    eprintln!(
        "note: skipped, {} is absent (NLM's real files live there)",
        dir.display()
    );
    None
}

/// Every file below `dir`, sorted by path: the order `medlars ingest DIR` applies them in.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable test data folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
