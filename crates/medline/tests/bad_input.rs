//! Broken input gets an error that says what and where, never a panic or a hang.

use medline::{ArticleSetReader, ErrorKind, Item, ParseError};

/// Reads every item; returns the records read and the error that stopped the reader, if any.
fn read_all(bytes: &[u8]) -> (usize, Option<ParseError>) {
    let mut reader = match ArticleSetReader::new(std::io::Cursor::new(bytes.to_vec())) {
        Ok(r) => r,
        Err(e) => return (0, Some(e)),
    };
    let mut records = 0;
    loop {
        match reader.next_item() {
            Ok(Some(Item::Record(_))) => records += 1,
            Ok(Some(Item::Delete(_))) => {}
            Ok(None) => return (records, None),
            Err(e) => return (records, Some(e)),
        }
    }
}

fn error_of(bytes: &[u8]) -> ParseError {
    read_all(bytes).1.expect("an error")
}

const GOOD: &str = r#"<?xml version="1.0"?>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE"><PMID Version="1">1</PMID><Article><ArticleTitle>A &amp; B</ArticleTitle></Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
"#;

#[test]
fn the_good_document_reads() {
    assert_eq!(read_all(GOOD.as_bytes()).0, 1);
}

#[test]
fn real_malformed_files_name_the_fault_and_position() {
    let Some(shared) = testdata::shared() else {
        return;
    };
    let dir = shared.join("data/pubmed-malformed");
    let read = |name: &str| error_of(&std::fs::read(dir.join(name)).unwrap());

    let e = read("bare-ampersands-special_characters.xml.gz");
    assert!(matches!(e.kind, ErrorKind::Xml(_)), "{e}");
    assert!(e.position.line > 1, "{e}");

    // Ten records saved one after another with no set around them: each is read.
    let (records, error) = read_all(&std::fs::read(dir.join("no-root-element-pubmed_result.xml.gz")).unwrap());
    assert!(error.is_none(), "{error:?}");
    assert_eq!(records, 10);

    let e = read("record-without-pmid-scicopia.xml.gz");
    assert!(matches!(&e.kind, ErrorKind::MissingPmid(_)), "{e}");

    let e = read("truncated-pubmed_sample.xml.gz");
    assert!(matches!(&e.kind, ErrorKind::TruncatedGzip | ErrorKind::UnexpectedEof(_)), "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn truncation_anywhere_is_an_error() {
    for cut in [10, GOOD.len() / 2, GOOD.len() - 25] {
        let e = error_of(&GOOD.as_bytes()[..cut]);
        assert!(e.position.offset <= cut as u64, "{cut}: {e}");
    }
}

#[test]
fn invalid_utf8_is_an_error_with_its_line() {
    let bad = GOOD.replace("A &amp; B", "A \u{1} B").replace('\u{1}', "\u{7f}");
    let mut bytes = bad.into_bytes();
    let at = bytes.iter().position(|&b| b == 0x7f).unwrap();
    bytes[at] = 0xff;
    let e = error_of(&bytes);
    assert_eq!(e.position.line, 3, "{e}");
}

#[test]
fn structural_faults_are_named() {
    type Expectation = fn(&ErrorKind) -> bool;
    let cases: &[(&str, Expectation)] = &[
        ("", |k| matches!(k, ErrorKind::NoRoot)),
        ("   \n", |k| matches!(k, ErrorKind::NoRoot)),
        ("<html><body/></html>", |k| matches!(k, ErrorKind::UnknownRoot(r) if r == "html")),
        ("<PubmedArticleSet><Foo/></PubmedArticleSet>", |k| matches!(k, ErrorKind::UnexpectedElement { .. })),
        ("<PubmedArticleSet></PubmedArticleSet><PubmedArticleSet/>", |k| {
            matches!(k, ErrorKind::UnexpectedElement { .. })
        }),
        (
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>x1</PMID></MedlineCitation></PubmedArticle></PubmedArticleSet>",
            |k| matches!(k, ErrorKind::BadPmid(p) if p == "x1"),
        ),
        (
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&nbsp;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
            |k| matches!(k, ErrorKind::UndefinedEntity(e) if e == "nbsp"),
        ),
        ("<?xml version=\"1.0\" encoding=\"UTF-16\"?><PubmedArticleSet/>", |k| matches!(k, ErrorKind::Encoding(_))),
        ("<PubmedArticleSet><PubmedArticle></PubmedArticleSet>", |k| matches!(k, ErrorKind::Xml(_))),
    ];
    for (input, expected) in cases {
        let e = error_of(input.as_bytes());
        assert!(expected(&e.kind), "{input:?} gave {e}");
    }
}

#[test]
fn garbage_gzip_is_an_error() {
    let mut bytes = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    bytes.extend_from_slice(b"not deflate data at all");
    let e = error_of(&bytes);
    assert!(!e.to_string().is_empty());
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut doc =
        String::from("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>");
    doc.push_str(&"<i>".repeat(100_000));
    doc.push_str(&"</i>".repeat(100_000));
    doc.push_str("</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>");
    assert_eq!(read_all(doc.as_bytes()).0, 1);
    let mut doc = String::from("<PubmedArticleSet><PubmedArticle><Unknown>");
    doc.push_str(&"<x>".repeat(100_000));
    doc.push_str(&"</x>".repeat(100_000));
    doc.push_str("</Unknown><MedlineCitation><PMID>1</PMID></MedlineCitation></PubmedArticle></PubmedArticleSet>");
    assert_eq!(read_all(doc.as_bytes()).0, 1);
}

#[test]
fn deep_reference_lists_do_not_overflow() {
    let mut doc =
        String::from("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID></MedlineCitation><PubmedData>");
    doc.push_str(&"<ReferenceList>".repeat(100_000));
    doc.push_str(&"</ReferenceList>".repeat(100_000));
    doc.push_str("</PubmedData></PubmedArticle></PubmedArticleSet>");
    assert_eq!(read_all(doc.as_bytes()).0, 1);
}

/// A document whose second record is `body` inside `<PubmedArticle>`, after a good first one.
fn second_record(body: &str) -> String {
    format!(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID></MedlineCitation></PubmedArticle>\
         <PubmedArticle><MedlineCitation><PMID>2</PMID>{body}</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
}

fn oversized(bytes: &[u8]) -> (usize, medline::Oversized, u64) {
    match read_all(bytes) {
        (records, Some(ParseError { kind: ErrorKind::Oversized(what), position })) => (records, what, position.offset),
        other => panic!("expected an oversized input error, got {other:?}"),
    }
}

#[test]
fn a_decompression_bomb_stops_at_the_bound_on_a_run_of_text() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"<PubmedArticleSet>").unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        gz.write_all(&zeros).unwrap(); // 256 MB of zeros: a few hundred KB compressed
    }
    let compressed = gz.finish().unwrap();
    let (records, what, offset) = oversized(&compressed);
    assert_eq!((records, what), (0, medline::Oversized::Run));
    assert!(offset <= medline::reader::MAX_RUN_BYTES + (2 << 20), "stopped near the bound: {offset}");
}

#[test]
fn a_giant_text_attribute_or_record_is_refused_and_the_records_before_it_kept() {
    let huge = "a".repeat(medline::reader::MAX_RUN_BYTES as usize + 1);
    let title = second_record(&format!("<Article><ArticleTitle>{huge}</ArticleTitle></Article>"));
    let (records, what, _) = oversized(title.as_bytes());
    assert_eq!((records, what), (1, medline::Oversized::Run), "the first record was read");
    let attribute = second_record(&format!("<Article PubModel=\"{huge}\"></Article>"));
    assert_eq!(oversized(attribute.as_bytes()).1, medline::Oversized::Run);
    let keywords = "<Keyword>x</Keyword>".repeat((medline::reader::MAX_RECORD_BYTES + (1 << 20)) / 20);
    let long = second_record(&format!("<KeywordList>{keywords}</KeywordList>"));
    assert_eq!(oversized(long.as_bytes()).1, medline::Oversized::Record);
    // A large real-looking record is far inside the bounds.
    let authors = "<Author><LastName>Smith</LastName><ForeName>John</ForeName></Author>".repeat(20_000);
    assert_eq!(
        read_all(second_record(&format!("<Article><AuthorList>{authors}</AuthorList></Article>")).as_bytes()).0,
        2
    );
}

#[test]
fn a_file_whose_root_is_one_record_reads_as_that_record_with_its_bytes() {
    let Some((_, set)) = testdata::real_record_set() else { return };
    let text = String::from_utf8(set).unwrap();
    let start = text.find("<PubmedArticle>").unwrap();
    let end = text.find("</PubmedArticle>").unwrap() + "</PubmedArticle>".len();
    let record = &text[start..end];
    for file in [format!("<?xml version=\"1.0\" ?>\n{record}\n"), record.to_owned(), format!("{record}\n{record}")] {
        let mut reader = medline::ArticleSetReader::new(std::io::Cursor::new(file.clone().into_bytes())).unwrap();
        let mut read = Vec::new();
        while let Some(item) = reader.next_item().unwrap() {
            let medline::Item::Record(r) = item else { panic!("no deletions here") };
            assert_eq!(r.xml, record.as_bytes(), "NLM's bytes, exactly");
            assert_eq!(r.record, medline::parse_record(record.as_bytes()).unwrap());
            read.push(r.record.pmid().id);
        }
        assert_eq!(read.len(), file.matches("<PubmedArticle>").count());
    }
    // A record followed by something else is still refused.
    let e = error_of(format!("{record}<html/>").as_bytes());
    assert!(matches!(&e.kind, ErrorKind::UnexpectedElement { found, .. } if found == "html"), "{e}");
}

#[test]
fn records_in_a_root_of_their_own_are_read_with_a_warning_and_no_records_is_refused() {
    let Some((_, set)) = testdata::real_record_set() else { return };
    let set = String::from_utf8(set).unwrap();
    let start = set.find("<PubmedArticle>").unwrap();
    let end = set.find("</PubmedArticle>").unwrap() + "</PubmedArticle>".len();
    let record = &set[start..end];
    let file = format!("<?xml version=\"1.0\"?>\n<RAW_DATA>\n{record}\n{record}\n</RAW_DATA>\n");
    let mut reader = ArticleSetReader::new(std::io::Cursor::new(file.into_bytes())).unwrap();
    let mut read = 0;
    while let Some(item) = reader.next_item().unwrap() {
        let Item::Record(r) = item else { panic!("records only") };
        assert_eq!(r.xml, record.as_bytes());
        read += 1;
    }
    assert_eq!(read, 2);
    assert_eq!(reader.warning(), Some(medline::ReadWarning::ForeignRoot { root: "RAW_DATA".into(), skipped: 0 }));
    // Records among other things: the records read, the others skipped and counted.
    let mixed = format!("<RAW_DATA><meta><n>1</n></meta>\n{record}\n<note/>{record}</RAW_DATA>");
    let mut reader = ArticleSetReader::new(std::io::Cursor::new(mixed.into_bytes())).unwrap();
    let mut read = 0;
    while let Some(item) = reader.next_item().unwrap() {
        assert!(matches!(item, Item::Record(_)));
        read += 1;
    }
    assert_eq!(read, 2);
    assert_eq!(reader.warning(), Some(medline::ReadWarning::ForeignRoot { root: "RAW_DATA".into(), skipped: 2 }));
    for empty in ["<RAW_DATA></RAW_DATA>", "<RAW_DATA/>", "<RAW_DATA><note>hi</note></RAW_DATA>"] {
        let e = error_of(empty.as_bytes());
        assert!(matches!(&e.kind, ErrorKind::UnknownRoot(r) if r == "RAW_DATA"), "{empty}: {e}");
    }
    // NLM's own sets carry no warning.
    let mut nlm = ArticleSetReader::new(std::io::Cursor::new(set.into_bytes())).unwrap();
    while nlm.next_item().unwrap().is_some() {}
    assert_eq!(nlm.warning(), None);
}

/// Files as editors and other tools leave them: a byte-order mark, another DOCTYPE or none,
/// Windows line ends, and ISO-8859-1 declared in the prolog (read as such and stored as UTF-8);
/// an encoding Medlars does not read is refused by name.
#[test]
fn byte_order_marks_doctypes_line_ends_and_latin1_are_read() {
    let titles = |bytes: Vec<u8>| -> Vec<String> {
        let mut reader = ArticleSetReader::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = Vec::new();
        while let Some(item) = reader.next_item().unwrap() {
            let Item::Record(raw) = item else { continue };
            assert!(std::str::from_utf8(&raw.xml).is_ok(), "a record's bytes are UTF-8");
            out.push(raw.record.title().to_owned());
        }
        out
    };
    let body = GOOD.split_once("?>").unwrap().1;
    let want = vec!["A & B".to_owned()];
    assert_eq!(titles([b"\xEF\xBB\xBF".as_slice(), GOOD.as_bytes()].concat()), want, "a byte-order mark");
    assert_eq!(titles(body.trim_start().as_bytes().to_vec()), want, "no prolog, no DOCTYPE");
    let system = format!("<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet SYSTEM \"pubmed_190101.dtd\">{body}");
    assert_eq!(titles(system.into_bytes()), want, "a SYSTEM DOCTYPE");
    let public = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2019//EN\" \
         \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd\">{body}"
    );
    assert_eq!(titles(public.into_bytes()), want, "an older PUBLIC DOCTYPE");
    assert_eq!(titles(GOOD.replace('\n', "\r\n").into_bytes()), want, "Windows line ends");
    // `Müller` in ISO-8859-1: ü is the one byte 0xFC.
    let latin1 = GOOD.replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
    let latin1 = latin1.replace("A &amp; B", "M\u{fc}ller").chars().map(|c| c as u8).collect::<Vec<u8>>();
    assert_eq!(titles(latin1), vec!["M\u{fc}ller".to_owned()]);
    let cp1252 = GOOD.replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"windows-1252\"?>");
    let e = error_of(cp1252.as_bytes());
    assert!(matches!(&e.kind, ErrorKind::Encoding(name) if name == "windows-1252"), "{e}");
}
