//! Input meant to exhaust the machine, through the CLI and the server, on real records (from
//! `../shared/data`; skipped where it is absent). A watchdog turns a run that would never end into a failure; no figure is asserted.

use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

mod common;
use common::{archive_of_real_records, get, medlars, real_records, scratch, serve, serve_with};

/// One archive of the real records for the tests that only read it (built once per run).
/// `None` where `../shared` is absent: the test skips.
fn searched_archive() -> Option<&'static Path> {
    static ARCHIVE: OnceLock<Option<PathBuf>> = OnceLock::new();
    ARCHIVE.get_or_init(|| archive_of_real_records("hostile-searched").map(|(_, data)| data)).as_deref()
}

/// Waits for `child` for at most `limit`; kills it and fails past that.
fn finish(mut child: Child, what: &str, limit: Duration) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// `cancer`, then `lines` lines each referring twice to the line before (`shape` with `K` for
/// its number): the same hits as `cancer`, written so that copying each line's text doubles it.
fn doubling_chain(lines: u32, shape: &str) -> String {
    let mut text = String::from("cancer");
    for k in 1..=lines {
        text.push('\n');
        text.push_str(&shape.replace('K', &k.to_string()));
    }
    text
}

fn ids(out: &Output) -> Vec<String> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn a_chain_of_lines_repeating_the_last_costs_what_its_lines_cost() {
    let Some(data) = searched_archive() else { return };
    // The first 50 PMIDs of a query in an order, failing if it does not finish.
    let first_50 = |query: &str, sort: &str| {
        let child = medlars(data)
            .args(["search", query, "--format", "ids", "--limit", "50", "--sort", sort])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        ids(&finish(child, &format!("{} lines", query.lines().count()), Duration::from_secs(120)))
    };
    let chain = doubling_chain(40, "#K OR #K");
    for sort in ["relevance", "pub-date"] {
        let plain = first_50("cancer", sort);
        assert!(!plain.is_empty());
        assert_eq!(first_50(&chain, sort), plain, "{sort}: the chain finds what its first line finds, in order");
    }
    // Another shape, with the repeats in different branches: its hits are line 1's too.
    let uneven = doubling_chain(40, "(#K OR heart) AND #K");
    assert_eq!(first_50(&uneven, "pub-date"), first_50("cancer", "pub-date"));

    // The same through esearch, in one request of a few hundred bytes.
    let server = serve(medlars(data));
    let base = server.base.clone();
    let term: String = chain.replace('\n', "%0A").replace(' ', "+").replace('#', "%23");
    let (status, body) = get(&base, &format!("/entrez/eutils/esearch.fcgi?db=pubmed&term={term}&sort=relevance"));
    drop(server);
    assert_eq!(status, 200, "{body}");
    let count: usize = body.split("<Count>").nth(1).and_then(|r| r.split('<').next()).unwrap().parse().unwrap();
    let cancer = ids(&medlars(data).args(["search", "cancer", "--count"]).output().unwrap());
    assert_eq!(count.to_string(), cancer[0]);
}

/// Queries of thousands of operators, each the length a URL allows, and whether it is refused as
/// nested too deep: a flat OR and a flat AND run; a chain of NOTs, or operators alternating, nest
/// one level per operator.
fn long_queries() -> Vec<(&'static str, String, bool)> {
    let words = |n: usize, op: &str| (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(op);
    let alternating: Vec<String> = (0..2_000).map(|i| format!("w{i} NOT x{i} AND")).collect();
    vec![
        ("5,000 ORed", words(5_000, " OR "), false),
        ("5,000 ANDed", words(5_000, " AND "), false),
        ("5,000 NOTs", words(5_000, " NOT "), true),
        ("alternating", format!("{} y", alternating.join(" ")), true),
    ]
}

const TOO_DEEP: &str = "nested deeper than";

#[test]
fn thousands_of_operators_give_an_answer_or_an_error_never_a_crash() {
    let Some(data) = searched_archive() else { return };
    for (what, query, refused) in long_queries() {
        let mut search = medlars(data);
        search.args(["search", &query, "--count"]).stdout(Stdio::piped()).stderr(Stdio::piped());
        let out = finish(search.spawn().unwrap(), what, Duration::from_secs(60));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.code().is_some(), "{what}: the CLI was killed by a signal: {stderr}");
        assert_eq!(out.status.success(), !refused, "{what}: {stderr}");
        assert_eq!(stderr.contains(TOO_DEEP), refused, "{what}: {stderr}");
    }
    let server = serve(medlars(data));
    let base = server.base.clone();
    for (what, query, refused) in long_queries() {
        let term = query.replace(' ', "+");
        let (status, body) = get(&base, &format!("/entrez/eutils/esearch.fcgi?db=pubmed&term={term}"));
        assert_eq!(status, 200, "{what}: esearch answers, with a count or NCBI's error");
        assert_eq!(body.contains(TOO_DEEP), refused, "{what}: {}", &body[..body.len().min(300)]);
        assert_eq!(body.contains("<Count>"), !refused, "{what}");
        let (status, body) = get(&base, &format!("/?term={term}"));
        assert_eq!((status, body.contains(TOO_DEEP)), (if refused { 400 } else { 200 }, refused), "{what}: the page");
        let (alive, _) = get(&base, "/entrez/eutils/esearch.fcgi?db=pubmed&term=cancer");
        assert_eq!(alive, 200, "{what}: the server answers after it");
    }
    drop(server);
}

/// The number of records `stats` reports.
fn records_held(data: &std::path::Path) -> u64 {
    let out = medlars(data).arg("stats").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = stdout.lines().find(|l| l.starts_with("records")).unwrap_or_else(|| panic!("{stdout}"));
    line.split_whitespace().nth(1).unwrap().replace(',', "").parse().unwrap()
}

#[test]
fn standard_input_and_a_named_pipe_are_read_once() {
    let Some(records) = real_records() else { return };
    let file = testdata::files_below(&records).into_iter().next().unwrap();
    let dir = scratch("hostile-streams");
    let by_path = dir.join("by-path");
    assert!(medlars(&by_path).arg("ingest").arg(&file).status().unwrap().success());
    let expected = records_held(&by_path);
    assert!(expected > 0);

    let from_stdin = dir.join("stdin");
    let mut ingest = medlars(&from_stdin);
    ingest
        .args(["ingest", "-"])
        .stdin(std::fs::File::open(&file).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = finish(ingest.spawn().unwrap(), "ingest -", Duration::from_secs(60));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(records_held(&from_stdin), expected);

    let pipe = dir.join("pipe.xml.gz");
    assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    let writer = {
        let (pipe, file) = (pipe.clone(), file.clone());
        std::thread::spawn(move || std::fs::write(&pipe, std::fs::read(&file).unwrap()).unwrap())
    };
    let from_pipe = dir.join("pipe");
    let mut ingest = medlars(&from_pipe);
    ingest.arg("ingest").arg(&pipe).stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = finish(ingest.spawn().unwrap(), "ingest of a named pipe", Duration::from_secs(60));
    writer.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(records_held(&from_pipe), expected);
}

/// Open file descriptors of a process.
fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn idle_and_half_sent_connections_are_closed_and_bounded() {
    use std::io::{Read, Write};
    let Some(data) = searched_archive() else { return };
    let server = serve(medlars(data));
    let base = server.base.clone();
    let host = base.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let before = open_files(server.child.id());

    // Headers never finished: the server closes the connection (a read then ends) by itself.
    let mut half = std::net::TcpStream::connect(&host).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    half.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut answer = Vec::new();
    let ended = half.read_to_end(&mut answer);
    let timed_out = ended
        .as_ref()
        .is_err_and(|e| matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut));
    assert!(!timed_out, "a connection that never finishes its headers is closed by the server");

    // Two thousand connections that send nothing: the server holds a bounded number of them.
    let idle: Vec<std::net::TcpStream> = (0..2_000).filter_map(|_| std::net::TcpStream::connect(&host).ok()).collect();
    std::thread::sleep(Duration::from_millis(500));
    let during = open_files(server.child.id());
    assert!(during <= before + 512 + 16, "open files bounded: {before} before, {during} with {} idle", idle.len());
    drop(idle);
    // Once they are gone, fresh requests are answered.
    let (status, _) = get(&base, "/entrez/eutils/esearch.fcgi?db=pubmed&term=cancer");
    assert_eq!(status, 200);
    drop(server);
}

/// CPU seconds a process has used (user and system).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0 // USER_HZ, 100 on Linux
}

/// A POST of `body` to `path`; the status.
fn post(base: &str, path: &str, body: &str) -> u16 {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn a_request_out_of_time_or_left_by_its_client_stops_its_search_and_others_are_answered_meanwhile() {
    let Some(data) = searched_archive() else { return };
    // Four thousand different truncations: many seconds of work on any of the test archives.
    let letters = ["aeiostr", "aeilnorst", "aeilnorst", "aeinrst"];
    let mut prefixes = vec![String::new()];
    for choices in letters {
        prefixes = prefixes.iter().flat_map(|p| choices.chars().map(move |c| format!("{p}{c}"))).collect();
    }
    let term: Vec<String> = prefixes.iter().map(|p| format!("{p}*")).collect();
    let body = format!("db=pubmed&rettype=count&term={}", term.join("+OR+"));
    let stopping_body = body.clone();
    let server = serve_with(medlars(data), &["--request-seconds", "0.3"]);
    let (base, pid) = (server.base.clone(), server.child.id());

    let attack = {
        let base = base.clone();
        std::thread::spawn(move || post(&base, "/entrez/eutils/esearch.fcgi", &stopping_body))
    };
    std::thread::sleep(Duration::from_millis(100));
    let asked = Instant::now();
    let (status, _) = get(&base, "/entrez/eutils/einfo.fcgi?db=pubmed");
    assert_eq!(status, 200);
    assert!(asked.elapsed() < Duration::from_secs(1), "answered while the long search runs: {:?}", asked.elapsed());
    assert_eq!(attack.join().unwrap(), 503, "out of time: NCBI's 503");

    let waited = Instant::now();
    while stopped_at(&base) == 0 {
        assert!(waited.elapsed() < Duration::from_secs(10), "the stopped search is counted once it ends");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Its work has ended: the server is idle.
    let (before, at) = (cpu_seconds(pid), Instant::now());
    std::thread::sleep(Duration::from_secs(1));
    let busy = (cpu_seconds(pid) - before) / at.elapsed().as_secs_f64();
    assert!(busy < 0.5, "the server still computes after answering: {busy:.2} cores busy");
    drop(server);

    // A client that leaves: its search stops too, long before its time is up.
    let server = serve_with(medlars(data), &["--request-seconds", "600"]);
    let host = server.base.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut leaving = std::net::TcpStream::connect(&host).unwrap();
    let head = format!(
        "POST /entrez/eutils/esearch.fcgi HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    std::io::Write::write_all(&mut leaving, format!("{head}{body}").as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    drop(leaving);
    let left = Instant::now();
    while stopped_at(&server.base) == 0 {
        assert!(left.elapsed() < Duration::from_secs(10), "the search of a client that left goes on");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_elink_of_thousands_of_ids_out_of_time_stops() {
    let Some(data) = searched_archive() else { return };
    let ids = ids(&medlars(data).args(["search", "all[sb]", "--format", "ids", "--limit", "10000"]).output().unwrap());
    // Similar articles are looked up for each ID, a millisecond or more each: far past 20 ms.
    let server = serve_with(medlars(data), &["--request-seconds", "0.02"]);
    let body = format!("dbfrom=pubmed&db=pubmed&cmd=neighbor&id={}", ids.join(","));
    assert_eq!(post(&server.base, "/entrez/eutils/elink.fcgi", &body), 503);
    let waited = Instant::now();
    while stopped_at(&server.base) == 0 {
        // Without the stop, the lookups left take seconds on the shared records.
        assert!(waited.elapsed() < Duration::from_secs(1), "the elink's lookups go on after its 503");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Requests a server has stopped before their work ended, from its `/status`.
fn stopped_at(base: &str) -> u64 {
    let (_, status) = get(base, "/status");
    status.split("\"requests_stopped\":").nth(1).and_then(|r| r.split(['}', ',']).next()).unwrap().parse().unwrap()
}

/// Resident memory of a process, in bytes.
fn resident_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

#[test]
fn large_responses_are_streamed_so_clients_that_do_not_read_hold_no_memory() {
    use std::io::{Read, Write};
    let Some(data) = searched_archive() else { return };
    let ids = ids(&medlars(data).args(["search", "all[sb]", "--format", "ids", "--limit", "10000"]).output().unwrap());
    let server = serve(medlars(data));
    let host = server.base.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let body = format!("db=pubmed&retmax=10000&id={}", ids.join(","));
    let request = format!(
        "POST /entrez/eutils/efetch.fcgi HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let send = || {
        let mut stream = std::net::TcpStream::connect(&host).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        stream
    };
    // One read whole: every record, and the document's end.
    let mut whole = Vec::new();
    let mut stream = send();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    stream.read_to_end(&mut whole).unwrap();
    let document = whole.len();
    let text = String::from_utf8_lossy(&whole);
    assert!(text.contains("</PubmedArticleSet>"), "the document's end");
    assert_eq!(text.matches("<PubmedArticle>").count(), ids.len());

    // Clients that ask and never read: the server holds a few chunks for each, not the document.
    let before = resident_bytes(server.child.id());
    let idle: Vec<std::net::TcpStream> = (0..24).map(|_| send()).collect();
    std::thread::sleep(Duration::from_secs(2));
    let grown = resident_bytes(server.child.id()).saturating_sub(before);
    let unstreamed = (document * idle.len()) as u64;
    assert!(grown < unstreamed / 4, "{grown} bytes more held for {} unread responses of {document} bytes", idle.len());
    drop(idle);
    let (status, _) = get(&server.base, "/entrez/eutils/esearch.fcgi?db=pubmed&term=cancer");
    assert_eq!(status, 200);
}
