use super::*;

fn shown(text: &str) -> String {
    parse_line(text).unwrap_or_else(|e| panic!("{text}: {e}")).query.to_string()
}

fn warnings(text: &str) -> Vec<Warning> {
    parse_line(text).unwrap().warnings
}

#[test]
fn headings() {
    assert_eq!(shown("Thrombelastography/"), "\"Thrombelastography\"[MeSH Terms:noexp]");
    assert_eq!(shown("exp Dementia/"), "\"Dementia\"[MeSH Terms]");
    assert_eq!(shown("*Positron-Emission Tomography/"), "\"Positron-Emission Tomography\"[MeSH Major Topic:noexp]");
    assert_eq!(shown("exp *Dementia/"), "\"Dementia\"[MeSH Major Topic]");
    assert_eq!(shown("Kidney Failure, Chronic/"), "\"Kidney Failure, Chronic\"[MeSH Terms:noexp]");
    assert_eq!(shown("Stomach Neoplasms/pa [Pathology]"), "\"Stomach Neoplasms/pathology\"[MeSH Terms:noexp]");
    assert_eq!(
        shown("exp Thrombosis/dt,pc"),
        "\"Thrombosis/drug therapy\"[MeSH Terms] OR \"Thrombosis/prevention & control\"[MeSH Terms]"
    );
    assert_eq!(shown("CONTRACEPTION/ EXP"), "\"CONTRACEPTION\"[MeSH Terms]");
    assert_eq!(shown("exp \"clinical trial [publication type]\"/"), "\"clinical trial\"[Publication Type]");
    assert_eq!(shown("animals/ not (humans/ and animals/)"), {
        "\"animals\"[MeSH Terms:noexp] NOT (\"humans\"[MeSH Terms:noexp] AND \"animals\"[MeSH Terms:noexp])"
    });
}

#[test]
fn field_suffixes() {
    assert_eq!(shown("cancer$.ti,ab."), "cancer*[Title/Abstract]");
    assert_eq!(shown("(hip or knee).tw."), "\"hip\"[Title/Abstract] OR \"knee\"[Title/Abstract]");
    assert_eq!(shown("acei.tw,kf."), "\"acei\"[Title/Abstract] OR \"acei\"[Other Term]");
    assert_eq!(shown("randomized controlled trial.pt."), "\"randomized controlled trial\"[Publication Type:noexp]");
    assert_eq!(shown("dt.fs."), "\"drug therapy\"[MeSH Subheading]");
    assert_eq!(shown("humans.sh."), "\"humans\"[MeSH Terms:noexp]");
    assert_eq!(shown("(2017* or 2018*).ed."), "2017[Date - Entry] OR 2018[Date - Entry]");
    assert_eq!(shown("Gerber C.au."), "\"Gerber C\"[Author]");
    assert_eq!(shown("(a and b).ti,ab."), "\"a\"[Title/Abstract] AND \"b\"[Title/Abstract]");
    // No suffix: Ovid's .mp., with a warning of what differs.
    assert_eq!(shown("TEG"), "\"TEG\"[Text Word]");
    assert!(matches!(&warnings("TEG")[..], [Warning::OvidField { suffix, .. }] if suffix == "mp"));
    assert_eq!(
        shown("(Xpert or( near* patient)). tw."),
        "\"Xpert\"[Title/Abstract] OR \"near* patient\"[Title/Abstract]"
    );
    // The suffix reaches the group before it only.
    assert_eq!(shown("(a adj4 b) or (c adj4 d).tw,ot."), {
        "\"a b\"[Title/Abstract:~3] OR \"c d\"[Title/Abstract:~3] OR \"c d\"[Title/Abstract:~3]"
    });
}

#[test]
fn truncation_and_wildcards() {
    assert_eq!(shown("tumo?r.ti."), "tumo*[Title]");
    assert!(
        warnings("tumo?r.ti.").contains(&Warning::OvidWildcard { word: "tumo?r".into(), translated: "tumo*".into() })
    );
    assert_eq!(parse_line("node*1.ti.").unwrap().query.terms()[0].text, "node?");
    assert_eq!(parse_line("dog$2.ti.").unwrap().query.terms()[0].text, "dog??");
    assert_eq!(parse_line("wom#n.ti.").unwrap().query.terms()[0].text, "wom#n");
    assert_eq!(shown("chorion$ vill$ sampling.mp."), "\"chorion* vill* sampling\"[Text Word]");
}

#[test]
fn adjacency() {
    assert_eq!(shown("(hip adj3 pain).ti,ab."), "\"hip pain\"[Title/Abstract:~2]");
    assert_eq!(shown("(cardiac adj arrest).ti."), "\"cardiac arrest\"[Title]");
    assert_eq!(shown("(cardiac adj1 arrest).ti."), "\"cardiac arrest\"[Title:~0]");
    let q = parse_line("((macul$ or retina$) adj3 degener$).tw.").unwrap();
    assert_eq!(
        q.query.to_string(),
        "(\"macul* degener*\"[Title/Abstract:~2] OR \"retina* degener*\"[Title/Abstract:~2])"
    );
    assert!(q.warnings.iter().any(|w| matches!(w, Warning::ProximityNotInPubMed { .. })));
    let Query::Near(near) = parse_line("(endothelial adj2 growth adj2 factor$).tw.").unwrap().query else { panic!() };
    assert_eq!((near.operands.len(), near.gap, near.ordered), (3, 1, false));
    assert!(parse_line("(exp Dementia/ adj3 pain).ti.").is_err());
    assert!(parse_line("((a adj2 b) adj3 c).ti.").is_err());
    assert!(parse_line("(a adj3 b).sh.").is_err());
}

#[test]
fn combinations() {
    assert_eq!(shown("1 or 2 or 3"), "#1 OR #2 OR #3");
    assert_eq!(shown("1 and 2 not 3"), "(#1 AND #2) NOT #3");
    assert_eq!(shown("9 not (9 and 10)"), "#9 NOT (#9 AND #10)");
    assert_eq!(shown("#1 OR #2"), "#1 OR #2");
    assert_eq!(shown("or/1-3"), "#1 OR #2 OR #3");
    // Or binds last; and and not left to right.
    assert_eq!(shown("1 or 2 and 3"), "#1 OR (#2 AND #3)");
    assert_eq!(shown("exp animals/ not humans.sh."), "\"animals\"[MeSH Terms] NOT \"humans\"[MeSH Terms:noexp]");
    assert_eq!(shown("1 and (cancer or tumour).ti."), "#1 AND (\"cancer\"[Title] OR \"tumour\"[Title])");
}

#[test]
fn hostile_lines_fail_cleanly_and_quickly() {
    for bad in ["(", ")", "/", ".ti.", "adj3 x", "exp /", "a or", "\"", "limit", "or/", "((((", "a adj"] {
        let _ = parse_line(bad);
    }
    let long = ["a$"; 20_000].join(" or ");
    assert!(parse_line(&long).is_ok());
    let deep = format!("{}a{}", "(".repeat(5_000), ")".repeat(5_000));
    assert!(parse_line(&deep).is_err());
    // A line of many `exp` is read once, not once per `exp`.
    assert!(parse_line(&"exp ".repeat(30_000)).is_ok());
    let near = ["(a or b or c or d)"; 7].join(" adj2 ");
    assert!(parse_line(&near).is_err());
}
