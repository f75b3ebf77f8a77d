//! `medlars ingest`: applies files in order with a progress bar, reports each failure on one line
//! and carries on with the next file, then prints what changed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use engine::{Archive, FileOutcome, expand_paths, ingest_file};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const NLM_HINT: &str = "NLM publishes PubMed as gzip XML files: the annual baseline at \
https://ftp.ncbi.nlm.nih.gov/pubmed/baseline/ and daily updates at \
https://ftp.ncbi.nlm.nih.gov/pubmed/updatefiles/; download them and run `medlars ingest DIR`";

/// Shows bytes of all files and the record rate, file by file.
struct Bar {
    bar: ProgressBar,
    done_before: u64,
    records_before: u64,
    started: Instant,
    /// The file being applied.
    file: PathBuf,
}

impl engine::Progress for Bar {
    fn advanced(&mut self, bytes: u64, records: u64) {
        self.bar.set_position(self.done_before + bytes);
        let all = self.records_before + records;
        let rate = all as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!("{all} records, {rate:.0}/s"));
    }

    fn warned(&mut self, warning: &medline::ReadWarning) {
        let file = self.file.display();
        self.bar.suspend(|| eprintln!("warning: {file}: {warning}"));
    }
}

#[derive(Default)]
struct Totals {
    applied: u64,
    already: u64,
    failed: u64,
    records: u64,
    added: u64,
    replaced: u64,
    deleted: u64,
}

pub fn run(archive: &Archive, args: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut totals = Totals::default();
    let mut files = Vec::new();
    let mut spooled = Vec::new();
    for arg in args {
        if let Some(stream) = stream_input(arg) {
            match spool(&stream, arg, &archive.dir().join("spool")) {
                Ok(copy) => {
                    files.push(copy.clone());
                    spooled.push(copy);
                }
                Err(e) => {
                    totals.failed += 1;
                    eprintln!("error: {e:#}");
                }
            }
            continue;
        }
        match expand_paths(arg) {
            Ok(found) => files.extend(found),
            Err(e) => {
                totals.failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if args.iter().any(|a| !a.exists() && a.as_os_str() != "-") {
        eprintln!("hint: {NLM_HINT}");
    }
    let mut indexer = archive.indexer()?;
    let total_bytes = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr_with_hz(4));
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} file {prefix} · {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    let mut progress = Bar { bar, done_before: 0, records_before: 0, started: Instant::now(), file: PathBuf::new() };
    let n = files.len();
    for (i, path) in files.iter().enumerate() {
        progress.bar.set_prefix(format!("{}/{n} {}", i + 1, short_name(path)));
        progress.file.clone_from(path);
        match ingest_file(archive, &mut indexer, path, &mut progress) {
            Ok(FileOutcome::Applied(entry)) => {
                totals.applied += 1;
                totals.records += entry.records;
                totals.added += entry.added;
                totals.replaced += entry.replaced;
                totals.deleted += entry.deleted;
                progress.records_before += entry.records;
            }
            Ok(FileOutcome::AlreadyApplied(_)) => totals.already += 1,
            Err(e) => {
                totals.failed += 1;
                progress.bar.suspend(|| eprintln!("error: {e}"));
            }
        }
        progress.done_before += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        progress.bar.set_position(progress.done_before);
    }
    progress.bar.set_message("merging index segments");
    indexer.finish()?;
    for copy in spooled {
        let _ = std::fs::remove_file(copy);
    }
    progress.bar.finish_and_clear();
    let seconds = progress.started.elapsed().as_secs_f64();
    let stats = archive.store.stats()?;
    println!(
        "{} files applied, {} already applied, {} failed; {} records read in {seconds:.1} s ({:.0}/s): \
         {} added, {} replaced, {} deleted. The store holds {} records.",
        totals.applied,
        totals.already,
        totals.failed,
        totals.records,
        totals.records as f64 / seconds.max(1e-3),
        totals.added,
        totals.replaced,
        totals.deleted,
        stats.records,
    );
    Ok(if totals.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// What to read once, as a stream, rather than as a file read twice (once for its checksum,
/// once to apply it): `-` for standard input, and a named pipe or device.
enum Stream {
    Stdin,
    Pipe,
}

fn stream_input(arg: &Path) -> Option<Stream> {
    if arg.as_os_str() == "-" {
        return Some(Stream::Stdin);
    }
    let meta = std::fs::metadata(arg).ok()?;
    (!meta.is_file() && !meta.is_dir()).then_some(Stream::Pipe)
}

/// Copies a stream whole into `dir`, under its own name (`stdin` for standard input), so that it is
/// read once and then applied as a file.
fn spool(stream: &Stream, arg: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    let name = match stream {
        Stream::Stdin => "stdin".into(),
        Stream::Pipe => arg.file_name().map_or_else(|| "stream".into(), |n| n.to_owned()),
    };
    let copy = dir.join(name);
    let mut out = std::fs::File::create(&copy).with_context(|| copy.display().to_string())?;
    let copied = match stream {
        Stream::Stdin => std::io::copy(&mut std::io::stdin().lock(), &mut out),
        Stream::Pipe => std::fs::File::open(arg).and_then(|mut input| std::io::copy(&mut input, &mut out)),
    };
    copied.with_context(|| format!("reading {}", arg.display()))?;
    Ok(copy)
}

fn short_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
