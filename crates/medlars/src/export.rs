//! `medlars export`: the whole store, or a query's hits, to one file: Parquet for analytics, or any
//! record format (JSON Lines, CSV, MEDLINE, ...). Streamed with bounded memory; the file appears
//! under its name only when complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use engine::{Archive, EngineError, SearchOptions, Sort, StoredRecord};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use medline::format::Format;

#[derive(clap::Args)]
pub struct Args {
    /// parquet, or a record format: jsonl, csv, xml, json, medline, abstract, ris, bibtex, ...
    #[arg(long, value_parser = parse_target)]
    format: Target,
    /// Export only this query's hits (PubMed syntax) instead of every record.
    #[arg(long, value_name = "QUERY")]
    query: Option<String>,
    /// The file to write.
    #[arg(value_name = "OUT")]
    out: PathBuf,
}

#[derive(Clone, Copy)]
enum Target {
    Parquet,
    Records(Format),
}

fn parse_target(name: &str) -> Result<Target, String> {
    if name.eq_ignore_ascii_case("parquet") {
        return Ok(Target::Parquet);
    }
    crate::parse_format(name).map(Target::Records)
}

/// Where records go.
enum Sink {
    Parquet(Box<columnar::ParquetWriter<BufWriter<File>>>),
    Records { format: Format, out: BufWriter<File>, n: usize, buf: Vec<u8> },
}

impl Sink {
    fn push(&mut self, stored: &StoredRecord) -> std::io::Result<()> {
        match self {
            Sink::Parquet(writer) => {
                let record = stored.parse().map_err(std::io::Error::other)?;
                writer.push(&record).map_err(std::io::Error::other)
            }
            Sink::Records { format, out, n, buf } => {
                *n += 1;
                buf.clear();
                format.write(buf, *n, stored.element, &stored.xml).map_err(std::io::Error::other)?;
                out.write_all(buf)
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Parquet(writer) => writer.finish().map(|_| ()).map_err(std::io::Error::other),
            Sink::Records { format, mut out, .. } => {
                out.write_all(format.end().as_bytes())?;
                out.into_inner().map_err(|e| e.into_error())?.sync_all()
            }
        }
    }
}

pub fn run(archive: &Archive, args: &Args) -> anyhow::Result<ExitCode> {
    let partial = partial_path(&args.out);
    let file = File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut sink = match args.format {
        Target::Parquet => Sink::Parquet(Box::new(columnar::ParquetWriter::new(BufWriter::new(file))?)),
        Target::Records(format) => {
            let mut out = BufWriter::with_capacity(1 << 20, file);
            out.write_all(format.begin().as_bytes())?;
            Sink::Records { format, out, n: 0, buf: Vec::new() }
        }
    };
    let result = fill(archive, args, &mut sink, &partial).and_then(|n| {
        sink.finish().with_context(|| format!("writing {}", partial.display()))?;
        Ok(n)
    });
    match result {
        Ok(n) => {
            std::fs::rename(&partial, &args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
            eprintln!("{n} records written to {}", args.out.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// `out.parquet` is written as `out.parquet.partial` until complete.
fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

/// Writes every record (or every hit) into the sink; the number written.
fn fill(archive: &Archive, args: &Args, sink: &mut Sink, path: &Path) -> anyhow::Result<u64> {
    let io = |error| EngineError::Io { path: path.to_owned(), error };
    let bar = |total: u64| {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr_with_hz(4));
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} records, {per_sec}, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    };
    let mut n = 0u64;
    match &args.query {
        None => {
            let progress = bar(archive.store.stats()?.records);
            archive.store.for_each_current(|stored| {
                sink.push(&stored).map_err(io)?;
                n += 1;
                progress.inc(1);
                Ok(())
            })?;
            progress.finish_and_clear();
        }
        Some(query) => {
            let options = SearchOptions { sort: Sort::PubDate, limit: 1_000, offset: 0, today: engine::today() };
            let first = archive.search(query, &options)?;
            for w in &first.warnings {
                eprintln!("warning: {w}");
            }
            let progress = bar(first.count as u64);
            for stored in crate::search::every_hit(archive, query, options, first.pmids) {
                sink.push(&stored?).map_err(io)?;
                n += 1;
                progress.inc(1);
            }
            progress.finish_and_clear();
        }
    }
    Ok(n)
}
