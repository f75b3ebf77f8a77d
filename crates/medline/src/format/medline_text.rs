//! The MEDLINE tagged format (PubMed's "PubMed" format, `.nbib`, `efetch rettype=medline`): one
//! `TAG - value` line per field, tags padded to four columns, long values wrapped at word
//! boundaries with continuation lines indented six spaces, and a blank line before each record.
//! Like PubMed's, the text is ASCII ([`super::ascii`]).

use std::fmt::Write;

use super::{abstract_paragraph, grant_text, history_stamp, journal_abbreviation, pub_date_text, source};
use crate::Record;
use crate::model::{Author, BookDocument, Date, PubmedArticle, PubmedBookArticle};

/// Characters of a value on one line (PubMed's run to 87 with the 6-column tag).
const WIDTH: usize = 81;

/// Appends one record, preceded by the blank line that separates records.
pub fn write(out: &mut String, record: &Record) {
    out.push('\n');
    match record {
        Record::Article(a) => article(out, a),
        Record::Book(b) => book(out, b),
    }
}

/// One `TAG - value` field, wrapped.
fn field(out: &mut String, tag: &str, value: &str) {
    // Runs of spaces (a dropped symbol's, a line end's) are one space, as in PubMed's text; a
    // name's own space stays (`An , H S`).
    let value = super::ascii(value).split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return;
    }
    for (i, line) in wrap_as_pubmed(&value).iter().enumerate() {
        if i == 0 {
            let _ = writeln!(out, "{tag:<4}- {line}");
        } else {
            let _ = writeln!(out, "      {line}");
        }
    }
}

/// PubMed's wrapping of a value, measured on its exports (every field of the 2020 `.nbib`
/// export in `../shared`): at most [`WIDTH`] characters a line, broken at the last space; a
/// break where the space is the line's last character keeps it (87 columns, a space last),
/// a break at the space just past it drops it, and a word longer than a line stands alone.
fn wrap_as_pubmed(value: &str) -> Vec<&str> {
    // The value is ASCII ([`super::ascii`]): bytes are characters.
    let mut lines = Vec::new();
    let mut rest = value;
    while rest.len() > WIDTH {
        let bytes = rest.as_bytes();
        let at = if bytes[WIDTH] == b' ' || bytes[WIDTH - 1] == b' ' {
            WIDTH
        } else {
            match rest[..WIDTH].rfind(' ').filter(|&space| space > 0).or_else(|| rest.find(' ')) {
                Some(space) => space,
                None => break,
            }
        };
        lines.push(&rest[..at]);
        rest = rest[at..].strip_prefix(' ').unwrap_or(&rest[at..]);
    }
    lines.push(rest);
    lines
}

/// `20180731`
fn compact(d: &Date) -> String {
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

/// The MEDLINE tag of a comment or correction type.
fn comment_tag(ref_type: &str) -> Option<&'static str> {
    Some(match ref_type {
        "CommentOn" => "CON",
        "CommentIn" => "CIN",
        "ErratumIn" => "EIN",
        "ErratumFor" => "EFR",
        "CorrectedandRepublishedIn" => "CRI",
        "CorrectedandRepublishedFrom" => "CRF",
        "PartialRetractionIn" => "PRIN",
        "PartialRetractionOf" => "PROF",
        "RepublishedIn" => "RPI",
        "RepublishedFrom" => "RPF",
        "RetractionIn" => "RIN",
        "RetractionOf" => "ROF",
        "UpdateIn" => "UIN",
        "UpdateOf" => "UOF",
        "SummaryForPatientsIn" => "SPIN",
        "OriginalReportIn" => "ORI",
        "ExpressionOfConcernIn" => "ECI",
        "ExpressionOfConcernFor" => "ECF",
        _ => return None,
    })
}

/// Authors (`FAU`/`AU`) or editors (`FED`/`ED`), each with identifiers and affiliations.
fn authors(out: &mut String, list: &[Author], full: &str, short: &str) {
    for au in list {
        if let Some(group) = &au.collective_name {
            field(out, "CN", &group.text);
        } else {
            if let Some(last) = &au.last_name {
                let mut name = match &au.fore_name {
                    Some(f) => format!("{last}, {f}"),
                    None => last.clone(),
                };
                if let Some(suffix) = &au.suffix {
                    name.push(' ');
                    name.push_str(suffix);
                }
                field(out, full, &name);
            }
            field(out, short, &super::short_name(au));
        }
        for id in &au.identifiers {
            field(out, "AUID", &format!("{}: {}", id.source, id.value));
        }
        for af in &au.affiliations {
            field(out, "AD", &af.text.text);
        }
    }
}

fn article(out: &mut String, a: &PubmedArticle) {
    identification(out, a);
    content(out, a);
    journal_and_indexing(out, a);
    links_and_notes(out, a);
    history_and_ids(out, a.pubmed.as_ref());
    field(out, "SO", &source(a));
}

/// PMID, owner, status, dates, ISSNs, volume, issue, date, title, pages, locations.
fn identification(out: &mut String, a: &PubmedArticle) {
    let m = &a.medline;
    let art = &m.article;
    let j = &art.journal;
    field(out, "PMID", &m.pmid.id.to_string());
    field(out, "OWN", m.owner.as_deref().unwrap_or("NLM"));
    field(out, "STAT", m.status.as_deref().unwrap_or_default());
    if let Some(d) = &m.date_created {
        field(out, "DA", &compact(d));
    }
    if let Some(d) = &m.date_completed {
        field(out, "DCOM", &compact(d));
    }
    if let Some(d) = &m.date_revised {
        field(out, "LR", &compact(d));
    }
    if let Some(issn) = &j.issn {
        field(out, "IS", &format!("{} ({})", issn.value, issn.issn_type.as_deref().unwrap_or("Print")));
    }
    if let Some(linking) = &m.journal_info.issn_linking {
        field(out, "IS", &format!("{linking} (Linking)"));
    }
    field(out, "VI", j.volume.as_deref().unwrap_or_default());
    field(out, "IP", j.issue.as_deref().unwrap_or_default());
    field(out, "DP", &pub_date_text(&j.pub_date));
    field(out, "TI", &art.title.text);
    let pages = art.pagination.as_ref().and_then(|p| p.medline_pgn.clone().or_else(|| p.start_page.clone()));
    field(out, "PG", pages.as_deref().unwrap_or_default());
    for e in &art.elocation_ids {
        field(out, "LID", &format!("{} [{}]", e.value, e.id_type));
    }
}

/// Abstract, authors, languages, databanks, grants, publication types, electronic dates, the
/// transliterated title.
fn content(out: &mut String, a: &PubmedArticle) {
    let m = &a.medline;
    let art = &m.article;
    if let Some(abs) = &art.abstract_ {
        field(out, "AB", &abstract_paragraph(abs));
        field(out, "CI", abs.copyright.as_deref().unwrap_or_default());
    }
    authors(out, art.authors.as_ref().map_or(&[], |l| &l.authors), "FAU", "AU");
    for lang in &art.languages {
        field(out, "LA", lang);
    }
    for bank in art.databanks.iter().flat_map(|b| &b.databanks) {
        for acc in &bank.accession_numbers {
            field(out, "SI", &format!("{}/{acc}", bank.name));
        }
    }
    for g in art.grants.iter().flat_map(|g| &g.grants) {
        field(out, "GR", &grant_text(g));
    }
    for pt in &art.publication_types {
        field(out, "PT", &pt.name);
    }
    for d in &art.article_dates {
        field(out, "DEP", &compact(&d.date));
    }
    if let Some(tt) = &art.vernacular_title {
        field(out, "TT", &tt.text);
    }
}

/// The journal, substances, subsets, comments and corrections, MeSH headings, references.
fn journal_and_indexing(out: &mut String, a: &PubmedArticle) {
    let m = &a.medline;
    let art = &m.article;
    let j = &art.journal;
    field(out, "PL", m.journal_info.country.as_deref().unwrap_or_default());
    field(out, "TA", journal_abbreviation(a));
    field(out, "JT", j.title.as_deref().unwrap_or_default());
    field(out, "JID", m.journal_info.nlm_unique_id.as_deref().unwrap_or_default());
    for c in &m.chemicals {
        field(out, "RN", &format!("{} ({})", c.registry_number, c.name));
    }
    for s in &m.citation_subsets {
        field(out, "SB", s);
    }
    for cc in &m.comments_corrections {
        if let Some(tag) = comment_tag(&cc.ref_type) {
            let value = match &cc.pmid {
                // PubMed ends the source with a full stop before the PMID.
                Some(p) => {
                    format!("{}{} PMID: {}", cc.ref_source, if cc.ref_source.ends_with('.') { "" } else { "." }, p.id)
                }
                None => cc.ref_source.clone(),
            };
            field(out, tag, &value);
        }
    }
    for h in &m.mesh_headings {
        let star = |major: bool| if major { "*" } else { "" };
        let mut value = format!("{}{}", star(h.descriptor.major), h.descriptor.name);
        for q in &h.qualifiers {
            value.push_str(&format!("/{}{}", star(q.major), q.name));
        }
        field(out, "MH", &value);
    }
    field(out, "RF", m.number_of_references.as_deref().unwrap_or_default());
}

/// PMC and manuscript IDs, keywords, conflict of interest, personal names, general notes.
fn links_and_notes(out: &mut String, a: &PubmedArticle) {
    let m = &a.medline;
    let pubmed = a.pubmed.as_ref();
    if let Some(pmc) = pubmed.and_then(|p| p.article_id("pmc")) {
        field(out, "PMC", pmc);
    }
    if let Some(mid) = pubmed.and_then(|p| p.article_id("mid")) {
        field(out, "MID", mid);
    }
    for list in &m.keyword_lists {
        field(out, "OTO", &list.owner);
        for k in &list.keywords {
            let star = if k.major { "*" } else { "" };
            field(out, "OT", &format!("{star}{}", k.text.text));
        }
    }
    if let Some(coi) = &m.coi_statement {
        field(out, "COIS", &coi.text);
    }
    for ps in &m.personal_name_subjects {
        let name = [Some(ps.last_name.as_str()), ps.initials.as_deref()].into_iter().flatten().collect::<Vec<_>>();
        field(out, "PS", &name.join(" "));
    }
    for note in &m.general_notes {
        field(out, "GN", &note.text);
    }
}

/// EDAT, MHDA, CRDT, the PHST history lines, AID and PST.
fn history_and_ids(out: &mut String, pubmed: Option<&crate::model::PubmedData>) {
    let Some(p) = pubmed else { return };
    let at = |status: &str| p.history.iter().find(|h| h.status == status).map(|h| history_stamp(&h.date));
    if let Some(d) = at("pubmed").or_else(|| at("entrez")) {
        field(out, "EDAT", &d);
    }
    if let Some(d) = at("medline") {
        field(out, "MHDA", &d);
    }
    if let Some(d) = at("entrez") {
        field(out, "CRDT", &d);
    }
    for h in &p.history {
        field(out, "PHST", &format!("{} [{}]", history_stamp(&h.date), h.status));
    }
    for id in p.article_ids.iter().filter(|i| !matches!(i.id_type.as_str(), "pubmed" | "pmc" | "mid")) {
        field(out, "AID", &format!("{} [{}]", id.value, id.id_type));
    }
    field(out, "PST", p.publication_status.as_deref().unwrap_or_default());
}

fn book(out: &mut String, b: &PubmedBookArticle) {
    let d: &BookDocument = &b.book;
    field(out, "PMID", &d.pmid.id.to_string());
    field(out, "STAT", "Publisher");
    field(out, "DP", &pub_date_text(&d.book.pub_date));
    if let Some(t) = &d.article_title {
        field(out, "TI", &t.text);
    }
    field(out, "BTI", &d.book.title.text);
    for isbn in &d.book.isbns {
        field(out, "ISBN", isbn);
    }
    if let Some(abs) = &d.abstract_ {
        let text: Vec<String> = abs.texts.iter().map(|t| t.text.text.clone()).collect();
        field(out, "AB", &text.join(" "));
    }
    for list in &d.author_lists {
        authors(out, &list.authors, "FAU", "AU");
    }
    for list in &d.book.author_lists {
        authors(out, &list.authors, "FED", "ED");
    }
    for lang in &d.languages {
        field(out, "LA", lang);
    }
    for pt in &d.publication_types {
        field(out, "PT", &pt.name);
    }
    if let Some(p) = &d.book.publisher_location {
        field(out, "PL", p);
    }
    history_and_ids(out, b.pubmed.as_ref());
    let mut so = String::new();
    if let Some(publisher) = &d.book.publisher_name {
        so.push_str(&format!("{}: ", publisher.text));
    }
    so.push_str(&format!("{}; {}.", d.book.title.text, pub_date_text(&d.book.pub_date)));
    field(out, "SO", &so);
}
