//! Text that may carry inline markup (`<i>`, `<b>`, `<sup>`, `<sub>`, `<u>`, MathML).
//!
//! PubMed keeps such markup in titles, abstracts, affiliations and keywords. Search wants the
//! plain words, a record page wants the markup: [`Rich`] keeps both, and keeps the markup only when
//! there is some, so the common case costs one string.

use serde::{Deserialize, Serialize};

/// Text with its inline markup: the plain text always, the markup only when there is some.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rich {
    /// The text with all markup flattened away: what is indexed and what plain formats print.
    pub text: String,
    /// The element's content as XML (escaped text with its inline elements), present only when the
    /// element held child elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<String>,
}

impl Rich {
    /// Text without markup.
    pub fn plain(text: impl Into<String>) -> Rich {
        Rich { text: text.into(), markup: None }
    }

    /// The content as XML: the markup when there is some, otherwise the escaped text.
    pub fn to_xml(&self) -> std::borrow::Cow<'_, str> {
        match &self.markup {
            Some(m) => m.into(),
            None => escape(&self.text),
        }
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl std::fmt::Display for Rich {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Escapes `&`, `<`, `>` and `"`, so the result serves as XML text or a double-quoted attribute.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    push_escaped(&mut out, text);
    out.into()
}

/// Appends `text` to `out`, escaped as [`escape`] does.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_plain_text_borrowed() {
        assert!(matches!(escape("plain"), std::borrow::Cow::Borrowed("plain")));
        assert_eq!(escape("a<b & c>d"), "a&lt;b &amp; c&gt;d");
    }

    #[test]
    fn to_xml_prefers_markup() {
        let r = Rich { text: "H2O".into(), markup: Some("H<sub>2</sub>O".into()) };
        assert_eq!(r.to_xml(), "H<sub>2</sub>O");
        assert_eq!(Rich::plain("a & b").to_xml(), "a &amp; b");
    }
}
