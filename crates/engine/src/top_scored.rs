//! A collector of the best hits by BM25 score, equal scores broken by the higher PMID, so that the
//! order does not depend on where a record happens to sit in the index.

use std::cmp::Ordering;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::hits::HitSet;

/// A hit's score and PMID; greater is better.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub score: Score,
    pub pmid: u32,
    /// Where the hit is, for its other columns (not part of the order).
    pub address: DocAddress,
}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score.total_cmp(&other.score).then(self.pmid.cmp(&other.pmid))
    }
}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scored {}

/// The best `limit` hits of a query, best first.
pub(crate) struct TopScored {
    pub limit: usize,
}

impl Collector for TopScored {
    type Fruit = Vec<Scored>;
    type Child = TopScoredSegment;

    fn for_segment(&self, ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<TopScoredSegment> {
        Ok(TopScoredSegment {
            ord,
            limit: self.limit,
            pmids: reader.fast_fields().u64("pmid")?,
            best: Vec::new(),
            floor: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Scored>>) -> tantivy::Result<Vec<Scored>> {
        let mut all: Vec<Scored> = fruits.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        all.truncate(self.limit);
        Ok(all)
    }

    /// Lets the query skip what cannot make the cut (block-max WAND, where the query allows it):
    /// the threshold handed back is just below the worst kept score, so that a hit scoring the
    /// same still comes in and is decided by its PMID.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Scored>> {
        let mut segment = self.for_segment(ord, reader)?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                segment.collect(doc, score);
            }
            segment.threshold()
        })?;
        Ok(segment.harvest())
    }
}

/// In one pass, every hit of `weight` (as a set) and the best `limit` by score: for a query whose
/// hits are not known yet and that is to be ranked, instead of a pass for each.
pub(crate) fn hits_and_best(
    searcher: &tantivy::Searcher,
    weight: &dyn Weight,
    limit: usize,
) -> tantivy::Result<(HitSet, Vec<Scored>)> {
    let ranker = TopScored { limit };
    let mut segments = Vec::with_capacity(searcher.segment_readers().len());
    let mut fruits = Vec::with_capacity(segments.capacity());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut best = ranker.for_segment(ord as SegmentOrdinal, reader)?;
        let mut docs = Vec::new();
        let alive = reader.alive_bitset();
        weight.for_each(reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                docs.push(doc);
                best.collect(doc, score);
            }
        })?;
        segments.push(docs);
        fruits.push(best.harvest());
    }
    Ok((HitSet::from_segment_docs(searcher, segments), ranker.merge_fruits(fruits)?))
}

/// The score tantivy gives every hit of a term set (a constant-score query), ranked alone.
pub(crate) const TERM_SET_SCORE: Score = 1.0;

/// The best `limit` hits of a term set, whose every hit scores [`TERM_SET_SCORE`]: the highest
/// PMIDs among its known hits. Ranking it by running it would stream the field's term dictionary
/// and decode every heading's postings again, for a set the stored explosions already hold.
pub(crate) fn best_of_term_set(
    searcher: &tantivy::Searcher,
    hits: &HitSet,
    limit: usize,
) -> tantivy::Result<Vec<Scored>> {
    let ranker = TopScored { limit };
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut best = ranker.for_segment(ord as SegmentOrdinal, reader)?;
        hits.segment(ord).iter().for_each(|doc| best.collect(doc, TERM_SET_SCORE));
        fruits.push(best.harvest());
    }
    ranker.merge_fruits(fruits)
}

pub(crate) struct TopScoredSegment {
    ord: SegmentOrdinal,
    limit: usize,
    pmids: Column<u64>,
    /// Candidates, best first once trimmed; trimmed to `limit` whenever it holds twice as many,
    /// which costs O(1) a hit however many hits tie (a heap would pay log(limit) for each).
    best: Vec<Scored>,
    /// The worst hit kept at the last trim: nothing at or below it can make the cut.
    floor: Option<Scored>,
}

impl TopScoredSegment {
    fn threshold(&self) -> Score {
        // Just below the floor's score, so that a hit scoring the same still comes in and is
        // decided by its PMID.
        self.floor.map_or(Score::MIN, |floor| floor.score.next_down())
    }

    fn trim(&mut self) {
        if self.best.len() > self.limit {
            self.best.select_nth_unstable_by(self.limit - 1, |a, b| b.cmp(a));
            self.best.truncate(self.limit);
            self.floor = self.best.iter().min().copied();
        }
    }
}

impl SegmentCollector for TopScoredSegment {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.limit == 0 || self.floor.is_some_and(|floor| score < floor.score) {
            return;
        }
        let hit =
            Scored { score, pmid: self.pmids.first(doc).unwrap_or(0) as u32, address: DocAddress::new(self.ord, doc) };
        if self.floor.is_none_or(|floor| hit > floor) {
            self.best.push(hit);
            if self.best.len() >= 2 * self.limit {
                self.trim();
            }
        }
    }

    fn harvest(mut self) -> Vec<Scored> {
        self.trim();
        self.best
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::EnableScoring;

    use super::Scored;
    use crate::Archive;
    use crate::dense_terms::tests::corpus_in_two;
    use crate::search::{Compiler, flat_unions, is_term_set};

    /// Explosions of more than 64 headings, in `[mh]` and `[majr]`.
    const TERM_SETS: &[&str] = &["neoplasms[mh]", "nervous system diseases[majr]", "cardiovascular diseases[mh]"];

    #[test]
    fn a_term_set_ranked_from_its_hits_is_ranked_as_running_it_ranks_it() {
        let Some(dir) = corpus_in_two("term-set-ranking", crate::stored_explosions::DIR) else { return };
        let archive = Archive::open_read_only(&dir).unwrap();
        let searcher = archive.searcher().unwrap();
        let ranked = |s: &Scored| (s.score, s.pmid, s.address);
        for text in TERM_SETS {
            let query = query::parse(text).unwrap().query;
            let mut compiler = Compiler::new(&searcher, archive.fields(), archive.mesh(), crate::today(), &[]);
            let compiled = flat_unions(compiler.compile(&query).unwrap().as_ref());
            assert!(is_term_set(compiled.as_ref()), "{text} is a term set");
            let weight = compiled.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap();
            for limit in [1, 20, 1_000_000] {
                let (hits, by_running) = super::hits_and_best(&searcher, weight.as_ref(), limit).unwrap();
                assert!(hits.len() > 20, "{text}: {} hits", hits.len());
                let from_hits = super::best_of_term_set(&searcher, &hits, limit).unwrap();
                let (from_hits, by_running): (Vec<_>, Vec<_>) =
                    (from_hits.iter().map(ranked).collect(), by_running.iter().map(ranked).collect());
                assert_eq!(from_hits, by_running, "{text}, the best {limit}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
