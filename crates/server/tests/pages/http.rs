//! The pages' content and behaviour over HTTP.

use engine::Sort;

use medline::format::cite;

use crate::{feature_expectations, fixture, links, normalize, request, seed_sections, visible_text};

fn get(path: &str) -> crate::Response {
    request(fixture().expect("the test checked the fixture first").addr, "GET", path, None)
}

#[test]
fn seed_record_page_shows_each_section_of_pubmeds_page() {
    let Some(f) = fixture() else { return };
    let shared = f.shared.as_path();
    for path in ["/28257650/", "/28257650"] {
        let page = get(path);
        assert_eq!(page.status, 200, "{path}");
        let text = visible_text(&page.body);
        for (section, expected) in seed_sections(shared) {
            assert!(text.contains(&expected), "{path}: the {section} \"{expected}\" is missing from:\n{text}");
        }
    }
    // The heading is the title exactly as PubMed's page shows it.
    let page = get("/28257650/");
    let h1 = page.body.split("<h1").nth(1).and_then(|h| h.split_once('>')).unwrap().1.split("</h1>").next().unwrap();
    let title = seed_sections(shared).into_iter().find(|(s, _)| *s == "title").unwrap().1;
    assert_eq!(visible_text(h1), title);
    // Each reference's DOI is a link, as on PubMed's page.
    let dois: Vec<String> = links(&page.body).into_iter().filter(|(t, _)| t == "DOI").map(|(_, h)| h).collect();
    assert!(dois.contains(&"https://doi.org/10.1007/s11926-011-0176-8".to_owned()), "{dois:?}");
    assert_eq!(dois.len(), 5, "one per reference: {dois:?}");
    // "Cite" gives the four styles, and links to the files reference managers import.
    let Some(medline::Record::Article(a)) = f.records.get(&28257650) else { panic!("the seed is an article") };
    let text = visible_text(&page.body);
    for citation in [cite::ama(a), cite::apa(a), cite::mla(a), cite::nlm(a)] {
        assert!(text.contains(&normalize(&citation)), "{citation}");
    }
    let nbib = get("/download?id=28257650&format=medline");
    assert_eq!(nbib.status, 200);
    assert_eq!(nbib.header("content-type"), Some("text/plain; charset=UTF-8"));
    assert!(nbib.header("content-disposition").is_some_and(|d| d.starts_with("attachment;") && d.ends_with(".nbib\"")));
    assert!(nbib.body.starts_with("\nPMID- 28257650\n"));
}

#[test]
fn record_pages_show_every_section_the_record_has() {
    let Some(f) = fixture() else { return };
    let expectations = feature_expectations(f);
    assert!(expectations.len() >= 9);
    for e in expectations {
        let page = get(&format!("/{}/", e.pmid));
        assert_eq!(page.status, 200);
        let text = visible_text(&page.body);
        for t in &e.texts {
            assert!(text.contains(t.as_str()), "PMID {} ({}): \"{t}\" is missing", e.pmid, e.feature);
        }
        let found = links(&page.body);
        for (label, href) in &e.links {
            let label = normalize(label);
            assert!(
                found.iter().any(|(t, h)| *t == label && h == href),
                "PMID {} ({}): no link \"{label}\" to {href}",
                e.pmid,
                e.feature
            );
        }
    }
}

#[test]
fn cited_by_lists_citing_records_of_the_archive() {
    let Some(f) = fixture() else { return };
    let (cited, by) =
        f.citing().into_iter().filter(|(c, _)| f.records.contains_key(c)).max_by_key(|(_, b)| b.len()).unwrap();
    assert!(by.len() > 5);
    let page = get(&format!("/{cited}/"));
    let section = page.body.split("<section id=\"cited-by\">").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(visible_text(section).contains(&format!("{} articles in this archive", by.len())));
    let shown: Vec<u32> = links(section).iter().map(|(_, h)| h.trim_matches('/').parse().unwrap_or(0)).collect();
    let shown: Vec<u32> = shown.into_iter().filter(|p| *p != 0).collect();
    assert_eq!(shown.len(), 5);
    assert!(shown.iter().all(|p| by.contains(p)), "{shown:?} are not all among {by:?}");
    // "See all": PubMed's cited-by list, every citing record, page by page.
    let all_link = links(section).into_iter().find(|(t, _)| t == "see all").expect("a see-all link").1;
    assert_eq!(all_link, format!("/?linkname=pubmed_pubmed_citedin&from_uid={cited}"));
    let first = get(&all_link);
    assert_eq!(count_of(&first.body), by.len());
    let mut listed = std::collections::BTreeSet::new();
    for page in 1..=by.len().div_ceil(20) {
        listed.extend(docsums(&get(&format!("{all_link}&size=20&page={page}")).body));
    }
    assert_eq!(listed, by);
    assert_eq!(get("/?linkname=pubmed_pubmed_citedin&from_uid=1999999999").status, 404);
}

#[test]
fn hostile_markup_shows_as_text_and_inline_markup_renders() {
    let Some(_) = fixture() else { return };
    let first = get("/99000001/");
    let second = get("/99000002/");
    for page in [&first, &second] {
        assert_eq!(page.status, 200);
        let main = &page.body[page.body.find("<main>").unwrap()..];
        // Every tag in the page body is one the page itself writes, with no event handlers.
        let mut rest = main;
        while let Some(open) = rest.find('<') {
            let tag = &rest[open + 1..open + rest[open..].find('>').unwrap()];
            let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap();
            assert!(!["script", "img", "iframe", "object", "embed"].contains(&name), "<{tag}> in the page");
            for attribute in tag.split_whitespace().skip(1) {
                assert!(!attribute.to_ascii_lowercase().starts_with("on"), "handler in <{tag}>");
            }
            rest = &rest[open + 1..];
        }
    }
    let text = visible_text(&first.body);
    assert!(text.contains("Escaped <script>alert(\"title\")</script> and \"><img src=x onerror=alert(1)> in a title"));
    assert!(text.contains("Department of \"><script>alert(3)</script>, Nowhere."));
    assert!(visible_text(&second.body).contains("Element <script>alert(\"element\")</script> and <img src=\"x\""));
    for markup in [
        "<i>in vivo</i>",
        "CO<sub>2</sub>",
        "x<sup>2</sup>",
        "<b>bold</b>",
        "<math><msup><mi>e</mi><mn>2</mn></msup></math>",
    ] {
        assert!(first.body.contains(markup), "{markup} does not render");
    }
}

#[test]
fn unknown_or_malformed_addresses_get_a_clear_404() {
    let Some(f) = fixture() else { return };
    let absent = (1..).find(|p| !f.records.contains_key(p)).unwrap();
    let page = get(&format!("/{absent}/"));
    assert_eq!(page.status, 404);
    assert!(visible_text(&page.body).contains(&format!("PMID {absent} is not in this archive.")));
    let page = get("/not-a-pmid/");
    assert_eq!(page.status, 404);
    assert!(visible_text(&page.body).contains("\"not-a-pmid\" is not a PMID."));
    assert_eq!(get("/no/such/page").status, 404);
}

/// The PMIDs of a results page's docsums, in order.
fn docsums(html: &str) -> Vec<u32> {
    html.split("<article class=\"docsum\" data-pmid=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

fn count_of(html: &str) -> usize {
    let text = visible_text(html);
    let before = text.split(" results").next().unwrap();
    before.rsplit(' ').next().unwrap().replace(',', "").parse().unwrap_or_else(|_| panic!("no count in {text}"))
}

#[test]
fn results_match_the_engine_for_every_sort_size_and_page() {
    let Some(f) = fixture() else { return };
    let query = "alzheimer disease";
    let term = "alzheimer+disease";
    for (sort, name) in [
        (Sort::Relevance, ""),
        (Sort::EntryDate, "date"),
        (Sort::PubDate, "pubdate"),
        (Sort::FirstAuthor, "fauth"),
        (Sort::Journal, "jour"),
    ] {
        for (page, size) in [(1, 10), (2, 10), (3, 50), (1, 200)] {
            let html = get(&format!("/?term={term}&sort={name}&page={page}&size={size}")).body;
            let (count, pmids) = f.search(query, sort, (page - 1) * size, size);
            assert_eq!(count_of(&html), count);
            assert_eq!(docsums(&html), pmids, "sort {name:?}, page {page}, size {size}");
        }
    }
    let html = get(&format!("/?term={term}")).body;
    let text = visible_text(&html);
    assert!(text.contains("Search details"));
    let options = engine::SearchOptions { sort: Sort::Relevance, limit: 0, offset: 0, today: engine::today() };
    let translation = f.archive().search(query, &options).unwrap().lines[0].translation.clone();
    assert!(text.contains(&normalize(&translation)));
    // Each docsum shows title, authors, citation and PMID of its record.
    let first = docsums(&html)[0];
    let Some(medline::Record::Article(a)) = f.records.get(&first) else { panic!("an article") };
    assert!(text.contains(&normalize(&a.medline.article.title.text)));
    assert!(text.contains(&format!("PMID: {first}")));
    let au = &a.medline.article.authors.as_ref().unwrap().authors[0];
    assert!(text.contains(&format!("{} {}", au.last_name.as_ref().unwrap(), au.initials.as_ref().unwrap())));
}

#[test]
fn each_filter_count_is_the_count_after_applying_it() {
    let Some(f) = fixture() else { return };
    for term in ["cancer", "alzheimer+disease"] {
        let html = get(&format!("/?term={term}")).body;
        let filters: Vec<(String, usize)> = html
            .split("data-filter=\"")
            .skip(1)
            .map(|s| {
                let value = s[..s.find('"').unwrap()].to_owned();
                let count = s.split("<span class=\"count\">(").nth(1).unwrap();
                (value, count[..count.find(')').unwrap()].parse().unwrap())
            })
            .collect();
        assert!(filters.len() >= 20, "{filters:?}");
        let with = |filter: &str| count_of(&get(&format!("/?term={term}&filter={filter}")).body);
        for (value, count) in &filters {
            assert_eq!(with(value), *count, "{term}: filter {value}");
        }
        // The article-type filter is the query ANDed with the type, as the engine counts it.
        let review = f.search(&format!("({}) AND review[pt]", term.replace('+', " ")), Sort::Relevance, 0, 0).0;
        assert_eq!(with("pubt.review"), review);
        // Two filters combine.
        let both =
            f.search(&format!("(({}) AND review[pt]) AND humans[mh]", term.replace('+', " ")), Sort::Relevance, 0, 0);
        assert_eq!(count_of(&get(&format!("/?term={term}&filter=pubt.review&filter=hum_ani.humans")).body), both.0);

        // The timeline's bars: each year's count is the count of the year's filter page.
        let bars: Vec<(u32, usize, String)> = html
            .split("class=\"year-bar\" data-year=\"")
            .skip(1)
            .map(|s| {
                let title = s.split("<title>").nth(1).unwrap();
                let (year, n) = title[..title.find('<').unwrap()].split_once(": ").unwrap();
                (year.parse().unwrap(), n.parse().unwrap(), year.to_owned())
            })
            .collect();
        assert!(!bars.is_empty(), "{term}: a timeline");
        for (year, n, _) in &bars {
            let page = get(&format!("/?term={term}&filter=years.{year}-{year}")).body;
            assert_eq!(count_of(&page), *n, "{term}: {year}");
        }
    }
    // A custom range becomes the years filter.
    let page = get("/?term=cancer&from=2010&to=2015");
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/?term=cancer&filter=years.2010-2015"));
}

#[test]
fn save_downloads_every_hit_in_the_chosen_format() {
    let Some(f) = fixture() else { return };
    let page = get("/?term=alzheimer+disease&filter=pubt.review");
    let save = links(&page.body).into_iter().find(|(t, _)| t == "RIS").expect("a Save RIS link").1;
    let ris = get(&save.replace(' ', "+").replace('#', "%23"));
    assert_eq!(ris.status, 200);
    let count = f.search("(alzheimer disease) AND (review[pt])", Sort::Relevance, 0, 0).0;
    assert_eq!(ris.body.matches("\nER  - ").count() + usize::from(ris.body.starts_with("ER  - ")), count);
    let pmids = get("/download?term=alzheimer+disease&filter=pubt.review&format=pmid&sort=pubdate");
    let listed: Vec<u32> = pmids.body.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(listed, f.search("(alzheimer disease) AND (review[pt])", Sort::PubDate, 0, 10_000).1);
    assert_eq!(get("/download?id=28257650&format=docx").status, 400);
    assert_eq!(get("/download?id=abc&format=ris").status, 400);
    assert_eq!(get("/download?format=ris").status, 400);
}

#[test]
fn bad_queries_and_parameters_get_clear_answers() {
    let Some(_) = fixture() else { return };
    let page = get("/?term=%28cancer+AND");
    assert_eq!(page.status, 400);
    let text = visible_text(&page.body);
    assert!(text.contains("Your query could not be searched"), "{text}");
    assert!(text.contains("position"), "{text}");
    let deep = format!("/?term={}cancer", "%28".repeat(10_000));
    assert_eq!(get(&deep).status, 400);
    // Nonsense paging and sorting fall back to the defaults.
    let normal = docsums(&get("/?term=cancer").body);
    let odd = docsums(&get("/?term=cancer&page=abc&size=7&sort=nonsense").body);
    assert_eq!(normal, odd);
    let beyond = get("/?term=cancer&page=999999");
    assert_eq!(beyond.status, 200);
    assert!(docsums(&beyond.body).is_empty());
    assert_eq!(get("/?term=").status, 200);
}

#[test]
fn an_ovid_strategy_runs_with_each_lines_dialect_count_and_translation() {
    let Some(f) = fixture() else { return };
    let strategy = "exp Dementia/\ndementia$.ti,ab.\n1 or 2\nlimit 3 to english language";
    let encoded: String = form_urlencoded::byte_serialize(strategy.as_bytes()).collect();
    let page = get(&format!("/?term={encoded}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(count_of(&page.body), f.search(strategy, Sort::Relevance, 0, 0).0);
    let text = visible_text(&page.body);
    assert!(text.contains("#1 Ovid"), "{text}");
    assert!(text.contains("#4 Ovid"), "{text}");
    assert!(text.contains("#3 AND \"english\"[Language]"), "{text}");
    // A filter on it joins as one more line, of PubMed's syntax.
    let filtered = get(&format!("/?term={encoded}&filter=pubt.review"));
    let expected = f.search(&format!("{strategy}\n#4 AND (review[pt])"), Sort::Relevance, 0, 0).0;
    assert_eq!(count_of(&filtered.body), expected);
    // ESearch translates it as PubMed's syntax.
    let esearch = get("/entrez/eutils/esearch.fcgi?db=pubmed&term=exp+Dementia/&rettype=count");
    assert!(esearch.body.contains(&format!("<Count>{}</Count>", f.search("dementia[mh]", Sort::Relevance, 0, 0).0)));
    let full = get("/entrez/eutils/esearch.fcgi?db=pubmed&term=(hip+adj3+pain).ti,ab.");
    let translation = "<QueryTranslation>\"hip pain\"[Title/Abstract:~2]</QueryTranslation>";
    assert!(full.body.contains(translation), "{}", full.body);
    assert!(!full.body.contains(".ti,ab."), "no suffix is a phrase not found: {}", full.body);
}

#[test]
fn history_numbers_searches_and_combines_them() {
    let Some(f) = fixture() else { return };
    let first = request(f.addr, "GET", "/?term=cancer", None);
    let cookie = first.header("set-cookie").expect("a session cookie").split(';').next().unwrap().to_owned();
    let get = |path: &str| request(f.addr, "GET", path, Some(&cookie));
    get("/?term=cancer&page=2"); // the same search: no new number
    get("/?term=alzheimer+disease&filter=pubt.review");
    let combined = get("/?term=%231+AND+%232");
    let expected = f.search("(cancer) AND ((alzheimer disease) AND (review[pt]))", Sort::Relevance, 0, 0).0;
    assert_eq!(count_of(&combined.body), expected);
    let advanced = visible_text(&get("/advanced/").body);
    assert!(advanced.contains("#3"), "{advanced}");
    assert!(advanced.contains("#2 AND OR NOT alzheimer disease Filters: Review"), "{advanced}");
    assert!(!advanced.contains("#4"));
    // A strategy's `#N` are its own lines, not the history's.
    let strategy = get("/?term=cancer%0Aalzheimer+disease%0A%231+AND+%232");
    assert_eq!(count_of(&strategy.body), f.search("cancer\nalzheimer disease\n#1 AND #2", Sort::Relevance, 0, 0).0);
    // A later search names the strategy (#4) as the one query it means: its lines were once
    // pasted into the later query as text, unbalancing its parentheses.
    let naming = get("/?term=%234+NOT+heart");
    let expected = f.search("(cancer AND alzheimer disease) NOT heart", Sort::Relevance, 0, 0).0;
    assert_eq!(count_of(&naming.body), expected);
    let shown = visible_text(&naming.body);
    assert!(!shown.contains("has no )") && !shown.contains("with no ("), "{shown}");
    // Another browser has its own history.
    let other = request(f.addr, "GET", "/?term=%231", None);
    assert_eq!(other.status, 400);
    assert!(visible_text(&other.body).contains("#1 is not in your search history"));
    // The builder adds a fielded term, and "Search" runs what it built.
    let built = get("/advanced/?query=%231&add=2020%3A2024&field=dp&op=NOT&action=add");
    assert!(built.body.contains("(#1) NOT (2020:2024[Date - Publication])"));
    let run = get("/advanced/?query=%231&add=2020%3A2024&field=dp&op=NOT&action=search");
    assert_eq!(run.status, 303);
    let location = run.header("location").unwrap().to_owned();
    assert_eq!(crate::percent_decoded(&location), "/?term=(#1) NOT (2020:2024[Date - Publication])");
    let expected = f.search("(cancer) NOT (2020:2024[dp])", Sort::Relevance, 0, 0).0;
    assert_eq!(count_of(&get(&location).body), expected);
    // Deleting the history forgets it.
    assert_eq!(request(f.addr, "POST", "/advanced/clear", Some(&cookie)).status, 303);
    assert_eq!(get("/?term=%231").status, 400);
}

#[test]
fn status_shows_the_search_cache_reused() {
    let Some(_) = fixture() else { return };
    for _ in 0..2 {
        assert_eq!(get("/?term=amyloid+plaques&sort=date").status, 200);
    }
    let status = get("/status");
    assert_eq!(status.status, 200);
    assert!(status.headers.to_ascii_lowercase().contains("content-type: application/json"), "{}", status.headers);
    let json: serde_json::Value = serde_json::from_str(&status.body).unwrap();
    let cache = &json["search_cache"];
    assert!(cache["hits"].as_u64().unwrap() >= 1, "the second search page was answered from the cache: {cache}");
    assert!(cache["misses"].as_u64().unwrap() >= 1, "{cache}");
    assert!(cache["filter_sets"].as_u64().unwrap() >= 20, "the sidebar's filters are kept: {cache}");
}

#[test]
fn every_response_carries_the_security_headers() {
    let Some(_) = fixture() else { return };
    for path in [
        "/",
        "/?term=amyloid",
        "/28257650/",
        "/no/such/page",
        "/entrez/eutils/esearch.fcgi?db=pubmed&term=%3Cscript%3Ealert(1)%3C/script%3E&retmode=json",
        "/entrez/eutils/efetch.fcgi?db=pubmed&id=28257650&rettype=xml",
        "/status",
    ] {
        let response = get(path);
        let headers = response.headers.to_ascii_lowercase();
        for expected in [
            "x-content-type-options: nosniff",
            "content-security-policy: default-src 'none'; style-src 'unsafe-inline'",
            "frame-ancestors 'none'",
            "x-frame-options: deny",
            "referrer-policy: no-referrer",
        ] {
            assert!(headers.contains(expected), "{path}: no {expected:?} in\n{}", response.headers);
        }
    }
}
