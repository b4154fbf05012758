//! Paper exports as a researcher uses them: `casecode export STUDY --xlsx/--csv/--matrix-csv/
//! --md/--html`, read back the way a reader would (the workbook with calamine, the CSV with
//! the csv crate, the Markdown and HTML as text).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Dimensions, Reader, Xlsx, open_workbook};
use common::{Sandbox, list, snapshot};
use serde_json::Value as Json;

const SHEETS: [&str; 7] = [
    "事例-コード・マトリックス",
    "事例-コード・マトリックス（転置）",
    "表1 対象者の概要",
    "表2 分析結果",
    "コードブック",
    "クロス集計",
    "セグメント一覧",
];

/// A sheet read back: its cells as text (numbers without `.0`) and its merged ranges.
struct Sheet {
    cells: calamine::Range<Data>,
    merges: Vec<Dimensions>,
}

impl Sheet {
    fn text(&self, row: u32, column: u32) -> String {
        match self.cells.get_value((row, column)) {
            None | Some(Data::Empty) => String::new(),
            Some(Data::Float(number)) if number.fract() == 0.0 => format!("{}", *number as i64),
            Some(other) => other.to_string(),
        }
    }

    fn row(&self, row: u32) -> Vec<String> {
        (0..self.cells.width() as u32)
            .map(|column| self.text(row, column))
            .collect()
    }

    fn height(&self) -> u32 {
        self.cells.height() as u32
    }

    fn merged(&self, start: (u32, u32), end: (u32, u32)) -> bool {
        self.merges.contains(&Dimensions { start, end })
    }

    /// The column whose header (row 0) is `name`.
    fn column(&self, name: &str) -> u32 {
        self.row(0)
            .iter()
            .position(|header| header == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", self.row(0))) as u32
    }
}

fn workbook(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("the workbook opens")
}

fn sheet(path: &Path, name: &str) -> Sheet {
    let mut book = workbook(path);
    Sheet {
        cells: book.worksheet_range(name).expect("sheet"),
        merges: book.merge_cells_by_sheet_name(name).expect("merges"),
    }
}

fn export(sandbox: &Sandbox, project: &Path, args: &[&str]) -> String {
    let mut all = vec!["export", project.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    sandbox.run(all).ok().stdout
}

/// `[start, end)` of `needle` in `text`, in code points.
fn span(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("needle in text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// A one-document study whose transcript holds `lines`, each line coded with one code.
fn study_of_lines(sandbox: &Sandbox, lines: &[&str]) -> std::path::PathBuf {
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

#[test]
fn the_workbook_has_the_paper_sheets_in_order_with_japanese_names() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    let printed = export(
        &sandbox,
        &project,
        &["--xlsx", out.to_str().expect("utf-8 path")],
    );
    assert!(printed.starts_with(&format!("wrote {} (workbook: ", out.display())));
    assert_eq!(printed.lines().count(), 1, "one line per file: {printed}");
    assert_eq!(workbook(&out).sheet_names(), SHEETS);
}

#[test]
fn table1_lists_every_case_of_cases_csv_with_its_attributes() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &["--xlsx", out.to_str().expect("utf-8 path")],
    );
    let table = sheet(&out, "表1 対象者の概要");
    let cases = std::fs::read_to_string(common::sample_dir().join("cases.csv")).expect("present");
    let expected: Vec<Vec<String>> = cases
        .lines()
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect();
    let read: Vec<Vec<String>> = (0..table.height()).map(|row| table.row(row)).collect();
    assert_eq!(read, expected);
    // Years and dates keep their types: numbers are numbers, dates stay text.
    assert_eq!(table.cells.get_value((1, 3)), Some(&Data::Float(18.0)));
    assert_eq!(
        table.cells.get_value((1, 5)),
        Some(&Data::String("2024-08-05".into()))
    );
}

#[test]
fn the_matrix_has_merged_category_headers_over_its_focus_codes() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            out.to_str().expect("utf-8 path"),
            "--cell",
            "count",
        ],
    );
    let codes = list(&sandbox, &project, "codes");
    let codes = codes.as_array().expect("a JSON array");
    let under = |prefix: &str| {
        codes
            .iter()
            .filter(|code| code["depth"] == 2)
            .filter(|code| {
                code["path"]
                    .as_str()
                    .expect("a JSON string")
                    .starts_with(prefix)
            })
            .count() as u32
    };
    let first_category = under("医療的ケア児の育ちと生活を支える/");
    let first_subcategory = under("医療的ケア児の育ちと生活を支える/在宅生活への移行支援/");
    assert_eq!((first_category, first_subcategory), (11, 4));

    let matrix = sheet(&out, "事例-コード・マトリックス");
    // 事例 and the first attribute head the case columns, over all three header rows.
    assert_eq!(matrix.text(0, 0), "事例");
    assert_eq!(matrix.text(0, 1), "所属組織");
    assert!(matrix.merged((0, 0), (2, 0)));
    assert!(matrix.merged((0, 1), (2, 1)));
    // カテゴリー ▸ サブカテゴリー ▸ 焦点コード, merged over the codes below them.
    assert_eq!(matrix.text(0, 2), "医療的ケア児の育ちと生活を支える");
    assert!(matrix.merged((0, 2), (0, 2 + first_category - 1)));
    assert_eq!(matrix.text(1, 2), "在宅生活への移行支援");
    assert!(matrix.merged((1, 2), (1, 2 + first_subcategory - 1)));
    assert_eq!(
        matrix.row(2)[2..6],
        [
            "[退院前からの関わり]",
            "[在宅生活のサポート]",
            "[医療的ケアの手技の確認]",
            "[緊急時の対応の準備]"
        ]
    );
    assert_eq!(matrix.row(2).last().expect("present"), "");
    assert_eq!(matrix.text(0, 2 + 44), "合計");
}

#[test]
fn matrix_counts_equal_those_of_casecode_matrix() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            out.to_str().expect("utf-8 path"),
            "--cell",
            "count",
        ],
    );
    let json = sandbox
        .run([
            "matrix",
            project.to_str().expect("utf-8 path"),
            "--format",
            "json",
            "--cell",
            "count",
        ])
        .ok()
        .json();
    let matrix = sheet(&out, "事例-コード・マトリックス");
    let cells = json["cells"].as_array().expect("a JSON array");
    assert_eq!(cells.len(), 10 * 44);
    for cell in cells {
        let row = cell["row"].as_u64().expect("a JSON number") as u32;
        let column = cell["column"].as_u64().expect("a JSON number") as u32;
        let case = json["rows"][row as usize]["name"]
            .as_str()
            .expect("a JSON string");
        assert_eq!(matrix.text(3 + row, 0), case);
        assert_eq!(
            matrix.cells.get_value((3 + row, 2 + column)),
            Some(&Data::Float(
                cell["segments"].as_f64().expect("a JSON number")
            )),
            "case {case}, column {column}"
        );
    }
    // The totals row under the cases: segments per code, then cases coded per code.
    let totals = json["column_totals"].as_array().expect("a JSON array");
    assert_eq!(matrix.text(13, 0), "合計（セグメント数）");
    assert_eq!(matrix.text(14, 0), "言及事例数");
    for (column, total) in totals.iter().enumerate() {
        let column = 2 + column as u32;
        assert_eq!(matrix.text(13, column), total["segments"].to_string());
        assert_eq!(matrix.text(14, column), total["coded"].to_string());
    }
    assert_eq!(matrix.text(13, 2 + 44), "441");
}

#[test]
fn the_transposed_sheet_prints_codes_as_rows_under_their_categories() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            out.to_str().expect("utf-8 path"),
            "--cell",
            "count",
        ],
    );
    let transposed = sheet(&out, "事例-コード・マトリックス（転置）");
    let header = transposed.row(0);
    assert_eq!(header[..3], ["カテゴリー", "サブカテゴリー", "焦点コード"]);
    assert_eq!(
        header[3..13],
        ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]
    );
    assert_eq!(header[13..], ["合計", "言及事例数"]);
    assert_eq!(transposed.text(1, 0), "医療的ケア児の育ちと生活を支える");
    assert!(
        transposed.merged((1, 0), (11, 0)),
        "the category spans its 11 codes"
    );
    assert!(
        transposed.merged((1, 1), (4, 1)),
        "the subcategory spans its 4 codes"
    );
    assert_eq!(transposed.text(1, 2), "[退院前からの関わり]");
}

#[test]
fn cells_hold_the_count_and_the_quotes_or_the_summary_where_one_is_written() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().expect("utf-8 path");
    let codings = list(&sandbox, &project, "codings");
    let of_a: Vec<&Json> = codings
        .as_array()
        .expect("present")
        .iter()
        .filter(|c| c["case"] == "A" && c["code"] == "[資源の不足の認識]")
        .collect();
    assert!(!of_a.is_empty());
    sandbox
        .run([
            "summary",
            p,
            "set",
            "--case",
            "A",
            "--code",
            "[資源の不足の認識]",
            "--text",
            "短期入所の枠が足りない",
        ])
        .ok();
    let column = |sheet: &Sheet| {
        sheet
            .row(2)
            .iter()
            .position(|name| name == "[資源の不足の認識]")
            .expect("present") as u32
    };

    let quotes = sandbox.path("quotes.xlsx");
    export(
        &sandbox,
        &project,
        &["--xlsx", quotes.to_str().expect("utf-8 path")],
    );
    let matrix = sheet(&quotes, "事例-コード・マトリックス");
    let mut expected = vec![of_a.len().to_string()];
    let mut ordered = of_a.clone();
    ordered.sort_by_key(|c| (c["start"].as_u64(), c["end"].as_u64(), c["id"].as_u64()));
    expected.extend(ordered.iter().map(|c| {
        format!(
            "{}「{}」",
            c["utterance"].as_str().expect("a JSON string"),
            c["text"].as_str().expect("a JSON string")
        )
    }));
    assert_eq!(matrix.text(3, column(&matrix)), expected.join("\n"));

    let summary = sandbox.path("summary.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            summary.to_str().expect("utf-8 path"),
            "--cell",
            "summary",
        ],
    );
    let matrix = sheet(&summary, "事例-コード・マトリックス");
    assert_eq!(matrix.text(3, column(&matrix)), "短期入所の枠が足りない");
    // A cell without a 要約 keeps its count and quotes: B's.
    let of_b = codings
        .as_array()
        .expect("present")
        .iter()
        .filter(|c| c["case"] == "B" && c["code"] == "[資源の不足の認識]")
        .count();
    assert!(of_b > 0);
    let cell_b = matrix.text(4, column(&matrix));
    assert!(cell_b.starts_with(&format!("{of_b}\nB-")), "{cell_b}");
    assert_eq!(cell_b.matches('「').count(), of_b);
}

#[test]
fn table2_quotes_the_exemplar_first_and_merges_category_cells() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let codings = list(&sandbox, &project, "codings");
    let support: Vec<&Json> = codings
        .as_array()
        .expect("present")
        .iter()
        .filter(|c| c["code"] == "[在宅生活のサポート]")
        .collect();
    // Unflagged, 表2 takes the first case's quote; flag the last case's instead.
    let flagged = support
        .iter()
        .max_by_key(|c| (c["case"].as_str(), c["start"].as_u64()))
        .expect("present");
    assert_ne!(flagged["case"], "A");
    sandbox
        .run([
            "flag",
            project.to_str().expect("utf-8 path"),
            "--coding",
            &flagged["id"].to_string(),
            "--exemplar",
        ])
        .ok();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            out.to_str().expect("utf-8 path"),
            "--quotes-per-code",
            "2",
        ],
    );
    let table = sheet(&out, "表2 分析結果");
    assert_eq!(
        table.row(0),
        [
            "カテゴリー",
            "サブカテゴリー",
            "焦点コード",
            "テキスト",
            "出典"
        ]
    );
    let first = (1..table.height())
        .find(|row| table.text(*row, 2) == "[在宅生活のサポート]")
        .expect("present");
    let rows = [first, first + 1];
    assert_eq!(table.text(rows[1], 2), "", "covered by the merge");
    assert!(
        table.merged((rows[0], 2), (rows[1], 2)),
        "the code spans its two quotes"
    );
    assert_eq!(
        table.text(rows[0], 3),
        format!("「{}」", flagged["text"].as_str().expect("a JSON string"))
    );
    assert_eq!(
        table.text(rows[0], 4),
        flagged["utterance"].as_str().expect("a JSON string")
    );
    let next = support
        .iter()
        .filter(|c| c["id"] != flagged["id"])
        .min_by_key(|c| {
            (
                c["case"].as_str(),
                c["document"].as_str(),
                c["start"].as_u64(),
            )
        })
        .expect("present");
    assert_eq!(
        table.text(rows[1], 4),
        next["utterance"].as_str().expect("a JSON string"),
        "then case order"
    );
    // The first category spans its 11 codes × 2 quotes.
    assert_eq!(table.text(1, 0), "医療的ケア児の育ちと生活を支える");
    assert!(table.merged((1, 0), (22, 0)));
}

#[test]
fn focus_codes_print_in_the_chosen_brackets() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            out.to_str().expect("utf-8 path"),
            "--brackets",
            "【】",
        ],
    );
    let table = sheet(&out, "表2 分析結果");
    assert_eq!(table.text(1, 2), "【退院前からの関わり】");
    assert_eq!(table.text(1, 0), "医療的ケア児の育ちと生活を支える");
    let bad = sandbox.run([
        "export",
        project.to_str().expect("utf-8 path"),
        "--xlsx",
        out.to_str().expect("utf-8 path"),
        "--brackets",
        "[",
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("brackets '['"), "{}", bad.stderr);
}

#[test]
fn the_segment_list_has_one_row_per_coding_with_its_exact_span_and_text() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &["--xlsx", out.to_str().expect("utf-8 path")],
    );
    let segments = sheet(&out, "セグメント一覧");
    assert_eq!(
        segments.row(0),
        [
            "文書",
            "事例",
            "所属組織",
            "所有資格",
            "勤務年数",
            "研修受講年度",
            "インタビュー日",
            "コード",
            "役割",
            "開始",
            "終了",
            "発話",
            "テキスト",
            "コーダー",
            "メモ",
            "代表的語り",
            "コーディングID"
        ]
    );
    let column = |name| segments.column(name);
    let read: Vec<Vec<String>> = (1..segments.height())
        .map(|row| {
            [
                "コーディングID",
                "文書",
                "コード",
                "開始",
                "終了",
                "発話",
                "テキスト",
                "コーダー",
                "メモ",
            ]
            .iter()
            .map(|name| segments.text(row, column(name)))
            .collect()
        })
        .collect();
    let mut expected: Vec<Vec<String>> = list(&sandbox, &project, "codings")
        .as_array()
        .expect("present")
        .iter()
        .map(|c| {
            [
                "id",
                "document",
                "code_path",
                "start",
                "end",
                "utterance",
                "text",
                "coder",
                "memo",
            ]
            .iter()
            .map(|field| match &c[*field] {
                Json::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect()
        })
        .collect();
    assert_eq!(read.len(), 441);
    let mut sorted = read.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    // Roles follow the code's and its ancestors' roles, in frame order.
    let first = (1..segments.height())
        .find(|row| {
            segments
                .text(*row, column("コード"))
                .ends_with("[退院前からの関わり]")
        })
        .expect("present");
    assert_eq!(
        segments.text(first, column("役割")),
        "発達支援、地域支援、つなぎ支援"
    );
}

#[test]
fn csv_files_carry_a_bom_only_for_excel() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let plain = sandbox.path("plain.csv");
    let excel = sandbox.path("excel.csv");
    let matrix = sandbox.path("matrix.csv");
    export(
        &sandbox,
        &project,
        &["--csv", plain.to_str().expect("utf-8 path")],
    );
    export(
        &sandbox,
        &project,
        &[
            "--csv",
            excel.to_str().expect("utf-8 path"),
            "--matrix-csv",
            matrix.to_str().expect("utf-8 path"),
            "--excel",
        ],
    );
    let plain = std::fs::read(plain).expect("present");
    let excel = std::fs::read(excel).expect("present");
    assert!(plain.starts_with("文書,事例,所属組織".as_bytes()));
    assert!(excel.starts_with("\u{feff}文書,事例,所属組織".as_bytes()));
    assert_eq!(&excel[3..], &plain[..], "the BOM is the only difference");
    let matrix = String::from_utf8(std::fs::read(matrix).expect("present")).expect("present");
    let lines: Vec<&str> = matrix
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .collect();
    assert!(lines[0].starts_with(
        "事例,所属組織,医療的ケア児の育ちと生活を支える/在宅生活への移行支援/[退院前からの関わり],"
    ));
    assert_eq!(lines.len(), 12, "header, ten cases, and the empty end");
    let read = csv::Reader::from_reader(matrix.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .count();
    assert_eq!(read, 10);
}

#[test]
fn csv_quotes_fields_with_commas_quotes_and_line_breaks() {
    let sandbox = Sandbox::new();
    let line = "Ａ：はい, \"そうです\" と\nそれから";
    let project = study_of_lines(&sandbox, &[line]);
    let out = sandbox.path("segments.csv");
    export(
        &sandbox,
        &project,
        &["--csv", out.to_str().expect("utf-8 path")],
    );
    let bytes = String::from_utf8(std::fs::read(&out).expect("the CSV file")).expect("present");
    assert!(
        bytes.contains(",\"Ａ：はい, \"\"そうです\"\" と\nそれから\","),
        "{bytes}"
    );
    let mut reader = csv::Reader::from_reader(bytes.as_bytes());
    let headers = reader.headers().expect("a CSV header").clone();
    let text = headers
        .iter()
        .position(|h| h == "テキスト")
        .expect("present");
    let records: Vec<csv::StringRecord> = reader
        .records()
        .map(|record| record.expect("a CSV record"))
        .collect();
    assert_eq!(records.len(), 1);
    assert_eq!(&records[0][text], line);
}

#[test]
fn regression_transcript_lines_starting_like_formulas_stay_text() {
    let sandbox = Sandbox::new();
    let lines = [
        "=SUM(A1:A3)",
        "+81 90 1234",
        "-それで、",
        "@channel",
        "普通の行",
    ];
    let project = study_of_lines(&sandbox, &lines);
    let csv_out = sandbox.path("segments.csv");
    let xlsx_out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--csv",
            csv_out.to_str().expect("utf-8 path"),
            "--xlsx",
            xlsx_out.to_str().expect("utf-8 path"),
        ],
    );
    let bytes = std::fs::read(&csv_out).expect("the CSV file");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let text = reader
        .headers()
        .expect("a CSV header")
        .iter()
        .position(|h| h == "テキスト")
        .expect("present");
    let mut texts: Vec<String> = reader
        .records()
        .map(|record| record.expect("a CSV record")[text].to_owned())
        .collect();
    texts.sort();
    let mut expected = vec![
        "'=SUM(A1:A3)",
        "'+81 90 1234",
        "'-それで、",
        "'@channel",
        "普通の行",
    ];
    expected.sort();
    assert_eq!(texts, expected);

    // In the workbook the text is unchanged, a string, and never a formula.
    let segments = sheet(&xlsx_out, "セグメント一覧");
    let column = segments.column("テキスト");
    let mut cells: Vec<Data> = (1..segments.height())
        .map(|row| {
            segments
                .cells
                .get_value((row, column))
                .cloned()
                .expect("present")
        })
        .collect();
    cells.sort_by_key(|cell| cell.to_string());
    let mut strings: Vec<Data> = lines
        .iter()
        .map(|line| Data::String((*line).into()))
        .collect();
    strings.sort_by_key(|cell| cell.to_string());
    assert_eq!(cells, strings);
    let formulas = workbook(&xlsx_out)
        .worksheet_formula("セグメント一覧")
        .expect("the formulas");
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, formula)| formula.is_empty())
    );
}

#[test]
fn markdown_and_html_hold_the_manuscript_tables_escaped() {
    let sandbox = Sandbox::new();
    let line = "Ａ：a|b <b>太字</b> & c";
    let project = study_of_lines(&sandbox, &[line]);
    let md = sandbox.path("tables.md");
    let html = sandbox.path("tables.html");
    export(
        &sandbox,
        &project,
        &[
            "--md",
            md.to_str().expect("utf-8 path"),
            "--html",
            html.to_str().expect("utf-8 path"),
        ],
    );
    let md = std::fs::read_to_string(md).expect("the Markdown file");
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## 表1 対象者の概要",
            "## 表2 分析結果",
            "## 事例-コード・マトリックス（転置）",
            "## クロス集計"
        ]
    );
    assert!(
        md.contains("| 事例 | 所属組織 |\n|---|---|\n| K | 市役所 |\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "| 語り | 行 | [そのままの行] | 「Ａ：a\\|b &lt;b>太字&lt;/b> &amp; c」 | K-2 |"
        ),
        "{md}"
    );
    let html = std::fs::read_to_string(html).expect("the HTML file");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<td>「Ａ：a|b &lt;b&gt;太字&lt;/b&gt; &amp; c」</td>"),
        "{html}"
    );
    assert!(!html.contains("<b>太字"));
    assert_eq!(html.matches("<table>").count(), 4);
    // The crosstab's group header spans its two columns.
    assert!(html.contains("<th colspan=\"2\">市役所</th>"), "{html}");
}

#[test]
fn markdown_of_the_sample_prints_category_labels_once_per_span() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let md = sandbox.path("tables.md");
    export(
        &sandbox,
        &project,
        &["--md", md.to_str().expect("utf-8 path"), "--cell", "count"],
    );
    let md = std::fs::read_to_string(md).expect("the Markdown file");
    let matrix: Vec<&str> = md
        .split("## 事例-コード・マトリックス（転置）\n\n")
        .nth(1)
        .expect("present")
        .lines()
        .take(4)
        .collect();
    assert_eq!(
        matrix[0],
        "| カテゴリー | サブカテゴリー | 焦点コード | A | B | C | D | E | F | G | H | I | J | 合計 | 言及事例数 |"
    );
    assert!(matrix[2].starts_with(
        "| 医療的ケア児の育ちと生活を支える | 在宅生活への移行支援 | [退院前からの関わり] |"
    ));
    assert!(
        matrix[3].starts_with("|  |  | [在宅生活のサポート] |"),
        "{}",
        matrix[3]
    );
}

#[test]
fn a_missing_output_folder_is_an_error_naming_the_file_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let before = snapshot(&sandbox, &project);
    let out = sandbox.path("no/such/folder/study.xlsx");
    let run = sandbox.run([
        "export",
        project.to_str().expect("utf-8 path"),
        "--xlsx",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("casecode: "), "{}", run.stderr);
    assert!(
        run.stderr.contains(out.to_str().expect("utf-8 path")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("No such file or directory"),
        "{}",
        run.stderr
    );
    assert!(!sandbox.path("no").exists());
    assert_eq!(snapshot(&sandbox, &project), before);
}

#[test]
fn an_unknown_group_by_attribute_is_refused_with_the_known_ones() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    let run = sandbox.run([
        "export",
        project.to_str().expect("utf-8 path"),
        "--xlsx",
        out.to_str().expect("utf-8 path"),
        "--group-by",
        "所属",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "casecode: group-by '所属': no such attribute (attributes: 所属組織, 所有資格, 勤務年数, 研修受講年度, インタビュー日)"
    );
    assert!(!out.exists());
}

#[test]
fn grouping_by_an_attribute_orders_cases_and_merges_the_group_cells() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            out.to_str().expect("utf-8 path"),
            "--group-by",
            "所有資格",
            "--cell",
            "count",
        ],
    );
    let matrix = sheet(&out, "事例-コード・マトリックス");
    let groups: BTreeMap<String, Vec<String>> =
        std::fs::read_to_string(common::sample_dir().join("cases.csv"))
            .expect("present")
            .lines()
            .skip(1)
            .fold(BTreeMap::new(), |mut groups, line| {
                let fields: Vec<&str> = line.split(',').collect();
                groups
                    .entry(fields[2].to_owned())
                    .or_insert_with(Vec::new)
                    .push(fields[0].to_owned());
                groups
            });
    let cases: Vec<String> = (3..13).map(|row| matrix.text(row, 0)).collect();
    let expected: Vec<String> = groups.values().flatten().cloned().collect();
    assert_eq!(cases, expected);
    assert_eq!(matrix.text(0, 1), "所有資格");
    // 看護師 (B, D, E) is one merged cell.
    assert_eq!(groups["看護師"], ["B", "D", "E"]);
    let nurses = cases.iter().position(|case| case == "B").expect("present") as u32 + 3;
    assert_eq!(matrix.text(nurses, 1), "看護師");
    assert!(matrix.merged((nurses, 1), (nurses + 2, 1)));
    // The crosstab follows the grouping attribute.
    let crosstab = sheet(&out, "クロス集計");
    assert_eq!(crosstab.text(0, 3), "保健師");
    assert_eq!(crosstab.text(1, 3), "セグメント");
    assert_eq!(crosstab.text(1, 4), "事例（%）");
}

#[test]
fn export_without_an_output_names_the_output_flags() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let run = sandbox.run(["export", project.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--xlsx, --csv, --matrix-csv, --md, --html"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_level_flag_rolls_the_matrix_up_to_subcategories() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = sandbox.path("study.xlsx");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            out.to_str().expect("utf-8 path"),
            "--cell",
            "count",
            "--level",
            "subcategory",
        ],
    );
    let json = sandbox
        .run([
            "matrix",
            project.to_str().expect("utf-8 path"),
            "--format",
            "json",
            "--level",
            "subcategory",
        ])
        .ok()
        .json();
    let matrix = sheet(&out, "事例-コード・マトリックス");
    // Two header rows: カテゴリー over サブカテゴリー.
    assert_eq!(matrix.text(0, 2), "医療的ケア児の育ちと生活を支える");
    assert!(
        matrix.merged((0, 2), (0, 4)),
        "three subcategories under it"
    );
    let columns = json["columns"].as_array().expect("a JSON array");
    assert_eq!(columns.len(), 15);
    for (index, column) in columns.iter().enumerate() {
        assert_eq!(
            matrix.text(1, 2 + index as u32),
            column["name"].as_str().expect("a JSON string")
        );
    }
    for cell in json["cells"].as_array().expect("a JSON array") {
        let row = cell["row"].as_u64().expect("a JSON number") as u32;
        let column = cell["column"].as_u64().expect("a JSON number") as u32;
        assert_eq!(
            matrix.text(2 + row, 2 + column),
            cell["segments"].to_string()
        );
    }
}
