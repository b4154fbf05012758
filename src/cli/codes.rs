//! `casecode code add|rename|move|merge|delete|edit`: the code tree from the command line, each
//! change one undoable command.

use anyhow::bail;
use clap::Subcommand;

use crate::command::Command;
use crate::project::Project;

#[derive(Debug, Subcommand)]
pub(super) enum CodeAction {
    /// Add a code; PATH is the full path, its parents must exist ('カテゴリー/サブ/[焦点コード]').
    Add {
        path: String,
        #[arg(long, default_value = "")]
        definition: String,
        /// #RRGGBB
        #[arg(long)]
        color: Option<String>,
        /// Roles, comma separated: ROLE or FRAME/ROLE.
        #[arg(long, value_delimiter = ',')]
        roles: Vec<String>,
    },
    /// Rename a code.
    Rename { code: String, name: String },
    /// Move a code under another parent (or to the top with --top).
    Move {
        code: String,
        #[arg(long, conflicts_with = "top")]
        to: Option<String>,
        #[arg(long)]
        top: bool,
    },
    /// Merge SOURCE into TARGET: segments, subcodes and roles move, SOURCE is deleted.
    Merge { source: String, target: String },
    /// Delete a code with its subcodes and all their segments.
    Delete { code: String },
    /// Change a code's definition, colour, memo or roles.
    Edit {
        code: String,
        #[arg(long)]
        definition: Option<String>,
        #[arg(long)]
        color: Option<String>,
        #[arg(long)]
        memo: Option<String>,
        #[arg(long, value_delimiter = ',')]
        roles: Option<Vec<String>>,
    },
}

/// Turns a code action into its command and runs it; returns the command's label.
pub(super) fn code_action(project: &mut Project, action: CodeAction) -> anyhow::Result<String> {
    let roles =
        |project: &Project, names: &[String]| -> anyhow::Result<Vec<crate::model::RoleId>> {
            Ok(names
                .iter()
                .filter(|name| !name.trim().is_empty())
                .map(|name| project.resolve_role(name))
                .collect::<crate::Result<_>>()?)
        };
    let command = match action {
        CodeAction::Add {
            path,
            definition,
            color,
            roles: role_names,
        } => {
            let (parent_id, name) = match path.rsplit_once(crate::codebook::PATH_SEPARATOR) {
                Some((parent, name)) => (Some(project.resolve_code(parent)?), name.to_owned()),
                None => (None, path.clone()),
            };
            Command::AddCode {
                parent_id,
                name,
                definition,
                color,
                roles: roles(project, &role_names)?,
            }
        }
        CodeAction::Rename { code, name } => Command::RenameCode {
            code_id: project.resolve_code(&code)?,
            name,
        },
        CodeAction::Move { code, to, top } => {
            let parent_id = match (to, top) {
                (Some(parent), false) => Some(project.resolve_code(&parent)?),
                (None, true) => None,
                _ => bail!("give --to PARENT or --top"),
            };
            Command::MoveCode {
                code_id: project.resolve_code(&code)?,
                parent_id,
            }
        }
        CodeAction::Merge { source, target } => Command::MergeCodes {
            source_id: project.resolve_code(&source)?,
            target_id: project.resolve_code(&target)?,
        },
        CodeAction::Delete { code } => {
            let code_id = project.resolve_code(&code)?;
            let tree = project.code_tree()?;
            let subtree = tree.subtree(code_id);
            let segments = project
                .read()
                .codings()?
                .iter()
                .filter(|coding| subtree.contains(&coding.code_id))
                .count();
            eprintln!(
                "deleting '{}' with {} subcode(s) and {segments} segment(s) (undo with `casecode undo`)",
                tree.path_string(code_id),
                subtree.len() - 1
            );
            Command::DeleteCode { code_id }
        }
        CodeAction::Edit {
            code,
            definition,
            color,
            memo,
            roles: role_names,
        } => Command::EditCode {
            code_id: project.resolve_code(&code)?,
            definition,
            color: color.map(|color| (!color.is_empty()).then_some(color)),
            memo,
            roles: role_names.map(|names| roles(project, &names)).transpose()?,
        },
    };
    Ok(project.execute(command)?)
}
