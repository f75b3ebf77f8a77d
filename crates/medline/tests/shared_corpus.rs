//! The reader against every real file in `../shared/data/pubmed`: each record's bytes are exactly
//! the element as it stands in the file (found here by plain string search, not by the parser),
//! and re-parsing those bytes gives an equal model.

use medline::{ArticleSetReader, ErrorKind, Item, parse_record};
use testdata::Change;

#[test]
fn every_record_keeps_its_bytes_and_reparses_equal() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    let mut records = 0;
    let mut deletions = 0;
    let mut failures = Vec::new();
    for path in testdata::files_below(&shared.join("data/pubmed")) {
        let xml = testdata::decompressed(&path);
        let expected: Vec<Vec<u8>> = testdata::changes_of(&xml)
            .into_iter()
            .filter_map(|c| match c {
                Change::Put(_, bytes) => Some(bytes),
                Change::Delete(_) => None,
            })
            .collect();
        let mut reader = ArticleSetReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut got = Vec::new();
        loop {
            match reader.next_item() {
                Ok(Some(Item::Record(raw))) => {
                    let reparsed = parse_record(&raw.xml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    assert_eq!(reparsed, raw.record, "{}: PMID {}", path.display(), raw.record.pmid());
                    got.push(raw.xml);
                }
                Ok(Some(Item::Delete(pmids))) => deletions += pmids.len(),
                Ok(None) => break,
                Err(e) => {
                    failures.push((path.clone(), e));
                    break;
                }
            }
        }
        if failures.last().is_some_and(|(p, _)| *p == path) {
            continue;
        }
        assert_eq!(got.len(), expected.len(), "{}", path.display());
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g, e, "{}", path.display());
        }
        records += got.len();
    }
    // One file is XML Spy's generated sample with placeholder PMIDs ("Text2"): it must be refused
    // with a clear error, and nothing else may fail.
    assert_eq!(failures.len(), 1, "unexpected failures: {failures:?}");
    let (path, error) = &failures[0];
    assert!(path.ends_with("bioperl-live/stress_test_medline.xml.gz"), "{}", path.display());
    assert!(matches!(&error.kind, ErrorKind::BadPmid(p) if p == "Text2"), "{error}");
    assert_eq!(error.position.line, 7);
    assert!(records > 6000, "{records}");
    assert!(deletions > 600, "{deletions}");
}
