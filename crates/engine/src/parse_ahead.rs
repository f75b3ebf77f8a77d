//! Files read, parsed, compressed and turned into index documents by a pool of threads, ahead
//! of the one thread that applies them to the store and the index in order.
//!
//! Each file has its own bounded channel, and the applier drains the channels in file order, so
//! a file's records are applied only after every earlier file's, however the pool's threads get
//! ahead; a thread whose channel is full waits, which bounds the memory to a few groups of
//! records per thread.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::Scope;

use medline::model::Pmid;
use medline::{ArticleSetReader, Item, RawRecord, ReadWarning};
use tantivy::TantivyDocument;

use crate::error::{EngineError, Result};
use crate::index::Fields;
use crate::store::{Compressed, RecordCompressor, Store};

/// What the pool sends about one file, in this order: `Opened`, any number of `Items`, then
/// `Finished` or `Failed`.
pub(crate) enum Message {
    /// The file's size and checksum, known before it is parsed.
    Opened { size: u64, checksum: String },
    /// The next items, with how far into the file (bytes as stored) and how many records in.
    Items { items: Vec<Prepared>, bytes: u64, records: u64 },
    /// The file was read to its end.
    Finished { warning: Option<ReadWarning> },
    /// The file could not be read or parsed; nothing of it may be applied.
    Failed(EngineError),
}

/// An item of a file, ready to apply.
pub(crate) enum Prepared {
    /// A record, its index document, and its bytes compressed as the store keeps them (when
    /// the store had its dictionary).
    Record { raw: RawRecord, document: TantivyDocument, compressed: Option<Compressed> },
    /// The PMIDs of one `DeleteCitation` element.
    Delete(Vec<Pmid>),
}

/// Items sent at a time: a hand-over per record costs more in wake-ups than the record.
const GROUP: usize = 64;
/// Groups a file's channel holds before its parser waits for the applier.
const GROUPS_AHEAD: usize = 8;

/// The messages of each file, in the order of the files given.
pub(crate) struct ParseAhead {
    files: std::vec::IntoIter<Receiver<Message>>,
    stop: Arc<AtomicBool>,
}

impl ParseAhead {
    /// Starts `jobs` threads (at least one) in `scope` parsing `paths` in order, each taking
    /// the next file not yet taken.
    pub(crate) fn start<'scope>(
        scope: &'scope Scope<'scope, '_>,
        store: &'scope Store,
        fields: &'scope Fields,
        paths: &'scope [PathBuf],
        jobs: usize,
    ) -> ParseAhead {
        let (senders, receivers): (Vec<_>, Vec<_>) = paths.iter().map(|_| sync_channel(GROUPS_AHEAD)).unzip();
        // Each thread takes the next file with its channel; the lock is held only to take it.
        let untaken = Arc::new(Mutex::new(paths.iter().zip(senders)));
        let stop = Arc::new(AtomicBool::new(false));
        for _ in 0..jobs.max(1).min(paths.len()) {
            let (untaken, stop) = (Arc::clone(&untaken), Arc::clone(&stop));
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some((path, tx)) = untaken.lock().unwrap_or_else(|p| p.into_inner()).next() else { break };
                    parse_file(path, store, fields, &tx, &stop);
                }
            });
        }
        ParseAhead { files: receivers.into_iter(), stop }
    }
}

impl Iterator for ParseAhead {
    type Item = Receiver<Message>;

    fn next(&mut self) -> Option<Receiver<Message>> {
        self.files.next()
    }
}

/// Files not taken yet are left alone once the applier has stopped.
impl Drop for ParseAhead {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One file's messages. Sending fails once the applier dropped the file (applied before, or
/// the ingest stopped), which ends the parse.
fn parse_file(path: &Path, store: &Store, fields: &Fields, tx: &SyncSender<Message>, stop: &AtomicBool) {
    let opened = checksum(path).and_then(|(size, checksum)| {
        let file = File::open(path).map_err(|e| EngineError::io(path, e))?;
        Ok((size, checksum, file, store.record_compressor()?))
    });
    let (size, checksum, file, mut compressor) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            let _ = tx.send(Message::Failed(e));
            return;
        }
    };
    if tx.send(Message::Opened { size, checksum }).is_err() {
        return;
    }
    let read = Arc::new(AtomicU64::new(0));
    let source = CountingReader { inner: file, count: Arc::clone(&read) };
    let parse_error = |error| EngineError::Parse { path: path.to_owned(), error };
    let mut prepare = Preparer { path, fields, compressor: compressor.as_mut() };
    let finished = ArticleSetReader::new(source)
        .map_err(parse_error)
        .and_then(|mut items| send_items(&mut items, &mut prepare, tx, &read, stop).map(|()| items));
    let last = match finished {
        Ok(items) => Message::Finished { warning: items.warning() },
        Err(e) => Message::Failed(e),
    };
    let _ = tx.send(last);
}

/// What a parsing thread does to each item besides parsing it.
struct Preparer<'a> {
    path: &'a Path,
    fields: &'a Fields,
    compressor: Option<&'a mut RecordCompressor>,
}

impl Preparer<'_> {
    fn prepare(&mut self, item: Item) -> Result<Prepared> {
        Ok(match item {
            Item::Record(raw) => {
                let document = crate::document::document(self.fields, &raw.record);
                let compressed = match self.compressor.as_mut() {
                    Some(c) => Some(c.compress(&raw.xml).map_err(|e| EngineError::io(self.path, e))?),
                    None => None,
                };
                Prepared::Record { raw, document, compressed }
            }
            Item::Delete(pmids) => Prepared::Delete(pmids),
        })
    }
}

/// Reads the file's items and sends them in groups, each record prepared. Returns early,
/// without error, when the applier is gone (it reports its own error, if any).
fn send_items<R: Read>(
    items: &mut ArticleSetReader<R>,
    prepare: &mut Preparer,
    tx: &SyncSender<Message>,
    read: &AtomicU64,
    stop: &AtomicBool,
) -> Result<()> {
    let parse_error = |error| EngineError::Parse { path: prepare.path.to_owned(), error };
    let mut records = 0;
    let mut group = Vec::with_capacity(GROUP);
    while let Some(item) = items.next_item().map_err(parse_error)? {
        records += u64::from(matches!(item, Item::Record(_)));
        group.push(prepare.prepare(item)?);
        if group.len() == GROUP {
            let items = std::mem::replace(&mut group, Vec::with_capacity(GROUP));
            let bytes = read.load(Ordering::Relaxed);
            if stop.load(Ordering::Relaxed) || tx.send(Message::Items { items, bytes, records }).is_err() {
                return Ok(());
            }
        }
    }
    let _ = tx.send(Message::Items { items: group, bytes: read.load(Ordering::Relaxed), records });
    Ok(())
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
