//! Errors of the reader, each with the position (line, column, byte offset in the uncompressed
//! XML) where it was detected, so a user can open the file at that place.

use std::fmt;

/// A position in the uncompressed XML: 1-based line and column (in bytes), 0-based byte offset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub column: u64,
    pub offset: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// The message is complete in itself (it includes its cause), so callers print it once.
#[derive(Debug, thiserror::Error)]
#[error("{position}: {kind}")]
pub struct ParseError {
    pub position: Position,
    pub kind: ErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("read failed: {0}")]
    Io(std::io::Error),
    #[error("the gzip stream ends early (truncated file)")]
    TruncatedGzip,
    #[error("malformed XML: {0}")]
    Xml(quick_xml::Error),
    #[error("the file has no root element (empty, or not XML)")]
    NoRoot,
    #[error("unknown root element <{0}>: expected <PubmedArticleSet> or <MedlineCitationSet>")]
    UnknownRoot(String),
    #[error("unexpected <{found}> inside <{parent}>")]
    UnexpectedElement { found: String, parent: String },
    #[error("text outside any element: {0:?}")]
    StrayText(String),
    #[error("the file ends inside <{0}> (truncated file)")]
    UnexpectedEof(String),
    #[error("<{0}> has no PMID")]
    MissingPmid(String),
    #[error("PMID {0:?} is not a positive whole number")]
    BadPmid(String),
    #[error("<{element}> holds {value:?}, not a number")]
    BadNumber { element: String, value: String },
    #[error("undefined entity &{0};")]
    UndefinedEntity(String),
    #[error("unsupported encoding {0:?}: NLM's files are UTF-8")]
    Encoding(String),
    #[error("{0}")]
    Oversized(Oversized),
}

/// Input past the bounds that keep reading a file in flat memory, far above any real record
/// (the largest real ones, with thousands of authors, take a few megabytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Oversized {
    #[error("a record longer than {} MB (no real PubMed record comes near)", crate::reader::MAX_RECORD_BYTES >> 20)]
    Record,
    #[error("a text or attribute value longer than {} MB (no real PubMed record comes near)", crate::reader::MAX_RUN_BYTES >> 20)]
    Run,
}
