//! "Similar articles" and ELink's neighbours: a record's most telling words by tf-idf, each a
//! term boosted by its weight, scored by BM25 over the index. Like PubMed's pmra, the words of
//! the title (counted twice), the abstract and the MeSH headings decide; authors and journal do
//! not.
//!
//! The words are chosen in a fixed order (equal weights by the word), so one archive always lists
//! the same similar records: tantivy's `MoreLikeThisQuery`, used before, picked among equal
//! weights in hash order, and two runs of one binary listed different records.
//!
//! Choosing the words looks up how many records hold each word of the article, in every segment:
//! that, not scoring, is most of the cost on a small index. [`SimilarArticles`] keeps the counts
//! it looked up, so an ELink of thousands of IDs, whose words repeat, looks each word up once.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};

use medline::Record;
use medline::model::PubmedArticle;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::archive::Archive;
use crate::error::{EngineError, Result};
use crate::store::Lookup;

/// The fewest articles worth a thread of their own when many are asked for at once.
const ARTICLES_PER_THREAD: usize = 32;

/// Words shorter than this tell little (`of`, `in`, numbers of one or two digits).
const MIN_WORD_LENGTH: usize = 3;
/// A word must be in at least this many records to link two of them.
const MIN_DOC_FREQUENCY: u64 = 2;
/// The words kept.
const MAX_TERMS: usize = 30;

/// Finds records like given articles in one generation of the index, remembering the words'
/// record counts between articles. Made by [`Archive::similar_articles`]; one per request.
pub struct SimilarArticles<'a> {
    archive: &'a Archive,
    searcher: Searcher,
    statistics: WordStatistics,
    /// Each segment's PMID column, opened once when first needed: opening one reads its whole
    /// block index, which costs more than scoring for a small ELink.
    pmids: Vec<OnceCell<Column<u64>>>,
    /// Records alive, for the words' tf-idf.
    records: u64,
}

impl Archive {
    /// A finder of similar articles over the index as last committed.
    pub fn similar_articles(&self) -> Result<SimilarArticles<'_>> {
        let searcher = self.searcher()?;
        let records = searcher.segment_readers().iter().map(|r| u64::from(r.num_docs())).sum();
        let statistics = WordStatistics::new(&searcher).map_err(|e| self.index_err(e))?;
        let pmids = searcher.segment_readers().iter().map(|_| OnceCell::new()).collect();
        Ok(SimilarArticles { archive: self, searcher, statistics, pmids, records })
    }
}

impl Archive {
    /// The similar articles of each record `pmids` names, in their order (none for a PMID the
    /// store does not hold or that is not an article), the work spread over the cores: an ELink
    /// asks for thousands at once. Each thread has its own finder; all run under the caller's
    /// stop switch.
    pub fn similar_of_each(&self, pmids: &[u32], limit: usize) -> Result<Vec<Vec<(u32, f32)>>> {
        let threads = crate::cores().min(pmids.len().div_ceil(ARTICLES_PER_THREAD)).max(1);
        let part_size = pmids.len().div_ceil(threads).max(1);
        let switch = crate::stopping::current();
        let of_part = |part: &[u32]| match switch.clone() {
            Some(switch) => crate::stopping::run_stoppable(switch, || self.similar_of_part(part, limit)),
            None => self.similar_of_part(part, limit),
        };
        std::thread::scope(|scope| {
            let parts: Vec<_> = pmids.chunks(part_size).map(|part| scope.spawn(move || of_part(part))).collect();
            let mut out = Vec::with_capacity(pmids.len());
            for part in parts {
                out.extend(part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
            }
            Ok(out)
        })
    }

    fn similar_of_part(&self, pmids: &[u32], limit: usize) -> Result<Vec<Vec<(u32, f32)>>> {
        let finder = self.similar_articles()?;
        let mut out = Vec::with_capacity(pmids.len());
        for &pmid in pmids {
            let similar = match self.store.get(pmid)? {
                Lookup::Found(stored) => match stored.parse()? {
                    Record::Article(a) => finder.of(&a, limit)?,
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            out.push(similar);
        }
        Ok(out)
    }
}

impl SimilarArticles<'_> {
    /// Records like the article ("Similar articles", ELink's `pubmed_pubmed`), best first with
    /// scores, the article itself leading as NCBI lists it.
    pub fn of(&self, a: &PubmedArticle, limit: usize) -> Result<Vec<(u32, f32)>> {
        // ELink asks this once per ID: thousands of them can outlast a request's time.
        crate::stopping::check()?;
        let pmid = a.medline.pmid.id;
        let art = &a.medline.article;
        let abstract_text: Vec<&str> =
            art.abstract_.iter().flat_map(|x| &x.texts).map(|t| t.text.text.as_str()).collect();
        let abstract_text = abstract_text.join(" ");
        let headings: Vec<&str> = a.medline.mesh_headings.iter().map(|h| h.descriptor.name.as_str()).collect();
        let headings = headings.join(" ");
        let fields = self.archive.fields();
        let texts = [
            (fields.title, vec![art.title.text.as_str(), art.title.text.as_str()]),
            (fields.abstract_, vec![abstract_text.as_str()]),
            (fields.mesh_words, vec![headings.as_str()]),
        ];
        let query = self.query(&texts)?;
        let err = |e| self.archive.index_err(e);
        let top = TopDocs::with_limit(limit.max(1) + 1).order_by_score();
        let hits = self.searcher.search_with_statistics_provider(&query, &top, &self.statistics).map_err(err)?;
        let mut out = vec![(pmid, hits.first().map_or(0.0, |(s, _)| *s))];
        for (score, address) in hits {
            let segment = address.segment_ord as usize;
            let pmids = match self.pmids[segment].get() {
                Some(column) => column,
                None => {
                    let column = self.searcher.segment_reader(address.segment_ord).fast_fields().u64("pmid");
                    let column = column.map_err(err)?;
                    self.pmids[segment].get_or_init(|| column)
                }
            };
            match pmids.first(address.doc_id) {
                Some(p) if p as u32 != pmid => out.push((p as u32, score)),
                _ => {}
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// The weighted OR of the best words of `texts` (each field with its values; a value given
    /// twice counts twice), leaving out stopwords, and words in more than a tenth of the records:
    /// they tell little and cost the most to score.
    fn query(&self, texts: &[(Field, Vec<&str>)]) -> Result<BooleanQuery> {
        let max_doc_frequency = (self.records / 10).max(10);
        let mut frequencies: BTreeMap<Term, u64> = BTreeMap::new();
        for (field, values) in texts {
            let mut analyzer = self.searcher.index().tokenizer_for_field(*field).map_err(EngineError::Search)?;
            for value in values {
                let mut stream = analyzer.token_stream(value);
                while let Some(token) = stream.next() {
                    if token.text.len() >= MIN_WORD_LENGTH && !query::STOPWORDS.contains(&token.text.as_str()) {
                        *frequencies.entry(Term::from_field_text(*field, &token.text)).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut weighted: Vec<(f32, Term)> = Vec::new();
        for (term, frequency) in frequencies {
            let in_records = self.statistics.doc_freq(&term).map_err(EngineError::Search)?;
            // A term's count includes deleted documents, so it may pass the live ones: left out.
            if (MIN_DOC_FREQUENCY..=max_doc_frequency).contains(&in_records) && in_records <= self.records {
                weighted.push((frequency as f32 * idf(in_records, self.records), term));
            }
        }
        // Heaviest first; equal weights in the terms' order, which the map gave.
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        weighted.truncate(MAX_TERMS);
        let best = weighted.first().map_or(1.0, |(w, _)| *w);
        let clauses = weighted
            .into_iter()
            .map(|(weight, term)| {
                let term: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, Box::new(BoostQuery::new(term, weight / best)) as Box<dyn Query>)
            })
            .collect();
        Ok(BooleanQuery::new(clauses))
    }
}

/// BM25's statistics of one searcher, each word's record count looked up once: the same
/// figures tantivy's `Searcher` gives, so scores do not change.
struct WordStatistics {
    searcher: Searcher,
    total_num_docs: u64,
    tokens: RefCell<HashMap<Field, u64>>,
    doc_freqs: RefCell<HashMap<Term, u64>>,
}

impl WordStatistics {
    fn new(searcher: &Searcher) -> tantivy::Result<WordStatistics> {
        let total_num_docs = Bm25StatisticsProvider::total_num_docs(searcher)?;
        let (tokens, doc_freqs) = (RefCell::default(), RefCell::default());
        Ok(WordStatistics { searcher: searcher.clone(), total_num_docs, tokens, doc_freqs })
    }
}

impl Bm25StatisticsProvider for WordStatistics {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(&n) = self.tokens.borrow().get(&field) {
            return Ok(n);
        }
        let n = Bm25StatisticsProvider::total_num_tokens(&self.searcher, field)?;
        self.tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.total_num_docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(&n) = self.doc_freqs.borrow().get(term) {
            return Ok(n);
        }
        let n = Bm25StatisticsProvider::doc_freq(&self.searcher, term)?;
        self.doc_freqs.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}

/// BM25's inverse document frequency, as tantivy computes it for scoring.
fn idf(in_records: u64, records: u64) -> f32 {
    let x = ((records - in_records) as f32 + 0.5) / (in_records as f32 + 0.5);
    (1.0 + x).ln()
}
