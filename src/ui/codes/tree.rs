//! The right panel: the code tree カテゴリー ▸ サブカテゴリー ▸ 焦点コード with colours, role badges,
//! segment counts (own / with subcodes), case counts and a ※ on codes with a memo. A click on a
//! code only selects it for the editor below (rename, details, merge, delete: see
//! [`editor`](crate::ui::codes::editor)); applying it to selected text is always an explicit
//! act: the ✓ button on the hovered or selected row, a double-click on the name, or Ctrl+Enter
//! (a leftover selection used to be coded by a click meant only to select). A code dragged
//! onto another code moves under it, and onto the 最上位 zone moves to the top; a drop into the
//! code's own subtree is refused with a message. New codes are created under the selected code.

use std::collections::BTreeSet;

use eframe::egui::{self, Color32, RichText, Sense, vec2};

use crate::codebook::CodeTree;
use crate::command::Command;
use crate::model::{CodeId, MemoTarget};
use crate::ui::action::{Action, Outbox};
use crate::ui::codes::editor::CodeEditor;
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;
use crate::ui::widgets::memo_marker::memo_marker_ui;

/// Indentation per level of the tree.
const INDENT: f32 = 14.0;

/// The drag-and-drop payload: the code being dragged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DraggedCode(pub CodeId);

/// What dropping `dragged` onto `target` (`None`: the top-level zone) does: `Ok(Some)` the
/// move, `Ok(None)` nothing (it is already there, or dropped on itself), `Err` a refusal that
/// says why (a code cannot go into its own subtree).
pub fn drop_command(
    tree: &CodeTree,
    dragged: CodeId,
    target: Option<CodeId>,
    strings: &Strings,
) -> Result<Option<Command>, String> {
    let Some(code) = tree.get(dragged) else {
        return Ok(None);
    };
    if target == Some(dragged) || code.parent_id == target {
        return Ok(None);
    }
    if let Some(target_id) = target
        && tree.subtree(dragged).contains(&target_id)
    {
        return Err(fill(
            strings.move_into_itself,
            &[&tree.path_string(dragged)],
        ));
    }
    if tree.child_named(target, &code.name).is_some() {
        let place = target.map_or_else(
            || strings.top_level.to_owned(),
            |target_id| tree.path_string(target_id),
        );
        return Err(fill(strings.name_taken, &[&place, &code.name]));
    }
    Ok(Some(Command::MoveCode {
        code_id: dragged,
        parent_id: target,
    }))
}

/// What dropping `dragged` on the upper (`below == false`) or lower edge of its sibling `target`
/// does: places it just before or just after `target`. `None` when the two are not siblings
/// (a drop on the middle of a row moves the code under it instead) or nothing would change.
pub fn reorder_command(
    tree: &CodeTree,
    dragged: CodeId,
    target: CodeId,
    below: bool,
) -> Option<Command> {
    let (code, target_code) = (tree.get(dragged)?, tree.get(target)?);
    if dragged == target || code.parent_id != target_code.parent_id {
        return None;
    }
    let siblings = tree.children(code.parent_id);
    let at = siblings.iter().position(|sibling| *sibling == target)?;
    let before = if below {
        siblings.get(at + 1).copied()
    } else {
        Some(target)
    };
    // Already there: just before `before` (or last).
    let now = siblings.iter().position(|sibling| *sibling == dragged)?;
    let next = siblings.get(now + 1).copied();
    (before != next && before != Some(dragged)).then_some(Command::ReorderCode {
        code_id: dragged,
        before,
    })
}

/// What the code tree remembers between frames.
#[derive(Debug, Default)]
pub struct CodeTreePanel {
    collapsed: BTreeSet<CodeId>,
    editor: CodeEditor,
    /// The row under the pointer in the last frame (it shows the ✓ button).
    hovered: Option<CodeId>,
}

impl CodeTreePanel {
    /// The selected code, if any.
    pub fn selected(&self) -> Option<CodeId> {
        self.editor.selected()
    }

    /// The panel. `text_selected` says whether the hovered and the selected row offer ✓.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        text_selected: bool,
        outbox: &mut Outbox,
    ) {
        self.editor.forget_missing(snapshot);
        let hovered = self.hovered.take();
        ui.horizontal(|ui| {
            ui.heading(strings.codes);
            ui.weak(snapshot.tree.len().to_string());
        });
        egui::Panel::bottom("code-editor")
            .resizable(false)
            .show(ui, |ui| {
                ui.add_space(4.0);
                self.editor.ui(ui, snapshot, strings, outbox);
                ui.add_space(4.0);
            });
        if snapshot.tree.is_empty() {
            ui.weak(strings.no_codes);
        }
        // Only the rows in view are built: a codebook of hundreds of codes costs what a
        // screenful costs (rows are one line high; the badges and counts fit on it).
        let rows = self.visible_rows(snapshot);
        let row_height = ui.spacing().interact_size.y;
        // Both ways: a row wider than the panel scrolls sideways instead of widening the panel
        // (which took the transcript down to ~23 characters a row at 1280 px).
        egui::ScrollArea::both()
            .id_salt("code-tree")
            .auto_shrink(false)
            .show_rows(ui, row_height, rows.len(), |ui, range| {
                let last_in_view = range.end >= rows.len();
                for &(code_id, depth) in rows.get(range).unwrap_or_default() {
                    let offer = text_selected
                        && (hovered == Some(code_id) || self.editor.selected() == Some(code_id));
                    self.row_ui(ui, code_id, depth, snapshot, strings, offer, outbox);
                }
                // Below the last code, where it was before dragging began, so that nothing
                // moves under the pointer.
                if last_in_view {
                    top_level_zone_ui(ui, snapshot, strings, outbox);
                }
            });
        self.editor.dialogs_ui(ui.ctx(), snapshot, strings, outbox);
    }

    /// The codes shown, in tree order, with their depth: every code whose ancestors are all
    /// expanded.
    fn visible_rows(&self, snapshot: &Snapshot) -> Vec<(CodeId, usize)> {
        let mut rows = Vec::with_capacity(snapshot.tree.len());
        let mut stack: Vec<(CodeId, usize)> = snapshot
            .tree
            .children(None)
            .iter()
            .rev()
            .map(|code_id| (*code_id, 0))
            .collect();
        while let Some((code_id, depth)) = stack.pop() {
            rows.push((code_id, depth));
            if !self.collapsed.contains(&code_id) {
                stack.extend(
                    snapshot
                        .tree
                        .children(Some(code_id))
                        .iter()
                        .rev()
                        .map(|child| (*child, depth + 1)),
                );
            }
        }
        rows
    }

    #[allow(clippy::too_many_arguments)]
    fn row_ui(
        &mut self,
        ui: &mut egui::Ui,
        code_id: CodeId,
        depth: usize,
        snapshot: &Snapshot,
        strings: &Strings,
        offer_apply: bool,
        outbox: &mut Outbox,
    ) {
        let Some(code) = snapshot.tree.get(code_id) else {
            return;
        };
        let row = ui.horizontal(|ui| {
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
            // The ✓ has its place on every row, so that nothing shifts when it appears.
            let apply_size = vec2(18.0, ui.spacing().interact_size.y);
            if offer_apply {
                let apply = ui
                    .add_sized(apply_size, egui::Button::new("✓").small())
                    .on_hover_text(strings.apply_hint);
                if apply.clicked() {
                    outbox.action(Action::ApplyCode(code_id));
                }
            } else {
                ui.allocate_exact_size(apply_size, Sense::hover());
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
            let response = ui
                .selectable_label(self.editor.selected() == Some(code_id), name)
                .interact(Sense::drag());
            response.dnd_set_drag_payload(DraggedCode(code_id));
            if response.dragged() {
                drag_preview_ui(ui.ctx(), &code.name);
            }
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
                if offer_apply {
                    ui.strong(strings.apply_hint);
                } else {
                    ui.weak(strings.drag_hint);
                }
            });
            if response.double_clicked() {
                // The first click of the two selected it; the double-click applies it.
                self.editor.select(code_id);
                if offer_apply {
                    outbox.action(Action::ApplyCode(code_id));
                }
            } else if response.clicked() {
                // A click only selects: never a coding by accident.
                self.editor.toggle(code_id);
            }
            memo_marker_ui(ui, MemoTarget::Code(code_id), &code.memo, outbox);
            for role in snapshot.roles.get(&code_id).into_iter().flatten() {
                role_badge_ui(ui, role);
            }
            let own = snapshot.segments.get(&code_id).copied().unwrap_or(0);
            let total = snapshot.subtree_segments(code_id);
            let segments = if own == total {
                own.to_string()
            } else {
                format!("{own} / {total}")
            };
            let cases = fill(strings.case_count, &[&snapshot.cases_of(code_id)]);
            ui.weak(format!("{segments} ・ {cases}"))
                .on_hover_text(strings.counts_hint);
        });
        if row.response.contains_pointer() {
            self.hovered = Some(code_id);
        }
        if crate::ui::probe::enabled() && ui.clip_rect().contains(row.response.rect.center()) {
            let name = row.response.rect.left_center() + vec2(INDENT * depth as f32 + 60.0, 0.0);
            crate::ui::probe::record(format!("code {}", snapshot.tree.path_string(code_id)), name);
        }
        // The whole row takes drops.
        let target = ui.interact(
            row.response.rect,
            ui.make_persistent_id(("code-drop", code_id.0)),
            Sense::hover(),
        );
        drop_target_ui(ui, &target, Some(code_id), snapshot, strings, outbox);
    }
}

/// Over a sibling's upper or lower quarter a dragged code is placed before or after it (a
/// line shows where); elsewhere it moves under the row's code.
fn edge_of_row(ui: &egui::Ui, target: &egui::Response) -> Option<bool> {
    let pointer = ui.ctx().pointer_interact_pos()?;
    let rect = target.rect;
    let quarter = rect.height() / 4.0;
    if pointer.y < rect.top() + quarter {
        Some(false)
    } else if pointer.y > rect.bottom() - quarter {
        Some(true)
    } else {
        None
    }
}

/// Highlights a drop target under a dragged code and handles the release.
fn drop_target_ui(
    ui: &egui::Ui,
    target: &egui::Response,
    target_id: Option<CodeId>,
    snapshot: &Snapshot,
    strings: &Strings,
    outbox: &mut Outbox,
) {
    let reorder = |dragged: CodeId| {
        let target_id = target_id?;
        let below = edge_of_row(ui, target)?;
        reorder_command(&snapshot.tree, dragged, target_id, below).map(|command| (command, below))
    };
    if let Some(dragged) = target.dnd_hover_payload::<DraggedCode>()
        && let Some((_, below)) = reorder(dragged.0)
    {
        let y = if below {
            target.rect.bottom()
        } else {
            target.rect.top()
        };
        ui.painter().hline(
            target.rect.x_range(),
            y,
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color),
        );
        if let Some(dropped) = target.dnd_release_payload::<DraggedCode>()
            && let Some((command, _)) = reorder(dropped.0)
        {
            outbox.command(command);
        }
        return;
    }
    if let Some(dragged) = target.dnd_hover_payload::<DraggedCode>() {
        let refused = drop_command(&snapshot.tree, dragged.0, target_id, strings).is_err();
        let color = if refused {
            ui.visuals().error_fg_color
        } else {
            ui.visuals().selection.stroke.color
        };
        ui.painter().rect_stroke(
            target.rect.expand(1.0),
            3.0,
            egui::Stroke::new(1.5, color),
            egui::StrokeKind::Outside,
        );
    }
    if let Some(dragged) = target.dnd_release_payload::<DraggedCode>() {
        match drop_command(&snapshot.tree, dragged.0, target_id, strings) {
            Ok(Some(command)) => outbox.command(command),
            Ok(None) => {}
            Err(problem) => outbox.action(Action::Problem(problem)),
        }
    }
}

/// While a code is dragged: a zone below the tree that moves it to the top level.
fn top_level_zone_ui(
    ui: &mut egui::Ui,
    snapshot: &Snapshot,
    strings: &Strings,
    outbox: &mut Outbox,
) {
    if !egui::DragAndDrop::has_payload_of_type::<DraggedCode>(ui.ctx()) {
        return;
    }
    ui.add_space(6.0);
    let zone = egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_min_width(ui.available_width());
        ui.weak(strings.drop_top);
    });
    let target = ui.interact(
        zone.response.rect,
        ui.make_persistent_id("code-drop-top"),
        Sense::hover(),
    );
    drop_target_ui(ui, &target, None, snapshot, strings, outbox);
}

/// The dragged code's name next to the pointer.
fn drag_preview_ui(ctx: &egui::Context, name: &str) {
    let Some(pointer) = ctx.pointer_interact_pos() else {
        return;
    };
    ctx.set_cursor_icon(egui::CursorIcon::Grabbing);
    egui::Area::new(egui::Id::unique("code-drag-preview"))
        .order(egui::Order::Tooltip)
        .fixed_pos(pointer + vec2(12.0, 4.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(name);
            });
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Code;
    use crate::ui::i18n::JAPANESE;

    fn code(id: i64, parent: Option<i64>, name: &str) -> Code {
        Code {
            id: CodeId(id),
            guid: format!("g{id}"),
            parent_id: parent.map(CodeId),
            name: name.to_owned(),
            definition: String::new(),
            color: None,
            memo: String::new(),
            position: id,
        }
    }

    #[test]
    fn a_drop_on_the_edge_of_a_sibling_places_the_code_before_or_after_it() {
        let tree = CodeTree::new(vec![
            code(1, None, "家族支援"),
            code(2, Some(1), "[レスパイト]"),
            code(3, Some(1), "[きょうだい支援]"),
            code(4, Some(1), "[就労支援]"),
            code(5, None, "地域支援"),
        ]);
        let place = |code_id, before: Option<i64>| {
            Some(Command::ReorderCode {
                code_id: CodeId(code_id),
                before: before.map(CodeId),
            })
        };
        // [就労支援] onto the upper edge of [レスパイト]: first.
        assert_eq!(
            reorder_command(&tree, CodeId(4), CodeId(2), false),
            place(4, Some(2))
        );
        // [レスパイト] onto the lower edge of [就労支援]: last.
        assert_eq!(
            reorder_command(&tree, CodeId(2), CodeId(4), true),
            place(2, None)
        );
        // Where it already is, onto itself, or not a sibling: nothing.
        assert_eq!(reorder_command(&tree, CodeId(2), CodeId(3), false), None);
        assert_eq!(reorder_command(&tree, CodeId(3), CodeId(2), true), None);
        assert_eq!(reorder_command(&tree, CodeId(2), CodeId(2), true), None);
        assert_eq!(reorder_command(&tree, CodeId(2), CodeId(5), true), None);
    }

    #[test]
    fn a_drop_moves_under_the_target_and_refuses_the_own_subtree() {
        let tree = CodeTree::new(vec![
            code(1, None, "家族支援"),
            code(2, Some(1), "レスパイト"),
            code(3, Some(2), "[短期入所]"),
            code(4, None, "地域支援"),
        ]);
        assert_eq!(
            drop_command(&tree, CodeId(3), Some(CodeId(4)), &JAPANESE),
            Ok(Some(Command::MoveCode {
                code_id: CodeId(3),
                parent_id: Some(CodeId(4)),
            }))
        );
        assert_eq!(
            drop_command(&tree, CodeId(2), None, &JAPANESE),
            Ok(Some(Command::MoveCode {
                code_id: CodeId(2),
                parent_id: None,
            }))
        );
        assert_eq!(
            drop_command(&tree, CodeId(3), Some(CodeId(2)), &JAPANESE),
            Ok(None)
        );
        assert_eq!(drop_command(&tree, CodeId(1), None, &JAPANESE), Ok(None));
        let with_clash = CodeTree::new(vec![
            code(1, None, "家族支援"),
            code(2, Some(1), "レスパイト"),
            code(3, Some(2), "[短期入所]"),
            code(5, None, "[短期入所]"),
        ]);
        assert_eq!(
            drop_command(&with_clash, CodeId(5), Some(CodeId(2)), &JAPANESE),
            Err(
                "「家族支援/レスパイト」の下にはすでに「[短期入所]」という名前のコードがあります"
                    .to_owned()
            )
        );
        assert_eq!(
            drop_command(&tree, CodeId(1), Some(CodeId(3)), &JAPANESE),
            Err("「家族支援」はそれ自身やその下位コードの中には移動できません".to_owned())
        );
    }
}
