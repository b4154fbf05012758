//! Every change to a project is a [`Command`]. Applying one inside a transaction returns its
//! inverse, itself a command, so that undo and redo are just more applications. User-facing
//! commands carry what the researcher asked for; their inverses are built from a few primitive
//! commands (insert rows, delete rows, update rows) that restore ids exactly.

mod add_codings;
mod apply;
mod coders;
mod codes;
mod corpus_filters;
mod exchange;
mod footprint;
mod import_exchange;
mod imports;
mod merge;
mod mgta;
mod reconcile;
mod revise;
mod scat;
mod values;

pub use apply::new_guid;
pub use exchange::{
    Exchange, ExchangeCase, ExchangeCode, ExchangeCoding, ExchangeDocument, ExchangeFrame,
    ExchangeRole, ExchangeSummary, ExchangeVariable,
};
pub use footprint::Footprint;
pub use merge::{MergePlan, MergeSource, merge_source, plan_merge};
pub use mgta::{MgtaCommand, default_box_position, full_variation_order};
pub use reconcile::{Reconciliation, Take};
pub use scat::ScatCommand;

use serde::{Deserialize, Serialize};

use crate::codebook::Codebook;
use crate::model::{
    Attribute, AttributeId, AttributeKind, CaseId, CellMark, Code, CodeId, Coder, CoderId,
    CodingId, CodingReview, DocumentId, DocumentMetadata, MemoTarget, Orphan, RoleId, RowKeys,
    Rows, Span, Summary, UserTerm, Utterance,
};
use crate::revise::TextEdit;
use crate::text::ParsedUtterance;

/// A transcript ready to be stored: decoded, utterances found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDocument {
    pub name: String,
    pub case_name: String,
    pub text: String,
    pub encoding: String,
    pub source_path: String,
    pub utterances: Vec<NewUtterance>,
    /// Source format, filters applied and import notes.
    #[serde(default)]
    pub metadata: DocumentMetadata,
}

/// An utterance of a [`NewDocument`], offsets in code points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUtterance {
    pub number: u32,
    pub speaker: String,
    pub start: usize,
    pub text_start: usize,
    pub end: usize,
}

impl From<ParsedUtterance> for NewUtterance {
    fn from(parsed: ParsedUtterance) -> NewUtterance {
        NewUtterance {
            number: parsed.number,
            speaker: parsed.speaker,
            start: parsed.start,
            text_start: parsed.text_start,
            end: parsed.end,
        }
    }
}

/// A coding to add, by ids; offsets in code points, half-open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCoding {
    pub document_id: DocumentId,
    pub code_id: CodeId,
    pub start: usize,
    pub end: usize,
    pub coder: String,
    pub memo: String,
}

/// An attribute column of an attributes table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeColumn {
    pub name: String,
    pub kind: AttributeKind,
    /// Written in the header (`勤務年数:integer`) rather than inferred.
    pub declared: bool,
}

/// Case attributes read from a table: one row per case, values canonical for their column's
/// kind, `None` for an empty cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeTable {
    pub columns: Vec<AttributeColumn>,
    pub rows: Vec<(String, Vec<Option<String>>)>,
}

/// A change to a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Store transcripts; cases are created by name when missing.
    ImportDocuments { documents: Vec<NewDocument> },
    /// Create or update attributes and cases and set their values.
    ImportAttributes { table: AttributeTable },
    /// Store documents and set case attributes in one step: a survey (one case per row), or
    /// transcripts whose `＠` headers became attributes. `source` names the file or folder.
    ImportCases {
        source: String,
        documents: Vec<NewDocument>,
        table: AttributeTable,
    },
    /// Merge a codebook (frames, roles, code tree) into the project's.
    ImportCodebook { codebook: Codebook },
    /// Import a REFI-QDA project (.qdpx) or codebook (.qdc), keeping its GUIDs.
    ImportExchange { exchange: Box<Exchange> },
    /// Create one code.
    AddCode {
        parent_id: Option<CodeId>,
        name: String,
        definition: String,
        color: Option<String>,
        roles: Vec<RoleId>,
    },
    /// Rename a code.
    RenameCode { code_id: CodeId, name: String },
    /// Move a code (with its subtree) under another parent, or to the top with `None`.
    MoveCode {
        code_id: CodeId,
        parent_id: Option<CodeId>,
    },
    /// Change a code's definition, colour, memo or roles (`None` keeps the current one).
    EditCode {
        code_id: CodeId,
        definition: Option<String>,
        color: Option<Option<String>>,
        memo: Option<String>,
        roles: Option<Vec<RoleId>>,
    },
    /// Move every segment, child and role of `source_id` into `target_id`, then delete it.
    MergeCodes {
        source_id: CodeId,
        target_id: CodeId,
    },
    /// Delete a code with its subtree and their segments.
    DeleteCode { code_id: CodeId },
    /// Apply codes to spans.
    AddCodings { codings: Vec<NewCoding> },
    /// Remove codings.
    RemoveCodings { coding_ids: Vec<CodingId> },
    /// Give codings another code (their spans, coders and memos stay).
    RecodeCodings {
        coding_ids: Vec<CodingId>,
        code_id: CodeId,
    },
    /// In-vivo coding: create a code named after the participant's own words and apply it to
    /// the span they were taken from, as one step (`coding.code_id` is ignored).
    CodeInVivo {
        parent_id: Option<CodeId>,
        name: String,
        coding: NewCoding,
    },
    /// Write (or with empty text and no links, remove) the 要約 of a matrix cell and link the
    /// segments that support it (`None` keeps the current links).
    SetSummary {
        case_id: CaseId,
        code_id: CodeId,
        text: String,
        coding_ids: Option<Vec<CodingId>>,
        /// Who wrote it (the project's coder).
        author: String,
    },
    /// Mark a cell "explicitly negative", or clear the mark with `None`.
    SetCellState {
        case_id: CaseId,
        code_id: CodeId,
        mark: Option<CellMark>,
    },
    /// Flag codings as exemplars (代表的語り) for Table 2, or unflag them.
    SetExemplar {
        coding_ids: Vec<CodingId>,
        exemplar: bool,
    },
    /// Write the memo of a coding.
    SetCodingMemo { coding_id: CodingId, memo: String },
    /// Add terms to the project's user dictionary (or replace terms with the same surface).
    AddUserTerms { terms: Vec<UserTerm> },
    /// Remove terms from the project's user dictionary.
    RemoveUserTerms { surfaces: Vec<String> },

    /// Set one case's value of one attribute, or clear it with `None`. The value must fit the
    /// attribute's kind (integer, number, date, text) and is stored in its canonical form
    /// (`１５` → `15`, `2024年8月5日` → `2024-08-05`).
    SetAttributeValue {
        case_id: CaseId,
        attribute_id: AttributeId,
        value: Option<String>,
    },
    /// Write the memo of the project, a case, a document, a code or a coding (empty: no memo).
    SetMemo { target: MemoTarget, text: String },

    // Primitives: the building blocks of inverses.
    /// Insert rows with their ids.
    InsertRows(Box<Rows>),
    /// Delete rows and what depends on them.
    DeleteRows(RowKeys),
    /// Overwrite code rows.
    UpdateCodes(Vec<Code>),
    /// Overwrite the roles of codes.
    SetCodeRoles(Vec<(CodeId, Vec<RoleId>)>),
    /// Point codings at codes.
    ReassignCodings(Vec<(CodingId, CodeId)>),
    /// Set or remove attribute values.
    SetAttributeValues(Vec<(CaseId, AttributeId, Option<String>)>),
    /// Overwrite attribute rows.
    UpdateAttributes(Vec<Attribute>),
    /// Overwrite a summary row and its links.
    ReplaceSummary {
        summary: Summary,
        links: Vec<CodingId>,
    },
    /// Set or clear cell marks.
    SetCellStates(Vec<(CaseId, CodeId, Option<CellMark>)>),
    /// Set exemplar flags.
    SetExemplars(Vec<(CodingId, bool)>),
    /// Set coding memos.
    SetCodingMemos(Vec<(CodingId, String)>),
    /// Overwrite memos.
    SetMemos(Vec<(MemoTarget, String)>),
    /// Set (or with `None` remove) user dictionary terms by surface.
    SetUserTerms(Vec<(String, Option<UserTerm>)>),
    /// Set (or with `None` remove) REFI-QDA GUIDs of users, selections and memo notes, by kind
    /// and key.
    SetRefiGuids(Vec<(String, String, Option<String>)>),
    /// Revise a document's text by edits of its current text (code points, sorted, apart):
    /// every coding is re-anchored, clipped ones are flagged 要確認, those whose text is gone
    /// become orphans; the utterances are the given ones (an import found them) or are found
    /// again.
    ReviseDocument {
        document_id: DocumentId,
        edits: Vec<TextEdit>,
        utterances: Option<Vec<NewUtterance>>,
    },
    /// Replace every occurrence of `find` with `with` in the given documents (all when `None`),
    /// each revised as by `ReviseDocument` (anonymising a name: 山田 → ○○).
    ReplaceText {
        find: String,
        with: String,
        document_ids: Option<Vec<DocumentId>>,
    },
    /// Put an orphan back on a span of its document, as the coding it was.
    ReattachOrphan {
        orphan_id: i64,
        start: usize,
        end: usize,
    },
    /// Delete orphans for good.
    DeleteOrphans { orphan_ids: Vec<i64> },
    /// Apply text edits to a document (text, length, hash; its token index is dropped).
    EditText {
        document_id: DocumentId,
        edits: Vec<TextEdit>,
    },
    /// Replace a document's utterances.
    SetUtterances {
        document_id: DocumentId,
        utterances: Vec<Utterance>,
    },
    /// Move codings to spans.
    SetCodingSpans(Vec<(CodingId, Span)>),
    /// Set (or with `None` clear) 要確認 flags, by coding GUID.
    SetCodingReviews(Vec<(String, Option<CodingReview>)>),
    /// Insert orphans with their ids.
    InsertOrphans(Vec<Orphan>),
    /// Remove orphans by id.
    RemoveOrphans(Vec<i64>),
    /// Add base forms to the project's stop words (left out of the word-frequency list).
    AddStopWords { words: Vec<String> },
    /// Remove base forms from the project's stop words.
    RemoveStopWords { words: Vec<String> },
    /// Say which speaker labels are interviewers (`Some(true)`), are not (`Some(false)`), or
    /// follow the built-in guess again (`None`). Its own inverse.
    SetSpeakerRoles { roles: Vec<(String, Option<bool>)> },
    /// Add (`true`) or remove (`false`) stop words.
    SetStopWords(Vec<(String, bool)>),
    /// Place a code among its siblings: just before `before` (a sibling), or last with `None`.
    ReorderCode {
        code_id: CodeId,
        before: Option<CodeId>,
    },
    /// A change to a SCAT worksheet.
    Scat(ScatCommand),
    /// A change to the M-GTA analysis (settings, variations, 理論的メモ, 結果図).
    Mgta(MgtaCommand),
    /// Rename a coder (its GUID, colour and codings stay).
    RenameCoder { name: String, new_name: String },
    /// Merge coder `source` into `target` (identity drift: `yamada` and `山田`); identical
    /// codings of the two become one.
    MergeCoders { source: String, target: String },
    /// Bring another copy of the project (a second coder's) into this one (see
    /// [`plan_merge`]).
    MergeProject { source: Box<MergeSource> },
    /// Write consensus codings (coder 合意) where two coders disagree.
    Reconcile { decision: Reconciliation },
    /// Insert, overwrite (`Some`) or delete (`None`) coder rows by id.
    SetCoders(Vec<(CoderId, Option<Coder>)>),
    /// Point codings, summaries and journal lines at other coders.
    ReassignCoders(Box<crate::store::CoderReferences>),
    /// Several commands as one.
    Batch(Vec<Command>),
}

/// The longest in-vivo code name, in characters; longer spans are cut with "…".
pub const IN_VIVO_MAX_CHARS: usize = 40;

/// The name of an in-vivo code taken from a span's text: line breaks and runs of spaces
/// (also full-width) become one space, the ends are trimmed, and a long span is cut at
/// [`IN_VIVO_MAX_CHARS`] with "…".
pub fn in_vivo_name(text: &str) -> String {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    if joined.chars().count() <= IN_VIVO_MAX_CHARS {
        return joined;
    }
    let mut cut: String = joined.chars().take(IN_VIVO_MAX_CHARS - 1).collect();
    cut.push('…');
    cut
}

impl Command {
    /// The label shown in history and in the Edit menu ("元に戻す: …").
    pub fn label(&self) -> String {
        match self {
            Command::ImportDocuments { documents } => match documents.as_slice() {
                [one] => format!("文書「{}」の取り込み", one.name),
                many => format!("文書 {} 件の取り込み", many.len()),
            },
            Command::ImportAttributes { table } => format!(
                "事例属性の取り込み（{} 事例 × {} 属性）",
                table.rows.len(),
                table.columns.len()
            ),
            Command::ImportCases {
                source,
                documents,
                table,
            } => format!(
                "「{source}」の取り込み（事例 {} 件・文書 {} 件）",
                table.rows.len(),
                documents.len()
            ),
            Command::ImportCodebook { codebook } => {
                format!("コードブックの取り込み（{} コード）", codebook.code_count())
            }
            Command::ImportExchange { exchange } => format!(
                "REFI-QDA の取り込み（{} 文書, {} コード, {} コーディング）",
                exchange.documents.len(),
                exchange.codes.len(),
                exchange.codings.len()
            ),
            Command::AddCode { name, .. } => format!("コード「{name}」の作成"),
            Command::RenameCode { name, .. } => format!("コード名の変更（→「{name}」）"),
            Command::MoveCode { .. } => "コードの移動".to_owned(),
            Command::EditCode { .. } => "コードの編集".to_owned(),
            Command::MergeCodes { .. } => "コードの統合".to_owned(),
            Command::DeleteCode { .. } => "コードの削除".to_owned(),
            Command::AddCodings { codings } => match codings.len() {
                1 => "コードの適用".to_owned(),
                count => format!("コードの適用（{count} 件）"),
            },
            Command::RecodeCodings { coding_ids, .. } => match coding_ids.len() {
                1 => "コードの付け替え".to_owned(),
                count => format!("コードの付け替え（{count} 件）"),
            },
            Command::CodeInVivo { name, .. } => format!("インビボ・コード「{name}」の作成と適用"),
            Command::RemoveCodings { coding_ids } => match coding_ids.len() {
                1 => "コーディングの削除".to_owned(),
                count => format!("コーディングの削除（{count} 件）"),
            },
            Command::SetSummary { .. } => "要約の編集".to_owned(),
            Command::SetCellState { mark: Some(_), .. } => "セルを「明確に否定」に設定".to_owned(),
            Command::SetCellState { mark: None, .. } => "セルの状態の解除".to_owned(),
            Command::SetExemplar { exemplar: true, .. } => "代表的語りに設定".to_owned(),
            Command::SetExemplar {
                exemplar: false, ..
            } => "代表的語りの解除".to_owned(),
            Command::SetCodingMemo { .. } => "コーディングのメモの編集".to_owned(),
            Command::AddUserTerms { terms } => match terms.as_slice() {
                [one] => format!("ユーザー辞書に「{}」を追加", one.surface),
                many => format!("ユーザー辞書に {} 語を追加", many.len()),
            },
            Command::RemoveUserTerms { surfaces } => match surfaces.as_slice() {
                [one] => format!("ユーザー辞書から「{one}」を削除"),
                many => format!("ユーザー辞書から {} 語を削除", many.len()),
            },
            Command::SetAttributeValue { value: Some(_), .. } => "属性値の編集".to_owned(),
            Command::SetAttributeValue { value: None, .. } => "属性値の削除".to_owned(),
            Command::SetMemo { target, .. } => match target {
                MemoTarget::Project => "プロジェクトメモの編集",
                MemoTarget::Case(_) => "事例のメモの編集",
                MemoTarget::Document(_) => "文書のメモの編集",
                MemoTarget::Code(_) => "コードのメモの編集",
                MemoTarget::Coding(_) => "コーディングのメモの編集",
            }
            .to_owned(),
            Command::InsertRows(_) => "行の復元".to_owned(),
            Command::DeleteRows(_) => "行の削除".to_owned(),
            Command::UpdateCodes(_) => "コードの更新".to_owned(),
            Command::SetCodeRoles(_) => "役割の設定".to_owned(),
            Command::ReassignCodings(_) => "コーディングの付け替え".to_owned(),
            Command::SetAttributeValues(_) => "属性値の設定".to_owned(),
            Command::UpdateAttributes(_) => "属性の更新".to_owned(),
            Command::ReplaceSummary { .. } => "要約の更新".to_owned(),
            Command::SetCellStates(_) => "セルの状態の設定".to_owned(),
            Command::SetExemplars(_) => "代表的語りの設定".to_owned(),
            Command::SetCodingMemos(_) => "メモの設定".to_owned(),
            Command::SetMemos(_) => "メモの設定".to_owned(),
            Command::SetUserTerms(_) => "ユーザー辞書の設定".to_owned(),
            Command::SetRefiGuids(_) => "REFI-QDA の GUID の設定".to_owned(),
            Command::ReviseDocument { edits, .. } => {
                let (_, deleted, inserted) = revise::diff_size(edits);
                format!("逐語録の改訂（+{inserted} −{deleted} 文字）")
            }
            Command::ReplaceText { find, with, .. } => format!("「{find}」を「{with}」に置換"),
            Command::ReattachOrphan { .. } => "孤立コーディングの再配置".to_owned(),
            Command::DeleteOrphans { orphan_ids } => {
                format!("孤立コーディングの削除（{} 件）", orphan_ids.len())
            }
            Command::EditText { .. } => "本文の編集".to_owned(),
            Command::SetUtterances { .. } => "発話の更新".to_owned(),
            Command::SetCodingSpans(_) => "コーディング範囲の更新".to_owned(),
            Command::SetCodingReviews(_) => "要確認の設定".to_owned(),
            Command::InsertOrphans(_) => "孤立コーディングの保存".to_owned(),
            Command::RemoveOrphans(_) => "孤立コーディングの除去".to_owned(),
            Command::AddStopWords { words } => match words.as_slice() {
                [one] => format!("ストップワード「{one}」の追加"),
                many => format!("ストップワード {} 語の追加", many.len()),
            },
            Command::RemoveStopWords { words } => match words.as_slice() {
                [one] => format!("ストップワード「{one}」の削除"),
                many => format!("ストップワード {} 語の削除", many.len()),
            },
            Command::SetSpeakerRoles { .. } => "話者の役割の設定".to_owned(),
            Command::SetStopWords(_) => "ストップワードの設定".to_owned(),
            Command::ReorderCode { .. } => "コードの並べ替え".to_owned(),
            Command::Scat(command) => command.label(),
            Command::Mgta(command) => command.label(),
            Command::RenameCoder { name, new_name } => {
                format!("コーダー名の変更（「{name}」→「{new_name}」）")
            }
            Command::MergeCoders { source, target } => {
                format!("コーダーの統合（「{source}」→「{target}」）")
            }
            Command::MergeProject { source } => format!("プロジェクト「{}」の統合", source.file),
            Command::Reconcile { decision } => {
                format!("合意の記録（{}）", decision.take.describe_short())
            }
            Command::SetCoders(_) => "コーダーの設定".to_owned(),
            Command::ReassignCoders(_) => "コーダーの付け替え".to_owned(),
            Command::Batch(commands) => format!("{} 件の操作", commands.len()),
        }
    }

    /// What the journal records besides the label: the command itself, except that bulky
    /// payloads (transcript texts, whole tables) are summarised.
    pub fn detail(&self) -> String {
        let summary = match self {
            Command::ImportDocuments { documents } => serde_json::json!({
                "documents": documents.iter().map(|document| serde_json::json!({
                    "name": document.name,
                    "case": document.case_name,
                    "chars": document.text.chars().count(),
                    "encoding": document.encoding,
                    "source": document.source_path,
                })).collect::<Vec<_>>()
            }),
            Command::ImportAttributes { table } => serde_json::json!({
                "columns": table.columns.iter().map(|column| &column.name).collect::<Vec<_>>(),
                "cases": table.rows.len(),
            }),
            Command::ImportCases {
                source,
                documents,
                table,
            } => serde_json::json!({
                "source": source,
                "documents": documents.len(),
                "columns": table.columns.iter().map(|column| &column.name).collect::<Vec<_>>(),
                "cases": table.rows.len(),
            }),
            Command::ImportCodebook { codebook } => serde_json::json!({
                "frames": codebook.frames.len(),
                "codes": codebook.code_count(),
            }),
            Command::ImportExchange { exchange } => serde_json::json!({
                "file": exchange.file,
                "documents": exchange.documents.len(),
                "cases": exchange.cases.len(),
                "codes": exchange.codes.len(),
                "codings": exchange.codings.len(),
                "summaries": exchange.summaries.len(),
            }),
            Command::AddCodings { codings } if codings.len() > 20 => serde_json::json!({
                "codings": codings.len(),
            }),
            Command::InsertRows(rows) => serde_json::json!({ "restored": rows.keys() }),
            // A revision is journalled with the size of its diff, not the texts.
            Command::ReviseDocument {
                document_id, edits, ..
            }
            | Command::EditText { document_id, edits } => {
                let (count, deleted, inserted) = revise::diff_size(edits);
                serde_json::json!({
                    "document_id": document_id,
                    "edits": count,
                    "deleted_chars": deleted,
                    "inserted_chars": inserted,
                })
            }
            Command::MergeProject { source } => serde_json::json!({
                "file": source.file,
                "documents": source.rows.documents.len(),
                "codes": source.rows.codes.len(),
                "codings": source.rows.codings.len(),
            }),
            other => serde_json::to_value(other).unwrap_or_default(),
        };
        summary.to_string()
    }
}
