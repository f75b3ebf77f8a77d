//! What searches computed, kept for the searches after them while the index stays the same.
//!
//! An index generation is one opened state of the index: its segments and their deletions. Every
//! answer is kept for one generation only, so no search is ever answered from a state the
//! archive has left. Within it:
//! - an LRU of answers bounded in bytes: the hits of every query node (by the node's key, the
//!   query after term mapping and `#N` substitution), the pages of hits in each order, and the
//!   search page's counts;
//! - the sidebar filters' hits and the records of each publication year, built on first use
//!   and kept for the whole generation (their number is fixed, so their memory is too).
//!
//! Sort orders of a segment depend on nothing but the segment, so they outlive generations (see
//! [`crate::order`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use lru::LruCache;
use roaring::RoaringBitmap;

use crate::dense_terms::DenseTerms;
use crate::facets::Facets;
use crate::hits::HitSet;
use crate::order::Orders;
use crate::segment_extras::SegmentExtras;
use crate::sort::Sort;

/// The default bound of a generation's answers: 64 broad hit sets at 40M records (5 MB each).
pub const DEFAULT_BUDGET: usize = 320 << 20;

/// A query node's identity: a 128-bit hash of the node after term mapping, with `#N` replaced by
/// line N's key.
pub type NodeKey = u128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Hits(NodeKey),
    /// The first hits of a node in one order.
    Top(NodeKey, Sort),
    /// The search page's counts of a node for one list of filters (the list's hash).
    Facets(NodeKey, u64),
}

/// A query node's hits, with the warnings compiling it gave.
#[derive(Debug)]
pub(crate) struct Evaluated {
    pub hits: HitSet,
    pub warnings: Vec<query::Warning>,
}

/// The first PMIDs of a node's hits in one order; `complete` when they are all of them.
#[derive(Debug)]
pub(crate) struct TopPrefix {
    pub pmids: Vec<u32>,
    pub complete: bool,
}

#[derive(Clone)]
enum Cached {
    Hits(Arc<Evaluated>),
    Top(Arc<TopPrefix>),
    Facets(Arc<Facets>),
}

impl Cached {
    fn bytes(&self) -> usize {
        const OVERHEAD: usize = 96;
        OVERHEAD
            + match self {
                Cached::Hits(e) => e.hits.bytes() + e.warnings.len() * std::mem::size_of::<query::Warning>(),
                Cached::Top(t) => 4 * t.pmids.len(),
                Cached::Facets(f) => 16 * f.years.len() + 8 * f.counts.len(),
            }
    }
}

/// Cache figures, for `medlars search --cache-stats` and the server's status page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    /// Answers found in the cache, and computed because they were not, since the archive opened.
    pub hits: u64,
    /// Answers computed.
    pub misses: u64,
    /// Answers dropped to stay within the budget.
    pub evictions: u64,
    /// Index generations seen (each ingest that commits makes a new one).
    pub generations: u64,
    /// Answers held now, their bytes, and the bound.
    pub entries: usize,
    /// Their bytes.
    pub bytes: usize,
    /// The bound on them.
    pub budget: usize,
    /// Filter hit sets and publication-year sets of the current generation, and the sort orders.
    pub filter_sets: usize,
    /// Bytes of the filter sets.
    pub filter_bytes: usize,
    /// Bytes of the year sets.
    pub year_bytes: usize,
    /// Bytes of the sort orders.
    pub order_bytes: usize,
}

struct Answers {
    lru: LruCache<Key, Cached>,
    bytes: usize,
}

/// The cache of one index generation.
pub(crate) struct Generation {
    id: u64,
    budget: usize,
    answers: Mutex<Answers>,
    filters: Mutex<HashMap<String, Arc<Evaluated>>>,
    years: OnceLock<Arc<YearSets>>,
    dense: Arc<DenseTerms>,
    extras: OnceLock<Arc<Vec<SegmentExtras>>>,
    counters: Arc<Counters>,
}

/// Per segment, the records of each publication year.
pub(crate) type YearSets = Vec<BTreeMap<i64, RoaringBitmap>>;

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    evictions: AtomicU64,
    generations: AtomicU64,
}

impl Generation {
    fn get(&self, key: Key) -> Option<Cached> {
        let found = self.answers.lock().expect("cache lock").lru.get(&key).cloned();
        let counter = if found.is_some() { &self.counters.hits } else { &self.counters.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn put(&self, key: Key, value: Cached) {
        let bytes = value.bytes();
        if bytes > self.budget / 4 {
            // One answer may not crowd out most others.
            return;
        }
        let mut answers = self.answers.lock().expect("cache lock");
        if let Some(old) = answers.lru.put(key, value) {
            answers.bytes -= old.bytes();
        }
        answers.bytes += bytes;
        while answers.bytes > self.budget {
            let Some((_, dropped)) = answers.lru.pop_lru() else { break };
            answers.bytes -= dropped.bytes();
            self.counters.evictions.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn hits(&self, key: NodeKey) -> Option<Arc<Evaluated>> {
        match self.get(Key::Hits(key)) {
            Some(Cached::Hits(e)) => Some(e),
            _ => None,
        }
    }

    /// Whether a node's hits are held, without counting a lookup.
    pub fn holds_hits(&self, key: NodeKey) -> bool {
        self.answers.lock().expect("cache lock").lru.contains(&Key::Hits(key))
    }

    pub fn put_hits(&self, key: NodeKey, value: Arc<Evaluated>) {
        self.put(Key::Hits(key), Cached::Hits(value));
    }

    pub fn top(&self, key: NodeKey, sort: Sort) -> Option<Arc<TopPrefix>> {
        match self.get(Key::Top(key, sort)) {
            Some(Cached::Top(t)) => Some(t),
            _ => None,
        }
    }

    pub fn put_top(&self, key: NodeKey, sort: Sort, value: Arc<TopPrefix>) {
        self.put(Key::Top(key, sort), Cached::Top(value));
    }

    pub fn facets(&self, key: NodeKey, filters: u64) -> Option<Arc<Facets>> {
        match self.get(Key::Facets(key, filters)) {
            Some(Cached::Facets(f)) => Some(f),
            _ => None,
        }
    }

    pub fn put_facets(&self, key: NodeKey, filters: u64, value: Arc<Facets>) {
        self.put(Key::Facets(key, filters), Cached::Facets(value));
    }

    /// A sidebar filter's hits, kept for the whole generation.
    pub fn filter(&self, clause: &str) -> Option<Arc<Evaluated>> {
        self.filters.lock().expect("cache lock").get(clause).cloned()
    }

    pub fn put_filter(&self, clause: &str, value: Arc<Evaluated>) {
        self.filters.lock().expect("cache lock").insert(clause.to_owned(), value);
    }

    /// The records of each publication year, built by `build` the first time they are asked for.
    pub fn years(&self, build: impl FnOnce() -> tantivy::Result<YearSets>) -> tantivy::Result<Arc<YearSets>> {
        if let Some(years) = self.years.get() {
            return Ok(years.clone());
        }
        let built = Arc::new(build()?);
        Ok(self.years.get_or_init(|| built).clone())
    }

    /// Per segment of this generation's searcher: its stored term arrays and its deletions.
    pub fn segment_extras(&self, searcher: &tantivy::Searcher) -> Arc<Vec<SegmentExtras>> {
        self.extras.get_or_init(|| Arc::new(self.dense.for_searcher(searcher))).clone()
    }
}

/// The archive's cache: the current generation's, the sort orders, and counters since opening.
pub(crate) struct SearchCache {
    budget: usize,
    current: Mutex<Option<Arc<Generation>>>,
    pub orders: Orders,
    dense: Arc<DenseTerms>,
    counters: Arc<Counters>,
}

impl SearchCache {
    /// The cache of the archive in `archive_dir` (whose stored term arrays it opens).
    pub fn new(budget: usize, archive_dir: &std::path::Path) -> SearchCache {
        SearchCache {
            budget,
            current: Mutex::new(None),
            orders: Orders::default(),
            dense: Arc::new(DenseTerms::new(archive_dir)),
            counters: Arc::default(),
        }
    }

    /// The cache of the searcher's generation; a new one, dropping the old, when the index changed.
    pub fn generation(&self, searcher: &tantivy::Searcher) -> Arc<Generation> {
        let id = searcher.generation().generation_id();
        let mut current = self.current.lock().expect("cache lock");
        match current.as_ref() {
            Some(g) if g.id == id => g.clone(),
            _ => {
                self.orders.keep_only(searcher);
                self.counters.generations.fetch_add(1, Ordering::Relaxed);
                let fresh = Arc::new(Generation {
                    id,
                    budget: self.budget,
                    answers: Mutex::new(Answers { lru: LruCache::unbounded(), bytes: 0 }),
                    filters: Mutex::new(HashMap::new()),
                    years: OnceLock::new(),
                    dense: self.dense.clone(),
                    extras: OnceLock::new(),
                    counters: self.counters.clone(),
                });
                *current = Some(fresh.clone());
                fresh
            }
        }
    }

    /// Forgets every answer (MeSH changed, so the same query may mean something else).
    pub fn clear(&self) {
        *self.current.lock().expect("cache lock") = None;
    }

    pub fn stats(&self) -> CacheStats {
        let c = &self.counters;
        let mut stats = CacheStats {
            hits: c.hits.load(Ordering::Relaxed),
            misses: c.misses.load(Ordering::Relaxed),
            evictions: c.evictions.load(Ordering::Relaxed),
            generations: c.generations.load(Ordering::Relaxed),
            budget: self.budget,
            order_bytes: self.orders.bytes(),
            ..CacheStats::default()
        };
        if let Some(g) = self.current.lock().expect("cache lock").as_ref() {
            let answers = g.answers.lock().expect("cache lock");
            stats.entries = answers.lru.len();
            stats.bytes = answers.bytes;
            let filters = g.filters.lock().expect("cache lock");
            stats.filter_sets = filters.len();
            stats.filter_bytes = filters.values().map(|e| e.hits.bytes()).sum();
            stats.year_bytes = g.years.get().map_or(0, |years| {
                years.iter().flat_map(|segment| segment.values()).map(RoaringBitmap::serialized_size).sum()
            });
        }
        stats
    }
}
