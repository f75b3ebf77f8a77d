//! PubMed XML out: records' original bytes inside a `PubmedArticleSet` with NLM's current DOCTYPE,
//! as efetch returns them.

use crate::reader::RecordElement;

/// The XML declaration and DOCTYPE that NLM's 2025 files and efetch responses begin with.
pub const HEADER: &str = "<?xml version=\"1.0\" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n<PubmedArticleSet>\n";

/// The end tag that closes a document begun with [`HEADER`].
pub const FOOTER: &str = "</PubmedArticleSet>\n";

/// Appends one record's original bytes as a child of `PubmedArticleSet`. A bare `MedlineCitation`
/// (from a 2014-2016 `MedlineCitationSet` file) is wrapped in `<PubmedArticle>`, which is what
/// PubMed itself serves for such records.
pub fn write_record(out: &mut Vec<u8>, element: RecordElement, xml: &[u8]) {
    if element == RecordElement::MedlineCitation {
        out.extend_from_slice(b"<PubmedArticle>");
        out.extend_from_slice(xml);
        out.extend_from_slice(b"</PubmedArticle>");
    } else {
        out.extend_from_slice(xml);
    }
    out.push(b'\n');
}
