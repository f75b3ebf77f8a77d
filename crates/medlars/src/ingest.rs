//! `medlars ingest`: applies files in order with a progress bar, reports each failure on one line
//! and carries on with the next file, then prints what changed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use engine::{Archive, FileOutcome, expand_paths, ingest_files};
use indicatif::{HumanCount, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};

const NLM_HINT: &str = "NLM publishes PubMed as gzip XML files: the annual baseline at \
https://ftp.ncbi.nlm.nih.gov/pubmed/baseline/ and daily updates at \
https://ftp.ncbi.nlm.nih.gov/pubmed/updatefiles/; download them and run `medlars ingest DIR`";

/// What an ingest shows while it runs, honest for a three-hour baseline: the phase, the file
/// (of how many), records and their rate, and the time left at the rate of this run's bytes.
/// On a terminal a bar; otherwise (a log, cron) one line per file.
struct Bar {
    bar: ProgressBar,
    terminal: bool,
    /// Bytes of the files applied (or skipped) so far in this run, and of all its files.
    done_before: u64,
    total: u64,
    /// Bytes of files found already applied: not work, so not in the rate.
    skipped: u64,
    records_before: u64,
    started: Instant,
    /// The file being applied, and which of how many.
    file: PathBuf,
    place: (usize, usize),
    /// What the files applied so far came to.
    totals: Totals,
}

impl Bar {
    fn new(total: u64, files: usize, totals: Totals) -> Bar {
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let target = if terminal { ProgressDrawTarget::stderr_with_hz(4) } else { ProgressDrawTarget::hidden() };
        let bar = ProgressBar::with_draw_target(Some(total), target);
        bar.set_style(
            ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} · {msg}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(250));
        let (done_before, skipped, records_before) = (0, 0, 0);
        Bar {
            bar,
            terminal,
            done_before,
            total,
            skipped,
            records_before,
            started: Instant::now(),
            file: PathBuf::new(),
            place: (0, files),
            totals,
        }
    }

    /// `loading file 3/1334 pubmed26n0003.xml.gz · 91,203 records, 3,912/s · about 3 hours left`
    fn status(&self, doing: &str, bytes: u64, records: u64) -> String {
        let elapsed = self.started.elapsed().as_secs_f64().max(1e-3);
        let all = self.records_before + records;
        let worked = (self.done_before + bytes).saturating_sub(self.skipped);
        let left = self.total.saturating_sub(self.done_before + bytes);
        let time_left = match worked {
            0 => "time left not known yet".to_owned(),
            _ => {
                format!("about {} left", HumanDuration(Duration::from_secs_f64(left as f64 * elapsed / worked as f64)))
            }
        };
        let (i, n) = self.place;
        let rate = HumanCount((all as f64 / elapsed) as u64);
        format!("{doing} file {i}/{n} {} · {} records, {rate}/s · {time_left}", short_name(&self.file), HumanCount(all))
    }

    /// A file finished: counted, and said on its own line where no bar is drawn.
    fn file_done(&mut self, bytes: u64, records: u64, applied: bool) {
        if !applied {
            self.skipped += bytes;
        }
        self.done_before += bytes;
        self.records_before += records;
        self.bar.set_position(self.done_before);
        if !self.terminal {
            let (i, n) = self.place;
            let name = short_name(&self.file);
            if applied {
                eprintln!("{}", self.status("applied", 0, 0));
            } else {
                eprintln!("file {i}/{n} {name} was applied before: skipped");
            }
        }
    }

    fn phase(&self, text: &str) {
        self.bar.set_message(text.to_owned());
        if !self.terminal {
            eprintln!("{text}");
        }
    }
}

impl engine::Progress for Bar {
    fn file_started(&mut self, index: usize, path: &Path) {
        self.place.0 = index + 1;
        self.file = path.to_owned();
    }

    fn file_finished(&mut self, _: usize, path: &Path, outcome: &engine::Result<FileOutcome>) {
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let (records, applied) = match outcome {
            Ok(FileOutcome::Applied(entry)) => {
                self.totals.applied += 1;
                self.totals.records += entry.records;
                self.totals.added += entry.added;
                self.totals.replaced += entry.replaced;
                self.totals.deleted += entry.deleted;
                (entry.records, true)
            }
            Ok(FileOutcome::AlreadyApplied(_)) => {
                self.totals.already += 1;
                (0, false)
            }
            Err(e) => {
                self.totals.failed += 1;
                self.bar.suspend(|| eprintln!("error: {e}"));
                (0, true)
            }
        };
        self.file_done(bytes, records, applied);
    }

    fn advanced(&mut self, bytes: u64, records: u64) {
        self.bar.set_position(self.done_before + bytes);
        self.bar.set_message(self.status("loading", bytes, records));
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

pub fn run(archive: &Archive, args: &[PathBuf], jobs: usize) -> anyhow::Result<ExitCode> {
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
    let mut progress = Bar::new(total_bytes, files.len(), totals);
    ingest_files(archive, &mut indexer, &files, jobs, &mut progress);
    let loaded = progress.started.elapsed();
    progress.phase("merging index segments (the last phase; it grows with the index)");
    indexer.finish()?;
    let merged = progress.started.elapsed() - loaded;
    for copy in spooled {
        let _ = std::fs::remove_file(copy);
    }
    progress.bar.finish_and_clear();
    let seconds = progress.started.elapsed().as_secs_f64();
    let stats = archive.store.stats()?;
    let totals = &progress.totals;
    println!(
        "{} files applied, {} already applied, {} failed; {} records read in {seconds:.1} s ({:.0}/s; merging \
         {:.1} s of it): {} added, {} replaced, {} deleted. The store holds {} records.",
        totals.applied,
        totals.already,
        totals.failed,
        totals.records,
        totals.records as f64 / seconds.max(1e-3),
        merged.as_secs_f64(),
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
