//! Grids as one xlsx workbook (rust_xlsxwriter): one sheet per grid, bold shaded headers,
//! merged ranges, wrapped text aligned to the top, thin borders, column widths, frozen header
//! rows and label columns, and a landscape A4 print setup that repeats the headers (and, for
//! wide tables, the label columns) on every page. Text that would read as a formula gets
//! Excel's quote prefix: it stays text, also after editing the cell.

use std::borrow::Cow;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::grid::{Grid, Value, display_width};
use super::looks_like_formula;
use crate::{Error, Result};

/// A4 in Excel's paper size numbering.
const A4: u8 = 9;

/// Above this many cells a sheet leaves its empty body cells unwritten (they then have no
/// borders): a 1,000-case × 500-code matrix is read on screen, not printed ruled, and half
/// its writing time went to formatting empty cells.
const RULED_CELL_LIMIT: usize = 100_000;

/// The formats of one kind of cell, plain and with the quote prefix.
struct Style {
    plain: Format,
    quoted: Format,
}

impl Style {
    fn new(format: Format) -> Style {
        Style {
            quoted: format.clone().set_quote_prefix(),
            plain: format,
        }
    }

    fn for_text(&self, text: &str) -> &Format {
        if looks_like_formula(text) {
            &self.quoted
        } else {
            &self.plain
        }
    }
}

struct Styles {
    header: Style,
    /// A header over several columns: left-aligned, so that it shows on the first printed
    /// page of its span.
    spanning: Style,
    label: Style,
    body: Style,
    number: Format,
    note: Style,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let header = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_bold()
            .set_background_color(Color::RGB(0xE8_E8_E8))
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            spanning: Style::new(header.clone().set_align(FormatAlign::Left)),
            header: Style::new(header.set_align(FormatAlign::Center)),
            label: Style::new(cell.clone().set_background_color(Color::RGB(0xF6_F6_F6))),
            number: cell.clone().set_align(FormatAlign::Right),
            body: Style::new(cell),
            note: Style::new(Format::new()),
        }
    }
}

fn xlsx_error(error: XlsxError) -> Error {
    Error::Conflict(format!("cannot write the workbook: {error}"))
}

/// Excel's rows per sheet.
const EXCEL_ROWS: usize = 1_048_576;

/// A sheet with more rows than this is written in constant memory (rust_xlsxwriter streams
/// its rows to a temporary file, and its strings are written inline, not kept in a table),
/// unless a merge spans rows (constant memory writes rows strictly in order).
const CONSTANT_MEMORY_ROWS: usize = 20_000;

/// The workbook with one sheet per grid, as bytes. A grid longer than Excel's 1,048,576 rows
/// goes on as many continuation sheets as it needs (`名前 (2)` …), each with the header
/// rows again and a note saying where the table goes on.
pub(super) fn workbook(grids: &[Grid]) -> Result<Vec<u8>> {
    workbook_with_row_limit(grids, EXCEL_ROWS)
}

/// [`workbook`] with sheets of at most `max_rows` rows (tests use a small limit).
fn workbook_with_row_limit(grids: &[Grid], max_rows: usize) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    // Fast deflate: at the default level compressing the shared strings (every quote) took
    // most of the time of a large workbook, for a file only slightly smaller.
    workbook.set_zip_compression_level(1);
    let styles = Styles::new();
    for grid in grids {
        let parts = parts_of(grid, max_rows);
        let vertical_merges = grid
            .merges
            .iter()
            .any(|merge| merge.last_row > merge.first_row);
        for part in &parts {
            let sheet = if part.body.len() > CONSTANT_MEMORY_ROWS && !vertical_merges {
                workbook
                    .add_worksheet_with_constant_memory()
                    .map_err(xlsx_error)?
            } else {
                workbook.add_worksheet()
            };
            write_sheet(sheet, grid, part, &styles).map_err(xlsx_error)?;
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// One sheet of a grid: its header rows and the body rows `body` (grid row numbers).
struct Part {
    name: String,
    body: std::ops::Range<usize>,
    /// The note under a part that the next sheet continues (the last part has the grid's).
    continued: Option<String>,
}

/// The sheets a grid needs: one, or more when its rows pass `max_rows`.
fn parts_of(grid: &Grid, max_rows: usize) -> Vec<Part> {
    let header = grid.header_rows.min(grid.rows.len());
    let body_rows = grid.rows.len() - header;
    // Room for the header, the body, a blank row and the notes (or the continuation note).
    let notes = grid.notes.len().max(1);
    let room = max_rows.saturating_sub(header + 1 + notes).max(1);
    if body_rows + header + 1 + grid.notes.len() <= max_rows {
        return vec![Part {
            name: grid.name.clone(),
            body: header..grid.rows.len(),
            continued: None,
        }];
    }
    let count = body_rows.div_ceil(room);
    let names: Vec<String> = (1..=count)
        .map(|number| continuation_name(&grid.name, number))
        .collect();
    (0..count)
        .map(|index| {
            let start = header + index * room;
            let end = (start + room).min(grid.rows.len());
            let continued = names.get(index + 1).map(|next| {
                format!(
                    "（表は続く：{body_rows} 行のうち {}–{} 行目。続きはシート「{next}」。Excel の 1 シート {EXCEL_ROWS} 行の上限のため）",
                    start - header + 1,
                    end - header
                )
            });
            Part {
                name: names.get(index).cloned().unwrap_or_default(),
                body: start..end,
                continued,
            }
        })
        .collect()
}

/// `name` for the first sheet, `name (2)` … for the next, within Excel's 31 characters.
fn continuation_name(name: &str, number: usize) -> String {
    if number == 1 {
        return name.to_owned();
    }
    let suffix = format!(" ({number})");
    let room = 31usize.saturating_sub(suffix.chars().count());
    let base: String = name.chars().take(room).collect();
    format!("{base}{suffix}")
}

fn write_sheet(
    sheet: &mut Worksheet,
    grid: &Grid,
    part: &Part,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(&part.name)?;
    let layout = grid.layout();
    let columns = grid.columns();
    let ruled = grid.rows.len().saturating_mul(columns) <= RULED_CELL_LIMIT;
    let fills: std::collections::HashMap<(usize, usize), &str> = grid
        .fills
        .iter()
        .map(|(row, column, color)| ((*row, *column), color.as_str()))
        .collect();
    // Widths and heights first: a sheet in constant memory writes each row once, in order.
    for (column, width) in grid.widths.iter().enumerate() {
        sheet.set_column_width(column_number(column)?, *width)?;
    }
    let heights: std::collections::HashMap<usize, f64> =
        row_heights(grid, &layout).into_iter().collect();
    let header = grid.header_rows.min(grid.rows.len());
    // The sheet row of a grid row in this part.
    let sheet_row = |grid_row: usize| -> Option<usize> {
        if grid_row < header {
            Some(grid_row)
        } else if part.body.contains(&grid_row) {
            Some(header + grid_row - part.body.start)
        } else {
            None
        }
    };
    let grid_rows = (0..header).chain(part.body.clone());
    for row_index in grid_rows {
        let Some(row) = grid.rows.get(row_index) else {
            continue;
        };
        let xlsx_row = row_number(sheet_row(row_index).unwrap_or(row_index))?;
        if let Some(height) = heights.get(&row_index) {
            sheet.set_row_height(xlsx_row, *height)?;
        }
        for column in 0..columns {
            if layout.covered(row_index, column) {
                continue;
            }
            let value = row.get(column).unwrap_or(&Value::Empty);
            // A merge whose rows are not all on this sheet is written as its first cell.
            let merge = layout
                .merge_at(row_index, column)
                .filter(|merge| sheet_row(merge.last_row).is_some());
            let style = if row_index < grid.header_rows {
                if merge.is_some_and(|merge| merge.last_column > column + 2) {
                    &styles.spanning
                } else {
                    &styles.header
                }
            } else if column < grid.label_columns {
                &styles.label
            } else {
                &styles.body
            };
            let text = match value {
                Value::Text(text) => clip(text),
                Value::Empty | Value::Number(_) => Cow::Borrowed(""),
            };
            let mut format = match value {
                Value::Number(_) if row_index >= grid.header_rows => &styles.number,
                _ => style.for_text(&text),
            };
            let filled;
            if let Some(color) = fills.get(&(row_index, column)).and_then(|c| rgb(c)) {
                filled = format.clone().set_background_color(Color::RGB(color));
                format = &filled;
            }
            let xlsx_column = column_number(column)?;
            if let Some(merge) = merge {
                sheet.merge_range(
                    xlsx_row,
                    xlsx_column,
                    row_number(sheet_row(merge.last_row).unwrap_or(merge.last_row))?,
                    column_number(merge.last_column)?,
                    &text,
                    format,
                )?;
            }
            match value {
                Value::Text(_) => {
                    sheet.write_string_with_format(xlsx_row, xlsx_column, text.as_ref(), format)?;
                }
                Value::Number(number) => {
                    sheet.write_number_with_format(xlsx_row, xlsx_column, *number, format)?;
                }
                Value::Empty => {
                    let wanted =
                        ruled || row_index < grid.header_rows || column < grid.label_columns;
                    if merge.is_none() && wanted {
                        sheet.write_blank(xlsx_row, xlsx_column, format)?;
                    }
                }
            }
        }
    }
    let after = header + part.body.len() + 1;
    let notes: Vec<&str> = match &part.continued {
        Some(note) => vec![note.as_str()],
        None => grid.notes.iter().map(String::as_str).collect(),
    };
    for (note_row, note) in (after..).zip(notes) {
        sheet.write_string_with_format(
            row_number(note_row)?,
            0,
            clip(note).as_ref(),
            styles.note.for_text(note),
        )?;
    }
    let frozen_rows = row_number(grid.header_rows)?;
    let frozen_columns = column_number(grid.label_columns)?;
    sheet.set_freeze_panes(frozen_rows, frozen_columns)?;
    sheet
        .set_landscape()
        .set_paper_size(A4)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_header("&L&A")
        .set_footer("&C&P / &N");
    if grid.header_rows > 0 {
        sheet.set_repeat_rows(0, frozen_rows.saturating_sub(1))?;
    }
    if grid.fit_width {
        sheet.set_print_fit_to_pages(1, 0);
    } else if grid.label_columns > 0 {
        sheet.set_repeat_columns(0, frozen_columns.saturating_sub(1))?;
    }
    Ok(())
}

/// Points per line of wrapped text (11 pt type, Japanese glyphs included).
const LINE_HEIGHT: f64 = 15.5;
/// Excel's largest row height in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// Heights of the rows whose wrapped text needs more than one line. Neither Excel nor
/// LibreOffice grows rows written without a height when the file opens, so the workbook sets
/// them: each cell's lines at its column's width (a merge's width over the columns it spans;
/// cells spanning rows are left out), the tallest cell of the row.
fn row_heights(grid: &Grid, layout: &super::grid::Layout) -> Vec<(usize, f64)> {
    let width_of = |first: usize, last: usize| -> f64 {
        (first..=last)
            .map(|column| grid.widths.get(column).copied().unwrap_or(8.43))
            .sum()
    };
    let mut heights = Vec::new();
    for (row_index, row) in grid.rows.iter().enumerate() {
        let mut lines = 1.0_f64;
        for (column, value) in row.iter().enumerate() {
            let Value::Text(text) = value else {
                continue;
            };
            if layout.covered(row_index, column) {
                continue;
            }
            let last_column = match layout.merge_at(row_index, column) {
                Some(merge) if merge.last_row > row_index => continue,
                Some(merge) => merge.last_column,
                None => column,
            };
            let usable = (width_of(column, last_column) - 1.0).max(1.0);
            let cell_lines: f64 = text
                .split('\n')
                .map(|line| (display_width(line) / usable).ceil().max(1.0))
                .sum();
            lines = lines.max(cell_lines);
        }
        if lines > 1.0 {
            heights.push((row_index, (lines * LINE_HEIGHT + 2.0).min(MAX_ROW_HEIGHT)));
        }
    }
    heights
}

/// Excel's limit on the text of one cell, in UTF-16 units.
const MAX_CELL_TEXT: usize = 32_767;
/// What ends a text cut at that limit.
const CLIPPED: &str = "…（Excel のセルの上限 32,767 字で省略。全文は CSV の書き出しに）";

/// The text as Excel can hold it: a text over the limit (a whole transcript coded as one
/// segment, a cell with hundreds of quotes) is cut and says so, instead of failing the
/// whole workbook.
fn clip(text: &str) -> Cow<'_, str> {
    if text.len() <= MAX_CELL_TEXT || text.encode_utf16().count() <= MAX_CELL_TEXT {
        return Cow::Borrowed(text);
    }
    let room = MAX_CELL_TEXT - CLIPPED.encode_utf16().count();
    let mut used = 0;
    let mut end = 0;
    for (index, c) in text.char_indices() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        end = index + c.len_utf8();
    }
    Cow::Owned(format!("{}{CLIPPED}", text.get(..end).unwrap_or_default()))
}

/// `#RRGGBB` as a number.
fn rgb(color: &str) -> Option<u32> {
    let hex = color.strip_prefix('#')?;
    (hex.len() == 6).then(|| u32::from_str_radix(hex, 16).ok())?
}

fn row_number(row: usize) -> std::result::Result<u32, XlsxError> {
    u32::try_from(row).map_err(|_| XlsxError::RowColumnLimitError)
}

fn column_number(column: usize) -> std::result::Result<u16, XlsxError> {
    u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;

    /// Every sheet of a workbook as rows of cell texts.
    fn read_sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
        let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
        workbook
            .sheet_names()
            .into_iter()
            .map(|name| {
                let range = workbook.worksheet_range(&name).expect("sheet");
                let rows = range
                    .rows()
                    .map(|row| {
                        row.iter()
                            .map(|cell| match cell {
                                Data::Empty => String::new(),
                                other => other.to_string(),
                            })
                            .collect()
                    })
                    .collect();
                (name, rows)
            })
            .collect()
    }

    /// A table longer than a sheet goes on in continuation sheets with its header again and a
    /// note naming the next sheet; every row is there once, in order. (Excel's limit is
    /// 1,048,576 rows; the test writes sheets of 10.)
    #[test]
    fn rows_past_the_sheet_limit_go_on_continuation_sheets_and_none_is_lost() {
        let body: Vec<Vec<Value>> = (0..25)
            .map(|index| {
                vec![
                    Value::text(format!("事例{index}")),
                    Value::Number(index as f64),
                ]
            })
            .collect();
        let grid = Grid {
            name: "セグメント一覧".into(),
            header_rows: 1,
            label_columns: 1,
            rows: std::iter::once(vec![Value::text("事例"), Value::text("番号")])
                .chain(body)
                .collect(),
            notes: vec!["注: 計数の規則".into()],
            widths: vec![10.0, 6.0],
            ..Grid::default()
        };
        let sheets =
            read_sheets(workbook_with_row_limit(std::slice::from_ref(&grid), 10).expect("write"));
        let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "セグメント一覧",
                "セグメント一覧 (2)",
                "セグメント一覧 (3)",
                "セグメント一覧 (4)"
            ]
        );
        let mut found = Vec::new();
        for (index, (_, rows)) in sheets.iter().enumerate() {
            assert!(rows.len() <= 10, "{rows:?}");
            assert_eq!(rows[0], ["事例", "番号"], "the header again");
            let note = rows.last().map(|row| row[0].clone()).unwrap_or_default();
            match sheets.get(index + 1) {
                Some((next, _)) => assert!(note.contains(&format!("「{next}」")), "{note}"),
                None => assert_eq!(note, "注: 計数の規則"),
            }
            found.extend(
                rows[1..]
                    .iter()
                    .filter(|row| row[0].starts_with("事例"))
                    .map(|row| (row[0].clone(), row[1].clone())),
            );
        }
        let expected: Vec<(String, String)> = (0..25)
            .map(|i| (format!("事例{i}"), i.to_string()))
            .collect();
        assert_eq!(found, expected);
        // Within the limit: one sheet, as before.
        let one =
            read_sheets(workbook_with_row_limit(std::slice::from_ref(&grid), 100).expect("write"));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1.len(), 28);
    }

    /// A sheet of many rows is written in constant memory and reads back the same.
    #[test]
    fn a_long_sheet_in_constant_memory_keeps_every_row() {
        let rows = CONSTANT_MEMORY_ROWS + 5;
        let grid = Grid {
            name: "セグメント".into(),
            header_rows: 1,
            rows: std::iter::once(vec![Value::text("引用")])
                .chain((0..rows).map(|i| vec![Value::text(format!("𠮷田さんの語り{i}"))]))
                .collect(),
            widths: vec![30.0],
            ..Grid::default()
        };
        let sheets = read_sheets(workbook(std::slice::from_ref(&grid)).expect("write"));
        let [(_, read)] = sheets.as_slice() else {
            panic!("one sheet");
        };
        assert_eq!(read.len(), rows + 1);
        assert_eq!(read[rows][0], format!("𠮷田さんの語り{}", rows - 1));
    }
}
