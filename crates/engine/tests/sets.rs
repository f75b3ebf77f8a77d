//! Queries evaluated as sets, on the shared corpus: the sidebar's counts and the timeline equal
//! the queries they stand for run alone, and the order of hits does not depend on how the index
//! was segmented.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use engine::{Archive, SearchOptions, Sort, ingest_file};
use query::Day;

const TODAY: Day = Day { year: 2026, month: 11, day: 25 };

/// The clauses of the search page's sidebar, as the server sends them (dates relative to TODAY).
const FILTERS: &[&str] = &[
    "2025/11/25:2026/11/25[dp]",
    "2016/11/25:2026/11/25[dp]",
    "clinical trial[pt]",
    "meta-analysis[pt]",
    "randomized controlled trial[pt]",
    "review[pt]",
    "systematic review[pt]",
    "case reports[pt]",
    "english[la]",
    "french[la]",
    "german[la]",
    "hasabstract[sb]",
    "free full text[sb]",
    "humans[mh]",
    "animals[mh:noexp] NOT humans[mh]",
    "female[mh]",
    "male[mh]",
    "child[mh] OR infant[mh] OR adolescent[mh]",
    "adult[mh]",
    "aged[mh]",
];

/// Narrow and broad, one word and strategies, so that both ways of counting years are used.
const QUERIES: &[&str] = &[
    "dementia",
    "alzheimer disease[mh]",
    "humans[mh]",
    "english[la]",
    "amyloid[tiab] AND plaques[tiab]",
    "(amyloid[tiab] OR tau[tiab]) AND microglia[tiab]",
    "dementia[tiab] NOT alzheimer[tiab]",
    "\"mild cognitive impairment\"",
    "neuroinflam*[tiab]",
    "smith j[au]",
    "2015:2020[dp]",
    "cognition\nmemory\n#1 OR #2",
    "hasabstract[sb]",
];

fn options(sort: Sort, limit: usize) -> SearchOptions {
    SearchOptions { sort, limit, offset: 0, today: TODAY }
}

fn ingest(dir: &Path, batches: &[&[PathBuf]]) -> Archive {
    let _ = std::fs::remove_dir_all(dir);
    let mut archive = Archive::open(dir).unwrap();
    for batch in batches {
        let mut indexer = archive.indexer().unwrap();
        for path in *batch {
            let _ = ingest_file(&archive, &mut indexer, path, &mut ());
        }
        indexer.finish().unwrap();
    }
    let shared = testdata::shared().unwrap();
    let (_, descriptors) = mesh::read(std::fs::File::open(shared.join("data/mesh/desc2024.xml.gz")).unwrap()).unwrap();
    archive.load_mesh(&descriptors, &[]).unwrap();
    archive
}

/// The shared corpus in one ingest, and the same files in two ingests (other segments).
fn archives() -> Option<&'static (Archive, Archive)> {
    static ARCHIVES: OnceLock<Option<(Archive, Archive)>> = OnceLock::new();
    ARCHIVES
        .get_or_init(|| {
            let shared = testdata::shared()?;
            let files = testdata::corpus_files(&shared);
            let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
            let whole = ingest(&tmp.join("sets-whole"), &[&files]);
            let (first, rest) = files.split_at(files.len() / 2);
            let split = ingest(&tmp.join("sets-split"), &[first, rest]);
            Some((whole, split))
        })
        .as_ref()
}

fn count(archive: &Archive, q: &str) -> usize {
    archive.search(q, &options(Sort::Relevance, 0)).unwrap_or_else(|e| panic!("{q}: {e}")).count
}

#[test]
fn sidebar_counts_and_timeline_equal_the_queries_alone() {
    let Some((archive, _)) = archives() else { return };
    let clauses: Vec<query::Query> = FILTERS.iter().map(|f| query::parse(f).unwrap().query).collect();
    let mut broad = false;
    for q in QUERIES {
        let strategy = query::parse_strategy(q).unwrap();
        let (outcome, facets) = archive.search_with_facets(strategy, &options(Sort::Relevance, 20), &clauses).unwrap();
        assert!(outcome.count > 0, "{q}: the corpus should have hits for a meaningful test");
        broad |= outcome.count * 16 >= archive.store.stats().unwrap().records as usize;
        // Each alone, as a strategy line combining the query (works for strategies too).
        let lines = q.lines().count();
        let with = |clause: &str| format!("{q}\n#{lines} AND ({clause})");
        for (clause, got) in FILTERS.iter().zip(&facets.counts) {
            assert_eq!(*got, count(archive, &with(clause)), "{q:?} with {clause}");
        }
        let mut in_years = 0;
        for (year, got) in &facets.years {
            assert_eq!(*got as usize, count(archive, &with(&format!("{year}[dp]"))), "{q:?} in {year}");
            in_years += got;
        }
        assert!(in_years as usize >= outcome.count.min(1), "{q:?}: its hits are in the timeline");
    }
    assert!(broad, "a query with many hits counts its years by intersection");
}

#[test]
fn every_order_is_the_same_however_the_index_is_segmented() {
    let Some((whole, split)) = archives() else { return };
    for q in ["humans[mh]", "dementia", "english[la]", "2010:2020[dp]", "review[pt]"] {
        for sort in [Sort::PubDate, Sort::EntryDate, Sort::FirstAuthor, Sort::LastAuthor, Sort::Journal, Sort::Title] {
            let a = whole.search(q, &options(sort, 100_000)).unwrap();
            let b = split.search(q, &options(sort, 100_000)).unwrap();
            assert_eq!(a.count, a.pmids.len(), "{q} {sort:?}: every hit listed");
            assert!(a.pmids == b.pmids, "{q} {sort:?}: the same hits in the same order");
            // The same hits under other keys (so not from the cache), once the segments' orders
            // are built by the searches before: walked, not selected.
            for same in [format!("({q}) AND ({q})"), format!("({q}) OR ({q})"), format!("({q}) AND ({q}) AND ({q})")] {
                let again = split.search(&same, &SearchOptions { offset: 1, ..options(sort, 100_000) }).unwrap();
                assert!(again.pmids == a.pmids[1.min(a.count)..], "{same} {sort:?}: walking the order lists the same");
            }
            // A page deep in the list is that part of the list.
            let deep = SearchOptions { offset: a.count / 2, limit: 10, ..options(sort, 10) };
            let page = split.search(q, &deep).unwrap().pmids;
            assert_eq!(page, a.pmids[a.count / 2..(a.count / 2 + 10).min(a.count)], "{q} {sort:?} deep page");
        }
    }
}
