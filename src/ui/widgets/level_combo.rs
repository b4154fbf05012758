//! The level combo box the matrix and the crosstab share: the levels of the code tree
//! (カテゴリー, サブカテゴリー, 焦点コード, deeper depths if the tree has them) and the role frames.

use eframe::egui;

use crate::analysis::{AnalysisData, Level};
use crate::ui::i18n::{Strings, fill};

/// A combo box of the levels of the code tree (カテゴリー, サブカテゴリー, 焦点コード, deeper
/// depths if the tree has them) and of the role frames.
pub fn level_combo_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    level: &mut Level,
    data: &AnalysisData,
    strings: &Strings,
) {
    let depth = data
        .tree()
        .walk()
        .into_iter()
        .map(|code_id| data.tree().depth(code_id))
        .max()
        .unwrap_or(0);
    let level_name = |level: Level| match level {
        Level::Depth(d) => strings
            .level_names
            .get(d)
            .map_or_else(|| format!("{d}"), |name| (*name).to_owned()),
        Level::Roles(frame_id) => {
            let frame = data.frames().iter().find(|frame| frame.id == frame_id);
            fill(
                strings.centre.role_level,
                &[&frame.map_or("", |f| f.name.as_str())],
            )
        }
    };
    // The label before its control, as everywhere in the workbench.
    let label = ui.label(strings.centre.level);
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(level_name(*level))
        .show_ui(ui, |ui| {
            for d in 0..=depth.max(2) {
                ui.selectable_value(level, Level::Depth(d), level_name(Level::Depth(d)));
            }
            for frame in data.frames() {
                let choice = Level::Roles(frame.id);
                ui.selectable_value(level, choice, level_name(choice));
            }
        })
        .response
        .labelled_by(label.id);
}
