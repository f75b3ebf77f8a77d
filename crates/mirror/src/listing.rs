//! NLM's directory listings: the `pubmedYYnNNNN.xml.gz` files they link, in publication order.

use crate::MirrorError;

/// The two directories of NLM's PubMed tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directory {
    /// `baseline/`: the year's files, every citation once.
    Baseline,
    /// `updatefiles/`: the daily files since, adding, revising and deleting.
    Updates,
}

impl Directory {
    /// The directory's path below the base URL, with its trailing slash.
    pub fn path(self) -> &'static str {
        match self {
            Directory::Baseline => "baseline/",
            Directory::Updates => "updatefiles/",
        }
    }
}

/// One of NLM's files, `pubmed26n0001.xml.gz`: the baseline's year (26) and the file's number.
/// Update files continue the baseline's numbering, so the number orders every file of a year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NlmFile {
    /// The baseline's year, two digits (`26`).
    pub year: u8,
    /// The file's number (`0001`), continued by the update files.
    pub number: u32,
    /// The file's name as listed.
    pub name: String,
    /// The size the listing gives beside the link (`19M`), when it gives one.
    pub listed_bytes: Option<u64>,
}

impl NlmFile {
    /// The file a name denotes, when it is exactly `pubmedYYnNNNN.xml.gz` (four or more digits).
    pub fn from_name(name: &str) -> Option<NlmFile> {
        let rest = name.strip_prefix("pubmed")?.strip_suffix(".xml.gz")?;
        let (year, number) = rest.split_once('n')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 2 || !digits(year) || number.len() < 4 || !digits(number) {
            return None;
        }
        Some(NlmFile {
            year: year.parse().ok()?,
            number: number.parse().ok()?,
            name: name.to_owned(),
            listed_bytes: None,
        })
    }
}

/// The files an HTML index links to, sorted and without repeats, with the sizes it shows. A
/// listing that links none is refused: an empty page, a login page or another site's index all
/// look like that.
pub fn files_listed(html: &str, url: &str) -> Result<Vec<NlmFile>, MirrorError> {
    let mut files: Vec<NlmFile> = links(html)
        .filter_map(|(href, after)| {
            let mut file = NlmFile::from_name(href.rsplit('/').next().unwrap_or(href))?;
            file.listed_bytes = listed_size(after);
            Some(file)
        })
        .collect();
    files.sort();
    files.dedup_by(|a, b| a.name == b.name);
    if files.is_empty() {
        return Err(MirrorError::ForeignListing { url: url.to_owned() });
    }
    Ok(files)
}

/// The values of the `href` attributes of a page, quoted or not, each with the page's text
/// after it (up to the next link).
fn links(html: &str) -> impl Iterator<Item = (&str, &str)> {
    html.match_indices("href=").filter_map(move |(at, found)| {
        let value = &html[at + found.len()..];
        let href = match value.chars().next()? {
            quote @ ('"' | '\'') => value[1..].split(quote).next()?,
            _ => value.split(|c: char| c.is_whitespace() || c == '>').next()?,
        };
        Some((href, value.split("href=").next().unwrap_or("")))
    })
}

/// The size an Apache-style index prints after a link's closing tag and date (`19M`, `4.0K`,
/// `1.2G`, or bytes), on the link's line.
fn listed_size(after: &str) -> Option<u64> {
    let line = after.split_once("</a>")?.1.lines().next()?;
    let token = line.split('<').next()?.split_whitespace().last()?;
    let (number, unit) = match token.char_indices().last()? {
        (i, 'K' | 'k') => (&token[..i], 1u64 << 10),
        (i, 'M') => (&token[..i], 1 << 20),
        (i, 'G') => (&token[..i], 1 << 30),
        (i, 'T') => (&token[..i], 1 << 40),
        _ => (token, 1),
    };
    let value: f64 = number.parse().ok()?;
    (value >= 0.0).then_some((value * unit as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_exactly_nlms() {
        let file = NlmFile::from_name("pubmed26n0042.xml.gz").unwrap();
        assert_eq!((file.year, file.number), (26, 42));
        for other in
            ["pubmed26n0042.xml.gz.md5", "pubmed26n42.xml.gz", "pubmed2026n0042.xml.gz", "README.txt", "stats.html"]
        {
            assert_eq!(NlmFile::from_name(other), None, "{other}");
        }
    }

    #[test]
    fn a_listing_gives_its_files_in_order_and_refuses_a_foreign_page() {
        let html = r#"<html><body><pre><a href="../">Parent</a>
<a href="pubmed26n0002.xml.gz">pubmed26n0002.xml.gz</a> 2025-12-10 14:39 20M
<a href="pubmed26n0002.xml.gz.md5">pubmed26n0002.xml.gz.md5</a>
<a href='pubmed26n0001.xml.gz'>pubmed26n0001.xml.gz</a>
<a href=pubmed26n0003.xml.gz>x</a> <a href="README.txt">README.txt</a></pre></body></html>"#;
        let files = files_listed(html, "u").unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["pubmed26n0001.xml.gz", "pubmed26n0002.xml.gz", "pubmed26n0003.xml.gz"]);
        let sizes: Vec<Option<u64>> = files.iter().map(|f| f.listed_bytes).collect();
        assert_eq!(sizes, [None, Some(20 << 20), None], "the size beside a link, when there is one");
        assert!(matches!(files_listed("<html>Sign in</html>", "u"), Err(MirrorError::ForeignListing { .. })));
        assert!(matches!(files_listed("", "u"), Err(MirrorError::ForeignListing { .. })));
    }
}
