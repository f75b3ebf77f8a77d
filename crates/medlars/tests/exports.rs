//! Exports read back by their consumers (`e2e/formats_check.py`: rispy, Bio.Medline, bibtexparser,
//! citeproc-py, csv, DuckDB), with expected values taken from the store's records.

use std::path::{Path, PathBuf};
use std::process::Command;

use medline::Record;
use serde_json::json;

fn medlars(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_medlars"));
    cmd.arg("--data").arg(data).env_remove("MEDLARS_DATA");
    cmd
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// The Python libraries, or why the test cannot run.
fn consumers_missing() -> Option<String> {
    let probe = "import rispy, bibtexparser, duckdb, citeproc, Bio.Medline";
    let ok = Command::new("python3").args(["-c", probe]).output().is_ok_and(|o| o.status.success());
    (!ok).then(|| "rispy, bibtexparser, duckdb, citeproc-py and biopython (pip) are not installed".to_owned())
}

#[test]
fn exports_read_back_in_their_consumers() {
    let Some(shared) = testdata::shared() else { return };
    if let Some(why) = consumers_missing() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but {why}");
        }
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "note: skipped, {why}");
        return;
    }
    let dir: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("exports");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("data");
    let files = testdata::corpus_files(&shared).into_iter().filter(|f| !f.ends_with(testdata::REFUSED));
    run(medlars(&data).arg("ingest").args(files));

    let query = "alzheimer disease AND 2015:2020[dp]";
    let mut files = serde_json::Map::new();
    for format in ["ris", "medline", "bibtex", "csl-json", "csv"] {
        let path = dir.join(format!("hits.{format}"));
        std::fs::write(&path, run(medlars(&data).args(["search", query, "--format", format]))).unwrap();
        files.insert(format.replace("csl-json", "csl"), json!(path));
    }
    let parquet = dir.join("all.parquet");
    run(medlars(&data).args(["export", "--format", "parquet"]).arg(&parquet));
    files.insert("parquet".into(), json!(parquet));

    // What the store says of the hits.
    let archive = engine::Archive::open_read_only(&data).unwrap();
    let options =
        engine::SearchOptions { sort: engine::Sort::PubDate, limit: 10_000, offset: 0, today: engine::today() };
    let hits = archive.search(query, &options).unwrap();
    assert!(hits.count > 100, "{}", hits.count);
    let mut records = serde_json::Map::new();
    for pmid in hits.pmids.iter().step_by(37) {
        let engine::Lookup::Found(stored) = archive.store.get(*pmid).unwrap() else { panic!("{pmid} is held") };
        let Record::Article(a) = stored.parse().unwrap() else { continue };
        let art = &a.medline.article;
        let persons: Vec<_> = art.authors.iter().flat_map(|l| &l.authors).filter(|x| x.last_name.is_some()).collect();
        let Some(first) = persons.first() else { continue };
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        records.insert(
            pmid.to_string(),
            json!({
                "title": squash(&art.title.text),
                "ascii_title": squash(&medline::format::ascii(&art.title.text)),
                "ris_author": format!("{}, {}", first.last_name.as_deref().unwrap(), first.fore_name.as_deref().unwrap_or_default()),
                "medline_author": medline::format::ascii(&medline::format::short_name(first)),
                "family": first.last_name,
                "doi": medline::format::doi(&a),
                "year": art.journal.pub_date.year,
                "authors": art.authors.as_ref().map_or(0, |l| l.authors.len()),
                "first_mesh": a.medline.mesh_headings.first().map(|h| h.descriptor.name.clone()),
            }),
        );
    }
    assert!(records.len() > 5);
    let plan = json!({
        "files": files,
        "count": hits.count,
        "store_count": archive.store.stats().unwrap().records,
        "records": records,
    });
    let plan_path = dir.join("plan.json");
    std::fs::write(&plan_path, serde_json::to_vec(&plan).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/formats_check.py");
    let out = Command::new("python3").arg(script).arg(&plan_path).output().unwrap();
    assert!(
        out.status.success(),
        "formats_check.py:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
