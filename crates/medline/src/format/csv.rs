//! CSV with the columns of PubMed's "Save → CSV".

use super::{citation, doi, journal_abbreviation, short_name};
use crate::Record;

/// The header row: the columns of PubMed's CSV export.
pub const HEADER: &str =
    "PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,NIHMS ID,DOI\n";

/// A field quoted as RFC 4180 says, when it needs to be.
fn cell(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// Appends one record as a row under [`HEADER`].
pub fn write(out: &mut String, record: &Record) {
    let pmid = record.pmid().id.to_string();
    let pubmed = record.pubmed_data();
    let created = pubmed
        .and_then(|p| p.history.iter().find(|h| h.status == "entrez"))
        .map(|h| format!("{:04}/{:02}/{:02}", h.date.year, h.date.month, h.date.day))
        .unwrap_or_default();
    let pmc = pubmed.and_then(|p| p.article_id("pmc")).unwrap_or_default();
    let mid = pubmed.and_then(|p| p.article_id("mid")).unwrap_or_default();
    let row: Vec<String> = match record {
        Record::Article(a) => {
            let art = &a.medline.article;
            let names: Vec<String> = art.authors.iter().flat_map(|l| &l.authors).map(short_name).collect();
            let cite = match doi(a) {
                Some(d) => format!("{} doi: {d}", citation(a)),
                None => citation(a),
            };
            vec![
                pmid,
                art.title.text.clone(),
                if names.is_empty() { String::new() } else { format!("{}.", names.join(", ")) },
                cite,
                names.first().cloned().unwrap_or_default(),
                journal_abbreviation(a).to_owned(),
                art.journal.pub_date.year.clone().unwrap_or_default(),
                created,
                pmc.to_owned(),
                mid.to_owned(),
                doi(a).unwrap_or_default().to_owned(),
            ]
        }
        Record::Book(b) => vec![
            pmid,
            record.title().to_owned(),
            String::new(),
            String::new(),
            String::new(),
            b.book.book.title.text.clone(),
            b.book.book.pub_date.year.clone().unwrap_or_default(),
            created,
            pmc.to_owned(),
            mid.to_owned(),
            String::new(),
        ],
    };
    out.push_str(&row.iter().map(|v| cell(v)).collect::<Vec<_>>().join(","));
    out.push('\n');
}
