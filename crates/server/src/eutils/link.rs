//! ELink within PubMed: `pubmed_pubmed` (similar articles, with scores), `pubmed_pubmed_refs`
//! (the PMIDs a record's reference list cites) and `pubmed_pubmed_citedin` (the records here whose
//! reference lists cite it), for `cmd` neighbor,
//! neighbor_score, neighbor_history, acheck and ncheck. Repeated `id=` parameters give one
//! LinkSet each; a comma list in one `id=` gives one LinkSet for all, as NCBI distinguishes them.

use std::collections::{BTreeSet, HashMap};

use axum::response::Response;
use engine::Lookup;
use medline::Record;

use serde::Serialize;

use super::document::{IdList, document, error_document};
use super::webenv::Set;
use super::{JsonHeader, Params, json};
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
    error_document(Some(DOCTYPE), "eLinkResult", message)
}

/// `<eLinkResult>`: one `LinkSet` per group of IDs asked for.
#[derive(Serialize)]
#[serde(rename = "eLinkResult", rename_all = "PascalCase")]
struct LinkResult<'a> {
    link_set: Vec<LinkSet<'a>>,
}

/// The links of one group of IDs (`neighbor*`), or which links each ID has (`acheck`, `ncheck`).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LinkSet<'a> {
    db_from: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_list: Option<IdList<'a>>,
    link_set_db: Vec<LinkSetDb>,
    link_set_db_history: Vec<LinkSetDbHistory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web_env: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_check_list: Option<IdCheckList>,
}

/// The PMIDs one link leads to.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LinkSetDb {
    db_to: &'static str,
    link_name: &'static str,
    link: Vec<Link>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Link {
    id: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<u64>,
}

/// Where `neighbor_history` kept the PMIDs one link leads to.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LinkSetDbHistory {
    db_to: &'static str,
    link_name: &'static str,
    query_key: usize,
}

/// `ncheck`'s IDs, each saying whether it has a link, or `acheck`'s, each with its links.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct IdCheckList {
    id: Vec<CheckedId>,
    id_link_set: Vec<IdLinkSet>,
}

#[derive(Serialize)]
struct CheckedId {
    #[serde(rename = "@HasNeighbor")]
    has_neighbor: &'static str,
    #[serde(rename = "$text")]
    id: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct IdLinkSet {
    id: u32,
    link_info: Vec<LinkInfo>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LinkInfo {
    db_to: &'static str,
    link_name: &'static str,
    menu_tag: &'static str,
    html_tag: &'static str,
    priority: u32,
}

/// ELink's JSON answer: NCBI's header, then a link set per group of IDs.
#[derive(Serialize)]
struct LinkJson {
    header: JsonHeader,
    linksets: Vec<LinkSetJson>,
}

#[derive(Serialize)]
struct LinkSetJson {
    dbfrom: &'static str,
    ids: Vec<String>,
    linksetdbs: Vec<LinkSetDbJson>,
}

#[derive(Serialize)]
struct LinkSetDbJson {
    dbto: &'static str,
    linkname: &'static str,
    links: Vec<String>,
}

/// The PMIDs one link leads to from `ids`: similar articles by score (with it), the others
/// newest (highest PMID) first.
fn targets(state: &AppState, link: &str, ids: &[u32]) -> Result<Vec<(u32, Option<u64>)>, String> {
    let archive = state.archive();
    if link == "pubmed_pubmed" {
        let mut best: HashMap<u32, f32> = HashMap::new();
        for similar in archive.similar_of_each(ids, SIMILAR).map_err(|e| e.to_string())? {
            for (pmid, score) in similar {
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
    let links: Vec<&'static str> = if !db.eq_ignore_ascii_case("pubmed") {
        Vec::new()
    } else {
        match p.get("linkname") {
            Some(name) => LINKS.iter().map(|(l, _, _)| *l).filter(|l| *l == name).collect(),
            None => LINKS.iter().map(|(l, _, _)| *l).collect(),
        }
    };
    let run = || -> Result<Response, String> {
        let mut link_sets = Vec::with_capacity(groups.len());
        let mut json_sets = Vec::new();
        for ids in &groups {
            let link_set = match cmd.as_str() {
                "acheck" | "ncheck" => check_list(state, cmd == "ncheck", ids),
                "neighbor" | "neighbor_score" | "neighbor_history" => {
                    let (link_set, json_set) = neighbors(state, p, &cmd, &links, ids)?;
                    json_sets.push(json_set);
                    link_set
                }
                other => return Err(format!("Command '{other}' is not supported")),
            };
            link_sets.push(link_set);
        }
        if p.json() {
            return Ok(json(&LinkJson { header: JsonHeader::of("elink"), linksets: json_sets }));
        }
        Ok(document(Some(DOCTYPE), &LinkResult { link_set: link_sets }))
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
fn check_list<'a>(state: &AppState, ncheck: bool, ids: &[u32]) -> LinkSet<'a> {
    let mut list = IdCheckList { id: Vec::new(), id_link_set: Vec::new() };
    for &id in ids {
        let present = LINKS.iter().filter(|(l, _, _)| targets(state, l, &[id]).is_ok_and(|t| !t.is_empty()));
        if ncheck {
            let has_neighbor = if present.count() == 0 { "N" } else { "Y" };
            list.id.push(CheckedId { has_neighbor, id });
            continue;
        }
        let link_info = present
            .map(|&(link_name, menu_tag, html_tag)| LinkInfo {
                db_to: "pubmed",
                link_name,
                menu_tag,
                html_tag,
                priority: 128,
            })
            .collect();
        list.id_link_set.push(IdLinkSet { id, link_info });
    }
    LinkSet { id_check_list: Some(list), ..LinkSet::empty() }
}

impl LinkSet<'_> {
    fn empty() -> Self {
        LinkSet {
            db_from: "pubmed",
            id_list: None,
            link_set_db: Vec::new(),
            link_set_db_history: Vec::new(),
            web_env: None,
            id_check_list: None,
        }
    }
}

/// `neighbor`, `neighbor_score` or `neighbor_history` for one group of IDs: the links (or where
/// the history server keeps them), and the group as JSON.
fn neighbors<'a>(
    state: &AppState,
    p: &Params,
    cmd: &str,
    links: &[&'static str],
    ids: &'a [u32],
) -> Result<(LinkSet<'a>, LinkSetJson), String> {
    let mut set = LinkSet { id_list: Some(IdList { id: ids }), ..LinkSet::empty() };
    let mut env: Option<String> = p.webenv().map(str::to_owned);
    let mut json_dbs = Vec::new();
    for &link_name in links {
        let found = targets(state, link_name, ids)?;
        if cmd == "neighbor_history" {
            let ids = found.into_iter().map(|(p, _)| p).collect();
            let (webenv, query_key) = state.webenvs.put(env.as_deref(), Set::Ids(ids));
            env = Some(webenv);
            set.link_set_db_history.push(LinkSetDbHistory { db_to: "pubmed", link_name, query_key });
            continue;
        }
        if found.is_empty() {
            continue;
        }
        let scored = cmd == "neighbor_score";
        let link = found.iter().map(|&(id, score)| Link { id, score: score.filter(|_| scored) }).collect();
        set.link_set_db.push(LinkSetDb { db_to: "pubmed", link_name, link });
        let links: Vec<String> = found.iter().map(|(p, _)| p.to_string()).collect();
        json_dbs.push(LinkSetDbJson { dbto: "pubmed", linkname: link_name, links });
    }
    if cmd == "neighbor_history" {
        set.web_env = env;
    }
    let json_set =
        LinkSetJson { dbfrom: "pubmed", ids: ids.iter().map(u32::to_string).collect(), linksetdbs: json_dbs };
    Ok((set, json_set))
}
