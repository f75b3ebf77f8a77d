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

const MAX: usize = 10_000;

fn bad(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")], format!("{message}\n"))
        .into_response()
}

/// Bytes of a streamed document gathered before each send.
const CHUNK_BYTES: usize = 64 << 10;
/// Chunks written ahead of what the client has taken: what one response holds in memory.
const CHUNKS_AHEAD: usize = 4;

/// The records the archive holds among `pmids`, in that order, as one document in `format`
/// (missing PMIDs are left out, as NCBI and PubMed leave them out). Streamed: a blocking task
/// writes it a chunk at a time into a bounded channel, so a response of 10,000 records holds at
/// most [`CHUNKS_AHEAD`] chunks in memory, a client that reads slowly slows the writer, and one
/// that leaves stops it. A record that cannot be read cuts the response short.
pub fn document(archive: Arc<Archive>, format: Format, pmids: Vec<u32>) -> Body {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, String>>(CHUNKS_AHEAD);
    tokio::task::spawn_blocking(move || write_document(&archive, format, &pmids, &tx));
    Body::from_stream(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)))
}

fn write_document(
    archive: &Archive,
    format: Format,
    pmids: &[u32],
    tx: &tokio::sync::mpsc::Sender<Result<Bytes, String>>,
) {
    let send = |chunk: &mut Vec<u8>| tx.blocking_send(Ok(Bytes::from(std::mem::take(chunk)))).is_ok();
    let fail = |message: String| drop(tx.blocking_send(Err(message)));
    let mut chunk = Vec::from(format.begin());
    let mut n = 0;
    for &pmid in pmids {
        match archive.store.get(pmid) {
            Ok(Lookup::Found(stored)) => {
                n += 1;
                if let Err(e) = format.write(&mut chunk, n, stored.element, &stored.xml) {
                    return fail(format!("PMID {pmid}: {e}"));
                }
            }
            Ok(_) => {}
            Err(e) => return fail(e.to_string()),
        }
        if chunk.len() >= CHUNK_BYTES && !send(&mut chunk) {
            return; // the client has gone
        }
    }
    chunk.extend_from_slice(format.end().as_bytes());
    send(&mut chunk);
}

/// `pairs` are the request's parameters; `expanded` the term with history references replaced.
pub fn respond(state: &AppState, pairs: &[(String, String)], expanded: Option<&str>) -> Response {
    let get = |key: &str| pairs.iter().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v.as_str());
    let Some(format) = get("format").and_then(Format::from_name) else {
        let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
        return bad(&format!("format must be one of {}", names.join(", ")));
    };
    let pmids: Vec<u32> = match (get("id"), expanded) {
        (Some(ids), _) => match ids.split(',').map(|i| i.trim().parse::<u32>()).collect::<Result<Vec<_>, _>>() {
            Ok(ids) => ids.into_iter().take(MAX).collect(),
            Err(_) => return bad(&format!("\"{ids}\" is not a list of PMIDs")),
        },
        (None, Some(term)) => {
            let filters: Vec<String> = pairs.iter().filter(|(k, _)| k == "filter").map(|(_, v)| v.clone()).collect();
            let today = engine::today();
            let query = crate::results::effective_query(term, &filters, today);
            let (sort, _) = crate::sort_of(get("sort").unwrap_or_default());
            match state.archive().search(&query, &SearchOptions { sort, limit: MAX, offset: 0, today }) {
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
