//! EFetch (records as NLM's XML, MEDLINE text, Abstract text, PMID lists or summaries) and EPost
//! (PMIDs into the history server).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use engine::{Lookup, StoredRecord};
use medline::format::{abstract_text, medline_text};

use super::webenv::Set;
use super::{Params, requested_ids, text, x, xml};
use crate::AppState;

fn error_xml(message: &str) -> Response {
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<eFetchResult>\n\t<ERROR>{}</ERROR>\n</eFetchResult>\n",
        x(message)
    ))
}

/// The records the archive holds among `ids`, in the order asked (missing ones are left out, as
/// NCBI leaves them out).
fn records(state: &AppState, ids: &[u32]) -> Result<Vec<StoredRecord>, String> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Lookup::Found(r) = state.archive.store.get(id).map_err(|e| e.to_string())? {
            out.push(r);
        }
    }
    Ok(out)
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
    let text_mode = retmode.as_deref() == Some("text");
    let run = || -> Result<Response, String> {
        Ok(match rettype.as_str() {
            "uilist" if !text_mode && retmode.is_some() => {
                let mut b = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<IdList>\n");
                for r in records(state, &ids)? {
                    b.push_str(&format!("<Id>{}</Id>\n", r.pmid.id));
                }
                b.push_str("</IdList>\n");
                xml(b)
            }
            "uilist" => text(records(state, &ids)?.iter().map(|r| format!("{}\n", r.pmid.id)).collect()),
            "medline" => {
                let mut b = String::new();
                for r in records(state, &ids)? {
                    medline_text::write(&mut b, &r.parse().map_err(|e| e.to_string())?);
                }
                text(b)
            }
            "abstract" if text_mode || retmode.is_none() => {
                let mut b = String::new();
                for (i, r) in records(state, &ids)?.iter().enumerate() {
                    abstract_text::write(&mut b, i + 1, &r.parse().map_err(|e| e.to_string())?);
                }
                text(b)
            }
            "docsum" => xml(super::summary::docsums(state, &ids)),
            "xml" | "full" | "abstract" | "" => {
                let mut buf = Vec::from(medline::xml::HEADER);
                for r in records(state, &ids)? {
                    medline::xml::write_record(&mut buf, r.element, &r.xml);
                }
                buf.extend_from_slice(medline::xml::FOOTER.as_bytes());
                xml(String::from_utf8_lossy(&buf).into_owned())
            }
            // Medlars' other formats (ris, bibtex, csl-json, csv, nlm, ...), beyond NCBI's.
            other => {
                let format = medline::format::Format::from_name(other).ok_or(format!("Unknown rettype: {other}"))?;
                let mut body = Vec::from(format.begin());
                for (i, r) in records(state, &ids)?.iter().enumerate() {
                    format.write(&mut body, i + 1, &r.parse().map_err(|e| e.to_string())?, r.element, &r.xml);
                }
                body.extend_from_slice(format.end().as_bytes());
                ([(header::CONTENT_TYPE, format.media_type())], body).into_response()
            }
        })
    };
    run().unwrap_or_else(|e| error_xml(&e))
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
