//! The orders search results can be listed in.

/// The order of search results. Ties are always broken by the higher PMID first, so two archives
/// built from the same files list the same hits in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sort {
    /// Best match first: BM25 over the fields, weighted toward recent work and strong study types.
    #[default]
    Relevance,
    /// Newest publication date first.
    PubDate,
    /// Most recently added to PubMed first.
    EntryDate,
    FirstAuthor,
    LastAuthor,
    Journal,
    Title,
}

impl Sort {
    /// PubMed's names for the sorts, as the web and E-utilities clients send them.
    pub fn parse(name: &str) -> Option<Sort> {
        Some(match name.trim().to_ascii_lowercase().replace(['_', '+', '-'], " ").as_str() {
            "relevance" | "best match" | "" => Sort::Relevance,
            "pub date" | "pubdate" | "publication date" | "date" => Sort::PubDate,
            "most recent" | "recently added" | "entry date" | "recent" => Sort::EntryDate,
            "first author" | "author" | "fauth" => Sort::FirstAuthor,
            "last author" | "lauth" => Sort::LastAuthor,
            "journal" | "journalname" | "journal name" | "jour" => Sort::Journal,
            "title" => Sort::Title,
            _ => return None,
        })
    }

    /// The fast field holding the sort's key, for every sort but relevance.
    pub(crate) fn field(self) -> Option<&'static str> {
        Some(match self {
            Sort::Relevance => return None,
            Sort::PubDate => "sort_pubdate",
            Sort::EntryDate => "sort_entry",
            Sort::FirstAuthor => "sort_first_author",
            Sort::LastAuthor => "sort_last_author",
            Sort::Journal => "sort_journal",
            Sort::Title => "sort_title",
        })
    }

    /// Dates sort newest first; names and titles alphabetically.
    pub(crate) fn by_date(self) -> bool {
        matches!(self, Sort::PubDate | Sort::EntryDate)
    }
}
