//! Painting the transcript: the visible lines with their coding tints, the selection, the text
//! and the utterance numbers, and the coloured stripes in the right margin (one lane per
//! overlapping coding) with their hover and context menu.

use super::*;

impl TranscriptView {
    /// Paints the visible lines: coding tints, the selection, the text, utterance numbers.
    pub(super) fn paint_lines(
        &mut self,
        ui: &egui::Ui,
        geometry: &Geometry,
        viewport: Rect,
        snapshot: &Snapshot,
    ) {
        let TranscriptView {
            body,
            placed,
            hovered_coding,
            ..
        } = self;
        placed.clear();
        let Some(layout) = body.line_layout() else {
            return;
        };
        let painter = ui.painter();
        let dark = ui.visuals().dark_mode;
        // The selection is amber with an underline, clearly unlike any coding's tint (codings
        // take their code's colour; the default selection blue looked like a blue code).
        let (selection_color, selection_line) = if dark {
            (
                Color32::from_rgba_unmultiplied(0xF2, 0xB1, 0x1B, 95),
                Color32::from_rgb(0xF2, 0xB1, 0x1B),
            )
        } else {
            (
                Color32::from_rgba_unmultiplied(0xFF, 0xC4, 0x00, 120),
                Color32::from_rgb(0xC2, 0x7C, 0x00),
            )
        };
        let number_color = ui.visuals().weak_text_color();
        let selection = self
            .selection
            .map(|s| (s.anchor.min(s.cursor), s.anchor.max(s.cursor)));
        let top_of_view = viewport.min.y - geometry.rect.min.y;
        let bottom_of_view = viewport.max.y - geometry.rect.min.y;
        let first = layout
            .tops
            .partition_point(|top| *top <= top_of_view)
            .saturating_sub(1);
        for index in first..body.lines.len() {
            let (Some(&top), Some(line)) = (layout.tops.get(index), body.lines.get(index)) else {
                break;
            };
            if top > bottom_of_view {
                break;
            }
            let galley = body.galley(
                painter,
                index,
                geometry.wrap_width,
                geometry.text_size,
                &geometry.style,
            );
            let origin = geometry.line_origin(top);
            for &coding_index in body.codings_by_line.get(index).into_iter().flatten() {
                let Some(coding) = body.codings.get(coding_index) else {
                    continue;
                };
                let [r, g, b] = snapshot.color(coding.code_id);
                let alpha = match (*hovered_coding == Some(coding.id), dark) {
                    (true, _) => 140,
                    (false, true) => 85,
                    (false, false) => 55,
                };
                let tint = Color32::from_rgba_unmultiplied(r, g, b, alpha);
                let from = coding.span.start.saturating_sub(line.start);
                let to = coding.span.end.saturating_sub(line.start);
                for area in range_rects(&galley, from, to) {
                    painter.rect_filled(area.translate(origin.to_vec2()), 0.0, tint);
                }
            }
            if let Some((start, end)) = selection
                && start < end
                && start <= line.end
                && end > line.start
            {
                let from = start.saturating_sub(line.start);
                let to = end.saturating_sub(line.start);
                for area in range_rects(&galley, from, to) {
                    let area = area.translate(origin.to_vec2());
                    painter.rect_filled(area, 0.0, selection_color);
                    painter.hline(
                        area.x_range(),
                        area.bottom() - 0.5,
                        egui::Stroke::new(1.5, selection_line),
                    );
                }
            }
            painter.galley(origin, galley.clone(), geometry.style.text);
            if let Some((number, _)) = line.utterance {
                let row_middle = galley.rows.first().map_or(0.0, |row| row.rect().center().y);
                painter.text(
                    geometry.rect.min + vec2(GUTTER - 10.0, top + row_middle),
                    egui::Align2::RIGHT_CENTER,
                    number.to_string(),
                    egui::FontId::monospace(geometry.text_size * 0.75),
                    number_color,
                );
            }
            placed.push(PlacedLine {
                index,
                origin,
                galley,
            });
        }
    }

    /// The y of the top (or bottom) of the row holding code point `offset`, in screen
    /// coordinates; lines that were not painted use their layout top (they are clipped anyway).
    fn y_of(&self, geometry: &Geometry, offset: usize, bottom: bool) -> f32 {
        let index = self.body.line_at(offset);
        let line_start = self.body.lines.get(index).map_or(0, |line| line.start);
        if let Some(placed) = self.placed.iter().find(|placed| placed.index == index) {
            let cursor = egui::text::CCursor::new(offset.saturating_sub(line_start));
            let row = placed.galley.pos_from_cursor(cursor);
            return placed.origin.y + if bottom { row.max.y } else { row.min.y };
        }
        let layout = self.body.line_layout();
        let top = layout
            .and_then(|l| l.tops.get(index))
            .copied()
            .unwrap_or(0.0);
        let height = layout
            .and_then(|l| l.heights.get(index))
            .copied()
            .unwrap_or(0.0);
        geometry.rect.min.y + top + if bottom { height } else { 0.0 }
    }

    /// Stripes in the right margin for the codings of the visible lines.
    pub(super) fn stripes_ui(
        &mut self,
        ui: &mut egui::Ui,
        geometry: &Geometry,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let visible: BTreeSet<usize> = self
            .placed
            .iter()
            .filter_map(|placed| self.body.codings_by_line.get(placed.index))
            .flatten()
            .copied()
            .collect();
        let x0 = geometry.rect.min.x + GUTTER + geometry.wrap_width + 10.0;
        let mut hovered = None;
        let recode_to = self.recode_to.clone();
        for coding_index in visible {
            let (Some(coding), Some(&lane)) = (
                self.body.codings.get(coding_index),
                self.body.lanes.get(coding_index),
            ) else {
                continue;
            };
            let y0 = self.y_of(geometry, coding.span.start, false);
            let last = coding.span.end.saturating_sub(1).max(coding.span.start);
            let y1 = self.y_of(geometry, last, true).max(y0 + 2.0);
            let x = x0 + LANE * lane.min(MAX_LANES - 1) as f32;
            let stripe = Rect::from_min_max(egui::pos2(x, y0), egui::pos2(x + STRIPE, y1));
            let [r, g, b] = snapshot.color(coding.code_id);
            ui.painter()
                .rect_filled(stripe, 1.0, Color32::from_rgb(r, g, b));
            if coding.exemplar {
                ui.painter().circle_filled(
                    egui::pos2(x + STRIPE / 2.0, y0),
                    STRIPE,
                    Color32::from_rgb(r, g, b),
                );
            }
            let response = ui.interact(
                stripe.expand2(vec2(1.0, 0.0)),
                ui.make_persistent_id(("stripe", coding.id.0)),
                Sense::click(),
            );
            if response.hovered() {
                hovered = Some(coding.id);
            }
            let coding = coding.clone();
            if response.clicked() {
                self.select(coding.span.start, coding.span.end);
            }
            let text = self.coding_text(&coding, 60);
            let response =
                response.on_hover_ui(|ui| coding_tooltip_ui(ui, &coding, &text, snapshot, strings));
            response.context_menu(|ui| {
                if coding_menu_ui(ui, &coding, recode_to.as_ref(), strings, outbox) {
                    self.memo_dialog.open(&coding, snapshot);
                }
            });
        }
        self.hovered_coding = hovered;
    }
}
