//! `medlars demo`: with nothing but the binary (no `../shared`, no network) it builds its store
//! from the sample built in, serves it, and the page it points to shows the record. The test
//! reads no data file: it asks the binary.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

mod common;
use common::get;

/// A record's title and whether it has an abstract, as the demo's store holds it.
fn title_and_abstract(store: &Path, pmid: u32) -> (String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_medlars"))
        .args(["fetch", &pmid.to_string(), "--format", "json", "--data"])
        .arg(store)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let article = &json[0]["medline"]["article"];
    (article["title"]["text"].as_str().unwrap().to_owned(), !article["abstract_"].is_null())
}

struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the demo on a free port; returns it and the URL it says to open.
fn start(store: &Path) -> (Demo, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_medlars"))
        .args(["demo", "--addr", "127.0.0.1:0", "--store"])
        .arg(store)
        .env_remove("MEDLARS_DATA")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let open = lines
        .by_ref()
        .map(Result::unwrap)
        .find_map(|l| l.strip_prefix("open ").map(str::to_owned))
        .expect("the demo prints the URL to open");
    // Keep draining its output so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (Demo(child), open)
}

#[test]
fn the_demo_serves_the_sample_offline() {
    let store = Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo");
    let _ = std::fs::remove_dir_all(&store);
    for run in 0..2 {
        // The second run finds its store built and starts at once.
        let (_demo, open) = start(&store);
        let pmid: u32 = open.trim_end_matches('/').rsplit('/').next().unwrap().parse().unwrap();
        let (title, has_abstract) = title_and_abstract(&store, pmid);
        assert!(has_abstract, "the record the demo points to has an abstract");
        let base = open.trim_end_matches(&format!("{pmid}/")).to_owned();
        let (status, page) = get(&base, &format!("/{pmid}/"));
        assert_eq!(status, 200, "run {run}: {open}");
        assert!(page.contains("<section class=\"abstract\""), "run {run}: the record's abstract is shown");
        let words: Vec<&str> = title.split_whitespace().take(5).collect();
        assert!(page.contains(&words.join(" ")), "run {run}: the title {title:?} is shown");
        let (status, results) = get(&base, "/?term=humans%5Bmh%5D");
        assert_eq!(status, 200);
        let count: usize = results
            .split("<span class=\"value\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .replace(',', "")
            .parse()
            .unwrap();
        assert!(count >= 100, "a few hundred real records, most of them on humans: {count}");
        assert!(results.contains("results</div>") && results.contains("class=\"filter"), "the search page works");
    }
}
