//! The corpus generator: deterministic, valid against NLM's DTD, parsed by the same parser as real
//! files, and ingested into exactly the state its files describe.

use std::path::{Path, PathBuf};
use std::process::Command;

fn generate(out: &Path, seed: u64) {
    let status = Command::new(env!("CARGO_BIN_EXE_medlars-bench"))
        .args(["generate", "--records", "3000", "--updates", "2", "--seed", &seed.to_string(), "--out"])
        .arg(out)
        .arg("--shared")
        .arg(testdata::shared().unwrap())
        .status()
        .unwrap();
    assert!(status.success());
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = testdata::files_below(&dir.join("baseline"));
    out.extend(testdata::files_below(&dir.join("updates")));
    out
}

#[test]
fn generated_corpus_is_deterministic_valid_and_ingests_as_described() {
    let Some(shared) = testdata::shared() else { return };
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate");
    let _ = std::fs::remove_dir_all(&root);
    let (a, b, c) = (root.join("a"), root.join("b"), root.join("c"));
    generate(&a, 7);
    generate(&b, 7);
    generate(&c, 8);
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert_eq!(fa.len(), 3, "{fa:?}");
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(std::fs::read(x).unwrap(), std::fs::read(y).unwrap(), "{} differs between runs", x.display());
    }
    assert_ne!(std::fs::read(&fa[0]).unwrap(), std::fs::read(&fc[0]).unwrap(), "another seed, another corpus");

    // Valid against NLM's DTD (xmllint, from Debian's libxml2-utils).
    let dtd = shared.join("reference/samples/pubmed_250101_nomathml.dtd");
    if Command::new("xmllint").arg("--version").output().is_ok() {
        for f in &fa {
            let xml = root.join("check.xml");
            std::fs::write(&xml, testdata::decompressed(f)).unwrap();
            let out = Command::new("xmllint")
                .args(["--nonet", "--noout", "--dtdvalid"])
                .arg(&dtd)
                .arg(&xml)
                .output()
                .unwrap();
            assert!(out.status.success(), "{} is not valid: {}", f.display(), String::from_utf8_lossy(&out.stderr));
        }
    } else if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but xmllint (libxml2-utils) is missing");
    }

    // Parsed like real files, and ingested into the state the files describe.
    let expected = testdata::Expected::of(&fa, &[]);
    let archive = engine::Archive::open(&root.join("store")).unwrap();
    let mut indexer = archive.indexer().unwrap();
    for f in &fa {
        engine::ingest_file(&archive, &mut indexer, f, &mut ()).unwrap();
    }
    indexer.finish().unwrap();
    let stats = archive.store.stats().unwrap();
    assert_eq!(stats.records as usize, expected.records.len());
    assert!(!expected.deleted.is_empty() && !expected.replaced.is_empty(), "updates revise and delete");
    assert!(stats.records > 3000, "updates add records");
    for (pmid, _, bytes) in expected.current().take(50) {
        let engine::Lookup::Found(stored) = archive.store.get(pmid).unwrap() else { panic!("{pmid}") };
        assert_eq!(stored.xml, bytes);
        stored.parse().unwrap();
    }
    // The vocabulary is the corpus's: a common word of the real records finds generated ones.
    let options = engine::SearchOptions { sort: engine::Sort::Relevance, limit: 0, offset: 0, today: engine::today() };
    assert!(archive.search("alzheimer[tiab]", &options).unwrap().count > 10);
}
