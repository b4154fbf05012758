//! The window itself: two tables read once per snapshot, with a button per row.

use eframe::egui;

use crate::command::Command;
use crate::model::DocumentId;
use crate::project::Project;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;
use crate::ui::widgets::text_cell::{CODE_WIDTH, QUOTE_WIDTH, text_cell_ui};

/// An orphan as the window lists it.
#[derive(Clone, Debug)]
struct OrphanRow {
    id: i64,
    document_id: DocumentId,
    document: String,
    code: String,
    coder: String,
    old_text: String,
    reason: &'static str,
}

/// A coding flagged 要確認 as the window lists it.
#[derive(Clone, Debug)]
struct ReviewRow {
    guid: String,
    document_id: DocumentId,
    start: usize,
    end: usize,
    document: String,
    code: String,
    coder: String,
    text: String,
    old_text: String,
    reason: &'static str,
}

/// The rows of one snapshot.
#[derive(Clone, Debug, Default)]
struct Rows {
    generation: u64,
    orphans: Vec<OrphanRow>,
    reviews: Vec<ReviewRow>,
}

/// 孤立コーディングと要確認: closed until opened from the menu or the status line.
#[derive(Debug, Default)]
pub struct OrphanWindow {
    open: bool,
    rows: Option<Rows>,
}

impl OrphanWindow {
    /// Opens the window.
    pub fn open(&mut self) {
        self.open = true;
        self.rows = None;
    }

    /// True while the window is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The window, when open. `selection` is the open transcript's document and selected span.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        snapshot: &Snapshot,
        selection: Option<(DocumentId, (usize, usize))>,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        if !self.open {
            return;
        }
        if self
            .rows
            .as_ref()
            .is_none_or(|rows| rows.generation != snapshot.generation)
        {
            match read_rows(project, snapshot, strings) {
                Ok(rows) => self.rows = Some(rows),
                Err(error) => {
                    outbox.action(Action::Problem(format!("{error:#}")));
                    self.open = false;
                    return;
                }
            }
        }
        let Some(rows) = &self.rows else {
            return;
        };
        let revise = strings.revise;
        let mut open = self.open;
        egui::Window::new(revise.window_title)
            .open(&mut open)
            .default_size([720.0, 420.0])
            .max_width((ctx.content_rect().width() - 32.0).max(320.0))
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .vscroll(true)
            .show(ctx, |ui| {
                ui.heading(revise.orphans_heading);
                if rows.orphans.is_empty() {
                    ui.weak(revise.no_orphans);
                }
                egui::Grid::new("orphans")
                    .striped(true)
                    .num_columns(6)
                    .show(ui, |ui| {
                        if !rows.orphans.is_empty() {
                            for column in [
                                revise.column_old_text,
                                revise.column_code,
                                revise.column_coder,
                                revise.column_document,
                                revise.column_reason,
                            ] {
                                ui.strong(column);
                            }
                            ui.end_row();
                        }
                        for orphan in &rows.orphans {
                            text_cell_ui(ui, &orphan.old_text, QUOTE_WIDTH);
                            text_cell_ui(ui, &orphan.code, CODE_WIDTH);
                            ui.label(&orphan.coder);
                            ui.label(&orphan.document);
                            ui.label(orphan.reason);
                            ui.horizontal(|ui| {
                                let span = selection
                                    .filter(|(document_id, _)| *document_id == orphan.document_id)
                                    .map(|(_, span)| span);
                                let hint = match span {
                                    Some(_) => revise.reattach_hint.to_owned(),
                                    None => {
                                        fill(revise.reattach_needs_selection, &[&orphan.document])
                                    }
                                };
                                let reattach = ui
                                    .add_enabled(span.is_some(), egui::Button::new(revise.reattach))
                                    .on_hover_text(&hint)
                                    .on_disabled_hover_text(&hint);
                                if reattach.clicked()
                                    && let Some((start, end)) = span
                                {
                                    outbox.command(Command::ReattachOrphan {
                                        orphan_id: orphan.id,
                                        start,
                                        end,
                                    });
                                }
                                if ui.button(revise.delete).clicked() {
                                    outbox.command(Command::DeleteOrphans {
                                        orphan_ids: vec![orphan.id],
                                    });
                                }
                            });
                            ui.end_row();
                        }
                    });
                ui.separator();
                ui.heading(revise.reviews_heading);
                if rows.reviews.is_empty() {
                    ui.weak(revise.no_reviews);
                }
                egui::Grid::new("reviews")
                    .striped(true)
                    .num_columns(7)
                    .show(ui, |ui| {
                        if !rows.reviews.is_empty() {
                            for column in [
                                revise.column_text,
                                revise.column_old_text,
                                revise.column_code,
                                revise.column_coder,
                                revise.column_document,
                                revise.column_reason,
                            ] {
                                ui.strong(column);
                            }
                            ui.end_row();
                        }
                        for review in &rows.reviews {
                            text_cell_ui(ui, &review.text, QUOTE_WIDTH);
                            text_cell_ui(ui, &review.old_text, QUOTE_WIDTH);
                            text_cell_ui(ui, &review.code, CODE_WIDTH);
                            ui.label(&review.coder);
                            ui.label(&review.document);
                            ui.label(review.reason);
                            ui.horizontal(|ui| {
                                if ui.button(revise.show).clicked() {
                                    outbox.action(Action::ShowSegment {
                                        document_id: review.document_id,
                                        start: review.start,
                                        end: review.end,
                                    });
                                }
                                if (ui.button(revise.reviewed))
                                    .on_hover_text(revise.reviewed_hint)
                                    .clicked()
                                {
                                    outbox.command(Command::SetCodingReviews(vec![(
                                        review.guid.clone(),
                                        None,
                                    )]));
                                }
                            });
                            ui.end_row();
                        }
                    });
            });
        self.open = open;
    }
}

/// Reads the orphans and the flagged codings, with their codes, coders and documents.
fn read_rows(project: &Project, snapshot: &Snapshot, strings: &Strings) -> anyhow::Result<Rows> {
    let reader = project.read();
    let document_name = |document_id: DocumentId| -> String {
        snapshot
            .documents
            .iter()
            .find(|document| document.id == document_id)
            .map_or_else(
                || strings.revise.unknown_document.to_owned(),
                |document| document.name.clone(),
            )
    };
    let orphans = (reader.orphans()?.into_iter())
        .map(|orphan| OrphanRow {
            id: orphan.id,
            document_id: orphan.coding.document_id,
            document: document_name(orphan.coding.document_id),
            code: snapshot.tree.path_string(orphan.coding.code_id),
            coder: orphan.coding.coder.clone(),
            old_text: orphan.old_text,
            reason: orphan.reason.label(),
        })
        .collect();
    let flags = reader.coding_reviews()?;
    let mut reviews = Vec::with_capacity(flags.len());
    if !flags.is_empty() {
        let codings = reader.codings()?;
        let mut texts: std::collections::BTreeMap<DocumentId, Vec<char>> = Default::default();
        for flag in flags {
            let Some(coding) = codings.iter().find(|c| c.guid == flag.coding_guid) else {
                continue;
            };
            if let std::collections::btree_map::Entry::Vacant(entry) =
                texts.entry(coding.document_id)
            {
                let text = reader.document_text(coding.document_id)?;
                entry.insert(text.unwrap_or_default().chars().collect());
            }
            let text = texts
                .get(&coding.document_id)
                .and_then(|chars| chars.get(coding.span.start..coding.span.end))
                .map(|chars| chars.iter().collect())
                .unwrap_or_default();
            reviews.push(ReviewRow {
                guid: coding.guid.clone(),
                document_id: coding.document_id,
                start: coding.span.start,
                end: coding.span.end,
                document: document_name(coding.document_id),
                code: snapshot.tree.path_string(coding.code_id),
                coder: coding.coder.clone(),
                text,
                old_text: flag.old_text,
                reason: flag.reason.label(),
            });
        }
    }
    Ok(Rows {
        generation: snapshot.generation,
        orphans,
        reviews,
    })
}
