//! `medlars`: the command line. Each subcommand is a thin layer over the engine; this file holds
//! the argument definitions and the dispatch.

mod fetch;
mod ingest;
mod search;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "medlars", version, about = "The whole of PubMed on your own machine.")]
struct Cli {
    /// Where the store lives.
    #[arg(long, global = true, env = "MEDLARS_DATA", default_value = "medlars-data")]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply NLM's PubMed XML files (.xml or .xml.gz; directories are searched) in the order
    /// given: the baseline, then the update files.
    Ingest {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Print records by PMID (`12345`, or `12345.2` for a given version).
    Fetch {
        #[arg(required = true, value_name = "PMID")]
        pmids: Vec<String>,
        #[arg(long, value_enum, default_value_t = FetchFormat::Xml)]
        format: FetchFormat,
    },
    /// Search with PubMed's query language. A query of several lines is a strategy: each line is
    /// one search, `#N` refers to line N, and the last line is the answer.
    Search(search::Args),
    /// Load the MeSH vocabulary (NLM's desc20XX.xml[.gz], and optionally qual20XX.xml[.gz]) for
    /// explosion and automatic term mapping.
    Mesh {
        #[command(subcommand)]
        command: MeshCommand,
    },
    /// Summarise the store: records, deletions, files applied, sizes.
    Stats {
        /// Also print a digest of the whole store (reads every record).
        #[arg(long)]
        digest: bool,
    },
}

#[derive(Subcommand)]
enum MeshCommand {
    /// Replace the loaded vocabulary with these descriptor and qualifier files.
    Load {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FetchFormat {
    /// NLM's bytes inside a PubmedArticleSet, as efetch returns them.
    Xml,
    /// The parsed record model.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let open =
        || engine::Archive::open(&cli.data).with_context(|| format!("cannot open the store in {}", cli.data.display()));
    match cli.command {
        Command::Ingest { paths } => ingest::run(&open()?, &paths),
        Command::Fetch { pmids, format } => fetch::run(&open()?.store, &pmids, format),
        Command::Search(args) => search::run(&open()?, &args),
        Command::Mesh { command: MeshCommand::Load { files } } => {
            let mut archive = open()?;
            let (mut descriptors, mut qualifiers) = (Vec::new(), Vec::new());
            for file in &files {
                let reader = std::fs::File::open(file).with_context(|| format!("{}", file.display()))?;
                let (kind, records) = mesh::read(reader).with_context(|| format!("{}", file.display()))?;
                match kind {
                    mesh::FileKind::Descriptors => descriptors.extend(records),
                    mesh::FileKind::Qualifiers => qualifiers.extend(records),
                }
            }
            archive.load_mesh(&descriptors, &qualifiers)?;
            println!("MeSH loaded: {} descriptors, {} qualifiers", descriptors.len(), qualifiers.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { digest } => {
            let archive = open()?;
            let store = &archive.store;
            let s = store.stats()?;
            println!("store            {}", store.path().display());
            println!("records          {}", s.records);
            if s.versions != s.records {
                println!("versions         {}", s.versions);
            }
            println!("deleted PMIDs    {}", s.deleted);
            println!("files applied    {}", s.files_applied);
            println!("source bytes     {}", s.source_bytes);
            println!("store bytes      {}", s.store_bytes);
            println!("index bytes      {}", archive.index_bytes());
            match archive.mesh() {
                Some(m) => println!("MeSH descriptors {}", m.descriptor_count()?),
                None => println!("MeSH descriptors not loaded"),
            }
            if digest {
                println!("digest           {}", store.digest()?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
