//! A guard rail for the style guide: no function outside the tests runs past 100 lines, so
//! each stays one a newcomer can hold in mind. Counts from the `fn` line to the closing brace
//! at its indentation; a file's `#[cfg(test)]` module and `tests.rs` files are the tests.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 100;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
            out.push(path);
        }
    }
}

/// `(first line, lines, signature)` of each function of `text` longer than [`MAX_LINES`].
fn long_functions(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize, &str)> = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        let signature =
            ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn ", "async fn ", "pub async fn ", "const fn "]
                .iter()
                .any(|p| trimmed.starts_with(p));
        match open {
            None if signature && !trimmed.ends_with(';') && !trimmed.ends_with('}') => {
                open = Some((n, indent, trimmed))
            }
            Some((start, at, name)) if trimmed == "}" && indent == at => {
                if n - start > MAX_LINES {
                    out.push((start + 1, n - start, name.to_owned()));
                }
                open = None;
            }
            _ => {}
        }
    }
    out
}

#[test]
fn no_function_outside_the_tests_is_longer_than_100_lines() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(crates).unwrap().map(Result::unwrap) {
        let src = entry.path().join("src");
        if src.is_dir() {
            sources(&src, &mut files);
        }
    }
    assert!(files.len() > 50, "the crates' sources are found ({} files)", files.len());
    let mut long = Vec::new();
    for file in files {
        for (line, lines, name) in long_functions(&std::fs::read_to_string(&file).unwrap()) {
            long.push(format!("{}:{line}: {lines} lines: {name}", file.display()));
        }
    }
    assert!(long.is_empty(), "split these by what their parts do:\n{}", long.join("\n"));
}

#[test]
fn the_check_finds_a_long_function() {
    let body = "    let x = 1;\n".repeat(MAX_LINES + 1);
    let text = format!("fn short() {{\n}}\n\npub fn long(a: u32) -> u32 {{\n{body}}}\n");
    let found = long_functions(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].2.starts_with("pub fn long"));
}
