//! `medlars demo`: a store of its own from the sample of real NLM records built into the binary
//! (`sample/` in the repository: a few hundred records and the MeSH descriptors they use), then
//! the server on it. Needs no network and no files: the first command of a fresh clone.

use std::path::Path;

use anyhow::Context;
use engine::{Archive, ingest_file};

/// The sample's records and MeSH descriptors (see `sample/README.md`).
const RECORDS: &[u8] = include_bytes!("../../../sample/pubmed-sample.xml.gz");
const DESCRIPTORS: &[u8] = include_bytes!("../../../sample/desc-sample.xml.gz");

/// The record the demo points to first: the one PubMed's page is matched against.
pub const FIRST_RECORD: u32 = 28257650;

/// Builds the demo store in `dir` unless it is there already; returns how many records it holds.
pub fn prepare(dir: &Path) -> anyhow::Result<u64> {
    let source = dir.join("sample");
    std::fs::create_dir_all(&source).with_context(|| format!("cannot create {}", source.display()))?;
    let file = source.join("pubmed-sample.xml.gz");
    if std::fs::read(&file).ok().as_deref() != Some(RECORDS) {
        std::fs::write(&file, RECORDS).with_context(|| format!("cannot write {}", file.display()))?;
    }
    let mut archive = Archive::open(dir).with_context(|| format!("cannot open the store in {}", dir.display()))?;
    {
        let mut indexer = archive.indexer()?;
        // Applied once: a second run recognises the file by its checksum.
        ingest_file(&archive, &mut indexer, &file, &mut ()).with_context(|| format!("{}", file.display()))?;
        indexer.finish()?;
    }
    if archive.mesh().is_none() {
        let (_, descriptors) = mesh::read(DESCRIPTORS).context("the sample's MeSH descriptors")?;
        archive.load_mesh(&descriptors, &[])?;
    }
    Ok(archive.store.stats()?.records)
}
