//! Search semantics on the shared corpus: for each field tag and operator, the PMIDs the engine
//! returns equal those computed here by brute force over the parsed records (and, for MeSH
//! explosion, over the MeSH trees read from NLM's file), never copied from the engine's output.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use engine::{Archive, SearchOptions, Sort, ingest_file};
use medline::Record;
use medline::model::PubmedArticle;
use query::Day;

struct Corpus {
    archive: Archive,
    records: Vec<Record>,
    /// MeSH descriptor name (lower case) → its tree numbers; tree number → name.
    trees: HashMap<String, Vec<String>>,
    names_by_tree: Vec<(String, String)>,
    descriptors: Vec<mesh::Descriptor>,
}

const TODAY: Day = Day { year: 2026, month: 11, day: 25 };

fn corpus() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let shared = testdata::shared()?;
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("search-semantics");
            let _ = std::fs::remove_dir_all(&dir);
            let mut archive = Archive::open(&dir).unwrap();
            {
                let mut indexer = archive.indexer().unwrap();
                for path in testdata::corpus_files(&shared) {
                    let _ = ingest_file(&archive, &mut indexer, &path, &mut ());
                }
                indexer.finish().unwrap();
            }
            let (_, descriptors) =
                mesh::read(std::fs::File::open(shared.join("data/mesh/desc2024.xml.gz")).unwrap()).unwrap();
            archive.load_mesh(&descriptors, &[]).unwrap();
            let mut records = Vec::new();
            archive
                .store
                .for_each_current(|r| {
                    let _: () = records.push(r.parse().unwrap());
                    Ok(())
                })
                .unwrap();
            let trees = descriptors.iter().map(|d| (d.name.to_lowercase(), d.tree_numbers.clone())).collect();
            let names_by_tree = descriptors
                .iter()
                .flat_map(|d| d.tree_numbers.iter().map(move |t| (t.clone(), d.name.to_lowercase())))
                .collect();
            Some(Corpus { archive, records, trees, names_by_tree, descriptors })
        })
        .as_ref()
}

fn engine_pmids(c: &Corpus, query: &str) -> BTreeSet<u32> {
    let options = SearchOptions { sort: Sort::PubDate, limit: 100_000, offset: 0, today: TODAY };
    let outcome = c.archive.search(query, &options).unwrap_or_else(|e| panic!("{query}: {e}"));
    assert_eq!(outcome.count, outcome.pmids.len(), "{query}");
    outcome.pmids.into_iter().collect()
}

fn expected(c: &Corpus, keep: impl Fn(&Record) -> bool) -> BTreeSet<u32> {
    c.records.iter().filter(|r| keep(r)).map(|r| r.pmid().id).collect()
}

fn check(c: &Corpus, query: &str, keep: impl Fn(&Record) -> bool) -> BTreeSet<u32> {
    let want = expected(c, keep);
    assert!(!want.is_empty(), "{query}: the corpus should have hits for a meaningful test");
    let got = engine_pmids(c, query);
    let extra: Vec<_> = got.difference(&want).collect();
    let missing: Vec<_> = want.difference(&got).collect();
    assert!(extra.is_empty() && missing.is_empty(), "{query}: engine also finds {extra:?}; engine misses {missing:?}");
    want
}

fn article(r: &Record) -> Option<&PubmedArticle> {
    match r {
        Record::Article(a) => Some(a),
        Record::Book(_) => None,
    }
}

/// Lower-case alphanumeric words, as a reader would split them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn title_words(r: &Record) -> Vec<String> {
    words(r.title())
}

fn abstract_words(r: &Record) -> Vec<String> {
    let Some(a) = article(r) else { return Vec::new() };
    let mut text = String::new();
    for abs in a.medline.article.abstract_.iter().chain(&a.medline.other_abstracts) {
        for t in &abs.texts {
            text.push_str(&t.text.text);
            text.push(' ');
        }
    }
    words(&text)
}

fn has_phrase(words: &[String], phrase: &[&str]) -> bool {
    words.windows(phrase.len()).any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

/// Both words with at most `n` words between them, in either order.
fn within(words: &[String], a: &str, b: &str, n: usize) -> bool {
    let at = |w: &str| words.iter().enumerate().filter(|(_, x)| *x == w).map(|(i, _)| i).collect::<Vec<_>>();
    at(a).iter().any(|&i| at(b).iter().any(|&j| i != j && i.abs_diff(j) <= n + 1))
}

fn m(r: &Record) -> Option<&medline::model::MedlineCitation> {
    article(r).map(|a| &a.medline)
}

fn headings(r: &Record) -> Vec<&medline::model::MeshHeading> {
    article(r).map(|a| a.medline.mesh_headings.iter().collect()).unwrap_or_default()
}

fn descendants(c: &Corpus, name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::from([name.to_lowercase()]);
    for tree in &c.trees[&name.to_lowercase()] {
        let prefix = format!("{tree}.");
        out.extend(c.names_by_tree.iter().filter(|(t, _)| t.starts_with(&prefix)).map(|(_, n)| n.clone()));
    }
    out
}

fn day_of(d: &medline::model::PubDate) -> Option<u32> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    if let (None, Some(m)) = (&d.year, &d.medline_date) {
        // "2019 Sep/Oct": the first year and month.
        let year: u32 = m.get(..4)?.parse().ok()?;
        let month = MONTHS.iter().position(|x| m.contains(x)).map_or(1, |i| i as u32 + 1);
        return Some(year * 10_000 + month * 100 + 1);
    }
    let year: u32 = d.year.as_deref()?.parse().ok()?;
    let month = d.month.as_deref().map_or(1, |m| {
        m.parse::<u32>()
            .ok()
            .or_else(|| MONTHS.iter().position(|x| m.starts_with(x)).map(|i| i as u32 + 1))
            .unwrap_or(1)
    });
    let day = d.day.as_deref().and_then(|x| x.parse().ok()).unwrap_or(1);
    Some(year * 10_000 + month * 100 + day)
}

/// Publication days of a record: its issue date and its electronic dates.
fn pub_days(r: &Record) -> Vec<u32> {
    let Some(a) = article(r) else { return Vec::new() };
    let art = &a.medline.article;
    let mut days: Vec<u32> = day_of(&art.journal.pub_date).into_iter().collect();
    days.extend(art.article_dates.iter().map(|d| {
        u32::from(d.date.year) * 10_000 + u32::from(d.date.month.max(1)) * 100 + u32::from(d.date.day.max(1))
    }));
    days
}

#[test]
fn text_fields_phrases_truncation_proximity() {
    let Some(c) = corpus() else { return };
    check(c, "amyloid[ti]", |r| title_words(r).iter().any(|w| w == "amyloid"));
    check(c, "tau[tiab]", |r| title_words(r).iter().chain(&abstract_words(r)).any(|w| w == "tau"));
    check(c, "\"amyloid beta\"[tiab]", |r| {
        has_phrase(&title_words(r), &["amyloid", "beta"]) || has_phrase(&abstract_words(r), &["amyloid", "beta"])
    });
    check(c, "random*[tiab]", |r| title_words(r).iter().chain(&abstract_words(r)).any(|w| w.starts_with("random")));
    check(c, "\"amyloid plaques\"[tiab:~2]", |r| {
        within(&title_words(r), "amyloid", "plaques", 2) || within(&abstract_words(r), "amyloid", "plaques", 2)
    });
    check(c, "biomarkers[ot]", |r| {
        article(r).is_some_and(|a| {
            a.medline
                .keyword_lists
                .iter()
                .flat_map(|l| &l.keywords)
                .any(|k| words(&k.text.text).contains(&"biomarkers".into()))
        })
    });
    // Affiliations of authors and investigators, and the single affiliation of records before 2013.
    check(c, "germany[ad]", |r| {
        article(r).is_some_and(|a| {
            let authors = a.medline.article.authors.iter().flat_map(|l| &l.authors);
            let investigators = a.medline.investigator_lists.iter().flat_map(|l| &l.investigators);
            let mut texts: Vec<&str> =
                authors.chain(investigators).flat_map(|au| &au.affiliations).map(|af| af.text.text.as_str()).collect();
            texts.extend(a.medline.article.affiliation.iter().map(|af| af.text.as_str()));
            texts.iter().any(|t| words(t).contains(&"germany".into()))
        })
    });
}

#[test]
fn mesh_explosion_noexp_major_and_subheadings() {
    let Some(c) = corpus() else { return };
    let dementias = descendants(c, "Dementia");
    assert!(dementias.contains("alzheimer disease"));
    let exploded =
        check(c, "Dementia[mh]", |r| headings(r).iter().any(|h| dementias.contains(&h.descriptor.name.to_lowercase())));
    let exact = check(c, "Dementia[mh:noexp]", |r| headings(r).iter().any(|h| h.descriptor.name == "Dementia"));
    assert!(exploded.len() > exact.len(), "explosion finds records indexed with descendants only");
    let alz = descendants(c, "Alzheimer Disease");
    check(c, "Alzheimer Disease[majr]", |r| {
        headings(r).iter().any(|h| {
            alz.contains(&h.descriptor.name.to_lowercase())
                && (h.descriptor.major || h.qualifiers.iter().any(|q| q.major))
        })
    });
    check(c, "drug therapy[sh]", |r| headings(r).iter().any(|h| h.qualifiers.iter().any(|q| q.name == "drug therapy")));
    check(c, "Alzheimer Disease/drug therapy[mh]", |r| {
        headings(r).iter().any(|h| {
            alz.contains(&h.descriptor.name.to_lowercase()) && h.qualifiers.iter().any(|q| q.name == "drug therapy")
        })
    });
    check(c, "humans[mh]", |r| headings(r).iter().any(|h| h.descriptor.name == "Humans"));
}

#[test]
fn authors_with_and_without_initials() {
    let Some(c) = corpus() else { return };
    let authors = |r: &Record| -> Vec<(String, String)> {
        article(r)
            .map(|a| {
                a.medline
                    .article
                    .authors
                    .iter()
                    .flat_map(|l| &l.authors)
                    .filter_map(|au| {
                        Some((
                            au.last_name.clone()?.to_lowercase(),
                            au.initials.clone().unwrap_or_default().to_lowercase(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    check(c, "smith j[au]", |r| authors(r).iter().any(|(l, i)| l == "smith" && i.starts_with('j')));
    check(c, "smith[au]", |r| authors(r).iter().any(|(l, _)| l == "smith"));
    check(c, "\"smith j\"[au]", |r| authors(r).iter().any(|(l, i)| l == "smith" && i == "j"));
    check(c, "smith[1au]", |r| authors(r).first().is_some_and(|(l, _)| l == "smith"));
}

#[test]
fn other_tags() {
    let Some(c) = corpus() else { return };
    let reviews = descendants(c, "Review");
    assert!(reviews.contains("systematic review") || reviews.len() > 2, "{reviews:?}");
    check(c, "review[pt]", |r| {
        m(r).is_some_and(|m| m.article.publication_types.iter().any(|p| reviews.contains(&p.name.to_lowercase())))
    });
    check(c, "review[pt:noexp]", |r| {
        m(r).is_some_and(|m| m.article.publication_types.iter().any(|p| p.name == "Review"))
    });
    check(c, "french[la]", |r| m(r).is_some_and(|m| m.article.languages.iter().any(|l| l == "fre")));
    check(c, "J Alzheimers Dis[ta]", |r| {
        m(r).is_some_and(|m| m.journal_info.medline_ta.as_deref() == Some("J Alzheimers Dis"))
    });
    check(c, "28257650[pmid]", |r| r.pmid().id == 28257650);
    check(c, "10.1186/s13256-017-1211-9[aid]", |r| {
        r.pubmed_data().is_some_and(|p| p.article_ids.iter().any(|i| i.value == "10.1186/s13256-017-1211-9"))
    });
    check(c, "hasabstract[sb]", |r| m(r).is_some_and(|m| m.article.abstract_.is_some()));
    check(c, "pubmed pmc[sb]", |r| r.pubmed_data().is_some_and(|p| p.article_id("pmc").is_some()));
    check(c, "medline[sb]", |r| m(r).is_some_and(|m| matches!(m.status.as_deref(), Some("MEDLINE" | "OLDMEDLINE"))));
    check(c, "all[sb]", |_| true);
    check(c, "AG[gr]", |r| {
        m(r).is_some_and(|m| {
            m.article.grants.iter().flat_map(|g| &g.grants).any(|g| g.acronym.as_deref() == Some("AG"))
        })
    });
}

#[test]
fn date_ranges() {
    let Some(c) = corpus() else { return };
    let between = |from: u32, to: u32| move |r: &Record| pub_days(r).iter().any(|d| (from..=to).contains(d));
    check(c, "2020:2021[dp]", between(20200101, 20211231));
    check(c, "2020/03[dp]", between(20200301, 20200331));
    check(c, "2019/06/15:2020/02[dp]", between(20190615, 20200229));
    check(c, "\"last 3 years\"[dp]", between(20231125, 20261125));
}

#[test]
fn booleans_left_to_right() {
    let Some(c) = corpus() else { return };
    let amyloid = engine_pmids(c, "amyloid[ti]");
    let tau = engine_pmids(c, "tau[ti]");
    let mice = engine_pmids(c, "mice[mh]");
    let left: BTreeSet<u32> =
        amyloid.union(&tau).copied().collect::<BTreeSet<_>>().intersection(&mice).copied().collect();
    assert_eq!(engine_pmids(c, "amyloid[ti] OR tau[ti] AND mice[mh]"), left);
    let grouped: BTreeSet<u32> = amyloid.union(&tau.intersection(&mice).copied().collect()).copied().collect();
    assert_eq!(engine_pmids(c, "amyloid[ti] OR (tau[ti] AND mice[mh])"), grouped);
    assert_ne!(left, grouped);
    let not: BTreeSet<u32> = amyloid.difference(&mice).copied().collect();
    assert_eq!(engine_pmids(c, "amyloid[ti] NOT mice[mh]"), not);
    assert_eq!(engine_pmids(c, "amyloid[ti] mice[mh]"), amyloid.intersection(&mice).copied().collect());
    // A strategy: line 3 combines lines 1 and 2.
    let strategy = engine_pmids(c, "amyloid[ti]\nmice[mh]\n#1 NOT #2");
    assert_eq!(strategy, not);
}

#[test]
fn automatic_term_mapping() {
    let Some(c) = corpus() else { return };
    let options = SearchOptions { sort: Sort::Relevance, limit: 0, offset: 0, today: TODAY };
    let outcome = c.archive.search("cancer", &options).unwrap();
    assert_eq!(
        outcome.lines[0].translation,
        "\"neoplasms\"[MeSH Terms] OR \"neoplasms\"[All Fields] OR \"cancer\"[All Fields]"
    );
    let outcome = c.archive.search("heart attack", &options).unwrap();
    assert!(
        outcome.lines[0].translation.starts_with("\"myocardial infarction\"[MeSH Terms] OR"),
        "{}",
        outcome.lines[0].translation
    );
    // What the mapping searches is what the translation says.
    let spelled = engine_pmids(c, &outcome.lines[0].translation);
    assert_eq!(engine_pmids(c, "heart attack"), spelled);
    let outcome = c.archive.search("smith j", &options).unwrap();
    assert_eq!(outcome.lines[0].translation, "\"smith j\"[Author]");
}

/// ANDs and NOTs of broad terms are combined from the terms' sets instead of run by tantivy's
/// intersection: the same hits as the records say.
#[test]
fn broad_terms_combined_as_sets_find_what_the_records_hold() {
    let Some(c) = corpus() else { return };
    let has = |r: &Record, name: &str| headings(r).iter().any(|h| h.descriptor.name == name);
    check(c, "humans[mh:noexp] AND female[mh:noexp]", |r| has(r, "Humans") && has(r, "Female"));
    check(c, "humans[mh:noexp] NOT female[mh:noexp]", |r| has(r, "Humans") && !has(r, "Female"));
    check(c, "(humans[mh:noexp] AND female[mh:noexp]) NOT male[mh:noexp]", |r| {
        has(r, "Humans") && has(r, "Female") && !has(r, "Male")
    });
    check(c, "(humans[mh:noexp] OR animals[mh:noexp]) AND male[mh:noexp]", |r| {
        (has(r, "Humans") || has(r, "Animals")) && has(r, "Male")
    });
}

/// The hits of an OR leave out a phrase that its words, ANDed in another operand, hold (automatic
/// term mapping's `"alzheimer disease"[All Fields]`), and an OR of a broad AND combines the AND
/// from sets: the same hits as the records say, and as a search ranked by relevance, which runs
/// the whole query, finds.
#[test]
fn phrases_held_by_their_words_and_ors_of_combined_ands_find_what_the_records_hold() {
    let Some(c) = corpus() else { return };
    check(c, r#"(alzheimer[tiab] AND disease[tiab]) OR "alzheimer disease"[tiab]"#, |r| {
        let (title, abstract_) = (title_words(r), abstract_words(r));
        let held = |w: &str| title.iter().chain(&abstract_).any(|t| t == w);
        held("alzheimer") && held("disease")
    });
    let has = |r: &Record, name: &str| headings(r).iter().any(|h| h.descriptor.name == name);
    check(c, "humans[mh:noexp] OR (female[mh:noexp] AND male[mh:noexp])", |r| {
        has(r, "Humans") || (has(r, "Female") && has(r, "Male"))
    });
    let ranked = SearchOptions { sort: Sort::Relevance, limit: 100_000, offset: 0, today: TODAY };
    for query in ["alzheimer disease", "mild cognitive impairment", "quality of life AND humans[mh]"] {
        let outcome = c.archive.search(query, &ranked).unwrap();
        assert!(outcome.count > 0, "{query} has hits");
        assert_eq!(outcome.pmids.into_iter().collect::<BTreeSet<u32>>(), engine_pmids(c, query), "{query}");
    }
}

/// ESpell replaces a word the archive lacks by the nearest word it holds: one letter dropped from a
/// common word gives the word back (or another one edit away), never a frequent word two edits
/// away (`cancr` once became `can`).
#[test]
fn spelling_suggests_the_nearest_held_word() {
    let Some(c) = corpus() else { return };
    assert_eq!(c.archive.spell("cancr").unwrap(), "cancer");
    for word in ["patients", "disease", "treatment", "clinical", "therapy", "protein", "receptor"] {
        let misspelt: String = word.chars().enumerate().filter(|&(i, _)| i != 3).map(|(_, ch)| ch).collect();
        let suggested = c.archive.spell(&misspelt).unwrap();
        let (a, b): (Vec<char>, Vec<char>) = (misspelt.chars().collect(), suggested.chars().collect());
        // (A word the archive holds, `patents` for one, stays as it is.)
        assert!(query::edit_distance(&a, &b) <= 1, "{misspelt} became {suggested}");
    }
}

/// The `Query:` section of a CLEF TAR topic file.
fn clef_query(text: &str) -> String {
    let after = text.split_once("Query:").map_or("", |(_, q)| q);
    after.split("Pids:").next().unwrap_or("").trim().to_owned()
}

#[test]
fn shared_strategies_run() {
    let Some(c) = corpus() else { return };
    let shared = testdata::shared().unwrap();
    let options = SearchOptions { sort: Sort::Relevance, limit: 20, offset: 0, today: TODAY };
    let tsv = std::fs::read_to_string(shared.join("data/queries/clinical-queries.tsv")).unwrap();
    let mut with_hits = 0;
    for line in tsv.lines().skip(1) {
        let query = line.splitn(3, '\t').nth(2).unwrap();
        let outcome = c.archive.search(query, &options).unwrap_or_else(|e| panic!("{query}: {e}"));
        with_hits += usize::from(outcome.count > 0);
    }
    assert!(with_hits >= 5, "{with_hits} clinical queries find something");
    let mut ran = 0;
    for path in testdata::files_below(&shared.join("data/queries/clef-tar")) {
        let query = clef_query(&std::fs::read_to_string(&path).unwrap());
        let outcome = c.archive.search(&query, &options).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(outcome.lines.len(), query::parse_strategy(&query).unwrap().len());
        ran += 1;
    }
    assert!(ran >= 59, "{ran} ran: every topic, PubMed's syntax and Ovid's");
}

/// Ovid's form and the PubMed translation it prints find the same records.
#[test]
fn ovid_constructs_find_what_their_pubmed_translations_find() {
    let Some(c) = corpus() else { return };
    let pairs = [
        ("exp Dementia/", "dementia[mh]"),
        ("Dementia/", "dementia[mh:noexp]"),
        ("*Alzheimer Disease/", "alzheimer disease[majr:noexp]"),
        ("exp *Dementia/", "dementia[majr]"),
        ("Alzheimer Disease/dt", "alzheimer disease/drug therapy[mh:noexp]"),
        ("Alzheimer Disease/drug therapy", "alzheimer disease/drug therapy[mh:noexp]"),
        ("exp Dementia/dt,th", "dementia/drug therapy[mh] OR dementia/therapy[mh]"),
        ("amyloid.ti,ab.", "amyloid[tiab]"),
        ("amyloid.ab,ti.", "amyloid[tiab]"),
        ("amyloid.tw.", "amyloid[tiab]"),
        ("amyloid.ti.", "amyloid[ti]"),
        ("amyloid.ab.", "amyloid[ab]"),
        ("amyloid.mp.", "amyloid[tw]"),
        ("tau.ti.\namyloid\n1 or 2", "tau[ti]\namyloid[tw]\n#1 OR #2"),
        ("biomarkers.kw.", "biomarkers[ot]"),
        ("humans.sh.", "humans[mh:noexp]"),
        ("randomized controlled trial.pt.", "randomized controlled trial[pt:noexp]"),
        ("dt.fs.", "drug therapy[sh]"),
        ("drug therapy.fs.", "dt[sh]"),
        ("english.lg.", "english[la]"),
        ("2015.yr.", "2015[dp]"),
        ("smith j$.au.", "smith j*[au]"),
        ("random$.ti,ab.", "random*[tiab]"),
        ("amyloid plaque$.ti,ab.", "\"amyloid plaque*\"[tiab]"),
        ("(amyloid or tau).ti.", "amyloid[ti] OR tau[ti]"),
        ("(amyloid and tau).ti,ab.", "amyloid[tiab] AND tau[tiab]"),
        ("exp animals/ not humans/", "animals[mh] NOT humans[mh:noexp]"),
        ("(amyloid adj3 plaques).ti,ab.", "\"amyloid plaques\"[tiab:~2]"),
        ("(amyloid adj beta).ti,ab.", "\"amyloid beta\"[tiab]"),
        ("amyloid.ti.\ntau.ti.\nor/1-2", "amyloid[ti]\ntau[ti]\n#1 OR #2"),
        (
            "amyloid.ti,ab.\ntau.ab.\nmice.sh.\n1 and 2 not 3",
            "amyloid[tiab]\ntau[ab]\nmice[mh:noexp]\n#1 AND #2 NOT #3",
        ),
        ("amyloid.ti.\nlimit 1 to english language", "amyloid[ti] AND english[la]"),
        ("amyloid.ti.\nlimit 1 to yr=\"2010 - 2015\"", "amyloid[ti] AND 2010:2015[dp]"),
        ("amyloid.ti.\nlimit 1 to (humans and english)", "amyloid[ti] AND humans[mh:noexp] AND english[la]"),
        ("amyloid.ti.\nremove duplicates from 1", "amyloid[ti]"),
    ];
    for (ovid, pubmed) in pairs {
        let want = engine_pmids(c, pubmed);
        assert!(!want.is_empty(), "{pubmed}: the corpus should have hits for a meaningful test");
        same(&engine_pmids(c, ovid), &want, &format!("{ovid} against {pubmed}"));
        // The translation printed is one PubMed runs alike (truncation and ranges aside, exact here).
        let options = SearchOptions { sort: Sort::PubDate, limit: 0, offset: 0, today: TODAY };
        let outcome = c.archive.search(ovid, &options).unwrap();
        let translated: Vec<String> = outcome.lines.iter().map(|l| l.translation.clone()).collect();
        same(&engine_pmids(c, &translated.join("\n")), &want, &format!("{ovid}: its translation {translated:?}"));
    }
}

fn same(got: &BTreeSet<u32>, want: &BTreeSet<u32>, what: &str) {
    let extra: Vec<_> = got.difference(want).take(10).collect();
    let missing: Vec<_> = want.difference(got).take(10).collect();
    assert!(extra.is_empty() && missing.is_empty(), "{what}: also finds {extra:?}; misses {missing:?}");
}

/// Ovid's wildcards and its proximity with truncation, which PubMed cannot say, against the
/// records read here.
#[test]
fn ovid_wildcards_and_truncated_proximity() {
    let Some(c) = corpus() else { return };
    let tiab = |r: &Record| [title_words(r), abstract_words(r)];
    let matches = |pattern: &str| {
        let pattern = pattern.to_owned();
        move |w: &String| wildcard_match(&pattern, w)
    };
    check(c, "tumo?r$.ti,ab.", |r| tiab(r).iter().flatten().any(matches("tumo?r*")));
    check(c, "wom#n.ti,ab.", |r| tiab(r).iter().flatten().any(matches("wom#n")));
    check(c, "plaque$1.ti,ab.", |r| tiab(r).iter().flatten().any(matches("plaque?")));
    check(c, "((amyloid or tau) adj3 plaque$).ti,ab.", |r| {
        tiab(r).iter().any(|words| {
            near(words, &matches("amyloid"), &matches("plaque*"), 2)
                || near(words, &matches("tau"), &matches("plaque*"), 2)
        })
    });
    check(c, "(cognitive adj impair$).ti.", |r| {
        let words = title_words(r);
        words.windows(2).any(|w| w[0] == "cognitive" && w[1].starts_with("impair"))
    });
}

/// Ovid's wildcards over one word: `*` any characters, `?` one or none, `#` exactly one.
fn wildcard_match(pattern: &str, word: &str) -> bool {
    match (pattern.chars().next(), word.chars().next()) {
        (None, None) => true,
        (Some('*'), _) => {
            (0..=word.len()).filter(|&i| word.is_char_boundary(i)).any(|i| wildcard_match(&pattern[1..], &word[i..]))
        }
        (Some('?'), w) => {
            wildcard_match(&pattern[1..], word)
                || w.is_some_and(|c| wildcard_match(&pattern[1..], &word[c.len_utf8()..]))
        }
        (Some('#'), Some(c)) => wildcard_match(&pattern[1..], &word[c.len_utf8()..]),
        (Some(p), Some(c)) if p == c => wildcard_match(&pattern[p.len_utf8()..], &word[c.len_utf8()..]),
        _ => false,
    }
}

/// A word matching `a` and one matching `b` with at most `n` words between, in either order.
fn near(words: &[String], a: &dyn Fn(&String) -> bool, b: &dyn Fn(&String) -> bool, n: usize) -> bool {
    let at = |f: &dyn Fn(&String) -> bool| {
        words.iter().enumerate().filter(|(_, w)| f(w)).map(|(i, _)| i).collect::<Vec<_>>()
    };
    let (xs, ys) = (at(a), at(b));
    xs.iter().any(|&i| ys.iter().any(|&j| i != j && i.abs_diff(j) <= n + 1))
}

#[test]
fn sorts_order_the_hits() {
    let Some(c) = corpus() else { return };
    let by_pmid: HashMap<u32, &Record> = c.records.iter().map(|r| (r.pmid().id, r)).collect();
    let run = |sort: Sort| {
        let options = SearchOptions { sort, limit: 300, offset: 0, today: TODAY };
        let outcome = c.archive.search("alzheimer*[tiab]", &options).unwrap();
        assert_eq!(outcome.pmids.len(), 300.min(outcome.count));
        outcome.pmids.iter().map(|p| by_pmid[p]).collect::<Vec<_>>()
    };
    let year = |r: &Record| article(r).and_then(|a| day_of(&a.medline.article.journal.pub_date)).map(|d| d / 10_000);
    let years: Vec<_> = run(Sort::PubDate).iter().filter_map(|r| year(r)).collect();
    assert!(
        years.windows(2).all(|w| w[0] + 1 >= w[1]),
        "newest first (electronic dates may lead by a year): {years:?}"
    );
    let journals: Vec<String> = run(Sort::Journal)
        .iter()
        .filter_map(|r| m(r)?.journal_info.medline_ta.as_ref().map(|t| engine::index::normalise(t)))
        .collect();
    assert!(journals.windows(2).all(|w| w[0] <= w[1]), "{journals:?}");
    let first: Vec<String> = run(Sort::FirstAuthor)
        .iter()
        .filter_map(|r| {
            let a = m(r)?.article.authors.as_ref()?.authors.first()?;
            let key = format!("{} {}", a.last_name.as_ref()?, a.initials.as_deref().unwrap_or_default());
            // Accents fold as the index folds them (ã as a), so Barão sorts with Barao.
            Some(engine::index::normalise(&key))
        })
        .collect();
    assert!(first.windows(2).all(|w| w[0] <= w[1]), "{first:?}");
    let relevance = run(Sort::Relevance);
    assert_eq!(relevance.len(), 300.min(engine_pmids(c, "alzheimer*[tiab]").len()));
    let offset = SearchOptions { sort: Sort::Journal, limit: 10, offset: 5, today: TODAY };
    let page = c.archive.search("alzheimer*[tiab]", &offset).unwrap().pmids;
    let ids: Vec<u32> = run(Sort::Journal)[5..15].iter().map(|r| r.pmid().id).collect();
    assert_eq!(page, ids, "offset pages through the same order");
}

/// Every other field tag: a value is taken from the corpus, searched, and the hits compared with
/// the records that hold it.
#[test]
fn each_remaining_field_tag() {
    let Some(c) = corpus() else { return };
    let all_authors = |r: &Record| -> Vec<medline::model::Author> {
        m(r).and_then(|m| m.article.authors.as_ref()).map(|l| l.authors.clone()).unwrap_or_default()
    };
    // Checks `value[tag]` against the records for which `values(record)` contains the value
    // (compared folded, as whole values are).
    let whole = |tag: &str, values: &dyn Fn(&Record) -> Vec<String>| {
        let value = c.records.iter().flat_map(values).find(|v| !v.is_empty() && !v.contains(['"', '[', ']', '(', ')']));
        let value = value.unwrap_or_else(|| panic!("no value for [{tag}] in the corpus"));
        let folded = engine::index::normalise(&value);
        check(c, &format!("\"{value}\"[{tag}]"), |r| values(r).iter().any(|v| engine::index::normalise(v) == folded));
    };
    whole("fau", &|r| {
        all_authors(r)
            .iter()
            .filter_map(|a| Some(format!("{}, {}", a.last_name.as_ref()?, a.fore_name.as_ref()?)))
            .collect()
    });
    whole("lastau", &|r| {
        all_authors(r)
            .last()
            .and_then(|a| Some(format!("{} {}", a.last_name.as_ref()?, a.initials.as_ref()?)))
            .into_iter()
            .collect()
    });
    whole("cn", &|r| all_authors(r).iter().filter_map(|a| Some(a.collective_name.as_ref()?.text.clone())).collect());
    whole("auid", &|r| all_authors(r).iter().flat_map(|a| a.identifiers.iter().map(|i| i.value.clone())).collect());
    whole("ir", &|r| {
        m(r).map(|m| {
            let people = m.investigator_lists.iter().flat_map(|l| &l.investigators);
            people.filter_map(|a| Some(format!("{} {}", a.last_name.as_ref()?, a.initials.as_ref()?))).collect()
        })
        .unwrap_or_default()
    });
    whole("vi", &|r| m(r).and_then(|m| m.article.journal.volume.clone()).into_iter().collect());
    whole("ip", &|r| m(r).and_then(|m| m.article.journal.issue.clone()).into_iter().collect());
    whole("pg", &|r| m(r).and_then(|m| m.article.pagination.as_ref()?.medline_pgn.clone()).into_iter().collect());
    whole("jid", &|r| m(r).and_then(|m| m.journal_info.nlm_unique_id.clone()).into_iter().collect());
    whole("lid", &|r| {
        m(r).map(|m| m.article.elocation_ids.iter().map(|e| e.value.clone()).collect()).unwrap_or_default()
    });
    whole("pmcid", &|r| r.pubmed_data().and_then(|p| p.article_id("pmc")).map(str::to_owned).into_iter().collect());
    whole("si", &|r| {
        m(r).map(|m| {
            m.article.databanks.iter().flat_map(|d| &d.databanks).flat_map(|b| b.accession_numbers.clone()).collect()
        })
        .unwrap_or_default()
    });
    whole("nm", &|r| {
        m(r).map(|m| {
            m.suppl_mesh.iter().map(|s| s.name.clone()).chain(m.chemicals.iter().map(|c| c.name.clone())).collect()
        })
        .unwrap_or_default()
    });
    whole("rn", &|r| {
        m(r).map(|m| m.chemicals.iter().map(|c| c.registry_number.clone()).filter(|n| n != "0").collect())
            .unwrap_or_default()
    });
    whole("ps", &|r| {
        m(r).map(|m| {
            m.personal_name_subjects
                .iter()
                .map(|p| format!("{} {}", p.last_name, p.initials.as_deref().unwrap_or_default()).trim().to_owned())
                .collect()
        })
        .unwrap_or_default()
    });
    whole("pl", &|r| m(r).and_then(|m| m.journal_info.country.clone()).into_iter().collect());
    // Words of running text.
    let word_in = |tag: &str, word: &str, texts: &dyn Fn(&Record) -> Vec<String>| {
        check(c, &format!("{word}[{tag}]"), |r| texts(r).iter().any(|t| words(t).contains(&word.to_owned())));
    };
    word_in("cois", "interests", &|r| {
        m(r).and_then(|m| m.coi_statement.as_ref().map(|t| t.text.clone())).into_iter().collect()
    });
    word_in("tt", "de", &|r| {
        m(r).and_then(|m| m.article.vernacular_title.as_ref().map(|t| t.text.clone())).into_iter().collect()
    });
    word_in("ab", "plaques", &|r| vec![abstract_words(r).join(" ")]);
    word_in("tw", "neurodegeneration", &|r| {
        let mut texts = vec![r.title().to_owned(), abstract_words(r).join(" ")];
        if let Some(m) = m(r) {
            texts.extend(m.mesh_headings.iter().flat_map(|h| {
                std::iter::once(h.descriptor.name.clone()).chain(h.qualifiers.iter().map(|q| q.name.clone()))
            }));
            texts.extend(m.chemicals.iter().map(|c| c.name.clone()));
            texts.extend(m.suppl_mesh.iter().map(|s| s.name.clone()));
            texts.extend(m.keyword_lists.iter().flat_map(|l| &l.keywords).map(|k| k.text.text.clone()));
        }
        texts
    });
    // History dates.
    let history = |status: &'static str| {
        move |r: &Record| -> Vec<u32> {
            r.pubmed_data()
                .map(|p| {
                    p.history
                        .iter()
                        .filter(|h| h.status == status)
                        .map(|h| {
                            u32::from(h.date.year) * 10_000
                                + u32::from(h.date.month.max(1)) * 100
                                + u32::from(h.date.day.max(1))
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
    };
    let crdt = history("entrez");
    check(c, "2020/01:2020/06[crdt]", |r| crdt(r).iter().any(|d| (20200101..=20200630).contains(d)));
    let mhda = history("medline");
    check(c, "2021[mhda]", |r| mhda(r).iter().any(|d| (20210101..=20211231).contains(d)));
    let ymd = |d: &medline::model::Date| {
        u32::from(d.year) * 10_000 + u32::from(d.month.max(1)) * 100 + u32::from(d.day.max(1))
    };
    check(c, "2019:2020[dcom]", |r| {
        m(r).and_then(|m| m.date_completed.as_ref()).is_some_and(|d| (20190101..=20201231).contains(&ymd(d)))
    });
    check(c, "2024[lr]", |r| {
        m(r).and_then(|m| m.date_revised.as_ref()).is_some_and(|d| (20240101..=20241231).contains(&ymd(d)))
    });
    // Pharmacological action: the records indexed with a substance that has the action.
    let action = c.descriptors.iter().find(|d| d.name == "Cholinesterase Inhibitors").expect("a MeSH 2024 action");
    let substances: BTreeSet<String> = c
        .descriptors
        .iter()
        .filter(|d| d.pharmacological_actions.contains(&action.ui))
        .map(|d| d.name.to_lowercase())
        .collect();
    check(c, "cholinesterase inhibitors[pa]", |r| {
        m(r).is_some_and(|m| {
            let names = m.mesh_headings.iter().map(|h| &h.descriptor.name).chain(m.chemicals.iter().map(|c| &c.name));
            names.map(|n| n.to_lowercase()).any(|n| substances.contains(&n))
        })
    });
}

/// Similar articles are the same every time they are asked for (their words are chosen in a
/// fixed order, not a hash map's), so a page or an ELink answer does not change between runs;
/// and one finder asked for many articles (as ELink asks, its words' counts kept between them)
/// lists for each what a finder made for it alone lists, with the same scores.
#[test]
fn similar_articles_are_the_same_every_time() {
    let Some(c) = corpus() else { return };
    let articles: Vec<&PubmedArticle> = c.records.iter().filter_map(article).take(400).collect();
    let shared = c.archive.similar_articles().unwrap();
    let mut each_alone = Vec::new();
    for a in &articles {
        let alone = c.archive.similar_articles().unwrap().of(a, 6).unwrap();
        assert!(!alone.is_empty(), "PMID {}", a.medline.pmid.id);
        for _ in 0..3 {
            assert_eq!(shared.of(a, 6).unwrap(), alone, "PMID {}", a.medline.pmid.id);
        }
        each_alone.push(alone);
    }
    // Asked for all at once, as ELink asks (the work spread over threads), with a PMID the
    // store does not hold among them: the same lists, in the order asked, and none for it.
    let mut pmids: Vec<u32> = articles.iter().map(|a| a.medline.pmid.id).collect();
    let middle = pmids.len() / 2;
    pmids.insert(middle, 4_000_000_000);
    let mut expected = each_alone;
    expected.insert(middle, Vec::new());
    assert_eq!(c.archive.similar_of_each(&pmids, 6).unwrap(), expected);
}
