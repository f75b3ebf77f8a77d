//! The streaming reader for NLM's PubMed XML files.
//!
//! [`ArticleSetReader`] takes any byte stream (plain or gzip, told apart by the gzip magic bytes),
//! and yields one [`Item`] at a time: a parsed record together with the exact bytes NLM published
//! for it, or a `DeleteCitation` list. Memory holds one record, never the whole file.
//!
//! The original bytes come from a tee under the XML parser (the private `input` module) that keeps
//! what the parser consumes since the last record boundary: the record is parsed once, and its
//! bytes are a by-product.

use std::io::{self, Read};

use crate::error::{ErrorKind, ParseError, Position};
use crate::input::{LATIN1_NAMES, Tee};
pub use crate::input::{MAX_RECORD_BYTES, MAX_RUN_BYTES};
use crate::model::{Pmid, Record};
use crate::parse::{self, Cursor, Ev, Tag};

/// What a file holds, in file order.
#[derive(Debug)]
pub enum Item {
    /// A record, with the bytes it was read from.
    Record(RawRecord),
    /// The PMIDs of one `DeleteCitation` (or `DeleteDocument`) element.
    Delete(Vec<Pmid>),
}

/// A parsed record and the bytes it was parsed from.
#[derive(Debug)]
pub struct RawRecord {
    /// The parsed record.
    pub record: Record,
    /// The element exactly as it stood in the file, from `<` to `>`.
    pub xml: Vec<u8>,
    /// Which element held it, which decides how [`crate::xml::write_record`] writes it out.
    pub element: RecordElement,
    /// Where the element starts in the file.
    pub position: Position,
}

/// Which element carried a record; a bare `MedlineCitation` (from a `MedlineCitationSet`) must be
/// wrapped in `<PubmedArticle>` to form a valid `PubmedArticleSet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordElement {
    /// `PubmedArticle` (or `PubMedArticle`, the 2002 spelling).
    PubmedArticle,
    /// `PubmedBookArticle`, or a bare `BookDocument`.
    PubmedBookArticle,
    /// A bare `MedlineCitation`, from a 2014-2016 `MedlineCitationSet` file.
    MedlineCitation,
}

impl RecordElement {
    /// A one-byte code for storing the element; [`RecordElement::from_code`] reads it back.
    pub fn code(self) -> u8 {
        match self {
            RecordElement::PubmedArticle => 0,
            RecordElement::PubmedBookArticle => 1,
            RecordElement::MedlineCitation => 2,
        }
    }

    /// The element of a [`RecordElement::code`], or `None` for a byte that is not one.
    pub fn from_code(code: u8) -> Option<RecordElement> {
        Some(match code {
            0 => RecordElement::PubmedArticle,
            1 => RecordElement::PubmedBookArticle,
            2 => RecordElement::MedlineCitation,
            _ => return None,
        })
    }

    fn of(name: &str) -> Option<RecordElement> {
        Some(match name {
            // `PubMedArticle` is the spelling of NLM's 2002 DTD.
            "PubmedArticle" | "PubMedArticle" => RecordElement::PubmedArticle,
            "PubmedBookArticle" | "BookDocument" => RecordElement::PubmedBookArticle,
            "MedlineCitation" => RecordElement::MedlineCitation,
            _ => return None,
        })
    }
}

/// The root elements of NLM's citation files, old and new.
const ROOTS: [&str; 5] =
    ["PubmedArticleSet", "MedlineCitationSet", "PubMedArticleSet", "PubmedBookArticleSet", "BookDocumentSet"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    BeforeRoot,
    InRoot,
    /// The file's root was itself a record, already read; more records may follow it (a file of
    /// records saved one after another, with no set around them).
    AfterRecord,
    Done,
}

/// Reads a `PubmedArticleSet` (or `MedlineCitationSet`) file item by item.
pub struct ArticleSetReader<R: Read> {
    cursor: Cursor<R>,
    state: State,
    root: Option<Tag>,
    /// Whether the root is not one of NLM's sets (a home-made wrapper): then its children must
    /// be records, and there must be one at least.
    foreign_root: bool,
    records: u64,
    /// Children of a home-made root that were not records.
    skipped: u64,
}

/// Something about a file that was read anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadWarning {
    /// The root is not one of NLM's sets, but it holds PubMed records (and `skipped` other
    /// elements, not read).
    ForeignRoot {
        /// The root element's name.
        root: String,
        /// How many of its children were not records, and were skipped.
        skipped: u64,
    },
}

impl std::fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadWarning::ForeignRoot { root, skipped: 0 } => {
                write!(f, "the root element <{root}> is not one of NLM's; the PubMed records in it were read")
            }
            ReadWarning::ForeignRoot { root, skipped } => write!(
                f,
                "the root element <{root}> is not one of NLM's; the PubMed records in it were read, and {skipped} \
                 other element(s) in it skipped"
            ),
        }
    }
}

impl<R: Read + Send + 'static> ArticleSetReader<R> {
    /// Starts reading `source`, plain or gzip-compressed XML. Reads the first bytes to tell which.
    pub fn new(source: R) -> Result<ArticleSetReader<R>, ParseError> {
        let start = Position { line: 1, column: 1, offset: 0 };
        let tee = Tee::open(source).map_err(|e| ParseError { position: start, kind: ErrorKind::Io(e) })?;
        let cursor = Cursor::new(tee);
        Ok(ArticleSetReader {
            cursor,
            state: State::BeforeRoot,
            root: None,
            foreign_root: false,
            records: 0,
            skipped: 0,
        })
    }
}

impl<R: Read> ArticleSetReader<R> {
    /// What was read despite being unusual, once the file has been read to its end.
    pub fn warning(&self) -> Option<ReadWarning> {
        let root = self.root.as_ref().filter(|_| self.foreign_root)?;
        Some(ReadWarning::ForeignRoot { root: root.name.clone(), skipped: self.skipped })
    }

    /// The next item, or `None` at the end of a complete file.
    pub fn next_item(&mut self) -> Result<Option<Item>, ParseError> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::BeforeRoot => {
                    if let Some(item) = self.read_prolog()? {
                        return Ok(Some(item));
                    }
                }
                State::InRoot => {
                    if let Some(item) = self.read_in_root()? {
                        return Ok(Some(item));
                    }
                }
                State::AfterRecord => {
                    if let Some(item) = self.read_after_record()? {
                        return Ok(Some(item));
                    }
                }
            }
        }
    }

    /// Reads up to and including the root's start tag. A root that is itself a record (one
    /// `PubmedArticle` saved from the web, say) is read whole, as the file's first record.
    fn read_prolog(&mut self) -> Result<Option<Item>, ParseError> {
        loop {
            self.cursor.get_mut().restart();
            let start = self.cursor.get_mut().position();
            match self.cursor.read()? {
                Ev::Open(tag) if !tag.empty && RecordElement::of(&tag.name).is_some() => {
                    self.state = State::AfterRecord;
                    return self.record_at(&tag, start).map(Some);
                }
                Ev::Open(tag) => {
                    self.foreign_root = !ROOTS.contains(&tag.name.as_str());
                    if self.foreign_root && tag.empty {
                        return Err(self.cursor.error(ErrorKind::UnknownRoot(tag.name)));
                    }
                    self.state = if tag.empty { State::Done } else { State::InRoot };
                    self.root = Some(tag);
                    return Ok(None);
                }
                // UTF-8, or ISO-8859-1, which `Input` has made UTF-8.
                Ev::Decl(Some(encoding)) => {
                    let lower = encoding.to_ascii_lowercase();
                    let utf8 = matches!(lower.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii");
                    if !utf8 && !LATIN1_NAMES.contains(&lower.as_str()) {
                        return Err(self.cursor.error(ErrorKind::Encoding(encoding)));
                    }
                }
                Ev::Text(t) if t.trim().is_empty() => {}
                Ev::Text(t) => {
                    let text = excerpt(&t);
                    return Err(self.cursor.error(ErrorKind::StrayText(text)));
                }
                Ev::Char(c) => return Err(self.cursor.error(ErrorKind::StrayText(c.to_string()))),
                Ev::Eof | Ev::Close => return Err(self.cursor.error(ErrorKind::NoRoot)),
                Ev::Decl(None) | Ev::Other => {}
            }
        }
    }

    /// Reads the next child of the root; `None` when it was only whitespace or a comment.
    fn read_in_root(&mut self) -> Result<Option<Item>, ParseError> {
        self.cursor.get_mut().restart();
        let start = self.cursor.get_mut().position();
        let root = self.root.as_ref().map(|t| t.name.clone()).unwrap_or_default();
        match self.cursor.read()? {
            Ev::Open(tag) => {
                if RecordElement::of(&tag.name).is_some() {
                    return self.record_at(&tag, start).map(Some);
                }
                if tag.name == "DeleteCitation" || tag.name == "DeleteDocument" {
                    return Ok(Some(Item::Delete(parse::delete_list(&mut self.cursor, &tag)?)));
                }
                // A home-made wrapper may hold other things beside the records: skipped, and said.
                if self.foreign_root {
                    self.cursor.skip(&tag)?;
                    self.skipped += 1;
                    return Ok(None);
                }
                Err(ParseError {
                    position: start,
                    kind: ErrorKind::UnexpectedElement { found: tag.name, parent: root },
                })
            }
            Ev::Close if self.foreign_root && self.records == 0 => {
                Err(ParseError { position: start, kind: ErrorKind::UnknownRoot(root) })
            }
            Ev::Close => {
                self.read_epilog()?;
                self.state = State::Done;
                Ok(None)
            }
            Ev::Text(t) if t.trim().is_empty() => Ok(None),
            Ev::Text(t) => {
                let text = excerpt(&t);
                Err(self.cursor.error(ErrorKind::StrayText(text)))
            }
            Ev::Char(c) => Err(self.cursor.error(ErrorKind::StrayText(c.to_string()))),
            Ev::Eof => Err(self.cursor.error(ErrorKind::UnexpectedEof(root))),
            Ev::Decl(_) | Ev::Other => Ok(None),
        }
    }

    /// The record whose start tag was just read, at `start`, with its bytes.
    fn record_at(&mut self, tag: &Tag, start: Position) -> Result<Item, ParseError> {
        let element = RecordElement::of(&tag.name).expect("a record element");
        let record = parse::record(&mut self.cursor, tag, start)?;
        let xml = self.cursor.get_mut().take_kept();
        self.records += 1;
        Ok(Item::Record(RawRecord { record, xml, element, position: start }))
    }

    /// After a record that was the file's root: another such record, or the end.
    fn read_after_record(&mut self) -> Result<Option<Item>, ParseError> {
        self.cursor.get_mut().restart();
        let start = self.cursor.get_mut().position();
        match self.cursor.read()? {
            Ev::Open(tag) if !tag.empty && RecordElement::of(&tag.name).is_some() => {
                self.record_at(&tag, start).map(Some)
            }
            Ev::Eof => {
                self.state = State::Done;
                Ok(None)
            }
            Ev::Text(t) if t.trim().is_empty() => Ok(None),
            Ev::Other => Ok(None),
            Ev::Open(tag) => {
                let kind = ErrorKind::UnexpectedElement { found: tag.name, parent: "the document".into() };
                Err(self.cursor.error(kind))
            }
            _ => Err(self.cursor.error(ErrorKind::StrayText("content after the records".into()))),
        }
    }

    /// After the root: only whitespace, comments and processing instructions may follow.
    fn read_epilog(&mut self) -> Result<(), ParseError> {
        loop {
            match self.cursor.read()? {
                Ev::Eof => return Ok(()),
                Ev::Text(t) if t.trim().is_empty() => {}
                Ev::Other => {}
                Ev::Open(tag) => {
                    let kind = ErrorKind::UnexpectedElement { found: tag.name, parent: "the document".into() };
                    return Err(self.cursor.error(kind));
                }
                _ => {
                    return Err(self.cursor.error(ErrorKind::StrayText("content after the root element".into())));
                }
            }
        }
    }
}

fn excerpt(text: &str) -> String {
    text.trim().chars().take(40).collect()
}

/// Parses one record element (`PubmedArticle`, `PubmedBookArticle` or a bare `MedlineCitation`)
/// from its bytes, as kept by [`RawRecord::xml`].
pub fn parse_record(xml: &[u8]) -> Result<Record, ParseError> {
    let mut reader = ArticleSetReader::new(io::Cursor::new(xml.to_vec()))?;
    reader.state = State::InRoot;
    match reader.read_in_root()? {
        Some(Item::Record(raw)) => Ok(raw.record),
        _ => Err(reader.cursor.error(ErrorKind::NoRoot)),
    }
}
