//! ESummary: document summaries in NCBI's version 1 XML, version 2.0 XML, and JSON (which is
//! always version 2.0's fields). Also the summary DTD that Biopython does not ship.

use axum::response::Response;
use engine::Lookup;
use medline::Record;
use medline::format::{date_text, history_stamp, journal_abbreviation, pub_date_text, short_name, volume_issue_pages};
use serde_json::json;

use super::{Params, json, requested_ids, x, xml};
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
    languages: Vec<String>,
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
        return json(json!({ "header": { "type": "esummary", "version": "0.3" }, "esummaryresult": [message] }));
    }
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n{V1_DOCTYPE}\n<eSummaryResult>\n\t<ERROR>{}</ERROR>\n</eSummaryResult>\n",
        x(message)
    ))
}

pub fn esummary(state: &AppState, p: &Params) -> Response {
    if let Some(e) = p.db_error("db") {
        return error(p, &e);
    }
    let ids = match requested_ids(state, p, 20) {
        Ok(ids) => ids,
        Err(e) => return error(p, &e),
    };
    let mut summaries: Vec<Result<Summary, u32>> = Vec::with_capacity(ids.len());
    let archive = state.archive();
    for id in ids {
        match archive.store.get(id) {
            Ok(Lookup::Found(stored)) => match stored.parse() {
                Ok(record) => summaries.push(Ok(summarize(id, &record))),
                Err(_) => summaries.push(Err(id)),
            },
            _ => summaries.push(Err(id)),
        }
    }
    let v2 = p.get("version").is_some_and(|v| v.starts_with('2'));
    if p.json() {
        summaries_json(&summaries)
    } else if v2 {
        xml(summaries_v2(&summaries, &p.base))
    } else {
        xml(summaries_v1(&summaries))
    }
}

/// Version 1 XML (also `efetch rettype=docsum`).
pub fn docsums(state: &AppState, ids: &[u32]) -> String {
    let archive = state.archive();
    let summaries: Vec<Result<Summary, u32>> = ids
        .iter()
        .map(|&id| match archive.store.get(id) {
            Ok(Lookup::Found(s)) => s.parse().map(|r| summarize(id, &r)).map_err(|_| id),
            _ => Err(id),
        })
        .collect();
    summaries_v1(&summaries)
}

fn summaries_v1(summaries: &[Result<Summary, u32>]) -> String {
    let mut b = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n{V1_DOCTYPE}\n<eSummaryResult>\n");
    let item = |b: &mut String, name: &str, kind: &str, value: &str| {
        b.push_str(&format!("\t<Item Name=\"{name}\" Type=\"{kind}\">{}</Item>\n", x(value)));
    };
    let list = |b: &mut String, name: &str, entries: &[(String, String)], kind: &str| {
        b.push_str(&format!("\t<Item Name=\"{name}\" Type=\"List\">"));
        if !entries.is_empty() {
            b.push('\n');
        }
        for (n, v) in entries {
            b.push_str(&format!("\t\t<Item Name=\"{}\" Type=\"{kind}\">{}</Item>\n", x(n), x(v)));
        }
        b.push_str(if entries.is_empty() { "</Item>\n" } else { "\t</Item>\n" });
    };
    let mut missing = Vec::new();
    for s in summaries {
        let s = match s {
            Ok(s) => s,
            Err(id) => {
                missing.push(*id);
                continue;
            }
        };
        b.push_str(&format!("<DocSum>\n\t<Id>{}</Id>\n", s.uid));
        item(&mut b, "PubDate", "Date", &s.pub_date);
        item(&mut b, "EPubDate", "Date", &s.epub_date);
        item(&mut b, "Source", "String", &s.source);
        let named =
            |name: &str, values: &[String]| values.iter().map(|v| (name.to_owned(), v.clone())).collect::<Vec<_>>();
        list(&mut b, "AuthorList", &named("Author", &s.authors), "String");
        item(&mut b, "LastAuthor", "String", s.authors.last().map_or("", String::as_str));
        item(&mut b, "Title", "String", &s.title);
        item(&mut b, "Volume", "String", &s.volume);
        item(&mut b, "Issue", "String", &s.issue);
        item(&mut b, "Pages", "String", &s.pages);
        let languages: Vec<String> = s
            .languages
            .iter()
            .map(|l| medline::language::of_code(l).map_or(l.as_str(), |l| l.shown).to_owned())
            .collect();
        list(&mut b, "LangList", &named("Lang", &languages), "String");
        item(&mut b, "NlmUniqueID", "String", &s.nlm_id);
        item(&mut b, "ISSN", "String", &s.issn);
        item(&mut b, "ESSN", "String", &s.essn);
        list(&mut b, "PubTypeList", &named("PubType", &s.pub_types), "String");
        item(&mut b, "RecordStatus", "String", &s.record_status);
        item(&mut b, "PubStatus", "String", &s.pub_status);
        list(&mut b, "ArticleIds", &s.article_ids, "String");
        list(&mut b, "History", &s.history, "Date");
        list(&mut b, "References", &[], "String");
        item(&mut b, "HasAbstract", "Integer", if s.has_abstract { "1" } else { "0" });
        item(&mut b, "PmcRefCount", "Integer", "0");
        item(&mut b, "FullJournalName", "String", &s.journal);
        item(&mut b, "ELocationID", "String", &s.elocation);
        item(&mut b, "SO", "String", &s.so);
        b.push_str("</DocSum>\n\n");
    }
    for id in missing {
        b.push_str(&format!("<ERROR>UID={id}: cannot get document summary</ERROR>\n"));
    }
    b.push_str("</eSummaryResult>\n");
    b
}

fn summaries_v2(summaries: &[Result<Summary, u32>], base: &str) -> String {
    let mut b = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE eSummaryResult PUBLIC \"-//NLM//DTD esummary pubmed 20160808//EN\" \"{base}dtd/esummary_pubmed.dtd\">\n<eSummaryResult>\n<DocumentSummarySet status=\"OK\">\n"
    );
    let el = |b: &mut String, name: &str, value: &str| b.push_str(&format!("\t<{name}>{}</{name}>\n", x(value)));
    for s in summaries {
        let s = match s {
            Ok(s) => s,
            Err(id) => {
                b.push_str(&format!(
                    "<DocumentSummary uid=\"{id}\">\n\t<error>cannot get document summary</error>\n</DocumentSummary>\n"
                ));
                continue;
            }
        };
        b.push_str(&format!("<DocumentSummary uid=\"{}\">\n", s.uid));
        el(&mut b, "PubDate", &s.pub_date);
        el(&mut b, "EPubDate", &s.epub_date);
        el(&mut b, "Source", &s.source);
        b.push_str("\t<Authors>\n");
        for a in &s.authors {
            b.push_str(&format!("\t\t<Author>\n\t\t\t<Name>{}</Name>\n\t\t\t<AuthType>Author</AuthType>\n\t\t\t<ClusterID></ClusterID>\n\t\t</Author>\n", x(a)));
        }
        b.push_str("\t</Authors>\n");
        el(&mut b, "LastAuthor", s.authors.last().map_or("", String::as_str));
        el(&mut b, "Title", &s.title);
        el(&mut b, "SortTitle", &s.title.to_lowercase());
        el(&mut b, "Volume", &s.volume);
        el(&mut b, "Issue", &s.issue);
        el(&mut b, "Pages", &s.pages);
        b.push_str("\t<Lang>\n");
        for l in &s.languages {
            b.push_str(&format!("\t\t<string>{}</string>\n", x(l)));
        }
        b.push_str("\t</Lang>\n");
        el(&mut b, "NlmUniqueID", &s.nlm_id);
        el(&mut b, "ISSN", &s.issn);
        el(&mut b, "ESSN", &s.essn);
        b.push_str("\t<PubType>\n");
        for t in &s.pub_types {
            b.push_str(&format!("\t\t<flag>{}</flag>\n", x(t)));
        }
        b.push_str("\t</PubType>\n");
        el(&mut b, "RecordStatus", &s.record_status);
        el(&mut b, "PubStatus", &status_number(&s.pub_status));
        b.push_str("\t<ArticleIds>\n");
        for (kind, value) in &s.article_ids {
            b.push_str(&format!(
                "\t\t<ArticleId>\n\t\t\t<IdType>{}</IdType>\n\t\t\t<IdTypeN>{}</IdTypeN>\n\t\t\t<Value>{}</Value>\n\t\t</ArticleId>\n",
                x(kind),
                id_type_number(kind),
                x(value)
            ));
        }
        b.push_str("\t</ArticleIds>\n\t<History>\n");
        for (status, date) in &s.history {
            b.push_str(&format!(
                "\t\t<PubMedPubDate>\n\t\t\t<PubStatus>{}</PubStatus>\n\t\t\t<Date>{}</Date>\n\t\t</PubMedPubDate>\n",
                x(status),
                x(date)
            ));
        }
        b.push_str("\t</History>\n\t<References>\n\t</References>\n\t<Attributes>\n");
        if s.has_abstract {
            b.push_str("\t\t<flag>Has Abstract</flag>\n");
        }
        b.push_str("\t</Attributes>\n");
        el(&mut b, "PmcRefCount", "0");
        el(&mut b, "FullJournalName", &s.journal);
        el(&mut b, "ELocationID", &s.elocation);
        el(&mut b, "DocType", "citation");
        el(&mut b, "SortPubDate", &s.sort_pub_date);
        el(&mut b, "SortFirstAuthor", s.authors.first().map_or("", String::as_str));
        b.push_str("</DocumentSummary>\n");
    }
    b.push_str("</DocumentSummarySet>\n</eSummaryResult>\n");
    b
}

fn summaries_json(summaries: &[Result<Summary, u32>]) -> Response {
    let mut result = serde_json::Map::new();
    let uids: Vec<String> = summaries.iter().map(|s| s.as_ref().map_or_else(|id| *id, |s| s.uid).to_string()).collect();
    result.insert("uids".into(), json!(uids));
    for s in summaries {
        let (uid, value) = match s {
            Err(id) => (*id, json!({ "uid": id.to_string(), "error": "cannot get document summary" })),
            Ok(s) => (
                s.uid,
                json!({
                    "uid": s.uid.to_string(),
                    "pubdate": s.pub_date,
                    "epubdate": s.epub_date,
                    "source": s.source,
                    "authors": s.authors.iter().map(|a| json!({ "name": a, "authtype": "Author", "clusterid": "" })).collect::<Vec<_>>(),
                    "lastauthor": s.authors.last().cloned().unwrap_or_default(),
                    "title": s.title,
                    "sorttitle": s.title.to_lowercase(),
                    "volume": s.volume,
                    "issue": s.issue,
                    "pages": s.pages,
                    "lang": s.languages,
                    "nlmuniqueid": s.nlm_id,
                    "issn": s.issn,
                    "essn": s.essn,
                    "pubtype": s.pub_types,
                    "recordstatus": s.record_status,
                    "pubstatus": status_number(&s.pub_status),
                    "articleids": s.article_ids.iter().map(|(k, v)| json!({ "idtype": k, "idtypen": id_type_number(k), "value": v })).collect::<Vec<_>>(),
                    "history": s.history.iter().map(|(k, d)| json!({ "pubstatus": k, "date": d })).collect::<Vec<_>>(),
                    "references": [],
                    "attributes": if s.has_abstract { vec!["Has Abstract"] } else { vec![] },
                    "pmcrefcount": "",
                    "fulljournalname": s.journal,
                    "elocationid": s.elocation,
                    "doctype": "citation",
                    "sortpubdate": s.sort_pub_date,
                    "sortfirstauthor": s.authors.first().cloned().unwrap_or_default(),
                }),
            ),
        };
        result.insert(uid.to_string(), value);
    }
    json(json!({ "header": { "type": "esummary", "version": "0.3" }, "result": result }))
}
