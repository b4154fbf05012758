//! Flags of `casecode export` for the paper: the xlsx workbook, CSV, Markdown and HTML tables.

use std::io::Write;

use clap::Args;

use crate::project::Project;

/// The output flags this file handles, for the "name at least one output" message.
pub const OUTPUT_FLAGS: &[&str] = &[];

/// Paper-table outputs of `casecode export`.
#[derive(Debug, Args)]
pub struct PaperExportArgs {}

/// Writes the paper outputs that were asked for; returns how many files were written.
pub fn run(
    _project: &Project,
    _args: &PaperExportArgs,
    _out: &mut dyn Write,
) -> anyhow::Result<usize> {
    Ok(0)
}
