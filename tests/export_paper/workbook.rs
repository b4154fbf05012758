//! The workbook's list sheets: sheet names, 表1, 表2, brackets, the segment list.

use calamine::{Data, Reader};
use serde_json::Value as Json;

use crate::common::{self, Sandbox, list};
use crate::support::{SHEETS, export, export_workbook, sheet, workbook};

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
    let out = export_workbook(&sandbox, &project, &[]);
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
    let out = export_workbook(&sandbox, &project, &["--quotes-per-code", "2"]);
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
    let out = export_workbook(&sandbox, &project, &["--brackets", "【】"]);
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
    let out = export_workbook(&sandbox, &project, &[]);
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
