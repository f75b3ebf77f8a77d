//! `/download?format=F&id=1,2` or `&term=...` (with the search page's `filter` and `sort`):
//! records as a file in any format, as PubMed's "Save" and "Cite → Download" give them. At most
//! 10,000 records, as PubMed saves.

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

/// The records the archive holds among `pmids`, in that order, as one document in `format`
/// (missing PMIDs are left out, as NCBI and PubMed leave them out).
pub fn document(archive: &Archive, format: Format, pmids: &[u32]) -> Result<Vec<u8>, String> {
    let mut body = Vec::from(format.begin());
    let mut n = 0;
    for &pmid in pmids {
        if let Lookup::Found(stored) = archive.store.get(pmid).map_err(|e| e.to_string())? {
            n += 1;
            format.write(&mut body, n, stored.element, &stored.xml).map_err(|e| format!("PMID {pmid}: {e}"))?;
        }
    }
    body.extend_from_slice(format.end().as_bytes());
    Ok(body)
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
    let body = match document(&state.archive(), format, &pmids) {
        Ok(body) => body,
        Err(e) => return bad(&e),
    };
    let d = engine::today();
    let name = format!("attachment; filename=\"pubmed-{}{:02}{:02}.{}\"", d.year, d.month, d.day, format.extension());
    ([(header::CONTENT_TYPE, format.media_type().to_owned()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response()
}
