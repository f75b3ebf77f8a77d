//! Searches combined as parsed queries, never as text pasted together and parsed again: a
//! history's `#N` replaced by the search it names, a strategy as one query (to keep it in a
//! history), and a strategy restricted by a filter or a date limit.

use crate::ast::{Query, Span, Term};
use crate::field::Field;
use crate::parse::MAX_DEPTH;
use crate::strategy::{Dialect, Line};

/// The most terms and operators a query may hold once its history references are replaced: a
/// search of a search of ... each naming the one before twice doubles at every step.
pub const MAX_COMBINED_NODES: usize = 100_000;

/// Why searches could not be combined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CombineError {
    /// `#N` names a search the history does not hold.
    #[error("#{0} is not in your search history")]
    NotInHistory(u32),
    /// The combined query would nest its operators too deeply for one search.
    #[error("the searches combined nest operators deeper than {MAX_DEPTH}")]
    TooDeep,
    /// The combined query would hold too many terms and operators.
    #[error("the searches combined hold more than {MAX_COMBINED_NODES} terms and operators")]
    TooLarge,
}

impl Query {
    /// The query with each `#N` replaced by the search `search(N)` gives (itself a query with
    /// no references left). Errs as `search` does (with [`CombineError::NotInHistory`] for a
    /// search it does not hold), or when the result would be deeper than a parsed query may be
    /// or larger than [`MAX_COMBINED_NODES`].
    pub fn with_searches(self, search: &impl Fn(u32) -> Result<Query, CombineError>) -> Result<Query, CombineError> {
        if self.depth() > MAX_DEPTH {
            return Err(CombineError::TooDeep);
        }
        let mut nodes = 0;
        let combined = replace_references(self, search, &mut nodes)?;
        if combined.depth() > MAX_DEPTH {
            return Err(CombineError::TooDeep);
        }
        Ok(combined)
    }

    /// The query with `field` given to every term typed without a tag (ESearch's `field=`).
    pub fn with_field(self, field: Field) -> Query {
        // As deep as the query, which parsing bounded.
        match self {
            Query::Term(term) if term.field.is_none() => Query::Term(Term { field: Some(field), ..term }),
            Query::And(a, b) => Query::and(a.with_field(field), b.with_field(field)),
            Query::Or(a, b) => Query::or(a.with_field(field), b.with_field(field)),
            Query::Not(a, b) => Query::Not(Box::new(a.with_field(field)), Box::new(b.with_field(field))),
            other => other,
        }
    }

    /// The number of terms, references and operators.
    pub fn size(&self) -> usize {
        let mut size = 0;
        let mut stack = vec![self];
        while let Some(q) = stack.pop() {
            size += 1;
            if let Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) = q {
                stack.push(a);
                stack.push(b);
            }
        }
        size
    }
}

/// Recursion as deep as the query, which [`Query::with_searches`] bounded first.
fn replace_references(
    query: Query,
    search: &impl Fn(u32) -> Result<Query, CombineError>,
    nodes: &mut usize,
) -> Result<Query, CombineError> {
    let join = |a: Box<Query>, b: Box<Query>, nodes: &mut usize| -> Result<(Box<Query>, Box<Query>), CombineError> {
        *nodes += 1;
        Ok((Box::new(replace_references(*a, search, nodes)?), Box::new(replace_references(*b, search, nodes)?)))
    };
    let replaced = match query {
        Query::History { number, .. } => {
            let found = search(number)?;
            *nodes += found.size();
            found
        }
        Query::And(a, b) => {
            let (a, b) = join(a, b, nodes)?;
            Query::And(a, b)
        }
        Query::Or(a, b) => {
            let (a, b) = join(a, b, nodes)?;
            Query::Or(a, b)
        }
        Query::Not(a, b) => {
            let (a, b) = join(a, b, nodes)?;
            Query::Not(a, b)
        }
        other => {
            *nodes += 1;
            other
        }
    };
    if *nodes > MAX_COMBINED_NODES { Err(CombineError::TooLarge) } else { Ok(replaced) }
}

/// A strategy as the one query its last line means: each `#N` naming an earlier line replaced
/// by that line's query, so a history can keep it and a later search name it. A reference to a
/// line the strategy lacks stays as it is.
pub fn strategy_as_query(lines: &[Line]) -> Result<Query, CombineError> {
    let mut done: Vec<(u32, Query)> = Vec::with_capacity(lines.len());
    for line in lines {
        let earlier = |n: u32| {
            let found = done.iter().rev().find(|(number, _)| *number == n).map(|(_, q)| q.clone());
            Ok(found.unwrap_or(Query::History { number: n, span: Span::default() }))
        };
        let query = line.parsed.query.clone().with_searches(&earlier)?;
        done.push((line.number, query));
    }
    Ok(done.pop().map(|(_, q)| q).expect("a strategy has at least one line"))
}

/// Restricts a strategy's answer by `clause` (a sidebar filter, a date limit): a single line of
/// PubMed's syntax has the clause ANDed to it; a strategy of several lines, or a line read as
/// Ovid's, gets one more line combining its last with the clause, so its own lines keep their
/// counts.
pub fn restrict(lines: &mut Vec<Line>, clause: Query) {
    let single = lines.len() == 1;
    let last = lines.last_mut().expect("a strategy has at least one line");
    if single && last.dialect == Dialect::PubMed {
        let query = Query::and(last.parsed.query.clone(), clause);
        last.text = query.to_string();
        last.parsed.query = query;
        return;
    }
    let reference = Query::History { number: last.number, span: Span::default() };
    let query = Query::and(reference, clause);
    let number = lines.iter().map(|l| l.number).max().unwrap_or(0) + 1;
    lines.push(Line::of_query(number, query));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::strategy::parse_strategy;

    fn query(text: &str) -> Query {
        parse(text).unwrap().query
    }

    #[test]
    fn references_are_replaced_by_the_searches_they_name() {
        let history = |n: u32| match n {
            1 => Ok(query("cancer")),
            2 => Ok(query("cancer AND 2020[dp]")),
            _ => Err(CombineError::NotInHistory(n)),
        };
        let combined = query("#1 OR (#2 NOT heart)").with_searches(&history).unwrap();
        let typed = query("cancer OR ((cancer AND 2020[dp]) NOT heart)");
        assert_eq!(combined.to_string(), typed.to_string());
        assert_eq!(combined.to_string(), "\"cancer\" OR ((\"cancer\" AND 2020[Date - Publication]) NOT \"heart\")");
        assert_eq!(query("#1 OR #12").with_searches(&history), Err(CombineError::NotInHistory(12)));
    }

    #[test]
    fn a_search_naming_the_one_before_twice_at_every_step_is_refused_once_too_large() {
        let mut searches = vec![query("cancer")];
        let mut refused = None;
        for step in 1..40 {
            let known = searches.clone();
            let history = |n: u32| known.get(n as usize - 1).cloned().ok_or(CombineError::NotInHistory(n));
            match query(&format!("#{step} OR #{step}")).with_searches(&history) {
                Ok(q) => searches.push(q),
                Err(e) => {
                    refused = Some((step, e));
                    break;
                }
            }
        }
        let (step, error) = refused.expect("refused before 2^40 terms");
        assert_eq!(error, CombineError::TooLarge);
        assert!(searches.last().unwrap().size() <= MAX_COMBINED_NODES && step < 20, "{step}");
    }

    #[test]
    fn a_chain_of_searches_is_refused_once_deeper_than_a_query_may_be() {
        let mut last = query("cancer");
        for step in 0..MAX_DEPTH * 2 {
            let known = last.clone();
            match query("#1 NOT heart").with_searches(&|_| Ok(known.clone())) {
                Ok(q) => last = q,
                Err(e) => {
                    assert_eq!(e, CombineError::TooDeep);
                    assert!(step >= MAX_DEPTH - 2, "{step}");
                    return;
                }
            }
        }
        panic!("a chain {} deep was accepted", last.depth());
    }

    #[test]
    fn a_field_goes_to_the_terms_typed_without_a_tag() {
        let given = query("heart attack OR (lung NOT cancer[ti])").with_field(Field::Title);
        assert_eq!(given.to_string(), query("heart attack[ti] OR (lung[ti] NOT cancer[ti])").to_string());
    }

    #[test]
    fn a_strategy_is_kept_as_the_query_its_last_line_means() {
        let lines = parse_strategy("heart\nattack\n#1 AND #2\n#3 NOT #1").unwrap();
        let combined = strategy_as_query(&lines).unwrap();
        assert_eq!(combined.to_string(), "(\"heart\" AND \"attack\") NOT \"heart\"");
        let unknown = Query::and(query("heart"), Query::History { number: 7, span: Span::default() });
        let mut with_unknown = parse_strategy("heart").unwrap();
        with_unknown[0].parsed.query = unknown.clone();
        assert_eq!(strategy_as_query(&with_unknown).unwrap(), unknown, "a line the strategy lacks stays named");
    }

    #[test]
    fn a_single_line_has_the_clause_anded_and_a_strategy_gets_a_line_more() {
        let mut one = parse_strategy("heart OR lung").unwrap();
        restrict(&mut one, query("review[pt]"));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].parsed.query, Query::and(query("heart OR lung"), query("review[pt]")));
        let mut several = parse_strategy("heart\nlung\n#1 OR #2").unwrap();
        several[1].number = 5;
        restrict(&mut several, query("review[pt]"));
        let added = several.last().unwrap();
        assert_eq!((several.len(), added.number, added.dialect), (4, 6, Dialect::PubMed));
        assert_eq!(added.parsed.query.history_numbers(), vec![3]);
        assert_eq!(added.text, "#3 AND \"review\"[Publication Type]");
        let mut ovid = parse_strategy("exp heart diseases/").unwrap();
        restrict(&mut ovid, query("review[pt]"));
        assert_eq!(ovid.len(), 2);
    }
}
