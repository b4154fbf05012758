//! `casecode import`: transcripts from files and folders (.txt in any encoding, .docx), with
//! opt-in cleanup filters, as one undoable command. Prints what was imported, what was skipped
//! (why) and the warnings.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;

use super::open;
use crate::import::txt::{TxtFlags, collect_transcripts};

/// The transcript import subcommand.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import transcripts: .txt and .docx files, or folders of them (read recursively).
    Import {
        project: PathBuf,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Case of every imported document (default: each file's stem).
        #[arg(long)]
        case: Option<String>,
        /// auto | utf-8 | shift_jis | cp932 | euc-jp | utf-16le | utf-16be (.txt only)
        #[arg(long, default_value = "auto")]
        encoding: String,
        /// Speaker label regex with a group `speaker`, matched at line start (repeatable;
        /// replaces the defaults), e.g. '(?P<speaker>母|父)：'.
        #[arg(long = "speaker-pattern")]
        speaker_patterns: Vec<String>,
        /// Cleanup filters, comma separated: aozora (ruby 《》 and ［＃…］ notes), timestamps
        /// ([00:12:34], (00:12), （00:12:34）), nucc-header (＠ lines become case attributes).
        #[arg(long = "filter", value_name = "NAMES")]
        filters: Vec<String>,
        /// Remove lines matching this regex (page headers and footers); repeatable.
        #[arg(long = "drop-lines", value_name = "REGEX")]
        drop_lines: Vec<String>,
    },
}

/// Runs the import; errors change nothing in the project.
pub fn run(
    command: ImportCommand,
    coder: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let ImportCommand::Import {
        project,
        paths,
        case,
        encoding,
        speaker_patterns,
        filters,
        drop_lines,
    } = command;
    let options = TxtFlags {
        encoding,
        case,
        speaker_patterns,
        filters,
        drop_lines,
    }
    .options()
    .map_err(anyhow::Error::msg)?;
    let mut project = open(&project, coder)?;
    let collected = collect_transcripts(&paths, &options)?;
    for warning in &collected.warnings {
        eprintln!("warning: {warning}");
    }
    if collected.documents.is_empty() {
        let names: Vec<String> = paths
            .iter()
            .map(|path| path.display().to_string())
            .collect();
        bail!("no transcripts (.txt, .docx) found in {}", names.join(", "));
    }
    let summary: Vec<String> = collected
        .documents
        .iter()
        .map(|document| {
            let filters = if document.metadata.filters.is_empty() {
                String::new()
            } else {
                format!("; filters: {}", document.metadata.filters.join(", "))
            };
            format!(
                "{} ({} chars, {}, {} utterances{filters})",
                document.name,
                document.text.chars().count(),
                if document.metadata.format == "docx" {
                    "docx"
                } else {
                    &document.encoding
                },
                document.utterances.len()
            )
        })
        .collect();
    let count = collected.documents.len();
    let attributes = collected.attributes.as_ref().map(|table| {
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|column| format!("{}:{}", column.name, column.kind.as_str()))
            .collect();
        format!(
            "set {} attribute(s) from ＠ headers for {} case(s): {}",
            columns.len(),
            table.rows.len(),
            columns.join(", ")
        )
    });
    let warnings = collected.warnings.len().saturating_sub(collected.skipped);
    let source: Vec<String> = paths
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    let skipped = collected.skipped;
    project.execute(collected.into_command(source.join(", ")))?;
    writeln!(
        out,
        "imported {count} document(s) into {}:",
        project.path().display()
    )?;
    for line in summary {
        writeln!(out, "  {line}")?;
    }
    if let Some(attributes) = attributes {
        writeln!(out, "{attributes}")?;
    }
    writeln!(
        out,
        "skipped {} file(s), {warnings} warning(s){}",
        skipped,
        if skipped + warnings > 0 {
            " (listed above)"
        } else {
            ""
        }
    )?;
    Ok(())
}
