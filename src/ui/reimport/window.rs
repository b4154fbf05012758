//! The window: the document, the file's path, the preview, 取り込む.

use std::path::{Path, PathBuf};

use eframe::egui;

use crate::model::DocumentId;
use crate::project::Project;
use crate::revise::{Fate, Revision};
use crate::ui::action::Outbox;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Job;
use crate::ui::snapshot::Snapshot;
use crate::ui::widgets::path_field::path_field_ui;
use crate::ui::widgets::text_cell::{CODE_WIDTH, QUOTE_WIDTH, text_cell_ui};

/// A preview read from a file, for the snapshot it was planned on.
#[derive(Debug)]
struct Preview {
    generation: u64,
    revision: Revision,
}

/// 改訂版を取り込む: closed until opened from the ファイル menu.
#[derive(Default)]
pub struct ReimportWindow {
    open: bool,
    document_id: Option<DocumentId>,
    path: String,
    preview: Option<Preview>,
    problem: Option<String>,
    /// Reading the file and diffing it, on a thread of its own: a long transcript (or a file
    /// on a slow share) must not freeze the window. The generation it was started at.
    job: Option<(u64, Job<Revision>)>,
}

impl ReimportWindow {
    /// Opens the window on `document_id` (the open transcript), with no file chosen yet.
    pub fn open(&mut self, document_id: Option<DocumentId>) {
        self.open = true;
        self.document_id = document_id;
        self.preview = None;
        self.problem = None;
        self.job = None;
    }

    /// True while the window is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// True while the file is being read and compared in the background.
    pub fn is_reading(&self) -> bool {
        self.job.is_some()
    }

    /// Blocks until the reading (if any) has finished and keeps its preview, as the next frame
    /// would; tests call it instead of waiting for frames.
    pub fn wait(&mut self) {
        if let Some((generation, mut job)) = self.job.take()
            && let Some(result) = job.wait()
        {
            self.finish(generation, result);
        }
    }

    /// Takes a finished job's result (a cancelled one is dropped: its thread may still be
    /// blocked on the file, and its result is not wanted).
    fn poll(&mut self) {
        let Some((generation, job)) = &mut self.job else {
            return;
        };
        if job.is_cancelled() {
            self.job = None;
            return;
        }
        let generation = *generation;
        if let Some(result) = job.poll() {
            self.job = None;
            self.finish(generation, result);
        }
    }

    fn finish(&mut self, generation: u64, result: anyhow::Result<Revision>) {
        match result {
            Ok(revision) => {
                self.preview = Some(Preview {
                    generation,
                    revision,
                });
            }
            Err(error) => self.problem = Some(format!("{error:#}")),
        }
    }

    /// The window, when open.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        if !self.open {
            return;
        }
        self.poll();
        // A preview planned on an older state of the project no longer fits it.
        if (self.preview.as_ref()).is_some_and(|preview| preview.generation != snapshot.generation)
        {
            self.preview = None;
        }
        let revise = strings.revise;
        let mut open = self.open;
        let mut close = false;
        egui::Window::new(revise.reimport_title)
            .open(&mut open)
            .default_width(640.0)
            .max_width((ctx.content_rect().width() - 32.0).max(320.0))
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                ui.label(revise.reimport_intro);
                let chosen = (self.document_id)
                    .and_then(|id| snapshot.documents.iter().find(|d| d.id == id))
                    .map(|document| document.name.clone())
                    .unwrap_or_default();
                ui.horizontal(|ui| {
                    let label = ui.label(revise.column_document);
                    let before = self.document_id;
                    egui::ComboBox::from_id_salt("reimport-document")
                        .selected_text(chosen)
                        .show_ui(ui, |ui| {
                            for document in &snapshot.documents {
                                ui.selectable_value(
                                    &mut self.document_id,
                                    Some(document.id),
                                    &document.name,
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if self.document_id != before {
                        self.preview = None;
                    }
                });
                if path_field_ui(
                    ui,
                    revise.reimport_path,
                    strings.centre.browse,
                    &mut self.path,
                    pick_transcript,
                ) {
                    self.preview = None;
                }
                let ready = self.document_id.is_some()
                    && !self.path.trim().is_empty()
                    && self.job.is_none();
                if ui
                    .add_enabled(ready, egui::Button::new(revise.reimport_preview))
                    .clicked()
                {
                    self.start_reading(project, snapshot, strings);
                }
                if let Some((_, job)) = &self.job {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        job.ui(ui, strings.cancel);
                    });
                }
                if let Some(problem) = &self.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                let Some(preview) = &self.preview else {
                    return;
                };
                let revision = &preview.revision;
                for warning in &revision.warnings {
                    ui.colored_label(ui.visuals().warn_fg_color, warning);
                }
                if revision.is_unchanged() {
                    ui.label(revise.reimport_unchanged);
                    return;
                }
                let (deleted, inserted) = revision.diff_size();
                let [unchanged, moved, resized, review, orphaned] = revision.plan.counts();
                ui.label(fill(
                    revise.reimport_summary,
                    &[
                        &revision.edits.len(),
                        &deleted,
                        &inserted,
                        &unchanged,
                        &moved,
                        &resized,
                        &review,
                        &orphaned,
                    ],
                ));
                egui::ScrollArea::vertical()
                    .max_height(280.0)
                    .show(ui, |ui| {
                        egui::Grid::new("reimport-changes")
                            .striped(true)
                            .num_columns(4)
                            .show(ui, |ui| {
                                for column in [
                                    revise.column_reason,
                                    revise.column_code,
                                    revise.column_old_text,
                                    revise.reimport_new_text,
                                ] {
                                    ui.strong(column);
                                }
                                ui.end_row();
                                for change in &revision.changes {
                                    ui.label(fate_label(change.fate, strings));
                                    let code = snapshot.tree.path_string(change.code_id);
                                    text_cell_ui(ui, &code, CODE_WIDTH);
                                    text_cell_ui(ui, &change.old_text, QUOTE_WIDTH);
                                    let new_text = change.new_text.as_deref().unwrap_or("—");
                                    text_cell_ui(ui, new_text, QUOTE_WIDTH);
                                    ui.end_row();
                                }
                            });
                    });
                if ui.button(revise.reimport_apply).clicked() {
                    outbox.command(revision.command());
                    close = true;
                }
            });
        self.open = open && !close;
        if close {
            self.preview = None;
        }
    }

    /// Starts reading the file and planning the revision on a thread with its own connection
    /// to the project (a problem is shown in the window when it ends).
    fn start_reading(&mut self, project: &Project, snapshot: &Snapshot, strings: &Strings) {
        self.preview = None;
        self.problem = None;
        let Some(document) = (self.document_id)
            .and_then(|id| snapshot.documents.iter().find(|d| d.id == id))
            .cloned()
        else {
            return;
        };
        let path = PathBuf::from(self.path.trim());
        let project_path = project.reopen_path();
        let job = Job::spawn(strings.revise.reimport_reading, move |_progress| {
            let project = Project::open(&project_path)?;
            Revision::from_file(&project, document, &path, None)
                .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))
        });
        self.job = Some((snapshot.generation, job));
    }
}

/// How the preview names a coding's fate.
fn fate_label(fate: Fate, strings: &Strings) -> String {
    let revise = strings.revise;
    match fate {
        Fate::Unchanged => revise.fate_unchanged.to_owned(),
        Fate::Moved => revise.fate_moved.to_owned(),
        Fate::Resized => revise.fate_resized.to_owned(),
        Fate::Review(reason) => reason.label().to_owned(),
        Fate::Orphaned(reason) => fill(revise.fate_orphaned, &[&reason.label()]),
    }
}

/// Asks the system dialog for a corrected transcript; `None` where no dialog service exists.
fn pick_transcript(current: &str) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new().add_filter("transcript", &["txt", "docx"]);
    if let Some(folder) = Path::new(current).parent().filter(|folder| folder.is_dir()) {
        dialog = dialog.set_directory(folder);
    }
    dialog.pick_file()
}
