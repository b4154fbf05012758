//! SCAT worksheet commands (大谷尚's Steps for Coding and Theorization). A worksheet belongs to
//! a document; each command reads the sheet, changes it and writes it back whole with
//! [`ScatCommand::Replace`], whose inverse is the sheet as it was. The theme → code bridge
//! compiles to the code-tree commands, so its inverse removes the coding and the new code.

use serde::{Deserialize, Serialize};

use super::{Command, NewCoding};
use crate::codebook::CodeTree;
use crate::model::{CodeId, DocumentId, DocumentInfo, SCAT_STEPS, ScatField, ScatRow, ScatSheet};
use crate::store::Tx;
use crate::{Error, Result};

/// A change to a SCAT worksheet. Rows are numbered from 1 (the 番号 column).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ScatCommand {
    /// Create the worksheet of a document: one row per utterance (the whole text as one row
    /// when the document has no speaker turns).
    Init { document_id: DocumentId },
    /// Write step 〈1〉–〈5〉 of a row.
    SetStep {
        document_id: DocumentId,
        row: usize,
        step: usize,
        text: String,
    },
    /// Write ストーリー・ライン, 理論記述 or さらに追究すべき点・課題.
    SetField {
        document_id: DocumentId,
        field: ScatField,
        text: String,
    },
    /// Cut a row in two `at` characters into its text; the steps stay with the first part.
    SplitRow {
        document_id: DocumentId,
        row: usize,
        at: usize,
    },
    /// Join a row with the next one; their steps are joined line by line.
    JoinRows { document_id: DocumentId, row: usize },
    /// Turn a row's 〈4〉 theme (or `name`) into a code and code the row's text with it; an
    /// existing code of that name under `parent_id` is used as it is.
    ThemeToCode {
        document_id: DocumentId,
        row: usize,
        name: Option<String>,
        parent_id: Option<CodeId>,
        coder: String,
    },
    /// Delete the worksheet of a document.
    Remove { document_id: DocumentId },
    /// Primitive: overwrite (or with `None` delete) the worksheet of a document by its GUID.
    Replace {
        document_guid: String,
        sheet: Option<ScatSheet>,
    },
}

impl ScatCommand {
    /// The label shown in history and in the Edit menu.
    pub fn label(&self) -> String {
        match self {
            ScatCommand::Init { .. } => "SCAT ワークシートの作成".to_owned(),
            ScatCommand::SetStep { row, step, .. } => format!("SCAT 〈{step}〉の編集（{row} 行）"),
            ScatCommand::SetField { field, .. } => format!("SCAT {}の編集", field.heading()),
            ScatCommand::SplitRow { row, .. } => format!("SCAT {row} 行の分割"),
            ScatCommand::JoinRows { row, .. } => format!("SCAT {row} 行と次の行の結合"),
            ScatCommand::ThemeToCode { row, .. } => format!("SCAT {row} 行のテーマをコードに"),
            ScatCommand::Remove { .. } => "SCAT ワークシートの削除".to_owned(),
            ScatCommand::Replace { .. } => "SCAT ワークシートの更新".to_owned(),
        }
    }

    /// Applies the command inside `tx` and returns its inverse.
    pub(crate) fn apply(self, tx: &Tx<'_>) -> Result<Command> {
        match self {
            ScatCommand::Init { document_id } => {
                let document = document(tx, document_id)?;
                if tx.read().scat_sheet(&document.guid)?.is_some() {
                    return Err(Error::Conflict(format!(
                        "document '{}' already has a SCAT worksheet",
                        document.name
                    )));
                }
                let utterances = tx.read().utterances(document_id)?;
                let rows = if utterances.is_empty() {
                    vec![ScatRow {
                        start: 0,
                        end: document.chars,
                        ..ScatRow::default()
                    }]
                } else {
                    utterances
                        .into_iter()
                        .map(|utterance| ScatRow {
                            speaker: utterance.speaker,
                            start: utterance.text_start,
                            end: utterance.end,
                            ..ScatRow::default()
                        })
                        .collect()
                };
                let sheet = ScatSheet {
                    rows,
                    ..ScatSheet::default()
                };
                replace(tx, document.guid, Some(sheet))
            }
            ScatCommand::SetStep {
                document_id,
                row,
                step,
                text,
            } => {
                let (document, mut sheet) = sheet_of(tx, document_id)?;
                if !(1..=SCAT_STEPS).contains(&step) {
                    return Err(Error::Conflict(format!(
                        "SCAT has steps 〈1〉 to 〈{SCAT_STEPS}〉, not {step}"
                    )));
                }
                let index = row_index(&sheet, row, &document)?;
                if let Some(cell) = sheet
                    .rows
                    .get_mut(index)
                    .and_then(|r| r.steps.get_mut(step - 1))
                {
                    *cell = text;
                }
                replace(tx, document.guid, Some(sheet))
            }
            ScatCommand::SetField {
                document_id,
                field,
                text,
            } => {
                let (document, mut sheet) = sheet_of(tx, document_id)?;
                *field.of_mut(&mut sheet) = text;
                replace(tx, document.guid, Some(sheet))
            }
            ScatCommand::SplitRow {
                document_id,
                row,
                at,
            } => {
                let (document, mut sheet) = sheet_of(tx, document_id)?;
                let index = row_index(&sheet, row, &document)?;
                let Some(first) = sheet.rows.get_mut(index) else {
                    return Err(Error::Conflict(format!("no row {row}")));
                };
                let length = first.end.saturating_sub(first.start);
                if at == 0 || at >= length {
                    return Err(Error::Conflict(format!(
                        "row {row} of the SCAT worksheet of '{}' has {length} characters: split it at 1 to {}",
                        document.name,
                        length.saturating_sub(1)
                    )));
                }
                let second = ScatRow {
                    speaker: first.speaker.clone(),
                    start: first.start + at,
                    end: first.end,
                    ..ScatRow::default()
                };
                first.end = first.start + at;
                sheet.rows.insert(index + 1, second);
                replace(tx, document.guid, Some(sheet))
            }
            ScatCommand::JoinRows { document_id, row } => {
                let (document, mut sheet) = sheet_of(tx, document_id)?;
                let index = row_index(&sheet, row, &document)?;
                if index + 1 >= sheet.rows.len() {
                    return Err(Error::Conflict(format!(
                        "row {row} is the last row of the SCAT worksheet of '{}': nothing to join it with",
                        document.name
                    )));
                }
                let next = sheet.rows.remove(index + 1);
                if let Some(first) = sheet.rows.get_mut(index) {
                    first.end = next.end.max(first.end);
                    if first.speaker != next.speaker && !next.speaker.is_empty() {
                        first.speaker = if first.speaker.is_empty() {
                            next.speaker
                        } else {
                            format!("{}・{}", first.speaker, next.speaker)
                        };
                    }
                    for (mine, theirs) in first.steps.iter_mut().zip(next.steps) {
                        if mine.is_empty() {
                            *mine = theirs;
                        } else if !theirs.is_empty() {
                            mine.push('\n');
                            mine.push_str(&theirs);
                        }
                    }
                }
                replace(tx, document.guid, Some(sheet))
            }
            ScatCommand::ThemeToCode {
                document_id,
                row,
                name,
                parent_id,
                coder,
            } => theme_to_code(tx, document_id, row, name, parent_id, coder),
            ScatCommand::Remove { document_id } => {
                let (document, _) = sheet_of(tx, document_id)?;
                replace(tx, document.guid, None)
            }
            ScatCommand::Replace {
                document_guid,
                sheet,
            } => {
                let previous = tx.replace_scat_sheet(&document_guid, sheet.as_ref())?;
                Ok(Command::Scat(ScatCommand::Replace {
                    document_guid,
                    sheet: previous,
                }))
            }
        }
    }
}

fn replace(tx: &Tx<'_>, document_guid: String, sheet: Option<ScatSheet>) -> Result<Command> {
    ScatCommand::Replace {
        document_guid,
        sheet,
    }
    .apply(tx)
}

fn document(tx: &Tx<'_>, document_id: DocumentId) -> Result<DocumentInfo> {
    tx.read()
        .document_info(document_id)?
        .ok_or_else(|| Error::NoSuchDocument(format!("id {document_id}")))
}

/// The document and its worksheet, or an error that says how to create one.
fn sheet_of(tx: &Tx<'_>, document_id: DocumentId) -> Result<(DocumentInfo, ScatSheet)> {
    let document = document(tx, document_id)?;
    match tx.read().scat_sheet(&document.guid)? {
        Some(sheet) => Ok((document, sheet)),
        None => Err(Error::Conflict(format!(
            "document '{}' has no SCAT worksheet yet (create it with `casecode scat PROJECT --doc {} init`)",
            document.name, document.name
        ))),
    }
}

/// The 0-based index of 1-based row `row`.
fn row_index(sheet: &ScatSheet, row: usize, document: &DocumentInfo) -> Result<usize> {
    if row == 0 || row > sheet.rows.len() {
        return Err(Error::Conflict(format!(
            "the SCAT worksheet of '{}' has rows 1 to {}, not {row}",
            document.name,
            sheet.rows.len()
        )));
    }
    Ok(row - 1)
}

fn theme_to_code(
    tx: &Tx<'_>,
    document_id: DocumentId,
    row: usize,
    name: Option<String>,
    parent_id: Option<CodeId>,
    coder: String,
) -> Result<Command> {
    let (document, sheet) = sheet_of(tx, document_id)?;
    let index = row_index(&sheet, row, &document)?;
    let Some(scat_row) = sheet.rows.get(index) else {
        return Err(Error::Conflict(format!("no row {row}")));
    };
    let name = name
        .unwrap_or_else(|| scat_row.steps[3].clone())
        .trim()
        .to_owned();
    if name.is_empty() {
        return Err(Error::Conflict(format!(
            "row {row} of the SCAT worksheet of '{}' has no 〈4〉 theme to turn into a code",
            document.name
        )));
    }
    let coding = NewCoding {
        document_id,
        code_id: CodeId(0),
        start: scat_row.start,
        end: scat_row.end,
        coder,
        memo: format!("SCAT {}-{row} 〈4〉", document.name),
    };
    let tree = CodeTree::new(tx.read().codes()?);
    match tree.child_named(parent_id, &name) {
        Some(code_id) => Command::AddCodings {
            codings: vec![NewCoding { code_id, ..coding }],
        }
        .apply(tx),
        None => Command::CodeInVivo {
            parent_id,
            name,
            coding,
        }
        .apply(tx),
    }
}
