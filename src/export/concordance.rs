//! Search and KWIC results as a table a researcher can sort and quote from: CSV (UTF-8, with a
//! BOM for Excel when asked) or an xlsx workbook, chosen by the file's extension. One row per
//! hit: case, document, utterance, code-point span, left context, keyword, right context.
//! Notes under the table say what was searched and which text was read (speakers, notes).

use std::path::Path;

use super::paper::{Grid, Value, grid_csv, grid_workbook};
use crate::corpus::kwic::KwicLine;
use crate::{Error, Result};

/// The sheet name of a KWIC export.
pub const KWIC_SHEET: &str = "KWIC";

/// The file formats of a KWIC export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConcordanceFormat {
    Csv,
    Xlsx,
}

impl ConcordanceFormat {
    /// The format a path's extension names (`.csv`, `.xlsx`); other extensions are refused
    /// with the file named.
    pub fn of_path(path: &Path) -> Result<ConcordanceFormat> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "csv" => Ok(ConcordanceFormat::Csv),
            "xlsx" => Ok(ConcordanceFormat::Xlsx),
            _ => Err(Error::bad_input(
                path.display().to_string(),
                "write KWIC lines to a .csv or an .xlsx file",
            )),
        }
    }
}

/// The lines as a grid: a header row, then one row per line in the order given.
pub fn concordance_grid(lines: &[KwicLine], notes: &[String]) -> Grid {
    let mut rows: Vec<Vec<Value>> = vec![
        [
            "事例",
            "文書",
            "発話",
            "開始",
            "終了",
            "左文脈",
            "キーワード",
            "右文脈",
        ]
        .map(Value::text)
        .to_vec(),
    ];
    for line in lines {
        rows.push(vec![
            Value::text(line.case.clone()),
            Value::text(line.document.clone()),
            Value::text(line.utterance.clone().unwrap_or_default()),
            Value::count(line.start),
            Value::count(line.end),
            Value::text(line.left.clone()),
            Value::text(line.keyword.clone()),
            Value::text(line.right.clone()),
        ]);
    }
    let mut grid = Grid {
        name: KWIC_SHEET.to_owned(),
        header_rows: 1,
        label_columns: 0,
        rows,
        notes: notes.to_vec(),
        fit_width: false,
        ..Grid::default()
    };
    grid.fit_widths(6.0, 48.0, |_| true);
    grid
}

/// Writes the lines to `path` as CSV or xlsx (by extension); returns the bytes written.
pub fn write_concordance(
    path: &Path,
    lines: &[KwicLine],
    notes: &[String],
    excel_bom: bool,
) -> Result<usize> {
    let grid = concordance_grid(lines, notes);
    let bytes = match ConcordanceFormat::of_path(path)? {
        ConcordanceFormat::Csv => grid_csv(&grid, excel_bom)?,
        ConcordanceFormat::Xlsx => grid_workbook(std::slice::from_ref(&grid))?,
    };
    super::write_file(path, &bytes)?;
    Ok(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(left: &str, keyword: &str, right: &str) -> KwicLine {
        KwicLine {
            document: "A".to_owned(),
            case: "A".to_owned(),
            utterance: Some("A-2".to_owned()),
            start: 10,
            end: 12,
            left: left.to_owned(),
            keyword: keyword.to_owned(),
            right: right.to_owned(),
        }
    }

    #[test]
    fn kwic_lines_become_csv_rows_and_formula_like_contexts_stay_text() {
        let grid = concordance_grid(
            &[line("母親を", "支援", "した。"), line("=SUM(", "支援", "")],
            &["検索語: 支援".to_owned()],
        );
        let csv = String::from_utf8(grid_csv(&grid, false).expect("csv")).expect("utf-8");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "事例,文書,発話,開始,終了,左文脈,キーワード,右文脈"
        );
        assert_eq!(lines[1], "A,A,A-2,10,12,母親を,支援,した。");
        assert_eq!(lines[2], "A,A,A-2,10,12,'=SUM(,支援,");
        assert_eq!(lines.len(), 3, "notes stay out of the CSV");
    }

    #[test]
    fn only_csv_and_xlsx_paths_are_accepted() {
        assert_eq!(
            ConcordanceFormat::of_path(Path::new("out.XLSX")).ok(),
            Some(ConcordanceFormat::Xlsx)
        );
        let error = ConcordanceFormat::of_path(Path::new("out.txt"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("out.txt"), "{error}");
    }
}
