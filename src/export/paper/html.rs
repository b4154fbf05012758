//! Grids as one HTML document: real merged cells (`rowspan`, `colspan`) for multi-level
//! headers and category cells, header rows in `<thead>`, every text escaped (`& < > "`),
//! line breaks as `<br>`. Plain CSS that pastes into a word processor as a ruled table.

use super::grid::{Grid, Value};

const STYLE: &str = "body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:0.5em}\
th,td{border:1px solid #444;padding:2px 6px;vertical-align:top}th{background:#eee}\
td.n{text-align:right}p.note{font-size:90%;margin:0.2em 0}";

/// Every grid as a captioned table with its notes below it.
pub(super) fn document(grids: &[Grid]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>casecode</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    for grid in grids {
        out.push_str(&table(grid));
        for note in &grid.notes {
            out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(note)));
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// One table.
pub(super) fn table(grid: &Grid) -> String {
    let columns = grid.columns();
    let layout = grid.layout();
    let mut out = format!("<table>\n<caption>{}</caption>\n", escape(&grid.name));
    for row in 0..grid.rows.len() {
        if row == 0 && grid.header_rows > 0 {
            out.push_str("<thead>\n");
        }
        if row == grid.header_rows {
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
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
            let value = grid.value(row, column);
            if !header && matches!(value, Value::Number(_)) {
                attributes.push_str(" class=\"n\"");
            }
            out.push_str(&format!(
                "<{tag}{attributes}>{}</{tag}>",
                escape(&value.display())
            ));
        }
        out.push_str("</tr>\n");
        if row + 1 == grid.header_rows {
            out.push_str("</thead>\n");
        }
    }
    if grid.rows.len() > grid.header_rows {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
    out
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
