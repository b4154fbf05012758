//! The editor under the code tree: the selected code's path, its name (rename), and the buttons
//! that open its details (definition, colour, roles), its memo, the merge dialog and the delete
//! confirmation; below them the 新しいコード field, which creates a code under the selected one
//! (or at the top). The dialogs themselves are in [`dialogs`](crate::ui::codes::dialogs).

use eframe::egui;

use crate::command::Command;
use crate::model::{CodeId, MemoTarget};
use crate::ui::action::{Action, Outbox};
use crate::ui::codes::dialogs::{DeleteDialog, DetailsWindow, MergeDialog};
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;

/// The selection and the editing state of the code panel.
#[derive(Debug, Default)]
pub struct CodeEditor {
    selected: Option<CodeId>,
    new_name: String,
    /// The code the rename field was filled for, and the field.
    rename: Option<(CodeId, String)>,
    details: DetailsWindow,
    merge: MergeDialog,
    delete: DeleteDialog,
}

impl CodeEditor {
    /// The selected code, if any.
    pub fn selected(&self) -> Option<CodeId> {
        self.selected
    }

    /// Selects a code (it stays selected).
    pub fn select(&mut self, code_id: CodeId) {
        self.selected = Some(code_id);
    }

    /// Selects a code, or deselects it when it was selected.
    pub fn toggle(&mut self, code_id: CodeId) {
        self.selected = if self.selected == Some(code_id) {
            None
        } else {
            Some(code_id)
        };
    }

    /// Drops the selection when its code is gone (deleted, merged, undone).
    pub fn forget_missing(&mut self, snapshot: &Snapshot) {
        if self
            .selected
            .is_some_and(|code_id| snapshot.tree.get(code_id).is_none())
        {
            self.selected = None;
        }
    }

    /// The selected code's section and the new-code field.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        self.selected_code_ui(ui, snapshot, strings, outbox);
        self.new_code_ui(ui, snapshot, strings, outbox);
    }

    /// The details window and the merge and delete dialogs, while open.
    pub fn dialogs_ui(
        &mut self,
        ctx: &egui::Context,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        self.details.ui(ctx, snapshot, strings, outbox);
        self.merge.ui(ctx, snapshot, strings, outbox);
        self.delete.ui(ctx, snapshot, strings, outbox);
    }

    fn selected_code_ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let Some(code_id) = self.selected else {
            return;
        };
        let Some(code) = snapshot.tree.get(code_id) else {
            return;
        };
        if self.rename.as_ref().is_none_or(|(id, _)| *id != code_id) {
            self.rename = Some((code_id, code.name.clone()));
        }
        ui.weak(snapshot.tree.path_string(code_id));
        ui.horizontal(|ui| {
            if let Some((_, name)) = &mut self.rename {
                let label = ui.label(strings.new_code_hint);
                let field = ui
                    .add(egui::TextEdit::singleline(name).desired_width(150.0))
                    .labelled_by(label.id);
                let submit = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let changed = !name.trim().is_empty() && name.trim() != code.name;
                let clicked = ui
                    .add_enabled(changed, egui::Button::new(strings.rename))
                    .clicked();
                if clicked || (submit && changed) {
                    outbox.command(Command::RenameCode {
                        code_id,
                        name: name.trim().to_owned(),
                    });
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            if ui.button(strings.details).clicked() {
                self.details.open(code_id, snapshot);
            }
            if ui.button(strings.edit_memo).clicked() {
                outbox.action(Action::EditMemo(MemoTarget::Code(code_id)));
            }
            if ui.button(strings.merge).clicked() {
                self.merge.open(code_id);
            }
            if ui.button(strings.delete).clicked() {
                self.delete.open(code_id);
            }
            if ui.button(strings.deselect).clicked() {
                self.selected = None;
            }
        });
        ui.separator();
    }

    fn new_code_ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let parent = self.selected;
        let target = parent.map_or_else(
            || strings.top_level.to_owned(),
            |code_id| snapshot.tree.path_string(code_id),
        );
        ui.weak(fill(strings.create_under, &[&target]));
        ui.horizontal(|ui| {
            let label = ui.label(strings.new_code);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.new_name)
                        .hint_text(strings.new_code_hint)
                        .desired_width(150.0),
                )
                .labelled_by(label.id);
            let submit = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let name = self.new_name.trim().to_owned();
            let clicked = ui
                .add_enabled(!name.is_empty(), egui::Button::new(strings.create))
                .clicked();
            if (clicked || submit) && !name.is_empty() {
                outbox.command(Command::AddCode {
                    parent_id: parent,
                    name,
                    definition: String::new(),
                    color: None,
                    roles: Vec::new(),
                });
                self.new_name.clear();
            }
        });
    }
}
