//! CLI of the case-code matrix and its cells: summaries (要約), cell marks, exemplar flags.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;

use super::open;
use crate::command::Command;
use crate::model::{CellMark, CodingId};
use crate::project::Project;

/// Subcommands about matrix cells.
#[derive(Debug, Subcommand)]
pub enum MatrixCommand {
    /// Write or remove the 要約 of a cell (case × code).
    Summary {
        project: PathBuf,
        #[command(subcommand)]
        action: SummaryAction,
    },
    /// Flag codings as exemplars (代表的語り) for Table 2, or unflag them.
    Flag {
        project: PathBuf,
        #[arg(long = "coding", required = true, value_delimiter = ',')]
        coding_ids: Vec<i64>,
        /// Flag as exemplar.
        #[arg(long, conflicts_with = "not_exemplar")]
        exemplar: bool,
        /// Remove the flag.
        #[arg(long = "not-exemplar")]
        not_exemplar: bool,
    },
    /// Mark a cell "explicitly negative" (the case says the code does not apply), or clear it.
    Cell {
        project: PathBuf,
        #[arg(long)]
        case: String,
        #[arg(long)]
        code: String,
        /// negative | none
        #[arg(long)]
        state: String,
    },
    /// Write a coding's memo.
    Memo {
        project: PathBuf,
        #[arg(long)]
        coding: i64,
        #[arg(long)]
        text: String,
    },
}

/// What to do with a summary.
#[derive(Debug, Subcommand)]
pub enum SummaryAction {
    /// Write the summary of a cell; `--segments` links the codings that support it.
    Set {
        #[arg(long)]
        case: String,
        #[arg(long)]
        code: String,
        #[arg(long)]
        text: String,
        #[arg(long, value_delimiter = ',')]
        segments: Option<Vec<i64>>,
    },
    /// Remove the summary of a cell.
    Remove {
        #[arg(long)]
        case: String,
        #[arg(long)]
        code: String,
    },
}

/// Runs one matrix subcommand.
pub fn run(
    command: MatrixCommand,
    coder: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match command {
        MatrixCommand::Summary { project, action } => {
            let mut project = open(&project, coder)?;
            let (case, code, text, segments) = match action {
                SummaryAction::Set {
                    case,
                    code,
                    text,
                    segments,
                } => (case, code, text, segments),
                SummaryAction::Remove { case, code } => {
                    (case, code, String::new(), Some(Vec::new()))
                }
            };
            let case_id = case_id(&project, &case)?;
            let code_id = project.resolve_code(&code)?;
            let author = project.coder().to_owned();
            let label = project.execute(Command::SetSummary {
                case_id,
                code_id,
                text,
                coding_ids: segments.map(|ids| ids.into_iter().map(CodingId).collect()),
                author,
            })?;
            writeln!(out, "{label}: {case} × {code}")?;
        }
        MatrixCommand::Flag {
            project,
            coding_ids,
            exemplar,
            not_exemplar,
        } => {
            if exemplar == not_exemplar {
                bail!("give --exemplar or --not-exemplar");
            }
            let mut project = open(&project, coder)?;
            let label = project.execute(Command::SetExemplar {
                coding_ids: coding_ids.into_iter().map(CodingId).collect(),
                exemplar,
            })?;
            writeln!(out, "{label}")?;
        }
        MatrixCommand::Cell {
            project,
            case,
            code,
            state,
        } => {
            let mark = match state.trim() {
                "none" | "" => None,
                other => match CellMark::parse(other) {
                    Some(mark) => Some(mark),
                    None => bail!("--state {other}: use negative or none"),
                },
            };
            let mut project = open(&project, coder)?;
            let case_id = case_id(&project, &case)?;
            let code_id = project.resolve_code(&code)?;
            let label = project.execute(Command::SetCellState {
                case_id,
                code_id,
                mark,
            })?;
            writeln!(out, "{label}: {case} × {code}")?;
        }
        MatrixCommand::Memo {
            project,
            coding,
            text,
        } => {
            let mut project = open(&project, coder)?;
            let label = project.execute(Command::SetCodingMemo {
                coding_id: CodingId(coding),
                memo: text,
            })?;
            writeln!(out, "{label}")?;
        }
    }
    Ok(())
}

/// A case by name.
pub(crate) fn case_id(project: &Project, name: &str) -> anyhow::Result<crate::model::CaseId> {
    match project.read().case_by_name(name.trim())? {
        Some(case) => Ok(case.id),
        None => Err(crate::Error::NoSuchCase(name.to_owned()).into()),
    }
}
