//! ESearch, ESpell, EGQuery and ECitMatch: the E-utilities that run queries.

use axum::response::Response;
use engine::{SearchOptions, Sort};
use serde::Serialize;

use super::document::{IdList, document, error_document};
use query::{CombineError, Field, Query, Span, Term};

use super::webenv::Set;
use super::{JsonHeader, Params, RETMAX_CAP, json, text};
use crate::AppState;

const ESEARCH_DOCTYPE: &str = "<!DOCTYPE eSearchResult PUBLIC \"-//NLM//DTD esearch 20060628//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd\">";

/// ESearch's `sort` (any name of a sort: NCBI's, EDirect's, the web's); by default the most
/// recently added first, as NCBI's ESearch lists PubMed.
pub fn esearch_sort(value: Option<&str>) -> Result<Sort, String> {
    match value.filter(|v| !v.trim().is_empty()) {
        None => Ok(Sort::EntryDate),
        Some(name) => Sort::from_name(name).ok_or_else(|| format!("Invalid sort: {name}")),
    }
}

/// The search ESearch runs: `term` (its `#N` from the WebEnv, untagged terms given `field`),
/// ANDed with the `query_key` set, restricted by the date limits.
fn strategy_of(state: &AppState, p: &Params) -> Result<Vec<query::Line>, String> {
    let term = p.get("term").unwrap_or_default();
    let kept = |n: u32| match p.webenv().and_then(|env| state.webenvs.get(env, n as usize)) {
        Some(set) => set.as_query(),
        None => Err(CombineError::NotInHistory(n)),
    };
    let unkept = |e: CombineError| match e {
        CombineError::NotInHistory(n) => format!("Unable to obtain query #{n}"),
        other => other.to_string(),
    };
    let mut lines =
        if term.trim().is_empty() { Vec::new() } else { query::parse_strategy(term).map_err(|e| e.to_string())? };
    if let [line] = lines.as_mut_slice() {
        let mut query = line.parsed.query.clone();
        if p.webenv().is_some() {
            query = query.with_searches(&kept).map_err(unkept)?;
        }
        // NCBI gives `field` to a term typed without tags, quotes or parentheses.
        if let Some(name) = p.get("field").filter(|_| !term.contains(['[', '(', '"'])) {
            query = query.with_field(query::read_tag(name, &mut line.parsed.warnings));
        }
        line.text = query.to_string();
        line.parsed.query = query;
    }
    // A query_key with a term searches within that set, as NCBI does: the two ANDed.
    if let Some(key) = p.get("query_key") {
        let key: u32 = key.trim().parse().map_err(|_| format!("Invalid query_key: {key}"))?;
        let set = kept(key).map_err(unkept)?;
        match lines.as_mut_slice() {
            [] => lines.push(query::Line::of_query(1, set)),
            // The set first, as NCBI's translation writes `#1 AND term`.
            [line] if line.dialect == query::Dialect::PubMed => {
                line.parsed.query = Query::and(set, line.parsed.query.clone());
                line.text = line.parsed.query.to_string();
            }
            _ => query::restrict(&mut lines, set),
        }
    }
    if lines.is_empty() {
        return Err("Empty term and query_key - nothing todo".into());
    }
    for limit in date_limits(p)? {
        query::restrict(&mut lines, limit);
    }
    Ok(lines)
}

/// ESearch's `reldate`, `mindate` and `maxdate` as clauses on the date `datetype` names.
fn date_limits(p: &Params) -> Result<Vec<Query>, String> {
    let field = match p.get("datetype").map(str::to_ascii_lowercase).as_deref() {
        None | Some("pdat") => Field::DatePublication,
        Some("edat") => Field::DateEntry,
        Some("mdat") => Field::DateModification,
        Some("crdt") => Field::DateCreate,
        Some("mhda") => Field::DateMesh,
        Some(other) => return Err(format!("Invalid datetype: {other}")),
    };
    let dates =
        |text: String, quoted: bool| Query::Term(Term { quoted, ..Term::new(text, Some(field), Span::default()) });
    let mut limits = Vec::new();
    if let Some(days) = p.get("reldate") {
        let days: u32 = days.parse().map_err(|_| format!("Invalid reldate: {days}"))?;
        limits.push(dates(format!("last {days} days"), true));
    }
    match (p.get("mindate"), p.get("maxdate")) {
        (Some(min), Some(max)) => limits.push(dates(format!("{min}:{max}"), false)),
        (Some(min), None) => limits.push(dates(format!("{min}:3000"), false)),
        (None, Some(max)) => limits.push(dates(format!("1000:{max}"), false)),
        (None, None) => {}
    }
    Ok(limits)
}

/// The terms of a query that find nothing on their own, as NCBI lists them when a search has no
/// hits (`PhraseNotFound`).
fn phrases_not_found(state: &AppState, lines: &[query::Line]) -> Vec<String> {
    let options = SearchOptions { sort: Sort::Relevance, limit: 0, offset: 0, today: engine::today() };
    let mut out = Vec::new();
    for term in lines.iter().flat_map(|l| l.parsed.query.terms()) {
        // A tagged term alone, as its translation (Ovid's terms are tagged by then too).
        let alone = match term.field {
            Some(_) => query::Query::Term(term.clone()).to_string(),
            None => term.text.clone(),
        };
        if state.archive().search(&alone, &options).is_ok_and(|o| o.count == 0) && !out.contains(&term.text) {
            out.push(term.text.clone());
        }
    }
    out
}

/// ESearch's JSON answer: NCBI's header, then the result (or an error in its place).
#[derive(Serialize)]
struct SearchJson<T> {
    header: JsonHeader,
    esearchresult: T,
}

#[derive(Serialize)]
struct SearchJsonError<'a> {
    #[serde(rename = "ERROR")]
    error: &'a str,
}

/// ESearch's JSON result, its members in NCBI's order; NCBI writes its numbers as strings.
#[derive(Serialize)]
struct SearchJsonResult<'a> {
    count: String,
    retmax: String,
    retstart: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    querykey: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webenv: Option<&'a str>,
    idlist: Vec<String>,
    translationset: Vec<SearchJsonTranslation<'a>>,
    querytranslation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errorlist: Option<SearchJsonErrors<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warninglist: Option<SearchJsonWarnings<'a>>,
}

#[derive(Serialize)]
struct SearchJsonTranslation<'a> {
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct SearchJsonErrors<'a> {
    phrasesnotfound: &'a [String],
    fieldsnotfound: &'a [String],
}

#[derive(Serialize)]
struct SearchJsonWarnings<'a> {
    phrasesignored: &'a [String],
    quotedphrasesnotfound: [&'a str; 0],
    outputmessages: Vec<&'static str>,
}

fn error(p: &Params, message: &str) -> Response {
    if p.json() {
        return json(&SearchJson {
            header: JsonHeader::of("esearch"),
            esearchresult: SearchJsonError { error: message },
        });
    }
    error_document(Some(ESEARCH_DOCTYPE), "eSearchResult", message)
}

/// `<eSearchResult>` of `rettype=count`.
#[derive(Serialize)]
#[serde(rename = "eSearchResult", rename_all = "PascalCase")]
struct SearchCount {
    count: usize,
}

/// `<eSearchResult>`: the count, the page of PMIDs, the history key, the translation, and the
/// lists of what was not found or ignored.
#[derive(Serialize)]
#[serde(rename = "eSearchResult", rename_all = "PascalCase")]
struct SearchResult<'a> {
    count: usize,
    ret_max: usize,
    ret_start: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_key: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web_env: Option<&'a str>,
    id_list: IdList<'a>,
    translation_set: TranslationSet<'a>,
    query_translation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_list: Option<ErrorList<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warning_list: Option<WarningList<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TranslationSet<'a> {
    translation: Vec<Translation<'a>>,
}

/// One automatic term mapping: what was typed, what it was searched as.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Translation<'a> {
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorList<'a> {
    phrase_not_found: &'a [String],
    field_not_found: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct WarningList<'a> {
    phrase_ignored: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    output_message: Option<&'static str>,
}

pub fn esearch(state: &AppState, p: &Params) -> Response {
    if let Some(e) = p.db_error("db") {
        return error(p, &e);
    }
    let run = || -> Result<Response, String> {
        let strategy = strategy_of(state, p)?;
        let sort = esearch_sort(p.get("sort"))?;
        let retstart = p.number("retstart", 0)?;
        let count_only = p.get("rettype").is_some_and(|t| t.eq_ignore_ascii_case("count"));
        let retmax = if count_only { 0 } else { p.number("retmax", 20)?.min(RETMAX_CAP) };
        let options = SearchOptions { sort, limit: retmax, offset: retstart, today: engine::today() };
        let outcome = match state.archive().search_strategy(strategy.clone(), &options) {
            Ok(o) => o,
            Err(engine::EngineError::Query(e)) => return Ok(error(p, &e.to_string())),
            Err(e) => return Err(e.to_string()),
        };
        let history = p.get("usehistory").is_some_and(|u| u.eq_ignore_ascii_case("y"));
        let not_found = if outcome.count == 0 { phrases_not_found(state, &strategy) } else { Vec::new() };
        let stored = history.then(|| state.webenvs.put(p.webenv(), Set::Search { strategy, sort }));
        let answer = Answer::new(outcome, retstart, stored, not_found);
        Ok(if p.json() {
            answer.json()
        } else if count_only {
            document(Some(ESEARCH_DOCTYPE), &SearchCount { count: answer.outcome.count })
        } else {
            answer.xml()
        })
    };
    run().unwrap_or_else(|e| error(p, &e))
}

/// What ESearch answers, in either of its forms.
struct Answer {
    outcome: engine::SearchOutcome,
    retstart: usize,
    /// The WebEnv and query key the search was kept under (`usehistory=y`).
    stored: Option<(String, usize)>,
    translation: String,
    /// Stopwords left out, and tags not known (NCBI's `PhraseIgnored`, `FieldNotFound`).
    ignored: Vec<String>,
    unknown_fields: Vec<String>,
    /// Terms that find nothing alone, when the search finds nothing.
    not_found: Vec<String>,
}

impl Answer {
    fn new(
        outcome: engine::SearchOutcome,
        retstart: usize,
        stored: Option<(String, usize)>,
        not_found: Vec<String>,
    ) -> Answer {
        let translation = outcome.lines.last().map(|l| l.translation.clone()).unwrap_or_default();
        // NCBI's elements by kind of warning, never by its wording.
        let (mut ignored, mut unknown_fields) = (Vec::new(), Vec::new());
        for w in &outcome.warnings {
            match w {
                query::Warning::Stopword { word } => ignored.push(word.clone()),
                query::Warning::UnknownField { field } => unknown_fields.push(field.clone()),
                _ => {}
            }
        }
        Answer { outcome, retstart, stored, translation, ignored, unknown_fields, not_found }
    }

    fn none_found(&self) -> bool {
        self.outcome.count == 0
    }

    fn json(&self) -> Response {
        let o = &self.outcome;
        let listed = !self.unknown_fields.is_empty() || !self.not_found.is_empty();
        let warned = self.none_found() || !self.ignored.is_empty();
        let result = SearchJsonResult {
            count: o.count.to_string(),
            retmax: o.pmids.len().to_string(),
            retstart: self.retstart.to_string(),
            querykey: self.stored.as_ref().map(|(_, key)| key.to_string()),
            webenv: self.stored.as_ref().map(|(env, _)| env.as_str()),
            idlist: o.pmids.iter().map(u32::to_string).collect(),
            translationset: o.mappings.iter().map(|m| SearchJsonTranslation { from: &m.from, to: &m.to }).collect(),
            querytranslation: &self.translation,
            errorlist: listed
                .then(|| SearchJsonErrors { phrasesnotfound: &self.not_found, fieldsnotfound: &self.unknown_fields }),
            warninglist: warned.then(|| SearchJsonWarnings {
                phrasesignored: &self.ignored,
                quotedphrasesnotfound: [],
                outputmessages: if self.none_found() { vec!["No items found."] } else { Vec::new() },
            }),
        };
        json(&SearchJson { header: JsonHeader::of("esearch"), esearchresult: result })
    }

    fn xml(&self) -> Response {
        let o = &self.outcome;
        let listed = !self.unknown_fields.is_empty() || !self.not_found.is_empty();
        let warned = self.none_found() || !self.ignored.is_empty();
        let result = SearchResult {
            count: o.count,
            ret_max: o.pmids.len(),
            ret_start: self.retstart,
            query_key: self.stored.as_ref().map(|(_, key)| *key),
            web_env: self.stored.as_ref().map(|(env, _)| env.as_str()),
            id_list: IdList { id: &o.pmids },
            translation_set: TranslationSet {
                translation: o.mappings.iter().map(|m| Translation { from: &m.from, to: &m.to }).collect(),
            },
            query_translation: &self.translation,
            error_list: listed
                .then(|| ErrorList { phrase_not_found: &self.not_found, field_not_found: &self.unknown_fields }),
            warning_list: warned.then(|| WarningList {
                phrase_ignored: &self.ignored,
                output_message: self.none_found().then_some("No items found."),
            }),
        };
        document(Some(ESEARCH_DOCTYPE), &result)
    }
}

const ESPELL_DOCTYPE: &str = "<!DOCTYPE eSpellResult PUBLIC \"-//NLM//DTD eSpellResult, 23 November 2004//EN\" \"https://www.ncbi.nlm.nih.gov/entrez/query/DTD/eSpell.dtd\">";

/// `<eSpellResult>`: the query, its correction word by word, or what went wrong.
#[derive(Serialize)]
#[serde(rename = "eSpellResult", rename_all = "PascalCase")]
struct SpellResult<'a> {
    database: &'static str,
    query: &'a str,
    corrected_query: &'a str,
    spelled_query: SpelledQuery<'a>,
    #[serde(rename = "ERROR")]
    error: &'a str,
}

#[derive(Serialize)]
struct SpelledQuery<'a> {
    #[serde(rename = "$value")]
    words: Vec<SpelledWord<'a>>,
}

/// A word of the query as it stands, or as corrected.
#[derive(Serialize)]
enum SpelledWord<'a> {
    Original(&'a str),
    Replaced(&'a str),
}

pub fn espell(state: &AppState, p: &Params) -> Response {
    let term = p.get("term").unwrap_or_default();
    // The correction, or (corrected as empty) what went wrong.
    let (corrected, error) = match p.db_error("db") {
        Some(e) => (String::new(), e),
        None => match state.archive().spell(term) {
            Ok(corrected) => (corrected, String::new()),
            Err(e) => (String::new(), e.to_string()),
        },
    };
    let words = term
        .split_whitespace()
        .zip(corrected.split_whitespace())
        .map(|(was, now)| if was == now { SpelledWord::Original(was) } else { SpelledWord::Replaced(now) })
        .collect();
    let result = SpellResult {
        database: "pubmed",
        query: term,
        corrected_query: &corrected,
        spelled_query: SpelledQuery { words },
        error: &error,
    };
    document(Some(ESPELL_DOCTYPE), &result)
}

const EGQUERY_DOCTYPE: &str = "<!DOCTYPE Result PUBLIC \"-//NLM//DTD eSearchResult, January 2004//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/egquery.dtd\">";

/// EGQuery's `<Result>`: the term's count in the one database Medlars has.
#[derive(Serialize)]
#[serde(rename = "Result", rename_all = "PascalCase")]
struct GlobalResult<'a> {
    term: &'a str,
    #[serde(rename = "eGQueryResult")]
    databases: GlobalDatabases,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GlobalDatabases {
    result_item: GlobalItem,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GlobalItem {
    db_name: &'static str,
    menu_name: &'static str,
    count: usize,
    status: &'static str,
}

pub fn egquery(state: &AppState, p: &Params) -> Response {
    let term = p.get("term").unwrap_or_default();
    let options = SearchOptions { sort: Sort::Relevance, limit: 0, offset: 0, today: engine::today() };
    let (count, status) = match state.archive().search(term, &options) {
        Ok(o) => (o.count, "Ok"),
        Err(_) => (0, "Term or Database is not found"),
    };
    let item = GlobalItem { db_name: "pubmed", menu_name: "PubMed", count, status };
    document(Some(EGQUERY_DOCTYPE), &GlobalResult { term, databases: GlobalDatabases { result_item: item } })
}

/// ECitMatch: each `journal|year|volume|first_page|author|key|` line, echoed with the PMID of the
/// one record it matches, `NOT_FOUND`, or `AMBIGUOUS` when several match.
pub fn ecitmatch(state: &AppState, p: &Params) -> Response {
    let data = p.get("bdata").unwrap_or_default();
    let mut out = String::new();
    for line in data.split(['\r', '\n']).map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let part = |i: usize| parts.get(i).copied().unwrap_or_default();
        let fields = [Field::Journal, Field::DatePublication, Field::Volume, Field::Pagination, Field::Author];
        let clauses: Vec<Query> = (0..fields.len())
            .filter(|&i| !part(i).is_empty())
            .map(|i| Query::Term(Term { quoted: true, ..Term::new(part(i), Some(fields[i]), Span::default()) }))
            .collect();
        let found = if clauses.is_empty() {
            "NOT_FOUND".to_owned()
        } else {
            let options = SearchOptions { sort: Sort::Relevance, limit: 2, offset: 0, today: engine::today() };
            let citation = vec![query::Line::of_query(1, Query::chain(clauses, true))];
            match state.archive().search_strategy(citation, &options) {
                Ok(o) if o.count == 1 => o.pmids[0].to_string(),
                Ok(o) if o.count > 1 => "AMBIGUOUS".to_owned(),
                _ => "NOT_FOUND".to_owned(),
            }
        };
        let separator = if line.ends_with('|') { "" } else { "|" };
        out.push_str(&format!("{line}{separator}{found}\n"));
    }
    text(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_every_name_clients_send() {
        assert_eq!(esearch_sort(None), Ok(Sort::EntryDate));
        for (name, sort) in [
            ("pub_date", Sort::PubDate),
            ("Pub Date", Sort::PubDate),
            ("pub+date", Sort::PubDate),
            ("Author", Sort::FirstAuthor),
            ("First Author", Sort::FirstAuthor),
            ("JournalName", Sort::Journal),
            ("Journal", Sort::Journal),
            ("Last Author", Sort::LastAuthor),
            ("relevance", Sort::Relevance),
            ("most+recent", Sort::EntryDate),
            ("Recently Added", Sort::EntryDate),
            ("TITLE", Sort::Title),
        ] {
            assert_eq!(esearch_sort(Some(name)), Ok(sort), "{name}");
        }
        assert!(esearch_sort(Some("sideways")).is_err());
    }
}
