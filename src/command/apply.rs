//! Applying commands. User-facing commands validate, then compile to a batch of primitives;
//! applying a primitive returns its exact inverse, so the inverse of any command is exact too.

use std::collections::{BTreeMap, BTreeSet};

use super::{AttributeTable, Command, NewCoding, NewDocument};
use crate::codebook::{
    CodeSpec, CodeTree, Codebook, FrameSpec, PATH_SEPARATOR, resolve_role, valid_color,
};
use crate::import::attributes::{canonical_value, widen};
use crate::model::{
    Attribute, AttributeId, Case, CaseId, Code, CodeId, CodeRole, Coding, CodingId, Document,
    DocumentId, DocumentInfo, Frame, FrameId, Role, RoleId, RowKeys, Rows, Span, Summary,
    SummaryId, SummarySegment, UserTerm, Utterance,
};
use crate::store::{IdTable, Tx};
use crate::{Error, Result};

impl Command {
    /// Applies the command inside `tx` and returns its inverse.
    pub(crate) fn apply(self, tx: &Tx<'_>) -> Result<Command> {
        match self {
            Command::ImportDocuments { documents } => import_documents(tx, documents),
            Command::ImportAttributes { table } => import_attributes(tx, table),
            Command::ImportCases {
                documents, table, ..
            } => Command::Batch(vec![
                // Attributes first: cases are created in the table's row order.
                Command::ImportAttributes { table },
                Command::ImportDocuments { documents },
            ])
            .apply(tx),
            Command::ImportCodebook { codebook } => import_codebook(tx, &codebook),
            Command::ImportExchange { exchange } => {
                super::import_exchange::import_exchange(tx, *exchange)
            }
            Command::AddCode {
                parent_id,
                name,
                definition,
                color,
                roles,
            } => add_code(tx, parent_id, &name, definition, color, &roles),
            Command::RenameCode { code_id, name } => {
                let mut code = existing_code(tx, code_id)?;
                code.name = checked_name(&name)?;
                Command::UpdateCodes(vec![code]).apply(tx)
            }
            Command::MoveCode { code_id, parent_id } => move_code(tx, code_id, parent_id),
            Command::EditCode {
                code_id,
                definition,
                color,
                memo,
                roles,
            } => {
                let mut code = existing_code(tx, code_id)?;
                if let Some(definition) = definition {
                    code.definition = definition;
                }
                if let Some(color) = color {
                    code.color = checked_color(color)?;
                }
                if let Some(memo) = memo {
                    code.memo = memo;
                }
                let mut steps = vec![Command::UpdateCodes(vec![code])];
                if let Some(roles) = roles {
                    steps.push(Command::SetCodeRoles(vec![(code_id, roles)]));
                }
                Command::Batch(steps).apply(tx)
            }
            Command::MergeCodes {
                source_id,
                target_id,
            } => merge_codes(tx, source_id, target_id),
            Command::DeleteCode { code_id } => {
                existing_code(tx, code_id)?;
                Command::DeleteRows(RowKeys {
                    codes: vec![code_id],
                    ..RowKeys::default()
                })
                .apply(tx)
            }
            Command::AddCodings { codings } => add_codings(tx, codings),
            Command::RecodeCodings {
                coding_ids,
                code_id,
            } => recode_codings(tx, &coding_ids, code_id),
            Command::CodeInVivo {
                parent_id,
                name,
                coding,
            } => {
                let remove_code = add_code(tx, parent_id, &name, String::new(), None, &[])?;
                let tree = CodeTree::new(tx.read().codes()?);
                let Some(code_id) = tree.child_named(parent_id, name.trim()) else {
                    return Err(Error::NoSuchCode(name));
                };
                let remove_coding = add_codings(tx, vec![NewCoding { code_id, ..coding }])?;
                Ok(Command::Batch(vec![remove_coding, remove_code]))
            }
            Command::RemoveCodings { coding_ids } => {
                for coding_id in &coding_ids {
                    if tx.read().coding(*coding_id)?.is_none() {
                        return Err(Error::NoSuchCoding(coding_id.0));
                    }
                }
                Command::DeleteRows(RowKeys {
                    codings: coding_ids,
                    ..RowKeys::default()
                })
                .apply(tx)
            }
            Command::SetSummary {
                case_id,
                code_id,
                text,
                coding_ids,
                author,
            } => set_summary(tx, (case_id, code_id), text, coding_ids, author),
            Command::SetCellState {
                case_id,
                code_id,
                mark,
            } => {
                if tx.read().code(code_id)?.is_none() {
                    return Err(Error::NoSuchCode(code_id.to_string()));
                }
                if !tx.read().cases()?.iter().any(|case| case.id == case_id) {
                    return Err(Error::NoSuchCase(case_id.to_string()));
                }
                Command::SetCellStates(vec![(case_id, code_id, mark)]).apply(tx)
            }
            Command::SetExemplar {
                coding_ids,
                exemplar,
            } => Command::SetExemplars(coding_ids.into_iter().map(|id| (id, exemplar)).collect())
                .apply(tx),
            Command::SetCodingMemo { coding_id, memo } => {
                Command::SetCodingMemos(vec![(coding_id, memo)]).apply(tx)
            }
            Command::AddUserTerms { terms } => {
                let mut changes = Vec::with_capacity(terms.len());
                for term in terms {
                    let term = checked_term(term)?;
                    changes.push((term.surface.clone(), Some(term)));
                }
                Command::SetUserTerms(changes).apply(tx)
            }
            Command::RemoveUserTerms { surfaces } => {
                let known: BTreeSet<String> = tx
                    .read()
                    .user_terms()?
                    .into_iter()
                    .map(|term| term.surface)
                    .collect();
                for surface in &surfaces {
                    if !known.contains(surface) {
                        return Err(Error::Conflict(format!(
                            "'{surface}' is not in the project's user dictionary"
                        )));
                    }
                }
                Command::SetUserTerms(surfaces.into_iter().map(|s| (s, None)).collect()).apply(tx)
            }
            Command::SetAttributeValue {
                case_id,
                attribute_id,
                value,
            } => super::values::set_attribute_value(tx, case_id, attribute_id, value),
            Command::SetMemo { target, text } => {
                super::values::checked_memo_target(tx, target)?;
                Command::SetMemos(vec![(target, text)]).apply(tx)
            }

            Command::InsertRows(rows) => {
                tx.insert_rows(&rows)?;
                Ok(Command::DeleteRows(rows.keys()))
            }
            Command::DeleteRows(keys) => Ok(Command::InsertRows(Box::new(tx.delete_rows(&keys)?))),
            Command::UpdateCodes(codes) => {
                let mut previous = tx.update_codes(&codes)?;
                previous.reverse();
                Ok(Command::UpdateCodes(previous))
            }
            Command::SetCodeRoles(assignments) => {
                let mut previous = Vec::with_capacity(assignments.len());
                for (code_id, roles) in &assignments {
                    previous.push((*code_id, tx.set_code_roles(*code_id, roles)?));
                }
                previous.reverse();
                Ok(Command::SetCodeRoles(previous))
            }
            Command::ReassignCodings(moves) => {
                let mut previous = tx.reassign_codings(&moves)?;
                previous.reverse();
                Ok(Command::ReassignCodings(previous))
            }
            Command::SetAttributeValues(values) => {
                let mut previous = tx.set_attribute_values(&values)?;
                previous.reverse();
                Ok(Command::SetAttributeValues(previous))
            }
            Command::UpdateAttributes(attributes) => {
                let mut previous = tx.update_attributes(&attributes)?;
                previous.reverse();
                Ok(Command::UpdateAttributes(previous))
            }
            Command::ReplaceSummary { summary, links } => {
                let (summary, links) = tx.replace_summary(&summary, &links)?;
                Ok(Command::ReplaceSummary { summary, links })
            }
            Command::SetCellStates(states) => {
                let mut previous = tx.set_cell_states(&states)?;
                previous.reverse();
                Ok(Command::SetCellStates(previous))
            }
            Command::SetExemplars(flags) => {
                let mut previous = tx.set_exemplars(&flags)?;
                previous.reverse();
                Ok(Command::SetExemplars(previous))
            }
            Command::SetCodingMemos(memos) => {
                let mut previous = tx.set_coding_memos(&memos)?;
                previous.reverse();
                Ok(Command::SetCodingMemos(previous))
            }
            Command::SetMemos(memos) => {
                let mut previous = tx.set_memos(&memos)?;
                previous.reverse();
                Ok(Command::SetMemos(previous))
            }
            Command::SetUserTerms(terms) => {
                let mut previous = tx.set_user_terms(&terms)?;
                previous.reverse();
                Ok(Command::SetUserTerms(previous))
            }
            Command::SetRefiGuids(guids) => {
                let mut previous = tx.set_refi_guids(&guids)?;
                previous.reverse();
                Ok(Command::SetRefiGuids(previous))
            }
            Command::Batch(commands) => {
                let mut inverses = Vec::with_capacity(commands.len());
                for command in commands {
                    inverses.push(command.apply(tx)?);
                }
                inverses.reverse();
                Ok(Command::Batch(inverses))
            }
        }
    }
}

/// A new REFI-QDA GUID.
pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Hands out consecutive ids of one table within a transaction.
pub(super) struct Ids(i64);

impl Ids {
    pub(super) fn of(tx: &Tx<'_>, table: IdTable) -> Result<Ids> {
        Ok(Ids(tx.next_id(table)?))
    }

    pub(super) fn take(&mut self) -> i64 {
        self.0 += 1;
        self.0 - 1
    }
}

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

fn import_documents(tx: &Tx<'_>, documents: Vec<NewDocument>) -> Result<Command> {
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

fn import_attributes(tx: &Tx<'_>, table: AttributeTable) -> Result<Command> {
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

fn import_codebook(tx: &Tx<'_>, codebook: &Codebook) -> Result<Command> {
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

fn add_code(
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

fn move_code(tx: &Tx<'_>, code_id: CodeId, parent_id: Option<CodeId>) -> Result<Command> {
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

fn merge_codes(tx: &Tx<'_>, source_id: CodeId, target_id: CodeId) -> Result<Command> {
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

fn add_codings(tx: &Tx<'_>, codings: Vec<NewCoding>) -> Result<Command> {
    let reader = tx.read();
    let now = tx.now()?;
    let mut ids = Ids::of(tx, IdTable::Codings)?;
    let mut documents: BTreeMap<DocumentId, DocumentInfo> = BTreeMap::new();
    let mut codes: BTreeSet<CodeId> = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut rows = Rows::default();
    for coding in codings {
        let document = match documents.get(&coding.document_id) {
            Some(document) => document,
            None => {
                let Some(info) = reader.document_info(coding.document_id)? else {
                    return Err(Error::NoSuchDocument(format!("id {}", coding.document_id)));
                };
                documents.entry(coding.document_id).or_insert(info)
            }
        };
        let span = Span::new(&document.name, document.chars, coding.start, coding.end)?;
        if !codes.contains(&coding.code_id) {
            if reader.code(coding.code_id)?.is_none() {
                return Err(Error::NoSuchCode(format!("id {}", coding.code_id)));
            }
            codes.insert(coding.code_id);
        }
        let coder = coding.coder.trim().to_owned();
        if coder.is_empty() {
            return Err(Error::Conflict("the coder name is empty".to_owned()));
        }
        let key = (coding.code_id, coding.document_id, span, coder.clone());
        if !seen.insert(key)
            || reader
                .find_coding(coding.code_id, coding.document_id, span, &coder)?
                .is_some()
        {
            return Err(Error::Conflict(format!(
                "document '{}' [{}, {}) already has this code from coder '{coder}'",
                document.name, span.start, span.end
            )));
        }
        rows.codings.push(Coding {
            id: CodingId(ids.take()),
            guid: new_guid(),
            document_id: coding.document_id,
            code_id: coding.code_id,
            span,
            coder,
            memo: coding.memo,
            created_at: now.clone(),
            exemplar: false,
        });
    }
    Command::InsertRows(Box::new(rows)).apply(tx)
}

fn set_summary(
    tx: &Tx<'_>,
    (case_id, code_id): (CaseId, CodeId),
    text: String,
    coding_ids: Option<Vec<CodingId>>,
    author: String,
) -> Result<Command> {
    let reader = tx.read();
    let tree = CodeTree::new(reader.codes()?);
    if tree.get(code_id).is_none() {
        return Err(Error::NoSuchCode(code_id.to_string()));
    }
    if !reader.cases()?.iter().any(|case| case.id == case_id) {
        return Err(Error::NoSuchCase(case_id.to_string()));
    }
    let existing = reader.summary(case_id, code_id)?;
    let links = match coding_ids {
        Some(ids) => {
            // A summary links only segments of its own cell: the case's documents, the code or
            // a code below it.
            let subtree = tree.subtree(code_id);
            let mut links = Vec::with_capacity(ids.len());
            for coding_id in ids {
                let Some(coding) = reader.coding(coding_id)? else {
                    return Err(Error::NoSuchCoding(coding_id.0));
                };
                let in_case = reader
                    .document_info(coding.document_id)?
                    .is_some_and(|document| document.case_id == case_id);
                if !in_case || !subtree.contains(&coding.code_id) {
                    return Err(Error::Conflict(format!(
                        "coding {coding_id} is not a segment of this cell (case and code)"
                    )));
                }
                links.push(coding_id);
            }
            links.sort();
            links.dedup();
            links
        }
        None => match &existing {
            Some(summary) => reader.summary_links(summary.id)?,
            None => Vec::new(),
        },
    };
    let now = tx.now()?;
    match existing {
        Some(summary) if text.trim().is_empty() && links.is_empty() => {
            Command::DeleteRows(RowKeys {
                summaries: vec![summary.id],
                ..RowKeys::default()
            })
            .apply(tx)
        }
        Some(summary) => Command::ReplaceSummary {
            summary: Summary {
                text,
                author,
                updated_at: now,
                ..summary
            },
            links,
        }
        .apply(tx),
        None if text.trim().is_empty() && links.is_empty() => Ok(Command::Batch(Vec::new())),
        None => {
            let summary_id = SummaryId(tx.next_id(IdTable::Summaries)?);
            let rows = Rows {
                summaries: vec![Summary {
                    id: summary_id,
                    guid: new_guid(),
                    case_id,
                    code_id,
                    text,
                    author,
                    updated_at: now,
                }],
                summary_segments: links
                    .into_iter()
                    .map(|coding_id| SummarySegment {
                        summary_id,
                        coding_id,
                    })
                    .collect(),
                ..Rows::default()
            };
            Command::InsertRows(Box::new(rows)).apply(tx)
        }
    }
}

/// A user dictionary term: a surface without commas or line breaks (lindera's CSV), a reading
/// in katakana, and a part of speech (名詞 by default).
fn checked_term(term: UserTerm) -> Result<UserTerm> {
    let surface = term.surface.trim().to_owned();
    let reading = term.reading.trim().to_owned();
    let part_of_speech = match term.part_of_speech.trim() {
        "" => "名詞".to_owned(),
        other => other.to_owned(),
    };
    let bad = |field: &str| field.is_empty() || field.contains([',', '\n', '\r', '"']);
    if bad(&surface) || bad(&part_of_speech) {
        return Err(Error::Conflict(format!(
            "'{}' cannot be a dictionary term (empty, or with a comma, quote or line break)",
            term.surface
        )));
    }
    if reading.is_empty()
        || !reading
            .chars()
            .all(|c| ('\u{30A1}'..='\u{30FC}').contains(&c))
    {
        return Err(Error::Conflict(format!(
            "the reading of '{surface}' must be full-width katakana (e.g. イリョウテキケアジ), not '{reading}'"
        )));
    }
    Ok(UserTerm {
        surface,
        part_of_speech,
        reading,
    })
}

fn existing_code(tx: &Tx<'_>, code_id: CodeId) -> Result<Code> {
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
fn recode_codings(tx: &Tx<'_>, coding_ids: &[CodingId], code_id: CodeId) -> Result<Command> {
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
