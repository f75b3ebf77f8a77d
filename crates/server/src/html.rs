//! HTML building blocks: the sanitiser for records' inline markup, URLs, and the page shell with
//! its style sheet.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use medline::Rich;

/// Escapes text for HTML content and double-quoted attributes, for the sanitiser (the pages
/// themselves leave escaping to maud).
fn esc(text: &str) -> String {
    medline::text::escape(text).into_owned()
}

/// Inline elements a record may use, shown as themselves.
const INLINE: &[&str] = &["i", "b", "sup", "sub", "u"];
/// MathML attributes worth keeping (presentation only).
const MATH_ATTRIBUTES: &[&str] = &["display", "mathvariant", "stretchy", "fence", "separator", "open", "close"];

/// A record's text as HTML: its inline markup (`<i>`, `<sup>`, MathML) rendered, and everything
/// else, including any other tag a record carries (`<script>`), shown as text.
pub fn rich(text: &Rich) -> Markup {
    let Some(markup) = &text.markup else { return html! { (text.text) } };
    let mut out = String::with_capacity(markup.len());
    let mut rest = markup.as_str();
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]); // already escaped by the parser
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&esc(&rest[open..]));
            return PreEscaped(out);
        };
        let tag = &rest[open + 1..open + close];
        out.push_str(&render_tag(tag));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    PreEscaped(out)
}

/// One tag of a record's markup (without its angle brackets), as safe HTML.
fn render_tag(tag: &str) -> String {
    let closing = tag.starts_with('/');
    let self_closing = tag.ends_with('/');
    let body = tag.trim_start_matches('/').trim_end_matches('/');
    let name = body.split_whitespace().next().unwrap_or_default();
    if INLINE.contains(&name) {
        return if closing { format!("</{name}>") } else { format!("<{name}>") };
    }
    if let Some(math) =
        name.strip_prefix("mml:").filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        if closing {
            return format!("</{math}>");
        }
        let mut out = format!("<{math}");
        for (key, value) in attributes(body) {
            if MATH_ATTRIBUTES.contains(&key) {
                out.push_str(&format!(" {key}=\"{}\"", esc(&value)));
            }
        }
        out.push_str(if self_closing { "/>" } else { ">" });
        return out;
    }
    // Anything else is shown as the text it is.
    esc(&format!("<{tag}>"))
}

/// `key="value"` pairs of a tag body (values as the parser escaped them, unescaped here).
fn attributes(body: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut rest = body.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq].trim();
        let value_start = eq + 2;
        let Some(end) = rest[value_start..].find('"') else { break };
        let value = rest[value_start..value_start + end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.push((key, value));
        rest = &rest[value_start + end + 1..];
    }
    out
}

/// A value for a URL's query string (`application/x-www-form-urlencoded`, spaces as `+`).
pub fn url_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The whole page around `body`.
pub fn page(title: &str, term: &str, body: Markup) -> String {
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - Medlars" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top {
                    a.brand href="/" { "Medlars" }
                    form class="search-form" action="/" method="get" role="search" {
                        input id="term" name="term" type="search" value=(term) aria-label="Search"
                            placeholder="Search PubMed records";
                        button type="submit" { "Search" }
                    }
                    a class="advanced-link" href="/advanced/" { "Advanced" }
                }
                main { (body) }
            }
        }
    };
    page.into_string()
}

const CSS: &str = "
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#212121;background:#fff}
a{color:#0071bc}a:visited{color:#4c2c92}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.75rem 1rem;background:#20558a}
header.top a{color:#fff}.brand{font-weight:700;font-size:1.25rem;text-decoration:none}
.search-form{display:flex;flex:1 1 20rem;gap:.5rem}.search-form input{flex:1;min-width:0;padding:.5rem;font-size:1rem;border:1px solid #ccc;border-radius:4px}
.search-form button,.button{padding:.5rem 1rem;font-size:1rem;background:#0071bc;color:#fff;border:0;border-radius:4px;cursor:pointer}
main{max-width:72rem;margin:0 auto;padding:1rem}
.article{max-width:50rem}.badge{display:inline-block;padding:.1rem .5rem;margin:0 .25rem .25rem 0;border:1px solid #5b616b;border-radius:3px;font-size:.85rem}
.citation{color:#5b616b;margin:.5rem 0}h1.heading-title{font-size:1.6rem;line-height:1.3;margin:.5rem 0}
.authors-list{margin:.5rem 0}.authors-list sup{font-size:.7rem}.affiliations ol{font-size:.9rem;color:#444}
.identifiers{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
section{margin:1.5rem 0;border-top:1px solid #e0e0e0}section h2{font-size:1.25rem;margin:.75rem 0}
.abstract p{margin:.5rem 0}.abstract .label{font-weight:700}.notice{padding:.5rem .75rem;border-left:4px solid #d83933;background:#fdf0ef}
.mesh li,.plain li{margin:.2rem 0}.refs li{margin:.4rem 0}
.layout{display:grid;grid-template-columns:16rem 1fr;gap:1.5rem}@media (max-width:50rem){.layout{grid-template-columns:1fr}.layout .filters{order:2}}
.filters h3{font-size:1rem;margin:1rem 0 .25rem}.filters ul{list-style:none;padding:0;margin:0}.filters li{margin:.15rem 0;font-size:.95rem}
.filters .on{font-weight:700}.count{color:#5b616b}.timeline svg{width:100%;height:auto}.timeline rect{fill:#5d92c2}.timeline a:hover rect{fill:#20558a}
.results-amount{font-size:1.1rem}.controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
.docsum{padding:.75rem 0;border-bottom:1px solid #eee}.docsum-title{font-size:1.1rem;font-weight:600}.docsum-authors,.docsum-journal-citation{font-size:.9rem;color:#444}
.docsum-snippet{font-size:.9rem}.docsum-pmid{font-size:.85rem;color:#5b616b}.pagination{display:flex;gap:1rem;align-items:center;margin:1rem 0}
.cite{margin:.5rem 0}.cite summary{display:inline-block}.cite dt{font-weight:700;margin-top:.5rem}.cite dd{margin:0 0 0 1rem}
.active-filters{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center;font-size:.95rem}
.active-filter{padding:.1rem .5rem;border:1px solid #0071bc;border-radius:3px;text-decoration:none}
.search-details code{display:block;white-space:pre-wrap;word-break:break-word;background:#f5f5f5;padding:.5rem}.warning{color:#8a5300}
";

#[cfg(test)]
mod tests {
    use super::*;

    fn r(markup: &str) -> String {
        rich(&Rich { text: String::new(), markup: Some(markup.into()) }).into_string()
    }

    #[test]
    fn inline_markup_renders_and_the_rest_is_text() {
        assert_eq!(r("H<sub>2</sub>O and <i>E. coli</i>"), "H<sub>2</sub>O and <i>E. coli</i>");
        assert_eq!(r("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(r("<i onclick=\"x\">a</i>"), "<i>a</i>");
        assert_eq!(
            r("<img src=\"x\" onerror=\"alert(1)\"/>"),
            "&lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;/&gt;"
        );
        assert_eq!(
            r(
                "<mml:math xmlns:mml=\"http://www.w3.org/1998/Math/MathML\" display=\"inline\"><mml:mi>x</mml:mi></mml:math>"
            ),
            "<math display=\"inline\"><mi>x</mi></math>"
        );
        assert_eq!(rich(&Rich::plain("a <b> & c")).into_string(), "a &lt;b&gt; &amp; c");
    }

    #[test]
    fn urls_round_trip() {
        let q = "\"heart attack\"[mh] AND 2020:2021[dp] #1 ü&x=y";
        let encoded = format!("term={}", url_encode(q));
        let decoded = |s: &str| serde_urlencoded::from_str::<Vec<(String, String)>>(s).unwrap();
        assert_eq!(decoded(&encoded), [("term".to_owned(), q.to_owned())]);
        assert_eq!(
            decoded("term=a+b&filter=x&filter=y&bad=%zz"),
            [
                ("term".into(), "a b".into()),
                ("filter".into(), "x".into()),
                ("filter".into(), "y".into()),
                ("bad".into(), "%zz".into())
            ]
        );
    }
}
