//! What the reader of a search should know about a query that still runs. Warnings travel as
//! this type from the parser and the engine to the CLI, the pages and ESearch's XML: each kind's
//! wording lives in its `Display` alone, and ESearch picks its elements (`PhraseIgnored`,
//! `FieldNotFound`) by kind, so rewording a message changes no E-utilities answer.

/// One warning; equal warnings are reported once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Warning {
    /// A word PubMed leaves out of untagged searches (`the`, `of`, ...).
    Stopword {
        /// The stopword.
        word: String,
    },
    /// A `"` glued to a word with no closing partner, read as nothing.
    UnpairedQuote {
        /// Its byte offset in the query.
        position: usize,
    },
    /// `and`, `or` or `not` in lower case: searched as a word, or, between two complete searches,
    /// read as the operator (`read`).
    LowercaseOperator {
        /// `and`, `or` or `not`.
        word: String,
        /// Whether it was read as the operator.
        read: bool,
    },
    /// Ovid's `exp` before a heading, dropped (`[mh]` explodes anyway).
    OvidExplosion {
        /// The heading, `exp` dropped.
        term: String,
    },
    /// A `[tag]` PubMed does not know, searched in all fields.
    UnknownField {
        /// The tag as typed.
        field: String,
    },
    /// A term with no word the index keeps (punctuation only, say).
    NoSearchableWords {
        /// The term as typed.
        text: String,
    },
    /// `*` in a proximity search, read as the plain word.
    TruncationInProximity {
        /// The proximity search.
        text: String,
    },
    /// A proximity search of more words than are tried in every order.
    ProximityInOrder {
        /// The proximity search.
        text: String,
        /// The most words tried in every order.
        max_words: usize,
    },
    /// `*` on a word of a phrase other than its last: the words searched together instead.
    TruncationInsidePhrase {
        /// The phrase.
        text: String,
    },
    /// A date field's value that is no date.
    NotADate {
        /// The value as typed.
        text: String,
    },
    /// No MeSH loaded, for a search of MeSH terms: headings are not exploded, untagged words not
    /// mapped to MeSH.
    MeshNotLoaded,
    /// No MeSH loaded, for a search of untagged words only: they are not mapped to MeSH.
    WordsNotMapped,
    /// The index lacks the last file the store applied (an interrupted ingest).
    IndexBehind,
    /// An Ovid field suffix whose nearest PubMed field searches something else.
    OvidField {
        /// The suffix's code (`mp`).
        suffix: String,
        /// What the two fields search differently.
        differs: &'static str,
    },
    /// An Ovid wildcard inside a word, which PubMed's translation can only truncate.
    OvidWildcard {
        /// The word as typed.
        word: String,
        /// What PubMed's translation has instead.
        translated: String,
    },
    /// Ovid's `adj` with truncation, alternatives or a field PubMed's proximity lacks.
    ProximityNotInPubMed {
        /// The `adj` search, written as Ovid's.
        text: String,
    },
    /// `limit N to X` for a limit Medlars does not know: the line is N unlimited.
    LimitUnknown {
        /// The limit as typed.
        name: String,
    },
    /// `remove duplicates from N`: an archive holds each record once.
    DuplicatesRemoved {
        /// The line named.
        line: u32,
    },
    /// `*` after fewer than four characters: run as typed.
    ShortTruncation {
        /// The truncated word.
        word: String,
    },
    /// A `)` with no `(` (ignored), or a `(` with no `)` (closed at the end).
    UnbalancedParenthesis {
        /// The parenthesis's byte offset in the query.
        position: usize,
        /// True for a `(` closed at the end, false for a `)` ignored.
        closed: bool,
    },
    /// AND or OR with nothing before it, ignored.
    LeadingOperator {
        /// `AND` or `OR`.
        word: &'static str,
    },
    /// A field tag or modifier read as the one it nearly spells.
    TagRead {
        /// The tag as typed.
        typed: String,
        /// The tag it was read as.
        read: String,
    },
    /// `#N` for a line the strategy does not have, left out.
    NoSuchLine {
        /// The number referred to.
        number: u32,
    },
    /// Result counts or totals copied after searches (`(1234)`, `Total references = 12`), ignored.
    CountIgnored,
    /// A bare number among `#N` references, read as one.
    NumberAsLine {
        /// The number, now `#N`.
        number: u32,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::Stopword { word } => write!(f, "\"{word}\" is a stopword and was ignored"),
            Warning::UnpairedQuote { position } => {
                write!(f, "ignored a quotation mark with no partner at position {position}")
            }
            Warning::LowercaseOperator { word, read: false } => {
                write!(f, "lower-case \"{word}\" is searched as a word: PubMed's operators are AND, OR, NOT")
            }
            Warning::LowercaseOperator { word, read: true } => {
                let upper = word.to_uppercase();
                write!(f, "lower-case \"{word}\" between two searches is read as {upper}")
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
            Warning::OvidField { suffix, differs } => write!(f, ".{suffix}.: {differs}"),
            Warning::OvidWildcard { word, translated } => write!(
                f,
                "\"{word}\": PubMed has no wildcard inside a word; its translation has {translated}, which finds more"
            ),
            Warning::ProximityNotInPubMed { text } => write!(
                f,
                "\"{text}\" runs as Ovid's adj; PubMed's proximity (\"a b\"[tiab:~N]) takes no truncation or \
                 wildcard and only [ti], [tiab] and [ad], so its translation finds other records in PubMed"
            ),
            Warning::LimitUnknown { name } => write!(f, "limit \"{name}\" is not known: the line runs without it"),
            Warning::DuplicatesRemoved { line } => {
                write!(f, "remove duplicates from {line}: an archive holds each record once, so this is #{line}")
            }
            Warning::ShortTruncation { word } => {
                write!(f, "\"{word}\": fewer than 4 characters before * (searched as typed; it may match many words)")
            }
            Warning::UnbalancedParenthesis { position, closed: false } => {
                write!(f, "ignored a ) with no ( at position {position}")
            }
            Warning::UnbalancedParenthesis { position, closed: true } => {
                write!(f, "the ( at position {position} has no ); it is closed at the end")
            }
            Warning::LeadingOperator { word } => write!(f, "{word} has nothing before it and was ignored"),
            Warning::TagRead { typed, read } => write!(f, "[{typed}] read as [{read}]"),
            Warning::NoSuchLine { number } => write!(f, "#{number} refers to no earlier line and was left out"),
            Warning::CountIgnored => f.write_str("the result counts copied after searches were ignored"),
            Warning::NumberAsLine { number } => write!(f, "{number} among #N references is read as #{number}"),
            Warning::IndexBehind => f.write_str(
                "the index lacks the last applied file (an ingest was interrupted): run `medlars ingest` again to \
                 repair it",
            ),
        }
    }
}
