//! What a searcher's segment has beside its index: the files written for it when an ingest
//! ended (see [`crate::dense_terms`] and [`crate::stored_explosions`]), and what is read from it
//! once per index generation, on first use.

use std::sync::{Arc, OnceLock};

use roaring::RoaringBitmap;
use tantivy::SegmentReader;
use tantivy::columnar::Column;

use crate::dense_terms::SegmentArrays;
use crate::stored_explosions::SegmentExplosions;

/// What a searcher's segment has: its arrays, its stored explosions, and, read from the segment
/// (O(documents)) the first time they are needed in an index generation, its deleted documents
/// (to take out of a union built from stored sets), its PMID blocks and the columns read hit by hit.
pub(crate) struct SegmentExtras {
    pub arrays: Option<Arc<SegmentArrays>>,
    pub explosions: Option<Arc<SegmentExplosions>>,
    deleted: OnceLock<RoaringBitmap>,
    pmid_blocks: OnceLock<PmidBlocks>,
    hit_columns: OnceLock<HitColumns>,
}

/// The fast-field columns read hit by hit: by ranking, for each hit it keeps, and by the
/// timeline of a search of few hits. Opening a column reads the header of each of its blocks
/// (O(documents)): a cold PMID lookup at 5M records opened three per segment, which took 96% of
/// its time (0.27 ms, 0.011 ms once they were opened once per index generation).
pub(crate) struct HitColumns {
    pub pmid: Column<u64>,
    /// The publication-type prior (see `document::type_prior`); missing in an older index.
    pub prior: Option<Column<f64>>,
    /// The publication date as YYYYMMDD, for recency.
    pub pubdate: Option<Column<i64>>,
    /// Every publication date of the record, for the timeline.
    pub publication_dates: Column<i64>,
}

/// Documents of a segment in a PMID block.
pub(crate) const PMID_BLOCK_DOCS: u32 = 1024;

/// The highest PMID in each block of [`PMID_BLOCK_DOCS`] documents of a segment, and the blocks
/// by that PMID, highest first: the highest PMIDs among a set of hits are in the first blocks
/// (records are indexed about in PMID order), so only those need their PMIDs read.
pub(crate) struct PmidBlocks {
    pub highest: Vec<u32>,
    pub by_highest: Vec<u32>,
}

impl SegmentExtras {
    pub fn new(arrays: Option<Arc<SegmentArrays>>, explosions: Option<Arc<SegmentExplosions>>) -> SegmentExtras {
        SegmentExtras {
            arrays,
            explosions,
            deleted: OnceLock::new(),
            pmid_blocks: OnceLock::new(),
            hit_columns: OnceLock::new(),
        }
    }

    pub fn pmid_blocks(&self, reader: &SegmentReader) -> tantivy::Result<&PmidBlocks> {
        if let Some(blocks) = self.pmid_blocks.get() {
            return Ok(blocks);
        }
        let pmids = &self.hit_columns(reader)?.pmid;
        let blocks = reader.max_doc().div_ceil(PMID_BLOCK_DOCS);
        let highest: Vec<u32> = (0..blocks)
            .map(|block| {
                let docs = block * PMID_BLOCK_DOCS..((block + 1) * PMID_BLOCK_DOCS).min(reader.max_doc());
                docs.map(|doc| pmids.first(doc).unwrap_or(0) as u32).max().unwrap_or(0)
            })
            .collect();
        let mut by_highest: Vec<u32> = (0..blocks).collect();
        by_highest.sort_unstable_by_key(|&block| std::cmp::Reverse(highest[block as usize]));
        Ok(self.pmid_blocks.get_or_init(|| PmidBlocks { highest, by_highest }))
    }

    pub fn hit_columns(&self, reader: &SegmentReader) -> tantivy::Result<&HitColumns> {
        if let Some(columns) = self.hit_columns.get() {
            return Ok(columns);
        }
        let fast = reader.fast_fields();
        let columns = HitColumns {
            pmid: fast.u64("pmid")?,
            prior: fast.f64("prior").ok(),
            pubdate: fast.i64("sort_pubdate").ok(),
            publication_dates: fast.i64("date_publication")?,
        };
        Ok(self.hit_columns.get_or_init(|| columns))
    }

    pub fn deleted(&self, reader: &SegmentReader) -> &RoaringBitmap {
        self.deleted.get_or_init(|| match reader.alive_bitset() {
            Some(alive) => (0..reader.max_doc()).filter(|&doc| alive.is_deleted(doc)).collect(),
            None => RoaringBitmap::new(),
        })
    }
}
