//! What can go wrong getting a file, each message naming the URL or file concerned.

use std::path::PathBuf;

/// Why a listing, a checksum or a file could not be had.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// The connection failed or was cut.
    #[error("{url}: {detail}")]
    Http {
        /// What was asked for.
        url: String,
        /// The HTTP client's account of it.
        detail: String,
    },
    /// The server answered with an error status.
    #[error("{url}: the server answered {status}")]
    Status {
        /// What was asked for.
        url: String,
        /// The status, `404`, `503`, ...
        status: u16,
    },
    /// A listing that names none of NLM's files.
    #[error("{url}: no pubmedYYnNNNN.xml.gz files listed (is this NLM's PubMed directory?)")]
    ForeignListing {
        /// The listing asked for.
        url: String,
    },
    /// A `.md5` file that does not read as NLM's do.
    #[error("{url}: not an MD5 line for {name}: {line:?}")]
    BadChecksumFile {
        /// The `.md5` file asked for.
        url: String,
        /// The file it should be the checksum of.
        name: String,
        /// What it holds instead.
        line: String,
    },
    /// A downloaded file whose MD5 is not the one NLM gives.
    #[error("{name}: its MD5 is {actual}, NLM's .md5 file says {expected}")]
    ChecksumMismatch {
        /// The file downloaded.
        name: String,
        /// NLM's MD5.
        expected: String,
        /// The downloaded bytes' MD5.
        actual: String,
    },
    /// Reading or writing a file here.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        error: std::io::Error,
    },
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
