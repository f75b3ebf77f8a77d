//! Search strategies: several numbered searches, one per line, combined by `#N` references, as
//! systematic reviewers write them. Also recognises Ovid MEDLINE syntax, which is not PubMed's.

use crate::parse::{Parsed, QueryError, parse};

/// Parses a strategy: each non-empty line is one search, numbered from 1; a single line is a
/// strategy of one. Errors carry the position in the whole text and the line's number.
pub fn parse_strategy(text: &str) -> Result<Vec<Parsed>, QueryError> {
    if let Some(e) = ovid_syntax(text) {
        return Err(e);
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        let start = offset;
        offset += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        let number = out.len() + 1;
        let parsed = parse(line).map_err(|e| QueryError {
            message: if text.trim().contains('\n') { format!("line {number}: {}", e.message) } else { e.message },
            position: start + e.position,
        })?;
        out.push(parsed);
    }
    if out.is_empty() {
        return Err(QueryError { message: "the query is empty".into(), position: 0 });
    }
    Ok(out)
}

/// The first sign of Ovid syntax, if any: `exp X/`, `X/` headings, `.ti,ab.` field suffixes,
/// `adjN`, `$` truncation, `limit N to`, or lines combining bare line numbers (`1 or 2`).
fn ovid_syntax(text: &str) -> Option<QueryError> {
    let mut offset = 0;
    for line in text.split('\n') {
        let start = offset;
        offset += line.len() + 1;
        let trimmed = line.trim();
        let lower = trimmed.to_ascii_lowercase();
        let words: Vec<&str> =
            lower.split(|c: char| c.is_whitespace() || c == '(' || c == ')').filter(|w| !w.is_empty()).collect();
        let sign = if lower.starts_with("exp ") {
            Some("\"exp\" explosion")
        } else if trimmed.ends_with('/') && !trimmed.contains('[') {
            Some("a subject heading ending in \"/\"")
        } else if has_field_suffix(&lower) {
            Some("a field suffix such as .ti,ab.")
        } else if words.iter().any(|w| w.strip_prefix("adj").is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))) {
            Some("the adjacency operator adjN")
        } else if words.iter().any(|w| w.ends_with('$') || w.contains("$ ")) || lower.contains("$ ") {
            Some("$ truncation")
        } else if lower.starts_with("limit ") {
            Some("\"limit N to\"")
        } else if !words.is_empty()
            && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
            && words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()) || matches!(*w, "or" | "and" | "not"))
            && words.len() >= 3
        {
            Some("lines combined by bare numbers (\"1 or 2\")")
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

    #[test]
    fn lines_and_history() {
        let s = parse_strategy("cancer[ti]\n\nmice[mh]\n#1 AND #2\n").unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[2].query.to_string(), "#1 AND #2");
        let e = parse_strategy("cancer[ti]\n(mice").unwrap_err();
        assert_eq!(e.position, 11);
        assert!(e.message.starts_with("line 2:"), "{e}");
    }

    #[test]
    fn ovid_is_recognised() {
        for q in [
            "exp animals/ not humans.sh.",
            "Thrombelastography/",
            "(thromb$ adj2 elastogra$).mp",
            "(hip adj3 pain).ti,ab.",
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
