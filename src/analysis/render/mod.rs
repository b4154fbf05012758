//! Text renderings of analysis results: TSV (for spreadsheets and scripts), JSON (fixed field
//! names; fields may be added, never renamed) and Markdown tables (for notes and drafts).
//! Output is deterministic: rows and columns in axis order, lists sorted.

mod crosstab;
mod matrix;
mod tables;

pub use crosstab::crosstab;
pub use matrix::{CellMode, matrix, write_matrix};
pub use tables::{cooccurrence, frequencies};

use serde::Serialize;

use super::axis::{Column, ColumnKey, Scope};
use crate::{Error, Result};

/// An output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Tab-separated values; tabs and line breaks inside a cell are written `\t` and `\n`.
    #[default]
    Tsv,
    /// One pretty-printed JSON document.
    Json,
    /// GitHub-flavoured Markdown tables; `|` escaped, line breaks as `<br>`.
    Markdown,
}

impl Format {
    /// Parses `tsv`, `json`, `md` or `markdown`.
    pub fn parse(name: &str) -> Result<Format> {
        match name.trim() {
            "tsv" => Ok(Format::Tsv),
            "json" => Ok(Format::Json),
            "md" | "markdown" => Ok(Format::Markdown),
            other => Err(Error::bad_input(
                format!("format '{other}'"),
                "use tsv, json or md",
            )),
        }
    }
}

/// A code or role column as JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnJson {
    /// `code` or `role`.
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
    /// Names from the top of the tree joined with `/` (for a role: `FRAME/ROLE`).
    pub path: String,
    /// Depth in the tree; `null` for a role.
    pub depth: Option<usize>,
    /// `subtree` (the code and everything below it) or `own` (only the code's own codings).
    pub scope: &'static str,
}

impl ColumnJson {
    /// The JSON view of a column.
    pub fn of(column: &Column) -> ColumnJson {
        let (kind, id) = match column.key {
            ColumnKey::Code(code_id) => ("code", code_id.0),
            ColumnKey::Role(role_id) => ("role", role_id.0),
        };
        ColumnJson {
            kind,
            id,
            name: column.name.clone(),
            path: column.path_string(),
            depth: column.depth,
            scope: match column.scope {
                Scope::Subtree => "subtree",
                Scope::Own => "own",
            },
        }
    }
}

/// The label of a column in tables: its path, with `（直接）` ("own codings only") for a
/// column that counts only a code's own codings.
pub fn column_label(column: &Column) -> String {
    match column.scope {
        Scope::Subtree => column.path_string(),
        Scope::Own => format!("{}（直接）", column.path_string()),
    }
}

/// The rule every analysis counts by, printed with the results.
pub const COUNTING_NOTE: &str = "segments: distinct passages (identical spans once, whoever coded them; overlapping spans of different codes once; [n] = codings where that differs); cases: distinct (once)";

/// The label on every statistic.
pub const EXPLORATORY_NOTE: &str = "exploratory (探索的): with few cases no p-value is evidence; read the segments behind every cell";

/// A cell for TSV: tabs and line breaks escaped.
pub(crate) fn tsv_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

/// A cell for Markdown: `|` escaped, line breaks as `<br>`.
pub(crate) fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// One line of a table in the format (TSV or Markdown).
pub(crate) fn line(format: Format, cells: &[String]) -> String {
    match format {
        Format::Markdown => {
            let cells: Vec<String> = cells.iter().map(|cell| md_cell(cell)).collect();
            format!("| {} |\n", cells.join(" | "))
        }
        Format::Tsv | Format::Json => {
            let cells: Vec<String> = cells.iter().map(|cell| tsv_cell(cell)).collect();
            format!("{}\n", cells.join("\t"))
        }
    }
}

/// A header line, followed in Markdown by the `|---|` rule.
pub(crate) fn header(format: Format, cells: &[String]) -> String {
    let mut out = line(format, cells);
    if format == Format::Markdown {
        out.push_str(&format!("|{}\n", "---|".repeat(cells.len())));
    }
    out
}

/// JSON text, pretty-printed, with a final newline.
pub(crate) fn json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned());
    text.push('\n');
    text
}

/// A number with a fixed number of decimals; empty for `None`.
pub(crate) fn decimal(value: Option<f64>, places: usize) -> String {
    value.map_or_else(String::new, |value| format!("{value:.places$}"))
}

/// A p-value: four decimals, or `<0.0001`.
pub(crate) fn p_value(p: f64) -> String {
    if p < 0.0001 {
        "<0.0001".to_owned()
    } else {
        format!("{p:.4}")
    }
}
