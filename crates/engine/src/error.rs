//! The engine's errors; each names the file (or store) it concerns.

use std::path::{Path, PathBuf};

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Parse { path: PathBuf, source: medline::ParseError },
    #[error("{}: no .xml or .xml.gz files in this directory", path.display())]
    NoXml { path: PathBuf },
    #[error("store {}: {source}", path.display())]
    Store { path: PathBuf, source: redb::Error },
    #[error("store holds a damaged value for {what}: {detail}")]
    Corrupt { what: String, detail: String },
}

impl EngineError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> EngineError {
        EngineError::Io { path: path.to_owned(), source }
    }

    pub(crate) fn store(path: &Path, source: impl Into<redb::Error>) -> EngineError {
        EngineError::Store { path: path.to_owned(), source: source.into() }
    }
}
