//! BibTeX: one `@article{pmidN, ...}` entry per record, with TeX's special characters escaped.

use super::{doi, journal_abbreviation};
use crate::Record;

/// Text safe inside a braced BibTeX value.
fn tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

fn field(out: &mut String, name: &str, value: &str) {
    if !value.trim().is_empty() {
        out.push_str(&format!(",\n  {name} = {{{}}}", tex(value)));
    }
}

/// Appends one record as a BibTeX entry (`@article`, or a short `@book` for books).
pub fn write(out: &mut String, record: &Record) {
    let pmid = record.pmid().id;
    let Record::Article(a) = record else {
        out.push_str(&format!("@book{{pmid{pmid}"));
        field(out, "title", record.title());
        field(out, "pmid", &pmid.to_string());
        out.push_str("\n}\n\n");
        return;
    };
    let art = &a.medline.article;
    let j = &art.journal;
    out.push_str(&format!("@article{{pmid{pmid}"));
    let authors: Vec<String> = art
        .authors
        .iter()
        .flat_map(|l| &l.authors)
        // BibTeX's `Last, Jr, First` places a suffix.
        .filter_map(|au| match (au.last(), au.fore(), &au.collective_name) {
            (Some(l), Some(f), _) => Some(match &au.suffix {
                Some(s) => format!("{l}, {s}, {f}"),
                None => format!("{l}, {f}"),
            }),
            (Some(l), None, _) => Some(l.to_owned()),
            // A group's name is kept whole by an extra pair of braces.
            (None, _, Some(c)) => Some(format!("{{{}}}", c.text)),
            _ => None,
        })
        .collect();
    if !authors.is_empty() {
        // The group braces must survive escaping, so authors are escaped name by name.
        let names: Vec<String> = authors
            .iter()
            .map(|n| match n.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
                Some(group) => format!("{{{}}}", tex(group)),
                None => tex(n),
            })
            .collect();
        out.push_str(&format!(",\n  author = {{{}}}", names.join(" and ")));
    }
    field(out, "title", &art.title.text);
    field(out, "journal", j.title.as_deref().unwrap_or_else(|| journal_abbreviation(a)));
    field(out, "year", j.pub_date.year.as_deref().unwrap_or_default());
    field(out, "volume", j.volume.as_deref().unwrap_or_default());
    field(out, "number", j.issue.as_deref().unwrap_or_default());
    let pages = art.pagination.as_ref().and_then(|p| p.medline_pgn.clone()).unwrap_or_default();
    field(out, "pages", &pages.replace('-', "--"));
    field(out, "doi", doi(a).unwrap_or_default());
    field(out, "pmid", &pmid.to_string());
    if let Some(pmc) = a.pubmed.as_ref().and_then(|p| p.article_id("pmc")) {
        field(out, "pmcid", pmc);
    }
    if let Some(abs) = &art.abstract_ {
        let text: Vec<&str> = abs.texts.iter().map(|t| t.text.text.as_str()).collect();
        field(out, "abstract", &text.join(" "));
    }
    out.push_str("\n}\n\n");
}
