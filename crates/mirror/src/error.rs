//! What can go wrong getting a file, each message naming the URL or file concerned.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    #[error("{url}: {detail}")]
    Http { url: String, detail: String },
    #[error("{url}: the server answered {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: no pubmedYYnNNNN.xml.gz files listed (is this NLM's PubMed directory?)")]
    ForeignListing { url: String },
    #[error("{url}: not an MD5 line for {name}: {line:?}")]
    BadChecksumFile { url: String, name: String, line: String },
    #[error("{name}: its MD5 is {actual}, NLM's .md5 file says {expected}")]
    ChecksumMismatch { name: String, expected: String, actual: String },
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
}

impl MirrorError {
    /// Worth trying again: the network or the server may do better next time.
    pub fn is_transient(&self) -> bool {
        match self {
            MirrorError::Http { .. } | MirrorError::ChecksumMismatch { .. } => true,
            MirrorError::Status { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }
}
