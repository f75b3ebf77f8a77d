//! The local PubMed in one data directory: the record store, the index kept in step with it, and
//! the MeSH vocabulary. Searching happens here.

use std::path::{Path, PathBuf};

use std::sync::Mutex;
use std::time::SystemTime;

use query::Vocabulary;
use tantivy::{IndexReader, ReloadPolicy, Searcher, Term};

use crate::cache::{DEFAULT_BUDGET, SearchCache};
use crate::error::{EngineError, Result};
use crate::index::{self, Fields};
use crate::location;
use crate::search::text_term;
use crate::store::Store;
use crate::vocabulary::MeshStore;
use crate::{dense_terms, stored_explosions};

mod indexer;
mod run;

pub use indexer::Indexer;
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

    /// The index's fields.
    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
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
    /// The large segments' stored explosions are rebuilt for it.
    pub fn load_mesh(&mut self, descriptors: &[mesh::Descriptor], qualifiers: &[mesh::Descriptor]) -> Result<()> {
        self.mesh = None;
        self.cache.clear();
        self.mesh = Some(MeshStore::load(&self.dir, descriptors, qualifiers)?);
        let searcher = self.searcher()?;
        stored_explosions::write(
            &self.dir,
            &searcher,
            || self.broad_explosions(),
            dense_terms::MIN_SEGMENT_DOCS,
            true,
        )?;
        // The segments' stored sets are opened again, now with the new vocabulary's explosions.
        self.cache = SearchCache::new(self.cache_budget, &self.dir);
        Ok(())
    }

    /// The terms of every explosion worth storing per segment: each heading exploding to more
    /// headings than a query looks up one by one, as `[mh]` and `[majr]` search it.
    pub(crate) fn broad_explosions(&self) -> Result<Vec<Vec<Term>>> {
        let Some(mesh) = &self.mesh else { return Ok(Vec::new()) };
        let explosions = mesh.broad_explosions(crate::search::LOOKED_UP_VALUES)?;
        let terms = |field| {
            let of = move |names: &Vec<String>| names.iter().map(|n| text_term(field, &index::normalise(n))).collect();
            explosions.iter().map(of).collect::<Vec<Vec<Term>>>()
        };
        Ok([self.fields.mesh, self.fields.mesh_major].into_iter().flat_map(terms).collect())
    }

    pub(crate) fn index_err(&self, e: impl Into<tantivy::TantivyError>) -> EngineError {
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
