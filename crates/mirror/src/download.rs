//! Getting one file: resumed from the bytes an earlier attempt left, retried with backoff on
//! transport errors and 5xx answers, verified against NLM's `.md5` file, and only then given its
//! final name, so a file under its own name is always complete and verified.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use md5::{Digest, Md5};

use crate::MirrorError;
use crate::checksum::{expected_md5, hex, md5_of, md5_state_of};
use crate::listing::{Directory, NlmFile, files_listed};

/// How often, and how patiently, a request is tried again.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The wait before the second attempt; each later wait is twice the one before.
    pub first_wait: Duration,
}

impl Default for Retry {
    fn default() -> Retry {
        Retry { attempts: 6, first_wait: Duration::from_secs(1) }
    }
}

/// A base URL laid out as NLM's `https://ftp.ncbi.nlm.nih.gov/pubmed/`.
pub struct Source {
    agent: ureq::Agent,
    base: String,
    retry: Retry,
}

/// A connection that sends nothing for this long is given up (and tried again).
const STALL: Duration = Duration::from_secs(60);

impl Source {
    /// NLM's tree at `base` (`https://ftp.ncbi.nlm.nih.gov/pubmed/`, or a mirror of it), its
    /// requests retried as `retry` says.
    pub fn new(base: &str, retry: Retry) -> Source {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_response(Some(STALL))
            .timeout_per_read(Some(STALL))
            .user_agent(concat!("medlars/", env!("CARGO_PKG_VERSION")))
            .build();
        let base = if base.ends_with('/') { base.to_owned() } else { format!("{base}/") };
        Source { agent: config.into(), base, retry }
    }

    /// The URL of the file `name` in `directory`.
    pub fn url(&self, directory: Directory, name: &str) -> String {
        format!("{}{}{name}", self.base, directory.path())
    }

    /// The files a directory lists, in order.
    pub fn listing(&self, directory: Directory) -> Result<Vec<NlmFile>, MirrorError> {
        let url = self.url(directory, "");
        let html = self.with_retries(|| self.text(&url))?;
        files_listed(&html, &url)
    }

    /// Downloads `file` into `dir`: the bytes arrive in `NAME.partial` (kept between runs and
    /// resumed with an HTTP range), are checked, as they arrive, against `NAME.md5`, and the file is then renamed
    /// `NAME`. `progress` is told of every chunk received. Returns the file's path.
    pub fn download(
        &self,
        directory: Directory,
        file: &NlmFile,
        dir: &Path,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<PathBuf, MirrorError> {
        let done = dir.join(&file.name);
        if done.exists() {
            return Ok(done);
        }
        let md5_url = self.url(directory, &format!("{}.md5", file.name));
        let expected = self.with_retries(|| expected_md5(&self.text(&md5_url)?, &file.name, &md5_url))?;
        let partial = dir.join(format!("{}.partial", file.name));
        let url = self.url(directory, &file.name);
        self.with_retries(|| {
            let actual = self.fetch_into(&url, &partial, progress)?;
            if actual != expected {
                // Start again from nothing: the bytes kept are not the file's.
                let _ = std::fs::remove_file(&partial);
                return Err(MirrorError::ChecksumMismatch {
                    name: file.name.clone(),
                    expected: expected.clone(),
                    actual,
                });
            }
            Ok(())
        })?;
        std::fs::rename(&partial, &done).map_err(|error| MirrorError::Io { path: done.clone(), error })?;
        Ok(done)
    }

    /// `attempt` until it succeeds, fails for good, or has been tried `retry.attempts` times.
    fn with_retries<T>(&self, mut attempt: impl FnMut() -> Result<T, MirrorError>) -> Result<T, MirrorError> {
        let mut wait = self.retry.first_wait;
        let mut tries = 1;
        loop {
            match attempt() {
                Err(e) if e.is_transient() && tries < self.retry.attempts => {
                    std::thread::sleep(wait);
                    wait *= 2;
                    tries += 1;
                }
                other => return other,
            }
        }
    }

    fn get(&self, url: &str, from: u64) -> Result<ureq::http::Response<ureq::Body>, MirrorError> {
        let mut request = self.agent.get(url);
        if from > 0 {
            request = request.header("Range", format!("bytes={from}-"));
        }
        request.call().map_err(|e| MirrorError::Http { url: url.to_owned(), detail: e.to_string() })
    }

    /// A small text file (a listing, an `.md5`).
    fn text(&self, url: &str) -> Result<String, MirrorError> {
        let mut response = self.get(url, 0)?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(MirrorError::Status { url: url.to_owned(), status });
        }
        let body = response.body_mut().with_config().limit(16 << 20).read_to_string();
        body.map_err(|e| MirrorError::Http { url: url.to_owned(), detail: e.to_string() })
    }

    /// One attempt at the rest of a file: appends to what `partial` holds when the server
    /// honours the range, starts it over when it sends the whole file. Returns the MD5 of the
    /// whole file, hashed as it arrives (the bytes kept from before are read once, to resume).
    fn fetch_into(&self, url: &str, partial: &Path, progress: &(dyn Fn(u64) + Sync)) -> Result<String, MirrorError> {
        let io = |error| MirrorError::Io { path: partial.to_owned(), error };
        let have = std::fs::metadata(partial).map(|m| m.len()).unwrap_or(0);
        let mut response = self.get(url, have)?;
        let (mut out, mut hasher): (File, Md5) = match response.status().as_u16() {
            206 => (OpenOptions::new().append(true).open(partial).map_err(io)?, md5_state_of(partial)?),
            200 => (File::create(partial).map_err(io)?, Md5::new()),
            // The bytes kept already reach the end, or beyond: check them, or start over.
            416 if have > 0 => return md5_of(partial),
            status => return Err(MirrorError::Status { url: url.to_owned(), status }),
        };
        let mut body = response.body_mut().as_reader();
        let mut buf = vec![0; 256 << 10];
        loop {
            let n = match body.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err(MirrorError::Http { url: url.to_owned(), detail: e.to_string() }),
            };
            out.write_all(&buf[..n]).map_err(io)?;
            hasher.update(&buf[..n]);
            progress(n as u64);
        }
        out.sync_all().map_err(io)?;
        Ok(hex(hasher))
    }
}
