//! `engine`: turns NLM's files into a local PubMed.
//!
//! - [`store`]: the record store (redb): records by PMID and version, deletions, the ingest log;
//! - [`ingest`]: applies files in order, each atomically, skipping files already applied.
//!
//! Data flows one way: files → `medline` (parse) → here (store) → the server and the CLI.

pub mod error;
pub mod ingest;
pub mod store;

pub use error::{EngineError, Result};
pub use ingest::{FileOutcome, Progress, expand_paths, ingest_file};
pub use store::{FileEntry, Lookup, Stats, Store, StoredRecord};
