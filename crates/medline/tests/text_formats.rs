//! The text formats against PubMed's own output for the same records: `data/medline/` holds
//! records as PubMed exported them both as XML and as MEDLINE text (and, for PMID 20000000, as
//! the Abstract format too).

use medline::Record;
use medline::format::{abstract_text, medline_text};

mod common;
use common::records_of;

/// Lines PubMed wrote that the XML does not determine, by file and tag, with why. Everything
/// else must be identical, line by line.
const UNDETERMINED: &[(&str, &str, &str)] = &[(
    "pmid-20000000/20000000.medline",
    "PHST",
    "exported in 2017, when PubMed printed no PHST lines for this record; the 2018 export \
     (pubmed_result.txt) prints every History date as PHST, as Medlars does",
)];

/// Each record's lines of `text`, split at the blank lines between records.
fn records_text(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .map(|r| r.lines().map(|l| l.trim_end().to_owned()).collect::<Vec<_>>())
        .filter(|r| !r.is_empty())
        .collect()
}

/// Joins continuation lines to their field: `(tag, value)` per field.
fn fields(lines: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix("      ") {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(rest.trim());
            }
        } else if line.len() >= 6 && &line[4..6] == "- " {
            out.push((line[..4].trim().to_owned(), line[6..].trim().to_owned()));
        }
    }
    out
}

fn compare(ours: &str, theirs: &str, what: &str) {
    let theirs = theirs.replace("\r\n", "\n");
    let (ours, theirs) = (records_text(ours), records_text(&theirs));
    assert_eq!(ours.len(), theirs.len(), "{what}: record count");
    let mut differences = Vec::new();
    for (o, t) in ours.iter().zip(&theirs) {
        let (of, tf) = (fields(o), fields(t));
        let undetermined = |tag: &str| UNDETERMINED.iter().any(|(file, u, _)| *file == what && *u == tag);
        let of: Vec<_> = of.into_iter().filter(|(tag, _)| !undetermined(tag)).collect();
        let tf: Vec<_> = tf.into_iter().filter(|(tag, _)| !undetermined(tag)).collect();
        if of != tf {
            let pmid = t.first().cloned().unwrap_or_default();
            for i in 0..of.len().max(tf.len()) {
                if of.get(i) != tf.get(i) {
                    differences.push(format!("{pmid}: ours {:?}\n      PubMed's {:?}", of.get(i), tf.get(i)));
                    break;
                }
            }
        }
        // Line wrapping too, where the fields agree.
        let tag_of = |l: &String| {
            if l.starts_with(' ') { String::new() } else { l.get(..4).unwrap_or_default().trim().to_owned() }
        };
        let kept = |lines: &[String]| {
            let mut skipping = false;
            let mut out = Vec::new();
            for l in lines {
                let tag = tag_of(l);
                if !tag.is_empty() {
                    skipping = UNDETERMINED.iter().any(|(file, u, _)| *file == what && *u == tag);
                }
                if !skipping {
                    out.push(l.clone());
                }
            }
            out
        };
        let (o, t) = (kept(o), kept(t));
        if o != t && differences.is_empty() {
            for (a, b) in o.iter().zip(&t) {
                if a != b {
                    differences.push(format!("wrapping: ours {a:?}\n      PubMed's {b:?}"));
                    break;
                }
            }
        }
    }
    assert!(differences.is_empty(), "{what}:\n{}", differences.join("\n"));
}

#[test]
fn medline_text_is_pubmeds() {
    let Some(shared) = testdata::shared() else { return };
    let dir = shared.join("data/medline");
    for (xml, txt) in
        [("pubmed_result.xml", "pubmed_result.txt"), ("pmid-20000000/20000000.xml", "pmid-20000000/20000000.medline")]
    {
        let mut ours = String::new();
        for record in records_of(&dir.join(xml)) {
            medline_text::write(&mut ours, &record);
        }
        compare(&ours, &std::fs::read_to_string(dir.join(txt)).unwrap(), txt);
    }
}

#[test]
fn abstract_text_is_pubmeds() {
    let Some(shared) = testdata::shared() else { return };
    let dir = shared.join("data/medline/pmid-20000000");
    let mut ours = String::new();
    for (i, record) in records_of(&dir.join("20000000.xml")).iter().enumerate() {
        abstract_text::write(&mut ours, i + 1, record);
    }
    let theirs = std::fs::read_to_string(dir.join("20000000.abstract")).unwrap();
    let normal = |s: &str| s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_owned();
    assert_eq!(normal(&ours), normal(&theirs));
}

/// The facts of PMID 30153250 as PubMed's XML gives them (the record of the Cite examples in
/// `reference/PUBMED_SPEC.md` E3).
const BEST_MATCH: &str = r#"<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">30153250</PMID>
<Article PubModel="Electronic-eCollection"><Journal><ISSN IssnType="Electronic">1545-7885</ISSN>
<JournalIssue CitedMedium="Internet"><Volume>16</Volume><Issue>8</Issue><PubDate><Year>2018</Year><Month>08</Month></PubDate></JournalIssue>
<Title>PLoS biology</Title><ISOAbbreviation>PLoS Biol</ISOAbbreviation></Journal>
<ArticleTitle>Best Match: New relevance search for PubMed.</ArticleTitle>
<Pagination><StartPage>e2005343</StartPage><MedlinePgn>e2005343</MedlinePgn></Pagination>
<ELocationID EIdType="doi" ValidYN="Y">10.1371/journal.pbio.2005343</ELocationID>
<AuthorList CompleteYN="Y">
<Author><LastName>Fiorini</LastName><ForeName>Nicolas</ForeName><Initials>N</Initials></Author>
<Author><LastName>Canese</LastName><ForeName>Kathi</ForeName><Initials>K</Initials></Author>
<Author><LastName>Starchenko</LastName><ForeName>Grisha</ForeName><Initials>G</Initials></Author>
<Author><LastName>Kireev</LastName><ForeName>Evgeny</ForeName><Initials>E</Initials></Author>
<Author><LastName>Kim</LastName><ForeName>Won</ForeName><Initials>W</Initials></Author>
<Author><LastName>Miller</LastName><ForeName>Vadim</ForeName><Initials>V</Initials></Author>
<Author><LastName>Osipov</LastName><ForeName>Maxim</ForeName><Initials>M</Initials></Author>
<Author><LastName>Kholodov</LastName><ForeName>Michael</ForeName><Initials>M</Initials></Author>
<Author><LastName>Ismagilov</LastName><ForeName>Rafis</ForeName><Initials>R</Initials></Author>
<Author><LastName>Mohan</LastName><ForeName>Sunil</ForeName><Initials>S</Initials></Author>
<Author><LastName>Ostell</LastName><ForeName>James</ForeName><Initials>J</Initials></Author>
<Author><LastName>Lu</LastName><ForeName>Zhiyong</ForeName><Initials>Z</Initials></Author>
</AuthorList><Language>eng</Language>
<ArticleDate DateType="Electronic"><Year>2018</Year><Month>08</Month><Day>28</Day></ArticleDate></Article>
<MedlineJournalInfo><MedlineTA>PLoS Biol</MedlineTA></MedlineJournalInfo></MedlineCitation>
<PubmedData><PublicationStatus>epublish</PublicationStatus><ArticleIdList>
<ArticleId IdType="pubmed">30153250</ArticleId><ArticleId IdType="doi">10.1371/journal.pbio.2005343</ArticleId><ArticleId IdType="pmc">PMC6112631</ArticleId>
</ArticleIdList></PubmedData></PubmedArticle>"#;

#[test]
fn citations_are_written_as_pubmeds_cite_dialog_writes_them() {
    use medline::format::cite;
    let Record::Article(a) = medline::parse_record(BEST_MATCH.as_bytes()).unwrap() else { panic!("an article") };
    assert_eq!(
        cite::ama(&a),
        "Fiorini N, Canese K, Starchenko G, et al. Best Match: New relevance search for PubMed. PLoS Biol. \
         2018;16(8):e2005343. Published 2018 Aug 28. doi:10.1371/journal.pbio.2005343"
    );
    assert_eq!(
        cite::apa(&a),
        "Fiorini, N., Canese, K., Starchenko, G., Kireev, E., Kim, W., Miller, V., Osipov, M., Kholodov, M., \
         Ismagilov, R., Mohan, S., Ostell, J., & Lu, Z. (2018). Best Match: New relevance search for PubMed. PLoS \
         biology, 16(8), e2005343. https://doi.org/10.1371/journal.pbio.2005343"
    );
    assert_eq!(
        cite::mla(&a),
        "Fiorini, Nicolas et al. \u{201C}Best Match: New relevance search for PubMed.\u{201D} PLoS biology vol. 16,8 \
         e2005343. 28 Aug. 2018, doi:10.1371/journal.pbio.2005343"
    );
    assert_eq!(
        cite::nlm(&a),
        "Fiorini N, Canese K, Starchenko G, Kireev E, Kim W, Miller V, Osipov M, Kholodov M, Ismagilov R, Mohan S, \
         Ostell J, Lu Z. Best Match: New relevance search for PubMed. PLoS Biol. 2018 Aug 28;16(8):e2005343. doi: \
         10.1371/journal.pbio.2005343. PMID: 30153250; PMCID: PMC6112631."
    );
}
