//! A collector of the best hits by BM25 score, equal scores broken by the higher PMID, so that the
//! order does not depend on where a record happens to sit in the index.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::hits::HitSet;
use crate::segment_extras::{PMID_BLOCK_DOCS, SegmentExtras};

/// A hit's score and PMID; greater is better.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub score: Score,
    pub pmid: u32,
    /// Where the hit is, for its other columns (not part of the order).
    pub address: DocAddress,
}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score.total_cmp(&other.score).then(self.pmid.cmp(&other.pmid))
    }
}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scored {}

/// The best `limit` hits of a query, best first; `extras` are the searcher's, segment by segment.
pub(crate) struct TopScored<'a> {
    pub limit: usize,
    pub extras: &'a [SegmentExtras],
}

impl Collector for TopScored<'_> {
    type Fruit = Vec<Scored>;
    type Child = TopScoredSegment;

    fn for_segment(&self, ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<TopScoredSegment> {
        Ok(TopScoredSegment {
            ord,
            limit: self.limit,
            pmids: self.extras[ord as usize].hit_columns(reader)?.pmid.clone(),
            best: Vec::new(),
            floor: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Scored>>) -> tantivy::Result<Vec<Scored>> {
        let mut all: Vec<Scored> = fruits.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        all.truncate(self.limit);
        Ok(all)
    }

    /// Lets the query skip what cannot make the cut (block-max WAND, where the query allows it):
    /// the threshold handed back is just below the worst kept score, so that a hit scoring the
    /// same still comes in and is decided by its PMID.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Scored>> {
        let mut segment = self.for_segment(ord, reader)?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                segment.collect(doc, score);
            }
            segment.threshold()
        })?;
        Ok(segment.harvest())
    }
}

/// In one pass, every hit of `weight` (as a set) and the best `limit` by score: for a query whose
/// hits are not known yet and that is to be ranked, instead of a pass for each.
pub(crate) fn hits_and_best(
    searcher: &tantivy::Searcher,
    weight: &dyn Weight,
    extras: &[SegmentExtras],
    limit: usize,
) -> tantivy::Result<(HitSet, Vec<Scored>)> {
    let ranker = TopScored { limit, extras };
    let mut segments = Vec::with_capacity(searcher.segment_readers().len());
    let mut fruits = Vec::with_capacity(segments.capacity());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut best = ranker.for_segment(ord as SegmentOrdinal, reader)?;
        let mut docs = Vec::new();
        let alive = reader.alive_bitset();
        weight.for_each(reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                docs.push(doc);
                best.collect(doc, score);
            }
        })?;
        segments.push(docs);
        fruits.push(best.harvest());
    }
    Ok((HitSet::from_segment_docs(searcher, segments), ranker.merge_fruits(fruits)?))
}

/// The score tantivy gives every hit of a term set or a date range (constant-score queries),
/// ranked alone.
pub(crate) const TERM_SET_SCORE: Score = 1.0;

/// The best `limit` hits of a term set or a date range, whose every hit scores
/// [`TERM_SET_SCORE`]: the highest PMIDs among its known hits. Ranking a term set by running it
/// would stream the field's term dictionary and decode every heading's postings again, for a set
/// the stored explosions already hold; a range would score every hit.
pub(crate) fn best_of_term_set(
    searcher: &tantivy::Searcher,
    hits: &HitSet,
    extras: &[SegmentExtras],
    limit: usize,
) -> tantivy::Result<Vec<Scored>> {
    let mut best: Vec<Scored> = Vec::new();
    for ((ord, reader), extra) in searcher.segment_readers().iter().enumerate().zip(extras) {
        let segment_hits = hits.segment(ord);
        if segment_hits.is_empty() {
            continue;
        }
        let pmids = &extra.hit_columns(reader)?.pmid;
        let blocks = extra.pmid_blocks(reader)?;
        // The segment's best, as a heap whose top is the worst of them.
        let mut kept: BinaryHeap<Reverse<(u32, DocId)>> =
            BinaryHeap::with_capacity(limit.min(segment_hits.len() as usize));
        for &block in &blocks.by_highest {
            let full = kept.len() >= limit;
            if full && kept.peek().is_none_or(|Reverse((worst, _))| *worst >= blocks.highest[block as usize]) {
                break;
            }
            let start = block * PMID_BLOCK_DOCS;
            for doc in segment_hits.range(start..start + PMID_BLOCK_DOCS) {
                let pmid = pmids.first(doc).unwrap_or(0) as u32;
                if kept.len() < limit {
                    kept.push(Reverse((pmid, doc)));
                } else if kept.peek().is_some_and(|Reverse((worst, _))| pmid > *worst) {
                    kept.pop();
                    kept.push(Reverse((pmid, doc)));
                }
            }
        }
        let address = |doc| DocAddress::new(ord as SegmentOrdinal, doc);
        best.extend(kept.into_iter().map(|Reverse((pmid, doc))| Scored {
            score: TERM_SET_SCORE,
            pmid,
            address: address(doc),
        }));
    }
    best.sort_unstable_by(|a, b| b.cmp(a));
    best.truncate(limit);
    Ok(best)
}

/// The best `limit` hits of an OR of words and term sets, where a hit of each set gets
/// [`TERM_SET_SCORE`] more than its words' score: block-max WAND over the words alone, with the
/// most the sets can add taken off its threshold, so that nothing it skips could make the cut. A
/// hit of the sets alone scores at most that much: when the cut is not above it (or fewer than
/// `limit` hits hold words), None, and the query is to be ranked by running it.
pub(crate) fn best_of_words_and_sets(
    searcher: &tantivy::Searcher,
    words: &dyn Weight,
    sets: &[HitSet],
    extras: &[SegmentExtras],
    limit: usize,
) -> tantivy::Result<Option<Vec<Scored>>> {
    let most_added = TERM_SET_SCORE * sets.len() as Score;
    // Sums are rounded: a margin keeps a hit the rounding could carry over the cut.
    let below_by_most_added =
        |threshold: Score| if threshold == Score::MIN { threshold } else { threshold - most_added * 1.0001 };
    let ranker = TopScored { limit, extras };
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut segment = ranker.for_segment(ord as SegmentOrdinal, reader)?;
        let alive = reader.alive_bitset();
        let in_sets: Vec<_> = sets.iter().map(|set| set.segment(ord)).collect();
        words.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let sets_holding = in_sets.iter().filter(|set| set.contains(doc)).count();
                segment.collect(doc, score + TERM_SET_SCORE * sets_holding as Score);
            }
            below_by_most_added(segment.threshold())
        })?;
        fruits.push(segment.harvest());
    }
    let best = ranker.merge_fruits(fruits)?;
    let cut_clear = best.len() >= limit && best.last().is_some_and(|worst| worst.score > most_added);
    Ok(cut_clear.then_some(best))
}

/// The best `limit` of `hits` by the score of `words`, an OR of words that scores each hit as its
/// query does (see [`crate::search::conjunction_words`]): block-max WAND over the words, keeping
/// only the hits, so that what cannot make the cut is skipped whether it is a hit or not.
pub(crate) fn best_of_hits_by_words(
    searcher: &tantivy::Searcher,
    words: &dyn Weight,
    hits: &HitSet,
    extras: &[SegmentExtras],
    limit: usize,
) -> tantivy::Result<Vec<Scored>> {
    let ranker = TopScored { limit, extras };
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let in_hits = hits.segment(ord);
        if in_hits.is_empty() {
            continue;
        }
        let mut segment = ranker.for_segment(ord as SegmentOrdinal, reader)?;
        words.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if in_hits.contains(doc) {
                segment.collect(doc, score);
            }
            segment.threshold()
        })?;
        fruits.push(segment.harvest());
    }
    ranker.merge_fruits(fruits)
}

pub(crate) struct TopScoredSegment {
    ord: SegmentOrdinal,
    limit: usize,
    pmids: Column<u64>,
    /// Candidates, best first once trimmed; trimmed to `limit` whenever it holds twice as many,
    /// which costs O(1) a hit however many hits tie (a heap would pay log(limit) for each).
    best: Vec<Scored>,
    /// The worst hit kept at the last trim: nothing at or below it can make the cut.
    floor: Option<Scored>,
}

impl TopScoredSegment {
    fn threshold(&self) -> Score {
        // Just below the floor's score, so that a hit scoring the same still comes in and is
        // decided by its PMID.
        self.floor.map_or(Score::MIN, |floor| floor.score.next_down())
    }

    fn trim(&mut self) {
        if self.best.len() > self.limit {
            self.best.select_nth_unstable_by(self.limit - 1, |a, b| b.cmp(a));
            self.best.truncate(self.limit);
            self.floor = self.best.iter().min().copied();
        }
    }
}

impl SegmentCollector for TopScoredSegment {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.limit == 0 || self.floor.is_some_and(|floor| score < floor.score) {
            return;
        }
        let hit =
            Scored { score, pmid: self.pmids.first(doc).unwrap_or(0) as u32, address: DocAddress::new(self.ord, doc) };
        if self.floor.is_none_or(|floor| hit > floor) {
            self.best.push(hit);
            if self.best.len() >= 2 * self.limit {
                self.trim();
            }
        }
    }

    fn harvest(mut self) -> Vec<Scored> {
        self.trim();
        self.best
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::EnableScoring;

    use super::Scored;
    use crate::Archive;
    use crate::dense_terms::tests::corpus_in_two;
    use crate::hits::HitSet;
    use crate::search::{Compiler, TermUnion, conjunction_words, flat_unions, scores_hits_alike, words_and_term_sets};

    /// Explosions of more than 64 headings, in `[mh]` and `[majr]`, and ranges of dates.
    const HITS_ALIKE: &[&str] = &[
        "neoplasms[mh]",
        "nervous system diseases[majr]",
        "cardiovascular diseases[mh]",
        "2000:2015[dp]",
        "2010[edat]",
    ];

    #[test]
    fn a_term_set_or_a_date_range_ranked_from_its_hits_is_ranked_as_running_it_ranks_it() {
        let Some(dir) = corpus_in_two("term-set-ranking", crate::stored_explosions::DIR) else { return };
        let archive = Archive::open_read_only(&dir).unwrap();
        let searcher = archive.searcher().unwrap();
        let extras = crate::dense_terms::DenseTerms::new(&dir).for_searcher(&searcher);
        let ranked = |s: &Scored| (s.score, s.pmid, s.address);
        for text in HITS_ALIKE {
            let query = query::parse(text).unwrap().query;
            let mut compiler = Compiler::new(&searcher, archive.fields(), archive.mesh(), crate::today(), &[]);
            let compiled = flat_unions(compiler.compile(&query).unwrap().as_ref());
            assert!(scores_hits_alike(compiled.as_ref()), "{text} scores its hits alike");
            let weight = compiled.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap();
            for limit in [1, 20, 300, 1_000_000] {
                let (hits, by_running) = super::hits_and_best(&searcher, weight.as_ref(), &extras, limit).unwrap();
                assert!(hits.len() > 20, "{text}: {} hits", hits.len());
                let from_hits = super::best_of_term_set(&searcher, &hits, &extras, limit).unwrap();
                let (from_hits, by_running): (Vec<_>, Vec<_>) =
                    (from_hits.iter().map(ranked).collect(), by_running.iter().map(ranked).collect());
                assert_eq!(from_hits, by_running, "{text}, the best {limit}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// One segment of 30,000 documents, large enough for block-max WAND to skip blocks: a word
    /// part whose scores vary with each document's length and counts, and sets of every third
    /// and every fifth document, ORed. The ranking by the words alone, with the sets added,
    /// must keep every hit a set lifts over the cut.
    #[test]
    fn sets_lift_hits_the_words_alone_would_skip() {
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery, TermSetQuery};
        use tantivy::schema::{FAST, INDEXED, IndexRecordOption, STRING, Schema, TEXT};
        use tantivy::{Index, TantivyDocument, Term, doc};

        let mut schema = Schema::builder();
        let (words, sets, pmid) = (
            schema.add_text_field("w", TEXT),
            schema.add_text_field("s", STRING),
            schema.add_u64_field("pmid", FAST | INDEXED),
        );
        // Read with the PMIDs, hit by hit (see `HitColumns`).
        let dates = schema.add_i64_field("date_publication", FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        for i in 0..30_000u64 {
            let text = format!(
                "{}{}{}",
                "alpha ".repeat((i % 7 + 1) as usize),
                "beta ".repeat((i / 7 % 5) as usize),
                "gamma ".repeat((i % 11) as usize)
            );
            let mut document: TantivyDocument = doc!(words => text, pmid => i * 7 % 30_011, dates => 20_200_101i64);
            for (every, name) in [(3, "third"), (5, "fifth")] {
                if i % every == 0 {
                    document.add_text(sets, name);
                }
            }
            writer.add_document(document).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let extras = [crate::segment_extras::SegmentExtras::new(None, None)];
        let term = |field, text: &str| {
            Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs)) as Box<dyn Query>
        };
        let word_clauses = || vec![(Occur::Should, term(words, "alpha")), (Occur::Should, term(words, "beta"))];
        let set = |name: &str| Box::new(TermSetQuery::new([Term::from_field_text(sets, name)])) as Box<dyn Query>;
        let mut all = word_clauses();
        all.extend([(Occur::Should, set("third")), (Occur::Should, set("fifth"))]);
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let weight = BooleanQuery::new(all).weight(scoring).unwrap();
        let word_weight = BooleanQuery::new(word_clauses()).weight(scoring).unwrap();
        let of_set = |name| {
            HitSet::of_weight(
                &searcher,
                set(name).weight(EnableScoring::disabled_from_searcher(&searcher)).unwrap().as_ref(),
            )
            .unwrap()
        };
        let set_hits = [of_set("third"), of_set("fifth")];
        for limit in [1, 10, 100, 1_000] {
            let (_, by_running) = super::hits_and_best(&searcher, weight.as_ref(), &extras, limit).unwrap();
            let by_words = super::best_of_words_and_sets(&searcher, word_weight.as_ref(), &set_hits, &extras, limit)
                .unwrap()
                .expect("the cut is clear");
            let hits = |best: &[Scored]| best.iter().map(|s| s.pmid).collect::<Vec<_>>();
            assert_eq!(hits(&by_words), hits(&by_running), "the best {limit}");
        }
    }

    /// Words ORed with broad explosions: `cancer` as automatic term mapping maps it, and others.
    const WORDS_AND_SETS: &[&str] = &[
        "neoplasms[MeSH Terms] OR neoplasms[All Fields] OR cancer[All Fields]",
        "neoplasms[mh] OR tumour[tiab] OR tumor[tiab]",
        "neoplasms[mh] OR cardiovascular diseases[mh] OR heart[tiab] OR cancer[ti]",
    ];

    #[test]
    fn words_ored_with_term_sets_ranked_by_their_words_are_ranked_as_running_them_ranks_them() {
        let Some(dir) = corpus_in_two("words-and-sets-ranking", crate::stored_explosions::DIR) else { return };
        let archive = Archive::open_read_only(&dir).unwrap();
        let searcher = archive.searcher().unwrap();
        let extras = crate::dense_terms::DenseTerms::new(&dir).for_searcher(&searcher);
        for text in WORDS_AND_SETS {
            let query = query::parse(text).unwrap().query;
            let mut compiler = Compiler::new(&searcher, archive.fields(), archive.mesh(), crate::today(), &[]);
            let compiled = flat_unions(compiler.compile(&query).unwrap().as_ref());
            let (words, sets) =
                words_and_term_sets(compiled.as_ref()).unwrap_or_else(|| panic!("{text}: words and sets"));
            let of_set = |set| HitSet::of_terms(&searcher, &TermUnion { terms: Vec::new(), sets: vec![set] }, &extras);
            let sets: Vec<HitSet> = sets.into_iter().map(|set| of_set(set).unwrap()).collect();
            let most_added = super::TERM_SET_SCORE * sets.len() as f32;
            let words = words.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap();
            let weight = compiled.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap();
            let mut answered = 0;
            for limit in (1..=60).chain([100, 200, 500]) {
                let (_, by_running) = super::hits_and_best(&searcher, weight.as_ref(), &extras, limit).unwrap();
                match super::best_of_words_and_sets(&searcher, words.as_ref(), &sets, &extras, limit).unwrap() {
                    Some(by_words) => {
                        // The same hits in the same order; the scores the same but for the
                        // rounding of a sum added in another order.
                        let hits = |best: &[Scored]| best.iter().map(|s| (s.pmid, s.address)).collect::<Vec<_>>();
                        assert_eq!(hits(&by_words), hits(&by_running), "{text}, the best {limit}");
                        for (a, b) in by_words.iter().zip(&by_running) {
                            assert!((a.score - b.score).abs() <= b.score * 1e-6, "{text}: {} and {}", a.score, b.score);
                        }
                        answered += 1;
                    }
                    None => assert!(
                        by_running.len() < limit || by_running.last().unwrap().score <= most_added,
                        "{text}, the best {limit}: refused though the cut is clear"
                    ),
                }
            }
            assert!(answered > 0, "{text}: ranked by its words at some depth");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// ANDs and NOTs of words, and of ORs of words, in fields with and without their weights.
    const CONJUNCTIONS: &[&str] = &[
        "amyloid[tiab] AND plaques[tiab]",
        "(amyloid[tiab] OR tau[tiab]) NOT microglia[tiab]",
        "dementia[tiab] NOT alzheimer[tiab]",
        "dementia[tw] AND memory[tiab] AND patients[ab] NOT mice[tiab]",
        "alzheimer[tiab] AND alzheimer[ti]",
    ];

    #[test]
    fn an_and_of_words_ranked_by_their_or_among_its_hits_is_ranked_as_running_it_ranks_it() {
        let Some(dir) = corpus_in_two("conjunction-ranking", crate::dense_terms::DIR) else { return };
        let archive = Archive::open_read_only(&dir).unwrap();
        let searcher = archive.searcher().unwrap();
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let extras = crate::dense_terms::DenseTerms::new(&dir).for_searcher(&searcher);
        for text in CONJUNCTIONS {
            let query = query::parse(text).unwrap().query;
            let mut compiler = Compiler::new(&searcher, archive.fields(), archive.mesh(), crate::today(), &[]);
            let compiled = flat_unions(compiler.compile(&query).unwrap().as_ref());
            let words = conjunction_words(compiled.as_ref(), searcher.schema())
                .unwrap_or_else(|| panic!("{text}: an AND of words"));
            let (weight, words) = (compiled.weight(scoring).unwrap(), words.weight(scoring).unwrap());
            // Every hit's score as running the query gives it.
            let (hits, every) = super::hits_and_best(&searcher, weight.as_ref(), &extras, usize::MAX).unwrap();
            assert!(hits.len() > 60, "{text}: {} hits", hits.len());
            let running: std::collections::HashMap<u32, f32> = every.iter().map(|s| (s.pmid, s.score)).collect();
            // Sums of the same scores in another order may differ in their last bit, which can
            // swap two hits that tie but for it: the cut is checked up to that.
            let near = |a: f32, b: f32| (a - b).abs() <= b.abs() * 1e-6;
            for limit in (1..=60).chain([500, 1_000_000]) {
                let best = super::best_of_hits_by_words(&searcher, words.as_ref(), &hits, &extras, limit).unwrap();
                assert_eq!(best.len() as u64, hits.len().min(limit as u64), "{text}, the best {limit}");
                for hit in &best {
                    assert!(near(hit.score, running[&hit.pmid]), "{text}: {} scores {}", hit.pmid, hit.score);
                }
                let kept: std::collections::HashSet<u32> = best.iter().map(|s| s.pmid).collect();
                let worst_kept = best.iter().map(|s| s.score).fold(f32::MAX, f32::min);
                let best_left =
                    every.iter().filter(|s| !kept.contains(&s.pmid)).map(|s| s.score).fold(f32::MIN, f32::max);
                assert!(
                    best_left <= worst_kept || near(best_left, worst_kept),
                    "{text}, the best {limit}: {best_left} left out"
                );
                assert!(best.is_sorted_by(|a, b| a.score >= b.score), "{text}, the best {limit}: out of order");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_and_with_a_phrase_a_heading_or_an_or_of_words_is_not_ranked_by_an_or_of_its_words() {
        let Some(dir) = corpus_in_two("conjunction-refused", crate::dense_terms::DIR) else { return };
        let archive = Archive::open_read_only(&dir).unwrap();
        let searcher = archive.searcher().unwrap();
        for text in [
            "\"mild cognitive impairment\"[tiab] AND dementia[tiab]",
            "dementia[mh] AND amyloid[tiab]",
            "amyloid[tiab]",
            "(amyloid[tiab] OR tau[tiab]) AND microglia[tiab]",
        ] {
            let query = query::parse(text).unwrap().query;
            let mut compiler = Compiler::new(&searcher, archive.fields(), archive.mesh(), crate::today(), &[]);
            let compiled = flat_unions(compiler.compile(&query).unwrap().as_ref());
            assert!(conjunction_words(compiled.as_ref(), searcher.schema()).is_none(), "{text}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
