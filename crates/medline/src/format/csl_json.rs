//! CSL-JSON, the citation data citeproc processors (Zotero, Pandoc, citeproc-py) read: one
//! object per record, `article-journal` with authors, dates and identifiers.

use serde_json::{Value, json};

use super::{doi, journal_abbreviation};
use crate::Record;

/// One record as a CSL-JSON item (`article-journal`, or a short `book` for books).
pub fn item(record: &Record) -> Value {
    let pmid = record.pmid().id;
    let Record::Article(a) = record else {
        return json!({ "id": format!("pmid:{pmid}"), "type": "book", "title": record.title(), "PMID": pmid.to_string() });
    };
    let art = &a.medline.article;
    let j = &art.journal;
    let authors: Vec<Value> = art
        .authors
        .iter()
        .flat_map(|l| &l.authors)
        .filter_map(|au| match (au.last(), au.fore(), &au.collective_name) {
            (Some(l), f, _) => Some(match &au.suffix {
                Some(s) => json!({ "family": l, "given": f.unwrap_or_default(), "suffix": s }),
                None => json!({ "family": l, "given": f.unwrap_or_default() }),
            }),
            (None, _, Some(c)) => Some(json!({ "literal": c.text })),
            _ => None,
        })
        .collect();
    let mut parts: Vec<Value> = Vec::new();
    // A `MedlineDate` ("1998 Dec-1999 Jan") gives its first year.
    let year = j.pub_date.year.as_deref().or(j.pub_date.medline_date.as_deref().and_then(|m| m.get(..4)));
    if let Some(y) = year.and_then(|y| y.parse::<u32>().ok()) {
        parts.push(json!(y));
        let month = j.pub_date.month.as_deref().and_then(|m| {
            m.parse::<u32>()
                .ok()
                .or_else(|| super::MONTHS.iter().position(|n| n.eq_ignore_ascii_case(m)).map(|i| i as u32 + 1))
        });
        if let Some(m) = month {
            parts.push(json!(m));
            if let Some(d) = j.pub_date.day.as_deref().and_then(|d| d.parse::<u32>().ok()) {
                parts.push(json!(d));
            }
        }
    }
    let mut item = json!({
        "id": format!("pmid:{pmid}"),
        "type": "article-journal",
        "title": art.title.text,
        "container-title": j.title.clone().unwrap_or_default(),
        "container-title-short": journal_abbreviation(a),
        "author": authors,
        "PMID": pmid.to_string(),
    });
    if !parts.is_empty() {
        item["issued"] = json!({ "date-parts": [parts] });
    }
    let mut set = |key: &str, value: Option<&str>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            item[key] = json!(v);
        }
    };
    set("volume", j.volume.as_deref());
    set("issue", j.issue.as_deref());
    set("page", art.pagination.as_ref().and_then(|p| p.medline_pgn.as_deref()));
    set("DOI", doi(a));
    set("PMCID", a.pubmed.as_ref().and_then(|p| p.article_id("pmc")));
    set("ISSN", j.issn.as_ref().map(|i| i.value.as_str()));
    set("language", art.languages.first().map(String::as_str));
    let abstract_text: Vec<&str> = art.abstract_.iter().flat_map(|x| &x.texts).map(|t| t.text.text.as_str()).collect();
    set("abstract", Some(&abstract_text.join(" ")));
    item
}
