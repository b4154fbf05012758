//! CSV, Markdown and HTML, and the errors a researcher can run into.

use calamine::{Data, Reader};

use crate::common::{Sandbox, snapshot};
use crate::support::{export, sheet, study_of_lines, workbook};

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
fn regression_a_segment_longer_than_an_excel_cell_is_clipped_not_fatal() {
    let sandbox = Sandbox::new();
    let long = format!("Ａ：{}", "あ𠮷".repeat(20_000));
    let project = study_of_lines(&sandbox, &[long.as_str()]);
    let xlsx_out = sandbox.path("study.xlsx");
    let csv_out = sandbox.path("segments.csv");
    export(
        &sandbox,
        &project,
        &[
            "--xlsx",
            xlsx_out.to_str().expect("utf-8 path"),
            "--csv",
            csv_out.to_str().expect("utf-8 path"),
        ],
    );
    let segments = sheet(&xlsx_out, "セグメント一覧");
    let cell = segments.text(1, segments.column("テキスト"));
    assert!(cell.ends_with("…（Excel のセルの上限 32,767 字で省略。全文は CSV の書き出しに）"));
    assert!(cell.encode_utf16().count() <= 32_767);
    assert!(long.starts_with(cell.split('…').next().expect("the kept text")));
    // The CSV keeps every character.
    let csv = String::from_utf8(std::fs::read(&csv_out).expect("the CSV file")).expect("UTF-8");
    assert!(csv.contains(&long));
}
