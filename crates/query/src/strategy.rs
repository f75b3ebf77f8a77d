//! Search strategies: several numbered searches, one per line, combined by `#N` references, as
//! systematic reviewers publish them, in PubMed's syntax or Ovid MEDLINE's, line by line.
//!
//! Strategies pasted from reviews come in a few layouts, all read here:
//! - one search per line, numbered 1, 2, 3 ... in order, or labelled `1.`, `1`, `#1` (Ovid's
//!   numbers may skip; a label is the number `#N` and `1 or 2` refer to);
//! - a line starting with AND, OR or NOT continues the line before (text wrapped by a PDF);
//! - sections: a header line `N. Label: ...` numbers the search that follows it, and other lines
//!   without any search syntax (`Search combination`) are labels;
//! - a line of bare numbers and operators (`1 AND 2 AND 3 NOT 4`) combines the numbered searches,
//!   as `#1 AND #2 AND #3 NOT #4` would;
//! - lines copied from PubMed's History (`Search (#6) AND ...`) or Ovid's (a count after the
//!   search): the prefix and the count are dropped.
//!
//! A line is read as Ovid syntax when it shows any (`exp X/`, `.ti,ab.`, `adj3`, `or/1-5`, ...)
//! and no PubMed tag; a line showing neither takes the strategy's dialect (Ovid when any line
//! shows Ovid syntax).

use std::collections::HashSet;

use crate::field::Field;
use crate::ovid;
use crate::parse::{Parsed, QueryError, parse};
use crate::warning::Warning;

/// The syntax a line was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// PubMed's query language.
    PubMed,
    /// Ovid MEDLINE's.
    Ovid,
}

impl Dialect {
    /// `PubMed` or `Ovid`, as the CLI and the pages print it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::PubMed => "PubMed",
            Dialect::Ovid => "Ovid",
        }
    }
}

/// One search of a strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The number `#N` refers to.
    pub number: u32,
    /// The line as searched (continuations joined, labels and counts dropped, bare numbers
    /// made `#N` in PubMed's syntax).
    pub text: String,
    /// The line parsed.
    pub parsed: Parsed,
    /// The syntax it was read in.
    pub dialect: Dialect,
}

impl Line {
    /// A line made from a query built by a caller (a filter, a set kept by a history), as if
    /// typed in PubMed's syntax.
    pub fn of_query(number: u32, query: crate::ast::Query) -> Line {
        let text = query.to_string();
        Line { number, text, parsed: Parsed { query, warnings: Vec::new() }, dialect: Dialect::PubMed }
    }
}

/// A line of the text being read: its offset in the whole text, its label if it has one.
struct Raw {
    start: usize,
    text: String,
    label: Option<u32>,
    warnings: Vec<Warning>,
}

/// Parses a strategy (a single query is a strategy of one line). Errors carry the position in
/// the whole text and, for several lines, the line's number.
pub fn parse_strategy(text: &str) -> Result<Vec<Line>, QueryError> {
    let lines = physical_lines(text);
    let ovid_strategy = lines.iter().any(|(_, l)| dialect_shown(l) == Some(Dialect::Ovid));
    let numbered = ovid_strategy && lines.first().is_some_and(|(_, l)| label(l).is_some_and(|(n, _)| n == 1));
    let raws = joined(lines, numbered);
    let sectioned = raws.iter().any(|r| section_number(&r.text).is_some());
    let several = raws.len() > 1;
    let mut out: Vec<Line> = Vec::new();
    let mut numbers: HashSet<u32> = HashSet::new();
    let mut next_number: Option<u32> = None;
    for raw in raws {
        if let Some(n) = section_number(&raw.text) {
            next_number = Some(n);
            continue;
        }
        if sectioned && !has_search_syntax(&raw.text) {
            continue;
        }
        let number = raw.label.or(next_number.take()).unwrap_or(out.last().map_or(1, |l| l.number + 1));
        let dialect = dialect_shown(&raw.text).unwrap_or(if ovid_strategy { Dialect::Ovid } else { Dialect::PubMed });
        let line = parse_line(raw, Place { number, dialect, several, index: out.len(), earlier: &numbers })?;
        numbers.insert(line.number);
        out.push(line);
    }
    if out.is_empty() {
        return Err(QueryError { message: "the query is empty".into(), position: 0 });
    }
    Ok(out)
}

/// The non-empty lines, trimmed, with their offsets (any line ending), without the frame of an
/// Ovid export (`Database: Ovid MEDLINE(R) ...`, `Search Strategy:`, rules of dashes or stars).
fn physical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split(['\n', '\r']) {
        let start = offset + (raw.len() - raw.trim_start().len());
        offset += raw.len() + 1;
        let line = raw.trim();
        if !line.is_empty() && !is_export_frame(line) {
            out.push((start, line.to_owned()));
        }
    }
    out
}

/// A line of the frame Ovid puts around an exported strategy.
fn is_export_frame(line: &str) -> bool {
    let rule = line.chars().all(|c| matches!(c, '-' | '*' | '=' | '_' | '~' | ' '));
    let lower = line.to_ascii_lowercase();
    rule || lower.starts_with("database:") || lower.trim_end_matches(':') == "search strategy"
}

/// Labels, PubMed's `Search` prefixes and counts dropped; continuations joined.
fn joined(lines: Vec<(usize, String)>, numbered: bool) -> Vec<Raw> {
    let several = lines.len() > 1;
    let mut out: Vec<Raw> = Vec::new();
    for (start, line) in lines {
        let mut warnings = Vec::new();
        let (mut label_number, mut text) = match label(&line).filter(|_| numbered) {
            Some((n, rest)) => (Some(n), rest.to_owned()),
            None => (None, line.clone()),
        };
        if let Some((n, rest)) = history_prefix(&text).filter(|_| several) {
            label_number = label_number.or(n);
            text = rest.to_owned();
        }
        let start = start + (line.len() - text.len());
        let text = without_count(&text, label_number, &mut warnings);
        let continues = ["AND ", "OR ", "NOT "].iter().any(|op| text.starts_with(op)) && label_number.is_none();
        match out.last_mut() {
            Some(previous) if continues && section_number(&previous.text).is_none() && !ovid::is_command(&text) => {
                previous.text.push(' ');
                previous.text.push_str(&text);
                previous.warnings.extend(warnings);
            }
            _ => out.push(Raw { start, text, label: label_number, warnings }),
        }
    }
    out
}

/// Where a line stands in its strategy.
struct Place<'a> {
    number: u32,
    dialect: Dialect,
    several: bool,
    /// Its place among the searches, from 0.
    index: usize,
    /// The numbers of the lines before it.
    earlier: &'a HashSet<u32>,
}

fn parse_line(raw: Raw, place: Place) -> Result<Line, QueryError> {
    let Place { number, dialect, several, index, earlier } = place;
    let mut warnings = raw.warnings;
    let text = match dialect {
        Dialect::PubMed if several && is_combination(&raw.text) => as_history(&raw.text),
        Dialect::PubMed if several && is_history_combination(&raw.text) => {
            let text = as_history(&raw.text);
            for (_, n) in crate::parse::history_references(&text).unwrap_or_default() {
                if !raw.text.contains(&format!("#{n}")) {
                    warnings.push(Warning::NumberAsLine { number: n });
                }
            }
            text
        }
        _ => raw.text.clone(),
    };
    let parsed = match dialect {
        Dialect::PubMed => parse(&text),
        Dialect::Ovid => ovid::parse_line(&text),
    };
    let mut parsed = parsed.map_err(|e| QueryError {
        message: if several { format!("line {}: {}", index + 1, e.message) } else { e.message },
        position: raw.start + e.position.min(raw.text.len()),
    })?;
    if several {
        for n in parsed.query.history_numbers() {
            if !earlier.contains(&n) {
                warnings.push(Warning::NoSuchLine { number: n });
                parsed.query = parsed.query.without_history(n).ok_or_else(|| QueryError {
                    message: format!("line {}: #{n} refers to no earlier line", index + 1),
                    position: raw.start,
                })?;
            }
        }
    }
    warnings.append(&mut parsed.warnings);
    let mut unique: Vec<Warning> = Vec::new();
    for w in warnings {
        if !unique.contains(&w) {
            unique.push(w);
        }
    }
    parsed.warnings = unique;
    Ok(Line { number, text, parsed, dialect })
}

/// `12. exp Dementia/`, `12 exp Dementia/`, `#12 exp Dementia/`: the label and the rest (not
/// when the rest starts with an operator: `1 or 2` combines lines).
fn label(line: &str) -> Option<(u32, &str)> {
    let body = line.strip_prefix('#').unwrap_or(line);
    let digits = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
    let number = body[..digits].parse().ok()?;
    let rest = body[digits..].strip_prefix(['.', ')', ':']).unwrap_or(&body[digits..]);
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let first = rest.split_whitespace().next()?.to_ascii_lowercase();
    let operator = matches!(first.as_str(), "or" | "and" | "not") || first.starts_with("adj") || first.starts_with('/');
    (!operator).then_some((number, rest))
}

/// PubMed's History: `Search: x`, `Search x`, `#3 Search x`, `Search: x Sort by: Most Recent`.
fn history_prefix(line: &str) -> Option<(Option<u32>, &str)> {
    let (number, rest) = match line.strip_prefix('#') {
        Some(body) => {
            let digits = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
            (Some(body[..digits].parse().ok()?), body[digits..].trim_start())
        }
        None => (None, line),
    };
    let after = rest.strip_prefix("Search:").or_else(|| rest.strip_prefix("Search "))?;
    // The History's `Sort by: Most Recent` (and what follows it) is the display, not the search.
    let search = after.split_once(" Sort by:").map_or(after, |(search, _)| search);
    Some((number, search.trim()))
}

/// The line without a result count after the search: `exp Dementia/ (1234)`, Ovid's
/// numbered `... 1234`, `Total references = 1551`.
fn without_count(text: &str, label: Option<u32>, warnings: &mut Vec<Warning>) -> String {
    let lower = text.to_ascii_lowercase();
    for total in ["total references =", "results:"] {
        if let Some(i) = lower.rfind(total)
            && i > 0
            && is_count(&text[i + total.len()..])
        {
            warnings.push(Warning::CountIgnored);
            return text[..i].trim_end().to_owned();
        }
    }
    let Some((space, c)) = text.char_indices().rev().find(|(_, c)| c.is_whitespace()) else { return text.to_owned() };
    let (before, last) = (text[..space].trim_end(), &text[space + c.len_utf8()..]);
    let parenthesised = last.strip_prefix('(').and_then(|l| l.strip_suffix(')')).filter(|l| is_count(l));
    let after_search = before.ends_with([']', '/', '.', ')']);
    let numbered_count = label.is_some()
        && is_count(last)
        && last.replace(',', "").parse::<u64>().is_ok_and(|n| n >= u64::from(label.unwrap_or(0)));
    let operator_before = before.rsplit(char::is_whitespace).next().is_some_and(|w| {
        matches!(w.to_ascii_lowercase().as_str(), "and" | "or" | "not") || w.to_ascii_lowercase().starts_with("adj")
    });
    // In a labelled strategy (an Ovid export) a count in parentheses follows any search.
    let counted = parenthesised.is_some() && (after_search || label.is_some());
    if !before.is_empty() && !operator_before && (counted || numbered_count) {
        warnings.push(Warning::CountIgnored);
        return before.to_owned();
    }
    text.to_owned()
}

fn is_count(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ',') && t.starts_with(|c: char| c.is_ascii_digit())
}

/// The dialect a line shows by its own syntax, if any: a PubMed tag wins over Ovid signs
/// (`exp Child [mesh]` is PubMed's syntax with Ovid's keyword in it).
fn dialect_shown(line: &str) -> Option<Dialect> {
    if has_pubmed_tag(line) {
        Some(Dialect::PubMed)
    } else if ovid::shows_syntax(line) {
        Some(Dialect::Ovid)
    } else {
        None
    }
}

/// A `[tag]` naming a PubMed field (or nearly), outside quotes: not Ovid's `[Diagnostic Use]`.
fn has_pubmed_tag(line: &str) -> bool {
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else { return false };
        let tag = &rest[open + 1..open + close];
        let name = tag.split(':').next().unwrap_or(tag);
        if Field::from_tag(name).or_else(|| Field::nearest_tag(name)).is_some() {
            return true;
        }
        rest = &rest[open + close..];
    }
    false
}

/// `1 Index test: clinical red flags` or `2. Population: ...`: a numbered section header (a
/// number, a label with a colon, no search syntax).
fn section_number(line: &str) -> Option<u32> {
    let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
    let rest = line[digits.len()..].strip_prefix('.').unwrap_or(&line[digits.len()..]);
    if digits.is_empty() || !rest.starts_with(' ') || !rest.contains(':') || has_search_syntax(rest) {
        return None;
    }
    rest.trim_start().starts_with(char::is_alphabetic).then(|| digits.parse().ok()).flatten()
}

/// Tags, quotes, parentheses, truncation or an operator: a line that is a search, not a label.
fn has_search_syntax(line: &str) -> bool {
    line.contains(['[', '"', '“', '”', '(', '*', '#'])
        || line.split_whitespace().any(|w| matches!(w, "AND" | "OR" | "NOT"))
}

/// A line of numbers combined by operators: `1 AND 2 AND 3 NOT 4`, `(1 OR 2) AND 3`.
fn is_combination(line: &str) -> bool {
    let words = combination_words(line);
    words.iter().any(|w| is_number(w)) && words.iter().all(|w| is_number(w) || is_operator(w))
}

/// A line's words between spaces and parentheses, as a combination of lines is made of.
fn combination_words(line: &str) -> Vec<&str> {
    line.split(|c: char| c.is_whitespace() || c == '(' || c == ')').filter(|w| !w.is_empty()).collect()
}

fn is_number(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
}

fn is_operator(word: &str) -> bool {
    matches!(word, "AND" | "OR" | "NOT")
}

/// `1 AND 2` → `#1 AND #2`; a number after `#` stays as it is.
fn as_history(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut previous = ' ';
    for c in line.chars() {
        if c.is_ascii_digit() && !previous.is_ascii_digit() && previous != '#' {
            out.push('#');
        }
        previous = c;
        out.push(c);
    }
    out
}

/// `#1 OR #2 OR 6`: `#N` references and operators, with a bare number among them.
fn is_history_combination(line: &str) -> bool {
    let words = combination_words(line);
    let reference = |w: &str| w.strip_prefix('#').is_some_and(|n| !n.is_empty() && is_number(n));
    words.iter().any(|w| reference(w))
        && words.iter().any(|w| is_number(w))
        && words.iter().all(|w| reference(w) || is_number(w) || is_operator(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &[Line]) -> Vec<(u32, String)> {
        s.iter().map(|l| (l.number, l.parsed.query.to_string())).collect()
    }

    #[test]
    fn lines_and_history() {
        let s = parse_strategy("cancer[ti]\n\nmice[mh]\n#1 AND #2\n").unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(texts(&s)[2], (3, "#1 AND #2".into()));
        let e = parse_strategy("cancer[ti]\nmice AND [ti]").unwrap_err();
        assert_eq!(e.position, 20, "the tag of line 2");
        assert!(e.message.starts_with("line 2:"), "{e}");
    }

    #[test]
    fn sections_continuations_and_bare_numbers() {
        let text = "1 Index test: red flags\nhistory[tw] OR \"red flag\"[tw]\nOR trauma[tw]\n\
                    2. Population: back pain\nback pain[mh]\nSearch combination\n1 AND 2 NOT 1\n";
        let s = parse_strategy(text).unwrap();
        assert_eq!(
            texts(&s),
            [
                (1, "\"history\"[Text Word] OR \"red flag\"[Text Word] OR \"trauma\"[Text Word]".into()),
                (2, "\"back pain\"[MeSH Terms]".into()),
                (3, "(#1 AND #2) NOT #1".into()),
            ]
        );
        // Without sections, a line of words is a search, and bare numbers in one line stay words.
        let s = parse_strategy("Search combination\ncancer[ti]").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(texts(&parse_strategy("1 AND 2").unwrap())[0].1, "\"1\" AND \"2\"");
    }

    #[test]
    fn each_line_in_its_dialect() {
        let dialects = |q: &str| parse_strategy(q).unwrap().iter().map(|l| l.dialect).collect::<Vec<_>>();
        use Dialect::{Ovid, PubMed};
        assert_eq!(dialects("exp animals/ not humans.sh."), [Ovid]);
        assert_eq!(dialects("cancer[ti]\nrandom$.tw.\n#1 OR #2"), [PubMed, Ovid, Ovid]);
        assert_eq!(dialects("exp Child [mesh] OR cancer[ti]"), [PubMed]);
        assert_eq!(dialects("Contracept*\nCONTRACEPTION/ EXP\nOR 1-2"), [Ovid, Ovid, Ovid]);
        for q in ["cancer AND mice", "10.1186/s13256-017-1211-9[aid]", "e.g. cancer", "J. Clin. Oncol.[ta]", "HIV/AIDS"]
        {
            assert_eq!(dialects(q), [PubMed], "{q}");
        }
    }

    #[test]
    fn an_ovid_export_is_read_whole() {
        let export = "Database: Ovid MEDLINE(R) ALL <1946 to March 05, 2021>\nSearch Strategy:\n\
                      --------------------------------------------------------------------------------\n\
                      1     exp Breast Neoplasms/ (312345)\n2     breast cancer$.tw. (234234)\n\
                      3     1 or 2 (400000)\n\n***************************\n";
        let s = parse_strategy(export).unwrap();
        assert_eq!(
            texts(&s),
            [
                (1, "\"Breast Neoplasms\"[MeSH Terms]".into()),
                (2, "\"breast cancer*\"[Title/Abstract]".into()),
                (3, "#1 OR #2".into()),
            ]
        );
        assert!(s[2].parsed.warnings.contains(&Warning::CountIgnored));
    }

    #[test]
    fn labels_counts_and_pubmed_history() {
        let s = parse_strategy("1 exp Dementia/ (1234)\n2 memory.ti. 56\n4 1 or 2 78\n").unwrap();
        assert_eq!(
            texts(&s),
            [
                (1, "\"dementia\"[MeSH Terms]".replace("dementia", "Dementia")),
                (2, "\"memory\"[Title]".into()),
                (4, "#1 OR #2".into()),
            ]
        );
        assert!(s[0].parsed.warnings.contains(&Warning::CountIgnored));
        let s = parse_strategy("Search: cancer[ti] Sort by: Most Recent\n#2 Search (#1) AND mice[mh]").unwrap();
        assert_eq!(texts(&s), [(1, "\"cancer\"[Title]".into()), (2, "#1 AND \"mice\"[MeSH Terms]".into())]);
        let s = parse_strategy("a[ti]\nb[ti]\n#1 OR #2 OR 6").unwrap();
        assert_eq!(texts(&s)[2].1, "#1 OR #2");
        assert!(s[2].parsed.warnings.contains(&Warning::NumberAsLine { number: 6 }));
        assert!(s[2].parsed.warnings.contains(&Warning::NoSuchLine { number: 6 }));
        let s = parse_strategy("a[ti]\r\nb[ti] Total references = 1551\r\n").unwrap();
        assert_eq!(texts(&s)[1].1, "\"b\"[Title]");
        assert!(parse_strategy("a[ti]\n#7").is_err(), "a line of nothing but a missing line");
    }
}
