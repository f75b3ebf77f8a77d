//! `server`: Medlars over HTTP, read-only: PubMed's record page (`/{pmid}/`) and search page
//! (`/?term=`), rendered on the server so they work without JavaScript.
#![warn(missing_docs)]

mod advanced;
mod connections;
mod download;
mod eutils;
mod history;
mod html;
mod parameters;
mod record;
mod results;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use engine::{Archive, Sort};

pub use crate::connections::REQUEST_TIMEOUT;
use crate::history::Histories;
use crate::parameters::Parameters;

/// What every request shares: the archive served (reopened when a new year's baseline replaces
/// it) and the pages' per-browser search histories.
pub struct AppState {
    archive: std::sync::RwLock<Arc<Archive>>,
    histories: Histories,
    webenvs: eutils::webenv::WebEnvs,
    request_timeout: std::time::Duration,
    /// Requests whose work was stopped before it ended (out of time, or the client gone).
    requests_stopped: std::sync::atomic::AtomicU64,
    /// Requests whose work may run at once ([`connections::WORK_PER_CORE`] per core).
    work_permits: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// The state of a server on `archive`; E-utilities WebEnvs expire after `webenv_idle`.
    pub fn new(archive: Archive, webenv_idle: std::time::Duration) -> AppState {
        AppState {
            archive: std::sync::RwLock::new(Arc::new(archive)),
            histories: Histories::default(),
            webenvs: eutils::webenv::WebEnvs::new(webenv_idle),
            request_timeout: connections::REQUEST_TIMEOUT,
            requests_stopped: std::sync::atomic::AtomicU64::new(0),
            work_permits: Arc::new(tokio::sync::Semaphore::new(
                connections::WORK_PER_CORE * std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            )),
        }
    }

    /// Answers a request past `timeout` with 503, and stops its work.
    pub fn with_request_timeout(mut self, timeout: std::time::Duration) -> AppState {
        self.request_timeout = timeout;
        self
    }

    /// The archive to answer from: the one the server opened, or once a new year's baseline has
    /// replaced it in the data directory, the new one (opened by the first request that sees the
    /// switch; requests under way finish on the old one).
    pub fn archive(&self) -> Arc<Archive> {
        let current = self.archive.read().expect("archive lock").clone();
        // Checked by every request (one small read of `current`), not once in a while: `sync`
        // removes the replaced archive right after the switch, and a request still on it then
        // fails (tried: checking once a second failed the new-year test).
        if current.is_current().unwrap_or(true) {
            return current;
        }
        let mut slot = self.archive.write().expect("archive lock");
        if !Arc::ptr_eq(&slot, &current) {
            return slot.clone();
        }
        match current.reopen_read_only() {
            Ok(next) => {
                // The operator's log is the server's standard error.
                eprintln!("now serving the archive in {}", next.dir().display());
                *slot = Arc::new(next);
                slot.clone()
            }
            Err(e) => {
                eprintln!("still serving {}: the archive replacing it does not open: {e}", current.dir().display());
                current
            }
        }
    }
}

/// Every route: the record and search pages, the advanced page, downloads, the E-utilities,
/// status and static files.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/advanced", get(|| async { Redirect::permanent("/advanced/") }))
        .route("/advanced/", get(advanced_page))
        .route("/advanced/clear", post(clear_history))
        .route("/download", get(download_file))
        .route("/status", get(status))
        .route("/{pmid}", get(record_page))
        .route("/{pmid}/", get(record_page))
        .merge(eutils::routes())
        .fallback(|| async { not_found("There is no such page.") })
        .layer(axum::middleware::from_fn_with_state(state.clone(), connections::time_budget))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// What every response says about itself to browsers: its type is the one declared (no
/// sniffing, so text an E-utility echoes back is never run as a page); the pages need no script,
/// load nothing from elsewhere and may not be framed; no address leaks in the Referer.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    response
}

/// Serves until interrupted (Ctrl-C), within the bounds of [`connections`].
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    connections::accept(listener, router(state), shutdown).await
}

/// The base URL a listener answers on.
pub fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}/")
}

fn not_found(message: &str) -> Response {
    let body = maud::html! { h1 { "Not found" } p { (message) } };
    (StatusCode::NOT_FOUND, Html(html::page("Not found", "", body))).into_response()
}

fn bad_query(term: &str, why: &str) -> Response {
    (StatusCode::BAD_REQUEST, Html(results::query_error(term, why))).into_response()
}

fn server_error(e: engine::EngineError) -> Response {
    let body = maud::html! { h1 { "Something went wrong" } p { (e) } };
    (StatusCode::INTERNAL_SERVER_ERROR, Html(html::page("Error", "", body))).into_response()
}

async fn record_page(State(state): State<Arc<AppState>>, Path(pmid): Path<String>) -> Response {
    connections::stoppable(state, move |state| record_page_now(state, &pmid)).await
}

fn record_page_now(state: &AppState, pmid: &str) -> Response {
    let Ok(pmid) = pmid.trim_end_matches('/').parse::<u32>() else {
        return not_found(&format!("\"{pmid}\" is not a PMID."));
    };
    match record::render(&state.archive(), pmid) {
        Ok(Ok(html)) => Html(html).into_response(),
        Ok(Err(why)) => not_found(&why),
        Err(e) => server_error(e),
    }
}

/// The running server's figures as JSON: the search cache's hits, misses and memory, and the
/// requests stopped before their work ended.
async fn status(State(state): State<Arc<AppState>>) -> Response {
    let body = serde_json::json!({
        "search_cache": state.archive().cache_stats(),
        "requests_stopped": state.requests_stopped.load(std::sync::atomic::Ordering::Relaxed),
    });
    ([(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// The sort a page's `sort=` names (PubMed's tokens, or any other name of a sort), and the
/// token the page's links carry for it; relevance for a name it does not know, as PubMed does.
pub(crate) fn page_sort(name: &str) -> (Sort, String) {
    let sort = Sort::from_name(name).unwrap_or_default();
    (sort, sort.web_name().to_owned())
}

/// The browser's session (from its cookie), and whether it is new and needs the cookie set.
fn session(headers: &HeaderMap) -> (String, bool) {
    let cookies = headers.get_all(header::COOKIE).into_iter().filter_map(|v| v.to_str().ok());
    let found = cookies
        .flat_map(|c| c.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == history::COOKIE && v.len() == 32 && v.chars().all(|c| c.is_ascii_hexdigit()))
        .map(|(_, v)| v.to_owned());
    match found {
        Some(s) => (s, false),
        None => (Histories::new_session(), true),
    }
}

/// Sets the session cookie on a response when the session is new.
fn with_session(mut response: Response, (session, new): (String, bool)) -> Response {
    if new {
        let cookie = format!("{}={session}; Path=/; HttpOnly; SameSite=Lax", history::COOKIE);
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

async fn advanced_page(State(state): State<Arc<AppState>>, headers: HeaderMap, p: Parameters) -> Response {
    connections::stoppable(state, move |state| advanced_page_now(state, &headers, &p)).await
}

fn advanced_page_now(state: &AppState, headers: &HeaderMap, p: &Parameters) -> Response {
    let get = |key: &str| p.get(key).unwrap_or_default();
    let built = advanced::compose(&advanced::Builder {
        query: get("query"),
        add: get("add"),
        field: get("field"),
        op: get("op"),
    });
    if get("action") == "search" && !built.trim().is_empty() {
        return Redirect::to(&format!("/?term={}", html::url_encode(&built))).into_response();
    }
    let session = session(headers);
    let entries = state.histories.entries(&session.0);
    with_session(Html(advanced::render(&built, &entries)).into_response(), session)
}

/// A query parsed, its `#N` references replaced by the session's searches (none for an empty
/// query: the home page).
fn expand_term(state: &AppState, session: &str, term: &str) -> Result<Vec<query::Line>, history::ExpandError> {
    if term.trim().is_empty() {
        return Ok(Vec::new());
    }
    let search = |n| state.histories.get(session, n).map_or(Err(query::CombineError::NotInHistory(n)), |e| e.query);
    history::expand(term, search)
}

async fn download_file(State(state): State<Arc<AppState>>, headers: HeaderMap, p: Parameters) -> Response {
    connections::stoppable(state, move |state| download_file_now(state, &headers, &p)).await
}

fn download_file_now(state: &AppState, headers: &HeaderMap, p: &Parameters) -> Response {
    let term = p.get("term");
    let (session, _) = session(headers);
    let strategy = match term.map(|t| expand_term(state, &session, t)).transpose() {
        Ok(strategy) => strategy,
        Err(why) => return (StatusCode::BAD_REQUEST, format!("{why}\n")).into_response(),
    };
    download::respond(state, p, strategy)
}

async fn clear_history(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let (session, _) = session(&headers);
    state.histories.clear(&session);
    Redirect::to("/advanced/").into_response()
}

async fn search_page(State(state): State<Arc<AppState>>, headers: HeaderMap, p: Parameters) -> Response {
    connections::stoppable(state, move |state| search_page_now(state, &headers, &p)).await
}

fn search_page_now(state: &AppState, headers: &HeaderMap, p: &Parameters) -> Response {
    let get = |key: &str| p.get(key);
    // A custom year range becomes a `years.` filter in the URL, as the timeline's bars do.
    if p.given("from") && p.given("to") {
        let (from, to) = (get("from").unwrap_or_default(), get("to").unwrap_or_default());
        let mut url = format!("/?term={}", html::url_encode(get("term").unwrap_or_default()));
        if from.parse::<u32>().is_ok() && to.parse::<u32>().is_ok() {
            url.push_str(&format!("&filter=years.{from}-{to}"));
        }
        return Redirect::to(&url).into_response();
    }
    let (sort, sort_name) = page_sort(get("sort").unwrap_or_default());
    let size = get("size").and_then(|s| s.parse().ok()).filter(|s| results::PAGE_SIZES.contains(s)).unwrap_or(10);
    let page = get("page").and_then(|p| p.parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(1).min(1_000_000);
    if let (Some("pubmed_pubmed_citedin"), Some(uid)) = (get("linkname"), get("from_uid")) {
        let Ok(uid) = uid.trim().parse::<u32>() else { return not_found(&format!("\"{uid}\" is not a PMID.")) };
        return match results::render_cited_by(&state.archive(), uid, page, size) {
            Ok(Some(html)) => Html(html).into_response(),
            Ok(None) => not_found(&format!("PMID {uid} is not in this archive.")),
            Err(e) => server_error(e),
        };
    }
    let session = session(headers);
    let term = get("term").unwrap_or_default().to_owned();
    let strategy = match expand_term(state, &session.0, &term) {
        Ok(strategy) => strategy,
        Err(why) => return with_session(bad_query(&term, &why.to_string()), session),
    };
    let request = results::Request {
        term,
        strategy,
        sort,
        sort_name,
        page,
        size,
        filters: p.all("filter").into_iter().map(str::to_owned).collect(),
    };
    match results::render(&state.archive(), &request) {
        Ok((html, ran)) => {
            if let Some(ran) = ran {
                state.histories.record(&session.0, ran.shown, &ran.effective, ran.translation, ran.count);
            }
            with_session(Html(html).into_response(), session)
        }
        Err(engine::EngineError::Query(e)) => with_session(bad_query(&request.term, &e.to_string()), session),
        Err(e) => server_error(e),
    }
}
