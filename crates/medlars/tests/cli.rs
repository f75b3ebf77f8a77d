//! The `medlars` binary end to end: ingest, fetch, stats, bad input and crashes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use medline::{ArticleSetReader, Item, parse_record};
use testdata::{Expected, REFUSED};

mod common;
use common::{medlars, scratch};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What the ingest tests apply: the shared corpus (every DTD since 2002, deletions, a file to
/// refuse) and the seed record.
fn corpus(shared: &Path) -> Vec<PathBuf> {
    vec![shared.join("data/pubmed"), shared.join("seed/pubmed-28257650.xml")]
}

fn ingest_corpus(data: &Path, shared: &Path) -> Output {
    medlars(data).arg("ingest").args(corpus(shared)).output().unwrap()
}

/// Hit counts of a few queries: equal counts after a crash mean the index agrees with the store.
fn counts(data: &Path) -> Vec<String> {
    ["all[sb]", "amyloid[ti]", "alzheimer*[tiab] NOT mice[mh]", "2020:2022[dp]", "smith[au]"]
        .iter()
        .map(|q| {
            let out = medlars(data).args(["search", q, "--count"]).output().unwrap();
            assert!(out.status.success(), "{q}: {}", text(&out.stderr));
            text(&out.stdout).trim().to_owned()
        })
        .collect()
}

fn digest(data: &Path) -> String {
    let out = medlars(data).args(["stats", "--digest"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    stdout.lines().find_map(|l| l.strip_prefix("digest")).expect("a digest line").trim().to_owned()
}

#[test]
fn ingest_then_fetch_gives_nlms_bytes() {
    let Some(shared) = testdata::shared() else { return };
    let data = scratch("fetch-round-trip");
    let out = ingest_corpus(&data, &shared);
    // One refused file makes the exit status non-zero, and only that file is reported.
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    let errors: Vec<_> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains(REFUSED) && errors[0].contains("line 7, column"), "{stderr}");

    let expected = Expected::of(&testdata::corpus_files(&shared), &[REFUSED]);
    let summary = text(&out.stdout);
    assert!(summary.contains(&format!("The store holds {} records", expected.records.len())), "{summary}");

    // Fetch every current record in one call, in PMID order.
    let current: Vec<_> = expected.current().collect();
    let out = medlars(&data).arg("fetch").args(current.iter().map(|(id, ..)| id.to_string())).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.starts_with(medline::xml::HEADER.as_bytes()));
    let mut reader = ArticleSetReader::new(std::io::Cursor::new(out.stdout.clone())).unwrap();
    let mut n = 0;
    while let Some(item) = reader.next_item().unwrap() {
        let Item::Record(fetched) = item else { panic!("no deletions in fetch output") };
        let (id, _, original) = current[n];
        assert_eq!(fetched.record.pmid().id, id);
        // NLM's bytes, except that bare MedlineCitations come wrapped in <PubmedArticle>.
        let inner: &[u8] = match fetched.xml.strip_prefix(b"<PubmedArticle>".as_slice()) {
            Some(rest) if original.starts_with(b"<MedlineCitation") => &rest[..rest.len() - b"</PubmedArticle>".len()],
            _ => &fetched.xml,
        };
        assert_eq!(inner, original, "PMID {id}");
        assert_eq!(fetched.record, parse_record(original).unwrap(), "PMID {id}");
        n += 1;
    }
    assert_eq!(n, current.len());

    // JSON is the model.
    let out = medlars(&data).args(["fetch", "28257650", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let json: Vec<medline::Record> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0].pmid().id, 28257650);
    assert_eq!(json[0], parse_record(current.iter().find(|c| c.0 == 28257650).unwrap().2).unwrap());

    // Unknown and deleted PMIDs are named; the rest still print.
    let deleted = expected.deleted_while_held.iter().next().unwrap();
    let out = medlars(&data).args(["fetch", "28257650", "999999999", &deleted.to_string()]).output().unwrap();
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("PMID 999999999 is not in the store"), "{stderr}");
    assert!(stderr.contains(&format!("PMID {deleted} was deleted by ")), "{stderr}");
    assert!(text(&out.stdout).contains("<PMID Version=\"1\">28257650</PMID>"));
    let out = medlars(&data).args(["fetch", "12abc"]).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("\"12abc\" is not a PMID"));

    // Stats.
    let out = medlars(&data).arg("stats").output().unwrap();
    let stats = text(&out.stdout);
    assert!(stats.contains(&format!("records          {}", expected.records.len())), "{stats}");
}

#[test]
fn bad_input_is_reported_per_file_and_the_rest_still_runs() {
    let Some(shared) = testdata::shared() else { return };
    let data = scratch("bad-input");
    let empty_dir = scratch("bad-input-empty-dir");
    std::fs::write(empty_dir.join("notes.txt"), "no XML here").unwrap();
    let seed = shared.join("seed/pubmed-28257650.xml");
    let out = medlars(&data)
        .arg("ingest")
        .arg(shared.join("data/pubmed-malformed"))
        .arg(&empty_dir)
        .arg(&seed)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    let errors: Vec<_> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 4, "{stderr}");
    for name in ["bare-ampersands", "record-without-pmid", "truncated"] {
        let line = errors.iter().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name}: {stderr}"));
        assert!(line.contains(": line "), "{line}");
    }
    assert!(errors.iter().any(|l| l.contains("no .xml or .xml.gz files in this directory")), "{stderr}");
    let out = medlars(&data).args(["fetch", "28257650"]).output().unwrap();
    assert!(out.status.success(), "the good file after the bad ones was applied");
    let out = medlars(&data).arg("stats").output().unwrap();
    // The seed, and the file of records saved with no set around them.
    assert!(text(&out.stdout).contains("files applied    2"), "{}", text(&out.stdout));

    let out = medlars(&data).arg("ingest").arg(data.join("no-such-file.xml.gz")).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("ftp.ncbi.nlm.nih.gov/pubmed/baseline"));
}

#[test]
fn data_directory_comes_from_flag_env_or_default() {
    let cwd = scratch("data-dir");
    let Some((seed, _)) = testdata::real_record_set() else { return };
    let bin = env!("CARGO_BIN_EXE_medlars");
    let run = |args: &[&str], env: Option<&Path>| {
        let mut cmd = Command::new(bin);
        cmd.current_dir(&cwd).env_remove("MEDLARS_DATA").args(args);
        if let Some(dir) = env {
            cmd.env("MEDLARS_DATA", dir);
        }
        cmd.output().unwrap()
    };
    assert!(run(&["ingest", seed.to_str().unwrap()], None).status.success());
    assert!(cwd.join("medlars-data/store.redb").exists());
    let elsewhere = cwd.join("elsewhere");
    assert!(run(&["ingest", seed.to_str().unwrap()], Some(&elsewhere)).status.success());
    assert!(elsewhere.join("store.redb").exists());
    let out = run(&["stats"], Some(&elsewhere));
    assert!(text(&out.stdout).contains("elsewhere/store.redb"), "{}", text(&out.stdout));
    // The flag wins over the environment; reading a store that is not there says what to do.
    let out = run(&["--data", "flagged", "stats"], Some(&elsewhere));
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no store in flagged: run `medlars ingest` first"), "{}", text(&out.stderr));
}

/// A tiny deterministic generator, so a failing run can be repeated from its printed seed.
struct Lcg(u64);

impl Lcg {
    fn next_fraction(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn killed_ingests_resume_to_the_same_store() {
    let Some(shared) = testdata::shared() else { return };
    let inputs = corpus(&shared);
    let ingest = |data: &Path| medlars(data).arg("ingest").args(&inputs).output().unwrap();
    let clean = scratch("crash-clean");
    let started = Instant::now();
    ingest(&clean);
    let clean_time = started.elapsed();
    let clean_digest = digest(&clean);
    let clean_counts = counts(&clean);

    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    eprintln!("crash test seed {seed}, clean run {clean_time:?}");
    let mut rng = Lcg(seed);
    let files_applied = |data: &Path| -> u64 {
        let out = medlars(data).arg("stats").output().unwrap();
        let stdout = text(&out.stdout);
        stdout.lines().find_map(|l| l.strip_prefix("files applied")).map_or(0, |n| n.trim().parse().unwrap())
    };
    let all_files = files_applied(&clean);
    let mut interrupted_midway = 0;
    for round in 0..6 {
        let data = scratch(&format!("crash-{round}"));
        // Kill one to three times at random moments before letting a run finish; the more kills,
        // the sooner each, so that together they still fall within one run's time.
        let kills = 1 + round % 3;
        for _ in 0..kills {
            let delay = clean_time.mul_f64(rng.next_fraction() / kills as f64);
            let mut child = medlars(&data)
                .arg("ingest")
                .args(&inputs)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(delay.max(Duration::from_millis(1)));
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
        }
        let applied = files_applied(&data);
        eprintln!("round {round}: {applied} of {all_files} files applied when killed");
        if applied > 0 && applied < all_files {
            interrupted_midway += 1;
        }
        ingest(&data);
        assert_eq!(digest(&data), clean_digest, "round {round}, seed {seed}");
        assert_eq!(counts(&data), clean_counts, "round {round}, seed {seed}: the index agrees with the store");
    }
    assert!(interrupted_midway >= 2, "the kills should land mid-ingest (seed {seed})");
}

#[test]
fn search_prints_count_translation_and_hits() {
    let Some(records) = testdata::real_records() else { return };
    let Some(descriptors) = testdata::real_descriptors() else { return };
    let data = scratch("search-cli");
    let out = medlars(&data).arg("ingest").arg(records).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = medlars(&data)
        .args(["search", "amyloid[ti] AND mice[mh]", "--format", "ids", "--limit", "1000"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let count: usize = stderr.lines().find_map(|l| l.strip_prefix("count: ")).unwrap().parse().unwrap();
    assert!(stderr.contains("translation: \"amyloid\"[Title] AND \"mice\"[MeSH Terms]"), "{stderr}");
    assert!(stderr.contains("MeSH is not loaded"), "{stderr}");
    assert_eq!(text(&out.stdout).lines().count(), count);
    assert!(count > 0);

    let out = medlars(&data).args(["search", "amyloid[ti] AND mice[mh]", "--count"]).output().unwrap();
    assert_eq!(text(&out.stdout).trim(), count.to_string());

    let out = medlars(&data).args(["search", "amyloid[ti]\nmice[mh]\n#1 AND #2", "--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["lines"].as_array().unwrap().len(), 3);
    assert_eq!(json["count"].as_u64().unwrap() as usize, count);

    let out = medlars(&data).args(["mesh", "load"]).arg(&descriptors).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = medlars(&data).args(["search", "dementia[mh]", "--count"]).output().unwrap();
    let exploded: usize = text(&out.stdout).trim().parse().unwrap();
    let out = medlars(&data).args(["search", "dementia[mh:noexp]", "--count"]).output().unwrap();
    let exact: usize = text(&out.stdout).trim().parse().unwrap();
    assert!(exploded > exact, "{exploded} > {exact}");

    let out = medlars(&data).args(["search", "cancer", "--limit", "3"]).output().unwrap();
    let stdout = text(&out.stdout);
    assert!(stdout.contains("translation: \"neoplasms\"[MeSH Terms] OR"), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).count(), 3, "{stdout}");

    for (bad, message) in [
        ("NOT amyloid", "NOT has nothing before it: put a search before it (at position 0)"),
        ("amyloid AND", "AND has nothing after it: add a search after it, or remove it (at position 8)"),
        ("(exp Dementia/ adj3 memory).ti.", "adj joins words and phrases"),
    ] {
        let out = medlars(&data).args(["search", bad]).output().unwrap();
        assert!(!out.status.success(), "{bad}");
        assert!(text(&out.stderr).contains(message), "{bad}: {}", text(&out.stderr));
    }
    // Ovid's syntax runs, each line's dialect, count and PubMed translation shown.
    let out = medlars(&data).args(["search", "exp Dementia/\ndementia.ti.\n1 or 2", "--limit", "0"]).output().unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("#1   Ovid") && stdout.contains("\"Dementia\"[MeSH Terms]"), "{stdout}");
    assert!(stdout.contains("translation: #1 OR #2"), "{stdout}");
    let out = medlars(&data).args(["search", "exp Dementia/", "--count"]).output().unwrap();
    assert_eq!(text(&out.stdout).trim().parse::<usize>().unwrap(), exploded);
    let out = medlars(&data).args(["search", "x", "--sort", "sideways"]).output().unwrap();
    assert!(!out.status.success() && text(&out.stderr).contains("unknown sort"));

    // A strategy repeating a line's query reuses its hits; the figures say so.
    let out = medlars(&data)
        .args(["search", "amyloid[ti]\namyloid[ti] AND mice[mh]", "--count", "--cache-stats"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    let reused: u64 = stderr
        .split_once("search cache: ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(reused >= 1, "{stderr}");
}

#[test]
fn records_in_a_home_made_root_are_ingested_with_a_warning_naming_it() {
    let Some((_, set)) = testdata::real_record_set() else { return };
    let set = String::from_utf8(set).unwrap();
    let dir = scratch("foreign-root");
    let records: Vec<&str> = set.split_inclusive("</PubmedArticle>").take(2).collect();
    let body = records.iter().map(|r| &r[r.find("<PubmedArticle>").unwrap()..]).collect::<Vec<_>>().join("\n");
    let file = dir.join("mine.xml");
    std::fs::write(&file, format!("<RAW_DATA>\n{body}\n</RAW_DATA>\n")).unwrap();
    let data = dir.join("data");
    let out = medlars(&data).arg("ingest").arg(&file).output().unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("warning: ") && stderr.contains("mine.xml") && stderr.contains("<RAW_DATA>"), "{stderr}");
    let stats = text(&medlars(&data).arg("stats").output().unwrap().stdout);
    assert!(stats.contains("records          2"), "{stats}");
    // A wrapper of no record at all is refused, naming its root, and the store is as it was.
    let empty = dir.join("empty.xml");
    std::fs::write(&empty, "<RAW_DATA><note>hi</note></RAW_DATA>").unwrap();
    let out = medlars(&data).arg("ingest").arg(&empty).output().unwrap();
    assert!(!out.status.success() && text(&out.stderr).contains("RAW_DATA"), "{}", text(&out.stderr));
    let after = text(&medlars(&data).arg("stats").output().unwrap().stdout);
    assert_eq!(after.lines().find(|l| l.starts_with("records")), stats.lines().find(|l| l.starts_with("records")));
    // Records among other elements: the records ingested, the others skipped and counted.
    let third = &set.split_inclusive("</PubmedArticle>").nth(2).unwrap();
    let third = &third[third.find("<PubmedArticle>").unwrap()..];
    let mixed = dir.join("mixed.xml");
    std::fs::write(&mixed, format!("\u{feff}<RAW_DATA>\r\n<meta/>\r\n{third}\r\n</RAW_DATA>\r\n")).unwrap();
    let out = medlars(&data).arg("ingest").arg(&mixed).output().unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success() && stderr.contains("1 other element(s) in it skipped"), "{stderr}");
    let stats = text(&medlars(&data).arg("stats").output().unwrap().stdout);
    assert!(stats.contains("records          3"), "{stats}");
}

/// Without a terminal (a log, cron) an ingest says each file as it is applied, with its place,
/// the records so far, their rate and the time left, then the merging phase; a file applied
/// before is said to be skipped; the summary gives the merge's share of the time.
#[test]
fn ingest_without_a_terminal_says_each_file_its_rate_and_the_time_left() {
    let dir = scratch("ingest-progress");
    let data = dir.join("data");
    let Some(files) = common::real_records() else { return };
    let n = std::fs::read_dir(&files).unwrap().count();
    let out = medlars(&data).arg("ingest").arg(&files).output().unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let applied: Vec<&str> = stderr.lines().filter(|l| l.starts_with("applied file ")).collect();
    assert_eq!(applied.len(), n, "{stderr}");
    assert!(applied[0].starts_with(&format!("applied file 1/{n} ")), "{stderr}");
    assert!(
        applied.iter().all(|l| l.contains(" records, ") && l.contains("/s · ") && l.ends_with(" left")),
        "{stderr}"
    );
    assert!(stderr.contains("merging index segments"), "{stderr}");
    assert!(text(&out.stdout).contains("s of it)"), "{}", text(&out.stdout));
    let again = medlars(&data).arg("ingest").arg(&files).output().unwrap();
    let stderr = text(&again.stderr);
    assert_eq!(stderr.lines().filter(|l| l.ends_with("was applied before: skipped")).count(), n, "{stderr}");
}
