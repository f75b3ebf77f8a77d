//! Spelling suggestions for ESpell: a word the index does not hold is replaced by the most frequent
//! indexed word within two edits that shares its first two letters (which bounds the terms read).

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

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
    let mut best: Option<(u64, String)> = None;
    for segment in searcher.segment_readers() {
        for field in fields {
            let Ok(index) = segment.inverted_index(*field) else { continue };
            let Ok(mut stream) = index.terms().range().ge(prefix.as_bytes()).lt(&upper).into_stream() else { continue };
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else { continue };
                let other: Vec<char> = candidate.chars().collect();
                if other.len().abs_diff(chars.len()) > 2 || query::edit_distance(&chars, &other) > 2 {
                    continue;
                }
                let n = frequency(searcher, fields, candidate);
                if best.as_ref().is_none_or(|(m, w)| n > *m || (n == *m && candidate < w.as_str())) {
                    best = Some((n, candidate.to_owned()));
                }
            }
        }
    }
    best.map(|(_, w)| w)
}
