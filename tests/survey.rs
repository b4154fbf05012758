//! A post-training questionnaire as it arrives: a CSV from Excel (CP932), from a web form (UTF-8
//! with BOM, CRLF, answers with line breaks), or an .xlsx workbook. Each row becomes a case with
//! typed attributes, each non-empty answer a document; `--dry-run` changes nothing, bad files
//! change nothing, and the whole import is one undo step.

mod common;

use std::path::Path;

use common::{Sandbox, list, snapshot};
use encoding_rs::SHIFT_JIS;
use rust_xlsxwriter::Workbook;

/// The questionnaire: id, municipality, satisfaction (1–5), date, two free-text questions.
const ROWS: [[&str; 6]; 3] = [
    [
        "R01",
        "豊田市",
        "5",
        "2024/8/5",
        "訪問看護との連携に\n使いたい",
        "特になし",
    ],
    ["R02", "岡崎市", "4", "2024/8/5", "", ""],
    [
        "R03",
        "豊田市",
        "3",
        "2024/8/6",
        "相談支援専門員と、\"共有\"する",
        "時間が短い",
    ],
];
const HEADER: [&str; 6] = ["回答ID", "市町村", "満足度", "回答日", "活用方法", "要望"];

fn csv_text(line_end: &str) -> String {
    let quote = |field: &str| format!("\"{}\"", field.replace('"', "\"\""));
    let mut text = HEADER.join(",") + line_end;
    for row in ROWS {
        text += &row
            .iter()
            .map(|field| quote(field))
            .collect::<Vec<_>>()
            .join(",");
        text += line_end;
    }
    text
}

fn import_survey(sandbox: &Sandbox, project: &Path, file: &Path, extra: &[&str]) -> common::Run {
    let mut args: Vec<String> = vec![
        "import-survey".into(),
        project.display().to_string(),
        file.display().to_string(),
        "--id".into(),
        "回答ID".into(),
        "--text".into(),
        "活用方法,要望".into(),
    ];
    args.extend(extra.iter().map(|arg| (*arg).to_owned()));
    sandbox.run(args)
}

fn texts(sandbox: &Sandbox, project: &Path) -> Vec<(String, String)> {
    list(sandbox, project, "documents")
        .as_array()
        .expect("array")
        .iter()
        .map(|row| {
            let name = row["name"].as_str().unwrap_or_default().to_owned();
            let text = sandbox
                .run([
                    "text".as_ref(),
                    project.as_os_str(),
                    "--doc".as_ref(),
                    name.as_ref(),
                ])
                .ok()
                .stdout;
            (name, text)
        })
        .collect()
}

/// What every encoding of the questionnaire must import as.
fn assert_questionnaire(sandbox: &Sandbox, project: &Path) {
    let expected: Vec<(String, String)> = [
        ("R01/活用方法", "訪問看護との連携に\n使いたい\n"),
        ("R01/要望", "特になし\n"),
        ("R03/活用方法", "相談支援専門員と、\"共有\"する\n"),
        ("R03/要望", "時間が短い\n"),
    ]
    .iter()
    .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
    .collect();
    assert_eq!(texts(sandbox, project), expected);
    let cases = list(sandbox, project, "cases");
    assert_eq!(
        cases,
        serde_json::json!([
            {"id": 1, "name": "R01", "attributes": {"市町村": "豊田市", "満足度": 5, "回答日": "2024-08-05"}, "documents": ["R01/活用方法", "R01/要望"]},
            {"id": 2, "name": "R02", "attributes": {"市町村": "岡崎市", "満足度": 4, "回答日": "2024-08-05"}, "documents": []},
            {"id": 3, "name": "R03", "attributes": {"市町村": "豊田市", "満足度": 3, "回答日": "2024-08-06"}, "documents": ["R03/活用方法", "R03/要望"]},
        ])
    );
}

#[test]
fn a_utf8_bom_crlf_csv_with_line_breaks_in_answers_imports_one_case_per_row() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let file = sandbox.write(
        "研修後アンケート.csv",
        format!("\u{FEFF}{}", csv_text("\r\n")),
    );
    let run = import_survey(&sandbox, &project, &file, &["--all-other-columns"]).ok();
    assert_eq!(
        run.stdout,
        format!(
            "imported {} (utf-8-bom):\n  3 case(s)\n  3 attribute(s): 市町村:text, 満足度:integer, 回答日:date\n  4 document(s); 2 empty answer(s) skipped\n",
            file.display()
        )
    );
    assert_questionnaire(&sandbox, &project);
    let row = &list(&sandbox, &project, "documents")[0];
    assert_eq!(
        row["metadata"],
        serde_json::json!({"format": "csv", "filters": [], "notes": ["line 2, column '活用方法'"]})
    );
}

#[test]
fn an_excel_cp932_csv_and_a_plain_utf8_csv_import_the_same() {
    for (name, bytes) in [
        (
            "cp932.csv",
            SHIFT_JIS.encode(&csv_text("\r\n")).0.into_owned(),
        ),
        ("utf8.csv", csv_text("\n").into_bytes()),
    ] {
        let sandbox = Sandbox::new();
        let project = sandbox.new_project("p.casecode");
        let file = sandbox.write(name, bytes);
        import_survey(
            &sandbox,
            &project,
            &file,
            &["--attributes", "市町村,満足度,回答日"],
        )
        .ok();
        assert_questionnaire(&sandbox, &project);
    }
}

#[test]
fn an_xlsx_sheet_imports_with_numbers_and_dates_typed() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("表紙").expect("name");
    let sheet = workbook.add_worksheet().set_name("回答").expect("name");
    for (column, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).expect("header");
    }
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
    for (index, row) in ROWS.iter().enumerate() {
        let line = index as u32 + 1;
        sheet.write_string(line, 0, row[0]).expect("id");
        sheet.write_string(line, 1, row[1]).expect("city");
        sheet
            .write_number(line, 2, row[2].parse::<f64>().expect("number"))
            .expect("score");
        let ymd: Vec<u16> = row[3]
            .split('/')
            .map(|part| part.parse().expect("date part"))
            .collect();
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(ymd[0], ymd[1] as u8, ymd[2] as u8)
            .expect("date");
        sheet
            .write_datetime_with_format(line, 3, &day, &date_format)
            .expect("date");
        for column in [4u16, 5] {
            let answer = row[column as usize];
            if !answer.is_empty() {
                sheet.write_string(line, column, answer).expect("answer");
            }
        }
    }
    let file = sandbox.path("answers.xlsx");
    workbook.save(&file).expect("save xlsx");
    let run = import_survey(
        &sandbox,
        &project,
        &file,
        &["--all-other-columns", "--sheet", "回答"],
    )
    .ok();
    assert!(
        run.stdout.starts_with(&format!("imported {} (sheet '回答', xlsx):\n  3 case(s)\n  3 attribute(s): 市町村:text, 満足度:integer, 回答日:date\n", file.display())),
        "{}",
        run.stdout
    );
    assert_questionnaire(&sandbox, &project);
    let missing = import_survey(&sandbox, &project, &file, &["--sheet", "Sheet9"]);
    assert_eq!(missing.code, 2);
    assert_eq!(
        missing.stderr,
        format!(
            "casecode: {}: no sheet 'Sheet9' (sheets: 表紙, 回答)\n",
            file.display()
        )
    );
}

#[test]
fn without_an_id_column_cases_are_numbered_by_row_and_a_dry_run_changes_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let file = sandbox.write(
        "q.csv",
        "市町村,自由記述\n豊田市,よかった\n岡崎市,\n安城市,また参加したい\n",
    );
    let args = |dry: bool| {
        let mut args: Vec<String> = [
            "import-survey",
            "",
            "",
            "--text",
            "自由記述",
            "--attributes",
            "市町村",
        ]
        .iter()
        .map(|arg| (*arg).to_owned())
        .collect();
        args[1] = project.display().to_string();
        args[2] = file.display().to_string();
        if dry {
            args.push("--dry-run".into());
        }
        args
    };
    let before = snapshot(&sandbox, &project);
    let preview = sandbox.run(args(true)).ok();
    assert_eq!(
        preview.stdout,
        format!(
            "would import {} (utf-8):\n  3 case(s)\n  1 attribute(s): 市町村:text\n  2 document(s); 1 empty answer(s) skipped\n    q-001/自由記述 (4 chars): よかった\n    q-003/自由記述 (7 chars): また参加したい\ndry run: nothing was changed\n",
            file.display()
        )
    );
    assert_eq!(snapshot(&sandbox, &project), before);
    sandbox.run(args(false)).ok();
    let names: Vec<String> = list(&sandbox, &project, "cases")
        .as_array()
        .expect("array")
        .iter()
        .map(|case| {
            format!(
                "{}={}",
                case["name"].as_str().unwrap_or_default(),
                case["attributes"]["市町村"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(names, ["q-001=豊田市", "q-002=岡崎市", "q-003=安城市"]);
}

#[test]
fn the_whole_survey_is_one_undo_step() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let before = snapshot(&sandbox, &project);
    let file = sandbox.write("s.csv", csv_text("\n"));
    import_survey(&sandbox, &project, &file, &["--all-other-columns"]).ok();
    let history = sandbox.run(["history".as_ref(), project.as_os_str()]).ok();
    assert!(
        history
            .stdout
            .contains("「s.csv」の取り込み（事例 3 件・文書 4 件）"),
        "{}",
        history.stdout
    );
    sandbox.run(["undo".as_ref(), project.as_os_str()]).ok();
    assert_eq!(snapshot(&sandbox, &project), before);
}

#[test]
fn bad_surveys_fail_with_one_line_and_change_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let before = snapshot(&sandbox, &project);
    let duplicate = sandbox.write("dup.csv", "回答ID,活用方法,要望\nR01,a,b\nR01,c,d\n");
    let ragged = sandbox.write("ragged.csv", "回答ID,活用方法,要望\nR01,a\n");
    let no_column = sandbox.write("cols.csv", "ID,活用方法,要望\nR01,a,b\n");
    let empty_id = sandbox.write("empty.csv", "回答ID,活用方法,要望\n,a,b\n");
    let not_zip = sandbox.write("fake.xlsx", "回答ID,活用方法\n");
    let header_only = sandbox.write("header.csv", "回答ID,活用方法,要望\r\n");
    let cases = [
        (&duplicate, "line 3: case 'R01' appears twice in the id column".to_owned()),
        (&ragged, "line 2: CSV error: record 1 (line: 2, byte: 29): found record with 2 fields, but the previous record has 3 fields".to_owned()),
        (&no_column, "no column '回答ID' (columns: ID, 活用方法, 要望)".to_owned()),
        (&empty_id, "line 2: the id column is empty".to_owned()),
        (&not_zip, "not a zip archive".to_owned()),
        (&header_only, "the header has no rows of answers below it".to_owned()),
    ];
    for (file, message) in cases {
        let run = import_survey(&sandbox, &project, file, &[]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!("casecode: {}: {message}\n", file.display())
        );
        assert_eq!(snapshot(&sandbox, &project), before);
    }
}
