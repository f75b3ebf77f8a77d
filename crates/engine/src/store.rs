//! The record store: every record's original XML, compressed, keyed by PMID and version, with the
//! log of applied files and the deletions.
//!
//! Two files: `records.dat` holds the zstd-compressed records back to back (append-only), and
//! `store.redb` holds the keys, pointing into it, with everything else. redb alone would spend
//! 2.3× the compressed size on ~4 KB values (its pages are powers of two); the append-only file
//! spends nothing.
//!
//! Records are compressed one by one (any record reads alone), so each frame alone would repeat
//! what every record says (the element names, the journal's and the MeSH vocabulary's words). A
//! zstd dictionary trained on the first records ingested holds those once: the first
//! [`DICTIONARY_SAMPLE_BYTES`] of records are stored without it, every later record with it.
//!
//! All changes go through a [`Batch`], one per file: its records are appended and synced first,
//! then one redb transaction makes them visible together with the new committed length of
//! `records.dat`. A crash before that commit leaves only unreferenced bytes past the committed
//! length, cut off when the next batch starts: a file is applied entirely or not at all.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use medline::{Pmid, RawRecord, RecordElement};
use redb::{
    Database, Durability, ReadOnlyDatabase, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition,
};
use serde::{Deserialize, Serialize};
use zstd::bulk::Compressor;
use zstd::dict::DecoderDictionary;

use crate::error::{EngineError, Result};

/// (PMID, version) → where its compressed XML lies in `records.dat`: (offset, length, record
/// element code, [`PLAIN`] or [`WITH_DICTIONARY`]).
const RECORDS: TableDefinition<(u32, u32), Location> = TableDefinition::new("records");
type Location = (u64, u32, u8, u8);
/// PMID → the sequence number of the file whose `DeleteCitation` removed it.
const DELETED: TableDefinition<u32, u32> = TableDefinition::new("deleted");
/// Sequence number → [`FileEntry`] as JSON: the ingest log, in the order files were applied.
const FILES: TableDefinition<u32, &str> = TableDefinition::new("files");
/// A file's checksum → its sequence number: how an already-applied file is recognised.
const CHECKSUMS: TableDefinition<&str, u32> = TableDefinition::new("checksums");
/// Sequence number → the PMIDs the file added, replaced or deleted (little-endian u32s): what the
/// index must redo if it missed the file's commit.
const TOUCHED: TableDefinition<u32, &[u8]> = TableDefinition::new("touched");
/// Running totals kept in step with the tables, so `stats` need not scan; `data_len` is the
/// committed length of `records.dat`.
const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");

/// The store's zstd dictionary, under key 1; written once, in the transaction of the file whose
/// records completed the samples.
const DICTIONARY: TableDefinition<u32, &[u8]> = TableDefinition::new("dictionary");

/// How a record's bytes are stored (the last field of a [`Location`]): one zstd frame, without
/// or with the store's dictionary.
const PLAIN: u8 = 1;
const WITH_DICTIONARY: u8 = 2;
const ZSTD_LEVEL: i32 = 3;
/// Bytes of records, as ingested, the dictionary is trained on (zstd advises about a hundred
/// times the dictionary's size).
pub const DICTIONARY_SAMPLE_BYTES: usize = 12 << 20;
const DICTIONARY_SIZE: usize = 112 << 10;

/// One applied file, as the ingest log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its place in the order of applied files, from 1.
    pub seq: u32,
    /// The path as it was given (or found below a given directory).
    pub path: String,
    /// Its bytes.
    pub size: u64,
    /// xxh3-128 of the file's bytes, in hex.
    pub checksum: String,
    /// Records read from the file.
    pub records: u64,
    /// PMIDs the store did not hold before.
    pub added: u64,
    /// Records that replaced a held record of the same PMID.
    pub replaced: u64,
    /// PMIDs removed by the file's `DeleteCitation`.
    pub deleted: u64,
    /// PMIDs the file deletes that the store did not hold.
    pub deleted_absent: u64,
    /// Seconds since the Unix epoch when the file was applied (not part of the store digest).
    pub applied_at: u64,
}

/// A record as stored: its key, which element carried it, and NLM's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// PMID and version.
    pub pmid: Pmid,
    /// `PubmedArticle`, `PubmedBookArticle` or a bare `MedlineCitation`.
    pub element: RecordElement,
    /// The element's bytes as NLM wrote them.
    pub xml: Vec<u8>,
}

impl StoredRecord {
    /// Parses the stored bytes into the record model.
    pub fn parse(&self) -> Result<medline::Record> {
        medline::parse_record(&self.xml)
            .map_err(|source| EngineError::Corrupt { what: format!("PMID {}", self.pmid), detail: source.to_string() })
    }
}

/// What a lookup of a PMID found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Held: its current version.
    Found(StoredRecord),
    /// Removed by the `DeleteCitation` of the applied file with this sequence number.
    Deleted {
        /// That file's sequence number.
        file_seq: u32,
    },
    /// Never held.
    Absent,
}

/// What the store holds, for `medlars stats` and the status page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Distinct PMIDs held.
    pub records: u64,
    /// Stored (PMID, version) pairs; above `records` when some PMIDs have several versions.
    pub versions: u64,
    /// PMIDs removed by `DeleteCitation` and not added back since.
    pub deleted: u64,
    /// Files in the ingest log.
    pub files_applied: u64,
    /// Bytes of the store's files on disk.
    pub store_bytes: u64,
    /// Bytes of `records.dat` held by replaced or deleted records.
    pub dead_bytes: u64,
    /// Sum of the applied files' sizes.
    pub source_bytes: u64,
    /// Size of the zstd dictionary (0 until enough records have been ingested to train it).
    pub dictionary_bytes: u64,
}

/// The redb handle: one writer, beside any number of read-only handles in other processes.
enum Handle {
    Writable(Database),
    ReadOnly(ReadOnlyDatabase),
}

impl Handle {
    fn begin_read(&self) -> std::result::Result<redb::ReadTransaction, redb::TransactionError> {
        match self {
            Handle::Writable(db) => db.begin_read(),
            Handle::ReadOnly(db) => db.begin_read(),
        }
    }
}

/// A record's bytes as the store keeps them, and how they were compressed.
pub(crate) struct Compressed {
    bytes: Vec<u8>,
    format: u8,
}

/// Compresses records as the store's batches do, so that threads parsing ahead can take that
/// work off the one thread that applies files; only once the store has its dictionary.
pub(crate) struct RecordCompressor(Compressor<'static>);

impl RecordCompressor {
    /// The record's bytes compressed with the store's dictionary.
    pub(crate) fn compress(&mut self, xml: &[u8]) -> std::io::Result<Compressed> {
        Ok(Compressed { bytes: self.0.compress(xml)?, format: WITH_DICTIONARY })
    }
}

/// The record store: records by PMID and version (zstd, one dictionary), deletions, and the
/// log of applied files, in one redb database.
pub struct Store {
    db: Handle,
    path: PathBuf,
    data: File,
    data_path: PathBuf,
    /// The dictionary, for reading; set at opening, or when the batch that trained it commits.
    dictionary: OnceLock<Dictionary>,
    /// Records collected to train the dictionary, across batches, until there are enough.
    samples: Mutex<Samples>,
}

struct Dictionary {
    bytes: Vec<u8>,
    decoder: DecoderDictionary<'static>,
}

impl Dictionary {
    fn new(bytes: Vec<u8>, path: &Path) -> Result<Dictionary> {
        let decoder = DecoderDictionary::try_copy(&bytes).map_err(|e| EngineError::Corrupt {
            what: format!("{}: the zstd dictionary", path.display()),
            detail: e.to_string(),
        })?;
        Ok(Dictionary { bytes, decoder })
    }
}

#[derive(Default)]
struct Samples {
    data: Vec<u8>,
    sizes: Vec<usize>,
}

impl Store {
    /// Opens an existing store for reading only; any number of readers may share it with each
    /// other and with one writer (an ingest), each reading the last state committed. Needs no
    /// write access.
    pub fn open_read_only(data_dir: &Path) -> Result<Store> {
        let path = data_dir.join("store.redb");
        if !path.exists() {
            return Err(EngineError::NoStore { dir: data_dir.to_owned() });
        }
        let db = match crate::sharing::open_read_only(&path) {
            // Not closed cleanly (an ingest was killed): only a writer can repair it, so repair
            // it as a writer once, then read.
            Err(redb::DatabaseError::RepairAborted) => {
                drop(crate::sharing::create(&path).map_err(|e| EngineError::store(&path, e))?);
                crate::sharing::open_read_only(&path)
            }
            other => other,
        }
        .map_err(|e| EngineError::store(&path, e))?;
        let data_path = data_dir.join("records.dat");
        let data = File::open(&data_path).map_err(|e| EngineError::io(&data_path, e))?;
        Store::from_parts(Handle::ReadOnly(db), path, data, data_path)
    }

    /// The store over its opened files, with the dictionary it holds, if any.
    fn from_parts(db: Handle, path: PathBuf, data: File, data_path: PathBuf) -> Result<Store> {
        let store = Store { db, path, data, data_path, dictionary: OnceLock::new(), samples: Mutex::default() };
        store.load_dictionary()?;
        Ok(store)
    }

    /// A compressor of records as this store's batches compress them, once it has a dictionary
    /// (before, the batch compresses: it samples the records to train one).
    pub(crate) fn record_compressor(&self) -> Result<Option<RecordCompressor>> {
        let Some(dictionary) = self.dictionary.get() else { return Ok(None) };
        let compressor = Compressor::with_dictionary(ZSTD_LEVEL, &dictionary.bytes)
            .map_err(|e| EngineError::io(&self.data_path, e))?;
        Ok(Some(RecordCompressor(compressor)))
    }

    /// The dictionary as last committed, once there is one. A reader opened before an ingest
    /// trained it loads it when it first meets a record compressed with it.
    fn load_dictionary(&self) -> Result<Option<&Dictionary>> {
        if let Some(dictionary) = self.dictionary.get() {
            return Ok(Some(dictionary));
        }
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        // A store written before dictionaries existed has no such table.
        let bytes = match txn.open_table(DICTIONARY) {
            Ok(table) => table.get(1).map_err(|e| self.err(e))?.map(|v| v.value().to_vec()),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(self.err(e)),
        };
        match bytes {
            Some(bytes) => {
                let _ = self.dictionary.set(Dictionary::new(bytes, &self.path)?);
                Ok(self.dictionary.get())
            }
            None => Ok(None),
        }
    }

    /// Opens the store in `data_dir` for writing, creating both if needed.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|source| EngineError::io(data_dir, source))?;
        let path = data_dir.join("store.redb");
        let db = crate::sharing::create(&path).map_err(|e| EngineError::store(&path, e))?;
        let data_path = data_dir.join("records.dat");
        let data = File::options()
            .read(true)
            .append(true)
            .create(true)
            .open(&data_path)
            .map_err(|e| EngineError::io(&data_path, e))?;
        // Create the tables up front, so readers of a new store find them.
        let err = |e: redb::Error| EngineError::store(&path, e);
        let txn = db.begin_write().map_err(|e| err(e.into()))?;
        txn.open_table(RECORDS).map_err(|e| err(e.into()))?;
        txn.open_table(DELETED).map_err(|e| err(e.into()))?;
        txn.open_table(FILES).map_err(|e| err(e.into()))?;
        txn.open_table(CHECKSUMS).map_err(|e| err(e.into()))?;
        txn.open_table(COUNTERS).map_err(|e| err(e.into()))?;
        txn.open_table(TOUCHED).map_err(|e| err(e.into()))?;
        txn.open_table(DICTIONARY).map_err(|e| err(e.into()))?;
        txn.commit().map_err(|e| err(e.into()))?;
        Store::from_parts(Handle::Writable(db), path, data, data_path)
    }

    /// The database's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: impl Into<redb::Error>) -> EngineError {
        EngineError::store(&self.path, e)
    }

    /// The current (highest) version of `pmid`.
    pub fn get(&self, pmid: u32) -> Result<Lookup> {
        self.lookup(pmid, None)
    }

    /// A given version of `pmid`.
    pub fn get_version(&self, pmid: Pmid) -> Result<Lookup> {
        self.lookup(pmid.id, Some(pmid.version))
    }

    /// Which of `pmids` the store holds, in one read (cheaper than [`Store::get`], which reads
    /// the record).
    pub fn holds(&self, pmids: &[u32]) -> Result<Vec<bool>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let records = txn.open_table(RECORDS).map_err(|e| self.err(e))?;
        pmids
            .iter()
            .map(|&pmid| {
                let mut range = records.range((pmid, 0)..=(pmid, u32::MAX)).map_err(|e| self.err(e))?;
                Ok(range.next().is_some())
            })
            .collect()
    }

    fn lookup(&self, pmid: u32, version: Option<u32>) -> Result<Lookup> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let records = txn.open_table(RECORDS).map_err(|e| self.err(e))?;
        let found = match version {
            Some(v) => records.get((pmid, v)).map_err(|e| self.err(e))?.map(|loc| (v, loc.value())),
            None => {
                let mut range = records.range((pmid, 0)..=(pmid, u32::MAX)).map_err(|e| self.err(e))?;
                match range.next_back() {
                    Some(entry) => {
                        let (key, loc) = entry.map_err(|e| self.err(e))?;
                        Some((key.value().1, loc.value()))
                    }
                    None => None,
                }
            }
        };
        if let Some((version, location)) = found {
            return Ok(Lookup::Found(self.read_record(Pmid { id: pmid, version }, location)?));
        }
        let deleted = txn.open_table(DELETED).map_err(|e| self.err(e))?;
        Ok(match deleted.get(pmid).map_err(|e| self.err(e))? {
            Some(seq) => Lookup::Deleted { file_seq: seq.value() },
            None => Lookup::Absent,
        })
    }

    /// Every stored record, current and older versions, in (PMID, version) order.
    pub fn for_each_record(&self, mut f: impl FnMut(StoredRecord) -> Result<()>) -> Result<()> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let records = txn.open_table(RECORDS).map_err(|e| self.err(e))?;
        for entry in records.iter().map_err(|e| self.err(e))? {
            let (key, location) = entry.map_err(|e| self.err(e))?;
            let (id, version) = key.value();
            f(self.read_record(Pmid { id, version }, location.value())?)?;
        }
        Ok(())
    }

    /// The current version of every PMID, in PMID order.
    pub fn for_each_current(&self, mut f: impl FnMut(StoredRecord) -> Result<()>) -> Result<()> {
        let mut pending: Option<StoredRecord> = None;
        self.for_each_record(|r| {
            if let Some(previous) = pending.take()
                && previous.pmid.id != r.pmid.id
            {
                f(previous)?;
            }
            pending = Some(r);
            Ok(())
        })?;
        pending.map_or(Ok(()), f)
    }

    /// The sequence number of the last applied file (0 for none).
    pub fn last_seq(&self) -> Result<u32> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let files = txn.open_table(FILES).map_err(|e| self.err(e))?;
        let last = files.last().map_err(|e| self.err(e))?;
        Ok(last.map(|(k, _)| k.value()).unwrap_or(0))
    }

    /// The PMIDs each file after `seq` touched.
    pub fn touched_after(&self, seq: u32) -> Result<Vec<(u32, Vec<u32>)>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let touched = txn.open_table(TOUCHED).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for entry in touched.range(seq + 1..).map_err(|e| self.err(e))? {
            let (k, v) = entry.map_err(|e| self.err(e))?;
            let pmids = v.value().chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
            out.push((k.value(), pmids));
        }
        Ok(out)
    }

    /// The ingest log, oldest first.
    pub fn files(&self) -> Result<Vec<FileEntry>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let files = txn.open_table(FILES).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for entry in files.iter().map_err(|e| self.err(e))? {
            let (_, json) = entry.map_err(|e| self.err(e))?;
            out.push(parse_entry(json.value())?);
        }
        Ok(out)
    }

    /// The log entry of an already-applied file with this checksum.
    pub fn applied_file(&self, checksum: &str) -> Result<Option<FileEntry>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let checksums = txn.open_table(CHECKSUMS).map_err(|e| self.err(e))?;
        let Some(seq) = checksums.get(checksum).map_err(|e| self.err(e))? else {
            return Ok(None);
        };
        let files = txn.open_table(FILES).map_err(|e| self.err(e))?;
        let json = files.get(seq.value()).map_err(|e| self.err(e))?;
        json.map(|j| parse_entry(j.value())).transpose()
    }

    /// What the store holds, counted.
    pub fn stats(&self) -> Result<Stats> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let counters = txn.open_table(COUNTERS).map_err(|e| self.err(e))?;
        let counter = |name: &str| -> Result<u64> {
            Ok(counters.get(name).map_err(|e| self.err(e))?.map(|v| v.value()).unwrap_or(0))
        };
        let deleted = txn.open_table(DELETED).map_err(|e| self.err(e))?.len().map_err(|e| self.err(e))?;
        let files = txn.open_table(FILES).map_err(|e| self.err(e))?.len().map_err(|e| self.err(e))?;
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let store_bytes = size(&self.path) + counter("data_len")?;
        Ok(Stats {
            records: counter("pmids")?,
            versions: counter("versions")?,
            deleted,
            files_applied: files,
            store_bytes,
            dead_bytes: counter("dead_bytes")?,
            source_bytes: counter("source_bytes")?,
            dictionary_bytes: self.dictionary.get().map_or(0, |d| d.bytes.len() as u64),
        })
    }

    /// A digest of everything the store holds (records, deletions, the ingest log without its
    /// timestamps, and with each file's name instead of the path it was read from): two stores
    /// with equal digests hold the same data, however the files reached them.
    pub fn digest(&self) -> Result<String> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let records = txn.open_table(RECORDS).map_err(|e| self.err(e))?;
        for entry in records.iter().map_err(|e| self.err(e))? {
            let (key, location) = entry.map_err(|e| self.err(e))?;
            let (id, version) = key.value();
            let record = self.read_record(Pmid { id, version }, location.value())?;
            hasher.update(&id.to_le_bytes());
            hasher.update(&version.to_le_bytes());
            hasher.update(&[record.element.code()]);
            hasher.update(&(record.xml.len() as u64).to_le_bytes());
            hasher.update(&record.xml);
        }
        let deleted = txn.open_table(DELETED).map_err(|e| self.err(e))?;
        for entry in deleted.iter().map_err(|e| self.err(e))? {
            let (pmid, seq) = entry.map_err(|e| self.err(e))?;
            hasher.update(&pmid.value().to_le_bytes());
            hasher.update(&seq.value().to_le_bytes());
        }
        drop(txn);
        for mut file in self.files()? {
            file.applied_at = 0;
            file.path =
                Path::new(&file.path).file_name().map_or(file.path.clone(), |n| n.to_string_lossy().into_owned());
            hasher.update(serde_json::to_string(&file).expect("a FileEntry serializes").as_bytes());
        }
        Ok(format!("{:032x}", hasher.digest128()))
    }

    /// Starts applying a file: nothing it changes is visible or durable until [`Batch::commit`].
    pub fn batch(&self) -> Result<Batch<'_>> {
        let Handle::Writable(db) = &self.db else { return Err(EngineError::ReadOnly) };
        let mut txn = db.begin_write().map_err(|e| self.err(e))?;
        txn.set_durability(Durability::Immediate).map_err(|e| self.err(redb::Error::from(e)))?;
        let next_seq = {
            let files = txn.open_table(FILES).map_err(|e| self.err(e))?;
            let last = files.last().map_err(|e| self.err(e))?;
            last.map(|(k, _)| k.value() + 1).unwrap_or(1)
        };
        let committed = {
            let counters = txn.open_table(COUNTERS).map_err(|e| self.err(e))?;
            counters.get("data_len").map_err(|e| self.err(e))?.map(|v| v.value()).unwrap_or(0)
        };
        // Cut off what an interrupted batch appended: no committed key points there.
        let io = |e| EngineError::io(&self.data_path, e);
        let on_disk = self.data.metadata().map_err(io)?.len();
        if on_disk < committed {
            return Err(EngineError::Corrupt {
                what: self.data_path.display().to_string(),
                detail: format!("{on_disk} bytes, but the store references {committed}"),
            });
        }
        self.data.set_len(committed).map_err(io)?;
        let (compressor, format) = match self.dictionary.get() {
            Some(d) => (Compressor::with_dictionary(ZSTD_LEVEL, &d.bytes).map_err(io)?, WITH_DICTIONARY),
            None => (Compressor::new(ZSTD_LEVEL).map_err(io)?, PLAIN),
        };
        Ok(Batch {
            store: self,
            txn,
            seq: next_seq,
            compressor,
            format,
            trained: None,
            counts: Counts::default(),
            writer: BufWriter::with_capacity(1 << 20, &self.data),
            data_len: committed,
            dead_bytes: 0,
            touched: Vec::new(),
        })
    }

    fn read_record(&self, pmid: Pmid, (offset, len, element, format): Location) -> Result<StoredRecord> {
        let corrupt = |detail: String| EngineError::Corrupt { what: format!("PMID {pmid}"), detail };
        let element =
            RecordElement::from_code(element).ok_or_else(|| corrupt(format!("unknown element code {element}")))?;
        let mut compressed = vec![0; len as usize];
        self.data.read_exact_at(&mut compressed, offset).map_err(|e| EngineError::io(&self.data_path, e))?;
        let xml = match format {
            PLAIN => zstd::decode_all(compressed.as_slice()),
            WITH_DICTIONARY => {
                let dictionary =
                    self.load_dictionary()?.ok_or_else(|| corrupt("the store has no dictionary".into()))?;
                decompress_with_dictionary(&compressed, &dictionary.decoder)
            }
            _ => return Err(corrupt(format!("unknown value format {format}"))),
        }
        .map_err(|e| corrupt(e.to_string()))?;
        Ok(StoredRecord { pmid, element, xml })
    }
}

thread_local! {
    /// Each thread's zstd decompression context, reused: making one per record cost 5% of an
    /// esummary's CPU, more than some records take to decompress.
    static DECOMPRESSION: std::cell::RefCell<zstd::zstd_safe::DCtx<'static>> =
        std::cell::RefCell::new(zstd::zstd_safe::DCtx::create());
}

/// A record compressed with the store's dictionary, in one call into a buffer of its size (its
/// frame says it; a frame that does not, or claims more than any record holds, is streamed).
fn decompress_with_dictionary(compressed: &[u8], dictionary: &DecoderDictionary<'static>) -> std::io::Result<Vec<u8>> {
    let size = zstd::zstd_safe::get_frame_content_size(compressed).ok().flatten();
    let Some(size) = size.filter(|&n| n <= medline::reader::MAX_RECORD_BYTES as u64) else {
        let mut decoder = zstd::stream::read::Decoder::with_prepared_dictionary(compressed, dictionary)?;
        let mut xml = Vec::with_capacity(compressed.len() * 4);
        return decoder.read_to_end(&mut xml).map(|_| xml);
    };
    let mut xml = Vec::with_capacity(size as usize);
    DECOMPRESSION.with(|context| {
        let mut context = context.borrow_mut();
        let done = context.decompress_using_ddict(&mut xml, compressed, dictionary.as_ddict());
        done.map_err(|code| std::io::Error::other(zstd::zstd_safe::get_error_name(code)))
    })?;
    Ok(xml)
}

fn parse_entry(json: &str) -> Result<FileEntry> {
    serde_json::from_str(json)
        .map_err(|e| EngineError::Corrupt { what: "the ingest log".into(), detail: e.to_string() })
}

/// The changes a file makes so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Records read.
    pub records: u64,
    /// PMIDs new to the store.
    pub added: u64,
    /// Records replacing a held one.
    pub replaced: u64,
    /// PMIDs deleted.
    pub deleted: u64,
    /// PMIDs deleted that the store did not hold.
    pub deleted_absent: u64,
    /// Change in the number of stored (PMID, version) pairs.
    versions_delta: i64,
}

/// What [`Batch::put`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Put {
    /// The record is now the current version of its PMID (no higher version is held).
    pub current: bool,
    /// The store held a version of the PMID before (in this batch or before it).
    pub held: bool,
}

/// One file's changes, in one write transaction.
pub struct Batch<'s> {
    store: &'s Store,
    txn: redb::WriteTransaction,
    seq: u32,
    compressor: Compressor<'static>,
    /// How `compressor` compresses: [`PLAIN`] until the store has a dictionary.
    format: u8,
    /// A dictionary this batch trained, stored with its commit.
    trained: Option<Vec<u8>>,
    counts: Counts,
    writer: BufWriter<&'s File>,
    /// Length of `records.dat` with this batch's records.
    data_len: u64,
    /// Bytes of records this batch replaced or deleted.
    dead_bytes: u64,
    /// PMIDs added, replaced or deleted, for [`TOUCHED`].
    touched: Vec<u32>,
}

impl Batch<'_> {
    fn err(&self, e: impl Into<redb::Error>) -> EngineError {
        self.store.err(e)
    }

    /// The changes the file has made so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The sequence number the file will have in the log.
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// Stores a record; the last one put for a (PMID, version) wins.
    pub fn put(&mut self, raw: &RawRecord) -> Result<Put> {
        let io = |e| EngineError::io(&self.store.data_path, e);
        let compressed = Compressed { bytes: self.compressor.compress(&raw.xml).map_err(io)?, format: self.format };
        let put = self.put_compressed(raw, compressed)?;
        if self.format == PLAIN {
            self.sample(&raw.xml)?;
        }
        Ok(put)
    }

    /// [`Batch::put`] of a record compressed already, by a [`RecordCompressor`] (on another
    /// thread); compressed again here if the batch compresses differently.
    pub(crate) fn put_compressed(&mut self, raw: &RawRecord, compressed: Compressed) -> Result<Put> {
        if compressed.format != self.format {
            return self.put(raw);
        }
        let pmid = raw.record.pmid();
        let io = |e| EngineError::io(&self.store.data_path, e);
        let Compressed { bytes: compressed, format } = compressed;
        self.writer.write_all(&compressed).map_err(io)?;
        let location: Location = (self.data_len, compressed.len() as u32, raw.element.code(), format);
        self.data_len += compressed.len() as u64;

        let mut records = self.txn.open_table(RECORDS).map_err(|e| self.store.err(e))?;
        let highest =
            match records.range((pmid.id, 0)..=(pmid.id, u32::MAX)).map_err(|e| self.store.err(e))?.next_back() {
                Some(entry) => Some(entry.map_err(|e| self.store.err(e))?.0.value().1),
                None => None,
            };
        let held = highest.is_some();
        let current = highest.is_none_or(|v| v <= pmid.version);
        self.touched.push(pmid.id);
        let previous = records.insert((pmid.id, pmid.version), location).map_err(|e| self.store.err(e))?;
        match previous.map(|old| old.value().1) {
            Some(old_len) => self.dead_bytes += u64::from(old_len),
            None => self.counts.versions_delta += 1,
        }
        drop(records);
        self.counts.records += 1;
        if held {
            self.counts.replaced += 1;
        } else {
            self.counts.added += 1;
            let mut deleted = self.txn.open_table(DELETED).map_err(|e| self.store.err(e))?;
            deleted.remove(pmid.id).map_err(|e| self.store.err(e))?;
        }
        Ok(Put { current, held })
    }

    /// Adds a record to the dictionary's samples; once they suffice, trains the dictionary and
    /// compresses the rest of the batch with it.
    fn sample(&mut self, xml: &[u8]) -> Result<()> {
        let mut samples = self.store.samples.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        samples.data.extend_from_slice(xml);
        samples.sizes.push(xml.len());
        if samples.data.len() < DICTIONARY_SAMPLE_BYTES {
            return Ok(());
        }
        let Samples { data, sizes } = std::mem::take(&mut *samples);
        drop(samples);
        // Should training fail, records stay plain and the next samples try again.
        let Ok(dictionary) = zstd::dict::from_continuous(&data, &sizes, DICTIONARY_SIZE) else { return Ok(()) };
        let io = |e| EngineError::io(&self.store.data_path, e);
        self.compressor = Compressor::with_dictionary(ZSTD_LEVEL, &dictionary).map_err(io)?;
        self.format = WITH_DICTIONARY;
        let mut table = self.txn.open_table(DICTIONARY).map_err(|e| self.store.err(e))?;
        table.insert(1, dictionary.as_slice()).map_err(|e| self.store.err(e))?;
        drop(table);
        self.trained = Some(dictionary);
        Ok(())
    }

    /// Removes every version of each PMID, and notes the deletion.
    pub fn delete(&mut self, pmids: &[Pmid]) -> Result<()> {
        let mut records = self.txn.open_table(RECORDS).map_err(|e| self.store.err(e))?;
        let mut deleted = self.txn.open_table(DELETED).map_err(|e| self.store.err(e))?;
        for pmid in pmids {
            self.touched.push(pmid.id);
            let mut removed = 0;
            let mut range = records
                .extract_from_if((pmid.id, 0)..=(pmid.id, u32::MAX), |_, _| true)
                .map_err(|e| self.store.err(e))?;
            for entry in range.by_ref() {
                let (_, location) = entry.map_err(|e| self.store.err(e))?;
                self.dead_bytes += u64::from(location.value().1);
                removed += 1;
            }
            drop(range);
            if removed > 0 {
                self.counts.deleted += 1;
                self.counts.versions_delta -= removed;
            } else {
                self.counts.deleted_absent += 1;
            }
            deleted.insert(pmid.id, self.seq).map_err(|e| self.store.err(e))?;
        }
        Ok(())
    }

    /// Logs the file and makes its changes durable, all at once.
    pub fn commit(mut self, path: &str, size: u64, checksum: &str) -> Result<FileEntry> {
        let io = |e| EngineError::io(&self.store.data_path, e);
        self.writer.flush().map_err(io)?;
        self.store.data.sync_data().map_err(io)?;
        let c = self.counts;
        let applied_at =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let entry = FileEntry {
            seq: self.seq,
            path: path.to_owned(),
            size,
            checksum: checksum.to_owned(),
            records: c.records,
            added: c.added,
            replaced: c.replaced,
            deleted: c.deleted,
            deleted_absent: c.deleted_absent,
            applied_at,
        };
        let json = serde_json::to_string(&entry).expect("a FileEntry serializes");
        {
            let mut files = self.txn.open_table(FILES).map_err(|e| self.err(e))?;
            files.insert(self.seq, json.as_str()).map_err(|e| self.err(e))?;
            let mut checksums = self.txn.open_table(CHECKSUMS).map_err(|e| self.err(e))?;
            checksums.insert(checksum, self.seq).map_err(|e| self.err(e))?;
            let mut touched = self.txn.open_table(TOUCHED).map_err(|e| self.err(e))?;
            let mut packed = Vec::with_capacity(self.touched.len() * 4);
            self.touched.sort_unstable();
            self.touched.dedup();
            for pmid in &self.touched {
                packed.extend_from_slice(&pmid.to_le_bytes());
            }
            touched.insert(self.seq, packed.as_slice()).map_err(|e| self.err(e))?;
            let mut counters = self.txn.open_table(COUNTERS).map_err(|e| self.err(e))?;
            let mut bump = |name: &str, delta: i64| -> Result<()> {
                let now = counters.get(name).map_err(|e| self.err(e))?.map(|v| v.value()).unwrap_or(0);
                counters.insert(name, now.saturating_add_signed(delta)).map_err(|e| self.err(e))?;
                Ok(())
            };
            bump("pmids", c.added as i64 - c.deleted as i64)?;
            bump("versions", c.versions_delta)?;
            bump("source_bytes", size as i64)?;
            bump("dead_bytes", self.dead_bytes as i64)?;
            counters.insert("data_len", self.data_len).map_err(|e| self.err(e))?;
        }
        let store = self.store;
        self.txn.commit().map_err(|e| store.err(e))?;
        if let Some(bytes) = self.trained {
            let _ = store.dictionary.set(Dictionary::new(bytes, &store.path)?);
        }
        Ok(entry)
    }
}
