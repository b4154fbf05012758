//! `casecode scat PROJECT --doc A …`: the SCAT worksheet of one document — create it, print
//! it, write 〈1〉–〈5〉 of a row and the three free-text blocks, split and join rows, and turn
//! a row's 〈4〉 theme into a code that codes the row's text.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::open;
use crate::command::{Command, ScatCommand};
use crate::methods::scat::ScatWorksheet;
use crate::model::{SCAT_HEADINGS, ScatField};
use crate::project::Project;

/// The subcommand of this file, flattened into the top level.
#[derive(Debug, Subcommand)]
pub enum ScatCli {
    /// SCAT worksheets (大谷尚): init | show | set --row N --step 1..5 TEXT | storyline TEXT |
    /// theory TEXT | issues TEXT | split | join | theme-code | remove.
    Scat {
        project: PathBuf,
        /// The document (transcript) by name.
        #[arg(long)]
        doc: String,
        /// Print the worksheet (or the changed row) as JSON.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        action: ScatAction,
    },
}

/// What to do with the worksheet.
#[derive(Debug, Subcommand)]
pub enum ScatAction {
    /// Create the worksheet: one row per utterance.
    Init,
    /// Print the worksheet.
    Show,
    /// Write step 〈1〉–〈5〉 of row N (an empty TEXT clears it).
    Set {
        #[arg(long)]
        row: usize,
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
        step: u8,
        text: String,
    },
    /// Write the ストーリー・ライン.
    Storyline { text: String },
    /// Write the 理論記述.
    Theory { text: String },
    /// Write さらに追究すべき点・課題.
    Issues { text: String },
    /// Cut row N in two, AT characters into its text.
    Split {
        #[arg(long)]
        row: usize,
        #[arg(long)]
        at: usize,
    },
    /// Join row N with the next row.
    Join {
        #[arg(long)]
        row: usize,
    },
    /// Make row N's 〈4〉 theme (or --name) a code and code the row's text with it.
    ThemeCode {
        #[arg(long)]
        row: usize,
        /// The code's name (default: the row's 〈4〉 text).
        #[arg(long)]
        name: Option<String>,
        /// Where the code goes (a code name or path; default: the top level).
        #[arg(long)]
        parent: Option<String>,
    },
    /// Delete the worksheet (undoable like everything else).
    Remove,
}

/// Runs `casecode scat`.
pub fn run(command: ScatCli, coder: Option<&str>, out: &mut impl Write) -> anyhow::Result<()> {
    let ScatCli::Scat {
        project,
        doc,
        json,
        action,
    } = command;
    let mut project = open(&project, coder)?;
    let document_id = project.document_named(&doc)?.id;
    let mut changed_row = None;
    let command = match action {
        ScatAction::Show => {
            let worksheet = ScatWorksheet::load(project.read(), &doc)?;
            return print_worksheet(&worksheet, json, out);
        }
        ScatAction::Init => ScatCommand::Init { document_id },
        ScatAction::Set { row, step, text } => {
            changed_row = Some(row);
            ScatCommand::SetStep {
                document_id,
                row,
                step: usize::from(step),
                text,
            }
        }
        ScatAction::Storyline { text } => field(document_id, ScatField::Storyline, text),
        ScatAction::Theory { text } => field(document_id, ScatField::Theory, text),
        ScatAction::Issues { text } => field(document_id, ScatField::Issues, text),
        ScatAction::Split { row, at } => {
            changed_row = Some(row);
            ScatCommand::SplitRow {
                document_id,
                row,
                at,
            }
        }
        ScatAction::Join { row } => {
            changed_row = Some(row);
            ScatCommand::JoinRows { document_id, row }
        }
        ScatAction::ThemeCode { row, name, parent } => {
            let parent_id = match &parent {
                Some(parent) => Some(project.resolve_code(parent)?),
                None => None,
            };
            ScatCommand::ThemeToCode {
                document_id,
                row,
                name,
                parent_id,
                coder: project.coder().to_owned(),
            }
        }
        ScatAction::Remove => ScatCommand::Remove { document_id },
    };
    let label = project.execute(Command::Scat(command))?;
    report(&project, &doc, &label, changed_row, json, out)
}

fn field(document_id: crate::model::DocumentId, field: ScatField, text: String) -> ScatCommand {
    ScatCommand::SetField {
        document_id,
        field,
        text,
    }
}

/// After a change: the label, and the changed row (or, with --json, the row as JSON).
fn report(
    project: &Project,
    doc: &str,
    label: &str,
    changed_row: Option<usize>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let worksheet = ScatWorksheet::load(project.read(), doc).ok();
    let row = changed_row.and_then(|number| {
        worksheet
            .as_ref()
            .and_then(|w| w.rows.get(number.saturating_sub(1)))
    });
    if json {
        let value = match (row, &worksheet) {
            (Some(row), _) => serde_json::to_value(row)?,
            (None, Some(worksheet)) => serde_json::to_value(worksheet)?,
            (None, None) => serde_json::json!({ "done": label }),
        };
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{label}: {doc}")?;
    if let Some(row) = row {
        print_row(row, out)?;
    }
    Ok(())
}

fn print_row(row: &crate::methods::scat::ScatRowView, out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "{:>4}  {}  {}  {}",
        row.number,
        row.speaker,
        row.citation.as_deref().unwrap_or("-"),
        row.text.replace('\n', " ")
    )?;
    for (heading, step) in SCAT_HEADINGS.iter().skip(3).zip(&row.steps) {
        if !step.is_empty() {
            let short: String = heading.chars().take(3).collect();
            writeln!(out, "      {short} {}", step.replace('\n', " / "))?;
        }
    }
    Ok(())
}

fn print_worksheet(
    worksheet: &ScatWorksheet,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, worksheet)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "SCAT {}（事例 {}）: {} rows",
        worksheet.document,
        worksheet.case,
        worksheet.rows.len()
    )?;
    for row in &worksheet.rows {
        print_row(row, out)?;
    }
    for (heading, text) in worksheet.blocks() {
        writeln!(out, "\n{heading}:\n{text}")?;
    }
    if !worksheet.themes_missing_from_storyline.is_empty() {
        writeln!(
            out,
            "\nnot yet in the ストーリー・ライン: {}",
            worksheet.themes_missing_from_storyline.join(", ")
        )?;
    }
    Ok(())
}
