//! Codings as CSV (`document,start,end,code,coder,memo,text`), the format
//! `casecode codings … import` reads back. The code is written as its full path so that the
//! file resolves unambiguously; the text column lets the importer check every offset.

use crate::listing::CodingRow;
use crate::{Error, Result};

/// The codings CSV.
pub fn codings_csv(rows: &[CodingRow]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |error: csv::Error| Error::Conflict(format!("cannot write CSV: {error}"));
    writer
        .write_record(["document", "start", "end", "code", "coder", "memo", "text"])
        .map_err(csv_error)?;
    for row in rows {
        writer
            .write_record([
                row.document.as_str(),
                &row.start.to_string(),
                &row.end.to_string(),
                &row.code_path,
                &row.coder,
                &row.memo,
                &row.text,
            ])
            .map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| Error::Conflict(format!("cannot write CSV: {error}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
