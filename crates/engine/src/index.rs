//! The full-text index (tantivy): one document per current record, built from the record model in
//! the ingest pass that stores the record.
//!
//! Running text (title, abstract, keywords, affiliations, ...) is tokenized into lower-case,
//! accent-folded words with positions, for phrases and proximity. Names, MeSH headings and
//! identifiers are indexed whole (lower-cased, accent-folded), so that a phrase can never match
//! across two authors or two headings. Dates are `YYYYMMDD` integers.

use std::path::Path;

use medline::model::{Date, PubDate};
use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, SimpleTokenizer, TextAnalyzer};

use crate::error::{EngineError, Result};

/// The analyzer of running text.
pub const WORDS: &str = "words";
/// The analyzer of whole values.
pub const WHOLE: &str = "whole";

/// The index's fields, by role.
#[derive(Clone)]
pub struct Fields {
    /// The PMID (a fast field too).
    pub pmid: Field,
    // Running text.
    /// The article title's words (and a book's).
    pub title: Field,
    /// The abstracts' words, other languages' included.
    pub abstract_: Field,
    /// Author keywords' words: `[ot]`.
    pub keyword: Field,
    /// Affiliations' words: `[ad]`.
    pub affiliation: Field,
    /// The words of MeSH headings and subheadings, for `[tw]` and `[all]`.
    pub mesh_words: Field,
    /// The words of substance names, for `[tw]` and `[all]`.
    pub substance_words: Field,
    /// The conflict-of-interest statement's words.
    pub coi: Field,
    /// The title in its original language: `[tt]`.
    pub vernacular: Field,
    /// Words of the small fields (authors, journal, publication types, grants, ...) for
    /// `[All Fields]`.
    pub other_words: Field,
    // Whole values.
    /// MeSH headings: `[mh]`.
    pub mesh: Field,
    /// Headings that are a major topic: `[majr]`.
    pub mesh_major: Field,
    /// `heading/subheading` pairs: `neoplasms/therapy[mh]`.
    pub mesh_qualified: Field,
    /// Those pairs as a major topic.
    pub mesh_qualified_major: Field,
    /// Subheadings alone: `[sh]`.
    pub subheading: Field,
    /// Authors as `smith ja`: `[au]`.
    pub author: Field,
    /// Authors as `smith, john a`: `[fau]`.
    pub author_full: Field,
    /// The first author: `[1au]`.
    pub author_first: Field,
    /// The last author: `[lastau]`.
    pub author_last: Field,
    /// Group authors: `[cn]`.
    pub corporate: Field,
    /// Authors' identifiers (ORCID): `[auid]`.
    pub author_id: Field,
    /// Investigators: `[ir]`.
    pub investigator: Field,
    /// Investigators in full: `[fir]`.
    pub investigator_full: Field,
    /// Book editors: `[ed]`.
    pub editor: Field,
    /// Journal titles, abbreviations and ISSNs: `[ta]`.
    pub journal: Field,
    /// The journal's NLM ID: `[jid]`.
    pub nlm_id: Field,
    /// `[vi]`.
    pub volume: Field,
    /// `[ip]`.
    pub issue: Field,
    /// `[pg]`.
    pub pages: Field,
    /// Every identifier of the article (PMID, DOI, PII, ...): `[aid]`.
    pub article_id: Field,
    /// Electronic locations: `[lid]`.
    pub location_id: Field,
    /// `[pmcid]`.
    pub pmcid: Field,
    /// Databank accessions: `[si]`.
    pub secondary_source: Field,
    /// Grant numbers, acronyms and agencies: `[gr]`.
    pub grant: Field,
    /// People as the subject: `[ps]`.
    pub personal_name: Field,
    /// The journal's country: `[pl]`.
    pub place: Field,
    /// Language codes: `[la]`.
    pub language: Field,
    /// `[pt]`.
    pub publication_type: Field,
    /// Substance names: `[nm]`.
    pub substance: Field,
    /// `[rn]`.
    pub registry_number: Field,
    /// The subsets and filters a record is in: `[sb]`.
    pub filter: Field,
    /// `[isbn]`.
    pub isbn: Field,
    /// PMIDs in the record's reference list: what "Cited by" searches.
    pub cites: Field,
    // Dates, YYYYMMDD.
    /// `[dp]`: the issue's date and the electronic ones.
    pub date_publication: Field,
    /// `[edat]`.
    pub date_entry: Field,
    /// `[crdt]`.
    pub date_create: Field,
    /// `[mhda]`.
    pub date_mesh: Field,
    /// `[lr]`.
    pub date_modification: Field,
    /// `[dcom]`.
    pub date_completion: Field,
    // Sorting and ranking.
    /// The publication-date sort key.
    pub sort_pubdate: Field,
    /// The entry-date sort key.
    pub sort_entry: Field,
    /// The first-author sort key.
    pub sort_first_author: Field,
    /// The last-author sort key.
    pub sort_last_author: Field,
    /// The journal sort key.
    pub sort_journal: Field,
    /// The title sort key.
    pub sort_title: Field,
    /// The publication-type prior of relevance ranking.
    pub prior: Field,
}

/// The index's schema and its fields by role.
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

/// A date as a day number `YYYYMMDD`; `None` for a date without a year.
pub(crate) fn day(d: &Date) -> Option<i64> {
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
