//! One archive, several processes: a server keeps answering while an ingest applies files, and
//! sees the new state when it commits, without a restart; an archive nobody may write to is
//! searched and served. On real records from `../shared/data` (skipped where it is absent).

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{archive_of_real_records, get, medlars};

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The number of records the server finds (every PMID).
fn count(base: &str) -> usize {
    let (status, body) = get(base, "/entrez/eutils/esearch.fcgi?db=pubmed&term=1:99999999%5Bpmid%5D&rettype=count");
    assert_eq!(status, 200, "{body}");
    body.split("<Count>").nth(1).and_then(|r| r.split('<').next()).unwrap().parse().unwrap()
}

/// A file of `n` new records (PMIDs from 99,000,001) that also deletes `deleted`.
fn update(dir: &Path, n: u32, deleted: u32) -> PathBuf {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n");
    for pmid in 99_000_001..=99_000_000 + n {
        xml.push_str(&format!(
            "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
             <Article PubModel=\"Print\"><ArticleTitle>Record {pmid} of the update</ArticleTitle></Article>\
             </MedlineCitation></PubmedArticle>\n"
        ));
    }
    xml.push_str(&format!(
        "<DeleteCitation><PMID Version=\"1\">{deleted}</PMID></DeleteCitation>\n</PubmedArticleSet>\n"
    ));
    let path = dir.join("update.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

#[test]
fn a_server_answers_during_an_ingest_and_then_from_its_state() {
    let Some((dir, data)) = archive_of_real_records("sharing-live") else { return };
    let server = common::serve(medlars(&data));
    let before = count(&server.base);
    assert!(before >= 200);
    let deleted: u32 =
        run(medlars(&data).args(["search", "humans[mh]", "--format", "ids", "--limit", "1"])).trim().parse().unwrap();
    let file = update(&dir, 2_000, deleted);
    // Searches all through the ingest: each answers, from the old state or the new.
    let base = server.base.clone();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ingested = done.clone();
    let watcher = std::thread::spawn(move || {
        let mut seen = Vec::new();
        while !ingested.load(std::sync::atomic::Ordering::Relaxed) || seen.len() < 20 {
            seen.push(count(&base));
        }
        seen
    });
    run(medlars(&data).arg("ingest").arg(&file));
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let after = before + 2_000 - 1;
    for n in watcher.join().unwrap() {
        assert!(n == before || n == after, "{n}: neither the old state ({before}) nor the new ({after})");
    }
    assert_eq!(count(&server.base), after, "the running server sees the ingest");
    let (status, page) = get(&server.base, "/99000007/");
    assert!(status == 200 && page.contains("Record 99000007 of the update"), "{status}");
    assert_eq!(get(&server.base, &format!("/{deleted}/")).0, 404, "the deleted record is gone");
}

#[test]
fn an_archive_nobody_may_write_is_searched_and_served() {
    let Some((dir, data)) = archive_of_real_records("sharing-read-only") else { return };
    let binary = dir.join("medlars");
    std::fs::copy(env!("CARGO_BIN_EXE_medlars"), &binary).unwrap();
    // No write bit anywhere; as root, which writes regardless, the commands run as nobody.
    let status = Command::new("chmod").args(["-R", "a-w,a+rX"]).arg(&data).status().unwrap();
    assert!(status.success());
    let as_reader = || {
        let mut cmd = if is_root() {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&binary);
            c
        } else {
            Command::new(&binary)
        };
        cmd.arg("--data").arg(&data).env_remove("MEDLARS_DATA").current_dir(&dir);
        cmd
    };
    assert!(run(as_reader().arg("stats")).contains("records"));
    let hits: usize = run(as_reader().args(["search", "humans[mh]", "--count"])).trim().parse().unwrap();
    assert!(hits > 0);
    let pmid = run(as_reader().args(["search", "humans[mh]", "--format", "ids", "--limit", "1"]));
    assert!(run(as_reader().args(["fetch", pmid.trim(), "--format", "medline"])).contains("PMID- "));
    let server = common::serve(as_reader());
    let (status, page) = get(&server.base, &format!("/{}/", pmid.trim()));
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        count(&server.base),
        run(as_reader().args(["search", "1:99999999[pmid]", "--count"])).trim().parse::<usize>().unwrap()
    );
    let _ = Command::new("chmod").args(["-R", "u+w"]).arg(&data).status();
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
