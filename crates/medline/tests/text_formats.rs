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

/// Each record's lines of `text`, split at the blank lines between records, kept byte for byte
/// (a trailing space where PubMed broke a line after it included).
fn records_text(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n").map(|r| r.lines().map(str::to_owned).collect::<Vec<_>>()).filter(|r| !r.is_empty()).collect()
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
    for (xml, txt) in [
        ("pubmed_result.xml", "pubmed_result.txt"),
        ("pmid-20000000/20000000.xml", "pmid-20000000/20000000.medline"),
        ("pubmed-2020-nbib/citations_1.xml.gz", "pubmed-2020-nbib/citations_1.nbib"),
    ] {
        let theirs = std::fs::read_to_string(dir.join(txt)).unwrap();
        // In the order of PubMed's file (its export sorts otherwise than its XML).
        let mut records = records_of(&dir.join(xml));
        let order: Vec<u32> =
            theirs.lines().filter_map(|l| l.strip_prefix("PMID- ")).map(|p| p.trim().parse().unwrap()).collect();
        records.sort_by_key(|r| order.iter().position(|p| *p == r.pmid().id));
        let mut ours = String::new();
        for record in &records {
            medline_text::write(&mut ours, record);
        }
        compare(&ours, &theirs, txt);
        // Byte for byte, the whole file, where nothing in it is undetermined (the first was saved
        // with Windows line ends, and starts without the blank line PubMed writes first).
        if !UNDETERMINED.iter().any(|(file, ..)| *file == txt) {
            let theirs = theirs.replace("\r\n", "\n");
            assert_eq!(ours.trim_start_matches('\n'), theirs.trim_start_matches('\n'), "{txt}: byte for byte");
        }
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

/// A record with the three things the formats must keep: an author's suffix, a last name NLM
/// wrote with a space after it, and a keyword marked as a major topic.
const SUFFIX_SPACE_MAJOR: &str = r#"<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">10000001</PMID>
<Article PubModel="Print"><Journal><ISSN IssnType="Print">0000-0000</ISSN>
<JournalIssue CitedMedium="Print"><Volume>3</Volume><Issue>2</Issue><PubDate><Year>2001</Year><Month>Jan</Month></PubDate></JournalIssue>
<Title>Spine</Title><ISOAbbreviation>Spine</ISOAbbreviation></Journal>
<ArticleTitle>Epidural abscess.</ArticleTitle>
<Pagination><MedlinePgn>1-2</MedlinePgn></Pagination>
<AuthorList CompleteYN="Y">
<Author><LastName>O'Brien</LastName><ForeName>William T</ForeName><Initials>WT</Initials><Suffix>Sr</Suffix></Author>
<Author><LastName>An </LastName><ForeName>H S</ForeName><Initials>HS</Initials></Author>
</AuthorList><Language>eng</Language>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
</Article><MedlineJournalInfo><MedlineTA>Spine</MedlineTA><NlmUniqueID>1</NlmUniqueID></MedlineJournalInfo>
<KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="Y">epidural abscess</Keyword><Keyword MajorTopicYN="N">spine</Keyword></KeywordList>
</MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>
<ArticleId IdType="pubmed">10000001</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"#;

/// Each format's rule for them. MEDLINE is PubMed's export (the 2020 `.nbib` file above has
/// `FAU - Johnson, J A 3rd` and `FAU - An , H S`); AMA and NLM are PubMed's Cite box
/// (Vancouver names: the suffix after the initials, as NCBI's ESummary writes `Hambrick GW Jr`);
/// APA 7 and MLA 9 follow their manuals (`O'Brien, W. T., Sr.`; `O'Brien, William T, Sr.`, the fore name as the record has it, as PubMed's MLA writes it);
/// RIS's `Last, First, Suffix`, BibTeX's `Last, Jr, First` and CSL's `suffix` are those
/// formats' own. Only MEDLINE marks a major-topic keyword (`*`): RIS's `KW` has no such rule.
#[test]
fn suffixes_spaces_and_major_keywords_in_every_format() {
    use medline::format::{bibtex, cite, csl_json, csv, ris};
    let record = medline::parse_record(SUFFIX_SPACE_MAJOR.as_bytes()).unwrap();
    let Record::Article(a) = &record else { panic!("an article") };
    let mut medline = String::new();
    medline_text::write(&mut medline, &record);
    for line in ["FAU - O'Brien, William T Sr\n", "AU  - O'Brien WT Sr\n", "FAU - An , H S\n", "AU  - An HS\n"] {
        assert!(medline.contains(line), "{line:?} in\n{medline}");
    }
    assert!(medline.contains("OT  - *epidural abscess\nOT  - spine\n"), "{medline}");
    assert!(cite::ama(a).starts_with("O'Brien WT Sr, An HS. "), "{}", cite::ama(a));
    assert!(cite::nlm(a).starts_with("O'Brien WT Sr, An HS. "), "{}", cite::nlm(a));
    assert!(cite::apa(a).starts_with("O'Brien, W. T., Sr., & An, H. S. (2001)"), "{}", cite::apa(a));
    assert!(cite::mla(a).starts_with("O'Brien, William T, Sr., and H S An."), "{}", cite::mla(a));
    let mut r = String::new();
    ris::write(&mut r, &record);
    assert!(
        r.contains("AU  - O'Brien, William T, Sr\r\nAU  - An, H S\r\n")
            || r.contains("AU  - O'Brien, William T, Sr\nAU  - An, H S\n"),
        "{r}"
    );
    assert!(r.contains("KW  - epidural abscess"), "{r}");
    let mut b = String::new();
    bibtex::write(&mut b, &record);
    assert!(b.contains("O'Brien, Sr, William T and An, H S"), "{b}");
    let item = csl_json::item(&record);
    assert_eq!(item["author"][0], serde_json::json!({"family": "O'Brien", "given": "William T", "suffix": "Sr"}));
    assert_eq!(item["author"][1]["family"], "An");
    let mut c = String::new();
    csv::write(&mut c, &record);
    assert!(c.contains("O'Brien WT Sr, An HS"), "{c}");
}
