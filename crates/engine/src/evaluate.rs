//! A parsed query evaluated as a set of hits, cached under its key, so that a query repeated,
//! paged, filtered or combined by a later line costs a lookup. A subtree none of whose parts is
//! known yet is evaluated by the index in one pass (its intersections skip through the posting
//! lists, which set algebra over each term's full set would not); a subtree with known parts (a
//! `#N`, a filter, a query searched before) is combined from them by set algebra, and so is one
//! whose operands are all broad terms (`humans[mh] AND aged[mh]`): their sets are a few stored
//! arrays ORed, while skipping through them one document at a time is what costs.
//!
//! Trees are walked with explicit stacks, never by recursion, so the depth of a query cannot
//! exhaust the thread's stack.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use query::{Day, Query};
use tantivy::Searcher;
use tantivy::query::EnableScoring;
use xxhash_rust::xxh3::Xxh3;

use crate::cache::{Evaluated, Generation, NodeKey};
use crate::error::{EngineError, Result};
use crate::hits::HitSet;
use crate::index::Fields;
use crate::search::{
    Compiler, TermUnion, conjunction_words, flat_unions, flatten, is_term_query, scores_hits_alike, union_terms,
    words_and_term_sets,
};
use crate::top_scored::{Scored, best_of_hits_by_words, best_of_term_set, best_of_words_and_sets, hits_and_best};
use crate::vocabulary::MeshStore;

/// A term is broad, and cheaper as a set than skipped through, when its postings hold at least
/// one record in this many. Cold esearch at 5M records, skipping through both operands against
/// combining their sets: `humans[mh] AND aged[mh]` 43-46 against 872-951 requests/s (at one in
/// 32); `heart AND attack` 251-267 at one in 32, which left it skipping, against 447-631 at one
/// in 256; ANDs with a rarer operand (`aspirin AND stroke`, `tau[ti] AND amyloid[ti]`) the same
/// either way (BENCHMARKS.md).
const BROAD_SHARE: u64 = 256;

/// An earlier line of a strategy, for `#N`.
pub(crate) struct EarlierLine {
    pub number: u32,
    pub key: NodeKey,
    pub result: Arc<Evaluated>,
}

pub(crate) struct Evaluator<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub mesh: Option<&'a MeshStore>,
    pub today: Day,
    pub generation: &'a Generation,
    /// Earlier lines as queries (for the compiler) and as evaluated sets, in the same order.
    pub history: &'a [(u32, Query)],
    pub lines: &'a [EarlierLine],
}

/// What evaluating a line to be ranked leaves for its ranking.
pub(crate) enum Ranking {
    /// Its best hits by score, from the pass that found its hits.
    Ranked(Vec<Scored>),
    /// Its query compiled for ranking, for a pruned ranking pass.
    Compiled(Box<dyn tantivy::query::Query>),
    /// Nothing: it is compiled if a page of it is ranked.
    Later,
}

enum Step<'q> {
    Visit(&'q Query),
    /// Combine the last `n` sets evaluated into the set of this node.
    Combine(&'q Query, usize),
}

impl Evaluator<'_> {
    /// The node's key and hits (those of the query without the phrases its ORs already hold,
    /// which cost positions and add no hits: see [`crate::subsumed_phrases`]).
    pub fn evaluate(&self, root: &Query) -> Result<(NodeKey, Arc<Evaluated>)> {
        let simplified = crate::subsumed_phrases::without_subsumed_phrases(root);
        let root = simplified.as_ref().unwrap_or(root);
        let (keys, expand) = self.keys(root, true)?;
        let key = |q: &Query| keys[&(q as *const Query)];
        let mut work = vec![Step::Visit(root)];
        let mut done: Vec<Arc<Evaluated>> = Vec::new();
        while let Some(step) = work.pop() {
            crate::stopping::check()?;
            match step {
                Step::Visit(q) => {
                    if let Query::History { number, .. } = q {
                        done.push(self.earlier(*number).expect("keys resolved every #N").result.clone());
                        continue;
                    }
                    if let Some(found) = self.generation.hits(key(q)) {
                        done.push(found);
                        continue;
                    }
                    match q {
                        _ if !expand.contains(&(q as *const Query)) => {
                            let whole = Arc::new(self.by_index(q)?);
                            self.generation.put_hits(key(q), whole.clone());
                            done.push(whole);
                        }
                        Query::And(..) | Query::Or(..) => {
                            let operands = flatten(q, matches!(q, Query::And(..)));
                            work.push(Step::Combine(q, operands.len()));
                            work.extend(operands.into_iter().rev().map(Step::Visit));
                        }
                        Query::Not(a, b) => {
                            work.push(Step::Combine(q, 2));
                            work.push(Step::Visit(b));
                            work.push(Step::Visit(a));
                        }
                        _ => unreachable!("leaves are evaluated by the index"),
                    }
                }
                Step::Combine(q, n) => {
                    let operands = done.split_off(done.len() - n);
                    let combined = Arc::new(combine(q, &operands));
                    self.generation.put_hits(key(q), combined.clone());
                    done.push(combined);
                }
            }
        }
        Ok((key(root), done.pop().expect("the root was evaluated")))
    }

    /// As [`Evaluator::evaluate`], and, when the root has to be run by the index anyway, its best
    /// `limit` hits by score from the same pass.
    pub fn evaluate_ranked(&self, root: &Query, limit: usize) -> Result<(NodeKey, Arc<Evaluated>, Ranking)> {
        // Broad operands are not combined here: a pass that ranks finds the hits on the way,
        // where sets first would cost a second pass (`[tiab]` ANDs at 5M: 3-8% slower).
        let (keys, expand) = self.keys(root, false)?;
        let key = keys[&(root as *const Query)];
        let known = matches!(root, Query::History { .. }) || self.generation.holds_hits(key);
        if known || expand.contains(&(root as *const Query)) {
            let (key, evaluated) = self.evaluate(root)?;
            return Ok((key, evaluated, Ranking::Later));
        }
        let mut compiler = Compiler::new(self.searcher, self.fields, self.mesh, self.today, self.history);
        let compiled = flat_unions(compiler.compile(root)?.as_ref());
        let (evaluated, ranking) = if prunable(compiled.as_ref()) {
            // Ranking it skips most hits (block-max WAND): a pass for the set and a pruned pass
            // for the ranking cost less than scoring every hit.
            (self.by_index(root)?, Ranking::Compiled(compiled))
        } else if scores_hits_alike(compiled.as_ref()) {
            let evaluated = self.by_index(root)?;
            let extras = self.generation.segment_extras(self.searcher);
            let best = best_of_term_set(self.searcher, &evaluated.hits, &extras, limit).map_err(EngineError::Search)?;
            (evaluated, Ranking::Ranked(best))
        } else if let Some((words, sets)) = words_and_term_sets(compiled.as_ref()) {
            // A word ORed with a broad explosion (automatic term mapping's `cancer`): the sets are
            // stored, and only the words need ranking.
            let evaluated = self.by_index(root)?;
            let ranking = match self.best_of_words_and_sets(words.as_ref(), sets, limit)? {
                Some(best) => Ranking::Ranked(best),
                None => Ranking::Compiled(compiled),
            };
            (evaluated, ranking)
        } else if let Some(words) = conjunction_words(compiled.as_ref(), self.searcher.schema()) {
            // An AND of words: its set from its operands' sets, then its words ranked by block-max
            // WAND among its hits (the AND run whole scores every hit of its operands' union).
            let (key, evaluated) = self.evaluate(root)?;
            let weight =
                words.weight(EnableScoring::enabled_from_searcher(self.searcher)).map_err(EngineError::Search)?;
            let extras = self.generation.segment_extras(self.searcher);
            let best = best_of_hits_by_words(self.searcher, weight.as_ref(), &evaluated.hits, &extras, limit)
                .map_err(EngineError::Search)?;
            return Ok((key, evaluated, Ranking::Ranked(best)));
        } else {
            let weight =
                compiled.weight(EnableScoring::enabled_from_searcher(self.searcher)).map_err(EngineError::Search)?;
            let extras = self.generation.segment_extras(self.searcher);
            let (hits, best) =
                hits_and_best(self.searcher, weight.as_ref(), &extras, limit).map_err(EngineError::Search)?;
            (Evaluated { hits, warnings: compiler.warnings }, Ranking::Ranked(best))
        };
        let evaluated = Arc::new(evaluated);
        self.generation.put_hits(key, evaluated.clone());
        Ok((key, evaluated, ranking))
    }

    /// See [`best_of_words_and_sets`]; each term set's hits from its stored sets or postings.
    fn best_of_words_and_sets(
        &self,
        words: &dyn tantivy::query::Query,
        sets: Vec<Vec<tantivy::Term>>,
        limit: usize,
    ) -> Result<Option<Vec<Scored>>> {
        let extras = self.generation.segment_extras(self.searcher);
        let of_set = |set| HitSet::of_terms(self.searcher, &TermUnion { terms: Vec::new(), sets: vec![set] }, &extras);
        let sets: Vec<HitSet> =
            sets.into_iter().map(of_set).collect::<tantivy::Result<_>>().map_err(EngineError::Search)?;
        let weight = words.weight(EnableScoring::enabled_from_searcher(self.searcher)).map_err(EngineError::Search)?;
        best_of_words_and_sets(self.searcher, weight.as_ref(), &sets, &extras, limit).map_err(EngineError::Search)
    }

    fn earlier(&self, number: u32) -> Option<&EarlierLine> {
        self.lines.iter().rev().find(|line| line.number == number)
    }

    /// A subtree without `#N`, evaluated by the index: a union of terms straight from their
    /// posting lists, anything else by running the query.
    fn by_index(&self, q: &Query) -> Result<Evaluated> {
        let mut compiler = Compiler::new(self.searcher, self.fields, self.mesh, self.today, self.history).for_sets();
        let compiled = compiler.compile(q)?;
        let hits = match union_terms(compiled.as_ref()) {
            Some(union) => HitSet::of_terms(self.searcher, &union, &self.generation.segment_extras(self.searcher)),
            None => compiled
                .weight(EnableScoring::disabled_from_searcher(self.searcher))
                .and_then(|weight| HitSet::of_weight(self.searcher, weight.as_ref())),
        }
        .map_err(EngineError::Search)?;
        Ok(Evaluated { hits, warnings: compiler.warnings })
    }

    /// Every node's key, children before parents; and the nodes to combine from their parts
    /// (those with a `#N` or a known set below them, with `combine_broad` the ANDs and NOTs of
    /// broad operands, and the ORs of a node so combined).
    #[allow(clippy::type_complexity)]
    fn keys(
        &self,
        root: &Query,
        combine_broad: bool,
    ) -> Result<(HashMap<*const Query, NodeKey>, HashSet<*const Query>)> {
        let mut keys: HashMap<*const Query, NodeKey> = HashMap::new();
        let mut expand: HashSet<*const Query> = HashSet::new();
        // Nodes that are a `#N`, are known, or have such a node below them.
        let mut known_below: HashSet<*const Query> = HashSet::new();
        // ANDs and NOTs whose operands are all broad: terms, ORs of terms, or such nodes.
        let mut all_broad: HashSet<*const Query> = HashSet::new();
        let mut stack: Vec<(&Query, bool)> = vec![(root, false)];
        while let Some((q, children_done)) = stack.pop() {
            match q {
                Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) if !children_done => {
                    stack.push((q, true));
                    stack.push((b, false));
                    stack.push((a, false));
                }
                _ => {
                    let key = self.key(q, &keys)?;
                    keys.insert(q as *const Query, key);
                    let children_known = match q {
                        Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) => {
                            known_below.contains(&(&**a as *const Query))
                                || known_below.contains(&(&**b as *const Query))
                        }
                        _ => false,
                    };
                    // A union of terms is read best in one pass (`HitSet::of_terms`): only ANDs and
                    // NOTs are combined for being broad.
                    let broad_operands = match q {
                        Query::And(a, b) | Query::Not(a, b) if combine_broad => {
                            self.broad_operand(a, &all_broad)? && self.broad_operand(b, &all_broad)?
                        }
                        _ => false,
                    };
                    if broad_operands {
                        all_broad.insert(q as *const Query);
                    }
                    // An OR visits every hit of its operands however it is run: one combined from
                    // sets (a broad AND that automatic term mapping ORs with the heading) is
                    // cheaper as a set than run inside a union.
                    let combined_below = match q {
                        Query::Or(a, b) => {
                            expand.contains(&(&**a as *const Query)) || expand.contains(&(&**b as *const Query))
                        }
                        _ => false,
                    };
                    if children_known || broad_operands || combined_below {
                        expand.insert(q as *const Query);
                    }
                    if children_known || matches!(q, Query::History { .. }) || self.generation.holds_hits(key) {
                        known_below.insert(q as *const Query);
                    }
                }
            }
        }
        Ok((keys, expand))
    }

    /// Whether an operand of an AND or NOT is broad: a broad term, an OR of broad terms, or an
    /// AND or NOT of broad operands (`all_broad`).
    fn broad_operand(&self, q: &Query, all_broad: &HashSet<*const Query>) -> Result<bool> {
        match q {
            Query::Term(_) => self.broad_term(q),
            Query::Or(..) => {
                for operand in flatten(q, false) {
                    let broad = match operand {
                        Query::Term(_) => self.broad_term(operand)?,
                        _ => all_broad.contains(&(operand as *const Query)),
                    };
                    if !broad {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            _ => Ok(all_broad.contains(&(q as *const Query))),
        }
    }

    /// Whether a term's postings hold at least one record in [`BROAD_SHARE`]. Only terms of
    /// fields whose words or headings can be in many records are looked at, and none with
    /// wildcards: compiling an author's name or a truncation reads the term dictionary, which
    /// would be paid again when the node is run.
    fn broad_term(&self, q: &Query) -> Result<bool> {
        use query::Field::*;
        let Query::Term(term) = q else { return Ok(false) };
        let field = term.field.unwrap_or(All);
        let can_be_broad = matches!(
            field,
            All | Title
                | TitleAbstract
                | Abstract
                | TextWord
                | Mesh
                | MeshMajor
                | Subheading
                | PublicationType
                | Language
                | Filter
        );
        if !can_be_broad || term.wildcards || term.text.ends_with('*') {
            return Ok(false);
        }
        let mut compiler = Compiler::new(self.searcher, self.fields, self.mesh, self.today, self.history).for_sets();
        let compiled = compiler.compile(q)?;
        let Some(union) = union_terms(compiled.as_ref()) else { return Ok(false) };
        let least = self.searcher.num_docs() / BROAD_SHARE;
        let mut held = 0;
        for term in union.terms.iter().chain(union.sets.iter().flatten()) {
            held += self.searcher.doc_freq(term).map_err(EngineError::Search)?;
            if held >= least {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// A node's key from its own content and its children's keys.
    fn key(&self, q: &Query, keys: &HashMap<*const Query, NodeKey>) -> Result<NodeKey> {
        let mut h = Xxh3::new();
        // Relative dates ("last 5 years") and nothing else depend on the day.
        let day = self.today;
        h.update(&[day.month as u8, day.day as u8]);
        h.update(&day.year.to_le_bytes());
        match q {
            Query::Term(t) => {
                h.update(b"T");
                hash_term(&mut h, t);
            }
            Query::Range { from, to } => {
                h.update(b"R");
                hash_term(&mut h, from);
                hash_term(&mut h, to);
            }
            Query::Near(near) => {
                h.update(b"P");
                for operand in &near.operands {
                    h.update(&(operand.len() as u64).to_le_bytes());
                    operand.iter().for_each(|alternative| hash_text(&mut h, alternative));
                }
                hash_text(&mut h, &format!("{:?}", near.field));
                h.update(&near.gap.to_le_bytes());
                h.update(&[u8::from(near.ordered)]);
            }
            Query::History { number, span } => match self.earlier(*number) {
                Some(line) => return Ok(line.key),
                None => {
                    let message = format!("#{number} refers to no earlier search");
                    return Err(query::QueryError { message, position: span.start }.into());
                }
            },
            Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) => {
                h.update(match q {
                    Query::And(..) => b"A",
                    Query::Or(..) => b"O",
                    _ => b"N",
                });
                h.update(&keys[&(&**a as *const Query)].to_le_bytes());
                h.update(&keys[&(&**b as *const Query)].to_le_bytes());
            }
        }
        Ok(h.digest128())
    }
}

/// Whether tantivy ranks the query with block-max WAND: a term, or terms all ORed or all ANDed.
fn prunable(q: &dyn tantivy::query::Query) -> bool {
    use tantivy::query::{BooleanQuery, Occur};
    if is_term_query(q) {
        return true;
    }
    q.downcast_ref::<BooleanQuery>().is_some_and(|b| {
        let clauses = b.clauses();
        let terms = clauses.iter().all(|(_, c)| is_term_query(c.as_ref()));
        let one_occur =
            clauses.iter().all(|(o, _)| *o == Occur::Should) || clauses.iter().all(|(o, _)| *o == Occur::Must);
        terms && one_occur && !clauses.is_empty()
    })
}

fn hash_text(h: &mut Xxh3, s: &str) {
    h.update(&(s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

fn hash_term(h: &mut Xxh3, t: &query::Term) {
    hash_text(h, &t.text);
    hash_text(h, &format!("{:?}", t.field));
    h.update(&[u8::from(t.quoted), u8::from(t.noexp), u8::from(t.wildcards)]);
    h.update(&t.proximity.map_or(u64::MAX, u64::from).to_le_bytes());
}

/// A Boolean node's set from its operands' (all the operands of a chain of one operator).
fn combine(q: &Query, operands: &[Arc<Evaluated>]) -> Evaluated {
    let sets: Vec<&HitSet> = operands.iter().map(|e| &e.hits).collect();
    let hits = match q {
        Query::And(..) => HitSet::intersection(&sets),
        Query::Or(..) => HitSet::union(&sets),
        _ => sets[0].difference(sets[1]),
    };
    let mut warnings: Vec<query::Warning> = Vec::new();
    for w in operands.iter().flat_map(|e| &e.warnings) {
        if !warnings.contains(w) {
            warnings.push(w.clone());
        }
    }
    Evaluated { hits, warnings }
}
