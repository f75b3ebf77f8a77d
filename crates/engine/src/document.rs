//! A record as the index's document: its text fields, names, identifiers, dates, filters and
//! sort keys (the fields themselves are `index.rs`'s schema).

use std::collections::HashSet;

use medline::Record;
use medline::model::{Author, AuthorList, MedlineCitation, PubmedArticle, PubmedBookArticle, PubmedData};
use tantivy::TantivyDocument;
use tantivy::schema::Field;

use crate::index::{Fields, day, pub_day};

/// Builds the document of a record.
pub(crate) fn document(f: &Fields, record: &Record) -> TantivyDocument {
    let mut d = Document {
        f,
        doc: TantivyDocument::default(),
        authors: Vec::new(),
        affiliations: Vec::new(),
        pub_types: Vec::new(),
        pubdate: None,
        journal_for_sort: String::new(),
        title_for_sort: record.title().to_owned(),
    };
    let pmid = record.pmid().id;
    d.doc.add_u64(f.pmid, u64::from(pmid));
    d.text(f.article_id, &pmid.to_string());
    match record {
        Record::Article(a) => d.article(a),
        Record::Book(b) => d.book(b),
    }
    d.people();
    d.text(f.filter, "all");
    if let Some(p) = record.pubmed_data() {
        d.pubmed_data(p);
    }
    let has_abstract = match record {
        Record::Article(a) => a.medline.article.abstract_.is_some(),
        Record::Book(b) => b.book.abstract_.is_some(),
    };
    if has_abstract {
        d.text(f.filter, "hasabstract");
    }
    d.sort_keys(record)
}

/// A document being built, with what later fields gather from several places.
struct Document<'a> {
    f: &'a Fields,
    doc: TantivyDocument,
    /// Authors (not editors), in order: `[au]`, `[1au]`, `[lastau]`, the author sorts.
    authors: Vec<&'a Author>,
    /// Authors of one institution repeat its affiliation word for word: it is indexed once.
    affiliations: Vec<&'a str>,
    pub_types: Vec<String>,
    pubdate: Option<i64>,
    journal_for_sort: String,
    title_for_sort: String,
}

impl<'a> Document<'a> {
    /// A value of a text field, its runs of whitespace made single spaces; empty values none.
    fn text(&mut self, field: Field, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        // Most values are already single-spaced: copied once, not split and joined.
        if is_single_spaced(value) {
            self.doc.add_text(field, value);
        } else {
            self.doc.add_text(field, value.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    /// A value searched in its own field and among `[all]`'s other words.
    fn text_and_other_words(&mut self, field: Field, value: &str) {
        self.text(field, value);
        self.text(self.f.other_words, value);
    }

    fn article(&mut self, a: &'a PubmedArticle) {
        let f = self.f;
        let m = &a.medline;
        let art = &m.article;
        self.text(f.title, &art.title.text);
        for t in art.abstract_.iter().chain(&m.other_abstracts).flat_map(|abs| &abs.texts) {
            self.text(f.abstract_, &t.text.text);
        }
        if let Some(v) = &art.vernacular_title {
            self.text(f.vernacular, &v.text);
        }
        if let Some(list) = &art.authors {
            self.authors.extend(list.authors.iter());
        }
        if let Some(aff) = &art.affiliation {
            self.text(f.affiliation, &aff.text);
        }
        for i in m.investigator_lists.iter().flat_map(|l| &l.investigators) {
            if let Some(k) = author_key(i) {
                self.text_and_other_words(f.investigator, &k);
            }
            if let Some(k) = author_full_key(i) {
                self.text(f.investigator_full, &k);
            }
            self.affiliations.extend(i.affiliations.iter().map(|aff| aff.text.text.as_str()));
        }
        self.journal(a);
        self.article_dates(a);
        for lang in &art.languages {
            self.text_and_other_words(f.language, lang);
        }
        for bank in art.databanks.iter().flat_map(|b| &b.databanks) {
            for acc in &bank.accession_numbers {
                self.text(f.secondary_source, &format!("{}/{acc}", bank.name));
                self.text_and_other_words(f.secondary_source, acc);
            }
        }
        for g in art.grants.iter().flat_map(|g| &g.grants) {
            for v in [&g.grant_id, &g.acronym, &g.agency].into_iter().flatten() {
                self.text_and_other_words(f.grant, v);
            }
        }
        self.pub_types.extend(art.publication_types.iter().map(|p| p.name.clone()));
        self.substances_and_mesh(m);
        self.citation_extras(m);
    }

    /// The journal's names, identifiers, volume, issue, pages and locations.
    fn journal(&mut self, a: &PubmedArticle) {
        let f = self.f;
        let (m, art) = (&a.medline, &a.medline.article);
        let j = &art.journal;
        let info = &m.journal_info;
        for v in [&info.medline_ta, &j.title, &j.iso_abbreviation, &info.issn_linking].into_iter().flatten() {
            self.text_and_other_words(f.journal, v);
        }
        if let Some(issn) = &j.issn {
            self.text(f.journal, &issn.value);
        }
        self.journal_for_sort = info.medline_ta.clone().or_else(|| j.iso_abbreviation.clone()).unwrap_or_default();
        for (field, value) in
            [(f.nlm_id, &info.nlm_unique_id), (f.place, &info.country), (f.volume, &j.volume), (f.issue, &j.issue)]
        {
            if let Some(v) = value {
                self.text(field, v);
            }
        }
        if let Some(p) = &art.pagination {
            for v in [&p.medline_pgn, &p.start_page].into_iter().flatten() {
                self.text(f.pages, v);
            }
        }
        for e in &art.elocation_ids {
            self.text(f.location_id, &e.value);
            self.text(f.article_id, &e.value);
        }
    }

    /// The issue's publication date, then the electronic ones; the first is the record's.
    fn article_dates(&mut self, a: &PubmedArticle) {
        let f = self.f;
        let art = &a.medline.article;
        self.pubdate = pub_day(&art.journal.pub_date);
        if let Some(d) = self.pubdate {
            self.doc.add_i64(f.date_publication, d);
        }
        for d in &art.article_dates {
            if let Some(n) = day(&d.date) {
                self.doc.add_i64(f.date_publication, n);
                self.pubdate = self.pubdate.or(Some(n));
            }
        }
    }

    /// Chemicals and supplementary concepts, and MeSH headings with their subheadings.
    fn substances_and_mesh(&mut self, m: &MedlineCitation) {
        let f = self.f;
        for chem in &m.chemicals {
            self.text(f.substance, &chem.name);
            self.text(f.substance_words, &chem.name);
            if chem.registry_number != "0" {
                self.text(f.registry_number, &chem.registry_number);
            }
        }
        for s in &m.suppl_mesh {
            self.text(f.substance, &s.name);
            self.text(f.substance_words, &s.name);
        }
        for h in &m.mesh_headings {
            let d = &h.descriptor;
            self.text(f.mesh, &d.name);
            self.text(f.mesh_words, &d.name);
            if d.major || h.qualifiers.iter().any(|q| q.major) {
                self.text(f.mesh_major, &d.name);
            }
            for q in &h.qualifiers {
                let combined = format!("{}/{}", d.name, q.name);
                self.text(f.subheading, &q.name);
                self.text(f.mesh_words, &q.name);
                self.text(f.mesh_qualified, &combined);
                if q.major || d.major {
                    self.text(f.mesh_qualified_major, &combined);
                }
            }
        }
    }

    /// Keywords, conflict of interest, personal names as subjects, other identifiers, the
    /// completion and revision dates, and the MEDLINE status filter.
    fn citation_extras(&mut self, m: &MedlineCitation) {
        let f = self.f;
        for k in m.keyword_lists.iter().flat_map(|l| &l.keywords) {
            self.text(f.keyword, &k.text.text);
        }
        if let Some(coi) = &m.coi_statement {
            self.text(f.coi, &coi.text);
        }
        for p in &m.personal_name_subjects {
            let key = match &p.initials {
                Some(i) => format!("{} {i}", p.last_name),
                None => p.last_name.clone(),
            };
            self.text_and_other_words(f.personal_name, &key);
        }
        for v in m.gene_symbols.iter().chain(&m.space_flight_missions) {
            self.text(f.other_words, v);
        }
        for id in &m.other_ids {
            self.text(f.other_words, &id.value);
        }
        if let Some(d) = m.date_completed.as_ref().and_then(day) {
            self.doc.add_i64(f.date_completion, d);
        }
        if let Some(d) = m.date_revised.as_ref().and_then(day) {
            self.doc.add_i64(f.date_modification, d);
        }
        let medline = matches!(m.status.as_deref().unwrap_or_default(), "MEDLINE" | "OLDMEDLINE");
        self.text(f.filter, if medline { "medline" } else { "pubmed not medline" });
    }

    fn book(&mut self, b: &'a PubmedBookArticle) {
        let f = self.f;
        let d = &b.book;
        if let Some(t) = &d.article_title {
            self.text(f.title, &t.text);
        }
        self.text(f.title, &d.book.title.text);
        for t in d.abstract_.iter().flat_map(|abs| &abs.texts) {
            self.text(f.abstract_, &t.text.text);
        }
        let lists: Vec<&'a AuthorList> = d.author_lists.iter().chain(&d.book.author_lists).collect();
        for list in lists {
            if list.list_type.as_deref() == Some("editors") {
                for k in list.authors.iter().filter_map(author_key) {
                    self.text_and_other_words(f.editor, &k);
                }
            } else {
                self.authors.extend(list.authors.iter());
            }
        }
        if let Some(p) = &d.book.publisher_name {
            self.text(f.other_words, &p.text);
        }
        for isbn in &d.book.isbns {
            self.text(f.isbn, isbn);
        }
        for lang in &d.languages {
            self.text(f.language, lang);
        }
        self.pub_types.extend(d.publication_types.iter().map(|p| p.name.clone()));
        self.pubdate = pub_day(&d.book.pub_date).or_else(|| d.contribution_date.as_ref().and_then(pub_day));
        if let Some(n) = self.pubdate {
            self.doc.add_i64(f.date_publication, n);
        }
        for k in d.keyword_lists.iter().flat_map(|l| &l.keywords) {
            self.text(f.keyword, &k.text.text);
        }
        if let Some(dr) = d.date_revised.as_ref().and_then(day) {
            self.doc.add_i64(f.date_modification, dr);
        }
        self.journal_for_sort = d.book.title.text.clone();
        if self.title_for_sort.is_empty() {
            self.title_for_sort = d.book.title.text.clone();
        }
        self.text(f.filter, "pubmed books");
    }

    /// The authors' names, identifiers and affiliations; all affiliations, each once; the
    /// publication types.
    fn people(&mut self) {
        let f = self.f;
        let authors = self.authors.clone();
        for (i, a) in authors.iter().enumerate() {
            if let Some(k) = author_key(a) {
                self.text(f.author, &k);
                if i == 0 {
                    self.text(f.author_first, &k);
                }
                if i + 1 == authors.len() {
                    self.text(f.author_last, &k);
                }
                self.text(f.other_words, &k);
            }
            if let Some(k) = author_full_key(a) {
                self.text(f.author_full, &k);
                self.text(f.other_words, a.fore().unwrap_or_default());
            }
            if let Some(c) = &a.collective_name {
                self.text_and_other_words(f.corporate, &c.text);
            }
            for id in &a.identifiers {
                let value = id.value.trim_start_matches("https://orcid.org/").trim_start_matches("http://orcid.org/");
                self.text(f.author_id, value);
            }
            self.affiliations.extend(a.affiliations.iter().map(|aff| aff.text.text.as_str()));
        }
        let mut seen = HashSet::new();
        for aff in std::mem::take(&mut self.affiliations) {
            if seen.insert(aff) {
                self.text(f.affiliation, aff);
            }
        }
        for t in self.pub_types.clone() {
            self.text_and_other_words(f.publication_type, &t);
        }
    }

    /// What PubMed adds: the PMIDs of the reference list, the history dates, the article
    /// identifiers and the free-full-text filters.
    fn pubmed_data(&mut self, p: &PubmedData) {
        let f = self.f;
        let mut lists: Vec<&medline::model::ReferenceList> = p.reference_lists.iter().collect();
        while let Some(list) = lists.pop() {
            lists.extend(&list.lists);
            for reference in &list.references {
                for id in reference.article_ids.iter().filter(|i| i.id_type == "pubmed") {
                    self.text(f.cites, &id.value);
                }
            }
        }
        for h in &p.history {
            let Some(n) = day(&h.date) else { continue };
            match h.status.as_str() {
                "pubmed" => self.doc.add_i64(f.date_entry, n),
                "entrez" => self.doc.add_i64(f.date_create, n),
                "medline" => self.doc.add_i64(f.date_mesh, n),
                _ => {}
            }
        }
        for id in &p.article_ids {
            self.text(f.article_id, &id.value);
            if id.id_type == "pmc" {
                self.text(f.pmcid, &id.value);
                for s in ["pubmed pmc", "pmc", "free full text"] {
                    self.text(f.filter, s);
                }
            }
        }
    }

    /// The entry date (the publication date where PubMed gives none) and the sort keys.
    fn sort_keys(mut self, record: &Record) -> TantivyDocument {
        let f = self.f;
        let entry = entry_day(record).or(self.pubdate).unwrap_or(0);
        if entry_day(record).is_none() && entry > 0 {
            self.doc.add_i64(f.date_entry, entry);
        }
        self.doc.add_i64(f.sort_entry, entry);
        self.doc.add_i64(f.sort_pubdate, self.pubdate.unwrap_or(0));
        let sort_name = |a: &&Author| author_key(a).or_else(|| a.collective_name.as_ref().map(|c| c.text.clone()));
        if let Some(first) = self.authors.first().and_then(sort_name) {
            self.doc.add_text(f.sort_first_author, &first);
        }
        if let Some(last) = self.authors.last().and_then(sort_name) {
            self.doc.add_text(f.sort_last_author, &last);
        }
        self.doc.add_text(f.sort_journal, &self.journal_for_sort);
        self.doc.add_text(f.sort_title, self.title_for_sort.trim_start_matches(['[', '"', '\'']));
        self.doc.add_f64(f.prior, type_prior(&self.pub_types));
        self.doc
    }
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

/// The day a record entered PubMed (`pubmed` history date, else `entrez`).
fn entry_day(record: &Record) -> Option<i64> {
    let p = record.pubmed_data()?;
    let of = |status: &str| p.history.iter().find(|h| h.status == status).and_then(|h| day(&h.date));
    of("pubmed").or_else(|| of("entrez"))
}

/// True when `value` has no white space but single plain spaces between words.
fn is_single_spaced(value: &str) -> bool {
    let bytes = value.as_bytes();
    let edge_space = |b: Option<&u8>| b.is_some_and(|b| *b == b' ');
    !edge_space(bytes.first())
        && !edge_space(bytes.last())
        && !bytes.windows(2).any(|pair| pair == b"  ")
        && !value.chars().any(|c| c.is_whitespace() && c != ' ')
}

#[cfg(test)]
mod tests {
    use super::is_single_spaced;

    #[test]
    fn only_single_plain_spaces_between_words_count_as_single_spaced() {
        assert!(is_single_spaced("Smith JA"));
        assert!(is_single_spaced("one"));
        for value in [" Smith", "Smith ", "Smith  JA", "Smith\tJA", "Smith\nJA", "Smith\u{a0}JA", "Smith \u{2009}JA"] {
            assert!(!is_single_spaced(value), "{value:?}");
        }
    }
}
