//! The record page, `/{pmid}/`, section by section as PubMed shows it.

use std::collections::HashSet;

use engine::{Archive, Lookup};
use medline::Record;
use medline::format::{citation, cite, date_text, grant_text};
use medline::model::{Author, PubmedArticle};

use crate::html::{esc, page, rich, url_encode};

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

fn search_link(term: &str, text: &str) -> String {
    format!("<a href=\"/?term={}\">{}</a>", url_encode(term), esc(text))
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
    let mut b = String::with_capacity(16 * 1024);
    b.push_str("<article class=\"article\">");
    let doi = heading(&mut b, a, &local);
    authors(&mut b, a);
    identifiers(&mut b, a, pmid, doi.as_deref());
    cite_box(&mut b, a, pmid);
    abstract_section(&mut b, a);
    comments_and_corrections(&mut b, a, &local);
    references(&mut b, a, &local);
    similar_and_cited_by(&mut b, archive, a, pmid)?;
    indexing(&mut b, a);
    b.push_str("</article>");
    Ok(Ok(page(a.medline.article.title.text.as_str(), "", &b)))
}

/// Publication type badges, the citation line with the DOI, retraction notices, the title.
/// Returns the DOI, which the identifiers show too.
fn heading(b: &mut String, a: &PubmedArticle, local: &HashSet<u32>) -> Option<String> {
    let (m, art, pubmed) = (&a.medline, &a.medline.article, a.pubmed.as_ref());
    b.push_str("<div class=\"badges\">");
    for pt in art.publication_types.iter().filter(|p| p.name != "Journal Article") {
        b.push_str(&format!("<span class=\"badge\">{}</span>", esc(&pt.name)));
    }
    b.push_str("</div>");
    let doi = pubmed
        .and_then(|p| p.article_id("doi"))
        .map(str::to_owned)
        .or_else(|| art.elocation_ids.iter().find(|e| e.id_type == "doi").map(|e| e.value.clone()));
    b.push_str(&format!("<div class=\"citation\"><span class=\"cit\">{}</span>", esc(&citation(a))));
    if let Some(doi) = &doi {
        b.push_str(&format!(
            " <span class=\"doi\">doi: <a href=\"https://doi.org/{}\">{}</a>.</span>",
            esc(doi),
            esc(doi)
        ));
    }
    if art.pub_model.as_deref() == Some("Print-Electronic")
        && let Some(e) = art.article_dates.first()
    {
        b.push_str(&format!(" <span class=\"epub\">Epub {}.</span>", date_text(&e.date)));
    }
    b.push_str("</div>");

    // Retractions and errata are said first, where no one can miss them.
    for cc in m
        .comments_corrections
        .iter()
        .filter(|c| matches!(c.ref_type.as_str(), "RetractionIn" | "ExpressionOfConcernIn"))
    {
        let what = if cc.ref_type == "RetractionIn" { "Retraction in" } else { "Expression of concern in" };
        b.push_str(&format!("<p class=\"notice\"><strong>{what}:</strong> {}</p>", comment_ref(local, cc)));
    }

    // PubMed's heading drops the title's closing period (an ellipsis stays).
    let title = rich(&art.title);
    let title = if title.ends_with("..") { &title } else { title.strip_suffix('.').unwrap_or(&title) };
    b.push_str(&format!("<h1 class=\"heading-title\">{title}</h1>"));
    if let Some(v) = &art.vernacular_title {
        b.push_str(&format!("<p class=\"vernacular\">{}</p>", rich(v)));
    }

    doi
}

/// The authors with their numbered affiliations, PubMed's short citation, the affiliations.
fn authors(b: &mut String, a: &PubmedArticle) {
    let (m, art) = (&a.medline, &a.medline.article);
    let authors: &[Author] = art.authors.as_ref().map_or(&[], |l| &l.authors);
    let mut affiliations: Vec<String> = Vec::new();
    if !authors.is_empty() {
        b.push_str("<div class=\"authors-list\">");
        for (i, au) in authors.iter().enumerate() {
            let mut numbers = Vec::new();
            for af in &au.affiliations {
                let text = af.text.text.clone();
                let n = match affiliations.iter().position(|x| *x == text) {
                    Some(n) => n + 1,
                    None => {
                        affiliations.push(text);
                        affiliations.len()
                    }
                };
                numbers.push(n.to_string());
            }
            author_item(b, au, &numbers);
            b.push_str(if i + 1 < authors.len() { "</span>, " } else { "</span>" });
        }
        let incomplete = !art.authors.as_ref().is_none_or(|l| l.complete);
        if incomplete {
            b.push_str(" et al.");
        }
        b.push_str("</div>");
        // PubMed's short citation: "First Author et al. Journal. Year."
        let journal =
            m.journal_info.medline_ta.as_deref().or(art.journal.iso_abbreviation.as_deref()).unwrap_or_default();
        let year = art.journal.pub_date.year.as_deref().unwrap_or_default();
        b.push_str(&format!(
            "<p class=\"short-citation\">{}{} {}. {}.</p>",
            esc(&display_name(&authors[0])),
            if authors.len() > 1 || incomplete { " et al." } else { "" },
            esc(journal),
            esc(year)
        ));
    }
    if !affiliations.is_empty() || art.affiliation.is_some() {
        b.push_str("<details class=\"affiliations\" open><summary>Affiliations</summary><ol>");
        for (i, af) in affiliations.iter().enumerate() {
            b.push_str(&format!("<li value=\"{}\">{}</li>", i + 1, esc(af)));
        }
        if let Some(af) = &art.affiliation {
            b.push_str(&format!("<li>{}</li>", rich(af)));
        }
        b.push_str("</ol></details>");
    }
}

/// One author, linked to a search of their name, with affiliation numbers, ORCID and
/// equal-contribution mark (the item's closing tag is the caller's).
fn author_item(b: &mut String, au: &Author, numbers: &[String]) {
    let name = display_name(au);
    let term = match (au.last(), &au.initials) {
        (Some(l), Some(i)) => format!("{l} {i}[Author]"),
        _ => format!("{name}[Author]"),
    };
    b.push_str(&format!("<span class=\"authors-list-item\">{}", search_link(&term, &name)));
    if !numbers.is_empty() {
        b.push_str(&format!("<sup>{}</sup>", numbers.join(",")));
    }
    for id in au.identifiers.iter().filter(|i| i.source == "ORCID") {
        let orcid = id.value.trim_start_matches("https://orcid.org/").trim_start_matches("http://orcid.org/");
        b.push_str(&format!(
            " <a class=\"orcid\" href=\"https://orcid.org/{}\" title=\"ORCID {}\">ORCID</a>",
            esc(orcid),
            esc(orcid)
        ));
    }
    if au.equal_contrib == Some(true) {
        b.push_str(" <span class=\"equal\" title=\"Contributed equally\">#</span>");
    }
}

/// PMID, PMCID and DOI.
fn identifiers(b: &mut String, a: &PubmedArticle, pmid: u32, doi: Option<&str>) {
    let pubmed = a.pubmed.as_ref();
    let pmcid = pubmed.and_then(|p| p.article_id("pmc"));
    b.push_str("<ul class=\"identifiers\" id=\"full-view-identifiers\">");
    b.push_str(&format!("<li>PMID: <strong class=\"current-id\">{pmid}</strong></li>"));
    if let Some(pmc) = pmcid {
        b.push_str(&format!(
            "<li>PMCID: <a href=\"https://www.ncbi.nlm.nih.gov/pmc/articles/{}/\">{}</a></li>",
            esc(pmc),
            esc(pmc)
        ));
    }
    if let Some(doi) = doi {
        b.push_str(&format!("<li>DOI: <a href=\"https://doi.org/{}\">{}</a></li>", esc(doi), esc(doi)));
    }
    b.push_str("</ul>");
}

/// The four styles of PubMed's Cite dialog, and the files reference managers import. A
/// `<details>` element opens it without JavaScript.
fn cite_box(b: &mut String, a: &PubmedArticle, pmid: u32) {
    b.push_str("<details class=\"cite\" id=\"cite\"><summary class=\"button\">Cite</summary><dl>");
    for (style, text) in [("AMA", cite::ama(a)), ("APA", cite::apa(a)), ("MLA", cite::mla(a)), ("NLM", cite::nlm(a))] {
        b.push_str(&format!("<dt>{style}</dt><dd class=\"citation-{}\">{}</dd>", style.to_lowercase(), esc(&text)));
    }
    b.push_str("</dl><p class=\"downloads\">Download:");
    for (format, label) in [("medline", ".nbib"), ("ris", "RIS"), ("bibtex", "BibTeX"), ("csl-json", "CSL-JSON")] {
        b.push_str(&format!(" <a href=\"/download?id={pmid}&amp;format={format}\">{label}</a>"));
    }
    b.push_str("</p></details>");
}

/// The abstract with its labels, the copyright, the keywords, the conflict of interest.
fn abstract_section(b: &mut String, a: &PubmedArticle) {
    let (m, art) = (&a.medline, &a.medline.article);
    if let Some(abs) = &art.abstract_ {
        b.push_str("<section class=\"abstract\" id=\"abstract\"><h2>Abstract</h2>");
        for t in &abs.texts {
            b.push_str("<p>");
            if let Some(label) = t.label.as_deref().filter(|l| !l.is_empty() && *l != "UNLABELLED") {
                b.push_str(&format!("<strong class=\"label\">{}:</strong> ", esc(&sentence_case(label))));
            }
            b.push_str(&rich(&t.text));
            b.push_str("</p>");
        }
        if let Some(c) = &abs.copyright {
            b.push_str(&format!("<p class=\"copyright\">{}</p>", esc(c)));
        }
    } else {
        b.push_str("<section class=\"abstract\" id=\"abstract\"><h2>Abstract</h2><p>No abstract available</p>");
    }
    let keywords: Vec<String> = m.keyword_lists.iter().flat_map(|l| &l.keywords).map(|k| rich(&k.text)).collect();
    if !keywords.is_empty() {
        b.push_str(&format!("<p class=\"keywords\"><strong>Keywords:</strong> {}.</p>", keywords.join("; ")));
    }
    b.push_str("</section>");

    if let Some(coi) = &m.coi_statement {
        b.push_str(&format!(
            "<section id=\"conflict-of-interest\"><h2>Conflict of interest statement</h2><p>{}</p></section>",
            rich(coi)
        ));
    }
}

/// Comments, errata, retractions and the like (not the reference list's `Cites`).
fn comments_and_corrections(b: &mut String, a: &PubmedArticle, local: &HashSet<u32>) {
    let m = &a.medline;
    if !m.comments_corrections.iter().all(|c| c.ref_type == "Cites") {
        b.push_str(
            "<section id=\"comments-and-corrections\"><h2>Comment in / Erratum in and related</h2><ul class=\"plain\">",
        );
        for cc in m.comments_corrections.iter().filter(|c| c.ref_type != "Cites") {
            b.push_str(&format!(
                "<li><strong>{}:</strong> {}</li>",
                esc(&ref_type_text(&cc.ref_type)),
                comment_ref(local, cc)
            ));
        }
        b.push_str("</ul></section>");
    }
}

/// The reference list, each with its DOI, PMC and PubMed links.
fn references(b: &mut String, a: &PubmedArticle, local: &HashSet<u32>) {
    let pubmed = a.pubmed.as_ref();
    if let Some(p) = pubmed {
        let refs: Vec<&medline::model::Reference> =
            p.reference_lists.iter().flat_map(|l| l.references.iter()).collect();
        if !refs.is_empty() {
            b.push_str("<section id=\"references\"><h2>References</h2><ol class=\"refs\">");
            for r in refs {
                b.push_str(&format!("<li>{}", rich(&r.citation)));
                let id = |kind: &str| r.article_ids.iter().find(|i| i.id_type == kind).map(|i| i.value.as_str());
                // As PubMed does, the DOI is written out when the citation lacks it, then the links.
                if let Some(doi) = id("doi") {
                    if !r.citation.text.contains(doi) {
                        b.push_str(&format!(" doi: {}.", esc(doi)));
                    }
                    b.push_str(&format!(" - <a href=\"https://doi.org/{}\">DOI</a>", esc(doi)));
                }
                if let Some(pmc) = id("pmc") {
                    b.push_str(&format!(
                        " - <a href=\"https://www.ncbi.nlm.nih.gov/pmc/articles/{}/\">PMC</a>",
                        esc(pmc)
                    ));
                }
                if let Some(cited) = id("pubmed") {
                    b.push_str(&pubmed_link(local, cited, "PubMed"));
                }
                b.push_str("</li>");
            }
            b.push_str("</ol></section>");
        }
    }
}

/// Similar articles (the five best, as PubMed's page lists them) and the archive's records
/// citing this one.
fn similar_and_cited_by(
    b: &mut String,
    archive: &Archive,
    a: &PubmedArticle,
    pmid: u32,
) -> Result<(), engine::EngineError> {
    let similar: Vec<u32> = archive.similar(a, 6)?.into_iter().skip(1).map(|(p, _)| p).collect();
    if !similar.is_empty() {
        b.push_str("<section id=\"similar\"><h2>Similar articles</h2><ul class=\"plain\">");
        for s in similar {
            if let Lookup::Found(r) = archive.store.get(s)? {
                let title = r.parse().map(|r| r.title().to_owned()).unwrap_or_default();
                b.push_str(&format!("<li><a href=\"/{s}/\">{}</a></li>", esc(&title)));
            }
        }
        b.push_str("</ul></section>");
    }

    // Cited by.
    let (cited, citing) = archive.cited_by(pmid, 5)?;
    if cited > 0 {
        b.push_str(&format!(
            "<section id=\"cited-by\"><h2>Cited by</h2><p>{cited} articles in this archive \
             (<a class=\"see-all\" href=\"/?linkname=pubmed_pubmed_citedin&amp;from_uid={pmid}\">see all</a>)</p><ul class=\"plain\">"
        ));
        for c in citing {
            if let Lookup::Found(r) = archive.store.get(c)? {
                let title = r.parse().map(|r| r.title().to_owned()).unwrap_or_default();
                b.push_str(&format!("<li><a href=\"/{c}/\">{}</a></li>", esc(&title)));
            }
        }
        b.push_str("</ul></section>");
    }

    Ok(())
}

/// Publication types, MeSH terms, supplementary concepts, substances, grants.
fn indexing(b: &mut String, a: &PubmedArticle) {
    let (m, art) = (&a.medline, &a.medline.article);
    let links = |names: Vec<&str>, tag: &str| -> Vec<String> {
        names.into_iter().map(|name| search_link(&format!("\"{name}\"[{tag}]"), name)).collect()
    };
    list_section(
        b,
        "publication-types",
        "Publication types",
        links(art.publication_types.iter().map(|p| p.name.as_str()).collect(), "pt"),
    );
    if !m.mesh_headings.is_empty() {
        b.push_str("<section id=\"mesh-terms\"><h2>MeSH terms</h2><ul class=\"mesh\">");
        for h in &m.mesh_headings {
            let d = &h.descriptor;
            let star = if d.major { "*" } else { "" };
            b.push_str(&format!("<li>{}", search_link(&format!("\"{}\"[mh]", d.name), &format!("{}{star}", d.name))));
            for q in &h.qualifiers {
                let star = if q.major { "*" } else { "" };
                let label = format!("{}{star}", q.name);
                b.push_str(&format!(" / {}", search_link(&format!("\"{}/{}\"[mh]", d.name, q.name), &label)));
            }
            b.push_str("</li>");
        }
        b.push_str("</ul></section>");
    }
    let suppl = m.suppl_mesh.iter().map(|s| s.name.as_str()).collect();
    list_section(b, "supplementary-concepts", "Supplementary concepts", links(suppl, "nm"));
    list_section(b, "substances", "Substances", links(m.chemicals.iter().map(|c| c.name.as_str()).collect(), "nm"));
    let grants = art.grants.iter().flat_map(|g| &g.grants).map(|g| esc(&grant_text(g)));
    list_section(b, "grants", "Grants and funding", grants.collect());
}

/// A titled list, left out when it has no items.
fn list_section(b: &mut String, id: &str, title: &str, items: Vec<String>) {
    if items.is_empty() {
        return;
    }
    b.push_str(&format!("<section id=\"{id}\"><h2>{title}</h2><ul class=\"plain\">"));
    for item in items {
        b.push_str(&format!("<li>{item}</li>"));
    }
    b.push_str("</ul></section>");
}

/// A book or chapter: title, authors, abstract, identifiers.
fn render_book(record: &Record, pmid: u32) -> String {
    let Record::Book(bk) = record else { unreachable!("called for books") };
    let d = &bk.book;
    let mut b =
        String::from("<article class=\"article\"><div class=\"badges\"><span class=\"badge\">Book</span></div>");
    b.push_str(&format!("<div class=\"citation\">{}</div>", rich(&d.book.title)));
    b.push_str(&format!("<h1 class=\"heading-title\">{}</h1>", esc(record.title())));
    let names: Vec<String> = d.author_lists.iter().flat_map(|l| &l.authors).map(display_name).collect();
    b.push_str(&format!("<div class=\"authors-list\">{}</div>", esc(&names.join(", "))));
    b.push_str(&format!("<ul class=\"identifiers\"><li>PMID: <strong class=\"current-id\">{pmid}</strong></li></ul>"));
    if let Some(abs) = &d.abstract_ {
        b.push_str("<section class=\"abstract\" id=\"abstract\"><h2>Abstract</h2>");
        for t in &abs.texts {
            b.push_str(&format!("<p>{}</p>", rich(&t.text)));
        }
        b.push_str("</section>");
    }
    b.push_str("</article>");
    page(record.title(), "", &b)
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

fn comment_ref(local: &HashSet<u32>, cc: &medline::model::CommentsCorrections) -> String {
    let mut out = esc(&cc.ref_source);
    if let Some(p) = cc.pmid {
        out.push_str(&pubmed_link(local, &p.id.to_string(), &format!("PMID: {}", p.id)));
    }
    out
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
fn pubmed_link(local: &HashSet<u32>, pmid: &str, text: &str) -> String {
    let local = pmid.trim().parse().is_ok_and(|p| local.contains(&p));
    if local {
        format!(" - <a class=\"local\" href=\"/{}/\">{}</a>", esc(pmid), esc(text))
    } else {
        format!(" - <a href=\"https://pubmed.ncbi.nlm.nih.gov/{}/\">{}</a>", esc(pmid), esc(text))
    }
}
