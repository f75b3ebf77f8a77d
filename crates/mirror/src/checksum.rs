//! NLM's `.md5` files (`MD5(pubmed26n0001.xml.gz)= 0123…cdef`) and the MD5 of a file on disk.

use std::io::Read;
use std::path::Path;

use md5::{Digest, Md5};

use crate::MirrorError;

/// The 32 lower-case hex digits an `.md5` file gives for `name`.
pub fn expected_md5(text: &str, name: &str, url: &str) -> Result<String, MirrorError> {
    let bad =
        || MirrorError::BadChecksumFile { url: url.to_owned(), name: name.to_owned(), line: text.trim().to_owned() };
    let line = text.trim();
    let (label, hex) = line.split_once('=').ok_or_else(bad)?;
    let hex = hex.trim().to_ascii_lowercase();
    if label.trim() != format!("MD5({name})") || hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok(hex)
}

/// The MD5 of a file's bytes, in lower-case hex.
pub fn md5_of(path: &Path) -> Result<String, MirrorError> {
    Ok(hex(md5_state_of(path)?))
}

/// The MD5 state after a file's bytes, for more bytes to follow.
pub fn md5_state_of(path: &Path) -> Result<Md5, MirrorError> {
    let io = |error| MirrorError::Io { path: path.to_owned(), error };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Md5::new();
    let mut buf = vec![0; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher)
}

/// A finished MD5 in lower-case hex.
pub fn hex(hasher: Md5) -> String {
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_md5_line_names_its_file() {
        let line = "MD5(pubmed26n0001.xml.gz)= 0123456789ABCDEF0123456789abcdef\n";
        assert_eq!(expected_md5(line, "pubmed26n0001.xml.gz", "u").unwrap(), "0123456789abcdef0123456789abcdef");
        for bad in [
            "MD5(pubmed26n0002.xml.gz)= 0123456789abcdef0123456789abcdef",
            "MD5(pubmed26n0001.xml.gz)= 0123",
            "<html>",
            "",
        ] {
            assert!(expected_md5(bad, "pubmed26n0001.xml.gz", "u").is_err(), "{bad}");
        }
    }
}
