//! What the transcript shows about one coding: its label (colour and code path), its tooltip,
//! its context menu (recode, remove, 代表的語り on/off, memo) and the memo dialog. Every change is sent
//! as a command.

use eframe::egui::{self, Color32, Sense, vec2};

use crate::command::Command;
use crate::model::{CodeId, Coding, CodingId};
use crate::ui::action::Outbox;
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;

/// The name of a coding's code.
pub fn code_name(snapshot: &Snapshot, coding: &Coding) -> String {
    snapshot
        .tree
        .get(coding.code_id)
        .map(|code| code.name.clone())
        .unwrap_or_default()
}

/// A colour swatch and the code's path (with ★ for an exemplar).
pub fn code_label_ui(ui: &mut egui::Ui, coding: &Coding, snapshot: &Snapshot, strings: &Strings) {
    ui.horizontal(|ui| {
        let [r, g, b] = snapshot.color(coding.code_id);
        let (swatch, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
        ui.painter()
            .rect_filled(swatch, 2.0, Color32::from_rgb(r, g, b));
        ui.label(snapshot.tree.path_string(coding.code_id));
        if coding.exemplar {
            ui.weak(format!("★ {}", strings.exemplar_badge));
        }
    });
}

/// The tooltip of a coding's stripe: code, text, span, coder, memo.
pub fn coding_tooltip_ui(
    ui: &mut egui::Ui,
    coding: &Coding,
    text: &str,
    snapshot: &Snapshot,
    strings: &Strings,
) {
    // Narrow enough to fit beside a stripe at the window's right edge (a long quote on one
    // line ran off the window).
    ui.set_max_width(320.0);
    code_label_ui(ui, coding, snapshot, strings);
    ui.label(format!("「{text}」"));
    ui.weak(format!(
        "[{}, {}) ・ {}",
        coding.span.start,
        coding.span.end,
        fill(strings.coded_by, &[&coding.coder])
    ));
    if !coding.memo.is_empty() {
        ui.label(&coding.memo);
    }
}

/// The actions on one coding. Returns true when "edit memo" was chosen (the caller opens the
/// [`MemoDialog`]).
pub fn coding_menu_ui(
    ui: &mut egui::Ui,
    coding: &Coding,
    recode_to: Option<&(CodeId, String)>,
    strings: &Strings,
    outbox: &mut Outbox,
) -> bool {
    // Recode: to the code selected in the tree, when that is another code.
    if let Some((code_id, path)) = recode_to.filter(|(code_id, _)| *code_id != coding.code_id)
        && ui
            .button(fill(strings.centre.recode_to, &[path]))
            .on_hover_text(strings.centre.recode_hint)
            .clicked()
    {
        outbox.command(Command::RecodeCodings {
            coding_ids: vec![coding.id],
            code_id: *code_id,
        });
        ui.close();
    }
    if ui.button(strings.remove_coding).clicked() {
        outbox.command(Command::RemoveCodings {
            coding_ids: vec![coding.id],
        });
        ui.close();
    }
    let exemplar_label = if coding.exemplar {
        strings.unset_exemplar
    } else {
        strings.set_exemplar
    };
    if ui.button(exemplar_label).clicked() {
        outbox.command(Command::SetExemplar {
            coding_ids: vec![coding.id],
            exemplar: !coding.exemplar,
        });
        ui.close();
    }
    if ui.button(strings.edit_memo).clicked() {
        ui.close();
        return true;
    }
    false
}

/// The memo being edited.
#[derive(Clone, Debug)]
struct MemoEditor {
    coding_id: CodingId,
    code_name: String,
    text: String,
}

/// The modal dialog that edits a coding's memo.
#[derive(Clone, Debug, Default)]
pub struct MemoDialog {
    editor: Option<MemoEditor>,
}

impl MemoDialog {
    /// Opens the dialog on a coding's current memo.
    pub fn open(&mut self, coding: &Coding, snapshot: &Snapshot) {
        self.editor = Some(MemoEditor {
            coding_id: coding.id,
            code_name: code_name(snapshot, coding),
            text: coding.memo.clone(),
        });
    }

    /// The dialog, while open; Save sends `SetCodingMemo`.
    pub fn ui(&mut self, ctx: &egui::Context, strings: &Strings, outbox: &mut Outbox) {
        let Some(editor) = &mut self.editor else {
            return;
        };
        let mut finished = false;
        let modal = egui::Modal::new(egui::Id::unique("coding-memo")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading(fill(strings.memo_of, &[&editor.code_name]));
            let label = ui.label(strings.edit_memo.trim_end_matches('…'));
            ui.add(
                egui::TextEdit::multiline(&mut editor.text)
                    .desired_rows(6)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.horizontal(|ui| {
                if ui.button(strings.save).clicked() {
                    outbox.command(Command::SetCodingMemo {
                        coding_id: editor.coding_id,
                        memo: editor.text.clone(),
                    });
                    finished = true;
                }
                if ui.button(strings.cancel).clicked() {
                    finished = true;
                }
            });
        });
        if finished || modal.should_close() {
            self.editor = None;
        }
    }
}
