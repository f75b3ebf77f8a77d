//! The query behind "Similar articles" and ELink's neighbours: a record's most telling words by
//! tf-idf, each a term boosted by its weight. The words are chosen in a fixed order (equal
//! weights by the word), so one archive always lists the same similar records: tantivy's
//! `MoreLikeThisQuery`, used before, picked among equal weights in hash order, and two runs of
//! one binary listed different records.

use std::collections::BTreeMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::error::{EngineError, Result};

/// Words shorter than this tell little (`of`, `in`, numbers of one or two digits).
const MIN_WORD_LENGTH: usize = 3;
/// A word must be in at least this many records to link two of them.
const MIN_DOC_FREQUENCY: u64 = 2;
/// The words kept.
const MAX_TERMS: usize = 30;

/// The weighted OR of the best words of `texts` (each field with its values; a value given
/// twice counts twice), leaving out stopwords and words in more than `max_doc_frequency` records.
pub(crate) fn query(searcher: &Searcher, texts: &[(Field, Vec<&str>)], max_doc_frequency: u64) -> Result<BooleanQuery> {
    let mut frequencies: BTreeMap<Term, u64> = BTreeMap::new();
    for (field, values) in texts {
        let mut analyzer = searcher.index().tokenizer_for_field(*field).map_err(EngineError::Search)?;
        for value in values {
            let mut stream = analyzer.token_stream(value);
            while let Some(token) = stream.next() {
                if token.text.len() >= MIN_WORD_LENGTH && !query::STOPWORDS.contains(&token.text.as_str()) {
                    *frequencies.entry(Term::from_field_text(*field, &token.text)).or_insert(0) += 1;
                }
            }
        }
    }
    let records: u64 = searcher.segment_readers().iter().map(|r| u64::from(r.num_docs())).sum();
    let mut weighted: Vec<(f32, Term)> = Vec::new();
    for (term, frequency) in frequencies {
        let in_records = searcher.doc_freq(&term).map_err(EngineError::Search)?;
        // A term's count includes deleted documents, so it may pass the live ones: left out.
        if (MIN_DOC_FREQUENCY..=max_doc_frequency).contains(&in_records) && in_records <= records {
            weighted.push((frequency as f32 * idf(in_records, records), term));
        }
    }
    // Heaviest first; equal weights in the terms' order, which the map gave.
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
    weighted.truncate(MAX_TERMS);
    let best = weighted.first().map_or(1.0, |(w, _)| *w);
    let clauses = weighted
        .into_iter()
        .map(|(weight, term)| {
            let term: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, Box::new(BoostQuery::new(term, weight / best)) as Box<dyn Query>)
        })
        .collect();
    Ok(BooleanQuery::new(clauses))
}

/// BM25's inverse document frequency, as tantivy computes it for scoring.
fn idf(in_records: u64, records: u64) -> f32 {
    let x = ((records - in_records) as f32 + 0.5) / (in_records as f32 + 0.5);
    (1.0 + x).ln()
}
