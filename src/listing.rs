//! Read-back views for scripts and tables: documents, cases, codes and codings as rows with
//! names resolved. The JSON field names are a public interface (`casecode list … --json`):
//! they may gain fields but never lose or rename one.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Result;
use crate::codebook::role_address;
use crate::model::{AttributeKind, CaseId, CodeId, DocumentMetadata, RoleId};
use crate::project::Project;
use crate::text::CharIndex;
use crate::text::speakers::utterance_at;

/// A document as listed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentRow {
    pub id: i64,
    pub name: String,
    pub case: String,
    /// Length in code points.
    pub chars: usize,
    pub encoding: String,
    /// Number of utterances (speaker turns).
    pub utterances: usize,
    pub source: String,
    /// Source format, cleanup filters applied and import notes.
    pub metadata: DocumentMetadata,
}

/// A case as listed; attribute values typed (numbers as JSON numbers).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub name: String,
    pub attributes: BTreeMap<String, serde_json::Value>,
    pub documents: Vec<String>,
}

/// A code as listed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeRow {
    pub id: i64,
    pub name: String,
    /// Names from the top, joined with `/`.
    pub path: String,
    /// Id of the parent code, `null` at the top.
    pub parent: Option<i64>,
    /// 0 = カテゴリー, 1 = サブカテゴリー, 2 = 焦点コード, deeper allowed.
    pub depth: usize,
    pub roles: Vec<String>,
    pub definition: String,
    pub color: Option<String>,
    pub memo: String,
    /// Segments coded with exactly this code.
    pub segments: usize,
}

/// A coding as listed; `text` is exactly the stored text of `[start, end)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodingRow {
    pub id: i64,
    pub document: String,
    pub case: String,
    pub code: String,
    pub code_path: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub coder: String,
    /// `A-23`: case and utterance number, `null` before the first speaker turn.
    pub utterance: Option<String>,
    pub memo: String,
    pub created_at: String,
    /// Flagged as 代表的語り (a Table 2 quote).
    pub exemplar: bool,
}

/// All documents, by name.
pub fn documents(project: &Project) -> Result<Vec<DocumentRow>> {
    let reader = project.read();
    let case_names = case_names(project)?;
    let mut rows = Vec::new();
    for info in reader.document_infos()? {
        rows.push(DocumentRow {
            id: info.id.0,
            utterances: reader.utterances(info.id)?.len(),
            case: case_names.get(&info.case_id).cloned().unwrap_or_default(),
            name: info.name,
            chars: info.chars,
            encoding: info.encoding,
            source: info.source_path,
            metadata: info.metadata,
        });
    }
    Ok(rows)
}

/// All cases, by name, with typed attribute values and their documents.
pub fn cases(project: &Project) -> Result<Vec<CaseRow>> {
    let reader = project.read();
    let attributes: BTreeMap<_, _> = reader
        .attributes()?
        .into_iter()
        .map(|attribute| (attribute.id, attribute))
        .collect();
    let mut values: BTreeMap<CaseId, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
    for value in reader.attribute_values()? {
        let Some(attribute) = attributes.get(&value.attribute_id) else {
            continue;
        };
        values.entry(value.case_id).or_default().insert(
            attribute.name.clone(),
            typed_json(attribute.kind, &value.value),
        );
    }
    let mut documents: BTreeMap<CaseId, Vec<String>> = BTreeMap::new();
    for info in reader.document_infos()? {
        documents.entry(info.case_id).or_default().push(info.name);
    }
    Ok(reader
        .cases()?
        .into_iter()
        .map(|case| CaseRow {
            id: case.id.0,
            attributes: values.remove(&case.id).unwrap_or_default(),
            documents: documents.remove(&case.id).unwrap_or_default(),
            name: case.name,
        })
        .collect())
}

/// A stored attribute value as JSON: numbers as numbers, dates and text as strings.
pub fn typed_json(kind: AttributeKind, value: &str) -> serde_json::Value {
    let number = match kind {
        AttributeKind::Integer => value.parse::<i64>().ok().map(serde_json::Value::from),
        AttributeKind::Number => value.parse::<f64>().ok().map(serde_json::Value::from),
        AttributeKind::Date | AttributeKind::Text => None,
    };
    number.unwrap_or_else(|| serde_json::Value::String(value.to_owned()))
}

/// All codes in tree order (pre-order: a parent before its children).
pub fn codes(project: &Project) -> Result<Vec<CodeRow>> {
    let reader = project.read();
    let tree = project.code_tree()?;
    let role_names = role_names(project)?;
    // Roles in frame order, then role order within the frame.
    let order: BTreeMap<RoleId, usize> = reader
        .roles()?
        .iter()
        .enumerate()
        .map(|(index, role)| (role.id, index))
        .collect();
    let mut memberships = reader.code_roles()?;
    memberships.sort_by_key(|m| {
        (
            m.code_id,
            order.get(&m.role_id).copied().unwrap_or(usize::MAX),
        )
    });
    let mut roles: BTreeMap<CodeId, Vec<String>> = BTreeMap::new();
    for membership in memberships {
        if let Some(name) = role_names.get(&membership.role_id) {
            roles
                .entry(membership.code_id)
                .or_default()
                .push(name.clone());
        }
    }
    let mut segments: BTreeMap<CodeId, usize> = BTreeMap::new();
    for coding in reader.codings()? {
        *segments.entry(coding.code_id).or_default() += 1;
    }
    Ok(tree
        .walk()
        .into_iter()
        .filter_map(|code_id| tree.get(code_id))
        .map(|code| CodeRow {
            id: code.id.0,
            name: code.name.clone(),
            path: tree.path_string(code.id),
            parent: code.parent_id.map(|id| id.0),
            depth: tree.depth(code.id),
            roles: roles.remove(&code.id).unwrap_or_default(),
            definition: code.definition.clone(),
            color: code.color.clone(),
            memo: code.memo.clone(),
            segments: segments.get(&code.id).copied().unwrap_or(0),
        })
        .collect())
}

/// All codings, by document name, start, end, code path, coder and id.
pub fn codings(project: &Project) -> Result<Vec<CodingRow>> {
    let reader = project.read();
    let tree = project.code_tree()?;
    let case_names = case_names(project)?;
    let mut by_document: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for coding in reader.codings()? {
        by_document
            .entry(coding.document_id)
            .or_insert_with(Vec::new)
            .push(coding);
    }
    let mut rows = Vec::new();
    for info in reader.document_infos()? {
        let Some(codings) = by_document.remove(&info.id) else {
            continue;
        };
        let text = CharIndex::new(reader.document_text(info.id)?.unwrap_or_default());
        let utterances = reader.utterances(info.id)?;
        let case = case_names.get(&info.case_id).cloned().unwrap_or_default();
        for coding in codings {
            let utterance = utterance_at(&utterances, coding.span.start, |u| u.start)
                .map(|utterance| format!("{case}-{}", utterance.number));
            rows.push(CodingRow {
                id: coding.id.0,
                document: info.name.clone(),
                case: case.clone(),
                code: tree
                    .get(coding.code_id)
                    .map(|code| code.name.clone())
                    .unwrap_or_default(),
                code_path: tree.path_string(coding.code_id),
                start: coding.span.start,
                end: coding.span.end,
                text: text
                    .slice(coding.span.start, coding.span.end)
                    .unwrap_or_default()
                    .to_owned(),
                coder: coding.coder,
                utterance,
                memo: coding.memo,
                created_at: coding.created_at,
                exemplar: coding.exemplar,
            });
        }
    }
    rows.sort_by(|a, b| {
        (&a.document, a.start, a.end, &a.code_path, &a.coder, a.id).cmp(&(
            &b.document,
            b.start,
            b.end,
            &b.code_path,
            &b.coder,
            b.id,
        ))
    });
    Ok(rows)
}

/// Each case's name by id.
pub(crate) fn case_names(project: &Project) -> Result<BTreeMap<CaseId, String>> {
    Ok(project
        .read()
        .cases()?
        .into_iter()
        .map(|case| (case.id, case.name))
        .collect())
}

/// Each role's display name: the bare name when unique across frames, else `FRAME/ROLE`.
pub fn role_names(project: &Project) -> Result<BTreeMap<RoleId, String>> {
    let frames = project.read().frames()?;
    let roles = project.read().roles()?;
    Ok(roles
        .iter()
        .map(|role| {
            let unique = roles.iter().filter(|other| other.name == role.name).count() == 1;
            let name = if unique {
                role.name.clone()
            } else {
                role_address(role, &frames)
            };
            (role.id, name)
        })
        .collect())
}
