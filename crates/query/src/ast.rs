//! The parsed query, and its printing in PubMed's translation syntax ("Search details").

use std::fmt;

use crate::field::{Field, FieldKind};

/// Byte offsets into the query text, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// The byte after the last.
    pub end: usize,
}

/// One search term: a word run or a quoted phrase, with its field tag if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The words as typed (single spaces between them), or the phrase inside the quotes.
    pub text: String,
    /// Typed in quotation marks (a phrase, never split into words).
    pub quoted: bool,
    /// `None` until a tag or automatic term mapping says which field to search.
    pub field: Option<Field>,
    /// `[mh:noexp]`: search this MeSH heading without its descendants.
    pub noexp: bool,
    /// `"a b"[tiab:~N]`: the words in any order with at most N words between them.
    pub proximity: Option<u32>,
    /// Ovid's truncation and wildcards, read from Ovid syntax: `*` (any characters) anywhere in a
    /// word, `?` (one character or none), `#` (exactly one), and truncated words inside a phrase
    /// matched as a phrase. PubMed's `*` (ending a word) needs no flag.
    pub wildcards: bool,
    /// Where it was typed.
    pub span: Span,
}

impl Term {
    /// A term of plain words, unquoted, with no modifier.
    pub fn new(text: impl Into<String>, field: Option<Field>, span: Span) -> Term {
        Term { text: text.into(), quoted: false, field, noexp: false, proximity: None, wildcards: false, span }
    }

    /// The words of the term (split on spaces).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|w| !w.is_empty())
    }

    /// True when a word ends in `*` (right-hand truncation), or holds an Ovid wildcard.
    pub fn is_truncated(&self) -> bool {
        self.words().any(|w| w.ends_with('*') || (self.wildcards && w.contains(WILDCARDS)))
    }
}

/// Ovid's wildcard characters inside a word, in a [`Term`] or [`Near`] with wildcards.
pub const WILDCARDS: [char; 3] = ['*', '?', '#'];

/// Ovid's `a adjN b`: words near each other in one text field, as no PubMed term can say (its
/// `"a b"[tiab:~N]` takes plain words only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    /// The operands in the order written; each is one or more alternatives (`(a or b) adj3 c`),
    /// each a word or phrase as in [`Term::text`], with Ovid's wildcards.
    pub operands: Vec<Vec<String>>,
    /// A text field.
    pub field: Field,
    /// At most this many words between neighbouring operands.
    pub gap: u32,
    /// Ovid's plain `adj`: the operands in the order written.
    pub ordered: bool,
    /// Where it was typed.
    pub span: Span,
}

/// A query: terms and searches combined by PubMed's operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// One term.
    Term(Term),
    /// `#N`: the result of search N of the history (or of line N of a strategy).
    History {
        /// N.
        number: u32,
        /// Where it was typed.
        span: Span,
    },
    /// `2012/09/25[edat] : 2012/11/24[edat]`: dates from one to the other (same field).
    Range {
        /// The first date.
        from: Term,
        /// The last date.
        to: Term,
    },
    /// Ovid's `a adjN b`.
    Near(Near),
    /// Both.
    And(Box<Query>, Box<Query>),
    /// Either.
    Or(Box<Query>, Box<Query>),
    /// The first without the second.
    Not(Box<Query>, Box<Query>),
}

impl Query {
    /// `a AND b`.
    pub fn and(a: Query, b: Query) -> Query {
        Query::And(Box::new(a), Box::new(b))
    }

    /// `a OR b`.
    pub fn or(a: Query, b: Query) -> Query {
        Query::Or(Box::new(a), Box::new(b))
    }

    /// Operands, in order, all ANDed (`and`) or all ORed, as a balanced tree: its depth is log2
    /// of their number, so no walk of a long chain goes deep.
    pub fn chain(mut operands: Vec<Query>, and: bool) -> Query {
        assert!(!operands.is_empty(), "a chain has operands");
        if operands.len() == 1 {
            return operands.pop().expect("one operand");
        }
        let right = operands.split_off(operands.len() / 2);
        let (a, b) = (Query::chain(operands, and), Query::chain(right, and));
        if and { Query::and(a, b) } else { Query::or(a, b) }
    }

    /// The line numbers its `#N` refer to, left to right.
    pub fn history_numbers(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(q) = stack.pop() {
            match q {
                Query::History { number, .. } => out.push(*number),
                Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                _ => {}
            }
        }
        out
    }

    /// The query with its references to line `number` left out, as if never typed: an operand
    /// of AND or OR goes, a NOT's right side goes with the NOT. `None` when nothing is left.
    pub fn without_history(self, number: u32) -> Option<Query> {
        match self {
            Query::History { number: n, .. } if n == number => None,
            Query::And(a, b) => both(a.without_history(number), b.without_history(number), Query::and),
            Query::Or(a, b) => both(a.without_history(number), b.without_history(number), Query::or),
            Query::Not(a, b) => {
                let a = a.without_history(number)?;
                Some(match b.without_history(number) {
                    Some(b) => Query::Not(Box::new(a), Box::new(b)),
                    None => a,
                })
            }
            other => Some(other),
        }
    }

    /// The number of nodes on the longest path from the root to a term.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 1)];
        while let Some((q, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            if let Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) = q {
                stack.push((a, depth + 1));
                stack.push((b, depth + 1));
            }
        }
        deepest
    }

    /// Every term, left to right.
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(q) = stack.pop() {
            match q {
                Query::Term(t) => out.push(t),
                Query::Range { from, to } => {
                    out.push(from);
                    out.push(to);
                }
                Query::History { .. } | Query::Near(_) => {}
                Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
            }
        }
        out
    }

    fn operator(&self) -> Option<&'static str> {
        match self {
            Query::And(..) => Some("AND"),
            Query::Or(..) => Some("OR"),
            Query::Not(..) => Some("NOT"),
            _ => None,
        }
    }
}

/// Both sides joined by `join`, or the one that is left.
fn both(a: Option<Query>, b: Option<Query>, join: fn(Query, Query) -> Query) -> Option<Query> {
    match (a, b) {
        (Some(a), Some(b)) => Some(join(a, b)),
        (one, other) => one.or(other),
    }
}

/// A word with Ovid's wildcards as PubMed can search it: cut at its first wildcard and truncated
/// there (`tumo?r` becomes `tumo*`, which finds more).
pub fn pubmed_word(word: &str) -> String {
    match word.find(WILDCARDS) {
        Some(i) => format!("{}*", &word[..i]),
        None => word.to_owned(),
    }
}

/// Prints a term as PubMed's translation does: `"neoplasms"[MeSH Terms]`, `random*[Title/Abstract]`.
fn write_term(f: &mut fmt::Formatter<'_>, t: &Term) -> fmt::Result {
    let one_word = !t.text.contains(' ');
    let bare =
        (t.is_truncated() || t.field.is_some_and(|f| f.kind() == FieldKind::Date) || t.field == Some(Field::Pmid))
            && one_word;
    let text = if t.wildcards { t.words().map(pubmed_word).collect::<Vec<_>>().join(" ") } else { t.text.clone() };
    if bare {
        f.write_str(&text)?;
    } else {
        write!(f, "\"{text}\"")?;
    }
    if let Some(field) = t.field {
        write!(f, "[{}", field.display())?;
        if t.noexp {
            f.write_str(":noexp")?;
        }
        if let Some(n) = t.proximity {
            write!(f, ":~{n}")?;
        }
        f.write_str("]")?;
    }
    Ok(())
}

impl Near {
    /// Every choice of one alternative per operand, in the operands' order.
    pub fn combinations(&self) -> Vec<Vec<&str>> {
        let mut out: Vec<Vec<&str>> = vec![Vec::new()];
        for operand in &self.operands {
            out = out
                .iter()
                .flat_map(|done| operand.iter().map(move |alt| [done.as_slice(), &[alt.as_str()]].concat()))
                .collect();
        }
        out
    }
}

/// Prints Ovid's proximity as PubMed's nearest: each choice of alternatives as a proximity
/// search (`"a b"[tiab:~N]`, which PubMed runs in title, title/abstract and affiliation only,
/// without truncation), or as a phrase for Ovid's plain `adj`, ORed.
fn write_near(f: &mut fmt::Formatter<'_>, near: &Near) -> fmt::Result {
    let field = match near.field {
        Field::Title | Field::Affiliation => near.field,
        _ => Field::TitleAbstract,
    };
    let combinations = near.combinations();
    if combinations.len() > 1 {
        f.write_str("(")?;
    }
    for (i, combination) in combinations.iter().enumerate() {
        if i > 0 {
            f.write_str(" OR ")?;
        }
        let words: Vec<String> = combination.iter().flat_map(|alt| alt.split(' ')).map(pubmed_word).collect();
        write!(f, "\"{}\"[{}", words.join(" "), field.display())?;
        if !(near.ordered && near.gap == 0) {
            write!(f, ":~{}", near.gap)?;
        }
        f.write_str("]")?;
    }
    if combinations.len() > 1 {
        f.write_str(")")?;
    }
    Ok(())
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Term(t) => write_term(f, t),
            Query::History { number, .. } => write!(f, "#{number}"),
            Query::Near(near) => write_near(f, near),
            Query::Range { from, to } => {
                write_term(f, from)?;
                f.write_str(" : ")?;
                write_term(f, to)
            }
            Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) => {
                let op = self.operator().expect("a binary node");
                // Left to right: a left operand with the same operator needs no parentheses.
                if a.operator().is_some_and(|o| o != op) {
                    write!(f, "({a})")?;
                } else {
                    write!(f, "{a}")?;
                }
                write!(f, " {op} ")?;
                // AND and OR are associative, so a right operand with the same one needs none either.
                let same = b.operator() == Some(op) && op != "NOT";
                if b.operator().is_some() && !same { write!(f, "({b})") } else { write!(f, "{b}") }
            }
        }
    }
}
