//! How processes share a data directory: one writer (an ingest, a MeSH load) beside any number
//! of readers (servers, searches), each reader seeing the last state committed; and readers that
//! need no write access at all, so an archive on a read-only mount serves.

use std::path::Path;

use redb::{Builder, ConcurrencyMode, Database, DatabaseError, ReadOnlyDatabase};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// redb as every handle of Medlars opens it: one writing process at a time, readers in other
/// processes following its commits (byte-range locks, which read-only files allow).
fn builder() -> Builder {
    let mut builder = Builder::new();
    builder.set_concurrency_mode(ConcurrencyMode::SingleWriter);
    builder
}

/// Opens the database at `path` for writing, creating it if needed. A new file is made under a
/// temporary name and renamed into place once complete: a process killed while creating it
/// (redb writes its header in several steps) leaves no file that every later open refuses.
pub(crate) fn create(path: &Path) -> Result<Database, DatabaseError> {
    if !path.exists() {
        let fresh = path.with_extension("redb.new");
        let io = |e| DatabaseError::Storage(redb::StorageError::Io(e));
        match std::fs::remove_file(&fresh) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
            _ => {}
        }
        drop(builder().create(&fresh)?);
        std::fs::rename(&fresh, path).map_err(io)?;
    }
    builder().create(path)
}

pub(crate) fn open_read_only(path: &Path) -> Result<ReadOnlyDatabase, DatabaseError> {
    builder().open_read_only(path)
}

/// The index directory as a reader opens it. A reader takes tantivy's meta lock while it opens
/// the segments, so that a writer's garbage collection waits; where it may not create the lock
/// file (a read-only directory) it opens them without it, and a segment collected meanwhile
/// fails that one reload, which the next search repeats.
#[derive(Debug, Clone)]
pub(crate) struct ReaderDirectory(pub MmapDirectory);

impl Directory for ReaderDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<std::sync::Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e)) if read_only(&e) => Ok(DirectoryLock::from(Box::new(()))),
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}

/// The errors of creating a file where one may not write.
fn read_only(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(30) // EROFS
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_creation_cut_short_leaves_nothing_that_stops_the_next() {
        let dir = std::env::temp_dir().join(format!("medlars-sharing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("store.redb");
        // What a process killed while creating the database leaves: a file with half a header.
        std::fs::write(path.with_extension("redb.new"), b"redb\x1a\x0a\xa9\x0d").unwrap();
        drop(super::create(&path).unwrap());
        assert!(!path.with_extension("redb.new").exists(), "the leftover is gone");
        drop(super::create(&path).unwrap());
        super::open_read_only(&path).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
