//! Commands on the code tree and on codings' codes: add, move, merge and recode, with the
//! checks they share (names, colours, existing codes).

use std::collections::{BTreeMap, BTreeSet};

use super::Command;
use super::apply::new_guid;
use crate::codebook::{CodeTree, valid_color};
use crate::model::{Code, CodeId, CodeRole, CodingId, RoleId, RowKeys, Rows, Summary};
use crate::store::{IdTable, Tx};
use crate::{Error, Result};

pub(super) fn add_code(
    tx: &Tx<'_>,
    parent_id: Option<CodeId>,
    name: &str,
    definition: String,
    color: Option<String>,
    roles: &[RoleId],
) -> Result<Command> {
    let tree = CodeTree::new(tx.read().codes()?);
    if let Some(parent) = parent_id
        && tree.get(parent).is_none()
    {
        return Err(Error::NoSuchCode(parent.to_string()));
    }
    let name = checked_name(name)?;
    if tree.child_named(parent_id, &name).is_some() {
        return Err(Error::Conflict(format!(
            "a code named '{name}' already exists there"
        )));
    }
    let code_id = CodeId(tx.next_id(IdTable::Codes)?);
    let rows = Rows {
        codes: vec![Code {
            id: code_id,
            guid: new_guid(),
            parent_id,
            name,
            definition,
            color: checked_color(color)?,
            memo: String::new(),
            position: tree.next_position(parent_id),
        }],
        code_roles: roles
            .iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|role_id| CodeRole {
                code_id,
                role_id: *role_id,
            })
            .collect(),
        ..Rows::default()
    };
    Command::InsertRows(Box::new(rows)).apply(tx)
}

pub(super) fn move_code(
    tx: &Tx<'_>,
    code_id: CodeId,
    parent_id: Option<CodeId>,
) -> Result<Command> {
    let tree = CodeTree::new(tx.read().codes()?);
    let Some(code) = tree.get(code_id).cloned() else {
        return Err(Error::NoSuchCode(code_id.to_string()));
    };
    if let Some(parent) = parent_id {
        if tree.get(parent).is_none() {
            return Err(Error::NoSuchCode(parent.to_string()));
        }
        if tree.subtree(code_id).contains(&parent) {
            return Err(Error::Conflict(format!(
                "cannot move '{}' into itself or one of its own subcodes",
                tree.path_string(code_id)
            )));
        }
    }
    if code.parent_id == parent_id {
        return Ok(Command::Batch(Vec::new()));
    }
    if tree.child_named(parent_id, &code.name).is_some() {
        return Err(Error::Conflict(format!(
            "a code named '{}' already exists there",
            code.name
        )));
    }
    let moved = Code {
        parent_id,
        position: tree.next_position(parent_id),
        ..code
    };
    Command::UpdateCodes(vec![moved]).apply(tx)
}

pub(super) fn merge_codes(tx: &Tx<'_>, source_id: CodeId, target_id: CodeId) -> Result<Command> {
    let reader = tx.read();
    let tree = CodeTree::new(reader.codes()?);
    let (Some(source), Some(target)) = (tree.get(source_id), tree.get(target_id)) else {
        return Err(Error::NoSuchCode(
            if tree.get(source_id).is_none() {
                source_id
            } else {
                target_id
            }
            .to_string(),
        ));
    };
    if source_id == target_id
        || tree.subtree(source_id).contains(&target_id)
        || tree.subtree(target_id).contains(&source_id)
    {
        return Err(Error::Conflict(format!(
            "cannot merge '{}' into '{}': one contains the other",
            tree.path_string(source_id),
            tree.path_string(target_id)
        )));
    }
    let mut updated = Vec::new();
    let mut position = tree.next_position(Some(target_id));
    for child_id in tree.children(Some(source_id)) {
        let Some(child) = tree.get(*child_id) else {
            continue;
        };
        if tree.child_named(Some(target_id), &child.name).is_some() {
            return Err(Error::Conflict(format!(
                "cannot merge: both '{}' and '{}' have a subcode named '{}'",
                source.name, target.name, child.name
            )));
        }
        updated.push(Code {
            parent_id: Some(target_id),
            position,
            ..child.clone()
        });
        position += 1;
    }
    if !source.memo.is_empty() {
        let mut merged_target = target.clone();
        let separator = if merged_target.memo.is_empty() {
            ""
        } else {
            "\n"
        };
        merged_target.memo = format!(
            "{}{separator}［統合元「{}」のメモ］{}",
            merged_target.memo, source.name, source.memo
        );
        updated.push(merged_target);
    }
    let mut moves = Vec::new();
    let mut duplicates = Vec::new();
    // A source coding identical to one of the target's is dropped; summaries that linked it
    // link the surviving coding instead.
    let mut survivor: BTreeMap<CodingId, CodingId> = BTreeMap::new();
    for coding in reader.codings_of_code(source_id)? {
        match reader.find_coding(target_id, coding.document_id, coding.span, &coding.coder)? {
            Some(kept) => {
                duplicates.push(coding.id);
                survivor.insert(coding.id, kept.id);
            }
            None => moves.push((coding.id, target_id)),
        }
    }
    let mut roles: BTreeSet<RoleId> = reader.roles_of_code(target_id)?.into_iter().collect();
    let before = roles.len();
    roles.extend(reader.roles_of_code(source_id)?);
    let role_change = if roles.len() != before {
        vec![(target_id, roles.into_iter().collect())]
    } else {
        Vec::new()
    };
    // Summaries and marks of the source's cells move to the target's; where the target's cell
    // already has a summary, the source's text is appended and the links are joined.
    let mut summary_steps = Vec::new();
    let now = tx.now()?;
    for summary in reader.summaries_of_code(source_id)? {
        let mut links: Vec<CodingId> = reader
            .summary_links(summary.id)?
            .into_iter()
            .map(|id| survivor.get(&id).copied().unwrap_or(id))
            .collect();
        links.sort();
        links.dedup();
        match reader.summary(summary.case_id, target_id)? {
            Some(existing) => {
                let mut joined = reader.summary_links(existing.id)?;
                joined.extend(links);
                joined.sort();
                joined.dedup();
                summary_steps.push(Command::ReplaceSummary {
                    summary: Summary {
                        text: format!(
                            "{}\n［統合元「{}」］{}",
                            existing.text, source.name, summary.text
                        ),
                        updated_at: now.clone(),
                        ..existing
                    },
                    links: joined,
                });
            }
            None => summary_steps.push(Command::ReplaceSummary {
                summary: Summary {
                    code_id: target_id,
                    ..summary
                },
                links,
            }),
        }
    }
    let mut marks = Vec::new();
    for state in reader.cell_states()? {
        if state.code_id == source_id && reader.cell_state(state.case_id, target_id)?.is_none() {
            marks.push((state.case_id, target_id, Some(state.mark)));
        }
    }
    let mut steps = vec![
        Command::UpdateCodes(updated),
        Command::ReassignCodings(moves),
        Command::SetCodeRoles(role_change),
        Command::SetCellStates(marks),
    ];
    steps.extend(summary_steps);
    steps.push(Command::DeleteRows(RowKeys {
        codes: vec![source_id],
        codings: duplicates,
        ..RowKeys::default()
    }));
    Command::Batch(steps).apply(tx)
}

pub(super) fn existing_code(tx: &Tx<'_>, code_id: CodeId) -> Result<Code> {
    tx.read()
        .code(code_id)?
        .ok_or_else(|| Error::NoSuchCode(code_id.to_string()))
}

/// Names are trimmed and must not be empty.
pub(super) fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Conflict("a name is empty".to_owned()));
    }
    Ok(name.to_owned())
}

pub(super) fn checked_color(color: Option<String>) -> Result<Option<String>> {
    match color {
        Some(color) if !valid_color(&color) => Err(Error::Conflict(format!(
            "'{color}' is not a colour; write #RRGGBB"
        ))),
        Some(color) => Ok(Some(color.to_ascii_uppercase())),
        None => Ok(None),
    }
}

/// Points codings at another code, refusing one that would duplicate a coding already there
/// (the same code, span and coder).
pub(super) fn recode_codings(
    tx: &Tx<'_>,
    coding_ids: &[CodingId],
    code_id: CodeId,
) -> Result<Command> {
    let reader = tx.read();
    if reader.code(code_id)?.is_none() {
        return Err(Error::NoSuchCode(code_id.to_string()));
    }
    let mut moves = Vec::with_capacity(coding_ids.len());
    let mut taken = BTreeSet::new();
    for coding_id in coding_ids {
        let Some(coding) = reader.coding(*coding_id)? else {
            return Err(Error::NoSuchCoding(coding_id.0));
        };
        if coding.code_id == code_id {
            continue;
        }
        let key = (
            coding.document_id,
            coding.span.start,
            coding.span.end,
            coding.coder.clone(),
        );
        let duplicate = reader
            .codings_of_document(coding.document_id)?
            .iter()
            .any(|other| {
                other.code_id == code_id
                    && (
                        other.document_id,
                        other.span.start,
                        other.span.end,
                        other.coder.clone(),
                    ) == key
            });
        if duplicate || !taken.insert(key) {
            return Err(Error::Conflict(format!(
                "coding {} cannot take that code: the span [{}, {}) already has it from the same coder",
                coding_id.0, coding.span.start, coding.span.end
            )));
        }
        moves.push((*coding_id, code_id));
    }
    Command::ReassignCodings(moves).apply(tx)
}

/// Places `code_id` among its siblings just before `before` (or last): the siblings are
/// numbered again in their new order, and only the codes whose position changed are written.
/// `before` must be a sibling; placing a code before itself changes nothing.
pub(super) fn reorder_code(
    tx: &Tx<'_>,
    code_id: CodeId,
    before: Option<CodeId>,
) -> Result<Command> {
    let tree = CodeTree::new(tx.read().codes()?);
    let Some(code) = tree.get(code_id) else {
        return Err(Error::NoSuchCode(code_id.to_string()));
    };
    let siblings = tree.children(code.parent_id);
    if let Some(before_id) = before
        && !siblings.contains(&before_id)
    {
        return Err(Error::Conflict(format!(
            "'{}' and '{}' are not under the same code: move the code there first",
            tree.path_string(code_id),
            tree.path_string(before_id)
        )));
    }
    if before == Some(code_id) {
        return Ok(Command::Batch(Vec::new()));
    }
    let mut order: Vec<CodeId> = siblings
        .iter()
        .copied()
        .filter(|sibling| *sibling != code_id)
        .collect();
    let at = before
        .and_then(|before_id| order.iter().position(|sibling| *sibling == before_id))
        .unwrap_or(order.len());
    order.insert(at, code_id);
    let changed: Vec<Code> = order
        .iter()
        .enumerate()
        .filter_map(|(position, sibling)| {
            let code = tree.get(*sibling)?;
            (code.position != position as i64).then(|| Code {
                position: position as i64,
                ..code.clone()
            })
        })
        .collect();
    if changed.is_empty() {
        return Ok(Command::Batch(Vec::new()));
    }
    Command::UpdateCodes(changed).apply(tx)
}
