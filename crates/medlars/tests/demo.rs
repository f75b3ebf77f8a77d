//! `medlars demo`: with nothing but the binary (no `../shared`, no network) it builds its store
//! from the sample built in, serves it, and the page it points to shows the record.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use medline::{ArticleSetReader, Item};

mod common;
use common::get;

/// The sample's records as parsed here: (PMID, title, has an abstract).
fn sample() -> Vec<(u32, String, bool)> {
    let mut reader = ArticleSetReader::new(std::fs::File::open(common::sample()).unwrap()).unwrap();
    let mut out = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let Item::Record(raw) = item {
            let r = raw.record;
            let abstract_ = matches!(&r, medline::Record::Article(a) if a.medline.article.abstract_.is_some());
            out.push((r.pmid().id, r.title().to_owned(), abstract_));
        }
    }
    out
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
    let records = sample();
    assert!(records.len() >= 200, "a few hundred records");
    for run in 0..2 {
        // The second run finds its store built and starts at once.
        let (_demo, open) = start(&store);
        let pmid: u32 = open.trim_end_matches('/').rsplit('/').next().unwrap().parse().unwrap();
        let (_, title, has_abstract) = records.iter().find(|(p, ..)| *p == pmid).expect("the record is in the sample");
        assert!(*has_abstract);
        let base = open.trim_end_matches(&format!("{pmid}/")).to_owned();
        let (status, page) = get(&base, &format!("/{pmid}/"));
        assert_eq!(status, 200, "run {run}: {open}");
        assert!(page.contains("<section class=\"abstract\""), "run {run}: the record's abstract is shown");
        let words: Vec<&str> = title.split_whitespace().take(5).collect();
        assert!(page.contains(&words.join(" ")), "run {run}: the title {title:?} is shown");
        let (status, results) = get(&base, "/?term=humans%5Bmh%5D");
        assert_eq!(status, 200);
        assert!(results.contains("results</div>") && results.contains("class=\"filter"), "the search page works");
    }
}
