//! The menu bar: ファイル (open, new, import transcripts, REFI-QDA or a survey, export, sample,
//! close, quit), 編集 (元に戻す: … / やり直し: …
//! with the command's own label, as the core names it) and 設定. The keyboard shortcuts live in
//! [`shortcut_actions`] so that the menu and the keys cannot disagree.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use crate::model::MemoTarget;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::start::screen::{pick_new_project_file, pick_project_file};
use crate::ui::windows::export::ExportKind;
use crate::ui::windows::import::ImportKind;

/// Ctrl+Z (⌘Z).
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Ctrl+Shift+Z (⌘⇧Z).
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Ctrl+Enter: apply the code selected in the tree to the selected text.
pub const APPLY_CODE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
/// Ctrl+Y, the Windows habit.
pub const REDO_ALT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);

/// What the menu needs to know about the workbench.
pub struct MenuState<'a> {
    /// A project is open.
    pub project_open: bool,
    /// The label of what undo would revert.
    pub undo_label: Option<&'a str>,
    /// The label of what redo would re-apply.
    pub redo_label: Option<&'a str>,
}

/// The menu bar. Returns true when the settings window should open.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    state: &MenuState<'_>,
    strings: &Strings,
    outbox: &mut Outbox,
) -> bool {
    let mut open_settings = false;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(strings.menu_file, |ui| {
            if ui.button(strings.open_project).clicked() {
                if let Some(path) = pick_project_file() {
                    outbox.action(Action::OpenProject(path));
                }
                ui.close();
            }
            if ui.button(strings.new_project).clicked() {
                if let Some(path) = pick_new_project_file() {
                    outbox.action(Action::CreateProject(path));
                }
                ui.close();
            }
            if ui
                .add_enabled(
                    state.project_open,
                    egui::Button::new(strings.import_transcripts),
                )
                .clicked()
            {
                outbox.action(Action::OpenImport {
                    kind: ImportKind::Transcripts,
                    path: None,
                });
                ui.close();
            }
            ui.add_enabled_ui(state.project_open, |ui| {
                for (kind, label) in [
                    (ImportKind::Exchange, strings.import.menu_exchange),
                    (ImportKind::Survey, strings.import.menu_survey),
                ] {
                    if ui.button(label).clicked() {
                        outbox.action(Action::OpenImport { kind, path: None });
                        ui.close();
                    }
                }
                ui.menu_button(strings.centre.menu_export, |ui| {
                    for kind in ExportKind::ALL {
                        if ui.button(kind.label(strings)).clicked() {
                            outbox.action(Action::OpenExport(kind));
                            ui.close();
                        }
                    }
                });
                if ui.button(strings.revise.menu_reimport).clicked() {
                    outbox.action(Action::OpenReimport);
                    ui.close();
                }
                if ui.button(strings.team.merge_menu).clicked() {
                    outbox.action(Action::OpenMerge);
                    ui.close();
                }
                if ui.button(strings.centre.project_memo).clicked() {
                    outbox.action(Action::EditMemo(MemoTarget::Project));
                    ui.close();
                }
            });
            if ui.button(strings.open_sample).clicked() {
                outbox.action(Action::OpenSample);
                ui.close();
            }
            ui.separator();
            if ui
                .add_enabled(state.project_open, egui::Button::new(strings.close_project))
                .clicked()
            {
                outbox.action(Action::CloseProject);
                ui.close();
            }
            if ui.button(strings.quit).clicked() {
                ui.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button(strings.menu_edit, |ui| {
            let undo_text = state.undo_label.map_or_else(
                || strings.nothing_to_undo.to_owned(),
                |label| fill(strings.undo_with, &[&label]),
            );
            let undo = egui::Button::new(undo_text).shortcut_text(ui.format_shortcut(&UNDO));
            if ui.add_enabled(state.undo_label.is_some(), undo).clicked() {
                outbox.action(Action::Undo);
                ui.close();
            }
            let redo_text = state.redo_label.map_or_else(
                || strings.nothing_to_redo.to_owned(),
                |label| fill(strings.redo_with, &[&label]),
            );
            let redo = egui::Button::new(redo_text).shortcut_text(ui.format_shortcut(&REDO));
            if ui.add_enabled(state.redo_label.is_some(), redo).clicked() {
                outbox.action(Action::Redo);
                ui.close();
            }
            ui.separator();
            let orphans = egui::Button::new(strings.revise.menu_orphans);
            if ui.add_enabled(state.project_open, orphans).clicked() {
                outbox.action(Action::OpenOrphans);
                ui.close();
            }
        });
        if ui.button(strings.menu_settings).clicked() {
            open_settings = true;
        }
    });
    open_settings
}

/// Undo and redo from the keyboard, unless a text field has the keyboard (it has its own undo).
pub fn shortcut_actions(ctx: &egui::Context, outbox: &mut Outbox) {
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    ctx.input_mut(|input| {
        // Redo first: Ctrl+Shift+Z must not be taken for Ctrl+Z.
        if input.consume_shortcut(&REDO) || input.consume_shortcut(&REDO_ALT) {
            outbox.action(Action::Redo);
        } else if input.consume_shortcut(&UNDO) {
            outbox.action(Action::Undo);
        }
    });
}
