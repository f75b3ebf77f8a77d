//! The E-utilities through the real clients: Biopython's `Bio.Entrez` (from PyPI) and NCBI's
//! EDirect (Debian's `ncbi-entrez-direct`), unmodified, against the server on loopback. Every
//! expected count, PMID and title comes from the engine and the parsed records.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use engine::Sort;
use medline::Record;
use serde_json::json;

use crate::{Fixture, fixture, normalize};

/// Skips (or, under `CI=true`, fails) when a client is not installed.
fn available(what: &str, probe: &mut Command) -> bool {
    if probe.output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but {what} is not installed");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "note: skipped, {what} is not installed");
    false
}

const QUERY: &str = "alzheimer disease";

/// A record cited by at least two records here, and who cites it.
fn cited(f: &Fixture) -> (u32, BTreeSet<u32>) {
    f.citing().into_iter().find(|(cited, by)| f.records.contains_key(cited) && by.len() >= 2).expect("a cited record")
}

/// A record whose reference list cites PMIDs, and those PMIDs.
fn citing(f: &Fixture) -> (u32, BTreeSet<u32>) {
    f.records
        .iter()
        .find_map(|(pmid, r)| {
            let Record::Article(a) = r else { return None };
            let refs = a.pubmed.iter().flat_map(|p| &p.reference_lists).flat_map(|l| &l.references);
            let cites: BTreeSet<u32> = refs
                .flat_map(|r| &r.article_ids)
                .filter(|i| i.id_type == "pubmed")
                .filter_map(|i| i.value.trim().parse().ok())
                .collect();
            (cites.len() >= 3).then_some((*pmid, cites))
        })
        .expect("a record with references")
}

#[test]
fn biopython_reads_every_eutility() {
    let Some(f) = fixture() else { return };
    if !available("Biopython (pip install biopython==1.85)", Command::new("python3").args(["-c", "import Bio.Entrez"]))
    {
        return;
    }
    let (count, recent) = f.search(QUERY, Sort::EntryDate, 0, 20);
    let titles: serde_json::Map<String, serde_json::Value> =
        recent.iter().map(|p| (p.to_string(), json!(normalize(f.records[p].title())))).collect();
    // MEDLINE text is ASCII, as PubMed's is.
    let ascii_titles: serde_json::Map<String, serde_json::Value> = recent
        .iter()
        .map(|p| (p.to_string(), json!(normalize(&medline::format::ascii(f.records[p].title())))))
        .collect();
    let authors: serde_json::Map<String, serde_json::Value> = recent
        .iter()
        .filter_map(|p| match &f.records[p] {
            Record::Article(a) => {
                // MEDLINE's AU lines are the persons; a group is a CN line.
                let persons =
                    a.medline.article.authors.iter().flat_map(|l| &l.authors).filter(|a| a.last_name.is_some());
                let names: Vec<String> =
                    persons.map(|a| medline::format::ascii(&medline::format::short_name(a))).collect();
                (!names.is_empty()).then(|| (p.to_string(), json!(names)))
            }
            Record::Book(_) => None,
        })
        .collect();
    let (cited, by) = cited(f);
    let (refs_of, cites) = citing(f);
    let plan = json!({
        "base": format!("{}entrez/eutils/", f.base()),
        "records": f.records.len(),
        "search": {
            "query": QUERY,
            "count": count,
            "recent": recent,
            "by_pub_date": f.search(QUERY, Sort::PubDate, 0, 5).1,
        },
        "titles": titles,
        "medline_titles": ascii_titles,
        "authors": authors,
        "cited": { "pmid": cited, "by": by },
        "refs": { "pmid": refs_of, "cites": cites },
    });
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("biopython");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let plan_path = dir.join("plan.json");
    std::fs::write(&plan_path, serde_json::to_vec(&plan).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/biopython_client.py");
    // A fresh HOME: Biopython caches downloaded DTDs there, and must fetch ours from the server.
    let out = Command::new("python3").arg(script).arg(&plan_path).env("HOME", &dir).output().unwrap();
    assert!(
        out.status.success(),
        "Biopython:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs an EDirect pipeline (`$B` is the local base URL) and returns its output.
fn edirect(f: &Fixture, pipeline: &str) -> String {
    let base = format!("{}entrez/eutils/", f.base());
    let out = Command::new("sh").arg("-c").arg(pipeline).env("B", base).output().unwrap();
    assert!(out.status.success(), "{pipeline}:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn pmids(text: &str) -> BTreeSet<u32> {
    text.lines().filter_map(|l| l.trim().parse().ok()).collect()
}

#[test]
fn edirect_pipelines_return_what_the_store_holds() {
    let Some(f) = fixture() else { return };
    if !available("EDirect (apt-get install ncbi-entrez-direct)", Command::new("sh").args(["-c", "command -v esearch"]))
    {
        return;
    }
    let (count, all) = f.search(QUERY, Sort::EntryDate, 0, 10_000);
    let all: BTreeSet<u32> = all.into_iter().collect();
    assert_eq!(all.len(), count);
    let search = format!("esearch -base $B -db pubmed -query '{QUERY}'");
    assert_eq!(pmids(&edirect(f, &format!("{search} | efetch -base $B -format uid"))), all);
    let medline = edirect(f, &format!("{search} | efetch -base $B -format medline"));
    assert_eq!(medline.lines().filter(|l| l.starts_with("PMID- ")).count(), count);
    let abstracts = edirect(f, &format!("{search} | efetch -base $B -format abstract"));
    assert_eq!(abstracts.lines().filter(|l| l.starts_with("PMID: ")).count(), count);
    let articles = edirect(f, &format!("{search} | efetch -base $B -format xml"));
    assert_eq!(articles.matches("<PubmedArticle>").count() + articles.matches("<PubmedBookArticle>").count(), count);

    let some: Vec<u32> = all.iter().copied().take(3).collect();
    let list = some.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let xml = edirect(f, &format!("efetch -base $B -db pubmed -id {list} -format xml"));
    assert_eq!(xml.matches("<PubmedArticle>").count(), 3);
    for p in &some {
        assert!(xml.contains(&format!(">{p}</PMID>")), "{p} missing from efetch -format xml");
    }
    let first = some[0];
    let abstract_text = edirect(f, &format!("efetch -base $B -db pubmed -id {first} -format abstract"));
    assert!(normalize(&abstract_text).contains(&normalize(f.records[&first].title())), "{abstract_text}");
    let title = edirect(
        f,
        &format!("esummary -base $B -db pubmed -id {first} | xtract -pattern DocumentSummary -element Title"),
    );
    assert_eq!(normalize(&title), normalize(f.records[&first].title()));
    let posted = edirect(f, &format!("epost -base $B -db pubmed -id {list} | efetch -base $B -format uid"));
    assert_eq!(pmids(&posted), some.iter().copied().collect());

    let (cited, by) = cited(f);
    let cited_in = edirect(
        f,
        &format!(
            "elink -base $B -db pubmed -id {cited} -related -name pubmed_pubmed_citedin | efetch -base $B -format uid"
        ),
    );
    assert_eq!(pmids(&cited_in), by);
    let (refs_of, cites) = citing(f);
    let refs = edirect(
        f,
        &format!(
            "elink -base $B -db pubmed -id {refs_of} -related -name pubmed_pubmed_refs | xtract -pattern ENTREZ_DIRECT -sep '\\n' -element Id"
        ),
    );
    assert_eq!(pmids(&refs), cites);
    let similar = pmids(&edirect(
        f,
        &format!(
            "elink -base $B -db pubmed -id {cited} -related | xtract -pattern ENTREZ_DIRECT -sep '\\n' -element Id"
        ),
    ));
    assert!(similar.contains(&cited) && similar.len() > 1, "{similar:?}");
    let fields = edirect(f, "einfo -base $B -db pubmed -fields");
    assert!(fields.lines().any(|l| l.starts_with("TIAB")), "{fields}");
}
