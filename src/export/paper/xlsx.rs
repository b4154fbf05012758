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

/// The workbook with one sheet per grid, as bytes.
pub(super) fn workbook(grids: &[Grid]) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    // Fast deflate: at the default level compressing the shared strings (every quote) took
    // most of the time of a large workbook, for a file only slightly smaller.
    workbook.set_zip_compression_level(1);
    let styles = Styles::new();
    for grid in grids {
        let sheet = workbook.add_worksheet();
        write_sheet(sheet, grid, &styles).map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

fn write_sheet(
    sheet: &mut Worksheet,
    grid: &Grid,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(&grid.name)?;
    let layout = grid.layout();
    let columns = grid.columns();
    let ruled = grid.rows.len().saturating_mul(columns) <= RULED_CELL_LIMIT;
    let fills: std::collections::HashMap<(usize, usize), &str> = grid
        .fills
        .iter()
        .map(|(row, column, color)| ((*row, *column), color.as_str()))
        .collect();
    for (row_index, row) in grid.rows.iter().enumerate() {
        let xlsx_row = row_number(row_index)?;
        for column in 0..columns {
            if layout.covered(row_index, column) {
                continue;
            }
            let value = row.get(column).unwrap_or(&Value::Empty);
            let merge = layout.merge_at(row_index, column);
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
                    row_number(merge.last_row)?,
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
    for (row, height) in row_heights(grid, &layout) {
        sheet.set_row_height(row_number(row)?, height)?;
    }
    for (note_row, note) in (grid.rows.len() + 1..).zip(&grid.notes) {
        sheet.write_string_with_format(
            row_number(note_row)?,
            0,
            clip(note).as_ref(),
            styles.note.for_text(note),
        )?;
    }
    for (column, width) in grid.widths.iter().enumerate() {
        sheet.set_column_width(column_number(column)?, *width)?;
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
