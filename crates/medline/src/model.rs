//! The PubMed record model: one Rust type per element of NLM's `pubmed_250101.dtd`, plus the few
//! elements of older DTDs (2009-2016) that still occur in archived files.
//!
//! Field values are kept as NLM wrote them (strings for free-text dates such as `PubDate`, numbers
//! for the numeric dates); nothing is normalised here, so every output format can decide for itself.
//! Empty lists and absent values are left out of the JSON form.

use serde::{Deserialize, Serialize};

use crate::text::Rich;

/// A PubMed identifier with its version (`<PMID Version="2">`); versions above 1 are rare and are
/// kept side by side with version 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pmid {
    pub id: u32,
    pub version: u32,
}

impl std::fmt::Display for Pmid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.version > 1 { write!(f, "{}.{}", self.id, self.version) } else { write!(f, "{}", self.id) }
    }
}

/// One citation: a journal article (`PubmedArticle`, or a bare `MedlineCitation` in the
/// 2014-2016 `MedlineCitationSet` files) or a book or chapter (`PubmedBookArticle`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    Article(Box<PubmedArticle>),
    Book(Box<PubmedBookArticle>),
}

impl Record {
    pub fn pmid(&self) -> Pmid {
        match self {
            Record::Article(a) => a.medline.pmid,
            Record::Book(b) => b.book.pmid,
        }
    }

    pub fn pubmed_data(&self) -> Option<&PubmedData> {
        match self {
            Record::Article(a) => a.pubmed.as_ref(),
            Record::Book(b) => b.pubmed.as_ref(),
        }
    }

    /// The article or chapter title, as plain text.
    pub fn title(&self) -> &str {
        match self {
            Record::Article(a) => &a.medline.article.title.text,
            Record::Book(b) => match &b.book.article_title {
                Some(t) => &t.text,
                None => &b.book.book.title.text,
            },
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PubmedArticle {
    pub medline: MedlineCitation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pubmed: Option<PubmedData>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PubmedBookArticle {
    pub book: BookDocument,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pubmed: Option<PubmedData>,
}

/// `MedlineCitation`: the bibliographic and indexing part of a journal record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MedlineCitation {
    pub pmid: Pmid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexing_method: Option<String>,
    /// `MedlineID`, dropped from NLM's DTDs in 2005 but present in old files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medline_id: Option<String>,
    /// `DateCreated`, dropped from NLM's DTDs in 2018 but present in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_completed: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_revised: Option<Date>,
    pub article: Article,
    #[serde(default)]
    pub journal_info: MedlineJournalInfo,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chemicals: Vec<Chemical>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppl_mesh: Vec<SupplMeshName>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citation_subsets: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments_corrections: Vec<CommentsCorrections>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gene_symbols: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mesh_headings: Vec<MeshHeading>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_references: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personal_name_subjects: Vec<PersonName>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_ids: Vec<OtherId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_abstracts: Vec<Abstract>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyword_lists: Vec<KeywordList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coi_statement: Option<Rich>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub space_flight_missions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub investigator_lists: Vec<InvestigatorList>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub general_notes: Vec<GeneralNote>,
}

/// A calendar date as NLM's numeric date elements give it (`DateCompleted`, `ArticleDate`,
/// `PubMedPubDate`, ...); the time is present only in `History` dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    pub year: u16,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub month: u8,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub day: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minute: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second: Option<u8>,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

/// `PubDate` and the book dates: a year with month and day or season, or a free-text
/// `MedlineDate` such as `1998 Dec-1999 Jan`. Kept as written (months are `Oct` or `10`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PubDate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medline_date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pub_model: Option<String>,
    pub journal: Journal,
    pub title: Rich,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_link: Option<BookLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elocation_ids: Vec<ELocationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstract_: Option<Abstract>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authors: Option<AuthorList>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub databanks: Option<DataBankList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grants: Option<GrantList>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publication_types: Vec<PublicationType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vernacular_title: Option<Rich>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_dates: Vec<ArticleDate>,
    /// `Article/Affiliation`: the single first-author affiliation of files before 2013.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<Rich>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issn: Option<Issn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited_medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default)]
    pub pub_date: PubDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso_abbreviation: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issn {
    pub value: String,
    /// `Print` or `Electronic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issn_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medline_pgn: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ELocationId {
    /// `doi` or `pii`.
    pub id_type: String,
    pub valid: bool,
    pub value: String,
}

/// `Abstract` or `OtherAbstract` (the latter with its type and language).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Abstract {
    pub texts: Vec<AbstractText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstract_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AbstractText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlm_category: Option<String>,
    pub text: Rich,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorList {
    pub complete: bool,
    /// `authors` or `editors` (books).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_type: Option<String>,
    pub authors: Vec<Author>,
}

impl Default for AuthorList {
    fn default() -> Self {
        AuthorList { complete: true, list_type: None, authors: Vec::new() }
    }
}

/// An `Author` or `Investigator`: a person or (authors only) a collective name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Author {
    /// As NLM wrote it, spaces kept (PubMed's `FAU` keeps them); [`Author::last`] trims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// As NLM wrote it; [`Author::fore`] trims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fore_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collective_name: Option<Rich>,
    /// `CollectiveName@Investigators`: the ID of the `InvestigatorList` of the group's members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigators_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliations: Vec<Affiliation>,
    pub valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equal_contrib: Option<bool>,
}

impl Author {
    /// The last name without the spaces NLM may have left around it.
    pub fn last(&self) -> Option<&str> {
        self.last_name.as_deref().map(str::trim)
    }

    /// The fore name without the spaces NLM may have left around it.
    pub fn fore(&self) -> Option<&str> {
        self.fore_name.as_deref().map(str::trim)
    }
}

impl Default for Author {
    fn default() -> Self {
        Author {
            last_name: None,
            fore_name: None,
            initials: None,
            suffix: None,
            collective_name: None,
            investigators_ref: None,
            identifiers: Vec::new(),
            affiliations: Vec::new(),
            valid: true,
            equal_contrib: None,
        }
    }
}

/// `InvestigatorList`: people credited beside the authors (trial groups, consortia).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InvestigatorList {
    /// Referred to by a `CollectiveName@Investigators`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub investigators: Vec<Author>,
}

/// The `book`, `part` and `sec` attributes of titles (NCBI Bookshelf locators).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub book: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sec: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    /// `ORCID`, `GRID`, `ISNI`, `RINGGOLD`, ...
    pub source: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Affiliation {
    pub text: Rich,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    pub last_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fore_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataBankList {
    pub complete: bool,
    pub databanks: Vec<DataBank>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataBank {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accession_numbers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantList {
    pub complete: bool,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationType {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDate {
    /// Always `Electronic` in NLM's data.
    pub date: Date,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedlineJournalInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medline_ta: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlm_unique_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issn_linking: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chemical {
    pub registry_number: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplMeshName {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<String>,
    /// `Disease`, `Protocol`, `Organism`, `Anatomy` or `Population`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppl_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentsCorrections {
    /// `CommentIn`, `ErratumFor`, `RetractionIn`, `Cites`, ...
    pub ref_type: String,
    pub ref_source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmid: Option<Pmid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshHeading {
    pub descriptor: MeshTerm,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<MeshTerm>,
}

/// A `DescriptorName` or `QualifierName`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshTerm {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<String>,
    pub major: bool,
    /// `Geographic` for place names (descriptors only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor_type: Option<String>,
    /// Set when MeSH terms were assigned automatically (`AutoHM="Y"`, DTD 2025).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_hm: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherId {
    pub source: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeywordList {
    /// `NLM`, `NOTNLM`, `PIP`, ...
    pub owner: String,
    pub keywords: Vec<Keyword>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Keyword {
    pub text: Rich,
    pub major: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneralNote {
    pub owner: String,
    pub text: String,
}

/// `PubmedData` (and `PubmedBookData`): PubMed's own processing data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PubmedData {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_status: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_ids: Vec<ArticleId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<Object>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_lists: Vec<ReferenceList>,
}

impl PubmedData {
    /// The first article ID of the given type (`doi`, `pmc`, `pii`, ...).
    pub fn article_id(&self, id_type: &str) -> Option<&str> {
        self.article_ids.iter().find(|a| a.id_type == id_type).map(|a| a.value.as_str())
    }
}

/// A `PubMedPubDate` of the `History`: `received`, `accepted`, `pubmed` (EDAT), `entrez` (CRDT),
/// `medline` (MHDA), ...
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryDate {
    pub status: String,
    pub date: Date,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleId {
    /// `pubmed`, `doi`, `pii`, `pmc`, `mid`, ...
    pub id_type: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Object {
    pub object_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub value: Rich,
}

/// `ReferenceList`: the cited works, possibly titled and nested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<ReferenceList>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub citation: Rich,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_ids: Vec<ArticleId>,
}

/// `BookDocument`: a book, or a chapter of one (NCBI Bookshelf records).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BookDocument {
    pub pmid: Pmid,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_ids: Vec<ArticleId>,
    pub book: Book,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location_labels: Vec<LocationLabel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_title: Option<Rich>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_title_link: Option<BookLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vernacular_title: Option<Rich>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author_lists: Vec<AuthorList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigator_list: Option<InvestigatorList>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publication_types: Vec<PublicationType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstract_: Option<Abstract>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyword_lists: Vec<KeywordList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution_date: Option<PubDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_revised: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grants: Option<GrantList>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_lists: Vec<ItemList>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_lists: Vec<ReferenceList>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Book {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_name: Option<Rich>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_location: Option<String>,
    pub title: Rich,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_link: Option<BookLink>,
    #[serde(default)]
    pub pub_date: PubDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beginning_date: Option<PubDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending_date: Option<PubDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author_lists: Vec<AuthorList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigator_list: Option<InvestigatorList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_title: Option<Rich>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_title: Option<Rich>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_title_link: Option<BookLink>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub isbns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elocation_ids: Vec<ELocationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_number: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationLabel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_type: Option<String>,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_label: Option<LocationLabel>,
    pub title: Rich,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_link: Option<BookLink>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemList {
    pub list_type: String,
    pub items: Vec<String>,
}
