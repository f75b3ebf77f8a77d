//! Search strategies: several numbered searches, one per line, combined by `#N` references, as
//! systematic reviewers write them. Also recognises Ovid MEDLINE syntax, which is not PubMed's.
//!
//! Strategies pasted from reviews come in a few layouts, all read here:
//! - one search per line, numbered 1, 2, 3 ... in order;
//! - a line starting with AND, OR or NOT continues the line before (text wrapped by a PDF);
//! - sections: a header line `N. Label: ...` numbers the search that follows it, and other lines
//!   without any search syntax (`Search combination`) are labels;
//! - a line of bare numbers and operators (`1 AND 2 AND 3 NOT 4`) combines the numbered searches,
//!   as `#1 AND #2 AND #3 NOT #4` would.

use crate::parse::{Parsed, QueryError, parse};

/// One search of a strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The number `#N` refers to.
    pub number: u32,
    /// The line as searched (continuations joined, bare numbers made `#N`).
    pub text: String,
    pub parsed: Parsed,
}

/// Parses a strategy (a single query is a strategy of one line). Errors carry the position in
/// the whole text and, for several lines, the line's number.
pub fn parse_strategy(text: &str) -> Result<Vec<Line>, QueryError> {
    if let Some(e) = ovid_syntax(text) {
        return Err(e);
    }
    // (offset of the line in `text`, its text), continuations joined.
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut offset = 0;
    for raw in text.split('\n') {
        let start = offset + (raw.len() - raw.trim_start().len());
        offset += raw.len() + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let continues = ["AND ", "OR ", "NOT "].iter().any(|op| line.starts_with(op));
        match lines.last_mut() {
            Some((_, previous)) if continues && section_number(previous).is_none() => {
                previous.push(' ');
                previous.push_str(line);
            }
            _ => lines.push((start, line.to_owned())),
        }
    }
    let sectioned = lines.iter().any(|(_, l)| section_number(l).is_some());
    let several = lines.len() > 1;
    let mut out: Vec<Line> = Vec::new();
    let mut next_number: Option<u32> = None;
    for (start, line) in lines {
        if let Some(n) = section_number(&line) {
            next_number = Some(n);
            continue;
        }
        if sectioned && !has_search_syntax(&line) {
            continue;
        }
        let number = next_number.take().unwrap_or(out.last().map_or(1, |l| l.number + 1));
        let text = if several && is_combination(&line) { as_history(&line) } else { line.clone() };
        let parsed = parse(&text).map_err(|e| QueryError {
            message: if several { format!("line {}: {}", out.len() + 1, e.message) } else { e.message },
            position: start + e.position.min(line.len()),
        })?;
        out.push(Line { number, text, parsed });
    }
    if out.is_empty() {
        return Err(QueryError { message: "the query is empty".into(), position: 0 });
    }
    Ok(out)
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
    let words: Vec<&str> =
        line.split(|c: char| c.is_whitespace() || c == '(' || c == ')').filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
        && words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()) || matches!(*w, "AND" | "OR" | "NOT"))
}

/// `1 AND 2` → `#1 AND #2`.
fn as_history(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut previous_digit = false;
    for c in line.chars() {
        if c.is_ascii_digit() && !previous_digit {
            out.push('#');
        }
        previous_digit = c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// The first sign of Ovid syntax, if any: `exp X/` lines, `X/` headings, `.ti,ab.` field
/// suffixes, `adjN`, `$` truncation, `limit N to`, or lower-case `or` between bare line numbers.
fn ovid_syntax(text: &str) -> Option<QueryError> {
    let mut offset = 0;
    for line in text.split('\n') {
        let start = offset;
        offset += line.len() + 1;
        let trimmed = line.trim();
        let lower = trimmed.to_ascii_lowercase();
        let words: Vec<&str> =
            lower.split(|c: char| c.is_whitespace() || c == '(' || c == ')').filter(|w| !w.is_empty()).collect();
        let sign = if lower.starts_with("exp ") && !trimmed.contains('[') {
            Some("\"exp\" explosion")
        } else if trimmed.ends_with('/') && !trimmed.contains('[') {
            Some("a subject heading ending in \"/\"")
        } else if has_field_suffix(&lower) {
            Some("a field suffix such as .ti,ab.")
        } else if words.iter().any(|w| w.strip_prefix("adj").is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))) {
            Some("the adjacency operator adjN")
        } else if words.iter().any(|w| w.ends_with('$')) || lower.contains("$ ") {
            Some("$ truncation")
        } else if lower.starts_with("limit ") {
            Some("\"limit N to\"")
        } else if words.len() >= 3
            && words.iter().any(|w| matches!(*w, "or" | "and" | "not"))
            && trimmed
                .split_whitespace()
                .all(|w| w.chars().all(|c| c.is_ascii_digit()) || matches!(w, "or" | "and" | "not"))
        {
            Some("lines combined as \"1 or 2\"")
        } else {
            None
        };
        if let Some(sign) = sign {
            return Some(QueryError {
                message: format!(
                    "this looks like Ovid MEDLINE syntax ({sign}); Medlars runs PubMed syntax: \
                     use [mh] for headings, [tiab] for .ti,ab., * for $, and #N to combine lines"
                ),
                position: start + (line.len() - line.trim_start().len()),
            });
        }
    }
    None
}

/// `.ti,ab.`, `.mp.`, `.sh.`, `.pt.`, ... at a word's end.
fn has_field_suffix(lower: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "ti", "ab", "mp", "sh", "tw", "pt", "kw", "fs", "hw", "af", "nm", "rn", "ot", "jn", "au", "xm", "mh", "yr",
        "lg", "kf", "tx",
    ];
    lower.match_indices('.').any(|(i, _)| {
        let rest = &lower[i + 1..];
        let field: String = rest.chars().take_while(|c| c.is_ascii_alphabetic() || *c == ',').collect();
        let fields: Vec<&str> = field.split(',').filter(|f| !f.is_empty()).collect();
        let before_ok = i > 0
            && lower[..i].ends_with(|c: char| c.is_alphanumeric() || c == ')' || c == '"' || c == '$' || c == '*');
        let after = &rest[field.len()..];
        before_ok
            && !fields.is_empty()
            && fields.iter().all(|f| SUFFIXES.contains(f))
            && (after.is_empty() || after.starts_with(['.', ' ', ')']))
    })
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
        let e = parse_strategy("cancer[ti]\n(mice").unwrap_err();
        assert_eq!(e.position, 11);
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
    fn ovid_is_recognised() {
        for q in [
            "exp animals/ not humans.sh.",
            "Thrombelastography/",
            "(thromb$ adj2 elastogra$).mp",
            "(hip adj3 pain).ti,ab.",
            "cancer.tw.\n1 or 2 or 3",
            "1 or 2 or 3",
            "limit 6 to yr=\"1970 -Current\"",
            "cancer[ti]\nrandom$.tw.",
        ] {
            let e = parse_strategy(q).unwrap_err();
            assert!(e.message.contains("Ovid"), "{q}: {e}");
        }
        for q in
            ["cancer AND mice", "10.1186/s13256-017-1211-9[aid]", "e.g. cancer", "#1 OR #2 OR 3", "J. Clin. Oncol.[ta]"]
        {
            assert!(parse_strategy(q).is_ok(), "{q}");
        }
    }
}
