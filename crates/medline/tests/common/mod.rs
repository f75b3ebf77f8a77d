//! Helpers shared by this crate's integration tests.

use medline::{ArticleSetReader, Item, Record};

/// Every record of a file, in order (deletions skipped).
pub fn records_of(path: &std::path::Path) -> Vec<Record> {
    let mut reader = ArticleSetReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let Item::Record(raw) = item {
            out.push(raw.record);
        }
    }
    out
}
