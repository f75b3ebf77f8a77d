//! Automatic term mapping: what PubMed does with untagged words.
//!
//! A run of untagged words is matched, longest phrase first, against MeSH (names and entry terms),
//! then journals, then authors; the first table that matches wins, and whatever matches nothing is
//! searched word by word in all fields. A MeSH match searches the heading and the words both:
//! `cancer` becomes `"neoplasms"[MeSH Terms] OR "neoplasms"[All Fields] OR "cancer"[All Fields]`.
//! Quoted phrases and truncated words bypass the mapping. Stopwords are dropped from what remains.

use crate::ast::{Query, Span, Term};
use crate::field::Field;
use crate::warning::Warning;

/// The tables automatic term mapping looks in; the engine provides them.
pub trait Vocabulary {
    /// The preferred name of the MeSH descriptor whose name or entry term is `phrase` (lower case).
    fn mesh_heading(&self, phrase: &str) -> Option<String>;
    /// The journal (its MEDLINE abbreviation) whose title, abbreviation or ISSN is `phrase`.
    fn journal(&self, phrase: &str) -> Option<String>;
    /// Whether `phrase` (lower case, `smith ja`) is an author's name as the author index holds it.
    fn author(&self, phrase: &str) -> bool;
}

/// No tables at all: every word is searched in all fields.
pub struct NoVocabulary;

impl Vocabulary for NoVocabulary {
    fn mesh_heading(&self, _: &str) -> Option<String> {
        None
    }
    fn journal(&self, _: &str) -> Option<String> {
        None
    }
    fn author(&self, _: &str) -> bool {
        false
    }
}

/// NLM's PubMed stopwords: dropped from untagged searches.
pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "again",
    "all",
    "almost",
    "also",
    "although",
    "always",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "done",
    "due",
    "during",
    "each",
    "either",
    "enough",
    "especially",
    "etc",
    "for",
    "found",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "here",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "kg",
    "km",
    "made",
    "mainly",
    "make",
    "may",
    "mg",
    "might",
    "ml",
    "mm",
    "most",
    "mostly",
    "must",
    "nearly",
    "neither",
    "no",
    "nor",
    "obtained",
    "of",
    "often",
    "on",
    "our",
    "overall",
    "perhaps",
    "pmid",
    "quite",
    "rather",
    "really",
    "regarding",
    "seem",
    "seen",
    "several",
    "should",
    "show",
    "showed",
    "shown",
    "shows",
    "significantly",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thus",
    "to",
    "upon",
    "use",
    "used",
    "using",
    "various",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "which",
    "while",
    "with",
    "within",
    "without",
    "would",
];

/// Whether PubMed leaves `word` out of untagged searches (any case).
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word.to_lowercase().as_str()).is_ok()
}

/// One untagged piece of the query and what it became, for E-utilities' `TranslationSet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The words as typed.
    pub from: String,
    /// What they were searched as.
    pub to: String,
}

/// The longest phrase looked up as a MeSH term, journal or author: MeSH 2024's longest entry
/// term has 16 words. Bounding it makes mapping linear in the words of a term: trying every
/// phrase of a 2,000-word term took 45 s.
const MAX_PHRASE_WORDS: usize = 24;

/// Gives every untagged term a field, by automatic term mapping.
pub fn map_terms(
    query: Query,
    vocabulary: &dyn Vocabulary,
    warnings: &mut Vec<Warning>,
    mappings: &mut Vec<Mapping>,
) -> Query {
    match query {
        Query::Term(t) if t.field.is_none() => {
            let mapped = map_term(&t, vocabulary, warnings);
            mappings.push(Mapping { from: t.text.clone(), to: mapped.to_string() });
            mapped
        }
        Query::And(a, b) => {
            Query::and(map_terms(*a, vocabulary, warnings, mappings), map_terms(*b, vocabulary, warnings, mappings))
        }
        Query::Or(a, b) => {
            Query::or(map_terms(*a, vocabulary, warnings, mappings), map_terms(*b, vocabulary, warnings, mappings))
        }
        Query::Not(a, b) => Query::Not(
            Box::new(map_terms(*a, vocabulary, warnings, mappings)),
            Box::new(map_terms(*b, vocabulary, warnings, mappings)),
        ),
        other => other,
    }
}

fn all_fields(text: &str, span: Span) -> Query {
    Query::Term(Term { quoted: true, ..Term::new(text, Some(Field::All), span) })
}

/// The words in all fields: one word as itself, several as their AND or their phrase.
fn words_anywhere(phrase: &str, span: Span) -> Query {
    let words: Vec<&str> = phrase.split(' ').filter(|w| !is_stopword(w)).collect();
    if words.len() < 2 || phrase.split(' ').count() < 2 {
        return all_fields(phrase, span);
    }
    let and = words.iter().map(|w| all_fields(w, span)).reduce(Query::and).expect("two or more words");
    Query::or(and, all_fields(phrase, span))
}

fn map_term(term: &Term, vocabulary: &dyn Vocabulary, warnings: &mut Vec<Warning>) -> Query {
    let span = term.span;
    if term.quoted {
        return all_fields(&term.text, span);
    }
    let words: Vec<&str> = term.words().collect();
    let mut pieces: Vec<Query> = Vec::new();
    let warned_before = warnings.len();
    let mut i = 0;
    'words: while i < words.len() {
        if !words[i].ends_with('*') {
            for j in (i + 1..=words.len().min(i + MAX_PHRASE_WORDS)).rev() {
                if words[i..j].iter().any(|w| w.ends_with('*')) {
                    continue;
                }
                let original = words[i..j].join(" ");
                let lower = original.to_lowercase();
                if let Some(heading) = vocabulary.mesh_heading(&lower) {
                    let heading = heading.to_lowercase();
                    let mut q = Query::or(
                        Query::Term(Term { quoted: true, ..Term::new(&heading, Some(Field::Mesh), span) }),
                        words_anywhere(&heading, span),
                    );
                    if heading != lower {
                        q = Query::or(q, words_anywhere(&lower, span));
                    }
                    pieces.push(q);
                    i = j;
                    continue 'words;
                }
                if let Some(journal) = vocabulary.journal(&lower) {
                    let q = Query::or(
                        Query::Term(Term { quoted: true, ..Term::new(journal, Some(Field::Journal), span) }),
                        words_anywhere(&lower, span),
                    );
                    pieces.push(q);
                    i = j;
                    continue 'words;
                }
                let looks_like_author =
                    j - i >= 2 && words[j - 1].len() <= 2 && words[j - 1].chars().all(char::is_alphabetic);
                if looks_like_author && vocabulary.author(&lower) {
                    pieces.push(Query::Term(Term::new(lower, Some(Field::Author), span)));
                    i = j;
                    continue 'words;
                }
            }
        }
        let word = words[i];
        if is_stopword(word) {
            warnings.push(Warning::Stopword { word: word.to_owned() });
        } else {
            let quoted = !word.ends_with('*');
            pieces.push(Query::Term(Term { quoted, ..Term::new(word.to_lowercase(), Some(Field::All), span) }));
        }
        i += 1;
    }
    if pieces.is_empty() {
        // A term of stopwords alone is searched as written, so none of them was ignored.
        warnings.truncate(warned_before);
        return all_fields(&term.text.to_lowercase(), span);
    }
    Query::chain(pieces, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    struct Tables;

    impl Vocabulary for Tables {
        fn mesh_heading(&self, phrase: &str) -> Option<String> {
            match phrase {
                "cancer" | "neoplasms" | "tumor" => Some("Neoplasms".into()),
                "heart attack" | "myocardial infarction" => Some("Myocardial Infarction".into()),
                "child rearing" => Some("Child Rearing".into()),
                _ => None,
            }
        }
        fn journal(&self, phrase: &str) -> Option<String> {
            (phrase == "brain dev").then(|| "Brain Dev".into())
        }
        fn author(&self, phrase: &str) -> bool {
            phrase == "smith ja"
        }
    }

    fn translate(q: &str) -> String {
        let parsed = parse(q).unwrap();
        map_terms(parsed.query, &Tables, &mut Vec::new(), &mut Vec::new()).to_string()
    }

    /// Counts the phrases looked up, knowing none.
    struct Counting(std::cell::Cell<usize>);

    impl Vocabulary for Counting {
        fn mesh_heading(&self, _: &str) -> Option<String> {
            self.0.set(self.0.get() + 1);
            None
        }
        fn journal(&self, _: &str) -> Option<String> {
            None
        }
        fn author(&self, _: &str) -> bool {
            false
        }
    }

    #[test]
    fn mapping_a_long_term_looks_up_a_bounded_number_of_phrases_per_word() {
        for words in [100, 2_000] {
            let text: Vec<String> = (0..words).map(|i| format!("word{i}")).collect();
            let query = parse(&text.join(" ")).unwrap().query;
            let vocabulary = Counting(std::cell::Cell::new(0));
            let mapped = map_terms(query, &vocabulary, &mut Vec::new(), &mut Vec::new());
            assert!(vocabulary.0.get() <= words * MAX_PHRASE_WORDS, "{words} words: {} lookups", vocabulary.0.get());
            assert_eq!(mapped.terms().len(), words, "every word kept");
            assert!(mapped.depth() <= 12, "{words} words ANDed as a shallow tree: depth {}", mapped.depth());
        }
    }

    #[test]
    fn pubmed_examples() {
        assert_eq!(
            translate("cancer"),
            "\"neoplasms\"[MeSH Terms] OR \"neoplasms\"[All Fields] OR \"cancer\"[All Fields]"
        );
        assert_eq!(
            translate("child rearing"),
            "\"child rearing\"[MeSH Terms] OR (\"child\"[All Fields] AND \"rearing\"[All Fields]) OR \"child rearing\"[All Fields]"
        );
        assert_eq!(
            translate("heart attack"),
            "\"myocardial infarction\"[MeSH Terms] OR (\"myocardial\"[All Fields] AND \"infarction\"[All Fields]) \
             OR \"myocardial infarction\"[All Fields] OR (\"heart\"[All Fields] AND \"attack\"[All Fields]) OR \"heart attack\"[All Fields]"
        );
        assert_eq!(
            translate("brain dev"),
            "\"Brain Dev\"[Journal] OR (\"brain\"[All Fields] AND \"dev\"[All Fields]) OR \"brain dev\"[All Fields]"
        );
        assert_eq!(translate("smith ja"), "\"smith ja\"[Author]");
        assert_eq!(translate("biopython"), "\"biopython\"[All Fields]");
        assert_eq!(
            translate("the cancer of mice"),
            "(\"neoplasms\"[MeSH Terms] OR \"neoplasms\"[All Fields] OR \"cancer\"[All Fields]) AND \"mice\"[All Fields]"
        );
        assert_eq!(translate("\"cancer\""), "\"cancer\"[All Fields]");
        assert_eq!(translate("tumor* growth"), "tumor*[All Fields] AND \"growth\"[All Fields]");
        assert_eq!(translate("cancer[ti]"), "\"cancer\"[Title]");
    }

    #[test]
    fn a_stopword_is_said_to_be_ignored_only_where_it_is() {
        let mapped = |q: &str| {
            let mut warnings = Vec::new();
            let text = map_terms(parse(q).unwrap().query, &Tables, &mut warnings, &mut Vec::new()).to_string();
            (text, warnings)
        };
        let the = Warning::Stopword { word: "the".into() };
        let (text, warnings) = mapped("the biopython");
        assert_eq!((text.as_str(), warnings), ("\"biopython\"[All Fields]", vec![the]));
        // A term that is a stopword alone (here beside a tagged term) is searched as written.
        let (text, warnings) = mapped("cancer[ti] the");
        assert_eq!((text.as_str(), warnings), ("\"cancer\"[Title] AND \"the\"[All Fields]", vec![]));
    }

    #[test]
    fn stopwords_sorted_for_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stopword("The") && !is_stopword("cancer"));
    }
}
