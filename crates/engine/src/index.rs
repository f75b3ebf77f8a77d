//! The full-text index (tantivy): one document per current record, built from the record model in
//! the ingest pass that stores the record.
//!
//! Running text (title, abstract, keywords, affiliations, ...) is tokenized into lower-case,
//! accent-folded words with positions, for phrases and proximity. Names, MeSH headings and
//! identifiers are indexed whole (lower-cased, accent-folded), so that a phrase can never match
//! across two authors or two headings. Dates are `YYYYMMDD` integers.

use std::path::Path;

use medline::Record;
use medline::model::{Author, AuthorList, Date, PubDate};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, TantivyDocument};

use crate::error::{EngineError, Result};

/// The analyzer of running text.
pub const WORDS: &str = "words";
/// The analyzer of whole values.
pub const WHOLE: &str = "whole";

/// The index's fields, by role.
#[derive(Clone)]
pub struct Fields {
    pub pmid: Field,
    // Running text.
    pub title: Field,
    pub abstract_: Field,
    pub keyword: Field,
    pub affiliation: Field,
    pub mesh_words: Field,
    pub substance_words: Field,
    pub coi: Field,
    pub vernacular: Field,
    /// Words of the small fields (authors, journal, publication types, grants, ...) for
    /// `[All Fields]`.
    pub other_words: Field,
    // Whole values.
    pub mesh: Field,
    pub mesh_major: Field,
    pub mesh_qualified: Field,
    pub mesh_qualified_major: Field,
    pub subheading: Field,
    pub author: Field,
    pub author_full: Field,
    pub author_first: Field,
    pub author_last: Field,
    pub corporate: Field,
    pub author_id: Field,
    pub investigator: Field,
    pub investigator_full: Field,
    pub editor: Field,
    pub journal: Field,
    pub nlm_id: Field,
    pub volume: Field,
    pub issue: Field,
    pub pages: Field,
    pub article_id: Field,
    pub location_id: Field,
    pub pmcid: Field,
    pub secondary_source: Field,
    pub grant: Field,
    pub personal_name: Field,
    pub place: Field,
    pub language: Field,
    pub publication_type: Field,
    pub substance: Field,
    pub registry_number: Field,
    pub filter: Field,
    pub isbn: Field,
    /// PMIDs in the record's reference list: what "Cited by" searches.
    pub cites: Field,
    // Dates, YYYYMMDD.
    pub date_publication: Field,
    pub date_entry: Field,
    pub date_create: Field,
    pub date_mesh: Field,
    pub date_modification: Field,
    pub date_completion: Field,
    // Sorting and ranking.
    pub sort_pubdate: Field,
    pub sort_entry: Field,
    pub sort_first_author: Field,
    pub sort_last_author: Field,
    pub sort_journal: Field,
    pub sort_title: Field,
    pub prior: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(WORDS).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let whole = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(WHOLE).set_index_option(IndexRecordOption::Basic),
    );
    let date = NumericOptions::default().set_indexed().set_fast();
    let sort_text = TextOptions::default().set_fast(WHOLE);
    let mut w = |name: &str| b.add_text_field(name, words.clone());
    let title = w("title");
    let abstract_ = w("abstract");
    let keyword = w("keyword");
    let affiliation = w("affiliation");
    let mesh_words = w("mesh_words");
    let substance_words = w("substance_words");
    let coi = w("coi");
    let vernacular = w("vernacular");
    let other_words = w("other_words");
    let mut x = |name: &str| b.add_text_field(name, whole.clone());
    let fields = Fields {
        title,
        abstract_,
        keyword,
        affiliation,
        mesh_words,
        substance_words,
        coi,
        vernacular,
        other_words,
        mesh: x("mesh"),
        mesh_major: x("mesh_major"),
        mesh_qualified: x("mesh_qualified"),
        mesh_qualified_major: x("mesh_qualified_major"),
        subheading: x("subheading"),
        author: x("author"),
        author_full: x("author_full"),
        author_first: x("author_first"),
        author_last: x("author_last"),
        corporate: x("corporate"),
        author_id: x("author_id"),
        investigator: x("investigator"),
        investigator_full: x("investigator_full"),
        editor: x("editor"),
        journal: x("journal"),
        nlm_id: x("nlm_id"),
        volume: x("volume"),
        issue: x("issue"),
        pages: x("pages"),
        article_id: x("article_id"),
        location_id: x("location_id"),
        pmcid: x("pmcid"),
        secondary_source: x("secondary_source"),
        grant: x("grant"),
        personal_name: x("personal_name"),
        place: x("place"),
        language: x("language"),
        publication_type: x("publication_type"),
        substance: x("substance"),
        registry_number: x("registry_number"),
        filter: x("filter"),
        isbn: x("isbn"),
        cites: x("cites"),
        pmid: b.add_u64_field("pmid", INDEXED | FAST),
        date_publication: b.add_i64_field("date_publication", date.clone()),
        date_entry: b.add_i64_field("date_entry", date.clone()),
        date_create: b.add_i64_field("date_create", date.clone()),
        date_mesh: b.add_i64_field("date_mesh", date.clone()),
        date_modification: b.add_i64_field("date_modification", date.clone()),
        date_completion: b.add_i64_field("date_completion", date),
        sort_pubdate: b.add_i64_field("sort_pubdate", FAST),
        sort_entry: b.add_i64_field("sort_entry", FAST),
        sort_first_author: b.add_text_field("sort_first_author", sort_text.clone()),
        sort_last_author: b.add_text_field("sort_last_author", sort_text.clone()),
        sort_journal: b.add_text_field("sort_journal", sort_text.clone()),
        sort_title: b.add_text_field("sort_title", sort_text),
        prior: b.add_f64_field("prior", FAST),
    };
    (b.build(), fields)
}

fn register_analyzers(index: &Index) {
    let words = TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build();
    let whole = TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build();
    index.tokenizers().register(WORDS, words);
    index.tokenizers().register(WHOLE, whole.clone());
    index.fast_field_tokenizer().register(WHOLE, whole);
}

/// Opens the index in `dir` for searching; it must exist, with this version's schema.
pub fn open_existing(dir: &Path) -> Result<(Index, Fields)> {
    let (schema, fields) = schema();
    if !dir.join("meta.json").exists() {
        return Err(EngineError::NoStore { dir: dir.to_owned() });
    }
    let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| EngineError::index(dir, e))?;
    let index = Index::open(crate::sharing::ReaderDirectory(directory)).map_err(|e| EngineError::index(dir, e))?;
    if index.schema() != schema {
        return Err(EngineError::OldIndex { dir: dir.to_owned() });
    }
    register_analyzers(&index);
    Ok((index, fields))
}

/// Opens the index in `dir`, creating it when absent. An index of another schema (an older
/// version of Medlars) is removed: the writer's catch-up then rebuilds it from the store.
pub fn open(dir: &Path) -> Result<(Index, Fields)> {
    let (schema, fields) = schema();
    if let Ok(existing) = Index::open_in_dir(dir)
        && existing.schema() != schema
    {
        std::fs::remove_dir_all(dir).map_err(|e| EngineError::io(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| EngineError::io(dir, e))?;
    let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| EngineError::index(dir, e))?;
    let index = Index::open_or_create(directory, schema).map_err(|e| EngineError::index(dir, e))?;
    register_analyzers(&index);
    Ok((index, fields))
}

/// Lower-cases and folds a whole value exactly as the index does. Runs of white space of any
/// kind (no-break spaces occur in names) become one plain space first.
pub fn normalise(text: &str) -> String {
    let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut analyzer =
        TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build();
    let mut stream = analyzer.token_stream(&spaced);
    let mut out = String::new();
    while let Some(token) = stream.next() {
        out.push_str(&token.text);
    }
    out
}

/// The words of running text, as the index holds them.
pub fn words(text: &str) -> Vec<String> {
    let mut analyzer =
        TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

fn day(d: &Date) -> Option<i64> {
    (d.year > 0).then(|| i64::from(d.year) * 10_000 + i64::from(d.month.max(1)) * 100 + i64::from(d.day.max(1)))
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month_of(text: &str) -> Option<i64> {
    if let Ok(n) = text.trim().parse::<i64>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = text.trim().to_ascii_lowercase();
    if let Some(i) = MONTHS.iter().position(|m| lower.starts_with(m)) {
        return Some(i as i64 + 1);
    }
    match lower.as_str() {
        "winter" => Some(1),
        "spring" => Some(4),
        "summer" => Some(7),
        "fall" | "autumn" => Some(10),
        _ => None,
    }
}

/// The first day a `PubDate` names: a year alone is its 1 January; a `MedlineDate` such as
/// `1998 Dec-1999 Jan` starts at its first year and month.
pub fn pub_day(d: &PubDate) -> Option<i64> {
    let (year, month, day) = match (&d.year, &d.medline_date) {
        (Some(y), _) => (y.trim().parse::<i64>().ok()?, d.month.as_deref().or(d.season.as_deref()), d.day.as_deref()),
        (None, Some(m)) => {
            let year = m.split(|c: char| !c.is_ascii_digit()).find(|p| p.len() == 4)?.parse::<i64>().ok()?;
            let month = m.split(|c: char| !c.is_ascii_alphabetic()).find(|p| month_of(p).is_some());
            (year, month, None)
        }
        (None, None) => return None,
    };
    let month = month.and_then(month_of).unwrap_or(1);
    let day = day.and_then(|d| d.trim().parse::<i64>().ok()).filter(|d| (1..=31).contains(d)).unwrap_or(1);
    Some(year * 10_000 + month * 100 + day)
}

/// `smith ja`: how `[au]` holds a person.
fn author_key(a: &Author) -> Option<String> {
    let last = a.last()?;
    Some(match &a.initials {
        Some(i) => format!("{last} {i}"),
        None => last.to_owned(),
    })
}

/// `smith, john a`: how `[fau]` holds a person.
fn author_full_key(a: &Author) -> Option<String> {
    let last = a.last()?;
    Some(match a.fore() {
        Some(f) => format!("{last}, {f}"),
        None => last.to_owned(),
    })
}

/// How much a publication type makes a record worth showing first, other things equal: research
/// syntheses and trials up, notices and errata down (in the spirit of PubMed's Best Match).
fn type_prior(types: &[String]) -> f64 {
    let mut prior: f64 = 1.0;
    for t in types {
        let factor = match t.to_ascii_lowercase().as_str() {
            "meta-analysis" | "systematic review" | "practice guideline" | "guideline" => 1.3,
            "randomized controlled trial" | "review" => 1.2,
            "clinical trial" | "multicenter study" | "comparative study" => 1.1,
            "published erratum" | "retraction of publication" | "retracted publication" | "comment" | "news" => 0.6,
            _ => 1.0,
        };
        prior = if factor < 1.0 { prior.min(factor) } else { prior.max(factor) };
    }
    prior
}

/// Builds the document of a record.
pub fn document(f: &Fields, record: &Record) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    let text = |doc: &mut TantivyDocument, field: Field, value: &str| {
        if !value.trim().is_empty() {
            doc.add_text(field, value.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    };
    let pmid = record.pmid().id;
    doc.add_u64(f.pmid, u64::from(pmid));
    text(&mut doc, f.article_id, &pmid.to_string());

    let mut pub_types: Vec<String> = Vec::new();
    let mut authors: Vec<&Author> = Vec::new();
    // Authors of one institution repeat its affiliation word for word: it is indexed once.
    let mut affiliations: Vec<&str> = Vec::new();
    let mut title_for_sort = record.title().to_owned();
    let journal_for_sort;
    let mut pubdate;

    match record {
        Record::Article(a) => {
            let m = &a.medline;
            let art = &m.article;
            text(&mut doc, f.title, &art.title.text);
            if let Some(abs) = &art.abstract_ {
                for t in &abs.texts {
                    text(&mut doc, f.abstract_, &t.text.text);
                }
            }
            for other in &m.other_abstracts {
                for t in &other.texts {
                    text(&mut doc, f.abstract_, &t.text.text);
                }
            }
            if let Some(v) = &art.vernacular_title {
                text(&mut doc, f.vernacular, &v.text);
            }
            if let Some(list) = &art.authors {
                authors.extend(list.authors.iter());
            }
            if let Some(aff) = &art.affiliation {
                text(&mut doc, f.affiliation, &aff.text);
            }
            for list in &m.investigator_lists {
                for i in &list.investigators {
                    if let Some(k) = author_key(i) {
                        text(&mut doc, f.investigator, &k);
                        text(&mut doc, f.other_words, &k);
                    }
                    if let Some(k) = author_full_key(i) {
                        text(&mut doc, f.investigator_full, &k);
                    }
                    affiliations.extend(i.affiliations.iter().map(|aff| aff.text.text.as_str()));
                }
            }
            let j = &art.journal;
            for v in [&m.journal_info.medline_ta, &j.title, &j.iso_abbreviation, &m.journal_info.issn_linking]
                .into_iter()
                .flatten()
            {
                text(&mut doc, f.journal, v);
                text(&mut doc, f.other_words, v);
            }
            if let Some(issn) = &j.issn {
                text(&mut doc, f.journal, &issn.value);
            }
            journal_for_sort =
                m.journal_info.medline_ta.clone().or_else(|| j.iso_abbreviation.clone()).unwrap_or_default();
            if let Some(id) = &m.journal_info.nlm_unique_id {
                text(&mut doc, f.nlm_id, id);
            }
            if let Some(country) = &m.journal_info.country {
                text(&mut doc, f.place, country);
            }
            if let Some(v) = &j.volume {
                text(&mut doc, f.volume, v);
            }
            if let Some(v) = &j.issue {
                text(&mut doc, f.issue, v);
            }
            if let Some(p) = &art.pagination {
                for v in [&p.medline_pgn, &p.start_page].into_iter().flatten() {
                    text(&mut doc, f.pages, v);
                }
            }
            for e in &art.elocation_ids {
                text(&mut doc, f.location_id, &e.value);
                text(&mut doc, f.article_id, &e.value);
            }
            pubdate = pub_day(&j.pub_date);
            if let Some(d) = pubdate {
                doc.add_i64(f.date_publication, d);
            }
            for d in &art.article_dates {
                if let Some(n) = day(&d.date) {
                    doc.add_i64(f.date_publication, n);
                    pubdate = pubdate.or(Some(n));
                }
            }
            for lang in &art.languages {
                text(&mut doc, f.language, lang);
                text(&mut doc, f.other_words, lang);
            }
            if let Some(banks) = &art.databanks {
                for bank in &banks.databanks {
                    for acc in &bank.accession_numbers {
                        text(&mut doc, f.secondary_source, &format!("{}/{acc}", bank.name));
                        text(&mut doc, f.secondary_source, acc);
                        text(&mut doc, f.other_words, acc);
                    }
                }
            }
            if let Some(grants) = &art.grants {
                for g in &grants.grants {
                    for v in [&g.grant_id, &g.acronym, &g.agency].into_iter().flatten() {
                        text(&mut doc, f.grant, v);
                        text(&mut doc, f.other_words, v);
                    }
                }
            }
            pub_types.extend(art.publication_types.iter().map(|p| p.name.clone()));
            for chem in &m.chemicals {
                text(&mut doc, f.substance, &chem.name);
                text(&mut doc, f.substance_words, &chem.name);
                if chem.registry_number != "0" {
                    text(&mut doc, f.registry_number, &chem.registry_number);
                }
            }
            for s in &m.suppl_mesh {
                text(&mut doc, f.substance, &s.name);
                text(&mut doc, f.substance_words, &s.name);
            }
            for h in &m.mesh_headings {
                let d = &h.descriptor;
                text(&mut doc, f.mesh, &d.name);
                text(&mut doc, f.mesh_words, &d.name);
                let major = d.major || h.qualifiers.iter().any(|q| q.major);
                if major {
                    text(&mut doc, f.mesh_major, &d.name);
                }
                for q in &h.qualifiers {
                    let combined = format!("{}/{}", d.name, q.name);
                    text(&mut doc, f.subheading, &q.name);
                    text(&mut doc, f.mesh_words, &q.name);
                    text(&mut doc, f.mesh_qualified, &combined);
                    if q.major || d.major {
                        text(&mut doc, f.mesh_qualified_major, &combined);
                    }
                }
            }
            for list in &m.keyword_lists {
                for k in &list.keywords {
                    text(&mut doc, f.keyword, &k.text.text);
                }
            }
            if let Some(coi) = &m.coi_statement {
                text(&mut doc, f.coi, &coi.text);
            }
            for p in &m.personal_name_subjects {
                let key = match &p.initials {
                    Some(i) => format!("{} {i}", p.last_name),
                    None => p.last_name.clone(),
                };
                text(&mut doc, f.personal_name, &key);
                text(&mut doc, f.other_words, &key);
            }
            for v in m.gene_symbols.iter().chain(&m.space_flight_missions) {
                text(&mut doc, f.other_words, v);
            }
            for id in &m.other_ids {
                text(&mut doc, f.other_words, &id.value);
            }
            if let Some(d) = m.date_completed.as_ref().and_then(day) {
                doc.add_i64(f.date_completion, d);
            }
            if let Some(d) = m.date_revised.as_ref().and_then(day) {
                doc.add_i64(f.date_modification, d);
            }
            let status = m.status.as_deref().unwrap_or_default();
            text(
                &mut doc,
                f.filter,
                if matches!(status, "MEDLINE" | "OLDMEDLINE") { "medline" } else { "pubmed not medline" },
            );
        }
        Record::Book(b) => {
            let d = &b.book;
            if let Some(t) = &d.article_title {
                text(&mut doc, f.title, &t.text);
            }
            text(&mut doc, f.title, &d.book.title.text);
            if let Some(abs) = &d.abstract_ {
                for t in &abs.texts {
                    text(&mut doc, f.abstract_, &t.text.text);
                }
            }
            let lists: Vec<&AuthorList> = d.author_lists.iter().chain(&d.book.author_lists).collect();
            for list in lists {
                if list.list_type.as_deref() == Some("editors") {
                    for e in &list.authors {
                        if let Some(k) = author_key(e) {
                            text(&mut doc, f.editor, &k);
                            text(&mut doc, f.other_words, &k);
                        }
                    }
                } else {
                    authors.extend(list.authors.iter());
                }
            }
            if let Some(p) = &d.book.publisher_name {
                text(&mut doc, f.other_words, &p.text);
            }
            for isbn in &d.book.isbns {
                text(&mut doc, f.isbn, isbn);
            }
            for lang in &d.languages {
                text(&mut doc, f.language, lang);
            }
            pub_types.extend(d.publication_types.iter().map(|p| p.name.clone()));
            pubdate = pub_day(&d.book.pub_date).or_else(|| d.contribution_date.as_ref().and_then(pub_day));
            if let Some(n) = pubdate {
                doc.add_i64(f.date_publication, n);
            }
            for list in &d.keyword_lists {
                for k in &list.keywords {
                    text(&mut doc, f.keyword, &k.text.text);
                }
            }
            if let Some(dr) = d.date_revised.as_ref().and_then(day) {
                doc.add_i64(f.date_modification, dr);
            }
            journal_for_sort = d.book.title.text.clone();
            if title_for_sort.is_empty() {
                title_for_sort = d.book.title.text.clone();
            }
            text(&mut doc, f.filter, "pubmed books");
        }
    }

    for (i, a) in authors.iter().enumerate() {
        if let Some(k) = author_key(a) {
            text(&mut doc, f.author, &k);
            if i == 0 {
                text(&mut doc, f.author_first, &k);
            }
            if i + 1 == authors.len() {
                text(&mut doc, f.author_last, &k);
            }
            text(&mut doc, f.other_words, &k);
        }
        if let Some(k) = author_full_key(a) {
            text(&mut doc, f.author_full, &k);
            text(&mut doc, f.other_words, a.fore().unwrap_or_default());
        }
        if let Some(c) = &a.collective_name {
            text(&mut doc, f.corporate, &c.text);
            text(&mut doc, f.other_words, &c.text);
        }
        for id in &a.identifiers {
            let value = id.value.trim_start_matches("https://orcid.org/").trim_start_matches("http://orcid.org/");
            text(&mut doc, f.author_id, value);
        }
        affiliations.extend(a.affiliations.iter().map(|aff| aff.text.text.as_str()));
    }
    let mut seen = std::collections::HashSet::new();
    for aff in affiliations {
        if seen.insert(aff) {
            text(&mut doc, f.affiliation, aff);
        }
    }
    for t in &pub_types {
        text(&mut doc, f.publication_type, t);
        text(&mut doc, f.other_words, t);
    }

    text(&mut doc, f.filter, "all");
    let mut has_abstract = false;
    if let Some(p) = record.pubmed_data() {
        let mut lists: Vec<&medline::model::ReferenceList> = p.reference_lists.iter().collect();
        while let Some(list) = lists.pop() {
            lists.extend(&list.lists);
            for reference in &list.references {
                for id in reference.article_ids.iter().filter(|i| i.id_type == "pubmed") {
                    text(&mut doc, f.cites, &id.value);
                }
            }
        }
        for h in &p.history {
            let Some(n) = day(&h.date) else { continue };
            match h.status.as_str() {
                "pubmed" => doc.add_i64(f.date_entry, n),
                "entrez" => doc.add_i64(f.date_create, n),
                "medline" => doc.add_i64(f.date_mesh, n),
                _ => {}
            }
        }
        for id in &p.article_ids {
            text(&mut doc, f.article_id, &id.value);
            if id.id_type == "pmc" {
                text(&mut doc, f.pmcid, &id.value);
                for s in ["pubmed pmc", "pmc", "free full text"] {
                    text(&mut doc, f.filter, s);
                }
            }
        }
    }
    match record {
        Record::Article(a) => has_abstract |= a.medline.article.abstract_.is_some(),
        Record::Book(b) => has_abstract |= b.book.abstract_.is_some(),
    }
    if has_abstract {
        text(&mut doc, f.filter, "hasabstract");
    }
    let entry = entry_day(record).or(pubdate).unwrap_or(0);
    if entry_day(record).is_none() && entry > 0 {
        doc.add_i64(f.date_entry, entry);
    }
    doc.add_i64(f.sort_entry, entry);
    doc.add_i64(f.sort_pubdate, pubdate.unwrap_or(0));
    if let Some(first) =
        authors.first().and_then(|a| author_key(a).or_else(|| a.collective_name.as_ref().map(|c| c.text.clone())))
    {
        doc.add_text(f.sort_first_author, &first);
    }
    if let Some(last) =
        authors.last().and_then(|a| author_key(a).or_else(|| a.collective_name.as_ref().map(|c| c.text.clone())))
    {
        doc.add_text(f.sort_last_author, &last);
    }
    doc.add_text(f.sort_journal, &journal_for_sort);
    doc.add_text(f.sort_title, title_for_sort.trim_start_matches(['[', '"', '\'']));
    doc.add_f64(f.prior, type_prior(&pub_types));
    doc
}

/// The day a record entered PubMed (`pubmed` history date, else `entrez`).
fn entry_day(record: &Record) -> Option<i64> {
    let p = record.pubmed_data()?;
    let of = |status: &str| p.history.iter().find(|h| h.status == status).and_then(|h| day(&h.date));
    of("pubmed").or_else(|| of("entrez"))
}
