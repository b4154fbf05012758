//! `casecode export PROJECT …`: one subcommand for every export. Paper tables (xlsx, CSV,
//! Markdown, HTML) take their flags from [`super::paper`], REFI-QDA exchange files (.qdpx,
//! .qdc) from [`super::exchange`]; several outputs may be named in one call.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::{exchange, method_export, open, paper};

/// The arguments of `casecode export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The project to export from.
    pub project: PathBuf,
    #[command(flatten)]
    pub paper: paper::PaperExportArgs,
    #[command(flatten)]
    pub exchange: exchange::ExchangeExportArgs,
    #[command(flatten)]
    pub methods: method_export::MethodExportArgs,
}

/// Writes every output named on the command line and prints one line per file written.
pub fn run(args: &ExportArgs, coder: Option<&str>, out: &mut dyn Write) -> anyhow::Result<()> {
    let project = open(&args.project, coder)?;
    // With --scat, --xlsx and --md name the SCAT worksheet's files, not the paper tables'.
    let mut written = match &args.methods.scat {
        Some(document) => method_export::run_scat(&project, document, &args.paper, out)?,
        None => paper::run(&project, &args.paper, out)?,
    };
    written += exchange::run(&project, &args.exchange, out)?;
    written += method_export::run(&project, &args.methods, out)?;
    if written == 0 {
        bail!(
            "export {}: name at least one output ({})",
            args.project.display(),
            [
                paper::OUTPUT_FLAGS,
                exchange::OUTPUT_FLAGS,
                method_export::OUTPUT_FLAGS,
            ]
            .concat()
            .join(", ")
        );
    }
    Ok(())
}
