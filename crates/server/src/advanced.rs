//! The advanced search page, `/advanced/`: a query builder (field, term, AND/OR/NOT) and the
//! session's search history, whose `#N` numbers later queries combine. Plain forms and links, so
//! it works without JavaScript.

use query::Field;

use crate::history::{Entry, clock};
use maud::{Markup, html};

use crate::html::{page, url_encode};

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
    let body = html! {
        div.advanced {
            h1 { "Advanced Search Builder" }
            (builder_form(query))
            h2 { "History and Search Details" }
            @if history.is_empty() {
                p { "Your searches are listed here, numbered; combine them in the query box as " code { "#1 AND #2" } "." }
            } @else {
                form action="/advanced/clear" method="post" { button.link-button type="submit" { "Delete history" } }
                table.history {
                    thead { tr { th { "Search" } th { "Add to query" } th { "Query" } th { "Results" } th { "Time (UTC)" } } }
                    tbody { @for e in history { (history_row(query, e)) } }
                }
            }
        }
    };
    page("Advanced Search", "", body)
}

/// The field, term and operator to add, and the query box.
fn builder_form(query: &str) -> Markup {
    let mut fields: Vec<Field> = Field::all().filter(|f| *f != Field::All).collect();
    fields.sort_by_key(|f| f.display());
    fields.insert(0, Field::All);
    html! {
        form.builder action="/advanced/" method="get" {
            div.builder-row {
                label {
                    "Field "
                    select name="field" aria-label="Field" {
                        @for field in fields { option value=(field.tag()) { (field.display()) } }
                    }
                }
                " " input name="add" aria-label="Term" placeholder="Enter a search term";
                " " select name="op" aria-label="Operator" { option { "AND" } option { "OR" } option { "NOT" } }
                " " button.button name="action" value="add" type="submit" { "Add" }
            }
            label for="query-box" { "Query box" }
            textarea id="query-box" name="query" rows="6"
                placeholder="A query, or a whole strategy pasted as published (PubMed or Ovid MEDLINE syntax, one search a line)" {
                (query)
            }
            div { button.button name="action" value="search" type="submit" { "Search" } }
        }
    }
}

/// One search of the history: its number, links adding it to the query, what ran, its count.
fn history_row(query: &str, e: &Entry) -> Markup {
    let reference = format!("#{}", e.number);
    let add = |op: &str| {
        let built = compose(&Builder { query, add: &reference, field: "all", op });
        format!("/advanced/?query={}", url_encode(&built))
    };
    html! {
        tr data-number=(e.number) {
            td { (reference) }
            td {
                @for (i, op) in ["AND", "OR", "NOT"].into_iter().enumerate() {
                    @if i > 0 { " " }
                    a class={ "add-" (op.to_lowercase()) } href=(add(op)) { (op) }
                }
            }
            td {
                a href={ "/?term=" (url_encode(&reference)) } { (e.shown) }
                details { summary { "Details" } code { (e.translation) } }
            }
            td { (e.count) }
            td { (clock(e.time)) }
        }
    }
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
