//! Applying NLM's files to the store, in the order given, each file atomically.
//!
//! A file is known by the checksum of its bytes: one already applied is skipped, wherever it lies
//! and whatever it is called, so re-running an ingest (after a crash, or with the baseline given
//! again) changes nothing. A file that fails to parse leaves the store as it was.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use medline::{ArticleSetReader, Item};

use crate::archive::{Archive, Indexer};
use crate::error::{EngineError, Result};
use crate::store::{Batch, FileEntry, Store};

/// Told how far the current file has got, after every record.
pub trait Progress {
    /// `bytes` of the file (as stored on disk, so compressed for `.gz`) read so far, and the
    /// records applied from it so far.
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
    let store = &archive.store;
    let (size, checksum) = checksum(path)?;
    if let Some(entry) = store.applied_file(&checksum)? {
        return Ok(FileOutcome::AlreadyApplied(entry));
    }
    let file = File::open(path).map_err(|e| EngineError::io(path, e))?;
    let read = Arc::new(AtomicU64::new(0));
    let source = CountingReader { inner: file, count: Arc::clone(&read) };
    let parse_error = |error| EngineError::Parse { path: path.to_owned(), error };
    let mut items = ArticleSetReader::new(source).map_err(parse_error)?;

    // This thread parses; a second one compresses, stores and indexes, a few hundred records
    // behind. Items travel in groups: a hand-over per record costs more in wake-ups than the record.
    let outcome = std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Message>(8);
        let indexer_ref = &*indexer;
        let writer = scope.spawn(move || write_items(store, indexer_ref, rx));
        let parsed = read_items(&mut items, &tx, progress, &read).map_err(parse_error);
        drop(tx);
        let written = writer.join().expect("the store writer does not panic");
        parsed.and(written)
    });
    // The store commits each file; the index commits every so often (see `Indexer::applied`).
    // Should the process die in between, the next ingest finds the index behind the store and
    // redoes the missed files' PMIDs from the store.
    match outcome {
        Ok(Some(batch)) => {
            let seq = batch.seq();
            match batch.commit(&path.display().to_string(), size, &checksum) {
                Ok(entry) => {
                    indexer.applied(seq)?;
                    Ok(FileOutcome::Applied(entry))
                }
                Err(e) => {
                    indexer.discard()?;
                    Err(e)
                }
            }
        }
        Ok(None) => unreachable!("a finished parse yields its batch or an error"),
        Err(e) => {
            indexer.discard()?;
            Err(e)
        }
    }
}

/// The writer's side: each record stored and, when current, indexed; each deletion applied.
/// The batch when the parser finished, `None` when it stopped short (the batch is dropped,
/// which aborts it: nothing lands).
fn write_items<'s>(store: &'s Store, indexer: &Indexer, rx: Receiver<Message>) -> Result<Option<Batch<'s>>> {
    let mut batch = store.batch()?;
    for message in rx {
        let items = match message {
            Message::Items(items) => items,
            Message::Finish => return Ok(Some(batch)),
        };
        for item in items {
            match item {
                Item::Record(raw) => {
                    let put = batch.put(&raw)?;
                    if put.current {
                        indexer.put(&raw.record, put.held)?;
                    }
                }
                Item::Delete(pmids) => {
                    batch.delete(&pmids)?;
                    for p in &pmids {
                        indexer.delete(p.id);
                    }
                }
            }
        }
    }
    Ok(None)
}

/// The parser's side: items read and handed over in groups, progress told at each; the end
/// of the file (with its warning, if any) ends with `Finish`. A writer gone away stops it.
fn read_items<R: std::io::Read>(
    items: &mut ArticleSetReader<R>,
    tx: &SyncSender<Message>,
    progress: &mut dyn Progress,
    read: &AtomicU64,
) -> std::result::Result<(), medline::ParseError> {
    let mut records = 0;
    let mut group = Vec::with_capacity(GROUP);
    loop {
        match items.next_item()? {
            Some(item) => {
                records += u64::from(matches!(item, Item::Record(_)));
                group.push(item);
                if group.len() == GROUP {
                    if tx.send(Message::Items(std::mem::replace(&mut group, Vec::with_capacity(GROUP)))).is_err() {
                        return Ok(()); // the writer failed; its error is reported by the caller
                    }
                    progress.advanced(read.load(Ordering::Relaxed), records);
                }
            }
            None => {
                let _ = tx.send(Message::Items(group)).and_then(|()| tx.send(Message::Finish));
                progress.advanced(read.load(Ordering::Relaxed), records);
                if let Some(warning) = items.warning() {
                    progress.warned(&warning);
                }
                return Ok(());
            }
        }
    }
}

/// Items handed to the writer at a time.
const GROUP: usize = 64;

enum Message {
    Items(Vec<Item>),
    /// The file was read to its end: commit.
    Finish,
}

/// The file's size and the xxh3-128 of its bytes, in hex.
fn checksum(path: &Path) -> Result<(u64, String)> {
    let mut file = File::open(path).map_err(|e| EngineError::io(path, e))?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| EngineError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, format!("{:032x}", hasher.digest128())))
}

/// Counts the bytes read from the file (on the decompression thread, hence atomic).
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
