//! The languages of PubMed records, in one table: the code NLM writes in `<Language>`, the name
//! PubMed searches in `[la]`, and the name E-utilities summaries print.

/// One language: the code records carry and the names PubMed uses for it.
pub struct Language {
    /// NLM's code (MARC), as records carry it: `eng`.
    pub code: &'static str,
    /// What `[la]` accepts for it, lower case: `english`.
    pub searched: &'static str,
    /// The name NCBI prints for it: `English`, `Greek, Modern`.
    pub shown: &'static str,
}

const fn language(code: &'static str, searched: &'static str, shown: &'static str) -> Language {
    Language { code, searched, shown }
}

/// Every language known here, each with its code and names.
pub const LANGUAGES: [Language; 25] = [
    language("eng", "english", "English"),
    language("fre", "french", "French"),
    language("ger", "german", "German"),
    language("spa", "spanish", "Spanish"),
    language("ita", "italian", "Italian"),
    language("jpn", "japanese", "Japanese"),
    language("chi", "chinese", "Chinese"),
    language("rus", "russian", "Russian"),
    language("por", "portuguese", "Portuguese"),
    language("dut", "dutch", "Dutch"),
    language("pol", "polish", "Polish"),
    language("kor", "korean", "Korean"),
    language("swe", "swedish", "Swedish"),
    language("dan", "danish", "Danish"),
    language("nor", "norwegian", "Norwegian"),
    language("cze", "czech", "Czech"),
    language("hun", "hungarian", "Hungarian"),
    language("tur", "turkish", "Turkish"),
    language("fin", "finnish", "Finnish"),
    language("gre", "greek", "Greek, Modern"),
    language("heb", "hebrew", "Hebrew"),
    language("ara", "arabic", "Arabic"),
    language("per", "persian", "Persian"),
    language("hrv", "croatian", "Croatian"),
    language("srp", "serbian", "Serbian"),
];

/// The language `[la]` names (its searched name, lower case).
pub fn searched(name: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.searched == name)
}

/// The language of a record's code.
pub fn of_code(code: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.code == code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_and_names_are_each_one_language() {
        for (i, a) in super::LANGUAGES.iter().enumerate() {
            for b in &super::LANGUAGES[i + 1..] {
                assert!(a.code != b.code && a.searched != b.searched && a.shown != b.shown, "{}", a.code);
            }
            assert_eq!(super::of_code(a.code).map(|l| l.searched), Some(a.searched));
        }
    }
}
