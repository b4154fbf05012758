//! The crosstab tab: codes × the values of an attribute (所属組織 …) with counts, % of cases,
//! the row and table tests, cells shaded by adjusted residual, and a bar chart (egui_plot) of
//! the selected code by value.

use eframe::egui::{self, Color32};
use egui_extras::{Column as TableColumn, TableBuilder};
use egui_plot::{Bar, BarChart, Plot};

use crate::analysis::{AnalysisData, Count, Crosstab, Filter, Level};
use crate::model::AttributeId;
use crate::ui::i18n::{Strings, fill};
use crate::ui::widgets::level_combo::level_combo_ui;

/// The state of the crosstab tab.
#[derive(Default)]
pub struct CrosstabView {
    attribute_id: Option<AttributeId>,
    level: Option<Level>,
    count: Count,
    /// The row shown in the chart.
    selected_row: usize,
    built: Option<(u64, AttributeId, Level, Count, Crosstab)>,
}

impl CrosstabView {
    /// The crosstab tab. `generation` changes whenever the project changed.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &AnalysisData,
        generation: u64,
        strings: &Strings,
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
            egui::ComboBox::new("crosstab-attribute", centre.by_attribute)
                .selected_text(&attribute.name)
                .show_ui(ui, |ui| {
                    for choice in data.attributes() {
                        ui.selectable_value(&mut self.attribute_id, Some(choice.id), &choice.name);
                    }
                });
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
        });
        let level = self.level.unwrap_or(Level::CODE);
        let stale = self.built.as_ref().is_none_or(|(g, a, l, c, _)| {
            (*g, *a, *l, *c) != (generation, attribute_id, level, self.count)
        });
        if stale {
            let crosstab = Crosstab::build(data, level, attribute, self.count, &Filter::default());
            self.built = Some((generation, attribute_id, level, self.count, crosstab));
        }
        let Some((_, _, _, _, crosstab)) = &self.built else {
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
        let selected_row = self.selected_row;
        egui::Panel::bottom("crosstab-chart")
            .resizable(true)
            .default_size(230.0)
            .show(ui, |ui| {
                let height = (ui.available_height() - 24.0).max(80.0);
                chart_ui(ui, crosstab, selected_row, height, strings);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let height = ui.available_height();
            egui::ScrollArea::horizontal()
                .id_salt("crosstab-wide")
                .show(ui, |ui| {
                    if let Some(row) = table_ui(ui, crosstab, selected_row, height, strings) {
                        self.selected_row = row;
                    }
                });
        });
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

/// The table; returns the row clicked.
fn table_ui(
    ui: &mut egui::Ui,
    crosstab: &Crosstab,
    selected: usize,
    height: f32,
    strings: &Strings,
) -> Option<usize> {
    let centre = &strings.centre;
    let no_value = centre.no_value;
    let mut clicked = None;
    let groups = crosstab.groups.len();
    TableBuilder::new(ui)
        .id_salt("crosstab-table")
        .striped(true)
        .max_scroll_height(height)
        .min_scrolled_height(height.min(200.0))
        .sense(egui::Sense::click())
        .column(
            TableColumn::initial(220.0)
                .at_least(120.0)
                .clip(true)
                .resizable(true),
        )
        .columns(TableColumn::initial(104.0).at_least(70.0), groups)
        .column(TableColumn::initial(70.0))
        .column(TableColumn::remainder().at_least(60.0))
        .header(40.0, |mut header| {
            header.col(|ui| {
                ui.strong(strings.codes);
            });
            for group in &crosstab.groups {
                header.col(|ui| {
                    ui.vertical(|ui| {
                        ui.strong(group.value.as_deref().unwrap_or(no_value));
                        ui.weak(format!("n = {}", group.cases));
                    });
                });
            }
            header.col(|ui| {
                ui.strong(centre.total);
            });
            header.col(|ui| {
                ui.strong("p");
            });
        })
        .body(|body| {
            body.rows(24.0, crosstab.rows.len(), |mut row| {
                let index = row.index();
                let Some(data) = crosstab.rows.get(index) else {
                    return;
                };
                row.set_selected(index == selected);
                row.col(|ui| {
                    // Selectable: the chart below shows the selected code.
                    if ui
                        .selectable_label(index == selected, &data.column.name)
                        .on_hover_text(data.column.path_string())
                        .clicked()
                    {
                        clicked = Some(index);
                    }
                });
                let counts = data.counts(crosstab.count);
                let percents = data.percent_of_cases(&crosstab.groups);
                for group in 0..groups {
                    let residual = crosstab
                        .test
                        .as_ref()
                        .and_then(|test| test.residuals.get(index)?.get(group).copied().flatten());
                    row.col(|ui| {
                        if let Some(color) = residual.and_then(residual_color) {
                            ui.painter().rect_filled(ui.max_rect(), 0.0, color);
                        }
                        let count = counts.get(group).copied().unwrap_or(0);
                        let percent = percents
                            .get(group)
                            .copied()
                            .flatten()
                            .map_or(String::new(), |p| format!(" ({p:.0}%)"));
                        let response = ui.label(format!("{count}{percent}"));
                        if let Some(residual) = residual {
                            response.on_hover_text(format!(
                                "{}: {percent}\nr = {residual:.2}",
                                centre.percent_of_cases
                            ));
                        }
                    });
                }
                row.col(|ui| {
                    ui.label(data.total(crosstab.count).to_string());
                });
                row.col(|ui| {
                    if let Some(test) = &data.presence_test {
                        ui.label(format!("{:.3}", test.p_value));
                    }
                });
                if row.response().clicked() {
                    clicked = Some(index);
                }
            });
        });
    clicked
}

/// Bars of one code by attribute value: the count and the % of each group's cases.
fn chart_ui(ui: &mut egui::Ui, crosstab: &Crosstab, row: usize, height: f32, strings: &Strings) {
    let centre = &strings.centre;
    let Some(data) = crosstab.rows.get(row) else {
        return;
    };
    ui.strong(format!("{} — {}", centre.chart_title, data.column.name));
    let counts = data.counts(crosstab.count);
    let names: Vec<String> = crosstab
        .groups
        .iter()
        .map(|group| {
            group
                .value
                .clone()
                .unwrap_or_else(|| centre.no_value.to_owned())
        })
        .collect();
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(index, count)| {
            Bar::new(index as f64, *count as f64)
                .width(0.6)
                .name(names.get(index).cloned().unwrap_or_default())
        })
        .collect();
    let label = match crosstab.count {
        Count::Segments => centre.count_segments,
        Count::Cases => centre.count_cases,
    };
    let chart = BarChart::new(label, bars).color(Color32::from_rgb(0x2F, 0x6F, 0xC9));
    Plot::new(("crosstab-chart", row))
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .y_axis_label(label)
        .x_axis_formatter(move |mark, _range| {
            let index = mark.value.round();
            if (mark.value - index).abs() > 1e-6 || index < 0.0 {
                return String::new();
            }
            names.get(index as usize).cloned().unwrap_or_default()
        })
        .show(ui, |plot| plot.bar_chart(chart));
}
