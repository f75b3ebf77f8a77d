//! Errors of the reader, each with the position (line, column, byte offset in the uncompressed
//! XML) where it was detected, so a user can open the file at that place.

use std::fmt;

/// A position in the uncompressed XML: 1-based line and column (in bytes), 0-based byte offset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    /// The line, from 1.
    pub line: u64,
    /// The column on that line, from 1, counted in bytes.
    pub column: u64,
    /// The byte offset from the start of the uncompressed XML, from 0.
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
    /// Where in the file the error was detected.
    pub position: Position,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// What went wrong while reading a file.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// The source could not be read.
    #[error("read failed: {0}")]
    Io(std::io::Error),
    /// The gzip stream stops before its end: the file was cut short.
    #[error("the gzip stream ends early (truncated file)")]
    TruncatedGzip,
    /// The XML is not well-formed.
    #[error("malformed XML: {0}")]
    Xml(quick_xml::Error),
    /// The file has no root element.
    #[error("the file has no root element (empty, or not XML)")]
    NoRoot,
    /// The root element (named) is not one of NLM's sets and holds no PubMed record.
    #[error("unknown root element <{0}>: expected <PubmedArticleSet> or <MedlineCitationSet>")]
    UnknownRoot(String),
    /// An element where a record or a deletion was expected.
    #[error("unexpected <{found}> inside <{parent}>")]
    UnexpectedElement {
        /// The unexpected element's name.
        found: String,
        /// The element it stands in, or `the document` after the root.
        parent: String,
    },
    /// Text where only elements may stand (its first characters).
    #[error("text outside any element: {0:?}")]
    StrayText(String),
    /// The file ends inside the named element.
    #[error("the file ends inside <{0}> (truncated file)")]
    UnexpectedEof(String),
    /// The named record element has no PMID.
    #[error("<{0}> has no PMID")]
    MissingPmid(String),
    /// A PMID (its text) that is not a positive whole number.
    #[error("PMID {0:?} is not a positive whole number")]
    BadPmid(String),
    /// A date part or PMID version that is not a number.
    #[error("<{element}> holds {value:?}, not a number")]
    BadNumber {
        /// The element's name (`Year`, `Month`, ..., or `PMID Version`).
        element: String,
        /// The text it holds.
        value: String,
    },
    /// A named entity (its name) that XML does not define, such as `&nbsp;`.
    #[error("undefined entity &{0};")]
    UndefinedEntity(String),
    /// A declared encoding other than UTF-8 or ISO-8859-1.
    #[error("unsupported encoding {0:?}: NLM's files are UTF-8")]
    Encoding(String),
    /// A record or a value too large to read.
    #[error("{0}")]
    Oversized(Oversized),
}

/// Input past the bounds that keep reading a file in flat memory, far above any real record
/// (the largest real ones, with thousands of authors, take a few megabytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Oversized {
    /// A record longer than [`MAX_RECORD_BYTES`](crate::reader::MAX_RECORD_BYTES).
    #[error("a record longer than {} MB (no real PubMed record comes near)", crate::reader::MAX_RECORD_BYTES >> 20)]
    Record,
    /// A text or attribute value longer than [`MAX_RUN_BYTES`](crate::reader::MAX_RUN_BYTES).
    #[error("a text or attribute value longer than {} MB (no real PubMed record comes near)", crate::reader::MAX_RUN_BYTES >> 20)]
    Run,
}
