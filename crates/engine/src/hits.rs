//! The hits of a query as a set: one compressed bitmap (roaring) per index segment, so that
//! counting is a popcount and combining two queries is a bitmap operation, whatever the hit count.

use roaring::{MultiOps, RoaringBitmap};
use tantivy::query::Weight;
use tantivy::{DocId, Searcher};

/// The documents a query matches, by segment ordinal of the searcher it was computed on. Deleted
/// documents are never in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HitSet {
    segments: Vec<RoaringBitmap>,
}

impl HitSet {
    /// The documents `weight` matches in every segment of `searcher`.
    pub fn of_weight(searcher: &Searcher, weight: &dyn Weight) -> tantivy::Result<HitSet> {
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        let mut docs: Vec<DocId> = Vec::new();
        for reader in searcher.segment_readers() {
            docs.clear();
            let alive = reader.alive_bitset();
            weight.for_each_no_score(reader, &mut |block: &[DocId]| match alive {
                None => docs.extend_from_slice(block),
                Some(alive) => docs.extend(block.iter().copied().filter(|&doc| alive.is_alive(doc))),
            })?;
            segments.push(bitmap_of(&mut docs));
        }
        Ok(HitSet { segments })
    }

    /// From each segment's live hits, in the order a scorer yields them.
    pub(crate) fn from_segment_docs(mut segments: Vec<Vec<DocId>>) -> HitSet {
        HitSet { segments: segments.iter_mut().map(bitmap_of).collect() }
    }

    pub fn len(&self) -> u64 {
        self.segments.iter().map(RoaringBitmap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.segments.iter().all(RoaringBitmap::is_empty)
    }

    /// The hits in segment `ord`.
    pub fn segment(&self, ord: usize) -> &RoaringBitmap {
        &self.segments[ord]
    }

    /// How many documents are in both sets, without building their intersection.
    pub fn intersection_len(&self, other: &HitSet) -> u64 {
        self.segments.iter().zip(&other.segments).map(|(a, b)| a.intersection_len(b)).sum()
    }

    /// The documents in every one of `sets` (all of one searcher).
    pub fn intersection(sets: &[&HitSet]) -> HitSet {
        Self::per_segment(sets, |bitmaps| bitmaps.intersection())
    }

    /// The documents in any of `sets` (all of one searcher).
    pub fn union(sets: &[&HitSet]) -> HitSet {
        Self::per_segment(sets, |bitmaps| bitmaps.union())
    }

    /// The documents of `self` that are not in `other`.
    pub fn difference(&self, other: &HitSet) -> HitSet {
        HitSet { segments: self.segments.iter().zip(&other.segments).map(|(a, b)| a - b).collect() }
    }

    fn per_segment(sets: &[&HitSet], op: impl Fn(Vec<&RoaringBitmap>) -> RoaringBitmap) -> HitSet {
        let segments = sets.first().map_or(0, |s| s.segments.len());
        HitSet { segments: (0..segments).map(|i| op(sets.iter().map(|s| &s.segments[i]).collect())).collect() }
    }

    /// Memory held, in bytes (the serialized size, which is what the containers hold).
    pub fn bytes(&self) -> usize {
        self.segments.iter().map(RoaringBitmap::serialized_size).sum::<usize>() + 32 * self.segments.len()
    }
}

/// A segment's hits as a bitmap. Scorers yield documents in increasing order, which the bitmap
/// takes in bulk (its `push` looks for the maximum every time); sorting is only the safety net.
fn bitmap_of(docs: &mut Vec<DocId>) -> RoaringBitmap {
    if !docs.is_sorted() {
        docs.sort_unstable();
        docs.dedup();
    }
    RoaringBitmap::from_sorted_iter(docs.iter().copied()).unwrap_or_default()
}
