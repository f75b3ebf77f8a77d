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
    written(doctype, None, root)
}

/// `<root><ERROR>message</ERROR></root>`: every utility's answer to a request it cannot serve.
pub fn error_document(doctype: Option<&str>, root: &str, message: &str) -> Response {
    #[derive(Serialize)]
    struct ErrorOnly<'a> {
        #[serde(rename = "ERROR")]
        error: &'a str,
    }
    written(doctype, Some(root), &ErrorOnly { error: message })
}

/// The prolog, then `value` as the root element (named `root`, or by its type's serde name).
fn written<T: Serialize>(doctype: Option<&str>, root: Option<&str>, value: &T) -> Response {
    let mut out = String::from(DECLARATION);
    if let Some(doctype) = doctype {
        out.push_str(doctype);
        out.push('\n');
    }
    // Only a type or a root name that cannot be XML fails here: a bug, said as one, never a panic.
    let failed = |e: quick_xml::SeError| {
        (StatusCode::INTERNAL_SERVER_ERROR, format!("writing the XML answer: {e}\n")).into_response()
    };
    let mut serializer = match quick_xml::se::Serializer::with_root(&mut out, root) {
        Ok(serializer) => serializer,
        Err(e) => return failed(e),
    };
    serializer.indent('\t', 1);
    if let Err(e) = value.serialize(serializer) {
        return failed(e);
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
