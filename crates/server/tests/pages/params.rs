//! Random parameters for every route, as a careless or hostile client sends them: the server
//! answers each with a status below 500 (an NCBI-style error where the parameters are wrong),
//! never a crash, a hang or a cut connection. Bounded: a fixed number of cases per run.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use proptest::prelude::*;

use super::fixture;

const ROUTES: &[&str] = &[
    "/entrez/eutils/esearch.fcgi",
    "/entrez/eutils/efetch.fcgi",
    "/entrez/eutils/esummary.fcgi",
    "/entrez/eutils/elink.fcgi",
    "/entrez/eutils/epost.fcgi",
    "/entrez/eutils/einfo.fcgi",
    "/entrez/eutils/espell.fcgi",
    "/entrez/eutils/ecitmatch.cgi",
    "/",
    "/advanced/",
    "/download",
    "/28257650/",
    "/status",
];

const NAMES: &[&str] = &[
    "db",
    "term",
    "id",
    "retmax",
    "retstart",
    "rettype",
    "retmode",
    "sort",
    "field",
    "datetype",
    "reldate",
    "mindate",
    "maxdate",
    "usehistory",
    "WebEnv",
    "query_key",
    "version",
    "dbfrom",
    "linkname",
    "cmd",
    "bdata",
    "format",
    "size",
    "page",
    "filter",
    "timeline",
    "x",
];

/// Bytes as a URL's query component: unreserved characters kept, the rest %XX.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        "-?[0-9]{1,25}",
        prop::sample::select(vec![
            "pubmed",
            "#1",
            "#0",
            "%",
            "",
            "MCID_x",
            "asthma[mh]",
            "1:99999999[uid]",
            "((",
            "2020/13/45",
            "xml",
            "json",
            "medline",
            "uilist",
            "abstract",
            "pub_date",
            "relevance",
            "y",
            "neighbor_history",
            "ncheck",
            "acheck",
            "prlinks",
            "2.0",
            "csv",
            "pubmed_pubmed",
            "28257650,abc,-1",
        ])
        .prop_map(str::to_owned),
    ]
}

fn parameters() -> impl Strategy<Value = (usize, Vec<(String, String)>)> {
    let name = prop_oneof![prop::sample::select(NAMES.to_vec()).prop_map(str::to_owned), "\\PC{1,8}"];
    (0..ROUTES.len(), prop::collection::vec((name, value()), 0..6))
}

/// The status of a GET, read to the end of the response; None when the connection was cut.
fn status_of(addr: std::net::SocketAddr, target: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64)]).into_owned();
    head.split_whitespace().nth(1)?.parse().ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_parameters_get_an_answer_below_500((route, pairs) in parameters()) {
        let Some(f) = fixture() else { return Ok(()) };
        let query: Vec<String> = pairs.iter().map(|(n, v)| format!("{}={}", encoded(n), encoded(v))).collect();
        let target = format!("{}?{}", ROUTES[route], query.join("&"));
        let status = status_of(f.addr, &target);
        prop_assert!(status.is_some_and(|s| s < 500), "{target}: {status:?}");
    }
}
