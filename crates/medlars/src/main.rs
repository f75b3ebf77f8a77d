//! `medlars`: the command line. Each subcommand is a thin layer over the engine; this file holds
//! the argument definitions and the dispatch.

mod demo;
mod export;
mod fetch;
mod ingest;
mod search;
mod sync;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use medline::format::Format;

#[derive(Parser)]
#[command(name = "medlars", version, about = "The whole of PubMed on your own machine.")]
struct Cli {
    /// Where the store lives.
    #[arg(long, global = true, env = "MEDLARS_DATA", default_value = "medlars-data")]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a small archive of real NLM records built into Medlars (a few hundred, with the
    /// MeSH they use) in a directory of its own, and serve it: no network, no downloads.
    Demo {
        /// Where the demo's store goes (not the main store).
        #[arg(long, default_value = "medlars-demo")]
        store: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Mirror NLM's PubMed: download the baseline and update files not yet applied (verified
    /// against their .md5, resumed where a run stopped) and apply them in order. Run it again (from
    /// cron, say) to fetch only what is new.
    Sync(sync::Args),
    /// Apply NLM's PubMed XML files (.xml or .xml.gz; directories are searched) in the order
    /// given: the baseline, then the update files. `-` reads standard input; a named pipe is read
    /// once.
    Ingest {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Files read and parsed at once, ahead of the one being applied (files are still
        /// applied one after another, in the order given).
        #[arg(long, default_value_t = engine::default_parse_jobs())]
        jobs: usize,
    },
    /// Print records by PMID (`12345`, or `12345.2` for a given version).
    Fetch {
        #[arg(required = true, value_name = "PMID")]
        pmids: Vec<String>,
        /// xml (NLM's bytes), json, jsonl, medline (.nbib), abstract, summary, pmid, csv, ama, apa,
        /// mla, nlm, ris, bibtex, csl-json.
        #[arg(long, default_value = "xml", value_parser = parse_format)]
        format: Format,
    },
    /// Search with PubMed's query language. A query of several lines is a strategy: each line is
    /// one search, `#N` refers to line N, and the last line is the answer.
    Search(search::Args),
    /// Load the MeSH vocabulary (NLM's desc20XX.xml[.gz], and optionally qual20XX.xml[.gz]) for
    /// explosion and automatic term mapping.
    Mesh {
        #[command(subcommand)]
        command: MeshCommand,
    },
    /// Write every record, or a query's hits, to one file: Parquet, JSON Lines, CSV, or any
    /// record format.
    Export(export::Args),
    /// Serve the record and search pages over HTTP, read-only, until interrupted.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Minutes an unused E-utilities WebEnv is kept (NCBI keeps them about 8 hours).
        #[arg(long, default_value_t = 480)]
        webenv_minutes: u64,
        /// Megabytes of search answers kept between requests (hit sets, pages, sidebar counts;
        /// 0 keeps none). Figures at /status.
        #[arg(long, default_value_t = engine::cache::DEFAULT_BUDGET >> 20)]
        cache_mb: usize,
        /// Seconds a request may take: past them it is answered 503 and its search stopped.
        #[arg(long, default_value_t = server::REQUEST_TIMEOUT.as_secs_f64())]
        request_seconds: f64,
    },
    /// Summarise the store: records, deletions, files applied, sizes.
    Stats {
        /// Also print a digest of the whole store (reads every record).
        #[arg(long)]
        digest: bool,
    },
}

#[derive(Subcommand)]
enum MeshCommand {
    /// Replace the loaded vocabulary with these descriptor and qualifier files.
    Load {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// A record format by name (`--format`).
pub fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
        format!("unknown format {name:?}: use one of {}", names.join(", "))
    })
}

/// Writes stored records in `format`, streaming: each is written before the next is read.
pub fn write_records(
    out: &mut impl Write,
    format: Format,
    records: impl Iterator<Item = anyhow::Result<engine::StoredRecord>>,
) -> anyhow::Result<()> {
    out.write_all(format.begin().as_bytes())?;
    let mut buf = Vec::new();
    for (i, stored) in records.enumerate() {
        let stored = stored?;
        buf.clear();
        format.write(&mut buf, i + 1, stored.element, &stored.xml).with_context(|| format!("PMID {}", stored.pmid))?;
        out.write_all(&buf)?;
    }
    out.write_all(format.end().as_bytes())?;
    Ok(())
}

/// Serves the archive until interrupted, saying where: the pages (`first`, a path to open first,
/// is printed as its own URL), the E-utilities and how clients use them.
fn serve(state: server::AppState, addr: std::net::SocketAddr, first: &str) -> anyhow::Result<ExitCode> {
    let state = std::sync::Arc::new(state);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the HTTP runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
        let base = server::base_url(listener.local_addr()?);
        eprintln!("serving {base} (Ctrl-C stops)");
        if !first.is_empty() {
            eprintln!("open {base}{first}");
        }
        eprintln!("E-utilities: {base}entrez/eutils/");
        eprintln!(
            "  EDirect:   esearch -base {base}entrez/eutils/ -db pubmed -query 'asthma' | efetch -format abstract"
        );
        eprintln!("  Biopython: point Bio.Entrez's URLs at {base}entrez/eutils/ (see README)");
        server::serve(listener, state).await.context("the HTTP server stopped")
    })?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A reader that stops early (`| head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let context = || format!("cannot open the store in {}", cli.data.display());
    let open = || engine::Archive::open(&cli.data).with_context(context);
    let read = || engine::Archive::open_read_only(&cli.data).with_context(context);
    match cli.command {
        Command::Sync(args) => sync::run(&cli.data, &args),
        Command::Ingest { paths, jobs } => ingest::run(&open()?, &paths, jobs),
        Command::Fetch { pmids, format } => fetch::run(&read()?.store, &pmids, format),
        Command::Search(args) => search::run(&read()?, &args),
        Command::Export(args) => export::run(&read()?, &args),
        Command::Demo { store, addr } => {
            let records = demo::prepare(&store)?;
            eprintln!("demo: {records} real PubMed records in {} (NLM's data, see sample/README.md)", store.display());
            let archive = engine::Archive::open_read_only(&store)
                .with_context(|| format!("cannot open the store in {}", store.display()))?;
            let first = format!("{}/", demo::FIRST_RECORD);
            serve(server::AppState::new(archive, std::time::Duration::from_secs(480 * 60)), addr, &first)
        }
        Command::Serve { addr, webenv_minutes, cache_mb, request_seconds } => {
            let mut archive = read()?;
            archive.set_cache_budget(cache_mb << 20);
            let request_timeout = std::time::Duration::try_from_secs_f64(request_seconds)
                .ok()
                .filter(|t| !t.is_zero())
                .context("--request-seconds must be a positive number of seconds")?;
            let state = server::AppState::new(archive, std::time::Duration::from_secs(webenv_minutes * 60))
                .with_request_timeout(request_timeout);
            serve(state, addr, "")
        }
        Command::Mesh { command: MeshCommand::Load { files } } => {
            let mut archive = open()?;
            let (mut descriptors, mut qualifiers) = (Vec::new(), Vec::new());
            for file in &files {
                let reader = std::fs::File::open(file).with_context(|| format!("{}", file.display()))?;
                let (kind, records) = mesh::read(reader).with_context(|| format!("{}", file.display()))?;
                match kind {
                    mesh::FileKind::Descriptors => descriptors.extend(records),
                    mesh::FileKind::Qualifiers => qualifiers.extend(records),
                }
            }
            archive.load_mesh(&descriptors, &qualifiers)?;
            println!("MeSH loaded: {} descriptors, {} qualifiers", descriptors.len(), qualifiers.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { digest } => {
            let archive = read()?;
            let store = &archive.store;
            let s = store.stats()?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "store            {}", store.path().display())?;
            writeln!(out, "records          {}", s.records)?;
            if s.versions != s.records {
                writeln!(out, "versions         {}", s.versions)?;
            }
            writeln!(out, "deleted PMIDs    {}", s.deleted)?;
            writeln!(out, "files applied    {}", s.files_applied)?;
            writeln!(out, "source bytes     {}", s.source_bytes)?;
            writeln!(out, "store bytes      {}", s.store_bytes)?;
            match s.dictionary_bytes {
                0 => writeln!(
                    out,
                    "zstd dictionary  none yet (trained on the first {} MB of records)",
                    engine::store::DICTIONARY_SAMPLE_BYTES >> 20
                )?,
                n => writeln!(out, "zstd dictionary  {n} bytes")?,
            }
            writeln!(out, "index bytes      {}", archive.index_bytes())?;
            writeln!(
                out,
                "search cache     in memory, per process, {} MB by default (`serve --cache-mb`): hits and misses at a server's /status, or `search --cache-stats`",
                engine::cache::DEFAULT_BUDGET >> 20
            )?;
            match archive.mesh() {
                Some(m) => writeln!(out, "MeSH descriptors {}", m.descriptor_count()?)?,
                None => writeln!(out, "MeSH descriptors not loaded")?,
            }
            if digest {
                writeln!(out, "digest           {}", store.digest()?)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
