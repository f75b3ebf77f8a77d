//! The model holds what the XML says: spot checks of fields on real records.

use medline::model::Date;
use medline::{ArticleSetReader, Item, Record};

fn records_of(path: &std::path::Path) -> Vec<Record> {
    let mut reader = ArticleSetReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let Item::Record(raw) = item {
            out.push(raw.record);
        }
    }
    out
}

fn article(record: &Record) -> &medline::model::PubmedArticle {
    match record {
        Record::Article(a) => a,
        Record::Book(_) => panic!("expected an article"),
    }
}

#[test]
fn seed_record_fields() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    let records = records_of(&shared.join("seed/pubmed-28257650.xml"));
    assert_eq!(records.len(), 1);
    let a = article(&records[0]);
    let m = &a.medline;
    assert_eq!((m.pmid.id, m.pmid.version), (28257650, 1));
    assert_eq!(m.status.as_deref(), Some("MEDLINE"));
    assert_eq!(m.indexing_method.as_deref(), Some("Automated"));
    let j = &m.article.journal;
    assert_eq!(j.issn.as_ref().unwrap().issn_type.as_deref(), Some("Electronic"));
    assert_eq!((j.volume.as_deref(), j.issue.as_deref()), (Some("11"), Some("1")));
    assert_eq!(j.pub_date.month.as_deref(), Some("Mar"));
    assert_eq!(j.iso_abbreviation.as_deref(), Some("J Med Case Rep"));
    assert!(m.article.title.text.starts_with("Subcutaneous immunoglobulins"));
    assert_eq!(m.article.elocation_ids[0].value, "10.1186/s13256-017-1211-9");
    let abs = m.article.abstract_.as_ref().unwrap();
    let labels: Vec<_> = abs.texts.iter().map(|t| t.label.as_deref().unwrap()).collect();
    assert_eq!(labels, ["BACKGROUND", "CASE PRESENTATION", "CONCLUSIONS"]);
    assert_eq!(abs.texts[1].nlm_category.as_deref(), Some("METHODS"));
    let authors = m.article.authors.as_ref().unwrap();
    assert!(!authors.complete);
    assert_eq!(authors.authors[0].last_name.as_deref(), Some("Cherin"));
    assert_eq!(m.article.publication_types[0].ui.as_deref(), Some("D002363"));
    assert_eq!(m.article.article_dates[0].date, Date { year: 2017, month: 3, day: 4, ..Date::default() });
    assert_eq!(m.keyword_lists[0].owner, "NOTNLM");
    assert_eq!(m.keyword_lists[0].keywords.len(), 7);
    let p = a.pubmed.as_ref().unwrap();
    assert_eq!(p.history[0].status, "entrez");
    assert_eq!(p.article_id("doi"), Some("10.1186/s13256-017-1211-9"));
    assert_eq!(p.reference_lists[0].references.len(), 5);
    assert_eq!(p.reference_lists[0].references[0].article_ids[0].id_type, "doi");
}

#[test]
fn inline_markup_is_kept_and_flattened() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    let records = records_of(&shared.join("data/pubmed/ncbiutils/markup.xml.gz"));
    let with_markup: Vec<_> = records
        .iter()
        .flat_map(|r| article(r).medline.article.abstract_.iter().flat_map(|a| a.texts.iter()))
        .filter(|t| t.text.markup.is_some())
        .collect();
    assert!(!with_markup.is_empty());
    let t = &with_markup[0].text;
    let markup = t.markup.as_deref().unwrap();
    assert!(markup.contains("<i>SOST</i>"), "{markup}");
    assert!(t.text.contains("SOST") && !t.text.contains("<i>"), "{}", t.text);
}

#[test]
fn mathml_is_kept_as_markup() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    let records = records_of(&shared.join("reference/samples/pubmed7.xml"));
    let texts: Vec<_> =
        records.iter().flat_map(|r| article(r).medline.article.abstract_.iter().flat_map(|a| a.texts.iter())).collect();
    let math = texts.iter().find(|t| t.text.markup.as_deref().is_some_and(|m| m.contains("<mml:math"))).unwrap();
    let markup = math.text.markup.as_deref().unwrap();
    assert!(markup.contains("xmlns:mml=\"http://www.w3.org/1998/Math/MathML\""), "{markup}");
    assert!(!math.text.text.contains("mml:"));
}

#[test]
fn equal_contribution_and_orcid() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    let dir = shared.join("data/pubmed");
    let records = records_of(&dir.join("ReCiter-PubMed-Retrieval-Tool/reciter/pubmed/xmlparser/equalcontrib.xml.gz"));
    let authors = &article(&records[0]).medline.article.authors.as_ref().unwrap().authors;
    assert_eq!(authors[0].equal_contrib, Some(true));
    let records = records_of(&dir.join("ncbiutils/orcid.xml.gz"));
    let orcids: Vec<_> = records
        .iter()
        .flat_map(|r| article(r).medline.article.authors.iter().flat_map(|l| l.authors.iter()))
        .flat_map(|a| a.identifiers.iter())
        .filter(|i| i.source == "ORCID")
        .collect();
    assert!(!orcids.is_empty());
}

#[test]
fn legacy_medline_citation_set() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    let records = records_of(&shared.join("data/pubmed/medline-indexer/xml/medsamp2014.xml.gz"));
    let first = article(&records[0]);
    assert_eq!(first.medline.pmid.id, 10540283);
    assert_eq!(first.medline.date_created.unwrap().year, 1999);
    assert!(first.pubmed.is_none());
    assert!(!first.medline.mesh_headings.is_empty());
}

#[test]
fn json_round_trips() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    for record in records_of(&shared.join("data/pubmed/efetch-alzheimer-2025/pubmed_0_to_99.xml.gz")) {
        let json = serde_json::to_string(&record).unwrap();
        let back: Record = serde_json::from_str(&json).unwrap();
        assert_eq!(back, record);
    }
}
