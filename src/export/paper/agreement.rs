//! The 一致率 sheet: inter-coder agreement per code (the 2 × 2 counts over units, % agreement,
//! Cohen's κ, Krippendorff's α, segment agreement) with the unit and the coders named in a note.

use super::PaperData;
use super::grid::{Grid, Value};
use crate::analysis::agreement::{Agreement, AgreementOptions, Counts};

/// The sheet's name.
pub const AGREEMENT_SHEET: &str = "一致率";

fn fraction(value: Option<f64>) -> Value {
    value.map_or_else(
        || Value::text("—"),
        |v| Value::Number((v * 1000.0).round() / 1000.0),
    )
}

fn percent(value: Option<f64>) -> Value {
    value.map_or_else(
        || Value::text("—"),
        |v| Value::Number((v * 1000.0).round() / 10.0),
    )
}

fn counts_row(label: String, counts: &Counts, segments: Option<f64>) -> Vec<Value> {
    vec![
        Value::text(label),
        Value::Number(counts.both as f64),
        Value::Number(counts.a_only as f64),
        Value::Number(counts.b_only as f64),
        Value::Number(counts.neither as f64),
        percent(counts.agreement()),
        fraction(counts.kappa()),
        fraction(counts.alpha()),
        percent(segments),
    ]
}

/// The sheet, when the export names two coders to compare.
pub(super) fn agreement(paper: &PaperData) -> Option<Grid> {
    let (first, second) = paper.options.agreement_coders.clone()?;
    let mut options = AgreementOptions::new(&first, &second);
    options.unit = paper.options.agreement_unit;
    let result = Agreement::compute(&paper.data, &options);
    let mut rows = vec![vec![
        Value::text("コード"),
        Value::text(format!("両方（{first}・{second}）")),
        Value::text(format!("{first} のみ")),
        Value::text(format!("{second} のみ")),
        Value::text("どちらも付けず"),
        Value::text("一致率 (%)"),
        Value::text("Cohen の κ"),
        Value::text("Krippendorff の α"),
        Value::text("セグメント一致 (%)"),
    ]];
    for code in &result.codes {
        rows.push(counts_row(
            code.code_path.clone(),
            &code.pooled,
            code.segments.agreement,
        ));
    }
    rows.push(counts_row("全体".to_owned(), &result.overall, None));
    let unit = match result.unit {
        crate::analysis::agreement::Unit::Character => "文字",
        crate::analysis::agreement::Unit::Utterance => "発話",
        crate::analysis::agreement::Unit::Sentence => "文",
        crate::analysis::agreement::Unit::Document => "文書",
    };
    let mut grid = Grid {
        name: AGREEMENT_SHEET.to_owned(),
        header_rows: 1,
        label_columns: 1,
        rows,
        notes: vec![
            format!(
                "コーダー: {first}（A）と {second}（B）。単位: {unit}（1 コードあたり {} 単位; 単位のどこか 1 文字でもコードされていればコード済み）。",
                result.units_per_code
            ),
            "一致率 = (両方 + どちらも付けず) / N。κ = (Po − Pe)/(1 − Pe)、Pe = [(a+b)(a+c) + (c+d)(b+d)]/N²（NVivo の定義）。—: 定義できない（Pe = 1）。".to_owned(),
            "α: Krippendorff の α（名義尺度、コードごとに付けた/付けないの 2 値）。セグメント一致: 同じコードの相手のセグメントと和集合の 90% 以上重なるセグメントの割合（MAXQDA 方式）。".to_owned(),
        ],
        fit_width: true,
        ..Grid::default()
    };
    grid.fit_widths(8.0, 50.0, |_| true);
    Some(grid)
}
