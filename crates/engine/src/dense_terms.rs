//! Bit arrays of the frequent terms of each large segment, written once when an ingest ends, so
//! that a union of broad terms (`dementia` in its eight fields ORed with its MeSH explosion) ORs
//! a few stored arrays instead of decoding millions of postings.
//!
//! A segment never changes once written, and its file is derived from its postings alone
//! (deletions are applied when it is read), so each file is written once and kept until its
//! segment is merged away. A file is written whole under a temporary name and renamed into
//! place: a killed ingest leaves no half-written one, and a missing or damaged file only means
//! that the postings are read instead.
//!
//! File layout (little-endian): the magic, `max_doc` (u32), the number of terms (u32); per term
//! its field (u32), key length (u32) and key (the term dictionary's bytes); zeros up to a
//! multiple of 8; then one array of `max_doc` bits per term, each a whole number of 8-byte words.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};
use tantivy::index::SegmentId;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, SegmentReader, Term};

use crate::error::{EngineError, Result};
use crate::hits::{for_each_block, set_bits};
use crate::segment_extras::SegmentExtras;
use crate::stored_explosions::{self, SegmentExplosions};

/// The archive's directory of these files.
pub(crate) const DIR: &str = "dense";
/// A term has an array in a segment holding it in at least one document in this many. ORing an
/// array costs less than decoding the postings of such a term (cold esearch of `dementia` at 5M
/// records, the same build with and without the files: 361 and 999 requests/s); the bound is disk, an array being max_doc / 8
/// bytes whatever the term. At 1M generated records, about 860 terms per segment pass it (about
/// 2,350 more would at 1 in 64): files 6.5% of the index's size (7.6% at 5M).
const DENSE_SHARE: u32 = 16;
/// Segments smaller than this decode their postings fast enough (a daily update's is ~30,000).
pub(crate) const MIN_SEGMENT_DOCS: u32 = 1 << 16;
const MAGIC: &[u8; 16] = b"medlars-dense-1\n";
const HEADER: usize = MAGIC.len() + 8;

/// One segment's stored arrays, mapped from its file.
pub(crate) struct SegmentArrays {
    bytes: OwnedBytes,
    /// Per field, dictionary key → the array's number.
    terms: HashMap<u32, HashMap<Box<[u8]>, usize>>,
    data_start: usize,
    array_len: usize,
}

impl SegmentArrays {
    /// The documents holding `term`, one bit each (bit `d % 8` of byte `d / 8`), deleted ones
    /// included; None when the term has no array here.
    pub fn bits(&self, term: &Term) -> Option<&[u8]> {
        let number = *self.terms.get(&term.field().field_id())?.get(term.serialized_value_bytes())?;
        let start = self.data_start + number * self.array_len;
        self.bytes.as_slice().get(start..start + self.array_len)
    }

    /// Reads a file; None when it is not one of ours or is cut short.
    fn parse(bytes: OwnedBytes, max_doc: u32) -> Option<SegmentArrays> {
        let data = bytes.as_slice();
        let word = |at: usize| Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?));
        if data.get(..MAGIC.len())? != MAGIC || word(MAGIC.len())? != max_doc {
            return None;
        }
        let count = word(MAGIC.len() + 4)? as usize;
        let mut terms: HashMap<u32, HashMap<Box<[u8]>, usize>> = HashMap::new();
        let mut at = HEADER;
        for number in 0..count {
            let (field, len) = (word(at)?, word(at + 4)? as usize);
            terms.entry(field).or_default().insert(data.get(at + 8..at + 8 + len)?.into(), number);
            at += 8 + len;
        }
        let data_start = at.next_multiple_of(8);
        let array_len = array_len(max_doc);
        (data.len() == data_start + count * array_len).then_some(SegmentArrays { bytes, terms, data_start, array_len })
    }
}

/// Bytes of one array: whole 8-byte words.
fn array_len(max_doc: u32) -> usize {
    (max_doc as usize).div_ceil(64) * 8
}

fn file_name(segment: SegmentId) -> String {
    format!("{}.bits", segment.uuid_string())
}

type Opened = (Option<Arc<SegmentArrays>>, Option<Arc<SegmentExplosions>>);

/// The arrays and explosions opened so far, by segment; they outlive index generations, as
/// segments do (an explosion's key names its vocabulary, so a set built from an older MeSH is
/// never used for a newer one).
pub(crate) struct DenseTerms {
    archive_dir: PathBuf,
    opened: Mutex<HashMap<SegmentId, Opened>>,
}

impl DenseTerms {
    pub fn new(archive_dir: &Path) -> DenseTerms {
        DenseTerms { archive_dir: archive_dir.to_owned(), opened: Mutex::default() }
    }

    /// Per segment of `searcher`, in order: its arrays and explosions (opened on first use).
    pub fn for_searcher(&self, searcher: &Searcher) -> Vec<SegmentExtras> {
        let live: HashSet<SegmentId> = searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
        let arrays_dir = MmapDirectory::open(self.archive_dir.join(DIR)).ok();
        let explosions_dir = MmapDirectory::open(self.archive_dir.join(stored_explosions::DIR)).ok();
        let read = |directory: &Option<MmapDirectory>, name: String| {
            directory.as_ref()?.open_read(Path::new(&name)).ok()?.read_bytes().ok()
        };
        let mut opened = self.opened.lock().expect("dense terms lock");
        opened.retain(|segment, _| live.contains(segment));
        let open = |reader: &SegmentReader| {
            let (segment, max_doc) = (reader.segment_id(), reader.max_doc());
            let arrays = read(&arrays_dir, file_name(segment)).and_then(|b| SegmentArrays::parse(b, max_doc));
            let explosions = read(&explosions_dir, stored_explosions::file_name(segment))
                .and_then(|b| SegmentExplosions::parse(b, max_doc));
            (arrays.map(Arc::new), explosions.map(Arc::new))
        };
        let extras = searcher.segment_readers().iter().map(|reader| {
            let (arrays, explosions) = opened.entry(reader.segment_id()).or_insert_with(|| open(reader)).clone();
            SegmentExtras::new(arrays, explosions)
        });
        extras.collect()
    }
}

/// Writes the arrays of every segment of `searcher` of at least `min_segment_docs` documents
/// ([`MIN_SEGMENT_DOCS`] but in tests) that has none yet, and removes the files of segments it no
/// longer has. Returns the number of files written.
pub(crate) fn write_missing(archive_dir: &Path, searcher: &Searcher, min_segment_docs: u32) -> Result<usize> {
    let dir = archive_dir.join(DIR);
    let wanted: HashSet<String> = searcher.segment_readers().iter().map(|r| file_name(r.segment_id())).collect();
    keep_only(&dir, Some(&wanted))?;
    let mut written = 0;
    for reader in searcher.segment_readers() {
        let path = dir.join(file_name(reader.segment_id()));
        if reader.max_doc() < min_segment_docs || path.exists() {
            continue;
        }
        let temporary = path.with_extension("bits.partial");
        write_segment(reader, &temporary)?;
        std::fs::rename(&temporary, &path).map_err(|e| EngineError::io(&path, e))?;
        written += 1;
    }
    Ok(written)
}

/// Creates the directory `dir` of per-segment files and removes from it every file not named in
/// `wanted` (every file when None): the files of segments merged away, or of a replaced vocabulary.
pub(crate) fn keep_only(dir: &Path, wanted: Option<&HashSet<String>>) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| EngineError::io(dir, e))?;
    for entry in std::fs::read_dir(dir).map_err(|e| EngineError::io(dir, e))? {
        let path = entry.map_err(|e| EngineError::io(dir, e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !wanted.is_some_and(|wanted| wanted.contains(&name)) {
            std::fs::remove_file(&path).map_err(|e| EngineError::io(&path, e))?;
        }
    }
    Ok(())
}

/// One segment's file: its dense terms listed, then their arrays, one at a time (so memory is
/// one array, whatever the number of terms).
fn write_segment(reader: &SegmentReader, path: &Path) -> Result<()> {
    let io = |e| EngineError::io(path, e);
    let index = |e: tantivy::TantivyError| EngineError::index(path, e);
    let dense = dense_terms(reader).map_err(index)?;
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    let mut header = Vec::with_capacity(HEADER + dense.iter().map(|(_, key, _)| 8 + key.len()).sum::<usize>());
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&reader.max_doc().to_le_bytes());
    header.extend_from_slice(&(dense.len() as u32).to_le_bytes());
    for (field, key, _) in &dense {
        header.extend_from_slice(&field.field_id().to_le_bytes());
        header.extend_from_slice(&(key.len() as u32).to_le_bytes());
        header.extend_from_slice(key);
    }
    header.resize(header.len().next_multiple_of(8), 0);
    out.write_all(&header).map_err(io)?;
    let mut bits = vec![0u8; array_len(reader.max_doc())];
    for (field, _, term_info) in &dense {
        bits.fill(0);
        let inverted = reader.inverted_index(*field).map_err(index)?;
        let postings = inverted.read_block_postings_from_terminfo(term_info, IndexRecordOption::Basic).map_err(io)?;
        for_each_block(&mut [postings], |docs| set_bits(&mut bits, docs));
        out.write_all(&bits).map_err(io)?;
    }
    out.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)
}

/// Every indexed term of the segment held by at least one document in [`DENSE_SHARE`].
fn dense_terms(reader: &SegmentReader) -> tantivy::Result<Vec<(Field, Vec<u8>, tantivy::postings::TermInfo)>> {
    let least = reader.max_doc() / DENSE_SHARE;
    let mut dense = Vec::new();
    for (field, entry) in reader.schema().fields() {
        if !entry.is_indexed() {
            continue;
        }
        let inverted = reader.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if stream.value().doc_freq >= least {
                dense.push((field, stream.key().to_vec(), stream.value().clone()));
            }
        }
    }
    Ok(dense)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::{Path, PathBuf};

    use crate::{Archive, SearchOptions, Sort, ingest_file};

    /// Unions of terms of every kind: words in many fields, MeSH explosions (a term set above
    /// 64 headings), check tags, languages, a union inside a Boolean.
    const QUERIES: &[&str] = &[
        "dementia",
        "cancer",
        "humans[mh]",
        "neoplasms[mh]",
        "english[la]",
        "alzheimer[tiab] OR dementia[tiab] OR memory[tiab]",
        "(humans[mh] OR animals[mh]) AND review[pt]",
        "journal article[pt]",
    ];

    /// Each query's count and every hit.
    pub(crate) fn every_hit(archive: &Archive, queries: &[&str]) -> Vec<(usize, Vec<u32>)> {
        let options = SearchOptions { sort: Sort::EntryDate, limit: 1_000_000, offset: 0, today: crate::today() };
        let search = |q: &&str| archive.search(q, &options).unwrap_or_else(|e| panic!("{q}: {e}"));
        queries.iter().map(search).map(|outcome| (outcome.count, outcome.pmids)).collect()
    }

    /// An archive of the shared corpus in a temporary directory named `name`, ingested in two
    /// (see [`ingest_in_two`]), with `stored` (a directory of per-segment files) emptied, so that
    /// a test reads the postings first. None without the shared data.
    pub(crate) fn corpus_in_two(name: &str, stored: &str) -> Option<PathBuf> {
        let shared = testdata::shared()?;
        let dir = std::env::temp_dir().join(format!("medlars-{name}-{}", std::process::id()));
        ingest_in_two(&dir, &testdata::corpus_files(&shared), &shared);
        for file in std::fs::read_dir(dir.join(stored)).unwrap() {
            std::fs::remove_file(file.unwrap().path()).unwrap();
        }
        Some(dir)
    }

    /// Cuts `bytes` off the end of one file of the directory `stored`.
    pub(crate) fn cut_one_file(stored: &Path, bytes: u64) {
        let file = std::fs::read_dir(stored).unwrap().next().unwrap().unwrap().path();
        let length = std::fs::metadata(&file).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(&file).unwrap().set_len(length - bytes).unwrap();
    }

    /// The shared corpus in two ingests, so that the second revises records of the first: the
    /// first ingest's segments have deletions.
    fn ingest_in_two(dir: &Path, files: &[PathBuf], shared: &Path) {
        let _ = std::fs::remove_dir_all(dir);
        let mut archive = Archive::open(dir).unwrap();
        let (first, rest) = files.split_at(files.len() / 2);
        for batch in [first, rest] {
            let mut indexer = archive.indexer().unwrap();
            for path in batch {
                let _ = ingest_file(&archive, &mut indexer, path, &mut ());
            }
            indexer.finish().unwrap();
        }
        let (_, descriptors) =
            mesh::read(std::fs::File::open(shared.join("data/mesh/desc2024.xml.gz")).unwrap()).unwrap();
        archive.load_mesh(&descriptors, &[]).unwrap();
    }

    #[test]
    fn unions_read_from_stored_arrays_equal_unions_read_from_postings() {
        let Some(dir) = corpus_in_two("dense-terms", super::DIR) else { return };

        let from_postings = every_hit(&Archive::open_read_only(&dir).unwrap(), QUERIES);
        for (q, (count, pmids)) in QUERIES.iter().zip(&from_postings) {
            let distinct: std::collections::HashSet<&u32> = pmids.iter().collect();
            assert!(*count > 0 && distinct.len() == *count, "{q}: {count} hits, each a current record once");
        }

        let archive = Archive::open_read_only(&dir).unwrap();
        let searcher = archive.searcher().unwrap();
        let deleted: u32 = searcher.segment_readers().iter().map(|r| r.num_deleted_docs()).sum();
        assert!(deleted > 0, "a segment with deletions");
        let written = super::write_missing(&dir, &searcher, 1).unwrap();
        assert_eq!(written, searcher.segment_readers().len());
        let extras = super::DenseTerms::new(&dir).for_searcher(&searcher);
        let used = extras.iter().filter_map(|e| e.arrays.as_ref()).map(|a| a.terms.len()).sum::<usize>();
        assert!(used > 20, "frequent terms have arrays ({used})");
        assert_eq!(every_hit(&archive, QUERIES), from_postings, "the same hits from the arrays");

        // A damaged file is not read: its segment's postings are.
        cut_one_file(&dir.join(super::DIR), 8);
        assert_eq!(every_hit(&Archive::open_read_only(&dir).unwrap(), QUERIES), from_postings, "a cut file is ignored");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
