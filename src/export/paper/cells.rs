//! The matrix cells as shown (the count, the 要約, every quote with its citation), made once
//! for both layouts of the matrix and for Markdown and HTML. At a million codings the cells
//! hold every quote (hundreds of megabytes), so they are made case by case, each case's
//! quotes cut document by document, and their text goes to a temporary file; only where each
//! cell's text lies stays in memory. The case-rows layout reads a case's cells in one piece,
//! the code-rows layout reads one cell of every case.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use super::grid::Value;
use super::quotes::cut_quotes;
use super::{CellContent, PaperData};
use crate::analysis::{CellStatus, Matrix, Segment};
use crate::model::{CaseId, CodingId};
use crate::{Error, Result};

/// The mark of a cell the researcher marked as a clear negative.
pub(super) const NEGATIVE: &str = "×";

/// Where a cell's value is.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Empty,
    Number(f64),
    /// Bytes `[offset, offset + len)` of the temporary file.
    Text {
        offset: u64,
        len: usize,
    },
}

/// Every matrix cell's value, by case row then column.
pub(super) struct Cells {
    slots: Vec<Vec<Slot>>,
    /// Behind a lock: the sheets of a workbook may be written on two threads.
    file: Mutex<File>,
}

fn spill_error(source: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from("(temporary file of the matrix cells)"),
        source,
    }
}

impl Cells {
    /// Makes every cell of the paper's matrix, case by case.
    pub(super) fn make(paper: &PaperData) -> Result<Cells> {
        let matrix = &paper.matrix;
        let columns = matrix.columns().len();
        let mut out = BufWriter::with_capacity(1 << 20, tempfile::tempfile().map_err(spill_error)?);
        let mut offset = 0u64;
        let mut slots = Vec::with_capacity(matrix.cases.len());
        for case in &matrix.cases {
            let quotes = case_quotes(paper, case.case_id);
            let mut row = Vec::with_capacity(columns);
            for column in 0..columns {
                row.push(match cell_value(paper, case.case_id, column, &quotes) {
                    Value::Empty => Slot::Empty,
                    Value::Number(number) => Slot::Number(number),
                    Value::Text(text) => {
                        out.write_all(text.as_bytes()).map_err(spill_error)?;
                        let slot = Slot::Text {
                            offset,
                            len: text.len(),
                        };
                        offset += text.len() as u64;
                        slot
                    }
                });
            }
            slots.push(row);
        }
        let file = out
            .into_inner()
            .map_err(|error| spill_error(error.into_error()))?;
        Ok(Cells {
            slots,
            file: Mutex::new(file),
        })
    }

    /// The cells of the case in row `case_index` of the matrix, by column.
    pub(super) fn case_row(&self, case_index: usize) -> Result<Vec<Value>> {
        let Some(slots) = self.slots.get(case_index) else {
            return Ok(Vec::new());
        };
        // A case's texts lie one after the other: one read.
        let texts = slots.iter().filter_map(|slot| match slot {
            Slot::Text { offset, len } => Some((*offset, *len)),
            _ => None,
        });
        let start = texts.clone().map(|(offset, _)| offset).min().unwrap_or(0);
        let total: usize = texts.map(|(_, len)| len).sum();
        let bytes = self.read(start, total)?;
        slots
            .iter()
            .map(|slot| match *slot {
                Slot::Text { offset, len } => {
                    let from = usize::try_from(offset - start).unwrap_or(usize::MAX);
                    text_value(bytes.get(from..from.saturating_add(len)))
                }
                other => self.value(other),
            })
            .collect()
    }

    /// The cells of matrix column `column`, by case row.
    pub(super) fn column(&self, column: usize) -> Result<Vec<Value>> {
        self.slots
            .iter()
            .map(|slots| self.value(slots.get(column).copied().unwrap_or(Slot::Empty)))
            .collect()
    }

    fn value(&self, slot: Slot) -> Result<Value> {
        Ok(match slot {
            Slot::Empty => Value::Empty,
            Slot::Number(number) => Value::Number(number),
            Slot::Text { offset, len } => text_value(Some(&self.read(offset, len)?))?,
        })
    }

    fn read(&self, offset: u64, len: usize) -> Result<Vec<u8>> {
        let mut file = self
            .file
            .lock()
            .map_err(|_| spill_error(std::io::Error::other("a thread failed while reading")))?;
        file.seek(SeekFrom::Start(offset)).map_err(spill_error)?;
        let mut bytes = vec![0; len];
        file.read_exact(&mut bytes).map_err(spill_error)?;
        Ok(bytes)
    }
}

/// A text read back: it was written from a `String`, so it is UTF-8.
fn text_value(bytes: Option<&[u8]>) -> Result<Value> {
    let bytes = bytes.ok_or_else(|| spill_error(std::io::ErrorKind::UnexpectedEof.into()))?;
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| spill_error(std::io::ErrorKind::InvalidData.into()))?;
    Ok(Value::text(text))
}

/// True when the cell shows its quotes.
fn shows_quotes(paper: &PaperData, case_id: CaseId, column: usize) -> bool {
    match paper.options.cell {
        CellContent::Count => false,
        CellContent::Summary => paper.matrix.cell(case_id, column).summary.is_none(),
        CellContent::Quotes | CellContent::Both => true,
    }
}

/// The quotes a case's cells show, cut document by document.
fn case_quotes(paper: &PaperData, case_id: CaseId) -> HashMap<CodingId, String> {
    let segments: Vec<&Segment> = (0..paper.matrix.columns().len())
        .filter(|column| shows_quotes(paper, case_id, *column))
        .flat_map(|column| {
            paper
                .matrix
                .cell(case_id, column)
                .coding_ids
                .iter()
                .filter_map(|coding_id| paper.data.segment(*coding_id))
        })
        .collect();
    cut_quotes(&paper.data, &segments)
}

/// What a cell shows, as chosen; `quotes` holds the text of its segments.
fn cell_value(
    paper: &PaperData,
    case_id: CaseId,
    column: usize,
    quotes: &HashMap<CodingId, String>,
) -> Value {
    let matrix: &Matrix = &paper.matrix;
    let cell = matrix.cell(case_id, column);
    let count = cell.segments();
    let status = cell.status();
    let content = paper.options.cell;
    if content == CellContent::Count {
        return match status {
            CellStatus::Negative => Value::text(NEGATIVE),
            CellStatus::Coded if cell.negative => Value::text(format!("{count} ({NEGATIVE})")),
            CellStatus::Coded | CellStatus::NotMentioned => Value::count(count),
        };
    }
    let summary = cell.summary.map(|summary| summary.text.as_str());
    if let (CellContent::Summary, Some(summary)) = (content, summary) {
        return Value::text(summary);
    }
    let mut lines = Vec::new();
    match status {
        CellStatus::Negative => lines.push(NEGATIVE.to_owned()),
        CellStatus::Coded if cell.negative => lines.push(format!("{count} ({NEGATIVE})")),
        CellStatus::Coded => lines.push(count.to_string()),
        CellStatus::NotMentioned => {}
    }
    if let (CellContent::Both, Some(summary)) = (content, summary) {
        lines.push(format!("要約：{summary}"));
    }
    for (_, segment) in matrix.segments_of(&paper.data, case_id, column) {
        lines.push(format!(
            "{}{}{}",
            if segment.exemplar { "★" } else { "" },
            segment.citation.as_deref().unwrap_or(""),
            paper.options.quote_marks.wrap(
                quotes
                    .get(&segment.coding_id)
                    .map_or(segment.text.as_str(), String::as_str)
            )
        ));
    }
    Value::text(lines.join("\n"))
}
