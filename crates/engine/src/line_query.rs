//! An earlier strategy line's hits as a tantivy query, matching them at a score of zero. Ranking a
//! line compiles each `#N` it reaches into line N's query once; a line referred to again stands
//! as its hits, so a strategy that repeats a line (`#5 OR #5`, line after line) costs what its
//! lines cost instead of doubling with each.

use std::sync::Arc;

use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Searcher, SegmentReader, TERMINATED, TantivyError, index::SegmentId};

use crate::cache::Evaluated;

#[derive(Debug, Clone)]
pub(crate) struct LineQuery {
    line: u32,
    hits: Arc<Evaluated>,
    /// The searcher's segments, in the order of the hit set's.
    segments: Arc<Vec<SegmentId>>,
}

impl LineQuery {
    pub fn new(searcher: &Searcher, line: u32, hits: Arc<Evaluated>) -> LineQuery {
        let segments = searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
        LineQuery { line, hits, segments: Arc::new(segments) }
    }
}

impl Query for LineQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for LineQuery {
    fn scorer(&self, reader: &SegmentReader, _boost: f32) -> tantivy::Result<Box<dyn Scorer>> {
        let ord = self.segments.iter().position(|s| *s == reader.segment_id());
        let docs = ord.map(|ord| self.hits.hits.segment(ord).clone()).unwrap_or_default();
        Ok(Box::new(ConstScorer::new(BitmapDocSet::new(docs), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} is not a hit of line #{}", self.line)));
        }
        Ok(Explanation::new_with_string(format!("a hit of line #{}", self.line), 0.0))
    }
}

/// A bitmap's documents, in order.
struct BitmapDocSet {
    docs: roaring::bitmap::IntoIter,
    current: DocId,
    len: u32,
}

impl BitmapDocSet {
    fn new(bitmap: roaring::RoaringBitmap) -> BitmapDocSet {
        let len = bitmap.len() as u32;
        let mut docs = bitmap.into_iter();
        let current = docs.next().unwrap_or(TERMINATED);
        BitmapDocSet { docs, current, len }
    }
}

impl DocSet for BitmapDocSet {
    fn advance(&mut self) -> DocId {
        self.current = self.docs.next().unwrap_or(TERMINATED);
        self.current
    }

    fn doc(&self) -> DocId {
        self.current
    }

    fn size_hint(&self) -> u32 {
        self.len
    }
}
