//! Records written out in every format PubMed offers, and the citation pieces they share.
//! [`Format`] is the one entry point the CLI, the pages and the E-utilities use.
//!
//! - [`medline_text`]: the MEDLINE / .nbib tagged format (`efetch rettype=medline`);
//! - [`abstract_text`], [`summary_text`]: PubMed's "Abstract" and "Summary (text)" formats;
//! - [`cite`]: AMA, APA, MLA and NLM citations, as PubMed's "Cite" dialog writes them;
//! - [`ris`], [`bibtex`], [`csl_json`]: what reference managers and citeproc read;
//! - [`csv`]: the columns of PubMed's CSV export.

pub mod abstract_text;
pub mod bibtex;
pub mod cite;
pub mod csl_json;
pub mod csv;
pub mod medline_text;
pub mod ris;
pub mod summary_text;

use crate::model::{Abstract, AbstractText, Author, Date, Grant, PubDate, PubmedArticle};
use crate::reader::RecordElement;
use crate::{ParseError, Record};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// NLM's XML: the stored bytes of each record in a `PubmedArticleSet`.
    Xml,
    /// The record model as JSON (one array).
    Json,
    /// One JSON object per line (the record model).
    Jsonl,
    /// The MEDLINE tagged format (`.nbib`): [`medline_text`].
    Medline,
    /// PubMed's "Abstract" text format: [`abstract_text`].
    Abstract,
    /// PubMed's "Summary (text)" format: [`summary_text`].
    Summary,
    /// One PMID per line.
    Pmid,
    /// PubMed's CSV export, one row per record under a header: [`csv`].
    Csv,
    /// AMA citations, one per record: [`cite::ama`].
    Ama,
    /// APA citations, one per record: [`cite::apa`].
    Apa,
    /// MLA citations, one per record: [`cite::mla`].
    Mla,
    /// NLM (Citing Medicine) citations, one per record: [`cite::nlm`].
    Nlm,
    /// RIS, for reference managers: [`ris`].
    Ris,
    /// BibTeX entries: [`bibtex`].
    Bibtex,
    /// CSL-JSON items in one array: [`csl_json`].
    CslJson,
}

impl Format {
    /// Every format with its name (as `--format` and URLs spell it).
    pub const ALL: [(&'static str, Format); 15] = [
        ("xml", Format::Xml),
        ("json", Format::Json),
        ("jsonl", Format::Jsonl),
        ("medline", Format::Medline),
        ("abstract", Format::Abstract),
        ("summary", Format::Summary),
        ("pmid", Format::Pmid),
        ("csv", Format::Csv),
        ("ama", Format::Ama),
        ("apa", Format::Apa),
        ("mla", Format::Mla),
        ("nlm", Format::Nlm),
        ("ris", Format::Ris),
        ("bibtex", Format::Bibtex),
        ("csl-json", Format::CslJson),
    ];

    /// The format a name stands for, in any case: a name of [`Format::ALL`] or an alias (`nbib`,
    /// `pubmed`, `uid`, `bib`, `csl`...).
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        let name = match name.as_str() {
            "nbib" | "pubmed" => "medline",
            "uid" | "uilist" | "pmids" => "pmid",
            "bib" => "bibtex",
            "csl" | "csljson" => "csl-json",
            other => other,
        };
        Format::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// The HTTP media type of a download.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Xml => "application/xml; charset=UTF-8",
            Format::Json | Format::CslJson => "application/json; charset=UTF-8",
            Format::Jsonl => "application/x-ndjson; charset=UTF-8",
            Format::Csv => "text/csv; charset=UTF-8",
            Format::Ris => "application/x-research-info-systems; charset=UTF-8",
            Format::Bibtex => "application/x-bibtex; charset=UTF-8",
            _ => "text/plain; charset=UTF-8",
        }
    }

    /// The file name extension of a download.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json | Format::CslJson => "json",
            Format::Jsonl => "jsonl",
            Format::Medline => "nbib",
            Format::Csv => "csv",
            Format::Ris => "ris",
            Format::Bibtex => "bib",
            _ => "txt",
        }
    }

    /// What comes before the first record.
    pub fn begin(self) -> &'static str {
        match self {
            Format::Xml => crate::xml::HEADER,
            Format::Json | Format::CslJson => "[",
            Format::Csv => csv::HEADER,
            _ => "",
        }
    }

    /// What comes after the last record.
    pub fn end(self) -> &'static str {
        match self {
            Format::Xml => crate::xml::FOOTER,
            Format::Json | Format::CslJson => "]\n",
            _ => "",
        }
    }

    /// Appends record number `n` (1-based) from its stored element and bytes: NLM's bytes as they
    /// are for XML, the parsed record for every other format.
    pub fn write(self, out: &mut Vec<u8>, n: usize, element: RecordElement, xml: &[u8]) -> Result<(), ParseError> {
        if self == Format::Xml {
            crate::xml::write_record(out, element, xml);
            return Ok(());
        }
        let record = crate::parse_record(xml)?;
        let mut text = String::new();
        match self {
            Format::Xml => unreachable!("written above"),
            Format::Json | Format::CslJson | Format::Jsonl => {
                if n > 1 && self != Format::Jsonl {
                    text.push(',');
                }
                let value = if self == Format::CslJson {
                    csl_json::item(&record)
                } else {
                    serde_json::to_value(&record).unwrap_or_default()
                };
                text.push_str(&value.to_string());
                if self == Format::Jsonl {
                    text.push('\n');
                }
            }
            Format::Medline => medline_text::write(&mut text, &record),
            Format::Abstract => abstract_text::write(&mut text, n, &record),
            Format::Summary => summary_text::write(&mut text, n, &record),
            Format::Pmid => text.push_str(&format!("{}\n", record.pmid().id)),
            Format::Csv => csv::write(&mut text, &record),
            Format::Ris => ris::write(&mut text, &record),
            Format::Bibtex => bibtex::write(&mut text, &record),
            Format::Ama | Format::Apa | Format::Mla | Format::Nlm => {
                let citation = match &record {
                    Record::Article(a) => cite_with(self, a),
                    Record::Book(_) => format!("{}. PMID: {}.", record.title(), record.pmid().id),
                };
                text.push_str(&citation);
                text.push_str("\n\n");
            }
        }
        out.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

/// One citation style.
fn cite_with(format: Format, a: &PubmedArticle) -> String {
    match format {
        Format::Ama => cite::ama(a),
        Format::Apa => cite::apa(a),
        Format::Mla => cite::mla(a),
        _ => cite::nlm(a),
    }
}

/// The months as PubMed abbreviates them, January first.
pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A journal issue's date as PubMed writes it: `2017 Mar 4`, `2018 Jan-Dec`, `1998 Winter`.
pub fn pub_date_text(d: &PubDate) -> String {
    if let Some(m) = &d.medline_date {
        return m.clone();
    }
    let mut out = d.year.clone().unwrap_or_default();
    let month = d.month.as_deref().map(|m| match m.parse::<usize>() {
        Ok(n) if (1..=12).contains(&n) => MONTHS[n - 1].to_owned(),
        _ => m.to_owned(),
    });
    if let Some(m) = month.or_else(|| d.season.clone()) {
        out.push(' ');
        out.push_str(&m);
    }
    if let Some(day) = &d.day {
        out.push(' ');
        out.push_str(day.trim_start_matches('0'));
    }
    out
}

/// A full date as PubMed writes it in citations: `2017 Jul 28`.
pub fn date_text(d: &Date) -> String {
    let month = MONTHS.get(usize::from(d.month).wrapping_sub(1)).copied().unwrap_or_default();
    format!("{} {month} {}", d.year, d.day)
}

/// The journal's abbreviation: MEDLINE's `MedlineTA`, else the ISO abbreviation.
pub fn journal_abbreviation(a: &PubmedArticle) -> &str {
    let j = &a.medline.article.journal;
    a.medline.journal_info.medline_ta.as_deref().or(j.iso_abbreviation.as_deref()).unwrap_or_default()
}

/// `11(1):58`: volume, issue and pages, whichever exist.
pub fn volume_issue_pages(a: &PubmedArticle) -> String {
    let art = &a.medline.article;
    let mut out = art.journal.volume.clone().unwrap_or_default();
    if let Some(issue) = &art.journal.issue {
        out.push_str(&format!("({issue})"));
    }
    let pages = art.pagination.as_ref().and_then(|p| p.medline_pgn.clone().or_else(|| p.start_page.clone()));
    if let Some(p) = pages.filter(|p| !p.is_empty()) {
        out.push(':');
        out.push_str(&p);
    }
    out
}

/// The short citation of result lists and record pages: `J Med Case Rep. 2017 Mar 4;11(1):58.`
pub fn citation(a: &PubmedArticle) -> String {
    let mut out = format!("{}. {}", journal_abbreviation(a), pub_date_text(&a.medline.article.journal.pub_date));
    let vip = volume_issue_pages(a);
    if !vip.is_empty() {
        out.push(';');
        out.push_str(&vip);
    }
    out.push('.');
    out
}

/// The electronic publication date, when the article has one.
pub fn epub_date(a: &PubmedArticle) -> Option<&Date> {
    let art = &a.medline.article;
    art.article_dates.first().map(|d| &d.date)
}

/// The DOI, from the article IDs or else the electronic location IDs.
pub fn doi(a: &PubmedArticle) -> Option<&str> {
    a.pubmed
        .as_ref()
        .and_then(|p| p.article_id("doi"))
        .or_else(|| a.medline.article.elocation_ids.iter().find(|e| e.id_type == "doi").map(|e| e.value.as_str()))
}

/// The source line (MEDLINE's `SO`, the first line of the Abstract format):
/// `J Neurointerv Surg. 2018 Apr;10(4):335-339. doi: 10.1136/x. Epub 2017 Jul 28.` For an
/// electronic-only article the electronic date leads and the issue follows as `eCollection`.
pub fn source(a: &PubmedArticle) -> String {
    let art = &a.medline.article;
    let issue_date = pub_date_text(&art.journal.pub_date);
    let electronic_first = art.pub_model.as_deref() == Some("Electronic-eCollection");
    let date = match epub_date(a) {
        Some(d) if electronic_first => date_text(d),
        _ => issue_date.clone(),
    };
    let mut out = format!("{}. {date}", journal_abbreviation(a));
    let vip = volume_issue_pages(a);
    match vip.strip_prefix(':') {
        // Pages without volume or issue follow the date directly (ahead-of-print articles).
        Some(pages) => out.push_str(&format!(":{pages}")),
        None if !vip.is_empty() => out.push_str(&format!(";{vip}")),
        None => {}
    }
    out.push('.');
    let no_pages = art.pagination.as_ref().is_none_or(|p| p.medline_pgn.as_deref().unwrap_or_default().is_empty());
    if let Some(pii) = art.elocation_ids.iter().find(|e| e.id_type == "pii").filter(|_| no_pages) {
        out.push_str(&format!(" pii: {}.", pii.value));
    }
    if let Some(doi) = doi(a) {
        out.push_str(&format!(" doi: {doi}."));
    }
    // An article still ahead of print is dated by its electronic date already.
    let ahead = a.pubmed.as_ref().and_then(|p| p.publication_status.as_deref()) == Some("aheadofprint");
    match (art.pub_model.as_deref(), epub_date(a)) {
        (Some("Print-Electronic"), Some(d)) if !ahead => out.push_str(&format!(" Epub {}.", date_text(d))),
        (Some("Electronic-eCollection"), Some(_)) => out.push_str(&format!(" eCollection {issue_date}.")),
        _ => {}
    }
    out
}

/// An abstract section as the text formats write it: `LABEL: text`, or the text alone.
pub fn section_text(t: &AbstractText) -> String {
    match &t.label {
        Some(label) => format!("{label}: {}", t.text.text),
        None => t.text.text.clone(),
    }
}

/// A whole abstract as one paragraph of [`section_text`]s.
pub fn abstract_paragraph(abs: &Abstract) -> String {
    abs.texts.iter().map(section_text).collect::<Vec<_>>().join(" ")
}

/// A grant as MEDLINE's `GR` and the record page write it: `R01 GM115388/GM/NIGMS NIH HHS/United States`.
pub fn grant_text(g: &Grant) -> String {
    let parts: Vec<&str> =
        [&g.grant_id, &g.acronym, &g.agency, &g.country].into_iter().flatten().map(String::as_str).collect();
    parts.join("/")
}

/// A `History` date as PubMed writes it: `2017/07/30 06:00`.
pub fn history_stamp(d: &Date) -> String {
    format!("{:04}/{:02}/{:02} {:02}:{:02}", d.year, d.month, d.day, d.hour.unwrap_or(0), d.minute.unwrap_or(0))
}

/// `Cherin P`: last name and initials, or a group's name.
pub fn short_name(a: &Author) -> String {
    let name = match (a.last(), &a.initials, &a.collective_name) {
        (Some(l), Some(i), _) => format!("{l} {i}"),
        (Some(l), None, _) => l.to_owned(),
        (None, _, Some(c)) => return c.text.clone(),
        _ => return String::new(),
    };
    match &a.suffix {
        Some(suffix) => format!("{name} {suffix}"),
        None => name,
    }
}

/// Text as the MEDLINE format carries it: ASCII only. Accented letters lose their accents, Greek
/// letters are spelled out (`γ` → `gamma`), common symbols get ASCII stand-ins (`©` → `(c)`,
/// `≥` → `>=`), and anything else is dropped, as PubMed's own MEDLINE output does.
pub fn ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let plain: &str = match c {
            'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => "A",
            'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
            'Æ' => "AE",
            'æ' => "ae",
            'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'Ð' | 'Ď' | 'Đ' => "D",
            'ð' | 'ď' | 'đ' => "d",
            'È'..='Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
            'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'Ĥ' | 'Ħ' => "H",
            'ĥ' | 'ħ' => "h",
            'Ì'..='Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
            'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'Ĵ' => "J",
            'ĵ' => "j",
            'Ķ' => "K",
            'ķ' => "k",
            'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "N",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
            'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'Œ' => "OE",
            'œ' => "oe",
            'Ŕ' | 'Ŗ' | 'Ř' => "R",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'ß' => "ss",
            'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "T",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
            'Þ' => "Th",
            'þ' => "th",
            'Ù'..='Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
            'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'Ŵ' => "W",
            'ŵ' => "w",
            'Ý' | 'Ÿ' | 'Ŷ' => "Y",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'Ź' | 'Ż' | 'Ž' => "Z",
            'ź' | 'ż' | 'ž' => "z",
            'α' | 'Α' => "alpha",
            'β' | 'Β' => "beta",
            'γ' | 'Γ' => "gamma",
            'δ' | 'Δ' => "delta",
            'ε' | 'Ε' => "epsilon",
            'ζ' | 'Ζ' => "zeta",
            'η' | 'Η' => "eta",
            'θ' | 'Θ' => "theta",
            'ι' | 'Ι' => "iota",
            'κ' | 'Κ' => "kappa",
            'λ' | 'Λ' => "lambda",
            'μ' | 'Μ' | 'µ' => "mu",
            'ν' | 'Ν' => "nu",
            'ξ' | 'Ξ' => "xi",
            'ο' | 'Ο' => "omicron",
            'π' | 'Π' => "pi",
            'ρ' | 'Ρ' => "rho",
            'σ' | 'ς' | 'Σ' => "sigma",
            'τ' | 'Τ' => "tau",
            'υ' | 'Υ' => "upsilon",
            'φ' | 'Φ' => "phi",
            'χ' | 'Χ' => "chi",
            'ψ' | 'Ψ' => "psi",
            'ω' | 'Ω' => "omega",
            '©' => "(c)",
            '®' => "(R)",
            '™' => "(TM)",
            '±' => "+/-",
            '×' => "x",
            '÷' => "/",
            '≥' => ">=",
            '≤' => "<=",
            '°' => " degrees ",
            '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => "\"",
            '\u{2026}' => "...",
            '\u{00A0}' | '\u{2002}'..='\u{200A}' => " ",
            _ => "",
        };
        out.push_str(plain);
    }
    out
}

/// Greedy word wrapping: lines of at most `width` characters (a longer word stands alone).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_pubmed_writes_them() {
        let d = PubDate {
            year: Some("2017".into()),
            month: Some("03".into()),
            day: Some("04".into()),
            ..Default::default()
        };
        assert_eq!(pub_date_text(&d), "2017 Mar 4");
        let s = PubDate { year: Some("1998".into()), season: Some("Winter".into()), ..Default::default() };
        assert_eq!(pub_date_text(&s), "1998 Winter");
        let m = PubDate { medline_date: Some("2018 Jan-Dec".into()), ..Default::default() };
        assert_eq!(pub_date_text(&m), "2018 Jan-Dec");
        assert_eq!(date_text(&Date { year: 2017, month: 7, day: 28, ..Default::default() }), "2017 Jul 28");
    }

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("  toolongword x ", 4), ["toolongword", "x"]);
        assert!(wrap("", 10).is_empty());
    }
}
