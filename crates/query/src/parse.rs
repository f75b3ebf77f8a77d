//! From query text to [`Query`]: a lexer and a left-to-right parser, as PubMed reads queries.
//!
//! AND, OR and NOT (upper case only) combine strictly left to right; parentheses group; adjacent
//! terms are ANDed. A run of words up to the next operator, parenthesis, quote or tag is one term,
//! and a tag applies to that whole run (`clinical trials as topic[mh]`). Every error names the byte
//! position where it was found.

use crate::ast::{Query, Span, Term};
use crate::field::{Field, FieldKind};
use crate::warning::Warning;

/// The longest query accepted, in bytes (PubMed's own limit is lower): room for a posted set of
/// 10,000 PMIDs searched as `#N` (`1,2,…[uid]`, about 90 KB).
pub const MAX_QUERY_BYTES: usize = 128 * 1024;
/// The deepest nesting of parentheses accepted, and of operators (each NOT of a chain is one
/// level; a run of AND or of OR adds log2 of its length): far above any real strategy, and low
/// enough that every walk of the tree fits a server thread's stack.
pub const MAX_DEPTH: usize = 256;

/// A query that cannot be searched, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at position {position})")]
pub struct QueryError {
    /// What is wrong, and what to do.
    pub message: String,
    /// 0-based byte offset into the query.
    pub position: usize,
}

fn error<T>(position: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError { message: message.into(), position })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    /// A lone `:` between two dates.
    Colon,
    Word(String),
    Phrase(String),
    Tag(String),
    History(u32),
}

/// A token of either dialect with where it was typed.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) tok: T,
    pub(crate) span: Span,
}

type Token = Spanned<Tok>;

pub(crate) fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '″')
}

fn lex(text: &str, warnings: &mut Vec<Warning>) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let single = |tok| Token { tok, span: Span { start, end: start + c.len_utf8() } };
        match c {
            '(' => {
                chars.next();
                tokens.push(single(Tok::Open));
            }
            ')' => {
                chars.next();
                tokens.push(single(Tok::Close));
            }
            ']' => return error(start, "] without [: remove it, or open the tag with ["),
            '[' => {
                chars.next();
                let Some(end) = text[start + 1..].find(']').map(|i| start + 1 + i) else {
                    return error(start, "[ without ]: close the tag, e.g. cancer[tiab]");
                };
                tokens
                    .push(Token { tok: Tok::Tag(text[start + 1..end].to_owned()), span: Span { start, end: end + 1 } });
                while chars.peek().is_some_and(|&(i, _)| i <= end) {
                    chars.next();
                }
            }
            c if is_quote(c) => {
                chars.next();
                let rest = &text[start + c.len_utf8()..];
                match rest.find(is_quote) {
                    Some(i) => {
                        let end = start + c.len_utf8() + i;
                        let close_len = rest[i..].chars().next().map_or(1, char::len_utf8);
                        let phrase = text[start + c.len_utf8()..end].to_owned();
                        tokens.push(Token { tok: Tok::Phrase(phrase), span: Span { start, end: end + close_len } });
                        while chars.peek().is_some_and(|&(j, _)| j < end + close_len) {
                            chars.next();
                        }
                    }
                    None => {
                        // A quote glued to the end of a word with no partner (`Serology"[MeSH]`) is a
                        // stray closing quote: dropped, with a warning. Any other lone quote is an error.
                        let glued = start > 0 && !text[..start].ends_with(char::is_whitespace);
                        if glued {
                            warnings.push(Warning::UnpairedQuote { position: start });
                        } else {
                            return error(
                                start,
                                "quotation mark without a closing one: end the phrase with another \"",
                            );
                        }
                    }
                }
            }
            _ => {
                let mut end = start;
                while let Some(&(i, c)) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']') || is_quote(c) {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                let word = &text[start..end];
                let span = Span { start, end };
                let tok = match word {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    ":" => Tok::Colon,
                    _ => match word.strip_prefix('#').map(str::parse::<u32>) {
                        Some(Ok(n)) => Tok::History(n),
                        _ => Tok::Word(word.to_owned()),
                    },
                };
                tokens.push(Token { tok, span });
            }
        }
    }
    Ok(tokens)
}

/// A parsed query with what the user should be told about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The query.
    pub query: Query,
    /// What the reader should know about it.
    pub warnings: Vec<Warning>,
}

/// Where a query refers to earlier searches, as the parser reads it (`#N` outside quotes of
/// any kind and tags): each reference's byte range and number. For a caller keeping its own
/// history (the pages' per-browser one), so that it finds the references this parser will.
pub fn history_references(text: &str) -> Result<Vec<(std::ops::Range<usize>, u32)>, QueryError> {
    let tokens = lex(text, &mut Vec::new())?;
    Ok(tokens
        .into_iter()
        .filter_map(|t| match t.tok {
            Tok::History(n) => Some((t.span.start..t.span.end, n)),
            _ => None,
        })
        .collect())
}

/// The field a tag's name gives, as the parser reads it: the field it names, else the one it
/// nearly spells (a misspelling, with a warning), else All Fields (with a warning).
pub fn read_tag(name: &str, warnings: &mut Vec<Warning>) -> Field {
    match Field::from_tag(name).or_else(|| Field::nearest_tag(name)) {
        Some(f) => {
            if Field::from_tag(name).is_none() {
                warnings.push(Warning::TagRead { typed: name.trim().to_owned(), read: f.tag().to_owned() });
            }
            f
        }
        None => {
            warnings.push(Warning::UnknownField { field: name.trim().to_owned() });
            Field::All
        }
    }
}

/// Parses one query (one line of a strategy).
pub fn parse(text: &str) -> Result<Parsed, QueryError> {
    if text.len() > MAX_QUERY_BYTES {
        return error(MAX_QUERY_BYTES, format!("the query is longer than {MAX_QUERY_BYTES} bytes"));
    }
    let mut warnings = Vec::new();
    let tokens = lex(text, &mut warnings)?;
    let mut tokens = balance_parentheses(tokens, &mut warnings);
    read_lowercase_operators(&mut tokens, &mut warnings);
    // `OR x` where a line continues one that is not there: the operator is dropped (NOT is
    // kept, and refused, as dropping it would turn the search around).
    if let Some(Token { tok: tok @ (Tok::And | Tok::Or), .. }) = tokens.first()
        && tokens.len() > 1
    {
        warnings.push(Warning::LeadingOperator { word: if *tok == Tok::And { "AND" } else { "OR" } });
        tokens.remove(0);
    }
    if tokens.is_empty() {
        return error(0, "the query is empty");
    }
    let mut parser = Parser { tokens, at: 0, end: text.len(), warnings };
    let query = parser.expression(0)?;
    if query.depth() > MAX_DEPTH {
        return error(0, format!("operators nested deeper than {MAX_DEPTH} (a chain of NOTs counts one per NOT)"));
    }
    if let Some(t) = parser.peek() {
        return match t.tok {
            Tok::Close => error(t.span.start, ") without ("),
            _ => error(t.span.start, "unexpected text"),
        };
    }
    Ok(Parsed { query, warnings: parser.warnings })
}

/// Lower-case `and`, `or`, `not` are words, except between two complete searches
/// (`bile duct[tiab] or biliary[tiab]`), where they can be nothing but the operator, and are
/// read as one. Either way the reader is told.
fn read_lowercase_operators(tokens: &mut [Token], warnings: &mut Vec<Warning>) {
    for i in 0..tokens.len() {
        let Tok::Word(w) = &tokens[i].tok else { continue };
        let operator = match w.as_str() {
            "and" => Tok::And,
            "or" => Tok::Or,
            "not" => Tok::Not,
            _ => continue,
        };
        let word = w.clone();
        let after_search =
            i > 0 && matches!(tokens[i - 1].tok, Tok::Tag(_) | Tok::Phrase(_) | Tok::Close | Tok::History(_));
        let before_search = matches!(
            tokens.get(i + 1).map(|t| &t.tok),
            Some(Tok::Word(_) | Tok::Phrase(_) | Tok::Open | Tok::History(_))
        );
        let read = after_search && before_search;
        if read {
            tokens[i].tok = operator;
        }
        warnings.push(Warning::LowercaseOperator { word, read });
    }
}

/// A kind of token that has parentheses, for [`balance_parentheses`].
pub(crate) trait Bracket {
    /// `Some(true)` for `(`, `Some(false)` for `)`.
    fn bracket(&self) -> Option<bool>;
    /// `)`.
    fn close() -> Self;
}

impl Bracket for Tok {
    fn bracket(&self) -> Option<bool> {
        match self {
            Tok::Open => Some(true),
            Tok::Close => Some(false),
            _ => None,
        }
    }

    fn close() -> Self {
        Tok::Close
    }
}

/// Tokens with every `)` that closes nothing dropped and every `(` left open closed at the
/// end, each with a warning: what a search evidently meant, as PubMed runs it.
pub(crate) fn balance_parentheses<T: Bracket>(tokens: Vec<Spanned<T>>, warnings: &mut Vec<Warning>) -> Vec<Spanned<T>> {
    let mut open: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(tokens.len());
    let mut end = 0;
    for token in tokens {
        let position = token.span.start;
        end = end.max(position + 1);
        match token.tok.bracket() {
            Some(true) => open.push(position),
            Some(false) if open.pop().is_none() => {
                warnings.push(Warning::UnbalancedParenthesis { position, closed: false });
                continue;
            }
            _ => {}
        }
        out.push(token);
    }
    for at in open.into_iter().rev() {
        warnings.push(Warning::UnbalancedParenthesis { position: at, closed: true });
        out.push(Spanned { tok: T::close(), span: Span { start: end, end } });
    }
    out
}

/// Adds `right` to the run of operands under `op`: the same associative operator extends the
/// run; another one closes it, its tree becoming the left operand of the next.
fn push_operand(run: &mut Vec<Query>, run_op: &mut Op, op: Op, right: Query) {
    if op == Op::Not {
        let left = balanced(*run_op, std::mem::take(run));
        run.push(Query::Not(Box::new(left), Box::new(right)));
        return;
    }
    if run.len() > 1 && *run_op != op {
        let left = balanced(*run_op, std::mem::take(run));
        run.push(left);
    }
    *run_op = op;
    run.push(right);
}

/// Operands of one associative operator, in order, as a balanced tree.
fn balanced(op: Op, operands: Vec<Query>) -> Query {
    Query::chain(operands, op != Op::Or)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    end: usize,
    warnings: Vec<Warning>,
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    And,
    Or,
    Not,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    /// Units joined by operators, strictly left to right; adjacent units are ANDed. A run of one
    /// associative operator (`a OR b OR c ...`) becomes a balanced tree, so that the depth of a
    /// query grows with its nesting, not with its length.
    fn expression(&mut self, depth: usize) -> Result<Query, QueryError> {
        let mut run: Vec<Query> = vec![self.unit(depth)?];
        let mut run_op = Op::And;
        while let Some(token) = self.peek() {
            let op = match token.tok {
                Tok::And => Op::And,
                Tok::Or => Op::Or,
                Tok::Not => Op::Not,
                Tok::Close => break,
                _ => {
                    let right = self.unit(depth)?;
                    push_operand(&mut run, &mut run_op, Op::And, right);
                    continue;
                }
            };
            let op_token = token.clone();
            self.at += 1;
            match self.peek().map(|t| &t.tok) {
                None | Some(Tok::Close | Tok::And | Tok::Or | Tok::Not) => {
                    let op = self.text_of(&op_token);
                    return error(
                        op_token.span.start,
                        format!("{op} has nothing after it: add a search after it, or remove it"),
                    );
                }
                _ => {}
            }
            let right = self.unit(depth)?;
            push_operand(&mut run, &mut run_op, op, right);
        }
        Ok(balanced(run_op, run))
    }

    fn text_of(&self, token: &Token) -> &'static str {
        match token.tok {
            Tok::And => "AND",
            Tok::Or => "OR",
            Tok::Not => "NOT",
            _ => "this",
        }
    }

    fn unit(&mut self, depth: usize) -> Result<Query, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return error(self.end, "the query ends where a term was expected");
        };
        match token.tok {
            Tok::Open => {
                if depth >= MAX_DEPTH {
                    return error(token.span.start, format!("parentheses nested deeper than {MAX_DEPTH}"));
                }
                self.at += 1;
                if matches!(self.peek().map(|t| &t.tok), Some(Tok::Close)) {
                    return error(token.span.start, "empty parentheses");
                }
                let inner = self.expression(depth + 1)?;
                match self.peek() {
                    Some(Token { tok: Tok::Close, .. }) => self.at += 1,
                    _ => return error(token.span.start, "( without )"),
                }
                if let Some(Token { tok: Tok::Tag(_), span }) = self.peek() {
                    return error(
                        span.start,
                        "a tag applies to one term, not to a parenthesised group: tag each term, e.g. (a[ti] OR b[ti])",
                    );
                }
                Ok(inner)
            }
            Tok::History(number) => {
                self.at += 1;
                Ok(Query::History { number, span: token.span })
            }
            Tok::And | Tok::Or | Tok::Not => error(
                token.span.start,
                format!("{} has nothing before it: put a search before it", self.text_of(&token)),
            ),
            Tok::Close => error(token.span.start, ") without ("),
            Tok::Tag(tag) => error(token.span.start, format!("the tag [{tag}] has no term before it")),
            Tok::Colon => error(token.span.start, ": has no date before it"),
            Tok::Word(_) | Tok::Phrase(_) => {
                let from = self.term()?;
                if matches!(self.peek().map(|t| &t.tok), Some(Tok::Colon)) {
                    let colon = self.peek().expect("peeked").span.start;
                    self.at += 1;
                    if !matches!(self.peek().map(|t| &t.tok), Some(Tok::Word(_) | Tok::Phrase(_))) {
                        return error(colon, ": has no date after it");
                    }
                    let to = self.term()?;
                    if from.field != to.field || from.field.is_none_or(|f| f.kind() != FieldKind::Date) {
                        return error(
                            colon,
                            "a range needs two dates with the same date tag, e.g. 2020[dp] : 2022[dp]",
                        );
                    }
                    return Ok(Query::Range { from, to });
                }
                Ok(Query::Term(from))
            }
        }
    }

    /// A quoted phrase or a run of words, then an optional tag.
    fn term(&mut self) -> Result<Term, QueryError> {
        let first = self.peek().cloned().expect("a word or phrase");
        let mut span = first.span;
        let (mut text, quoted) = match first.tok {
            Tok::Phrase(p) => {
                self.at += 1;
                (normalise_spaces(&p), true)
            }
            _ => {
                let mut words: Vec<String> = Vec::new();
                while let Some(Token { tok: Tok::Word(w), span: s }) = self.peek().cloned() {
                    self.at += 1;
                    span.end = s.end;
                    // `diagnostic *`: a lone star truncates the word before it.
                    match (w.as_str(), words.last_mut()) {
                        ("*", Some(last)) => last.push('*'),
                        _ => words.push(w),
                    }
                }
                (words.join(" "), false)
            }
        };
        let mut term = Term::new(String::new(), None, span);
        term.quoted = quoted;
        if let Some(Token { tok: Tok::Tag(tag), span: tag_span }) = self.peek().cloned() {
            self.at += 1;
            term.span.end = tag_span.end;
            self.apply_tag(&mut term, &tag, tag_span)?;
        }
        if quoted && text.is_empty() {
            return error(span.start, "empty quotation marks");
        }
        // `exp Child [mesh]`: Ovid's explosion keyword inside PubMed syntax, where [mh] explodes anyway.
        if matches!(term.field, Some(Field::Mesh | Field::MeshMajor))
            && text.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("exp "))
        {
            self.warnings.push(Warning::OvidExplosion { term: text.clone() });
            text = text[4..].trim_start().to_owned();
            if text.is_empty() {
                return error(span.start, "\"exp\" with no heading");
            }
        }
        check_truncation(&text, span, &mut self.warnings)?;
        if term.proximity.is_some() && (!quoted || text.split(' ').count() < 2) {
            return error(
                span.start,
                "proximity needs two or more words in quotation marks, e.g. \"hip pain\"[tiab:~2]",
            );
        }
        if term.field.is_some_and(|f| f.kind() == FieldKind::Text) {
            text = text.trim().to_owned();
        }
        // `dt[sh]`: a subheading by its abbreviation, as PubMed reads it.
        if term.field == Some(Field::Subheading)
            && let Some(name) = crate::subheading::by_abbreviation(&text)
        {
            text = name.to_owned();
        }
        term.text = text;
        Ok(term)
    }

    fn apply_tag(&mut self, term: &mut Term, tag: &str, span: Span) -> Result<(), QueryError> {
        let (name, modifier) = match tag.split_once(':') {
            Some((n, m)) => (n, Some(m.trim())),
            None => (tag, None),
        };
        if name.trim().is_empty() {
            return error(span.start, "empty tag []");
        }
        let field = read_tag(name, &mut self.warnings);
        term.field = Some(field);
        match modifier {
            None => {}
            Some(m) if m.replace([' ', '-', '_'], "").eq_ignore_ascii_case("noexp") => {
                if !m.eq_ignore_ascii_case("noexp") {
                    self.warnings.push(Warning::TagRead {
                        typed: tag.trim().to_owned(),
                        read: format!("{}:noexp", field.tag()),
                    });
                }
                if !field.explodes() {
                    return error(span.start, format!(":noexp applies to MeSH tags, not [{}]", name.trim()));
                }
                term.noexp = true;
            }
            Some(m) if m.starts_with('~') => {
                let n = m[1..].trim().parse::<u32>().map_err(|_| QueryError {
                    message: format!("proximity :{m} needs a number, e.g. :~2"),
                    position: span.start,
                })?;
                if !field.allows_proximity() {
                    return error(
                        span.start,
                        format!("proximity works in [ti], [tiab] and [ad], not [{}]", name.trim()),
                    );
                }
                term.proximity = Some(n);
            }
            Some(m) => return error(span.start, format!("unknown tag modifier :{m} (PubMed's are :noexp and :~N)")),
        }
        Ok(())
    }
}

fn normalise_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `*` only ends a word, after at least one character; fewer than four (`fdg*`) run, as
/// PubMed runs them, with a warning.
fn check_truncation(text: &str, span: Span, warnings: &mut Vec<Warning>) -> Result<(), QueryError> {
    for word in text.split(' ') {
        if let Some(stem) = word.strip_suffix('*') {
            if stem.contains('*') {
                return error(span.start, format!("\"{word}\": * may only end a word (write it at the end)"));
            }
            match stem.chars().filter(|c| c.is_alphanumeric()).count() {
                0 => return error(span.start, format!("\"{word}\": truncation needs a character before *")),
                1..4 => warnings.push(Warning::ShortTruncation { word: word.to_owned() }),
                _ => {}
            }
        } else if word.contains('*') {
            return error(span.start, format!("\"{word}\": * may only end a word"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(q: &str) -> String {
        parse(q).unwrap().query.to_string()
    }

    #[test]
    fn left_to_right() {
        assert_eq!(show("a OR b AND c"), "(\"a\" OR \"b\") AND \"c\"");
        assert_eq!(show("a OR (b AND c)"), "\"a\" OR (\"b\" AND \"c\")");
        assert_eq!(show("a NOT b OR c"), "(\"a\" NOT \"b\") OR \"c\"");
        assert_eq!(show("a b"), "\"a b\"");
        assert_eq!(show("\"a\" \"b\""), "\"a\" AND \"b\"");
        assert_eq!(
            show("a OR b OR c AND d AND e NOT f NOT g OR h"),
            show("((((a OR b OR c) AND d AND e) NOT f) NOT g) OR h")
        );
    }

    #[test]
    fn a_long_chain_is_shallow_and_a_deep_one_is_refused() {
        let words: Vec<String> = (0..5_000).map(|i| format!("w{i}")).collect();
        for op in [" OR ", " AND "] {
            let chain = parse(&words.join(op)).unwrap().query;
            assert!(chain.depth() <= 14, "{op}: depth {}", chain.depth());
            let shown = chain.to_string();
            assert!(shown.starts_with("\"w0\"") && shown.ends_with("\"w4999\"") && !shown.contains('('), "{op}");
        }
        // Runs of one operator between others stay in order.
        let mixed = parse("a OR b OR c AND d AND e OR f").unwrap().query;
        assert_eq!(mixed.to_string(), "((\"a\" OR \"b\" OR \"c\") AND \"d\" AND \"e\") OR \"f\"");
        let nots = words[..MAX_DEPTH + 1].join(" NOT ");
        let refused = parse(&nots).unwrap_err();
        assert!(refused.message.contains("nested deeper than"), "{}", refused.message);
        assert!(parse(&words[..MAX_DEPTH - 1].join(" NOT ")).is_ok());
        let alternating: Vec<String> = words[..2 * MAX_DEPTH].iter().map(|w| format!("{w} NOT x AND")).collect();
        assert!(parse(&format!("{} y", alternating.join(" "))).is_err());
    }

    #[test]
    fn tags_bind_to_the_word_run() {
        let p = parse("clinical trials as topic[MeSH Terms] OR random*[tiab]").unwrap();
        assert_eq!(p.query.to_string(), "\"clinical trials as topic\"[MeSH Terms] OR random*[Title/Abstract]");
        let p = parse("diagnostic * [MeSH:noexp]").unwrap();
        assert_eq!(p.query.to_string(), "diagnostic*[MeSH Terms:noexp]");
        let p = parse("\"hip pain\"[Title/Abstract:~2]").unwrap();
        assert_eq!(p.query.to_string(), "\"hip pain\"[Title/Abstract:~2]");
        let p = parse("2015:2020[dp]").unwrap();
        assert_eq!(p.query.to_string(), "2015:2020[Date - Publication]");
        let p = parse("2012/09/25[EDAT] : 2012/11/24[EDAT]").unwrap();
        assert_eq!(p.query.to_string(), "2012/09/25[Date - Entry] : 2012/11/24[Date - Entry]");
    }

    #[test]
    fn warnings() {
        let p = parse("lecanemab[NoSuchField]").unwrap();
        assert_eq!(p.query.to_string(), "\"lecanemab\"[All Fields]");
        assert_eq!(p.warnings.len(), 1);
        let p = parse("Serology\"[MeSH]").unwrap();
        assert_eq!(p.query.to_string(), "\"Serology\"[MeSH Terms]");
        assert!(matches!(p.warnings[0], Warning::UnpairedQuote { .. }), "{:?}", p.warnings);
        let p = parse("“Aspergillus\"[MeSH]").unwrap();
        assert_eq!(p.query.to_string(), "\"Aspergillus\"[MeSH Terms]");
        assert_eq!(parse("a or b").unwrap().warnings, [Warning::LowercaseOperator { word: "or".into(), read: false }]);
        let p = parse("bile duct[tiab] or biliary[tiab]").unwrap();
        assert_eq!(p.query.to_string(), "\"bile duct\"[Title/Abstract] OR \"biliary\"[Title/Abstract]");
        assert_eq!(p.warnings, [Warning::LowercaseOperator { word: "or".into(), read: true }]);
    }

    #[test]
    fn forgiven_as_pubmed_forgives() {
        let cases: [(&str, &str, Warning); 7] = [
            (
                "cancer) AND mice",
                "\"cancer\" AND \"mice\"",
                Warning::UnbalancedParenthesis { position: 6, closed: false },
            ),
            (
                "(cancer OR tumour",
                "\"cancer\" OR \"tumour\"",
                Warning::UnbalancedParenthesis { position: 0, closed: true },
            ),
            ("OR cancer", "\"cancer\"", Warning::LeadingOperator { word: "OR" }),
            ("fdg*[tiab]", "fdg*[Title/Abstract]", Warning::ShortTruncation { word: "fdg*".into() }),
            (
                "aspirin[mesh:no exp]",
                "\"aspirin\"[MeSH Terms:noexp]",
                Warning::TagRead { typed: "mesh:no exp".into(), read: "mh:noexp".into() },
            ),
            (
                "aspirin[Mesh Heading]",
                "\"aspirin\"[MeSH Terms]",
                Warning::TagRead { typed: "Mesh Heading".into(), read: "mh".into() },
            ),
            (
                "aspirin[Title/Abstracts]",
                "\"aspirin\"[Title/Abstract]",
                Warning::TagRead { typed: "Title/Abstracts".into(), read: "tiab".into() },
            ),
        ];
        for (typed, shown, warning) in cases {
            let p = parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(p.query.to_string(), shown, "{typed}");
            assert_eq!(p.warnings, [warning], "{typed}");
        }
    }

    #[test]
    fn errors_name_positions() {
        let cases = [
            ("\"cancer", 0, "quotation mark"),
            ("cancer AND", 7, "nothing after"),
            ("NOT cancer", 0, "nothing before"),
            ("cancer AND OR x", 7, "nothing after"),
            ("[ti]", 0, "no term"),
            ("a [ti", 2, "[ without ]"),
            ("(a OR b)[tiab]", 8, "parenthesised group"),
            ("*[tiab]", 0, "a character before"),
            ("ra*ndom[tiab]", 0, "only end"),
            ("\"hip\"[tiab:~2]", 0, "two or more words"),
            ("\"hip pain\"[mh:~2]", 10, "proximity works"),
            ("cancer[ti:noexp]", 6, "noexp"),
            ("()", 0, "empty parentheses"),
            ("", 0, "empty"),
            ("2020[dp] : cancer[ti]", 9, "range"),
        ];
        for (q, position, message) in cases {
            let e = parse(q).unwrap_err();
            assert_eq!(e.position, position, "{q}: {e}");
            assert!(e.message.contains(message), "{q}: {e}");
        }
    }

    #[test]
    fn deep_and_long_queries_fail_cleanly() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{e}");
        let long = "a ".repeat(MAX_QUERY_BYTES);
        assert!(parse(&long).unwrap_err().message.contains("longer"));
        let ok = format!("{}a{}", "(".repeat(200), ")".repeat(200));
        assert!(parse(&ok).is_ok());
    }
}
