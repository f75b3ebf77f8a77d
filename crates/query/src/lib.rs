//! `query`: PubMed's query language, with no I/O and no knowledge of any index.
//!
//! - [`parse`]: text → [`Query`] (left-to-right Booleans, phrases, tags, truncation, proximity,
//!   date ranges, `#N`), with positioned errors and warnings;
//! - [`strategy`]: multi-line search strategies as reviewers publish them, each line read as
//!   PubMed or as Ovid MEDLINE syntax;
//! - [`ovid`]: Ovid MEDLINE's syntax, read into the same [`Query`];
//! - [`atm`]: automatic term mapping of untagged words through a [`Vocabulary`];
//! - [`combine`]: searches combined as parsed queries (history references replaced, filters
//!   and date limits added), never as text pasted together;
//! - [`field`]: the field tags; [`date`]: date terms; [`subheading`]: MeSH's subheadings;
//! - [`ast`]: the query tree, printed as PubMed's translation ("Search details").
#![warn(missing_docs)]

pub mod ast;
pub mod atm;
pub mod combine;
pub mod date;
pub mod field;
pub mod ovid;
pub mod parse;
pub mod strategy;
pub mod subheading;
pub mod warning;

pub use ast::{Near, Query, Span, Term, WILDCARDS};
pub use atm::{Mapping, NoVocabulary, STOPWORDS, Vocabulary, map_terms};
pub use combine::{CombineError, MAX_COMBINED_NODES, restrict, strategy_as_query};
pub use date::{DateRange, Day, parse_date_term};
pub use field::{Field, FieldKind, edit_distance};
pub use parse::{Parsed, QueryError, history_references, parse, read_tag};
pub use strategy::{Dialect, Line, parse_strategy};
pub use warning::Warning;
