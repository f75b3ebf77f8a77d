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
    /// The number itself, as in `PMID: 28260531`; never 0 in a parsed record.
    pub id: u32,
    /// `PMID@Version`: 1, unless the record exists in several versions.
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
    /// A journal article: a `PubmedArticle`, or a bare `MedlineCitation`.
    Article(Box<PubmedArticle>),
    /// A book or chapter: a `PubmedBookArticle`, or a bare `BookDocument`.
    Book(Box<PubmedBookArticle>),
}

impl Record {
    /// The record's PMID, with its version.
    pub fn pmid(&self) -> Pmid {
        match self {
            Record::Article(a) => a.medline.pmid,
            Record::Book(b) => b.book.pmid,
        }
    }

    /// PubMed's processing data (history, article IDs, references), when the file carried it.
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

/// `PubmedArticle`: a journal record, NLM's citation data and PubMed's own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PubmedArticle {
    /// `MedlineCitation`: the citation and its indexing.
    pub medline: MedlineCitation,
    /// `PubmedData`: absent in `MedlineCitationSet` files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pubmed: Option<PubmedData>,
}

/// `PubmedBookArticle`: an NCBI Bookshelf record, a whole book or one chapter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PubmedBookArticle {
    /// `BookDocument`: the book or chapter's citation.
    pub book: BookDocument,
    /// `PubmedBookData`: absent for a bare `BookDocument`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pubmed: Option<PubmedData>,
}

/// `MedlineCitation`: the bibliographic and indexing part of a journal record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MedlineCitation {
    /// `PMID`: the record's identifier.
    pub pmid: Pmid,
    /// `Owner`: who is responsible for the record: `NLM` (the default), `NASA`, `PIP`, `KIE`,
    /// `HSR`, `HMD` or `NOTNLM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `Status`: the record's stage: `MEDLINE`, `PubMed-not-MEDLINE`, `In-Process`,
    /// `In-Data-Review`, `Publisher`, `OLDMEDLINE` or `Completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `VersionID`: the version of a record that has several (rare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// `VersionDate`: the date of that version (rare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_date: Option<String>,
    /// `IndexingMethod`: how the MeSH headings were assigned: `Manual`, `Automated` or `Curated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexing_method: Option<String>,
    /// `MedlineID`, dropped from NLM's DTDs in 2005 but present in old files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medline_id: Option<String>,
    /// `DateCreated`, dropped from NLM's DTDs in 2018 but present in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<Date>,
    /// `DateCompleted`: when NLM finished indexing the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_completed: Option<Date>,
    /// `DateRevised`: when the record was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_revised: Option<Date>,
    /// `Article`: the article's bibliographic data.
    pub article: Article,
    /// `MedlineJournalInfo`: NLM's catalogue data for the journal.
    #[serde(default)]
    pub journal_info: MedlineJournalInfo,
    /// `ChemicalList`: the substances the article discusses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chemicals: Vec<Chemical>,
    /// `SupplMeshList`: MeSH supplementary concepts (rare diseases, protocols, organisms...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppl_mesh: Vec<SupplMeshName>,
    /// `CitationSubset`s: the journal subsets the record is in, e.g. `IM` (Index Medicus), `AIM`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citation_subsets: Vec<String>,
    /// `CommentsCorrectionsList`: links to comments, errata, retractions, updates and the like.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments_corrections: Vec<CommentsCorrections>,
    /// `GeneSymbolList`: gene symbols the article mentions (records of the 1990s only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gene_symbols: Vec<String>,
    /// `MeshHeadingList`: the MeSH headings the record is indexed with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mesh_headings: Vec<MeshHeading>,
    /// `NumberOfReferences`: how many works a review cites, as written (older records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_references: Option<String>,
    /// `PersonalNameSubjectList`: the people the article is about (biographies, obituaries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personal_name_subjects: Vec<PersonName>,
    /// `OtherID`s: identifiers given by other sources, e.g. a PMCID from `NLM`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_ids: Vec<OtherId>,
    /// `OtherAbstract`s: abstracts from other sources or in other languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_abstracts: Vec<Abstract>,
    /// `KeywordList`s: keywords, each list with its owner (authors' keywords are `NOTNLM`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyword_lists: Vec<KeywordList>,
    /// `CoiStatement`: the authors' conflict of interest statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coi_statement: Option<Rich>,
    /// `SpaceFlightMission`s: NASA missions the article reports on (NASA records).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub space_flight_missions: Vec<String>,
    /// `InvestigatorList`s: people credited beside the authors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub investigator_lists: Vec<InvestigatorList>,
    /// `GeneralNote`s: free-text remarks from the record's owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub general_notes: Vec<GeneralNote>,
}

/// A calendar date as NLM's numeric date elements give it (`DateCompleted`, `ArticleDate`,
/// `PubMedPubDate`, ...); the time is present only in `History` dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    /// `Year`, e.g. `2017`.
    pub year: u16,
    /// `Month`, 1 to 12 (a month name is read as its number); 0 when absent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub month: u8,
    /// `Day`, 1 to 31; 0 when absent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub day: u8,
    /// `Hour` (0-23), in `History` dates only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour: Option<u8>,
    /// `Minute`, in `History` dates only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minute: Option<u8>,
    /// `Second`, in `History` dates only.
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
    /// `Year`, as written: `2017`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<String>,
    /// `Month`, as written: `Oct` or `10`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// `Day`, as written: `4` or `04`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    /// `Season`, in place of a month: `Winter`, `Spring`, `Summer-Fall`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    /// `MedlineDate`: a free-text date in place of all the other parts, e.g. `1998 Dec-1999 Jan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medline_date: Option<String>,
}

/// `Article`: the bibliographic data of a journal article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// `Article@PubModel`: how the article was published: `Print`, `Print-Electronic`,
    /// `Electronic`, `Electronic-Print` or `Electronic-eCollection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pub_model: Option<String>,
    /// `Journal`: the journal and the issue the article is in.
    pub journal: Journal,
    /// `ArticleTitle`, in English (a translated title is in `[brackets]`).
    pub title: Rich,
    /// The Bookshelf locator attributes of `ArticleTitle`, when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_link: Option<BookLink>,
    /// `Pagination`: the article's pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// `ELocationID`s: the article's DOI or publisher item identifier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elocation_ids: Vec<ELocationId>,
    /// `Abstract`: the article's own abstract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstract_: Option<Abstract>,
    /// `AuthorList`: the authors, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authors: Option<AuthorList>,
    /// `Language`s: NLM's three-letter codes, e.g. `eng`, `fre`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// `DataBankList`: databases holding the article's data (GenBank, ClinicalTrials.gov...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub databanks: Option<DataBankList>,
    /// `GrantList`: the grants that funded the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grants: Option<GrantList>,
    /// `PublicationTypeList`: e.g. `Journal Article`, `Review`, `Randomized Controlled Trial`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publication_types: Vec<PublicationType>,
    /// `VernacularTitle`: the title in the article's original language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vernacular_title: Option<Rich>,
    /// `ArticleDate`s: the dates of electronic publication (usually one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_dates: Vec<ArticleDate>,
    /// `Article/Affiliation`: the single first-author affiliation of files before 2013.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<Rich>,
}

/// `Journal`: the journal and the issue an article appeared in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// `ISSN`: the journal's ISSN, print or electronic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issn: Option<Issn>,
    /// `JournalIssue@CitedMedium`: `Print` or `Internet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited_medium: Option<String>,
    /// `Volume`, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// `Issue`, as written: `4`, `Pt 2`, `Suppl 1`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// `PubDate`: the issue's date.
    #[serde(default)]
    pub pub_date: PubDate,
    /// `Title`: the journal's full title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `ISOAbbreviation`: the journal's ISO 4 abbreviation, e.g. `J Med Case Rep`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso_abbreviation: Option<String>,
}

/// `ISSN`: a journal's International Standard Serial Number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issn {
    /// The number, e.g. `1752-1947`.
    pub value: String,
    /// `Print` or `Electronic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issn_type: Option<String>,
}

/// `Pagination`: the pages of an article or chapter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    /// `StartPage`: the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_page: Option<String>,
    /// `EndPage`: the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_page: Option<String>,
    /// `MedlinePgn`: the pages as MEDLINE abbreviates them, e.g. `335-9`, `e0123`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medline_pgn: Option<String>,
}

/// `ELocationID`: where an electronic article is found: a DOI or a publisher item identifier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ELocationId {
    /// `doi` or `pii`.
    pub id_type: String,
    /// `ValidYN`: false for an identifier NLM marked as wrong.
    pub valid: bool,
    /// The identifier, e.g. `10.1136/neurintsurg-2017-013122`.
    pub value: String,
}

/// `Abstract` or `OtherAbstract` (the latter with its type and language).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Abstract {
    /// `AbstractText`s: one per section of a structured abstract, otherwise one.
    pub texts: Vec<AbstractText>,
    /// `CopyrightInformation`: the abstract's copyright line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// `OtherAbstract@Type`: its source, e.g. `Publisher`, `PIP`, `NASA`, `plain-language-summary`;
    /// `None` for `Abstract`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstract_type: Option<String>,
    /// `OtherAbstract@Language`: the language code, e.g. `pol`; `None` for `Abstract`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// `AbstractText`: a whole abstract, or one section of a structured one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AbstractText {
    /// `Label`: the section heading as the journal wrote it, e.g. `MATERIALS AND METHODS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `NlmCategory`: NLM's heading for the section: `BACKGROUND`, `OBJECTIVE`, `METHODS`,
    /// `RESULTS`, `CONCLUSIONS` or `UNASSIGNED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlm_category: Option<String>,
    /// The section's text.
    pub text: Rich,
}

/// `AuthorList`: the authors of an article, or the authors or editors of a book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorList {
    /// `CompleteYN`: false when NLM recorded only some of the authors.
    pub complete: bool,
    /// `authors` or `editors` (books).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_type: Option<String>,
    /// The `Author`s, in order.
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
    /// `Initials`, e.g. `JM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    /// `Suffix`, e.g. `Jr` or `III`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// `CollectiveName`: a group author (a consortium, a study group) in place of a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collective_name: Option<Rich>,
    /// `CollectiveName@Investigators`: the ID of the `InvestigatorList` of the group's members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigators_ref: Option<String>,
    /// `Identifier`s of the person, mostly an ORCID.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// `AffiliationInfo`s, or the bare `Affiliation`s of older investigator lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliations: Vec<Affiliation>,
    /// `ValidYN`: false for a name NLM marked as wrong (one corrected by an erratum, say).
    pub valid: bool,
    /// `EqualContrib`: `Some(true)` for authors who contributed equally; `None` when absent.
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
    /// The `Investigator`s, in order.
    pub investigators: Vec<Author>,
}

/// The `book`, `part` and `sec` attributes of titles (NCBI Bookshelf locators).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookLink {
    /// `book`: the Bookshelf book's ID, e.g. `gene` (GeneReviews).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub book: Option<String>,
    /// `part`: a part or chapter of that book, e.g. `alzheimer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// `sec`: a section within that part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sec: Option<String>,
}

/// `Identifier`: a person's or an institution's identifier in some registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    /// `ORCID`, `GRID`, `ISNI`, `RINGGOLD`, ...
    pub source: String,
    /// The identifier as written, e.g. `0000-0002-1825-0097` (sometimes as a URL or without hyphens).
    pub value: String,
}

/// `AffiliationInfo`: one affiliation of an author or investigator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Affiliation {
    /// `Affiliation`: the institution and address as published.
    pub text: Rich,
    /// `Identifier`s of the institution (`GRID`, `ISNI`, `ROR`...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
}

/// `PersonalNameSubject`: a person an article is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    /// `LastName`.
    pub last_name: String,
    /// `ForeName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fore_name: Option<String>,
    /// `Initials`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    /// `Suffix`, e.g. `Jr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

/// `DataBankList`: the databases where an article's data are deposited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataBankList {
    /// `CompleteYN`: false when NLM recorded only some of them.
    pub complete: bool,
    /// The `DataBank`s.
    pub databanks: Vec<DataBank>,
}

/// `DataBank`: one database and the article's accession numbers in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataBank {
    /// `DataBankName`, e.g. `GENBANK`, `ClinicalTrials.gov`.
    pub name: String,
    /// `AccessionNumberList`: e.g. `NCT01234567`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accession_numbers: Vec<String>,
}

/// `GrantList`: the grants and contracts that funded the work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantList {
    /// `CompleteYN`: false when NLM recorded only some of them.
    pub complete: bool,
    /// The `Grant`s.
    pub grants: Vec<Grant>,
}

/// `Grant`: one grant or contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// `GrantID`: the grant's number, e.g. `R01 GM115388`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_id: Option<String>,
    /// `Acronym`: the funding institute's two-letter code, e.g. `GM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    /// `Agency`: the funder, e.g. `NIGMS NIH HHS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// `Country`: the funder's country, e.g. `United States`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// `PublicationType`: a kind of publication, e.g. `Journal Article`, `Review`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationType {
    /// The type's name.
    pub name: String,
    /// `UI`: the type's MeSH unique ID, e.g. `D016428`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<String>,
}

/// `ArticleDate`: the date an article was published electronically (its `DateType` is always
/// `Electronic` in NLM's data, so it is not kept).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDate {
    /// Its `Year`, `Month` and `Day`.
    pub date: Date,
}

/// `MedlineJournalInfo`: NLM's catalogue data for a journal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedlineJournalInfo {
    /// `Country`: where the journal is published, e.g. `England`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `MedlineTA`: NLM's title abbreviation, e.g. `J Med Case Rep` (MEDLINE's `TA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medline_ta: Option<String>,
    /// `NlmUniqueID`: the journal's NLM Catalog ID, e.g. `101293382`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlm_unique_id: Option<String>,
    /// `ISSNLinking`: the ISSN that links the journal's print and electronic editions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issn_linking: Option<String>,
}

/// `Chemical`: a substance an article discusses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chemical {
    /// `RegistryNumber`: a CAS, EC or UNII number, or `0` when there is none.
    pub registry_number: String,
    /// `NameOfSubstance`: the substance's MeSH name.
    pub name: String,
    /// `NameOfSubstance@UI`: its MeSH unique ID (a `D` descriptor or a `C` supplementary concept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<String>,
}

/// `SupplMeshName`: a MeSH supplementary concept (a rare disease, a protocol, an organism...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplMeshName {
    /// The concept's name.
    pub name: String,
    /// `UI`: its MeSH unique ID, e.g. `C000657245`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<String>,
    /// `Disease`, `Protocol`, `Organism`, `Anatomy` or `Population`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppl_type: Option<String>,
}

/// `CommentsCorrections` (before 2005, an element named by its type): a link to a related item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentsCorrections {
    /// `CommentIn`, `ErratumFor`, `RetractionIn`, `Cites`, ...
    pub ref_type: String,
    /// `RefSource`: a short citation of the related item, e.g. `Lancet. 2017 Jul 1;390(10089):23`.
    pub ref_source: String,
    /// `PMID`: the related item's PMID, when it is in PubMed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmid: Option<Pmid>,
    /// `Note`: a remark on the link (rare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `MeshHeading`: a MeSH descriptor with its qualifiers (subheadings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshHeading {
    /// `DescriptorName`: the heading.
    pub descriptor: MeshTerm,
    /// `QualifierName`s (`SubHeading`s before 2002) that narrow it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<MeshTerm>,
}

/// A `DescriptorName` or `QualifierName`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshTerm {
    /// The term, e.g. `Humans` or `drug therapy`.
    pub name: String,
    /// `UI`: its MeSH unique ID, e.g. `D006801`, `Q000188`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<String>,
    /// `MajorTopicYN`: whether it is a major topic of the article (starred in MEDLINE).
    pub major: bool,
    /// `Geographic` for place names (descriptors only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor_type: Option<String>,
    /// Set when MeSH terms were assigned automatically (`AutoHM="Y"`, DTD 2025).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_hm: bool,
}

/// `OtherID`: an identifier given by another source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherId {
    /// `Source`: who gave it, e.g. `NLM` (PMCIDs), `NASA`, `KIE`, `PIP`.
    pub source: String,
    /// The identifier, e.g. `PMC5341234`.
    pub value: String,
}

/// `KeywordList`: the keywords one owner gave an article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeywordList {
    /// `NLM`, `NOTNLM`, `PIP`, ...
    pub owner: String,
    /// The `Keyword`s, in order.
    pub keywords: Vec<Keyword>,
}

/// `Keyword`: one keyword or phrase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Keyword {
    /// The keyword's text.
    pub text: Rich,
    /// `MajorTopicYN`: whether it names a major topic of the article.
    pub major: bool,
}

/// `GeneralNote`: a free-text remark on a record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneralNote {
    /// `Owner`: who wrote it: `NLM` (the default), `NASA`, `PIP`, `KIE`, `HSR` or `HMD`.
    pub owner: String,
    /// The note's text.
    pub text: String,
}

/// `PubmedData` (and `PubmedBookData`): PubMed's own processing data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PubmedData {
    /// `History`: the record's `PubMedPubDate`s, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryDate>,
    /// `PublicationStatus`: `ppublish`, `epublish` or `aheadofprint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_status: Option<String>,
    /// `ArticleIdList`: the record's identifiers (PMID, DOI, PMCID, PII...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_ids: Vec<ArticleId>,
    /// `ObjectList`: typed objects attached to the record (rare).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<Object>,
    /// `ReferenceList`s: the works the article cites.
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
    /// `PubStatus`: which event the date records.
    pub status: String,
    /// The date; PubMed's own stamps (`pubmed`, `entrez`, `medline`) carry hour and minute.
    pub date: Date,
}

/// `ArticleId`: one identifier of an article or a cited work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleId {
    /// `pubmed`, `doi`, `pii`, `pmc`, `mid`, ...
    pub id_type: String,
    /// The identifier, e.g. `28260531`, `10.1136/x`, `PMC5341234`.
    pub value: String,
}

/// `Object`: a typed object attached to a record, described by parameters (rare).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Object {
    /// `Type`: the kind of object.
    pub object_type: String,
    /// `Param`s: the object's named values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
}

/// `Param`: one named value of an `Object`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// `Name`: the parameter's name.
    pub name: String,
    /// The parameter's value.
    pub value: Rich,
}

/// `ReferenceList`: the cited works, possibly titled and nested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceList {
    /// `Title`: the list's heading, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `Reference`s: the cited works, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// Nested `ReferenceList`s (kept to a depth of 16).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<ReferenceList>,
}

/// `Reference`: one cited work.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// `Citation`: the reference as the publisher wrote it.
    pub citation: Rich,
    /// `ArticleIdList`: the work's PMID, DOI or PMCID, when known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_ids: Vec<ArticleId>,
}

/// `BookDocument`: a book, or a chapter of one (NCBI Bookshelf records).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BookDocument {
    /// `PMID`: the record's identifier.
    pub pmid: Pmid,
    /// `ArticleIdList`: e.g. the Bookshelf accession `NBK1116`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_ids: Vec<ArticleId>,
    /// `Book`: the book, or for a chapter the book it is in.
    pub book: Book,
    /// `LocationLabel`s: where a chapter sits in its book.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location_labels: Vec<LocationLabel>,
    /// `ArticleTitle`: the chapter's title; `None` for a whole book.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_title: Option<Rich>,
    /// The Bookshelf locator attributes of `ArticleTitle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_title_link: Option<BookLink>,
    /// `VernacularTitle`: the title in its original language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vernacular_title: Option<Rich>,
    /// `Pagination`: the chapter's pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// `Language`s: NLM's three-letter codes, e.g. `eng`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// `AuthorList`s of the chapter or book (authors, or editors by `Type`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author_lists: Vec<AuthorList>,
    /// `InvestigatorList`: people credited beside the authors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigator_list: Option<InvestigatorList>,
    /// `PublicationType`s, e.g. `Review`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publication_types: Vec<PublicationType>,
    /// `Abstract`: the document's abstract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstract_: Option<Abstract>,
    /// `Sections`: the document's table of contents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// `KeywordList`s: keywords, each list with its owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyword_lists: Vec<KeywordList>,
    /// `ContributionDate`: when the chapter was contributed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution_date: Option<PubDate>,
    /// `DateRevised`: when the document was last revised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_revised: Option<Date>,
    /// `GrantList`: the grants that funded the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grants: Option<GrantList>,
    /// `ItemList`s: typed lists of items, such as a chapter's tables or figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_lists: Vec<ItemList>,
    /// `ReferenceList`s: the works the document cites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_lists: Vec<ReferenceList>,
}

/// `Book`: the bibliographic data of a book.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Book {
    /// `Publisher/PublisherName`, e.g. `University of Washington, Seattle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_name: Option<Rich>,
    /// `Publisher/PublisherLocation`, e.g. `Seattle (WA)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_location: Option<String>,
    /// `BookTitle`, e.g. `GeneReviews™`.
    pub title: Rich,
    /// The Bookshelf locator attributes of `BookTitle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_link: Option<BookLink>,
    /// `PubDate`: the book's publication date.
    #[serde(default)]
    pub pub_date: PubDate,
    /// `BeginningDate`: when a book published over time (a database) began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beginning_date: Option<PubDate>,
    /// `EndingDate`: when it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending_date: Option<PubDate>,
    /// `AuthorList`s: the book's authors or editors (by `Type`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author_lists: Vec<AuthorList>,
    /// `InvestigatorList`: people credited beside the authors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigator_list: Option<InvestigatorList>,
    /// `Volume`, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// `VolumeTitle`: the title of that volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_title: Option<Rich>,
    /// `Edition`, as written, e.g. `2nd`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// `CollectionTitle`: the series the book belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_title: Option<Rich>,
    /// The Bookshelf locator attributes of `CollectionTitle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_title_link: Option<BookLink>,
    /// `Isbn`s, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub isbns: Vec<String>,
    /// `ELocationID`s: the book's DOI or publisher item identifier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elocation_ids: Vec<ELocationId>,
    /// `Medium`: how the book is published, e.g. `Internet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// `ReportNumber`: a technical report's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_number: Option<String>,
}

/// `LocationLabel`: a label placing a part in its book, e.g. a chapter number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationLabel {
    /// `Type`: `part`, `chapter`, `section`, `appendix`, `figure`, `table` or `box`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_type: Option<String>,
    /// The label as written.
    pub value: String,
}

/// `Section`: one entry of a book document's table of contents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// `LocationLabel`: the section's number or label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_label: Option<LocationLabel>,
    /// `SectionTitle`.
    pub title: Rich,
    /// The Bookshelf locator attributes of `SectionTitle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_link: Option<BookLink>,
    /// Nested `Section`s (kept to a depth of 16).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

/// `ItemList`: a typed list of items in a book document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemList {
    /// `ListType`: the kind of list.
    pub list_type: String,
    /// The `Item`s' texts, in order.
    pub items: Vec<String>,
}
