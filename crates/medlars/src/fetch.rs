//! `medlars fetch`: records by PMID, in any output format (NLM's XML by default).

use std::process::ExitCode;

use anyhow::bail;
use engine::{Lookup, Store, StoredRecord};
use medline::Pmid;

use medline::format::Format;

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

pub fn run(store: &Store, args: &[String], format: Format) -> anyhow::Result<ExitCode> {
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
    crate::write_records(&mut out, format, found.into_iter().map(Ok))?;
    Ok(if missing > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
