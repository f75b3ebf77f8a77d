//! The hits of the MeSH explosions of broad headings, stored per segment, so that
//! `neoplasms[mh]` (about a thousand headings), or the explosion automatic term mapping adds to
//! `cancer`, reads one set per segment instead of looking up and decoding a thousand postings.
//!
//! A set is keyed by a hash of the terms of its query (every heading of the explosion in one
//! field), not by the heading's name: a vocabulary that explodes a heading differently asks for
//! another key and finds none, so a file never answers for a MeSH it was not built from. The
//! files are rewritten when MeSH is loaded and written for new segments when an ingest ends;
//! small segments too (a daily update's), since without its set a segment costs a term lookup
//! per heading, whatever its size (a cold `cancer` at 1M spent a quarter of its CPU so); each is written whole under a temporary name and renamed into place, and a missing or
//! damaged file only means that the postings are read instead, as for [`crate::dense_terms`].
//!
//! File layout (little-endian): each set as a serialized roaring bitmap (deleted documents
//! included); then per set its key (16 bytes), offset (u64) and length (u64); then the footer:
//! the table's offset (u64), the number of sets (u32), `max_doc` (u32) and the magic.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use roaring::RoaringBitmap;
use tantivy::directory::OwnedBytes;
use tantivy::index::SegmentId;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Searcher, SegmentReader, Term};
use xxhash_rust::xxh3::Xxh3;

use crate::error::{EngineError, Result};
use crate::hits::{bitmap_of, for_each_block};

/// Explosions of more headings than this are stored: below, looking the headings up costs about
/// what reading a set does. `dementia`'s mapping explodes Dementia to 17.
pub(crate) const LEAST_HEADINGS: usize = 16;

/// The archive's directory of these files.
pub(crate) const DIR: &str = "explosions";
const MAGIC: &[u8; 16] = b"medlars-explo-1\n";
const FOOTER: usize = 8 + 4 + 4 + MAGIC.len();
const ENTRY: usize = 16 + 8 + 8;

/// The key of the union of `terms`: their hash, in any order, each counted once.
pub(crate) fn key_of(terms: &[Term]) -> u128 {
    let mut sorted: Vec<&Term> = terms.iter().collect();
    sorted
        .sort_unstable_by(|a, b| (a.field(), a.serialized_value_bytes()).cmp(&(b.field(), b.serialized_value_bytes())));
    sorted.dedup();
    let mut h = Xxh3::new();
    for term in sorted {
        let value = term.serialized_value_bytes();
        h.update(&term.field().field_id().to_le_bytes());
        h.update(&(value.len() as u32).to_le_bytes());
        h.update(value);
    }
    h.digest128()
}

/// One segment's stored explosions, mapped from its file.
pub(crate) struct SegmentExplosions {
    bytes: OwnedBytes,
    sets: HashMap<u128, (usize, usize)>,
}

impl SegmentExplosions {
    /// The documents of the union keyed `key` ([`key_of`]), deleted ones included; None when
    /// this segment has no such set.
    pub fn set(&self, key: u128) -> Option<RoaringBitmap> {
        let &(start, len) = self.sets.get(&key)?;
        RoaringBitmap::deserialize_from(self.bytes.as_slice().get(start..start + len)?).ok()
    }

    /// Reads a file; None when it is not one of ours, is cut short, or is not of this segment.
    pub fn parse(bytes: OwnedBytes, max_doc: u32) -> Option<SegmentExplosions> {
        let data = bytes.as_slice();
        let footer = data.len().checked_sub(FOOTER)?;
        let u64_at = |at: usize| Some(u64::from_le_bytes(data.get(at..at + 8)?.try_into().ok()?) as usize);
        let u32_at = |at: usize| Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?));
        if &data[footer + 16..] != MAGIC || u32_at(footer + 12)? != max_doc {
            return None;
        }
        let (table, count) = (u64_at(footer)?, u32_at(footer + 8)? as usize);
        if table.checked_add(count.checked_mul(ENTRY)?)? != footer {
            return None;
        }
        let mut sets = HashMap::with_capacity(count);
        for entry in data[table..footer].chunks_exact(ENTRY) {
            let key = u128::from_le_bytes(entry[..16].try_into().ok()?);
            let start = u64::from_le_bytes(entry[16..24].try_into().ok()?) as usize;
            let len = u64::from_le_bytes(entry[24..32].try_into().ok()?) as usize;
            if start.checked_add(len)? > table {
                return None;
            }
            sets.insert(key, (start, len));
        }
        Some(SegmentExplosions { bytes, sets })
    }
}

/// The name of a segment's file in [`DIR`].
pub(crate) fn file_name(segment: SegmentId) -> String {
    format!("{}.sets", segment.uuid_string())
}

/// Writes the sets of the explosions (each the terms of one explosion's query, asked of
/// `explosions` only if a file is to be written) for every segment of `searcher` that has no
/// file yet, every segment when `replace` (a new vocabulary), and removes the files of segments
/// gone. Returns the number of files written.
pub(crate) fn write(
    archive_dir: &Path,
    searcher: &Searcher,
    explosions: impl FnOnce() -> Result<Vec<Vec<Term>>>,
    replace: bool,
) -> Result<usize> {
    let dir = archive_dir.join(DIR);
    let wanted: HashSet<String> = searcher.segment_readers().iter().map(|r| file_name(r.segment_id())).collect();
    crate::dense_terms::keep_only(&dir, (!replace).then_some(&wanted))?;
    let mut explosions = Some(explosions);
    let mut terms: Vec<Vec<Term>> = Vec::new();
    let mut written = 0;
    for reader in searcher.segment_readers() {
        let path = dir.join(file_name(reader.segment_id()));
        if path.exists() {
            continue;
        }
        if let Some(read) = explosions.take() {
            terms = read()?;
        }
        if terms.is_empty() {
            break;
        }
        let temporary = path.with_extension("sets.partial");
        write_segment(reader, &terms, &temporary)?;
        std::fs::rename(&temporary, &path).map_err(|e| EngineError::io(&path, e))?;
        written += 1;
    }
    Ok(written)
}

/// One segment's file, a set at a time (memory is one set, whatever their number); explosions
/// with no hits in the segment are left out.
fn write_segment(reader: &SegmentReader, explosions: &[Vec<Term>], path: &Path) -> Result<()> {
    let io = |e| EngineError::io(path, e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    let mut table = Vec::new();
    let mut offset = 0u64;
    let mut docs: Vec<DocId> = Vec::new();
    let mut serialized = Vec::new();
    for terms in explosions {
        docs.clear();
        let mut postings = Vec::with_capacity(terms.len());
        for term in terms {
            let inverted = reader.inverted_index(term.field()).map_err(|e| EngineError::index(path, e))?;
            postings.extend(inverted.read_block_postings(term, IndexRecordOption::Basic).map_err(io)?);
        }
        for_each_block(&mut postings, |block| docs.extend_from_slice(block));
        if docs.is_empty() {
            continue;
        }
        serialized.clear();
        bitmap_of(&mut docs, reader.max_doc()).serialize_into(&mut serialized).map_err(io)?;
        out.write_all(&serialized).map_err(io)?;
        table.extend_from_slice(&key_of(terms).to_le_bytes());
        table.extend_from_slice(&offset.to_le_bytes());
        table.extend_from_slice(&(serialized.len() as u64).to_le_bytes());
        offset += serialized.len() as u64;
    }
    out.write_all(&table).map_err(io)?;
    out.write_all(&offset.to_le_bytes()).map_err(io)?;
    out.write_all(&((table.len() / ENTRY) as u32).to_le_bytes()).map_err(io)?;
    out.write_all(&reader.max_doc().to_le_bytes()).map_err(io)?;
    out.write_all(MAGIC).map_err(io)?;
    out.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)
}

#[cfg(test)]
mod tests {
    use crate::Archive;
    use crate::dense_terms::tests::{corpus_in_two, cut_one_file, every_hit};

    /// Explosions of broad headings alone, ORed with words (automatic term mapping), major
    /// topics, inside Booleans.
    const QUERIES: &[&str] = &[
        "neoplasms[mh]",
        "cancer",
        "nervous system diseases[mh]",
        "neoplasms[majr]",
        "neoplasms[mh] OR dementia[tiab]",
        "(neoplasms[mh] OR mental disorders[mh]) AND humans[mh]",
        "cardiovascular diseases[mh] NOT neoplasms[mh]",
        "cardiovascular diseases[mh]",
        "dementia[mh]",
        "dementia",
        "stroke[mh] OR dementia[mh]",
    ];

    #[test]
    fn unions_read_from_stored_explosions_equal_unions_read_from_postings() {
        let Some(dir) = corpus_in_two("stored-explosions", super::DIR) else { return };
        let from_postings = every_hit(&Archive::open_read_only(&dir).unwrap(), QUERIES);
        let counts: Vec<usize> = from_postings.iter().map(|(count, _)| *count).collect();
        assert!(counts.iter().all(|&count| count > 0), "every query has hits: {counts:?}");

        let archive = Archive::open_read_only(&dir).unwrap();
        let searcher = archive.searcher().unwrap();
        let explosions = archive.broad_explosions().unwrap();
        let written = super::write(&dir, &searcher, || Ok(explosions.clone()), false).unwrap();
        assert_eq!(written, searcher.segment_readers().len(), "a file for every segment, small ones too");
        let extras = crate::dense_terms::DenseTerms::new(&dir).for_searcher(&searcher);
        // The sets Neoplasms' explosion (a term set) and Dementia's (17 headings looked up one by
        // one) ask for are stored, their keys from the queries the compiler makes.
        for text in ["neoplasms[mh]", "dementia[mh]"] {
            let compiler =
                crate::search::Compiler::new(&searcher, archive.fields(), archive.mesh(), crate::today(), &[]);
            let compiled = compiler.for_sets().compile(&query::parse(text).unwrap().query).unwrap();
            let union = crate::search::union_terms(compiled.as_ref()).expect("an explosion is a union of terms");
            assert_eq!(union.sets.len(), 1, "{text} is one set");
            let key = super::key_of(&union.sets[0]);
            let stored = extras.iter().filter(|e| e.explosions.as_ref().is_some_and(|s| s.set(key).is_some())).count();
            assert!(stored > 0, "{text}'s explosion is stored");
        }
        let from_sets = every_hit(&Archive::open_read_only(&dir).unwrap(), QUERIES);
        assert_eq!(from_sets, from_postings, "the same hits");

        // Sets of another vocabulary (each explosion without half its headings) answer nothing.
        let halved: Vec<Vec<tantivy::Term>> = explosions.iter().map(|t| t[..t.len() / 2].to_vec()).collect();
        super::write(&dir, &searcher, || Ok(halved), true).unwrap();
        assert_eq!(every_hit(&Archive::open_read_only(&dir).unwrap(), QUERIES), from_postings, "other sets unused");

        // A damaged file is not read.
        super::write(&dir, &searcher, || Ok(explosions), true).unwrap();
        cut_one_file(&dir.join(super::DIR), 3);
        assert_eq!(every_hit(&Archive::open_read_only(&dir).unwrap(), QUERIES), from_postings, "a cut file is ignored");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
