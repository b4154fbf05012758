//! Grids as one xlsx workbook (rust_xlsxwriter): one sheet per grid, bold shaded headers,
//! merged ranges, wrapped text aligned to the top, thin borders, column widths, frozen header
//! rows and label columns, and a landscape A4 print setup that repeats the headers (and, for
//! wide tables, the label columns) on every page. Text that would read as a formula gets
//! Excel's quote prefix: it stays text, also after editing the cell.

use std::borrow::Cow;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::grid::{Grid, Value, display_width};
use super::looks_like_formula;
use super::table::Table;
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
    /// Every format, in one order.
    fn all(&self) -> [&Format; 11] {
        let Styles {
            header,
            spanning,
            label,
            body,
            number,
            note,
        } = self;
        [
            &header.plain,
            &header.quoted,
            &spanning.plain,
            &spanning.quoted,
            &label.plain,
            &label.quoted,
            &body.plain,
            &body.quoted,
            number,
            &note.plain,
            &note.quoted,
        ]
    }

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

/// Above this many body rows a sheet leaves its rows at the default height (one line) instead
/// of fitting each to its wrapped text: rust_xlsxwriter keeps every row's height (about 330
/// bytes with its format slot) until the workbook is saved, even in constant memory, which at
/// a million segments was 683 MB of the export's peak. A table that long is scrolled and
/// filtered on screen, where one line per row reads better anyway; the full text stays in
/// each cell.
const FITTED_ROW_LIMIT: usize = 100_000;

/// A table of more rows than this is written on a thread of its own.
const PARALLEL_ROWS: usize = 100_000;

/// Excel's rows per sheet.
const EXCEL_ROWS: usize = 1_048_576;

/// A sheet with more rows than this is written in constant memory (rust_xlsxwriter streams
/// its rows to a temporary file, and its strings are written inline, not kept in a table), as
/// is every table whose rows are made while it is written (the セグメント一覧, the matrix
/// layouts, whose cells hold every quote). Merges spanning rows are written ahead of their
/// rows (rust_xlsxwriter keeps them until their row comes), so rows go strictly in order.
const CONSTANT_MEMORY_ROWS: usize = 20_000;

/// The workbook with one sheet per table, as bytes. A table longer than Excel's 1,048,576
/// rows goes on as many continuation sheets as it needs (`名前 (2)` …), each with the header
/// rows again and a note saying where the table goes on.
pub(super) fn workbook(tables: &[Table<'_>]) -> Result<Vec<u8>> {
    build(tables, EXCEL_ROWS)?
        .save_to_buffer()
        .map_err(xlsx_error)
}

/// [`workbook`] written to `out` as it is compressed, never whole in memory.
pub(super) fn write<W: std::io::Write + Send>(tables: &[Table<'_>], out: W) -> Result<()> {
    build(tables, EXCEL_ROWS)?
        .save_to_writer(out)
        .map_err(xlsx_error)
}

/// [`workbook`] with sheets of at most `max_rows` rows (tests use a small limit).
#[cfg(test)]
fn workbook_with_row_limit(grids: &[Grid], max_rows: usize) -> Result<Vec<u8>> {
    let tables: Vec<Table<'_>> = grids.iter().cloned().map(Table::whole).collect();
    build(&tables, max_rows)?
        .save_to_buffer()
        .map_err(xlsx_error)
}

/// Every sheet written (the long ones to temporary files), ready to be saved.
fn build(tables: &[Table<'_>], max_rows: usize) -> Result<Workbook> {
    build_with(
        tables,
        Plan {
            max_rows,
            parallel_rows: PARALLEL_ROWS,
            threads: true,
            column_formats: true,
        },
    )
}

/// How [`build`] writes a workbook. Each way gives the same file; tests compare them.
#[derive(Clone, Copy, Debug)]
struct Plan {
    /// Rows per sheet.
    max_rows: usize,
    /// The longest table of more rows than this is written on a thread of its own when
    /// `threads`.
    parallel_rows: usize,
    threads: bool,
    /// Sheets in constant memory write most body cells without a format: see
    /// [`ColumnFormats`].
    column_formats: bool,
}

/// [`build`] as `plan` says.
fn build_with(tables: &[Table<'_>], plan: Plan) -> Result<Workbook> {
    let Plan {
        max_rows,
        parallel_rows,
        threads,
        column_formats,
    } = plan;
    let mut workbook = Workbook::new();
    // Fast deflate: at the default level compressing the shared strings (every quote) took
    // most of the time of a large workbook, for a file only slightly smaller.
    workbook.set_zip_compression_level(1);
    let styles = Styles::new();
    let mut sheets: Vec<(usize, Part)> = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        for mut part in parts_of(table, max_rows) {
            if part.body.len() > CONSTANT_MEMORY_ROWS || table.is_streamed() {
                workbook
                    .add_worksheet_with_constant_memory()
                    .map_err(xlsx_error)?;
                part.column_formats = column_formats;
            } else {
                workbook.add_worksheet();
            }
            sheets.push((index, part));
        }
    }
    // The longest table (the セグメント一覧 of a large project) is written on a second thread
    // while this one writes the others: at a million codings it took two thirds of the
    // writing, the two matrix layouts most of the rest.
    let longest = (tables.iter().enumerate())
        .filter(|(_, table)| table.rows() > parallel_rows)
        .max_by_key(|(_, table)| table.rows())
        .map(|(index, _)| index);
    let write = |jobs: Vec<(&mut Worksheet, &(usize, Part))>| -> Result<()> {
        for (sheet, (index, part)) in jobs {
            if let Some(table) = tables.get(*index) {
                write_sheet(sheet, table, part, &styles)?;
            }
        }
        Ok(())
    };
    let Some(longest) = longest else {
        return write(workbook.worksheets_mut().iter_mut().zip(&sheets).collect())
            .map(|()| workbook);
    };
    // Sheets in constant memory number each format when they first use it; on two threads
    // that order would change from run to run, so every format is numbered first.
    for format in styles.all() {
        workbook.register_format(format);
    }
    if !threads {
        return write(workbook.worksheets_mut().iter_mut().zip(&sheets).collect())
            .map(|()| workbook);
    }
    let (long, others): (Vec<_>, Vec<_>) = (workbook.worksheets_mut().iter_mut())
        .zip(&sheets)
        .partition(|(_, (index, _))| *index == longest);
    std::thread::scope(|scope| {
        let other_thread = scope.spawn(|| write(long));
        let here = write(others);
        let there = other_thread
            .join()
            .unwrap_or_else(|_| Err(Error::Conflict("a worksheet's thread failed".to_owned())));
        here.and(there)
    })?;
    Ok(workbook)
}

/// One sheet of a table: its header rows and the body rows `body` (table row numbers).
struct Part {
    name: String,
    body: std::ops::Range<usize>,
    /// The note under a part that the next sheet continues (the last part has the table's).
    continued: Option<String>,
    /// Its body cells may be written without a format ([`ColumnFormats`]): only on a sheet in
    /// constant memory, which writes each row's cells when the next row begins.
    column_formats: bool,
}

/// The sheets a table needs: one, or more when its rows pass `max_rows`.
fn parts_of(table: &Table<'_>, max_rows: usize) -> Vec<Part> {
    let grid = &table.grid;
    let rows = table.rows();
    let header = table.header_rows();
    let body_rows = rows - header;
    // Room for the header, the body, a blank row and the notes (or the continuation note).
    let notes = grid.notes.len().max(1);
    let room = max_rows.saturating_sub(header + 1 + notes).max(1);
    if body_rows + header + 1 + grid.notes.len() <= max_rows {
        return vec![Part {
            name: grid.name.clone(),
            body: header..rows,
            continued: None,
            column_formats: false,
        }];
    }
    let count = body_rows.div_ceil(room);
    let names: Vec<String> = (1..=count)
        .map(|number| continuation_name(&grid.name, number))
        .collect();
    (0..count)
        .map(|index| {
            let start = header + index * room;
            let end = (start + room).min(rows);
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
                column_formats: false,
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
    table: &Table<'_>,
    part: &Part,
    styles: &Styles,
) -> Result<()> {
    let grid = &table.grid;
    sheet.set_name(&part.name).map_err(xlsx_error)?;
    let layout = grid.layout();
    let columns = table.columns();
    let ruled = table.rows().saturating_mul(columns) <= RULED_CELL_LIMIT;
    let fitted = table.rows() - table.header_rows() <= FITTED_ROW_LIMIT;
    let fills: std::collections::HashMap<(usize, usize), &str> = grid
        .fills
        .iter()
        .map(|(row, column, color)| ((*row, *column), color.as_str()))
        .collect();
    // Widths first: a sheet in constant memory writes each row once, in order.
    for (column, width) in grid.widths.iter().enumerate() {
        sheet
            .set_column_width(column_number(column).map_err(xlsx_error)?, *width)
            .map_err(xlsx_error)?;
    }
    let header = table.header_rows();
    let mut lent = ColumnFormats::new(part.column_formats, grid.widths.len());
    // The sheet row of a table row in this part.
    let sheet_row = |table_row: usize| -> Option<usize> {
        if table_row < header {
            Some(table_row)
        } else if part.body.contains(&table_row) {
            Some(header + table_row - part.body.start)
        } else {
            None
        }
    };
    let mut write_row = |row_index: usize, row: &[Value]| -> Result<()> {
        let xlsx_row = row_number(sheet_row(row_index).unwrap_or(row_index)).map_err(xlsx_error)?;
        // The height before the cells: a row in constant memory is written once.
        let fit = fitted || row_index < grid.header_rows;
        let height = if fit {
            row_height(grid, &layout, row_index, row)
        } else {
            None
        };
        if let Some(height) = height {
            sheet.set_row_height(xlsx_row, height).map_err(xlsx_error)?;
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
            // Only the codebook has fills: no hash lookup for the other sheets' cells.
            let fill = if fills.is_empty() {
                None
            } else {
                fills.get(&(row_index, column)).and_then(|c| rgb(c))
            };
            if let Some(color) = fill {
                filled = format.clone().set_background_color(Color::RGB(color));
                format = &filled;
            }
            let xlsx_column = column_number(column).map_err(xlsx_error)?;
            let lend = fill.is_none()
                && merge.is_none()
                && row_index >= grid.header_rows
                && row_index + 1 < part.body.end
                // An empty text with a format is a blank cell; without one, no cell.
                && match value {
                    Value::Text(_) => !text.is_empty(),
                    Value::Number(_) => true,
                    Value::Empty => false,
                }
                && lent
                    .lends(sheet, xlsx_column, format)
                    .map_err(xlsx_error)?;
            write_cell(
                sheet,
                (xlsx_row, xlsx_column),
                merge
                    .map(|merge| -> std::result::Result<_, XlsxError> {
                        Ok((
                            row_number(sheet_row(merge.last_row).unwrap_or(merge.last_row))?,
                            column_number(merge.last_column)?,
                        ))
                    })
                    .transpose()
                    .map_err(xlsx_error)?,
                value,
                &text,
                (!lend).then_some(format),
                ruled || row_index < grid.header_rows || column < grid.label_columns,
            )
            .map_err(xlsx_error)?;
        }
        Ok(())
    };
    for (row_index, row) in grid.rows.iter().enumerate().take(header) {
        write_row(row_index, row)?;
    }
    table.each_row(part.body.clone(), &mut write_row)?;
    lent.take_back(sheet).map_err(xlsx_error)?;
    let after = header + part.body.len() + 1;
    let notes: Vec<&str> = match &part.continued {
        Some(note) => vec![note.as_str()],
        None => grid.notes.iter().map(String::as_str).collect(),
    };
    for (note_row, note) in (after..).zip(notes) {
        sheet
            .write_string_with_format(
                row_number(note_row).map_err(xlsx_error)?,
                0,
                clip(note).as_ref(),
                styles.note.for_text(note),
            )
            .map_err(xlsx_error)?;
    }
    print_setup(sheet, grid).map_err(xlsx_error)
}

/// The formats a sheet's columns lend their body cells while the body is written.
///
/// rust_xlsxwriter finds a cell's style number by hashing and comparing its whole `Format`
/// (every font, border, fill and alignment field): at a million segments, 13 million cells,
/// that was a third of the time of the セグメント一覧. A cell written without a format takes
/// its column's style number when its row is written out, the same `s="…"` in the file, so a
/// body cell whose format is its column's goes without one. A column takes the format of its
/// first body cell with a value. The columns' formats are taken back after the body, whose
/// last row is written with formats (a sheet in constant memory writes a row out when the next
/// begins): the `<col>` elements and every cell are those written cell by cell.
struct ColumnFormats {
    /// Each column's format (by address: the sheet's [`Styles`]), when it has lent one; no
    /// columns when none may lend.
    formats: Vec<Option<*const Format>>,
}

impl ColumnFormats {
    /// For the first `columns` columns (those given a width: a format on another column would
    /// add a `<col>` element) when `on`.
    fn new(on: bool, columns: usize) -> ColumnFormats {
        ColumnFormats {
            formats: vec![None; if on { columns } else { 0 }],
        }
    }

    /// Whether a cell of `column` in `format` may be written without it. The first time, the
    /// column takes `format` and the cell is written with it.
    fn lends(
        &mut self,
        sheet: &mut Worksheet,
        column: u16,
        format: &Format,
    ) -> std::result::Result<bool, XlsxError> {
        let Some(slot) = self.formats.get_mut(usize::from(column)) else {
            return Ok(false);
        };
        match slot {
            Some(lent) => Ok(std::ptr::eq(*lent, format)),
            None => {
                sheet.set_column_format(column, format)?;
                *slot = Some(format);
                Ok(false)
            }
        }
    }

    /// Every column's format back to none: for the cells written after the body.
    fn take_back(&mut self, sheet: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        let plain = Format::new();
        for (column, lent) in self.formats.drain(..).enumerate() {
            if lent.is_some() {
                sheet.set_column_format(column_number(column)?, &plain)?;
            }
        }
        Ok(())
    }
}

/// One cell: its merge first (to the cell `merge_end`), then its value; an empty cell only
/// when `ruled` (its border is wanted) and not under a merge. A cell without a format takes
/// its column's ([`ColumnFormats`]).
fn write_cell(
    sheet: &mut Worksheet,
    (row, column): (u32, u16),
    merge_end: Option<(u32, u16)>,
    value: &Value,
    text: &str,
    format: Option<&Format>,
    ruled: bool,
) -> std::result::Result<(), XlsxError> {
    if let (Some((last_row, last_column)), Some(format)) = (merge_end, format) {
        sheet.merge_range(row, column, last_row, last_column, text, format)?;
    }
    match (value, format) {
        (Value::Text(_), Some(format)) => {
            sheet.write_string_with_format(row, column, text, format)?;
        }
        (Value::Text(_), None) => {
            sheet.write_string(row, column, text)?;
        }
        (Value::Number(number), Some(format)) => {
            sheet.write_number_with_format(row, column, *number, format)?;
        }
        (Value::Number(number), None) => {
            sheet.write_number(row, column, *number)?;
        }
        (Value::Empty, Some(format)) => {
            if merge_end.is_none() && ruled {
                sheet.write_blank(row, column, format)?;
            }
        }
        (Value::Empty, None) => {}
    }
    Ok(())
}

/// Frozen header rows and label columns, landscape A4, the headers (and for wide tables the
/// label columns) repeated on every printed page.
fn print_setup(sheet: &mut Worksheet, grid: &Grid) -> std::result::Result<(), XlsxError> {
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

/// The height of a row whose wrapped text needs more than one line. Neither Excel nor
/// LibreOffice grows rows written without a height when the file opens, so the workbook sets
/// them: each cell's lines at its column's width (a merge's width over the columns it spans;
/// cells spanning rows are left out), the tallest cell of the row.
fn row_height(
    grid: &Grid,
    layout: &super::grid::Layout,
    row_index: usize,
    row: &[Value],
) -> Option<f64> {
    let width_of = |first: usize, last: usize| -> f64 {
        (first..=last)
            .map(|column| grid.widths.get(column).copied().unwrap_or(8.43))
            .sum()
    };
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
    (lines > 1.0).then(|| (lines * LINE_HEIGHT + 2.0).min(MAX_ROW_HEIGHT))
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

    use super::super::grid::Merge;
    use super::super::table::Body;
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
        let sheets = read_sheets(workbook(&[Table::whole(grid)]).expect("write"));
        let [(_, read)] = sheets.as_slice() else {
            panic!("one sheet");
        };
        assert_eq!(read.len(), rows + 1);
        assert_eq!(read[rows][0], format!("𠮷田さんの語り{}", rows - 1));
    }

    /// Body rows held in memory but handed over as a streamed table's are, row by row.
    struct Rows(Vec<Vec<Value>>);

    impl Body for Rows {
        fn len(&self) -> usize {
            self.0.len()
        }
        fn rows(
            &self,
            range: std::ops::Range<usize>,
            row: &mut dyn FnMut(&[Value]) -> Result<()>,
        ) -> Result<()> {
            self.0
                .get(range)
                .unwrap_or_default()
                .iter()
                .try_for_each(|values| row(values))
        }
    }

    fn merge(first_row: usize, first_column: usize, last_row: usize, last_column: usize) -> Merge {
        Merge {
            first_row,
            first_column,
            last_row,
            last_column,
        }
    }

    /// A small matrix of two label columns (事例 and 所属, each over both header rows) and two
    /// codes under カテゴリー, with `body` under its header and `more_merges` in it.
    fn small_matrix(body: Vec<Vec<Value>>, more_merges: &[Merge]) -> Grid {
        let header = vec![
            vec![
                Value::text("事例"),
                Value::text("所属"),
                Value::text("カテゴリー"),
                Value::Empty,
            ],
            vec![
                Value::Empty,
                Value::Empty,
                Value::text("a"),
                Value::text("b"),
            ],
        ];
        let merges = [
            merge(0, 0, 1, 0),
            merge(0, 1, 1, 1),
            merge(0, 2, 0, 3),
            merge(2, 1, 3, 1),
        ];
        Grid {
            name: "マトリックス".into(),
            header_rows: 2,
            label_columns: 2,
            rows: [header, body].concat(),
            merges: [&merges[..], more_merges].concat(),
            widths: vec![8.0, 8.0, 20.0, 10.0],
            notes: vec!["注: 計数の規則".into()],
            ..Grid::default()
        }
    }

    /// The entries of a saved workbook but its creation time, by name.
    fn entries(mut workbook: Workbook) -> Vec<(String, Vec<u8>)> {
        use std::io::Read;
        let bytes = workbook.save_to_buffer().expect("save");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut entries = Vec::new();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).expect("entry");
            let name = entry.name().expect("entry name").to_string();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).expect("read entry");
            if name != "docProps/core.xml" {
                entries.push((name, content));
            }
        }
        entries
    }

    /// A long table written on a second thread while this one writes the others gives the
    /// very sheets and styles one thread writes: the same cells, the same formats numbered
    /// the same way (also a formula-like text's quoted format, first met on either thread).
    #[test]
    fn the_longest_table_on_its_own_thread_writes_the_same_workbook() {
        let table = |name: &str, rows: usize, label_columns: usize| {
            let body = (0..rows)
                .map(|index| {
                    vec![
                        Value::text(format!("事例{}", index % 7)),
                        Value::text(if index % 13 == 5 {
                            format!("=「{name}」の{index}")
                        } else {
                            format!("{name}の語り{index}")
                        }),
                        Value::Number(index as f64),
                    ]
                })
                .collect();
            let grid = Grid {
                name: name.into(),
                header_rows: 1,
                label_columns,
                rows: vec![vec![
                    Value::text("事例"),
                    Value::text("テキスト"),
                    Value::text("開始"),
                ]],
                widths: vec![10.0, 40.0, 8.0],
                notes: vec![format!("注：{name}")],
                ..Grid::default()
            };
            Table::streamed(grid, Box::new(Rows(body)))
        };
        let tables = [
            table("マトリックス", 40, 1),
            table("セグメント一覧", 300, 2),
            Table::whole(Grid {
                name: "表1".into(),
                header_rows: 1,
                rows: vec![
                    vec![Value::text("事例"), Value::text("所属")],
                    vec![Value::text("A"), Value::text("+市役所")],
                ],
                ..Grid::default()
            }),
        ];
        let plan = |threads| Plan {
            max_rows: 120,
            parallel_rows: 100,
            threads,
            column_formats: true,
        };
        let one = entries(build_with(&tables, plan(false)).expect("one thread"));
        let two = entries(build_with(&tables, plan(true)).expect("two threads"));
        assert!(one.iter().any(|(name, _)| name == "xl/styles.xml"));
        assert_eq!(
            one.iter()
                .filter(|(name, _)| name.starts_with("xl/worksheets/sheet"))
                .count(),
            5,
            "マトリックス, three parts of セグメント一覧, 表1"
        );
        for ((name, a), (other, b)) in one.iter().zip(&two) {
            assert_eq!(name, other);
            assert!(a == b, "{name} differs");
        }
        assert_eq!(one.len(), two.len());
    }

    /// Body rows made while the sheet is written (as the セグメント一覧 and the matrix layouts
    /// make theirs), in constant memory and with merges spanning rows, read back cell for cell
    /// and merge for merge as the same table written whole.
    #[test]
    fn a_table_made_while_written_reads_back_as_the_same_table_held_whole() {
        let grid = small_matrix(
            vec![
                vec![
                    Value::text("A"),
                    Value::text("病院"),
                    Value::text("1\nA-3「𠮷田さんの語り」\nA-9「二つ目」"),
                    Value::Number(1.0),
                ],
                vec![
                    Value::text("B"),
                    Value::Empty,
                    Value::Empty,
                    Value::Number(2.0),
                ],
                vec![
                    Value::text("C"),
                    Value::text("施設"),
                    Value::text("=SUM(A1)"),
                    Value::Empty,
                ],
            ],
            &[],
        );
        let whole = workbook(&[Table::whole(grid.clone())]).expect("whole");
        let mut head = grid.clone();
        let body = head.rows.split_off(head.header_rows);
        let streamed = workbook(&[Table::streamed(head, Box::new(Rows(body)))]).expect("streamed");
        let sheets = read_sheets(streamed.clone());
        assert_eq!(sheets, read_sheets(whole.clone()));
        assert_eq!(
            sheets[0].1[2],
            ["A", "病院", "1\nA-3「𠮷田さんの語り」\nA-9「二つ目」", "1"]
        );
        assert_eq!(sheets[0].1[4][2], "=SUM(A1)", "text, not a formula");
        let merges = |bytes: Vec<u8>| {
            let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
            let mut merges = book
                .merge_cells_by_sheet_name("マトリックス")
                .expect("merges");
            merges.sort_by_key(|range| (range.start, range.end));
            merges
        };
        let streamed_merges = merges(streamed);
        assert_eq!(streamed_merges, merges(whole));
        assert_eq!(streamed_merges.len(), 4);
    }
    /// A body cell written without a format takes its column's: the first cell of a column
    /// lends the column its format, a later cell in the same format goes without, a cell in
    /// another format (a formula-like text, a number) keeps its own.
    #[test]
    fn a_column_lends_the_format_of_its_first_body_cell() {
        let styles = Styles::new();
        let mut workbook = Workbook::new();
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .expect("constant memory");
        let mut lent = ColumnFormats::new(true, 2);
        assert!(!lent.lends(sheet, 0, &styles.label.plain).expect("first"));
        assert!(lent.lends(sheet, 0, &styles.label.plain).expect("same"));
        assert!(!lent.lends(sheet, 0, &styles.label.quoted).expect("other"));
        assert!(!lent.lends(sheet, 1, &styles.number).expect("first"));
        assert!(lent.lends(sheet, 1, &styles.number).expect("same"));
        assert!(!lent.lends(sheet, 2, &styles.body.plain).expect("no width"));
        lent.take_back(sheet).expect("back");
        assert!(!lent.lends(sheet, 0, &styles.label.plain).expect("after"));
        let mut off = ColumnFormats::new(false, 2);
        assert!(!off.lends(sheet, 0, &styles.label.plain).expect("off"));
        assert!(!off.lends(sheet, 0, &styles.label.plain).expect("off"));
    }

    /// Long tables in constant memory whose body cells take their columns' formats give the
    /// very file written with a format on every cell, on one thread or two: continuation
    /// sheets, label columns, numbers, empty texts and empty cells, formula-like texts, a
    /// column without a width, merges spanning body rows, notes under the table.
    #[test]
    fn body_cells_in_their_columns_formats_write_the_same_file() {
        let body = (0..300)
            .map(|index| {
                vec![
                    Value::text(format!("事例{}", index % 7)),
                    match index % 11 {
                        3 => Value::text(""),
                        5 => Value::text(format!("=「語り」{index}")),
                        7 => Value::Empty,
                        _ => Value::text(format!("語り{index}")),
                    },
                    if index % 17 == 4 {
                        Value::text("不明")
                    } else {
                        Value::Number(index as f64)
                    },
                    Value::text(format!("メモ{}", index % 3)),
                    Value::text(format!("幅なし{index}")),
                ]
            })
            .collect();
        let segments = Table::streamed(
            Grid {
                name: "セグメント一覧".into(),
                header_rows: 1,
                label_columns: 1,
                rows: vec![vec![
                    Value::text("事例"),
                    Value::text("テキスト"),
                    Value::text("開始"),
                    Value::text("メモ"),
                    Value::text("その他"),
                ]],
                widths: vec![10.0, 40.0, 8.0, 12.0],
                notes: vec!["注：セグメント".into()],
                ..Grid::default()
            },
            Box::new(Rows(body)),
        );
        let matrix_body: Vec<Vec<Value>> = (0..40)
            .map(|index| {
                vec![
                    Value::text(format!("{}", index / 2)),
                    Value::text(if index % 2 == 0 { "病院" } else { "" }),
                    Value::text(format!("{index}\nA-{index}「語り」")),
                    Value::Number(f64::from(index)),
                ]
            })
            .collect();
        let matrix = Table::streamed(
            small_matrix(Vec::new(), &[merge(10, 1, 13, 1)]),
            Box::new(Rows(matrix_body)),
        );
        let tables = [matrix, segments];
        let plan = |threads, column_formats| Plan {
            max_rows: 120,
            parallel_rows: 100,
            threads,
            column_formats,
        };
        let each_formatted = entries(build_with(&tables, plan(false, false)).expect("formats"));
        assert_eq!(
            each_formatted
                .iter()
                .filter(|(name, _)| name.starts_with("xl/worksheets/sheet"))
                .count(),
            4,
            "マトリックス and three parts of セグメント一覧"
        );
        for threads in [false, true] {
            let lent = entries(build_with(&tables, plan(threads, true)).expect("lent"));
            assert_eq!(lent.len(), each_formatted.len());
            for ((name, a), (other, b)) in lent.iter().zip(&each_formatted) {
                assert_eq!(name, other);
                assert!(a == b, "{name} differs (threads: {threads})");
            }
        }
    }
}
