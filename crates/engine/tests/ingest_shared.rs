//! Ingesting all of `../shared/data/pubmed` and the seed record: the store ends with exactly the
//! state the files dictate (last record read wins, deletions remove, copies of an applied file
//! change nothing), computed from the files by `testdata`'s plain string search, not by the parser.

use std::path::{Path, PathBuf};

use engine::{Archive, FileOutcome, Lookup, SearchOptions, Sort, expand_paths, ingest_file, ingest_files};
use testdata::{Expected, REFUSED};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn ingest_everything_matches_the_files() {
    let Some(shared) = testdata::shared() else { return };
    let mut paths = expand_paths(&shared.join("data/pubmed")).unwrap();
    paths.push(shared.join("seed/pubmed-28257650.xml"));
    assert_eq!(paths, testdata::corpus_files(&shared), "the directory expands as the tests expect");

    let archive = Archive::open(&scratch("ingest-everything")).unwrap();
    let mut indexer = archive.indexer().unwrap();
    let store = &archive.store;
    let mut failed = Vec::new();
    let mut already = 0;
    for path in &paths {
        match ingest_file(&archive, &mut indexer, path, &mut ()) {
            Ok(FileOutcome::Applied(_)) => {}
            Ok(FileOutcome::AlreadyApplied(_)) => already += 1,
            Err(e) => failed.push((path.clone(), e.to_string())),
        }
    }
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].0.ends_with(REFUSED));
    assert!(failed[0].1.contains("stress_test_medline.xml.gz: line 7, column"), "{}", failed[0].1);

    let expected = Expected::of(&paths, &[REFUSED]);
    assert_eq!(already, expected.copies, "identical copies are recognised as applied");
    assert!(expected.replaced.len() > 10, "the corpus replaces records: {}", expected.replaced.len());
    assert!(!expected.deleted_while_held.is_empty(), "the corpus deletes held records");

    let stats = store.stats().unwrap();
    assert!(stats.dictionary_bytes > 0, "{} MB of records train a zstd dictionary", stats.source_bytes >> 20);
    assert_eq!(stats.records, expected.records.len() as u64);
    assert_eq!(stats.versions, expected.records.values().map(|v| v.len() as u64).sum::<u64>());
    assert_eq!(stats.files_applied, (paths.len() - 1 - expected.copies) as u64);

    // Every expected record is stored with exactly the winning bytes; nothing else is stored.
    let mut stored = 0;
    store
        .for_each_record(|r| {
            assert_eq!(&r.xml, &expected.records[&r.pmid.id][&r.pmid.version], "PMID {}", r.pmid);
            stored += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(stored, stats.versions);
    for id in &expected.deleted {
        assert!(matches!(store.get(*id).unwrap(), Lookup::Deleted { .. }), "PMID {id} should be deleted");
    }
    for (id, version, bytes) in expected.current() {
        let Lookup::Found(r) = store.get(id).unwrap() else { panic!("PMID {id} missing") };
        assert_eq!((r.pmid.version, r.xml.as_slice()), (version, bytes), "PMID {id}");
    }
    let Lookup::Found(seed) = store.get(28257650).unwrap() else { panic!("seed missing") };
    assert!(seed.parse().unwrap().title().starts_with("Subcutaneous immunoglobulins"));

    // Applying everything again changes nothing.
    let digest = store.digest().unwrap();
    for path in &paths {
        if let Ok(outcome) = ingest_file(&archive, &mut indexer, path, &mut ()) {
            assert!(matches!(outcome, FileOutcome::AlreadyApplied(_)), "{}", path.display());
        }
    }
    assert_eq!(store.digest().unwrap(), digest);

    // A reader opened afresh finds the dictionary and reads the same bytes.
    indexer.finish().unwrap();
    let dir = archive.dir().to_owned();
    drop(archive);
    assert_eq!(Archive::open_read_only(&dir).unwrap().store.digest().unwrap(), digest);
}

#[test]
fn a_malformed_file_changes_nothing() {
    let Some(shared) = testdata::shared() else { return };
    let archive = Archive::open(&scratch("malformed-changes-nothing")).unwrap();
    let mut indexer = archive.indexer().unwrap();
    let store = &archive.store;
    ingest_file(&archive, &mut indexer, &shared.join("seed/pubmed-28257650.xml"), &mut ()).unwrap();
    let digest = store.digest().unwrap();
    // (Not the file of records saved with no set around them: it is read, as PubMed records.)
    let malformed = expand_paths(&shared.join("data/pubmed-malformed")).unwrap();
    for path in malformed.into_iter().filter(|p| !p.to_string_lossy().contains("no-root-element")) {
        let error = ingest_file(&archive, &mut indexer, &path, &mut ()).unwrap_err().to_string();
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        assert!(error.contains("line "), "{error}");
        assert_eq!(store.digest().unwrap(), digest, "{}", path.display());
    }
    assert_eq!(store.stats().unwrap().files_applied, 1);
}

/// Each file's outcome, in the order files finished, as `ingest_files` tells them.
#[derive(Default)]
struct Outcomes(Vec<(usize, String)>);

impl engine::Progress for Outcomes {
    fn advanced(&mut self, _: u64, _: u64) {}

    fn file_finished(&mut self, index: usize, _: &Path, outcome: &engine::Result<FileOutcome>) {
        let said = match outcome {
            Ok(FileOutcome::Applied(entry)) => format!("applied {} records", entry.records),
            Ok(FileOutcome::AlreadyApplied(_)) => "already applied".to_owned(),
            Err(e) => format!("failed: {e}"),
        };
        self.0.push((index, said));
    }
}

#[test]
fn files_parsed_ahead_are_applied_as_one_at_a_time_would() {
    let Some(shared) = testdata::shared() else { return };
    let paths = testdata::corpus_files(&shared);
    let one_by_one = Archive::open(&scratch("ingest-one-by-one")).unwrap();
    let mut indexer = one_by_one.indexer().unwrap();
    let mut expected = Outcomes::default();
    for (i, path) in paths.iter().enumerate() {
        let outcome = ingest_file(&one_by_one, &mut indexer, path, &mut ());
        engine::Progress::file_finished(&mut expected, i, path, &outcome);
    }
    indexer.finish().unwrap();

    // Four parsing threads: later files (replacing and deleting earlier files' records, and
    // copies of earlier files) are parsed while earlier ones are still being applied.
    let ahead = Archive::open(&scratch("ingest-parsed-ahead")).unwrap();
    let mut indexer = ahead.indexer().unwrap();
    let mut told = Outcomes::default();
    ingest_files(&ahead, &mut indexer, &paths, 4, &mut told);
    indexer.finish().unwrap();

    assert_eq!(told.0, expected.0, "each file comes to the same, told in file order");
    assert!(told.0.iter().any(|(_, said)| said.starts_with("failed")), "the corpus has a file that fails");
    assert_eq!(ahead.store.digest().unwrap(), one_by_one.store.digest().unwrap());
    let options = SearchOptions { sort: Sort::PubDate, limit: 100_000, offset: 0, today: engine::today() };
    for query in ["cancer", "2015:2020[dp]", "smith[au]", "review[pt]", "all[sb]"] {
        let hits = |archive: &Archive| archive.search(query, &options).unwrap().pmids;
        assert_eq!(hits(&ahead), hits(&one_by_one), "{query}");
    }
}
