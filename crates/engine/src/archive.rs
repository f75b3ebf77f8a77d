//! The local PubMed in one data directory: the record store, the index kept in step with it, and
//! the MeSH vocabulary. Searching happens here.

use std::path::{Path, PathBuf};

use std::sync::Mutex;
use std::time::SystemTime;

use tantivy::{IndexReader, ReloadPolicy, Searcher, Term};

use crate::cache::{DEFAULT_BUDGET, SearchCache};
use crate::error::{EngineError, Result};
use crate::index::{self, Fields};
use crate::location;
use crate::search::text_term;
use crate::store::Store;
use crate::stored_explosions;
use crate::vocabulary::MeshStore;

mod indexer;
mod mapping_tables;
mod run;

pub use indexer::Indexer;
pub use run::{LineOutcome, SearchOptions, SearchOutcome};

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
    /// The length and time of the index's `meta.json` when the reader last loaded it, and the
    /// file sequence number that commit records (read with it: parsing `meta.json` again for
    /// every search took nearly half of a cached esearch's time).
    loaded_meta: Mutex<Option<((u64, SystemTime), u32)>>,
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
    /// The segments' stored explosions are rebuilt for it.
    pub fn load_mesh(&mut self, descriptors: &[mesh::Descriptor], qualifiers: &[mesh::Descriptor]) -> Result<()> {
        self.mesh = None;
        self.cache.clear();
        self.mesh = Some(MeshStore::load(&self.dir, descriptors, qualifiers)?);
        let searcher = self.searcher()?;
        stored_explosions::write(&self.dir, &searcher, || self.broad_explosions(), true)?;
        // The segments' stored sets are opened again, now with the new vocabulary's explosions.
        self.cache = SearchCache::new(self.cache_budget, &self.dir);
        Ok(())
    }

    /// The terms of every explosion worth storing per segment: each heading exploding to more
    /// than [`stored_explosions::LEAST_HEADINGS`] headings, as `[mh]` and `[majr]` search it.
    pub(crate) fn broad_explosions(&self) -> Result<Vec<Vec<Term>>> {
        let Some(mesh) = &self.mesh else { return Ok(Vec::new()) };
        let explosions = mesh.broad_explosions(stored_explosions::LEAST_HEADINGS)?;
        let terms = |field| {
            let of = move |names: &Vec<std::sync::Arc<str>>| names.iter().map(|n| text_term(field, n)).collect();
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
        let loaded = *self.loaded_meta.lock().expect("reader lock");
        let index_seq = match loaded {
            Some((stamp, seq)) if Some(stamp) == self.meta_stamp() => seq,
            _ => self.index_seq()?,
        };
        Ok(index_seq < self.store.last_seq()?)
    }

    /// The length and modification time of the index's `meta.json`, which every commit rewrites.
    fn meta_stamp(&self) -> Option<(u64, SystemTime)> {
        let meta = std::fs::metadata(self.dir.join("index").join("meta.json")).ok()?;
        Some((meta.len(), meta.modified().ok()?))
    }

    /// Bounds the memory of the answers kept between searches (see [`crate::cache`]).
    pub fn set_cache_budget(&mut self, bytes: usize) {
        self.cache_budget = bytes;
        self.cache = SearchCache::new(bytes, &self.dir);
    }

    /// The searcher of the index as last committed. The reader reloads only when `meta.json`
    /// changed (a commit, by this process or another): reloading opens every segment again.
    pub(crate) fn searcher(&self) -> Result<Searcher> {
        let stamp = self.meta_stamp();
        let mut loaded = self.loaded_meta.lock().expect("reader lock");
        if stamp.is_none() || loaded.map(|(known, _)| known) != stamp {
            self.reader.reload().map_err(|e| self.index_err(e))?;
            *loaded = match stamp {
                Some(stamp) => Some((stamp, self.index_seq()?)),
                None => None,
            };
        }
        Ok(self.reader.searcher())
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
