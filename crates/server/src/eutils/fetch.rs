//! EFetch (records as NLM's XML, MEDLINE text, Abstract text, PMID lists or summaries) and EPost
//! (PMIDs into the history server).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use medline::format::Format;

use super::webenv::Set;
use super::{Params, requested_ids, x, xml};
use crate::AppState;

fn error_xml(message: &str) -> Response {
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<eFetchResult>\n\t<ERROR>{}</ERROR>\n</eFetchResult>\n",
        x(message)
    ))
}

/// The PMIDs the archive holds among `ids`, in the order asked (missing ones are left out, as
/// NCBI leaves them out).
fn held(state: &AppState, ids: &[u32]) -> Result<Vec<u32>, String> {
    let holds = state.archive().store.holds(ids).map_err(|e| e.to_string())?;
    Ok(ids.iter().zip(holds).filter(|(_, h)| *h).map(|(id, _)| *id).collect())
}

pub fn efetch(state: &AppState, p: &Params) -> Response {
    if let Some(e) = p.db_error("db") {
        return error_xml(&e);
    }
    let ids = match requested_ids(state, p, 20) {
        Ok(ids) => ids,
        Err(e) => return error_xml(&e),
    };
    let rettype = p.get("rettype").unwrap_or("xml").to_ascii_lowercase();
    let retmode = p.get("retmode").map(str::to_ascii_lowercase);
    let format = match (rettype.as_str(), retmode.as_deref()) {
        ("uilist", Some(mode)) if mode != "text" => {
            let mut b = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<IdList>\n");
            let held = match held(state, &ids) {
                Ok(held) => held,
                Err(e) => return error_xml(&e),
            };
            for pmid in held {
                b.push_str(&format!("<Id>{pmid}</Id>\n"));
            }
            b.push_str("</IdList>\n");
            return xml(b);
        }
        ("docsum", _) => return xml(super::summary::docsums(state, &ids)),
        ("xml" | "full" | "", _) | ("abstract", Some("xml")) => Format::Xml,
        ("uilist", _) => Format::Pmid,
        // NCBI's medline and abstract, and Medlars' other formats (ris, bibtex, csl-json, ...).
        (other, _) => match Format::from_name(other) {
            Some(format) => format,
            None => return error_xml(&format!("Unknown rettype: {other}")),
        },
    };
    let media_type = if format == Format::Xml { super::XML_MEDIA_TYPE } else { format.media_type() };
    ([(header::CONTENT_TYPE, media_type)], crate::download::document(state.archive(), format, ids)).into_response()
}

pub fn epost(state: &AppState, p: &Params) -> Response {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE ePostResult PUBLIC \"-//NLM//DTD epost 20090526//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20090526/epost.dtd\">\n<ePostResult>\n";
    if p.db_error("db").is_some() {
        return xml(format!("{head}\t<ERROR>Wrong DB name</ERROR>\n</ePostResult>\n"));
    }
    let (ids, invalid) = p.ids();
    let mut b = String::from(head);
    if !invalid.is_empty() {
        b.push_str("\t<InvalidIdList>\n");
        for id in &invalid {
            b.push_str(&format!("\t\t<Id>{}</Id>\n", x(id)));
        }
        b.push_str("\t</InvalidIdList>\n");
    }
    if ids.is_empty() {
        b.push_str(
            "\t<ERROR>IDs contain invalid characters which was treated as delimiters.</ERROR>\n</ePostResult>\n",
        );
        return xml(b);
    }
    let ids: Vec<u32> = ids.into_iter().take(super::RETMAX_CAP).collect();
    let (env, key) = state.webenvs.put(p.webenv(), Set::Ids(ids));
    b.push_str(&format!("\t<QueryKey>{key}</QueryKey>\n\t<WebEnv>{}</WebEnv>\n</ePostResult>\n", x(&env)));
    xml(b)
}
