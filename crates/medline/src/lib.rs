//! `medline`: PubMed's citation record model and NLM's PubMed XML, read as a stream.
//!
//! - [`model`]: one type per element of `pubmed_250101.dtd` (and the older elements still found
//!   in archived files);
//! - [`reader`]: [`ArticleSetReader`] yields records with their original bytes, and deletions;
//! - [`text`]: text with inline markup, kept for display and flattened for search;
//! - [`xml`]: writing records back as a `PubmedArticleSet` document;
//! - [`format`](mod@format): the text formats (MEDLINE, Abstract) and the citation pieces they share;
//! - [`language`]: the languages of records: codes, searched names, shown names.
//!
//! This crate does no I/O of its own: callers hand it readers and take back values.
#![warn(missing_docs)]

pub mod error;
pub mod format;
mod input;
pub mod language;
pub mod model;
mod parse;
pub mod reader;
pub mod text;
pub mod xml;

pub use error::{ErrorKind, Oversized, ParseError, Position};
pub use model::{Pmid, Record};
pub use reader::{ArticleSetReader, Item, RawRecord, ReadWarning, RecordElement, parse_record};
pub use text::Rich;
