//! NCBI's E-utilities under `/entrez/eutils/`, for `db=pubmed`, GET or form POST, shaped as NCBI's
//! responses are so that Biopython's `Bio.Entrez` and EDirect work unmodified. Unknown parameters
//! are ignored (clients send `tool`, `email`, `api_key`); malformed ones get NCBI's `<ERROR>`.

mod document;
mod fetch;
mod info;
mod link;
mod search;
mod summary;
pub mod webenv;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::parameters::Parameters;
use webenv::Set;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/entrez/eutils/{tool}", get(eutil).post(eutil)).route("/entrez/eutils/dtd/{name}", get(dtd))
}

/// A request's parameters: the query string and, for a POST, the form body.
pub struct Params {
    given: Parameters,
    /// `http://host:port/entrez/eutils/`, for DTD system identifiers.
    pub base: String,
}

impl Params {
    /// The first non-empty value of `key` (NCBI ignores empty parameters).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.given.get(key)
    }

    /// Every non-empty value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.given.all(key)
    }

    /// A non-negative whole number, `default` when absent.
    pub fn number(&self, key: &str, default: usize) -> Result<usize, String> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("Invalid {key} value: {v}")),
        }
    }

    pub fn webenv(&self) -> Option<&str> {
        self.get("WebEnv").or_else(|| self.get("webenv"))
    }

    /// `db` is PubMed (or absent, which NCBI reads as PubMed).
    pub fn db_error(&self, key: &str) -> Option<String> {
        match self.get(key) {
            None => None,
            Some(db) if db.eq_ignore_ascii_case("pubmed") => None,
            Some(db) => Some(format!("Invalid db name specified: {db}")),
        }
    }

    /// PMIDs from `id` parameters (comma- or space-separated), and the tokens that are not PMIDs.
    /// The PMIDs of every `id` parameter, each once, in the order first given (as NCBI answers a
    /// repeated ID once), and the tokens that are not PMIDs.
    pub fn ids(&self) -> (Vec<u32>, Vec<String>) {
        let (mut ids, mut invalid) = (Vec::new(), Vec::new());
        let mut seen = std::collections::HashSet::new();
        for value in self.all("id") {
            for token in value.split(|c: char| c == ',' || c.is_whitespace()).filter(|t| !t.is_empty()) {
                match token.parse::<u32>() {
                    Ok(id) if id > 0 => {
                        if seen.insert(id) {
                            ids.push(id);
                        }
                    }
                    _ => invalid.push(token.to_owned()),
                }
            }
        }
        (ids, invalid)
    }

    pub fn json(&self) -> bool {
        self.get("retmode").is_some_and(|m| m.eq_ignore_ascii_case("json"))
    }
}

/// Most records a request may ask for, as NCBI caps `retmax`.
pub const RETMAX_CAP: usize = 10_000;

/// What the E-utilities' XML answers are sent as.
pub const XML_MEDIA_TYPE: &str = "text/xml; charset=UTF-8";

pub fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, XML_MEDIA_TYPE)], body).into_response()
}

/// A JSON answer (`retmode=json`): a typed struct in NCBI's shape, serialized by serde_json.
pub fn json<T: serde::Serialize>(value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json; charset=UTF-8")], body).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("writing the JSON answer: {e}\n")).into_response(),
    }
}

/// The `header` NCBI puts first in every JSON answer: the utility and the format's version.
#[derive(serde::Serialize)]
pub struct JsonHeader {
    #[serde(rename = "type")]
    kind: &'static str,
    version: &'static str,
}

impl JsonHeader {
    /// The header of `utility`'s answers (`esearch`, `esummary`, ...).
    pub fn of(utility: &'static str) -> JsonHeader {
        JsonHeader { kind: utility, version: "0.3" }
    }
}

pub fn text(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=UTF-8")], body).into_response()
}

/// The PMIDs a request names: `id`, or `WebEnv` + `query_key` (paged by `retstart`/`retmax`).
pub fn requested_ids(state: &AppState, p: &Params, default_retmax: usize) -> Result<Vec<u32>, String> {
    let (ids, _) = p.ids();
    if !ids.is_empty() {
        return Ok(ids);
    }
    let (Some(env), Some(key)) = (p.webenv(), p.get("query_key")) else {
        return Err("Neither query_key nor id specified".into());
    };
    let key: usize = key.parse().map_err(|_| format!("Invalid query_key: {key}"))?;
    let set = state.webenvs.get(env, key).ok_or("Unable to obtain query #".to_owned() + &key.to_string())?;
    let start = p.number("retstart", 0)?;
    let max = p.number("retmax", default_retmax)?.min(RETMAX_CAP);
    match set {
        Set::Ids(ids) => Ok(ids.into_iter().skip(start).take(max).collect()),
        Set::Search { strategy, sort } => {
            let options = engine::SearchOptions { sort, limit: max, offset: start, today: engine::today() };
            state.archive().search_strategy(strategy, &options).map(|o| o.pmids).map_err(|e| e.to_string())
        }
    }
}

async fn eutil(
    State(state): State<Arc<AppState>>,
    Path(tool): Path<String>,
    headers: HeaderMap,
    mut given: Parameters,
    body: Bytes,
) -> Response {
    // A POST's form, whatever content type the client gave it (EDirect and Biopython give the
    // form's; some clients none), after the query string's parameters.
    match serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) {
        Ok(form) => given.extend(form),
        Err(e) => return (StatusCode::BAD_REQUEST, format!("the request's body is not a form: {e}\n")).into_response(),
    }
    crate::connections::stoppable(state, move |state| eutil_now(state, &tool, &headers, given)).await
}

fn eutil_now(state: &AppState, tool: &str, headers: &HeaderMap, given: Parameters) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let p = Params { given, base: format!("http://{host}/entrez/eutils/") };
    match tool {
        "esearch.fcgi" => search::esearch(state, &p),
        "espell.fcgi" => search::espell(state, &p),
        "egquery.fcgi" => search::egquery(state, &p),
        "ecitmatch.cgi" => search::ecitmatch(state, &p),
        "esummary.fcgi" => summary::esummary(state, &p),
        "efetch.fcgi" => fetch::efetch(state, &p),
        "epost.fcgi" => fetch::epost(state, &p),
        "elink.fcgi" => link::elink(state, &p),
        "einfo.fcgi" => info::einfo(state, &p),
        _ => (StatusCode::NOT_FOUND, format!("{tool} is not an E-utility\n")).into_response(),
    }
}

/// DTDs that Biopython does not ship, served so `Entrez.read(validate=True)` works offline.
async fn dtd(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "esummary_pubmed.dtd" => {
            ([(header::CONTENT_TYPE, "application/xml-dtd")], summary::ESUMMARY_PUBMED_DTD).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "no such DTD\n").into_response(),
    }
}
