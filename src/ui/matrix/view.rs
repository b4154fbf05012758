//! The matrix tab (事例-コード・マトリックス): options (level, transpose, grouping, cell mode),
//! the virtualised [`grid_ui`], and under it the selected cell ([`cell`](super::cell)). In a
//! large project the matrix is built on a worker thread (issue 17) while the one built before
//! stays on screen.

use std::sync::Arc;

use eframe::egui;

use crate::analysis::{AnalysisData, Column, ColumnKey, Level, Matrix, MatrixOptions, Orientation};
use crate::model::{AttributeId, CaseId, CodeId};
use crate::ui::action::Outbox;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Latest;
use crate::ui::matrix::cell::cell_panel_ui;
use crate::ui::matrix::grid::{GridCell, GridSpec, grid_ui};
use crate::ui::widgets::filter::{FilterChoices, FilterWidget};
use crate::ui::widgets::group_by::group_by_combo;
use crate::ui::widgets::level_combo::level_combo_ui;

/// What the cells show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CellMode {
    /// The number of segments, shaded by count.
    #[default]
    Count,
    /// The segments' words.
    Segments,
    /// The 要約, or the count where there is none.
    Summary,
}

/// What a matrix is built for: the snapshot's generation, the options and the subtotals.
type BuiltFor = (u64, MatrixOptions, bool);

/// The matrix as built for the current options and project state, with its labels.
struct Built {
    /// The snapshot it was built from (the cells' quotes and summaries are read there).
    data: Arc<AnalysisData>,
    options: MatrixOptions,
    matrix: Matrix,
    /// The case axis as shown: each case, and with subtotals a row after each group.
    rows: Vec<CaseRow>,
    max_segments: usize,
    row_titles: Vec<String>,
    row_labels: Vec<Vec<String>>,
    column_labels: Vec<Vec<String>>,
    widths: Vec<f32>,
}

/// A row of the case axis (a column, transposed).
#[derive(Clone, Debug, PartialEq, Eq)]
enum CaseRow {
    /// The case at this index of `Matrix::cases`.
    Case(usize),
    /// The subtotal of the cases at these indices (one group).
    Subtotal(std::ops::Range<usize>),
}

/// The state of the matrix tab.
#[derive(Default)]
pub struct MatrixView {
    level: Option<Level>,
    orientation: Orientation,
    group_by: Option<AttributeId>,
    mode: CellMode,
    built: Latest<BuiltFor, Built>,
    /// The selected cell: a case and a column (by key, so it survives new columns).
    selected: Option<(CaseId, ColumnKey)>,
    /// The 要約 being edited and the cell it belongs to.
    draft: Option<((CaseId, CodeId), String)>,
    hovered: Option<(CaseId, usize)>,
    /// Which cases and segments the matrix reads.
    filter: FilterWidget,
    /// A subtotal row (column, transposed) after each group of cases, when grouped.
    subtotals: bool,
}

impl MatrixView {
    /// The filter widget (tests set conditions through it).
    pub fn filter_mut(&mut self) -> &mut FilterWidget {
        &mut self.filter
    }

    /// Shows or hides the group subtotals.
    pub fn set_subtotals(&mut self, shown: bool) {
        self.subtotals = shown;
    }

    /// The selected cell, if any: its case and column key.
    pub fn selected(&self) -> Option<(CaseId, ColumnKey)> {
        self.selected
    }

    /// Selects a cell (what a click on it does).
    pub fn select(&mut self, case_id: CaseId, column: ColumnKey) {
        self.selected = Some((case_id, column));
    }

    /// Switches the cell mode.
    pub fn set_mode(&mut self, mode: CellMode) {
        self.mode = mode;
    }

    /// Switches the orientation.
    pub fn set_orientation(&mut self, orientation: Orientation) {
        self.orientation = orientation;
    }

    /// True while a matrix is being built on a worker thread.
    pub fn is_busy(&self) -> bool {
        self.built.is_running()
    }

    /// Blocks until the matrix being built (if any) is ready (tests).
    pub fn wait(&mut self) {
        self.built.wait();
    }

    /// The number of cases and of columns of the matrix shown.
    pub fn shown_size(&self) -> Option<(usize, usize)> {
        let built = self.built.shown()?;
        Some((built.matrix.cases.len(), built.matrix.axis.columns.len()))
    }

    /// The matrix tab. `generation` changes whenever the project changed; `background`: build
    /// the matrix on a worker thread (a large project).
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &Arc<AnalysisData>,
        choices: &FilterChoices,
        generation: u64,
        background: bool,
        coder: &str,
        strings: &'static Strings,
        outbox: &mut Outbox,
    ) {
        self.options_ui(ui, data, choices, generation, strings);
        ui.separator();
        let options = MatrixOptions {
            level: self.level.unwrap_or(Level::CODE),
            group_by: self.group_by,
            filter: self.filter.filter().clone(),
            orientation: self.orientation,
        };
        let subtotals = self.subtotals && self.group_by.is_some();
        let wanted = (generation, options.clone(), subtotals);
        let shared = Arc::clone(data);
        (self.built).ensure(&wanted, background, strings.jobs.matrix, move |_| {
            Ok(build(shared, options, subtotals, strings))
        });
        self.built.status_ui(ui, strings.cancel);
        let Some(built) = self.built.shown() else {
            return;
        };
        let data = &*built.data;
        let centre = &strings.centre;
        if built.matrix.cases.is_empty() || built.matrix.axis.columns.is_empty() {
            ui.weak(centre.matrix_empty);
            return;
        }
        let selected = self.selected.and_then(|(case_id, key)| {
            let row = built.rows.iter().position(|row| {
                matches!(row, CaseRow::Case(index)
                    if built.matrix.cases.get(*index).is_some_and(|c| c.case_id == case_id))
            })?;
            let column = built
                .matrix
                .axis
                .columns
                .iter()
                .position(|c| c.key == key)?;
            Some((case_id, row, column))
        });
        if let Some((case_id, _, column)) = selected {
            let mut close = false;
            egui::Panel::bottom("matrix-cell")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| {
                    close = cell_panel_ui(
                        ui,
                        data,
                        &built.matrix,
                        case_id,
                        column,
                        &mut self.draft,
                        coder,
                        strings,
                        outbox,
                    );
                });
            if close {
                self.selected = None;
            }
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                let cases = built.matrix.cases.len();
                let columns = built.matrix.axis.columns.len();
                // Say what the rows are: transposed, the codes are.
                ui.weak(match built.options.orientation {
                    Orientation::CasesAsRows => fill(centre.matrix_size, &[&cases, &columns]),
                    Orientation::CodesAsRows => fill(
                        strings.workbench.matrix_size_transposed,
                        &[&columns, &cases],
                    ),
                });
                if let Some((case_id, column)) = self.hovered {
                    let cell = built.matrix.cell(case_id, column);
                    let path = built
                        .matrix
                        .axis
                        .columns
                        .get(column)
                        .map(Column::path_string);
                    ui.separator();
                    ui.label(fill(
                        centre.cell_tooltip,
                        &[
                            &data.case_name(case_id),
                            &path.unwrap_or_default(),
                            &cell.segments(),
                        ],
                    ));
                }
            });
            let transposed = built.options.orientation == Orientation::CodesAsRows;
            let position = |case_row: usize, column: usize| {
                if transposed {
                    (column, case_row)
                } else {
                    (case_row, column)
                }
            };
            let spec = GridSpec {
                row_titles: &built.row_titles,
                row_labels: &built.row_labels,
                column_labels: &built.column_labels,
                row_title_widths: &built.widths,
                cell: match self.mode {
                    CellMode::Count => egui::vec2(76.0, 28.0),
                    CellMode::Segments | CellMode::Summary => egui::vec2(190.0, 74.0),
                },
                selected: selected.map(|(_, row, column)| position(row, column)),
            };
            let mode = self.mode;
            let cell = |row: usize, column: usize| {
                let (case_row, column) = position(row, column);
                grid_cell(data, built, case_row, column, mode)
            };
            let response = grid_ui(ui, ("matrix", transposed), &spec, &cell);
            let to_cell = |(row, column): (usize, usize)| {
                let (case_row, column) = position(row, column);
                let CaseRow::Case(index) = built.rows.get(case_row)? else {
                    return None;
                };
                let case = built.matrix.cases.get(*index)?;
                Some((case.case_id, column))
            };
            self.hovered = response.hovered.and_then(to_cell);
            if let Some((case_id, column)) = response.clicked.and_then(to_cell)
                && let Some(key) = built.matrix.axis.columns.get(column).map(|c| c.key)
            {
                self.selected = Some((case_id, key));
            }
        });
    }

    fn options_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &AnalysisData,
        choices: &FilterChoices,
        generation: u64,
        strings: &Strings,
    ) {
        let centre = &strings.centre;
        ui.horizontal_wrapped(|ui| {
            level_combo_ui(
                ui,
                "matrix-level",
                self.level.get_or_insert(Level::CODE),
                data,
                strings,
            );
            ui.separator();
            let mut transposed = self.orientation == Orientation::CodesAsRows;
            if ui.checkbox(&mut transposed, centre.transpose).changed() {
                self.orientation = if transposed {
                    Orientation::CodesAsRows
                } else {
                    Orientation::CasesAsRows
                };
            }
            ui.separator();
            group_by_combo(
                ui,
                "matrix-group",
                data.attributes(),
                &mut self.group_by,
                |attribute| attribute.id,
                strings,
            );
            ui.separator();
            // 「セル」 stays with its buttons when the toolbar wraps: the four start a new row
            // together when they do not fit on this one (a nested row would overflow instead).
            let together = [
                centre.cell_mode,
                centre.mode_count,
                centre.mode_segments,
                centre.mode_summary,
            ]
            .iter()
            .map(|text| text.chars().count() as f32 * 15.0 + 24.0)
            .sum::<f32>();
            if ui.available_size_before_wrap().x < together {
                ui.end_row();
            }
            ui.label(centre.cell_mode);
            ui.selectable_value(&mut self.mode, CellMode::Count, centre.mode_count);
            ui.selectable_value(&mut self.mode, CellMode::Segments, centre.mode_segments);
            ui.selectable_value(&mut self.mode, CellMode::Summary, centre.mode_summary);
            if self.group_by.is_some() {
                ui.separator();
                ui.checkbox(&mut self.subtotals, strings.workbench.subtotals);
            }
            ui.separator();
            self.filter
                .ui(ui, "matrix", generation, || choices.clone(), strings);
        });
    }
}

/// The case axis: every case in order and, with `subtotals`, a subtotal after each run of
/// cases of one group.
fn case_rows(matrix: &Matrix, subtotals: bool) -> Vec<CaseRow> {
    let mut rows = Vec::with_capacity(matrix.cases.len() + 8);
    let mut group_start = 0;
    for (index, case) in matrix.cases.iter().enumerate() {
        if subtotals
            && index > 0
            && matrix.cases.get(index - 1).map(|c| &c.group) != Some(&case.group)
        {
            rows.push(CaseRow::Subtotal(group_start..index));
            group_start = index;
        }
        rows.push(CaseRow::Case(index));
    }
    if subtotals && !matrix.cases.is_empty() {
        rows.push(CaseRow::Subtotal(group_start..matrix.cases.len()));
    }
    rows
}

/// Builds the matrix and the grid's labels for `options`.
fn build(
    data: Arc<AnalysisData>,
    options: MatrixOptions,
    subtotals: bool,
    strings: &Strings,
) -> Built {
    let centre = &strings.centre;
    let matrix = Matrix::build(&data, options.clone());
    let max_segments = matrix
        .cases
        .iter()
        .flat_map(|case| {
            (0..matrix.axis.columns.len())
                .map(|column| matrix.cell(case.case_id, column).segments())
        })
        .max()
        .unwrap_or(0);
    let group_title = options
        .group_by
        .and_then(|id| data.attributes().iter().find(|a| a.id == id))
        .map(|attribute| attribute.name.clone());
    let rows = case_rows(&matrix, subtotals);
    let case_labels: Vec<Vec<String>> = rows
        .iter()
        .filter_map(|row| {
            let (index, name) = match row {
                CaseRow::Case(index) => (*index, matrix.cases.get(*index)?.name.clone()),
                CaseRow::Subtotal(range) => (range.start, strings.workbench.subtotal.to_owned()),
            };
            let case = matrix.cases.get(index)?;
            let mut labels = Vec::new();
            if group_title.is_some() {
                labels.push(
                    case.group
                        .clone()
                        .unwrap_or_else(|| centre.no_value.to_owned()),
                );
            }
            labels.push(name);
            Some(labels)
        })
        .collect();
    let mut case_titles: Vec<String> = group_title.into_iter().collect();
    case_titles.push(centre.case_column.to_owned());
    let code_depth = matrix
        .axis
        .columns
        .iter()
        .map(|column| column.path.len())
        .max()
        .unwrap_or(1);
    let code_labels: Vec<Vec<String>> = matrix
        .axis
        .columns
        .iter()
        .map(|column| {
            let mut labels = column.path.clone();
            labels.resize(code_depth, String::new());
            labels
        })
        .collect();
    let code_titles: Vec<String> = match options.level {
        Level::Roles(_) => vec![
            strings.centre.role_level.replace(": {}", ""),
            centre.code_column.to_owned(),
        ],
        Level::Depth(_) => (0..code_depth)
            .map(|d| strings.level_names.get(d).copied().unwrap_or("").to_owned())
            .collect(),
    };
    let (row_titles, row_labels, column_labels, widths) = match options.orientation {
        Orientation::CasesAsRows => {
            let widths = case_titles
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    if i + 1 == case_titles.len() {
                        110.0
                    } else {
                        130.0
                    }
                })
                .collect();
            (case_titles, case_labels, code_labels, widths)
        }
        Orientation::CodesAsRows => {
            let widths = code_titles.iter().map(|_| 150.0).collect();
            (code_titles, code_labels, case_labels, widths)
        }
    };
    Built {
        data,
        options,
        matrix,
        rows,
        max_segments,
        row_titles,
        row_labels,
        column_labels,
        widths,
    }
}

/// What the grid shows in one cell.
fn grid_cell(
    data: &AnalysisData,
    built: &Built,
    case_row: usize,
    column: usize,
    mode: CellMode,
) -> GridCell {
    let case = match built.rows.get(case_row) {
        Some(CaseRow::Case(index)) => built.matrix.cases.get(*index),
        Some(CaseRow::Subtotal(range)) => {
            return subtotal_cell(built, range.clone(), column);
        }
        None => None,
    };
    let Some(case) = case else {
        return GridCell::default();
    };
    let cell = built.matrix.cell(case.case_id, column);
    let count = cell.segments();
    let heat = if built.max_segments == 0 {
        0.0
    } else {
        count as f32 / built.max_segments as f32
    };
    let text = match mode {
        CellMode::Count if count > 0 => count.to_string(),
        CellMode::Count => String::new(),
        CellMode::Segments => cell
            .coding_ids
            .iter()
            .filter_map(|coding_id| data.segment(*coding_id))
            .map(|segment| format!("「{}」", segment.text.replace('\n', " ")))
            .collect::<Vec<_>>()
            .join(""),
        CellMode::Summary => match cell.summary {
            Some(summary) if !summary.text.is_empty() => summary.text.clone(),
            _ if count > 0 => format!("({count})"),
            _ => String::new(),
        },
    };
    GridCell {
        text,
        // Quotes and summaries are read, not compared: a lighter shade keeps them legible.
        heat: if mode == CellMode::Count {
            heat
        } else {
            heat * 0.35
        },
        negative: cell.negative && count == 0,
        summary: cell.summary.is_some_and(|summary| !summary.text.is_empty()),
    }
}

/// A group's subtotal: the segments of its cases and how many of them have one, as the
/// crosstab counts them.
fn subtotal_cell(built: &Built, cases: std::ops::Range<usize>, column: usize) -> GridCell {
    let mut segments = 0;
    let mut with = 0;
    for case in built.matrix.cases.get(cases).unwrap_or_default() {
        let count = built.matrix.cell(case.case_id, column).segments();
        segments += count;
        with += usize::from(count > 0);
    }
    GridCell {
        text: if segments == 0 {
            String::new()
        } else {
            format!("Σ{segments} ({with})")
        },
        heat: 0.0,
        negative: false,
        summary: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Filter;
    use crate::analysis::fixture::sample;
    use crate::ui::i18n::JAPANESE;

    #[test]
    fn grouped_cases_get_a_subtotal_row_after_each_group() {
        let sample = sample();
        let data = sample.study.data();
        let organisation = data.attribute_named("所属組織").expect("attribute").id;
        let options = MatrixOptions {
            level: Level::CODE,
            group_by: Some(organisation),
            filter: Filter::default(),
            orientation: Orientation::CasesAsRows,
        };
        let data = Arc::new(data);
        let built = build(Arc::clone(&data), options.clone(), true, &JAPANESE);
        let labels: Vec<Vec<&str>> = built
            .row_labels
            .iter()
            .map(|labels| labels.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            labels,
            [
                ["市役所", "A"],
                ["市役所", "C"],
                ["市役所", "小計"],
                ["訪問看護", "B"],
                ["訪問看護", "小計"],
            ]
        );
        let respite = built
            .matrix
            .axis
            .columns
            .iter()
            .position(|column| column.key == ColumnKey::Code(sample.respite))
            .expect("the column of [レスパイト]");
        // 市役所: A has one segment of [レスパイト], C none; 訪問看護: B one.
        assert_eq!(
            grid_cell(&data, &built, 2, respite, CellMode::Count).text,
            "Σ1 (1)"
        );
        assert_eq!(
            grid_cell(&data, &built, 4, respite, CellMode::Count).text,
            "Σ1 (1)"
        );
        // Without subtotals the rows are the cases alone.
        let plain = build(data, options, false, &JAPANESE);
        assert_eq!(plain.row_labels.len(), 3);
    }
}
