//! The parsed query, and its printing in PubMed's translation syntax ("Search details").

use std::fmt;

use crate::field::{Field, FieldKind};

/// Byte offsets into the query text, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One search term: a word run or a quoted phrase, with its field tag if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The words as typed (single spaces between them), or the phrase inside the quotes.
    pub text: String,
    pub quoted: bool,
    /// `None` until a tag or automatic term mapping says which field to search.
    pub field: Option<Field>,
    /// `[mh:noexp]`: search this MeSH heading without its descendants.
    pub noexp: bool,
    /// `"a b"[tiab:~N]`: the words in any order with at most N words between them.
    pub proximity: Option<u32>,
    pub span: Span,
}

impl Term {
    pub fn new(text: impl Into<String>, field: Option<Field>, span: Span) -> Term {
        Term { text: text.into(), quoted: false, field, noexp: false, proximity: None, span }
    }

    /// The words of the term (split on spaces).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|w| !w.is_empty())
    }

    /// True when a word ends in `*` (right-hand truncation).
    pub fn is_truncated(&self) -> bool {
        self.words().any(|w| w.ends_with('*'))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Term(Term),
    /// `#N`: the result of search N of the history (or of line N of a strategy).
    History {
        number: u32,
        span: Span,
    },
    /// `2012/09/25[edat] : 2012/11/24[edat]`: dates from one to the other (same field).
    Range {
        from: Term,
        to: Term,
    },
    And(Box<Query>, Box<Query>),
    Or(Box<Query>, Box<Query>),
    Not(Box<Query>, Box<Query>),
}

impl Query {
    pub fn and(a: Query, b: Query) -> Query {
        Query::And(Box::new(a), Box::new(b))
    }

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
                Query::History { .. } => {}
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

/// Prints a term as PubMed's translation does: `"neoplasms"[MeSH Terms]`, `random*[Title/Abstract]`.
fn write_term(f: &mut fmt::Formatter<'_>, t: &Term) -> fmt::Result {
    let bare = t.is_truncated() || t.field.is_some_and(|f| f.kind() == FieldKind::Date) || t.field == Some(Field::Pmid);
    if bare {
        f.write_str(&t.text)?;
    } else {
        write!(f, "\"{}\"", t.text)?;
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

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Term(t) => write_term(f, t),
            Query::History { number, .. } => write!(f, "#{number}"),
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
