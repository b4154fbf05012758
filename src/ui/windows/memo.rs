//! The memo editor: one window with a multiline, IME-capable text field for the memo of the
//! project, a case, a document or a code. The panels open it by sending
//! [`Action::EditMemo`](crate::ui::action::Action::EditMemo); 保存 sends one `SetMemo` command,
//! so a memo edit is undoable like any other change. The ※ that marks items with a memo (and
//! opens this window) is [`memo_marker_ui`](crate::ui::widgets::memo_marker::memo_marker_ui).

use eframe::egui;

use crate::command::Command;
use crate::model::MemoTarget;
use crate::project::Project;
use crate::ui::action::Outbox;
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;

/// The memo being edited.
#[derive(Clone, Debug)]
struct MemoEditor {
    target: MemoTarget,
    /// What the memo belongs to, for the title ("事例「A」").
    subject: String,
    text: String,
    /// The memo when the window opened: saving an unchanged memo sends nothing.
    original: String,
}

/// The memo window (closed when nothing is being edited).
#[derive(Clone, Debug, Default)]
pub struct MemoWindow {
    editor: Option<MemoEditor>,
}

impl MemoWindow {
    /// Opens the window on the memo of `target` as stored in the project (a coding's memo is
    /// not in the snapshot, so the project is read rather than the snapshot).
    pub fn open(
        &mut self,
        target: MemoTarget,
        project: &Project,
        snapshot: &Snapshot,
        strings: &Strings,
    ) -> anyhow::Result<()> {
        let reader = project.read();
        let Some(text) = reader.memo(target)? else {
            anyhow::bail!("{}", strings.memo_target_missing);
        };
        let subject = match target {
            MemoTarget::Coding(coding_id) => {
                let path = reader
                    .coding(coding_id)?
                    .map(|coding| snapshot.tree.path_string(coding.code_id))
                    .unwrap_or_default();
                fill(strings.coding_of, &[&path])
            }
            _ => memo_subject(target, snapshot, strings),
        };
        self.editor = Some(MemoEditor {
            target,
            subject,
            original: text.clone(),
            text,
        });
        Ok(())
    }

    /// The memo target being edited, if the window is open.
    pub fn target(&self) -> Option<MemoTarget> {
        self.editor.as_ref().map(|editor| editor.target)
    }

    /// The window, while open.
    pub fn ui(&mut self, ctx: &egui::Context, strings: &Strings, outbox: &mut Outbox) {
        let Some(editor) = &mut self.editor else {
            return;
        };
        let mut open = true;
        let mut finished = false;
        egui::Window::new(fill(strings.memo_of, &[&editor.subject]))
            .id(egui::Id::unique("memo-window"))
            .open(&mut open)
            .resizable(true)
            .collapsible(false)
            .default_width(440.0)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                let label = ui.label(strings.memo);
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        ui.add(
                            egui::TextEdit::multiline(&mut editor.text)
                                .desired_rows(8)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    });
                ui.horizontal(|ui| {
                    let changed = editor.text != editor.original;
                    if ui
                        .add_enabled(changed, egui::Button::new(strings.save))
                        .clicked()
                    {
                        outbox.command(Command::SetMemo {
                            target: editor.target,
                            text: editor.text.clone(),
                        });
                        finished = true;
                    }
                    if ui.button(strings.cancel).clicked() {
                        finished = true;
                    }
                    if changed {
                        ui.weak(strings.memo_unsaved);
                    }
                });
            });
        if finished || !open {
            self.editor = None;
        }
    }
}

/// What a memo belongs to, as the window's title names it.
fn memo_subject(target: MemoTarget, snapshot: &Snapshot, strings: &Strings) -> String {
    match target {
        MemoTarget::Project => strings.project_memo.to_owned(),
        MemoTarget::Case(case_id) => fill(strings.case_named, &[&snapshot.case_name(case_id)]),
        MemoTarget::Document(document_id) => {
            let name = snapshot
                .documents
                .iter()
                .find(|document| document.id == document_id)
                .map_or("", |document| document.name.as_str());
            fill(strings.document_named, &[&name])
        }
        MemoTarget::Code(code_id) => {
            fill(strings.code_named, &[&snapshot.tree.path_string(code_id)])
        }
        MemoTarget::Coding(coding_id) => fill(strings.coding_of, &[&coding_id]),
    }
}
