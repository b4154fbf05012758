//! The window that writes the KWIC lines shown to a .csv or .xlsx file (the same writer as
//! `casecode kwic --out`), with notes saying what was searched and which text was read.

use std::path::{Path, PathBuf};

use eframe::egui;

use crate::corpus::kwic::KwicLine;
use crate::export::concordance::write_concordance;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::widgets::path_field::path_field_ui;

/// The export window's state: the path typed, while the window is open.
#[derive(Default)]
pub struct HitsExport {
    path: Option<String>,
}

impl HitsExport {
    /// Opens the window with a file next to the project (`study-kwic.xlsx`).
    pub fn open(&mut self, project: &Path) {
        let stem = project
            .file_stem()
            .map_or_else(|| "study".into(), |stem| stem.to_string_lossy());
        self.path = Some(
            project
                .with_file_name(format!("{stem}-kwic.xlsx"))
                .display()
                .to_string(),
        );
    }

    /// Whether the window is open.
    pub fn is_open(&self) -> bool {
        self.path.is_some()
    }

    /// The window, while open; writing reports to the status line.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lines: &[KwicLine],
        notes: &[String],
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let Some(path) = self.path.as_mut() else {
            return;
        };
        let centre = &strings.centre;
        let corpus = strings.corpus;
        let mut close = false;
        egui::Window::new(corpus.export_hits_title)
            .id(egui::Id::unique("kwic-export-window"))
            .collapsible(false)
            .resizable(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                path_field_ui(ui, centre.export_to, centre.browse, path, pick_file);
                ui.horizontal(|ui| {
                    let target = PathBuf::from(path.trim());
                    if ui
                        .add_enabled(
                            !path.trim().is_empty(),
                            egui::Button::new(centre.export_button),
                        )
                        .clicked()
                    {
                        let text = match write_concordance(&target, lines, notes, true) {
                            Ok(_) => Action::Notify {
                                text: fill(
                                    corpus.export_hits_written,
                                    &[&lines.len(), &target.display()],
                                ),
                                error: false,
                            },
                            Err(error) => Action::Notify {
                                text: error.to_string(),
                                error: true,
                            },
                        };
                        outbox.action(text);
                        close = true;
                    }
                    if ui.button(strings.cancel).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.path = None;
        }
    }
}

/// Asks the system dialog where to write; `None` where no dialog service exists.
fn pick_file(current: &str) -> Option<PathBuf> {
    let current = Path::new(current);
    let mut dialog = rfd::FileDialog::new()
        .add_filter("xlsx", &["xlsx"])
        .add_filter("csv", &["csv"]);
    if let Some(name) = current.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    if let Some(folder) = current.parent().filter(|folder| folder.is_dir()) {
        dialog = dialog.set_directory(folder);
    }
    dialog.save_file()
}
