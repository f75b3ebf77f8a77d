//! The local PubMed in one data directory: the record store, the index kept in step with it, and
//! the MeSH vocabulary. Searching happens here.

use std::path::{Path, PathBuf};

use medline::Record;
use query::{Day, Mapping, Query, Vocabulary};
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{BitSet, DocAddress, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, Term};

use crate::error::{EngineError, Result};
use crate::index::{self, Fields};
use crate::search::Compiler;
use crate::store::Store;
use crate::vocabulary::MeshStore;

/// Today's date in UTC, for `"last N years"`.
pub fn today() -> query::Day {
    day_of(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0))
}

/// The UTC date of a time in seconds since 1970.
pub fn day_of(secs: u64) -> query::Day {
    let days = (secs / 86_400) as i64;
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
    query::Day { year, month, day }
}

/// Hits re-ranked by the relevance priors (PubMed re-ranks its top 500).
const RERANK: usize = 500;

/// Memory for each indexing thread's buffer before it writes a segment.
const WRITER_MEMORY: usize = 256 << 20;
/// Indexing threads during ingest. With one, ingest used 1.58 of 2 cores, waiting on it; with two,
/// 1.81 cores and 24% more records/s (1M generated records, BENCHMARKS.md).
const INDEXING_THREADS: usize = 2;
/// How long index changes may wait for a commit during an ingest. Committing after every file
/// costs a segment per file; waiting costs, after a crash, re-indexing the files since.
const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

pub struct Archive {
    dir: PathBuf,
    pub store: Store,
    index: tantivy::Index,
    fields: Fields,
    reader: IndexReader,
    mesh: Option<MeshStore>,
}

/// The order of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first: BM25 over the fields, weighted toward recent work and strong study types.
    #[default]
    Relevance,
    /// Newest publication date first.
    PubDate,
    /// Most recently added to PubMed first.
    EntryDate,
    FirstAuthor,
    LastAuthor,
    Journal,
    Title,
}

impl Sort {
    /// PubMed's names for the sorts, as the web and E-utilities clients send them.
    pub fn parse(name: &str) -> Option<Sort> {
        Some(match name.trim().to_ascii_lowercase().replace(['_', '+', '-'], " ").as_str() {
            "relevance" | "best match" | "" => Sort::Relevance,
            "pub date" | "pubdate" | "publication date" | "date" => Sort::PubDate,
            "most recent" | "recently added" | "entry date" | "recent" => Sort::EntryDate,
            "first author" | "author" | "fauth" => Sort::FirstAuthor,
            "last author" | "lauth" => Sort::LastAuthor,
            "journal" | "journalname" | "journal name" | "jour" => Sort::Journal,
            "title" => Sort::Title,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// The day `"last N years"` counts back from.
    pub today: Day,
}

/// One line of a strategy, as run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineOutcome {
    /// The line with every term's field made explicit: PubMed's "Search details".
    pub translation: String,
    pub count: usize,
}

#[derive(Debug, Clone)]
pub struct SearchOutcome {
    /// Every line of the strategy (one for a plain query); the last one is the answer.
    pub lines: Vec<LineOutcome>,
    /// Hits of the last line.
    pub count: usize,
    /// The requested page of hits, in the requested order.
    pub pmids: Vec<u32>,
    pub warnings: Vec<String>,
    /// What automatic term mapping did with untagged words.
    pub mappings: Vec<Mapping>,
}

impl Archive {
    /// Opens (creating if needed) the archive in `dir` for writing: for ingest and loading MeSH.
    /// A writer excludes every other process, readers included.
    pub fn open(dir: &Path) -> Result<Archive> {
        Self::open_with(dir, Store::open(dir)?, index::open)
    }

    /// Opens an existing archive for reading: searching, fetching, serving. Readers share it.
    pub fn open_read_only(dir: &Path) -> Result<Archive> {
        Self::open_with(dir, Store::open_read_only(dir)?, index::open_existing)
    }

    fn open_with(
        dir: &Path,
        store: Store,
        open_index: fn(&Path) -> Result<(tantivy::Index, Fields)>,
    ) -> Result<Archive> {
        let index_dir = dir.join("index");
        let (index, fields) = open_index(&index_dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| EngineError::index(&index_dir, e))?;
        let mesh = MeshStore::open(dir)?;
        Ok(Archive { dir: dir.to_owned(), store, index, fields, reader, mesh })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn mesh(&self) -> Option<&MeshStore> {
        self.mesh.as_ref()
    }

    /// Loads a MeSH vocabulary, replacing any loaded before.
    pub fn load_mesh(&mut self, descriptors: &[mesh::Descriptor], qualifiers: &[mesh::Descriptor]) -> Result<()> {
        self.mesh = None;
        self.mesh = Some(MeshStore::load(&self.dir, descriptors, qualifiers)?);
        Ok(())
    }

    fn index_err(&self, e: impl Into<tantivy::TantivyError>) -> EngineError {
        EngineError::index(&self.dir.join("index"), e)
    }

    /// The file sequence number the index has caught up with.
    fn index_seq(&self) -> Result<u32> {
        let metas = self.index.load_metas().map_err(|e| self.index_err(e))?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// True when the index lacks files the store has applied (after a crash between the two
    /// commits); the next ingest repairs it.
    pub fn index_behind(&self) -> Result<bool> {
        Ok(self.index_seq()? < self.store.last_seq()?)
    }

    /// A writer for ingest, after bringing the index up to the store.
    pub fn indexer(&self) -> Result<Indexer<'_>> {
        let writer: IndexWriter = self
            .index
            .writer_with_num_threads(INDEXING_THREADS, INDEXING_THREADS * WRITER_MEMORY)
            .map_err(|e| self.index_err(e))?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut indexer = Indexer { archive: self, writer, pending: None, committed_at: std::time::Instant::now() };
        indexer.catch_up()?;
        Ok(indexer)
    }

    fn searcher(&self) -> Result<Searcher> {
        self.reader.reload().map_err(|e| self.index_err(e))?;
        Ok(self.reader.searcher())
    }

    /// Runs a query or a strategy (one search per line, `#N` naming line N).
    pub fn search(&self, text: &str, options: &SearchOptions) -> Result<SearchOutcome> {
        Ok(self.run(text, options)?.0)
    }

    /// [`Archive::search`] and, for a search page's sidebar, the hits per publication year and
    /// how many hits each filter clause keeps. The query is compiled and run once; each clause
    /// runs alone and is counted inside the query's hits (a bit set per segment), rather than
    /// running query AND clause for every filter.
    pub fn search_with_facets(
        &self,
        text: &str,
        options: &SearchOptions,
        clauses: &[String],
    ) -> Result<(SearchOutcome, Facets)> {
        let (outcome, compiled, searcher) = self.run(text, options)?;
        let err = |e| self.index_err(e);
        let hits = searcher.search(compiled.as_ref(), &HitSets).map_err(err)?;
        let mut years = std::collections::BTreeMap::new();
        for (_, _, segment_years) in &hits {
            for (year, n) in segment_years {
                *years.entry(*year).or_insert(0) += n;
            }
        }
        let sets: std::sync::Arc<Vec<BitSet>> = std::sync::Arc::new({
            let mut sets: Vec<(u32, BitSet)> = hits.into_iter().map(|(ord, set, _)| (ord, set)).collect();
            sets.sort_by_key(|(ord, _)| *ord);
            sets.into_iter().map(|(_, set)| set).collect()
        });
        let mut counts = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let filter = self.compile_last(&searcher, clause, options.today)?;
            counts.push(searcher.search(filter.as_ref(), &CountWithin(sets.clone())).map_err(err)?);
        }
        Ok((outcome, Facets { years: years.into_iter().collect(), counts }))
    }

    /// Runs a query or strategy: the outcome, the last line's compiled query and the searcher
    /// it ran on.
    fn run(
        &self,
        text: &str,
        options: &SearchOptions,
    ) -> Result<(SearchOutcome, Box<dyn tantivy::query::Query>, Searcher)> {
        let parsed = query::parse_strategy(text)?;
        let searcher = self.searcher()?;
        let mut warnings: Vec<String> = Vec::new();
        let mut mappings = Vec::new();
        let tables = Tables { archive: self, searcher: &searcher };
        let mut history: Vec<(u32, Query)> = Vec::new();
        let mut lines = Vec::new();
        let mut last = None;
        let total_lines = parsed.len();
        for line in parsed {
            let mut line_warnings = line.parsed.warnings;
            let mapped = query::map_terms(line.parsed.query, &tables, &mut line_warnings, &mut mappings);
            for w in line_warnings {
                if !warnings.contains(&w.message) {
                    warnings.push(w.message);
                }
            }
            let mut compiler = Compiler::new(&searcher, &self.fields, self.mesh.as_ref(), options.today, &history);
            let compiled = match compiler.compile(&mapped) {
                Err(EngineError::Query(e)) if total_lines > 1 => {
                    let message = format!("line {}: {}", history.len() + 1, e.message);
                    return Err(query::QueryError { message, position: e.position }.into());
                }
                other => other?,
            };
            for w in compiler.warnings {
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
            let count = searcher.search(compiled.as_ref(), &Count).map_err(|e| self.index_err(e))?;
            lines.push(LineOutcome { translation: mapped.to_string(), count });
            history.push((line.number, mapped));
            last = Some((compiled, count));
        }
        let (compiled, count) = last.expect("a strategy has at least one line");
        if self.mesh.is_none() && !warnings.iter().any(|w| w.starts_with("MeSH is not loaded")) {
            let untagged = mappings.iter().any(|m| !m.from.is_empty());
            if untagged {
                warnings.push(
                    "MeSH is not loaded (`medlars mesh load desc2024.xml.gz`): untagged words are not mapped to MeSH"
                        .into(),
                );
            }
        }
        if self.index_behind()? {
            warnings.push("the index lacks the last applied file (an ingest was interrupted): run `medlars ingest` again to repair it".into());
        }
        let pmids = self.top(&searcher, compiled.as_ref(), options, count)?;
        Ok((SearchOutcome { lines, count, pmids, warnings, mappings }, compiled, searcher))
    }

    /// One page of a query's `count` hits, in the requested order.
    fn top(
        &self,
        searcher: &Searcher,
        q: &dyn tantivy::query::Query,
        o: &SearchOptions,
        count: usize,
    ) -> Result<Vec<u32>> {
        // A page past the end is empty; the collector is never sized beyond the hits.
        let limit = o.limit.min(count.saturating_sub(o.offset));
        if limit == 0 {
            return Ok(Vec::new());
        }
        let top = TopDocs::with_limit(limit).and_offset(o.offset);
        let err = |e| self.index_err(e);
        let addresses: Vec<DocAddress> = match o.sort {
            Sort::Relevance => {
                // As PubMed's Best Match: BM25 retrieves (block-max WAND skips what cannot make the
                // cut), then the best RERANK are re-ranked with the publication-type prior and
                // recency; deeper hits keep their BM25 order, so pages stay consistent.
                let want = o.offset + limit;
                let pool = TopDocs::with_limit(want.max(RERANK)).order_by_score();
                let mut hits: Vec<(f64, DocAddress)> =
                    searcher.search(q, &pool).map_err(err)?.into_iter().map(|(s, a)| (f64::from(s), a)).collect();
                let head = hits.len().min(RERANK);
                let this_year = i64::from(o.today.year);
                // The prior and date columns, opened once per segment.
                let columns: Vec<_> = searcher
                    .segment_readers()
                    .iter()
                    .map(|s| {
                        let fast = s.fast_fields();
                        (fast.f64("prior").ok(), fast.i64("sort_pubdate").ok())
                    })
                    .collect();
                for (score, address) in &mut hits[..head] {
                    let (prior, pubdate) = &columns[address.segment_ord as usize];
                    let prior = prior.as_ref().and_then(|c| c.first(address.doc_id)).unwrap_or(1.0);
                    let year = pubdate.as_ref().and_then(|c| c.first(address.doc_id)).unwrap_or(0) / 10_000;
                    let age = (this_year - year).clamp(0, 100) as f64;
                    *score *= prior * (1.0 + 0.3 / (1.0 + age / 5.0));
                }
                hits[..head].sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                hits.into_iter().skip(o.offset).take(limit).map(|(_, a)| a).collect()
            }
            Sort::PubDate | Sort::EntryDate => {
                let field = if o.sort == Sort::PubDate { "sort_pubdate" } else { "sort_entry" };
                let sorted = top.order_by_fast_field::<i64>(field, Order::Desc);
                searcher.search(q, &sorted).map_err(err)?.into_iter().map(|(_, a)| a).collect()
            }
            Sort::FirstAuthor | Sort::LastAuthor | Sort::Journal | Sort::Title => {
                let field = match o.sort {
                    Sort::FirstAuthor => "sort_first_author",
                    Sort::LastAuthor => "sort_last_author",
                    Sort::Journal => "sort_journal",
                    _ => "sort_title",
                };
                let sorted = top.order_by_string_fast_field(field, Order::Asc);
                searcher.search(q, &sorted).map_err(err)?.into_iter().map(|(_, a)| a).collect()
            }
        };
        let mut pmids = Vec::with_capacity(addresses.len());
        for a in addresses {
            let column = searcher.segment_reader(a.segment_ord).fast_fields().u64("pmid").map_err(err)?;
            if let Some(pmid) = column.first(a.doc_id) {
                pmids.push(pmid as u32);
            }
        }
        Ok(pmids)
    }

    /// A query with each word the index lacks replaced by the closest indexed word, as ESpell
    /// corrects; words in brackets or quotes, and operators, are left as they are.
    pub fn spell(&self, text: &str) -> Result<String> {
        let searcher = self.searcher()?;
        let fields = [self.fields.title, self.fields.abstract_];
        let mut out = String::with_capacity(text.len());
        let (mut quoted, mut bracketed) = (false, false);
        for piece in text.split_inclusive(|c: char| c.is_whitespace() || "()[]\"".contains(c)) {
            let word = piece.trim_end_matches(|c: char| c.is_whitespace() || "()[]\"".contains(c));
            let tail = &piece[word.len()..];
            let plain = !quoted && !bracketed && !matches!(word, "AND" | "OR" | "NOT");
            match plain.then(|| crate::spell::suggest(&searcher, &fields, &word.to_lowercase())).flatten() {
                Some(better) => out.push_str(&better),
                None => out.push_str(word),
            }
            out.push_str(tail);
            for c in tail.chars() {
                match c {
                    '"' => quoted = !quoted,
                    '[' => bracketed = true,
                    ']' => bracketed = false,
                    _ => {}
                }
            }
        }
        Ok(out)
    }

    /// PMIDs of the records in the store whose reference lists cite `pmid`, newest first.
    pub fn cited_by(&self, pmid: u32, limit: usize) -> Result<(usize, Vec<u32>)> {
        let searcher = self.searcher()?;
        let q = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.cites, &pmid.to_string()),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let count = searcher.search(&q, &Count).map_err(|e| self.index_err(e))?;
        let options =
            SearchOptions { sort: Sort::PubDate, limit, offset: 0, today: Day { year: 9999, month: 1, day: 1 } };
        Ok((count, self.top(&searcher, &q, &options, count)?))
    }

    /// Records like the article ("Similar articles", ELink's `pubmed_pubmed`), best first with
    /// scores, the article itself leading as NCBI lists it. Like PubMed's pmra, the words of the title (counted
    /// twice), the abstract and the MeSH headings decide; authors and journal do not. The words
    /// most telling by tf-idf form the query, scored by BM25.
    pub fn similar(&self, a: &medline::model::PubmedArticle, limit: usize) -> Result<Vec<(u32, f32)>> {
        let pmid = a.medline.pmid.id;
        let art = &a.medline.article;
        let text = |s: &str| tantivy::schema::OwnedValue::Str(s.to_owned());
        let abstract_text: Vec<&str> =
            art.abstract_.iter().flat_map(|x| &x.texts).map(|t| t.text.text.as_str()).collect();
        let headings: Vec<&str> = a.medline.mesh_headings.iter().map(|h| h.descriptor.name.as_str()).collect();
        let fields = vec![
            (self.fields.title, vec![text(&art.title.text), text(&art.title.text)]),
            (self.fields.abstract_, vec![text(&abstract_text.join(" "))]),
            (self.fields.mesh_words, vec![text(&headings.join(" "))]),
        ];
        let searcher = self.searcher()?;
        // Words in more than a tenth of the records tell little and cost the most to score.
        let common = (searcher.num_docs() / 10).max(10);
        let query = tantivy::query::MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_max_doc_frequency(common)
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_max_query_terms(30)
            .with_stop_words(query::STOPWORDS.iter().map(|s| s.to_string()).collect())
            .with_document_fields(fields);
        let err = |e| self.index_err(e);
        let hits = searcher.search(&query, &TopDocs::with_limit(limit.max(1) + 1).order_by_score()).map_err(err)?;
        let mut out = vec![(pmid, hits.first().map_or(0.0, |(s, _)| *s))];
        for (score, address) in hits {
            let column = searcher.segment_reader(address.segment_ord).fast_fields().u64("pmid").map_err(err)?;
            match column.first(address.doc_id) {
                Some(p) if p as u32 != pmid => out.push((p as u32, score)),
                _ => {}
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// The last line of a strategy, compiled (with term mapping), for reuse by other collectors.
    fn compile_last(&self, searcher: &Searcher, text: &str, today: Day) -> Result<Box<dyn tantivy::query::Query>> {
        let tables = Tables { archive: self, searcher };
        let mut history: Vec<(u32, Query)> = Vec::new();
        let mut last = None;
        for line in query::parse_strategy(text)? {
            let mapped = query::map_terms(line.parsed.query, &tables, &mut Vec::new(), &mut Vec::new());
            let mut compiler = Compiler::new(searcher, &self.fields, self.mesh.as_ref(), today, &history);
            last = Some(compiler.compile(&mapped)?);
            history.push((line.number, mapped));
        }
        Ok(last.expect("a strategy has at least one line"))
    }

    /// Index size on disk, in bytes.
    pub fn index_bytes(&self) -> u64 {
        dir_size(&self.dir.join("index"))
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

/// The tables automatic term mapping consults: MeSH, and the journals and authors in the index.
struct Tables<'a> {
    archive: &'a Archive,
    searcher: &'a Searcher,
}

impl Tables<'_> {
    fn has_term(&self, field: tantivy::schema::Field, value: &str) -> bool {
        self.searcher.doc_freq(&Term::from_field_text(field, value)).is_ok_and(|n| n > 0)
    }

    fn has_prefix(&self, field: tantivy::schema::Field, prefix: &str) -> bool {
        self.searcher.segment_readers().iter().any(|segment| {
            segment.inverted_index(field).is_ok_and(|inverted| {
                let mut stream = match inverted.terms().range().ge(prefix.as_bytes()).into_stream() {
                    Ok(s) => s,
                    Err(_) => return false,
                };
                stream.advance() && stream.key().starts_with(prefix.as_bytes())
            })
        })
    }
}

impl Vocabulary for Tables<'_> {
    fn mesh_heading(&self, phrase: &str) -> Option<String> {
        let mesh = self.archive.mesh.as_ref()?;
        mesh.heading(phrase).ok().flatten().map(|d| d.name)
    }

    fn journal(&self, phrase: &str) -> Option<String> {
        let value = index::normalise(phrase);
        // Single common words are subjects, not journals, unless MeSH knew them (checked first).
        (value.contains(' ') && self.has_term(self.archive.fields.journal, &value)).then_some(value)
    }

    fn author(&self, phrase: &str) -> bool {
        let value = index::normalise(phrase);
        self.has_term(self.archive.fields.author, &value) || self.has_prefix(self.archive.fields.author, &value)
    }
}

/// Keeps the index in step with the store during ingest.
pub struct Indexer<'a> {
    archive: &'a Archive,
    writer: IndexWriter,
    /// The last file applied to the store whose index changes are not committed yet.
    pending: Option<u32>,
    committed_at: std::time::Instant,
}

impl Indexer<'_> {
    fn err(&self, e: impl Into<tantivy::TantivyError>) -> EngineError {
        self.archive.index_err(e)
    }

    /// Adds the document of a record, replacing the PMID's document when `held` (the store held
    /// the PMID before). The index never holds a PMID the store lacks, so a new PMID needs no
    /// deletion: each deletion is looked up in every segment at the next commit, which on a bulk
    /// load costs more the more segments there are.
    pub fn put(&self, record: &Record, held: bool) -> Result<()> {
        let fields = &self.archive.fields;
        if held {
            self.writer.delete_term(Term::from_field_u64(fields.pmid, u64::from(record.pmid().id)));
        }
        self.writer.add_document(index::document(fields, record)).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn delete(&self, pmid: u32) {
        self.writer.delete_term(Term::from_field_u64(self.archive.fields.pmid, u64::from(pmid)));
    }

    /// Makes the changes since the last commit durable, noting the file they came from.
    fn commit(&mut self, seq: u32) -> Result<()> {
        let mut prepared = self.writer.prepare_commit().map_err(|e| self.archive.index_err(e))?;
        prepared.set_payload(&seq.to_string());
        prepared.commit().map_err(|e| self.archive.index_err(e))?;
        self.pending = None;
        self.committed_at = std::time::Instant::now();
        Ok(())
    }

    /// Notes that the store committed file `seq`; commits the index when it has waited long enough.
    pub fn applied(&mut self, seq: u32) -> Result<()> {
        self.pending = Some(seq);
        if self.committed_at.elapsed() >= COMMIT_EVERY { self.commit(seq) } else { Ok(()) }
    }

    /// Forgets the changes of a file the store did not take, and with them those of the files
    /// applied since the last commit, which are then redone from the store.
    pub fn discard(&mut self) -> Result<()> {
        self.writer.rollback().map_err(|e| self.archive.index_err(e))?;
        self.pending = None;
        self.catch_up()
    }

    /// Ends an ingest: commits, then merges segments as tantivy's log merge policy says, and
    /// waits for the merges. Segments merge only with segments of about their size (eight at a
    /// time), so a day's update file never rewrites the baseline's large segments; merging
    /// waits for the end of the ingest, not for every file.
    pub fn finish(mut self) -> Result<()> {
        self.writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        let seq = match self.pending {
            Some(seq) => seq,
            None => self.archive.index_seq()?,
        };
        self.commit(seq)?;
        let archive = self.archive;
        let err = |e| archive.index_err(e);
        self.writer.wait_merging_threads().map_err(err)?;
        // The files of merged-away segments outlive the merges (measured: 14.6 GB on disk for a
        // 6.7 GB index of 5M records); a writer's collection removes them now, not at the next
        // ingest. 15 MB is the least memory tantivy lets a writer have.
        let collector: IndexWriter = archive.index.writer_with_num_threads(1, 15_000_000).map_err(err)?;
        collector.garbage_collect_files().wait().map_err(err)?;
        Ok(())
    }

    /// Redoes, from the store, what the index missed: every PMID of the files applied after the
    /// index's last commit; or everything when the index is new and the store is not, or when
    /// the index is ahead of the store (the store was replaced), so that the index never holds
    /// a PMID the store lacks.
    fn catch_up(&mut self) -> Result<()> {
        let store = &self.archive.store;
        let (index_seq, store_seq) = (self.archive.index_seq()?, store.last_seq()?);
        if index_seq == store_seq {
            return Ok(());
        }
        let redo = |indexer: &Self, pmid: u32| -> Result<()> {
            match store.get(pmid)? {
                crate::Lookup::Found(r) => indexer.put(&r.parse()?, true),
                _ => {
                    indexer.delete(pmid);
                    Ok(())
                }
            }
        };
        let touched = store.touched_after(index_seq)?;
        let logged: std::collections::HashSet<u32> = touched.iter().map(|(seq, _)| *seq).collect();
        if index_seq < store_seq && (index_seq + 1..=store_seq).all(|s| logged.contains(&s)) {
            for (_, pmids) in touched {
                for pmid in pmids {
                    redo(self, pmid)?;
                }
            }
        } else {
            // Files applied before the index existed, or an index ahead of its store: rebuild.
            self.writer.delete_all_documents().map_err(|e| self.err(e))?;
            store.for_each_current(|r| self.put(&r.parse()?, false))?;
        }
        self.commit(store_seq)
    }
}

/// What [`Archive::search_with_facets`] finds besides the hits.
#[derive(Debug)]
pub struct Facets {
    /// (year, hits), oldest first: a record counts in each year of its print and electronic
    /// publication dates, as `YYYY[dp]` finds it; records without a date are left out.
    pub years: Vec<(i64, u64)>,
    /// For each clause, the query's hits it keeps.
    pub counts: Vec<usize>,
}

type YearMap = std::collections::BTreeMap<i64, u64>;

/// Collects the hits of each segment as a bit set, and counts them per publication year.
struct HitSets;

impl tantivy::collector::Collector for HitSets {
    type Fruit = Vec<(u32, BitSet, YearMap)>;
    type Child = HitSetsSegment;

    fn for_segment(
        &self,
        ord: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<HitSetsSegment> {
        let dates = segment.fast_fields().i64("date_publication")?;
        Ok(HitSetsSegment { ord, dates, hits: BitSet::with_max_value(segment.max_doc()), years: YearMap::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, BitSet, YearMap)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

struct HitSetsSegment {
    ord: u32,
    /// Publication dates (print and electronic) as YYYYMMDD.
    dates: tantivy::columnar::Column<i64>,
    hits: BitSet,
    years: YearMap,
}

impl tantivy::collector::SegmentCollector for HitSetsSegment {
    type Fruit = Vec<(u32, BitSet, YearMap)>;

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        self.hits.insert(doc);
        // A record counts once in each year its publication dates fall in, as `YYYY[dp]` finds it.
        let mut years: Vec<i64> = self.dates.values_for_doc(doc).map(|d| d / 10_000).filter(|y| *y > 0).collect();
        years.sort_unstable();
        years.dedup();
        for year in years {
            *self.years.entry(year).or_insert(0) += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        vec![(self.ord, self.hits, self.years)]
    }
}

/// Counts the hits that are also in the given per-segment sets (indexed by segment ordinal).
struct CountWithin(std::sync::Arc<Vec<BitSet>>);

impl tantivy::collector::Collector for CountWithin {
    type Fruit = usize;
    type Child = CountWithinSegment;

    fn for_segment(
        &self,
        ord: tantivy::SegmentOrdinal,
        _: &tantivy::SegmentReader,
    ) -> tantivy::Result<CountWithinSegment> {
        Ok(CountWithinSegment { sets: self.0.clone(), ord: ord as usize, count: 0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, counts: Vec<usize>) -> tantivy::Result<usize> {
        Ok(counts.into_iter().sum())
    }
}

struct CountWithinSegment {
    sets: std::sync::Arc<Vec<BitSet>>,
    ord: usize,
    count: usize,
}

impl tantivy::collector::SegmentCollector for CountWithinSegment {
    type Fruit = usize;

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        if self.sets.get(self.ord).is_some_and(|set| set.contains(doc)) {
            self.count += 1;
        }
    }

    fn harvest(self) -> usize {
        self.count
    }
}
