//! PubMed's field tags: every short and long name a user may type, and the name PubMed's
//! translation ("Search details") prints.

/// A searchable field, as the query language names it (not how an index stores it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    All,
    Title,
    TitleAbstract,
    /// `[ab]`: not an official PubMed tag; Medlars accepts it as the abstract alone.
    Abstract,
    TextWord,
    OtherTerm,
    Author,
    AuthorFull,
    FirstAuthor,
    LastAuthor,
    Corporate,
    AuthorId,
    Investigator,
    InvestigatorFull,
    Editor,
    Affiliation,
    Mesh,
    MeshMajor,
    Subheading,
    SupplementaryConcept,
    RegistryNumber,
    PharmacologicalAction,
    PublicationType,
    Language,
    DatePublication,
    DateEntry,
    DateCreate,
    DateMesh,
    DateModification,
    DateCompletion,
    Journal,
    NlmId,
    Volume,
    Issue,
    Pagination,
    Pmid,
    ArticleId,
    LocationId,
    Pmcid,
    SecondarySourceId,
    Grant,
    PersonalName,
    ConflictOfInterest,
    Place,
    TransliteratedTitle,
    Filter,
    Isbn,
    Publisher,
    Book,
}

/// Every field with its tags (lower case; the first is the short tag) and its display name.
const FIELDS: &[(Field, &[&str], &str)] = &[
    (Field::All, &["all", "all fields"], "All Fields"),
    (Field::Title, &["ti", "title"], "Title"),
    (Field::TitleAbstract, &["tiab", "title/abstract"], "Title/Abstract"),
    (Field::Abstract, &["ab", "abstract"], "Abstract"),
    (Field::TextWord, &["tw", "text word", "text words", "textword"], "Text Word"),
    (Field::OtherTerm, &["ot", "other term", "other terms"], "Other Term"),
    (Field::Author, &["au", "author", "auth", "authors"], "Author"),
    (Field::AuthorFull, &["fau", "author - full", "full author name"], "Author - Full"),
    (Field::FirstAuthor, &["1au", "author - first", "first author", "first author name"], "Author - First"),
    (Field::LastAuthor, &["lastau", "author - last", "last author", "last author name"], "Author - Last"),
    (Field::Corporate, &["cn", "corporate author", "author - corporate"], "Corporate Author"),
    (Field::AuthorId, &["auid", "author - identifier", "author identifier"], "Author - Identifier"),
    (Field::Investigator, &["ir", "investigator"], "Investigator"),
    (Field::InvestigatorFull, &["fir", "investigator - full", "full investigator name"], "Investigator - Full"),
    (Field::Editor, &["ed", "editor"], "Editor"),
    (Field::Affiliation, &["ad", "affiliation", "affl"], "Affiliation"),
    (Field::Mesh, &["mh", "mesh", "mesh terms", "mesh term", "mesh headings"], "MeSH Terms"),
    (Field::MeshMajor, &["majr", "mj", "mesh major topic", "mesh major"], "MeSH Major Topic"),
    (Field::Subheading, &["sh", "subheading", "mesh subheading", "subheadings"], "MeSH Subheading"),
    (Field::SupplementaryConcept, &["nm", "supplementary concept", "substance name"], "Supplementary Concept"),
    (Field::RegistryNumber, &["rn", "ec/rn number", "registry number"], "EC/RN Number"),
    (Field::PharmacologicalAction, &["pa", "pharmacological action"], "Pharmacological Action"),
    (Field::PublicationType, &["pt", "publication type"], "Publication Type"),
    (Field::Language, &["la", "language"], "Language"),
    (Field::DatePublication, &["dp", "pdat", "publication date", "date - publication"], "Date - Publication"),
    (Field::DateEntry, &["edat", "entrez date", "date - entry", "entry date"], "Date - Entry"),
    (Field::DateCreate, &["crdt", "create date", "date - create"], "Date - Create"),
    (Field::DateMesh, &["mhda", "mesh date", "date - mesh"], "Date - MeSH"),
    (Field::DateModification, &["lr", "mdat", "modification date", "date - modification"], "Date - Modification"),
    (Field::DateCompletion, &["dcom", "completion date", "date - completion"], "Date - Completion"),
    (Field::Journal, &["ta", "jour", "journal", "journal title"], "Journal"),
    (Field::NlmId, &["jid", "nlm unique id"], "NLM Unique ID"),
    (Field::Volume, &["vi", "volume"], "Volume"),
    (Field::Issue, &["ip", "issue"], "Issue"),
    (Field::Pagination, &["pg", "pagination", "page"], "Pagination"),
    (Field::Pmid, &["pmid", "uid", "pubmed id"], "UID"),
    (Field::ArticleId, &["aid", "doi", "article identifier"], "Article Identifier"),
    (Field::LocationId, &["lid", "location id"], "Location ID"),
    (Field::Pmcid, &["pmcid", "pmc"], "PMCID"),
    (Field::SecondarySourceId, &["si", "secondary source id"], "Secondary Source ID"),
    (Field::Grant, &["gr", "grant number", "grants and funding", "grant"], "Grants and Funding"),
    (Field::PersonalName, &["ps", "personal name as subject", "subject - personal name"], "Subject - Personal Name"),
    (
        Field::ConflictOfInterest,
        &["cois", "conflict of interest statements", "conflict of interest"],
        "Conflict of Interest Statements",
    ),
    (Field::Place, &["pl", "place of publication"], "Place of Publication"),
    (Field::TransliteratedTitle, &["tt", "transliterated title"], "Transliterated Title"),
    (Field::Filter, &["sb", "filter", "subset"], "Filter"),
    (Field::Isbn, &["isbn"], "ISBN"),
    (Field::Publisher, &["pubn", "publisher"], "Publisher"),
    (Field::Book, &["book"], "Book"),
];

/// What kind of values a field holds, which decides how its terms are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Words of running text: phrases, truncation and proximity apply.
    Text,
    /// Whole values (names, identifiers, MeSH headings), matched as a whole, case-insensitively.
    Exact,
    /// Dates and date ranges.
    Date,
}

impl Field {
    /// The field a tag names, ignoring case and surrounding spaces.
    pub fn from_tag(tag: &str) -> Option<Field> {
        let tag = tag.trim().to_ascii_lowercase();
        FIELDS.iter().find(|(_, tags, _)| tags.contains(&tag.as_str())).map(|(f, _, _)| *f)
    }

    /// The name PubMed's query translation prints, e.g. `MeSH Terms`.
    pub fn display(self) -> &'static str {
        FIELDS.iter().find(|(f, _, _)| *f == self).map(|(_, _, d)| *d).expect("every field is in the table")
    }

    /// The short tag, e.g. `mh`.
    pub fn tag(self) -> &'static str {
        FIELDS.iter().find(|(f, _, _)| *f == self).map(|(_, t, _)| t[0]).expect("every field is in the table")
    }

    pub fn kind(self) -> FieldKind {
        use Field::*;
        match self {
            All | Title | TitleAbstract | Abstract | TextWord | OtherTerm | Affiliation | ConflictOfInterest
            | TransliteratedTitle | Book | Publisher => FieldKind::Text,
            DatePublication | DateEntry | DateCreate | DateMesh | DateModification | DateCompletion => FieldKind::Date,
            _ => FieldKind::Exact,
        }
    }

    /// Fields where `[tag:~N]` proximity is allowed.
    pub fn allows_proximity(self) -> bool {
        matches!(self, Field::Title | Field::TitleAbstract | Field::Abstract | Field::Affiliation)
    }

    /// Fields where `:noexp` has a meaning (they explode by default).
    pub fn explodes(self) -> bool {
        matches!(self, Field::Mesh | Field::MeshMajor | Field::Subheading | Field::PublicationType)
    }

    pub fn all() -> impl Iterator<Item = Field> {
        FIELDS.iter().map(|(f, _, _)| *f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_short_and_long() {
        assert_eq!(Field::from_tag("TIAB"), Some(Field::TitleAbstract));
        assert_eq!(Field::from_tag("Title/Abstract"), Some(Field::TitleAbstract));
        assert_eq!(Field::from_tag(" MeSH Terms "), Some(Field::Mesh));
        assert_eq!(Field::from_tag("kw"), None);
        for f in Field::all() {
            assert_eq!(Field::from_tag(f.tag()), Some(f));
            assert_eq!(Field::from_tag(f.display()).unwrap_or(f), f, "{f:?}");
        }
    }
}
