//! The matrix sheets: merged multi-level headers, counts equal to `casecode matrix`, the
//! transposed layout, cell contents (quotes, 要約), grouping and levels.

use std::collections::BTreeMap;

use calamine::Data;
use serde_json::Value as Json;

use crate::common::{self, Sandbox, list};
use crate::support::{Sheet, export, export_workbook, sheet};

#[test]
fn the_matrix_has_merged_category_headers_over_its_focus_codes() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = export_workbook(&sandbox, &project, &["--cell", "count"]);
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
    let out = export_workbook(&sandbox, &project, &["--cell", "count"]);
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
    // Passages, not codings: the spans both coders coded count once (441 codings).
    let passages: u64 = totals
        .iter()
        .map(|t| t["segments"].as_u64().expect("n"))
        .sum();
    let codings: u64 = totals
        .iter()
        .map(|t| t["codings"].as_u64().expect("n"))
        .sum();
    assert_eq!(codings, 441);
    assert!(passages < codings);
    assert_eq!(matrix.text(13, 2 + 44), passages.to_string());
}

#[test]
fn the_transposed_sheet_prints_codes_as_rows_under_their_categories() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = export_workbook(&sandbox, &project, &["--cell", "count"]);
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
fn grouping_by_an_attribute_orders_cases_and_merges_the_group_cells() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = export_workbook(
        &sandbox,
        &project,
        &["--group-by", "所有資格", "--cell", "count"],
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
fn the_level_flag_rolls_the_matrix_up_to_subcategories() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = export_workbook(
        &sandbox,
        &project,
        &["--cell", "count", "--level", "subcategory"],
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
