//! The streaming reader for NLM's PubMed XML files.
//!
//! [`ArticleSetReader`] takes any byte stream (plain or gzip, told apart by the gzip magic bytes),
//! and yields one [`Item`] at a time: a parsed record together with the exact bytes NLM published
//! for it, or a `DeleteCitation` list. Memory holds one record, never the whole file.
//!
//! The original bytes come from a [`Tee`] under the XML parser that keeps what the parser consumes
//! since the last record boundary: the record is parsed once, and its bytes are a by-product.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, sync_channel};

use crate::error::{ErrorKind, Oversized, ParseError, Position};
use crate::model::{Pmid, Record};
use crate::parse::{self, Cursor, Ev, Tag};
use flate2::bufread::MultiGzDecoder;

const BUFFER: usize = 64 * 1024;

/// What a file holds, in file order.
#[derive(Debug)]
pub enum Item {
    Record(RawRecord),
    /// The PMIDs of one `DeleteCitation` (or `DeleteDocument`) element.
    Delete(Vec<Pmid>),
}

/// A parsed record and the bytes it was parsed from.
#[derive(Debug)]
pub struct RawRecord {
    pub record: Record,
    /// The element exactly as it stood in the file, from `<` to `>`.
    pub xml: Vec<u8>,
    pub element: RecordElement,
    /// Where the element starts in the file.
    pub position: Position,
}

/// Which element carried a record; a bare `MedlineCitation` (from a `MedlineCitationSet`) must be
/// wrapped in `<PubmedArticle>` to form a valid `PubmedArticleSet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordElement {
    PubmedArticle,
    PubmedBookArticle,
    MedlineCitation,
}

impl RecordElement {
    pub fn code(self) -> u8 {
        match self {
            RecordElement::PubmedArticle => 0,
            RecordElement::PubmedBookArticle => 1,
            RecordElement::MedlineCitation => 2,
        }
    }

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

/// A decompressed, buffered byte stream of UTF-8.
pub(crate) enum Input<R: Read> {
    Plain(BufReader<R>),
    Gzip(BufReader<Gunzipped>),
    /// A file whose prolog declares ISO-8859-1, as UTF-8.
    Latin1(BufReader<Latin1<Input<R>>>),
}

impl<R: Read + Send + 'static> Input<R> {
    fn new(source: R) -> io::Result<Input<R>> {
        let mut raw = BufReader::with_capacity(BUFFER, source);
        let head = raw.fill_buf()?;
        let mut input = if head.starts_with(&[0x1f, 0x8b]) {
            Input::Gzip(BufReader::with_capacity(BUFFER, Gunzipped::spawn(raw)))
        } else {
            Input::Plain(raw)
        };
        // A UTF-8 byte-order mark (Windows editors write one) says nothing the parser needs.
        if input.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
            input.consume(3);
        }
        Ok(if declares_latin1(input.fill_buf()?) {
            Input::Latin1(BufReader::with_capacity(BUFFER, Latin1 { inner: Box::new(input) }))
        } else {
            input
        })
    }
}

/// Whether the XML declaration at the start of `head` names ISO-8859-1 (Latin-1).
fn declares_latin1(head: &[u8]) -> bool {
    let Some(declaration) = head.strip_prefix(b"<?xml") else { return false };
    let end = declaration.windows(2).position(|w| w == b"?>").unwrap_or(declaration.len().min(256));
    let declaration = String::from_utf8_lossy(&declaration[..end]).to_ascii_lowercase();
    let encoding = declaration.split("encoding").nth(1).unwrap_or_default();
    let name = encoding.trim_start_matches([' ', '=', '"', '\'']).split(['"', '\'']).next().unwrap_or_default();
    LATIN1_NAMES.contains(&name.trim())
}

/// The names XML files give ISO-8859-1.
const LATIN1_NAMES: [&str; 4] = ["iso-8859-1", "iso8859-1", "latin1", "latin-1"];

/// ISO-8859-1 bytes read as UTF-8: each byte is the code point of the same number.
pub(crate) struct Latin1<I> {
    inner: Box<I>,
}

impl<I: Read> Read for Latin1<I> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Each byte may take two in UTF-8: read at most half of what fits.
        let mut bytes = vec![0; (buf.len() / 2).max(1)];
        let n = self.inner.read(&mut bytes)?;
        let mut at = 0;
        for &b in &bytes[..n] {
            at += char::from(b).encode_utf8(&mut buf[at..]).len();
        }
        Ok(at)
    }
}

impl<R: Read> Input<R> {
    fn buffer(&self) -> &[u8] {
        match self {
            Input::Plain(r) => r.buffer(),
            Input::Gzip(r) => r.buffer(),
            Input::Latin1(r) => r.buffer(),
        }
    }
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Plain(r) => r.read(buf),
            Input::Gzip(r) => r.read(buf),
            Input::Latin1(r) => r.read(buf),
        }
    }
}

impl<R: Read> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Input::Plain(r) => r.fill_buf(),
            Input::Gzip(r) => r.fill_buf(),
            Input::Latin1(r) => r.fill_buf(),
        }
    }

    fn consume(&mut self, n: usize) {
        match self {
            Input::Plain(r) => r.consume(n),
            Input::Gzip(r) => r.consume(n),
            Input::Latin1(r) => r.consume(n),
        }
    }
}

/// Gzip decompressed on a thread of its own, a few chunks ahead of the parser: inflating is a
/// quarter of the work of reading a file, and this way it overlaps with the parsing.
pub(crate) struct Gunzipped {
    chunks: Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
}

impl Gunzipped {
    const CHUNK: usize = 256 * 1024;

    fn spawn<R: Read + Send + 'static>(compressed: BufReader<R>) -> Gunzipped {
        let (tx, rx) = sync_channel(4);
        std::thread::spawn(move || {
            let mut decoder = MultiGzDecoder::new(compressed);
            loop {
                let mut chunk = vec![0; Self::CHUNK];
                let mut filled = 0;
                let result = loop {
                    match decoder.read(&mut chunk[filled..]) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == chunk.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                chunk.truncate(filled);
                let done = filled == 0 || result.is_err();
                let sent = match result {
                    Err(e) if filled == 0 => tx.send(Err(e)),
                    Err(e) => tx.send(Ok(chunk)).and_then(|()| tx.send(Err(e))),
                    Ok(()) => tx.send(Ok(chunk)),
                };
                // Stop at the end, at an error, or when the reader has gone away.
                if done || sent.is_err() {
                    return;
                }
            }
        });
        Gunzipped { chunks: rx, current: Vec::new(), at: 0 }
    }
}

impl Read for Gunzipped {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.current.len() {
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The thread has ended after the last (empty) chunk.
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Passes bytes through to the XML parser, keeping those consumed since the last [`Tee::restart`]
/// and counting lines for error positions.
pub(crate) struct Tee<R: Read> {
    inner: Input<R>,
    kept: Vec<u8>,
    consumed: u64,
    line: u64,
    line_start: u64,
    /// Bytes scanned since the last `<` or `>`: the length of the text or attribute being read.
    run: u64,
    /// The longest such run ended so far.
    longest_run: u64,
    /// The offset up to which bytes have been scanned for those runs.
    scanned_to: u64,
}

/// The most bytes one record (or any other child of the root) may take.
pub const MAX_RECORD_BYTES: usize = 64 << 20;
/// The most bytes between two markup characters (`<`, `>`): one text or attribute value.
pub const MAX_RUN_BYTES: u64 = 16 << 20;

impl<R: Read> Tee<R> {
    pub(crate) fn position(&self) -> Position {
        Position { line: self.line, column: self.consumed - self.line_start + 1, offset: self.consumed }
    }

    fn restart(&mut self) {
        self.kept.clear();
    }

    fn take_kept(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.kept)
    }
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Tee<R> {
    /// Refuses to read on once a record or a run of text is past its bound, so that neither a
    /// decompression bomb nor a giant value grows the memory. Checked as new bytes arrive (every
    /// 64 KB), each byte scanned once.
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let buf = self.inner.fill_buf()?;
        let seen = (self.scanned_to - self.consumed) as usize;
        if seen >= buf.len() {
            return Ok(buf);
        }
        // The run before the new bytes' first markup ends the run carried in; runs between their
        // markups are shorter than the buffer.
        let new = &buf[seen..];
        let first = memchr::memchr2(b'<', b'>', new).unwrap_or(new.len());
        self.longest_run = self.longest_run.max(self.run + first as u64);
        self.run = match memchr::memrchr2(b'<', b'>', new) {
            Some(last) => (new.len() - last - 1) as u64,
            None => self.run + new.len() as u64,
        };
        // Past a bound, the bytes stay unscanned, so every later call fails too.
        if self.kept.len() > MAX_RECORD_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, Oversized::Record));
        }
        if self.run.max(self.longest_run) > MAX_RUN_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, Oversized::Run));
        }
        self.scanned_to = self.consumed + buf.len() as u64;
        Ok(buf)
    }

    fn consume(&mut self, n: usize) {
        let bytes = &self.inner.buffer()[..n];
        self.kept.extend_from_slice(bytes);
        for i in memchr::memchr_iter(b'\n', bytes) {
            self.line += 1;
            self.line_start = self.consumed + i as u64 + 1;
        }
        self.consumed += n as u64;
        self.inner.consume(n);
    }
}

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
    ForeignRoot { root: String, skipped: u64 },
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
        let inner = Input::new(source).map_err(|e| ParseError { position: start, kind: ErrorKind::Io(e) })?;
        let tee =
            Tee { inner, kept: Vec::new(), consumed: 0, line: 1, line_start: 0, run: 0, longest_run: 0, scanned_to: 0 };
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
