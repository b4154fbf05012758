//! Grids as CSV: RFC 4180 (fields with a comma, a quote or a line break in double quotes,
//! quotes doubled, CRLF between records), UTF-8 with an optional BOM for Excel, and text that
//! a spreadsheet would run as a formula neutralised with a leading `'`.

use super::grid::{Grid, Value};
use super::looks_like_formula;
use crate::{Error, Result};

/// The grid as CSV bytes: one header line (multi-level headers joined with ` ▸ `), then the
/// body rows; notes are left out, so the file stays one table.
pub(super) fn csv(grid: &Grid, bom: bool) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if bom {
        bytes.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(bytes);
    let csv_error = |error: csv::Error| Error::Conflict(format!("cannot write CSV: {error}"));
    let columns = grid.columns();
    let header: Vec<String> = grid.flat_header().iter().map(|t| field(t)).collect();
    writer.write_record(&header).map_err(csv_error)?;
    for row in grid.rows.iter().skip(grid.header_rows) {
        let record: Vec<String> = (0..columns)
            .map(|column| match row.get(column) {
                Some(Value::Text(text)) => field(text),
                Some(value) => value.display(),
                None => String::new(),
            })
            .collect();
        writer.write_record(&record).map_err(csv_error)?;
    }
    writer
        .into_inner()
        .map_err(|error| Error::Conflict(format!("cannot write CSV: {error}")))
}

/// A text field, with a leading `'` when it would start a formula.
fn field(text: &str) -> String {
    if looks_like_formula(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
