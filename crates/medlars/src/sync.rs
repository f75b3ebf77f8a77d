//! `medlars sync`: brings the archive up to NLM's current files. Reads the baseline and update
//! listings, plans the files not yet applied (the whole baseline, then updates by number),
//! downloads several at once and applies each, in order, as soon as it and every file before it
//! have arrived. A run stopped anywhere (a failure, Ctrl-C, `kill -9`) loses nothing: applied
//! files are in the store's log, downloads in progress are resumed, and the next run goes on.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::channel;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use engine::{Archive, FileOutcome, ingest_file};
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use mirror::{Directory, MirrorError, NlmFile, Retry, Source};

#[derive(clap::Args)]
pub struct Args {
    /// Base URL of a tree laid out as NLM's (`baseline/`, `updatefiles/`).
    #[arg(long, default_value = "https://ftp.ncbi.nlm.nih.gov/pubmed/")]
    source: String,
    /// Files downloaded at once.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=16))]
    jobs: u16,
    /// Keep each file in DATA/downloads after it is applied.
    #[arg(long, overrides_with = "no_keep_files")]
    keep_files: bool,
    /// Delete each file once applied (the default).
    #[arg(long)]
    no_keep_files: bool,
    /// Seconds before the first retry of a failed request (each later wait doubles).
    #[arg(long, default_value_t = 1.0, hide = true)]
    retry_wait: f64,
}

/// A file to get, from which directory.
struct Planned {
    directory: Directory,
    file: NlmFile,
}

pub fn run(data: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let retry = Retry { first_wait: Duration::from_secs_f64(args.retry_wait.max(0.0)), ..Retry::default() };
    let source = Source::new(&args.source, retry);
    let listings = Listings::read(&source)?;
    let archive = Archive::open(data).with_context(|| format!("cannot open the store in {}", data.display()))?;
    for removed in engine::location::remove_replaced(data)? {
        eprintln!("removed {}: an older baseline's archive, replaced", removed.display());
    }
    let held = years_applied(&archive)?;
    let Some(older) = held.iter().copied().max().filter(|&y| y < listings.year) else {
        return finish(&archive, sync_archive(&archive, &source, &listings, args)?);
    };
    // A new year's baseline replaces every record: built beside the archive, which serves on.
    let name = engine::location::baseline_dir_name(listings.year);
    let beside = data.join(&name);
    eprintln!(
        "NLM has issued a new baseline (pubmed{:02}n; this archive holds pubmed{older:02}n). Building it in {}; \
         the current archive serves until it is complete, then is replaced",
        listings.year,
        beside.display()
    );
    let building = Archive::open(&beside).with_context(|| format!("cannot open the store in {}", beside.display()))?;
    let failure = sync_archive(&building, &source, &listings, args)?;
    if failure.is_some() {
        return finish(&building, failure);
    }
    engine::vocabulary::MeshStore::copy_file(archive.dir(), building.dir())?;
    drop((archive, building));
    engine::location::switch_to(data, &name)?;
    println!("Switched to the pubmed{:02}n baseline in {}.", listings.year, beside.display());
    for removed in engine::location::remove_replaced(data)? {
        eprintln!("removed {}: the pubmed{older:02}n archive", removed.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The exit status of a sync that stopped at `failure` (or completed), after saying so.
fn finish(archive: &Archive, failure: Option<String>) -> anyhow::Result<ExitCode> {
    let Some(message) = failure else { return Ok(ExitCode::SUCCESS) };
    eprintln!("error: {message}");
    eprintln!(
        "hint: run `medlars sync` again to resume from here (the store {} holds every file before it)",
        archive.dir().display()
    );
    Ok(ExitCode::FAILURE)
}

/// Applies to `archive` what the listings show it lacks; the failure it stopped at, if any.
fn sync_archive(
    archive: &Archive,
    source: &Source,
    listings: &Listings,
    args: &Args,
) -> anyhow::Result<Option<String>> {
    let plan = plan(archive, listings)?;
    if plan.is_empty() {
        println!(
            "Up to date: every file NLM lists is applied. The store holds {} records.",
            archive.store.stats()?.records
        );
        return Ok(None);
    }
    check_disk(archive.dir(), &plan, usize::from(args.jobs))?;
    let downloads = archive.dir().join("downloads");
    std::fs::create_dir_all(&downloads).with_context(|| downloads.display().to_string())?;
    let report = apply_while_downloading(archive, source, &plan, &downloads, args)?;
    println!(
        "{} of {} files applied ({} downloaded), {} records in {:.1} s. The store holds {} records.",
        report.applied,
        plan.len(),
        HumanBytes(report.bytes),
        report.records,
        report.seconds,
        archive.store.stats()?.records
    );
    Ok(report.failure)
}

/// What NLM's two directories list, and the year of the newest baseline.
struct Listings {
    baseline: Vec<NlmFile>,
    updates: Vec<NlmFile>,
    year: u8,
}

impl Listings {
    fn read(source: &Source) -> anyhow::Result<Listings> {
        let baseline = source.listing(Directory::Baseline)?;
        let updates = match source.listing(Directory::Updates) {
            Ok(files) => files,
            // Right after a new baseline, the update directory lists nothing yet.
            Err(MirrorError::ForeignListing { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let year = baseline.iter().map(|f| f.year).max().expect("a listing has files");
        Ok(Listings { baseline, updates, year })
    }
}

/// The names of the NLM files the store has applied.
fn applied_names(archive: &Archive) -> anyhow::Result<HashSet<String>> {
    Ok(archive
        .store
        .files()?
        .into_iter()
        .filter_map(|entry| Path::new(&entry.path).file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect())
}

/// The years (`26` of `pubmed26n`) of the NLM files the store has applied.
fn years_applied(archive: &Archive) -> anyhow::Result<HashSet<u8>> {
    Ok(applied_names(archive)?.iter().filter_map(|n| NlmFile::from_name(n)).map(|f| f.year).collect())
}

/// The files of the listings' year that the store has not applied: the baseline's, then the
/// updates.
fn plan(archive: &Archive, listings: &Listings) -> anyhow::Result<Vec<Planned>> {
    let applied = &applied_names(archive)?;
    let year = listings.year;
    let current = |directory: Directory| {
        move |file: &NlmFile| {
            (file.year == year && !applied.contains(&file.name)).then(|| Planned { directory, file: file.clone() })
        }
    };
    let mut plan: Vec<Planned> = listings.baseline.iter().filter_map(current(Directory::Baseline)).collect();
    plan.extend(listings.updates.iter().filter_map(current(Directory::Updates)));
    Ok(plan)
}

/// Bytes of store and index per byte of NLM's gzip files (1.42 measured at 1M and 5M generated
/// records, BENCHMARKS.md), with the stored term arrays and a margin.
const ARCHIVE_PER_SOURCE_BYTE: f64 = 1.6;

/// Says how much disk the plan needs (from the sizes the listings show) and refuses when the data
/// directory's file system has less free.
fn check_disk(dir: &Path, plan: &[Planned], jobs: usize) -> anyhow::Result<()> {
    let listed: Vec<u64> = plan.iter().filter_map(|p| p.file.listed_bytes).collect();
    if listed.is_empty() {
        eprintln!("{} files to get (the listing gives no sizes, so the disk needed is not known)", plan.len());
        return Ok(());
    }
    // Files without a listed size are taken to be of the mean size of the others.
    let mean = listed.iter().sum::<u64>() / listed.len() as u64;
    let sizes: Vec<u64> = plan.iter().map(|p| p.file.listed_bytes.unwrap_or(mean)).collect();
    let source: u64 = sizes.iter().sum();
    let in_flight = sizes.iter().max().copied().unwrap_or(0) * (AHEAD_PER_JOB * jobs) as u64;
    let need = (source as f64 * ARCHIVE_PER_SOURCE_BYTE) as u64 + in_flight;
    std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    let free = fs4::available_space(dir).with_context(|| format!("free space of {}", dir.display()))?;
    eprintln!(
        "{} files to get, {} to download; the archive needs about {} more ({} free)",
        plan.len(),
        HumanBytes(source),
        HumanBytes(need),
        HumanBytes(free)
    );
    if need > free {
        bail!(
            "not enough disk in {}: about {} needed, {} free; free some space or sync into another --data directory",
            dir.display(),
            HumanBytes(need),
            HumanBytes(free)
        );
    }
    Ok(())
}

struct Report {
    applied: usize,
    records: u64,
    bytes: u64,
    seconds: f64,
    failure: Option<String>,
}

/// Downloads at most this many files ahead of the one being applied, per job: bounds the disk.
const AHEAD_PER_JOB: usize = 2;

/// What the downloading threads share with the applying one.
struct Downloads<'a> {
    source: &'a Source,
    plan: &'a [Planned],
    dir: &'a Path,
    /// Bytes received so far, by every thread.
    received: AtomicU64,
    /// The next file of the plan to download.
    next: AtomicUsize,
    /// Set when applying stopped: the threads start nothing more.
    stop: AtomicBool,
    /// Files applied so far; a thread waits while it would run too far ahead of them.
    applied: (Mutex<usize>, Condvar),
    ahead: usize,
}

impl Downloads<'_> {
    /// One downloading thread: takes the next file of the plan until none is left.
    fn work(&self, done: &std::sync::mpsc::Sender<(usize, Result<PathBuf, MirrorError>)>) {
        loop {
            let i = self.next.fetch_add(1, Ordering::SeqCst);
            if i >= self.plan.len() {
                return;
            }
            let mut applied = self.applied.0.lock().expect("applied lock");
            while i >= *applied + self.ahead && !self.stop.load(Ordering::SeqCst) {
                applied = self.applied.1.wait(applied).expect("applied lock");
            }
            drop(applied);
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let Planned { directory, file } = &self.plan[i];
            let count = |n: u64| {
                self.received.fetch_add(n, Ordering::Relaxed);
            };
            if done.send((i, self.source.download(*directory, file, self.dir, &count))).is_err() {
                return;
            }
        }
    }

    fn applied_up_to(&self, files: usize) {
        *self.applied.0.lock().expect("applied lock") = files;
        self.applied.1.notify_all();
    }

    fn halt(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.applied.1.notify_all();
    }
}

/// Downloading threads hand files over as they complete; this thread applies them in plan order,
/// and stops at the first that fails (a later file may depend on it).
fn apply_while_downloading(
    archive: &Archive,
    source: &Source,
    plan: &[Planned],
    dir: &Path,
    args: &Args,
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let bar = progress_bar(plan.len());
    let downloads = Downloads {
        source,
        plan,
        dir,
        received: AtomicU64::new(0),
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        applied: (Mutex::new(0), Condvar::new()),
        ahead: AHEAD_PER_JOB * usize::from(args.jobs),
    };
    let mut indexer = archive.indexer()?;
    let mut report = Report { applied: 0, records: 0, bytes: 0, seconds: 0.0, failure: None };
    std::thread::scope(|scope| {
        let (tx, rx) = channel();
        for _ in 0..args.jobs {
            let tx = tx.clone();
            let downloads = &downloads;
            scope.spawn(move || downloads.work(&tx));
        }
        drop(tx);
        let mut arrived = Arrivals { rx, early: BTreeMap::new() };
        let mut progress = RecordCount { bar: &bar, before: 0, started, received: &downloads.received };
        for (want, planned) in plan.iter().enumerate() {
            bar.set_prefix(planned.file.name.clone());
            let outcome = match arrived.take(want) {
                Some(Ok(path)) => apply(archive, &mut indexer, &path, &mut progress, args.keep_files),
                Some(Err(e)) => Err(e.into()),
                None => Err(anyhow::anyhow!("its download stopped without a result")),
            };
            match outcome {
                Ok(records) => {
                    report.applied += 1;
                    report.records += records;
                    progress.before = report.records;
                    bar.inc(1);
                    downloads.applied_up_to(want + 1);
                }
                Err(e) => {
                    report.failure = Some(format!("{}: {e:#}", planned.file.name));
                    break;
                }
            }
        }
        downloads.halt();
    });
    bar.set_message("merging index segments");
    indexer.finish()?;
    bar.finish_and_clear();
    report.bytes = downloads.received.load(Ordering::Relaxed);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Downloads as the threads finish them, handed out in plan order.
struct Arrivals {
    rx: std::sync::mpsc::Receiver<(usize, Result<PathBuf, MirrorError>)>,
    /// Finished before an earlier file of the plan.
    early: BTreeMap<usize, Result<PathBuf, MirrorError>>,
}

impl Arrivals {
    /// The download of plan entry `want`, waiting for it; None if the threads stopped first.
    fn take(&mut self, want: usize) -> Option<Result<PathBuf, MirrorError>> {
        while !self.early.contains_key(&want) {
            let (i, result) = self.rx.recv().ok()?;
            self.early.insert(i, result);
        }
        self.early.remove(&want)
    }
}

/// Applies one downloaded file (deleting it after, unless kept); its records.
fn apply(
    archive: &Archive,
    indexer: &mut engine::Indexer,
    path: &Path,
    progress: &mut RecordCount,
    keep: bool,
) -> anyhow::Result<u64> {
    let (FileOutcome::Applied(entry) | FileOutcome::AlreadyApplied(entry)) =
        ingest_file(archive, indexer, path, progress)?;
    if !keep {
        std::fs::remove_file(path).with_context(|| path.display().to_string())?;
    }
    Ok(entry.records)
}

fn progress_bar(files: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr_with_hz(4));
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {pos}/{len} files, {eta} left · {prefix} · {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// Shows the records applied and their rate, and the bytes downloaded, as a file is applied.
struct RecordCount<'a> {
    bar: &'a ProgressBar,
    before: u64,
    started: Instant,
    received: &'a AtomicU64,
}

impl engine::Progress for RecordCount<'_> {
    fn advanced(&mut self, _bytes: u64, records: u64) {
        let all = self.before + records;
        let rate = all as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        let bytes = HumanBytes(self.received.load(Ordering::Relaxed));
        self.bar.set_message(format!("{bytes} downloaded, {all} records, {rate:.0}/s"));
    }
}
