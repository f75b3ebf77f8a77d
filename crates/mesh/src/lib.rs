//! `mesh`: NLM's Medical Subject Headings, read from the descriptor (`desc20XX.xml[.gz]`) and
//! qualifier (`qual20XX.xml[.gz]`) files into plain values. No I/O beyond the reader it is given;
//! storing and looking up the vocabulary is the engine's job.
#![warn(missing_docs)]

use std::io::{BufRead, BufReader, Read};

use quick_xml::events::Event;
use serde::{Deserialize, Serialize};

/// One descriptor (main heading), or one qualifier (subheading: no entry terms).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Descriptor {
    /// `D000001`, or `Q000009` for a qualifier.
    pub ui: String,
    /// The heading as records carry it: `Alzheimer Disease`.
    pub name: String,
    /// Positions in the MeSH trees, `C04.557.337`: a descriptor's descendants are the descriptors
    /// whose tree numbers extend one of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tree_numbers: Vec<String>,
    /// Every term of every concept, the name included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_terms: Vec<String>,
    /// UIs of the descriptors naming this one's pharmacological actions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pharmacological_actions: Vec<String>,
    /// UIs of the qualifiers allowed with this descriptor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowable_qualifiers: Vec<String>,
}

/// Why a MeSH file could not be read, and where.
#[derive(Debug, thiserror::Error)]
pub enum MeshError {
    /// Not well-formed XML at this byte.
    #[error("byte {offset}: malformed MeSH XML: {message}")]
    Xml {
        /// The byte of the file where the fault was found.
        offset: u64,
        /// quick-xml's account of it.
        message: String,
    },
    /// Well-formed, but neither NLM's descriptor nor qualifier set.
    #[error("not a MeSH descriptor or qualifier file: the root element is <{0}>")]
    UnknownRoot(String),
    /// A record lacking what every record has.
    #[error("byte {offset}: a record without a UI or a name")]
    Incomplete {
        /// The byte of the file where the record ended.
        offset: u64,
    },
}

/// Which file a reader held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `desc20XX.xml`: main headings.
    Descriptors,
    /// `qual20XX.xml`: subheadings.
    Qualifiers,
}

/// Reads a descriptor or qualifier file, plain or gzip-compressed.
pub fn read(source: impl Read) -> Result<(FileKind, Vec<Descriptor>), MeshError> {
    let mut raw = BufReader::with_capacity(1 << 16, source);
    let gzip = raw.fill_buf().map(|b| b.starts_with(&[0x1f, 0x8b])).unwrap_or(false);
    if gzip { read_xml(BufReader::new(flate2::bufread::MultiGzDecoder::new(raw))) } else { read_xml(raw) }
}

fn read_xml(input: impl BufRead) -> Result<(FileKind, Vec<Descriptor>), MeshError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    // The path of open elements, as names.
    let mut path: Vec<String> = Vec::new();
    let mut kind = None;
    let mut current = Descriptor::default();
    let mut text = String::new();
    let mut out = Vec::new();
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| MeshError::Xml { offset: reader.buffer_position(), message: e.to_string() })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref().as_bytes()).into_owned();
                if path.is_empty() {
                    kind = Some(match name.as_str() {
                        "DescriptorRecordSet" => FileKind::Descriptors,
                        "QualifierRecordSet" => FileKind::Qualifiers,
                        _ => return Err(MeshError::UnknownRoot(name)),
                    });
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match &*r {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => r.resolve_char_ref().ok().flatten().unwrap_or('\u{fffd}'),
                };
                text.push(c);
            }
            Event::End(_) => {
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                let value = text.trim();
                match p.as_slice() {
                    [_, _, "DescriptorUI" | "QualifierUI"] => current.ui = value.to_owned(),
                    [_, _, "DescriptorName" | "QualifierName", "String"] => current.name = value.to_owned(),
                    [_, _, "TreeNumberList", "TreeNumber"] => current.tree_numbers.push(value.to_owned()),
                    [_, _, "ConceptList", "Concept", "TermList", "Term", "String"] => {
                        current.entry_terms.push(value.to_owned())
                    }
                    [
                        _,
                        _,
                        "PharmacologicalActionList",
                        "PharmacologicalAction",
                        "DescriptorReferredTo",
                        "DescriptorUI",
                    ] => current.pharmacological_actions.push(value.to_owned()),
                    [_, _, "AllowableQualifiersList", "AllowableQualifier", "QualifierReferredTo", "QualifierUI"] => {
                        current.allowable_qualifiers.push(value.to_owned())
                    }
                    [_, "DescriptorRecord" | "QualifierRecord"] => {
                        if current.ui.is_empty() || current.name.is_empty() {
                            return Err(MeshError::Incomplete { offset: reader.buffer_position() });
                        }
                        out.push(std::mem::take(&mut current));
                    }
                    _ => {}
                }
                path.pop();
                text.clear();
            }
            Event::Eof => match path.last() {
                Some(open) => {
                    let message = format!("the file ends inside <{open}> (truncated)");
                    return Err(MeshError::Xml { offset: reader.buffer_position(), message });
                }
                None => break,
            },
            _ => {}
        }
    }
    let kind = kind.ok_or(MeshError::UnknownRoot(String::new()))?;
    Ok((kind, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample_records() {
        let Some(shared) = testdata::shared() else { return };
        let file = std::fs::File::open(shared.join("data/mesh/mesh_desc_sample.xml")).unwrap();
        let (kind, descriptors) = read(file).unwrap();
        assert_eq!(kind, FileKind::Descriptors);
        assert!(!descriptors.is_empty());
        let d = &descriptors[0];
        assert!(d.ui.starts_with('D') && !d.name.is_empty() && !d.tree_numbers.is_empty());
        assert!(d.entry_terms.contains(&d.name), "{d:?}");
        let file = std::fs::File::open(shared.join("data/mesh/qual2024.xml.gz")).unwrap();
        let (kind, qualifiers) = read(file).unwrap();
        assert_eq!(kind, FileKind::Qualifiers);
        assert_eq!(qualifiers.len(), 76);
        assert!(qualifiers.iter().any(|q| q.name == "adverse effects"));
    }

    #[test]
    fn reads_the_full_2024_vocabulary() {
        let Some(shared) = testdata::shared() else { return };
        let file = std::fs::File::open(shared.join("data/mesh/desc2024.xml.gz")).unwrap();
        let (_, descriptors) = read(file).unwrap();
        assert_eq!(descriptors.len(), 30_764);
        assert_eq!(descriptors.iter().map(|d| d.tree_numbers.len()).sum::<usize>(), 64_457);
        let neoplasms = descriptors.iter().find(|d| d.name == "Neoplasms").unwrap();
        assert!(neoplasms.entry_terms.iter().any(|t| t.eq_ignore_ascii_case("cancer")));
        assert!(neoplasms.tree_numbers.contains(&"C04".to_owned()));
    }

    #[test]
    fn rejects_other_files() {
        let e = read("<PubmedArticleSet/>".as_bytes()).unwrap_err();
        assert!(matches!(e, MeshError::UnknownRoot(_)), "{e}");
        assert!(read("<DescriptorRecordSet><DescriptorRecord>".as_bytes()).is_err());
        assert!(read("<DescriptorRecordSet></DescriptorRecordSet>".as_bytes()).is_ok());
        assert!(
            read("<DescriptorRecordSet><DescriptorRecord></DescriptorRecord></DescriptorRecordSet>".as_bytes())
                .is_err()
        );
    }
}
