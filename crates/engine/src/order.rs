//! The first hits in a date, author, journal or title order, without sorting every hit.
//!
//! Within a segment every document has a rank key (its sort value, then the PMID, higher first),
//! so "the first m hits" is a selection among the hits' keys: O(hits). Once a segment has spent
//! as much on such selections as sorting it once would cost (ski rental), its documents are
//! sorted once by rank key (an *order*, 4 bytes a document); from then on the first m hits are
//! found by walking the order and keeping the documents that are hits, which visits about
//! m × documents ÷ hits of them: a few dozen for a broad query. The walk is used only where it
//! is expected to be cheaper than the selection, and gives up for the selection when the hits lie
//! late in the order. Orders depend on the segment alone, so they outlive index generations.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};

use crate::hits::HitSet;
use crate::sort::Sort;

/// How many documents a walk may visit per hit it is expected to need before it gives up.
const WALK_PATIENCE: u64 = 4;
/// Documents walked for the cost of selecting one hit.
const WALK_PER_SELECTION: u64 = 8;

enum OrderState {
    /// Documents ranked by selection so far, toward the cost of building the order.
    Scanned(u64),
    Built(Arc<Vec<DocId>>),
}

/// The sort orders built so far, per segment and sort; and the sort keys' columns opened so far,
/// which opening anew for every request cost 6% of a cold esearch of `cancer` at 1M records (a
/// column's block headers are read when it is opened).
#[derive(Default)]
pub(crate) struct Orders {
    states: Mutex<HashMap<(SegmentId, Sort), OrderState>>,
    keys: Mutex<HashMap<(SegmentId, Sort), Arc<SegmentKeys>>>,
}

impl Orders {
    /// Drops the orders of segments the searcher no longer has (merged or deleted away).
    pub fn keep_only(&self, searcher: &Searcher) {
        let live: std::collections::HashSet<SegmentId> =
            searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
        self.states.lock().expect("orders lock").retain(|(segment, _), _| live.contains(segment));
        self.keys.lock().expect("keys lock").retain(|(segment, _), _| live.contains(segment));
    }

    /// The segment's sort keys for `sort`, opened on first use.
    fn keys(&self, reader: &SegmentReader, sort: Sort) -> tantivy::Result<Arc<SegmentKeys>> {
        let key = (reader.segment_id(), sort);
        if let Some(keys) = self.keys.lock().expect("keys lock").get(&key) {
            return Ok(keys.clone());
        }
        let keys = Arc::new(SegmentKeys::open(reader, sort)?);
        self.keys.lock().expect("keys lock").insert(key, keys.clone());
        Ok(keys)
    }

    pub fn bytes(&self) -> usize {
        let states = self.states.lock().expect("orders lock");
        states.values().map(|s| if let OrderState::Built(order) = s { 4 * order.len() } else { 0 }).sum()
    }

    fn built(&self, segment: SegmentId, sort: Sort) -> Option<Arc<Vec<DocId>>> {
        match self.states.lock().expect("orders lock").get(&(segment, sort)) {
            Some(OrderState::Built(order)) => Some(order.clone()),
            _ => None,
        }
    }

    /// Notes `n` documents ranked by selection; true when the segment has now paid for its order.
    fn scanned(&self, segment: SegmentId, sort: Sort, n: u64, max_doc: u32) -> bool {
        let mut states = self.states.lock().expect("orders lock");
        let state = states.entry((segment, sort)).or_insert(OrderState::Scanned(0));
        match state {
            OrderState::Scanned(total) => {
                let total: &mut u64 = total;
                *total += n;
                *total >= u64::from(max_doc)
            }
            OrderState::Built(_) => false,
        }
    }

    fn put(&self, segment: SegmentId, sort: Sort, order: Vec<DocId>) {
        self.states.lock().expect("orders lock").insert((segment, sort), OrderState::Built(Arc::new(order)));
    }
}

/// One segment's sort keys for one sort.
struct SegmentKeys {
    pmid: Column<u64>,
    /// For the date sorts.
    date: Option<Column<i64>>,
    /// For the others: ordinals of the lower-cased values, in alphabetical order within the segment.
    text: Option<StrColumn>,
}

/// A hit's place across segments: smaller first.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum MergeKey {
    Rank(u64),
    Text { missing: bool, text: String, pmid: Reverse<u32> },
}

impl SegmentKeys {
    fn open(reader: &SegmentReader, sort: Sort) -> tantivy::Result<SegmentKeys> {
        let fast = reader.fast_fields();
        let field = sort.field().expect("relevance is ranked by score");
        let pmid = fast.u64("pmid")?;
        if sort.by_date() {
            Ok(SegmentKeys { pmid, date: Some(fast.i64(field)?), text: None })
        } else {
            Ok(SegmentKeys { pmid, date: None, text: fast.str(field)? })
        }
    }

    fn pmid(&self, doc: DocId) -> u32 {
        self.pmid.first(doc).unwrap_or(0) as u32
    }

    /// Smaller first: newest date, or first value alphabetically (missing values last); then the
    /// higher PMID.
    fn rank(&self, doc: DocId) -> u64 {
        let pmid = u64::from(self.pmid(doc));
        match (&self.date, &self.text) {
            (Some(date), _) => !((date.first(doc).unwrap_or(0).clamp(0, u32::MAX.into()) as u64) << 32 | pmid),
            (_, Some(text)) => {
                let ord = text.term_ords(doc).next().unwrap_or(u64::from(u32::MAX));
                (ord.min(u64::from(u32::MAX)) << 32) | (u64::from(u32::MAX) - pmid)
            }
            _ => u64::from(u32::MAX) - pmid,
        }
    }

    /// The rank key made comparable across segments (ordinals are not), and the PMID.
    fn merge_key(&self, doc: DocId) -> (MergeKey, u32) {
        match &self.text {
            // The date rank holds the PMID in its low half (inverted).
            None => {
                let rank = self.rank(doc);
                (MergeKey::Rank(rank), !rank as u32)
            }
            Some(column) => {
                let mut text = String::new();
                let missing = match column.term_ords(doc).next() {
                    Some(ord) => !column.ord_to_str(ord, &mut text).unwrap_or(false),
                    None => true,
                };
                let pmid = self.pmid(doc);
                (MergeKey::Text { missing, text, pmid: Reverse(pmid) }, pmid)
            }
        }
    }
}

/// The PMIDs of the first `m` hits in `sort` (any sort but relevance): each segment's first m,
/// merged (a heap of the segments' next hits, so only the hits taken are compared by value).
pub(crate) fn first_hits(
    searcher: &Searcher,
    orders: &Orders,
    hits: &HitSet,
    sort: Sort,
    m: usize,
) -> tantivy::Result<Vec<u32>> {
    let mut lists: Vec<(Arc<SegmentKeys>, InOrder<'_>)> = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let segment_hits = hits.segment(ord);
        if segment_hits.is_empty() {
            continue;
        }
        let keys = orders.keys(reader, sort)?;
        let first = first_in_segment(reader, orders, &keys, segment_hits, sort, m);
        lists.push((keys, first));
    }
    let mut heads: BinaryHeap<Reverse<(MergeKey, u32, usize)>> = BinaryHeap::new();
    let advance = |heads: &mut BinaryHeap<_>, i: usize, (keys, docs): &mut (Arc<SegmentKeys>, InOrder<'_>)| {
        if let Some(doc) = docs.next() {
            let (key, pmid) = keys.merge_key(doc);
            heads.push(Reverse((key, pmid, i)));
        }
    };
    for (i, list) in lists.iter_mut().enumerate() {
        advance(&mut heads, i, list);
    }
    let mut out = Vec::with_capacity(m);
    while out.len() < m {
        let Some(Reverse((_, pmid, i))) = heads.pop() else { break };
        out.push(pmid);
        advance(&mut heads, i, &mut lists[i]);
    }
    Ok(out)
}

/// One segment's hits in order, as far as the merge takes them.
enum InOrder<'a> {
    Chosen(std::vec::IntoIter<DocId>),
    /// The hits met walking the segment's order, found as they are asked for.
    Walked {
        order: Arc<Vec<DocId>>,
        next: usize,
        hits: &'a roaring::RoaringBitmap,
    },
}

impl Iterator for InOrder<'_> {
    type Item = DocId;

    fn next(&mut self) -> Option<DocId> {
        match self {
            InOrder::Chosen(docs) => docs.next(),
            InOrder::Walked { order, next, hits } => {
                while let Some(&doc) = order.get(*next) {
                    *next += 1;
                    if hits.contains(doc) {
                        return Some(doc);
                    }
                }
                None
            }
        }
    }
}

/// One segment's first `m` hits, in order. With the segment's order built, dense hits are
/// walked to lazily (walking the whole order costs no more than selecting among them), sparse
/// ones when few are wanted; otherwise the first m are selected.
fn first_in_segment<'a>(
    reader: &SegmentReader,
    orders: &Orders,
    keys: &SegmentKeys,
    hits: &'a roaring::RoaringBitmap,
    sort: Sort,
    m: usize,
) -> InOrder<'a> {
    let (segment, max_doc, count) = (reader.segment_id(), reader.max_doc(), hits.len());
    let m = m.min(count as usize);
    if let Some(order) = orders.built(segment, sort) {
        if count.saturating_mul(WALK_PER_SELECTION) >= u64::from(max_doc) {
            return InOrder::Walked { order, next: 0, hits };
        }
        // Expected visits to find m hits spread evenly through the order.
        let expected = (m as u64).saturating_mul(u64::from(max_doc)) / count.max(1);
        if expected <= count.saturating_mul(WALK_PER_SELECTION)
            && let Some(found) = walk(&order, hits, m, expected.saturating_mul(WALK_PATIENCE).max(64))
        {
            return InOrder::Chosen(found.into_iter());
        }
    }
    let first = select(keys, hits, m);
    if orders.scanned(segment, sort, count, max_doc) {
        orders.put(segment, sort, build(keys, max_doc));
    }
    InOrder::Chosen(first.into_iter())
}

/// The first `m` hits met walking `order`, or `None` after `patience` documents without them.
/// The hits are copied into a plain bit array first: a walk tests many more documents than the
/// hits it finds, and a bitmap's `contains` (two binary searches) was 19% of a cold esearch of
/// `breast cancer` at 1M records, where the copy costs a pass over the hits.
fn walk(order: &[DocId], hits: &roaring::RoaringBitmap, m: usize, patience: u64) -> Option<Vec<DocId>> {
    // The order holds every document of the segment.
    let mut bits = tantivy::BitSet::with_max_value(order.len() as u32);
    hits.iter().for_each(|doc| {
        bits.insert(doc);
    });
    let mut found = Vec::with_capacity(m);
    for (visited, &doc) in order.iter().enumerate() {
        if found.len() == m {
            break;
        }
        if visited as u64 >= patience {
            return None;
        }
        if bits.contains(doc) {
            found.push(doc);
        }
    }
    Some(found)
}

/// The first `m` hits by rank key, chosen among all of them.
fn select(keys: &SegmentKeys, hits: &roaring::RoaringBitmap, m: usize) -> Vec<DocId> {
    let mut ranked: Vec<(u64, DocId)> = hits.iter().map(|doc| (keys.rank(doc), doc)).collect();
    if m < ranked.len() {
        ranked.select_nth_unstable(m);
        ranked.truncate(m);
    }
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, doc)| doc).collect()
}

/// Every document of the segment by rank key.
fn build(keys: &SegmentKeys, max_doc: u32) -> Vec<DocId> {
    let mut ranked: Vec<(u64, DocId)> = (0..max_doc).map(|doc| (keys.rank(doc), doc)).collect();
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, doc)| doc).collect()
}
