//! Spelling suggestions for ESpell: a word the index does not hold is replaced by the nearest
//! indexed word within two edits that shares its first two letters (which bounds the terms read),
//! the most frequent among equally near ones. Nearness comes first: by frequency alone `cancr`
//! became `can`, two edits away, instead of `cancer`, one.

use std::cmp::Reverse;

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::archive::Archive;
use crate::error::Result;

/// Documents holding `word` in any of `fields`.
fn frequency(searcher: &Searcher, fields: &[Field], word: &str) -> u64 {
    fields.iter().map(|f| searcher.doc_freq(&Term::from_field_text(*f, word)).unwrap_or(0)).sum()
}

/// The suggestion for one lower-case word, or `None` when it is indexed or nothing is close.
pub(crate) fn suggest(searcher: &Searcher, fields: &[Field], word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 || !chars.iter().all(|c| c.is_alphabetic()) || frequency(searcher, fields, word) > 0 {
        return None;
    }
    let prefix: String = chars[..2].iter().collect();
    let mut upper = prefix.clone().into_bytes();
    *upper.last_mut()? += 1;
    // (edits, documents, word) of the best so far.
    let mut best: Option<(usize, u64, String)> = None;
    for segment in searcher.segment_readers() {
        for field in fields {
            let Ok(index) = segment.inverted_index(*field) else { continue };
            let Ok(mut stream) = index.terms().range().ge(prefix.as_bytes()).lt(&upper).into_stream() else { continue };
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else { continue };
                let other: Vec<char> = candidate.chars().collect();
                if other.len().abs_diff(chars.len()) > 2 {
                    continue;
                }
                let edits = query::edit_distance(&chars, &other);
                if edits > 2 || best.as_ref().is_some_and(|(e, _, _)| edits > *e) {
                    continue;
                }
                // Fewer edits, then more documents, then the word's order.
                let n = frequency(searcher, fields, candidate);
                let better = |(e, m, w): &(usize, u64, String)| (edits, Reverse(n), candidate) < (*e, Reverse(*m), w);
                if best.as_ref().is_none_or(better) {
                    best = Some((edits, n, candidate.to_owned()));
                }
            }
        }
    }
    best.map(|(_, _, w)| w)
}

impl Archive {
    /// A query with each word the index lacks replaced by the closest indexed word, as ESpell
    /// corrects; words in brackets or quotes, and operators, are left as they are.
    pub fn spell(&self, text: &str) -> Result<String> {
        let searcher = self.searcher()?;
        let fields = [self.fields().title, self.fields().abstract_];
        let mut out = String::with_capacity(text.len());
        let (mut quoted, mut bracketed) = (false, false);
        for piece in text.split_inclusive(|c: char| c.is_whitespace() || "()[]\"".contains(c)) {
            let word = piece.trim_end_matches(|c: char| c.is_whitespace() || "()[]\"".contains(c));
            let tail = &piece[word.len()..];
            let plain = !quoted && !bracketed && !matches!(word, "AND" | "OR" | "NOT");
            match plain.then(|| suggest(&searcher, &fields, &word.to_lowercase())).flatten() {
                Some(better) => out.push_str(&better),
                None => out.push_str(word),
            }
            out.push_str(tail);
            for c in tail.chars() {
                match c {
                    '"' => quoted = !quoted,
                    '[' => bracketed = true,
                    ']' => bracketed = false,
                    _ => {}
                }
            }
        }
        Ok(out)
    }
}
