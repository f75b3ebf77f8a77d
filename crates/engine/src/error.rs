//! The engine's errors; each names the file (or store) it concerns.

use std::path::{Path, PathBuf};

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// Each message is complete in itself (it includes its cause), so callers print it once.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{}: {error}", path.display())]
    Parse { path: PathBuf, error: medline::ParseError },
    #[error("no store in {}: run `medlars ingest` first", dir.display())]
    NoStore { dir: PathBuf },
    #[error("the index in {} was built by another version of Medlars: run `medlars ingest` to rebuild it", dir.display())]
    OldIndex { dir: PathBuf },
    #[error("the store is open for reading only")]
    ReadOnly,
    #[error("{}: no .xml or .xml.gz files in this directory", path.display())]
    NoXml { path: PathBuf },
    #[error("store {}: {error}", path.display())]
    Store { path: PathBuf, error: redb::Error },
    #[error("index {}: {error}", path.display())]
    Index { path: PathBuf, error: tantivy::TantivyError },
    #[error("search failed: {0}")]
    Search(tantivy::TantivyError),
    #[error(transparent)]
    Query(#[from] query::QueryError),
    #[error("the search was stopped (its request ran out of time, or its client left)")]
    Stopped,
    #[error("store holds a damaged value for {what}: {detail}")]
    Corrupt { what: String, detail: String },
}

impl EngineError {
    pub(crate) fn io(path: &Path, error: std::io::Error) -> EngineError {
        EngineError::Io { path: path.to_owned(), error }
    }

    pub(crate) fn index(path: &Path, error: impl Into<tantivy::TantivyError>) -> EngineError {
        EngineError::Index { path: path.to_owned(), error: error.into() }
    }

    pub(crate) fn store(path: &Path, error: impl Into<redb::Error>) -> EngineError {
        EngineError::Store { path: path.to_owned(), error: error.into() }
    }
}
