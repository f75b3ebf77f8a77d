//! The search page, `/?term=...`: the query box, count, "Search details", results, sort, page
//! size and pages, the sidebar filters with counts, and the results-by-year timeline.

use engine::{Archive, EngineError, Lookup, SearchOptions, Sort};
use medline::Record;
use query::{Field, Query, Term};

use maud::{Markup, html};

use crate::html::{page, rich, url_encode};
use medline::format::{citation, short_name};

pub const PAGE_SIZES: [usize; 5] = [10, 20, 50, 100, 200];

/// One of the sidebar's filters.
struct Filter {
    /// The `filter=` value in the URL, `group.name` as PubMed writes them.
    value: String,
    label: &'static str,
    /// The query clause it adds.
    clause: Query,
}

/// Publication dates from one to the other (`2019:2021[dp]`, `2021/12/03:2026/12/03[dp]`).
fn published(from: &str, to: &str) -> Query {
    Query::Term(Term::new(format!("{from}:{to}"), Some(Field::DatePublication), query::Span::default()))
}

/// A filter's clause, written in PubMed's syntax in the table below.
fn clause(text: &str) -> Query {
    // The table's clauses are fixed: every search page parses them all, so a typo fails every
    // page test.
    query::parse(text).expect("a sidebar filter's clause is a PubMed query").query
}

/// PubMed's sidebar filters, by heading. Publication-date filters count back from today.
fn filters(today: query::Day) -> Vec<(&'static str, Vec<Filter>)> {
    let since = |n: u32| {
        let (y, m, d) = (today.year, today.month, today.day);
        published(&format!("{}/{m:02}/{d:02}", y - n), &format!("{y}/{m:02}/{d:02}"))
    };
    let f = |value: &str, label: &'static str, clause: Query| Filter { value: value.to_owned(), label, clause };
    vec![
        (
            "Publication date",
            vec![
                f("datesearch.y_1", "1 year", since(1)),
                f("datesearch.y_5", "5 years", since(5)),
                f("datesearch.y_10", "10 years", since(10)),
            ],
        ),
        (
            "Article type",
            vec![
                f("pubt.clinicaltrial", "Clinical Trial", clause("clinical trial[pt]")),
                f("pubt.meta-analysis", "Meta-Analysis", clause("meta-analysis[pt]")),
                f(
                    "pubt.randomizedcontrolledtrial",
                    "Randomized Controlled Trial",
                    clause("randomized controlled trial[pt]"),
                ),
                f("pubt.review", "Review", clause("review[pt]")),
                f("pubt.systematicreview", "Systematic Review", clause("systematic review[pt]")),
                f("pubt.casereports", "Case Reports", clause("case reports[pt]")),
            ],
        ),
        (
            "Language",
            vec![
                f("lang.english", "English", clause("english[la]")),
                f("lang.french", "French", clause("french[la]")),
                f("lang.german", "German", clause("german[la]")),
                f("lang.spanish", "Spanish", clause("spanish[la]")),
            ],
        ),
        (
            "Text availability",
            vec![
                f("simsearch1.fha", "Abstract", clause("hasabstract[sb]")),
                f("simsearch2.ffrft", "Free full text", clause("free full text[sb]")),
            ],
        ),
        (
            "Species",
            vec![
                f("hum_ani.humans", "Humans", clause("humans[mh]")),
                // "Animals" is a check tag: indexers add it itself, so it need not explode
                // into the thousands of organisms below it.
                f("hum_ani.animal", "Other Animals", clause("animals[mh:noexp] NOT humans[mh]")),
            ],
        ),
        ("Sex", vec![f("sex.female", "Female", clause("female[mh]")), f("sex.male", "Male", clause("male[mh]"))]),
        (
            "Age",
            vec![
                f("age.child", "Child: birth-18 years", clause("child[mh] OR infant[mh] OR adolescent[mh]")),
                f("age.adult", "Adult: 19+ years", clause("adult[mh]")),
                f("age.aged", "Aged: 65+ years", clause("aged[mh]")),
            ],
        ),
    ]
}

/// The label and query clause of one `filter=` value, if it is one Medlars knows: a sidebar
/// filter or a range of years (`years.2019-2021`, from the timeline or the custom range).
fn filter_of(value: &str, today: query::Day) -> Option<(String, Query)> {
    if let Some(range) = value.strip_prefix("years.") {
        let (from, to) = range.split_once('-').unwrap_or((range, range));
        let (from, to): (u32, u32) = (from.parse().ok()?, to.parse().ok()?);
        let label = if from == to { from.to_string() } else { format!("{from}–{to}") };
        return Some((label, published(&from.to_string(), &to.to_string())));
    }
    filters(today)
        .into_iter()
        .flat_map(|(_, group)| group)
        .find(|f| f.value == value)
        .map(|f| (f.label.to_owned(), f.clause))
}

pub struct Request {
    /// The query as typed.
    pub term: String,
    /// The query parsed, its `#N` history references replaced (no lines for an empty query).
    pub strategy: Vec<query::Line>,
    pub sort: Sort,
    pub sort_name: String,
    pub page: usize,
    pub size: usize,
    pub filters: Vec<String>,
}

impl Request {
    /// The URL of this search with some parameters changed (not yet escaped for HTML).
    fn url(&self, sort: Option<&str>, page: Option<usize>, size: Option<usize>, filters: &[String]) -> String {
        let mut url = format!("/?term={}", url_encode(&self.term));
        let sort = sort.unwrap_or(&self.sort_name);
        if !sort.is_empty() {
            url.push_str(&format!("&sort={}", url_encode(sort)));
        }
        let size = size.unwrap_or(self.size);
        if size != 10 {
            url.push_str(&format!("&size={size}"));
        }
        for f in filters {
            url.push_str(&format!("&filter={}", url_encode(f)));
        }
        let page = page.unwrap_or(1);
        if page > 1 {
            url.push_str(&format!("&page={page}"));
        }
        url
    }

    fn with_filter(&self, f: &str) -> Vec<String> {
        let mut out = self.filters.clone();
        if let Some(i) = out.iter().position(|x| x == f) {
            out.remove(i);
        } else {
            // One value per filter group: a new year range replaces the old one.
            let group = f.split('.').next().unwrap_or_default();
            out.retain(|x| x.split('.').next() != Some(group));
            out.push(f.to_owned());
        }
        out
    }
}

/// The search actually run: the user's (history references replaced) restricted by the filters.
pub fn effective_strategy(strategy: &[query::Line], filters: &[String], today: query::Day) -> Vec<query::Line> {
    let mut effective = strategy.to_vec();
    for (_, clause) in filters.iter().filter_map(|f| filter_of(f, today)) {
        query::restrict(&mut effective, clause);
    }
    effective
}

/// A search that ran, for the history.
pub struct Ran {
    /// The query as typed, with its filters named.
    pub shown: String,
    /// The search that ran, filters included.
    pub effective: Vec<query::Line>,
    pub translation: String,
    pub count: usize,
}

/// The page for a query that cannot run, saying why (with the position, for a syntax error).
pub fn query_error(term: &str, why: &str) -> String {
    let body = html! {
        div.query-error { h1 { "Your query could not be searched" } p.warning { (why) } }
    };
    page(term, term, body)
}

pub fn render(archive: &Archive, r: &Request) -> Result<(String, Option<Ran>), EngineError> {
    let today = engine::today();
    if r.term.trim().is_empty() {
        return Ok((page("Search", "", home(archive)?), None));
    }
    let effective = effective_strategy(&r.strategy, &r.filters, today);
    let options = SearchOptions { sort: r.sort, limit: r.size, offset: (r.page - 1) * r.size, today };
    let groups = filters(today);
    let clauses: Vec<Query> = groups.iter().flat_map(|(_, group)| group.iter().map(|f| f.clause.clone())).collect();
    let (outcome, facets) = archive.search_with_facets(effective.clone(), &options, &clauses)?;
    let mut hits = Vec::with_capacity(outcome.pmids.len());
    for (i, pmid) in outcome.pmids.iter().enumerate() {
        let Lookup::Found(stored) = archive.store.get(*pmid)? else { continue };
        hits.push(docsum(&stored.parse()?, *pmid, options.offset + i + 1));
    }
    let body = html! {
        div.layout {
            aside.filters aria-label="Filters" {
                (timeline(r, &facets.years))
                (filter_groups(r, groups, facets.counts))
            }
            section.results {
                div.results-amount { span.value { (thousands(outcome.count)) } " results" }
                (controls(r, today))
                (save_links(r))
                (search_details(&outcome))
                @for hit in hits { (hit) }
                (pagination(r.page, outcome.count.div_ceil(r.size), |p| r.url(None, Some(p), None, &r.filters)))
            }
        }
    };
    let labels: Vec<String> = r.filters.iter().filter_map(|f| filter_of(f, today)).map(|(label, _)| label).collect();
    let ran = Ran {
        shown: if labels.is_empty() { r.term.clone() } else { format!("{} Filters: {}", r.term, labels.join(", ")) },
        translation: outcome.lines.last().map(|l| l.translation.clone()).unwrap_or_default(),
        effective,
        count: outcome.count,
    };
    Ok((page(&r.term, &r.term, body), Some(ran)))
}

/// Hits per year, each bar a link filtering by its year.
fn timeline(r: &Request, years: &[(i64, u64)]) -> Markup {
    let (Some(&(first, _)), Some(&(last, _))) = (years.first(), years.last()) else { return html! {} };
    let max = years.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let span = (last - first + 1).max(1) as usize;
    let width = (span * 8).max(80);
    let bar = |year: i64, n: u64| {
        let x = (year - first) as usize * 8;
        let h = ((n as f64 / max as f64) * 56.0).max(2.0);
        let href = r.url(None, None, None, &r.with_filter(&format!("years.{year}-{year}")));
        html! {
            a href=(href) class="year-bar" data-year=(year) {
                title { (year) ": " (n) }
                rect x=(x) y=(format!("{:.1}", 60.0 - h)) width="7" height=(format!("{h:.1}")) {}
            }
        }
    };
    html! {
        h3 { "Results by year" }
        div.timeline {
            svg viewBox={ "0 0 " (width) " 60" } role="img" aria-label={ "Results by year, " (first) " to " (last) } {
                @for &(year, n) in years { (bar(year, n)) }
            }
            div.count { (first) " – " (last) }
        }
    }
}

/// Each group of filters with its hits, and the custom year range.
fn filter_groups(r: &Request, groups: Vec<(&'static str, Vec<Filter>)>, counts: Vec<usize>) -> Markup {
    let mut counts = counts.into_iter();
    html! {
        @for (title, group) in groups {
            h3 { (title) }
            ul {
                @for Filter { value, label, .. } in group {
                    li {
                        a class={ "filter" @if r.filters.contains(&value) { " on" } }
                            href=(r.url(None, None, None, &r.with_filter(&value))) data-filter=(value) { (label) }
                        " " span.count { "(" (counts.next().unwrap_or(0)) ")" }
                    }
                }
            }
        }
        h3 { "Custom range" }
        form.custom-range action="/" method="get" {
            input type="hidden" name="term" value=(r.term);
            input name="from" size="4" placeholder="YYYY" aria-label="From year";
            " – "
            input name="to" size="4" placeholder="YYYY" aria-label="To year";
            " "
            button.button type="submit" { "Apply" }
        }
    }
}

/// The filters applied (each removable), the sorts and the page sizes.
fn controls(r: &Request, today: query::Day) -> Markup {
    let active: Vec<(&String, String)> =
        r.filters.iter().filter_map(|f| filter_of(f, today).map(|(label, _)| (f, label))).collect();
    let sorts = [Sort::Relevance, Sort::EntryDate, Sort::PubDate, Sort::FirstAuthor, Sort::Journal];
    html! {
        @if !active.is_empty() {
            div.active-filters {
                span { "Filters applied:" }
                @for (value, label) in &active {
                    " " a.active-filter href=(r.url(None, None, None, &r.with_filter(value))) title="Remove this filter" {
                        (label) " ×"
                    }
                }
                " " a.clear-filters href=(r.url(None, None, None, &[])) { "Clear all" }
            }
        }
        div.controls {
            span { "Sort by:" }
            @for sort in sorts {
                @if sort.web_name() == r.sort_name {
                    strong class="sort on" { (sort.label()) }
                } @else {
                    a.sort href=(r.url(Some(sort.web_name()), None, None, &r.filters)) { (sort.label()) }
                }
            }
            span { "Per page:" }
            @for size in PAGE_SIZES {
                @if size == r.size {
                    strong class="size on" { (size) }
                } @else {
                    a.size href=(r.url(None, None, Some(size), &r.filters)) { (size) }
                }
            }
        }
    }
}

/// Every hit (up to PubMed's 10,000) in a file reference managers import.
fn save_links(r: &Request) -> Markup {
    let formats = [
        ("medline", "PubMed (.nbib)"),
        ("ris", "RIS"),
        ("csv", "CSV"),
        ("bibtex", "BibTeX"),
        ("pmid", "PMID list"),
        ("abstract", "Abstract (text)"),
    ];
    let download = r.url(None, None, None, &r.filters).replacen("/?", "/download?", 1);
    html! {
        div.save {
            span { "Save all results:" }
            @for (format, label) in formats {
                " " a class={ "save-" (format) } href={ (download) "&format=" (format) } { (label) }
            }
        }
    }
}

/// Warnings, the search details, each line of a strategy, or that nothing was found.
fn search_details(outcome: &engine::SearchOutcome) -> Markup {
    html! {
        @for w in &outcome.warnings { p.warning { (w) } }
        @if let Some(last) = outcome.lines.last() {
            details.search-details { summary { "Search details" } code { (last.translation) } }
        }
        (strategy_lines(&outcome.lines))
        @if outcome.count == 0 { p.no-results { "No results were found." } }
    }
}

/// A strategy's lines (or one line read as Ovid's syntax): each line's number, the syntax it
/// was read in, its count and its PubMed translation, for a review's appendix.
fn strategy_lines(lines: &[engine::LineOutcome]) -> Markup {
    let ovid = lines.iter().any(|l| l.dialect == query::Dialect::Ovid);
    html! {
        @if lines.len() >= 2 || ovid {
            table.strategy {
                caption { "Each line of the search" }
                thead { tr { th { "Line" } th { "Read as" } th { "Results" } th { "PubMed translation" } } }
                tbody {
                    @for line in lines {
                        tr {
                            td { "#" (line.number) }
                            td { (line.dialect.name()) }
                            td { (line.count) }
                            td { code { (line.translation) } }
                        }
                    }
                }
            }
        }
    }
}

/// One result: title, authors, citation, snippet, PMID.
fn docsum(record: &Record, pmid: u32, n: usize) -> Markup {
    let (authors, cite, snippet) = match record {
        Record::Article(a) => {
            let list = a.medline.article.authors.as_ref();
            let names: Vec<String> =
                list.map(|l| l.authors.iter().take(6).map(short_name).collect()).unwrap_or_default();
            let more = list.is_some_and(|l| l.authors.len() > 6 || !l.complete);
            let authors = if more { format!("{}, et al.", names.join(", ")) } else { names.join(", ") };
            let snippet = a.medline.article.abstract_.as_ref().map(|abs| {
                let text: String = abs.texts.iter().map(|t| t.text.text.as_str()).collect::<Vec<_>>().join(" ");
                let cut: String = text.chars().take(280).collect();
                if cut.len() < text.len() { format!("{cut}…") } else { cut }
            });
            (authors, citation(a), snippet)
        }
        Record::Book(b) => (String::new(), b.book.book.title.text.clone(), None),
    };
    let title = match record {
        Record::Article(a) => rich(&a.medline.article.title),
        Record::Book(_) => html! { (record.title()) },
    };
    html! {
        article.docsum data-pmid=(pmid) {
            span.position { (n) "." }
            " "
            a.docsum-title href={ "/" (pmid) "/" } { (title) }
            div.docsum-authors { (authors) }
            div.docsum-journal-citation { (cite) }
            @if let Some(s) = snippet { div.docsum-snippet { (s) } }
            span.docsum-pmid { "PMID: " (pmid) }
        }
    }
}

/// `/?linkname=pubmed_pubmed_citedin&from_uid=PMID` (PubMed's "Cited by" list): the records of
/// the archive whose reference lists cite PMID, newest first, a page at a time. `None` for a PMID
/// the archive does not hold.
pub fn render_cited_by(
    archive: &Archive,
    uid: u32,
    page_number: usize,
    size: usize,
) -> Result<Option<String>, EngineError> {
    let Lookup::Found(cited) = archive.store.get(uid)? else { return Ok(None) };
    let title = cited.parse()?.title().to_owned();
    let (count, all) = archive.cited_by(uid, usize::MAX)?;
    let offset = (page_number - 1) * size;
    let mut hits = Vec::with_capacity(size.min(all.len()));
    for (i, pmid) in all.iter().enumerate().skip(offset).take(size) {
        let Lookup::Found(stored) = archive.store.get(*pmid)? else { continue };
        hits.push(docsum(&stored.parse()?, *pmid, i + 1));
    }
    let url = |p: usize| format!("/?linkname=pubmed_pubmed_citedin&from_uid={uid}&size={size}&page={p}");
    let body = html! {
        section.results {
            h1.cited-by-heading { "Cited by " a href={ "/" (uid) "/" } { (title) } }
            div.results-amount { span.value { (thousands(count)) } " results" }
            @for hit in hits { (hit) }
            (pagination(page_number, count.div_ceil(size), url))
        }
    };
    Ok(Some(page(&format!("Cited by PMID {uid}"), "", body)))
}

/// Previous, "Page N of M", Next; `url` gives a page's address.
fn pagination(page_number: usize, pages: usize, url: impl Fn(usize) -> String) -> Markup {
    let pages = pages.max(1);
    html! {
        nav.pagination aria-label="Pages" {
            @if page_number > 1 { a.prev href=(url(page_number - 1)) { "Previous" } }
            span.page-number { "Page " (page_number) " of " (thousands(pages)) }
            @if page_number < pages { a.next href=(url(page_number + 1)) { "Next" } }
        }
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn home(archive: &Archive) -> Result<Markup, EngineError> {
    let stats = archive.store.stats()?;
    Ok(html! {
        div.home {
            h1 { "Medlars" }
            p {
                (thousands(stats.records as usize))
                " PubMed records on this machine. Search them with PubMed's query language: "
                code { "alzheimer disease[mh] AND 2020:2024[dp]" }
                "."
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's clauses parse (a typo would otherwise fail only when a page is served), and
    /// each is the PubMed search its label says, printed as PubMed's translation.
    #[test]
    fn every_filter_is_a_search_pubmed_would_run() {
        let today = query::Day { year: 2026, month: 12, day: 3 };
        let groups = filters(today);
        let clauses: Vec<String> = groups.iter().flat_map(|(_, g)| g.iter().map(|f| f.clause.to_string())).collect();
        assert_eq!(clauses.len(), 22);
        assert_eq!(clauses[0], "2025/12/03:2026/12/03[Date - Publication]");
        assert!(clauses.contains(&"\"review\"[Publication Type]".to_owned()), "{clauses:?}");
        let (label, years) = filter_of("years.2019-2021", today).unwrap();
        assert_eq!((label.as_str(), years.to_string()), ("2019–2021", "2019:2021[Date - Publication]".to_owned()));
        assert!(filter_of("years.abc", today).is_none() && filter_of("pubt.nothing", today).is_none());
    }
}
