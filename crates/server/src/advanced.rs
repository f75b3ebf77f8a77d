//! The advanced search page, `/advanced/`: a query builder (field, term, AND/OR/NOT) and the
//! session's search history, whose `#N` numbers later queries combine. Plain forms and links, so
//! it works without JavaScript.

use query::Field;

use crate::history::{Entry, clock};
use maud::PreEscaped;

use crate::html::{esc, page, url_encode};

/// What the builder's form sent.
pub struct Builder<'a> {
    /// The query built so far.
    pub query: &'a str,
    /// A term to add, in `field`, joined by `op`.
    pub add: &'a str,
    pub field: &'a str,
    pub op: &'a str,
}

/// The builder's query with the term added, as PubMed's builder writes it:
/// `(query) AND (term[Field])`.
pub fn compose(b: &Builder) -> String {
    let (query, add) = (b.query.trim(), b.add.trim());
    if add.is_empty() {
        return query.to_owned();
    }
    let tagged = match Field::from_tag(b.field).filter(|f| *f != Field::All) {
        Some(field) => format!("{add}[{}]", field.display()),
        None => add.to_owned(),
    };
    if query.is_empty() {
        return tagged;
    }
    let op = match b.op {
        "OR" => "OR",
        "NOT" => "NOT",
        _ => "AND",
    };
    format!("({query}) {op} ({tagged})")
}

pub fn render(query: &str, history: &[Entry]) -> String {
    let mut b = String::from("<div class=\"advanced\"><h1>Advanced Search Builder</h1>");
    b.push_str("<form class=\"builder\" action=\"/advanced/\" method=\"get\"><div class=\"builder-row\">");
    b.push_str("<label>Field <select name=\"field\" aria-label=\"Field\">");
    let mut fields: Vec<Field> = Field::all().filter(|f| *f != Field::All).collect();
    fields.sort_by_key(|f| f.display());
    fields.insert(0, Field::All);
    for field in fields {
        b.push_str(&format!("<option value=\"{}\">{}</option>", field.tag(), esc(field.display())));
    }
    b.push_str(
        "</select></label> <input name=\"add\" aria-label=\"Term\" placeholder=\"Enter a search term\"> \
         <select name=\"op\" aria-label=\"Operator\"><option>AND</option><option>OR</option><option>NOT</option></select> \
         <button class=\"button\" name=\"action\" value=\"add\" type=\"submit\">Add</button></div>",
    );
    b.push_str(&format!(
        "<label for=\"query-box\">Query box</label><textarea id=\"query-box\" name=\"query\" rows=\"6\" \
         placeholder=\"A query, or a whole strategy pasted as published (PubMed or Ovid MEDLINE syntax, one search a line)\">{}</textarea>\
         <div><button class=\"button\" name=\"action\" value=\"search\" type=\"submit\">Search</button></div></form>",
        esc(query)
    ));

    b.push_str("<h2>History and Search Details</h2>");
    if history.is_empty() {
        b.push_str(
            "<p>Your searches are listed here, numbered; combine them in the query box as <code>#1 AND #2</code>.</p>",
        );
    } else {
        b.push_str(
            "<form action=\"/advanced/clear\" method=\"post\"><button class=\"link-button\" type=\"submit\">Delete history</button></form>\
             <table class=\"history\"><thead><tr><th>Search</th><th>Add to query</th><th>Query</th><th>Results</th><th>Time (UTC)</th></tr></thead><tbody>",
        );
        for e in history {
            let adds: Vec<String> = ["AND", "OR", "NOT"]
                .iter()
                .map(|op| {
                    let built = compose(&Builder { query, add: &format!("#{}", e.number), field: "all", op });
                    format!(
                        "<a class=\"add-{}\" href=\"/advanced/?query={}\">{op}</a>",
                        op.to_lowercase(),
                        url_encode(&built)
                    )
                })
                .collect();
            b.push_str(&format!(
                "<tr data-number=\"{n}\"><td>#{n}</td><td>{}</td><td><a href=\"/?term={}\">{}</a>\
                 <details><summary>Details</summary><code>{}</code></details></td><td>{}</td><td>{}</td></tr>",
                adds.join(" "),
                url_encode(&format!("#{}", e.number)),
                esc(&e.shown),
                esc(&e.translation),
                e.count,
                clock(e.time),
                n = e.number,
            ));
        }
        b.push_str("</tbody></table>");
    }
    b.push_str("</div>");
    page("Advanced Search", "", PreEscaped(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_writes_pubmeds_form() {
        let b = |query, add, field, op| compose(&Builder { query, add, field, op });
        assert_eq!(b("", "cancer", "all", "AND"), "cancer");
        assert_eq!(b("", "smith j", "au", "AND"), "smith j[Author]");
        assert_eq!(b("cancer", "2020", "dp", "NOT"), "(cancer) NOT (2020[Date - Publication])");
        assert_eq!(b("cancer", "#2", "all", "OR"), "(cancer) OR (#2)");
        assert_eq!(b("cancer", "  ", "ti", "OR"), "cancer");
        assert_eq!(b("cancer", "x", "nonsense", "XOR"), "(cancer) AND (x)");
    }

    #[test]
    fn every_field_in_the_dropdown_parses_back() {
        for field in Field::all() {
            let add = if field.kind() == query::FieldKind::Date { "2020/03" } else { "term" };
            let q = compose(&Builder { query: "", add, field: field.tag(), op: "AND" });
            let parsed = query::parse(&q).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert!(parsed.warnings.is_empty(), "{q}: {:?}", parsed.warnings);
        }
    }
}
