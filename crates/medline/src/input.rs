//! The bytes under the XML parser: a file decompressed (gzip on a thread of its own), decoded
//! (ISO-8859-1 to UTF-8), and passed through a [`Tee`] that keeps what the parser consumed since
//! the last record boundary, counts lines for error positions and bounds what one record and
//! one value may take. Below both the parser and the reader, which build on it.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, sync_channel};

use flate2::bufread::MultiGzDecoder;

use crate::error::{Oversized, Position};

const BUFFER: usize = 64 * 1024;

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
pub(crate) const LATIN1_NAMES: [&str; 4] = ["iso-8859-1", "iso8859-1", "latin1", "latin-1"];

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

impl<R: Read + Send + 'static> Tee<R> {
    /// Starts on `source`, plain or gzip-compressed XML (it reads the first bytes to tell which).
    pub(crate) fn open(source: R) -> io::Result<Tee<R>> {
        let inner = Input::new(source)?;
        Ok(Tee { inner, kept: Vec::new(), consumed: 0, line: 1, line_start: 0, run: 0, longest_run: 0, scanned_to: 0 })
    }
}

impl<R: Read> Tee<R> {
    pub(crate) fn position(&self) -> Position {
        Position { line: self.line, column: self.consumed - self.line_start + 1, offset: self.consumed }
    }

    pub(crate) fn restart(&mut self) {
        self.kept.clear();
    }

    pub(crate) fn take_kept(&mut self) -> Vec<u8> {
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
