//! Ovid's whole-line commands: `or/1-12`, `and/3,7` (and `OR 1-14`), `limit N to ...`,
//! `remove duplicates from N`.

use crate::ast::{Query, Span, Term};
use crate::field::Field;
use crate::parse::QueryError;
use crate::warning::Warning;

/// The most lines one `or/N-M` combines.
const MAX_COMBINED_LINES: u32 = 10_000;

fn error<T>(position: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError { message: message.into(), position })
}

/// The line's query when the line is one of the commands.
pub fn command(text: &str, warnings: &mut Vec<Warning>) -> Result<Option<Query>, QueryError> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    if let Some(q) = combination(&lower)? {
        return Ok(Some(q));
    }
    if let Some(rest) = lower.strip_prefix("remove duplicates from ") {
        let line = line_number(rest.trim(), text.len() - rest.len())?;
        warnings.push(Warning::DuplicatesRemoved { line });
        return Ok(Some(history(line)));
    }
    match lower.strip_prefix("limit ") {
        Some(_) => limit(trimmed, warnings).map(Some),
        None => Ok(None),
    }
}

fn history(number: u32) -> Query {
    Query::History { number, span: Span::default() }
}

fn line_number(text: &str, position: usize) -> Result<u32, QueryError> {
    text.trim_start_matches('#').parse().or_else(|_| error(position, format!("\"{text}\" is not a line number")))
}

/// `or/1-5`, `and/6,49`, `or/1,3-5`, `OR 1-14`: the lines listed, all ORed or all ANDed.
fn combination(lower: &str) -> Result<Option<Query>, QueryError> {
    let (and, rest) = match (lower.strip_prefix("or"), lower.strip_prefix("and")) {
        (Some(rest), _) => (false, rest),
        (_, Some(rest)) => (true, rest),
        _ => return Ok(None),
    };
    let slashed = rest.trim_start().starts_with('/');
    let list = rest.trim_start().trim_start_matches('/').trim();
    let listed = list.contains(|c: char| c.is_ascii_digit())
        && list.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | ',' | ' '));
    if !listed || !(slashed || list.contains(['-', ','])) {
        return Ok(None);
    }
    let mut lines = Vec::new();
    for item in list.split([',', ' ']).filter(|i| !i.is_empty()) {
        let (from, to) = item.split_once('-').unwrap_or((item, item));
        let (Ok(from), Ok(to)) = (from.trim().parse::<u32>(), to.trim().parse::<u32>()) else {
            return error(0, format!("\"{item}\" is not a line or a range of lines"));
        };
        if from > to || (to - from) >= MAX_COMBINED_LINES || lines.len() as u32 > MAX_COMBINED_LINES {
            return error(0, format!("\"{item}\": a range from a line to a later one, at most {MAX_COMBINED_LINES}"));
        }
        lines.extend(from..=to);
    }
    Ok(Some(Query::chain(lines.into_iter().map(history).collect(), and)))
}

/// `limit 6 to (english language and humans)`, `limit 7 to yr="2000 - 2015"`.
fn limit(text: &str, warnings: &mut Vec<Warning>) -> Result<Query, QueryError> {
    let rest = text["limit ".len()..].trim_start();
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let line = line_number(&rest[..digits], text.len() - rest.len())?;
    let after = rest[digits..].trim_start();
    let Some(limits) = after.get(..3).filter(|to| to.eq_ignore_ascii_case("to ")).map(|_| after[3..].trim()) else {
        return error(text.len() - after.len(), "limit N to ...: \"to\" and the limits are missing");
    };
    let mut operands = vec![history(line)];
    operands.extend(limits_query(limits, 0, warnings));
    Ok(Query::chain(operands, true))
}

/// The deepest nesting of parentheses read in a list of limits.
const MAX_LIMIT_NESTING: usize = 8;

/// `english language and ("all child (0 to 18 years)" or "all adult (19 plus years)")`: limits
/// joined by `and` and `or` as one search; an unknown one is left out, with a warning.
fn limits_query(text: &str, depth: usize, warnings: &mut Vec<Warning>) -> Option<Query> {
    let mut all = Vec::new();
    for part in split_limits(text, " and ") {
        let alternatives = split_limits(&part, " or ");
        let query = if alternatives.len() > 1 && depth < MAX_LIMIT_NESTING {
            let any: Vec<Query> = alternatives.iter().filter_map(|a| limits_query(a, depth + 1, warnings)).collect();
            (!any.is_empty()).then(|| Query::chain(any, false))
        } else {
            let name = alternatives.into_iter().next().unwrap_or_default();
            let found = limit_query(&name);
            if found.is_none() {
                warnings.push(Warning::LimitUnknown { name });
            }
            found
        };
        all.extend(query);
    }
    (!all.is_empty()).then(|| Query::chain(all, true))
}

/// The parts of `(a and b)` or `a and b` (for `separator` " and "): split at it outside quotes
/// and parentheses.
fn split_limits(text: &str, separator: &str) -> Vec<String> {
    let inner = match text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) if balanced(inner) => inner,
        _ => text,
    };
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    let bytes = inner.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            b' ' if !quoted && depth == 0 && inner[i..].to_ascii_lowercase().starts_with(separator) => {
                out.push(inner[start..i].trim().to_owned());
                start = i + separator.len();
            }
            _ => {}
        }
    }
    out.push(inner[start..].trim().to_owned());
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    text.chars().all(|c| {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        depth >= 0
    }) && depth == 0
}

/// Ovid's limits Medlars knows, each as a PubMed search.
fn limit_query(name: &str) -> Option<Query> {
    let unquoted = name.trim().trim_matches('"').trim();
    let lower = unquoted.to_ascii_lowercase();
    if let Some((key, value)) = lower.split_once('=') {
        return date_limit(key.trim(), value.trim().trim_matches('"').trim());
    }
    let term = |text: &str, field: Field, noexp: bool| {
        Some(Query::Term(Term { quoted: true, noexp, ..Term::new(text, Some(field), Span::default()) }))
    };
    if let Some(language) =
        lower.strip_suffix(" language").or_else(|| LANGUAGES.contains(&lower.as_str()).then_some(lower.as_str()))
    {
        return term(language, Field::Language, false);
    }
    if let Some((_, heading)) = AGE_GROUPS.iter().find(|(limit, _)| *limit == lower) {
        return term(heading, Field::Mesh, false);
    }
    if let Some((_, search)) = HEDGES.iter().find(|(limit, _)| *limit == lower) {
        return super::parse_line(search).ok().map(|p| p.query);
    }
    if let Some(span) = lower.strip_prefix("last ").filter(|s| s.ends_with(" years") || s.ends_with(" year")) {
        return term(&format!("last {span}"), Field::DatePublication, false);
    }
    match lower.as_str() {
        "humans" | "human" => term("humans", Field::Mesh, true),
        "animals" | "animal" => term("animals", Field::Mesh, true),
        "male" | "males" => term("male", Field::Mesh, true),
        "female" | "females" => term("female", Field::Mesh, true),
        "abstracts" => term("hasabstract", Field::Filter, false),
        "core clinical journals (aim)" => term("jsubsetaim", Field::Filter, false),
        _ => PUBLICATION_TYPES
            .iter()
            .find(|(limit, _)| *limit == lower)
            .and_then(|(_, pt)| term(pt, Field::PublicationType, false)),
    }
}

/// `yr="2000 - 2015"`, `yr="1970 -Current"`, `yr=2010`, `ed=19460101-20180131`.
fn date_limit(key: &str, value: &str) -> Option<Query> {
    let field = match key {
        "yr" | "dp" => Field::DatePublication,
        "ed" => Field::DateEntry,
        "dc" => Field::DateCreate,
        _ => return None,
    };
    let (from, to) = value.split_once('-').unwrap_or((value, value));
    let date = |d: &str| -> Option<String> {
        let d = d.trim();
        if d.eq_ignore_ascii_case("current") {
            return Some("3000".into());
        }
        match d.len() {
            4 if d.chars().all(|c| c.is_ascii_digit()) => Some(d.to_owned()),
            8 if d.chars().all(|c| c.is_ascii_digit()) => Some(format!("{}/{}/{}", &d[..4], &d[4..6], &d[6..])),
            _ => None,
        }
    };
    let text = format!("{}:{}", date(from)?, date(to)?);
    Some(Query::Term(Term::new(text, Some(field), Span::default())))
}

/// Languages Ovid's limits name without "language" after them.
const LANGUAGES: &[&str] = &[
    "english",
    "french",
    "german",
    "spanish",
    "italian",
    "japanese",
    "chinese",
    "russian",
    "portuguese",
    "dutch",
    "polish",
    "swedish",
    "danish",
    "norwegian",
    "korean",
];

/// Ovid MEDLINE's age-group limits and the check-tag heading each is.
const AGE_GROUPS: &[(&str, &str)] = &[
    ("newborn infant (birth to 1 month)", "infant, newborn"),
    ("infant (1 to 23 months)", "infant"),
    ("all infant (birth to 23 months)", "infant"),
    ("preschool child (2 to 5 years)", "child, preschool"),
    ("child (6 to 12 years)", "child"),
    ("all child (0 to 18 years)", "child"),
    ("adolescent (13 to 18 years)", "adolescent"),
    ("adult (19 to 44 years)", "adult"),
    ("all adult (19 plus years)", "adult"),
    ("young adult (19 to 24 years)", "young adult"),
    ("middle age (45 to 64 years)", "middle aged"),
    ("middle aged (45 plus years)", "middle aged"),
    ("all aged (65 and over)", "aged"),
    ("aged (80 and over)", "aged, 80 and over"),
];

/// Ovid's publication-type limits and the publication type each is.
const PUBLICATION_TYPES: &[(&str, &str)] = &[
    ("randomized controlled trial", "randomized controlled trial"),
    ("controlled clinical trial", "controlled clinical trial"),
    ("clinical trial", "clinical trial"),
    ("clinical trial, all", "clinical trial"),
    ("meta analysis", "meta-analysis"),
    ("meta-analysis", "meta-analysis"),
    ("systematic reviews", "systematic review"),
    ("systematic review", "systematic review"),
    ("review", "review"),
    ("review articles", "review"),
    ("practice guideline", "practice guideline"),
    ("guideline", "guideline"),
    ("case reports", "case reports"),
    ("comparative study", "comparative study"),
    ("multicenter study", "multicenter study"),
    ("observational study", "observational study"),
    ("letter", "letter"),
    ("editorial", "editorial"),
    ("comment", "comment"),
    ("journal article", "journal article"),
];

/// Ovid's Clinical Queries limits, as the Ovid searches they stand for (Montori et al., BMJ
/// 2005, for the reviews hedge).
const HEDGES: &[(&str, &str)] =
    &[("reviews (maximizes specificity)", "medline.tw. or systematic review.tw. or meta-analysis.pt.")];

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        command(text, &mut Vec::new()).unwrap().unwrap().to_string()
    }

    #[test]
    fn combinations_limits_and_duplicates() {
        assert_eq!(shown("or/1-3"), "#1 OR #2 OR #3");
        assert_eq!(shown("and/6,49"), "#6 AND #49");
        assert_eq!(shown("OR 1-2,5"), "#1 OR #2 OR #5");
        assert!(command("or 3", &mut Vec::new()).unwrap().is_none());
        assert!(command("or ,", &mut Vec::new()).unwrap().is_none());
        assert_eq!(shown("limit 6 to yr=\"1970 -Current\""), "#6 AND 1970:3000[Date - Publication]");
        assert_eq!(shown("limit 35 to ED=19460101-20180131"), "#35 AND 1946/01/01:2018/01/31[Date - Entry]");
        assert_eq!(
            shown("limit 4 to (english language and humans)"),
            "#4 AND \"english\"[Language] AND \"humans\"[MeSH Terms:noexp]"
        );
        assert_eq!(shown("limit 2 to \"all child (0 to 18 years)\""), "#2 AND \"child\"[MeSH Terms]");
        assert_eq!(
            shown("limit 2 to (english and (\"all child (0 to 18 years)\" or \"all aged (65 and over)\"))"),
            "#2 AND \"english\"[Language] AND (\"child\"[MeSH Terms] OR \"aged\"[MeSH Terms])"
        );
        assert_eq!(
            shown("limit 2 to (human and last 5 years)"),
            "#2 AND \"humans\"[MeSH Terms:noexp] AND \"last 5 years\"[Date - Publication]"
        );
        let mut warnings = Vec::new();
        let q = command("limit 3 to no such limit", &mut warnings).unwrap().unwrap();
        assert_eq!(q.to_string(), "#3");
        assert_eq!(warnings, [Warning::LimitUnknown { name: "no such limit".into() }]);
        let mut warnings = Vec::new();
        assert_eq!(command("remove duplicates from 12", &mut warnings).unwrap().unwrap().to_string(), "#12");
        assert_eq!(warnings, [Warning::DuplicatesRemoved { line: 12 }]);
        assert!(command("or/5-3", &mut Vec::new()).is_err());
        assert!(command("or/1-99999999", &mut Vec::new()).is_err());
        assert!(command("limit x to humans", &mut Vec::new()).is_err());
    }
}
