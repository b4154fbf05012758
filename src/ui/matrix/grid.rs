//! A virtualised grid for the matrix tab: frozen multi-level column headers (カテゴリー ▸
//! サブカテゴリー ▸ 焦点コード, equal neighbours merged as in a printed table), frozen row
//! headers, heat-map shaded cells. Only the cells in view are laid out and painted, so a
//! 100 × 300 matrix costs what its visible part costs. The grid knows nothing of projects: it
//! is given labels and a function from (row, column) to a [`GridCell`].

use std::sync::Arc;

use eframe::egui::{
    self, Align2, Color32, FontId, Galley, Pos2, Rect, Sense, Stroke, StrokeKind, pos2, vec2,
};

/// What one cell shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GridCell {
    /// The text drawn in the cell (a count, a quote or a summary).
    pub text: String,
    /// Shading from 0 (none) to 1 (the largest count in view of the whole grid).
    pub heat: f32,
    /// Marked explicitly negative (drawn with a dash pattern).
    pub negative: bool,
    /// Has a 要約 (a corner mark).
    pub summary: bool,
}

/// Labels and sizes of a grid.
pub struct GridSpec<'a> {
    /// Titles of the row-header columns, left to right (e.g. 所属組織, 事例).
    pub row_titles: &'a [String],
    /// For each row, its header labels (as many as `row_titles`).
    pub row_labels: &'a [Vec<String>],
    /// For each column, its header labels from the top row down; equal labels of adjacent
    /// columns with equal labels above are drawn once across them.
    pub column_labels: &'a [Vec<String>],
    /// Width of each row-header column.
    pub row_title_widths: &'a [f32],
    /// Size of one cell.
    pub cell: egui::Vec2,
    /// The highlighted cell.
    pub selected: Option<(usize, usize)>,
}

/// What the pointer did this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GridResponse {
    /// The cell clicked, if any.
    pub clicked: Option<(usize, usize)>,
    /// The cell under the pointer, if any.
    pub hovered: Option<(usize, usize)>,
}

/// Height of each header row above the bottom one.
const HEADER_ROW: f32 = 22.0;
/// Height of the bottom header row (the finest level), which wraps its label on three lines.
const HEADER_BOTTOM: f32 = 54.0;

impl GridSpec<'_> {
    fn header_rows(&self) -> usize {
        self.column_labels.iter().map(Vec::len).max().unwrap_or(1)
    }

    fn header_height(&self) -> f32 {
        let rows = self.header_rows();
        HEADER_ROW * rows.saturating_sub(1) as f32 + HEADER_BOTTOM
    }

    fn row_header_width(&self) -> f32 {
        self.row_title_widths.iter().sum()
    }

    fn content_size(&self) -> egui::Vec2 {
        vec2(
            self.row_header_width() + self.cell.x * self.column_labels.len() as f32,
            self.header_height() + self.cell.y * self.row_labels.len() as f32,
        )
    }
}

/// Shows the grid in a scroll area filling `ui`; `cell` is asked only for visible cells.
pub fn grid_ui(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    spec: &GridSpec<'_>,
    cell: &dyn Fn(usize, usize) -> GridCell,
) -> GridResponse {
    let mut result = GridResponse::default();
    egui::ScrollArea::both()
        .id_salt(id_salt)
        .auto_shrink(false)
        .show_viewport(ui, |ui, viewport| {
            let size = spec.content_size();
            let (rect, response) = ui.allocate_exact_size(size, Sense::click());
            let view = viewport.translate(rect.min.to_vec2());
            let header_height = spec.header_height();
            let header_width = spec.row_header_width();
            // The cells' area on screen, right of the frozen row headers and below the frozen
            // column headers.
            let body = Rect::from_min_max(
                pos2(view.min.x + header_width, view.min.y + header_height),
                view.max,
            );
            let origin = rect.min + vec2(header_width, header_height);
            let rows = visible(
                body.min.y - origin.y,
                body.max.y - origin.y,
                spec.cell.y,
                spec.row_labels.len(),
            );
            let columns = visible(
                body.min.x - origin.x,
                body.max.x - origin.x,
                spec.cell.x,
                spec.column_labels.len(),
            );
            let cell_rect = |row: usize, column: usize| {
                Rect::from_min_size(
                    origin + vec2(column as f32 * spec.cell.x, row as f32 * spec.cell.y),
                    spec.cell,
                )
            };
            let painter = ui.painter().with_clip_rect(body.intersect(ui.clip_rect()));
            paint_cells(
                ui,
                &painter,
                spec,
                cell,
                rows.clone(),
                columns.clone(),
                &cell_rect,
            );
            paint_column_headers(ui, spec, view, origin, columns.clone());
            paint_row_headers(ui, spec, view, origin, rows.clone());
            paint_corner(ui, spec, view);

            let pointer = response.hover_pos().filter(|pos| body.contains(*pos));
            result.hovered = pointer.and_then(|pos| {
                let column = ((pos.x - origin.x) / spec.cell.x).floor();
                let row = ((pos.y - origin.y) / spec.cell.y).floor();
                (column >= 0.0 && row >= 0.0)
                    .then_some((row as usize, column as usize))
                    .filter(|(row, column)| {
                        *row < spec.row_labels.len() && *column < spec.column_labels.len()
                    })
            });
            if response.clicked() {
                result.clicked = result.hovered;
            }
        });
    result
}

/// The index range of the rows (or columns) between `from` and `to` pixels of the body.
fn visible(from: f32, to: f32, step: f32, count: usize) -> std::ops::Range<usize> {
    if step <= 0.0 || count == 0 {
        return 0..0;
    }
    let first = (from / step).floor().max(0.0) as usize;
    let last = ((to / step).ceil().max(0.0) as usize).min(count);
    first.min(last)..last
}

/// Lays out `text` within `width`, on at most `rows` lines, eliding the rest with "…".
fn fitted(ui: &egui::Ui, text: &str, width: f32, rows: usize, color: Color32) -> Arc<Galley> {
    let mut job = egui::text::LayoutJob::simple(
        text.to_owned(),
        FontId::proportional(12.5),
        color,
        width.max(8.0),
    );
    job.wrap.max_rows = rows;
    // Break between words, so that ASCII names (NICU, PT/OT) stay whole; Japanese text still
    // breaks between any two characters, and a word wider than the cell breaks where it must.
    job.wrap.break_anywhere = false;
    job.wrap.overflow_character = Some('…');
    ui.painter().layout_job(job)
}

#[allow(clippy::too_many_arguments)]
fn paint_cells(
    ui: &egui::Ui,
    painter: &egui::Painter,
    spec: &GridSpec<'_>,
    cell: &dyn Fn(usize, usize) -> GridCell,
    rows: std::ops::Range<usize>,
    columns: std::ops::Range<usize>,
    cell_rect: &dyn Fn(usize, usize) -> Rect,
) {
    let visuals = ui.visuals();
    let heat_base = if visuals.dark_mode {
        Color32::from_rgb(0x3A, 0x7B, 0xD5)
    } else {
        Color32::from_rgb(0x2F, 0x6F, 0xC9)
    };
    let line = Stroke::new(0.5, visuals.widgets.noninteractive.bg_stroke.color);
    let text_color = visuals.text_color();
    let weak = visuals.weak_text_color();
    let text_rows = ((spec.cell.y - 6.0) / 16.0).floor().max(1.0) as usize;
    for row in rows {
        for column in columns.clone() {
            let area = cell_rect(row, column);
            let content = cell(row, column);
            if content.heat > 0.0 {
                let alpha = (30.0 + 170.0 * content.heat.clamp(0.0, 1.0)) as u8;
                painter.rect_filled(area, 0.0, heat_base.gamma_multiply_u8(alpha));
            }
            if content.negative {
                painter.line_segment(
                    [
                        area.left_bottom() + vec2(4.0, -4.0),
                        area.right_top() + vec2(-4.0, 4.0),
                    ],
                    Stroke::new(1.0, weak),
                );
            }
            if content.summary {
                let corner = area.right_top();
                painter.add(egui::Shape::convex_polygon(
                    vec![corner, corner + vec2(-8.0, 0.0), corner + vec2(0.0, 8.0)],
                    Color32::from_rgb(0xE0, 0x9A, 0x2B),
                    Stroke::NONE,
                ));
            }
            if !content.text.is_empty() {
                let color = if content.heat > 0.6 {
                    Color32::WHITE
                } else {
                    text_color
                };
                let galley = fitted(ui, &content.text, area.width() - 8.0, text_rows, color);
                let position = if text_rows == 1 {
                    area.center() - galley.size() / 2.0
                } else {
                    area.min + vec2(4.0, 3.0)
                };
                painter.galley(position, galley, color);
            }
            painter.rect_stroke(area, 0.0, line, StrokeKind::Inside);
            if spec.selected == Some((row, column)) {
                painter.rect_stroke(
                    area,
                    0.0,
                    Stroke::new(2.0, visuals.selection.stroke.color),
                    StrokeKind::Inside,
                );
            }
        }
    }
}

/// The frozen column headers: one band per level, adjacent equal labels (under equal parents)
/// merged into one span.
fn paint_column_headers(
    ui: &egui::Ui,
    spec: &GridSpec<'_>,
    view: Rect,
    origin: Pos2,
    columns: std::ops::Range<usize>,
) {
    let header_rows = spec.header_rows();
    let band = Rect::from_min_max(
        pos2(view.min.x + spec.row_header_width(), view.min.y),
        pos2(view.max.x, view.min.y + spec.header_height()),
    );
    let painter = ui.painter().with_clip_rect(band.intersect(ui.clip_rect()));
    let visuals = ui.visuals();
    painter.rect_filled(band, 0.0, visuals.faint_bg_color);
    let stroke = Stroke::new(0.5, visuals.widgets.noninteractive.bg_stroke.color);
    let label = |column: usize, level: usize| -> &str {
        spec.column_labels
            .get(column)
            .and_then(|labels| labels.get(level))
            .map_or("", String::as_str)
    };
    // Two columns share a header cell at `level` when all labels down to `level` are equal.
    let same = |a: usize, b: usize, level: usize| (0..=level).all(|l| label(a, l) == label(b, l));
    for level in 0..header_rows {
        let bottom = level + 1 == header_rows;
        let top = view.min.y + HEADER_ROW * level as f32;
        let height = if bottom { HEADER_BOTTOM } else { HEADER_ROW };
        // Start from the beginning of the span that holds the first visible column.
        let mut start = columns.start;
        while start > 0 && same(start - 1, start, level) {
            start -= 1;
        }
        let mut column = start;
        while column < columns.end {
            let mut end = column + 1;
            while end < spec.column_labels.len() && same(column, end, level) {
                end += 1;
            }
            let left = origin.x + column as f32 * spec.cell.x;
            let right = origin.x + end as f32 * spec.cell.x;
            let area = Rect::from_min_max(pos2(left, top), pos2(right, top + height));
            painter.rect_stroke(area, 0.0, stroke, StrokeKind::Inside);
            let text = label(column, level);
            if !text.is_empty() {
                // Keep a long span's label in view while the span is scrolled.
                let visible_left = area.left().max(band.left());
                let width = (area.right() - visible_left - 6.0).max(8.0);
                let rows = if bottom { 3 } else { 1 };
                let galley = fitted(ui, text, width, rows, visuals.strong_text_color());
                painter.galley(
                    pos2(visible_left + 3.0, area.top() + 3.0),
                    galley,
                    visuals.strong_text_color(),
                );
            }
            column = end;
        }
    }
}

/// The frozen row headers: one column per title, equal neighbours merged.
fn paint_row_headers(
    ui: &egui::Ui,
    spec: &GridSpec<'_>,
    view: Rect,
    origin: Pos2,
    rows: std::ops::Range<usize>,
) {
    let band = Rect::from_min_max(
        pos2(view.min.x, view.min.y + spec.header_height()),
        pos2(view.min.x + spec.row_header_width(), view.max.y),
    );
    let painter = ui.painter().with_clip_rect(band.intersect(ui.clip_rect()));
    let visuals = ui.visuals();
    painter.rect_filled(band, 0.0, visuals.faint_bg_color);
    let stroke = Stroke::new(0.5, visuals.widgets.noninteractive.bg_stroke.color);
    let label = |row: usize, level: usize| -> &str {
        spec.row_labels
            .get(row)
            .and_then(|labels| labels.get(level))
            .map_or("", String::as_str)
    };
    let same = |a: usize, b: usize, level: usize| (0..=level).all(|l| label(a, l) == label(b, l));
    let mut left = view.min.x;
    for (level, width) in spec.row_title_widths.iter().enumerate() {
        let mut start = rows.start;
        while start > 0 && same(start - 1, start, level) {
            start -= 1;
        }
        let mut row = start;
        while row < rows.end {
            let mut end = row + 1;
            while end < spec.row_labels.len() && same(row, end, level) {
                end += 1;
            }
            let top = origin.y + row as f32 * spec.cell.y;
            let bottom = origin.y + end as f32 * spec.cell.y;
            let area = Rect::from_min_max(pos2(left, top), pos2(left + width, bottom));
            painter.rect_stroke(area, 0.0, stroke, StrokeKind::Inside);
            let text = label(row, level);
            if !text.is_empty() {
                let visible_top = area.top().max(band.top());
                let lines = ((bottom - visible_top - 4.0) / 16.0)
                    .floor()
                    .clamp(1.0, 3.0);
                let galley = fitted(ui, text, width - 8.0, lines as usize, visuals.text_color());
                painter.galley(
                    pos2(area.left() + 4.0, visible_top + 4.0),
                    galley,
                    visuals.text_color(),
                );
            }
            row = end;
        }
        left += width;
    }
}

/// The corner over the row headers: the titles of the row-header columns.
fn paint_corner(ui: &egui::Ui, spec: &GridSpec<'_>, view: Rect) {
    let corner = Rect::from_min_size(
        view.min,
        vec2(spec.row_header_width(), spec.header_height()),
    );
    let painter = ui
        .painter()
        .with_clip_rect(corner.intersect(ui.clip_rect()));
    let visuals = ui.visuals();
    painter.rect_filled(corner, 0.0, visuals.extreme_bg_color);
    let mut left = corner.left();
    for (title, width) in spec.row_titles.iter().zip(spec.row_title_widths) {
        painter.text(
            pos2(left + 4.0, corner.bottom() - 4.0),
            Align2::LEFT_BOTTOM,
            title,
            FontId::proportional(12.5),
            visuals.strong_text_color(),
        );
        left += width;
    }
    painter.rect_stroke(
        corner,
        0.0,
        Stroke::new(0.5, visuals.widgets.noninteractive.bg_stroke.color),
        StrokeKind::Inside,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_rows_in_view_are_visited() {
        assert_eq!(visible(0.0, 100.0, 25.0, 10), 0..4);
        assert_eq!(visible(110.0, 160.0, 25.0, 10), 4..7);
        assert_eq!(visible(0.0, 1000.0, 25.0, 10), 0..10);
        assert_eq!(visible(-5.0, 10.0, 25.0, 0), 0..0);
        assert_eq!(visible(900.0, 1000.0, 25.0, 10), 10..10);
    }
}
