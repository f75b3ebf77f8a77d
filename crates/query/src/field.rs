//! PubMed's field tags: every short and long name a user may type, and the name PubMed's
//! translation ("Search details") prints.

/// A searchable field, as the query language names it (not how an index stores it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `[all]`: All Fields.
    All,
    /// `[ti]`: Title.
    Title,
    /// `[tiab]`: Title/Abstract.
    TitleAbstract,
    /// `[ab]`: not an official PubMed tag; Medlars accepts it as the abstract alone.
    Abstract,
    /// `[tw]`: Text Word.
    TextWord,
    /// `[ot]`: Other Term.
    OtherTerm,
    /// `[au]`: Author.
    Author,
    /// `[fau]`: Author - Full.
    AuthorFull,
    /// `[1au]`: Author - First.
    FirstAuthor,
    /// `[lastau]`: Author - Last.
    LastAuthor,
    /// `[cn]`: Corporate Author.
    Corporate,
    /// `[auid]`: Author - Identifier.
    AuthorId,
    /// `[ir]`: Investigator.
    Investigator,
    /// `[fir]`: Investigator - Full.
    InvestigatorFull,
    /// `[ed]`: Editor.
    Editor,
    /// `[ad]`: Affiliation.
    Affiliation,
    /// `[mh]`: MeSH Terms.
    Mesh,
    /// `[majr]`: MeSH Major Topic.
    MeshMajor,
    /// `[sh]`: MeSH Subheading.
    Subheading,
    /// `[nm]`: Supplementary Concept.
    SupplementaryConcept,
    /// `[rn]`: EC/RN Number.
    RegistryNumber,
    /// `[pa]`: Pharmacological Action.
    PharmacologicalAction,
    /// `[pt]`: Publication Type.
    PublicationType,
    /// `[la]`: Language.
    Language,
    /// `[dp]`: Date - Publication.
    DatePublication,
    /// `[edat]`: Date - Entry.
    DateEntry,
    /// `[crdt]`: Date - Create.
    DateCreate,
    /// `[mhda]`: Date - MeSH.
    DateMesh,
    /// `[lr]`: Date - Modification.
    DateModification,
    /// `[dcom]`: Date - Completion.
    DateCompletion,
    /// `[ta]`: Journal.
    Journal,
    /// `[jid]`: NLM Unique ID.
    NlmId,
    /// `[vi]`: Volume.
    Volume,
    /// `[ip]`: Issue.
    Issue,
    /// `[pg]`: Pagination.
    Pagination,
    /// `[pmid]`: UID.
    Pmid,
    /// `[aid]`: Article Identifier.
    ArticleId,
    /// `[lid]`: Location ID.
    LocationId,
    /// `[pmcid]`: PMCID.
    Pmcid,
    /// `[si]`: Secondary Source ID.
    SecondarySourceId,
    /// `[gr]`: Grants and Funding.
    Grant,
    /// `[ps]`: Subject - Personal Name.
    PersonalName,
    /// `[cois]`: Conflict of Interest Statements.
    ConflictOfInterest,
    /// `[pl]`: Place of Publication.
    Place,
    /// `[tt]`: Transliterated Title.
    TransliteratedTitle,
    /// `[sb]`: Filter.
    Filter,
    /// `[isbn]`: ISBN.
    Isbn,
    /// `[pubn]`: Publisher.
    Publisher,
    /// `[book]`: Book.
    Book,
}

/// Every field with its tags (lower case; the first is the short tag) and its display name.
/// Each field: its tags (the first is the short one), the name PubMed's translation prints, and
/// NCBI's short name for it in EInfo (`TITL`, `MESH`, ...).
const FIELDS: &[(Field, &[&str], &str, &str)] = &[
    (Field::All, &["all", "all fields"], "All Fields", "ALL"),
    (Field::Title, &["ti", "title"], "Title", "TITL"),
    (Field::TitleAbstract, &["tiab", "title/abstract"], "Title/Abstract", "TIAB"),
    (Field::Abstract, &["ab", "abstract"], "Abstract", "AB"),
    (Field::TextWord, &["tw", "text word", "text words", "textword"], "Text Word", "WORD"),
    (Field::OtherTerm, &["ot", "other term", "other terms"], "Other Term", "OTRM"),
    (Field::Author, &["au", "author", "auth", "authors"], "Author", "AUTH"),
    (Field::AuthorFull, &["fau", "author - full", "full author name"], "Author - Full", "FULL"),
    (Field::FirstAuthor, &["1au", "author - first", "first author", "first author name"], "Author - First", "FAUT"),
    (Field::LastAuthor, &["lastau", "author - last", "last author", "last author name"], "Author - Last", "LAUT"),
    (Field::Corporate, &["cn", "corporate author", "author - corporate"], "Corporate Author", "COLN"),
    (Field::AuthorId, &["auid", "author - identifier", "author identifier"], "Author - Identifier", "AUID"),
    (Field::Investigator, &["ir", "investigator"], "Investigator", "INVR"),
    (Field::InvestigatorFull, &["fir", "investigator - full", "full investigator name"], "Investigator - Full", "FINV"),
    (Field::Editor, &["ed", "editor"], "Editor", "ED"),
    (Field::Affiliation, &["ad", "affiliation", "affl"], "Affiliation", "AFFL"),
    (Field::Mesh, &["mh", "mesh", "mesh terms", "mesh term", "mesh headings"], "MeSH Terms", "MESH"),
    (Field::MeshMajor, &["majr", "mj", "mesh major topic", "mesh major"], "MeSH Major Topic", "MAJR"),
    (Field::Subheading, &["sh", "subheading", "mesh subheading", "subheadings"], "MeSH Subheading", "SUBH"),
    (Field::SupplementaryConcept, &["nm", "supplementary concept", "substance name"], "Supplementary Concept", "SUBS"),
    (Field::RegistryNumber, &["rn", "ec/rn number", "registry number"], "EC/RN Number", "ECNO"),
    (Field::PharmacologicalAction, &["pa", "pharmacological action"], "Pharmacological Action", "PAPX"),
    (Field::PublicationType, &["pt", "publication type"], "Publication Type", "PTYP"),
    (Field::Language, &["la", "language"], "Language", "LANG"),
    (Field::DatePublication, &["dp", "pdat", "publication date", "date - publication"], "Date - Publication", "PDAT"),
    (Field::DateEntry, &["edat", "entrez date", "date - entry", "entry date"], "Date - Entry", "EDAT"),
    (Field::DateCreate, &["crdt", "create date", "date - create"], "Date - Create", "CRDT"),
    (Field::DateMesh, &["mhda", "mesh date", "date - mesh"], "Date - MeSH", "MHDA"),
    (
        Field::DateModification,
        &["lr", "mdat", "modification date", "date - modification"],
        "Date - Modification",
        "MDAT",
    ),
    (Field::DateCompletion, &["dcom", "completion date", "date - completion"], "Date - Completion", "CDAT"),
    (Field::Journal, &["ta", "jour", "journal", "journal title"], "Journal", "JOUR"),
    (Field::NlmId, &["jid", "nlm unique id"], "NLM Unique ID", "JID"),
    (Field::Volume, &["vi", "volume"], "Volume", "VOL"),
    (Field::Issue, &["ip", "issue"], "Issue", "ISS"),
    (Field::Pagination, &["pg", "pagination", "page"], "Pagination", "PAGE"),
    (Field::Pmid, &["pmid", "uid", "pubmed id"], "UID", "UID"),
    (Field::ArticleId, &["aid", "doi", "article identifier"], "Article Identifier", "AID"),
    (Field::LocationId, &["lid", "location id"], "Location ID", "LID"),
    (Field::Pmcid, &["pmcid", "pmc"], "PMCID", "PMCID"),
    (Field::SecondarySourceId, &["si", "secondary source id"], "Secondary Source ID", "SI"),
    (Field::Grant, &["gr", "grant number", "grants and funding", "grant"], "Grants and Funding", "GRNT"),
    (
        Field::PersonalName,
        &["ps", "personal name as subject", "subject - personal name"],
        "Subject - Personal Name",
        "PS",
    ),
    (
        Field::ConflictOfInterest,
        &["cois", "conflict of interest statements", "conflict of interest"],
        "Conflict of Interest Statements",
        "COIS",
    ),
    (Field::Place, &["pl", "place of publication"], "Place of Publication", "CNTY"),
    (Field::TransliteratedTitle, &["tt", "transliterated title"], "Transliterated Title", "TT"),
    (Field::Filter, &["sb", "filter", "subset"], "Filter", "FILT"),
    (Field::Isbn, &["isbn"], "ISBN", "ISBN"),
    (Field::Publisher, &["pubn", "publisher"], "Publisher", "PUBN"),
    (Field::Book, &["book"], "Book", "BOOK"),
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
        FIELDS.iter().find(|(_, tags, ..)| tags.contains(&tag.as_str())).map(|(f, ..)| *f)
    }

    /// The field a misspelt tag nearly names (`[Title/Abstracts]`, `[Mesh Heading]`): spaces,
    /// hyphens and case aside, one edit away from a tag of four or more letters, two from one of
    /// eight or more, and nearer to it than to any other.
    pub fn nearest_tag(typed: &str) -> Option<Field> {
        let squeeze = |s: &str| {
            s.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).flat_map(char::to_lowercase).collect::<String>()
        };
        let typed: Vec<char> = squeeze(typed).chars().collect();
        let mut best: Option<(usize, Field)> = None;
        let mut tied = false;
        for (field, tags, ..) in FIELDS {
            for tag in tags.iter().map(|t| squeeze(t).chars().collect::<Vec<char>>()) {
                let allowed = match tag.len() {
                    0..4 => 0,
                    4..8 => 1,
                    _ => 2,
                };
                let distance = edit_distance(&typed, &tag);
                if distance > allowed {
                    continue;
                }
                match best {
                    Some((d, f)) if d == distance && f != *field => tied = true,
                    Some((d, _)) if d <= distance => {}
                    _ => {
                        best = Some((distance, *field));
                        tied = false;
                    }
                }
            }
        }
        best.filter(|_| !tied).map(|(_, f)| f)
    }

    /// The name PubMed's query translation prints, e.g. `MeSH Terms`.
    pub fn display(self) -> &'static str {
        self.row().2
    }

    /// The short tag, e.g. `mh`.
    pub fn tag(self) -> &'static str {
        self.row().1[0]
    }

    /// NCBI's short name for it in EInfo, e.g. `MESH`.
    pub fn ncbi_name(self) -> &'static str {
        self.row().3
    }

    fn row(self) -> &'static (Field, &'static [&'static str], &'static str, &'static str) {
        FIELDS.iter().find(|(f, ..)| *f == self).expect("every field is in the table")
    }

    /// How its terms are matched: as words, as whole values, or as dates.
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

    /// Every field, in the table's order.
    pub fn all() -> impl Iterator<Item = Field> {
        FIELDS.iter().map(|(f, ..)| *f)
    }
}

/// Edits (insertions, deletions, substitutions) between two words: for misspelt tags here and
/// ESpell's suggestions.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
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
        let names: std::collections::HashSet<&str> = Field::all().map(Field::ncbi_name).collect();
        assert_eq!(names.len(), Field::all().count(), "one NCBI name per field");
        assert_eq!(Field::Mesh.ncbi_name(), "MESH");
        assert_eq!(Field::nearest_tag("Mesh Heading"), Some(Field::Mesh));
        assert_eq!(Field::nearest_tag("tiabb"), Some(Field::TitleAbstract));
        assert_eq!(Field::nearest_tag("xyz"), None);
        assert_eq!(Field::nearest_tag("kw"), None, "short tags are not guessed");
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!((d("biopythooon", "biopython"), d("asthma", "asthma"), d("kitten", "sitting")), (2, 0, 3));
    }
}
