//! Helpers shared by the binary's tests.
#![allow(dead_code)] // each test file uses some of them

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// An empty directory of its own for a test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary, on the store in `data`, whatever the environment says.
pub fn medlars(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_medlars"));
    cmd.arg("--data").arg(data).env_remove("MEDLARS_DATA");
    cmd
}

/// Real records: `../shared`'s efetch files; `None` where it is absent (the test skips, see
/// [`testdata::real_records`]).
pub fn real_records() -> Option<PathBuf> {
    testdata::real_records()
}

/// A scratch directory `name` with an archive of [`real_records`] in its `data` (the directory and
/// the archive); `None` where `../shared` is absent.
pub fn archive_of_real_records(name: &str) -> Option<(PathBuf, PathBuf)> {
    let records = real_records()?;
    let dir = scratch(name);
    let data = dir.join("data");
    let out = medlars(&data).arg("ingest").arg(&records).output().unwrap();
    assert!(out.status.success(), "ingest of {}: {}", records.display(), String::from_utf8_lossy(&out.stderr));
    Some((dir, data))
}

/// One GET of `path` from the server at `base` (`http://host:port/`): the status and the whole
/// response. HTTP/1.0, so that a streamed answer comes whole, not in chunks.
pub fn get(base: &str, path: &str) -> (u16, String) {
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    (response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0), response)
}

/// A running `medlars serve`, stopped when dropped (a failing test leaves no server behind).
pub struct Served {
    pub child: Child,
    /// Its base URL, `http://127.0.0.1:PORT/`.
    pub base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `medlars serve` on a free loopback port, started by `cmd` (the binary with its `--data`, or a
/// wrapper of it). Its log is read and dropped.
pub fn serve(cmd: Command) -> Served {
    serve_with(cmd, &[])
}

/// As [`serve`], with more of `serve`'s options.
pub fn serve_with(mut cmd: Command, options: &[&str]) -> Served {
    cmd.args(["serve", "--addr", "127.0.0.1:0"]).args(options);
    let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map(Result::unwrap)
        .find_map(|l| l.strip_prefix("serving ").and_then(|r| r.split(' ').next()).map(str::to_owned))
        .expect("the server says where it listens");
    std::thread::spawn(move || lines.for_each(drop));
    Served { child, base }
}
