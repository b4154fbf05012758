//! Merging another copy of the project (a second coder's) into this one, by stable
//! identifiers: documents by GUID, else by identical text; codes by GUID, else by full path;
//! cases and attributes by GUID, else by name; coders by GUID, else by name. Applied as one
//! command (one undo) after a plan that `--dry-run` prints line by line.
//!
//! Never merged with shifted offsets: a document whose GUID matches but whose text differs
//! (one side corrected a typo) is refused for that document, with its codings listed as left
//! out. A memo or summary written differently on both sides keeps both texts, marked as a
//! conflict to resolve. Nothing is dropped without a report line.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::Command;
use crate::Result;
use crate::codebook::CodeTree;
use crate::model::{
    Attribute, AttributeId, Case, CaseId, CellMark, Code, CodeId, CodeRole, Coder, CoderId, Coding,
    CodingId, Document, DocumentId, Frame, FrameId, MemoTarget, Role, RoleId, Rows, Summary,
    SummaryId, SummarySegment, Utterance,
};
use crate::store::{IdTable, Reader};

/// Everything of the other project that a merge reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MergeSource {
    /// The file it came from (for the report and the conflict marks).
    pub file: String,
    pub rows: Rows,
    pub coders: Vec<Coder>,
    pub project_memo: String,
}

/// What a merge does (or would do), as lines a researcher reads, and the primitives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergePlan {
    /// One line per decision, in order: matched, added, refused, conflict.
    pub report: Vec<String>,
    pub steps: Vec<Command>,
    /// Codings added.
    pub codings_added: usize,
    /// Codings already in the target (the same document, code, span and coder).
    pub codings_present: usize,
    /// Codings left out because their document differs.
    pub codings_refused: usize,
}

/// The mark that separates the two texts of a conflict.
fn conflict_text(mine: &str, theirs: &str, file: &str) -> String {
    format!("{mine}\n【統合の競合: {file} の記述】\n{theirs}")
}

/// A merged memo: ours when theirs is empty or the same, theirs when ours is empty, both
/// marked as a conflict otherwise.
fn merged_text(mine: &str, theirs: &str, file: &str) -> Option<String> {
    if theirs.trim().is_empty() || mine == theirs || mine.contains(theirs) {
        None
    } else if mine.trim().is_empty() {
        Some(theirs.to_owned())
    } else {
        Some(conflict_text(mine, theirs, file))
    }
}

struct Next(BTreeMap<&'static str, i64>);

impl Next {
    fn take(&mut self, table: &'static str) -> i64 {
        let slot = self.0.entry(table).or_insert(1);
        let id = *slot;
        *slot += 1;
        id
    }
}

/// Plans the merge of `source` into the project read through `reader`.
pub fn plan_merge(reader: &Reader<'_>, source: &MergeSource) -> Result<MergePlan> {
    let file = source.file.as_str();
    let other = &source.rows;
    let mut plan = MergePlan::default();
    let mut rows = Rows::default();
    let mut next = Next(BTreeMap::new());
    for (key, table) in [
        ("attributes", IdTable::Attributes),
        ("cases", IdTable::Cases),
        ("frames", IdTable::Frames),
        ("roles", IdTable::Roles),
        ("codes", IdTable::Codes),
        ("documents", IdTable::Documents),
        ("codings", IdTable::Codings),
        ("summaries", IdTable::Summaries),
    ] {
        next.0.insert(key, reader.next_id(table)?);
    }
    next.0.insert("coders", reader.next_coder_id()?);
    let mut memos: Vec<(MemoTarget, String)> = Vec::new();
    let guids_in_use =
        |guids: &BTreeSet<String>, guid: &str| guids.contains(&guid.to_ascii_lowercase());

    // Coders: by GUID, else by name; new ones keep their GUID and colour.
    let mine_coders = reader.coders()?;
    let mut coder_name: BTreeMap<String, String> = BTreeMap::new();
    let mut new_coders = Vec::new();
    for coder in &source.coders {
        let same = (mine_coders.iter())
            .find(|c| c.guid.eq_ignore_ascii_case(&coder.guid))
            .or_else(|| mine_coders.iter().find(|c| c.name == coder.name));
        match same {
            Some(mine) => {
                if mine.name != coder.name {
                    plan.report.push(format!(
                        "coder '{}' is '{}' here (same GUID)",
                        coder.name, mine.name
                    ));
                }
                coder_name.insert(coder.name.clone(), mine.name.clone());
            }
            None => {
                plan.report.push(format!("coder '{}' added", coder.name));
                let id = CoderId(next.take("coders"));
                new_coders.push((
                    id,
                    Some(Coder {
                        id,
                        ..coder.clone()
                    }),
                ));
                coder_name.insert(coder.name.clone(), coder.name.clone());
            }
        }
    }
    let coder_of = |name: &str| {
        coder_name
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    };
    if !new_coders.is_empty() {
        plan.steps.push(Command::SetCoders(new_coders));
    }

    // Frames and roles by name.
    let mine_frames = reader.frames()?;
    let mine_roles = reader.roles()?;
    let mut frame_ids: BTreeMap<FrameId, FrameId> = BTreeMap::new();
    for frame in &other.frames {
        let id = match mine_frames.iter().find(|f| f.name == frame.name) {
            Some(mine) => mine.id,
            None => {
                plan.report
                    .push(format!("role frame '{}' added", frame.name));
                let id = FrameId(next.take("frames"));
                rows.frames.push(Frame {
                    id,
                    position: mine_frames.len() as i64 + rows.frames.len() as i64,
                    ..frame.clone()
                });
                id
            }
        };
        frame_ids.insert(frame.id, id);
    }
    let mut role_ids: BTreeMap<RoleId, RoleId> = BTreeMap::new();
    for role in &other.roles {
        let Some(frame_id) = frame_ids.get(&role.frame_id).copied() else {
            continue;
        };
        let id = match (mine_roles.iter()).find(|r| r.frame_id == frame_id && r.name == role.name) {
            Some(mine) => mine.id,
            None => {
                plan.report.push(format!("role '{}' added", role.name));
                let id = RoleId(next.take("roles"));
                rows.roles.push(Role {
                    id,
                    frame_id,
                    ..role.clone()
                });
                id
            }
        };
        role_ids.insert(role.id, id);
    }

    // Attributes: by GUID, else name.
    let mine_attributes = reader.attributes()?;
    let mut attribute_ids: BTreeMap<AttributeId, AttributeId> = BTreeMap::new();
    for attribute in &other.attributes {
        let same = (mine_attributes.iter())
            .find(|a| a.guid.eq_ignore_ascii_case(&attribute.guid))
            .or_else(|| mine_attributes.iter().find(|a| a.name == attribute.name));
        match same {
            Some(mine) if mine.kind != attribute.kind => plan.report.push(format!(
                "attribute '{}' is {} here but {} in {file}: its values are left out",
                attribute.name,
                mine.kind.as_str(),
                attribute.kind.as_str()
            )),
            Some(mine) => {
                attribute_ids.insert(attribute.id, mine.id);
            }
            None => {
                plan.report
                    .push(format!("attribute '{}' added", attribute.name));
                let id = AttributeId(next.take("attributes"));
                rows.attributes.push(Attribute {
                    id,
                    position: (mine_attributes.len() + rows.attributes.len()) as i64,
                    ..attribute.clone()
                });
                attribute_ids.insert(attribute.id, id);
            }
        }
    }

    // Cases: by GUID, else name.
    let mine_cases = reader.cases()?;
    let case_guids: BTreeSet<String> = mine_cases
        .iter()
        .map(|c| c.guid.to_ascii_lowercase())
        .collect();
    let mut case_ids: BTreeMap<CaseId, CaseId> = BTreeMap::new();
    for case in &other.cases {
        let same = (mine_cases.iter())
            .find(|c| c.guid.eq_ignore_ascii_case(&case.guid))
            .or_else(|| mine_cases.iter().find(|c| c.name == case.name));
        let id = match same {
            Some(mine) => {
                if let Some(text) = merged_text(&mine.memo, &case.memo, file) {
                    memos.push((MemoTarget::Case(mine.id), text));
                }
                mine.id
            }
            None => {
                plan.report.push(format!("case '{}' added", case.name));
                let id = CaseId(next.take("cases"));
                let guid = if guids_in_use(&case_guids, &case.guid) {
                    super::new_guid()
                } else {
                    case.guid.clone()
                };
                rows.cases.push(Case {
                    id,
                    guid,
                    ..case.clone()
                });
                id
            }
        };
        case_ids.insert(case.id, id);
    }
    let mine_values: BTreeMap<(CaseId, AttributeId), String> =
        (reader.attribute_values()?.into_iter())
            .map(|v| ((v.case_id, v.attribute_id), v.value))
            .collect();
    let mut values = Vec::new();
    for value in &other.attribute_values {
        let (Some(case_id), Some(attribute_id)) = (
            case_ids.get(&value.case_id).copied(),
            attribute_ids.get(&value.attribute_id).copied(),
        ) else {
            continue;
        };
        match mine_values.get(&(case_id, attribute_id)) {
            None => values.push((case_id, attribute_id, Some(value.value.clone()))),
            Some(mine) if *mine == value.value => {}
            Some(mine) => plan.report.push(format!(
                "conflict: a case's attribute value is '{mine}' here and '{}' in {file}; kept '{mine}'",
                value.value
            )),
        }
    }

    // Codes: by GUID, else by full path; parents come first in the other tree's walk.
    let mine_tree = CodeTree::new(reader.codes()?);
    let other_tree = CodeTree::new(other.codes.clone());
    let code_guids: BTreeSet<String> = (mine_tree.walk().into_iter())
        .filter_map(|id| mine_tree.get(id).map(|c| c.guid.to_ascii_lowercase()))
        .collect();
    let mine_by_guid: BTreeMap<String, CodeId> = (mine_tree.walk().into_iter())
        .filter_map(|id| mine_tree.get(id).map(|c| (c.guid.to_ascii_lowercase(), id)))
        .collect();
    let mine_by_path: BTreeMap<String, CodeId> = (mine_tree.walk().into_iter())
        .map(|id| (mine_tree.path_string(id), id))
        .collect();
    let mine_code_roles: BTreeSet<(CodeId, RoleId)> = (reader.code_roles()?.into_iter())
        .map(|r| (r.code_id, r.role_id))
        .collect();
    let mut code_ids: BTreeMap<CodeId, CodeId> = BTreeMap::new();
    let mut new_code_paths: BTreeMap<String, CodeId> = BTreeMap::new();
    let mut positions: BTreeMap<Option<CodeId>, i64> = BTreeMap::new();
    let mut added_roles: BTreeMap<CodeId, BTreeSet<RoleId>> = BTreeMap::new();
    for other_id in other_tree.walk() {
        let Some(code) = other_tree.get(other_id) else {
            continue;
        };
        let path = other_tree.path_string(other_id);
        let by_guid = mine_by_guid.get(&code.guid.to_ascii_lowercase()).copied();
        let id = if let Some(id) = by_guid {
            id
        } else if let Some(id) = mine_by_path
            .get(&path)
            .or(new_code_paths.get(&path))
            .copied()
        {
            plan.report.push(format!(
                "code {path}: matched by its path (different GUIDs)"
            ));
            id
        } else {
            let parent_id = code.parent_id.and_then(|p| code_ids.get(&p).copied());
            let position = positions
                .entry(parent_id)
                .or_insert_with(|| mine_tree.next_position(parent_id));
            let id = CodeId(next.take("codes"));
            plan.report.push(format!("code {path} added"));
            let guid = if guids_in_use(&code_guids, &code.guid) {
                super::new_guid()
            } else {
                code.guid.clone()
            };
            rows.codes.push(Code {
                id,
                guid,
                parent_id,
                position: *position,
                ..code.clone()
            });
            *position += 1;
            new_code_paths.insert(path.clone(), id);
            id
        };
        if let Some(mine) = mine_tree.get(id)
            && let Some(text) = merged_text(&mine.memo, &code.memo, file)
        {
            memos.push((MemoTarget::Code(id), text));
        }
        code_ids.insert(other_id, id);
    }
    for role in &other.code_roles {
        if let (Some(code_id), Some(role_id)) = (
            code_ids.get(&role.code_id).copied(),
            role_ids.get(&role.role_id).copied(),
        ) && !mine_code_roles.contains(&(code_id, role_id))
        {
            added_roles.entry(code_id).or_default().insert(role_id);
        }
    }
    let new_codes: BTreeSet<CodeId> = rows.codes.iter().map(|c| c.id).collect();
    let mut role_updates = Vec::new();
    for (code_id, roles) in added_roles {
        if new_codes.contains(&code_id) {
            rows.code_roles.extend(
                roles
                    .into_iter()
                    .map(|role_id| CodeRole { code_id, role_id }),
            );
        } else {
            let mut all: BTreeSet<RoleId> = (mine_code_roles.iter())
                .filter(|(c, _)| *c == code_id)
                .map(|(_, r)| *r)
                .collect();
            all.extend(roles);
            role_updates.push((code_id, all.into_iter().collect::<Vec<_>>()));
        }
    }

    // Documents: by GUID (with the same text), else by identical text; a changed text is
    // refused for that document.
    let mine_documents = reader.document_infos()?;
    let mut mine_texts: BTreeMap<String, DocumentId> = BTreeMap::new();
    let mut mine_text_of: BTreeMap<DocumentId, String> = BTreeMap::new();
    for info in &mine_documents {
        let text = reader.document_text(info.id)?.unwrap_or_default();
        mine_texts.entry(text.clone()).or_insert(info.id);
        mine_text_of.insert(info.id, text);
    }
    let document_guids: BTreeSet<String> = mine_documents
        .iter()
        .map(|d| d.guid.to_ascii_lowercase())
        .collect();
    let mut names: BTreeSet<String> = mine_documents.iter().map(|d| d.name.clone()).collect();
    let mut document_ids: BTreeMap<DocumentId, DocumentId> = BTreeMap::new();
    let mut refused: BTreeSet<DocumentId> = BTreeSet::new();
    for document in &other.documents {
        let info = &document.info;
        let by_guid = mine_documents
            .iter()
            .find(|d| d.guid.eq_ignore_ascii_case(&info.guid));
        if let Some(mine) = by_guid {
            if mine_text_of.get(&mine.id) == Some(&document.text) {
                document_ids.insert(info.id, mine.id);
                if let Some(text) = merged_text(&mine.memo, &info.memo, file) {
                    memos.push((MemoTarget::Document(mine.id), text));
                }
            } else {
                let count = other
                    .codings
                    .iter()
                    .filter(|c| c.document_id == info.id)
                    .count();
                plan.report.push(format!(
                    "refused: document '{}' has a different text in {file} (same GUID); its {count} coding(s) are left out — re-anchor them after a transcript revision",
                    info.name
                ));
                refused.insert(info.id);
            }
            continue;
        }
        if let Some(mine) = mine_texts.get(&document.text).copied() {
            plan.report.push(format!(
                "document '{}' matched by its text (different GUIDs)",
                info.name
            ));
            document_ids.insert(info.id, mine);
            continue;
        }
        let Some(case_id) = case_ids.get(&info.case_id).copied() else {
            plan.report.push(format!(
                "refused: document '{}' belongs to no case in {file}",
                info.name
            ));
            refused.insert(info.id);
            continue;
        };
        let id = DocumentId(next.take("documents"));
        let mut name = info.name.clone();
        let mut suffix = 2;
        while names.contains(&name) {
            name = format!("{} ({suffix})", info.name);
            suffix += 1;
        }
        names.insert(name.clone());
        plan.report.push(if name == info.name {
            format!("document '{name}' added")
        } else {
            format!(
                "document '{}' added as '{name}' (the name is taken)",
                info.name
            )
        });
        let guid = if guids_in_use(&document_guids, &info.guid) {
            super::new_guid()
        } else {
            info.guid.clone()
        };
        let mut new_info = info.clone();
        new_info.id = id;
        new_info.guid = guid;
        new_info.name = name;
        new_info.case_id = case_id;
        rows.documents.push(Document {
            info: new_info,
            text: document.text.clone(),
        });
        rows.utterances.extend(
            (other.utterances.iter())
                .filter(|u| u.document_id == info.id)
                .map(|u| Utterance {
                    document_id: id,
                    ..u.clone()
                }),
        );
        document_ids.insert(info.id, id);
    }

    // Codings: skip what is already there (same document, code, span, coder).
    let mine_codings = reader.codings()?;
    let coding_guids: BTreeSet<String> = mine_codings
        .iter()
        .map(|c| c.guid.to_ascii_lowercase())
        .collect();
    let mut present: BTreeMap<(DocumentId, CodeId, usize, usize, String), CodingId> =
        (mine_codings.iter())
            .map(|c| {
                (
                    (
                        c.document_id,
                        c.code_id,
                        c.span.start,
                        c.span.end,
                        c.coder.clone(),
                    ),
                    c.id,
                )
            })
            .collect();
    let mut coding_ids: BTreeMap<CodingId, CodingId> = BTreeMap::new();
    let mut coding_memos = Vec::new();
    for coding in &other.codings {
        if refused.contains(&coding.document_id) {
            plan.codings_refused += 1;
            continue;
        }
        let (Some(document_id), Some(code_id)) = (
            document_ids.get(&coding.document_id).copied(),
            code_ids.get(&coding.code_id).copied(),
        ) else {
            plan.codings_refused += 1;
            plan.report.push(format!(
                "refused: coding {} names an unknown document or code",
                coding.guid
            ));
            continue;
        };
        let coder = coder_of(&coding.coder);
        let key = (
            document_id,
            code_id,
            coding.span.start,
            coding.span.end,
            coder.clone(),
        );
        if let Some(mine) = present.get(&key).copied() {
            plan.codings_present += 1;
            coding_ids.insert(coding.id, mine);
            if let Some(existing) = mine_codings.iter().find(|c| c.id == mine)
                && let Some(text) = merged_text(&existing.memo, &coding.memo, file)
            {
                coding_memos.push((mine, text));
            }
            continue;
        }
        let id = CodingId(next.take("codings"));
        let guid = if guids_in_use(&coding_guids, &coding.guid) {
            super::new_guid()
        } else {
            coding.guid.clone()
        };
        rows.codings.push(Coding {
            id,
            guid,
            document_id,
            code_id,
            coder,
            ..coding.clone()
        });
        present.insert(key, id);
        coding_ids.insert(coding.id, id);
        plan.codings_added += 1;
    }
    plan.report.push(format!(
        "codings: {} added, {} already here, {} left out with their document",
        plan.codings_added, plan.codings_present, plan.codings_refused
    ));

    // Summaries: a cell without one takes theirs; different texts become a conflict.
    let mine_summaries: BTreeMap<(CaseId, CodeId), Summary> = (reader.summaries()?.into_iter())
        .map(|s| ((s.case_id, s.code_id), s))
        .collect();
    let mut summary_updates = Vec::new();
    for summary in &other.summaries {
        let (Some(case_id), Some(code_id)) = (
            case_ids.get(&summary.case_id).copied(),
            code_ids.get(&summary.code_id).copied(),
        ) else {
            continue;
        };
        let links: BTreeSet<CodingId> = (other.summary_segments.iter())
            .filter(|s| s.summary_id == summary.id)
            .filter_map(|s| coding_ids.get(&s.coding_id).copied())
            .collect();
        match mine_summaries.get(&(case_id, code_id)) {
            None => {
                let id = SummaryId(next.take("summaries"));
                rows.summaries.push(Summary {
                    id,
                    case_id,
                    code_id,
                    author: coder_of(&summary.author),
                    guid: super::new_guid(),
                    ..summary.clone()
                });
                rows.summary_segments
                    .extend(links.into_iter().map(|coding_id| SummarySegment {
                        summary_id: id,
                        coding_id,
                    }));
            }
            Some(mine) => {
                let text = merged_text(&mine.text, &summary.text, file);
                let mut all_links: BTreeSet<CodingId> =
                    reader.summary_links(mine.id)?.into_iter().collect();
                let before = all_links.len();
                all_links.extend(links);
                if text.is_some() {
                    plan.report.push(format!(
                        "conflict: the summary of a cell ({}) differs; both texts kept, marked 【統合の競合】",
                        mine_tree.path_string(code_id)
                    ));
                }
                if text.is_some() || all_links.len() != before {
                    summary_updates.push(Command::ReplaceSummary {
                        summary: Summary {
                            text: text.unwrap_or_else(|| mine.text.clone()),
                            ..mine.clone()
                        },
                        links: all_links.into_iter().collect(),
                    });
                }
            }
        }
    }

    // Marks: "explicitly negative" is kept from either side.
    let mine_marks: BTreeSet<(CaseId, CodeId)> = (reader.cell_states()?.into_iter())
        .map(|s| (s.case_id, s.code_id))
        .collect();
    let marks: Vec<(CaseId, CodeId, Option<CellMark>)> = (other.cell_states.iter())
        .filter_map(|s| {
            Some((
                *case_ids.get(&s.case_id)?,
                *code_ids.get(&s.code_id)?,
                Some(s.mark),
            ))
        })
        .filter(|(case_id, code_id, _)| !mine_marks.contains(&(*case_id, *code_id)))
        .collect();

    let project_memo = reader.memo(MemoTarget::Project)?.unwrap_or_default();
    if let Some(text) = merged_text(&project_memo, &source.project_memo, file) {
        memos.push((MemoTarget::Project, text));
    }
    let conflicts = memos
        .iter()
        .map(|(_, text)| text)
        .chain(coding_memos.iter().map(|(_, text)| text))
        .filter(|text| text.contains("【統合の競合"))
        .count();
    if conflicts > 0 {
        plan.report.push(format!(
            "conflict: {conflicts} memo(s) differ on both sides; both texts kept, marked 【統合の競合】"
        ));
    }

    if !rows.is_empty() {
        plan.steps.push(Command::InsertRows(Box::new(rows)));
    }
    if !role_updates.is_empty() {
        plan.steps.push(Command::SetCodeRoles(role_updates));
    }
    if !values.is_empty() {
        plan.steps.push(Command::SetAttributeValues(values));
    }
    plan.steps.extend(summary_updates);
    if !marks.is_empty() {
        plan.steps.push(Command::SetCellStates(marks));
    }
    if !coding_memos.is_empty() {
        plan.steps.push(Command::SetCodingMemos(coding_memos));
    }
    if !memos.is_empty() {
        plan.steps.push(Command::SetMemos(memos));
    }
    Ok(plan)
}

/// Reads a whole project for [`plan_merge`].
pub fn merge_source(reader: &Reader<'_>, file: &str) -> Result<MergeSource> {
    Ok(MergeSource {
        file: file.to_owned(),
        rows: reader.project_rows(true)?,
        coders: reader.coders()?,
        project_memo: reader.memo(MemoTarget::Project)?.unwrap_or_default(),
    })
}
