//! `medlars-bench`: measures Medlars on files a user names, printing one line per figure, so the
//! numbers in BENCHMARKS.md can be produced again by anyone (`bench/run.sh` runs it beside the
//! peer tools).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};

mod generate;

#[derive(Parser)]
#[command(name = "medlars-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse files (gunzip + XML + record model, no store): MB/s of XML and records/s.
    Parse {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Repeat the whole set this many times and report the best pass.
        #[arg(long, default_value_t = 3)]
        passes: u32,
    },
    /// Query latency (p50, p99) for a fixed mix of query classes against an archive built by
    /// `ingest`; long strategies come from `SHARED/data/queries`.
    Queries {
        #[arg(long)]
        store: PathBuf,
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
        /// Runs of each query (after 3 warm-up runs).
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// More queries: a TSV of label and query (further columns are ignored), such as
        /// bench/tiab_queries.tsv, which the SQLite FTS5 peer runs too.
        #[arg(long)]
        extra: Option<PathBuf>,
        /// Time the `--extra` queries alone, without the fixed mix (to profile one of them).
        #[arg(long, requires = "extra")]
        only_extra: bool,
        /// Also time each query with no answer cache (as `medlars serve --cache-mb 0` runs every
        /// request, or a search never seen since the index last changed), beside the warm runs.
        /// The index generation's per-segment files are opened once, by a first untimed run, as
        /// a server opens them for its first request.
        #[arg(long)]
        cold: bool,
    },
    /// Page latency over HTTP on loopback (sequential requests, so each is server time plus one
    /// loopback round trip): record pages for every Nth record, search pages for the query mix
    /// under each sort, and a 404 as the floor of the HTTP stack.
    Pages {
        #[arg(long)]
        store: PathBuf,
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
        /// Runs of each search page (after one warm-up).
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Write a synthetic corpus shaped like NLM's (baseline files of 30,000 records, then update
    /// files) into OUT/baseline and OUT/updates, with statistics learned from the shared corpus.
    Generate {
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        records: u32,
        #[arg(long, default_value_t = 1)]
        updates: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Ingest files into a fresh archive in DIR (removed first): records/s end to end.
    Ingest {
        #[arg(long)]
        store: PathBuf,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Parse { paths, passes } => parse(&paths, passes),
        Command::Ingest { store, paths } => ingest(&store, &paths),
        Command::Queries { store, shared, runs, extra, only_extra, cold } => {
            let mix = if only_extra { QueryMix::ExtraOnly } else { QueryMix::Fixed };
            queries(&store, &shared, runs, extra.as_deref(), mix, cold)
        }
        Command::Pages { store, shared, runs } => pages(&store, &shared, runs),
        Command::Generate { shared, out, records, updates, seed } => {
            let start = Instant::now();
            let model =
                generate::Model::learn(&[shared.join("data/pubmed")], &shared.join("data/mesh/desc2024.xml.gz"))?;
            let learned = start.elapsed().as_secs_f64();
            generate::generate(&model, &out, records, updates, seed)?;
            println!(
                "generate: {records} records and {updates} update files in {} (learning {learned:.1} s, writing {:.1} s)",
                out.display(),
                start.elapsed().as_secs_f64() - learned
            );
            Ok(())
        }
    }
}

fn files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        out.extend(engine::expand_paths(p)?);
    }
    Ok(out)
}

fn parse(paths: &[PathBuf], passes: u32) -> anyhow::Result<()> {
    let files = files(paths)?;
    // Read the files into memory first so the figure is the parser's, not the disk's.
    let contents: Vec<Vec<u8>> = files.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let mut xml_bytes = 0u64;
    for c in &contents {
        let mut d = flate2_len(c)?;
        xml_bytes += d.read_to_end(&mut Vec::new())? as u64;
    }
    let mut best = f64::MAX;
    let mut records = 0u64;
    for _ in 0..passes {
        records = 0;
        let start = Instant::now();
        for c in &contents {
            let Ok(mut reader) = medline::ArticleSetReader::new(std::io::Cursor::new(c.clone())) else {
                continue;
            };
            while let Ok(Some(item)) = reader.next_item() {
                if let medline::Item::Record(r) = item {
                    records += 1;
                    std::hint::black_box(&r);
                }
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "parse: {} files, {records} records, {:.1} MB XML in {best:.3} s: {:.1} MB/s, {:.0} records/s",
        files.len(),
        xml_bytes as f64 / 1e6,
        xml_bytes as f64 / 1e6 / best,
        records as f64 / best
    );
    Ok(())
}

/// A reader of the uncompressed bytes, to count them.
fn flate2_len(bytes: &[u8]) -> anyhow::Result<Box<dyn Read + '_>> {
    Ok(if bytes.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::MultiGzDecoder::new(bytes))
    } else {
        Box::new(bytes)
    })
}

fn ingest(store_dir: &PathBuf, paths: &[PathBuf]) -> anyhow::Result<()> {
    let files = files(paths)?;
    let _ = std::fs::remove_dir_all(store_dir);
    let archive = engine::Archive::open(store_dir)?;
    let mut indexer = archive.indexer()?;
    let start = Instant::now();
    let mut tally = Tally::default();
    engine::ingest_files(&archive, &mut indexer, &files, engine::default_parse_jobs(), &mut tally);
    let Tally { records, failed } = tally;
    indexer.finish()?;
    let secs = start.elapsed().as_secs_f64();
    let stats = archive.store.stats()?;
    let index_bytes = archive.index_bytes();
    println!(
        "ingest: {} files ({failed} refused), {records} records in {secs:.3} s: {:.0} records/s; store {:.1} MB + index {:.1} MB \
         for {:.1} MB of source ({:.2}x); index {:.0} bytes per record",
        files.len(),
        records as f64 / secs,
        stats.store_bytes as f64 / 1e6,
        index_bytes as f64 / 1e6,
        stats.source_bytes as f64 / 1e6,
        (stats.store_bytes + index_bytes) as f64 / stats.source_bytes as f64,
        index_bytes as f64 / stats.records.max(1) as f64
    );
    Ok(())
}

/// Records applied and files refused by an ingest.
#[derive(Default)]
struct Tally {
    records: u64,
    failed: usize,
}

impl engine::Progress for Tally {
    fn advanced(&mut self, _: u64, _: u64) {}

    fn file_finished(&mut self, _: usize, _: &Path, outcome: &engine::Result<engine::FileOutcome>) {
        match outcome {
            Ok(engine::FileOutcome::Applied(e)) => self.records += e.records,
            Ok(engine::FileOutcome::AlreadyApplied(_)) => {}
            Err(_) => self.failed += 1,
        }
    }
}

/// The query mix: (class, query).
fn query_mix(shared: &std::path::Path) -> anyhow::Result<Vec<(&'static str, String)>> {
    let clef = std::fs::read_to_string(shared.join("data/queries/clef-tar/2017-training/19"))?;
    let clef_query =
        clef.split_once("Query:").map_or("", |(_, q)| q).split("Pids:").next().unwrap_or("").trim().to_owned();
    let clef_strategy = |topic: &str| -> anyhow::Result<String> {
        let text = std::fs::read_to_string(shared.join("data/queries/clef-tar").join(topic))?;
        Ok(text.split_once("Query:").map_or("", |(_, q)| q).split("Pids:").next().unwrap_or("").trim().to_owned())
    };
    let strategy = clef_strategy("2018-training/CD007394")?;
    Ok(vec![
        ("one word", "dementia".into()),
        ("three words (ATM)", "amyloid beta plaques".into()),
        ("phrase", "\"mild cognitive impairment\"".into()),
        ("truncation", "neuroinflam*[tiab]".into()),
        ("MeSH explosion", "Dementia[mh]".into()),
        ("author", "smith j[au]".into()),
        ("date range", "2015:2020[dp]".into()),
        ("long Boolean (CLEF 2017 #19)", clef_query),
        ("strategy, 23 lines (CLEF CD007394)", strategy),
        (OVID_STRATEGY, clef_strategy("2019-training/CD010019")?),
    ])
}

const OVID_STRATEGY: &str = "Ovid strategy, 41 lines (CLEF CD010019)";

/// A strategy's lines as their PubMed translations, one per line: the same search in PubMed's
/// syntax (nearest where Ovid's has no equal).
fn pubmed_translation(
    archive: &engine::Archive,
    strategy: &str,
    options: &engine::SearchOptions,
) -> anyhow::Result<String> {
    let outcome = archive.search(strategy, options)?;
    Ok(outcome.lines.iter().map(|l| l.translation.as_str()).collect::<Vec<_>>().join("\n"))
}

/// "p50 … ms  p99 … ms" of some timings in milliseconds.
fn p50_p99(mut times: Vec<f64>) -> String {
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    format!("p50 {:>7.3} ms  p99 {:>7.3} ms", at(0.5), at(0.99))
}

/// Whether `queries` times its fixed mix of query classes before the extra ones.
#[derive(Clone, Copy)]
enum QueryMix {
    Fixed,
    ExtraOnly,
}

fn queries(
    store: &std::path::Path,
    shared: &std::path::Path,
    runs: usize,
    extra: Option<&std::path::Path>,
    fixed_mix: QueryMix,
    cold: bool,
) -> anyhow::Result<()> {
    // Read-only, as a server opens it, so a running server does not stop the measurement.
    let mut archive = engine::Archive::open_read_only(store)?;
    let today = query::Day { year: 2026, month: 11, day: 25 };
    let options = engine::SearchOptions { sort: engine::Sort::Relevance, limit: 20, offset: 0, today };
    let records = archive.store.stats()?.records;
    println!("queries: {records} records, relevance order, top 20, {runs} runs each");
    let mut mix: Vec<(String, String)> = match fixed_mix {
        QueryMix::Fixed => query_mix(shared)?.into_iter().map(|(c, q)| (c.to_owned(), q)).collect(),
        QueryMix::ExtraOnly => Vec::new(),
    };
    if let Some((_, ovid)) = mix.iter().find(|(c, _)| c == OVID_STRATEGY) {
        let translated = pubmed_translation(&archive, ovid, &options)?;
        mix.push(("  its PubMed translation".to_owned(), translated));
    }
    if let Some(path) = extra {
        for line in std::fs::read_to_string(path)?.lines().filter(|l| !l.trim().is_empty()) {
            let mut columns = line.split('\t');
            if let (Some(label), Some(q)) = (columns.next(), columns.next()) {
                mix.push((label.to_owned(), q.to_owned()));
            }
        }
    }
    for (class, q) in mix {
        let mut times = Vec::with_capacity(runs);
        let mut count = 0;
        for i in 0..runs + 3 {
            let start = Instant::now();
            count = archive.search(&q, &options)?.count;
            if i >= 3 {
                times.push(start.elapsed().as_secs_f64() * 1e3);
            }
        }
        let mut line = format!("  {class:<36} {count:>7} hits  {}", p50_p99(times));
        if cold {
            let mut times = Vec::with_capacity(runs);
            archive.set_cache_budget(0);
            for i in 0..runs + 1 {
                let start = Instant::now();
                archive.search(&q, &options)?;
                if i > 0 {
                    times.push(start.elapsed().as_secs_f64() * 1e3);
                }
            }
            archive.set_cache_budget(engine::cache::DEFAULT_BUDGET);
            line.push_str(&format!("  cold {}", p50_p99(times)));
        }
        println!("{line}");
    }
    Ok(())
}

/// Milliseconds of one GET on loopback, from connect to the last byte; fails on any status but 200
/// (404 when `expect_404`).
fn timed_get(addr: std::net::SocketAddr, target: &str, expect_404: bool) -> anyhow::Result<f64> {
    use std::io::Write;
    let start = Instant::now();
    let mut stream = std::net::TcpStream::connect(addr)?;
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let elapsed = start.elapsed().as_secs_f64() * 1e3;
    let status = if expect_404 { " 404 " } else { " 200 " };
    anyhow::ensure!(
        response.get(8..13) == Some(status.as_bytes()),
        "{target}: {}",
        String::from_utf8_lossy(&response[..response.len().min(200)])
    );
    Ok(elapsed)
}

fn percentiles(label: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "  {label:<44} {:>6} requests  p50 {:>7.3} ms  p95 {:>7.3} ms  p99 {:>7.3} ms",
        times.len(),
        at(0.5),
        at(0.95),
        at(0.99)
    );
}

fn pages(store: &std::path::Path, shared: &std::path::Path, runs: usize) -> anyhow::Result<()> {
    let archive = engine::Archive::open_read_only(store)?;
    let mut pmids = Vec::new();
    archive.store.for_each_current(|r| {
        pmids.push(r.pmid.id);
        Ok(())
    })?;
    let state = std::sync::Arc::new(server::AppState::new(archive, std::time::Duration::from_secs(3600)));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || -> anyhow::Result<()> {
        let runtime = tokio::runtime::Runtime::new()?;
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            tx.send(listener.local_addr()?)?;
            server::serve(listener, state).await?;
            Ok(())
        })
    });
    let addr = rx.recv()?;
    println!("pages: {} records, sequential HTTP/1.1 GETs on loopback", pmids.len());

    let floor: Vec<f64> = (0..500).map(|_| timed_get(addr, "/no/such/page", true)).collect::<anyhow::Result<_>>()?;
    percentiles("404 page (the HTTP floor)", floor);
    let step = (pmids.len() / 2000).max(1);
    let records: Vec<f64> =
        pmids.iter().step_by(step).map(|p| timed_get(addr, &format!("/{p}/"), false)).collect::<anyhow::Result<_>>()?;
    percentiles("record page /{pmid}/, every record", records);

    let mut all = Vec::new();
    for (class, q) in query_mix(shared)? {
        let term = q
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>();
        let mut times = Vec::new();
        for sort in ["", "date", "pubdate", "fauth", "jour"] {
            let target = format!("/?term={term}&sort={sort}");
            timed_get(addr, &target, false)?;
            for _ in 0..runs {
                times.push(timed_get(addr, &target, false)?);
            }
        }
        all.extend(&times);
        percentiles(&format!("search page: {class}"), times);
    }
    percentiles("search page: all of the above", all);
    Ok(())
}
