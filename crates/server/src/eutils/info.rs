//! EInfo: the database list, and PubMed's record count, search fields and links.

use axum::response::Response;
use query::{Field, FieldKind};

use serde::Serialize;

use super::document::{document, error_document};
use super::{JsonHeader, Params, json};
use crate::AppState;

const DOCTYPE: &str = "<!DOCTYPE eInfoResult PUBLIC \"-//NLM//DTD einfo 20130322//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20130322/einfo.dtd\">";

fn error(message: &str) -> Response {
    error_document(Some(DOCTYPE), "eInfoResult", message)
}

/// `<eInfoResult>` without `db`: the databases there are.
#[derive(Serialize)]
#[serde(rename = "eInfoResult", rename_all = "PascalCase")]
struct InfoDatabases {
    db_list: DbList,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DbList {
    db_name: &'static str,
}

/// `<eInfoResult>` for `db=pubmed`: its size, build, search fields and links.
#[derive(Serialize)]
#[serde(rename = "eInfoResult", rename_all = "PascalCase")]
struct InfoResult {
    db_info: DbInfo,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DbInfo {
    db_name: &'static str,
    menu_name: &'static str,
    description: &'static str,
    db_build: String,
    count: u64,
    last_update: String,
    field_list: FieldList,
    link_list: LinkList,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FieldList {
    field: Vec<FieldInfo>,
}

/// One search field; the last two only in EInfo 2.0.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FieldInfo {
    name: &'static str,
    full_name: &'static str,
    description: String,
    term_count: u32,
    is_date: &'static str,
    is_numerical: &'static str,
    single_token: &'static str,
    hierarchy: &'static str,
    is_hidden: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_truncatable: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_rangable: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LinkList {
    link: Vec<InfoLink>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct InfoLink {
    name: &'static str,
    menu: &'static str,
    description: &'static str,
    db_to: &'static str,
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "Y" } else { "N" }
}

/// Every search field, as EInfo describes it (`v2`: with the 2.0 flags).
fn field_infos(v2: bool) -> Vec<FieldInfo> {
    let info = |field: Field| {
        let kind = field.kind();
        FieldInfo {
            name: field.ncbi_name(),
            full_name: field.display(),
            description: format!("{} [{}]", field.display(), field.tag()),
            term_count: 0,
            is_date: yes_no(kind == FieldKind::Date),
            is_numerical: yes_no(matches!(field, Field::Pmid | Field::Volume | Field::Issue)),
            single_token: yes_no(kind == FieldKind::Exact),
            hierarchy: yes_no(matches!(field, Field::Mesh | Field::MeshMajor | Field::PublicationType)),
            is_hidden: "N",
            is_truncatable: v2.then(|| yes_no(kind == FieldKind::Text)),
            is_rangable: v2.then(|| yes_no(kind == FieldKind::Date)),
        }
    };
    Field::all().map(info).collect()
}

/// EInfo's JSON answer: NCBI's header, then the databases or one database's description.
#[derive(Serialize)]
struct InfoJson<'a> {
    header: JsonHeader,
    einforesult: InfoJsonResult<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum InfoJsonResult<'a> {
    DbList { dblist: [&'static str; 1] },
    DbInfo { dbinfo: [DbInfoJson<'a>; 1] },
}

#[derive(Serialize)]
struct DbInfoJson<'a> {
    dbname: &'static str,
    menuname: &'static str,
    description: &'static str,
    dbbuild: String,
    count: String,
    lastupdate: String,
    fieldlist: Vec<FieldJson<'a>>,
}

#[derive(Serialize)]
struct FieldJson<'a> {
    name: &'a str,
    fullname: &'a str,
    isdate: &'a str,
}

/// `2026/11/25 20:15` (UTC) of seconds since 1970.
fn stamp(secs: u64) -> String {
    let d = engine::day_of(secs);
    let s = secs % 86_400;
    format!("{:04}/{:02}/{:02} {:02}:{:02}", d.year, d.month, d.day, s / 3600, s / 60 % 60)
}

pub fn einfo(state: &AppState, p: &Params) -> Response {
    let Some(db) = p.get("db") else {
        if p.json() {
            let result = InfoJsonResult::DbList { dblist: ["pubmed"] };
            return json(&InfoJson { header: JsonHeader::of("einfo"), einforesult: result });
        }
        return document(Some(DOCTYPE), &InfoDatabases { db_list: DbList { db_name: "pubmed" } });
    };
    if !db.eq_ignore_ascii_case("pubmed") {
        return error(&format!("Can not retrieve DbInfo for db={db}"));
    }
    let v2 = p.get("version").is_some_and(|v| v.starts_with('2'));
    let (count, last) = match (state.archive().store.stats(), state.archive().store.files()) {
        (Ok(s), Ok(files)) => (s.records, files.iter().map(|f| f.applied_at).max().unwrap_or(0)),
        (Err(e), _) | (_, Err(e)) => return error(&e.to_string()),
    };
    let fields = field_infos(v2);
    let build = format!("Build-{}", stamp(last).replace('/', ".").replace(' ', "-").replace(':', "."));
    if p.json() {
        let fieldlist = fields.iter().map(|f| FieldJson { name: f.name, fullname: f.full_name, isdate: f.is_date });
        let dbinfo = DbInfoJson {
            dbname: "pubmed",
            menuname: "PubMed",
            description: "PubMed bibliographic record",
            dbbuild: build,
            count: count.to_string(),
            lastupdate: stamp(last),
            fieldlist: fieldlist.collect(),
        };
        let result = InfoJsonResult::DbInfo { dbinfo: [dbinfo] };
        return json(&InfoJson { header: JsonHeader::of("einfo"), einforesult: result });
    }
    let links = [
        ("pubmed_pubmed_citedin", "Cited in PubMed", "Records here that cite the current articles"),
        ("pubmed_pubmed_refs", "References for PubMed", "References cited by the current articles"),
    ];
    let link = links.map(|(name, menu, description)| InfoLink { name, menu, description, db_to: "pubmed" });
    let info = DbInfo {
        db_name: "pubmed",
        menu_name: "PubMed",
        description: "PubMed bibliographic record",
        db_build: build,
        count,
        last_update: stamp(last),
        field_list: FieldList { field: fields },
        link_list: LinkList { link: link.into() },
    };
    document(Some(DOCTYPE), &InfoResult { db_info: info })
}

#[cfg(test)]
mod tests {
    #[test]
    fn stamps_are_utc() {
        assert_eq!(super::stamp(0), "1970/01/01 00:00");
        assert_eq!(super::stamp(1_795_641_300), "2026/11/25 21:15");
    }
}
