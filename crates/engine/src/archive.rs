//! The local PubMed in one data directory: the record store, the index kept in step with it, and
//! the MeSH vocabulary. Searching happens here.

use std::path::{Path, PathBuf};

use std::sync::Mutex;
use std::time::SystemTime;

use medline::Record;
use query::Vocabulary;
use tantivy::collector::TopDocs;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use crate::cache::{DEFAULT_BUDGET, SearchCache};
use crate::error::{EngineError, Result};
use crate::index::{self, Fields};
use crate::location;
use crate::store::Store;
use crate::vocabulary::MeshStore;

mod run;

pub use run::{LineOutcome, SearchOptions, SearchOutcome};

/// Today's date in UTC, for `"last N years"`.
pub fn today() -> query::Day {
    day_of(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0))
}

/// The UTC date of a time in seconds since 1970.
pub fn day_of(secs: u64) -> query::Day {
    let days = (secs / 86_400) as i64;
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
    query::Day { year, month, day }
}

/// Memory for each indexing thread's buffer before it writes a segment.
const WRITER_MEMORY: usize = 256 << 20;
/// Indexing threads during ingest. With one, ingest used 1.58 of 2 cores, waiting on it; with two,
/// 1.81 cores and 24% more records/s (1M generated records, BENCHMARKS.md).
const INDEXING_THREADS: usize = 2;
/// How long index changes may wait for a commit during an ingest. Committing after every file
/// costs a segment per file; waiting costs, after a crash, re-indexing the files since.
const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// A data directory's archive: its record store, search index and MeSH, opened together.
pub struct Archive {
    /// The data directory opened.
    data: PathBuf,
    /// The directory holding this archive: `data`, or the subdirectory it names (see [`location`]).
    dir: PathBuf,
    /// The search cache's budget, in bytes.
    cache_budget: usize,
    /// The records, by PMID and version, with the log of applied files.
    pub store: Store,
    index: tantivy::Index,
    fields: Fields,
    reader: IndexReader,
    /// The length and time of the index's `meta.json` when the reader last loaded it.
    loaded_meta: Mutex<Option<(u64, SystemTime)>>,
    mesh: Option<MeshStore>,
    cache: SearchCache,
}

impl Archive {
    /// Opens (creating if needed) the archive in `dir` for writing: for ingest and loading MeSH.
    /// A writer excludes every other process, readers included.
    pub fn open(data: &Path) -> Result<Archive> {
        let dir = location::archive_dir(data)?;
        Self::open_with(data, &dir, Store::open(&dir)?, index::open)
    }

    /// Opens an existing archive for reading: searching, fetching, serving. Readers share it.
    pub fn open_read_only(data: &Path) -> Result<Archive> {
        let dir = location::archive_dir(data)?;
        Self::open_with(data, &dir, Store::open_read_only(&dir)?, index::open_existing)
    }

    /// The same archive opened again for reading, or the one that replaced it (a new year's
    /// baseline), with the same cache budget.
    pub fn reopen_read_only(&self) -> Result<Archive> {
        let mut archive = Self::open_read_only(&self.data)?;
        archive.set_cache_budget(self.cache_budget);
        Ok(archive)
    }

    /// False once another archive has replaced this one in its data directory.
    pub fn is_current(&self) -> Result<bool> {
        Ok(location::archive_dir(&self.data)? == self.dir)
    }

    fn open_with(
        data: &Path,
        dir: &Path,
        store: Store,
        open_index: fn(&Path) -> Result<(tantivy::Index, Fields)>,
    ) -> Result<Archive> {
        let index_dir = dir.join("index");
        let (index, fields) = open_index(&index_dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| EngineError::index(&index_dir, e))?;
        let mesh = MeshStore::open(dir)?;
        Ok(Archive {
            data: data.to_owned(),
            dir: dir.to_owned(),
            cache_budget: DEFAULT_BUDGET,
            store,
            index,
            fields,
            reader,
            loaded_meta: Mutex::new(None),
            mesh,
            cache: SearchCache::new(DEFAULT_BUDGET, dir),
        })
    }

    /// The directory holding this archive's files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The data directory it was opened as.
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// The MeSH vocabulary, once `medlars mesh load` has loaded one.
    pub fn mesh(&self) -> Option<&MeshStore> {
        self.mesh.as_ref()
    }

    /// Loads a MeSH vocabulary, replacing any loaded before.
    pub fn load_mesh(&mut self, descriptors: &[mesh::Descriptor], qualifiers: &[mesh::Descriptor]) -> Result<()> {
        self.mesh = None;
        self.cache.clear();
        self.mesh = Some(MeshStore::load(&self.dir, descriptors, qualifiers)?);
        Ok(())
    }

    fn index_err(&self, e: impl Into<tantivy::TantivyError>) -> EngineError {
        EngineError::index(&self.dir.join("index"), e)
    }

    /// The file sequence number the index has caught up with.
    fn index_seq(&self) -> Result<u32> {
        let metas = self.index.load_metas().map_err(|e| self.index_err(e))?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// True when the index lacks files the store has applied (after a crash between the two
    /// commits); the next ingest repairs it.
    pub fn index_behind(&self) -> Result<bool> {
        Ok(self.index_seq()? < self.store.last_seq()?)
    }

    /// A writer for ingest, after bringing the index up to the store.
    pub fn indexer(&self) -> Result<Indexer<'_>> {
        let writer: IndexWriter = self
            .index
            .writer_with_num_threads(INDEXING_THREADS, INDEXING_THREADS * WRITER_MEMORY)
            .map_err(|e| self.index_err(e))?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut indexer = Indexer { archive: self, writer, pending: None, committed_at: std::time::Instant::now() };
        indexer.catch_up()?;
        Ok(indexer)
    }

    /// Bounds the memory of the answers kept between searches (see [`crate::cache`]).
    pub fn set_cache_budget(&mut self, bytes: usize) {
        self.cache_budget = bytes;
        self.cache = SearchCache::new(bytes, &self.dir);
    }

    /// The searcher of the index as last committed. The reader reloads only when `meta.json`
    /// changed (a commit, by this process or another): reloading opens every segment again.
    pub(crate) fn searcher(&self) -> Result<Searcher> {
        let meta = self.dir.join("index").join("meta.json");
        let stamp = std::fs::metadata(&meta).ok().and_then(|m| Some((m.len(), m.modified().ok()?)));
        let mut loaded = self.loaded_meta.lock().expect("reader lock");
        if stamp.is_none() || *loaded != stamp {
            self.reader.reload().map_err(|e| self.index_err(e))?;
            *loaded = stamp;
        }
        Ok(self.reader.searcher())
    }

    /// A query with each word the index lacks replaced by the closest indexed word, as ESpell
    /// corrects; words in brackets or quotes, and operators, are left as they are.
    pub fn spell(&self, text: &str) -> Result<String> {
        let searcher = self.searcher()?;
        let fields = [self.fields.title, self.fields.abstract_];
        let mut out = String::with_capacity(text.len());
        let (mut quoted, mut bracketed) = (false, false);
        for piece in text.split_inclusive(|c: char| c.is_whitespace() || "()[]\"".contains(c)) {
            let word = piece.trim_end_matches(|c: char| c.is_whitespace() || "()[]\"".contains(c));
            let tail = &piece[word.len()..];
            let plain = !quoted && !bracketed && !matches!(word, "AND" | "OR" | "NOT");
            match plain.then(|| crate::spell::suggest(&searcher, &fields, &word.to_lowercase())).flatten() {
                Some(better) => out.push_str(&better),
                None => out.push_str(word),
            }
            out.push_str(tail);
            for c in tail.chars() {
                match c {
                    '"' => quoted = !quoted,
                    '[' => bracketed = true,
                    ']' => bracketed = false,
                    _ => {}
                }
            }
        }
        Ok(out)
    }

    /// Records like the article ("Similar articles", ELink's `pubmed_pubmed`), best first with
    /// scores, the article itself leading as NCBI lists it. Like PubMed's pmra, the words of the title (counted
    /// twice), the abstract and the MeSH headings decide; authors and journal do not. The words
    /// most telling by tf-idf form the query, scored by BM25.
    pub fn similar(&self, a: &medline::model::PubmedArticle, limit: usize) -> Result<Vec<(u32, f32)>> {
        // ELink asks this once per ID: thousands of them can outlast a request's time.
        crate::stopping::check()?;
        let pmid = a.medline.pmid.id;
        let art = &a.medline.article;
        let abstract_text: Vec<&str> =
            art.abstract_.iter().flat_map(|x| &x.texts).map(|t| t.text.text.as_str()).collect();
        let abstract_text = abstract_text.join(" ");
        let headings: Vec<&str> = a.medline.mesh_headings.iter().map(|h| h.descriptor.name.as_str()).collect();
        let headings = headings.join(" ");
        let texts = [
            (self.fields.title, vec![art.title.text.as_str(), art.title.text.as_str()]),
            (self.fields.abstract_, vec![abstract_text.as_str()]),
            (self.fields.mesh_words, vec![headings.as_str()]),
        ];
        let searcher = self.searcher()?;
        // Words in more than a tenth of the records tell little and cost the most to score.
        let common = (searcher.num_docs() / 10).max(10);
        let query = crate::similar_terms::query(&searcher, &texts, common)?;
        let err = |e| self.index_err(e);
        let hits = searcher.search(&query, &TopDocs::with_limit(limit.max(1) + 1).order_by_score()).map_err(err)?;
        let mut out = vec![(pmid, hits.first().map_or(0.0, |(s, _)| *s))];
        for (score, address) in hits {
            let column = searcher.segment_reader(address.segment_ord).fast_fields().u64("pmid").map_err(err)?;
            match column.first(address.doc_id) {
                Some(p) if p as u32 != pmid => out.push((p as u32, score)),
                _ => {}
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Index size on disk, in bytes.
    pub fn index_bytes(&self) -> u64 {
        dir_size(&self.dir.join("index"))
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

/// The tables automatic term mapping consults: MeSH, and the journals and authors in the index.
struct Tables<'a> {
    archive: &'a Archive,
    searcher: &'a Searcher,
}

impl Tables<'_> {
    fn has_term(&self, field: tantivy::schema::Field, value: &str) -> bool {
        self.searcher.doc_freq(&Term::from_field_text(field, value)).is_ok_and(|n| n > 0)
    }

    fn has_prefix(&self, field: tantivy::schema::Field, prefix: &str) -> bool {
        self.searcher.segment_readers().iter().any(|segment| {
            segment.inverted_index(field).is_ok_and(|inverted| {
                let mut stream = match inverted.terms().range().ge(prefix.as_bytes()).into_stream() {
                    Ok(s) => s,
                    Err(_) => return false,
                };
                stream.advance() && stream.key().starts_with(prefix.as_bytes())
            })
        })
    }
}

impl Vocabulary for Tables<'_> {
    fn mesh_heading(&self, phrase: &str) -> Option<String> {
        let mesh = self.archive.mesh.as_ref()?;
        mesh.heading(phrase).ok().flatten().map(|d| d.name)
    }

    fn journal(&self, phrase: &str) -> Option<String> {
        let value = index::normalise(phrase);
        // Single common words are subjects, not journals, unless MeSH knew them (checked first).
        (value.contains(' ') && self.has_term(self.archive.fields.journal, &value)).then_some(value)
    }

    fn author(&self, phrase: &str) -> bool {
        let value = index::normalise(phrase);
        self.has_term(self.archive.fields.author, &value) || self.has_prefix(self.archive.fields.author, &value)
    }
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
        let fields = &self.archive.fields;
        if held {
            self.writer.delete_term(Term::from_field_u64(fields.pmid, u64::from(record.pmid().id)));
        }
        self.writer.add_document(crate::document::document(fields, record)).map_err(|e| self.err(e))?;
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

    /// Ends an ingest: commits, then merges segments as tantivy's log merge policy says, and
    /// waits for the merges. Segments merge only with segments of about their size (eight at a
    /// time), so a day's update file never rewrites the baseline's large segments; merging
    /// waits for the end of the ingest, not for every file.
    pub fn finish(mut self) -> Result<()> {
        self.writer.set_merge_policy(Box::new(LogMergePolicy::default()));
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
        crate::dense_terms::write_missing(&archive.dir, &archive.searcher()?, crate::dense_terms::MIN_SEGMENT_DOCS)?;
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
