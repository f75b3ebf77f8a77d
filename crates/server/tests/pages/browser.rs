//! The pages in headless Chromium (Debian's), driven by playwright-core from `e2e/pages.mjs`: what a
//! reader sees and does. The expected texts, counts and PMIDs are worked out here and handed to
//! the script; screenshots go to `target/e2e-screenshots/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use engine::Sort;
use serde_json::json;

use crate::{feature_expectations, fixture, seed_sections};

/// Chromium and the script, or why something it needs is missing.
fn tools(root: &Path) -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    if !chromium.exists() {
        return Err(format!("{} is missing (apt-get install chromium)", chromium.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("node is missing".into());
    }
    let playwright = root.join("e2e/node_modules/playwright-core");
    if !playwright.exists() {
        return Err(format!("{} is missing (npm ci --prefix e2e)", playwright.display()));
    }
    Ok((chromium, root.join("e2e/pages.mjs")))
}

#[test]
fn pages_in_headless_chromium() {
    let Some(f) = fixture() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let (chromium, script) = match tools(&root) {
        Ok(t) => t,
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("CI=true but {why}"),
        Err(why) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "note: browser test skipped, {why}");
            return;
        }
    };
    let screenshots = root.join("target/e2e-screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();

    let query = "alzheimer disease";
    let year = 2010;
    let by_year = format!("({query}) AND ({year}:{year}[dp])");
    let reviews = format!("({by_year}) AND (review[pt])");
    let features: Vec<_> = feature_expectations(f)
        .into_iter()
        .map(|e| json!({ "pmid": e.pmid, "feature": e.feature, "texts": e.texts, "links": e.links }))
        .collect();
    let plan = json!({
        "base": f.base(),
        "chromium": chromium,
        "screenshots": screenshots,
        "seed": {
            "pmid": 28257650,
            // PubMed's own page of the seed is in `../shared`; without it only the citation is checked.
            "texts": seed_sections(&f.shared).into_iter().map(|(_, t)| t).collect::<Vec<_>>(),
            "ama": match f.records.get(&28257650) {
                Some(medline::Record::Article(a)) => medline::format::cite::ama(a),
                _ => panic!("the seed is an article"),
            },
        },
        "features": features,
        "search": {
            "query": query,
            "count": f.search(query, Sort::Relevance, 0, 0).0,
            "date_page1": f.search(query, Sort::EntryDate, 0, 10).1,
            "date_page2": f.search(query, Sort::EntryDate, 10, 10).1,
            "year": year,
            "year_count": f.search(&by_year, Sort::EntryDate, 0, 0).0,
            "review_count": f.search(&reviews, Sort::EntryDate, 0, 0).0,
            "review_first": f.search(&reviews, Sort::EntryDate, 0, 1).1[0],
        },
        "advanced": { "count": f.search("alzheimer[ti]", Sort::Relevance, 0, 0).0 },
        "hostile": [99000001, 99000002],
    });
    let plan_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-plan.json");
    std::fs::write(&plan_path, serde_json::to_vec_pretty(&plan).unwrap()).unwrap();
    let out = Command::new("node").arg(&script).arg(&plan_path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "e2e/pages.mjs failed:\n{stdout}\n{stderr}");
    for name in ["record-28257650.png", "results.png", "phone-record.png", "phone-results.png"] {
        let shot = screenshots.join(name);
        assert!(std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000), "{} was not saved", shot.display());
    }
}
