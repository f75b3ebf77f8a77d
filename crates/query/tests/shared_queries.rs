//! Real strategies from `../shared/data/queries`: PubMed-syntax ones parse; Ovid ones are refused
//! with a message saying so.

use query::parse_strategy;

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
fn clef_topics_parse_or_are_refused_as_ovid() {
    let Some(shared) = testdata::shared() else { return };
    let (mut pubmed, mut ovid) = (0, 0);
    for path in testdata::files_below(&shared.join("data/queries/clef-tar")) {
        let query = clef_query(&std::fs::read_to_string(&path).unwrap());
        match parse_strategy(&query) {
            Ok(_) => pubmed += 1,
            Err(e) if e.message.contains("Ovid") => ovid += 1,
            Err(e) => panic!("{}: {e}\n{query}", path.display()),
        }
    }
    for path in testdata::files_below(&shared.join("data/queries/transmute")) {
        let query = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = parse_strategy(&query) {
            assert!(e.message.contains("Ovid"), "{}: {e}", path.display());
        }
    }
    // The 16 topics written with PubMed tags all parse, sectioned layouts included.
    assert!(pubmed >= 16 && ovid >= 15, "{pubmed} PubMed-syntax, {ovid} Ovid");
}
