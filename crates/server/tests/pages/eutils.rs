//! The E-utilities' responses over HTTP: shapes, paging, byte-exact records, and NCBI's errors for
//! bad parameters (never a 500).

use engine::{Lookup, Sort};

use crate::{fixture, request};

fn get(path: &str) -> crate::Response {
    request(fixture().expect("the test checked the fixture first").addr, "GET", &format!("/entrez/eutils/{path}"), None)
}

fn ids_of(xml: &str) -> Vec<u32> {
    let list = xml.split("<IdList>").nth(1).unwrap_or_default().split("</IdList>").next().unwrap_or_default();
    list.split("<Id>").skip(1).map(|s| s[..s.find('<').unwrap()].parse().unwrap()).collect()
}

#[test]
fn esearch_pages_and_sorts_as_the_engine_does() {
    let Some(f) = fixture() else { return };
    for (sort, name) in [
        (Sort::EntryDate, ""),
        (Sort::PubDate, "pub_date"),
        (Sort::FirstAuthor, "Author"),
        (Sort::Relevance, "relevance"),
    ] {
        for (start, max) in [(0, 20), (40, 7), (0, 500)] {
            let page = get(&format!("esearch.fcgi?db=pubmed&term=dementia&sort={name}&retstart={start}&retmax={max}"));
            assert_eq!(page.status, 200);
            let (count, pmids) = f.search("dementia", sort, start, max);
            assert!(page.body.contains(&format!("<Count>{count}</Count>")));
            assert_eq!(ids_of(&page.body), pmids, "sort {name:?} retstart {start} retmax {max}");
        }
    }
    let count = get("esearch.fcgi?db=pubmed&term=dementia&rettype=count");
    let (total, _) = f.search("dementia", Sort::EntryDate, 0, 0);
    assert!(
        count.body.contains(&format!("<Count>{total}</Count>")) && !count.body.contains("<IdList"),
        "{}",
        count.body
    );
    let body = get("esearch.fcgi?db=pubmed&term=dementia&retmode=json&retmax=3").body;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    // NCBI's order of members, as some clients read the text: header first, idlist after retstart.
    let at = |member: &str| body.find(&format!("\"{member}\":")).unwrap_or_else(|| panic!("{member}: {body}"));
    assert!(at("header") < at("esearchresult") && at("retstart") < at("idlist"), "{body}");
    assert!(at("idlist") < at("translationset") && at("translationset") < at("querytranslation"), "{body}");
    let (count, pmids) = f.search("dementia", Sort::EntryDate, 0, 3);
    assert_eq!(json["esearchresult"]["count"], count.to_string());
    assert_eq!(
        json["esearchresult"]["idlist"],
        serde_json::json!(pmids.iter().map(u32::to_string).collect::<Vec<_>>())
    );
    // POSTed forms read as GET parameters do.
    let posted = request(f.addr, "POST", "/entrez/eutils/esearch.fcgi?db=pubmed&term=dementia&rettype=count", None);
    assert_eq!(posted.body, get("esearch.fcgi?db=pubmed&term=dementia&rettype=count").body);
    // No hits: NCBI's warning.
    let none = compact(&get("esearch.fcgi?db=pubmed&term=zzqxjv+AND+dementia").body);
    assert!(none.contains("<IdList/>"), "{none}");
    assert!(none.contains("<ErrorList><PhraseNotFound>zzqxjv</PhraseNotFound></ErrorList>"), "{none}");
    assert!(none.contains("<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>"), "{none}");
}

#[test]
fn efetch_xml_is_nlms_bytes() {
    let Some(f) = fixture() else { return };
    let some: Vec<u32> = f.records.keys().copied().step_by(997).take(5).collect();
    let list = some.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let page = get(&format!("efetch.fcgi?db=pubmed&id={list}&rettype=xml&retmode=xml"));
    assert_eq!(page.status, 200);
    assert!(page.body.starts_with("<?xml") && page.body.contains("<!DOCTYPE PubmedArticleSet"));
    for p in &some {
        let Lookup::Found(stored) = f.archive().store.get(*p).unwrap() else { panic!("{p} is held") };
        let bytes = String::from_utf8(stored.xml).unwrap();
        assert!(page.body.contains(&bytes), "PMID {p}: the stored bytes are not in the response");
    }
    let ris = get(&format!("efetch.fcgi?db=pubmed&id={list}&rettype=ris"));
    assert_eq!(ris.body.matches("TY  - ").count(), some.len());
    let uids = get(&format!("efetch.fcgi?db=pubmed&id={list}&rettype=uilist&retmode=text"));
    assert_eq!(uids.body, some.iter().map(|p| format!("{p}\n")).collect::<String>());
    // An ID given again, in the list or in another parameter, is answered once, as NCBI does.
    let repeated = get(&format!("efetch.fcgi?db=pubmed&id={list},{list}&id={list}&rettype=xml"));
    assert_eq!(repeated.body, page.body, "repeated IDs fetch each record once");
}

#[test]
fn elink_keeps_repeated_ids_apart_and_comma_lists_together() {
    let Some(_) = fixture() else { return };
    let apart = get("elink.fcgi?dbfrom=pubmed&db=pubmed&id=28257650&id=24451147&linkname=pubmed_pubmed");
    assert_eq!(apart.body.matches("<LinkSet>").count(), 2);
    let together = get("elink.fcgi?dbfrom=pubmed&db=pubmed&id=28257650,24451147&linkname=pubmed_pubmed");
    assert_eq!(together.body.matches("<LinkSet>").count(), 1);
    let history = get("elink.fcgi?dbfrom=pubmed&db=pubmed&id=28257650&cmd=neighbor_history&linkname=pubmed_pubmed");
    assert!(history.body.contains("<LinkSetDbHistory>") && history.body.contains("<WebEnv>MCID_"));
    let ncheck = get("elink.fcgi?dbfrom=pubmed&id=28257650&cmd=ncheck");
    assert!(ncheck.body.contains("<Id HasNeighbor=\"Y\">28257650</Id>"), "{}", ncheck.body);
}

#[test]
fn a_term_with_a_query_key_searches_within_the_posted_set() {
    let Some(f) = fixture() else { return };
    let held: Vec<u32> = f.records.keys().copied().collect();
    let some = [held[0], held[held.len() / 2], held[held.len() - 1]];
    let posted = get(&format!("epost.fcgi?db=pubmed&id={},{}", some[0], some[1])).body;
    let webenv = posted.split("<WebEnv>").nth(1).and_then(|r| r.split('<').next()).unwrap().to_owned();
    let count = |path: &str| -> usize {
        let body = get(path).body;
        body.split("<Count>")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap_or_else(|| panic!("{body}"))
            .parse()
            .unwrap()
    };
    let term = format!("{}[pmid]+OR+{}[pmid]", some[0], some[2]);
    assert_eq!(count(&format!("esearch.fcgi?db=pubmed&term={term}")), 2);
    assert_eq!(count(&format!("esearch.fcgi?db=pubmed&query_key=1&WebEnv={webenv}")), 2);
    let within = format!("esearch.fcgi?db=pubmed&term={term}&query_key=1&WebEnv={webenv}");
    assert_eq!(count(&within), 1, "the term ANDed with the set");

    // A large posted set, searched as #1 (its IDs once made a query longer than allowed): up to
    // 7,000 held records, and PMIDs nobody holds to make 7,000 IDs; #1 finds the held ones.
    let held_posted: Vec<u32> = held.iter().copied().take(7_000).collect();
    let unheld = (1..).map(|i| 99_000_000 + i).filter(|id| !f.records.contains_key(id));
    let many: Vec<u32> = held_posted.iter().copied().chain(unheld.take(7_000 - held_posted.len())).collect();
    let list = many.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let posted = get(&format!("epost.fcgi?db=pubmed&id={list}")).body;
    let webenv = posted.split("<WebEnv>").nth(1).and_then(|r| r.split('<').next()).unwrap().to_owned();
    assert_eq!(count(&format!("esearch.fcgi?db=pubmed&term=%231&WebEnv={webenv}")), held_posted.len());
}

/// ESearch's date limits restrict what a strategy finds (its last line), as a line more would:
/// they were once pasted around the strategy's text, whose first and last lines they broke.
#[test]
fn date_limits_restrict_a_whole_strategy() {
    let Some(f) = fixture() else { return };
    let count = |path: &str| -> usize {
        let body = get(path).body;
        let count = body.split("<Count>").nth(1).and_then(|r| r.split('<').next());
        count.unwrap_or_else(|| panic!("{body}")).parse().unwrap()
    };
    let limited = count("esearch.fcgi?db=pubmed&term=heart%0Alung%0A%231+OR+%232&mindate=2000&maxdate=2015");
    let expected = f.search("heart\nlung\n#1 OR #2\n#3 AND 2000:2015[dp]", Sort::Relevance, 0, 0).0;
    let unlimited = f.search("heart OR lung", Sort::Relevance, 0, 0).0;
    assert_eq!(limited, expected);
    assert!(0 < expected && expected < unlimited, "{expected} of {unlimited}: the limit must matter");
    let days = count("esearch.fcgi?db=pubmed&term=heart&reldate=36500&datetype=edat");
    assert_eq!(days, f.search("heart AND \"last 36500 days\"[edat]", Sort::Relevance, 0, 0).0);
}

#[test]
fn bad_parameters_get_ncbis_errors_never_a_500() {
    let Some(_) = fixture() else { return };
    for (path, error) in [
        ("esearch.fcgi?db=fleegle&term=asthma", "<ERROR>Invalid db name specified: fleegle</ERROR>"),
        ("esearch.fcgi?db=pubmed", "<ERROR>Empty term and query_key - nothing todo</ERROR>"),
        ("esearch.fcgi?db=pubmed&term=asthma&retmax=many", "<ERROR>Invalid retmax value: many</ERROR>"),
        ("esearch.fcgi?db=pubmed&term=asthma&retstart=-1", "<ERROR>Invalid retstart value: -1</ERROR>"),
        ("esearch.fcgi?db=pubmed&term=asthma&sort=sideways", "<ERROR>Invalid sort: sideways</ERROR>"),
        ("esearch.fcgi?db=pubmed&term=asthma+AND", "<ERROR>"),
        ("esearch.fcgi?db=pubmed&term=%231&WebEnv=MCID_none", "<ERROR>Unable to obtain query #1</ERROR>"),
        ("esummary.fcgi?db=pubmed", "<ERROR>Neither query_key nor id specified</ERROR>"),
        ("esummary.fcgi?db=fleegle&id=1", "<ERROR>Invalid db name specified: fleegle</ERROR>"),
        ("efetch.fcgi?db=pubmed&id=28257650&rettype=nonsense", "<ERROR>Unknown rettype: nonsense</ERROR>"),
        ("efetch.fcgi?db=pubmed&query_key=abc&WebEnv=x", "<ERROR>Invalid query_key: abc</ERROR>"),
        ("epost.fcgi?db=nucleotide&id=1", "<ERROR>Wrong DB name</ERROR>"),
        ("einfo.fcgi?db=fleegle", "<ERROR>Can not retrieve DbInfo for db=fleegle</ERROR>"),
        ("elink.fcgi?dbfrom=pubmed&id=1&cmd=teleport", "<ERROR>Command 'teleport' is not supported</ERROR>"),
        ("elink.fcgi?dbfrom=pubmed", "<ERROR>Empty id list - nothing todo</ERROR>"),
    ] {
        let page = get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains(error), "{path}: {}", page.body);
    }
    let epost = get("epost.fcgi?db=pubmed&id=28257650,abc");
    assert!(
        epost.body.contains("<InvalidIdList>")
            && epost.body.contains("<Id>abc</Id>")
            && epost.body.contains("<QueryKey>1</QueryKey>")
    );
    let missing = get("esummary.fcgi?db=pubmed&id=1999999999&version=2.0");
    assert!(missing.body.contains("<error>cannot get document summary</error>"));
    assert_eq!(get("nonsense.fcgi").status, 404);
    // Unknown parameters (EDirect's and Biopython's) are ignored.
    let plain = get("esearch.fcgi?db=pubmed&term=asthma&rettype=count").body;
    assert_eq!(
        get("esearch.fcgi?db=pubmed&term=asthma&rettype=count&tool=edirect&edirect=19.0&email=a%40b&api_key=k").body,
        plain
    );
    // The summary DTD Biopython needs is served.
    assert!(
        request(
            fixture().expect("the test checked the fixture first").addr,
            "GET",
            "/entrez/eutils/dtd/esummary_pubmed.dtd",
            None
        )
        .body
        .contains("<!ELEMENT DocumentSummary ")
    );
}

#[test]
fn esearch_lists_ignored_stopwords_and_unknown_fields_as_ncbi_does() {
    let Some(_) = fixture() else { return };
    let ignored = get("esearch.fcgi?db=pubmed&term=the+memory+of+mice").body;
    for word in ["the", "of"] {
        assert!(ignored.contains(&format!("<PhraseIgnored>{word}</PhraseIgnored>")), "{ignored}");
    }
    let unknown = get("esearch.fcgi?db=pubmed&term=memory%5Bnosuchtag%5D").body;
    assert!(unknown.contains("<FieldNotFound>nosuchtag</FieldNotFound>"), "{unknown}");
    let json = get("esearch.fcgi?db=pubmed&term=the+memory&retmode=json").body;
    assert!(json.contains("\"phrasesignored\":[\"the\"]"), "{json}");
}

/// XML without the layout between its tags, to compare shapes whatever the indentation.
fn compact(xml: &str) -> String {
    xml.lines().map(str::trim).collect()
}
