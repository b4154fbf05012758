//! The 「グループ化」 combo box the matrix, the word-frequency list and the export window share:
//! no grouping, then every case attribute. Each caller keeps the choice in its own terms (the
//! matrix by attribute id, the frequency list and the exports by name, as the core takes them).

use eframe::egui;

use crate::model::Attribute;
use crate::ui::i18n::Strings;

/// The combo box; `key` is what `selected` holds for an attribute.
pub fn group_by_combo<T: PartialEq + Clone>(
    ui: &mut egui::Ui,
    id_salt: &str,
    attributes: &[Attribute],
    selected: &mut Option<T>,
    key: impl Fn(&Attribute) -> T,
    strings: &Strings,
) {
    let centre = &strings.centre;
    let shown = attributes
        .iter()
        .find(|attribute| selected.as_ref() == Some(&key(attribute)))
        .map_or(centre.no_grouping, |attribute| attribute.name.as_str());
    // The label before its control, as everywhere in the workbench.
    let label = ui.label(centre.group_by);
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(selected, None, centre.no_grouping);
            for attribute in attributes {
                ui.selectable_value(selected, Some(key(attribute)), &attribute.name);
            }
        })
        .response
        .labelled_by(label.id);
}
