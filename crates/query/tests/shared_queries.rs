//! Real strategies from `../shared/data/queries`: every one parses, PubMed's and Ovid's.

use query::{Dialect, parse_strategy};

#[test]
fn clinical_queries_parse() {
    let Some(shared) = testdata::shared() else { return };
    let tsv = std::fs::read_to_string(shared.join("data/queries/clinical-queries.tsv")).unwrap();
    let mut n = 0;
    for line in tsv.lines().skip(1) {
        let query = line.splitn(3, '\t').nth(2).unwrap();
        let parsed = parse_strategy(query).unwrap_or_else(|e| panic!("{query}: {e}"));
        assert_eq!(parsed.len(), 1);
        n += 1;
    }
    assert!(n >= 10, "{n}");
}

/// The `Query:` section of a CLEF TAR topic file.
pub fn clef_query(text: &str) -> String {
    let after = text.split_once("Query:").map_or("", |(_, q)| q);
    after.split("Pids:").next().unwrap_or("").trim().to_owned()
}

#[test]
fn every_clef_and_transmute_strategy_parses_each_line_in_its_dialect() {
    let Some(shared) = testdata::shared() else { return };
    let (mut pubmed, mut ovid) = (0, 0);
    let mut strategies: Vec<(std::path::PathBuf, String)> =
        testdata::files_below(&shared.join("data/queries/clef-tar"))
            .into_iter()
            .map(|p| {
                let text = clef_query(&std::fs::read_to_string(&p).unwrap());
                (p, text)
            })
            .collect();
    for path in testdata::files_below(&shared.join("data/queries/transmute")) {
        let text = std::fs::read_to_string(&path).unwrap();
        strategies.push((path, text));
    }
    for (path, query) in &strategies {
        let lines = parse_strategy(query).unwrap_or_else(|e| panic!("{}: {e}\n{query}", path.display()));
        if lines.iter().any(|l| l.dialect == Dialect::Ovid) {
            ovid += 1;
        } else {
            pubmed += 1;
        }
        // A line refers only to lines before it.
        for (i, line) in lines.iter().enumerate() {
            for n in line.parsed.query.history_numbers() {
                assert!(lines[..i].iter().any(|l| l.number == n), "{}: line {} refers to #{n}", path.display(), i + 1);
            }
        }
    }
    // CLEF's 43 Ovid topics and transmute's 4; the 16 PubMed ones.
    assert!(ovid >= 47 && pubmed >= 16, "{pubmed} PubMed-syntax, {ovid} Ovid");
}
