//! The tables read through the code axis: the 事例-コード・マトリックス with cases as rows
//! (attributes as leading columns, multi-level code headers カテゴリー ▸ サブカテゴリー ▸
//! 焦点コード), the transposed layout with codes as rows, the plain count matrix for CSV,
//! (the クロス集計 is in `crosstab.rs`). Built from [`Matrix`](crate::analysis::Matrix), so the
//! counts are those of `casecode matrix`.

use super::cells::{Cells, NEGATIVE};
use super::grid::{Grid, Merge, Value, label_widths, tree_labels};
use super::table::{Body, Table};
use super::tables::{attribute_value, case_order, column_path, level_title};
use super::{CellContent, MATRIX_SHEET, PaperData, TRANSPOSED_SHEET};
use crate::Result;
use crate::analysis::{CellStatus, Matrix};
use crate::model::Attribute;

/// The counting rules under every table read through the matrix, one short line each so
/// that they print within a page.
pub(super) const COUNTING: [&str; 3] = [
    "セグメント数: 別個の箇所（パッセージ）を数える。同じ範囲は誰が何度コードしても1、同じ列へまとまる別々のコードの重なる範囲も1。事例数: 重複なし。",
    "× = 明確に否定。空欄・0 = 言及なし（不在の証拠ではない）。",
    "★ = 代表的語り。出典は 事例-発話番号。",
];

/// The notes under a matrix: the counting rule and the coder scope.
fn notes(paper: &PaperData) -> Vec<String> {
    let mut notes: Vec<String> = COUNTING.map(str::to_owned).to_vec();
    notes.push(if paper.options.coders.is_empty() {
        "コーダー: 全員（同じ文書・コード・範囲のコーディングは 1 箇所として数え、引用は 1 回）。"
            .to_owned()
    } else {
        format!(
            "コーダー: {} のコーディングのみ。",
            paper.options.coders.join("・")
        )
    });
    notes
}

/// The attributes shown before the codes: the grouping attribute first.
fn leading_attributes(paper: &PaperData) -> Vec<&Attribute> {
    let mut attributes: Vec<&Attribute> = paper.group_by.iter().collect();
    attributes.extend(
        paper
            .attributes
            .iter()
            .filter(|attribute| Some(attribute.id) != paper.group_by.as_ref().map(|a| a.id)),
    );
    attributes
}

/// The titles of the label columns of a code axis: levels of the tree, or frame and role.
pub(super) fn label_titles(matrix: &Matrix, levels: usize) -> Vec<String> {
    let roles = matrix.columns().iter().any(|column| column.depth.is_none());
    (0..levels)
        .map(|depth| match (roles, depth) {
            (true, 0) => "フレーム".to_owned(),
            (true, _) => "役割".to_owned(),
            (false, depth) => level_title(depth),
        })
        .collect()
}

fn cell_width(paper: &PaperData) -> f64 {
    if paper.options.cell == CellContent::Count {
        9.0
    } else {
        30.0
    }
}

/// The 事例-コード・マトリックス: cases as rows (grouped), attributes as leading columns,
/// codes as columns under merged multi-level headers, totals in the last column and rows.
/// The cells are read from [`Cells`] as each case's row is written.
pub(super) fn matrix(paper: &PaperData) -> Result<Table<'_>> {
    let matrix = &paper.matrix;
    let attributes = leading_attributes(paper);
    let paths: Vec<Vec<String>> = matrix
        .columns()
        .iter()
        .map(|column| column_path(paper, column))
        .collect();
    let levels = paths.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let lead = 1 + attributes.len();
    let width = lead + paths.len() + 1;
    let mut rows = vec![vec![Value::Empty; width]; levels];
    let mut merges = Vec::new();
    let mut titles = vec![Value::text("事例")];
    titles.extend(attributes.iter().map(|a| Value::text(a.name.clone())));
    titles.push(Value::text("合計"));
    for (index, title) in titles.into_iter().enumerate() {
        let column = if index < lead { index } else { width - 1 };
        set(&mut rows, 0, column, title);
        merges.push(Merge {
            first_row: 0,
            first_column: column,
            last_row: levels - 1,
            last_column: column,
        });
    }
    let (lines, spans) = tree_labels(&paths, levels);
    for (level, line) in lines.into_iter().enumerate() {
        for (position, label) in line.into_iter().enumerate() {
            set(&mut rows, level, lead + position, Value::text(label));
        }
    }
    merges.extend(
        spans
            .into_iter()
            .map(|(first_level, last_level, first, last)| Merge {
                first_row: first_level,
                first_column: lead + first,
                last_row: last_level,
                last_column: lead + last,
            }),
    );
    let cells = paper.cells()?;
    for case in &matrix.cases {
        let mut row = vec![Value::text(case.name.clone())];
        row.extend(
            attributes
                .iter()
                .map(|attribute| attribute_value(paper, case.case_id, attribute)),
        );
        // The cells, filled in as the row is written.
        row.resize(lead + paths.len(), Value::Empty);
        row.push(Value::count(matrix.case_totals(case.case_id).segments));
        rows.push(row);
    }
    if paper.group_by.is_some() {
        merges.extend(group_runs(matrix, levels, 1));
    }
    let totals = matrix.column_totals();
    let mut segments_row = vec![Value::text("合計（セグメント数）")];
    let mut cases_row = vec![Value::text("言及事例数")];
    segments_row.resize(lead, Value::Empty);
    cases_row.resize(lead, Value::Empty);
    segments_row.extend(totals.iter().map(|total| Value::count(total.segments)));
    segments_row.push(Value::count(totals.iter().map(|t| t.segments).sum()));
    cases_row.extend(totals.iter().map(|total| Value::count(total.coded)));
    for footer in [segments_row, cases_row] {
        let row = rows.len();
        rows.push(footer);
        merges.push(Merge {
            first_row: row,
            first_column: 0,
            last_row: row,
            last_column: lead - 1,
        });
    }
    let mut grid = Grid {
        name: MATRIX_SHEET.to_owned(),
        header_rows: levels,
        label_columns: lead,
        rows,
        merges: merges.into_iter().filter(Merge::spans).collect(),
        notes: notes(paper),
        ..Grid::default()
    };
    grid.fit_widths(6.0, 20.0, |column| {
        column < lead || column >= lead + paths.len()
    });
    for column in lead..lead + paths.len() {
        if let Some(slot) = grid.widths.get_mut(column) {
            *slot = cell_width(paper);
        }
    }
    let rows = grid.rows.split_off(levels);
    Ok(Table::streamed(
        grid,
        Box::new(CellBody {
            rows,
            cells,
            first_column: lead,
            filled_rows: matrix.cases.len(),
            read: Cells::case_row,
        }),
    ))
}

/// Vertical merges of the grouping attribute's cells over consecutive cases of one group.
fn group_runs(matrix: &Matrix, first_row: usize, column: usize) -> Vec<Merge> {
    let mut merges = Vec::new();
    let mut start = 0;
    for index in 1..=matrix.cases.len() {
        let same = matrix.cases.get(index).map(|case| &case.group)
            == matrix.cases.get(start).map(|case| &case.group);
        if !same || index == matrix.cases.len() {
            if index - 1 > start {
                merges.push(Merge {
                    first_row: first_row + start,
                    first_column: column,
                    last_row: first_row + index - 1,
                    last_column: column,
                });
            }
            start = index;
        }
    }
    merges
}

pub(super) fn set(rows: &mut [Vec<Value>], row: usize, column: usize, value: Value) {
    if let Some(slot) = rows.get_mut(row).and_then(|cells| cells.get_mut(column)) {
        *slot = value;
    }
}

/// The transposed matrix (the layout most Japanese papers print): codes as rows under
/// merged カテゴリー and サブカテゴリー cells, cases as columns (under their group when
/// grouped), totals in the last column and row. The cells are read from [`Cells`] as each
/// code's row is written.
pub(super) fn transposed(paper: &PaperData) -> Result<Table<'_>> {
    let matrix = &paper.matrix;
    let paths: Vec<Vec<String>> = matrix
        .columns()
        .iter()
        .map(|column| column_path(paper, column))
        .collect();
    let levels = paths.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let grouped = paper.group_by.is_some();
    let header_rows = if grouped { 2 } else { 1 };
    let width = levels + matrix.cases.len() + 2;
    let mut rows = vec![vec![Value::Empty; width]; header_rows];
    let mut merges = Vec::new();
    let mut titles: Vec<(usize, String)> = label_titles(matrix, levels)
        .into_iter()
        .enumerate()
        .collect();
    titles.push((width - 2, "合計".to_owned()));
    titles.push((width - 1, "言及事例数".to_owned()));
    for (column, title) in titles {
        set(&mut rows, 0, column, Value::text(title));
        merges.push(Merge {
            first_row: 0,
            first_column: column,
            last_row: header_rows - 1,
            last_column: column,
        });
    }
    for (index, case) in matrix.cases.iter().enumerate() {
        let column = levels + index;
        set(
            &mut rows,
            header_rows - 1,
            column,
            Value::text(case.name.clone()),
        );
        if grouped {
            set(
                &mut rows,
                0,
                column,
                Value::text(
                    case.group
                        .clone()
                        .unwrap_or_else(|| "（値なし）".to_owned()),
                ),
            );
        }
    }
    if grouped {
        // The same runs as the case rows, turned to run along the first header row.
        merges.extend(group_runs(matrix, 0, 0).into_iter().map(|run| Merge {
            first_row: 0,
            first_column: levels + run.first_row,
            last_row: 0,
            last_column: levels + run.last_row,
        }));
    }
    let (lines, spans) = tree_labels(&paths, levels);
    let totals = matrix.column_totals();
    let cells = paper.cells()?;
    for (index, _) in paths.iter().enumerate() {
        let mut row: Vec<Value> = lines
            .iter()
            .map(|line| Value::text(line.get(index).cloned().unwrap_or_default()))
            .collect();
        // The cells, filled in as the row is written.
        row.resize(levels + matrix.cases.len(), Value::Empty);
        let total = totals.get(index).copied().unwrap_or_default();
        row.extend([Value::count(total.segments), Value::count(total.coded)]);
        rows.push(row);
    }
    merges.extend(
        spans
            .into_iter()
            .map(|(first_level, last_level, first, last)| Merge {
                first_row: header_rows + first,
                first_column: first_level,
                last_row: header_rows + last,
                last_column: last_level,
            }),
    );
    let footer = rows.len();
    let mut total_row = vec![Value::text("合計（セグメント数）")];
    total_row.resize(levels, Value::Empty);
    total_row.extend(
        matrix
            .cases
            .iter()
            .map(|case| Value::count(matrix.case_totals(case.case_id).segments)),
    );
    total_row.push(Value::count(totals.iter().map(|t| t.segments).sum()));
    rows.push(total_row);
    merges.push(Merge {
        first_row: footer,
        first_column: 0,
        last_row: footer,
        last_column: levels - 1,
    });
    let mut grid = Grid {
        name: TRANSPOSED_SHEET.to_owned(),
        header_rows,
        label_columns: levels,
        rows,
        merges: merges.into_iter().filter(Merge::spans).collect(),
        notes: notes(paper),
        ..Grid::default()
    };
    let case_columns = levels..levels + matrix.cases.len();
    grid.fit_widths(6.0, 24.0, |column| !case_columns.contains(&column));
    label_widths(&mut grid, levels);
    for column in case_columns.clone() {
        if let Some(slot) = grid.widths.get_mut(column) {
            *slot = if paper.options.cell == CellContent::Count {
                6.0
            } else {
                30.0
            };
        }
    }
    let rows = grid.rows.split_off(header_rows);
    Ok(Table::streamed(
        grid,
        Box::new(CellBody {
            rows,
            cells,
            first_column: levels,
            filled_rows: paths.len(),
            read: Cells::column,
        }),
    ))
}

/// The body of a matrix layout: its rows with the cells left empty, filled from [`Cells`]
/// (a case's cells, or a column's) as each row is written.
struct CellBody<'p> {
    rows: Vec<Vec<Value>>,
    cells: &'p Cells,
    /// The column of the first cell.
    first_column: usize,
    /// The rows that hold cells (the first ones; the totals follow).
    filled_rows: usize,
    /// The cells of body row `n`.
    read: fn(&Cells, usize) -> Result<Vec<Value>>,
}

impl Body for CellBody<'_> {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn rows(
        &self,
        range: std::ops::Range<usize>,
        row: &mut dyn FnMut(&[Value]) -> Result<()>,
    ) -> Result<()> {
        for index in range {
            let Some(values) = self.rows.get(index) else {
                break;
            };
            if index >= self.filled_rows {
                row(values)?;
                continue;
            }
            let mut filled = values.clone();
            for (offset, value) in (self.read)(self.cells, index)?.into_iter().enumerate() {
                if let Some(slot) = filled.get_mut(self.first_column + offset) {
                    *slot = value;
                }
            }
            row(&filled)?;
        }
        Ok(())
    }
}

/// The matrix for statistics software: one header line (事例, attributes, code paths joined
/// with `/`), one line per case, segment counts (`×` for a cell marked negative).
pub(super) fn count_matrix(paper: &PaperData) -> Grid {
    let matrix = &paper.matrix;
    let attributes = leading_attributes(paper);
    let mut header = vec![Value::text("事例")];
    header.extend(attributes.iter().map(|a| Value::text(a.name.clone())));
    header.extend(
        matrix
            .columns()
            .iter()
            .map(|column| Value::text(column_path(paper, column).join("/"))),
    );
    let mut rows = vec![header];
    for case in case_order(paper) {
        let mut row = vec![Value::text(case.name.clone())];
        row.extend(
            attributes
                .iter()
                .map(|attribute| attribute_value(paper, case.case_id, attribute)),
        );
        row.extend((0..matrix.columns().len()).map(|column| {
            let cell = matrix.cell(case.case_id, column);
            match cell.status() {
                CellStatus::Negative => Value::text(NEGATIVE),
                _ => Value::count(cell.segments()),
            }
        }));
        rows.push(row);
    }
    Grid {
        name: MATRIX_SHEET.to_owned(),
        header_rows: 1,
        label_columns: 1 + attributes.len(),
        rows,
        ..Grid::default()
    }
}
