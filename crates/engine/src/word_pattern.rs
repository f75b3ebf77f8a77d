//! Words with Ovid's truncation and wildcards (`tumo?r`, `wom#n`, `chorion* vill* sampling`)
//! and Ovid's proximity (`(a or b) adj3 c`), as tantivy queries over word patterns: a word
//! with a wildcard matches the index's words its pattern matches, at its position in a phrase.

use std::collections::HashSet;

use query::{Near, WILDCARDS};
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query as TantivyQuery, RegexPhraseQuery};
use tantivy::schema::Field;

use crate::index::{normalise, words};

type Compiled = Box<dyn TantivyQuery>;

/// One word of a search as the index's words are matched against it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum WordPattern {
    Exact(String),
    /// Every word starting with this.
    Prefix(String),
    /// Every word matching this regular expression as a whole.
    Regex(String),
}

impl WordPattern {
    fn regex(&self) -> String {
        match self {
            WordPattern::Exact(w) => escape(w),
            WordPattern::Prefix(w) => format!("{}.*", escape(w)),
            WordPattern::Regex(r) => r.clone(),
        }
    }
}

fn escape(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    for c in word.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The words of a text as the index holds them, each a pattern: `*` (any characters), `?` (one
/// or none) and `#` (exactly one) inside a word make it a pattern; elsewhere punctuation
/// splits words as the index's tokenizer does.
pub(crate) fn word_patterns(text: &str) -> Vec<WordPattern> {
    let mut out = Vec::new();
    for raw in text.split(' ') {
        let pieces = raw.split(|c: char| !(c.is_alphanumeric() || WILDCARDS.contains(&c))).filter(|p| !p.is_empty());
        for piece in pieces {
            let stem = piece.trim_end_matches('*');
            if !stem.contains(WILDCARDS) {
                let mut found = words(stem);
                let last = found.pop();
                out.extend(found.into_iter().map(WordPattern::Exact));
                match last {
                    Some(w) if stem.len() < piece.len() => out.push(WordPattern::Prefix(w)),
                    Some(w) => out.push(WordPattern::Exact(w)),
                    None => {}
                }
                continue;
            }
            let mut regex = String::new();
            let mut literal = String::new();
            for c in piece.chars() {
                let wildcard = match c {
                    '*' => ".*",
                    '?' => ".?",
                    '#' => ".",
                    _ => {
                        literal.push(c);
                        continue;
                    }
                };
                regex.push_str(&escape(&normalise(&std::mem::take(&mut literal))));
                regex.push_str(wildcard);
            }
            regex.push_str(&escape(&normalise(&literal)));
            out.push(WordPattern::Regex(regex));
        }
    }
    out
}

/// The words in order, as a phrase (or a single word) in `field`.
pub(crate) fn phrase(field: Field, patterns: &[WordPattern]) -> Compiled {
    let exact = |p: &WordPattern| matches!(p, WordPattern::Exact(_));
    let term = |w: &str| Term::from_field_text(field, w);
    let words: Vec<&str> = patterns
        .iter()
        .filter_map(|p| match p {
            WordPattern::Exact(w) | WordPattern::Prefix(w) => Some(w.as_str()),
            WordPattern::Regex(_) => None,
        })
        .collect();
    match patterns {
        [] => Box::new(tantivy::query::EmptyQuery),
        [one] => single(field, one),
        [init @ .., WordPattern::Prefix(_)] if init.iter().all(exact) => {
            Box::new(PhrasePrefixQuery::new(words.iter().map(|w| term(w)).collect()))
        }
        _ if patterns.iter().all(exact) => Box::new(PhraseQuery::new(words.iter().map(|w| term(w)).collect())),
        _ => Box::new(RegexPhraseQuery::new(field, patterns.iter().map(WordPattern::regex).collect())),
    }
}

fn single(field: Field, pattern: &WordPattern) -> Compiled {
    match pattern {
        WordPattern::Exact(w) => Box::new(tantivy::query::TermQuery::new(
            Term::from_field_text(field, w),
            tantivy::schema::IndexRecordOption::WithFreqs,
        )),
        other => match tantivy::query::RegexQuery::from_pattern(&other.regex(), field) {
            Ok(q) => Box::new(q),
            Err(_) => Box::new(tantivy::query::EmptyQuery),
        },
    }
}

/// The most operands whose every order is tried (Ovid's adjN takes them in either order).
pub(crate) const MAX_PERMUTED_OPERANDS: usize = 4;

/// Ovid's `a adjN b` in one field: each choice of the operands' alternatives, in each order
/// the operator allows, as a phrase whose neighbouring operands may have `gap` words between.
pub(crate) fn near(field: Field, near: &Near) -> Compiled {
    // An operand's one-word alternatives are one pattern (`(macul$ or retina$)` matches either at
    // a position); each longer alternative is a choice of its own.
    let choices: Vec<Vec<Vec<WordPattern>>> = near
        .operands
        .iter()
        .map(|alternatives| {
            let mut single: Vec<String> = Vec::new();
            let mut longer: Vec<Vec<WordPattern>> = Vec::new();
            for alternative in alternatives {
                match word_patterns(alternative).as_slice() {
                    [] => {}
                    [one] => single.push(one.regex()),
                    several => longer.push(several.to_vec()),
                }
            }
            match single.as_slice() {
                [] => {}
                [one] => longer.insert(0, vec![WordPattern::Regex(one.clone())]),
                _ => longer.insert(0, vec![WordPattern::Regex(format!("({})", single.join("|")))]),
            }
            longer
        })
        .collect();
    let mut clauses: Vec<(Occur, Compiled)> = Vec::new();
    let mut seen = HashSet::new();
    for combination in product(&choices) {
        for order in orders(combination.len(), near.ordered) {
            let words: Vec<&WordPattern> = order.iter().flat_map(|&i| combination[i].iter()).collect();
            if words.len() < 2 || !seen.insert(words.clone()) {
                continue;
            }
            let slop = near.gap * (combination.len() as u32 - 1);
            let terms: Vec<(usize, String)> = words.iter().enumerate().map(|(i, w)| (i, w.regex())).collect();
            clauses.push((Occur::Should, Box::new(RegexPhraseQuery::new_with_offset_and_slop(field, terms, slop))));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Every choice of one item per list.
fn product<T>(lists: &[Vec<T>]) -> Vec<Vec<&T>> {
    let mut out: Vec<Vec<&T>> = vec![Vec::new()];
    for list in lists {
        out = out.iter().flat_map(|done| list.iter().map(move |item| [done.as_slice(), &[item]].concat())).collect();
    }
    out
}

/// The orders of `n` operands tried: as written, or all of them up to [`MAX_PERMUTED_OPERANDS`].
fn orders(n: usize, ordered: bool) -> Vec<Vec<usize>> {
    let written: Vec<usize> = (0..n).collect();
    if ordered || n > MAX_PERMUTED_OPERANDS {
        return vec![written];
    }
    let mut out = Vec::new();
    permute(written, 0, &mut out);
    out
}

fn permute(mut items: Vec<usize>, from: usize, out: &mut Vec<Vec<usize>>) {
    if from == items.len() {
        out.push(items);
        return;
    }
    for i in from..items.len() {
        items.swap(from, i);
        permute(items.clone(), from + 1, out);
        items.swap(from, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_of_words() {
        use WordPattern::*;
        assert_eq!(word_patterns("Tumo?r"), [Regex("tumo.?r".into())]);
        assert_eq!(word_patterns("wom#n"), [Regex("wom.n".into())]);
        assert_eq!(word_patterns("post-operat*"), [Exact("post".into()), Prefix("operat".into())]);
        assert_eq!(
            word_patterns("chorion* vill* sampling"),
            [Prefix("chorion".into()), Prefix("vill".into()), Exact("sampling".into())]
        );
        assert_eq!(word_patterns("Ménière"), [Exact("meniere".into())]);
        assert_eq!(orders(3, false).len(), 6);
        assert_eq!(orders(3, true), [vec![0, 1, 2]]);
        assert_eq!(orders(5, false).len(), 1);
    }
}
