//! Ovid MEDLINE's field suffixes (`.ti,ab.`, `.mp.`, `.sh.` ...) and the PubMed field each is
//! searched as. `docs/ovid.md` explains each choice; where Ovid's field searches something
//! PubMed's does not, `differs` says what, and the line carries it as a warning.

use crate::field::Field;

/// One suffix code.
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub field: Field,
    /// For headings and publication types: Ovid's suffix searches the heading alone.
    pub noexp: bool,
    pub differs: Option<&'static str>,
}

const fn code(code: &'static str, field: Field) -> Code {
    Code { code, field, noexp: false, differs: None }
}

const fn heading(code: &'static str, field: Field) -> Code {
    Code { code, field, noexp: true, differs: None }
}

const fn differs(code: &'static str, field: Field, differs: &'static str) -> Code {
    Code { code, field, noexp: false, differs: Some(differs) }
}

const CODES: &[Code] = &[
    code("ti", Field::Title),
    code("ab", Field::Abstract),
    code("tw", Field::TitleAbstract),
    differs(
        "mp",
        Field::TextWord,
        "Ovid's multi-purpose field (title, abstract, original title, substance, heading and keyword words, \
         concept words, synonyms) is searched as PubMed's [tw], which lacks the original title and synonyms and adds \
         other terms",
    ),
    differs("af", Field::All, "Ovid's all fields are searched as PubMed's [all], the text and names Medlars indexes"),
    heading("sh", Field::Mesh),
    heading("mh", Field::Mesh),
    Code {
        code: "hw",
        field: Field::Mesh,
        noexp: true,
        differs: Some("Ovid's heading words match a word of any heading; PubMed's [mh] matches whole headings"),
    },
    code("xm", Field::Mesh),
    heading("pt", Field::PublicationType),
    code("fs", Field::Subheading),
    code("kw", Field::OtherTerm),
    code("kf", Field::OtherTerm),
    code("ot", Field::TransliteratedTitle),
    differs(
        "nm",
        Field::SupplementaryConcept,
        "Ovid's substance name words match a word of a substance's name; PubMed's [nm] matches whole names",
    ),
    code("rn", Field::RegistryNumber),
    code("au", Field::Author),
    code("fa", Field::AuthorFull),
    code("in", Field::Affiliation),
    code("jn", Field::Journal),
    code("ja", Field::Journal),
    differs(
        "jw",
        Field::Journal,
        "Ovid's journal words match a word of a journal's title; PubMed's [ta] matches whole titles",
    ),
    code("lg", Field::Language),
    code("yr", Field::DatePublication),
    code("dp", Field::DatePublication),
    code("ed", Field::DateEntry),
    code("dc", Field::DateCreate),
    code("ui", Field::Pmid),
    code("do", Field::ArticleId),
    code("ps", Field::PersonalName),
    code("gr", Field::Grant),
    code("vo", Field::Volume),
    code("ip", Field::Issue),
    code("pg", Field::Pagination),
];

/// The suffix code `code` names, ignoring case.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// The PubMed fields a suffix's codes search: title and abstract together become [tiab].
pub fn fields_of(codes: &[&'static Code]) -> Vec<(Field, bool)> {
    let mut out: Vec<(Field, bool)> = Vec::new();
    for c in codes {
        if !out.contains(&(c.field, c.noexp)) {
            out.push((c.field, c.noexp));
        }
    }
    let has = |out: &[(Field, bool)], f: Field| out.iter().any(|(g, _)| *g == f);
    if has(&out, Field::TitleAbstract) || (has(&out, Field::Title) && has(&out, Field::Abstract)) {
        let first = out.iter().position(|(f, _)| matches!(f, Field::Title | Field::Abstract | Field::TitleAbstract));
        out.retain(|(f, _)| !matches!(f, Field::Title | Field::Abstract | Field::TitleAbstract));
        out.insert(first.unwrap_or(0).min(out.len()), (Field::TitleAbstract, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_abstract_merge() {
        let codes = |s: &str| s.split(',').map(|c| lookup(c).unwrap()).collect::<Vec<_>>();
        assert_eq!(fields_of(&codes("ti,ab")), [(Field::TitleAbstract, false)]);
        assert_eq!(fields_of(&codes("ab,ti,kf")), [(Field::TitleAbstract, false), (Field::OtherTerm, false)]);
        assert_eq!(fields_of(&codes("kw,tw")), [(Field::OtherTerm, false), (Field::TitleAbstract, false)]);
        assert_eq!(fields_of(&codes("sh")), [(Field::Mesh, true)]);
        assert!(lookup("zz").is_none());
        let mut seen = std::collections::HashSet::new();
        assert!(CODES.iter().all(|c| seen.insert(c.code)), "each code once");
    }
}
