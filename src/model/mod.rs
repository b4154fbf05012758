//! The project's data as plain Rust values: one struct per table row, with no storage or UI
//! knowledge. Offsets are code points (see [`Span`]).

mod coder;
mod ids;
mod methods;
mod revision;
mod span;

pub use coder::{CODER_PALETTE, CONSENSUS_CODER, Coder};
pub use ids::{
    AttributeId, CaseId, CodeId, CoderId, CodingId, DocumentId, FrameId, RoleId, SummaryId,
};
pub use methods::{
    DiagramArrow, DiagramBox, MgtaSettings, ResultDiagram, SCAT_HEADINGS, SCAT_STEPS, ScatField,
    ScatRow, ScatSheet, TheoreticalMemo, VariationEntry,
};
pub use revision::{CodingReview, Orphan, OrphanReason, ReviewReason};
pub use span::Span;

use serde::{Deserialize, Serialize};

/// A case (事例): an interviewee or survey respondent; it may own several documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    /// REFI-QDA GUID, minted once.
    pub guid: String,
    pub name: String,
    pub memo: String,
}

/// The value type of an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeKind {
    Integer,
    Number,
    /// Stored as `YYYY-MM-DD`.
    Date,
    Text,
}

impl AttributeKind {
    /// The name used in the database, in CSV headers (`勤務年数:integer`) and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKind::Integer => "integer",
            AttributeKind::Number => "number",
            AttributeKind::Date => "date",
            AttributeKind::Text => "text",
        }
    }

    /// Parses the name written by [`AttributeKind::as_str`].
    pub fn parse(name: &str) -> Option<AttributeKind> {
        match name.trim().to_ascii_lowercase().as_str() {
            "integer" | "int" => Some(AttributeKind::Integer),
            "number" | "float" | "real" => Some(AttributeKind::Number),
            "date" => Some(AttributeKind::Date),
            "text" | "string" => Some(AttributeKind::Text),
            _ => None,
        }
    }
}

/// A typed case variable such as 所属組織 or 勤務年数.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub id: AttributeId,
    pub guid: String,
    pub name: String,
    pub kind: AttributeKind,
    /// Column order, as in the CSV it came from.
    pub position: i64,
}

/// One case's value of one attribute, in canonical text form (see [`AttributeKind`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AttributeValue {
    pub case_id: CaseId,
    pub attribute_id: AttributeId,
    pub value: String,
}

/// What a memo belongs to. Codes and codings keep theirs in their own rows; the project's memo
/// lives in `project_meta` under the key `memo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MemoTarget {
    /// The project as a whole (the research memo).
    Project,
    /// A case (事例).
    Case(CaseId),
    /// A document (one transcript).
    Document(DocumentId),
    /// A code.
    Code(CodeId),
    /// A coding (one code on one segment).
    Coding(CodingId),
}

/// A document without its text: what lists and tables need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: DocumentId,
    pub guid: String,
    pub name: String,
    pub case_id: CaseId,
    /// Length of the stored text in code points.
    pub chars: usize,
    /// The encoding the file was decoded from (`utf-8`, `utf-8-bom`, `shift_jis`, `cp932`, …).
    pub encoding: String,
    pub source_path: String,
    pub memo: String,
    pub imported_at: String,
    /// Source format, cleanup filters and import notes.
    #[serde(default)]
    pub metadata: DocumentMetadata,
}

/// How a document came to be: its source format (`txt`, `docx`, `csv`, `xlsx`), the cleanup
/// filters applied to it before the text was stored (in order, e.g. `aozora`, `drop-lines:^－`),
/// and what the import noted (tracked changes accepted, headers left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentMetadata {
    pub format: String,
    pub filters: Vec<String>,
    pub notes: Vec<String>,
}

/// A transcript with its stored text. The text is the decoded file with the BOM removed and line
/// ends turned into LF, nothing else: every offset in the project refers to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    #[serde(flatten)]
    pub info: DocumentInfo,
    pub text: String,
}

/// One speaker turn. `start` is where the label begins, `text_start` where the speech begins,
/// `end` the end of its last line (before the newline).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Utterance {
    pub document_id: DocumentId,
    /// 1-based number within the document; cited as `A-23`.
    pub number: u32,
    pub speaker: String,
    pub start: usize,
    pub text_start: usize,
    pub end: usize,
}

/// A named set of roles against which codes are read (発達支援 / 家族支援 / 地域支援).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub id: FrameId,
    pub name: String,
    pub position: i64,
}

/// A role of a frame.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: RoleId,
    pub frame_id: FrameId,
    pub name: String,
    pub position: i64,
}

/// A node of the code tree: カテゴリー, サブカテゴリー or 焦点コード, by depth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    pub id: CodeId,
    pub guid: String,
    pub parent_id: Option<CodeId>,
    pub name: String,
    pub definition: String,
    /// `#RRGGBB`.
    pub color: Option<String>,
    pub memo: String,
    /// Order among siblings.
    pub position: i64,
}

/// Membership of a code in a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CodeRole {
    pub code_id: CodeId,
    pub role_id: RoleId,
}

/// A code applied to a span of a document by a coder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    pub id: CodingId,
    pub guid: String,
    pub document_id: DocumentId,
    pub code_id: CodeId,
    pub span: Span,
    pub coder: String,
    pub memo: String,
    pub created_at: String,
    /// 代表的語り: a quote the researcher picked for Table 2.
    #[serde(default)]
    pub exemplar: bool,
}

/// The researcher's 要約 of one matrix cell (case × code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub id: SummaryId,
    pub guid: String,
    pub case_id: CaseId,
    pub code_id: CodeId,
    pub text: String,
    pub author: String,
    pub updated_at: String,
}

/// A segment that supports a summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SummarySegment {
    pub summary_id: SummaryId,
    pub coding_id: CodingId,
}

/// What a researcher has said about a cell beyond its codings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellMark {
    /// The case explicitly says the code does not apply ("no support"), which differs from a
    /// cell that is simply not mentioned.
    Negative,
}

impl CellMark {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CellMark::Negative => "negative",
        }
    }

    /// Parses the stored name.
    pub fn parse(name: &str) -> Option<CellMark> {
        match name.trim() {
            "negative" => Some(CellMark::Negative),
            _ => None,
        }
    }
}

/// A marked matrix cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellState {
    pub case_id: CaseId,
    pub code_id: CodeId,
    pub mark: CellMark,
}

/// A set of rows of every table: what a deletion removed, so that its inverse can put back
/// exactly the same rows with the same ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rows {
    pub attributes: Vec<Attribute>,
    pub cases: Vec<Case>,
    pub attribute_values: Vec<AttributeValue>,
    pub frames: Vec<Frame>,
    pub roles: Vec<Role>,
    pub codes: Vec<Code>,
    pub code_roles: Vec<CodeRole>,
    pub documents: Vec<Document>,
    pub utterances: Vec<Utterance>,
    pub codings: Vec<Coding>,
    pub summaries: Vec<Summary>,
    pub summary_segments: Vec<SummarySegment>,
    pub cell_states: Vec<CellState>,
}

impl Rows {
    /// The keys of the top-level rows, for deleting them again.
    pub fn keys(&self) -> RowKeys {
        RowKeys {
            attributes: self.attributes.iter().map(|row| row.id).collect(),
            cases: self.cases.iter().map(|row| row.id).collect(),
            frames: self.frames.iter().map(|row| row.id).collect(),
            roles: self.roles.iter().map(|row| row.id).collect(),
            codes: self.codes.iter().map(|row| row.id).collect(),
            documents: self.documents.iter().map(|row| row.info.id).collect(),
            codings: self.codings.iter().map(|row| row.id).collect(),
            summaries: self.summaries.iter().map(|row| row.id).collect(),
        }
    }

    /// True when no table has a row.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
            && self.cases.is_empty()
            && self.attribute_values.is_empty()
            && self.frames.is_empty()
            && self.roles.is_empty()
            && self.codes.is_empty()
            && self.code_roles.is_empty()
            && self.documents.is_empty()
            && self.utterances.is_empty()
            && self.codings.is_empty()
            && self.summaries.is_empty()
            && self.summary_segments.is_empty()
            && self.cell_states.is_empty()
    }
}

/// Keys of rows to delete; deleting a row also deletes what depends on it (a code's children,
/// codings, summaries and cell states; a document's utterances and codings; a case's documents,
/// values, summaries and cell states; a coding's summary links).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RowKeys {
    pub attributes: Vec<AttributeId>,
    pub cases: Vec<CaseId>,
    pub frames: Vec<FrameId>,
    pub roles: Vec<RoleId>,
    pub codes: Vec<CodeId>,
    pub documents: Vec<DocumentId>,
    pub codings: Vec<CodingId>,
    pub summaries: Vec<SummaryId>,
}

/// One distinct word form as the tokenizer reports it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Lexeme {
    pub id: i64,
    pub surface: String,
    /// 原形.
    pub base_form: String,
    /// 品詞, 品詞細分類1–3.
    pub pos: [String; 4],
    pub reading: String,
}

/// A token of a document: a code-point span and the lexeme it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TokenSpan {
    pub start: usize,
    pub end: usize,
    pub lexeme_id: i64,
}

/// A term of the project's own user dictionary.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UserTerm {
    pub surface: String,
    pub part_of_speech: String,
    /// Full-width katakana.
    pub reading: String,
}
