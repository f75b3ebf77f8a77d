//! The store's rules on small hand-made files: versions, last-wins, deletions, re-application.

use std::path::{Path, PathBuf};

use engine::{Archive, FileOutcome, Lookup, ingest_file};
use medline::Pmid;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn article(pmid: u32, version: u32, title: &str) -> String {
    format!(
        "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"{version}\">{pmid}</PMID>\
         <Article PubModel=\"Print\"><ArticleTitle>{title}</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    )
}

fn write(dir: &Path, name: &str, records: &[String], deletes: &[u32]) -> PathBuf {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n");
    for r in records {
        xml.push_str(r);
        xml.push('\n');
    }
    if !deletes.is_empty() {
        xml.push_str("<DeleteCitation>");
        for d in deletes {
            xml.push_str(&format!("<PMID Version=\"1\">{d}</PMID>"));
        }
        xml.push_str("</DeleteCitation>\n");
    }
    xml.push_str("</PubmedArticleSet>\n");
    let path = dir.join(name);
    std::fs::write(&path, xml).unwrap();
    path
}

/// The first ten hits, newest first, on a fixed day.
fn newest_first() -> engine::SearchOptions {
    engine::SearchOptions {
        sort: engine::Sort::PubDate,
        limit: 10,
        offset: 0,
        today: query::Day { year: 2026, month: 1, day: 1 },
    }
}

fn title(lookup: Lookup) -> String {
    match lookup {
        Lookup::Found(r) => r.parse().unwrap().title().to_owned(),
        other => panic!("expected a record, got {other:?}"),
    }
}

#[test]
fn versions_last_wins_and_deletions() {
    let dir = scratch("semantics");
    let a = write(&dir, "a.xml", &[article(1, 1, "one"), article(2, 1, "two"), article(2, 1, "two again")], &[]);
    let b = write(&dir, "b.xml", &[article(1, 2, "one v2"), article(3, 1, "three")], &[2]);
    let c = write(&dir, "c.xml", &[article(1, 1, "one revised")], &[9]);
    let archive = Archive::open(&dir.join("data")).unwrap();
    let mut indexer = archive.indexer().unwrap();
    let store = &archive.store;

    let FileOutcome::Applied(ea) = ingest_file(&archive, &mut indexer, &a, &mut ()).unwrap() else { panic!() };
    assert_eq!((ea.records, ea.added, ea.replaced), (3, 2, 1), "a PMID twice in one file: the last wins");
    assert_eq!(title(store.get(2).unwrap()), "two again");

    let FileOutcome::Applied(eb) = ingest_file(&archive, &mut indexer, &b, &mut ()).unwrap() else { panic!() };
    assert_eq!((eb.added, eb.replaced, eb.deleted, eb.deleted_absent), (1, 1, 1, 0));
    assert_eq!(title(store.get(1).unwrap()), "one v2", "the highest version is current");
    assert_eq!(title(store.get_version(Pmid { id: 1, version: 1 }).unwrap()), "one");
    assert_eq!(store.get(2).unwrap(), Lookup::Deleted { file_seq: eb.seq });
    assert_eq!(store.get(4).unwrap(), Lookup::Absent);

    let FileOutcome::Applied(ec) = ingest_file(&archive, &mut indexer, &c, &mut ()).unwrap() else { panic!() };
    assert_eq!((ec.replaced, ec.deleted_absent), (1, 1));
    assert_eq!(title(store.get(1).unwrap()), "one v2", "an older version does not become current");
    assert_eq!(title(store.get_version(Pmid { id: 1, version: 1 }).unwrap()), "one revised");

    let stats = store.stats().unwrap();
    assert_eq!((stats.records, stats.versions, stats.deleted, stats.files_applied), (2, 3, 2, 3));

    // The same bytes under another name are the same file.
    let copy = dir.join("a-copy.xml");
    std::fs::copy(&a, &copy).unwrap();
    let digest = store.digest().unwrap();
    assert!(
        matches!(ingest_file(&archive, &mut indexer, &copy, &mut ()).unwrap(), FileOutcome::AlreadyApplied(e) if e.seq == ea.seq)
    );
    assert_eq!(store.digest().unwrap(), digest);

    // A record added back after its deletion is no longer deleted.
    let d = write(&dir, "d.xml", &[article(2, 1, "two is back")], &[]);
    ingest_file(&archive, &mut indexer, &d, &mut ()).unwrap();
    assert_eq!(title(store.get(2).unwrap()), "two is back");
    assert_eq!(store.stats().unwrap().deleted, 1);
}

#[test]
fn the_store_survives_reopening() {
    let dir = scratch("reopen");
    let a = write(&dir, "a.xml", &[article(7, 1, "seven")], &[]);
    let digest = {
        let archive = Archive::open(&dir.join("data")).unwrap();
        let mut indexer = archive.indexer().unwrap();
        let store = &archive.store;
        ingest_file(&archive, &mut indexer, &a, &mut ()).unwrap();
        store.digest().unwrap()
    };
    let archive = Archive::open(&dir.join("data")).unwrap();
    let _caught_up = archive.indexer().unwrap();
    let store = &archive.store;
    assert_eq!(store.digest().unwrap(), digest);
    assert_eq!(store.files().unwrap().len(), 1);
}

#[test]
fn the_index_catches_up_after_a_crash_between_the_two_commits() {
    let dir = scratch("catch-up");
    let a = write(&dir, "a.xml", &[article(1, 1, "alpha one")], &[]);
    let b = write(&dir, "b.xml", &[article(2, 1, "beta two"), article(1, 1, "alpha revised")], &[]);
    let data = dir.join("data");
    let options = newest_first();
    {
        let archive = Archive::open(&data).unwrap();
        let mut indexer = archive.indexer().unwrap();
        ingest_file(&archive, &mut indexer, &a, &mut ()).unwrap();
        // File b reaches the store, and the process dies before the index commits it.
        let mut batch = archive.store.batch().unwrap();
        let mut reader = medline::ArticleSetReader::new(std::fs::File::open(&b).unwrap()).unwrap();
        while let Some(medline::Item::Record(raw)) = reader.next_item().unwrap() {
            batch.put(&raw).unwrap();
        }
        batch.commit("b.xml", 0, "not-a-real-checksum").unwrap();
        drop(indexer);
    }
    let archive = Archive::open(&data).unwrap();
    assert!(archive.index_behind().unwrap());
    let outcome = archive.search("beta[ti]", &options).unwrap();
    assert_eq!(outcome.count, 0);
    assert!(outcome.warnings.contains(&query::Warning::IndexBehind), "{:?}", outcome.warnings);
    let _indexer = archive.indexer().unwrap();
    assert!(!archive.index_behind().unwrap());
    assert_eq!(archive.search("beta[ti]", &options).unwrap().pmids, [2]);
    assert_eq!(archive.search("revised[ti]", &options).unwrap().pmids, [1]);
    assert_eq!(archive.search("one[ti]", &options).unwrap().count, 0, "the replaced document is gone");
}

#[test]
fn a_deleted_index_is_rebuilt_from_the_store() {
    let dir = scratch("rebuild");
    let a = write(&dir, "a.xml", &[article(5, 1, "gamma five"), article(6, 1, "delta six")], &[5]);
    let data = dir.join("data");
    {
        let archive = Archive::open(&data).unwrap();
        let mut indexer = archive.indexer().unwrap();
        ingest_file(&archive, &mut indexer, &a, &mut ()).unwrap();
    }
    std::fs::remove_dir_all(data.join("index")).unwrap();
    let archive = Archive::open(&data).unwrap();
    let _indexer = archive.indexer().unwrap();
    let options = newest_first();
    assert_eq!(archive.search("all[sb]", &options).unwrap().pmids, [6]);
}

#[test]
fn an_index_ahead_of_a_replaced_store_is_rebuilt() {
    let dir = scratch("replaced-store");
    let a = write(&dir, "a.xml", &[article(7, 1, "epsilon seven")], &[]);
    let b = write(&dir, "b.xml", &[article(8, 1, "zeta eight")], &[]);
    let data = dir.join("data");
    {
        let archive = Archive::open(&data).unwrap();
        let mut indexer = archive.indexer().unwrap();
        ingest_file(&archive, &mut indexer, &a, &mut ()).unwrap();
        ingest_file(&archive, &mut indexer, &b, &mut ()).unwrap();
        indexer.finish().unwrap();
    }
    // The store is lost and rebuilt from file a alone; the index still holds a and b.
    std::fs::remove_file(data.join("store.redb")).unwrap();
    std::fs::remove_file(data.join("records.dat")).unwrap();
    let archive = Archive::open(&data).unwrap();
    let mut indexer = archive.indexer().unwrap();
    ingest_file(&archive, &mut indexer, &a, &mut ()).unwrap();
    indexer.finish().unwrap();
    let options = newest_first();
    // Exactly one document for PMID 7, none for 8.
    assert_eq!(archive.search("all[sb]", &options).unwrap().pmids, [7]);
}

fn apply(archive: &Archive, path: &Path) {
    let mut indexer = archive.indexer().unwrap();
    ingest_file(archive, &mut indexer, path, &mut ()).unwrap();
    indexer.finish().unwrap();
}

fn search_options(sort: engine::Sort, limit: usize) -> engine::SearchOptions {
    engine::SearchOptions { sort, limit, offset: 0, today: query::Day { year: 2026, month: 1, day: 1 } }
}

#[test]
fn no_cached_answer_outlives_an_ingest() {
    let dir = scratch("sets-cache");
    let baseline = write(
        &dir,
        "base.xml",
        &[article(1, 1, "aspirin trial"), article(2, 1, "aspirin dose"), article(3, 1, "heparin")],
        &[],
    );
    let update =
        write(&dir, "update.xml", &[article(4, 1, "aspirin again"), article(3, 1, "aspirin and heparin")], &[1]);
    let archive = Archive::open(&dir.join("data")).unwrap();
    apply(&archive, &baseline);
    let newest = search_options(engine::Sort::EntryDate, 10);
    let heparin = query::parse("heparin[ti]").unwrap().query;
    let facets = |a: &Archive| {
        let strategy = query::parse_strategy("aspirin").unwrap();
        a.search_with_facets(strategy, &newest, std::slice::from_ref(&heparin)).unwrap()
    };
    for _ in 0..2 {
        let (outcome, counts) = facets(&archive);
        assert_eq!((outcome.count, outcome.pmids.len(), counts.counts.clone()), (2, 2, vec![0]));
    }
    assert!(archive.cache_stats().hits > 0, "the second search was answered from the cache");
    // A reader beside the writer, as another process would open it, with answers cached too.
    let reader = Archive::open_read_only(&dir.join("data")).unwrap();
    for _ in 0..2 {
        assert_eq!(reader.search("aspirin", &newest).unwrap().count, 2);
    }
    apply(&archive, &update);
    let (outcome, counts) = facets(&archive);
    let mut pmids = outcome.pmids.clone();
    pmids.sort_unstable();
    assert_eq!((outcome.count, pmids, counts.counts), (3, vec![2, 3, 4], vec![1]), "the update is seen");
    assert_eq!(reader.search("aspirin", &newest).unwrap().count, 3, "the reader sees the update");
}

#[test]
fn ties_list_the_higher_pmid_first_in_every_order() {
    let dir = scratch("sets-ties");
    // Identical records (no dates, no authors, one title) in two files, so in two segments.
    let a = write(&dir, "a.xml", &[article(5, 1, "aspirin"), article(12, 1, "aspirin"), article(7, 1, "aspirin")], &[]);
    let b = write(&dir, "b.xml", &[article(3, 1, "aspirin"), article(9, 1, "aspirin")], &[]);
    let archive = Archive::open(&dir.join("data")).unwrap();
    apply(&archive, &a);
    apply(&archive, &b);
    for sort in [
        engine::Sort::Relevance,
        engine::Sort::PubDate,
        engine::Sort::EntryDate,
        engine::Sort::FirstAuthor,
        engine::Sort::Journal,
        engine::Sort::Title,
    ] {
        let outcome = archive.search("aspirin", &search_options(sort, 10)).unwrap();
        assert_eq!(outcome.pmids, vec![12, 9, 7, 5, 3], "{sort:?}");
        let page = archive
            .search("aspirin", &engine::SearchOptions { offset: 2, limit: 2, ..search_options(sort, 2) })
            .unwrap();
        assert_eq!(page.pmids, vec![7, 5], "{sort:?}, second page");
    }
}
