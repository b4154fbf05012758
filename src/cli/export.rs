//! `casecode export PROJECT …`: one subcommand for every export. Paper tables (xlsx, CSV,
//! Markdown, HTML) take their flags from [`super::paper`], REFI-QDA exchange files (.qdpx,
//! .qdc) from [`super::exchange`]; several outputs may be named in one call.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::{exchange, open, paper};

/// The arguments of `casecode export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The project to export from.
    pub project: PathBuf,
    #[command(flatten)]
    pub paper: paper::PaperExportArgs,
    #[command(flatten)]
    pub exchange: exchange::ExchangeExportArgs,
}

/// Writes every output named on the command line and prints one line per file written.
pub fn run(args: &ExportArgs, coder: Option<&str>, out: &mut dyn Write) -> anyhow::Result<()> {
    let project = open(&args.project, coder)?;
    let mut written = paper::run(&project, &args.paper, out)?;
    written += exchange::run(&project, &args.exchange, out)?;
    if written == 0 {
        bail!(
            "export {}: name at least one output ({})",
            args.project.display(),
            [paper::OUTPUT_FLAGS, exchange::OUTPUT_FLAGS]
                .concat()
                .join(", ")
        );
    }
    Ok(())
}
