//! The tables' columns as the queries select them, and how one selected row becomes a model
//! value. Readers, writers and the row snapshots of undo all go through these, so a column
//! added by a migration is named in one place.

use super::db::Row;
use crate::{Error, Result};

use crate::model::{
    Attribute, AttributeId, AttributeKind, AttributeValue, Case, CaseId, CellMark, CellState, Code,
    CodeId, CodeRole, Coding, CodingId, Document, DocumentId, DocumentInfo, DocumentMetadata,
    Frame, FrameId, Role, RoleId, Span, Summary, SummaryId, SummarySegment, Utterance,
};

/// The `project_meta` key of the project memo.
pub(crate) const PROJECT_MEMO_KEY: &str = "memo";
pub(crate) const CASE_COLUMNS: &str = "id, guid, name, memo";
pub(crate) const ATTRIBUTE_COLUMNS: &str = "id, guid, name, kind, position";
pub(crate) const DOCUMENT_INFO_COLUMNS: &str =
    "id, guid, name, case_id, chars, encoding, source_path, memo, imported_at, metadata";
pub(crate) const UTTERANCE_COLUMNS: &str =
    "document_id, number, speaker, start, text_start, \"end\"";
pub(crate) const CODE_COLUMNS: &str =
    "id, guid, parent_id, name, definition, color, memo, position";
/// Selected with the coder's name in place of its id (a subquery, so that every query keeps
/// reading `FROM codings` unchanged).
pub(crate) const CODING_COLUMNS: &str = "id, guid, document_id, code_id, start, \"end\",
    (SELECT name FROM coders WHERE coders.id = codings.coder_id), memo, created_at, exemplar";
/// The stored columns, for inserts (the coder by id).
pub(crate) const CODING_STORED_COLUMNS: &str =
    "id, guid, document_id, code_id, start, \"end\", coder_id, memo, created_at, exemplar";
pub(crate) const SUMMARY_COLUMNS: &str = "id, guid, case_id, code_id, text,
    (SELECT name FROM coders WHERE coders.id = summaries.author_id), updated_at";
/// `WHERE x IN` a JSON array of ids bound as one parameter (`pg.rs` rewrites `json_each`).
pub(crate) const IN_JSON: &str = "IN (SELECT value FROM json_each(?1))";
pub(crate) const SUMMARY_STORED_COLUMNS: &str =
    "id, guid, case_id, code_id, text, author_id, updated_at";

fn usize_at(row: &Row<'_>, index: usize) -> Result<usize> {
    let value: i64 = row.get(index)?;
    usize::try_from(value)
        .map_err(|_| Error::Sqlite(rusqlite::Error::IntegralValueOutOfRange(index, value)))
}

pub(crate) fn case_from_row(row: &Row<'_>) -> Result<Case> {
    Ok(Case {
        id: CaseId(row.get(0)?),
        guid: row.get(1)?,
        name: row.get(2)?,
        memo: row.get(3)?,
    })
}

pub(crate) fn attribute_from_row(row: &Row<'_>) -> Result<Attribute> {
    let kind: String = row.get(3)?;
    Ok(Attribute {
        id: AttributeId(row.get(0)?),
        guid: row.get(1)?,
        name: row.get(2)?,
        kind: AttributeKind::parse(&kind).unwrap_or(AttributeKind::Text),
        position: row.get(4)?,
    })
}

pub(crate) fn attribute_value_from_row(row: &Row<'_>) -> Result<AttributeValue> {
    Ok(AttributeValue {
        case_id: CaseId(row.get(0)?),
        attribute_id: AttributeId(row.get(1)?),
        value: row.get(2)?,
    })
}

pub(crate) fn document_info_from_row(row: &Row<'_>) -> Result<DocumentInfo> {
    Ok(DocumentInfo {
        id: DocumentId(row.get(0)?),
        guid: row.get(1)?,
        name: row.get(2)?,
        case_id: CaseId(row.get(3)?),
        chars: usize_at(row, 4)?,
        encoding: row.get(5)?,
        source_path: row.get(6)?,
        memo: row.get(7)?,
        imported_at: row.get(8)?,
        metadata: metadata_from_json(&row.get::<String>(9)?)?,
    })
}

pub(crate) fn document_from_row(row: &Row<'_>) -> Result<Document> {
    Ok(Document {
        info: document_info_from_row(row)?,
        text: row.get(10)?,
    })
}

/// The `metadata` column; JSON written by [`metadata_to_json`].
fn metadata_from_json(json: &str) -> Result<DocumentMetadata> {
    serde_json::from_str(json).map_err(|error| {
        Error::Conflict(format!(
            "a document's stored metadata is not valid JSON ({error}): {json}"
        ))
    })
}

/// How a document's metadata is stored.
pub(crate) fn metadata_to_json(metadata: &DocumentMetadata) -> String {
    serde_json::to_string(metadata).unwrap_or_else(|_| "{}".to_owned())
}

pub(crate) fn utterance_from_row(row: &Row<'_>) -> Result<Utterance> {
    Ok(Utterance {
        document_id: DocumentId(row.get(0)?),
        number: row.get(1)?,
        speaker: row.get(2)?,
        start: usize_at(row, 3)?,
        text_start: usize_at(row, 4)?,
        end: usize_at(row, 5)?,
    })
}

pub(crate) fn frame_from_row(row: &Row<'_>) -> Result<Frame> {
    Ok(Frame {
        id: FrameId(row.get(0)?),
        name: row.get(1)?,
        position: row.get(2)?,
    })
}

pub(crate) fn role_from_row(row: &Row<'_>) -> Result<Role> {
    Ok(Role {
        id: RoleId(row.get(0)?),
        frame_id: FrameId(row.get(1)?),
        name: row.get(2)?,
        position: row.get(3)?,
    })
}

pub(crate) fn code_from_row(row: &Row<'_>) -> Result<Code> {
    Ok(Code {
        id: CodeId(row.get(0)?),
        guid: row.get(1)?,
        parent_id: row.get::<Option<i64>>(2)?.map(CodeId),
        name: row.get(3)?,
        definition: row.get(4)?,
        color: row.get(5)?,
        memo: row.get(6)?,
        position: row.get(7)?,
    })
}

pub(crate) fn code_role_from_row(row: &Row<'_>) -> Result<CodeRole> {
    Ok(CodeRole {
        code_id: CodeId(row.get(0)?),
        role_id: RoleId(row.get(1)?),
    })
}

pub(crate) fn coding_from_row(row: &Row<'_>) -> Result<Coding> {
    Ok(Coding {
        id: CodingId(row.get(0)?),
        guid: row.get(1)?,
        document_id: DocumentId(row.get(2)?),
        code_id: CodeId(row.get(3)?),
        span: Span {
            start: usize_at(row, 4)?,
            end: usize_at(row, 5)?,
        },
        coder: row.get(6)?,
        memo: row.get(7)?,
        created_at: row.get(8)?,
        exemplar: row.get(9)?,
    })
}

pub(crate) fn summary_from_row(row: &Row<'_>) -> Result<Summary> {
    Ok(Summary {
        id: SummaryId(row.get(0)?),
        guid: row.get(1)?,
        case_id: CaseId(row.get(2)?),
        code_id: CodeId(row.get(3)?),
        text: row.get(4)?,
        author: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

pub(crate) fn summary_segment_from_row(row: &Row<'_>) -> Result<SummarySegment> {
    Ok(SummarySegment {
        summary_id: SummaryId(row.get(0)?),
        coding_id: CodingId(row.get(1)?),
    })
}

pub(crate) fn cell_state_from_row(row: &Row<'_>) -> Result<CellState> {
    let mark: String = row.get(2)?;
    Ok(CellState {
        case_id: CaseId(row.get(0)?),
        code_id: CodeId(row.get(1)?),
        mark: CellMark::parse(&mark).unwrap_or(CellMark::Negative),
    })
}
