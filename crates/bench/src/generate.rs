//! A deterministic generator of PubMed XML at any scale, shaped like NLM's baseline (30,000
//! records per gzip file) and update files (new records, revisions, deletions).
//!
//! Its statistics are learned from real records (`../shared/data/pubmed`): every draw picks an
//! observed value, so frequencies follow the corpus. Words are drawn from the corpus's running
//! text token by token (a Zipfian vocabulary by construction); title lengths, abstract layouts
//! (labelled sections and their lengths), author counts, names, affiliations, journals, years,
//! publication types, languages, keyword and reference counts are drawn from observed records;
//! MeSH headings and qualifiers from the observed headings, and one in ten from the whole of
//! MeSH 2024. References point to earlier PMIDs. Records are written in DTD order.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use medline::{ArticleSetReader, Item, Record};

/// Records per baseline file, as NLM publishes them.
pub const PER_FILE: u32 = 30_000;

/// SplitMix64: small, fast and deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

#[derive(Clone)]
struct Journal {
    title: String,
    iso: String,
    issn: String,
    nlm_id: String,
    country: String,
}

/// An abstract's layout: (label, category, words) per section.
type Layout = Vec<(Option<String>, Option<String>, usize)>;

/// One file to write: its path, seed, records (PMID, revision) and deleted PMIDs.
struct Job {
    path: std::path::PathBuf,
    seed: u64,
    records: Vec<(u32, u32)>,
    deleted: Vec<u32>,
}

#[derive(Clone)]
struct Term {
    name: String,
    ui: String,
}

/// What the generator learned from real records.
pub struct Model {
    vocabulary: Vec<String>,
    /// Running text as indices into `vocabulary`, in order: drawing a position draws a word
    /// with its corpus frequency.
    tokens: Vec<u32>,
    title_lengths: Vec<usize>,
    /// Observed abstract layouts; empty for none.
    abstracts: Vec<Layout>,
    author_counts: Vec<usize>,
    last_names: Vec<String>,
    fore_names: Vec<String>,
    affiliations: Vec<String>,
    journals: Vec<Journal>,
    years: Vec<u16>,
    publication_types: Vec<Term>,
    languages: Vec<String>,
    heading_counts: Vec<usize>,
    headings: Vec<Term>,
    all_descriptors: Vec<Term>,
    qualifiers: Vec<Term>,
    qualifier_rate: f64,
    keyword_counts: Vec<usize>,
    reference_counts: Vec<usize>,
}

fn or_default<T: Clone>(items: Vec<T>, default: T) -> Vec<T> {
    if items.is_empty() { vec![default] } else { items }
}

impl Model {
    /// Learns from every record in `corpus` (files or directories), and all of MeSH from
    /// `descriptors` (NLM's descriptor XML).
    pub fn learn(corpus: &[std::path::PathBuf], descriptors: &Path) -> anyhow::Result<Model> {
        let mut learner = Learner {
            vocabulary: Vec::new(),
            index: std::collections::HashMap::new(),
            m: Model::empty(),
            with_qualifiers: 0,
            headings_total: 0,
        };
        for path in corpus {
            for file in engine::expand_paths(path)? {
                let Ok(mut reader) = ArticleSetReader::new(std::fs::File::open(&file)?) else { continue };
                while let Ok(Some(item)) = reader.next_item() {
                    let Item::Record(raw) = item else { continue };
                    let Record::Article(a) = raw.record else { continue };
                    learner.article(&a);
                }
            }
        }
        learner.finish(descriptors)
    }

    fn empty() -> Model {
        Model {
            vocabulary: Vec::new(),
            tokens: Vec::new(),
            title_lengths: Vec::new(),
            abstracts: Vec::new(),
            author_counts: Vec::new(),
            last_names: Vec::new(),
            fore_names: Vec::new(),
            affiliations: Vec::new(),
            journals: Vec::new(),
            years: Vec::new(),
            publication_types: Vec::new(),
            languages: Vec::new(),
            heading_counts: Vec::new(),
            headings: Vec::new(),
            all_descriptors: Vec::new(),
            qualifiers: Vec::new(),
            qualifier_rate: 0.0,
            keyword_counts: Vec::new(),
            reference_counts: Vec::new(),
        }
    }

    /// `n` words drawn with their corpus frequencies, XML-escaped.
    fn words(&self, rng: &mut Rng, n: usize) -> String {
        let mut out = String::new();
        for i in 0..n.max(1) {
            if i > 0 {
                out.push(' ');
            }
            let token = self.tokens[rng.below(self.tokens.len())];
            out.push_str(&medline::text::escape(&self.vocabulary[token as usize]));
        }
        out
    }

    fn heading(&self, rng: &mut Rng) -> &Term {
        if self.headings.is_empty() || rng.chance(0.1) {
            rng.pick(&self.all_descriptors)
        } else {
            rng.pick(&self.headings)
        }
    }

    /// One `PubmedArticle` element. `revision` > 0 marks a revised record (different text, a
    /// later revision date).
    pub fn article(&self, rng: &mut Rng, pmid: u32, revision: u32) -> String {
        let mut x = String::with_capacity(8 * 1024);
        // The parts in the order of the record, each drawing from `rng` in turn.
        let (journal, day) = self.citation_start(&mut x, rng, pmid, revision);
        self.abstract_and_authors(&mut x, rng);
        self.types_and_journal_info(&mut x, rng, journal);
        self.headings_and_keywords(&mut x, rng);
        self.pubmed_data(&mut x, rng, pmid, day);
        x.push_str("</PubmedData></PubmedArticle>\n");
        x
    }

    /// Dates, journal issue, title and pages; the journal and the (year, month, day) drawn.
    fn citation_start(
        &self,
        x: &mut String,
        rng: &mut Rng,
        pmid: u32,
        revision: u32,
    ) -> (&Journal, (u16, usize, usize)) {
        let esc = |s: &str| medline::text::escape(s).into_owned();
        let months = medline::format::MONTHS;
        let year = *rng.pick(&self.years);
        let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
        let journal = rng.pick(&self.journals);
        x.push_str(&format!(
            "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
             <DateCompleted><Year>{year}</Year><Month>{month:02}</Month><Day>{day:02}</Day></DateCompleted>\
             <DateRevised><Year>{}</Year><Month>{month:02}</Month><Day>{day:02}</Day></DateRevised>\
             <Article PubModel=\"Print\"><Journal>",
            year as u32 + 1 + revision
        ));
        if !journal.issn.is_empty() {
            x.push_str(&format!("<ISSN IssnType=\"Print\">{}</ISSN>", esc(&journal.issn)));
        }
        let volume = 1 + rng.below(200);
        let first_page = 1 + rng.below(2000);
        let title_words = *rng.pick(&self.title_lengths);
        x.push_str(&format!(
            "<JournalIssue CitedMedium=\"Print\"><Volume>{volume}</Volume><Issue>{}</Issue><PubDate><Year>{year}</Year><Month>{}</Month></PubDate></JournalIssue>\
             <Title>{}</Title><ISOAbbreviation>{}</ISOAbbreviation></Journal><ArticleTitle>{}.</ArticleTitle>\
             <Pagination><MedlinePgn>{first_page}-{}</MedlinePgn></Pagination>",
            1 + rng.below(12),
            months[month - 1],
            esc(&journal.title),
            esc(&journal.iso),
            self.words(rng, title_words),
            first_page + 1 + rng.below(20),
        ));
        (journal, (year, month, day))
    }

    fn abstract_and_authors(&self, x: &mut String, rng: &mut Rng) {
        let esc = |s: &str| medline::text::escape(s).into_owned();
        let layout = rng.pick(&self.abstracts).clone();
        if !layout.is_empty() {
            x.push_str("<Abstract>");
            for (label, category, n) in layout {
                match (label, category) {
                    (Some(l), Some(c)) => {
                        x.push_str(&format!("<AbstractText Label=\"{}\" NlmCategory=\"{}\">", esc(&l), esc(&c)))
                    }
                    (Some(l), None) => x.push_str(&format!("<AbstractText Label=\"{}\">", esc(&l))),
                    _ => x.push_str("<AbstractText>"),
                }
                x.push_str(&self.words(rng, n));
                x.push_str("</AbstractText>");
            }
            x.push_str("</Abstract>");
        }
        let authors = *rng.pick(&self.author_counts);
        if authors > 0 {
            x.push_str("<AuthorList CompleteYN=\"Y\">");
            for _ in 0..authors {
                let fore = rng.pick(&self.fore_names);
                let initials: String = fore.split([' ', '-']).filter_map(|p| p.chars().next()).collect();
                x.push_str(&format!(
                    "<Author ValidYN=\"Y\"><LastName>{}</LastName><ForeName>{}</ForeName><Initials>{}</Initials>\
                     <AffiliationInfo><Affiliation>{}</Affiliation></AffiliationInfo></Author>",
                    esc(rng.pick::<String>(&self.last_names)),
                    esc(fore),
                    esc(&initials),
                    esc(rng.pick::<String>(&self.affiliations))
                ));
            }
            x.push_str("</AuthorList>");
        }
    }

    fn types_and_journal_info(&self, x: &mut String, rng: &mut Rng, journal: &Journal) {
        let esc = |s: &str| medline::text::escape(s).into_owned();
        x.push_str(&format!("<Language>{}</Language><PublicationTypeList>", esc(rng.pick::<String>(&self.languages))));
        let pt = rng.pick(&self.publication_types);
        x.push_str(&format!("<PublicationType UI=\"{}\">{}</PublicationType>", esc(&pt.ui), esc(&pt.name)));
        if pt.name != "Journal Article" {
            x.push_str("<PublicationType UI=\"D016428\">Journal Article</PublicationType>");
        }
        x.push_str(&format!(
            "</PublicationTypeList></Article><MedlineJournalInfo><Country>{}</Country><MedlineTA>{}</MedlineTA><NlmUniqueID>{}</NlmUniqueID></MedlineJournalInfo>",
            esc(&journal.country),
            esc(&journal.iso),
            esc(&journal.nlm_id)
        ));
    }

    fn headings_and_keywords(&self, x: &mut String, rng: &mut Rng) {
        let esc = |s: &str| medline::text::escape(s).into_owned();
        let headings = *rng.pick(&self.heading_counts);
        if headings > 0 {
            x.push_str("<MeshHeadingList>");
            for _ in 0..headings {
                let d = self.heading(rng);
                let major = if rng.chance(0.25) { "Y" } else { "N" };
                x.push_str(&format!(
                    "<MeshHeading><DescriptorName UI=\"{}\" MajorTopicYN=\"{major}\">{}</DescriptorName>",
                    esc(&d.ui),
                    esc(&d.name)
                ));
                if !self.qualifiers.is_empty() && rng.chance(self.qualifier_rate) {
                    let q = rng.pick(&self.qualifiers);
                    let major = if rng.chance(0.3) { "Y" } else { "N" };
                    x.push_str(&format!(
                        "<QualifierName UI=\"{}\" MajorTopicYN=\"{major}\">{}</QualifierName>",
                        esc(&q.ui),
                        esc(&q.name)
                    ));
                }
                x.push_str("</MeshHeading>");
            }
            x.push_str("</MeshHeadingList>");
        }
        let keywords = *rng.pick(&self.keyword_counts);
        if keywords > 0 {
            x.push_str("<KeywordList Owner=\"NOTNLM\">");
            for _ in 0..keywords {
                let n = 1 + rng.below(3);
                x.push_str(&format!("<Keyword MajorTopicYN=\"N\">{}</Keyword>", self.words(rng, n)));
            }
            x.push_str("</KeywordList>");
        }
    }

    /// History, identifiers and the reference list.
    fn pubmed_data(&self, x: &mut String, rng: &mut Rng, pmid: u32, (year, month, day): (u16, usize, usize)) {
        let esc = |s: &str| medline::text::escape(s).into_owned();
        x.push_str(&format!(
            "</MedlineCitation><PubmedData><History>\
             <PubMedPubDate PubStatus=\"entrez\"><Year>{year}</Year><Month>{month}</Month><Day>{day}</Day><Hour>6</Hour><Minute>0</Minute></PubMedPubDate>\
             <PubMedPubDate PubStatus=\"pubmed\"><Year>{year}</Year><Month>{month}</Month><Day>{day}</Day><Hour>6</Hour><Minute>0</Minute></PubMedPubDate>\
             <PubMedPubDate PubStatus=\"medline\"><Year>{year}</Year><Month>{month}</Month><Day>{day}</Day><Hour>6</Hour><Minute>1</Minute></PubMedPubDate>\
             </History><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>\
             <ArticleId IdType=\"pubmed\">{pmid}</ArticleId><ArticleId IdType=\"doi\">10.5555/gen.{pmid}</ArticleId></ArticleIdList>"
        ));
        let references = if pmid > 1 { *rng.pick(&self.reference_counts) } else { 0 };
        if references > 0 {
            x.push_str("<ReferenceList>");
            for _ in 0..references {
                let cited = 1 + rng.below(pmid as usize - 1);
                let n = 6 + rng.below(8);
                x.push_str(&format!(
                    "<Reference><Citation>{} {}. {}. {}. {};{}:{}.</Citation><ArticleIdList><ArticleId IdType=\"pubmed\">{cited}</ArticleId></ArticleIdList></Reference>",
                    esc(rng.pick::<String>(&self.last_names)),
                    esc(&rng.pick(&self.fore_names).chars().take(1).collect::<String>()),
                    self.words(rng, n),
                    esc(&rng.pick(&self.journals).iso),
                    rng.pick(&self.years),
                    1 + rng.below(200),
                    1 + rng.below(2000),
                ));
            }
            x.push_str("</ReferenceList>");
        }
    }
}

/// What learning has gathered so far: the words seen, and the model's samples.
struct Learner {
    vocabulary: Vec<String>,
    index: std::collections::HashMap<String, u32>,
    m: Model,
    with_qualifiers: usize,
    headings_total: usize,
}

impl Learner {
    /// The words of `text` as vocabulary numbers appended to the model's tokens; how many.
    fn tokens(&mut self, text: &str) -> usize {
        let mut n = 0;
        for word in text.split_whitespace() {
            let word: String = word.chars().filter(|c| !matches!(c, '<' | '>' | '&')).collect();
            if word.is_empty() {
                continue;
            }
            let vocabulary = &mut self.vocabulary;
            let id = *self.index.entry(word.clone()).or_insert_with(|| {
                vocabulary.push(word);
                vocabulary.len() as u32 - 1
            });
            self.m.tokens.push(id);
            n += 1;
        }
        n
    }

    /// One article's lengths, names, journal, year, types, languages, headings and counts.
    fn article(&mut self, a: &medline::model::PubmedArticle) {
        let med = &a.medline;
        let art = &med.article;
        let title_length = self.tokens(&art.title.text);
        self.m.title_lengths.push(title_length);
        let layout = art
            .abstract_
            .iter()
            .flat_map(|x| &x.texts)
            .map(|t| (t.label.clone(), t.nlm_category.clone(), self.tokens(&t.text.text)))
            .collect();
        self.m.abstracts.push(layout);
        let authors = art.authors.as_ref().map_or(&[][..], |l| &l.authors);
        self.m.author_counts.push(authors.len());
        for au in authors {
            if let (Some(l), Some(f)) = (au.last(), au.fore()) {
                self.m.last_names.push(l.to_owned());
                self.m.fore_names.push(f.to_owned());
            }
            self.m.affiliations.extend(au.affiliations.iter().map(|x| x.text.text.clone()));
        }
        let j = &art.journal;
        if let (Some(title), Some(iso)) = (&j.title, &j.iso_abbreviation) {
            self.m.journals.push(Journal {
                title: title.clone(),
                iso: iso.clone(),
                issn: j.issn.as_ref().map(|i| i.value.clone()).unwrap_or_default(),
                nlm_id: med.journal_info.nlm_unique_id.clone().unwrap_or_default(),
                country: med.journal_info.country.clone().unwrap_or_default(),
            });
        }
        if let Some(y) = j.pub_date.year.as_deref().and_then(|y| y.parse().ok()).filter(|y| (1900..=2026).contains(y)) {
            self.m.years.push(y);
        }
        self.m.publication_types.extend(
            art.publication_types.iter().filter_map(|p| Some(Term { name: p.name.clone(), ui: p.ui.clone()? })),
        );
        self.m.languages.extend(art.languages.iter().cloned());
        self.m.heading_counts.push(med.mesh_headings.len());
        for h in &med.mesh_headings {
            self.headings_total += 1;
            if let Some(ui) = &h.descriptor.ui {
                self.m.headings.push(Term { name: h.descriptor.name.clone(), ui: ui.clone() });
            }
            if !h.qualifiers.is_empty() {
                self.with_qualifiers += 1;
            }
            self.m
                .qualifiers
                .extend(h.qualifiers.iter().filter_map(|q| Some(Term { name: q.name.clone(), ui: q.ui.clone()? })));
        }
        self.m.keyword_counts.push(med.keyword_lists.iter().map(|l| l.keywords.len()).sum());
        let refs = a.pubmed.iter().flat_map(|p| &p.reference_lists).map(|l| l.references.len()).sum();
        self.m.reference_counts.push(refs);
    }

    fn finish(self, descriptors: &Path) -> anyhow::Result<Model> {
        let mut m = self.m;
        let (_, descriptors) = mesh::read(std::fs::File::open(descriptors)?)?;
        m.all_descriptors = descriptors.into_iter().map(|d| Term { name: d.name, ui: d.ui }).collect();
        m.vocabulary = self.vocabulary;
        m.qualifier_rate = self.with_qualifiers as f64 / self.headings_total.max(1) as f64;
        anyhow::ensure!(!m.tokens.is_empty() && !m.title_lengths.is_empty(), "no records to learn from");
        let journal = Journal {
            title: "Journal".into(),
            iso: "J".into(),
            issn: String::new(),
            nlm_id: String::new(),
            country: String::new(),
        };
        m.journals = or_default(std::mem::take(&mut m.journals), journal);
        m.last_names = or_default(std::mem::take(&mut m.last_names), "Smith".into());
        m.fore_names = or_default(std::mem::take(&mut m.fore_names), "Jane".into());
        m.affiliations = or_default(std::mem::take(&mut m.affiliations), "Somewhere.".into());
        m.years = or_default(std::mem::take(&mut m.years), 2000);
        m.languages = or_default(std::mem::take(&mut m.languages), "eng".into());
        let article = Term { name: "Journal Article".into(), ui: "D016428".into() };
        m.publication_types = or_default(std::mem::take(&mut m.publication_types), article);
        Ok(m)
    }
}

const HEADER: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n<PubmedArticleSet>\n";

/// One gzip file of `records` (PMIDs, each with its revision number) and `deleted` PMIDs.
fn write_file(model: &Model, path: &Path, seed: u64, records: &[(u32, u32)], deleted: &[u32]) -> anyhow::Result<()> {
    let mut rng = Rng::new(seed);
    let file = std::fs::File::create(path)?;
    let mut gz = GzEncoder::new(std::io::BufWriter::with_capacity(1 << 20, file), Compression::default());
    gz.write_all(HEADER.as_bytes())?;
    for &(pmid, revision) in records {
        gz.write_all(model.article(&mut rng, pmid, revision).as_bytes())?;
    }
    if !deleted.is_empty() {
        gz.write_all(b"<DeleteCitation>\n")?;
        for pmid in deleted {
            gz.write_all(format!("<PMID Version=\"1\">{pmid}</PMID>\n").as_bytes())?;
        }
        gz.write_all(b"</DeleteCitation>\n")?;
    }
    gz.write_all(b"</PubmedArticleSet>\n")?;
    gz.finish()?.flush()?;
    Ok(())
}

/// Writes `records` records as baseline files into `out/baseline`, then `updates` update files
/// into `out/updates` (each: new records, revisions of earlier ones, deletions, in NLM's
/// proportions of a day's file scaled to the corpus). Files are written two at a time.
pub fn generate(model: &Model, out: &Path, records: u32, updates: u32, seed: u64) -> anyhow::Result<()> {
    let baseline = out.join("baseline");
    let update_dir = out.join("updates");
    std::fs::create_dir_all(&baseline)?;
    std::fs::create_dir_all(&update_dir)?;
    let files = records.div_ceil(PER_FILE);
    let mut jobs: Vec<Job> = (0..files)
        .map(|i| {
            let first = i * PER_FILE + 1;
            let last = ((i + 1) * PER_FILE).min(records);
            Job {
                path: baseline.join(format!("pubmed26n{:04}.xml.gz", i + 1)),
                seed: seed.wrapping_add(i as u64),
                records: (first..=last).map(|p| (p, 0)).collect(),
                deleted: Vec::new(),
            }
        })
        .collect();
    // A day's update file: about 1/1000 of the corpus new, half that revised, a tenth deleted.
    let mut next = records + 1;
    let mut rng = Rng::new(seed ^ 0xD1CE);
    for u in 0..updates {
        let new = (records / 1000).max(10);
        let revised: Vec<(u32, u32)> = (0..new / 2).map(|_| (1 + rng.below(records as usize) as u32, u + 1)).collect();
        let mut deleted: Vec<u32> = (0..(new / 10).max(1)).map(|_| 1 + rng.below(records as usize) as u32).collect();
        deleted.retain(|d| !revised.iter().any(|(r, _)| r == d));
        let mut batch: Vec<(u32, u32)> = (next..next + new).map(|p| (p, 0)).collect();
        batch.extend(revised);
        next += new;
        let path = update_dir.join(format!("pubmed26n{:04}.xml.gz", files + u + 1));
        jobs.push(Job { path, seed: seed.wrapping_add(1_000_000 + u as u64), records: batch, deleted });
    }
    let jobs = std::sync::Mutex::new(jobs.into_iter());
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    loop {
                        let job = jobs.lock().map_err(|_| anyhow::anyhow!("a generator thread failed"))?.next();
                        let Some(job) = job else { return Ok(()) };
                        write_file(model, &job.path, job.seed, &job.records, &job.deleted)?;
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().map_err(|_| anyhow::anyhow!("a generator thread panicked"))??;
        }
        Ok(())
    })
}
