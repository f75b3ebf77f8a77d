//! Running a parsed query against the index: each term becomes a tantivy query on the fields its
//! tag names; the Booleans become nested boolean queries, left to right as parsed.

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use query::{Day, Field as Tag, FieldKind, Near, Query, Term as QueryTerm, Warning};
use tantivy::collector::Count;
use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query as TantivyQuery, RangeQuery,
    RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Schema};
use tantivy::{Searcher, Term};

use crate::error::{EngineError, Result};
use crate::evaluate::EarlierLine;
use crate::index::{Fields, normalise, words};
use crate::line_query::LineQuery;
use crate::vocabulary::MeshStore;
use crate::word_pattern;

type Compiled = Box<dyn TantivyQuery>;

/// How many orders of a proximity search's words are tried (all of them up to 4 words).
const MAX_PERMUTED_WORDS: usize = 4;

/// Compiles a parsed query into tantivy's queries, gathering the warnings on the way.
pub struct Compiler<'a> {
    /// The index searched (its dictionaries answer phrase and truncation questions).
    pub searcher: &'a Searcher,
    /// The schema's fields.
    pub fields: &'a Fields,
    /// MeSH, for explosion and pharmacological actions.
    pub mesh: Option<&'a MeshStore>,
    /// The day relative dates count back from.
    pub today: Day,
    /// What the reader should know, each once.
    pub warnings: Vec<Warning>,
    /// Earlier strategy lines by number, for `#N`.
    pub history: &'a [(u32, Query)],
    warned_mesh: bool,
    /// Whether the query will be scored: field weights matter only then, and a query for a set
    /// of hits is left without them, so its unions are plain unions of terms.
    scored: bool,
    /// Earlier lines' hits, and the lines compiled into this query so far: a line met again
    /// stands as its hits ([`LineQuery`]), so each line is compiled once however often it is
    /// referred to.
    earlier_hits: &'a [EarlierLine],
    compiled_lines: HashSet<u32>,
}

impl<'a> Compiler<'a> {
    /// A compiler for queries on `searcher`, `#N` resolved through `history`.
    pub fn new(
        searcher: &'a Searcher,
        fields: &'a Fields,
        mesh: Option<&'a MeshStore>,
        today: Day,
        history: &'a [(u32, Query)],
    ) -> Self {
        Compiler {
            searcher,
            fields,
            mesh,
            today,
            warnings: Vec::new(),
            history,
            warned_mesh: false,
            scored: true,
            earlier_hits: &[],
            compiled_lines: HashSet::new(),
        }
    }

    /// A compiler that knows the earlier lines' hits, for a line referred to more than once.
    pub(crate) fn with_earlier_hits(mut self, lines: &'a [EarlierLine]) -> Self {
        self.earlier_hits = lines;
        self
    }

    /// A compiler of queries whose hits are wanted as a set, not ranked (no field weights).
    pub fn for_sets(mut self) -> Self {
        self.scored = false;
        self
    }

    fn warn(&mut self, warning: Warning) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// The query as tantivy's.
    pub fn compile(&mut self, q: &Query) -> Result<Compiled> {
        Ok(match q {
            Query::Term(t) => self.term(t)?,
            Query::Range { from, to } => {
                let field = from.field.expect("ranges are tagged");
                let text = format!("{}:{}", from.text, to.text);
                self.date(field, &text)
            }
            Query::History { number, span } => self.earlier_line(*number, span.start)?,
            Query::Near(near) => self.near(near)?,
            Query::And(..) | Query::Or(..) => {
                let (occur, operands) = match q {
                    Query::And(..) => (Occur::Must, flatten(q, true)),
                    _ => (Occur::Should, flatten(q, false)),
                };
                let mut clauses = Vec::with_capacity(operands.len());
                for operand in operands {
                    clauses.push((occur, self.compile(operand)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Not(a, b) => {
                let a = self.compile(a)?;
                let b = self.compile(b)?;
                Box::new(BooleanQuery::new(vec![(Occur::Must, a), (Occur::MustNot, b)]))
            }
        })
    }

    /// Line N's query in place of `#N` the first time this query meets it, its hits after. Lines
    /// refer only to earlier lines, so this ends.
    fn earlier_line(&mut self, number: u32, position: usize) -> Result<Compiled> {
        let Some((_, earlier)) = self.history.iter().rev().find(|(n, _)| *n == number) else {
            let message = format!("#{number} refers to no earlier search");
            return Err(query::QueryError { message, position }.into());
        };
        let met_before = !self.compiled_lines.insert(number);
        if met_before && let Some(line) = self.earlier_hits.iter().rev().find(|l| l.number == number) {
            return Ok(Box::new(LineQuery::new(self.searcher, number, line.result.clone())));
        }
        let earlier = earlier.clone();
        self.compile(&earlier)
    }

    fn term(&mut self, t: &QueryTerm) -> Result<Compiled> {
        crate::stopping::check()?;
        let tag = t.field.unwrap_or(Tag::All);
        let f = self.fields;
        Ok(match tag.kind() {
            FieldKind::Date => self.date(tag, &t.text),
            FieldKind::Text => {
                let fields = text_fields(f, tag);
                self.text(t, &fields)?
            }
            FieldKind::Exact => self.exact(t, tag)?,
        })
    }

    /// Ovid's `a adjN b`, in each index field of its tag.
    fn near(&mut self, near: &Near) -> Result<Compiled> {
        crate::stopping::check()?;
        if near.operands.len() > word_pattern::MAX_PERMUTED_OPERANDS && !near.ordered {
            let max_words = word_pattern::MAX_PERMUTED_OPERANDS;
            self.warn(Warning::ProximityInOrder { text: Query::Near(near.clone()).to_string(), max_words });
        }
        let clauses = text_fields(self.fields, near.field)
            .into_iter()
            .map(|(field, _)| (Occur::Should, word_pattern::near(field, near)))
            .collect();
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Running text: a word, a phrase, a truncated word, or words within a distance.
    fn text(&mut self, t: &QueryTerm, fields: &[(Field, f32)]) -> Result<Compiled> {
        if t.wildcards {
            let patterns = word_pattern::word_patterns(&t.text);
            if patterns.is_empty() {
                self.warn(Warning::NoSearchableWords { text: t.text.clone() });
            }
            let clauses = fields.iter().map(|&(field, _)| (Occur::Should, word_pattern::phrase(field, &patterns)));
            return Ok(Box::new(BooleanQuery::new(clauses.collect())));
        }
        let tokens = tokens(&t.text);
        if tokens.is_empty() {
            self.warn(Warning::NoSearchableWords { text: t.text.clone() });
            return Ok(Box::new(EmptyQuery));
        }
        // The same query in each field, ORed, each field with its weight.
        let scored = self.scored;
        let per_field = |build: &dyn Fn(Field) -> Compiled| -> Compiled {
            let clauses = fields.iter().map(|&(field, boost)| {
                let q = build(field);
                (
                    Occur::Should,
                    if boost == 1.0 || !scored { q } else { Box::new(BoostQuery::new(q, boost)) as Compiled },
                )
            });
            Box::new(BooleanQuery::new(clauses.collect()))
        };
        if tokens.len() == 1 {
            let (word, prefix) = &tokens[0];
            return Ok(per_field(&|field| word_query(field, word, *prefix)));
        }
        if let Some(distance) = t.proximity {
            if tokens.iter().any(|(_, p)| *p) {
                self.warn(Warning::TruncationInProximity { text: t.text.clone() });
            }
            let plain: Vec<String> = tokens.iter().map(|(w, _)| w.clone()).collect();
            if plain.len() > MAX_PERMUTED_WORDS {
                self.warn(Warning::ProximityInOrder { text: t.text.clone(), max_words: MAX_PERMUTED_WORDS });
            }
            return Ok(per_field(&|field| proximity_query(field, &plain, distance)));
        }
        let truncated_inside = tokens[..tokens.len() - 1].iter().any(|(_, p)| *p);
        if truncated_inside {
            self.warn(Warning::TruncationInsidePhrase { text: t.text.clone() });
            return Ok(and_of_words(&tokens, fields));
        }
        let phrase = per_field(&|field| phrase_query(field, &tokens));
        // An unquoted run of tagged words that never occurs as a phrase is searched word by word,
        // as PubMed does when a phrase is not in its phrase index.
        if !t.quoted && self.searcher.search(phrase.as_ref(), &Count).map_err(EngineError::Search)? == 0 {
            return Ok(and_of_words(&tokens, fields));
        }
        Ok(phrase)
    }

    /// Whole values: names, headings, identifiers.
    fn exact(&mut self, t: &QueryTerm, tag: Tag) -> Result<Compiled> {
        let f = self.fields;
        let value = normalise(&t.text);
        let truncated = value.ends_with('*');
        let stem = value.trim_end_matches('*').to_owned();
        let one = |field: Field| -> Compiled {
            if truncated {
                prefix_query(field, &stem)
            } else {
                Box::new(TermQuery::new(text_term(field, &stem), IndexRecordOption::Basic))
            }
        };
        Ok(match tag {
            Tag::Author | Tag::FirstAuthor | Tag::LastAuthor | Tag::Investigator | Tag::Editor | Tag::PersonalName => {
                let field = match tag {
                    Tag::Author => f.author,
                    Tag::FirstAuthor => f.author_first,
                    Tag::LastAuthor => f.author_last,
                    Tag::Investigator => f.investigator,
                    Tag::Editor => f.editor,
                    _ => f.personal_name,
                };
                let stem = stem.replace([',', '.'], "");
                if t.quoted && !truncated {
                    Box::new(TermQuery::new(text_term(field, &stem), IndexRecordOption::Basic))
                } else if truncated {
                    prefix_query(field, &stem)
                } else if stem.contains(' ') {
                    // Initials truncate: `smith j` finds `smith ja`, not `smith jones a`.
                    regex_query(field, &format!("{}[^ ]*", escape_regex(&stem)))
                } else {
                    // A last name alone: with any initials, but not a longer compound name.
                    regex_query(field, &format!("{}( [^ ]*)?", escape_regex(&stem)))
                }
            }
            Tag::AuthorFull | Tag::InvestigatorFull => {
                let field = if tag == Tag::AuthorFull { f.author_full } else { f.investigator_full };
                if t.quoted && !truncated { one(field) } else { prefix_query(field, &stem) }
            }
            Tag::Mesh | Tag::MeshMajor => self.mesh(t, tag, &stem, truncated)?,
            Tag::Subheading => one(f.subheading),
            Tag::PublicationType => {
                let names = if t.noexp || truncated { vec![Arc::from(stem.as_str())] } else { self.exploded(&stem)? };
                terms_query(f.publication_type, &names)
            }
            Tag::PharmacologicalAction => {
                let names = match self.mesh.map(|m| m.heading(&stem)).transpose()?.flatten() {
                    Some(action) => {
                        let names = self.mesh.expect("checked").substances_with_action(&action)?;
                        names.iter().map(|n| normalise(n)).collect()
                    }
                    None => {
                        self.mesh_missing();
                        Vec::new()
                    }
                };
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, terms_query(f.mesh, &names)),
                    (Occur::Should, terms_query(f.substance, &names)),
                ]))
            }
            Tag::Language => {
                let code = medline::language::searched(&stem).map_or(stem.as_str(), |l| l.code);
                Box::new(TermQuery::new(text_term(f.language, code), IndexRecordOption::Basic))
            }
            Tag::Pmid => pmid_query(f.pmid, &stem),
            Tag::Journal => one(f.journal),
            Tag::NlmId => one(f.nlm_id),
            Tag::Volume => one(f.volume),
            Tag::Issue => one(f.issue),
            Tag::Pagination => one(f.pages),
            Tag::ArticleId => one(f.article_id),
            Tag::LocationId => one(f.location_id),
            Tag::Pmcid => {
                let id = if stem.starts_with("pmc") { stem.clone() } else { format!("pmc{stem}") };
                Box::new(TermQuery::new(text_term(f.pmcid, &id), IndexRecordOption::Basic))
            }
            Tag::SecondarySourceId => one(f.secondary_source),
            Tag::Grant => one(f.grant),
            Tag::Corporate => one(f.corporate),
            Tag::AuthorId => one(f.author_id),
            Tag::Place => one(f.place),
            Tag::SupplementaryConcept => one(f.substance),
            Tag::RegistryNumber => one(f.registry_number),
            Tag::Filter => one(f.filter),
            Tag::Isbn => one(f.isbn),
            _ => one(f.other_words),
        })
    }

    fn mesh_missing(&mut self) {
        if !self.warned_mesh {
            self.warned_mesh = true;
            self.warn(Warning::MeshNotLoaded);
        }
    }

    /// A heading and, unless `noexp`, everything below it in the MeSH trees.
    fn exploded(&mut self, name: &str) -> Result<Vec<Arc<str>>> {
        let Some(mesh) = self.mesh else {
            self.mesh_missing();
            return Ok(vec![Arc::from(name)]);
        };
        Ok(mesh.explosion(name)?.unwrap_or_else(|| vec![Arc::from(name)]))
    }

    fn mesh(&mut self, t: &QueryTerm, tag: Tag, stem: &str, truncated: bool) -> Result<Compiled> {
        let f = self.fields;
        let major = tag == Tag::MeshMajor;
        if let Some((descriptor, qualifier)) = stem.split_once('/') {
            let field = if major { f.mesh_qualified_major } else { f.mesh_qualified };
            let descriptors =
                if t.noexp { vec![Arc::from(descriptor.trim())] } else { self.exploded(descriptor.trim())? };
            let qualifier = qualifier.trim();
            let combined: Vec<String> = descriptors.iter().map(|d| format!("{d}/{qualifier}")).collect();
            return Ok(terms_query(field, &combined));
        }
        let field = if major { f.mesh_major } else { f.mesh };
        if truncated {
            return Ok(prefix_query(field, stem));
        }
        let names = if t.noexp { vec![Arc::from(stem)] } else { self.exploded(stem)? };
        Ok(terms_query(field, &names))
    }

    fn date(&mut self, tag: Tag, text: &str) -> Compiled {
        let f = self.fields;
        let field = match tag {
            Tag::DateEntry => f.date_entry,
            Tag::DateCreate => f.date_create,
            Tag::DateMesh => f.date_mesh,
            Tag::DateModification => f.date_modification,
            Tag::DateCompletion => f.date_completion,
            _ => f.date_publication,
        };
        match query::parse_date_term(text, self.today) {
            Some(range) => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(field, i64::from(range.from))),
                Bound::Included(Term::from_field_i64(field, i64::from(range.to))),
            )),
            None => {
                self.warn(Warning::NotADate { text: text.to_owned() });
                Box::new(EmptyQuery)
            }
        }
    }
}

/// The same query with ORs nested in an OR spliced into it (and empty clauses dropped): a score
/// is the sum of the matching clauses' either way, and a flat OR of terms, boosted or not, is
/// one tantivy ranks with block-max WAND.
pub(crate) fn flat_unions(q: &dyn TantivyQuery) -> Compiled {
    let Some(b) = q.downcast_ref::<BooleanQuery>() else { return q.box_clone() };
    let all_should = |b: &BooleanQuery| b.clauses().iter().all(|(occur, _)| *occur == Occur::Should);
    if !all_should(b) {
        return Box::new(BooleanQuery::new(b.clauses().iter().map(|(o, c)| (*o, flat_unions(c.as_ref()))).collect()));
    }
    let mut clauses: Vec<(Occur, Compiled)> = Vec::new();
    let mut stack: Vec<&dyn TantivyQuery> = b.clauses().iter().rev().map(|(_, c)| c.as_ref()).collect();
    while let Some(c) = stack.pop() {
        match c.downcast_ref::<BooleanQuery>() {
            Some(inner) if all_should(inner) => stack.extend(inner.clauses().iter().rev().map(|(_, c)| c.as_ref())),
            _ if c.downcast_ref::<EmptyQuery>().is_some() => {}
            _ => clauses.push((Occur::Should, flat_unions(c))),
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A term query, boosted or not (a boost is folded into the term's scorer).
pub(crate) fn is_term_query(q: &dyn TantivyQuery) -> bool {
    if q.downcast_ref::<TermQuery>().is_some() {
        return true;
    }
    if q.downcast_ref::<BoostQuery>().is_none() {
        return false;
    }
    // The compiler boosts words, phrases, prefixes and proximity searches: only a word reports
    // exactly one term that needs no positions.
    let mut terms = 0;
    let mut positions = false;
    q.query_terms(&mut |_, p| {
        terms += 1;
        positions |= p;
    });
    terms == 1 && !positions
}

/// Whether the query is a term set alone, whose hits all score alike.
pub(crate) fn is_term_set(q: &dyn TantivyQuery) -> bool {
    q.downcast_ref::<TermSetQuery>().is_some()
}

/// Whether every hit of the query scores [`crate::top_scored::TERM_SET_SCORE`]: a term set or a
/// range of dates, so that its best hits are its highest PMIDs.
pub(crate) fn scores_hits_alike(q: &dyn TantivyQuery) -> bool {
    is_term_set(q) || q.downcast_ref::<RangeQuery>().is_some()
}

/// An OR of terms (a flat union, see [`flat_unions`]) and term sets, parted: the terms' OR, which
/// tantivy ranks with block-max WAND, and each term set's terms, each adding a constant score to
/// its hits. None for any other query, or when either part is missing.
pub(crate) fn words_and_term_sets(q: &dyn TantivyQuery) -> Option<(Compiled, Vec<Vec<Term>>)> {
    let b = q.downcast_ref::<BooleanQuery>()?;
    let (mut words, mut sets) = (Vec::new(), Vec::new());
    for (occur, clause) in b.clauses() {
        if *occur != Occur::Should {
            return None;
        } else if is_term_set(clause.as_ref()) {
            let mut set = Vec::new();
            clause.query_terms(&mut |term, _| set.push(term.clone()));
            sets.push(set);
        } else if is_term_query(clause.as_ref()) {
            words.push((Occur::Should, clause.box_clone()));
        } else {
            return None;
        }
    }
    (!words.is_empty() && !sets.is_empty()).then(|| (Box::new(BooleanQuery::new(words)) as Compiled, sets))
}

/// The words of an AND (or a NOT) whose positive operands are words, ORs of words (of one word in
/// several fields, unless the OR is the only positive operand), or such ANDs, as one OR. A hit of the AND matches every word of an operand it is scored by, and its score,
/// the sum of its operands' (each the sum of its matching words'), is that OR's: so the OR,
/// which block-max WAND ranks, ranks the AND's hits. None for any other query, and when a word's
/// field keeps no frequencies (WAND needs them; without, tantivy scores every hit of the OR).
pub(crate) fn conjunction_words(q: &dyn TantivyQuery, schema: &Schema) -> Option<Compiled> {
    let b = q.downcast_ref::<BooleanQuery>()?;
    if !b.clauses().iter().all(|(occur, _)| *occur != Occur::Should) {
        return None;
    }
    let mut words: Vec<(Occur, Compiled)> = Vec::new();
    let mut stack = vec![b];
    while let Some(and) = stack.pop() {
        let positive = and.clauses().iter().filter(|(occur, _)| *occur == Occur::Must).count();
        for (occur, clause) in and.clauses() {
            let inner = clause.downcast_ref::<BooleanQuery>();
            match (occur, inner) {
                (Occur::MustNot, _) => {}
                (Occur::Must, Some(inner)) if inner.clauses().iter().all(|(o, _)| *o != Occur::Should) => {
                    stack.push(inner)
                }
                (Occur::Must, Some(or)) if or.clauses().iter().all(|(o, _)| *o == Occur::Should) => {
                    if positive > 1 && !one_word(or) {
                        return None;
                    }
                    for (_, word) in or.clauses() {
                        words.push((Occur::Should, word_with_frequencies(word.as_ref(), schema)?));
                    }
                }
                (Occur::Must, None) => words.push((Occur::Should, word_with_frequencies(clause.as_ref(), schema)?)),
                _ => return None,
            }
        }
    }
    (!words.is_empty()).then(|| Box::new(BooleanQuery::new(words)) as Compiled)
}

/// Whether an OR is one word in several fields. In an AND of ORs of different words, the records
/// holding several words of one OR and none of another score high without being hits, and WAND
/// cannot skip them (`(amyloid OR tau) AND microglia` in `[tiab]` at 1M: 7.2 ms run whole, 9.3
/// ms so).
fn one_word(or: &BooleanQuery) -> bool {
    let mut texts: Vec<Vec<u8>> = Vec::new();
    or.query_terms(&mut |term, _| texts.push(term.serialized_value_bytes().to_vec()));
    texts.windows(2).all(|pair| pair[0] == pair[1])
}

/// The query, if it is a word (a term query, boosted or not) of a field that keeps frequencies.
fn word_with_frequencies(q: &dyn TantivyQuery, schema: &Schema) -> Option<Compiled> {
    if !is_term_query(q) {
        return None;
    }
    let mut with_frequencies = true;
    q.query_terms(&mut |term, _| {
        let options = schema.get_field_entry(term.field()).field_type().get_index_record_option();
        with_frequencies &= options.is_some_and(|o| o.has_freq());
    });
    with_frequencies.then(|| q.box_clone())
}

/// The terms of a query that is a union of single terms (a term, or terms ORed, however nested):
/// its hits are the union of their posting lists. A term set, or an OR of more than
/// [`crate::stored_explosions::LEAST_HEADINGS`] terms of one field (an explosion's headings), is
/// kept whole, so that a stored set of its union can answer for it.
pub(crate) struct TermUnion {
    /// Terms alone.
    pub terms: Vec<Term>,
    /// The terms of each term set (or OR of many terms of one field).
    pub sets: Vec<Vec<Term>>,
}

/// The query as a [`TermUnion`], if it is one.
pub(crate) fn union_terms(q: &dyn TantivyQuery) -> Option<TermUnion> {
    let mut union = TermUnion { terms: Vec::new(), sets: Vec::new() };
    let mut stack = vec![q];
    while let Some(q) = stack.pop() {
        if let Some(t) = q.downcast_ref::<TermQuery>() {
            union.terms.push(t.term().clone());
        } else if q.downcast_ref::<TermSetQuery>().is_some() {
            let mut set = Vec::new();
            q.query_terms(&mut |term, _| set.push(term.clone()));
            union.sets.push(set);
        } else if let Some(b) = q.downcast_ref::<BooleanQuery>() {
            if b.clauses().iter().any(|(occur, _)| *occur != Occur::Should) {
                return None;
            }
            let many = b.clauses().len() > crate::stored_explosions::LEAST_HEADINGS;
            match many.then(|| terms_of_one_field(b)).flatten() {
                Some(set) => union.sets.push(set),
                None => stack.extend(b.clauses().iter().map(|(_, c)| c.as_ref())),
            }
        } else if q.downcast_ref::<EmptyQuery>().is_none() {
            return None;
        }
    }
    Some(union)
}

/// The terms of an OR of single terms all of one field (an explosion looked up heading by
/// heading, see [`terms_query`]), which a stored set may answer as for a term set.
fn terms_of_one_field(b: &BooleanQuery) -> Option<Vec<Term>> {
    let mut terms: Vec<Term> = Vec::with_capacity(b.clauses().len());
    for (_, clause) in b.clauses() {
        let term = clause.downcast_ref::<TermQuery>()?.term();
        if terms.first().is_some_and(|first| first.field() != term.field()) {
            return None;
        }
        terms.push(term.clone());
    }
    Some(terms)
}

/// The operands of a chain of the same operator, left to right.
pub(crate) fn flatten(q: &Query, and: bool) -> Vec<&Query> {
    let mut out = Vec::new();
    let mut stack = vec![q];
    while let Some(node) = stack.pop() {
        match (node, and) {
            (Query::And(a, b), true) | (Query::Or(a, b), false) => {
                stack.push(b);
                stack.push(a);
            }
            _ => out.push(node),
        }
    }
    out
}

/// The index fields a text tag searches, each with its weight for ranking.
fn text_fields(f: &Fields, tag: Tag) -> Vec<(Field, f32)> {
    match tag {
        Tag::Title => vec![(f.title, 1.0)],
        Tag::TitleAbstract => vec![(f.title, 2.0), (f.abstract_, 1.0)],
        Tag::Abstract => vec![(f.abstract_, 1.0)],
        Tag::TextWord => {
            vec![(f.title, 2.0), (f.abstract_, 1.0), (f.mesh_words, 1.0), (f.substance_words, 1.0), (f.keyword, 1.0)]
        }
        Tag::OtherTerm => vec![(f.keyword, 1.0)],
        Tag::Affiliation => vec![(f.affiliation, 1.0)],
        Tag::ConflictOfInterest => vec![(f.coi, 1.0)],
        Tag::TransliteratedTitle => vec![(f.vernacular, 1.0)],
        Tag::Book | Tag::Publisher => vec![(f.other_words, 1.0)],
        _ => vec![
            (f.title, 2.0),
            (f.abstract_, 1.0),
            (f.keyword, 1.0),
            (f.mesh_words, 1.0),
            (f.substance_words, 1.0),
            (f.affiliation, 0.5),
            (f.other_words, 0.5),
            (f.coi, 0.2),
        ],
    }
}

/// The words of a text term as the index holds them, each marked when truncated.
fn tokens(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for raw in text.split(' ') {
        let truncated = raw.ends_with('*');
        let parts = words(raw.trim_end_matches('*'));
        let n = parts.len();
        for (i, w) in parts.into_iter().enumerate() {
            out.push((w, truncated && i + 1 == n));
        }
    }
    out
}

pub(crate) fn text_term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn word_query(field: Field, word: &str, prefix: bool) -> Compiled {
    if prefix {
        prefix_query(field, word)
    } else {
        Box::new(TermQuery::new(text_term(field, word), IndexRecordOption::WithFreqs))
    }
}

fn escape_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if !(c.is_alphanumeric() || c == ' ') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every term of `field` matching `pattern` as a whole.
fn regex_query(field: Field, pattern: &str) -> Compiled {
    match RegexQuery::from_pattern(pattern, field) {
        Ok(q) => Box::new(q),
        Err(_) => Box::new(EmptyQuery),
    }
}

/// Every term of `field` starting with `prefix`.
fn prefix_query(field: Field, prefix: &str) -> Compiled {
    regex_query(field, &format!("{}.*", escape_regex(prefix)))
}

fn phrase_query(field: Field, tokens: &[(String, bool)]) -> Compiled {
    let last_truncated = tokens.last().is_some_and(|(_, p)| *p);
    let terms: Vec<Term> = tokens.iter().map(|(w, _)| text_term(field, w)).collect();
    if last_truncated { Box::new(PhrasePrefixQuery::new(terms)) } else { Box::new(PhraseQuery::new(terms)) }
}

/// The words in any order, with at most `distance` other words between consecutive ones.
fn proximity_query(field: Field, words: &[String], distance: u32) -> Compiled {
    let mut orders: Vec<Vec<&String>> = Vec::new();
    if words.len() <= MAX_PERMUTED_WORDS {
        permutations(&words.iter().collect::<Vec<_>>(), &mut Vec::new(), &mut orders);
    } else {
        orders.push(words.iter().collect());
    }
    let mut seen = HashSet::new();
    let clauses: Vec<(Occur, Compiled)> = orders
        .into_iter()
        .filter(|o| seen.insert(o.clone()))
        .map(|order| {
            let terms: Vec<(usize, Term)> = order.iter().enumerate().map(|(i, w)| (i, text_term(field, w))).collect();
            // tantivy's slop counts the positions a phrase may stretch; PubMed's N counts words between.
            let slop = distance * (terms.len() as u32 - 1);
            (Occur::Should, Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)) as Compiled)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn permutations<'w>(rest: &[&'w String], current: &mut Vec<&'w String>, out: &mut Vec<Vec<&'w String>>) {
    if rest.is_empty() {
        out.push(current.clone());
        return;
    }
    for i in 0..rest.len() {
        let mut remaining = rest.to_vec();
        let w = remaining.remove(i);
        current.push(w);
        permutations(&remaining, current, out);
        current.pop();
    }
}

fn and_of_words(tokens: &[(String, bool)], fields: &[(Field, f32)]) -> Compiled {
    let clauses = tokens
        .iter()
        .map(|(w, prefix)| {
            let per_field: Vec<(Occur, Compiled)> =
                fields.iter().map(|&(field, _)| (Occur::Should, word_query(field, w, *prefix))).collect();
            (Occur::Must, Box::new(BooleanQuery::new(per_field)) as Compiled)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// Up to this many values are looked up one by one; a term set streams the field's whole
/// dictionary, which costs more than a few dozen lookups.
pub(crate) const LOOKED_UP_VALUES: usize = 64;

fn terms_query(field: Field, values: &[impl AsRef<str>]) -> Compiled {
    let term = |v: &str| Box::new(TermQuery::new(text_term(field, v), IndexRecordOption::Basic)) as Compiled;
    match values {
        [] => Box::new(EmptyQuery),
        [one] => term(one.as_ref()),
        few if few.len() <= LOOKED_UP_VALUES => {
            Box::new(BooleanQuery::new(few.iter().map(|v| (Occur::Should, term(v.as_ref()))).collect()))
        }
        many => Box::new(TermSetQuery::new(many.iter().map(|v| text_term(field, v.as_ref())))),
    }
}

/// `12345`, a range `1:5000` as EDirect sends, or a list `1,2,3` (how a posted set of IDs is
/// searched as `#N`).
fn pmid_query(field: Field, text: &str) -> Compiled {
    let parse = |s: &str| s.trim().parse::<u64>().ok();
    if text.contains(',') {
        let term =
            |id: u64| Box::new(TermQuery::new(Term::from_field_u64(field, id), IndexRecordOption::Basic)) as Compiled;
        return Box::new(BooleanQuery::new(
            text.split(',').filter_map(parse).map(|id| (Occur::Should, term(id))).collect(),
        ));
    }
    match text.split_once(':') {
        Some((a, b)) => match (parse(a), parse(b)) {
            (Some(a), Some(b)) => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(field, a)),
                Bound::Included(Term::from_field_u64(field, b)),
            )),
            _ => Box::new(EmptyQuery),
        },
        None => match parse(text) {
            Some(n) => Box::new(TermQuery::new(Term::from_field_u64(field, n), IndexRecordOption::Basic)),
            None => Box::new(EmptyQuery),
        },
    }
}
