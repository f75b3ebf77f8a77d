//! Ovid's tokens. A word runs to whitespace, a parenthesis or a quote, and stops before a field
//! suffix (`.ti,ab.`) or a heading's slash (`Dementia/`, `Stomach Neoplasms/pa`), which are
//! tokens of their own; `[...]` after them (`[Diagnostic Use]`, `[mp=title, ...]`) is Ovid's
//! own comment and is skipped.

use super::fields::{self, Code};
use crate::ast::Span;
use crate::parse::{Bracket, QueryError, Spanned, is_quote};
use crate::subheading;
use crate::warning::Warning;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Open,
    Close,
    Word(String),
    Phrase(String),
    /// The end of a heading, with the subheadings after it (by name).
    Slash(Vec<&'static str>),
    Suffix(Vec<&'static Code>),
    And,
    Or,
    Not,
    /// `adj` (`None`) or `adjN`.
    Adj(Option<u32>),
}

pub type Token = Spanned<Tok>;

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

fn error<T>(position: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError { message: message.into(), position })
}

/// Whether `c` may follow a suffix or a slash: the end of a search or of a group.
fn ends_here(rest: &str) -> bool {
    rest.chars().next().is_none_or(|c| c.is_whitespace() || matches!(c, ')' | '(' | '['))
}

/// A field suffix starting at the `.` at `at`: its codes and where it ends. The dot follows a
/// word or a group directly; spaces may follow it (`. tw.`), a comma may end the codes.
fn suffix_at(text: &str, at: usize) -> Option<(Vec<&'static Code>, usize)> {
    let before = text[..at].chars().next_back()?;
    if before.is_whitespace() || before == '(' {
        return None;
    }
    let after = &text[at + 1..];
    let codes_start = at + 1 + (after.len() - after.trim_start_matches(' ').len());
    let codes_len =
        text[codes_start..].find(|c: char| !(c.is_ascii_alphabetic() || c == ',')).unwrap_or(text.len() - codes_start);
    let codes_text = &text[codes_start..codes_start + codes_len];
    let codes: Option<Vec<&'static Code>> =
        codes_text.split(',').filter(|c| !c.is_empty()).map(fields::lookup).collect();
    let codes = codes.filter(|c| !c.is_empty())?;
    let mut end = codes_start + codes_len;
    if text[end..].starts_with('.') {
        end += 1;
    }
    ends_here(&text[end..]).then_some((codes, end))
}

/// A heading's slash at `at`: the subheadings after it (abbreviated, `/dt,th`, or by name,
/// `/drug therapy`) and where it ends.
fn slash_at(text: &str, at: usize) -> Option<(Vec<&'static str>, usize)> {
    let after = &text[at + 1..];
    let len = after.find(|c: char| !(c.is_ascii_alphabetic() || c == ',')).unwrap_or(after.len());
    if ends_here(&after[len..]) {
        let names: Option<Vec<&'static str>> =
            after[..len].split(',').filter(|c| !c.is_empty()).map(subheading::by_abbreviation).collect();
        if let Some(names) = names {
            return Some((names, at + 1 + len));
        }
    }
    let name = subheading::names()
        .filter(|n| after.len() >= n.len() && after.is_char_boundary(n.len()))
        .filter(|n| after[..n.len()].eq_ignore_ascii_case(n) && ends_here(&after[n.len()..]))
        .max_by_key(|n| n.len())?;
    Some((vec![name], at + 1 + name.len()))
}

/// Skips a `[...]` comment at `at`, to its `]` or the end.
fn comment_end(text: &str, at: usize) -> usize {
    text[at..].find(']').map_or(text.len(), |i| at + i + 1)
}

fn word_token(word: &str) -> Tok {
    let lower = word.to_ascii_lowercase();
    match lower.as_str() {
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        "adj" => Tok::Adj(None),
        _ => match lower.strip_prefix("adj").map(str::parse::<u32>) {
            Some(Ok(n)) => Tok::Adj(Some(n)),
            _ => Tok::Word(word.to_owned()),
        },
    }
}

pub fn lex(text: &str, warnings: &mut Vec<Warning>) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let start = at;
        let single = |tok| Token { tok, span: Span { start, end: start + 1 } };
        if c.is_whitespace() {
            at += c.len_utf8();
        } else if c == '(' || c == ')' {
            tokens.push(single(if c == '(' { Tok::Open } else { Tok::Close }));
            at += 1;
        } else if c == '[' {
            at = comment_end(text, at);
        } else if c == '.'
            && let Some((codes, end)) = suffix_at(text, at)
        {
            tokens.push(Token { tok: Tok::Suffix(codes), span: Span { start, end } });
            at = comment_end_after(text, end);
        } else if c == '/'
            && let Some((names, end)) = slash_at(text, at)
        {
            tokens.push(Token { tok: Tok::Slash(names), span: Span { start, end } });
            at = comment_end_after(text, end);
        } else if is_quote(c) {
            let inner = start + c.len_utf8();
            match text[inner..].find(is_quote) {
                Some(i) => {
                    let close = inner + i;
                    let end = close + text[close..].chars().next().map_or(1, char::len_utf8);
                    let phrase = text[inner..close].split_whitespace().collect::<Vec<_>>().join(" ");
                    if phrase.is_empty() {
                        return error(start, "empty quotation marks");
                    }
                    tokens.push(Token { tok: Tok::Phrase(phrase), span: Span { start, end } });
                    at = end;
                }
                None => {
                    warnings.push(Warning::UnpairedQuote { position: start });
                    at = inner;
                }
            }
        } else {
            at = word_end(text, at);
            tokens.push(Token { tok: word_token(&text[start..at]), span: Span { start, end: at } });
        }
    }
    Ok(tokens)
}

/// Past a `[...]` comment that directly follows a suffix or a slash, if there is one.
fn comment_end_after(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    let spaces = rest.len() - rest.trim_start().len();
    if rest.trim_start().starts_with('[') { comment_end(text, end + spaces) } else { end }
}

/// The end of the word starting at `at`.
fn word_end(text: &str, at: usize) -> usize {
    let mut end = at;
    for (i, c) in text[at..].char_indices() {
        let here = at + i;
        let stops = c.is_whitespace()
            || matches!(c, '(' | ')' | '[')
            || is_quote(c)
            || (c == '.' && here > at && suffix_at(text, here).is_some())
            || (c == '/' && here > at && slash_at(text, here).is_some());
        if stops {
            break;
        }
        end = here + c.len_utf8();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text, &mut Vec::new()).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn suffixes_slashes_and_comments() {
        let ti_ab = || Tok::Suffix(vec![fields::lookup("ti").unwrap(), fields::lookup("ab").unwrap()]);
        assert_eq!(toks("cancer$.ti,ab."), [Tok::Word("cancer$".into()), ti_ab()]);
        assert_eq!(
            toks("(a or b). ti,ab"),
            [Tok::Open, Tok::Word("a".into()), Tok::Or, Tok::Word("b".into()), Tok::Close, ti_ab()]
        );
        assert_eq!(
            toks("Stomach Neoplasms/pa [Pathology]"),
            [Tok::Word("Stomach".into()), Tok::Word("Neoplasms".into()), Tok::Slash(vec!["pathology"])]
        );
        assert_eq!(toks("HIV/AIDS e.g."), [Tok::Word("HIV/AIDS".into()), Tok::Word("e.g.".into())]);
        assert_eq!(
            toks("Dementia/Drug Therapy or x"),
            [Tok::Word("Dementia".into()), Tok::Slash(vec!["drug therapy"]), Tok::Or, Tok::Word("x".into())]
        );
        assert_eq!(
            toks("x.mp. [mp=title, abstract]"),
            [Tok::Word("x".into()), Tok::Suffix(vec![fields::lookup("mp").unwrap()])]
        );
        assert_eq!(
            toks("a ADJ3 b adj c"),
            [Tok::Word("a".into()), Tok::Adj(Some(3)), Tok::Word("b".into()), Tok::Adj(None), Tok::Word("c".into())]
        );
    }
}
