//! The engine's errors; each names the file (or store) it concerns.

use std::path::{Path, PathBuf};

/// The engine's results.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// Each message is complete in itself (it includes its cause), so callers print it once.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Reading or writing a file.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        error: std::io::Error,
    },
    /// A file that is not the XML NLM writes.
    #[error("{}: {error}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The fault and its position.
        error: medline::ParseError,
    },
    /// A data directory with nothing ingested.
    #[error("no store in {}: run `medlars ingest` first", dir.display())]
    NoStore {
        /// The data directory.
        dir: PathBuf,
    },
    /// An index of an older schema.
    #[error("the index in {} was built by another version of Medlars: run `medlars ingest` to rebuild it", dir.display())]
    OldIndex {
        /// The data directory.
        dir: PathBuf,
    },
    /// A change asked of an archive opened read-only (as the server opens it).
    #[error("the store is open for reading only")]
    ReadOnly,
    /// A directory given to ingest that holds no NLM files.
    #[error("{}: no .xml or .xml.gz files in this directory", path.display())]
    NoXml {
        /// The directory.
        path: PathBuf,
    },
    /// The record store (redb).
    #[error("store {}: {error}", path.display())]
    Store {
        /// The store's file.
        path: PathBuf,
        /// redb's error.
        error: redb::Error,
    },
    /// The search index (tantivy).
    #[error("index {}: {error}", path.display())]
    Index {
        /// The index's directory.
        path: PathBuf,
        /// tantivy's error.
        error: tantivy::TantivyError,
    },
    /// A search tantivy could not run.
    #[error("search failed: {0}")]
    Search(tantivy::TantivyError),
    /// A query that cannot be searched.
    #[error(transparent)]
    Query(#[from] query::QueryError),
    /// A search stopped from outside.
    #[error("the search was stopped (its request ran out of time, or its client left)")]
    Stopped,
    /// A stored value that does not decode.
    #[error("store holds a damaged value for {what}: {detail}")]
    Corrupt {
        /// What the value is.
        what: String,
        /// How it is damaged.
        detail: String,
    },
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
