//! REFI-QDA exchange from the command line: `casecode export --qdpx/--qdc` and
//! `casecode import-qdpx FILE PROJECT`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::command::Command;
use crate::export::qdpx::{write_qdc, write_qdpx};
use crate::import::qdpx::read_exchange_file;
use crate::project::Project;

/// The output flags this file handles, for the "name at least one output" message.
pub const OUTPUT_FLAGS: &[&str] = &["--qdpx", "--qdc"];

/// REFI-QDA outputs of `casecode export`.
#[derive(Debug, Args)]
pub struct ExchangeExportArgs {
    /// Write a REFI-QDA project (.qdpx: project.qde + sources/) for NVivo, ATLAS.ti, MAXQDA,
    /// QualCoder …
    #[arg(long, value_name = "OUT.qdpx")]
    pub qdpx: Option<PathBuf>,
    /// Write the codebook as a REFI-QDA codebook (.qdc).
    #[arg(long, value_name = "OUT.qdc")]
    pub qdc: Option<PathBuf>,
}

/// Writes the exchange files that were asked for; returns how many files were written.
pub fn run(
    project: &Project,
    args: &ExchangeExportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let mut written = 0;
    if let Some(path) = &args.qdpx {
        let sources =
            write_qdpx(project, path).with_context(|| format!("exporting {}", path.display()))?;
        writeln!(out, "wrote {} ({sources} sources)", path.display())?;
        written += 1;
    }
    if let Some(path) = &args.qdc {
        let codes =
            write_qdc(project, path).with_context(|| format!("exporting {}", path.display()))?;
        writeln!(out, "wrote {} ({codes} codes)", path.display())?;
        written += 1;
    }
    Ok(written)
}

/// REFI-QDA subcommands, flattened into the top level.
#[derive(Debug, Subcommand)]
pub enum ExchangeCommand {
    /// Import a REFI-QDA project (.qdpx) or codebook (.qdc) into a project, as one undoable
    /// command; every element that casecode cannot keep is reported as a warning.
    ImportQdpx {
        /// The .qdpx or .qdc file.
        file: PathBuf,
        /// The casecode project to import into (create it first with `casecode new`).
        project: PathBuf,
    },
}

/// Runs a REFI-QDA subcommand.
pub fn run_command(
    command: ExchangeCommand,
    coder: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        ExchangeCommand::ImportQdpx { file, project } => {
            let mut project = super::open(&project, coder)?;
            let (exchange, warnings) = read_exchange_file(&file)?;
            for warning in &warnings {
                eprintln!("warning: {warning}");
            }
            let counts = exchange.counts();
            let label = project.execute(Command::ImportExchange {
                exchange: Box::new(exchange),
            })?;
            writeln!(out, "{label}: {counts}")?;
            if !warnings.is_empty() {
                writeln!(out, "{} warnings (see above)", warnings.len())?;
            }
        }
    }
    Ok(())
}
