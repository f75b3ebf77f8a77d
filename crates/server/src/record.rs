//! The record page, `/{pmid}/`, section by section as PubMed shows it. Built with maud, which
//! escapes every value it is given; only a record's sanitised inline markup goes in as it is.

use std::collections::HashSet;

use engine::{Archive, Lookup};
use medline::Record;
use medline::format::{citation, cite, date_text, grant_text};
use medline::model::{Author, PubmedArticle};

use maud::{Markup, PreEscaped, html};

use crate::html::{page, rich, url_encode};

/// `Patrick Cherin`, `William T O'Brien Sr`, or the group's name.
fn display_name(a: &Author) -> String {
    let name = match (a.fore(), a.last(), &a.collective_name) {
        (Some(f), Some(l), _) => format!("{f} {l}"),
        (None, Some(l), _) => l.to_owned(),
        (_, None, Some(c)) => return c.text.clone(),
        _ => return String::new(),
    };
    match &a.suffix {
        Some(suffix) => format!("{name} {suffix}"),
        None => name,
    }
}

/// `BACKGROUND` → `Background`, `CASE PRESENTATION` → `Case presentation`.
fn sentence_case(label: &str) -> String {
    let lower = label.to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn search_link(term: &str, text: &str) -> Markup {
    html! { a href={ "/?term=" (url_encode(term)) } { (text) } }
}

/// The page, or `None` for an unknown PMID (with why, for the 404 page).
pub fn render(archive: &Archive, pmid: u32) -> Result<Result<String, String>, engine::EngineError> {
    let stored = match archive.store.get(pmid)? {
        Lookup::Found(r) => r,
        Lookup::Deleted { .. } => return Ok(Err(format!("PMID {pmid} was deleted from PubMed."))),
        Lookup::Absent => return Ok(Err(format!("PMID {pmid} is not in this archive."))),
    };
    let record = stored.parse()?;
    let Record::Article(a) = &record else {
        return Ok(Ok(render_book(&record, pmid)));
    };
    let local = held(archive, a)?;
    let doi = doi_of(a);
    let body = html! {
        article.article {
            (heading(a, &local, doi))
            (authors(a))
            (identifiers(a, pmid, doi))
            (cite_box(a, pmid))
            (abstract_section(a))
            (comments_and_corrections(a, &local))
            (references(a, &local))
            (similar_and_cited_by(archive, a, pmid)?)
            (indexing(a))
        }
    };
    Ok(Ok(page(a.medline.article.title.text.as_str(), "", body)))
}

/// The article's DOI: PubMed's own ID list first, the journal's `ELocationID` otherwise.
fn doi_of(a: &PubmedArticle) -> Option<&str> {
    let elocation = || a.medline.article.elocation_ids.iter().find(|e| e.id_type == "doi").map(|e| e.value.as_str());
    a.pubmed.as_ref().and_then(|p| p.article_id("doi")).or_else(elocation)
}

/// Publication type badges, the citation line with the DOI, retraction notices, the title.
fn heading(a: &PubmedArticle, local: &HashSet<u32>, doi: Option<&str>) -> Markup {
    let art = &a.medline.article;
    let epub = art.article_dates.first().filter(|_| art.pub_model.as_deref() == Some("Print-Electronic"));
    let notices = a.medline.comments_corrections.iter().filter_map(|cc| match cc.ref_type.as_str() {
        "RetractionIn" => Some(("Retraction in", cc)),
        "ExpressionOfConcernIn" => Some(("Expression of concern in", cc)),
        _ => None,
    });
    // PubMed's heading drops the title's closing period (an ellipsis stays).
    let title = rich(&art.title).into_string();
    let title = if title.ends_with("..") { &title } else { title.strip_suffix('.').unwrap_or(&title) };
    html! {
        div.badges {
            @for pt in art.publication_types.iter().filter(|p| p.name != "Journal Article") {
                span.badge { (pt.name) }
            }
        }
        div.citation {
            span.cit { (citation(a)) }
            @if let Some(doi) = doi {
                " " span.doi { "doi: " a href={ "https://doi.org/" (doi) } { (doi) } "." }
            }
            @if let Some(e) = epub {
                " " span.epub { "Epub " (date_text(&e.date)) "." }
            }
        }
        // Retractions and errata are said first, where no one can miss them.
        @for (what, cc) in notices {
            p.notice { strong { (what) ":" } " " (comment_ref(local, cc)) }
        }
        h1.heading-title { (PreEscaped(title)) }
        @if let Some(v) = &art.vernacular_title {
            p.vernacular { (rich(v)) }
        }
    }
}

/// Each author's affiliation numbers, and the affiliations so numbered (each once, in order
/// of first mention).
fn numbered_affiliations(authors: &[Author]) -> (Vec<Vec<usize>>, Vec<&str>) {
    let mut affiliations: Vec<&str> = Vec::new();
    let mut numbers = Vec::with_capacity(authors.len());
    for au in authors {
        let mut own = Vec::with_capacity(au.affiliations.len());
        for af in &au.affiliations {
            let text = af.text.text.as_str();
            match affiliations.iter().position(|x| *x == text) {
                Some(n) => own.push(n + 1),
                None => {
                    affiliations.push(text);
                    own.push(affiliations.len());
                }
            }
        }
        numbers.push(own);
    }
    (numbers, affiliations)
}

/// The authors with their numbered affiliations, PubMed's short citation, the affiliations.
fn authors(a: &PubmedArticle) -> Markup {
    let (m, art) = (&a.medline, &a.medline.article);
    let authors: &[Author] = art.authors.as_ref().map_or(&[], |l| &l.authors);
    let incomplete = !art.authors.as_ref().is_none_or(|l| l.complete);
    let (numbers, affiliations) = numbered_affiliations(authors);
    let journal = m.journal_info.medline_ta.as_deref().or(art.journal.iso_abbreviation.as_deref()).unwrap_or_default();
    let year = art.journal.pub_date.year.as_deref().unwrap_or_default();
    html! {
        @if let Some(first) = authors.first() {
            div class="authors-list" {
                @for (i, (au, numbers)) in authors.iter().zip(&numbers).enumerate() {
                    (author_item(au, numbers))
                    @if i + 1 < authors.len() { ", " }
                }
                @if incomplete { " et al." }
            }
            // PubMed's short citation: "First Author et al. Journal. Year."
            p class="short-citation" {
                (display_name(first))
                @if authors.len() > 1 || incomplete { " et al." }
                " " (journal) ". " (year) "."
            }
        }
        @if !affiliations.is_empty() || art.affiliation.is_some() {
            details.affiliations open {
                summary { "Affiliations" }
                ol {
                    @for (i, af) in affiliations.iter().enumerate() {
                        li value=(i + 1) { (af) }
                    }
                    @if let Some(af) = &art.affiliation {
                        li { (rich(af)) }
                    }
                }
            }
        }
    }
}

/// One author, linked to a search of their name, with affiliation numbers, ORCID and
/// equal-contribution mark.
fn author_item(au: &Author, numbers: &[usize]) -> Markup {
    let name = display_name(au);
    let term = match (au.last(), &au.initials) {
        (Some(l), Some(i)) => format!("{l} {i}[Author]"),
        _ => format!("{name}[Author]"),
    };
    let numbers: Vec<String> = numbers.iter().map(usize::to_string).collect();
    let orcids = au
        .identifiers
        .iter()
        .filter(|i| i.source == "ORCID")
        .map(|id| id.value.trim_start_matches("https://orcid.org/").trim_start_matches("http://orcid.org/"));
    html! {
        span class="authors-list-item" {
            (search_link(&term, &name))
            @if !numbers.is_empty() { sup { (numbers.join(",")) } }
            @for orcid in orcids {
                " " a.orcid href={ "https://orcid.org/" (orcid) } title={ "ORCID " (orcid) } { "ORCID" }
            }
            @if au.equal_contrib == Some(true) {
                " " span.equal title="Contributed equally" { "#" }
            }
        }
    }
}

/// PMID, PMCID and DOI.
fn identifiers(a: &PubmedArticle, pmid: u32, doi: Option<&str>) -> Markup {
    let pmcid = a.pubmed.as_ref().and_then(|p| p.article_id("pmc"));
    html! {
        ul.identifiers id="full-view-identifiers" {
            li { "PMID: " strong class="current-id" { (pmid) } }
            @if let Some(pmc) = pmcid {
                li { "PMCID: " a href={ "https://www.ncbi.nlm.nih.gov/pmc/articles/" (pmc) "/" } { (pmc) } }
            }
            @if let Some(doi) = doi {
                li { "DOI: " a href={ "https://doi.org/" (doi) } { (doi) } }
            }
        }
    }
}

/// The four styles of PubMed's Cite dialog, and the files reference managers import. A
/// `<details>` element opens it without JavaScript.
fn cite_box(a: &PubmedArticle, pmid: u32) -> Markup {
    let styles = [("AMA", cite::ama(a)), ("APA", cite::apa(a)), ("MLA", cite::mla(a)), ("NLM", cite::nlm(a))];
    let downloads = [("medline", ".nbib"), ("ris", "RIS"), ("bibtex", "BibTeX"), ("csl-json", "CSL-JSON")];
    html! {
        details.cite id="cite" {
            summary.button { "Cite" }
            dl {
                @for (style, text) in &styles {
                    dt { (style) }
                    dd class={ "citation-" (style.to_lowercase()) } { (text) }
                }
            }
            p.downloads {
                "Download:"
                @for (format, label) in downloads {
                    " " a href={ "/download?id=" (pmid) "&format=" (format) } { (label) }
                }
            }
        }
    }
}

/// The abstract with its labels, the copyright, the keywords, the conflict of interest.
fn abstract_section(a: &PubmedArticle) -> Markup {
    let (m, art) = (&a.medline, &a.medline.article);
    let keywords: Vec<String> =
        m.keyword_lists.iter().flat_map(|l| &l.keywords).map(|k| rich(&k.text).into_string()).collect();
    let label = |text: &medline::model::AbstractText| {
        text.label.as_deref().filter(|l| !l.is_empty() && *l != "UNLABELLED").map(sentence_case)
    };
    html! {
        section.abstract id="abstract" {
            h2 { "Abstract" }
            @if let Some(abs) = &art.abstract_ {
                @for t in &abs.texts {
                    p {
                        @if let Some(label) = label(t) { strong.label { (label) ":" } " " }
                        (rich(&t.text))
                    }
                }
                @if let Some(c) = &abs.copyright { p.copyright { (c) } }
            } @else {
                p { "No abstract available" }
            }
            @if !keywords.is_empty() {
                p.keywords { strong { "Keywords:" } " " (PreEscaped(keywords.join("; "))) "." }
            }
        }
        @if let Some(coi) = &m.coi_statement {
            section id="conflict-of-interest" { h2 { "Conflict of interest statement" } p { (rich(coi)) } }
        }
    }
}

/// Comments, errata, retractions and the like (not the reference list's `Cites`).
fn comments_and_corrections(a: &PubmedArticle, local: &HashSet<u32>) -> Markup {
    let listed: Vec<_> = a.medline.comments_corrections.iter().filter(|c| c.ref_type != "Cites").collect();
    html! {
        @if !listed.is_empty() {
            section id="comments-and-corrections" {
                h2 { "Comment in / Erratum in and related" }
                ul.plain {
                    @for cc in listed {
                        li { strong { (ref_type_text(&cc.ref_type)) ":" } " " (comment_ref(local, cc)) }
                    }
                }
            }
        }
    }
}

/// The reference list, each with its DOI, PMC and PubMed links.
fn references(a: &PubmedArticle, local: &HashSet<u32>) -> Markup {
    let refs: Vec<&medline::model::Reference> =
        a.pubmed.iter().flat_map(|p| &p.reference_lists).flat_map(|l| &l.references).collect();
    html! {
        @if !refs.is_empty() {
            section id="references" {
                h2 { "References" }
                ol.refs { @for r in refs { li { (reference(r, local)) } } }
            }
        }
    }
}

/// One reference: as PubMed does, its DOI written out when the citation lacks it, then links.
fn reference(r: &medline::model::Reference, local: &HashSet<u32>) -> Markup {
    let id = |kind: &str| r.article_ids.iter().find(|i| i.id_type == kind).map(|i| i.value.as_str());
    html! {
        (rich(&r.citation))
        @if let Some(doi) = id("doi") {
            @if !r.citation.text.contains(doi) { " doi: " (doi) "." }
            " - " a href={ "https://doi.org/" (doi) } { "DOI" }
        }
        @if let Some(pmc) = id("pmc") {
            " - " a href={ "https://www.ncbi.nlm.nih.gov/pmc/articles/" (pmc) "/" } { "PMC" }
        }
        @if let Some(cited) = id("pubmed") { (pubmed_link(local, cited, "PubMed")) }
    }
}

/// The titles of stored records, by PMID, for lists of links (a PMID no longer stored is left out).
fn titled(archive: &Archive, pmids: Vec<u32>) -> Result<Vec<(u32, String)>, engine::EngineError> {
    let mut out = Vec::with_capacity(pmids.len());
    for pmid in pmids {
        if let Lookup::Found(r) = archive.store.get(pmid)? {
            out.push((pmid, r.parse().map(|r| r.title().to_owned()).unwrap_or_default()));
        }
    }
    Ok(out)
}

/// Similar articles (the five best, as PubMed's page lists them) and the archive's records
/// citing this one.
fn similar_and_cited_by(archive: &Archive, a: &PubmedArticle, pmid: u32) -> Result<Markup, engine::EngineError> {
    let similar = titled(archive, archive.similar_articles()?.of(a, 6)?.into_iter().skip(1).map(|(p, _)| p).collect())?;
    let (cited, citing) = archive.cited_by(pmid, 5)?;
    let citing = titled(archive, citing)?;
    Ok(html! {
        @if !similar.is_empty() {
            section id="similar" {
                h2 { "Similar articles" }
                ul.plain { @for (s, title) in &similar { li { a href={ "/" (s) "/" } { (title) } } } }
            }
        }
        @if cited > 0 {
            section id="cited-by" {
                h2 { "Cited by" }
                p {
                    (cited) " articles in this archive ("
                    a class="see-all" href={ "/?linkname=pubmed_pubmed_citedin&from_uid=" (pmid) } { "see all" }
                    ")"
                }
                ul.plain { @for (c, title) in &citing { li { a href={ "/" (c) "/" } { (title) } } } }
            }
        }
    })
}

/// Publication types, MeSH terms, supplementary concepts, substances, grants.
fn indexing(a: &PubmedArticle) -> Markup {
    let (m, art) = (&a.medline, &a.medline.article);
    let links = |names: Vec<&str>, tag: &str| -> Vec<Markup> {
        names.into_iter().map(|name| search_link(&format!("\"{name}\"[{tag}]"), name)).collect()
    };
    let types = links(art.publication_types.iter().map(|p| p.name.as_str()).collect(), "pt");
    let suppl = links(m.suppl_mesh.iter().map(|s| s.name.as_str()).collect(), "nm");
    let substances = links(m.chemicals.iter().map(|c| c.name.as_str()).collect(), "nm");
    let grants = art.grants.iter().flat_map(|g| &g.grants).map(|g| html! { (grant_text(g)) }).collect();
    html! {
        (list_section("publication-types", "Publication types", types))
        @if !m.mesh_headings.is_empty() {
            section id="mesh-terms" {
                h2 { "MeSH terms" }
                ul.mesh { @for h in &m.mesh_headings { li { (mesh_heading(h)) } } }
            }
        }
        (list_section("supplementary-concepts", "Supplementary concepts", suppl))
        (list_section("substances", "Substances", substances))
        (list_section("grants", "Grants and funding", grants))
    }
}

/// A heading and its qualifiers, each linked to its search, a star on the major ones.
fn mesh_heading(h: &medline::model::MeshHeading) -> Markup {
    let d = &h.descriptor;
    let star = |major: bool| if major { "*" } else { "" };
    html! {
        (search_link(&format!("\"{}\"[mh]", d.name), &format!("{}{}", d.name, star(d.major))))
        @for q in &h.qualifiers {
            " / " (search_link(&format!("\"{}/{}\"[mh]", d.name, q.name), &format!("{}{}", q.name, star(q.major))))
        }
    }
}

/// A titled list, left out when it has no items.
fn list_section(id: &str, title: &str, items: Vec<Markup>) -> Markup {
    html! {
        @if !items.is_empty() {
            section id=(id) { h2 { (title) } ul.plain { @for item in items { li { (item) } } } }
        }
    }
}

/// A book or chapter: title, authors, abstract, identifiers.
fn render_book(record: &Record, pmid: u32) -> String {
    let Record::Book(bk) = record else { unreachable!("called for books") };
    let d = &bk.book;
    let names: Vec<String> = d.author_lists.iter().flat_map(|l| &l.authors).map(display_name).collect();
    let body = html! {
        article.article {
            div.badges { span.badge { "Book" } }
            div.citation { (rich(&d.book.title)) }
            h1.heading-title { (record.title()) }
            div class="authors-list" { (names.join(", ")) }
            ul.identifiers { li { "PMID: " strong class="current-id" { (pmid) } } }
            @if let Some(abs) = &d.abstract_ {
                section.abstract id="abstract" { h2 { "Abstract" } @for t in &abs.texts { p { (rich(&t.text)) } } }
            }
        }
    };
    page(record.title(), "", body)
}

fn ref_type_text(ref_type: &str) -> String {
    // `CommentIn` → `Comment in`, `ErratumFor` → `Erratum for`.
    let mut out = String::new();
    for (i, c) in ref_type.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn comment_ref(local: &HashSet<u32>, cc: &medline::model::CommentsCorrections) -> Markup {
    html! {
        (cc.ref_source)
        @if let Some(p) = cc.pmid { (pubmed_link(local, &p.id.to_string(), &format!("PMID: {}", p.id))) }
    }
}

/// The PMIDs a record links to (references, comments and corrections) that the archive holds.
fn held(archive: &Archive, a: &PubmedArticle) -> Result<HashSet<u32>, engine::EngineError> {
    let references = a.pubmed.iter().flat_map(|p| &p.reference_lists).flat_map(|l| &l.references);
    let cited = references.flat_map(|r| &r.article_ids).filter(|i| i.id_type == "pubmed");
    let mut pmids: Vec<u32> = cited.filter_map(|i| i.value.trim().parse().ok()).collect();
    pmids.extend(a.medline.comments_corrections.iter().filter_map(|c| c.pmid.map(|p| p.id)));
    let holds = archive.store.holds(&pmids)?;
    Ok(pmids.into_iter().zip(holds).filter(|(_, held)| *held).map(|(p, _)| p).collect())
}

/// A link to a PMID: the local page when the archive holds it, PubMed's otherwise.
fn pubmed_link(local: &HashSet<u32>, pmid: &str, text: &str) -> Markup {
    let local = pmid.trim().parse().is_ok_and(|p| local.contains(&p));
    html! {
        " - "
        @if local {
            a.local href={ "/" (pmid) "/" } { (text) }
        } @else {
            a href={ "https://pubmed.ncbi.nlm.nih.gov/" (pmid) "/" } { (text) }
        }
    }
}
