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
    /// By the first author's name.
    FirstAuthor,
    /// By the last author's name.
    LastAuthor,
    /// By the journal's abbreviation.
    Journal,
    /// By the title.
    Title,
}

/// Every sort's names, the one table of them: the token of PubMed's web URLs (`sort=date`), the
/// label PubMed's page shows, and the other names clients send (NCBI's documented E-utilities
/// values, EDirect's and the web's display names, the CLI's). Names are read case-insensitively,
/// with `_`, `+` and `-` as spaces. PubMed's `date` is "Most recent": the date a record was added.
const NAMES: [(Sort, &str, &str, &[&str]); 7] = [
    (Sort::Relevance, "", "Best match", &["relevance", "best match"]),
    (Sort::EntryDate, "date", "Most recent", &["most recent", "recently added", "entry date", "recent"]),
    (Sort::PubDate, "pubdate", "Publication date", &["pub date", "publication date"]),
    (Sort::FirstAuthor, "fauth", "First author", &["first author", "author"]),
    (Sort::LastAuthor, "lauth", "Last author", &["last author"]),
    (Sort::Journal, "jour", "Journal", &["journal", "journalname", "journal name"]),
    (Sort::Title, "title", "Title", &["title"]),
];

impl Sort {
    /// Every sort, in the order PubMed's page offers them.
    pub fn all() -> impl Iterator<Item = Sort> {
        NAMES.iter().map(|(sort, ..)| *sort)
    }

    /// The sort any of its names stands for (see [`NAMES`]); `""` is relevance.
    pub fn from_name(name: &str) -> Option<Sort> {
        let name = name.trim().to_ascii_lowercase().replace(['_', '+', '-'], " ");
        NAMES.iter().find(|(_, web, _, others)| *web == name || others.contains(&name.as_str())).map(|(sort, ..)| *sort)
    }

    /// Its token in PubMed's web URLs (`sort=`); `""` for relevance, the default.
    pub fn web_name(self) -> &'static str {
        self.row().1
    }

    /// What PubMed's page calls it.
    pub fn label(self) -> &'static str {
        self.row().2
    }

    fn row(self) -> &'static (Sort, &'static str, &'static str, &'static [&'static str]) {
        NAMES.iter().find(|(sort, ..)| *sort == self).expect("every sort has names")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sort_is_found_by_each_of_its_names() {
        for sort in Sort::all() {
            assert_eq!(Sort::from_name(sort.web_name()), Some(sort));
            assert_eq!(Sort::from_name(sort.label()), Some(sort), "{}", sort.label());
        }
        assert_eq!(Sort::all().count(), NAMES.len());
        // PubMed's own meanings: `date` is "Most recent" (the date added), `pubdate` publication.
        assert_eq!(Sort::from_name("date"), Some(Sort::EntryDate));
        assert_eq!(Sort::from_name("pub_date"), Some(Sort::PubDate));
        assert_eq!(Sort::from_name("Most+Recent"), Some(Sort::EntryDate));
        assert_eq!(Sort::from_name("JournalName"), Some(Sort::Journal));
        assert_eq!(Sort::from_name("sideways"), None);
    }
}
