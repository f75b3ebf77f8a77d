//! Applying NLM's files to the store, in the order given, each file atomically.
//!
//! A file is known by the checksum of its bytes: one already applied is skipped, wherever it lies
//! and whatever it is called, so re-running an ingest (after a crash, or with the baseline given
//! again) changes nothing. A file that fails to parse leaves the store as it was.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use crate::archive::{Archive, Indexer};
use crate::error::{EngineError, Result};
use crate::parse_ahead::{Message, ParseAhead, Prepared};
use crate::store::{Batch, FileEntry};

/// Told which file is being applied and how far it has got.
pub trait Progress {
    /// File `index` (counted from 0 in the files given) is the one applied from now on.
    fn file_started(&mut self, _index: usize, _path: &Path) {}

    /// What applying file `index` came to.
    fn file_finished(&mut self, _index: usize, _path: &Path, _outcome: &Result<FileOutcome>) {}

    /// `bytes` of the file (as stored on disk, so compressed for `.gz`) read so far, and the
    /// records applied from it so far; told every few dozen records.
    fn advanced(&mut self, bytes: u64, records: u64);

    /// The file was read despite something unusual about it (a root of its own around records).
    fn warned(&mut self, _warning: &medline::ReadWarning) {}
}

/// Progress nobody watches.
impl Progress for () {
    fn advanced(&mut self, _: u64, _: u64) {}
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// What applying one file did.
pub enum FileOutcome {
    /// Applied now; its entry in the ingest log.
    Applied(FileEntry),
    /// A file with the same bytes was applied before; the entry is that application's.
    AlreadyApplied(FileEntry),
}

/// Files parsed at once unless told otherwise: one per four cores. A parsing thread (parse,
/// index document, compression) takes about a third of a record's CPU (BENCHMARKS.md,
/// "Ingest"); on 2 cores a second one made ingest 8% slower.
pub fn default_parse_jobs() -> usize {
    (crate::cores() / 4).max(1)
}

/// True for the file names a directory is searched for.
fn is_xml_name(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".xml") || name.ends_with(".xml.gz")
}

/// One path argument as files to apply: a file as it is, a directory as every `.xml` and
/// `.xml.gz` file below it, sorted by path (NLM's file names sort in publication order).
pub fn expand_paths(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| EngineError::io(path, e))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![path.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| EngineError::io(&dir, e))? {
            let entry = entry.map_err(|e| EngineError::io(&dir, e))?;
            let child = entry.path();
            let file_type = entry.file_type().map_err(|e| EngineError::io(&child, e))?;
            if file_type.is_dir() || (file_type.is_symlink() && child.is_dir()) {
                dirs.push(child);
            } else if is_xml_name(&child) {
                files.push(child);
            }
        }
    }
    if files.is_empty() {
        return Err(EngineError::NoXml { path: path.to_owned() });
    }
    files.sort();
    Ok(files)
}

/// Applies one file to the store and the index, or recognises it as already applied.
pub fn ingest_file(
    archive: &Archive,
    indexer: &mut Indexer,
    path: &Path,
    progress: &mut dyn Progress,
) -> Result<FileOutcome> {
    let paths = [path.to_path_buf()];
    std::thread::scope(|scope| {
        let mut files = ParseAhead::start(scope, &archive.store, archive.fields(), &paths, 1);
        let file = files.next().expect("a channel per file");
        apply(archive, indexer, path, file, progress)
    })
}

/// Applies files in the order given, each atomically, with up to `jobs` of them read and
/// parsed at once ahead of the one being applied; a file that fails is told to `progress` and
/// the next one goes on.
pub fn ingest_files(
    archive: &Archive,
    indexer: &mut Indexer,
    paths: &[PathBuf],
    jobs: usize,
    progress: &mut dyn Progress,
) {
    std::thread::scope(|scope| {
        let files = ParseAhead::start(scope, &archive.store, archive.fields(), paths, jobs);
        for (i, (path, file)) in paths.iter().zip(files).enumerate() {
            progress.file_started(i, path);
            let outcome = apply(archive, indexer, path, file, progress);
            progress.file_finished(i, path, &outcome);
        }
    });
}

/// The applier's side of one file: already applied, or each record stored and, when current,
/// indexed, each deletion applied, then the store committed; on any failure nothing lands.
fn apply(
    archive: &Archive,
    indexer: &mut Indexer,
    path: &Path,
    file: Receiver<Message>,
    progress: &mut dyn Progress,
) -> Result<FileOutcome> {
    let (size, checksum) = match receive(&file, path)? {
        Message::Opened { size, checksum } => (size, checksum),
        Message::Failed(e) => return Err(e),
        _ => unreachable!("a file's first message says it opened or failed"),
    };
    if let Some(entry) = archive.store.applied_file(&checksum)? {
        return Ok(FileOutcome::AlreadyApplied(entry));
    }
    let written = archive.store.batch().and_then(|batch| write_items(batch, indexer, path, &file, progress));
    // The store commits each file; the index commits every so often (see `Indexer::applied`).
    // Should the process die in between, the next ingest finds the index behind the store and
    // redoes the missed files' PMIDs from the store.
    let committed = written.and_then(|batch| {
        let seq = batch.seq();
        batch.commit(&path.display().to_string(), size, &checksum).map(|entry| (seq, entry))
    });
    match committed {
        Ok((seq, entry)) => {
            indexer.applied(seq)?;
            Ok(FileOutcome::Applied(entry))
        }
        Err(e) => {
            indexer.discard()?;
            Err(e)
        }
    }
}

/// Stores and indexes the file's items as they arrive; the batch once the file was read to its
/// end, an error otherwise (the batch is then dropped, which aborts it).
fn write_items<'s>(
    mut batch: Batch<'s>,
    indexer: &Indexer,
    path: &Path,
    file: &Receiver<Message>,
    progress: &mut dyn Progress,
) -> Result<Batch<'s>> {
    loop {
        match receive(file, path)? {
            Message::Items { items, bytes, records } => {
                for item in items {
                    match item {
                        Prepared::Record { raw, document, compressed } => {
                            let put = match compressed {
                                Some(compressed) => batch.put_compressed(&raw, compressed)?,
                                None => batch.put(&raw)?,
                            };
                            if put.current {
                                indexer.put_document(raw.record.pmid().id, put.held, document)?;
                            }
                        }
                        Prepared::Delete(pmids) => {
                            batch.delete(&pmids)?;
                            for p in &pmids {
                                indexer.delete(p.id);
                            }
                        }
                    }
                }
                progress.advanced(bytes, records);
            }
            Message::Finished { warning } => {
                if let Some(warning) = warning {
                    progress.warned(&warning);
                }
                return Ok(batch);
            }
            Message::Failed(e) => return Err(e),
            Message::Opened { .. } => unreachable!("a file opens once"),
        }
    }
}

/// The next message about the file; a parser thread that vanished (it panicked) is an error.
fn receive(file: &Receiver<Message>, path: &Path) -> Result<Message> {
    file.recv().map_err(|_| EngineError::io(path, std::io::Error::other("the thread parsing the file stopped")))
}
