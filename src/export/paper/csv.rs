//! Grids as CSV: RFC 4180 (fields with a comma, a quote or a line break in double quotes,
//! quotes doubled, CRLF between records), UTF-8 with an optional BOM for Excel, and text that
//! a spreadsheet would run as a formula neutralised with a leading `'`.

use std::io::Write;

use super::grid::Value;
use super::looks_like_formula;
use super::table::Table;
use crate::{Error, Result};

/// The table as CSV into `out`: one header line (multi-level headers joined with ` ▸ `),
/// then the body rows as they are made; notes are left out, so the file stays one table.
pub(super) fn write(table: &Table<'_>, bom: bool, out: &mut dyn Write) -> Result<()> {
    let csv_error = |error: csv::Error| Error::Conflict(format!("cannot write CSV: {error}"));
    if bom {
        out.write_all("\u{feff}".as_bytes())
            .map_err(|error| csv_error(error.into()))?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    let grid = &table.grid;
    let columns = table.columns();
    let header: Vec<String> = grid.flat_header().iter().map(|t| field(t)).collect();
    writer.write_record(&header).map_err(csv_error)?;
    let mut record: Vec<String> = Vec::with_capacity(columns);
    table.each_row(table.header_rows()..table.rows(), &mut |_, row| {
        record.clear();
        record.extend((0..columns).map(|column| match row.get(column) {
            Some(Value::Text(text)) => field(text),
            Some(value) => value.display(),
            None => String::new(),
        }));
        writer.write_record(&record).map_err(csv_error)
    })?;
    writer.flush().map_err(|error| csv_error(error.into()))
}

/// A text field, with a leading `'` when it would start a formula.
fn field(text: &str) -> String {
    if looks_like_formula(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
