//! `medlars fetch`: records by PMID, as NLM's XML or as the JSON of the model.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use engine::{Lookup, Store, StoredRecord};
use medline::Pmid;

use crate::FetchFormat;

/// `12345` (the current version) or `12345.2`.
fn parse_pmid(arg: &str) -> anyhow::Result<(u32, Option<u32>)> {
    let (id, version) = match arg.split_once('.') {
        Some((id, v)) => (id, Some(v)),
        None => (arg, None),
    };
    let id = id.trim().parse::<u32>().ok().filter(|&n| n > 0);
    let version = version.map(|v| v.parse::<u32>().ok().filter(|&n| n > 0));
    match (id, version) {
        (Some(id), None) => Ok((id, None)),
        (Some(id), Some(Some(v))) => Ok((id, Some(v))),
        _ => bail!("{arg:?} is not a PMID (a positive whole number, optionally .VERSION)"),
    }
}

pub fn run(store: &Store, args: &[String], format: FetchFormat) -> anyhow::Result<ExitCode> {
    let mut found: Vec<StoredRecord> = Vec::new();
    let mut missing = 0;
    for arg in args {
        let (id, version) = parse_pmid(arg)?;
        let lookup = match version {
            Some(version) => store.get_version(Pmid { id, version })?,
            None => store.get(id)?,
        };
        match lookup {
            Lookup::Found(record) => found.push(record),
            Lookup::Deleted { file_seq } => {
                missing += 1;
                let file = store.files()?.into_iter().find(|f| f.seq == file_seq);
                let by = file.map(|f| f.path).unwrap_or_else(|| format!("file #{file_seq}"));
                eprintln!("error: PMID {arg} was deleted by {by}");
            }
            Lookup::Absent => {
                missing += 1;
                eprintln!("error: PMID {arg} is not in the store");
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        FetchFormat::Xml => {
            let mut buf = Vec::from(medline::xml::HEADER);
            for record in &found {
                medline::xml::write_record(&mut buf, record.element, &record.xml);
            }
            buf.extend_from_slice(medline::xml::FOOTER.as_bytes());
            out.write_all(&buf)?;
        }
        FetchFormat::Json => {
            let records = found.iter().map(|r| r.parse()).collect::<Result<Vec<_>, _>>()?;
            serde_json::to_writer_pretty(&mut out, &records).context("writing JSON")?;
            out.write_all(b"\n")?;
        }
    }
    Ok(if missing > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
