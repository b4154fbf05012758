//! The crosstab's bar chart of one code by attribute value, drawn with egui's painter: a y axis
//! with round ticks (0, 2, 4 … or 0, 5, 10 …) and grid lines, one bar per group, and every
//! group's name under its bar — on two lines and elided when the slot is narrow, in full in
//! the tooltip. (egui_plot showed 3 of 8 names, a y axis with only 「0」, and ~80 px of plot.)
//! The names and ticks are real labels, so screen readers and the GUI tests see them.

use eframe::egui::{self, Color32, FontId, Rect, Sense, Stroke, pos2, vec2};

/// Width of the y axis' tick labels.
const Y_AXIS: f32 = 44.0;
/// Height of the group names under the bars (two lines).
const X_AXIS: f32 = 38.0;

/// One bar: the group's name, its count, and the text of its tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartBar {
    pub name: String,
    pub value: usize,
    pub tooltip: String,
}

/// Round ticks from 0 to at least `max`: a step of 1, 2 or 5 × 10ⁿ (never below 1, counts are
/// whole) giving about `target` intervals.
pub fn nice_ticks(max: usize, target: usize) -> Vec<usize> {
    let max = max.max(1);
    let raw = max as f64 / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|multiple| multiple * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude)
        .round()
        .max(1.0) as usize;
    let mut ticks = vec![0];
    let mut tick = 0;
    while tick < max {
        tick += step;
        ticks.push(tick);
    }
    ticks
}

/// The chart in a rectangle `height` high across the available width.
pub fn bar_chart_ui(ui: &mut egui::Ui, bars: &[ChartBar], color: Color32, height: f32) {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
    // Room above the top tick for its label and the tallest bar's count.
    let plot = Rect::from_min_max(rect.min + vec2(Y_AXIS, 20.0), rect.max - vec2(8.0, X_AXIS));
    if bars.is_empty() || plot.width() < 20.0 || plot.height() < 20.0 {
        return;
    }
    let visuals = ui.visuals().clone();
    let grid = Stroke::new(0.5, visuals.widgets.noninteractive.bg_stroke.color);
    let axis = Stroke::new(1.0, visuals.text_color());
    let max = bars.iter().map(|bar| bar.value).max().unwrap_or(0);
    let intervals = ((plot.height() / 36.0) as usize).clamp(2, 10);
    let ticks = nice_ticks(max, intervals);
    let top = ticks.last().copied().unwrap_or(1).max(1) as f32;
    let y_of = |value: usize| plot.bottom() - value as f32 / top * plot.height();
    let painter = ui.painter_at(rect);
    for tick in &ticks {
        let y = y_of(*tick);
        painter.line_segment([pos2(plot.left(), y), pos2(plot.right(), y)], grid);
        let label = Rect::from_min_size(pos2(rect.left(), y - 9.0), vec2(Y_AXIS - 6.0, 18.0));
        ui.put(
            label,
            egui::Label::new(egui::RichText::new(tick.to_string()).small()),
        );
    }
    painter.line_segment([plot.left_bottom(), plot.left_top()], axis);
    painter.line_segment([plot.left_bottom(), plot.right_bottom()], axis);
    let slot = plot.width() / bars.len() as f32;
    let pointer = response.hover_pos();
    for (index, bar) in bars.iter().enumerate() {
        let left = plot.left() + slot * index as f32;
        let column = Rect::from_min_max(pos2(left, plot.top()), pos2(left + slot, plot.bottom()));
        let bar_rect = Rect::from_min_max(
            pos2(left + slot * 0.2, y_of(bar.value)),
            pos2(left + slot * 0.8, plot.bottom()),
        );
        let hovered = pointer.is_some_and(|pointer| column.contains(pointer));
        let fill = if hovered {
            color.gamma_multiply(1.3)
        } else {
            color
        };
        painter.rect_filled(bar_rect, 2.0, fill);
        if bar.value > 0 {
            painter.text(
                bar_rect.center_top() - vec2(0.0, 2.0),
                egui::Align2::CENTER_BOTTOM,
                bar.value.to_string(),
                FontId::proportional(11.0),
                visuals.text_color(),
            );
        }
        if hovered {
            response.clone().on_hover_text_at_pointer(&bar.tooltip);
        }
        let name_rect = Rect::from_min_size(
            pos2(left + 1.0, plot.bottom() + 3.0),
            vec2(slot - 2.0, X_AXIS - 4.0),
        );
        group_name_ui(ui, name_rect, &bar.name);
    }
}

/// A group's name under its bar: centred, at most two lines, elided with 「…」; the full name on
/// hover.
fn group_name_ui(ui: &mut egui::Ui, rect: Rect, name: &str) {
    let mut job = egui::text::LayoutJob::simple(
        name.to_owned(),
        FontId::proportional(11.5),
        ui.visuals().text_color(),
        rect.width().max(8.0),
    );
    job.wrap.max_rows = 2;
    job.wrap.break_anywhere = false;
    job.wrap.overflow_character = Some('…');
    job.halign = egui::Align::Center;
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Center)),
    );
    child
        .add(egui::Label::new(job).selectable(false))
        .on_hover_text(name);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_reach_the_largest_count() {
        assert_eq!(nice_ticks(0, 4), vec![0, 1]);
        assert_eq!(nice_ticks(3, 4), vec![0, 1, 2, 3]);
        assert_eq!(nice_ticks(7, 4), vec![0, 2, 4, 6, 8]);
        assert_eq!(nice_ticks(23, 5), vec![0, 5, 10, 15, 20, 25]);
        assert_eq!(nice_ticks(180, 4), vec![0, 50, 100, 150, 200]);
    }
}
