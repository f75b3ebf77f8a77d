//! ELink within PubMed: `pubmed_pubmed` (similar articles, with scores), `pubmed_pubmed_refs`
//! (the PMIDs a record's reference list cites) and `pubmed_pubmed_citedin` (the records here whose
//! reference lists cite it), for `cmd` neighbor,
//! neighbor_score, neighbor_history, acheck and ncheck. Repeated `id=` parameters give one
//! LinkSet each; a comma list in one `id=` gives one LinkSet for all, as NCBI distinguishes them.

use std::collections::{BTreeSet, HashMap};

use axum::response::Response;
use engine::Lookup;
use medline::Record;
use serde_json::json;

use super::webenv::Set;
use super::{Params, json, x, xml};
use crate::AppState;

const DOCTYPE: &str = "<!DOCTYPE eLinkResult PUBLIC \"-//NLM//DTD elink 20101123//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd\">";

/// (link name, menu tag, HTML tag) of the links Medlars has.
const LINKS: [(&str, &str, &str); 3] = [
    ("pubmed_pubmed", "Similar articles", "Similar articles"),
    ("pubmed_pubmed_citedin", "Cited in PubMed", "Cited by"),
    ("pubmed_pubmed_refs", "References for this PubMed Article", "References"),
];

/// Similar articles listed per PMID.
const SIMILAR: usize = 100;

fn error(message: &str) -> Response {
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n{DOCTYPE}\n<eLinkResult>\n\t<ERROR>{}</ERROR>\n</eLinkResult>\n",
        x(message)
    ))
}

/// The PMIDs one link leads to from `ids`: similar articles by score (with it), the others
/// newest (highest PMID) first.
fn targets(state: &AppState, link: &str, ids: &[u32]) -> Result<Vec<(u32, Option<u64>)>, String> {
    let archive = state.archive();
    if link == "pubmed_pubmed" {
        let mut best: HashMap<u32, f32> = HashMap::new();
        for &id in ids {
            let Lookup::Found(stored) = archive.store.get(id).map_err(|e| e.to_string())? else { continue };
            let Record::Article(a) = stored.parse().map_err(|e| e.to_string())? else { continue };
            for (pmid, score) in archive.similar(&a, SIMILAR).map_err(|e| e.to_string())? {
                let s = best.entry(pmid).or_insert(score);
                *s = s.max(score);
            }
        }
        let mut scored: Vec<(u32, f32)> = best.into_iter().collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // NCBI's scores are whole numbers.
        return Ok(scored.into_iter().map(|(p, s)| (p, Some((f64::from(s) * 1e6) as u64))).collect());
    }
    let mut out = BTreeSet::new();
    for &id in ids {
        match link {
            "pubmed_pubmed_citedin" => {
                let (_, citing) = archive.cited_by(id, usize::MAX / 2).map_err(|e| e.to_string())?;
                out.extend(citing);
            }
            "pubmed_pubmed_refs" => {
                if let Lookup::Found(stored) = archive.store.get(id).map_err(|e| e.to_string())? {
                    let record = stored.parse().map_err(|e| e.to_string())?;
                    if let Record::Article(a) = record {
                        let refs = a.pubmed.iter().flat_map(|p| &p.reference_lists).flat_map(|l| &l.references);
                        let cited = refs.flat_map(|r| &r.article_ids).filter(|i| i.id_type == "pubmed");
                        out.extend(cited.filter_map(|i| i.value.trim().parse::<u32>().ok()));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out.into_iter().rev().map(|p| (p, None)).collect())
}

pub fn elink(state: &AppState, p: &Params) -> Response {
    if let Some(e) = p.db_error("dbfrom") {
        return error(&e);
    }
    let db = p.get("db").unwrap_or("pubmed");
    let cmd = p.get("cmd").unwrap_or("neighbor").to_ascii_lowercase();
    let Some(groups) = id_groups(state, p) else { return error("Empty id list - nothing todo") };
    let links: Vec<&str> = if !db.eq_ignore_ascii_case("pubmed") {
        Vec::new()
    } else {
        match p.get("linkname") {
            Some(name) => LINKS.iter().map(|(l, _, _)| *l).filter(|l| *l == name).collect(),
            None => LINKS.iter().map(|(l, _, _)| *l).collect(),
        }
    };
    let run = || -> Result<Response, String> {
        let mut b = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n{DOCTYPE}\n<eLinkResult>\n");
        let mut json_sets = Vec::new();
        for ids in &groups {
            b.push_str("<LinkSet>\n\t<DbFrom>pubmed</DbFrom>\n");
            match cmd.as_str() {
                "acheck" | "ncheck" => check_list(state, cmd == "ncheck", ids, &mut b),
                "neighbor" | "neighbor_score" | "neighbor_history" => {
                    json_sets.push(neighbors(state, p, &cmd, &links, ids, &mut b)?);
                }
                other => return Err(format!("Command '{other}' is not supported")),
            }
            b.push_str("</LinkSet>\n");
        }
        b.push_str("</eLinkResult>\n");
        if p.json() {
            return Ok(json(json!({ "header": { "type": "elink", "version": "0.3" }, "linksets": json_sets })));
        }
        Ok(xml(b))
    };
    run().unwrap_or_else(|e| error(&e))
}

/// The IDs asked for, one group per `id=` parameter (or the WebEnv's set as one); `None` when
/// there are none.
fn id_groups(state: &AppState, p: &Params) -> Option<Vec<Vec<u32>>> {
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for value in p.all("id") {
        let ids: Vec<u32> = value.split([',', ' ']).filter_map(|t| t.trim().parse().ok()).collect();
        if !ids.is_empty() {
            groups.push(ids);
        }
    }
    if groups.is_empty() {
        match super::requested_ids(state, p, 10_000) {
            Ok(ids) if !ids.is_empty() => groups.push(ids),
            _ => return None,
        }
    }
    Some(groups)
}

/// `acheck` (the links each ID has) or `ncheck` (whether it has any), as an `IdCheckList`.
fn check_list(state: &AppState, ncheck: bool, ids: &[u32], b: &mut String) {
    b.push_str("\t<IdCheckList>\n");
    for &id in ids {
        let present: Vec<&(&str, &str, &str)> =
            LINKS.iter().filter(|(l, _, _)| targets(state, l, &[id]).is_ok_and(|t| !t.is_empty())).collect();
        if ncheck {
            let has = if present.is_empty() { "N" } else { "Y" };
            b.push_str(&format!("\t\t<Id HasNeighbor=\"{has}\">{id}</Id>\n"));
            continue;
        }
        b.push_str(&format!("\t\t<IdLinkSet>\n\t\t\t<Id>{id}</Id>\n"));
        for (name, menu, html) in present {
            b.push_str(&format!(
                "\t\t\t<LinkInfo>\n\t\t\t\t<DbTo>pubmed</DbTo>\n\t\t\t\t<LinkName>{name}</LinkName>\n\t\t\t\t<MenuTag>{menu}</MenuTag>\n\t\t\t\t<HtmlTag>{html}</HtmlTag>\n\t\t\t\t<Priority>128</Priority>\n\t\t\t</LinkInfo>\n"
            ));
        }
        b.push_str("\t\t</IdLinkSet>\n");
    }
    b.push_str("\t</IdCheckList>\n");
}

/// `neighbor`, `neighbor_score` or `neighbor_history` for one group of IDs: the links written to
/// `b` (or kept in the history server), and the group as JSON.
fn neighbors(
    state: &AppState,
    p: &Params,
    cmd: &str,
    links: &[&str],
    ids: &[u32],
    b: &mut String,
) -> Result<serde_json::Value, String> {
    b.push_str("\t<IdList>\n");
    for id in ids {
        b.push_str(&format!("\t\t<Id>{id}</Id>\n"));
    }
    b.push_str("\t</IdList>\n");
    let mut env: Option<String> = p.webenv().map(str::to_owned);
    let mut json_dbs = Vec::new();
    for link in links {
        let found = targets(state, link, ids)?;
        if cmd == "neighbor_history" {
            let ids = found.into_iter().map(|(p, _)| p).collect();
            let (webenv, key) = state.webenvs.put(env.as_deref(), Set::Ids(ids));
            env = Some(webenv);
            b.push_str(&format!(
                "\t<LinkSetDbHistory>\n\t\t<DbTo>pubmed</DbTo>\n\t\t<LinkName>{link}</LinkName>\n\t\t<QueryKey>{key}</QueryKey>\n\t</LinkSetDbHistory>\n"
            ));
            continue;
        }
        if found.is_empty() {
            continue;
        }
        b.push_str(&format!("\t<LinkSetDb>\n\t\t<DbTo>pubmed</DbTo>\n\t\t<LinkName>{link}</LinkName>\n"));
        for (id, score) in &found {
            match score.filter(|_| cmd == "neighbor_score") {
                Some(s) => {
                    b.push_str(&format!("\t\t<Link>\n\t\t\t<Id>{id}</Id>\n\t\t\t<Score>{s}</Score>\n\t\t</Link>\n"))
                }
                None => b.push_str(&format!("\t\t<Link>\n\t\t\t<Id>{id}</Id>\n\t\t</Link>\n")),
            }
        }
        b.push_str("\t</LinkSetDb>\n");
        let links: Vec<String> = found.iter().map(|(p, _)| p.to_string()).collect();
        json_dbs.push(json!({ "dbto": "pubmed", "linkname": link, "links": links }));
    }
    if cmd == "neighbor_history"
        && let Some(env) = &env
    {
        b.push_str(&format!("\t<WebEnv>{}</WebEnv>\n", x(env)));
    }
    Ok(json!({ "dbfrom": "pubmed", "ids": ids.iter().map(u32::to_string).collect::<Vec<_>>(), "linksetdbs": json_dbs }))
}
