//! The search page, `/?term=...`: the query box, count, "Search details", results, sort, page
//! size and pages, the sidebar filters with counts, and the results-by-year timeline.

use engine::{Archive, EngineError, Lookup, SearchOptions, Sort};
use medline::Record;

use maud::PreEscaped;

use crate::html::{esc, page, rich, url_encode};
use medline::format::{citation, short_name};

pub const PAGE_SIZES: [usize; 5] = [10, 20, 50, 100, 200];

/// One of the sidebar's filters.
struct Filter {
    /// The `filter=` value in the URL, `group.name` as PubMed writes them.
    value: String,
    label: &'static str,
    /// The query clause it adds.
    clause: String,
}

/// PubMed's sidebar filters, by heading. Publication-date filters count back from today.
fn filters(today: query::Day) -> Vec<(&'static str, Vec<Filter>)> {
    let since = |n: u32| {
        let (y, m, d) = (today.year, today.month, today.day);
        format!("{}/{m:02}/{d:02}:{y}/{m:02}/{d:02}[dp]", y - n)
    };
    let f = |value: &str, label: &'static str, clause: &str| Filter {
        value: value.to_owned(),
        label,
        clause: clause.to_owned(),
    };
    vec![
        (
            "Publication date",
            vec![
                f("datesearch.y_1", "1 year", &since(1)),
                f("datesearch.y_5", "5 years", &since(5)),
                f("datesearch.y_10", "10 years", &since(10)),
            ],
        ),
        (
            "Article type",
            vec![
                f("pubt.clinicaltrial", "Clinical Trial", "clinical trial[pt]"),
                f("pubt.meta-analysis", "Meta-Analysis", "meta-analysis[pt]"),
                f("pubt.randomizedcontrolledtrial", "Randomized Controlled Trial", "randomized controlled trial[pt]"),
                f("pubt.review", "Review", "review[pt]"),
                f("pubt.systematicreview", "Systematic Review", "systematic review[pt]"),
                f("pubt.casereports", "Case Reports", "case reports[pt]"),
            ],
        ),
        (
            "Language",
            vec![
                f("lang.english", "English", "english[la]"),
                f("lang.french", "French", "french[la]"),
                f("lang.german", "German", "german[la]"),
                f("lang.spanish", "Spanish", "spanish[la]"),
            ],
        ),
        (
            "Text availability",
            vec![
                f("simsearch1.fha", "Abstract", "hasabstract[sb]"),
                f("simsearch2.ffrft", "Free full text", "free full text[sb]"),
            ],
        ),
        (
            "Species",
            vec![
                f("hum_ani.humans", "Humans", "humans[mh]"),
                // "Animals" is a check tag: indexers add it itself, so it need not explode
                // into the thousands of organisms below it.
                f("hum_ani.animal", "Other Animals", "animals[mh:noexp] NOT humans[mh]"),
            ],
        ),
        ("Sex", vec![f("sex.female", "Female", "female[mh]"), f("sex.male", "Male", "male[mh]")]),
        (
            "Age",
            vec![
                f("age.child", "Child: birth-18 years", "child[mh] OR infant[mh] OR adolescent[mh]"),
                f("age.adult", "Adult: 19+ years", "adult[mh]"),
                f("age.aged", "Aged: 65+ years", "aged[mh]"),
            ],
        ),
    ]
}

/// The label and query clause of one `filter=` value, if it is one Medlars knows: a sidebar
/// filter or a range of years (`years.2019-2021`, from the timeline or the custom range).
fn filter_of(value: &str, today: query::Day) -> Option<(String, String)> {
    if let Some(range) = value.strip_prefix("years.") {
        let (from, to) = range.split_once('-').unwrap_or((range, range));
        let (from, to): (u32, u32) = (from.parse().ok()?, to.parse().ok()?);
        let label = if from == to { from.to_string() } else { format!("{from}–{to}") };
        return Some((label, format!("{from}:{to}[dp]")));
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
    /// The query with its `#N` history references replaced.
    pub expanded: String,
    pub sort: Sort,
    pub sort_name: String,
    pub page: usize,
    pub size: usize,
    pub filters: Vec<String>,
}

impl Request {
    /// The URL of this search with some parameters changed.
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
        esc(&url)
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

/// `q` restricted by `clause`: ANDed, or, for a strategy, as one more line combining its last
/// (by the number the strategy gives it, which a labelled Ovid strategy may not count in order);
/// a line of Ovid's syntax is combined so too, as the clause is PubMed's.
fn with_clause(q: &str, clause: &str) -> String {
    match query::parse_strategy(q) {
        Ok(lines) if lines.len() > 1 || lines.iter().any(|l| l.dialect == query::Dialect::Ovid) => {
            let last = lines.last().map_or(lines.len() as u32, |l| l.number);
            format!("{q}\n#{last} AND ({clause})")
        }
        _ => format!("({q}) AND ({clause})"),
    }
}

/// The query actually run: the user's query (history references replaced) with the filters'
/// clauses.
pub fn effective_query(expanded: &str, filters: &[String], today: query::Day) -> String {
    filters
        .iter()
        .filter_map(|f| filter_of(f, today))
        .fold(expanded.to_owned(), |q, (_, clause)| with_clause(&q, &clause))
}

/// A search that ran, for the history.
pub struct Ran {
    /// The query as typed, with its filters named.
    pub shown: String,
    /// The query that ran, filters included.
    pub effective: String,
    pub translation: String,
    pub count: usize,
}

/// The page for a query that cannot run, saying why (with the position, for a syntax error).
pub fn query_error(term: &str, why: &str) -> String {
    let body = format!(
        "<div class=\"query-error\"><h1>Your query could not be searched</h1><p class=\"warning\">{}</p></div>",
        esc(why)
    );
    page(term, term, PreEscaped(body))
}

pub fn render(archive: &Archive, r: &Request) -> Result<(String, Option<Ran>), EngineError> {
    let today = engine::today();
    if r.term.trim().is_empty() {
        return Ok((page("Search", "", PreEscaped(home(archive)?)), None));
    }
    let effective = effective_query(&r.expanded, &r.filters, today);
    let options = SearchOptions { sort: r.sort, limit: r.size, offset: (r.page - 1) * r.size, today };
    let groups = filters(today);
    let clauses: Vec<String> = groups.iter().flat_map(|(_, group)| group.iter().map(|f| f.clause.clone())).collect();
    let (outcome, facets) = archive.search_with_facets(&effective, &options, &clauses)?;
    let mut b = String::from("<div class=\"layout\"><aside class=\"filters\" aria-label=\"Filters\">");
    timeline(&mut b, r, &facets.years);
    filter_groups(&mut b, r, groups, facets.counts);
    b.push_str("</aside><section class=\"results\">");

    // Count, sort, page size, search details.
    b.push_str(&format!(
        "<div class=\"results-amount\"><span class=\"value\">{}</span> results</div>",
        thousands(outcome.count)
    ));
    controls(&mut b, r, today);
    save_links(&mut b, r);
    search_details(&mut b, &outcome);

    // Results.
    for (i, pmid) in outcome.pmids.iter().enumerate() {
        let Lookup::Found(stored) = archive.store.get(*pmid)? else { continue };
        let record = stored.parse()?;
        b.push_str(&docsum(&record, *pmid, options.offset + i + 1));
    }

    // Pages.
    pagination(&mut b, r.page, outcome.count.div_ceil(r.size), |p| r.url(None, Some(p), None, &r.filters));
    b.push_str("</section></div>");
    let labels: Vec<String> = r.filters.iter().filter_map(|f| filter_of(f, today)).map(|(label, _)| label).collect();
    let ran = Ran {
        shown: if labels.is_empty() { r.term.clone() } else { format!("{} Filters: {}", r.term, labels.join(", ")) },
        translation: outcome.lines.last().map(|l| l.translation.clone()).unwrap_or_default(),
        effective,
        count: outcome.count,
    };
    Ok((page(&r.term, &r.term, PreEscaped(b)), Some(ran)))
}

/// Hits per year, each bar a link filtering by its year.
fn timeline(b: &mut String, r: &Request, years: &[(i64, u64)]) {
    if !years.is_empty() {
        let max = years.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
        let (first, last) = (years[0].0, years[years.len() - 1].0);
        let span = (last - first + 1).max(1) as usize;
        let width = (span * 8).max(80);
        b.push_str(&format!(
            "<h3>Results by year</h3><div class=\"timeline\"><svg viewBox=\"0 0 {width} 60\" role=\"img\" aria-label=\"Results by year, {first} to {last}\">"
        ));
        for (year, n) in years {
            let x = (year - first) as usize * 8;
            let h = ((*n as f64 / max as f64) * 56.0).max(2.0);
            let filter = format!("years.{year}-{year}");
            b.push_str(&format!(
                "<a href=\"{}\" class=\"year-bar\" data-year=\"{year}\"><title>{year}: {n}</title><rect x=\"{x}\" y=\"{:.1}\" width=\"7\" height=\"{h:.1}\"/></a>",
                r.url(None, None, None, &r.with_filter(&filter)),
                60.0 - h
            ));
        }
        b.push_str(&format!("</svg><div class=\"count\">{first} – {last}</div></div>"));
    }
}

/// Each group of filters with its hits, and the custom year range.
fn filter_groups(b: &mut String, r: &Request, groups: Vec<(&'static str, Vec<Filter>)>, counts: Vec<usize>) {
    let mut counts = counts.into_iter();
    for (title, group) in groups {
        b.push_str(&format!("<h3>{}</h3><ul>", esc(title)));
        for Filter { value, label, .. } in group {
            let count = counts.next().unwrap_or(0);
            let on = r.filters.contains(&value);
            b.push_str(&format!(
                "<li><a class=\"filter{}\" href=\"{}\" data-filter=\"{}\">{}</a> <span class=\"count\">({count})</span></li>",
                if on { " on" } else { "" },
                r.url(None, None, None, &r.with_filter(&value)),
                esc(&value),
                esc(label)
            ));
        }
        b.push_str("</ul>");
    }
    b.push_str(&format!(
        "<h3>Custom range</h3><form class=\"custom-range\" action=\"/\" method=\"get\"><input type=\"hidden\" name=\"term\" value=\"{}\">\
         <input name=\"from\" size=\"4\" placeholder=\"YYYY\" aria-label=\"From year\"> – <input name=\"to\" size=\"4\" placeholder=\"YYYY\" aria-label=\"To year\"> \
         <button class=\"button\" type=\"submit\">Apply</button></form>",
        esc(&r.term)
    ));
}

/// The filters applied (each removable), the sorts and the page sizes.
fn controls(b: &mut String, r: &Request, today: query::Day) {
    let active: Vec<(&String, String)> =
        r.filters.iter().filter_map(|f| filter_of(f, today).map(|(label, _)| (f, label))).collect();
    if !active.is_empty() {
        b.push_str("<div class=\"active-filters\"><span>Filters applied:</span>");
        for (value, label) in active {
            b.push_str(&format!(
                " <a class=\"active-filter\" href=\"{}\" title=\"Remove this filter\">{} ×</a>",
                r.url(None, None, None, &r.with_filter(value)),
                esc(&label)
            ));
        }
        b.push_str(&format!(
            " <a class=\"clear-filters\" href=\"{}\">Clear all</a></div>",
            r.url(None, None, None, &[])
        ));
    }
    b.push_str("<div class=\"controls\"><span>Sort by:</span>");
    for sort in [Sort::Relevance, Sort::EntryDate, Sort::PubDate, Sort::FirstAuthor, Sort::Journal] {
        let (name, label) = (sort.web_name(), sort.label());
        if name == r.sort_name {
            b.push_str(&format!("<strong class=\"sort on\">{label}</strong>"));
        } else {
            b.push_str(&format!(
                "<a class=\"sort\" href=\"{}\">{label}</a>",
                r.url(Some(name), None, None, &r.filters)
            ));
        }
    }
    b.push_str("<span>Per page:</span>");
    for size in PAGE_SIZES {
        if size == r.size {
            b.push_str(&format!("<strong class=\"size on\">{size}</strong>"));
        } else {
            b.push_str(&format!("<a class=\"size\" href=\"{}\">{size}</a>", r.url(None, None, Some(size), &r.filters)));
        }
    }
    b.push_str("</div>");
}

/// Every hit (up to PubMed's 10,000) in a file reference managers import.
fn save_links(b: &mut String, r: &Request) {
    b.push_str("<div class=\"save\"><span>Save all results:</span>");
    for (format, label) in [
        ("medline", "PubMed (.nbib)"),
        ("ris", "RIS"),
        ("csv", "CSV"),
        ("bibtex", "BibTeX"),
        ("pmid", "PMID list"),
        ("abstract", "Abstract (text)"),
    ] {
        let mut url = r.url(None, None, None, &r.filters).replacen("/?", "/download?", 1);
        url.push_str(&format!("&amp;format={format}"));
        b.push_str(&format!(" <a class=\"save-{format}\" href=\"{url}\">{label}</a>"));
    }
    b.push_str("</div>");
}

/// Warnings, the search details, each line of a strategy, or that nothing was found.
fn search_details(b: &mut String, outcome: &engine::SearchOutcome) {
    for w in &outcome.warnings {
        b.push_str(&format!("<p class=\"warning\">{}</p>", esc(&w.to_string())));
    }
    if let Some(last) = outcome.lines.last() {
        b.push_str(&format!(
            "<details class=\"search-details\"><summary>Search details</summary><code>{}</code></details>",
            esc(&last.translation)
        ));
    }
    strategy_lines(b, &outcome.lines);
    if outcome.count == 0 {
        b.push_str("<p class=\"no-results\">No results were found.</p>");
    }
}

/// A strategy's lines (or one line read as Ovid's syntax): each line's number, the syntax it
/// was read in, its count and its PubMed translation, for a review's appendix.
fn strategy_lines(b: &mut String, lines: &[engine::LineOutcome]) {
    let ovid = lines.iter().any(|l| l.dialect == query::Dialect::Ovid);
    if lines.len() < 2 && !ovid {
        return;
    }
    b.push_str(
        "<table class=\"strategy\"><caption>Each line of the search</caption><thead><tr><th>Line</th>\
         <th>Read as</th><th>Results</th><th>PubMed translation</th></tr></thead><tbody>",
    );
    for line in lines {
        b.push_str(&format!(
            "<tr><td>#{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            line.number,
            line.dialect.name(),
            line.count,
            esc(&line.translation)
        ));
    }
    b.push_str("</tbody></table>");
}

/// One result: title, authors, citation, snippet, PMID.
fn docsum(record: &Record, pmid: u32, n: usize) -> String {
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
        Record::Article(a) => rich(&a.medline.article.title).into_string(),
        Record::Book(_) => esc(record.title()),
    };
    format!(
        "<article class=\"docsum\" data-pmid=\"{pmid}\"><span class=\"position\">{n}.</span> \
         <a class=\"docsum-title\" href=\"/{pmid}/\">{title}</a>\
         <div class=\"docsum-authors\">{}</div><div class=\"docsum-journal-citation\">{}</div>{}\
         <span class=\"docsum-pmid\">PMID: {pmid}</span></article>",
        esc(&authors),
        esc(&cite),
        snippet.map(|s| format!("<div class=\"docsum-snippet\">{}</div>", esc(&s))).unwrap_or_default()
    )
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
    let mut b = format!(
        "<section class=\"results\"><h1 class=\"cited-by-heading\">Cited by <a href=\"/{uid}/\">{}</a></h1>\
         <div class=\"results-amount\"><span class=\"value\">{}</span> results</div>",
        esc(&title),
        thousands(count)
    );
    let offset = (page_number - 1) * size;
    for (i, pmid) in all.iter().enumerate().skip(offset).take(size) {
        let Lookup::Found(stored) = archive.store.get(*pmid)? else { continue };
        b.push_str(&docsum(&stored.parse()?, *pmid, i + 1));
    }
    let url = |p: usize| esc(&format!("/?linkname=pubmed_pubmed_citedin&from_uid={uid}&size={size}&page={p}"));
    pagination(&mut b, page_number, count.div_ceil(size), url);
    b.push_str("</section>");
    Ok(Some(page(&format!("Cited by PMID {uid}"), "", PreEscaped(b))))
}

/// Previous, "Page N of M", Next; `url` gives a page's (escaped) address.
fn pagination(b: &mut String, page_number: usize, pages: usize, url: impl Fn(usize) -> String) {
    let pages = pages.max(1);
    b.push_str("<nav class=\"pagination\" aria-label=\"Pages\">");
    if page_number > 1 {
        b.push_str(&format!("<a class=\"prev\" href=\"{}\">Previous</a>", url(page_number - 1)));
    }
    b.push_str(&format!("<span class=\"page-number\">Page {page_number} of {}</span>", thousands(pages)));
    if page_number < pages {
        b.push_str(&format!("<a class=\"next\" href=\"{}\">Next</a>", url(page_number + 1)));
    }
    b.push_str("</nav>");
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

fn home(archive: &Archive) -> Result<String, EngineError> {
    let stats = archive.store.stats()?;
    Ok(format!(
        "<div class=\"home\"><h1>Medlars</h1><p>{} PubMed records on this machine. Search them with PubMed's query \
         language: <code>alzheimer disease[mh] AND 2020:2024[dp]</code>.</p></div>",
        thousands(stats.records as usize)
    ))
}
