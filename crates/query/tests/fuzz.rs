//! The parser never panics or hangs, whatever it is given, and its error positions lie in the text.

use proptest::prelude::*;
use query::{NoVocabulary, map_terms, parse_strategy};

fn check(text: &str) {
    match parse_strategy(text) {
        Ok(lines) => {
            for line in lines {
                let parsed = line.parsed;
                let shown = parsed.query.to_string();
                assert!(!shown.is_empty());
                let mapped = map_terms(parsed.query, &NoVocabulary, &mut Vec::new(), &mut Vec::new());
                let _ = mapped.to_string();
            }
        }
        Err(e) => assert!(e.position <= text.len(), "{e} for {text:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn query_shaped_text(parts in prop::collection::vec(prop_oneof![
        Just("("), Just(")"), Just("\""), Just("“"), Just("["), Just("]"), Just(" AND "), Just(" OR "),
        Just(" NOT "), Just("cancer"), Just("random*"), Just("[tiab]"), Just("[mh:noexp]"), Just("[tiab:~2]"),
        Just(" : "), Just("2020/01"), Just("#1"), Just("*"), Just(" "), Just("\n"), Just("[dp]"), Just("smith ja[au]"),
        Just("ab*"), Just(".ti,ab."), Just("exp "), Just("/"), Just("é"),
    ], 0..40)) {
        check(&parts.concat());
    }
}
