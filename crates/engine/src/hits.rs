//! The hits of a query as a set: one compressed bitmap (roaring) per index segment, so that
//! counting is a popcount and combining two queries is a bitmap operation, whatever the hit count.

use roaring::{MultiOps, RoaringBitmap};
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Searcher, SegmentReader, Term};

use crate::search::TermUnion;
use crate::segment_extras::SegmentExtras;
use crate::stored_explosions::key_of;

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
            segments.push(bitmap_of(&mut docs, reader.max_doc()));
        }
        Ok(HitSet { segments })
    }

    /// The documents holding any of the union's terms: per segment, the stored sets of its
    /// term sets (see [`crate::stored_explosions`]) and the stored arrays of its frequent terms
    /// ORed (see [`crate::dense_terms`]), and the other terms' posting lists read a block at a
    /// time into the same bit array, which is the union (cheaper than merging them document by
    /// document); into a sorted list when they are few. `extras` are the searcher's segments'.
    pub(crate) fn of_terms(
        searcher: &Searcher,
        union: &TermUnion,
        extras: &[SegmentExtras],
    ) -> tantivy::Result<HitSet> {
        let keys: Vec<u128> = union.sets.iter().map(|set| key_of(set)).collect();
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for (reader, extra) in searcher.segment_readers().iter().zip(extras) {
            let mut stored: Option<RoaringBitmap> = None;
            let mut terms: Vec<&Term> = union.terms.iter().collect();
            for (set, key) in union.sets.iter().zip(&keys) {
                match extra.explosions.as_deref().and_then(|explosions| explosions.set(*key)) {
                    Some(hits) => *stored.get_or_insert_default() |= hits,
                    None => terms.extend(set),
                }
            }
            let mut bitmap = Self::of_segment_terms(reader, &terms, extra)?;
            if let Some(hits) = stored {
                bitmap |= hits - extra.deleted(reader);
            }
            segments.push(bitmap);
        }
        Ok(HitSet { segments })
    }

    /// The live documents of one segment holding any of `terms`.
    fn of_segment_terms(
        reader: &SegmentReader,
        terms: &[&Term],
        extra: &SegmentExtras,
    ) -> tantivy::Result<RoaringBitmap> {
        let mut arrays: Vec<&[u8]> = Vec::new();
        let mut postings = Vec::with_capacity(terms.len());
        for &term in terms {
            match extra.arrays.as_deref().and_then(|stored| stored.bits(term)) {
                Some(bits) => arrays.push(bits),
                None => {
                    let inverted = reader.inverted_index(term.field())?;
                    postings.extend(inverted.read_block_postings(term, IndexRecordOption::Basic)?);
                }
            }
        }
        let total: u64 = postings.iter().map(|p| u64::from(p.doc_freq())).sum();
        if arrays.is_empty() && total * 32 < u64::from(reader.max_doc()) {
            let alive = reader.alive_bitset();
            let mut docs: Vec<DocId> = Vec::with_capacity(total as usize);
            for_each_block(&mut postings, |block| {
                docs.extend(block.iter().filter(|&&doc| alive.is_none_or(|a| a.is_alive(doc))))
            });
            docs.sort_unstable();
            docs.dedup();
            return Ok(RoaringBitmap::from_sorted_iter(docs).unwrap_or_default());
        }
        let mut bits = vec![0u8; (reader.max_doc() as usize).div_ceil(64) * 8];
        for array in arrays {
            bits.iter_mut().zip(array).for_each(|(byte, stored)| *byte |= stored);
        }
        for_each_block(&mut postings, |block| set_bits(&mut bits, block));
        // Cleared bit by bit: subtracting the deleted as a bitmap cost 6% of a cold esearch of
        // `breast cancer` at 1M records.
        for doc in extra.deleted(reader) {
            if let Some(byte) = bits.get_mut((doc >> 3) as usize) {
                *byte &= !(1 << (doc & 7));
            }
        }
        Ok(RoaringBitmap::from_lsb0_bytes(0, &bits))
    }

    /// From each segment's live hits, in the order a scorer yields them.
    pub(crate) fn from_segment_docs(searcher: &Searcher, mut segments: Vec<Vec<DocId>>) -> HitSet {
        let readers = searcher.segment_readers();
        HitSet { segments: segments.iter_mut().zip(readers).map(|(docs, r)| bitmap_of(docs, r.max_doc())).collect() }
    }

    /// The number of hits.
    pub fn len(&self) -> u64 {
        self.segments.iter().map(RoaringBitmap::len).sum()
    }

    /// Whether there are none.
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

/// Sets bit `doc % 8` of byte `doc / 8` for each document (those past the array are ignored).
pub(crate) fn set_bits(bits: &mut [u8], docs: &[DocId]) {
    for &doc in docs {
        if let Some(byte) = bits.get_mut((doc >> 3) as usize) {
            *byte |= 1 << (doc & 7);
        }
    }
}

/// Every block of documents (up to 128, decoded at once) of every posting list.
pub(crate) fn for_each_block(postings: &mut [BlockSegmentPostings], mut f: impl FnMut(&[DocId])) {
    for list in postings {
        loop {
            let docs = list.docs();
            if docs.is_empty() {
                break;
            }
            f(docs);
            list.advance();
        }
    }
}

/// A segment's hits as a bitmap, built in bulk: a dense set through a plain bit array (the
/// bitmap converts 8 KB at a time), a sparse one from the sorted list. Pushing values one at a
/// time costs several times more. Scorers yield documents in increasing order, each once;
/// sorting is for lists joined from several postings (which may also repeat a document: the
/// sorted list must not, or the bitmap would refuse it).
pub(crate) fn bitmap_of(docs: &mut Vec<DocId>, max_doc: u32) -> RoaringBitmap {
    if !docs.is_sorted_by(|a, b| a < b) {
        docs.sort_unstable();
        docs.dedup();
    }
    if (docs.len() as u64) * 32 < u64::from(max_doc) {
        return RoaringBitmap::from_sorted_iter(docs.iter().copied()).unwrap_or_default();
    }
    let mut bits = vec![0u8; (max_doc as usize).div_ceil(8)];
    set_bits(&mut bits, docs);
    RoaringBitmap::from_lsb0_bytes(0, &bits)
}

#[cfg(test)]
mod tests {
    /// Postings of several terms joined: sorted by chance, yet with a document twice.
    #[test]
    fn a_sorted_list_with_a_document_twice_is_each_document_once() {
        for max_doc in [1_000, 100] {
            let bitmap = super::bitmap_of(&mut vec![5, 5, 9], max_doc);
            assert_eq!(bitmap.iter().collect::<Vec<_>>(), [5, 9], "max_doc {max_doc}");
        }
    }
}
