//! The crosstab as TSV, JSON or Markdown. Tables come in blocks separated by a blank line:
//! counts with totals, % of cases per group, adjusted residuals, the presence test per code,
//! and the table test, each statistic labelled exploratory.

use serde::Serialize;

use super::{
    COUNTING_NOTE, ColumnJson, EXPLORATORY_NOTE, Format, column_label, decimal, header, json, line,
    p_value,
};
use crate::analysis::crosstab::{Count, Crosstab, Group};
use crate::analysis::data::AnalysisData;
use crate::analysis::stats::ChiSquare;

/// The label of a group: its value, or `（値なし）` for cases without one.
fn group_label(group: &Group) -> String {
    group
        .value
        .clone()
        .unwrap_or_else(|| "（値なし）".to_owned())
}

/// Renders the crosstab.
pub fn crosstab(crosstab: &Crosstab, data: &AnalysisData, format: Format) -> String {
    if format == Format::Json {
        return json(&crosstab_json(crosstab, data));
    }
    let groups: Vec<String> = crosstab.groups.iter().map(group_label).collect();
    let blank = |out: &mut String| out.push('\n');
    let mut out = String::new();
    if format == Format::Markdown {
        out.push_str(&format!(
            "**Crosstab: {} × {} ({}).** {COUNTING_NOTE}.\n\n",
            crosstab.level.name(data),
            crosstab.attribute.name,
            crosstab.count.as_str()
        ));
    }
    // Counts.
    let mut head = vec![crosstab.count.as_str().to_owned()];
    head.extend(groups.iter().cloned());
    head.push("total".to_owned());
    out.push_str(&header(format, &head));
    for row in &crosstab.rows {
        let mut cells = vec![column_label(&row.column)];
        cells.extend(row.counts(crosstab.count).iter().map(usize::to_string));
        cells.push(row.total(crosstab.count).to_string());
        out.push_str(&line(format, &cells));
    }
    let mut cells = vec!["total".to_owned()];
    cells.extend(crosstab.column_totals().iter().map(usize::to_string));
    cells.push(crosstab.grand_total().to_string());
    out.push_str(&line(format, &cells));
    let mut cells = vec!["cases in group".to_owned()];
    cells.extend(crosstab.groups.iter().map(|group| group.cases.to_string()));
    cells.push(crosstab.total_cases().to_string());
    out.push_str(&line(format, &cells));
    blank(&mut out);

    // % of cases.
    let mut head = vec!["% of cases".to_owned()];
    head.extend(groups.iter().cloned());
    head.push("all".to_owned());
    out.push_str(&header(format, &head));
    let total_cases = crosstab.total_cases();
    for row in &crosstab.rows {
        let mut cells = vec![column_label(&row.column)];
        cells.extend(
            row.percent_of_cases(&crosstab.groups)
                .into_iter()
                .map(|percent| decimal(percent, 1)),
        );
        cells.push(decimal(
            (total_cases > 0).then(|| row.total(Count::Cases) as f64 * 100.0 / total_cases as f64),
            1,
        ));
        out.push_str(&line(format, &cells));
    }
    blank(&mut out);

    // The table test.
    out.push_str(&title(
        format,
        &format!("table test on {}", crosstab.count.as_str()),
    ));
    match &crosstab.test {
        Some(test) => {
            out.push_str(&test_lines(format, test));
            let mut head = vec!["adjusted residual".to_owned()];
            head.extend(groups.iter().cloned());
            out.push_str(&header(format, &head));
            for (row, residuals) in crosstab.rows.iter().zip(&test.residuals) {
                let mut cells = vec![column_label(&row.column)];
                cells.extend(residuals.iter().map(|residual| decimal(*residual, 2)));
                out.push_str(&line(format, &cells));
            }
        }
        None => out.push_str(&title(
            format,
            "no test: fewer than two codes or two groups with counts",
        )),
    }
    blank(&mut out);

    // The presence test per code.
    out.push_str(&header(
        format,
        &[
            "presence test (cases with / without, by group)".to_owned(),
            "χ²".to_owned(),
            "df".to_owned(),
            "p".to_owned(),
            "Fisher p".to_owned(),
            "min expected".to_owned(),
        ],
    ));
    for row in &crosstab.rows {
        let mut cells = vec![column_label(&row.column)];
        match &row.presence_test {
            Some(test) => cells.extend([
                format!("{:.3}", test.statistic),
                test.df.to_string(),
                p_value(test.p_value),
                test.fisher_p.map(p_value).unwrap_or_default(),
                format!("{:.2}", test.min_expected),
            ]),
            // Every case has the code, or none has: nothing to test.
            None => {
                cells.push("no variation".to_owned());
                cells.extend(std::iter::repeat_n(String::new(), 4));
            }
        }
        out.push_str(&line(format, &cells));
    }
    out
}

/// A title line with the exploratory label: a TSV row, or a bold Markdown paragraph.
fn title(format: Format, text: &str) -> String {
    match format {
        Format::Markdown => format!("**{text}** — {EXPLORATORY_NOTE}\n"),
        Format::Tsv | Format::Json => line(format, &[text.to_owned(), EXPLORATORY_NOTE.to_owned()]),
    }
}

fn test_lines(format: Format, test: &ChiSquare) -> String {
    let mut lines = vec![
        vec!["χ²".to_owned(), format!("{:.3}", test.statistic)],
        vec!["df".to_owned(), test.df.to_string()],
        vec!["p".to_owned(), p_value(test.p_value)],
    ];
    if let Some(p) = test.fisher_p {
        lines.push(vec!["Fisher p (two-sided)".to_owned(), p_value(p)]);
    }
    if let Some(warning) = test.warning() {
        lines.push(vec!["warning".to_owned(), warning]);
    }
    match format {
        Format::Markdown => {
            let parts: Vec<String> = lines
                .iter()
                .map(|cells| match cells.as_slice() {
                    [name, value] => format!("{name} = {value}"),
                    other => other.join(" "),
                })
                .collect();
            format!("\n{}\n\n", parts.join("; "))
        }
        Format::Tsv | Format::Json => {
            let mut text: String = lines.iter().map(|cells| line(format, cells)).collect();
            text.push('\n');
            text
        }
    }
}

#[derive(Serialize)]
struct CrosstabJson {
    analysis: &'static str,
    level: String,
    attribute: String,
    count: &'static str,
    filter: std::collections::BTreeMap<String, Vec<String>>,
    counting: &'static str,
    note: &'static str,
    groups: Vec<GroupJson>,
    rows: Vec<RowJson>,
    column_totals: Vec<usize>,
    grand_total: usize,
    total_cases: usize,
    test: Option<TestJson>,
}

#[derive(Serialize)]
struct GroupJson {
    value: Option<String>,
    cases: usize,
}

#[derive(Serialize)]
struct RowJson {
    column: ColumnJson,
    /// The counts shown (segments or cases), per group.
    counts: Vec<usize>,
    total: usize,
    segments: Vec<usize>,
    cases: Vec<usize>,
    percent_of_cases: Vec<Option<f64>>,
    presence_test: Option<TestJson>,
}

#[derive(Serialize)]
struct TestJson {
    statistic: f64,
    df: usize,
    p: f64,
    fisher_p: Option<f64>,
    residuals: Vec<Vec<Option<f64>>>,
    expected: Vec<Vec<Option<f64>>>,
    min_expected: f64,
    cells_below_five: usize,
    warning: Option<String>,
    exploratory: bool,
}

fn test_json(test: &ChiSquare) -> TestJson {
    TestJson {
        statistic: test.statistic,
        df: test.df,
        p: test.p_value,
        fisher_p: test.fisher_p,
        residuals: test.residuals.clone(),
        expected: test.expected.clone(),
        min_expected: test.min_expected,
        cells_below_five: test.cells_below_five,
        warning: test.warning(),
        exploratory: true,
    }
}

fn crosstab_json(crosstab: &Crosstab, data: &AnalysisData) -> CrosstabJson {
    CrosstabJson {
        analysis: "crosstab",
        level: crosstab.level.name(data),
        attribute: crosstab.attribute.name.clone(),
        count: crosstab.count.as_str(),
        filter: crosstab.filter.describe(data),
        counting: COUNTING_NOTE,
        note: EXPLORATORY_NOTE,
        groups: crosstab
            .groups
            .iter()
            .map(|group| GroupJson {
                value: group.value.clone(),
                cases: group.cases,
            })
            .collect(),
        rows: crosstab
            .rows
            .iter()
            .map(|row| RowJson {
                column: ColumnJson::of(&row.column),
                counts: row.counts(crosstab.count).to_vec(),
                total: row.total(crosstab.count),
                segments: row.segments.clone(),
                cases: row.cases.clone(),
                percent_of_cases: row.percent_of_cases(&crosstab.groups),
                presence_test: row.presence_test.as_ref().map(test_json),
            })
            .collect(),
        column_totals: crosstab.column_totals(),
        grand_total: crosstab.grand_total(),
        total_cases: crosstab.total_cases(),
        test: crosstab.test.as_ref().map(test_json),
    }
}
