//! The 一致率 sheet of the workbook agrees with `casecode agreement --json`, names its unit
//! and coders, and the matrix can be limited to one coder.

use crate::common::Sandbox;
use crate::support::{export_workbook, sheet};

#[test]
fn the_agreement_sheet_holds_the_counts_and_coefficients_of_casecode_agreement() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let out = export_workbook(&sandbox, &project, &["--agreement", "山田,鈴木"]);
    let json = sandbox
        .run([
            "agreement",
            project.to_str().expect("utf-8 path"),
            "--coders",
            "山田,鈴木",
            "--json",
        ])
        .ok()
        .json();
    let table = sheet(&out, "一致率");
    assert_eq!(table.text(0, 0), "コード");
    assert_eq!(table.text(0, 6), "Cohen の κ");
    let codes = json["codes"].as_array().expect("codes");
    for (index, code) in codes.iter().enumerate() {
        let row = 1 + index as u32;
        assert_eq!(
            table.text(row, 0),
            code["code_path"].as_str().expect("path")
        );
        for (column, field) in [(1, "both"), (2, "a_only"), (3, "b_only"), (4, "neither")] {
            assert_eq!(
                table.text(row, column),
                code["pooled"][field].to_string(),
                "{field}"
            );
        }
        match code["pooled"]["kappa"].as_f64() {
            Some(kappa) => assert_eq!(
                table.text(row, 6),
                format!("{}", (kappa * 1000.0).round() / 1000.0)
            ),
            None => assert_eq!(table.text(row, 6), "—"),
        }
    }
    let total = 1 + codes.len() as u32;
    assert_eq!(table.text(total, 0), "全体");
    let everything: Vec<String> = (0..table.cells.height() as u32)
        .flat_map(|row| table.row(row))
        .collect();
    assert!(
        everything
            .iter()
            .any(|cell| cell.contains("山田（A）と 鈴木（B）") && cell.contains("単位: 文字")),
        "the note names the coders and the unit"
    );
}

#[test]
fn an_unknown_agreement_coder_is_refused_by_name() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let failed = sandbox.run([
        "export",
        project.to_str().expect("utf-8 path"),
        "--xlsx",
        sandbox.path("x.xlsx").to_str().expect("utf-8 path"),
        "--agreement",
        "山田,佐藤",
    ]);
    assert_eq!(failed.code, 2);
    assert!(
        failed.stderr.contains("agreement coder '佐藤'"),
        "{}",
        failed.stderr
    );
}
