//! Paper exports as a researcher uses them: `casecode export STUDY --xlsx/--csv/--matrix-csv/
//! --md/--html`, read back the way a reader would (the workbook with calamine, the CSV with
//! the csv crate, the Markdown and HTML as text).

mod agreement;
#[path = "../common/mod.rs"]
mod common;
mod files;
mod matrix;
mod support;
mod workbook;
