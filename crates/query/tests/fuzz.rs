//! The parsers (PubMed's and Ovid's) never panic or hang, whatever they are given, and their
//! error positions lie in the text.

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

    #[test]
    fn ovid_shaped_text(parts in prop::collection::vec(prop_oneof![
        Just("("), Just(")"), Just("\""), Just(" or "), Just(" and "), Just(" not "), Just(" adj3 "), Just(" adj "),
        Just("cancer$"), Just("tumo?r"), Just("wom#n"), Just("node*1"), Just(".ti,ab."), Just(".mp."), Just(". tw."),
        Just("exp "), Just("*"), Just("/"), Just("/dt,th"), Just(" [Diagnostic Use]"), Just("\n"), Just("1"),
        Just("or/1-3"), Just("limit 2 to "), Just("yr=\"2000 - 2015\""), Just("english language"), Just(" 12"),
        Just("#2"), Just(".sh."), Just(".pt."), Just("remove duplicates from "), Just("ü"), Just(","), Just("-"),
    ], 0..40)) {
        let text = parts.concat();
        check(&text);
        if let Err(e) = query::ovid::parse_line(&text) {
            assert!(e.position <= text.len(), "{e} for {text:?}");
        }
    }
}
