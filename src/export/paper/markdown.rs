//! Grids as GitHub-flavoured Markdown tables for a manuscript draft. Markdown has no merged
//! cells: a multi-level header becomes one line (`カテゴリー ▸ サブカテゴリー`), and a label
//! spanning rows is printed on its first row only, as in a printed table. `|` is escaped,
//! `&` and `<` are written as entities (so transcript text never turns into HTML), line
//! breaks become `<br>`.

use std::io::Write;

use super::grid::Value;
use super::table::Table;
use crate::{Error, Result};

/// Every table under its own `##` heading, with its notes below it, into `out`.
pub(super) fn write(tables: &[Table<'_>], out: &mut dyn Write) -> Result<()> {
    for table in tables {
        put(out, &format!("## {}\n\n", table.name()))?;
        write_table(table, out)?;
        for note in &table.grid.notes {
            put(out, &format!("\n{}\n", cell(note)))?;
        }
        put(out, "\n")?;
    }
    Ok(())
}

/// One table, row by row.
fn write_table(table: &Table<'_>, out: &mut dyn Write) -> Result<()> {
    let grid = &table.grid;
    let columns = table.columns();
    let layout = grid.layout();
    let header: Vec<String> = grid.flat_header().iter().map(|text| cell(text)).collect();
    put(
        out,
        &format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(columns)),
    )?;
    table.each_row(table.header_rows()..table.rows(), &mut |row, values| {
        let cells: Vec<String> = (0..columns)
            .map(|column| {
                if layout.covered(row, column) {
                    String::new()
                } else {
                    cell(&values.get(column).unwrap_or(&Value::Empty).display())
                }
            })
            .collect();
        put(out, &format!("| {} |\n", cells.join(" | ")))
    })
}

/// Writes text, an error naming what failed.
fn put(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .map_err(|error| Error::Conflict(format!("cannot write the Markdown: {error}")))
}

/// A cell's text escaped for a Markdown table.
pub(super) fn cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('|', "\\|")
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
}
