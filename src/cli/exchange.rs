//! REFI-QDA exchange from the command line: `casecode export --qdpx/--qdc`.

use std::io::Write;

use clap::Args;

use crate::project::Project;

/// The output flags this file handles, for the "name at least one output" message.
pub const OUTPUT_FLAGS: &[&str] = &[];

/// REFI-QDA outputs of `casecode export`.
#[derive(Debug, Args)]
pub struct ExchangeExportArgs {}

/// Writes the exchange files that were asked for; returns how many files were written.
pub fn run(
    _project: &Project,
    _args: &ExchangeExportArgs,
    _out: &mut dyn Write,
) -> anyhow::Result<usize> {
    Ok(0)
}
