//! The scale harness (`bench/scale.sh`) end to end at a small N: a smoke run, no timing checks.

use std::path::Path;
use std::process::Command;

#[test]
fn scale_harness_smoke_run() {
    let Some(shared) = testdata::shared() else { return };
    let bin = Path::new(env!("CARGO_BIN_EXE_medlars-bench")).parent().unwrap().to_owned();
    if !bin.join("medlars").exists() {
        // `cargo test --workspace` builds every binary first; `-p bench` alone does not.
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "CI=true but no medlars binary");
        use std::io::Write;
        let _ =
            writeln!(std::io::stderr(), "note: skipped, build the medlars binary first (cargo test --workspace does)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let out = Command::new("bash")
        .arg(root.join("bench/scale.sh"))
        .args(["2000"])
        .arg(&shared)
        .env("SMOKE", "1")
        .env("NO_BUILD", "1")
        .env("BIN_DIR", &bin)
        .env("RUNS", "2")
        .env("WORK", &work)
        .current_dir(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    for line in [
        "generate: 2000 records",
        "parse: 1 files, 2000 records",
        "ingest: 1 files (0 refused), 2000 records",
        "update file applied",
        "queries: 20",
        "tiab: two words ANDed",
    ] {
        assert!(stdout.contains(line), "{line:?} missing from:\n{stdout}");
    }
}
