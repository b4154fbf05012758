//! Grids as one HTML document: real merged cells (`rowspan`, `colspan`) for multi-level
//! headers and category cells, header rows in `<thead>`, every text escaped (`& < > "`),
//! line breaks as `<br>`. Plain CSS that pastes into a word processor as a ruled table.

use std::io::Write;

use super::grid::Value;
use super::table::Table;
use crate::{Error, Result};

const STYLE: &str = "body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:0.5em}\
th,td{border:1px solid #444;padding:2px 6px;vertical-align:top}th{background:#eee}\
td.n{text-align:right}p.note{font-size:90%;margin:0.2em 0}";

/// Every table as a captioned table with its notes below it, into `out`.
pub(super) fn write(tables: &[Table<'_>], out: &mut dyn Write) -> Result<()> {
    put(
        out,
        &format!(
            "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>casecode</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        ),
    )?;
    for table in tables {
        write_table(table, out)?;
        for note in &table.grid.notes {
            put(out, &format!("<p class=\"note\">{}</p>\n", escape(note)))?;
        }
    }
    put(out, "</body>\n</html>\n")
}

/// One table, row by row.
fn write_table(table: &Table<'_>, out: &mut dyn Write) -> Result<()> {
    let grid = &table.grid;
    let columns = table.columns();
    let layout = grid.layout();
    put(
        out,
        &format!("<table>\n<caption>{}</caption>\n", escape(&grid.name)),
    )?;
    let mut emit = |row: usize, values: &[Value]| -> Result<()> {
        let mut line = String::new();
        if row == 0 && grid.header_rows > 0 {
            line.push_str("<thead>\n");
        }
        if row == grid.header_rows {
            line.push_str("<tbody>\n");
        }
        line.push_str("<tr>");
        for column in 0..columns {
            if layout.covered(row, column) {
                continue;
            }
            let header = row < grid.header_rows || column < grid.label_columns;
            let tag = if header { "th" } else { "td" };
            let mut attributes = String::new();
            if let Some(merge) = layout.merge_at(row, column) {
                if merge.last_row > row {
                    attributes.push_str(&format!(" rowspan=\"{}\"", merge.last_row - row + 1));
                }
                if merge.last_column > column {
                    attributes
                        .push_str(&format!(" colspan=\"{}\"", merge.last_column - column + 1));
                }
            }
            let value = values.get(column).unwrap_or(&Value::Empty);
            if !header && matches!(value, Value::Number(_)) {
                attributes.push_str(" class=\"n\"");
            }
            line.push_str(&format!(
                "<{tag}{attributes}>{}</{tag}>",
                escape(&value.display())
            ));
        }
        line.push_str("</tr>\n");
        if row + 1 == grid.header_rows {
            line.push_str("</thead>\n");
        }
        put(out, &line)
    };
    let header = table.header_rows();
    for (row, values) in grid.rows.iter().enumerate().take(header) {
        emit(row, values)?;
    }
    table.each_row(header..table.rows(), &mut emit)?;
    if table.rows() > grid.header_rows {
        put(out, "</tbody>\n")?;
    }
    put(out, "</table>\n")
}

/// Writes text, an error naming what failed.
fn put(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .map_err(|error| Error::Conflict(format!("cannot write the HTML: {error}")))
}

/// Text escaped for HTML, line breaks as `<br>`.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
}
