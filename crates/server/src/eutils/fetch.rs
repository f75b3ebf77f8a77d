//! EFetch (records as NLM's XML, MEDLINE text, Abstract text, PMID lists or summaries) and EPost
//! (PMIDs into the history server).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use medline::format::Format;

use serde::Serialize;

use super::document::{IdList, document, error_document};
use super::webenv::Set;
use super::{Params, requested_ids};
use crate::AppState;

fn error_xml(message: &str) -> Response {
    error_document(None, "eFetchResult", message)
}

const EPOST_DOCTYPE: &str = "<!DOCTYPE ePostResult PUBLIC \"-//NLM//DTD epost 20090526//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20090526/epost.dtd\">";

/// `<ePostResult>`: the tokens that were not PMIDs, and where the PMIDs are kept (or why not).
#[derive(Serialize)]
#[serde(rename = "ePostResult", rename_all = "PascalCase")]
struct PostResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    invalid_id_list: Option<InvalidIdList<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_key: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web_env: Option<String>,
    #[serde(rename = "ERROR", skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct InvalidIdList<'a> {
    id: &'a [String],
}

/// The PMIDs the archive holds among `ids`, in the order asked (missing ones are left out, as
/// NCBI leaves them out).
fn held(state: &AppState, ids: &[u32]) -> Result<Vec<u32>, String> {
    let holds = state.archive().store.holds(ids).map_err(|e| e.to_string())?;
    Ok(ids.iter().zip(holds).filter(|(_, h)| *h).map(|(id, _)| *id).collect())
}

pub fn efetch(state: &AppState, p: &Params) -> Response {
    if let Some(e) = p.db_error("db") {
        return error_xml(&e);
    }
    let ids = match requested_ids(state, p, 20) {
        Ok(ids) => ids,
        Err(e) => return error_xml(&e),
    };
    let rettype = p.get("rettype").unwrap_or("xml").to_ascii_lowercase();
    let retmode = p.get("retmode").map(str::to_ascii_lowercase);
    let format = match (rettype.as_str(), retmode.as_deref()) {
        ("uilist", Some(mode)) if mode != "text" => {
            return match held(state, &ids) {
                Ok(held) => document(None, &IdList { id: &held }),
                Err(e) => error_xml(&e),
            };
        }
        ("docsum", _) => return super::summary::docsums(state, &ids),
        ("xml" | "full" | "", _) | ("abstract", Some("xml")) => Format::Xml,
        ("uilist", _) => Format::Pmid,
        // NCBI's medline and abstract, and Medlars' other formats (ris, bibtex, csl-json, ...).
        (other, _) => match Format::from_name(other) {
            Some(format) => format,
            None => return error_xml(&format!("Unknown rettype: {other}")),
        },
    };
    let media_type = if format == Format::Xml { super::XML_MEDIA_TYPE } else { format.media_type() };
    ([(header::CONTENT_TYPE, media_type)], crate::download::document(state.archive(), format, ids)).into_response()
}

pub fn epost(state: &AppState, p: &Params) -> Response {
    let mut result = PostResult { invalid_id_list: None, query_key: None, web_env: None, error: None };
    if p.db_error("db").is_some() {
        result.error = Some("Wrong DB name");
        return document(Some(EPOST_DOCTYPE), &result);
    }
    let (ids, invalid) = p.ids();
    result.invalid_id_list = (!invalid.is_empty()).then_some(InvalidIdList { id: &invalid });
    if ids.is_empty() {
        result.error = Some("IDs contain invalid characters which was treated as delimiters.");
        return document(Some(EPOST_DOCTYPE), &result);
    }
    let ids: Vec<u32> = ids.into_iter().take(super::RETMAX_CAP).collect();
    let (env, key) = state.webenvs.put(p.webenv(), Set::Ids(ids));
    result.query_key = Some(key);
    result.web_env = Some(env);
    document(Some(EPOST_DOCTYPE), &result)
}
