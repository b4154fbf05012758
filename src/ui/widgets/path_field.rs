//! A path typed or chosen: a labelled one-line field and a 参照… button that opens the system
//! file dialog where there is one (the field works everywhere, the dialog does not). It sends
//! nothing; it says whether the path changed.

use std::path::PathBuf;

use eframe::egui;

/// One row: `label`, the field and the `browse` button; `pick` opens the dialog with the
/// current path and returns the chosen one. True when the path changed, typed or picked.
pub fn path_field_ui(
    ui: &mut egui::Ui,
    label: &str,
    browse: &str,
    path: &mut String,
    pick: impl FnOnce(&str) -> Option<PathBuf>,
) -> bool {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let mut changed = ui
            .add(egui::TextEdit::singleline(path).desired_width(420.0))
            .labelled_by(label.id)
            .changed();
        if ui.button(browse).clicked()
            && let Some(picked) = pick(path)
        {
            *path = picked.display().to_string();
            changed = true;
        }
        changed
    })
    .inner
}
