//! Grids as GitHub-flavoured Markdown tables for a manuscript draft. Markdown has no merged
//! cells: a multi-level header becomes one line (`カテゴリー ▸ サブカテゴリー`), and a label
//! spanning rows is printed on its first row only, as in a printed table. `|` is escaped,
//! `&` and `<` are written as entities (so transcript text never turns into HTML), line
//! breaks become `<br>`.

use super::grid::Grid;

/// Every grid under its own `##` heading, with its notes below it.
pub(super) fn document(grids: &[Grid]) -> String {
    let mut out = String::new();
    for grid in grids {
        out.push_str(&format!("## {}\n\n", grid.name));
        out.push_str(&table(grid));
        for note in &grid.notes {
            out.push_str(&format!("\n{}\n", cell(note)));
        }
        out.push('\n');
    }
    out
}

/// One table.
pub(super) fn table(grid: &Grid) -> String {
    let columns = grid.columns();
    let layout = grid.layout();
    let header: Vec<String> = grid.flat_header().iter().map(|text| cell(text)).collect();
    let mut out = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(columns));
    for row in grid.header_rows..grid.rows.len() {
        let cells: Vec<String> = (0..columns)
            .map(|column| {
                if layout.covered(row, column) {
                    String::new()
                } else {
                    cell(&grid.value(row, column).display())
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// A cell's text escaped for a Markdown table.
pub(super) fn cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('|', "\\|")
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
}
