//! Flags of `casecode export` for the method worksheets: `--scat DOC` (with `--xlsx` and/or
//! `--md`, which then write the SCAT worksheet instead of the paper tables), `--mgta` (.xlsx,
//! .md or .html) and `--diagram` (the 結果図 as .svg or .png).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use super::paper::PaperExportArgs;
use crate::export::methods::diagram::write_diagram;
use crate::export::methods::mgta::write_mgta;
use crate::export::methods::scat::{write_scat_markdown, write_scat_xlsx};
use crate::methods::mgta::MgtaAnalysis;
use crate::methods::scat::ScatWorksheet;
use crate::project::Project;

/// The output flags this file handles, for the "name at least one output" message.
pub const OUTPUT_FLAGS: &[&str] = &["--scat DOC --xlsx|--md", "--mgta", "--diagram"];

/// Method-worksheet outputs of `casecode export`.
#[derive(Debug, Args)]
pub struct MethodExportArgs {
    /// The SCAT worksheet of this document, written to --xlsx (scatform1 layout) and/or --md.
    #[arg(long, value_name = "DOC")]
    pub scat: Option<String>,
    /// The M-GTA analysis worksheets: OUT.xlsx (one sheet per concept), OUT.md or OUT.html.
    #[arg(long, value_name = "OUT")]
    pub mgta: Option<PathBuf>,
    /// The M-GTA 結果図: OUT.svg or OUT.png.
    #[arg(long, value_name = "OUT")]
    pub diagram: Option<PathBuf>,
}

/// Writes the SCAT worksheet named by `--scat` to the paper flags' --xlsx and --md paths.
pub fn run_scat(
    project: &Project,
    document: &str,
    paper: &PaperExportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    if paper.csv.is_some() || paper.matrix_csv.is_some() || paper.html.is_some() {
        bail!("--scat writes a SCAT worksheet to --xlsx and/or --md only");
    }
    if paper.xlsx.is_none() && paper.md.is_none() {
        bail!("--scat {document}: name the output with --xlsx OUT.xlsx and/or --md OUT.md");
    }
    let worksheet = ScatWorksheet::load(project.read(), document)?;
    let mut written = 0;
    if let Some(path) = &paper.xlsx {
        let report = write_scat_xlsx(&worksheet, path)
            .with_context(|| format!("writing the SCAT worksheet of {document}"))?;
        writeln!(
            out,
            "wrote {} (SCAT worksheet {}: {} rows; {} bytes)",
            path.display(),
            report.parts.join(", "),
            worksheet.rows.len(),
            report.bytes
        )?;
        written += 1;
    }
    if let Some(path) = &paper.md {
        let report = write_scat_markdown(&worksheet, path)
            .with_context(|| format!("writing the SCAT worksheet of {document}"))?;
        writeln!(
            out,
            "wrote {} (SCAT worksheet as Markdown; {} bytes)",
            path.display(),
            report.bytes
        )?;
        written += 1;
    }
    Ok(written)
}

/// Writes --mgta and --diagram; returns how many files were written.
pub fn run(
    project: &Project,
    args: &MethodExportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    if args.mgta.is_none() && args.diagram.is_none() {
        return Ok(0);
    }
    let analysis = MgtaAnalysis::load(project.read())?;
    let mut written = 0;
    if let Some(path) = &args.mgta {
        let report = write_mgta(&analysis, path).context("writing the M-GTA worksheets")?;
        // The workbook's parts are its sheets: two, then one per concept.
        let parts = match report.parts.as_slice() {
            [first, second, concepts @ ..] if concepts.len() > 3 => {
                format!("{first}, {second}, {} concept sheets", concepts.len())
            }
            parts => parts.join(", "),
        };
        writeln!(
            out,
            "wrote {} (M-GTA: {parts}; {} bytes)",
            path.display(),
            report.bytes
        )?;
        written += 1;
    }
    if let Some(path) = &args.diagram {
        let report = write_diagram(&analysis.diagram, path).context("writing the 結果図")?;
        writeln!(
            out,
            "wrote {} ({}; {} bytes)",
            path.display(),
            report.parts.join(", "),
            report.bytes
        )?;
        written += 1;
    }
    Ok(written)
}
