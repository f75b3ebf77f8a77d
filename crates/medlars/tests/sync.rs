//! `medlars sync` against a real HTTP server on loopback serving a tree shaped as NLM's (listing
//! pages, `pubmed26nNNNN.xml.gz` files of real records, their `.md5` files), with faults: a
//! corrupt transfer, a connection cut mid-file, a 503, a slow file, a file that stays missing,
//! a wrong `.md5`, a foreign listing, and `kill -9` at random moments. Every run that completes
//! must leave the store `medlars ingest` of the same files in the same order leaves.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{medlars, real_records, scratch};

/// What the server does to a file's GETs.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// The first GET sends the file with one byte changed.
    CorruptOnce,
    /// The first GET announces the whole file and sends half, then closes.
    CutOnce,
    /// The first GET is answered 503.
    UnavailableOnce,
    /// Every GET sends the file in small pieces, slowly.
    Slow,
    /// Every GET is answered 404.
    Missing,
    /// The `.md5` file gives another file's digest.
    WrongMd5,
}

struct Tree {
    /// Path below the root (`pubmed/baseline/pubmed26n0001.xml.gz`) → bytes.
    files: HashMap<String, Vec<u8>>,
    faults: HashMap<String, Fault>,
    /// GETs per path, and whether each was a range request.
    requests: Vec<(String, bool)>,
    /// Replaces the baseline listing (a foreign page).
    baseline_listing: Option<String>,
    /// The size the listing shows beside each file.
    listed_size: &'static str,
}

/// A loopback server of `tree`; its base URL (`http://127.0.0.1:PORT/pubmed/`).
fn serve(tree: Arc<Mutex<Tree>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/pubmed/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let tree = tree.clone();
            std::thread::spawn(move || answer(stream, &tree));
        }
    });
    base
}

fn answer(mut stream: TcpStream, tree: &Mutex<Tree>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_owned();
        let mut from = 0usize;
        let mut ranged = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                break;
            }
            if let Some(value) = header.to_ascii_lowercase().strip_prefix("range: bytes=") {
                from = value.trim().trim_end_matches('-').parse().unwrap_or(0);
                ranged = true;
            }
        }
        if !respond(&mut stream, tree, &path, from, ranged) {
            return;
        }
    }
}

/// Writes one response; false when the connection is to be closed.
fn respond(stream: &mut TcpStream, tree: &Mutex<Tree>, path: &str, from: usize, ranged: bool) -> bool {
    let (body, fault, first) = {
        let mut tree = tree.lock().unwrap();
        let first = !tree.requests.iter().any(|(p, _)| p == path);
        tree.requests.push((path.to_owned(), ranged));
        let name = path.rsplit('/').next().unwrap_or("").to_owned();
        let file_name = name.trim_end_matches(".md5").to_owned();
        let fault = tree.faults.get(&file_name).copied();
        let body = if path.ends_with('/') {
            listing(&tree, path)
        } else if let Some(data_path) = path.strip_suffix(".md5") {
            tree.files.get(data_path).map(|bytes| {
                let digest = if fault == Some(Fault::WrongMd5) { md5_hex(b"another file") } else { md5_hex(bytes) };
                format!("MD5({file_name})= {digest}\n").into_bytes()
            })
        } else {
            tree.files.get(path).cloned()
        };
        (body, if path.ends_with(".md5") && fault != Some(Fault::WrongMd5) { None } else { fault }, first)
    };
    let status = |stream: &mut TcpStream, code: &str| {
        let _ = write!(stream, "HTTP/1.1 {code}\r\nContent-Length: 0\r\n\r\n");
        true
    };
    let Some(mut body) = body else { return status(stream, "404 Not Found") };
    match fault {
        Some(Fault::Missing) => return status(stream, "404 Not Found"),
        Some(Fault::UnavailableOnce) if first => return status(stream, "503 Service Unavailable"),
        Some(Fault::CorruptOnce) if first => {
            let middle = body.len() / 2;
            body[middle] ^= 0xff;
        }
        _ => {}
    }
    let from = from.min(body.len());
    let part = &body[from..];
    let head = if ranged && from > 0 {
        format!("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{}/{}\r\n", body.len() - 1, body.len())
    } else {
        "HTTP/1.1 200 OK\r\n".to_owned()
    };
    let _ = write!(stream, "{head}Content-Length: {}\r\n\r\n", part.len());
    match fault {
        Some(Fault::CutOnce) if first => {
            let _ = stream.write_all(&part[..part.len() / 2]);
            let _ = stream.shutdown(std::net::Shutdown::Both);
            false
        }
        Some(Fault::Slow) => {
            for piece in part.chunks(part.len().div_ceil(10).max(1)) {
                std::thread::sleep(Duration::from_millis(30));
                if stream.write_all(piece).is_err() {
                    return false;
                }
            }
            true
        }
        _ => stream.write_all(part).is_ok(),
    }
}

/// A listing page in the style of NLM's (an HTML index with the files, their `.md5`s, a README).
fn listing(tree: &Tree, path: &str) -> Option<Vec<u8>> {
    if path.ends_with("baseline/")
        && let Some(page) = &tree.baseline_listing
    {
        return Some(page.clone().into_bytes());
    }
    let mut names: Vec<&str> =
        tree.files.keys().filter_map(|p| p.strip_prefix(path)).filter(|rest| !rest.contains('/')).collect();
    names.sort();
    let mut page = format!("<html><head><title>Index of /{path}</title></head><body><h1>Index of /{path}</h1><pre>");
    page.push_str(
        "<a href=\"../\">Parent Directory</a>\n<a href=\"README.txt\">README.txt</a> 2025-12-10 14:39 4.0K\n",
    );
    for name in names {
        page.push_str(&format!("<a href=\"{name}\">{name}</a> 2025-12-10 14:39 {}\n", tree.listed_size));
        page.push_str(&format!("<a href=\"{name}.md5\">{name}.md5</a> 2025-12-10 14:39 60\n"));
    }
    page.push_str("</pre></body></html>\n");
    Some(page.into_bytes())
}

fn md5_hex(bytes: &[u8]) -> String {
    let out = std::process::Command::new("md5sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let mut child = out.expect("md5sum (coreutils) runs");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    String::from_utf8(output.stdout).unwrap().split_whitespace().next().unwrap().to_owned()
}

/// Real record files named as NLM names them: the first `baseline` as the baseline, the next
/// `updates` as update files continuing its numbering. Returns the tree and the files in order.
fn nlm_tree(records: &Path, baseline: usize, updates: usize) -> (Tree, Vec<(String, Vec<u8>)>) {
    let sources = testdata::files_below(records);
    assert!(sources.len() >= baseline + updates, "enough real files");
    let mut ordered = Vec::new();
    for (i, source) in sources.iter().take(baseline + updates).enumerate() {
        let name = format!("pubmed26n{:04}.xml.gz", i + 1);
        let dir = if i < baseline { "baseline" } else { "updatefiles" };
        ordered.push((format!("pubmed/{dir}/{name}"), std::fs::read(source).unwrap()));
    }
    let files = ordered.iter().cloned().collect();
    (Tree { files, faults: HashMap::new(), requests: Vec::new(), baseline_listing: None, listed_size: "20M" }, ordered)
}

/// How many records the server at `site` holds, by esearch.
fn records_served(site: &str) -> usize {
    let (status, body) =
        common::get(site, "/entrez/eutils/esearch.fcgi?db=pubmed&term=1:99999999%5Bpmid%5D&rettype=count");
    assert_eq!(status, 200, "{body}");
    body.split("<Count>").nth(1).and_then(|r| r.split('<').next()).unwrap().parse::<usize>().unwrap()
}

fn sync(data: &Path, base: &str) -> std::process::Output {
    medlars(data).args(["sync", "--source", base, "--jobs", "3", "--retry-wait", "0.05"]).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn digest(data: &Path) -> String {
    let out = medlars(data).args(["stats", "--digest"]).output().unwrap();
    text(&out.stdout).lines().find_map(|l| l.strip_prefix("digest").map(|d| d.trim().to_owned())).expect("a digest")
}

/// The digest `medlars ingest` of these files, in this order, gives.
fn ingested_digest(name: &str, files: &[(String, Vec<u8>)]) -> String {
    let dir = scratch(name);
    let copies: Vec<PathBuf> = files
        .iter()
        .map(|(path, bytes)| {
            let copy = dir.join(path.rsplit('/').next().unwrap());
            std::fs::write(&copy, bytes).unwrap();
            copy
        })
        .collect();
    let data = dir.join("store");
    let out = medlars(&data).arg("ingest").args(&copies).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    digest(&data)
}

#[test]
fn sync_survives_faults_and_matches_ingest_then_fetches_only_what_is_new() {
    let Some(records) = real_records() else { return };
    let (mut tree, ordered) = nlm_tree(&records, 5, 4);
    // Two update files are published later, as a day passes.
    let later: Vec<(String, Vec<u8>)> = ordered[7..].to_vec();
    for (path, _) in &later {
        tree.files.remove(path);
    }
    for (name, fault) in [
        ("pubmed26n0001.xml.gz", Fault::CutOnce),
        ("pubmed26n0002.xml.gz", Fault::CorruptOnce),
        ("pubmed26n0003.xml.gz", Fault::UnavailableOnce),
        ("pubmed26n0004.xml.gz", Fault::Slow),
        ("pubmed26n0006.xml.gz", Fault::CutOnce),
    ] {
        tree.faults.insert(name.to_owned(), fault);
    }
    let tree = Arc::new(Mutex::new(tree));
    let base = serve(tree.clone());
    let data = scratch("sync-faults").join("store");

    let out = sync(&data, &base);
    assert!(out.status.success(), "sync: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("7 of 7 files applied"), "{}", text(&out.stdout));
    assert_eq!(digest(&data), ingested_digest("sync-faults-ingest-7", &ordered[..7]), "the store ingest gives");
    {
        let tree = tree.lock().unwrap();
        let resumed = tree.requests.iter().any(|(p, ranged)| p.ends_with("pubmed26n0001.xml.gz") && *ranged);
        assert!(resumed, "the cut download was resumed with a range request");
    }
    let downloads = data.join("downloads");
    assert_eq!(std::fs::read_dir(&downloads).unwrap().count(), 0, "applied files are deleted by default");

    // Nothing new: nothing is downloaded.
    let before = tree.lock().unwrap().requests.len();
    let out = sync(&data, &base);
    assert!(out.status.success() && text(&out.stdout).contains("Up to date"), "{}", text(&out.stdout));
    let fetched = tree.lock().unwrap().requests[before..].iter().filter(|(p, _)| p.ends_with(".gz")).count();
    assert_eq!(fetched, 0, "a second run downloads nothing");

    // A day later: only the new files are fetched, while a server keeps answering from the
    // state before, then from the state after, without a restart.
    let server = common::serve(medlars(&data));
    let site = server.base.clone();
    let held = || records_served(&site);
    let old_count = held();
    let before = tree.lock().unwrap().requests.len();
    tree.lock().unwrap().files.extend(later.iter().cloned());
    let mut sync_run = medlars(&data);
    sync_run
        .args(["sync", "--source", &base, "--keep-files"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut running = sync_run.spawn().unwrap();
    let mut seen = vec![old_count];
    while running.try_wait().unwrap().is_none() {
        seen.push(held());
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = running.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let new_count = held();
    drop(server);
    assert!(new_count > old_count, "the server sees the new files: {old_count} -> {new_count}");
    assert!(seen.iter().all(|c| *c >= old_count && *c <= new_count), "every answer from a committed state: {seen:?}");
    let mut fetched: Vec<String> = tree.lock().unwrap().requests[before..]
        .iter()
        .filter(|(p, _)| p.ends_with(".xml.gz"))
        .map(|(p, _)| p.rsplit('/').next().unwrap().to_owned())
        .collect();
    fetched.sort();
    assert_eq!(fetched, ["pubmed26n0008.xml.gz", "pubmed26n0009.xml.gz"], "only the new files, once each");
    assert_eq!(digest(&data), ingested_digest("sync-faults-ingest-9", &ordered), "the store ingest gives");
    assert!(downloads.join("pubmed26n0009.xml.gz").exists(), "--keep-files keeps them");
}

#[test]
fn sync_stops_with_a_clear_message_at_a_file_it_cannot_get_and_resumes_after() {
    let Some(records) = real_records() else { return };
    let (mut tree, ordered) = nlm_tree(&records, 3, 2);
    tree.faults.insert("pubmed26n0002.xml.gz".to_owned(), Fault::WrongMd5);
    tree.faults.insert("pubmed26n0004.xml.gz".to_owned(), Fault::Missing);
    let tree = Arc::new(Mutex::new(tree));
    let base = serve(tree.clone());
    let data = scratch("sync-stops").join("store");

    // Files the disk cannot hold: refused before anything is downloaded.
    tree.lock().unwrap().listed_size = "900T";
    let out = sync(&data, &base);
    let stderr = text(&out.stderr);
    assert!(!out.status.success() && stderr.contains("not enough disk"), "{stderr}");
    assert!(!tree.lock().unwrap().requests.iter().any(|(p, _)| p.ends_with(".gz")), "nothing downloaded");
    tree.lock().unwrap().listed_size = "20M";

    let out = sync(&data, &base);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("pubmed26n0002.xml.gz") && stderr.contains("MD5"),
        "names the file and the cause: {stderr}"
    );
    assert!(text(&out.stdout).contains("1 of 5 files applied"), "{}", text(&out.stdout));
    assert_eq!(digest(&data), ingested_digest("sync-stops-1", &ordered[..1]), "only the files before it applied");

    tree.lock().unwrap().faults.remove("pubmed26n0002.xml.gz");
    let out = sync(&data, &base);
    let stderr = text(&out.stderr);
    assert!(!out.status.success() && stderr.contains("pubmed26n0004.xml.gz") && stderr.contains("404"), "{stderr}");
    assert_eq!(digest(&data), ingested_digest("sync-stops-3", &ordered[..3]));

    tree.lock().unwrap().faults.clear();
    let out = sync(&data, &base);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(digest(&data), ingested_digest("sync-stops-5", &ordered));

    // A page that lists no PubMed files is refused, naming the URL; nothing changes.
    tree.lock().unwrap().baseline_listing = Some("<html><body>Please sign in</body></html>".to_owned());
    let out = sync(&data, &base);
    let stderr = text(&out.stderr);
    assert!(!out.status.success() && stderr.contains("baseline/") && stderr.contains("no pubmedYYnNNNN"), "{stderr}");
    let out = medlars(&data)
        .args(["sync", "--source", "http://127.0.0.1:9/pubmed/", "--retry-wait", "0.01"])
        .output()
        .unwrap();
    assert!(!out.status.success() && text(&out.stderr).contains("127.0.0.1:9"), "{}", text(&out.stderr));
}

#[test]
fn killed_syncs_resume_to_the_same_store() {
    let Some(records) = real_records() else { return };
    let (mut tree, ordered) = nlm_tree(&records, 6, 3);
    // Slow files, so that kills land in downloads as well as in ingests.
    for (path, _) in ordered.iter().step_by(2) {
        tree.faults.insert(path.rsplit('/').next().unwrap().to_owned(), Fault::Slow);
    }
    let base = serve(Arc::new(Mutex::new(tree)));
    let clean_digest = ingested_digest("sync-kill-clean", &ordered);
    let clean = scratch("sync-kill-timing").join("store");
    let started = Instant::now();
    assert!(sync(&clean, &base).status.success());
    let clean_time = started.elapsed();
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    eprintln!("sync kill test seed {seed}, clean run {clean_time:?}");
    let mut state = seed;
    for round in 0..4 {
        let data = scratch(&format!("sync-kill-{round}")).join("store");
        for _ in 0..2 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let fraction = (state >> 11) as f64 / (1u64 << 53) as f64;
            let mut child = medlars(&data)
                .args(["sync", "--source", &base, "--retry-wait", "0.05"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(clean_time.mul_f64(fraction / 2.0).max(Duration::from_millis(1)));
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
        }
        let out = sync(&data, &base);
        assert!(out.status.success(), "round {round}, seed {seed}: {}", text(&out.stderr));
        assert_eq!(digest(&data), clean_digest, "round {round}, seed {seed}");
    }
}

/// NLM's files of one year's baseline: `baseline` sources from `sources` as the baseline and
/// `updates` after them as its updates, named `pubmedYYnNNNN.xml.gz`.
fn year_files(year: u8, sources: &[PathBuf], baseline: usize, updates: usize) -> Vec<(String, Vec<u8>)> {
    sources
        .iter()
        .take(baseline + updates)
        .enumerate()
        .map(|(i, source)| {
            let dir = if i < baseline { "baseline" } else { "updatefiles" };
            (format!("pubmed/{dir}/pubmed{year}n{:04}.xml.gz", i + 1), std::fs::read(source).unwrap())
        })
        .collect()
}

#[test]
fn a_new_years_baseline_is_built_beside_the_served_archive_and_replaces_it_whole() {
    let Some(records) = real_records() else { return };
    let Some(descriptors) = testdata::real_descriptors() else { return };
    let sources = testdata::files_below(&records);
    let old_year = year_files(25, &sources, 3, 2);
    // The new baseline holds other records (and more of them) than the old one.
    let new_year = year_files(26, &sources[4..], 5, 1);
    let tree = Tree {
        files: old_year.iter().cloned().collect(),
        faults: HashMap::new(),
        requests: Vec::new(),
        baseline_listing: None,
        listed_size: "20M",
    };
    let tree = Arc::new(Mutex::new(tree));
    let base = serve(tree.clone());
    let data = scratch("sync-new-year").join("store");
    let out = sync(&data, &base);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = medlars(&data).args(["mesh", "load"]).arg(&descriptors).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    let server = common::serve(medlars(&data));
    let site = server.base.clone();
    let held = || records_served(&site);
    let old_count = held();
    // NLM replaces the whole tree: the old year's files are gone from it.
    {
        let mut tree = tree.lock().unwrap();
        tree.files = new_year.iter().cloned().collect();
        for (path, _) in new_year.iter().step_by(2) {
            tree.faults.insert(path.rsplit('/').next().unwrap().to_owned(), Fault::Slow);
        }
        tree.listed_size = "900T";
    }
    let out = sync(&data, &base);
    let stderr = text(&out.stderr);
    assert!(!out.status.success() && stderr.contains("new baseline") && stderr.contains("not enough disk"), "{stderr}");
    tree.lock().unwrap().listed_size = "20M";

    // Killed while building: the served archive is still the old one; the rerun resumes.
    let mut killed = medlars(&data)
        .args(["sync", "--source", &base, "--retry-wait", "0.05"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the new archive exists, while its slow files still download.
    let building = data.join("pubmed26/store.redb");
    let started = Instant::now();
    while !building.exists() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert!(!data.join("current").exists(), "killed before the switch");
    assert_eq!(held(), old_count, "a build cut short changes nothing served");
    let mut running = medlars(&data)
        .args(["sync", "--source", &base, "--retry-wait", "0.05"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    while running.try_wait().unwrap().is_none() {
        seen.push(held());
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = running.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Switched to the pubmed26n baseline"), "{}", text(&out.stdout));
    let new_count = held();
    drop(server);

    assert_eq!(
        digest(&data),
        ingested_digest("sync-new-year-ingest", &new_year),
        "the store ingest of the new year gives"
    );
    assert_ne!(new_count, old_count);
    assert!(seen.iter().all(|c| *c == old_count || *c == new_count), "each answer from one archive whole: {seen:?}");
    let stats = text(&medlars(&data).arg("stats").output().unwrap().stdout);
    assert!(stats.contains("pubmed26/store.redb") && !stats.contains("MeSH descriptors not loaded"), "{stats}");
    for replaced in ["store.redb", "records.dat", "index"] {
        assert!(!data.join(replaced).exists(), "the old archive's {replaced} is removed");
    }
    // The new year's next update is applied to the new archive.
    let update = year_files(26, &sources[4..], 5, 2).pop().unwrap();
    tree.lock().unwrap().files.insert(update.0.clone(), update.1.clone());
    let out = sync(&data, &base);
    assert!(out.status.success() && text(&out.stdout).contains("1 of 1 files applied"), "{}", text(&out.stdout));
    let mut all = new_year.clone();
    all.push(update);
    assert_eq!(digest(&data), ingested_digest("sync-new-year-ingest-update", &all));
}
