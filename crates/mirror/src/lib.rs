//! `mirror`: NLM's PubMed files as a source of downloads. NLM serves the annual baseline under
//! `baseline/` and the daily updates under `updatefiles/` of one base URL, each directory an
//! HTML index linking `pubmedYYnNNNN.xml.gz` files and their `.md5` files. This crate reads those
//! listings ([`listing`]), downloads a file with HTTP ranges to resume, retries with backoff on
//! transport errors and 5xx answers, and verifies it against its `.md5` ([`download`]). It knows
//! nothing of the store: the command line decides what to fetch and applies what arrives.
#![warn(missing_docs)]

pub mod checksum;
pub mod download;
mod error;
pub mod listing;

pub use download::{Retry, Source};
pub use error::MirrorError;
pub use listing::{Directory, NlmFile};
