//! Imports as commands: transcripts (cases created by name where missing), attribute tables
//! (typed, widened when values need it) and codebooks (frames, roles and the code tree merged
//! into the project's). Each compiles to `InsertRows` and friends, so its inverse is exact.

use std::collections::{BTreeMap, BTreeSet};

use super::apply::{Ids, new_guid};
use super::codes::{checked_color, checked_name};
use super::{AttributeTable, Command, NewDocument};
use crate::codebook::{CodeSpec, CodeTree, Codebook, FrameSpec, PATH_SEPARATOR, resolve_role};
use crate::import::attributes::{canonical_value, widen};
use crate::model::{
    Attribute, AttributeId, Case, CaseId, Code, CodeId, CodeRole, Document, DocumentId,
    DocumentInfo, Frame, FrameId, Role, RoleId, Rows, Utterance,
};
use crate::store::{IdTable, Tx};
use crate::{Error, Result};

/// Finds cases by name, planning new ones where missing.
struct CasePlanner {
    existing: BTreeMap<String, CaseId>,
    ids: Ids,
    created: Vec<Case>,
}

impl CasePlanner {
    fn new(tx: &Tx<'_>) -> Result<CasePlanner> {
        Ok(CasePlanner {
            existing: tx
                .read()
                .cases()?
                .into_iter()
                .map(|case| (case.name, case.id))
                .collect(),
            ids: Ids::of(tx, IdTable::Cases)?,
            created: Vec::new(),
        })
    }

    fn case_id(&mut self, name: &str) -> Result<CaseId> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Conflict("a case name is empty".to_owned()));
        }
        if let Some(case_id) = self.existing.get(name) {
            return Ok(*case_id);
        }
        let case_id = CaseId(self.ids.take());
        self.existing.insert(name.to_owned(), case_id);
        self.created.push(Case {
            id: case_id,
            guid: new_guid(),
            name: name.to_owned(),
            memo: String::new(),
        });
        Ok(case_id)
    }
}

pub(super) fn import_documents(tx: &Tx<'_>, documents: Vec<NewDocument>) -> Result<Command> {
    let now = tx.now()?;
    let mut cases = CasePlanner::new(tx)?;
    let mut ids = Ids::of(tx, IdTable::Documents)?;
    let mut names = BTreeSet::new();
    let mut rows = Rows::default();
    for document in documents {
        let name = document.name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::Conflict(format!(
                "{}: the document name is empty",
                document.source_path
            )));
        }
        if tx.read().document_by_name(&name)?.is_some() || !names.insert(name.clone()) {
            return Err(Error::Conflict(format!(
                "{}: a document named '{name}' already exists in the project",
                document.source_path
            )));
        }
        let document_id = DocumentId(ids.take());
        let case_id = cases.case_id(&document.case_name)?;
        rows.utterances
            .extend(document.utterances.into_iter().map(|utterance| Utterance {
                document_id,
                number: utterance.number,
                speaker: utterance.speaker,
                start: utterance.start,
                text_start: utterance.text_start,
                end: utterance.end,
            }));
        rows.documents.push(Document {
            info: DocumentInfo {
                id: document_id,
                guid: new_guid(),
                name,
                case_id,
                chars: document.text.chars().count(),
                encoding: document.encoding,
                source_path: document.source_path,
                memo: String::new(),
                imported_at: now.clone(),
                metadata: document.metadata,
            },
            text: document.text,
        });
    }
    rows.cases = cases.created;
    Command::InsertRows(Box::new(rows)).apply(tx)
}

pub(super) fn import_attributes(tx: &Tx<'_>, table: AttributeTable) -> Result<Command> {
    let reader = tx.read();
    let existing: BTreeMap<String, Attribute> = reader
        .attributes()?
        .into_iter()
        .map(|attribute| (attribute.name.clone(), attribute))
        .collect();
    let values = reader.attribute_values()?;
    let mut ids = Ids::of(tx, IdTable::Attributes)?;
    let mut position = existing.values().map(|a| a.position + 1).max().unwrap_or(0);
    let mut new_rows = Rows::default();
    let mut changed = Vec::new();
    let mut attribute_ids = Vec::with_capacity(table.columns.len());
    for column in &table.columns {
        match existing.get(&column.name) {
            Some(attribute) => {
                let kind = if column.declared {
                    column.kind
                } else {
                    widen(attribute.kind, column.kind)
                };
                if kind != attribute.kind {
                    // Values already stored for other cases must fit the new kind.
                    for value in values.iter().filter(|v| v.attribute_id == attribute.id) {
                        if canonical_value(kind, &value.value).is_none() {
                            return Err(Error::Conflict(format!(
                                "attribute '{}' cannot become {}: the stored value '{}' does not fit",
                                column.name,
                                kind.as_str(),
                                value.value
                            )));
                        }
                    }
                    changed.push(Attribute {
                        kind,
                        ..attribute.clone()
                    });
                }
                attribute_ids.push(attribute.id);
            }
            None => {
                let attribute_id = AttributeId(ids.take());
                new_rows.attributes.push(Attribute {
                    id: attribute_id,
                    guid: new_guid(),
                    name: column.name.clone(),
                    kind: column.kind,
                    position,
                });
                position += 1;
                attribute_ids.push(attribute_id);
            }
        }
    }
    let mut cases = CasePlanner::new(tx)?;
    let mut assignments = Vec::new();
    for (case_name, row_values) in &table.rows {
        let case_id = cases.case_id(case_name)?;
        for (attribute_id, value) in attribute_ids.iter().zip(row_values) {
            assignments.push((case_id, *attribute_id, value.clone()));
        }
    }
    new_rows.cases = cases.created;
    Command::Batch(vec![
        Command::InsertRows(Box::new(new_rows)),
        Command::UpdateAttributes(changed),
        Command::SetAttributeValues(assignments),
    ])
    .apply(tx)
}

pub(super) fn import_codebook(tx: &Tx<'_>, codebook: &Codebook) -> Result<Command> {
    let reader = tx.read();
    let mut frames = reader.frames()?;
    let mut roles = reader.roles()?;
    let mut new_rows = Rows::default();
    let mut frame_ids = Ids::of(tx, IdTable::Frames)?;
    let mut role_ids = Ids::of(tx, IdTable::Roles)?;
    for spec in &frames_with_qualified_roles(codebook, &frames, &roles) {
        let frame_id = match frames.iter().find(|frame| frame.name == spec.name) {
            Some(frame) => frame.id,
            None => {
                let frame = Frame {
                    id: FrameId(frame_ids.take()),
                    name: checked_name(&spec.name)?,
                    position: frames.iter().map(|f| f.position + 1).max().unwrap_or(0),
                };
                new_rows.frames.push(frame.clone());
                frames.push(frame);
                frames.last().map_or(FrameId(0), |frame| frame.id)
            }
        };
        for role_name in &spec.roles {
            if !roles
                .iter()
                .any(|r| r.frame_id == frame_id && &r.name == role_name)
            {
                let role = Role {
                    id: RoleId(role_ids.take()),
                    frame_id,
                    name: checked_name(role_name)?,
                    position: roles
                        .iter()
                        .filter(|r| r.frame_id == frame_id)
                        .map(|r| r.position + 1)
                        .max()
                        .unwrap_or(0),
                };
                new_rows.roles.push(role.clone());
                roles.push(role);
            }
        }
    }
    let mut planner = CodePlanner {
        tree: CodeTree::new(reader.codes()?),
        ids: Ids::of(tx, IdTable::Codes)?,
        next_positions: BTreeMap::new(),
        frames: &frames,
        roles: &roles,
        new_rows,
        updated: Vec::new(),
        role_changes: Vec::new(),
    };
    planner.plan(tx, None, &codebook.codes)?;
    Command::Batch(vec![
        Command::InsertRows(Box::new(planner.new_rows)),
        Command::UpdateCodes(planner.updated),
        Command::SetCodeRoles(planner.role_changes),
    ])
    .apply(tx)
}

/// The codebook's frames plus every `FRAME/ROLE` its codes name that exists nowhere yet, so
/// that a file without a frame list (a CSV codebook) still recreates its roles.
fn frames_with_qualified_roles(
    codebook: &Codebook,
    frames: &[Frame],
    roles: &[Role],
) -> Vec<FrameSpec> {
    fn references<'a>(codes: &'a [CodeSpec], out: &mut Vec<&'a str>) {
        for code in codes {
            out.extend(code.roles.iter().map(String::as_str));
            references(&code.children, out);
        }
    }
    let mut specs = codebook.frames.clone();
    let mut named = Vec::new();
    references(&codebook.codes, &mut named);
    for reference in named {
        let Some((frame_name, role_name)) = reference.split_once(PATH_SEPARATOR) else {
            continue;
        };
        let (frame_name, role_name) = (frame_name.trim(), role_name.trim());
        let known = frames.iter().any(|frame| {
            frame.name == frame_name
                && roles
                    .iter()
                    .any(|role| role.frame_id == frame.id && role.name == role_name)
        });
        if known {
            continue;
        }
        match specs.iter_mut().find(|spec| spec.name == frame_name) {
            Some(spec) if spec.roles.iter().any(|role| role == role_name) => {}
            Some(spec) => spec.roles.push(role_name.to_owned()),
            None => specs.push(FrameSpec {
                name: frame_name.to_owned(),
                roles: vec![role_name.to_owned()],
            }),
        }
    }
    specs
}

/// Plans the rows a codebook adds to or changes in the code tree.
struct CodePlanner<'a> {
    tree: CodeTree,
    ids: Ids,
    next_positions: BTreeMap<Option<CodeId>, i64>,
    frames: &'a [Frame],
    roles: &'a [Role],
    new_rows: Rows,
    updated: Vec<Code>,
    role_changes: Vec<(CodeId, Vec<RoleId>)>,
}

impl CodePlanner<'_> {
    fn plan(&mut self, tx: &Tx<'_>, parent_id: Option<CodeId>, specs: &[CodeSpec]) -> Result<()> {
        let mut seen = BTreeSet::new();
        for spec in specs {
            let name = checked_name(&spec.name)?;
            if !seen.insert(name.clone()) {
                return Err(Error::Conflict(format!(
                    "the codebook lists '{name}' twice under the same parent"
                )));
            }
            let color = checked_color(spec.color.clone())?;
            let roles = spec
                .roles
                .iter()
                .map(|role| resolve_role(role, self.frames, self.roles))
                .collect::<Result<BTreeSet<RoleId>>>()?;
            let existing = self.tree.child_named(parent_id, &name);
            let code_id = match existing.and_then(|id| self.tree.get(id).cloned()) {
                Some(mut code) => {
                    let before = code.clone();
                    if !spec.definition.is_empty() {
                        code.definition = spec.definition.clone();
                    }
                    if color.is_some() {
                        code.color = color;
                    }
                    if !spec.memo.is_empty() {
                        code.memo = spec.memo.clone();
                    }
                    if code != before {
                        self.updated.push(code.clone());
                    }
                    let current: BTreeSet<RoleId> =
                        tx.read().roles_of_code(code.id)?.into_iter().collect();
                    if !roles.is_empty() && roles != current {
                        self.role_changes
                            .push((code.id, roles.into_iter().collect()));
                    }
                    code.id
                }
                None => {
                    let code_id = CodeId(self.ids.take());
                    let position = *self
                        .next_positions
                        .entry(parent_id)
                        .or_insert_with(|| self.tree.next_position(parent_id));
                    self.next_positions.insert(parent_id, position + 1);
                    self.new_rows.codes.push(Code {
                        id: code_id,
                        guid: new_guid(),
                        parent_id,
                        name,
                        definition: spec.definition.clone(),
                        color,
                        memo: spec.memo.clone(),
                        position,
                    });
                    self.new_rows.code_roles.extend(
                        roles
                            .into_iter()
                            .map(|role_id| CodeRole { code_id, role_id }),
                    );
                    code_id
                }
            };
            self.plan(tx, Some(code_id), &spec.children)?;
        }
        Ok(())
    }
}
