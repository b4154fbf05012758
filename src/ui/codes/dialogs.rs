//! The code panel's dialogs. Each sends one command, so each is one undo step:
//! - the details window: definition, colour (picker or `#RRGGBB`, or the parent's colour) and
//!   the roles of each frame → `EditCode` with only what changed (its メモを編集… opens the memo
//!   window, whose 保存 is a step of its own);
//! - the merge dialog: choose the target (filtered list), read how many segments and subcodes
//!   move → `MergeCodes`;
//! - the delete confirmation, which names the subcodes and segments that go → `DeleteCode`.

use std::collections::BTreeSet;

use eframe::egui;

use crate::command::Command;
use crate::model::{CodeId, MemoTarget, RoleId};
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::{Snapshot, parse_color};

/// `#RRGGBB` of a colour.
fn hex(color: [u8; 3]) -> String {
    let [r, g, b] = color;
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// The details being edited.
#[derive(Clone, Debug)]
struct DetailsDraft {
    code_id: CodeId,
    definition: String,
    /// The colour shown by the picker.
    color: [u8; 3],
    /// The colour as text; it wins when it parses.
    color_text: String,
    /// No colour of its own: the parent's (or the palette's) is used.
    inherit: bool,
    roles: BTreeSet<RoleId>,
    problem: Option<String>,
}

/// The code details window.
#[derive(Clone, Debug, Default)]
pub struct DetailsWindow {
    draft: Option<DetailsDraft>,
}

impl DetailsWindow {
    /// Opens the window on a code's current details.
    pub fn open(&mut self, code_id: CodeId, snapshot: &Snapshot) {
        let Some(code) = snapshot.tree.get(code_id) else {
            return;
        };
        let own = code.color.as_deref().and_then(parse_color);
        let color = own.unwrap_or_else(|| snapshot.color(code_id));
        self.draft = Some(DetailsDraft {
            code_id,
            definition: code.definition.clone(),
            color,
            color_text: hex(color),
            inherit: own.is_none(),
            roles: snapshot.role_ids.get(&code_id).cloned().unwrap_or_default(),
            problem: None,
        });
    }

    /// The window, while open.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let Some(draft) = &mut self.draft else {
            return;
        };
        let Some(code) = snapshot.tree.get(draft.code_id) else {
            self.draft = None;
            return;
        };
        let mut open = true;
        let mut finished = false;
        // The title names the code; the full path is the first line inside.
        let title = fill(strings.details_of, &[&code.name]);
        let path = snapshot.tree.path_string(draft.code_id);
        egui::Window::new(title)
            .id(egui::Id::unique("code-details"))
            .open(&mut open)
            .collapsible(false)
            .default_width(420.0)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                ui.weak(&path);
                let label = ui.label(strings.definition);
                ui.add(
                    egui::TextEdit::multiline(&mut draft.definition)
                        .desired_rows(4)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                ui.add_space(4.0);
                ui.horizontal(|ui| {
                    let label = ui.label(strings.color);
                    ui.add_enabled_ui(!draft.inherit, |ui| {
                        if egui::color_picker::color_edit_button_srgb(ui, &mut draft.color)
                            .changed()
                        {
                            draft.color_text = hex(draft.color);
                        }
                        let field = ui
                            .add(
                                egui::TextEdit::singleline(&mut draft.color_text)
                                    .desired_width(80.0),
                            )
                            .labelled_by(label.id);
                        if field.changed()
                            && let Some(color) = parse_color(draft.color_text.trim())
                        {
                            draft.color = color;
                        }
                    });
                    ui.checkbox(&mut draft.inherit, strings.color_inherit);
                });
                ui.add_space(4.0);
                ui.label(strings.roles);
                for (frame, roles) in &snapshot.frames {
                    ui.horizontal_wrapped(|ui| {
                        ui.weak(format!("{}:", frame.name));
                        for role in roles {
                            let mut member = draft.roles.contains(&role.id);
                            if ui.checkbox(&mut member, &role.name).changed() {
                                if member {
                                    draft.roles.insert(role.id);
                                } else {
                                    draft.roles.remove(&role.id);
                                }
                            }
                        }
                    });
                }
                if let Some(problem) = &draft.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button(strings.save).clicked() {
                        match details_command(draft, code, snapshot, strings) {
                            Ok(Some(command)) => {
                                outbox.command(command);
                                finished = true;
                            }
                            Ok(None) => finished = true,
                            Err(problem) => draft.problem = Some(problem),
                        }
                    }
                    if ui.button(strings.cancel).clicked() {
                        finished = true;
                    }
                    // The memo has its own window (and its own undo step).
                    if ui.button(strings.edit_memo).clicked() {
                        outbox.action(Action::EditMemo(MemoTarget::Code(draft.code_id)));
                    }
                });
            });
        if finished || !open {
            self.draft = None;
        }
    }
}

/// The `EditCode` for what changed in the draft (`None`: nothing did), or why it cannot be sent.
fn details_command(
    draft: &DetailsDraft,
    code: &crate::model::Code,
    snapshot: &Snapshot,
    strings: &Strings,
) -> Result<Option<Command>, String> {
    let color = if draft.inherit {
        None
    } else {
        let text = draft.color_text.trim().to_ascii_uppercase();
        if parse_color(&text).is_none() {
            return Err(strings.color_invalid.to_owned());
        }
        Some(text)
    };
    let old_color = code.color.as_deref().map(str::to_ascii_uppercase);
    let old_roles = snapshot
        .role_ids
        .get(&draft.code_id)
        .cloned()
        .unwrap_or_default();
    let definition = (draft.definition != code.definition).then(|| draft.definition.clone());
    let color = (color != old_color).then_some(color);
    let roles = (draft.roles != old_roles).then(|| draft.roles.iter().copied().collect());
    if definition.is_none() && color.is_none() && roles.is_none() {
        return Ok(None);
    }
    Ok(Some(Command::EditCode {
        code_id: draft.code_id,
        definition,
        color,
        memo: None,
        roles,
    }))
}

/// The merge dialog: the source, the filter and the chosen target.
#[derive(Clone, Debug, Default)]
pub struct MergeDialog {
    source: Option<CodeId>,
    filter: String,
    target: Option<CodeId>,
}

impl MergeDialog {
    /// Opens the dialog to merge `source` into a code still to be chosen.
    pub fn open(&mut self, source: CodeId) {
        *self = MergeDialog {
            source: Some(source),
            ..MergeDialog::default()
        };
    }

    /// The dialog, while open.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let Some(source_id) = self.source else {
            return;
        };
        let tree = &snapshot.tree;
        let Some(source) = tree.get(source_id) else {
            self.source = None;
            return;
        };
        // The core refuses a target that contains the source or lies below it.
        let below = tree.subtree(source_id);
        let candidates: Vec<CodeId> = tree
            .walk()
            .into_iter()
            .filter(|id| !below.contains(id) && !tree.subtree(*id).contains(&source_id))
            .collect();
        let mut finished = false;
        let modal = egui::Modal::new(egui::Id::unique("merge-codes")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading(strings.merge_title);
            ui.label(tree.path_string(source_id));
            let label = ui.label(strings.merge_filter);
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            ui.weak(strings.merge_choose);
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    let filter = self.filter.trim();
                    for code_id in &candidates {
                        let path = tree.path_string(*code_id);
                        if !filter.is_empty() && !path.contains(filter) {
                            continue;
                        }
                        if ui
                            .selectable_label(self.target == Some(*code_id), path)
                            .clicked()
                        {
                            self.target = Some(*code_id);
                        }
                    }
                });
            ui.separator();
            let target = self
                .target
                .and_then(|id| tree.get(id).map(|code| (id, code)));
            if let Some((_, target)) = target {
                let segments = snapshot.segments.get(&source_id).copied().unwrap_or(0);
                let subcodes = below.len().saturating_sub(1);
                ui.label(fill(
                    strings.merge_question,
                    &[
                        &source.name,
                        &target.name,
                        &segments,
                        &subcodes,
                        &source.name,
                    ],
                ));
            }
            ui.horizontal(|ui| {
                let merge =
                    ui.add_enabled(target.is_some(), egui::Button::new(strings.merge_button));
                if merge.clicked()
                    && let Some((target_id, _)) = target
                {
                    outbox.command(Command::MergeCodes {
                        source_id,
                        target_id,
                    });
                    finished = true;
                }
                if ui.button(strings.cancel).clicked() {
                    finished = true;
                }
            });
        });
        if finished || modal.should_close() {
            self.source = None;
        }
    }
}

/// The delete confirmation.
#[derive(Clone, Debug, Default)]
pub struct DeleteDialog {
    code_id: Option<CodeId>,
}

impl DeleteDialog {
    /// Asks whether to delete `code_id`.
    pub fn open(&mut self, code_id: CodeId) {
        self.code_id = Some(code_id);
    }

    /// The confirmation, while open.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let Some(code_id) = self.code_id else {
            return;
        };
        let Some(code) = snapshot.tree.get(code_id) else {
            self.code_id = None;
            return;
        };
        let subcodes = snapshot.tree.subtree(code_id).len().saturating_sub(1);
        let segments = snapshot.subtree_segments(code_id);
        let mut finished = false;
        let modal = egui::Modal::new(egui::Id::unique("delete-code")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading(strings.delete_title);
            ui.label(fill(
                strings.delete_question,
                &[&code.name, &subcodes, &segments],
            ));
            ui.horizontal(|ui| {
                if ui.button(strings.delete.trim_end_matches('…')).clicked() {
                    outbox.command(Command::DeleteCode { code_id });
                    finished = true;
                }
                if ui.button(strings.cancel).clicked() {
                    finished = true;
                }
            });
        });
        if finished || modal.should_close() {
            self.code_id = None;
        }
    }
}
