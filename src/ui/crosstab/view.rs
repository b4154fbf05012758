//! The crosstab tab: codes × the values of an attribute (所属組織 …) with counts, % of cases,
//! the row and table tests, cells shaded by adjusted residual, and a bar chart of the selected
//! code by value ([`bar_chart_ui`]). The code-name column stays in place while the table
//! scrolls sideways; the border between table and chart is dragged to resize the chart. In a
//! large project the crosstab is counted on a worker thread (issue 17) while the one counted
//! before stays on screen.

use std::sync::Arc;

use eframe::egui::{self, Color32, Rect, Sense, vec2};

use crate::analysis::{AnalysisData, Count, Crosstab, Level};
use crate::model::AttributeId;
use crate::ui::crosstab::chart::{ChartBar, bar_chart_ui};
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Latest;
use crate::ui::widgets::filter::{FilterChoices, FilterWidget};
use crate::ui::widgets::level_combo::level_combo_ui;

/// Height of a table row.
const ROW: f32 = 24.0;
/// Height of the table's header.
const HEADER: f32 = 40.0;
/// Width of the code-name column.
const NAME_WIDTH: f32 = 220.0;
/// Width of a value column.
const VALUE_WIDTH: f32 = 104.0;
/// Width of the total and p columns.
const TOTAL_WIDTH: f32 = 70.0;

/// What the crosstab was built from.
#[derive(Clone, Debug, PartialEq)]
struct Built {
    generation: u64,
    attribute_id: AttributeId,
    level: Level,
    count: Count,
    filter: crate::analysis::Filter,
}

/// The state of the crosstab tab.
#[derive(Default)]
pub struct CrosstabView {
    attribute_id: Option<AttributeId>,
    level: Option<Level>,
    count: Count,
    /// The row shown in the chart.
    selected_row: usize,
    built: Latest<Built, Crosstab>,
    /// Which cases and segments are counted.
    filter: FilterWidget,
    /// The chart's height (0: not yet chosen; then 40 % of the tab).
    chart_height: f32,
}

impl CrosstabView {
    /// The filter widget (tests set conditions through it).
    pub fn filter_mut(&mut self) -> &mut FilterWidget {
        &mut self.filter
    }

    /// True while a crosstab is being counted on a worker thread.
    pub fn is_busy(&self) -> bool {
        self.built.is_running()
    }

    /// The crosstab shown (perhaps counted before the last change, while a new one is counted).
    pub fn shown(&self) -> Option<&Crosstab> {
        self.built.shown()
    }

    /// Blocks until the crosstab being counted (if any) is ready (tests).
    pub fn wait(&mut self) {
        self.built.wait();
    }

    /// The chart's height in points, once the tab has been shown.
    pub fn chart_height(&self) -> f32 {
        self.chart_height
    }

    /// The crosstab tab. `generation` changes whenever the project changed; `background`:
    /// count on a worker thread (a large project).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &Arc<AnalysisData>,
        choices: &FilterChoices,
        generation: u64,
        background: bool,
        strings: &'static Strings,
    ) {
        let centre = &strings.centre;
        if data.attributes().is_empty() {
            ui.weak(centre.no_attributes);
            return;
        }
        let attribute_id = *self
            .attribute_id
            .get_or_insert_with(|| default_attribute(data));
        let Some(attribute) = data.attributes().iter().find(|a| a.id == attribute_id) else {
            self.attribute_id = None;
            return;
        };
        ui.horizontal_wrapped(|ui| {
            // Labels before their controls.
            let label = ui.label(centre.by_attribute);
            egui::ComboBox::from_id_salt("crosstab-attribute")
                .selected_text(&attribute.name)
                .show_ui(ui, |ui| {
                    for choice in data.attributes() {
                        ui.selectable_value(&mut self.attribute_id, Some(choice.id), &choice.name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            level_combo_ui(
                ui,
                "crosstab-level",
                self.level.get_or_insert(Level::CODE),
                data,
                strings,
            );
            ui.separator();
            ui.selectable_value(&mut self.count, Count::Segments, centre.count_segments);
            ui.selectable_value(&mut self.count, Count::Cases, centre.count_cases);
            ui.separator();
            self.filter
                .ui(ui, "crosstab", generation, || choices.clone(), strings);
        });
        let wanted = Built {
            generation,
            attribute_id,
            level: self.level.unwrap_or(Level::CODE),
            count: self.count,
            filter: self.filter.filter().clone(),
        };
        let (shared, attribute, inputs) = (Arc::clone(data), attribute.clone(), wanted.clone());
        (self.built).ensure(&wanted, background, strings.jobs.crosstab, move |_| {
            let Built {
                level,
                count,
                filter,
                ..
            } = inputs;
            Ok(Crosstab::build(&shared, level, &attribute, count, &filter))
        });
        self.built.status_ui(ui, strings.cancel);
        let Some(crosstab) = self.built.shown() else {
            return;
        };
        if let Some(test) = &crosstab.test {
            ui.label(fill(
                centre.chi_square,
                &[
                    &format!("{:.2}", test.statistic),
                    &test.df,
                    &format!("{:.3}", test.p_value),
                ],
            ));
            if test.cells_below_five > 0 {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    fill(centre.low_expected, &[&test.cells_below_five]),
                );
            }
        }
        ui.weak(centre.residual_hint);
        self.selected_row = self.selected_row.min(crosstab.rows.len().saturating_sub(1));
        let total = ui.available_height();
        if self.chart_height <= 0.0 {
            self.chart_height = (total * 0.4).max(200.0);
        }
        let chart_height = self.chart_height.clamp(160.0, (total - 140.0).max(160.0));
        let table_height = (total - chart_height - 8.0).max(60.0);
        let width = ui.available_width();
        let mut clicked = None;
        ui.allocate_ui(vec2(width, table_height), |ui| {
            ui.set_min_height(table_height);
            clicked = table_ui(ui, crosstab, self.selected_row, strings);
        });
        if let Some(row) = clicked {
            self.selected_row = row;
        }
        // The border between table and chart: drag it to resize the chart.
        let (border, drag) = ui.allocate_exact_size(vec2(width, 8.0), Sense::drag());
        let stroke = if drag.hovered() || drag.dragged() {
            ui.visuals().widgets.hovered.fg_stroke
        } else {
            ui.visuals().widgets.noninteractive.bg_stroke
        };
        ui.painter()
            .hline(border.x_range(), border.center().y, stroke);
        if drag.hovered() || drag.dragged() {
            ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeVertical);
        }
        if drag.dragged() {
            self.chart_height = (chart_height - drag.drag_delta().y).max(160.0);
        }
        drag.on_hover_text(strings.workbench.chart_resize);
        chart_ui(
            ui,
            crosstab,
            self.selected_row,
            ui.available_height(),
            strings,
        );
    }
}

/// The first text attribute (the kind papers cross by), else the first attribute.
fn default_attribute(data: &AnalysisData) -> AttributeId {
    let attributes = data.attributes();
    attributes
        .iter()
        .find(|a| a.kind == crate::model::AttributeKind::Text)
        .or(attributes.first())
        .map_or(AttributeId(0), |a| a.id)
}

/// Shading for an adjusted residual: blue above expectation, red below, strong from 1.96.
fn residual_color(residual: f64) -> Option<Color32> {
    if residual.abs() < 1.0 {
        return None;
    }
    let alpha: u8 = if residual.abs() >= 1.96 { 150 } else { 60 };
    Some(if residual > 0.0 {
        Color32::from_rgba_unmultiplied(0x2F, 0x6F, 0xC9, alpha)
    } else {
        Color32::from_rgba_unmultiplied(0xD0, 0x45, 0x45, alpha)
    })
}

/// The table; returns the row clicked. The code names stay at the left while the counts scroll
/// sideways under them; only the rows in view are built.
fn table_ui(
    ui: &mut egui::Ui,
    crosstab: &Crosstab,
    selected: usize,
    strings: &Strings,
) -> Option<usize> {
    let mut clicked = None;
    let rows = crosstab.rows.len();
    egui::ScrollArea::vertical()
        .id_salt("crosstab-table")
        .auto_shrink(false)
        .show_viewport(ui, |ui, viewport| {
            let first = (((viewport.min.y - HEADER) / ROW).floor().max(0.0) as usize).min(rows);
            let last = ((((viewport.max.y - HEADER) / ROW).ceil().max(0.0)) as usize).min(rows);
            let first = first.min(last);
            ui.horizontal_top(|ui| {
                ui.spacing_mut().item_spacing = vec2(0.0, 0.0);
                ui.vertical(|ui| {
                    ui.set_width(NAME_WIDTH);
                    let (header, _) =
                        ui.allocate_exact_size(vec2(NAME_WIDTH, HEADER), Sense::hover());
                    ui.put(
                        header,
                        egui::Label::new(egui::RichText::new(strings.codes).strong()),
                    );
                    ui.add_space(first as f32 * ROW);
                    for index in first..last {
                        if name_cell_ui(ui, crosstab, index, index == selected) {
                            clicked = Some(index);
                        }
                    }
                    ui.add_space((rows - last) as f32 * ROW);
                });
                egui::ScrollArea::horizontal()
                    .id_salt("crosstab-wide")
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        ui.vertical(|ui| {
                            header_ui(ui, crosstab, strings);
                            ui.add_space(first as f32 * ROW);
                            for index in first..last {
                                if counts_row_ui(ui, crosstab, index, index == selected, strings) {
                                    clicked = Some(index);
                                }
                            }
                            ui.add_space((rows - last) as f32 * ROW);
                        });
                    });
            });
        });
    clicked
}

/// A row's code name (selectable: the chart shows the selected code).
fn name_cell_ui(ui: &mut egui::Ui, crosstab: &Crosstab, index: usize, selected: bool) -> bool {
    let Some(row) = crosstab.rows.get(index) else {
        return false;
    };
    let (rect, _) = ui.allocate_exact_size(vec2(NAME_WIDTH, ROW), Sense::hover());
    if index % 2 == 1 {
        ui.painter()
            .rect_filled(rect, 0.0, ui.visuals().faint_bg_color);
    }
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect.shrink2(vec2(4.0, 1.0)))
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
    );
    child
        .add(egui::Button::selectable(selected, &row.column.name).truncate())
        .on_hover_text(row.column.path_string())
        .clicked()
}

/// The header of the value columns: each value with its number of cases, 計 and p.
fn header_ui(ui: &mut egui::Ui, crosstab: &Crosstab, strings: &Strings) {
    let centre = &strings.centre;
    ui.horizontal(|ui| {
        for group in &crosstab.groups {
            let (rect, _) = ui.allocate_exact_size(vec2(VALUE_WIDTH, HEADER), Sense::hover());
            let mut child = ui.new_child(
                egui::UiBuilder::new()
                    .max_rect(rect.shrink(2.0))
                    .layout(egui::Layout::top_down(egui::Align::Min)),
            );
            let value = group.value.as_deref().unwrap_or(centre.no_value);
            child.add(egui::Label::new(egui::RichText::new(value).strong()).truncate());
            child.weak(format!("n = {}", group.cases));
        }
        for title in [centre.total, "p"] {
            let (rect, _) = ui.allocate_exact_size(vec2(TOTAL_WIDTH, HEADER), Sense::hover());
            ui.put(rect, egui::Label::new(egui::RichText::new(title).strong()));
        }
    });
}

/// One row of counts; true when it was clicked.
fn counts_row_ui(
    ui: &mut egui::Ui,
    crosstab: &Crosstab,
    index: usize,
    selected: bool,
    strings: &Strings,
) -> bool {
    let centre = &strings.centre;
    let Some(data) = crosstab.rows.get(index) else {
        return false;
    };
    let counts = data.counts(crosstab.count);
    let percents = data.percent_of_cases(&crosstab.groups);
    let width = VALUE_WIDTH * crosstab.groups.len() as f32 + TOTAL_WIDTH * 2.0;
    let (row_rect, response) = ui.allocate_exact_size(vec2(width, ROW), Sense::click());
    if selected {
        ui.painter().rect_filled(
            row_rect,
            0.0,
            ui.visuals().selection.bg_fill.gamma_multiply(0.4),
        );
    } else if index % 2 == 1 {
        ui.painter()
            .rect_filled(row_rect, 0.0, ui.visuals().faint_bg_color);
    }
    let mut left = row_rect.left();
    for group in 0..crosstab.groups.len() {
        let rect = Rect::from_min_size(egui::pos2(left, row_rect.top()), vec2(VALUE_WIDTH, ROW));
        left += VALUE_WIDTH;
        let residual = crosstab
            .test
            .as_ref()
            .and_then(|test| test.residuals.get(index)?.get(group).copied().flatten());
        if let Some(color) = residual.and_then(residual_color) {
            ui.painter().rect_filled(rect, 0.0, color);
        }
        let count = counts.get(group).copied().unwrap_or(0);
        let percent = percents
            .get(group)
            .copied()
            .flatten()
            .map_or(String::new(), |p| format!(" ({p:.0}%)"));
        let label = ui.put(rect, egui::Label::new(format!("{count}{percent}")));
        if let Some(residual) = residual {
            label.on_hover_text(format!(
                "{}: {percent}\nr = {residual:.2}",
                centre.percent_of_cases
            ));
        }
    }
    let rect = Rect::from_min_size(egui::pos2(left, row_rect.top()), vec2(TOTAL_WIDTH, ROW));
    ui.put(
        rect,
        egui::Label::new(data.total(crosstab.count).to_string()),
    );
    left += TOTAL_WIDTH;
    if let Some(test) = &data.presence_test {
        let rect = Rect::from_min_size(egui::pos2(left, row_rect.top()), vec2(TOTAL_WIDTH, ROW));
        ui.put(rect, egui::Label::new(format!("{:.3}", test.p_value)));
    }
    response.clicked()
}

/// Bars of one code by attribute value: the count, and the % of each group's cases on hover.
fn chart_ui(ui: &mut egui::Ui, crosstab: &Crosstab, row: usize, height: f32, strings: &Strings) {
    let centre = &strings.centre;
    let Some(data) = crosstab.rows.get(row) else {
        return;
    };
    let label = match crosstab.count {
        Count::Segments => centre.count_segments,
        Count::Cases => centre.count_cases,
    };
    ui.strong(format!(
        "{} — {} ({label})",
        centre.chart_title, data.column.name
    ));
    let counts = data.counts(crosstab.count);
    let percents = data.percent_of_cases(&crosstab.groups);
    let bars: Vec<ChartBar> = crosstab
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| {
            let name = group
                .value
                .clone()
                .unwrap_or_else(|| centre.no_value.to_owned());
            let value = counts.get(index).copied().unwrap_or(0);
            let percent = percents
                .get(index)
                .copied()
                .flatten()
                .map_or(String::new(), |p| format!(" ({p:.0}%)"));
            ChartBar {
                tooltip: format!("{name} (n = {}): {value}{percent}", group.cases),
                name,
                value,
            }
        })
        .collect();
    let height = (height - ui.spacing().interact_size.y).max(120.0);
    bar_chart_ui(ui, &bars, Color32::from_rgb(0x2F, 0x6F, 0xC9), height);
}
