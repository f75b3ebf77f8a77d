//! `engine`: turns NLM's files into a local PubMed.
//!
//! - [`archive`]: a data directory as a whole: store, index and MeSH, and searching them;
//! - [`store`]: the record store: records by PMID and version, deletions, the ingest log;
//! - [`index`]: the full-text index (tantivy): its fields and words; `document.rs`: how a record
//!   becomes a document;
//! - [`search`]: a parsed query made into index queries (for ranking by relevance, and for the
//!   terms of a query);
//! - [`hits`], [`cache`], [`facets`]: queries as sets of hits, kept per index generation; the sidebar;
//! - [`sort`]: the orders of results;
//! - [`vocabulary`]: the MeSH vocabulary, for explosion and term mapping;
//! - [`ingest`]: applies files in order, each atomically, skipping files already applied;
//! - [`stopping`]: stopping a search from outside (a request out of time);
//! - [`location`]: which directory holds a data directory's archive (after a new year's baseline).
//!
//! Data flows one way: files → `medline` (parse) → here (store) → the server and the CLI.
#![warn(missing_docs)]

pub mod archive;
pub mod cache;
mod calendar;
mod dense_terms;
mod document;
pub mod error;
mod evaluate;
pub mod facets;
pub mod hits;
pub mod index;
pub mod ingest;
mod line_query;
pub mod location;
mod mesh_hierarchy;
mod order;
mod parse_ahead;
pub mod search;
mod segment_extras;
mod sharing;
mod similar;
pub mod sort;
mod spell;
pub mod stopping;
pub mod store;
mod stored_explosions;
mod subsumed_phrases;
mod top_scored;
pub mod vocabulary;
mod word_pattern;

pub use archive::{Archive, Indexer, LineOutcome, SearchOptions, SearchOutcome};
pub use cache::CacheStats;
pub use calendar::{day_of, today};
pub use error::{EngineError, Result};
pub use facets::Facets;
pub use ingest::{FileOutcome, Progress, default_parse_jobs, expand_paths, ingest_file, ingest_files};
pub use similar::SimilarArticles;
pub use sort::Sort;
pub use store::{FileEntry, Lookup, Stats, Store, StoredRecord};

/// The cores this process may use (one when that is not known).
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
