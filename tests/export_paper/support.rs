//! What the export tests share: reading a workbook back with calamine, running
//! `casecode export`, and a one-document study whose transcript holds given lines.

use std::path::{Path, PathBuf};

use crate::common::Sandbox;
use calamine::{Data, Dimensions, Reader, Xlsx, open_workbook};

pub const SHEETS: [&str; 7] = [
    "事例-コード・マトリックス",
    "事例-コード・マトリックス（転置）",
    "表1 対象者の概要",
    "表2 分析結果",
    "コードブック",
    "クロス集計",
    "セグメント一覧",
];

/// A sheet read back: its cells as text (numbers without `.0`) and its merged ranges.
pub struct Sheet {
    pub cells: calamine::Range<Data>,
    pub merges: Vec<Dimensions>,
}

impl Sheet {
    pub fn text(&self, row: u32, column: u32) -> String {
        match self.cells.get_value((row, column)) {
            None | Some(Data::Empty) => String::new(),
            Some(Data::Float(number)) if number.fract() == 0.0 => format!("{}", *number as i64),
            Some(other) => other.to_string(),
        }
    }

    pub fn row(&self, row: u32) -> Vec<String> {
        (0..self.cells.width() as u32)
            .map(|column| self.text(row, column))
            .collect()
    }

    pub fn height(&self) -> u32 {
        self.cells.height() as u32
    }

    pub fn merged(&self, start: (u32, u32), end: (u32, u32)) -> bool {
        self.merges.contains(&Dimensions { start, end })
    }

    /// The column whose header (row 0) is `name`.
    pub fn column(&self, name: &str) -> u32 {
        self.row(0)
            .iter()
            .position(|header| header == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", self.row(0))) as u32
    }
}

pub fn workbook(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("the workbook opens")
}

pub fn sheet(path: &Path, name: &str) -> Sheet {
    let mut book = workbook(path);
    Sheet {
        cells: book.worksheet_range(name).expect("sheet"),
        merges: book.merge_cells_by_sheet_name(name).expect("merges"),
    }
}

pub fn export(sandbox: &Sandbox, project: &Path, args: &[&str]) -> String {
    let mut all = vec!["export", project.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    sandbox.run(all).ok().stdout
}

/// Exports `project` to `study.xlsx` in the sandbox with `flags` and returns the file.
pub fn export_workbook(sandbox: &Sandbox, project: &Path, flags: &[&str]) -> PathBuf {
    let out = sandbox.path("study.xlsx");
    let mut args = vec!["--xlsx", out.to_str().expect("utf-8 path")];
    args.extend_from_slice(flags);
    export(sandbox, project, &args);
    out
}

/// `[start, end)` of `needle` in `text`, in code points.
pub fn span(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("needle in text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// A one-document study whose transcript holds `lines`, each line coded with one code.
pub fn study_of_lines(sandbox: &Sandbox, lines: &[&str]) -> std::path::PathBuf {
    let project = sandbox.new_project("lines.casecode");
    let text = format!("Ｉ：お話を聞かせてください。\n{}\n", lines.join("\n"));
    let transcript = sandbox.write("K.txt", &text);
    let p = project.to_str().expect("utf-8");
    sandbox
        .run(["import", p, transcript.to_str().expect("utf-8")])
        .ok();
    let cases = sandbox.write("cases.csv", "事例,所属組織\nK,市役所\n");
    sandbox
        .run(["attributes", p, cases.to_str().expect("utf-8")])
        .ok();
    for path in ["語り", "語り/行", "語り/行/[そのままの行]"] {
        sandbox.run(["codes", p, "add", path]).ok();
    }
    for line in lines {
        let (start, end) = span(&text, line);
        sandbox
            .run([
                "code",
                p,
                "--doc",
                "K",
                "--start",
                &start.to_string(),
                "--end",
                &end.to_string(),
                "--code",
                "[そのままの行]",
            ])
            .ok();
    }
    project
}
