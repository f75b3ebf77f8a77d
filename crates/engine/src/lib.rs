//! `engine`: turns NLM's files into a local PubMed.
//!
//! - [`archive`]: a data directory as a whole: store, index and MeSH, and searching them;
//! - [`store`]: the record store: records by PMID and version, deletions, the ingest log;
//! - [`index`]: the full-text index (tantivy) and how a record becomes a document;
//! - [`search`]: a parsed query made into index queries;
//! - [`vocabulary`]: the MeSH vocabulary, for explosion and term mapping;
//! - [`ingest`]: applies files in order, each atomically, skipping files already applied.
//!
//! Data flows one way: files → `medline` (parse) → here (store) → the server and the CLI.

pub mod archive;
pub mod error;
pub mod index;
pub mod ingest;
pub mod search;
mod spell;
pub mod store;
pub mod vocabulary;

pub use archive::{Archive, Facets, Indexer, LineOutcome, SearchOptions, SearchOutcome, Sort, day_of, today};
pub use error::{EngineError, Result};
pub use ingest::{FileOutcome, Progress, expand_paths, ingest_file};
pub use store::{FileEntry, Lookup, Stats, Store, StoredRecord};
