//! Single-value edits, the same ones the workbench's side panels make in place: `memo` writes
//! or prints the memo of the project, a case, a document, a code or a coding; `attribute` sets
//! or clears one case's value of one attribute, checked against the attribute's kind.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::{Args, Subcommand};

use super::matrix::case_id;
use super::open;
use crate::command::Command;
use crate::model::{CodingId, MemoTarget};
use crate::project::Project;

/// The subcommands of this file, flattened into the top level.
#[derive(Debug, Subcommand)]
pub enum EditCommand {
    /// Write (or with --show print) the memo of the project, a case, a document, a code or a
    /// coding. Give exactly one of --project-memo, --case, --document, --code, --coding.
    Memo {
        project: PathBuf,
        #[command(flatten)]
        target: MemoArgs,
        /// The memo text (an empty text removes the memo).
        #[arg(long, required_unless_present = "show", conflicts_with = "show")]
        text: Option<String>,
        /// Print the memo instead of writing it.
        #[arg(long)]
        show: bool,
    },
    /// Set one case's value of one attribute (checked against its type), or clear it.
    Attribute {
        project: PathBuf,
        #[arg(long)]
        case: String,
        /// The attribute's name (e.g. 勤務年数).
        #[arg(long)]
        name: String,
        /// The new value: an integer, number, date (2024-08-05, 2024年8月5日) or text.
        #[arg(long, required_unless_present = "clear", conflicts_with = "clear")]
        value: Option<String>,
        /// Remove the value.
        #[arg(long)]
        clear: bool,
    },
}

/// Which memo: exactly one of these.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct MemoArgs {
    /// The project's own memo.
    #[arg(long = "project-memo")]
    project_memo: bool,
    /// A case by name.
    #[arg(long)]
    case: Option<String>,
    /// A document by name.
    #[arg(long)]
    document: Option<String>,
    /// A code: a unique name or the full path joined with '/'.
    #[arg(long)]
    code: Option<String>,
    /// A coding by id (see `casecode list PROJECT codings`).
    #[arg(long)]
    coding: Option<i64>,
}

impl MemoArgs {
    fn target(&self, project: &Project) -> anyhow::Result<(MemoTarget, String)> {
        Ok(match self {
            MemoArgs {
                case: Some(name), ..
            } => (
                MemoTarget::Case(case_id(project, name)?),
                format!("case {name}"),
            ),
            MemoArgs {
                document: Some(name),
                ..
            } => (
                MemoTarget::Document(project.document_named(name)?.id),
                format!("document {name}"),
            ),
            MemoArgs {
                code: Some(code), ..
            } => (
                MemoTarget::Code(project.resolve_code(code)?),
                format!("code {code}"),
            ),
            MemoArgs {
                coding: Some(coding),
                ..
            } => (
                MemoTarget::Coding(CodingId(*coding)),
                format!("coding {coding}"),
            ),
            MemoArgs {
                project_memo: true, ..
            } => (MemoTarget::Project, "the project".to_owned()),
            _ => bail!(
                "give one of --project-memo, --case NAME, --document NAME, --code CODE, --coding ID"
            ),
        })
    }
}

/// Runs one of these subcommands.
pub fn run(command: EditCommand, coder: Option<&str>, out: &mut impl Write) -> anyhow::Result<()> {
    match command {
        EditCommand::Memo {
            project,
            target,
            text,
            show,
        } => {
            let mut project = open(&project, coder)?;
            let (target, described) = target.target(&project)?;
            if show {
                let Some(memo) = project.read().memo(target)? else {
                    bail!("{described}: not in the project");
                };
                writeln!(out, "{memo}")?;
                return Ok(());
            }
            let label = project.execute(Command::SetMemo {
                target,
                text: text.unwrap_or_default(),
            })?;
            writeln!(out, "{label}: {described}")?;
        }
        EditCommand::Attribute {
            project,
            case,
            name,
            value,
            clear,
        } => {
            let mut project = open(&project, coder)?;
            let case_id = case_id(&project, &case)?;
            let Some(attribute) = project
                .read()
                .attributes()?
                .into_iter()
                .find(|attribute| attribute.name == name.trim())
            else {
                bail!("no attribute named '{name}' (see `casecode list PROJECT cases`)");
            };
            let value = if clear { None } else { value };
            let label = project.execute(Command::SetAttributeValue {
                case_id,
                attribute_id: attribute.id,
                value,
            })?;
            let stored = project
                .read()
                .attribute_values()?
                .into_iter()
                .find(|stored| stored.case_id == case_id && stored.attribute_id == attribute.id)
                .map_or_else(|| "(none)".to_owned(), |stored| stored.value);
            writeln!(out, "{label}: {case} {name} = {stored}")?;
        }
    }
    Ok(())
}
