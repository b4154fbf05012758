//! The right panel: the code tree カテゴリー ▸ サブカテゴリー ▸ 焦点コード with colours, role badges
//! and segment counts. Clicking a code while text is selected applies it; otherwise it selects
//! the code, which can then be renamed or deleted (after a confirmation that says how many
//! segments go with it). New codes are created under the selected code, or at the top.

use std::collections::BTreeSet;

use eframe::egui::{self, Color32, RichText, Sense, vec2};

use crate::command::Command;
use crate::model::CodeId;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;

/// Indentation per level of the tree.
const INDENT: f32 = 14.0;

/// What the code tree remembers between frames.
#[derive(Debug, Default)]
pub struct CodeTreePanel {
    collapsed: BTreeSet<CodeId>,
    selected: Option<CodeId>,
    new_name: String,
    /// The code the rename field was filled for, and the field.
    rename: Option<(CodeId, String)>,
    confirm_delete: Option<CodeId>,
}

impl CodeTreePanel {
    /// The selected code, if any.
    pub fn selected(&self) -> Option<CodeId> {
        self.selected
    }

    /// The panel. `text_selected` says whether a click applies the code.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        text_selected: bool,
        outbox: &mut Outbox,
    ) {
        if self
            .selected
            .is_some_and(|code_id| snapshot.tree.get(code_id).is_none())
        {
            self.selected = None;
        }
        ui.horizontal(|ui| {
            ui.heading(strings.codes);
            ui.weak(snapshot.tree.len().to_string());
        });
        egui::Panel::bottom("code-editor")
            .resizable(false)
            .show(ui, |ui| {
                ui.add_space(4.0);
                self.selected_code_ui(ui, snapshot, strings, outbox);
                self.new_code_ui(ui, snapshot, strings, outbox);
                ui.add_space(4.0);
            });
        egui::ScrollArea::vertical()
            .id_salt("code-tree")
            .auto_shrink(false)
            .show(ui, |ui| {
                if snapshot.tree.is_empty() {
                    ui.weak(strings.no_codes);
                }
                let roots = snapshot.tree.children(None).to_vec();
                for code_id in roots {
                    self.branch_ui(ui, code_id, 0, snapshot, strings, text_selected, outbox);
                }
            });
        self.delete_dialog_ui(ui, snapshot, strings, outbox);
    }

    #[allow(clippy::too_many_arguments)]
    fn branch_ui(
        &mut self,
        ui: &mut egui::Ui,
        code_id: CodeId,
        depth: usize,
        snapshot: &Snapshot,
        strings: &Strings,
        text_selected: bool,
        outbox: &mut Outbox,
    ) {
        self.row_ui(ui, code_id, depth, snapshot, strings, text_selected, outbox);
        if self.collapsed.contains(&code_id) {
            return;
        }
        for &child in snapshot.tree.children(Some(code_id)) {
            self.branch_ui(
                ui,
                child,
                depth + 1,
                snapshot,
                strings,
                text_selected,
                outbox,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row_ui(
        &mut self,
        ui: &mut egui::Ui,
        code_id: CodeId,
        depth: usize,
        snapshot: &Snapshot,
        strings: &Strings,
        text_selected: bool,
        outbox: &mut Outbox,
    ) {
        let Some(code) = snapshot.tree.get(code_id) else {
            return;
        };
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            ui.add_space(INDENT * depth as f32);
            if snapshot.tree.children(Some(code_id)).is_empty() {
                ui.add_space(INDENT + 2.0);
            } else {
                let open = !self.collapsed.contains(&code_id);
                // ▼ and ▶ are in the CJK fonts (▾ and ▸ are not).
                let arrow = if open { "▼" } else { "▶" };
                if ui
                    .add(egui::Button::new(RichText::new(arrow).size(9.0)).frame(false))
                    .clicked()
                {
                    if open {
                        self.collapsed.insert(code_id);
                    } else {
                        self.collapsed.remove(&code_id);
                    }
                }
            }
            let [r, g, b] = snapshot.color(code_id);
            let (swatch, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
            ui.painter()
                .rect_filled(swatch, 2.0, Color32::from_rgb(r, g, b));
            let name = if depth == 0 {
                RichText::new(&code.name).strong()
            } else {
                RichText::new(&code.name)
            };
            let response = ui.selectable_label(self.selected == Some(code_id), name);
            let level = strings
                .level_names
                .get(depth)
                .or(strings.level_names.last())
                .copied()
                .unwrap_or_default();
            let response = response.on_hover_ui(|ui| {
                ui.label(snapshot.tree.path_string(code_id));
                ui.weak(level);
                if !code.definition.is_empty() {
                    ui.label(&code.definition);
                }
                if text_selected {
                    ui.strong(strings.apply_hint);
                }
            });
            if response.clicked() {
                if text_selected {
                    // Applying does not select: the creation target stays where it was.
                    outbox.action(Action::ApplyCode(code_id));
                } else if self.selected == Some(code_id) {
                    self.selected = None;
                } else {
                    self.selected = Some(code_id);
                }
            }
            for role in snapshot.roles.get(&code_id).into_iter().flatten() {
                role_badge_ui(ui, role);
            }
            let own = snapshot.segments.get(&code_id).copied().unwrap_or(0);
            let total = snapshot.subtree_segments(code_id);
            let count = if own == total {
                own.to_string()
            } else {
                format!("{own} / {total}")
            };
            ui.weak(count)
                .on_hover_text(format!("{} ({})", strings.segments, strings.codes));
        });
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
        ui.horizontal(|ui| {
            if ui.button(strings.delete).clicked() {
                self.confirm_delete = Some(code_id);
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

    fn delete_dialog_ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let Some(code_id) = self.confirm_delete else {
            return;
        };
        let Some(code) = snapshot.tree.get(code_id) else {
            self.confirm_delete = None;
            return;
        };
        let subcodes = snapshot.tree.subtree(code_id).len().saturating_sub(1);
        let segments = snapshot.subtree_segments(code_id);
        let mut finished = false;
        let modal = egui::Modal::new(egui::Id::unique("delete-code")).show(ui.ctx(), |ui| {
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
            self.confirm_delete = None;
        }
    }
}

/// A small coloured badge with a role name (発達支援, 家族支援 …).
fn role_badge_ui(ui: &mut egui::Ui, role: &str) {
    let hue = role
        .chars()
        .fold(0u32, |hash, c| hash.wrapping_mul(31).wrapping_add(c as u32));
    let colors = [
        Color32::from_rgb(0x3B, 0x7D, 0xD8),
        Color32::from_rgb(0xD8, 0x6B, 0x3B),
        Color32::from_rgb(0x3B, 0xA5, 0x6B),
        Color32::from_rgb(0x8E, 0x5B, 0xC8),
        Color32::from_rgb(0xA8, 0x8B, 0x2E),
    ];
    let fill = colors
        .get(hue as usize % colors.len())
        .copied()
        .unwrap_or(Color32::GRAY);
    egui::Frame::new()
        .fill(fill)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(3, 0))
        .show(ui, |ui| {
            ui.label(RichText::new(role).small().color(Color32::WHITE));
        });
}
