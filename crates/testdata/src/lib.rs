//! Locates `../shared` (NLM's real files, read-only) for tests and benchmarks.
//!
//! Tests that need it call [`shared`]: when the folder is absent (a user's clone) they skip with a
//! one-line note; under `CI=true` its absence is a failure, so CI can never skip them silently.

use std::path::{Path, PathBuf};

/// The `shared` folder beside the repository, or `None` (after printing why) when it is absent.
/// Panics when it is absent under `CI=true`.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("data").is_dir() {
        return Some(dir.canonicalize().unwrap_or(dir));
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but the shared data folder {} is missing", dir.display());
    }
    // Straight to stderr, not eprintln!: the test harness captures the macros' output of passing
    // tests, and this note is meant to be seen.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "note: skipped, {} is absent (NLM's real files live there)", dir.display());
    None
}

/// A directory of real PubMed XML files for tests that need real records but no particular
/// ones: the 37 efetch files of `../shared/data` (about 3,700 records); `None`, after the note
/// [`shared`] prints, where `../shared` is absent.
pub fn real_records() -> Option<PathBuf> {
    Some(shared()?.join("data/pubmed/efetch-alzheimer-2025"))
}

/// One file of [`real_records`] (100 records), and its XML.
pub fn real_record_set() -> Option<(PathBuf, Vec<u8>)> {
    let file = files_below(&real_records()?).into_iter().next().expect("a file of real records");
    let xml = decompressed(&file);
    Some((file, xml))
}

/// MeSH descriptors for [`real_records`]: NLM's whole `desc2024.xml.gz` from `../shared`.
pub fn real_descriptors() -> Option<PathBuf> {
    Some(shared()?.join("data/mesh/desc2024.xml.gz"))
}

/// Every file below `dir`, sorted by path: the order `medlars ingest DIR` applies them in.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable test data folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The file's bytes, gunzipped when they are gzip.
pub fn decompressed(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let raw = std::fs::read(path).expect("readable test file");
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return raw;
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut out).expect("valid gzip");
    out
}

/// What a file does, in file order, found by plain string search rather than by the project's
/// parser: record elements never nest, so each opening tag runs to the next closing tag of its name.
pub enum Change {
    /// A record element's (PMID, version) and exact bytes.
    Put((u32, u32), Vec<u8>),
    /// The PMIDs of a `DeleteCitation`.
    Delete(Vec<u32>),
}

pub fn changes_of(xml: &[u8]) -> Vec<Change> {
    let text = std::str::from_utf8(xml).expect("UTF-8 test file");
    let names: &[&str] = if text.contains("<MedlineCitationSet") {
        &["MedlineCitation", "DeleteCitation"]
    } else {
        &["PubmedArticle", "PubMedArticle", "PubmedBookArticle", "DeleteCitation"]
    };
    let mut found = Vec::new();
    for name in names {
        let (open_a, open_b, close) = (format!("<{name}>"), format!("<{name} "), format!("</{name}>"));
        let mut from = 0;
        while let Some(start) = [text[from..].find(&open_a), text[from..].find(&open_b)].into_iter().flatten().min() {
            let start = from + start;
            let end = start + text[start..].find(&close).expect("closed element") + close.len();
            let element = &text[start..end];
            let change = if *name == "DeleteCitation" {
                let ids =
                    element.split("</PMID>").filter_map(|p| p.rsplit('>').next()).filter_map(|s| s.trim().parse().ok());
                Change::Delete(ids.collect())
            } else {
                Change::Put(key_of(element), element.as_bytes().to_vec())
            };
            found.push((start, change));
            from = end;
        }
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, c)| c).collect()
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let start = start + text[start..].find('>')? + 1;
    Some(&text[start..start + text[start..].find(close)?])
}

/// (PMID, version) of a record element: its first `<PMID>`, or for the 2002 `NCBIArticle` its
/// `pubmed` article ID. A PMID that is not a number keys as 0 (its file must be refused anyway).
fn key_of(element: &str) -> (u32, u32) {
    let (id, version) = match between(element, "<PMID", "</PMID>") {
        Some(id) => {
            let tag = &element[element.find("<PMID").unwrap()..];
            let tag = &tag[..tag.find('>').unwrap()];
            let version = tag.split("Version=\"").nth(1).map(|v| v[..v.find('"').unwrap()].parse().unwrap());
            (id, version.unwrap_or(1))
        }
        None => (between(element, "<ArticleId IdType=\"pubmed\"", "</ArticleId>").expect("a PMID"), 1),
    };
    (id.trim().parse().unwrap_or(0), version)
}

/// The store's state after applying `paths` in order, by the rules: a file whose bytes were
/// applied before changes nothing; the last record read for a (PMID, version) wins; a deletion
/// removes every version. Files listed in `refused` are left out (they must fail to apply).
#[derive(Default)]
pub struct Expected {
    pub records: std::collections::BTreeMap<u32, std::collections::BTreeMap<u32, Vec<u8>>>,
    pub deleted: std::collections::HashSet<u32>,
    /// PMIDs whose record some later file replaced with different bytes.
    pub replaced: std::collections::HashSet<u32>,
    /// PMIDs deleted while held.
    pub deleted_while_held: std::collections::HashSet<u32>,
    /// Files skipped as byte-identical copies of earlier ones.
    pub copies: usize,
}

impl Expected {
    pub fn of(paths: &[PathBuf], refused: &[&str]) -> Expected {
        let mut e = Expected::default();
        let mut seen = std::collections::HashSet::new();
        for path in paths {
            if refused.iter().any(|r| path.ends_with(r)) {
                continue;
            }
            if !seen.insert(std::fs::read(path).expect("readable test file")) {
                e.copies += 1;
                continue;
            }
            for change in changes_of(&decompressed(path)) {
                match change {
                    Change::Put((id, version), bytes) => {
                        let versions = e.records.entry(id).or_default();
                        if versions.get(&version).is_some_and(|old| *old != bytes) {
                            e.replaced.insert(id);
                        }
                        versions.insert(version, bytes);
                        e.deleted.remove(&id);
                    }
                    Change::Delete(ids) => {
                        for id in ids {
                            if e.records.remove(&id).is_some() {
                                e.deleted_while_held.insert(id);
                            }
                            e.deleted.insert(id);
                        }
                    }
                }
            }
        }
        e
    }

    /// The current (highest-version) bytes of each PMID.
    pub fn current(&self) -> impl Iterator<Item = (u32, u32, &[u8])> {
        self.records.iter().map(|(id, versions)| {
            let (version, bytes) = versions.iter().next_back().expect("at least one version");
            (*id, *version, bytes.as_slice())
        })
    }
}

/// The one file of `data/pubmed` that must be refused: XML Spy's generated sample, whose PMID is
/// the placeholder "Text2".
pub const REFUSED: &str = "bioperl-live/stress_test_medline.xml.gz";

/// What `medlars ingest ../shared/data/pubmed ../shared/seed/pubmed-28257650.xml` applies, in order.
pub fn corpus_files(shared: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = files_below(&shared.join("data/pubmed"))
        .into_iter()
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".xml") || name.ends_with(".xml.gz")
        })
        .collect();
    files.push(shared.join("seed/pubmed-28257650.xml"));
    files
}
