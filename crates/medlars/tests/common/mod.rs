//! Helpers shared by the binary's tests.
#![allow(dead_code)] // each test file uses some of them

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// A few thousand real records (E-utilities efetch, 2025) from `../shared/data`, or `None`,
/// with a note, where `../shared` is absent (tests then skip; under `CI=true` they fail).
pub fn real_records() -> Option<PathBuf> {
    Some(testdata::shared()?.join("data/pubmed/efetch-alzheimer-2025"))
}

/// One GET of `path` from the server at `base` (`http://host:port/`): the status and the whole
/// response.
pub fn get(base: &str, path: &str) -> (u16, String) {
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    (response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0), response)
}
