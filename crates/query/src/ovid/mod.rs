//! Ovid MEDLINE's syntax, read into the same [`Query`] PubMed's gives, so the engine runs both
//! alike and the query prints as its PubMed translation.
//!
//! - `X/` a heading alone, `exp X/` exploded, `*X/` as a major topic, `X/dt,th` with subheadings;
//! - `words.ti,ab.` in fields (`fields.rs`); a word run is a phrase; a search with no suffix is
//!   `.mp.`, as Ovid runs it with mapping off, which is how strategies are published;
//! - `$`, `*` (any ending), `$N` (up to N more characters), `#` (one), `?` (one or none);
//! - `a adjN b`: within N words in either order, `adj` alone adjacent in the order written;
//! - `or/1-12`, `and/3,7`, `1 and 2 not 3`, `limit N to ...`, `remove duplicates from N`.
//!
//! Operators bind as Ovid's do: parentheses, then `adj`, then `and` and `not` left to right,
//! then `or`. Operators are any case.

mod commands;
mod fields;
mod lex;

use std::collections::HashSet;

use lex::{Tok, Token};

use crate::ast::{Near, Query, Span, Term, WILDCARDS, pubmed_word};
use crate::field::{Field, FieldKind};
use crate::parse::{MAX_DEPTH, MAX_QUERY_BYTES, Parsed, QueryError, balance_parentheses};
use crate::subheading;
use crate::warning::Warning;

/// The deepest nesting of parentheses in a line: each level costs five parser frames here, so
/// this stays well below PubMed syntax's [`MAX_DEPTH`], and far above what strategies use.
const MAX_NESTING: usize = 64;
/// The most words looked through for a heading's `/` after `exp` (MeSH's longest name has 16).
const MAX_HEADING_WORDS: usize = 32;
/// The most operands one `adj` chain takes, and the most choices of their alternatives.
const MAX_NEAR_OPERANDS: usize = 6;
const MAX_NEAR_CHOICES: usize = 1024;

fn error<T>(position: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError { message: message.into(), position })
}

/// Parses one line of Ovid syntax.
pub fn parse_line(text: &str) -> Result<Parsed, QueryError> {
    if text.len() > MAX_QUERY_BYTES {
        return error(MAX_QUERY_BYTES, format!("the search is longer than {MAX_QUERY_BYTES} bytes"));
    }
    let mut warnings = Vec::new();
    if let Some(query) = commands::command(text, &mut warnings)? {
        return Ok(Parsed { query, warnings });
    }
    let tokens = balance_parentheses(lex::lex(text, &mut warnings)?, &mut warnings);
    if tokens.is_empty() {
        return error(0, "the search is empty");
    }
    let mut parser = Parser { tokens, at: 0, end: text.len(), warnings, unfielded: HashSet::new() };
    let query = parser.or_expression(0)?;
    if let Some(t) = parser.peek() {
        return error(t.span.start, "unexpected text");
    }
    let query = parser.default_fields(query);
    if query.depth() > MAX_DEPTH {
        return error(0, format!("operators nested deeper than {MAX_DEPTH}"));
    }
    Ok(Parsed { query, warnings: parser.warnings })
}

/// Whether a line shows Ovid's syntax: a heading's slash, a field suffix, `adjN`, `$`, one of
/// Ovid's commands, or line numbers combined by lower-case `or`, `and`, `not`.
pub fn shows_syntax(line: &str) -> bool {
    if is_command(line) {
        return true;
    }
    let Ok(tokens) = lex::lex(line, &mut Vec::new()) else { return false };
    let signs = tokens.iter().any(|t| match &t.tok {
        Tok::Slash(_) | Tok::Suffix(_) | Tok::Adj(Some(_)) => true,
        Tok::Word(w) => w.contains('$'),
        _ => false,
    });
    let words: Vec<&str> = line.split_whitespace().collect();
    let lower_combination = words.len() >= 3
        && words.iter().any(|w| matches!(*w, "or" | "and" | "not"))
        && words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()) || matches!(*w, "or" | "and" | "not"));
    signs || lower_combination
}

/// Whether a line is one of Ovid's whole-line commands (`or/1-5`, `limit 3 to ...`).
pub fn is_command(line: &str) -> bool {
    commands::command(line, &mut Vec::new()).is_ok_and(|q| q.is_some())
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    end: usize,
    warnings: Vec<Warning>,
    /// The spans of `adj` searches no suffix has given a field yet.
    unfielded: HashSet<(usize, usize)>,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn peek_tok(&self) -> Option<&Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn warn(&mut self, warning: Warning) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    fn or_expression(&mut self, depth: usize) -> Result<Query, QueryError> {
        let mut operands = vec![self.and_expression(depth)?];
        while let Some(Token { tok: Tok::Or, span }) = self.peek().cloned() {
            self.at += 1;
            self.operand_follows("or", span)?;
            operands.push(self.and_expression(depth)?);
        }
        Ok(Query::chain(operands, false))
    }

    /// `and` and `not`, left to right; two searches side by side are ANDed.
    fn and_expression(&mut self, depth: usize) -> Result<Query, QueryError> {
        let mut run = vec![self.adj_expression(depth)?];
        loop {
            let negate = match self.peek().cloned() {
                Some(Token { tok: Tok::And, span }) => {
                    self.at += 1;
                    self.operand_follows("and", span)?;
                    false
                }
                Some(Token { tok: Tok::Not, span }) => {
                    self.at += 1;
                    self.operand_follows("not", span)?;
                    true
                }
                Some(Token { tok: Tok::Open | Tok::Word(_) | Tok::Phrase(_), .. }) => false,
                _ => break,
            };
            let right = self.adj_expression(depth)?;
            if negate {
                let left = Query::chain(std::mem::take(&mut run), true);
                run.push(Query::Not(Box::new(left), Box::new(right)));
            } else {
                run.push(right);
            }
        }
        Ok(Query::chain(run, true))
    }

    fn operand_follows(&self, op: &str, span: Span) -> Result<(), QueryError> {
        match self.peek_tok() {
            None | Some(Tok::Close | Tok::And | Tok::Or | Tok::Not | Tok::Adj(_)) => {
                error(span.start, format!("{op} has nothing after it"))
            }
            _ => Ok(()),
        }
    }

    /// A chain `a adjN b adjM c`: one proximity search, the widest gap for all.
    fn adj_expression(&mut self, depth: usize) -> Result<Query, QueryError> {
        let start = self.peek().map_or(self.end, |t| t.span.start);
        let first = self.suffixed(depth)?;
        if !matches!(self.peek_tok(), Some(Tok::Adj(_))) {
            return Ok(first);
        }
        let mut fields = Vec::new();
        let mut operands = vec![alternatives(&first, start, &mut fields)?];
        let (mut gap, mut ordered) = (0, true);
        while let Some(Token { tok: Tok::Adj(n), span }) = self.peek().cloned() {
            self.at += 1;
            self.operand_follows("adj", span)?;
            if let Some(n) = n {
                ordered = false;
                gap = gap.max(n.saturating_sub(1));
            }
            let at = self.peek().map_or(self.end, |t| t.span.start);
            let next = self.suffixed(depth)?;
            operands.push(alternatives(&next, at, &mut fields)?);
        }
        let span = Span { start, end: self.tokens[self.at - 1].span.end };
        if operands.len() > MAX_NEAR_OPERANDS {
            return error(start, format!("adj joins at most {MAX_NEAR_OPERANDS} searches in one chain"));
        }
        let choices = operands.iter().try_fold(1usize, |n, o| n.checked_mul(o.len())).unwrap_or(usize::MAX);
        if choices > MAX_NEAR_CHOICES {
            return error(start, format!("adj here has {choices} choices of alternatives; at most {MAX_NEAR_CHOICES}"));
        }
        let near = Near { operands, field: Field::TextWord, gap, ordered, span };
        if fields.is_empty() {
            self.unfielded.insert((span.start, span.end));
            return Ok(Query::Near(near));
        }
        let nears = fields.into_iter().map(|field| self.fielded_near(Near { field, ..near.clone() })).collect();
        Ok(Query::chain(nears, false))
    }

    fn fielded_near(&mut self, near: Near) -> Query {
        let wildcards = near.operands.iter().flatten().any(|w| w.contains(WILDCARDS));
        if wildcards || !matches!(near.field, Field::Title | Field::TitleAbstract | Field::Affiliation) {
            self.warn(Warning::ProximityNotInPubMed { text: ovid_text(&near) });
        }
        Query::Near(near)
    }

    /// A search and the field suffix after it.
    fn suffixed(&mut self, depth: usize) -> Result<Query, QueryError> {
        let q = self.primary(depth)?;
        match self.peek().cloned() {
            Some(Token { tok: Tok::Suffix(codes), span }) => {
                self.at += 1;
                let fields = fields::fields_of(&codes);
                for code in &codes {
                    if let Some(differs) = code.differs {
                        self.warn(Warning::OvidField { suffix: code.code.to_owned(), differs });
                    }
                }
                self.in_fields(q, &fields, span)
            }
            _ => Ok(q),
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Query, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return error(self.end, "the search ends where a term was expected");
        };
        let start = token.span.start;
        match token.tok {
            Tok::Open => {
                if depth >= MAX_NESTING {
                    return error(start, format!("parentheses nested deeper than {MAX_NESTING}"));
                }
                self.at += 1;
                if matches!(self.peek_tok(), Some(Tok::Close)) {
                    return error(start, "empty parentheses");
                }
                let inner = self.or_expression(depth + 1)?;
                match self.peek_tok() {
                    Some(Tok::Close) => self.at += 1,
                    _ => return error(start, "( without )"),
                }
                Ok(inner)
            }
            Tok::Close => error(start, ") without ("),
            Tok::And | Tok::Or | Tok::Not | Tok::Adj(_) => error(start, "an operator has nothing before it"),
            Tok::Suffix(_) => error(start, "a field suffix has no search before it"),
            Tok::Slash(_) => error(start, "/ has no heading before it"),
            Tok::Word(_) | Tok::Phrase(_) => self.words_or_heading(),
        }
    }

    /// Whether the words from `at` end in a heading's slash (within a heading's length, so that
    /// a line of many `exp` is not read over and over).
    fn heading_follows(&self, from: usize) -> bool {
        let ahead = self.tokens[from..].iter().take(MAX_HEADING_WORDS + 1);
        let mut rest = ahead.skip_while(|t| matches!(t.tok, Tok::Word(_) | Tok::Phrase(_)));
        matches!(rest.next().map(|t| &t.tok), Some(Tok::Slash(_)))
    }

    fn words_or_heading(&mut self) -> Result<Query, QueryError> {
        let first = self.peek().cloned().expect("a word or phrase");
        let explode =
            matches!(&first.tok, Tok::Word(w) if w.eq_ignore_ascii_case("exp")) && self.heading_follows(self.at + 1);
        if explode {
            self.at += 1;
        }
        let mut span = self.peek().expect("words follow exp").span;
        let mut words = Vec::new();
        let mut quoted = false;
        match self.peek().cloned().map(|t| t.tok) {
            Some(Tok::Phrase(p)) => {
                self.at += 1;
                words.push(p);
                quoted = true;
            }
            _ => {
                while let Some(Token { tok: Tok::Word(w), span: s }) = self.peek().cloned() {
                    self.at += 1;
                    span.end = s.end;
                    words.push(w);
                }
            }
        }
        if let Some(Token { tok: Tok::Slash(subheadings), span: slash }) = self.peek().cloned() {
            if words.is_empty() {
                return error(span.start, "exp with no heading");
            }
            self.at += 1;
            span.end = slash.end;
            // `CONTRACEPTION/ EXP`: the explosion written after the heading.
            let exp_after = matches!(self.peek_tok(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case("exp"));
            if exp_after {
                self.at += 1;
            }
            return Ok(heading(&words.join(" "), explode || exp_after, &subheadings, span));
        }
        let text = words.join(" ");
        let reference = text.strip_prefix('#').unwrap_or(&text);
        if !quoted
            && words.len() == 1
            && !matches!(self.peek_tok(), Some(Tok::Suffix(_)))
            && let Ok(number) = reference.parse::<u32>()
        {
            return Ok(Query::History { number, span });
        }
        Ok(Query::Term(self.words_term(&words, span)))
    }

    /// Words as one phrase, with Ovid's truncation written as the query language's.
    fn words_term(&mut self, words: &[String], span: Span) -> Term {
        let mut canonical = Vec::new();
        for raw in words.iter().flat_map(|w| w.split(' ')) {
            let word = canonical_word(raw);
            let inside = word.trim_end_matches('*').contains(WILDCARDS);
            if inside {
                self.warn(Warning::OvidWildcard { word: raw.to_owned(), translated: pubmed_word(&word) });
            }
            canonical.push(word);
        }
        Term { quoted: true, wildcards: true, ..Term::new(canonical.join(" "), None, span) }
    }

    /// The search with every term and `adj` no suffix has reached put in `fields` (each leaf
    /// in any of them), headings and line numbers left as they are.
    fn in_fields(&mut self, q: Query, fields: &[(Field, bool)], at: Span) -> Result<Query, QueryError> {
        Ok(match q {
            Query::Term(t) if t.field.is_none() => Query::chain(
                fields.iter().map(|&(field, noexp)| Query::Term(term_in(&t, field, noexp))).collect(),
                false,
            ),
            Query::Near(near) if self.unfielded.remove(&(near.span.start, near.span.end)) => {
                let mut nears = Vec::new();
                for &(field, _) in fields {
                    if field.kind() != FieldKind::Text {
                        return error(at.start, format!("adj searches words of text; [{}] holds none", field.tag()));
                    }
                    nears.push(self.fielded_near(Near { field, ..near.clone() }));
                }
                Query::chain(nears, false)
            }
            Query::And(a, b) => Query::and(self.in_fields(*a, fields, at)?, self.in_fields(*b, fields, at)?),
            Query::Or(a, b) => Query::or(self.in_fields(*a, fields, at)?, self.in_fields(*b, fields, at)?),
            Query::Not(a, b) => {
                Query::Not(Box::new(self.in_fields(*a, fields, at)?), Box::new(self.in_fields(*b, fields, at)?))
            }
            other => other,
        })
    }

    /// What no suffix reached is `.mp.`.
    fn default_fields(&mut self, q: Query) -> Query {
        let unfielded = q.terms().iter().any(|t| t.field.is_none()) || !self.unfielded.is_empty();
        if !unfielded {
            return q;
        }
        let mp = fields::lookup("mp").expect("mp is a code");
        self.warn(Warning::OvidField { suffix: mp.code.to_owned(), differs: mp.differs.expect("mp differs") });
        self.in_fields(q, &[(mp.field, false)], Span::default()).expect("[tw] is a text field")
    }
}

/// `(macul* or retina*) adj3 degener*`: an `adj` search written back, short, for a warning.
fn ovid_text(near: &Near) -> String {
    let operator = match (near.ordered, near.gap) {
        (true, _) => " adj ".to_owned(),
        (false, gap) => format!(" adj{} ", gap + 1),
    };
    let operands: Vec<String> = near
        .operands
        .iter()
        .map(|alternatives| match alternatives.as_slice() {
            [one] => one.clone(),
            several => format!("({})", several.join(" or ")),
        })
        .collect();
    operands.join(&operator)
}

/// The alternatives an `adj` operand offers: a word or phrase, or several joined by `or`.
/// Fields given to them by suffixes are gathered into `fields`.
fn alternatives(q: &Query, at: usize, fields: &mut Vec<Field>) -> Result<Vec<String>, QueryError> {
    let mut out = Vec::new();
    let mut stack = vec![q];
    while let Some(q) = stack.pop() {
        match q {
            Query::Term(t) if t.field.is_none_or(|f| f.kind() == FieldKind::Text) => {
                if !out.contains(&t.text) {
                    out.push(t.text.clone());
                }
                if let Some(f) = t.field
                    && !fields.contains(&f)
                {
                    fields.push(f);
                }
            }
            Query::Or(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Query::Near(_) => return error(at, "adj inside adj: write one chain (a adj2 b adj2 c)"),
            _ => return error(at, "adj joins words and phrases, alone or joined by or"),
        }
    }
    Ok(out)
}

/// A term put in a field, its text as that field takes it.
fn term_in(t: &Term, field: Field, noexp: bool) -> Term {
    let text = match field {
        Field::Subheading => subheading::name(&t.text).map_or(t.text.clone(), str::to_owned),
        // `(2017* or 2018*).ed.`: a year is already every day in it; Ovid's range `2000-2015`.
        _ if field.kind() == FieldKind::Date => t.text.trim_end_matches('*').replace('-', ":"),
        _ => t.text.clone(),
    };
    Term { text, field: Some(field), noexp, ..t.clone() }
}

/// `X/`, `exp X/`, `*X/`, `X/dt,th`, `exp "clinical trial [publication type]"/`.
fn heading(text: &str, explode: bool, subheadings: &[&str], span: Span) -> Query {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let (major, name) = match text.strip_prefix('*') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.as_str()),
    };
    let name = canonical_word(name);
    let lower = name.to_ascii_lowercase();
    let (field, name) = match lower.strip_suffix("[publication type]") {
        Some(_) => (Field::PublicationType, name[..lower.len() - "[publication type]".len()].trim_end().to_owned()),
        None => (if major { Field::MeshMajor } else { Field::Mesh }, name),
    };
    let term = |text: String| Query::Term(Term { quoted: true, noexp: !explode, ..Term::new(text, Some(field), span) });
    if subheadings.is_empty() || field == Field::PublicationType {
        return term(name);
    }
    Query::chain(subheadings.iter().map(|s| term(format!("{name}/{s}"))).collect(), false)
}

/// Ovid's truncation as the query language writes it: `$` and `*` are `*` (any characters);
/// `$N`/`*N` at a word's end, up to N more characters, are N `?`; `#` and `?` stay.
fn canonical_word(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.char_indices() {
        if c != '$' && c != '*' {
            out.push(c);
            continue;
        }
        let rest = &raw[i + 1..];
        let limited = !rest.is_empty() && rest.chars().all(|d| d.is_ascii_digit());
        if limited {
            let n = rest.parse::<usize>().unwrap_or(1).clamp(1, 9);
            out.extend(std::iter::repeat_n('?', n));
            break;
        }
        out.push('*');
    }
    out
}

#[cfg(test)]
mod tests;
