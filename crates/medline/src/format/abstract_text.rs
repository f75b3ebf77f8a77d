//! PubMed's "Abstract" text format (`efetch rettype=abstract`): per record, a numbered source line,
//! the title, the authors with affiliation numbers, the affiliations, the abstract, and the
//! identifiers, wrapped at 81 columns.

use super::{doi, section_text, short_name, source, wrap};
use crate::Record;

const WIDTH: usize = 81;

fn paragraph(out: &mut String, text: &str) {
    for line in wrap(text, WIDTH) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
}

/// Appends record number `n` (1-based) of a listing.
pub fn write(out: &mut String, n: usize, record: &Record) {
    out.push('\n');
    let Record::Article(a) = record else {
        let pmid = record.pmid().id;
        paragraph(out, &format!("{n}. {}", record.title()));
        out.push_str(&format!("PMID: {pmid}\n"));
        return;
    };
    let m = &a.medline;
    let art = &m.article;
    paragraph(out, &format!("{n}. {}", source(a)));
    paragraph(out, &art.title.text);

    // Authors, each with the numbers of its affiliations.
    let authors = art.authors.as_ref().map_or(&[][..], |l| &l.authors);
    let mut affiliations: Vec<&str> = Vec::new();
    let mut names = Vec::new();
    for au in authors {
        let mut numbers = Vec::new();
        for af in &au.affiliations {
            let i = match affiliations.iter().position(|x| *x == af.text.text) {
                Some(i) => i,
                None => {
                    affiliations.push(&af.text.text);
                    affiliations.len() - 1
                }
            };
            numbers.push(format!("({})", i + 1));
        }
        names.push(format!("{}{}", short_name(au), numbers.join("")));
    }
    if !names.is_empty() {
        paragraph(out, &format!("{}.", names.join(", ")));
    }
    if !affiliations.is_empty() {
        out.push_str("Author information: \n");
        for (i, af) in affiliations.iter().enumerate() {
            for line in wrap(&format!("({}){af}", i + 1), WIDTH) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out.push('\n');
    }
    if let Some(abs) = &art.abstract_ {
        for t in &abs.texts {
            paragraph(out, &section_text(t));
        }
        if let Some(c) = &abs.copyright {
            paragraph(out, c);
        }
    }
    if let Some(coi) = &m.coi_statement {
        paragraph(out, &format!("Conflict of interest statement: {}", coi.text));
    }
    let pubmed = a.pubmed.as_ref();
    // PubMed leaves the DOI's line empty when there is none.
    match doi(a) {
        Some(doi) => out.push_str(&format!("DOI: {doi}\n")),
        None => out.push('\n'),
    }
    if let Some(pmc) = pubmed.and_then(|p| p.article_id("pmc")) {
        out.push_str(&format!("PMCID: {pmc}\n"));
    }
    let indexed = if m.status.as_deref() == Some("MEDLINE") { "  [Indexed for MEDLINE]" } else { "" };
    out.push_str(&format!("PMID: {}{indexed}\n", m.pmid.id));
}
