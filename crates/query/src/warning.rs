//! What the reader of a search should know about a query that still runs. Warnings travel as
//! this type from the parser and the engine to the CLI, the pages and ESearch's XML: each kind's
//! wording lives in its `Display` alone, and ESearch picks its elements (`PhraseIgnored`,
//! `FieldNotFound`) by kind, so rewording a message changes no E-utilities answer.

/// One warning; equal warnings are reported once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Warning {
    /// A word PubMed leaves out of untagged searches (`the`, `of`, ...).
    Stopword { word: String },
    /// A `"` glued to a word with no closing partner, read as nothing.
    UnpairedQuote { position: usize },
    /// `and`, `or` or `not` in lower case, searched as a word.
    LowercaseOperator { word: String },
    /// Ovid's `exp` before a heading, dropped (`[mh]` explodes anyway).
    OvidExplosion { term: String },
    /// A `[tag]` PubMed does not know, searched in all fields.
    UnknownField { field: String },
    /// A term with no word the index keeps (punctuation only, say).
    NoSearchableWords { text: String },
    /// `*` in a proximity search, read as the plain word.
    TruncationInProximity { text: String },
    /// A proximity search of more words than are tried in every order.
    ProximityInOrder { text: String, max_words: usize },
    /// `*` on a word of a phrase other than its last: the words searched together instead.
    TruncationInsidePhrase { text: String },
    /// A date field's value that is no date.
    NotADate { text: String },
    /// No MeSH loaded, for a search of MeSH terms: headings are not exploded, untagged words not
    /// mapped to MeSH.
    MeshNotLoaded,
    /// No MeSH loaded, for a search of untagged words only: they are not mapped to MeSH.
    WordsNotMapped,
    /// The index lacks the last file the store applied (an interrupted ingest).
    IndexBehind,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::Stopword { word } => write!(f, "\"{word}\" is a stopword and was ignored"),
            Warning::UnpairedQuote { position } => {
                write!(f, "ignored a quotation mark with no partner at position {position}")
            }
            Warning::LowercaseOperator { word } => {
                write!(f, "lower-case \"{word}\" is searched as a word: PubMed's operators are AND, OR, NOT")
            }
            Warning::OvidExplosion { term } => {
                write!(f, "\"{term}\": \"exp\" is Ovid syntax and was dropped; [mh] explodes by default")
            }
            Warning::UnknownField { field } => write!(f, "unknown field [{field}]: searched in all fields"),
            Warning::NoSearchableWords { text } => write!(f, "\"{text}\" has no searchable words"),
            Warning::TruncationInProximity { text } => {
                write!(f, "truncation is ignored in the proximity search \"{text}\"")
            }
            Warning::ProximityInOrder { text, max_words } => {
                write!(f, "\"{text}\": more than {max_words} words are matched in the order typed")
            }
            Warning::TruncationInsidePhrase { text } => {
                write!(f, "\"{text}\": only the last word of a phrase can be truncated; searching the words together")
            }
            Warning::NotADate { text } => {
                write!(f, "\"{text}\" is not a date (YYYY, YYYY/MM, YYYY/MM/DD, a range A:B, or \"last N years\")")
            }
            Warning::MeshNotLoaded => f.write_str(
                "MeSH is not loaded (`medlars mesh load desc2024.xml.gz`): MeSH terms are searched without \
                 their descendants, and untagged words are not mapped to MeSH",
            ),
            Warning::WordsNotMapped => f.write_str(
                "MeSH is not loaded (`medlars mesh load desc2024.xml.gz`): untagged words are not mapped to MeSH",
            ),
            Warning::IndexBehind => f.write_str(
                "the index lacks the last applied file (an ingest was interrupted): run `medlars ingest` again to \
                 repair it",
            ),
        }
    }
}
