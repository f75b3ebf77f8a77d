//! A guard rail for the server's pages: their HTML is written with maud's `html!`, which escapes
//! every value, never pasted together from string literals holding tags (`format!("<p>{x}</p>")`),
//! where escaping is opt-in at each value; and the E-utilities' XML is serialized from typed
//! structs by quick-xml. Fails on any string literal with a tag in the server's code outside the
//! tests, except in the files listed in `ALLOWED` (a prolog's `<!DOCTYPE ...>` is no tag).

use std::path::{Path, PathBuf};

/// Files allowed to write markup by hand, each with why.
const ALLOWED: &[(&str, &str)] = &[
    // The sanitiser: it writes a record's own inline tags back, one checked name at a time.
    ("html.rs", "the sanitiser of records' markup"),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals of Rust source (comments and char literals skipped), with their lines.
fn string_literals(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2, // 'x', '"'
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                i += 2; // '\n', '\''
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
            }
            b'r' if bytes.get(i + 1) == Some(&b'#') && bytes.get(i + 2) == Some(&b'"') => {
                // r#"..."#: the served DTD's text holds quotes.
                let start = line;
                let end = text[i + 3..].find("\"#").map_or(bytes.len(), |e| i + 3 + e);
                let literal = &text[i + 3..end];
                line += literal.matches('\n').count();
                out.push((start, literal.to_owned()));
                i = end + 2;
                continue;
            }
            b'"' => {
                let start = line;
                let mut literal = String::new();
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        literal.push(bytes[i] as char);
                        i += 1;
                    }
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    literal.push(bytes[i] as char);
                    i += 1;
                }
                out.push((start, literal));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether a literal holds a tag: `<` followed by a letter or `/`.
fn has_tag(literal: &str) -> bool {
    literal.as_bytes().windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}

/// The code of a file before its test module.
fn outside_tests(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

#[test]
fn the_servers_pages_write_no_markup_by_hand() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 10, "the server's sources are found ({} files)", files.len());
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if ALLOWED.iter().any(|(prefix, _)| relative.starts_with(prefix)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, literal) in string_literals(outside_tests(&text)).into_iter().filter(|(_, l)| has_tag(l)) {
            found.push(format!("{relative}:{line}: \"{literal}\""));
        }
    }
    assert!(found.is_empty(), "write these with maud's html! instead:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_a_tag_in_a_literal_and_not_in_comments_or_chars() {
    let text = "// <p> in a comment\nlet q = '\"';\nlet a = format!(\"<p class=\\\"x\\\">{v}</p>\");\n\
                let b = \"a < b <!DOCTYPE x>\";\nlet c = \"https://x.org/\";\nlet d = \"line\n</div>\";\n\
                let e = r#\"<!ELEMENT x \"y\">\n\"#;\nlet f = \"<b>\";\n";
    let found: Vec<(usize, String)> = string_literals(text).into_iter().filter(|(_, l)| has_tag(l)).collect();
    let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [3, 6, 10], "{found:?}");
}
