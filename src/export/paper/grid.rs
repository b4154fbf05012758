//! The one table shape every paper output writes: a grid of typed values with header rows,
//! merged ranges (multi-level headers, category cells spanning rows), column widths, cell
//! fills and notes. The table builders fill grids; the xlsx, CSV, Markdown and HTML writers
//! only read them, so every format shows the same table.

use std::collections::{HashMap, HashSet};

/// A cell value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
}

impl Value {
    /// A text value (empty text stays [`Value::Empty`]).
    pub fn text(text: impl Into<String>) -> Value {
        let text = text.into();
        if text.is_empty() {
            Value::Empty
        } else {
            Value::Text(text)
        }
    }

    /// A count.
    pub fn count(count: usize) -> Value {
        Value::Number(count as f64)
    }

    /// The widest line's width plus one, in Excel's character units (see [`display_width`]).
    pub fn width(&self) -> f64 {
        let widest = match self {
            Value::Empty => 0.0,
            Value::Text(text) => text.lines().map(display_width).fold(0.0, f64::max),
            Value::Number(number) => format_number(*number).len() as f64,
        };
        widest + 1.0
    }

    /// The value as text, as CSV, Markdown and HTML print it (`12`, `3.5`).
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) => text.clone(),
            Value::Number(number) => format_number(*number),
        }
    }
}

/// A number as a person writes it: integers without a decimal point.
pub fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// A merged range, inclusive, in grid coordinates (header rows included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Merge {
    pub first_row: usize,
    pub first_column: usize,
    pub last_row: usize,
    pub last_column: usize,
}

impl Merge {
    /// True when the range covers more than one cell.
    pub fn spans(&self) -> bool {
        self.last_row > self.first_row || self.last_column > self.first_column
    }

    /// True when the cell lies inside the range.
    pub fn contains(&self, row: usize, column: usize) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_column..=self.last_column).contains(&column)
    }
}

/// A table ready to write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    /// The sheet name and the heading in Markdown and HTML.
    pub name: String,
    /// The first rows are headers (bold, repeated on every printed page).
    pub header_rows: usize,
    /// Leading label columns (frozen in the workbook, repeated on printed pages).
    pub label_columns: usize,
    /// Every row, headers first; rows may be shorter than the widest.
    pub rows: Vec<Vec<Value>>,
    /// Merged ranges; the top-left cell holds the value, the others are empty.
    pub merges: Vec<Merge>,
    /// Column widths in characters (Excel's unit), one per column.
    pub widths: Vec<f64>,
    /// Background colours `#RRGGBB` of single cells: (row, column, colour).
    pub fills: Vec<(usize, usize, String)>,
    /// Lines printed under the table (counting rules, tests, warnings).
    pub notes: Vec<String>,
    /// Print on pages one wide (narrow tables) rather than repeating label columns.
    pub fit_width: bool,
}

impl Grid {
    /// Number of columns (the widest row).
    pub fn columns(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// A cell, [`Value::Empty`] outside the rows.
    pub fn value(&self, row: usize, column: usize) -> &Value {
        self.rows
            .get(row)
            .and_then(|cells| cells.get(column))
            .unwrap_or(&Value::Empty)
    }

    /// Where the merges start and which cells they cover, for writers that visit every cell.
    pub fn layout(&self) -> Layout {
        let mut layout = Layout::default();
        for merge in &self.merges {
            layout
                .starts
                .insert((merge.first_row, merge.first_column), *merge);
            for row in merge.first_row..=merge.last_row {
                for column in merge.first_column..=merge.last_column {
                    if (row, column) != (merge.first_row, merge.first_column) {
                        layout.covered.insert((row, column));
                    }
                }
            }
        }
        layout
    }

    /// Widths from the content: the widest line of each column that `measured` admits,
    /// clamped to `[min, max]`; the other columns get `min` (for the caller to set).
    pub fn fit_widths(&mut self, min: f64, max: f64, measured: impl Fn(usize) -> bool) {
        let mut widths = vec![min; self.columns()];
        let layout = self.layout();
        for (row_index, row) in self.rows.iter().enumerate() {
            for (column, value) in row.iter().enumerate() {
                if !measured(column) {
                    continue;
                }
                let spanned = layout
                    .merge_at(row_index, column)
                    .is_some_and(|merge| merge.last_column > column);
                if spanned {
                    continue; // a label over several columns needs no width of its own
                }
                let width = value.width();
                if let Some(slot) = widths.get_mut(column) {
                    *slot = slot.max(width.min(max));
                }
            }
        }
        self.widths = widths;
    }

    /// One header line per column: the labels of the header rows from top to bottom, a
    /// merged label read from its top-left cell, repeats and blanks dropped, joined with ` ▸ `.
    /// For formats without merged cells (CSV, Markdown).
    pub fn flat_header(&self) -> Vec<String> {
        (0..self.columns())
            .map(|column| {
                let mut parts: Vec<String> = Vec::new();
                for row in 0..self.header_rows {
                    let text = self.source_value(row, column).display();
                    if !text.is_empty() && parts.last() != Some(&text) {
                        parts.push(text);
                    }
                }
                parts.join(" ▸ ")
            })
            .collect()
    }

    /// The value a cell shows: its own, or the top-left value of the merge covering it.
    fn source_value(&self, row: usize, column: usize) -> &Value {
        self.merges
            .iter()
            .find(|merge| merge.contains(row, column))
            .map_or_else(
                || self.value(row, column),
                |merge| self.value(merge.first_row, merge.first_column),
            )
    }
}

/// The merges of a grid indexed by cell.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    starts: HashMap<(usize, usize), Merge>,
    covered: HashSet<(usize, usize)>,
}

impl Layout {
    /// The merge whose top-left cell this is.
    pub fn merge_at(&self, row: usize, column: usize) -> Option<&Merge> {
        // No hashing for the cells of a table without merges (a million rows of segments).
        if self.starts.is_empty() {
            return None;
        }
        self.starts.get(&(row, column))
    }

    /// True when the cell is covered by a merge but is not its top-left cell.
    pub fn covered(&self, row: usize, column: usize) -> bool {
        !self.covered.is_empty() && self.covered.contains(&(row, column))
    }
}

/// Width of a text in Excel's character units: a full-width (CJK) character counts 1.8
/// (measured: LibreOffice sets 12 of them in a column 22 units wide).
pub fn display_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) < 0x1100 { 1.0 } else { 1.8 })
        .sum()
}

/// Widths of the label columns of a code tree: narrow for categories (they span many rows
/// and wrap), wider for the last level (one code per line).
pub fn label_widths(grid: &mut Grid, levels: usize) {
    for level in 0..levels {
        if let Some(width) = grid.widths.get_mut(level) {
            let cap = if level + 1 == levels { 24.0 } else { 14.0 };
            *width = width.min(cap);
        }
    }
}

/// A merged label of [`tree_labels`]: `(first_level, last_level, first_position,
/// last_position)`, inclusive.
pub type LabelSpan = (usize, usize, usize, usize);

/// Labels of a tree-shaped axis (codes by path) laid out over `levels` header lines, one
/// entry per axis position. Returns `levels` lines of labels and the merged spans as
/// `(first_level, last_level, first_position, last_position)`: consecutive positions that
/// share a path prefix share one label, and a path that ends above the last level has its
/// last label span down to it.
pub fn tree_labels(paths: &[Vec<String>], levels: usize) -> (Vec<Vec<String>>, Vec<LabelSpan>) {
    let mut lines = vec![vec![String::new(); paths.len()]; levels];
    let mut spans = Vec::new();
    for level in 0..levels {
        let mut position = 0;
        while position < paths.len() {
            let Some(path) = paths.get(position) else {
                break;
            };
            if path.len() <= level {
                position += 1;
                continue;
            }
            let prefix = path.get(..=level).unwrap_or_default();
            let mut end = position;
            while paths
                .get(end + 1)
                .is_some_and(|next| next.get(..=level) == Some(prefix))
            {
                end += 1;
            }
            if let (Some(slot), Some(label)) = (
                lines.get_mut(level).and_then(|line| line.get_mut(position)),
                path.get(level),
            ) {
                slot.clone_from(label);
            }
            let last_level = if path.len() == level + 1 && end == position {
                levels - 1
            } else {
                level
            };
            if end > position || last_level > level {
                spans.push((level, last_level, position, end));
            }
            position = end + 1;
        }
    }
    (lines, spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|part| (*part).to_owned()).collect()
    }

    #[test]
    fn siblings_share_their_category_label_and_a_short_path_spans_down() {
        let paths = vec![
            path(&["A", "a1", "x"]),
            path(&["A", "a1", "y"]),
            path(&["A", "a2", "z"]),
            path(&["B"]),
        ];
        let (lines, spans) = tree_labels(&paths, 3);
        assert_eq!(lines[0], ["A", "", "", "B"]);
        assert_eq!(lines[1], ["a1", "", "a2", ""]);
        assert_eq!(lines[2], ["x", "y", "z", ""]);
        assert_eq!(spans, [(0, 0, 0, 2), (0, 2, 3, 3), (1, 1, 0, 1)]);
    }

    #[test]
    fn a_flat_header_joins_the_levels_of_a_column() {
        let grid = Grid {
            header_rows: 2,
            rows: vec![
                vec![Value::text("事例"), Value::text("カテゴリー"), Value::Empty],
                vec![Value::Empty, Value::text("a"), Value::text("b")],
            ],
            merges: vec![
                Merge {
                    first_row: 0,
                    first_column: 0,
                    last_row: 1,
                    last_column: 0,
                },
                Merge {
                    first_row: 0,
                    first_column: 1,
                    last_row: 0,
                    last_column: 2,
                },
            ],
            ..Grid::default()
        };
        assert_eq!(
            grid.flat_header(),
            ["事例", "カテゴリー ▸ a", "カテゴリー ▸ b"]
        );
    }
}
