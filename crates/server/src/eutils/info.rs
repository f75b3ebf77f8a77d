//! EInfo: the database list, and PubMed's record count, search fields and links.

use axum::response::Response;
use query::{Field, FieldKind};
use serde_json::json;

use super::{Params, json, x, xml};
use crate::AppState;

const DOCTYPE: &str = "<!DOCTYPE eInfoResult PUBLIC \"-//NLM//DTD einfo 20130322//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20130322/einfo.dtd\">";

fn error(message: &str) -> Response {
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n{DOCTYPE}\n<eInfoResult>\n\t<ERROR>{}</ERROR>\n</eInfoResult>\n",
        x(message)
    ))
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
            return json(
                json!({ "header": { "type": "einfo", "version": "0.3" }, "einforesult": { "dblist": ["pubmed"] } }),
            );
        }
        return xml(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n{DOCTYPE}\n<eInfoResult>\n<DbList>\n\t<DbName>pubmed</DbName>\n</DbList>\n</eInfoResult>\n"
        ));
    };
    if !db.eq_ignore_ascii_case("pubmed") {
        return error(&format!("Can not retrieve DbInfo for db={db}"));
    }
    let v2 = p.get("version").is_some_and(|v| v.starts_with('2'));
    let (count, last) = match (state.archive().store.stats(), state.archive().store.files()) {
        (Ok(s), Ok(files)) => (s.records, files.iter().map(|f| f.applied_at).max().unwrap_or(0)),
        (Err(e), _) | (_, Err(e)) => return error(&e.to_string()),
    };
    let yn = |b: bool| if b { "Y" } else { "N" };
    let mut fields = String::new();
    let mut json_fields = Vec::new();
    for field in Field::all() {
        let kind = field.kind();
        let (name, numerical) = (field.ncbi_name(), matches!(field, Field::Pmid | Field::Volume | Field::Issue));
        let hierarchy = matches!(field, Field::Mesh | Field::MeshMajor | Field::PublicationType);
        fields.push_str(&format!(
            "\t\t<Field>\n\t\t\t<Name>{name}</Name>\n\t\t\t<FullName>{}</FullName>\n\t\t\t<Description>{}</Description>\n\t\t\t<TermCount>0</TermCount>\n\t\t\t<IsDate>{}</IsDate>\n\t\t\t<IsNumerical>{}</IsNumerical>\n\t\t\t<SingleToken>{}</SingleToken>\n\t\t\t<Hierarchy>{}</Hierarchy>\n\t\t\t<IsHidden>N</IsHidden>\n",
            x(field.display()),
            x(&format!("{} [{}]", field.display(), field.tag())),
            yn(kind == FieldKind::Date),
            yn(numerical),
            yn(kind == FieldKind::Exact),
            yn(hierarchy),
        ));
        if v2 {
            fields.push_str(&format!(
                "\t\t\t<IsTruncatable>{}</IsTruncatable>\n\t\t\t<IsRangable>{}</IsRangable>\n",
                yn(kind == FieldKind::Text),
                yn(kind == FieldKind::Date)
            ));
        }
        fields.push_str("\t\t</Field>\n");
        json_fields.push(json!({ "name": name, "fullname": field.display(), "isdate": yn(kind == FieldKind::Date) }));
    }
    let links = [
        ("pubmed_pubmed_citedin", "Cited in PubMed", "Records here that cite the current articles"),
        ("pubmed_pubmed_refs", "References for PubMed", "References cited by the current articles"),
    ];
    let mut link_list = String::new();
    for (name, menu, description) in links {
        link_list.push_str(&format!(
            "\t\t<Link>\n\t\t\t<Name>{name}</Name>\n\t\t\t<Menu>{menu}</Menu>\n\t\t\t<Description>{description}</Description>\n\t\t\t<DbTo>pubmed</DbTo>\n\t\t</Link>\n"
        ));
    }
    let build = format!("Build-{}", stamp(last).replace('/', ".").replace(' ', "-").replace(':', "."));
    if p.json() {
        return json(json!({ "header": { "type": "einfo", "version": "0.3" }, "einforesult": { "dbinfo": [{
            "dbname": "pubmed", "menuname": "PubMed", "description": "PubMed bibliographic record",
            "dbbuild": build, "count": count.to_string(), "lastupdate": stamp(last), "fieldlist": json_fields,
        }] } }));
    }
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n{DOCTYPE}\n<eInfoResult>\n\t<DbInfo>\n\t<DbName>pubmed</DbName>\n\t<MenuName>PubMed</MenuName>\n\t<Description>PubMed bibliographic record</Description>\n\t<DbBuild>{build}</DbBuild>\n\t<Count>{count}</Count>\n\t<LastUpdate>{}</LastUpdate>\n\t<FieldList>\n{fields}\t</FieldList>\n\t<LinkList>\n{link_list}\t</LinkList>\n\t</DbInfo>\n</eInfoResult>\n",
        stamp(last)
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn stamps_are_utc() {
        assert_eq!(super::stamp(0), "1970/01/01 00:00");
        assert_eq!(super::stamp(1_795_641_300), "2026/11/25 21:15");
    }
}
