//! The E-utilities' XML answers: each is a typed struct whose serde names are NCBI's elements
//! (`@` for an attribute, `$text` for text), serialized by quick-xml, which escapes every value
//! and indents with tabs. NCBI's prolog (its declaration and the answer's DOCTYPE) comes first.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::xml;

/// The XML declaration as NCBI writes it (with a space before `?>`).
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n";

/// `root` as a whole document after `doctype` (a constant of the answer's module; NCBI gives
/// efetch's own answers none).
pub fn document<T: Serialize>(doctype: Option<&str>, root: &T) -> Response {
    let mut out = String::from(DECLARATION);
    if let Some(doctype) = doctype {
        out.push_str(doctype);
        out.push('\n');
    }
    let mut serializer = quick_xml::se::Serializer::new(&mut out);
    serializer.indent('\t', 1);
    if let Err(e) = root.serialize(serializer) {
        // Only a type that cannot be XML fails here: a bug, said as one, never a panic.
        return (StatusCode::INTERNAL_SERVER_ERROR, format!("writing the XML answer: {e}\n")).into_response();
    }
    out.push('\n');
    xml(out)
}

/// `<IdList>`: PMIDs, one `<Id>` each (`<IdList/>` when there are none).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdList<'a> {
    pub id: &'a [u32],
}
