//! The model holds what the XML says: spot checks of fields on real records.

use medline::model::Date;
use medline::{ArticleSetReader, Item, Record};

mod common;
use common::records_of;

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

/// No book record is among the shared files, so this one is written after NCBI Bookshelf's records
/// (element for element as the DTD has them).
const BOOK: &str = r#"<?xml version="1.0"?>
<PubmedArticleSet>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">20301295</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK1116</ArticleId></ArticleIdList>
    <Book>
      <Publisher><PublisherName>University of Washington, Seattle</PublisherName><PublisherLocation>Seattle (WA)</PublisherLocation></Publisher>
      <BookTitle book="gene">GeneReviews<sup>®</sup></BookTitle>
      <PubDate><Year>1993</Year></PubDate>
      <BeginningDate><Year>1993</Year></BeginningDate>
      <EndingDate><Year>2024</Year></EndingDate>
      <AuthorList Type="editors"><Author><LastName>Adam</LastName><ForeName>Margaret P</ForeName><Initials>MP</Initials></Author></AuthorList>
      <Medium>Internet</Medium>
    </Book>
    <LocationLabel Type="chapter">Chapter 1</LocationLabel>
    <ArticleTitle book="gene" part="ahc">Alternating Hemiplegia of Childhood</ArticleTitle>
    <Language>eng</Language>
    <AuthorList Type="authors">
      <Author><CollectiveName Investigators="inv1">The AHC Consortium</CollectiveName></Author>
    </AuthorList>
    <InvestigatorList ID="inv1"><Investigator><LastName>Sweney</LastName><ForeName>Melissa T</ForeName><Initials>MT</Initials></Investigator></InvestigatorList>
    <PublicationType UI="D016454">Review</PublicationType>
    <Abstract><AbstractText Label="CLINICAL CHARACTERISTICS">Onset before 18 months.</AbstractText><CopyrightInformation>Copyright © 1993-2024</CopyrightInformation></Abstract>
    <Sections>
      <Section><SectionTitle book="gene" part="ahc" sec="ahc.Summary">Summary</SectionTitle></Section>
      <Section><SectionTitle>Diagnosis</SectionTitle><Section><SectionTitle>Suggestive Findings</SectionTitle></Section></Section>
    </Sections>
    <ContributionDate><Year>2012</Year><Month>03</Month><Day>22</Day></ContributionDate>
    <DateRevised><Year>2018</Year><Month>05</Month><Day>17</Day></DateRevised>
    <ItemList ListType="Synonyms"><Item>AHC</Item></ItemList>
  </BookDocument>
  <PubmedBookData>
    <History><PubMedPubDate PubStatus="entrez"><Year>2010</Year><Month>3</Month><Day>20</Day><Hour>6</Hour><Minute>0</Minute></PubMedPubDate></History>
    <PublicationStatus>ppublish</PublicationStatus>
    <ArticleIdList><ArticleId IdType="pubmed">20301295</ArticleId></ArticleIdList>
  </PubmedBookData>
</PubmedBookArticle>
<DeleteCitation><PMID Version="1">123</PMID></DeleteCitation>
</PubmedArticleSet>
"#;

#[test]
fn book_articles() {
    let mut reader = ArticleSetReader::new(std::io::Cursor::new(BOOK.as_bytes().to_vec())).unwrap();
    let Some(Item::Record(raw)) = reader.next_item().unwrap() else { panic!("a record first") };
    assert_eq!(raw.element, medline::RecordElement::PubmedBookArticle);
    let Record::Book(book) = &raw.record else { panic!("a book") };
    let d = &book.book;
    assert_eq!(d.pmid.id, 20301295);
    assert_eq!(raw.record.title(), "Alternating Hemiplegia of Childhood");
    assert_eq!(d.article_title_link.as_ref().unwrap().part.as_deref(), Some("ahc"));
    assert_eq!(d.book.title.text, "GeneReviews®");
    assert_eq!(d.book.title.markup.as_deref(), Some("GeneReviews<sup>®</sup>"));
    assert_eq!(d.book.title_link.as_ref().unwrap().book.as_deref(), Some("gene"));
    assert_eq!(d.book.author_lists[0].list_type.as_deref(), Some("editors"));
    assert_eq!(d.book.publisher_location.as_deref(), Some("Seattle (WA)"));
    assert_eq!(d.location_labels[0].label_type.as_deref(), Some("chapter"));
    let group = &d.author_lists[0].authors[0];
    assert_eq!(group.investigators_ref.as_deref(), Some("inv1"));
    let investigators = d.investigator_list.as_ref().unwrap();
    assert_eq!((investigators.id.as_deref(), investigators.investigators.len()), (Some("inv1"), 1));
    assert_eq!(d.sections[0].title_link.as_ref().unwrap().sec.as_deref(), Some("ahc.Summary"));
    assert_eq!(d.sections[1].sections[0].title.text, "Suggestive Findings");
    assert_eq!(d.contribution_date.as_ref().unwrap().month.as_deref(), Some("03"));
    assert_eq!(d.item_lists[0].items, ["AHC"]);
    assert_eq!(book.pubmed.as_ref().unwrap().publication_status.as_deref(), Some("ppublish"));
    assert!(matches!(reader.next_item().unwrap(), Some(Item::Delete(p)) if p[0].id == 123));
    assert!(reader.next_item().unwrap().is_none());
    assert_eq!(medline::parse_record(&raw.xml).unwrap(), raw.record);
}
