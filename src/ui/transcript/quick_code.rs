//! The quick-code box above the transcript: type part of a code's name or path (IME works), the
//! matching codes appear as buttons, and Enter (or a click) applies the first (or the clicked)
//! one to the selected text.

use eframe::egui::{self, Color32, Sense, vec2};

use crate::model::CodeId;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::Strings;
use crate::ui::snapshot::Snapshot;

/// Matches shown at most.
const SHOWN: usize = 8;

/// The text typed into the quick-code box.
#[derive(Debug, Default)]
pub struct QuickCode {
    query: String,
}

impl QuickCode {
    /// The box and its matches. `text_selected` says whether there is anything to apply to.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        text_selected: bool,
        outbox: &mut Outbox,
    ) {
        let matches = matching_codes(snapshot, &self.query);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(strings.quick_code);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text(strings.quick_code_hint)
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            let submit = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if submit
                && text_selected
                && let Some(&first) = matches.first()
            {
                outbox.action(Action::ApplyCode(first));
                self.query.clear();
            }
            if self.query.trim().is_empty() {
                return;
            }
            for &code_id in matches.iter().take(SHOWN) {
                let Some(code) = snapshot.tree.get(code_id) else {
                    continue;
                };
                let [r, g, b] = snapshot.color(code_id);
                let (swatch, _) = ui.allocate_exact_size(vec2(8.0, 8.0), Sense::hover());
                ui.painter()
                    .rect_filled(swatch, 2.0, Color32::from_rgb(r, g, b));
                let button = ui
                    .add_enabled(text_selected, egui::Button::new(&code.name).small())
                    .on_hover_text(snapshot.tree.path_string(code_id));
                if button.clicked() {
                    outbox.action(Action::ApplyCode(code_id));
                    self.query.clear();
                }
            }
            if matches.len() > SHOWN {
                ui.weak(format!("+{}", matches.len() - SHOWN));
            }
        });
    }
}

/// Codes whose name or path contains every word of the query (case-insensitive), in tree order,
/// names that start with the query first.
fn matching_codes(snapshot: &Snapshot, query: &str) -> Vec<CodeId> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let first_word = words.first().cloned().unwrap_or_default();
    let mut found: Vec<(bool, usize, CodeId)> = snapshot
        .tree
        .walk()
        .into_iter()
        .enumerate()
        .filter_map(|(order, code_id)| {
            let path = snapshot.tree.path_string(code_id).to_lowercase();
            let name = snapshot.tree.get(code_id)?.name.to_lowercase();
            let hit = words.iter().all(|word| path.contains(word.as_str()));
            let prefix = name
                .trim_start_matches(['[', '［', '【'])
                .starts_with(&first_word);
            hit.then_some((!prefix, order, code_id))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, _, code_id)| code_id).collect()
}
