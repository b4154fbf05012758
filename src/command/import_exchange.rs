//! `ImportExchange`: a REFI-QDA project or codebook read by [`crate::import::qdpx`], applied as
//! one command compiled to the primitives (insert rows, set code roles, set attribute values,
//! set REFI-QDA GUIDs),
//! keeping the file's GUIDs.
//!
//! GUIDs already in the project: a code, case or variable (attribute) with the same GUID — or,
//! failing that, the same name (a code: the same name under the same parent) — is the same
//! thing and is reused as it is (its name, definition, colour and memo are not overwritten; new
//! roles and attribute values are added). A source (document), coding or summary whose GUID is
//! already in the project refuses the whole import: that file, or part of it, was imported
//! before, and casecode never doubles a transcript or a coding.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use uuid::Uuid;

use super::Command;
use super::apply::{Ids, checked_color, checked_name};
use super::exchange::Exchange;
use crate::codebook::CodeTree;
use crate::import::attributes::canonical_value;
use crate::model::{
    Attribute, AttributeId, AttributeKind, Case, CaseId, Code, CodeId, CodeRole, CoderId, CodingId,
    Document, DocumentId, DocumentInfo, Frame, FrameId, MemoTarget, Role, RoleId, RowKeys, Rows,
    Span, Summary, SummaryId, SummarySegment, Utterance,
};
use crate::store::{BulkCoding, IdTable, Tx};
use crate::{Error, Result};

/// Plans the rows of an exchange and applies them; returns the inverse.
pub(super) fn import_exchange(tx: &Tx<'_>, exchange: Exchange) -> Result<Command> {
    let reader = tx.read();
    let file = exchange.file.clone();
    let conflict = |message: String| Error::Conflict(format!("{file}: {message}"));
    let now = tx.now()?;
    let mut rows = Rows::default();

    // Codes: by GUID, else by name under the same parent, else new.
    let tree = CodeTree::new(reader.codes()?);
    let by_guid: BTreeMap<String, CodeId> = (tree.walk().into_iter())
        .filter_map(|id| {
            tree.get(id)
                .map(|code| (code.guid.to_ascii_lowercase(), id))
        })
        .collect();
    let mut code_ids: BTreeMap<String, CodeId> = BTreeMap::new();
    let mut new_codes: BTreeSet<CodeId> = BTreeSet::new();
    let mut ids = Ids::of(tx, IdTable::Codes)?;
    let mut next_position: BTreeMap<Option<CodeId>, i64> = BTreeMap::new();
    let mut new_names: BTreeMap<(Option<CodeId>, String), CodeId> = BTreeMap::new();
    for code in &exchange.codes {
        let parent_id = match &code.parent_guid {
            Some(guid) => Some(*code_ids.get(guid).ok_or_else(|| {
                conflict(format!("code '{}' names an unknown parent", code.name))
            })?),
            None => None,
        };
        let name = checked_name(&code.name)?;
        let existing = by_guid
            .get(&code.guid)
            .copied()
            .or_else(|| tree.child_named(parent_id, &name))
            .or_else(|| new_names.get(&(parent_id, name.clone())).copied());
        let code_id = match existing {
            Some(code_id) => code_id,
            None => {
                let code_id = CodeId(ids.take());
                let position = next_position
                    .entry(parent_id)
                    .or_insert_with(|| tree.next_position(parent_id));
                rows.codes.push(Code {
                    id: code_id,
                    guid: code.guid.clone(),
                    parent_id,
                    name: name.clone(),
                    definition: code.definition.clone(),
                    color: checked_color(code.color.clone())?,
                    memo: code.memo.clone(),
                    position: *position,
                });
                *position += 1;
                new_codes.insert(code_id);
                new_names.insert((parent_id, name), code_id);
                code_id
            }
        };
        code_ids.insert(code.guid.clone(), code_id);
    }

    // Role frames and roles by name; codes join roles (new codes by rows, others by SetCodeRoles).
    let mut frames = reader.frames()?;
    let mut roles = reader.roles()?;
    let mut frame_ids = Ids::of(tx, IdTable::Frames)?;
    let mut role_ids = Ids::of(tx, IdTable::Roles)?;
    let mut added_roles: BTreeMap<CodeId, BTreeSet<RoleId>> = BTreeMap::new();
    for frame in &exchange.frames {
        let frame_name = checked_name(&frame.name)?;
        let frame_id = match frames.iter().find(|frame| frame.name == frame_name) {
            Some(frame) => frame.id,
            None => {
                let frame = Frame {
                    id: FrameId(frame_ids.take()),
                    name: frame_name,
                    position: frames.iter().map(|f| f.position + 1).max().unwrap_or(0),
                };
                rows.frames.push(frame.clone());
                frames.push(frame.clone());
                frame.id
            }
        };
        for role in &frame.roles {
            let (role_name, members) = (checked_name(&role.name)?, &role.code_guids);
            let role_id = match roles
                .iter()
                .find(|r| r.frame_id == frame_id && r.name == role_name)
            {
                Some(role) => role.id,
                None => {
                    let role = Role {
                        id: RoleId(role_ids.take()),
                        frame_id,
                        name: role_name,
                        position: (roles.iter().filter(|r| r.frame_id == frame_id))
                            .map(|r| r.position + 1)
                            .max()
                            .unwrap_or(0),
                    };
                    rows.roles.push(role.clone());
                    roles.push(role.clone());
                    role.id
                }
            };
            for guid in members {
                if let Some(code_id) = code_ids.get(guid) {
                    added_roles.entry(*code_id).or_default().insert(role_id);
                }
            }
        }
    }
    let mut role_changes = Vec::new();
    for (code_id, role_set) in added_roles {
        if new_codes.contains(&code_id) {
            rows.code_roles.extend(
                role_set
                    .into_iter()
                    .map(|role_id| CodeRole { code_id, role_id }),
            );
        } else {
            let mut all: BTreeSet<RoleId> = reader.roles_of_code(code_id)?.into_iter().collect();
            let before = all.len();
            all.extend(role_set);
            if all.len() != before {
                role_changes.push((code_id, all.into_iter().collect()));
            }
        }
    }

    // Variables: by GUID, else by name, else new. A reused attribute keeps its kind; values
    // that do not fit it refuse the import.
    let attributes = reader.attributes()?;
    let mut attribute_ids: BTreeMap<String, (AttributeId, AttributeKind)> = BTreeMap::new();
    let mut ids = Ids::of(tx, IdTable::Attributes)?;
    let mut position = attributes.iter().map(|a| a.position + 1).max().unwrap_or(0);
    for variable in &exchange.variables {
        let existing = attributes
            .iter()
            .find(|a| a.guid.eq_ignore_ascii_case(&variable.guid))
            .or_else(|| attributes.iter().find(|a| a.name == variable.name.trim()));
        let entry = match existing {
            Some(attribute) => (attribute.id, attribute.kind),
            None => {
                let attribute = Attribute {
                    id: AttributeId(ids.take()),
                    guid: variable.guid.clone(),
                    name: checked_name(&variable.name)?,
                    kind: variable.kind,
                    position,
                };
                position += 1;
                rows.attributes.push(attribute.clone());
                (attribute.id, attribute.kind)
            }
        };
        attribute_ids.insert(variable.guid.clone(), entry);
    }

    // Cases: by GUID, else by name, else new.
    let cases = reader.cases()?;
    let mut case_ids: BTreeMap<String, CaseId> = BTreeMap::new();
    let mut ids = Ids::of(tx, IdTable::Cases)?;
    let mut values = Vec::new();
    for case in &exchange.cases {
        let name = checked_name(&case.name)?;
        let existing = (cases
            .iter()
            .find(|c| c.guid.eq_ignore_ascii_case(&case.guid)))
        .or_else(|| cases.iter().find(|c| c.name == name))
        .map(|c| c.id)
        .or_else(|| rows.cases.iter().find(|c| c.name == name).map(|c| c.id));
        let case_id = match existing {
            Some(case_id) => case_id,
            None => {
                let case_id = CaseId(ids.take());
                rows.cases.push(Case {
                    id: case_id,
                    guid: case.guid.clone(),
                    name,
                    memo: case.memo.clone(),
                });
                case_id
            }
        };
        case_ids.insert(case.guid.clone(), case_id);
        for (variable_guid, value) in &case.values {
            let Some((attribute_id, kind)) = attribute_ids.get(variable_guid) else {
                continue;
            };
            let Some(value) = canonical_value(*kind, value) else {
                return Err(conflict(format!(
                    "case '{}': the value '{value}' does not fit attribute kind {}",
                    case.name,
                    kind.as_str()
                )));
            };
            values.push((case_id, *attribute_id, Some(value)));
        }
    }

    // Documents, codings and summaries are new or refuse the import.
    let mut document_ids: BTreeMap<String, (DocumentId, CaseId, usize, String)> = BTreeMap::new();
    // The same by index in the exchange: how its codings name them.
    let mut documents_by_index: Vec<(DocumentId, CaseId, usize, String)> = Vec::new();
    let mut ids = Ids::of(tx, IdTable::Documents)?;
    let known: BTreeSet<String> = (reader.document_infos()?.into_iter())
        .flat_map(|info| {
            [
                info.guid.to_ascii_lowercase(),
                format!("name:{}", info.name),
            ]
        })
        .collect();
    for document in exchange.documents {
        let name = checked_name(&document.name)?;
        if known.contains(&document.guid) || document_ids.contains_key(&document.guid) {
            // The stored text's hash tells the same document from a revised one.
            let revised =
                super::revise::stored_document_differs(tx, &document.guid, &document.text)?;
            return Err(conflict(match revised {
                Some(existing) => format!(
                    "source '{name}' ({}) is already in the project as '{existing}' with another text (a revised version); bring the new text in with `casecode revise --doc {existing} FILE` to keep its codings",
                    document.guid
                ),
                None => format!(
                    "source '{name}' ({}) is already in the project with the same text; casecode does not import a document twice",
                    document.guid
                ),
            }));
        }
        if known.contains(&format!("name:{name}")) {
            return Err(conflict(format!(
                "a document named '{name}' already exists in the project"
            )));
        }
        let Some(case_id) = case_ids.get(&document.case_guid).copied() else {
            return Err(conflict(format!("source '{name}' has no case")));
        };
        let document_id = DocumentId(ids.take());
        let chars = document.text.chars().count();
        document_ids.insert(
            document.guid.clone(),
            (document_id, case_id, chars, name.clone()),
        );
        documents_by_index.push((document_id, case_id, chars, name.clone()));
        rows.utterances
            .extend(document.utterances.into_iter().map(|u| Utterance {
                document_id,
                number: u.number,
                speaker: u.speaker,
                start: u.start,
                text_start: u.text_start,
                end: u.end,
            }));
        rows.documents.push(Document {
            info: DocumentInfo {
                id: document_id,
                guid: document.guid,
                name,
                case_id,
                chars,
                encoding: document.encoding,
                source_path: document.source_path,
                memo: document.memo,
                imported_at: document.imported_at.unwrap_or_else(|| now.clone()),
                metadata: crate::model::DocumentMetadata {
                    format: "qdpx".to_owned(),
                    ..Default::default()
                },
            },
            text: document.text,
        });
    }
    // Codings are checked first (GUIDs new and distinct, source, code and span known); their
    // rows are written after the rest, in chunks, so that a million never sit in memory twice.
    // GUIDs as numbers (the reader gives them canonical): a million strings hashed and kept
    // twice took half a second.
    let known_codings: HashSet<Uuid> = (reader.coding_guids()?.iter())
        .filter_map(|guid| Uuid::parse_str(guid).ok())
        .collect();
    let mut coding_guids: Vec<Uuid> = Vec::with_capacity(exchange.codings.len());
    let cited: HashSet<&str> = (exchange.summaries.iter())
        .flat_map(|summary| summary.coding_guids.iter().map(String::as_str))
        .collect();
    let code_by_index: Vec<Option<CodeId>> = (exchange.codes.iter())
        .map(|code| code_ids.get(&code.guid).copied())
        .collect();
    let coder_name = coder_names(tx, &exchange.guids)?;
    // The project's coder of each coder the codings name, checked when first used.
    let mut coders: Vec<Option<String>> = vec![None; exchange.coders.len()];
    let mut coding_ids: BTreeMap<String, (CodingId, CaseId, CodeId)> = BTreeMap::new();
    let mut ids = Ids::of(tx, IdTable::Codings)?;
    let mut new_ids = Vec::with_capacity(exchange.codings.len());
    for coding in &exchange.codings {
        coding_guids.push(
            Uuid::parse_str(&coding.guid)
                .map_err(|_| conflict(format!("coding {} has no valid GUID", coding.guid)))?,
        );
    }
    // Whether any GUID repeats, told by sorting (on every core) rather than by a set of a
    // million; only then is the first repeat looked for in the file's order.
    let repeats = {
        use rayon::prelude::*;
        let mut sorted = coding_guids.clone();
        sorted.par_sort_unstable();
        sorted.windows(2).any(|pair| pair.first() == pair.last())
    };
    {
        let mut distinct: HashSet<Uuid> = HashSet::new();
        for (coding, guid) in exchange.codings.iter().zip(&coding_guids) {
            if known_codings.contains(guid) || (repeats && !distinct.insert(*guid)) {
                return Err(conflict(format!(
                    "coding {} is already in the project",
                    coding.guid
                )));
            }
            let (Some((_, case_id, chars, name)), Some(Some(code_id))) = (
                documents_by_index.get(coding.document),
                code_by_index.get(coding.code),
            ) else {
                return Err(conflict(format!(
                    "coding {} names an unknown source or code",
                    coding.guid
                )));
            };
            Span::new(name, *chars, coding.start, coding.end)?;
            if let Some(slot) = coders.get_mut(coding.coder)
                && slot.is_none()
            {
                let file_name = exchange.coders.get(coding.coder).map_or("", String::as_str);
                *slot = Some(coder_name(&checked_name(file_name)?));
            }
            let coding_id = CodingId(ids.take());
            if cited.contains(coding.guid.as_str()) {
                coding_ids.insert(coding.guid.clone(), (coding_id, *case_id, *code_id));
            }
            new_ids.push(coding_id);
        }
    }
    let mut summary_rows = Rows::default();
    let mut ids = Ids::of(tx, IdTable::Summaries)?;
    let mut cells = BTreeSet::new();
    let full_tree = CodeTree::new(
        (reader.codes()?.into_iter())
            .chain(rows.codes.iter().cloned())
            .collect(),
    );
    let known_summaries: BTreeSet<String> = (reader.summaries()?.into_iter())
        .map(|summary| summary.guid.to_ascii_lowercase())
        .collect();
    for summary in exchange.summaries {
        let (Some(case_id), Some(code_id)) = (
            case_ids.get(&summary.case_guid),
            code_ids.get(&summary.code_guid),
        ) else {
            continue;
        };
        if known_summaries.contains(&summary.guid) {
            return Err(conflict(format!(
                "the 要約 {} is already in the project",
                summary.guid
            )));
        }
        if reader.summary(*case_id, *code_id)?.is_some() || !cells.insert((*case_id, *code_id)) {
            return Err(conflict(format!(
                "the 要約 {} is for a cell that already has one",
                summary.guid
            )));
        }
        let summary_id = SummaryId(ids.take());
        let subtree = full_tree.subtree(*code_id);
        for guid in &summary.coding_guids {
            if let Some((coding_id, coding_case, coding_code)) = coding_ids.get(guid)
                && coding_case == case_id
                && subtree.contains(coding_code)
            {
                summary_rows.summary_segments.push(SummarySegment {
                    summary_id,
                    coding_id: *coding_id,
                });
            }
        }
        summary_rows.summaries.push(Summary {
            id: summary_id,
            guid: summary.guid,
            case_id: *case_id,
            code_id: *code_id,
            text: summary.text,
            author: coder_name(&summary.author),
            updated_at: summary.updated_at.unwrap_or_else(|| now.clone()),
        });
    }
    summary_rows.summary_segments.sort();
    summary_rows.summary_segments.dedup();
    // The file's GUIDs of users, selections and notes, where the project has none for that key
    // and the GUID is not in use for another.
    let stored = reader.refi_guids()?;
    let mut keys: BTreeSet<(String, String)> = (stored.iter())
        .map(|(kind, key, _)| (kind.clone(), key.clone()))
        .collect();
    let mut used: BTreeSet<String> = stored.into_iter().map(|(_, _, guid)| guid).collect();
    let mut guids = Vec::new();
    for (kind, key, guid) in exchange.guids {
        if !keys.contains(&(kind.clone(), key.clone())) && !used.contains(&guid) {
            keys.insert((kind.clone(), key.clone()));
            used.insert(guid.clone());
            guids.push((kind, key, Some(guid)));
        }
    }
    // The file's project memo: taken where the project has none, added below its own (after a
    // line naming the file) where it has another, so that neither text is lost.
    let mut memos = Vec::new();
    let current = reader.memo(MemoTarget::Project)?.unwrap_or_default();
    let incoming = exchange.project_memo.trim();
    if !incoming.is_empty() && !current.contains(incoming) {
        let memo = if current.trim().is_empty() {
            incoming.to_owned()
        } else {
            format!("{}\n\n―― {file} ――\n{incoming}", current.trim_end())
        };
        memos.push((MemoTarget::Project, memo));
    }

    // GUIDs first: a coder created by the rows takes its User GUID from them.
    let mut inverses = vec![
        Command::SetRefiGuids(guids).apply(tx)?,
        Command::InsertRows(Box::new(rows)).apply(tx)?,
    ];
    // The coders' ids, after the GUIDs: a coder created here takes its User GUID from them.
    let coder_ids: Vec<Option<CoderId>> = (coders.iter())
        .map(|coder| {
            coder
                .as_deref()
                .map(|name| tx.ensure_coder(name))
                .transpose()
        })
        .collect::<Result<_>>()?;
    let mut chunk = Vec::with_capacity(CODINGS_CHUNK.min(new_ids.len()));
    for ((coding, coding_id), guid) in exchange.codings.into_iter().zip(&new_ids).zip(coding_guids)
    {
        let (Some((document_id, _, chars, name)), Some(Some(code_id)), Some(Some(coder_id))) = (
            documents_by_index.get(coding.document),
            code_by_index.get(coding.code),
            coder_ids.get(coding.coder),
        ) else {
            return Err(conflict(format!(
                "coding {} names an unknown source or code",
                coding.guid
            )));
        };
        chunk.push(BulkCoding {
            id: *coding_id,
            guid,
            document_id: *document_id,
            code_id: *code_id,
            span: Span::new(name, *chars, coding.start, coding.end)?,
            coder_id: *coder_id,
            memo: coding.memo,
            created_at: coding.created_at,
            exemplar: coding.exemplar,
        });
        if chunk.len() == CODINGS_CHUNK {
            tx.insert_bulk_codings(&chunk, &now)?;
            chunk.clear();
        }
    }
    tx.insert_bulk_codings(&chunk, &now)?;
    inverses.push(Command::DeleteRows(RowKeys {
        codings: new_ids,
        ..RowKeys::default()
    }));
    inverses.extend([
        Command::InsertRows(Box::new(summary_rows)).apply(tx)?,
        Command::SetCodeRoles(role_changes).apply(tx)?,
        Command::SetAttributeValues(values).apply(tx)?,
        Command::SetMemos(memos).apply(tx)?,
    ]);
    inverses.reverse();
    Ok(Command::Batch(inverses))
}

/// How many codings are written at once.
const CODINGS_CHUNK: usize = 10_000;

/// Maps a file's user name to the project's coder: a REFI-QDA User is matched by GUID first
/// (the file's own GUID for the name, else the name-based one), so a coder renamed in one
/// project is still the same coder in the other; an unmatched name stays as it is.
fn coder_names(
    tx: &Tx<'_>,
    file_guids: &[(String, String, String)],
) -> Result<impl Fn(&str) -> String + use<>> {
    let by_guid: BTreeMap<String, String> = (tx.read().coders()?.into_iter())
        .map(|coder| (coder.guid.to_ascii_lowercase(), coder.name))
        .collect();
    let file_users: BTreeMap<String, String> = (file_guids.iter())
        .filter(|(kind, _, _)| kind == "user")
        .map(|(_, name, guid)| (name.clone(), guid.to_ascii_lowercase()))
        .collect();
    Ok(move |name: &str| {
        let guid = (file_users.get(name).cloned())
            .unwrap_or_else(|| crate::model::Coder::derived_guid(name));
        by_guid
            .get(&guid)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    })
}
