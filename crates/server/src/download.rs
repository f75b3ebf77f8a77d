//! `/download?format=F&id=1,2` or `&term=...` (with the search page's `filter` and `sort`):
//! records as a file in any format, as PubMed's "Save" and "Cite → Download" give them. At most
//! 10,000 records, as PubMed saves.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use engine::{Archive, Lookup, SearchOptions};
use medline::format::Format;

use crate::AppState;
use crate::parameters::Parameters;

const MAX: usize = 10_000;

fn bad(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")], format!("{message}\n"))
        .into_response()
}

/// Bytes of a streamed document written at a time: what one response holds in memory.
const CHUNK_BYTES: usize = 64 << 10;

/// The records the archive holds among `pmids`, in that order, as one document in `format`
/// (missing PMIDs are left out, as NCBI and PubMed leave them out). Streamed, and written as the
/// client takes it: each chunk of about [`CHUNK_BYTES`] is written when the connection is ready
/// for it (a few store reads, well under a millisecond), so a response of 10,000 records holds
/// one chunk in memory and no thread while a client reads slowly, and one that leaves ends it. A
/// record that cannot be read cuts the response short.
pub fn document(archive: Arc<Archive>, format: Format, pmids: Vec<u32>) -> Body {
    let chunks = Chunks { archive, format, pmids, next: 0, written: 0, done: false };
    Body::from_stream(futures_util::stream::iter(chunks))
}

/// A document's chunks, each written when asked for.
struct Chunks {
    archive: Arc<Archive>,
    format: Format,
    pmids: Vec<u32>,
    /// The next PMID of `pmids` to write.
    next: usize,
    /// Records written so far (formats number them).
    written: usize,
    done: bool,
}

impl Iterator for Chunks {
    type Item = Result<Bytes, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut chunk = if self.next == 0 { Vec::from(self.format.begin()) } else { Vec::new() };
        while chunk.len() < CHUNK_BYTES && self.next < self.pmids.len() {
            let pmid = self.pmids[self.next];
            self.next += 1;
            match self.archive.store.get(pmid) {
                Ok(Lookup::Found(stored)) => {
                    self.written += 1;
                    if let Err(e) = self.format.write(&mut chunk, self.written, stored.element, &stored.xml) {
                        self.done = true;
                        return Some(Err(format!("PMID {pmid}: {e}")));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(e.to_string()));
                }
            }
        }
        if self.next == self.pmids.len() {
            chunk.extend_from_slice(self.format.end().as_bytes());
            self.done = true;
        }
        Some(Ok(Bytes::from(chunk)))
    }
}

/// `strategy` is the term parsed, history references replaced.
pub fn respond(state: &AppState, p: &Parameters, strategy: Option<Vec<query::Line>>) -> Response {
    let get = |key: &str| p.get(key);
    let Some(format) = get("format").and_then(Format::from_name) else {
        let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
        return bad(&format!("format must be one of {}", names.join(", ")));
    };
    let pmids: Vec<u32> = match (get("id"), strategy) {
        (Some(ids), _) => match ids.split(',').map(|i| i.trim().parse::<u32>()).collect::<Result<Vec<_>, _>>() {
            Ok(ids) => ids.into_iter().take(MAX).collect(),
            Err(_) => return bad(&format!("\"{ids}\" is not a list of PMIDs")),
        },
        (None, Some(strategy)) => {
            let filters: Vec<String> = p.all("filter").into_iter().map(str::to_owned).collect();
            let today = engine::today();
            let effective = crate::results::effective_strategy(&strategy, &filters, today);
            let (sort, _) = crate::page_sort(get("sort").unwrap_or_default());
            match state.archive().search_strategy(effective, &SearchOptions { sort, limit: MAX, offset: 0, today }) {
                Ok(o) => o.pmids,
                Err(e) => return bad(&e.to_string()),
            }
        }
        (None, None) => return bad("give id=PMID,PMID or term=QUERY"),
    };
    let body = document(state.archive(), format, pmids);
    let d = engine::today();
    let name = format!("attachment; filename=\"pubmed-{}{:02}{:02}.{}\"", d.year, d.month, d.day, format.extension());
    ([(header::CONTENT_TYPE, format.media_type().to_owned()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response()
}
