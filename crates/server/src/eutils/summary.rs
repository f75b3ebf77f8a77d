//! ESummary: document summaries in NCBI's version 1 XML, version 2.0 XML, and JSON (which is
//! always version 2.0's fields). Also the summary DTD that Biopython does not ship.

use axum::response::Response;
use engine::Lookup;
use medline::Record;
use medline::format::{date_text, history_stamp, journal_abbreviation, pub_date_text, short_name, volume_issue_pages};
use serde::Serialize;

use super::document::{document, error_document};
use super::{JsonHeader, Params, json, requested_ids};
use crate::AppState;

const V1_DOCTYPE: &str = "<!DOCTYPE eSummaryResult PUBLIC \"-//NLM//DTD esummary v1 20041029//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20041029/esummary-v1.dtd\">";

/// The DTD of version 2.0 PubMed summaries, for the elements Medlars writes.
pub const ESUMMARY_PUBMED_DTD: &str = r#"<!-- Document summaries of PubMed records (esummary version 2.0), as Medlars writes them. -->
<!ELEMENT eSummaryResult (DocumentSummarySet?, ERROR?)>
<!ELEMENT ERROR (#PCDATA)>
<!ELEMENT DocumentSummarySet (DbBuild?, DocumentSummary*)>
<!ATTLIST DocumentSummarySet status CDATA #REQUIRED>
<!ELEMENT DbBuild (#PCDATA)>
<!ELEMENT DocumentSummary ((PubDate, EPubDate, Source, Authors, LastAuthor, Title, SortTitle, Volume, Issue, Pages, Lang, NlmUniqueID, ISSN, ESSN, PubType, RecordStatus, PubStatus, ArticleIds, History, References, Attributes, PmcRefCount, FullJournalName, ELocationID, DocType, SortPubDate, SortFirstAuthor) | error)>
<!ATTLIST DocumentSummary uid CDATA #IMPLIED>
<!ELEMENT error (#PCDATA)>
<!ELEMENT PubDate (#PCDATA)>
<!ELEMENT EPubDate (#PCDATA)>
<!ELEMENT Source (#PCDATA)>
<!ELEMENT Authors (Author*)>
<!ELEMENT Author (Name, AuthType, ClusterID)>
<!ELEMENT Name (#PCDATA)>
<!ELEMENT AuthType (#PCDATA)>
<!ELEMENT ClusterID (#PCDATA)>
<!ELEMENT LastAuthor (#PCDATA)>
<!ELEMENT Title (#PCDATA)>
<!ELEMENT SortTitle (#PCDATA)>
<!ELEMENT Volume (#PCDATA)>
<!ELEMENT Issue (#PCDATA)>
<!ELEMENT Pages (#PCDATA)>
<!ELEMENT Lang (string*)>
<!ELEMENT string (#PCDATA)>
<!ELEMENT NlmUniqueID (#PCDATA)>
<!ELEMENT ISSN (#PCDATA)>
<!ELEMENT ESSN (#PCDATA)>
<!ELEMENT PubType (flag*)>
<!ELEMENT flag (#PCDATA)>
<!ELEMENT RecordStatus (#PCDATA)>
<!ELEMENT PubStatus (#PCDATA)>
<!ELEMENT ArticleIds (ArticleId*)>
<!ELEMENT ArticleId (IdType, IdTypeN, Value)>
<!ELEMENT IdType (#PCDATA)>
<!ELEMENT IdTypeN (#PCDATA)>
<!ELEMENT Value (#PCDATA)>
<!ELEMENT History (PubMedPubDate*)>
<!ELEMENT PubMedPubDate (PubStatus, Date)>
<!ELEMENT Date (#PCDATA)>
<!ELEMENT References (Reference*)>
<!ELEMENT Reference (#PCDATA)>
<!ELEMENT Attributes (flag*)>
<!ELEMENT PmcRefCount (#PCDATA)>
<!ELEMENT FullJournalName (#PCDATA)>
<!ELEMENT ELocationID (#PCDATA)>
<!ELEMENT DocType (#PCDATA)>
<!ELEMENT SortPubDate (#PCDATA)>
<!ELEMENT SortFirstAuthor (#PCDATA)>
"#;

/// What a summary says of one record.
struct Summary {
    uid: u32,
    pub_date: String,
    epub_date: String,
    source: String,
    authors: Vec<String>,
    title: String,
    volume: String,
    issue: String,
    pages: String,
    /// NLM's codes (`eng`), as version 2.0 and JSON give them.
    languages: Vec<String>,
    /// The names NCBI shows (`English`), as version 1 gives them.
    language_names: Vec<String>,
    nlm_id: String,
    issn: String,
    essn: String,
    pub_types: Vec<String>,
    record_status: String,
    pub_status: String,
    article_ids: Vec<(String, String)>,
    history: Vec<(String, String)>,
    has_abstract: bool,
    journal: String,
    elocation: String,
    so: String,
    sort_pub_date: String,
}

fn summarize(uid: u32, record: &Record) -> Summary {
    let pubmed = record.pubmed_data();
    let article_ids: Vec<(String, String)> = pubmed
        .map(|p| p.article_ids.iter().map(|i| (i.id_type.clone(), i.value.clone())).collect())
        .unwrap_or_default();
    let history: Vec<(String, String)> = pubmed
        .map(|p| p.history.iter().map(|h| (h.status.clone(), history_stamp(&h.date))).collect())
        .unwrap_or_default();
    let pub_status = pubmed.and_then(|p| p.publication_status.clone()).unwrap_or_default();
    let Record::Article(a) = record else {
        return Summary {
            uid,
            pub_date: String::new(),
            epub_date: String::new(),
            source: String::new(),
            authors: Vec::new(),
            title: record.title().to_owned(),
            volume: String::new(),
            issue: String::new(),
            pages: String::new(),
            languages: Vec::new(),
            language_names: Vec::new(),
            nlm_id: String::new(),
            issn: String::new(),
            essn: String::new(),
            pub_types: Vec::new(),
            record_status: "PubMed".into(),
            pub_status,
            article_ids,
            history,
            has_abstract: false,
            journal: String::new(),
            elocation: String::new(),
            so: String::new(),
            sort_pub_date: String::new(),
        };
    };
    let m = &a.medline;
    let art = &m.article;
    let j = &art.journal;
    let issn_of =
        |kind: &str| j.issn.as_ref().filter(|i| i.issn_type.as_deref() == Some(kind)).map(|i| i.value.clone());
    let date = pub_date_text(&j.pub_date);
    let vip = volume_issue_pages(a);
    let record_status = match m.status.as_deref() {
        Some("MEDLINE") => "PubMed - indexed for MEDLINE",
        Some("In-Process") | Some("In-Data-Review") => "PubMed - in process",
        Some("Publisher") => "PubMed - as supplied by publisher",
        _ => "PubMed",
    };
    let sort_pub_date = history.iter().find(|(s, _)| s == "pubmed").map(|(_, d)| d.clone()).unwrap_or_default();
    Summary {
        uid,
        so: if vip.is_empty() { date.clone() } else { format!("{date};{vip}") },
        pub_date: date,
        epub_date: art.article_dates.first().map(|d| date_text(&d.date)).unwrap_or_default(),
        source: journal_abbreviation(a).to_owned(),
        authors: art.authors.iter().flat_map(|l| &l.authors).map(short_name).collect(),
        title: art.title.text.clone(),
        volume: j.volume.clone().unwrap_or_default(),
        issue: j.issue.clone().unwrap_or_default(),
        pages: art.pagination.as_ref().and_then(|p| p.medline_pgn.clone()).unwrap_or_default(),
        languages: art.languages.clone(),
        language_names: art
            .languages
            .iter()
            .map(|code| medline::language::of_code(code).map_or(code.as_str(), |l| l.shown).to_owned())
            .collect(),
        nlm_id: m.journal_info.nlm_unique_id.clone().unwrap_or_default(),
        issn: issn_of("Print").unwrap_or_default(),
        essn: issn_of("Electronic").unwrap_or_default(),
        pub_types: art.publication_types.iter().map(|p| p.name.clone()).collect(),
        record_status: record_status.into(),
        pub_status,
        article_ids,
        history,
        has_abstract: art.abstract_.is_some(),
        journal: j.title.clone().unwrap_or_default(),
        elocation: art
            .elocation_ids
            .iter()
            .map(|e| format!("{}: {}", e.id_type, e.value))
            .collect::<Vec<_>>()
            .join(" "),
        sort_pub_date,
    }
}

/// Version 2.0's numeric publication status.
fn status_number(status: &str) -> String {
    match status {
        "epublish" => "3".into(),
        "ppublish" => "4".into(),
        "aheadofprint" => "10".into(),
        other => other.into(),
    }
}

fn id_type_number(kind: &str) -> u32 {
    match kind {
        "pubmed" => 1,
        "medline" => 2,
        "doi" => 3,
        "pii" => 4,
        "pmcid" => 5,
        _ => 8,
    }
}

fn error(p: &Params, message: &str) -> Response {
    if p.json() {
        let body = SummaryJsonError { esummaryresult: [message] };
        return json(&SummaryJson { header: JsonHeader::of("esummary"), body });
    }
    error_document(Some(V1_DOCTYPE), "eSummaryResult", message)
}

pub fn esummary(state: &AppState, p: &Params) -> Response {
    if let Some(e) = p.db_error("db") {
        return error(p, &e);
    }
    let ids = match requested_ids(state, p, 20) {
        Ok(ids) => ids,
        Err(e) => return error(p, &e),
    };
    let summaries = summaries_of(state, &ids);
    let v2 = p.get("version").is_some_and(|v| v.starts_with('2'));
    if p.json() {
        summaries_json(&summaries)
    } else if v2 {
        let doctype = format!(
            "<!DOCTYPE eSummaryResult PUBLIC \"-//NLM//DTD esummary pubmed 20160808//EN\" \"{}dtd/esummary_pubmed.dtd\">",
            p.base
        );
        document(Some(&doctype), &summaries_v2(&summaries))
    } else {
        document(Some(V1_DOCTYPE), &summaries_v1(&summaries))
    }
}

/// Version 1 XML (also `efetch rettype=docsum`).
pub fn docsums(state: &AppState, ids: &[u32]) -> Response {
    document(Some(V1_DOCTYPE), &summaries_v1(&summaries_of(state, ids)))
}

/// Each ID's summary, or the ID when the archive holds no record for it that parses.
fn summaries_of(state: &AppState, ids: &[u32]) -> Vec<Result<Summary, u32>> {
    let archive = state.archive();
    ids.iter()
        .map(|&id| match archive.store.get(id) {
            Ok(Lookup::Found(stored)) => stored.parse().map(|r| summarize(id, &r)).map_err(|_| id),
            _ => Err(id),
        })
        .collect()
}

/// Version 1's `<eSummaryResult>`: a `DocSum` per record found, then an `ERROR` per one not.
#[derive(Serialize)]
#[serde(rename = "eSummaryResult")]
struct SummariesV1<'a> {
    #[serde(rename = "DocSum")]
    doc_sum: Vec<DocSum<'a>>,
    #[serde(rename = "ERROR")]
    error: Vec<String>,
}

#[derive(Serialize)]
struct DocSum<'a> {
    #[serde(rename = "Id")]
    id: u32,
    #[serde(rename = "Item")]
    item: Vec<Item<'a>>,
}

/// `<Item Name=".." Type="..">`: a value, or (`Type="List"`) more items.
#[derive(Serialize)]
struct Item<'a> {
    #[serde(rename = "@Name")]
    name: &'a str,
    #[serde(rename = "@Type")]
    kind: &'static str,
    #[serde(rename = "$value")]
    value: ItemValue<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ItemValue<'a> {
    Text(&'a str),
    List(Vec<Item<'a>>),
}

impl<'a> Item<'a> {
    fn text(name: &'a str, kind: &'static str, value: &'a str) -> Self {
        Item { name, kind, value: ItemValue::Text(value) }
    }

    /// A list of values all named `each`.
    fn list(name: &'a str, each: &'a str, values: &'a [String]) -> Self {
        let items = values.iter().map(|v| Item::text(each, "String", v)).collect();
        Item { name, kind: "List", value: ItemValue::List(items) }
    }

    /// A list of `(name, value)` pairs of one type.
    fn pairs(name: &'a str, kind: &'static str, pairs: &'a [(String, String)]) -> Self {
        let items = pairs.iter().map(|(n, v)| Item::text(n, kind, v)).collect();
        Item { name, kind: "List", value: ItemValue::List(items) }
    }
}

fn doc_sum(s: &Summary) -> DocSum<'_> {
    let item = vec![
        Item::text("PubDate", "Date", &s.pub_date),
        Item::text("EPubDate", "Date", &s.epub_date),
        Item::text("Source", "String", &s.source),
        Item::list("AuthorList", "Author", &s.authors),
        Item::text("LastAuthor", "String", s.authors.last().map_or("", String::as_str)),
        Item::text("Title", "String", &s.title),
        Item::text("Volume", "String", &s.volume),
        Item::text("Issue", "String", &s.issue),
        Item::text("Pages", "String", &s.pages),
        Item::list("LangList", "Lang", &s.language_names),
        Item::text("NlmUniqueID", "String", &s.nlm_id),
        Item::text("ISSN", "String", &s.issn),
        Item::text("ESSN", "String", &s.essn),
        Item::list("PubTypeList", "PubType", &s.pub_types),
        Item::text("RecordStatus", "String", &s.record_status),
        Item::text("PubStatus", "String", &s.pub_status),
        Item::pairs("ArticleIds", "String", &s.article_ids),
        Item::pairs("History", "Date", &s.history),
        Item::pairs("References", "String", &[]),
        Item::text("HasAbstract", "Integer", if s.has_abstract { "1" } else { "0" }),
        Item::text("PmcRefCount", "Integer", "0"),
        Item::text("FullJournalName", "String", &s.journal),
        Item::text("ELocationID", "String", &s.elocation),
        Item::text("SO", "String", &s.so),
    ];
    DocSum { id: s.uid, item }
}

fn summaries_v1(summaries: &[Result<Summary, u32>]) -> SummariesV1<'_> {
    let mut result = SummariesV1 { doc_sum: Vec::new(), error: Vec::new() };
    for s in summaries {
        match s {
            Ok(s) => result.doc_sum.push(doc_sum(s)),
            Err(id) => result.error.push(format!("UID={id}: cannot get document summary")),
        }
    }
    result
}

/// Version 2.0's `<eSummaryResult>`.
#[derive(Serialize)]
#[serde(rename = "eSummaryResult", rename_all = "PascalCase")]
struct SummariesV2<'a> {
    document_summary_set: DocumentSummarySet<'a>,
}

#[derive(Serialize)]
struct DocumentSummarySet<'a> {
    #[serde(rename = "@status")]
    status: &'static str,
    #[serde(rename = "$value")]
    summaries: Vec<DocumentSummaryEntry<'a>>,
}

/// A record's summary, or why there is none (both are `DocumentSummary` elements).
#[derive(Serialize)]
enum DocumentSummaryEntry<'a> {
    #[serde(rename = "DocumentSummary")]
    Found(Box<DocumentSummary<'a>>),
    #[serde(rename = "DocumentSummary")]
    Missing(MissingSummary),
}

#[derive(Serialize)]
struct MissingSummary {
    #[serde(rename = "@uid")]
    uid: u32,
    error: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DocumentSummary<'a> {
    #[serde(rename = "@uid")]
    uid: u32,
    pub_date: &'a str,
    #[serde(rename = "EPubDate")]
    epub_date: &'a str,
    source: &'a str,
    authors: Authors<'a>,
    last_author: &'a str,
    title: &'a str,
    sort_title: String,
    volume: &'a str,
    issue: &'a str,
    pages: &'a str,
    lang: Strings<'a>,
    #[serde(rename = "NlmUniqueID")]
    nlm_unique_id: &'a str,
    #[serde(rename = "ISSN")]
    issn: &'a str,
    #[serde(rename = "ESSN")]
    essn: &'a str,
    pub_type: Flags<'a>,
    record_status: &'a str,
    pub_status: String,
    article_ids: ArticleIds<'a>,
    history: History<'a>,
    references: (),
    attributes: Flags<'a>,
    pmc_ref_count: u32,
    full_journal_name: &'a str,
    #[serde(rename = "ELocationID")]
    elocation_id: &'a str,
    doc_type: &'static str,
    sort_pub_date: &'a str,
    sort_first_author: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Authors<'a> {
    author: Vec<SummaryAuthor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SummaryAuthor<'a> {
    name: &'a str,
    auth_type: &'static str,
    #[serde(rename = "ClusterID")]
    cluster_id: &'static str,
}

#[derive(Serialize)]
struct Strings<'a> {
    string: &'a [String],
}

#[derive(Serialize)]
struct Flags<'a> {
    flag: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ArticleIds<'a> {
    article_id: Vec<ArticleId<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ArticleId<'a> {
    id_type: &'a str,
    id_type_n: u32,
    value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct History<'a> {
    pub_med_pub_date: Vec<HistoryDate<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct HistoryDate<'a> {
    pub_status: &'a str,
    date: &'a str,
}

fn document_summary(s: &Summary) -> DocumentSummary<'_> {
    let article_id = s
        .article_ids
        .iter()
        .map(|(kind, value)| ArticleId { id_type: kind, id_type_n: id_type_number(kind), value })
        .collect();
    let dates = s.history.iter().map(|(status, date)| HistoryDate { pub_status: status, date }).collect();
    DocumentSummary {
        uid: s.uid,
        pub_date: &s.pub_date,
        epub_date: &s.epub_date,
        source: &s.source,
        authors: Authors {
            author: s.authors.iter().map(|name| SummaryAuthor { name, auth_type: "Author", cluster_id: "" }).collect(),
        },
        last_author: s.authors.last().map_or("", String::as_str),
        title: &s.title,
        sort_title: s.title.to_lowercase(),
        volume: &s.volume,
        issue: &s.issue,
        pages: &s.pages,
        lang: Strings { string: &s.languages },
        nlm_unique_id: &s.nlm_id,
        issn: &s.issn,
        essn: &s.essn,
        pub_type: Flags { flag: s.pub_types.iter().map(String::as_str).collect() },
        record_status: &s.record_status,
        pub_status: status_number(&s.pub_status),
        article_ids: ArticleIds { article_id },
        history: History { pub_med_pub_date: dates },
        references: (),
        attributes: Flags { flag: if s.has_abstract { vec!["Has Abstract"] } else { Vec::new() } },
        pmc_ref_count: 0,
        full_journal_name: &s.journal,
        elocation_id: &s.elocation,
        doc_type: "citation",
        sort_pub_date: &s.sort_pub_date,
        sort_first_author: s.authors.first().map_or("", String::as_str),
    }
}

fn summaries_v2(summaries: &[Result<Summary, u32>]) -> SummariesV2<'_> {
    fn entry(s: &Result<Summary, u32>) -> DocumentSummaryEntry<'_> {
        match s {
            Ok(s) => DocumentSummaryEntry::Found(Box::new(document_summary(s))),
            Err(id) => DocumentSummaryEntry::Missing(MissingSummary { uid: *id, error: "cannot get document summary" }),
        }
    }
    let set = DocumentSummarySet { status: "OK", summaries: summaries.iter().map(entry).collect() };
    SummariesV2 { document_summary_set: set }
}

/// ESummary's JSON answer: NCBI's header, then the result (or an error in its place).
#[derive(Serialize)]
struct SummaryJson<T> {
    header: JsonHeader,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct SummaryJsonError<'a> {
    esummaryresult: [&'a str; 1],
}

#[derive(Serialize)]
struct SummaryJsonBody<'a> {
    result: SummaryJsonResult<'a>,
}

/// `{"uids": [...], "<uid>": {...}, ...}`: the PMIDs, then each one's summary under its PMID, in
/// the order asked for.
struct SummaryJsonResult<'a> {
    summaries: Vec<(String, SummaryJsonEntry<'a>)>,
}

impl Serialize for SummaryJsonResult<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.summaries.len() + 1))?;
        let uids: Vec<&str> = self.summaries.iter().map(|(uid, _)| uid.as_str()).collect();
        map.serialize_entry("uids", &uids)?;
        for (uid, entry) in &self.summaries {
            map.serialize_entry(uid, entry)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum SummaryJsonEntry<'a> {
    Found(Box<DocumentSummaryJson<'a>>),
    Missing { uid: String, error: &'static str },
}

/// One record's summary, its members in NCBI's order.
#[derive(Serialize)]
struct DocumentSummaryJson<'a> {
    uid: String,
    pubdate: &'a str,
    epubdate: &'a str,
    source: &'a str,
    authors: Vec<AuthorJson<'a>>,
    lastauthor: &'a str,
    title: &'a str,
    sorttitle: String,
    volume: &'a str,
    issue: &'a str,
    pages: &'a str,
    lang: &'a [String],
    nlmuniqueid: &'a str,
    issn: &'a str,
    essn: &'a str,
    pubtype: &'a [String],
    recordstatus: &'a str,
    pubstatus: String,
    articleids: Vec<ArticleIdJson<'a>>,
    history: Vec<HistoryJson<'a>>,
    references: [&'a str; 0],
    attributes: Vec<&'static str>,
    pmcrefcount: &'static str,
    fulljournalname: &'a str,
    elocationid: &'a str,
    doctype: &'static str,
    sortpubdate: &'a str,
    sortfirstauthor: &'a str,
}

#[derive(Serialize)]
struct AuthorJson<'a> {
    name: &'a str,
    authtype: &'static str,
    clusterid: &'static str,
}

#[derive(Serialize)]
struct ArticleIdJson<'a> {
    idtype: &'a str,
    idtypen: u32,
    value: &'a str,
}

#[derive(Serialize)]
struct HistoryJson<'a> {
    pubstatus: &'a str,
    date: &'a str,
}

fn document_summary_json(s: &Summary) -> DocumentSummaryJson<'_> {
    fn author(name: &String) -> AuthorJson<'_> {
        AuthorJson { name, authtype: "Author", clusterid: "" }
    }
    DocumentSummaryJson {
        uid: s.uid.to_string(),
        pubdate: &s.pub_date,
        epubdate: &s.epub_date,
        source: &s.source,
        authors: s.authors.iter().map(author).collect(),
        lastauthor: s.authors.last().map_or("", String::as_str),
        title: &s.title,
        sorttitle: s.title.to_lowercase(),
        volume: &s.volume,
        issue: &s.issue,
        pages: &s.pages,
        lang: &s.languages,
        nlmuniqueid: &s.nlm_id,
        issn: &s.issn,
        essn: &s.essn,
        pubtype: &s.pub_types,
        recordstatus: &s.record_status,
        pubstatus: status_number(&s.pub_status),
        articleids: s
            .article_ids
            .iter()
            .map(|(k, v)| ArticleIdJson { idtype: k, idtypen: id_type_number(k), value: v })
            .collect(),
        history: s.history.iter().map(|(k, d)| HistoryJson { pubstatus: k, date: d }).collect(),
        references: [],
        attributes: if s.has_abstract { vec!["Has Abstract"] } else { Vec::new() },
        pmcrefcount: "",
        fulljournalname: &s.journal,
        elocationid: &s.elocation,
        doctype: "citation",
        sortpubdate: &s.sort_pub_date,
        sortfirstauthor: s.authors.first().map_or("", String::as_str),
    }
}

fn summaries_json(summaries: &[Result<Summary, u32>]) -> Response {
    fn entry(s: &Result<Summary, u32>) -> (String, SummaryJsonEntry<'_>) {
        match s {
            Ok(s) => (s.uid.to_string(), SummaryJsonEntry::Found(Box::new(document_summary_json(s)))),
            Err(id) => {
                let missing = SummaryJsonEntry::Missing { uid: id.to_string(), error: "cannot get document summary" };
                (id.to_string(), missing)
            }
        }
    }
    let result = SummaryJsonResult { summaries: summaries.iter().map(entry).collect() };
    json(&SummaryJson { header: JsonHeader::of("esummary"), body: SummaryJsonBody { result } })
}
