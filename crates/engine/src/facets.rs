//! The search page's sidebar: how many hits each filter keeps, and the hits per publication year.
//! Both are intersections of the query's hit set with sets built once per index generation, counted
//! without being built (a popcount per container), instead of a query per filter.

use std::collections::BTreeMap;

use roaring::RoaringBitmap;
use tantivy::Searcher;

use crate::cache::YearSets;
use crate::hits::HitSet;
use crate::segment_extras::SegmentExtras;

/// What [`crate::Archive::search_with_facets`] finds besides the hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facets {
    /// (year, hits), oldest first: a record counts in each year of its print and electronic
    /// publication dates, as `YYYY[dp]` finds it; records without a date are left out.
    pub years: Vec<(i64, u64)>,
    /// For each filter clause, the query's hits it keeps.
    pub counts: Vec<usize>,
}

/// Below this share of the records, the years are read hit by hit rather than intersected.
const YEARS_BY_HIT_BELOW: u64 = 16;

pub(crate) fn count_within(hits: &HitSet, filters: &[&HitSet]) -> Vec<usize> {
    filters.iter().map(|filter| hits.intersection_len(filter) as usize).collect()
}

/// The hits per publication year: read from each hit's dates when the hits are few, intersected
/// with every year's records (`years`, built on first use) when they are many.
pub(crate) fn years(
    searcher: &Searcher,
    extras: &[SegmentExtras],
    hits: &HitSet,
    years: impl FnOnce() -> tantivy::Result<std::sync::Arc<YearSets>>,
) -> tantivy::Result<Vec<(i64, u64)>> {
    let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
    if hits.len().saturating_mul(YEARS_BY_HIT_BELOW) < searcher.num_docs() {
        for ((ord, reader), extra) in searcher.segment_readers().iter().enumerate().zip(extras) {
            let dates = &extra.hit_columns(reader)?.publication_dates;
            for doc in hits.segment(ord) {
                for year in years_of(dates, doc) {
                    *counts.entry(year).or_insert(0) += 1;
                }
            }
        }
    } else {
        let years = years()?;
        for (ord, segment_years) in years.iter().enumerate() {
            let segment_hits = hits.segment(ord);
            for (year, records) in segment_years {
                let n = segment_hits.intersection_len(records);
                if n > 0 {
                    *counts.entry(*year).or_insert(0) += n;
                }
            }
        }
    }
    Ok(counts.into_iter().collect())
}

/// Per segment, the records of each publication year.
pub(crate) fn build_year_sets(searcher: &Searcher) -> tantivy::Result<YearSets> {
    let mut out = Vec::with_capacity(searcher.segment_readers().len());
    for reader in searcher.segment_readers() {
        let dates = reader.fast_fields().i64("date_publication")?;
        let mut by_year: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
        for doc in 0..reader.max_doc() {
            for year in years_of(&dates, doc) {
                by_year.entry(year).or_default().push(doc);
            }
        }
        // Documents were visited in increasing order, so each year's list is sorted.
        let segment: BTreeMap<i64, RoaringBitmap> = by_year
            .into_iter()
            .map(|(year, docs)| (year, RoaringBitmap::from_sorted_iter(docs).unwrap_or_default()))
            .collect();
        out.push(segment);
    }
    Ok(out)
}

/// The distinct years of a record's publication dates (print and electronic, YYYYMMDD).
fn years_of(dates: &tantivy::columnar::Column<i64>, doc: u32) -> Vec<i64> {
    let mut years: Vec<i64> = dates.values_for_doc(doc).map(|d| d / 10_000).filter(|y| *y > 0).collect();
    years.sort_unstable();
    years.dedup();
    years
}
