//! Citations in the four styles of PubMed's "Cite" dialog: AMA, APA, MLA and NLM.

use super::{date_text, doi, epub_date, journal_abbreviation, source};
use crate::model::{Author, PubmedArticle};

const MLA_MONTHS: [&str; 12] =
    ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];

fn persons(a: &PubmedArticle) -> Vec<&Author> {
    a.medline.article.authors.iter().flat_map(|l| &l.authors).collect()
}

/// `Sr.`, `Jr.`; `3rd` as it is (APA and MLA put a period after an abbreviated suffix only).
fn with_period(suffix: &str) -> String {
    match suffix {
        "Sr" | "Jr" => format!("{suffix}."),
        _ => suffix.to_owned(),
    }
}

/// `Cherin P`, `O'Brien WT Sr` (AMA and NLM put the suffix after the initials), or a group's name.
fn vancouver(a: &Author) -> String {
    super::short_name(a)
}

fn title(a: &PubmedArticle) -> String {
    let t = a.medline.article.title.text.trim();
    if t.ends_with(['.', '?', '!']) { t.to_owned() } else { format!("{t}.") }
}

fn year(a: &PubmedArticle) -> String {
    let d = &a.medline.article.journal.pub_date;
    d.year.clone().or_else(|| d.medline_date.as_ref().map(|m| m.chars().take(4).collect())).unwrap_or_default()
}

fn journal_title(a: &PubmedArticle) -> String {
    a.medline.article.journal.title.clone().unwrap_or_else(|| journal_abbreviation(a).to_owned())
}

fn pages(a: &PubmedArticle) -> String {
    let p = a.medline.article.pagination.as_ref();
    p.and_then(|p| p.medline_pgn.clone().or_else(|| p.start_page.clone()))
        .or_else(|| a.medline.article.elocation_ids.first().map(|e| e.value.clone()))
        .unwrap_or_default()
}

fn electronic_only(a: &PubmedArticle) -> bool {
    matches!(a.medline.article.pub_model.as_deref(), Some("Electronic") | Some("Electronic-eCollection"))
}

/// AMA: six authors at most (three and "et al." beyond), the year, `Published` for
/// electronic-only articles, `doi:` without a space.
pub fn ama(a: &PubmedArticle) -> String {
    let people = persons(a);
    let names: Vec<String> = if people.len() > 6 {
        people.iter().take(3).map(|p| vancouver(p)).collect()
    } else {
        people.iter().map(|p| vancouver(p)).collect()
    };
    let mut out = String::new();
    if !names.is_empty() {
        out.push_str(&names.join(", "));
        out.push_str(if people.len() > 6 { ", et al. " } else { ". " });
    }
    out.push_str(&format!("{} {}. {}", title(a), journal_abbreviation(a), year(a)));
    let j = &a.medline.article.journal;
    let mut vip = j.volume.clone().unwrap_or_default();
    if let Some(i) = &j.issue {
        vip.push_str(&format!("({i})"));
    }
    let pages = pages(a);
    if !vip.is_empty() || !pages.is_empty() {
        out.push(';');
        out.push_str(&vip);
        if !pages.is_empty() {
            out.push(':');
            out.push_str(&pages);
        }
    }
    out.push('.');
    if let Some(d) = epub_date(a).filter(|_| electronic_only(a)) {
        out.push_str(&format!(" Published {}.", date_text(d)));
    }
    if let Some(doi) = doi(a) {
        out.push_str(&format!(" doi:{doi}"));
    }
    out
}

/// `Fiorini, N.`: last name and each initial with a period.
fn apa_name(a: &Author) -> String {
    match (a.last(), &a.initials) {
        (Some(l), Some(i)) => {
            let initials: Vec<String> = i.chars().map(|c| format!("{c}.")).collect();
            // APA: `O'Brien, W. T., Sr.`
            match &a.suffix {
                Some(s) => format!("{l}, {}, {}", initials.join(" "), with_period(s)),
                None => format!("{l}, {}", initials.join(" ")),
            }
        }
        _ => super::short_name(a),
    }
}

/// APA 7: up to twenty authors with `&` before the last (nineteen, `...` and the last beyond),
/// the year in parentheses, the journal's full title, and the DOI as a URL.
pub fn apa(a: &PubmedArticle) -> String {
    let people = persons(a);
    let names: Vec<String> = people.iter().map(|p| apa_name(p)).collect();
    let authors = match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n if n <= 20 => format!("{}, & {}", names[..n - 1].join(", "), names[n - 1]),
        n => format!("{}, ... {}", names[..19].join(", "), names[n - 1]),
    };
    let mut out = String::new();
    if !authors.is_empty() {
        out.push_str(&authors);
        out.push(' ');
    }
    out.push_str(&format!("({}). {} {}", year(a), title(a), journal_title(a)));
    let j = &a.medline.article.journal;
    if let Some(v) = &j.volume {
        out.push_str(&format!(", {v}"));
        if let Some(i) = &j.issue {
            out.push_str(&format!("({i})"));
        }
    }
    let pages = pages(a);
    if !pages.is_empty() {
        out.push_str(&format!(", {pages}"));
    }
    out.push('.');
    if let Some(doi) = doi(a) {
        out.push_str(&format!(" https://doi.org/{doi}"));
    }
    out
}

/// MLA 9: `Last, First`, `Last, First, and First Last`, or `Last, First et al.`; the title in
/// quotation marks; `vol. 16,8`; the day-month-year date; `doi:`.
pub fn mla(a: &PubmedArticle) -> String {
    let people = persons(a);
    // MLA: `O'Brien, William T., Sr.`, and `William T. O'Brien, Sr.` after the first.
    let suffix = |p: &Author| p.suffix.as_deref().map(|s| format!(", {}", with_period(s))).unwrap_or_default();
    let inverted = |p: &Author| match (p.last(), p.fore()) {
        (Some(l), Some(f)) => format!("{l}, {f}{}", suffix(p)),
        _ => super::short_name(p),
    };
    let natural = |p: &Author| match (p.fore(), p.last()) {
        (Some(f), Some(l)) => format!("{f} {l}{}", suffix(p)),
        _ => super::short_name(p),
    };
    let authors = match people.as_slice() {
        [] => String::new(),
        [one] => format!("{}. ", inverted(one).trim_end_matches('.')),
        [one, two] => format!("{}, and {}. ", inverted(one), natural(two)),
        [one, ..] => format!("{} et al. ", inverted(one)),
    };
    let j = &a.medline.article.journal;
    let mut out = format!("{authors}\u{201C}{}\u{201D} {}", title(a), journal_title(a));
    if let Some(v) = &j.volume {
        out.push_str(&format!(" vol. {v}"));
        if let Some(i) = &j.issue {
            out.push_str(&format!(",{i}"));
        }
    }
    let pages = pages(a);
    if !pages.is_empty() {
        out.push_str(&format!(" {pages}"));
    }
    out.push_str(". ");
    let date = match epub_date(a) {
        Some(d) => {
            let month = MLA_MONTHS.get(usize::from(d.month).wrapping_sub(1)).copied().unwrap_or_default();
            format!("{} {month} {}", d.day, d.year)
        }
        None => super::pub_date_text(&j.pub_date),
    };
    out.push_str(&date);
    match doi(a) {
        Some(doi) => out.push_str(&format!(", doi:{doi}")),
        None => out.push('.'),
    }
    out
}

/// NLM (Citing Medicine): every author, the source line as MEDLINE's `SO`, and the PMID and PMCID.
pub fn nlm(a: &PubmedArticle) -> String {
    let names: Vec<String> = persons(a).iter().map(|p| vancouver(p)).collect();
    let mut out = String::new();
    if !names.is_empty() {
        out.push_str(&format!("{}. ", names.join(", ")));
    }
    // The source line without MEDLINE's closing "eCollection" note.
    let source = source(a);
    let source = source.split(" eCollection ").next().unwrap_or_default();
    out.push_str(&format!("{} {source} PMID: {}", title(a), a.medline.pmid.id));
    if let Some(pmc) = a.pubmed.as_ref().and_then(|p| p.article_id("pmc")) {
        out.push_str(&format!("; PMCID: {pmc}"));
    }
    out.push('.');
    out
}
