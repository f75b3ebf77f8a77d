//! PubMed's "Summary (text)" format: per record, the numbered title, the authors, the source line
//! and the PMID.

use super::{short_name, source};
use crate::Record;

/// Appends record number `n` (1-based) of a listing.
pub fn write(out: &mut String, n: usize, record: &Record) {
    let pmid = record.pmid().id;
    out.push_str(&format!("{n}. {}\n", record.title()));
    if let Record::Article(a) = record {
        let names: Vec<String> = a.medline.article.authors.iter().flat_map(|l| &l.authors).map(short_name).collect();
        if !names.is_empty() {
            out.push_str(&format!("{}.\n", names.join(", ")));
        }
        out.push_str(&source(a));
        out.push('\n');
    }
    let free = if record.pubmed_data().and_then(|p| p.article_id("pmc")).is_some() { " Free PMC article." } else { "" };
    out.push_str(&format!("PMID: {pmid}{free}\n\n"));
}
