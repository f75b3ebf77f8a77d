//! `medlars search`: a query or strategy run against the archive; prints the count, the
//! translation and warnings, then the hits.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use engine::{Archive, Lookup, SearchOptions, Sort};
use medline::Record;
use medline::format::Format;

#[derive(clap::Args)]
pub struct Args {
    /// The query, in PubMed's syntax (quote it for the shell). Several lines make a strategy.
    #[arg(required_unless_present = "file", value_name = "QUERY")]
    query: Option<String>,
    /// Read the query or strategy from a file instead.
    #[arg(long, value_name = "PATH", conflicts_with = "query")]
    file: Option<PathBuf>,
    /// relevance (best match), pub-date, most-recent, first-author, last-author, journal, title.
    #[arg(long, default_value = "relevance", value_parser = parse_sort)]
    sort: Sort,
    /// How many hits to show.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// How many hits to skip first.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Print only the number of hits.
    #[arg(long)]
    count: bool,
    /// ids (one PMID per line), summary (a line per hit), json (the search as one object), or a
    /// record format for every hit, streamed: xml, jsonl, medline, abstract, csv, ama, apa, mla,
    /// nlm, ris, bibtex, csl-json (the count and translation then go to standard error).
    #[arg(long, default_value = "summary", value_parser = parse_output)]
    format: Output,
    /// Print the search cache's figures (answers reused and computed in this run) to standard
    /// error at the end.
    #[arg(long)]
    cache_stats: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Ids,
    Summary,
    Json,
    Records(Format),
}

fn parse_output(name: &str) -> Result<Output, String> {
    match name {
        "ids" => Ok(Output::Ids),
        "summary" => Ok(Output::Summary),
        "json" => Ok(Output::Json),
        other => crate::parse_format(other).map(Output::Records),
    }
}

/// Hits fetched per round when every hit is written.
const PAGE: usize = 1_000;

fn parse_sort(name: &str) -> Result<Sort, String> {
    Sort::from_name(name).ok_or_else(|| {
        let names: Vec<String> = Sort::all().map(|s| s.label().to_ascii_lowercase().replace(' ', "-")).collect();
        format!("unknown sort {name:?}: use {} (or PubMed's names: date, pubdate, fauth, ...)", names.join(", "))
    })
}

pub fn run(archive: &Archive, args: &Args) -> anyhow::Result<ExitCode> {
    let code = search(archive, args)?;
    if args.cache_stats {
        let s = archive.cache_stats();
        eprintln!(
            "search cache: {} answers reused, {} computed, {} held ({} bytes of {}), {} evicted; filter sets {} bytes, year sets {} bytes, sort orders {} bytes",
            s.hits, s.misses, s.entries, s.bytes, s.budget, s.evictions, s.filter_bytes, s.year_bytes, s.order_bytes
        );
    }
    Ok(code)
}

fn search(archive: &Archive, args: &Args) -> anyhow::Result<ExitCode> {
    let text = match (&args.query, &args.file) {
        (_, Some(path)) => std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?,
        (Some(q), None) => q.clone(),
        (None, None) => unreachable!("clap requires one"),
    };
    let limit = match args.format {
        _ if args.count => 0,
        Output::Records(_) => PAGE,
        _ => args.limit,
    };
    let options = SearchOptions { sort: args.sort, limit, offset: args.offset, today: engine::today() };
    let outcome = archive.search(&text, &options)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.count {
        writeln!(out, "{}", outcome.count)?;
        for w in &outcome.warnings {
            eprintln!("warning: {w}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.format == Output::Json {
        let json = serde_json::json!({
            "count": outcome.count,
            "translation": outcome.lines.last().map(|l| l.translation.clone()),
            "lines": outcome.lines.iter().map(|l| serde_json::json!({
                "number": l.number,
                "dialect": l.dialect.name(),
                "translation": l.translation,
                "count": l.count,
            })).collect::<Vec<_>>(),
            "warnings": outcome.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "pmids": outcome.pmids,
        });
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut header = String::new();
    // Each line's count and PubMed translation; which syntax each was read in once any is Ovid's.
    let ovid = outcome.lines.iter().any(|l| l.dialect == query::Dialect::Ovid);
    if outcome.lines.len() > 1 || ovid {
        for line in &outcome.lines {
            let dialect = if ovid { format!("{:<7}", line.dialect.name()) } else { String::new() };
            header.push_str(&format!("#{:<3} {dialect}{:>9}  {}\n", line.number, line.count, line.translation));
        }
    }
    header.push_str(&format!("count: {}\n", outcome.count));
    if let Some(last) = outcome.lines.last() {
        header.push_str(&format!("translation: {}\n", last.translation));
    }
    for w in &outcome.warnings {
        header.push_str(&format!("warning: {w}\n"));
    }
    if let Output::Records(format) = args.format {
        eprint!("{header}");
        crate::write_records(&mut out, format, every_hit(archive, &text, options, outcome.pmids))?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.format == Output::Ids {
        eprint!("{header}");
        for pmid in &outcome.pmids {
            writeln!(out, "{pmid}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    write!(out, "{header}")?;
    for pmid in &outcome.pmids {
        let line = match archive.store.get(*pmid)? {
            Lookup::Found(r) => summary_line(&r.parse()?),
            _ => String::new(),
        };
        writeln!(out, "{pmid}\t{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The stored records of every hit from `first` (the first page) on, a page at a time.
pub fn every_hit<'a>(
    archive: &'a Archive,
    text: &'a str,
    mut options: SearchOptions,
    first: Vec<u32>,
) -> impl Iterator<Item = anyhow::Result<engine::StoredRecord>> + 'a {
    let mut page = first.into_iter();
    std::iter::from_fn(move || {
        loop {
            let pmid = match page.next() {
                Some(p) => p,
                None => {
                    options.offset += options.limit;
                    match archive.search(text, &options) {
                        Ok(o) if o.pmids.is_empty() => return None,
                        Ok(o) => {
                            page = o.pmids.into_iter();
                            continue;
                        }
                        Err(e) => return Some(Err(e.into())),
                    }
                }
            };
            match archive.store.get(pmid) {
                Ok(Lookup::Found(stored)) => return Some(Ok(stored)),
                Ok(_) => continue,
                Err(e) => return Some(Err(e.into())),
            }
        }
    })
}

/// `2017  Cherin P  J Med Case Rep  Subcutaneous immunoglobulins ...`
fn summary_line(record: &Record) -> String {
    let (year, author, journal) = match record {
        Record::Article(a) => {
            let m = &a.medline;
            let date = &m.article.journal.pub_date;
            let year = date.year.clone().or_else(|| date.medline_date.as_ref().map(|d| d.chars().take(4).collect()));
            let author = m.article.authors.as_ref().and_then(|l| l.authors.first()).map(medline::format::short_name);
            (year, author, m.journal_info.medline_ta.clone())
        }
        Record::Book(b) => (b.book.book.pub_date.year.clone(), None, Some(b.book.book.title.text.clone())),
    };
    format!(
        "{}\t{}\t{}\t{}",
        year.unwrap_or_default(),
        author.unwrap_or_default(),
        journal.unwrap_or_default(),
        record.title()
    )
}
