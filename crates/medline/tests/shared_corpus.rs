//! The reader against every real file in `../shared/data/pubmed`: each record's bytes are exactly
//! the element as it stands in the file (found here by plain string search, not by the parser),
//! and re-parsing those bytes gives an equal model.

use std::io::Read;
use std::path::Path;

use medline::{ArticleSetReader, ErrorKind, Item, parse_record};

fn decompressed(path: &Path) -> Vec<u8> {
    let raw = std::fs::read(path).unwrap();
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw
    }
}

/// The record elements of a file, by string search: they never nest, so each opening tag runs to
/// the next closing tag of the same name.
fn record_elements(xml: &[u8]) -> Vec<&[u8]> {
    let text = std::str::from_utf8(xml).unwrap();
    let names: &[&str] = if text.contains("<MedlineCitationSet") {
        &["MedlineCitation"]
    } else {
        &["PubmedArticle", "PubMedArticle", "PubmedBookArticle"]
    };
    let mut found = Vec::new();
    for name in names {
        let (open_a, open_b, close) = (
            format!("<{name}>"),
            format!("<{name} "),
            format!("</{name}>"),
        );
        let mut from = 0;
        while let Some(start) = [text[from..].find(&open_a), text[from..].find(&open_b)]
            .into_iter()
            .flatten()
            .min()
        {
            let start = from + start;
            let end = start + text[start..].find(&close).unwrap() + close.len();
            found.push((start, &xml[start..end]));
            from = end;
        }
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, bytes)| bytes).collect()
}

#[test]
fn every_record_keeps_its_bytes_and_reparses_equal() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    let mut records = 0;
    let mut deletions = 0;
    let mut failures = Vec::new();
    for path in testdata::files_below(&shared.join("data/pubmed")) {
        let xml = decompressed(&path);
        let expected = record_elements(&xml);
        let mut reader = ArticleSetReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut got = Vec::new();
        loop {
            match reader.next_item() {
                Ok(Some(Item::Record(raw))) => {
                    let reparsed = parse_record(&raw.xml)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    assert_eq!(
                        reparsed,
                        raw.record,
                        "{}: PMID {}",
                        path.display(),
                        raw.record.pmid()
                    );
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
            assert_eq!(g.as_slice(), *e, "{}", path.display());
        }
        records += got.len();
    }
    // One file is XML Spy's generated sample with placeholder PMIDs ("Text2"): it must be refused
    // with a clear error, and nothing else may fail.
    assert_eq!(failures.len(), 1, "unexpected failures: {failures:?}");
    let (path, error) = &failures[0];
    assert!(
        path.ends_with("bioperl-live/stress_test_medline.xml.gz"),
        "{}",
        path.display()
    );
    assert!(
        matches!(&error.kind, ErrorKind::BadPmid(p) if p == "Text2"),
        "{error}"
    );
    assert_eq!(error.position.line, 7);
    assert!(records > 6000, "{records}");
    assert!(deletions > 600, "{deletions}");
}
