//! RIS, the tagged format reference managers (EndNote, Zotero, Rayyan) import: `TAG  - value`
//! lines from `TY  - JOUR` to `ER  - `.

use super::{abstract_paragraph, doi, journal_abbreviation, pub_date_text};
use crate::Record;

fn line(out: &mut String, tag: &str, value: &str) {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if !value.is_empty() {
        out.push_str(&format!("{tag}  - {value}\n"));
    }
}

/// Appends one record as RIS lines, from `TY` to `ER`.
pub fn write(out: &mut String, record: &Record) {
    let Record::Article(a) = record else {
        line(out, "TY", "BOOK");
        line(out, "TI", record.title());
        line(out, "AN", &record.pmid().id.to_string());
        out.push_str("ER  - \n\n");
        return;
    };
    let m = &a.medline;
    let art = &m.article;
    let j = &art.journal;
    line(out, "TY", "JOUR");
    for au in art.authors.iter().flat_map(|l| &l.authors) {
        // RIS: `Last, First, Suffix`.
        let name = match (au.last(), au.fore(), &au.collective_name) {
            (Some(l), Some(f), _) => match &au.suffix {
                Some(s) => format!("{l}, {f}, {s}"),
                None => format!("{l}, {f}"),
            },
            (Some(l), None, _) => l.to_owned(),
            (None, _, Some(c)) => c.text.clone(),
            _ => continue,
        };
        line(out, "AU", &name);
    }
    line(out, "TI", &art.title.text);
    line(out, "T2", j.title.as_deref().unwrap_or_default());
    line(out, "J2", journal_abbreviation(a));
    line(out, "PY", j.pub_date.year.as_deref().unwrap_or_default());
    line(out, "DA", &pub_date_text(&j.pub_date));
    line(out, "VL", j.volume.as_deref().unwrap_or_default());
    line(out, "IS", j.issue.as_deref().unwrap_or_default());
    if let Some(p) = &art.pagination {
        line(out, "SP", p.start_page.as_deref().or(p.medline_pgn.as_deref()).unwrap_or_default());
        line(out, "EP", p.end_page.as_deref().unwrap_or_default());
    }
    if let Some(abs) = &art.abstract_ {
        line(out, "AB", &abstract_paragraph(abs));
    }
    for k in m.keyword_lists.iter().flat_map(|l| &l.keywords) {
        line(out, "KW", &k.text.text);
    }
    for h in &m.mesh_headings {
        line(out, "KW", &h.descriptor.name);
    }
    for lang in &art.languages {
        line(out, "LA", lang);
    }
    if let Some(issn) = &j.issn {
        line(out, "SN", &issn.value);
    }
    if let Some(doi) = doi(a) {
        line(out, "DO", doi);
    }
    line(out, "AN", &m.pmid.id.to_string());
    line(out, "UR", &format!("https://pubmed.ncbi.nlm.nih.gov/{}/", m.pmid.id));
    out.push_str("ER  - \n\n");
}
