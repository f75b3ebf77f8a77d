//! `medlars ingest`: applies files in order with a progress bar, reports each failure on one line
//! and carries on with the next file, then prints what changed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

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
}

impl engine::Progress for Bar {
    fn advanced(&mut self, bytes: u64, records: u64) {
        self.bar.set_position(self.done_before + bytes);
        let all = self.records_before + records;
        let rate = all as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!("{all} records, {rate:.0}/s"));
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
    for arg in args {
        match expand_paths(arg) {
            Ok(found) => files.extend(found),
            Err(e) => {
                totals.failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if args.iter().any(|a| !a.exists()) {
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
    let mut progress = Bar { bar, done_before: 0, records_before: 0, started: Instant::now() };
    let n = files.len();
    for (i, path) in files.iter().enumerate() {
        progress.bar.set_prefix(format!("{}/{n} {}", i + 1, short_name(path)));
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

fn short_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
