//! The index writer of an ingest: documents added and deleted in step with the store, committed
//! every so often, segments merged as a 40M-record index needs.

use medline::Record;
use tantivy::indexer::LogMergePolicy;
use tantivy::{IndexWriter, Term};

use super::Archive;
use crate::error::{EngineError, Result};

/// Memory for each indexing thread's buffer before it writes a segment.
const WRITER_MEMORY: usize = 256 << 20;
/// Indexing threads during ingest: half the cores, at least two and at most eight. On 2 cores,
/// one left ingest using 1.58 of them, waiting on it; two, 1.81 cores and 24% more records/s
/// (1M generated records, BENCHMARKS.md). Indexing is about half of a record's CPU.
fn indexing_threads() -> usize {
    (crate::cores() / 2).clamp(2, 8)
}
/// How long index changes may wait for a commit during an ingest. Each commit ends every
/// indexing thread's segment, so this sets the size of a bulk load's segments (unless a thread's
/// memory fills first); waiting costs, after a crash, re-indexing the files since.
const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(180);
/// Segments of more documents are never merged again: a record is rewritten by one merge (of
/// eight freshly written segments) and no more, so merging costs the same share of an ingest
/// at any size, and a 40M-record baseline ends as a few dozen segments of about a million.
const MERGE_SEGMENTS_BELOW: u32 = 1_000_000;

impl Archive {
    /// A writer for ingest, after bringing the index up to the store.
    pub fn indexer(&self) -> Result<Indexer<'_>> {
        let writer: IndexWriter = self
            .index
            .writer_with_num_threads(indexing_threads(), indexing_threads() * WRITER_MEMORY)
            .map_err(|e| self.index_err(e))?;
        writer.set_merge_policy(Box::new(merge_policy()));
        let mut indexer = Indexer { archive: self, writer, pending: None, committed_at: std::time::Instant::now() };
        indexer.catch_up()?;
        Ok(indexer)
    }
}

/// Tantivy's log merge policy (eight segments of about one size at a time), run while the
/// ingest goes on, bounded by [`MERGE_SEGMENTS_BELOW`]: merges of the segments a bulk load
/// writes overlap the load instead of following it, and a day's update file never rewrites the
/// baseline's large segments.
fn merge_policy() -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(MERGE_SEGMENTS_BELOW as usize);
    policy
}

/// Keeps the index in step with the store during ingest.
pub struct Indexer<'a> {
    archive: &'a Archive,
    writer: IndexWriter,
    /// The last file applied to the store whose index changes are not committed yet.
    pending: Option<u32>,
    committed_at: std::time::Instant,
}

impl Indexer<'_> {
    fn err(&self, e: impl Into<tantivy::TantivyError>) -> EngineError {
        self.archive.index_err(e)
    }

    /// Adds the document of a record, replacing the PMID's document when `held` (the store held
    /// the PMID before). The index never holds a PMID the store lacks, so a new PMID needs no
    /// deletion: each deletion is looked up in every segment at the next commit, which on a bulk
    /// load costs more the more segments there are.
    pub fn put(&self, record: &Record, held: bool) -> Result<()> {
        self.put_document(record.pmid().id, held, crate::document::document(&self.archive.fields, record))
    }

    /// [`Indexer::put`] of a document already built (by the threads that parse ahead).
    pub(crate) fn put_document(&self, pmid: u32, held: bool, document: tantivy::TantivyDocument) -> Result<()> {
        if held {
            self.writer.delete_term(Term::from_field_u64(self.archive.fields.pmid, u64::from(pmid)));
        }
        self.writer.add_document(document).map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Takes the PMID's document out of the index (with the next commit).
    pub fn delete(&self, pmid: u32) {
        self.writer.delete_term(Term::from_field_u64(self.archive.fields.pmid, u64::from(pmid)));
    }

    /// Makes the changes since the last commit durable, noting the file they came from.
    fn commit(&mut self, seq: u32) -> Result<()> {
        let mut prepared = self.writer.prepare_commit().map_err(|e| self.archive.index_err(e))?;
        prepared.set_payload(&seq.to_string());
        prepared.commit().map_err(|e| self.archive.index_err(e))?;
        self.pending = None;
        self.committed_at = std::time::Instant::now();
        Ok(())
    }

    /// Notes that the store committed file `seq`; commits the index when it has waited long enough.
    pub fn applied(&mut self, seq: u32) -> Result<()> {
        self.pending = Some(seq);
        if self.committed_at.elapsed() >= COMMIT_EVERY { self.commit(seq) } else { Ok(()) }
    }

    /// Forgets the changes of a file the store did not take, and with them those of the files
    /// applied since the last commit, which are then redone from the store.
    pub fn discard(&mut self) -> Result<()> {
        self.writer.rollback().map_err(|e| self.archive.index_err(e))?;
        self.pending = None;
        self.catch_up()
    }

    /// Ends an ingest: commits, then waits for the merges the policy asks for (the last of
    /// the segments written since the previous merge).
    pub fn finish(mut self) -> Result<()> {
        let seq = match self.pending {
            Some(seq) => seq,
            None => self.archive.index_seq()?,
        };
        self.commit(seq)?;
        let archive = self.archive;
        let err = |e| archive.index_err(e);
        self.writer.wait_merging_threads().map_err(err)?;
        // The files of merged-away segments outlive the merges (measured: 14.6 GB on disk for a
        // 6.7 GB index of 5M records); a writer's collection removes them now, not at the next
        // ingest. 15 MB is the least memory tantivy lets a writer have.
        let collector: IndexWriter = archive.index.writer_with_num_threads(1, 15_000_000).map_err(err)?;
        collector.garbage_collect_files().wait().map_err(err)?;
        let searcher = archive.searcher()?;
        crate::dense_terms::write_missing(&archive.dir, &searcher, crate::dense_terms::MIN_SEGMENT_DOCS)?;
        let explosions = || archive.broad_explosions();
        crate::stored_explosions::write(&archive.dir, &searcher, explosions, false)?;
        Ok(())
    }

    /// Redoes, from the store, what the index missed: every PMID of the files applied after the
    /// index's last commit; or everything when the index is new and the store is not, or when
    /// the index is ahead of the store (the store was replaced), so that the index never holds
    /// a PMID the store lacks.
    fn catch_up(&mut self) -> Result<()> {
        let store = &self.archive.store;
        let (index_seq, store_seq) = (self.archive.index_seq()?, store.last_seq()?);
        if index_seq == store_seq {
            return Ok(());
        }
        let redo = |indexer: &Self, pmid: u32| -> Result<()> {
            match store.get(pmid)? {
                crate::Lookup::Found(r) => indexer.put(&r.parse()?, true),
                _ => {
                    indexer.delete(pmid);
                    Ok(())
                }
            }
        };
        let touched = store.touched_after(index_seq)?;
        let logged: std::collections::HashSet<u32> = touched.iter().map(|(seq, _)| *seq).collect();
        if index_seq < store_seq && (index_seq + 1..=store_seq).all(|s| logged.contains(&s)) {
            for (_, pmids) in touched {
                for pmid in pmids {
                    redo(self, pmid)?;
                }
            }
        } else {
            // Files applied before the index existed, or an index ahead of its store: rebuild.
            self.writer.delete_all_documents().map_err(|e| self.err(e))?;
            store.for_each_current(|r| self.put(&r.parse()?, false))?;
        }
        self.commit(store_seq)
    }
}
