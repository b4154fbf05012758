//! A table cell holding a passage of transcript (a coding's text, its old text): wrapped at a
//! fixed width, so that a long quotation makes its row taller instead of making the window
//! wider than the screen (the orphan and re-import windows list whole utterances).

use eframe::egui;

/// The widest a quotation cell grows, in points.
pub const QUOTE_WIDTH: f32 = 240.0;
/// The widest a code path cell grows, in points.
pub const CODE_WIDTH: f32 = 200.0;

/// `text` wrapped within `width` points, in a grid cell.
pub fn text_cell_ui(ui: &mut egui::Ui, text: &str, width: f32) -> egui::Response {
    ui.scope(|ui| {
        ui.set_max_width(width);
        ui.add(egui::Label::new(text).wrap())
    })
    .inner
}
