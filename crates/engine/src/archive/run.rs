//! Running a query or strategy: every line evaluated as a set (counted by popcount), the
//! requested page of the last line's hits in the requested order, and the search page's sidebar.
//! Whatever is computed is kept in the index generation's cache.

use std::sync::Arc;

use query::{Day, Mapping, Query, Warning};
use tantivy::{DocAddress, Searcher, Term};
use xxhash_rust::xxh3::xxh3_64;

use super::Archive;
use super::mapping_tables::MappingTables;
use crate::cache::{CacheStats, Evaluated, Generation, TopPrefix};
use crate::error::{EngineError, Result};
use crate::evaluate::{EarlierLine, Evaluator, Ranking};
use crate::facets::{self, Facets};
use crate::hits::HitSet;
use crate::order;
use crate::search::{Compiler, flat_unions, scores_hits_alike};
use crate::segment_extras::SegmentExtras;
use crate::sort::Sort;
use crate::top_scored::{Scored, TopScored, best_of_term_set};

/// Hits re-ranked by the relevance priors (PubMed re-ranks its top 500).
const RERANK: usize = 500;
/// The fewest hits ordered at a time: the first pages of a search cost one computation.
const FIRST_HITS: usize = 200;

/// How a search's hits are wanted.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Their order.
    pub sort: Sort,
    /// How many of them (0: the count alone).
    pub limit: usize,
    /// How many to skip first.
    pub offset: usize,
    /// The day `"last N years"` counts back from.
    pub today: Day,
}

/// One line of a strategy, as run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineOutcome {
    /// The number `#N` refers to (a strategy's own label, or its place).
    pub number: u32,
    /// The syntax the line was read in.
    pub dialect: query::Dialect,
    /// The line with every term's field made explicit: PubMed's "Search details".
    pub translation: String,
    /// Its hits.
    pub count: usize,
}

/// A search as run: each line, the count, the page of hits, what to tell the reader.
#[derive(Debug, Clone)]
pub struct SearchOutcome {
    /// Every line of the strategy (one for a plain query); the last one is the answer.
    pub lines: Vec<LineOutcome>,
    /// Hits of the last line.
    pub count: usize,
    /// The requested page of hits, in the requested order.
    pub pmids: Vec<u32>,
    /// What the reader should know about the search, each once.
    pub warnings: Vec<Warning>,
    /// What automatic term mapping did with untagged words.
    pub mappings: Vec<Mapping>,
}

/// A strategy's lines, evaluated on one searcher.
struct Lines {
    outcomes: Vec<LineOutcome>,
    /// The mapped queries, for compiling the last one to rank by relevance.
    history: Vec<(u32, Query)>,
    evaluated: Vec<EarlierLine>,
    warnings: Vec<Warning>,
    mappings: Vec<Mapping>,
    /// What evaluating the last line left for ranking it.
    ranked: Ranking,
}

impl Lines {
    fn last(&self) -> &EarlierLine {
        self.evaluated.last().expect("a strategy has at least one line")
    }
}

fn add_warning(warnings: &mut Vec<Warning>, w: &Warning) {
    if !warnings.contains(w) {
        warnings.push(w.clone());
    }
}

impl Archive {
    /// Runs a query or a strategy typed as text (one search per line, `#N` naming line N).
    pub fn search(&self, text: &str, options: &SearchOptions) -> Result<SearchOutcome> {
        self.search_strategy(query::parse_strategy(text)?, options)
    }

    /// Runs a parsed strategy (a query is a strategy of one line), as the callers combined it:
    /// with filters and date limits ([`query::restrict`]) and history references replaced
    /// ([`Query::with_searches`]).
    pub fn search_strategy(&self, strategy: Vec<query::Line>, options: &SearchOptions) -> Result<SearchOutcome> {
        let searcher = self.searcher()?;
        let generation = self.cache.generation(&searcher);
        Ok(self.run(&searcher, &generation, strategy, options)?.0)
    }

    /// [`Archive::search_strategy`] and, for a search page's sidebar, the hits per publication
    /// year and how many hits each filter clause keeps: intersections of the hits with each
    /// filter's set and each year's, counted without being built.
    pub fn search_with_facets(
        &self,
        strategy: Vec<query::Line>,
        options: &SearchOptions,
        clauses: &[Query],
    ) -> Result<(SearchOutcome, Facets)> {
        let searcher = self.searcher()?;
        let generation = self.cache.generation(&searcher);
        let (outcome, lines) = self.run(&searcher, &generation, strategy, options)?;
        let last = lines.last();
        let names: Vec<String> = clauses.iter().map(Query::to_string).collect();
        let clauses_key = xxh3_64(names.join("\n").as_bytes());
        if let Some(found) = generation.facets(last.key, clauses_key) {
            return Ok((outcome, (*found).clone()));
        }
        let mut filters = Vec::with_capacity(clauses.len());
        for (clause, name) in clauses.iter().zip(&names) {
            filters.push(self.filter(&searcher, &generation, clause, name, options.today)?);
        }
        let filter_sets: Vec<&HitSet> = filters.iter().map(|f| &f.hits).collect();
        let counts = facets::count_within(&last.result.hits, &filter_sets);
        let years = facets::years(&searcher, &generation.segment_extras(&searcher), &last.result.hits, || {
            generation.years(|| facets::build_year_sets(&searcher))
        })
        .map_err(EngineError::Search)?;
        let found = Facets { years, counts };
        generation.put_facets(last.key, clauses_key, Arc::new(found.clone()));
        Ok((outcome, found))
    }

    /// The cache's figures since the archive was opened.
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }

    fn run(
        &self,
        searcher: &Searcher,
        generation: &Generation,
        strategy: Vec<query::Line>,
        options: &SearchOptions,
    ) -> Result<(SearchOutcome, Lines)> {
        let rank = (options.sort == Sort::Relevance && options.limit > 0)
            .then(|| options.offset.saturating_add(options.limit).max(FIRST_HITS).max(RERANK));
        let mut lines = self.lines(searcher, generation, strategy, options.today, rank)?;
        if self.mesh.is_none() && !lines.warnings.contains(&Warning::MeshNotLoaded) {
            let untagged = lines.mappings.iter().any(|m| !m.from.is_empty());
            if untagged {
                lines.warnings.push(Warning::WordsNotMapped);
            }
        }
        if self.index_behind()? {
            lines.warnings.push(Warning::IndexBehind);
        }
        let pmids = self.page(searcher, generation, &lines, options)?;
        let outcome = SearchOutcome {
            count: lines.last().result.hits.len() as usize,
            lines: lines.outcomes.clone(),
            pmids,
            warnings: lines.warnings.clone(),
            mappings: lines.mappings.clone(),
        };
        Ok((outcome, lines))
    }

    /// Every line of a strategy mapped, evaluated and counted; with `rank`, the last line's best
    /// `rank` hits by score too, if they can come from the same pass.
    fn lines(
        &self,
        searcher: &Searcher,
        generation: &Generation,
        parsed: Vec<query::Line>,
        today: Day,
        rank: Option<usize>,
    ) -> Result<Lines> {
        if parsed.is_empty() {
            return Err(query::QueryError { message: "the query is empty".into(), position: 0 }.into());
        }
        let total_lines = parsed.len();
        let tables = MappingTables { archive: self, searcher };
        let mut lines = Lines {
            outcomes: Vec::new(),
            history: Vec::new(),
            evaluated: Vec::new(),
            warnings: Vec::new(),
            mappings: Vec::new(),
            ranked: Ranking::Later,
        };
        for (i, line) in parsed.into_iter().enumerate() {
            crate::stopping::check()?;
            let rank = rank.filter(|_| i + 1 == total_lines);
            let mut line_warnings = line.parsed.warnings;
            let mapped = query::map_terms(line.parsed.query, &tables, &mut line_warnings, &mut lines.mappings);
            for w in &line_warnings {
                add_warning(&mut lines.warnings, w);
            }
            let evaluator = Evaluator {
                searcher,
                fields: &self.fields,
                mesh: self.mesh.as_ref(),
                today,
                generation,
                history: &lines.history,
                lines: &lines.evaluated,
            };
            let evaluated = match rank {
                Some(limit) => evaluator.evaluate_ranked(&mapped, limit),
                None => evaluator.evaluate(&mapped).map(|(key, result)| (key, result, Ranking::Later)),
            };
            let (key, result, ranked) = match evaluated {
                Err(EngineError::Query(e)) if total_lines > 1 => {
                    let message = format!("line {}: {}", lines.history.len() + 1, e.message);
                    return Err(query::QueryError { message, position: e.position }.into());
                }
                other => other?,
            };
            lines.ranked = ranked;
            for w in &result.warnings {
                add_warning(&mut lines.warnings, w);
            }
            lines.outcomes.push(LineOutcome {
                number: line.number,
                dialect: line.dialect,
                translation: mapped.to_string(),
                count: result.hits.len() as usize,
            });
            lines.history.push((line.number, mapped));
            lines.evaluated.push(EarlierLine { number: line.number, key, result });
        }
        Ok(lines)
    }

    /// One page of the last line's hits in the requested order. The first hits in each order are
    /// kept, at least FIRST_HITS and twice as many as before when a page lies beyond them, so
    /// paging through a result costs about as much as ordering it once.
    fn page(&self, searcher: &Searcher, generation: &Generation, lines: &Lines, o: &SearchOptions) -> Result<Vec<u32>> {
        let last = lines.last();
        let count = last.result.hits.len() as usize;
        let end = o.offset.saturating_add(o.limit).min(count);
        if end <= o.offset {
            return Ok(Vec::new());
        }
        let prefix = match generation.top(last.key, o.sort) {
            Some(known) if known.complete || known.pmids.len() >= end => known,
            known => {
                let known = known.map_or(0, |k| k.pmids.len());
                let m = end.max(2 * known).max(FIRST_HITS).min(count);
                let pmids = match o.sort {
                    Sort::Relevance => {
                        let limit = m.max(RERANK);
                        let extras = generation.segment_extras(searcher);
                        let pool = match &lines.ranked {
                            Ranking::Ranked(best) if best.len() >= m.min(count) => best.clone(),
                            Ranking::Compiled(q) => searcher
                                .search(q.as_ref(), &TopScored { limit, extras: &extras })
                                .map_err(EngineError::Search)?,
                            _ => self.by_score(searcher, &extras, lines, limit, o.today)?,
                        };
                        best_match(searcher, &extras, pool, m, o.today).map_err(EngineError::Search)?
                    }
                    sort => order::first_hits(searcher, &self.cache.orders, &last.result.hits, sort, m)
                        .map_err(EngineError::Search)?,
                };
                let prefix = Arc::new(TopPrefix { complete: pmids.len() >= count, pmids });
                generation.put_top(last.key, o.sort, prefix.clone());
                prefix
            }
        };
        Ok(prefix.pmids[o.offset.min(prefix.pmids.len())..end.min(prefix.pmids.len())].to_vec())
    }

    /// The best `limit` hits of the last line by BM25 score (block-max WAND skips what cannot
    /// make the cut, where the query allows it); equal scores go to the higher PMID.
    fn by_score(
        &self,
        searcher: &Searcher,
        extras: &[SegmentExtras],
        lines: &Lines,
        limit: usize,
        today: Day,
    ) -> Result<Vec<Scored>> {
        let ((_, last), earlier) = lines.history.split_last().expect("a strategy has at least one line");
        let earlier_hits = &lines.evaluated[..lines.evaluated.len() - 1];
        let mut compiler =
            Compiler::new(searcher, &self.fields, self.mesh.as_ref(), today, earlier).with_earlier_hits(earlier_hits);
        let compiled = flat_unions(compiler.compile(last)?.as_ref());
        if scores_hits_alike(compiled.as_ref()) {
            let hits = &lines.last().result.hits;
            return best_of_term_set(searcher, hits, extras, limit).map_err(EngineError::Search);
        }
        searcher.search(compiled.as_ref(), &TopScored { limit, extras }).map_err(EngineError::Search)
    }

    /// A sidebar filter's hits, kept for the index generation under the clause's `name`.
    fn filter(
        &self,
        searcher: &Searcher,
        generation: &Generation,
        clause: &Query,
        name: &str,
        today: Day,
    ) -> Result<Arc<Evaluated>> {
        if let Some(found) = generation.filter(name) {
            return Ok(found);
        }
        let lines = self.lines(searcher, generation, vec![query::Line::of_query(1, clause.clone())], today, None)?;
        let result = lines.last().result.clone();
        generation.put_filter(name, result.clone());
        Ok(result)
    }

    /// PMIDs of the records in the store whose reference lists cite `pmid`, newest first.
    pub fn cited_by(&self, pmid: u32, limit: usize) -> Result<(usize, Vec<u32>)> {
        crate::stopping::check()?;
        let searcher = self.searcher()?;
        let q = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.cites, &pmid.to_string()),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let err = EngineError::Search;
        let weight =
            tantivy::query::Query::weight(&q, tantivy::query::EnableScoring::disabled_from_searcher(&searcher))
                .map_err(err)?;
        let hits = HitSet::of_weight(&searcher, weight.as_ref()).map_err(err)?;
        let count = hits.len() as usize;
        let first = order::first_hits(&searcher, &self.cache.orders, &hits, Sort::PubDate, limit.min(count))
            .map_err(EngineError::Search)?;
        Ok((count, first))
    }
}

/// The first `m` of the hits ranked by score as PubMed's Best Match orders them: the best RERANK
/// re-ranked with the publication-type prior and recency; deeper hits keep their BM25 order, so
/// pages stay consistent. Equal scores go to the higher PMID.
fn best_match(
    searcher: &Searcher,
    extras: &[SegmentExtras],
    hits: Vec<Scored>,
    m: usize,
    today: Day,
) -> tantivy::Result<Vec<u32>> {
    let head = hits.len().min(RERANK);
    let this_year = i64::from(today.year);
    let mut ranked: Vec<(f64, u32)> = hits.iter().map(|h| (f64::from(h.score), h.pmid)).collect();
    for ((score, _), hit) in ranked.iter_mut().zip(&hits).take(head) {
        let DocAddress { segment_ord, doc_id } = hit.address;
        let segment = segment_ord as usize;
        let columns = extras[segment].hit_columns(searcher.segment_reader(segment_ord))?;
        let prior = columns.prior.as_ref().and_then(|c| c.first(doc_id)).unwrap_or(1.0);
        let year = columns.pubdate.as_ref().and_then(|c| c.first(doc_id)).unwrap_or(0) / 10_000;
        let age = (this_year - year).clamp(0, 100) as f64;
        *score *= prior * (1.0 + 0.3 / (1.0 + age / 5.0));
    }
    ranked[..head].sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    Ok(ranked.into_iter().take(m).map(|(_, pmid)| pmid).collect())
}
