//! The クロス集計: codes × the values of an attribute, built from
//! [`Crosstab`](crate::analysis::Crosstab) (so the counts are those of `casecode crosstab`),
//! with the code tree as merged row labels and each value's columns under a merged header.

use super::CROSSTAB_SHEET;
use super::PaperData;
use super::grid::{Grid, Merge, Value, label_widths, tree_labels};
use super::matrix::{COUNTING, label_titles, set};
use super::tables::column_path;
use crate::analysis::render::{EXPLORATORY_NOTE, p_value};
use crate::analysis::{Count, Crosstab};

/// The クロス集計: codes × the values of the crosstab attribute; per group the segments and
/// the cases mentioning the code (% of the group's cases), totals, the presence test per code
/// and the table test as notes, all labelled exploratory. `None` without an attribute.
pub(super) fn crosstab(paper: &PaperData) -> Option<Grid> {
    let attribute = paper.crosstab_by.as_ref()?;
    let table = Crosstab::build(
        &paper.data,
        paper.level,
        attribute,
        Count::Segments,
        &paper.options.filter,
    );
    let matrix = &paper.matrix;
    let paths: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| column_path(paper, &row.column))
        .collect();
    let levels = paths.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let groups = table.groups.len();
    let width = levels + 2 * (groups + 1) + 1;
    let mut rows = vec![vec![Value::Empty; width]; 2];
    let mut merges = Vec::new();
    let mut titles: Vec<(usize, String)> = label_titles(matrix, levels)
        .into_iter()
        .enumerate()
        .collect();
    titles.push((width - 1, "有無の検定 p".to_owned()));
    for (column, title) in titles {
        set(&mut rows, 0, column, Value::text(title));
        merges.push(Merge {
            first_row: 0,
            first_column: column,
            last_row: 1,
            last_column: column,
        });
    }
    let group_names = table.groups.iter().map(|group| {
        group
            .value
            .clone()
            .unwrap_or_else(|| "（値なし）".to_owned())
    });
    for (index, name) in group_names.chain(["合計".to_owned()]).enumerate() {
        let column = levels + 2 * index;
        set(&mut rows, 0, column, Value::text(name));
        set(&mut rows, 1, column, Value::text("セグメント"));
        set(&mut rows, 1, column + 1, Value::text("事例（%）"));
        merges.push(Merge {
            first_row: 0,
            first_column: column,
            last_row: 0,
            last_column: column + 1,
        });
    }
    let (lines, spans) = tree_labels(&paths, levels);
    let total_cases = table.total_cases();
    let share = |cases: usize, of: usize| {
        if of == 0 {
            Value::text(cases.to_string())
        } else {
            Value::text(format!(
                "{cases} ({:.1}%)",
                cases as f64 * 100.0 / of as f64
            ))
        }
    };
    for (index, crosstab_row) in table.rows.iter().enumerate() {
        let mut row: Vec<Value> = lines
            .iter()
            .map(|line| Value::text(line.get(index).cloned().unwrap_or_default()))
            .collect();
        for (group, (segments, cases)) in table
            .groups
            .iter()
            .zip(crosstab_row.segments.iter().zip(&crosstab_row.cases))
        {
            row.push(Value::count(*segments));
            row.push(share(*cases, group.cases));
        }
        row.push(Value::count(crosstab_row.total(Count::Segments)));
        row.push(share(crosstab_row.total(Count::Cases), total_cases));
        row.push(match &crosstab_row.presence_test {
            Some(test) => Value::text(p_value(test.fisher_p.unwrap_or(test.p_value))),
            None => Value::text("—"),
        });
        rows.push(row);
    }
    merges.extend(
        spans
            .into_iter()
            .map(|(first_level, last_level, first, last)| Merge {
                first_row: 2 + first,
                first_column: first_level,
                last_row: 2 + last,
                last_column: last_level,
            }),
    );
    let footer = rows.len();
    let mut total_row = vec![Value::text("合計（事例数 n）")];
    total_row.resize(levels, Value::Empty);
    let column_totals = table.column_totals();
    for (group, segments) in table.groups.iter().zip(&column_totals) {
        total_row.push(Value::count(*segments));
        total_row.push(Value::text(format!("n = {}", group.cases)));
    }
    total_row.push(Value::count(table.grand_total()));
    total_row.push(Value::text(format!("n = {total_cases}")));
    rows.push(total_row);
    merges.push(Merge {
        first_row: footer,
        first_column: 0,
        last_row: footer,
        last_column: levels - 1,
    });
    let mut notes = vec![
        format!(
            "{}別（{}）。事例（%）= その値の事例のうちコードに言及した事例の数と割合。",
            attribute.name,
            crosstab_level_name(paper)
        ),
        "有無の検定 = 言及あり／なしの事例数 × 値 の χ² 検定（2群なら Fisher の正確検定）の p。"
            .to_owned(),
    ];
    match &table.test {
        Some(test) => {
            notes.push(format!(
                "セグメント数の表全体の χ²({}) = {:.3}, p = {}",
                test.df,
                test.statistic,
                p_value(test.p_value)
            ));
            notes.extend(test.warning());
        }
        None => notes.push("χ² 検定なし: 件数のあるコードか値が2つ未満".to_owned()),
    }
    notes.extend(COUNTING.iter().take(2).map(|note| (*note).to_owned()));
    notes.push(EXPLORATORY_NOTE.to_owned());
    let mut grid = Grid {
        name: CROSSTAB_SHEET.to_owned(),
        header_rows: 2,
        label_columns: levels,
        rows,
        merges: merges.into_iter().filter(Merge::spans).collect(),
        notes,
        fit_width: true,
        ..Grid::default()
    };
    grid.fit_widths(6.0, 24.0, |_| true);
    label_widths(&mut grid, levels);
    Some(grid)
}

fn crosstab_level_name(paper: &PaperData) -> String {
    paper.level.name(&paper.data)
}
