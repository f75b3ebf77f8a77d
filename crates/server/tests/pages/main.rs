//! The pages over real HTTP on loopback, served from an archive of the shared corpus (plus the
//! seed record and two hostile copies of it); where `../shared` is absent the tests skip. What
//! each page must show is worked out here from
//! the parsed records and the seed page's text, never copied from the server's output.

mod browser;
mod clients;
mod eutils;
mod http;
mod params;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use engine::{Archive, SearchOptions, Sort};
use medline::Record;

/// Two records written to attack the pages, made from the seed record's real XML: markup that
/// must show as text (escaped in the file, or elements where PubMed allows none) beside markup
/// that must render (italics, sub- and superscripts, MathML).
fn hostile_records(archive: &Archive) -> String {
    let engine::Lookup::Found(seed) = archive.store.get(28257650).unwrap() else {
        panic!("the seed record is ingested")
    };
    let seed = String::from_utf8(seed.xml).unwrap();
    // A copy under its own PMID and volume (so that a citation match finds the seed alone).
    let as_pmid = |pmid: &str| {
        let xml =
            replace_first(&seed, "<PMID Version=\"1\">", "</PMID>", &format!("<PMID Version=\"1\">{pmid}</PMID>"));
        let xml = replace_first(&xml, "<Volume>", "</Volume>", &format!("<Volume>{pmid}</Volume>"));
        replace_first(
            &xml,
            "<ArticleId IdType=\"pubmed\">",
            "</ArticleId>",
            &format!("<ArticleId IdType=\"pubmed\">{pmid}</ArticleId>"),
        )
    };
    let mut first = as_pmid("99000001");
    for (open, close, element) in [
        (
            "<ArticleTitle",
            "</ArticleTitle>",
            "<ArticleTitle>Escaped &lt;script&gt;alert(\"title\")&lt;/script&gt; and \"&gt;&lt;img src=x onerror=alert(1)&gt; in a title</ArticleTitle>",
        ),
        (
            "<AbstractText",
            "</AbstractText>",
            "<AbstractText Label=\"BACKGROUND&quot; onmouseover=&quot;alert(2)\">An abstract with <i>in vivo</i> italics, CO<sub>2</sub>, x<sup>2</sup> and <b>bold</b>, and a formula <mml:math xmlns:mml=\"http://www.w3.org/1998/Math/MathML\"><mml:msup><mml:mi>e</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math>.</AbstractText>",
        ),
        ("<LastName", "</LastName>", "<LastName>O'Hostile&lt;b&gt;</LastName>"),
        // The seed's authors have no affiliation: the first one gets this one.
        (
            "</Author>",
            "</Author>",
            "<AffiliationInfo><Affiliation>Department of \"&gt;&lt;script&gt;alert(3)&lt;/script&gt;, Nowhere.</Affiliation></AffiliationInfo></Author>",
        ),
        (
            "<ArticleId IdType=\"doi\"",
            "</ArticleId>",
            "<ArticleId IdType=\"doi\">10.1000/\"onmouseover=\"alert(4)</ArticleId>",
        ),
    ] {
        first = replace_first(&first, open, close, element);
    }
    let second = replace_first(
        &as_pmid("99000002"),
        "<ArticleTitle",
        "</ArticleTitle>",
        "<ArticleTitle>Element <script>alert(\"element\")</script> and <img src=\"x\" onerror=\"alert(5)\"/> inside a title</ArticleTitle>",
    );
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PubmedArticleSet>\n{first}\n{second}\n</PubmedArticleSet>\n")
}

/// `xml` with its first element from `open` to `close` (inclusive) replaced by `element`.
fn replace_first(xml: &str, open: &str, close: &str, element: &str) -> String {
    let start = xml.find(open).unwrap_or_else(|| panic!("the seed record has {open}"));
    let end = start + xml[start..].find(close).unwrap() + close.len();
    format!("{}{element}{}", &xml[..start], &xml[end..])
}

pub struct Fixture {
    pub state: Arc<server::AppState>,
    pub addr: std::net::SocketAddr,
    pub records: BTreeMap<u32, Record>,
    /// `../shared`.
    pub shared: std::path::PathBuf,
}

/// The archive of `../shared`'s records and a server on it, built once per test binary; `None`
/// where `../shared` is absent (the test skips).
pub fn fixture() -> Option<&'static Fixture> {
    static FIXTURE: OnceLock<Option<Fixture>> = OnceLock::new();
    FIXTURE
        .get_or_init(|| {
            let shared = testdata::shared()?;
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pages");
            let _ = std::fs::remove_dir_all(&dir);
            let mut archive = Archive::open(&dir).unwrap();
            {
                let mut indexer = archive.indexer().unwrap();
                for path in testdata::corpus_files(&shared) {
                    let _ = engine::ingest_file(&archive, &mut indexer, &path, &mut ());
                }
                let hostile = dir.with_file_name("pages-hostile.xml");
                std::fs::write(&hostile, hostile_records(&archive)).unwrap();
                engine::ingest_file(&archive, &mut indexer, &hostile, &mut ()).unwrap();
                indexer.finish().unwrap();
            }
            let read = |path: &Path| mesh::read(std::fs::File::open(path).unwrap()).unwrap().1;
            let qualifiers = read(&shared.join("data/mesh/qual2024.xml.gz"));
            archive.load_mesh(&read(&shared.join("data/mesh/desc2024.xml.gz")), &qualifiers).unwrap();
            drop(archive);
            let archive = Archive::open_read_only(&dir).unwrap();
            let mut records = BTreeMap::new();
            archive
                .store
                .for_each_current(|r| {
                    let record = r.parse()?;
                    records.insert(record.pmid().id, record);
                    Ok(())
                })
                .unwrap();
            let state = Arc::new(server::AppState::new(archive, std::time::Duration::from_secs(3600)));
            let (tx, rx) = std::sync::mpsc::channel();
            let served = state.clone();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Runtime::new().unwrap();
                runtime.block_on(async {
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                    tx.send(listener.local_addr().unwrap()).unwrap();
                    server::serve(listener, served).await.unwrap();
                });
            });
            let addr = rx.recv().unwrap();
            Some(Fixture { state, addr, records, shared })
        })
        .as_ref()
}

impl Fixture {
    pub fn archive(&self) -> Arc<Archive> {
        self.state.archive()
    }

    pub fn base(&self) -> String {
        server::base_url(self.addr)
    }

    /// The engine's own answer for a query: (count, the PMIDs of one page).
    pub fn search(&self, query: &str, sort: Sort, offset: usize, limit: usize) -> (usize, Vec<u32>) {
        let options = SearchOptions { sort, limit, offset, today: engine::today() };
        let outcome = self.archive().search(query, &options).unwrap_or_else(|e| panic!("{query}: {e}"));
        (outcome.count, outcome.pmids)
    }

    /// Current records citing each PMID, from their reference lists.
    pub fn citing(&self) -> BTreeMap<u32, BTreeSet<u32>> {
        let mut out: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
        for (pmid, record) in &self.records {
            let Record::Article(a) = record else { continue };
            let references = a.pubmed.iter().flat_map(|p| &p.reference_lists).flat_map(|l| &l.references);
            for id in references.flat_map(|r| &r.article_ids).filter(|i| i.id_type == "pubmed") {
                if let Ok(cited) = id.value.trim().parse() {
                    out.entry(cited).or_default().insert(*pmid);
                }
            }
        }
        out
    }
}

/// One HTTP response.
pub struct Response {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }
}

/// A plain HTTP/1.0 request on loopback: the body ends with the stream, never in chunks (a
/// streamed answer to an HTTP/1.1 client comes chunked).
pub fn request(addr: std::net::SocketAddr, method: &str, target: &str, cookie: Option<&str>) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {target} HTTP/1.0\r\nHost: {addr}\r\n{cookie}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    Response { status, headers: head.to_owned(), body: body.to_owned() }
}

/// What a reader sees of a page: its text without tags, entities decoded, whitespace collapsed.
pub fn visible_text(html: &str) -> String {
    let html = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b..]),
        _ => html.to_owned(),
    };
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    let text = text.replace("&amp;", "&");
    normalize(&text)
}

/// Collapses whitespace and writes every dash as `-`, so text from PubMed's page and from the
/// XML compare equal.
pub fn normalize(text: &str) -> String {
    let text = text.replace(['\u{2013}', '\u{2014}'], "-");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Tags removed between a word and its punctuation leave a space behind.
    text.replace(" .", ".").replace(" ,", ",").replace(" :", ":").replace(" ;", ";").replace(" )", ")")
}

/// What the seed page (`pubmed-28257650-page.txt`) shows of the record, section by section, as
/// (section, text) pairs, read from the page's text. Figures (full text, a later issue) and
/// the sections whose data the seed's XML leaves out (MeSH, supplementary concepts) are not
/// included; the page's link labels after each reference (" - DOI - PubMed") are cut off.
pub fn seed_sections(shared: &Path) -> Vec<(&'static str, String)> {
    let page = std::fs::read_to_string(shared.join("seed/pubmed-28257650-page.txt")).unwrap().replace('\u{a0}', " ");
    let lines: Vec<&str> = page.lines().map(str::trim).collect();
    let at = |label: &str| lines.iter().position(|l| *l == label).unwrap_or_else(|| panic!("{label} in the seed"));
    let mut out = Vec::new();
    let nav = at("Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation");
    out.push(("badge", lines[nav + 1].to_owned()));
    out.push(("citation", lines[nav + 2].trim_start_matches(". ").to_owned()));
    out.push(("doi", lines[nav + 3].to_owned()));
    let affiliations = at("Affiliations");
    let title = lines[..affiliations].iter().rev().find(|l| !l.is_empty()).unwrap();
    out.push(("title", title.to_string()));
    let short = lines.iter().find(|l| l.contains(" et al. ")).unwrap();
    out.push(("short citation", short.split(" et al. ").next().unwrap().to_owned() + " et al."));
    for line in &lines[at("Abstract") + 1..at("PubMed Disclaimer")] {
        if !line.is_empty() {
            out.push(("abstract", line.to_string()));
        }
    }
    for line in &lines[at("References") + 1..at("Publication types")] {
        if let Some(reference) = line.strip_prefix("1. ") {
            let text = reference.split(" - DOI").next().unwrap();
            out.push(("reference", text.to_owned()));
        }
    }
    for heading in ["Abstract", "References", "Publication types"] {
        out.push(("heading", heading.to_owned()));
    }
    out.into_iter().map(|(section, text)| (section, normalize(&text))).collect()
}

/// A record chosen for a feature, with the texts and links its page must show.
pub struct Expectation {
    pub pmid: u32,
    pub feature: &'static str,
    pub texts: Vec<String>,
    /// (link text, where it goes).
    pub links: Vec<(String, String)>,
}

/// For each section of the record page that the seed record lacks, the first record of the
/// corpus that has it, and what its page must show, worked out from the parsed record.
pub fn feature_expectations(f: &Fixture) -> Vec<Expectation> {
    use medline::model::PubmedArticle;
    let articles = || {
        f.records.iter().filter_map(|(pmid, r)| match r {
            Record::Article(a) => Some((*pmid, a.as_ref())),
            Record::Book(_) => None,
        })
    };
    let first = |keep: &dyn Fn(&PubmedArticle) -> bool| articles().find(|(_, a)| keep(a));
    let mut out = Vec::new();

    let (pmid, a) = first(&|a| {
        let authors = a.medline.article.authors.iter().flat_map(|l| &l.authors);
        let mut authors = authors.clone();
        authors.clone().any(|au| au.identifiers.iter().any(|i| i.source == "ORCID"))
            && authors.all(|au| au.affiliations.len() == 1)
    })
    .expect("a record with ORCIDs");
    let authors = &a.medline.article.authors.as_ref().unwrap().authors;
    let mut texts = Vec::new();
    let mut links = Vec::new();
    let mut affiliations: Vec<String> = Vec::new();
    for au in authors {
        let af = au.affiliations[0].text.text.clone();
        if !affiliations.contains(&af) {
            affiliations.push(af);
        }
        let n = affiliations.iter().position(|x| *x == au.affiliations[0].text.text).unwrap() + 1;
        let name = [au.fore_name.as_deref(), au.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>();
        texts.push(format!("{} {n}", name.join(" ")));
        for id in au.identifiers.iter().filter(|i| i.source == "ORCID") {
            let orcid = id.value.rsplit('/').next().unwrap();
            links.push(("ORCID".to_owned(), format!("https://orcid.org/{orcid}")));
        }
    }
    texts.extend(affiliations.iter().map(|a| normalize(a)));
    out.push(Expectation { pmid, feature: "authors, numbered affiliations, ORCID", texts, links });

    let (pmid, a) = first(&|a| a.medline.mesh_headings.iter().any(|h| h.descriptor.major && h.qualifiers.is_empty()))
        .expect("a record with a major MeSH topic");
    let mut texts = vec!["MeSH terms".to_owned()];
    let mut links = Vec::new();
    for h in &a.medline.mesh_headings {
        let d = &h.descriptor;
        let star = if d.major { "*" } else { "" };
        texts.push(format!("{}{star}", d.name));
        links.push((format!("{}{star}", d.name), format!("/?term=\"{}\"[mh]", d.name)));
        for q in &h.qualifiers {
            let star = if q.major { "*" } else { "" };
            links.push((format!("{}{star}", q.name), format!("/?term=\"{}/{}\"[mh]", d.name, q.name)));
        }
    }
    out.push(Expectation { pmid, feature: "MeSH terms", texts, links });

    let (pmid, a) =
        first(&|a| a.medline.comments_corrections.iter().any(|c| c.ref_type == "ErratumIn")).expect("an erratum");
    let mut texts = Vec::new();
    for cc in a.medline.comments_corrections.iter().filter(|c| c.ref_type == "ErratumIn") {
        texts.push(normalize(&format!("Erratum in: {}", cc.ref_source)));
    }
    out.push(Expectation { pmid, feature: "comments and corrections", texts, links: Vec::new() });

    for (kind, feature) in [("RetractionIn", "Retraction in"), ("CommentIn", "Comment in")] {
        if let Some((pmid, a)) = first(&|a| a.medline.comments_corrections.iter().any(|c| c.ref_type == kind)) {
            let cc = a.medline.comments_corrections.iter().find(|c| c.ref_type == kind).unwrap();
            let texts = vec![normalize(&format!("{feature}: {}", cc.ref_source))];
            out.push(Expectation { pmid, feature, texts, links: Vec::new() });
        }
    }

    let (pmid, a) = first(&|a| {
        let refs = a.pubmed.iter().flat_map(|p| &p.reference_lists).flat_map(|l| &l.references);
        let cited: Vec<u32> = refs
            .flat_map(|r| &r.article_ids)
            .filter(|i| i.id_type == "pubmed")
            .filter_map(|i| i.value.parse().ok())
            .collect();
        cited.iter().any(|c| f.records.contains_key(c)) && cited.iter().any(|c| !f.records.contains_key(c))
    })
    .expect("a record citing records in the store and outside it");
    let mut links = Vec::new();
    let refs = a.pubmed.iter().flat_map(|p| &p.reference_lists).flat_map(|l| &l.references);
    for id in refs.flat_map(|r| &r.article_ids) {
        match id.id_type.as_str() {
            "pubmed" => {
                let cited: u32 = id.value.trim().parse().unwrap();
                let href = if f.records.contains_key(&cited) {
                    format!("/{cited}/")
                } else {
                    format!("https://pubmed.ncbi.nlm.nih.gov/{cited}/")
                };
                links.push(("PubMed".to_owned(), href));
            }
            "doi" => links.push(("DOI".to_owned(), format!("https://doi.org/{}", id.value))),
            _ => {}
        }
    }
    out.push(Expectation { pmid, feature: "references", texts: vec!["References".to_owned()], links });

    let citing = f.citing();
    let (cited, by) = citing.iter().find(|(cited, _)| f.records.contains_key(cited)).expect("a record cited by others");
    // The page lists the five newest of them; which five is checked in http.rs.
    let texts = vec!["Cited by".to_owned(), format!("{} articles in this archive", by.len())];
    out.push(Expectation { pmid: *cited, feature: "cited by", texts, links: Vec::new() });

    let (pmid, a) = first(&|a| a.medline.article.grants.as_ref().is_some_and(|g| !g.grants.is_empty()))
        .expect("a record with grants");
    let mut texts = vec!["Grants and funding".to_owned()];
    for g in &a.medline.article.grants.as_ref().unwrap().grants {
        let parts: Vec<&str> =
            [&g.grant_id, &g.acronym, &g.agency, &g.country].into_iter().flatten().map(String::as_str).collect();
        texts.push(normalize(&parts.join("/")));
    }
    out.push(Expectation { pmid, feature: "grants", texts, links: Vec::new() });

    let (pmid, a) = first(&|a| a.medline.coi_statement.is_some()).expect("a conflict of interest statement");
    let texts =
        vec!["Conflict of interest statement".to_owned(), normalize(&a.medline.coi_statement.as_ref().unwrap().text)];
    out.push(Expectation { pmid, feature: "conflict of interest", texts, links: Vec::new() });

    let (pmid, a) = first(&|a| !a.medline.suppl_mesh.is_empty() && !a.medline.chemicals.is_empty())
        .expect("supplementary concepts and substances");
    let mut texts = vec!["Supplementary concepts".to_owned(), "Substances".to_owned()];
    texts.extend(a.medline.suppl_mesh.iter().map(|s| normalize(&s.name)));
    texts.extend(a.medline.chemicals.iter().map(|c| normalize(&c.name)));
    out.push(Expectation { pmid, feature: "supplementary concepts and substances", texts, links: Vec::new() });

    let (pmid, a) = first(&|a| a.pubmed.as_ref().is_some_and(|p| p.article_id("pmc").is_some())).expect("a PMCID");
    let pmc = a.pubmed.as_ref().unwrap().article_id("pmc").unwrap();
    let texts = vec![format!("PMID: {pmid}"), format!("PMCID: {pmc}")];
    out.push(Expectation { pmid, feature: "identifiers", texts, links: Vec::new() });
    out
}

/// A URL with its `%XX` escapes and `+` decoded.
pub fn percent_decoded(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len()
                && url.is_char_boundary(i + 3)
                && u8::from_str_radix(&url[i + 1..i + 3], 16).is_ok() =>
            {
                out.push(u8::from_str_radix(&url[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every `<a>` of a page: (visible text, href with escapes decoded).
pub fn links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        rest = &rest[start..];
        let Some(end) = rest.find("</a>") else { break };
        let anchor = &rest[..end];
        let href = anchor.split("href=\"").nth(1).and_then(|h| h.split('"').next()).unwrap_or_default();
        let text = anchor.split_once('>').map(|(_, t)| t).unwrap_or_default();
        out.push((visible_text(text), percent_decoded(&href.replace("&amp;", "&").replace("&quot;", "\""))));
        rest = &rest[end..];
    }
    out
}
