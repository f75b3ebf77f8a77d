//! The tables automatic term mapping looks phrases up in (`query::Vocabulary`): MeSH, and the
//! journals and authors the index holds.

use query::Vocabulary;
use tantivy::{Searcher, Term};

use super::Archive;
use crate::index;

/// The tables automatic term mapping consults: MeSH, and the journals and authors in the index.
pub(super) struct MappingTables<'a> {
    pub(super) archive: &'a Archive,
    pub(super) searcher: &'a Searcher,
}

impl MappingTables<'_> {
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

impl Vocabulary for MappingTables<'_> {
    fn mesh_heading(&self, phrase: &str) -> Option<String> {
        let mesh = self.archive.mesh()?;
        mesh.heading(phrase).ok().flatten().map(|d| d.name)
    }

    fn journal(&self, phrase: &str) -> Option<String> {
        let value = index::normalise(phrase);
        // Single common words are subjects, not journals, unless MeSH knew them (checked first).
        (value.contains(' ') && self.has_term(self.archive.fields().journal, &value)).then_some(value)
    }

    fn author(&self, phrase: &str) -> bool {
        let value = index::normalise(phrase);
        self.has_term(self.archive.fields().author, &value) || self.has_prefix(self.archive.fields().author, &value)
    }
}
