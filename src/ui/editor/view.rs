//! The editor: the stored text as it was when editing began, the edited text, and the field.

use eframe::egui::text::{CCursor, CCursorRange};
use eframe::egui::{self, Key};

use super::marks::{LiveMark, LiveMarks, MarkStyle};
use crate::command::Command;
use crate::model::{Coding, DocumentId};
use crate::project::Project;
use crate::revise::diff_texts;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;

/// What the editor asks of the session after a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditorOutcome {
    /// Keep editing.
    Editing,
    /// Saved or discarded: show the transcript again.
    Closed,
}

/// One document's text being edited.
#[derive(Debug)]
pub struct TranscriptEditor {
    document_id: DocumentId,
    /// The stored text when editing began: the edits are a diff against it.
    original: String,
    /// The text in the field.
    text: String,
    /// The selection to put in the field on its first frame (code points).
    select: Option<(usize, usize)>,
    /// The search-and-replace fields.
    find: String,
    with: String,
    /// The codings re-anchored on the text as it is typed.
    marks: LiveMarks,
}

impl TranscriptEditor {
    /// Starts editing `document_id` as stored, with `selection` selected in the field and
    /// `codings` (those the transcript draws) drawn on the text.
    pub fn open(
        project: &Project,
        document_id: DocumentId,
        selection: Option<(usize, usize)>,
        codings: &[Coding],
    ) -> anyhow::Result<TranscriptEditor> {
        let text = (project.read().document_text(document_id)?)
            .ok_or_else(|| anyhow::anyhow!("document {document_id} is not in the project"))?;
        Ok(TranscriptEditor {
            document_id,
            marks: LiveMarks::new(text.clone(), codings.to_vec()),
            original: text.clone(),
            text,
            select: Some(selection.unwrap_or((0, 0))),
            find: String::new(),
            with: String::new(),
        })
    }

    /// The document being edited.
    pub fn document_id(&self) -> DocumentId {
        self.document_id
    }

    /// The text in the field.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where every coding was drawn on the field's text in the last frame (and what saving
    /// would do to it), by coding id.
    pub fn live_marks(&self) -> Vec<LiveMark> {
        self.marks.marks()
    }

    /// The 保存 / キャンセル row, the search-and-replace row, what saving would orphan, and the
    /// field with `codings` drawn on it.
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        codings: &[Coding],
        strings: &Strings,
        text_size: f32,
        outbox: &mut Outbox,
    ) -> EditorOutcome {
        let revise = strings.revise;
        let mut outcome = EditorOutcome::Editing;
        let hint = ui.horizontal(|ui| {
            if ui.button(revise.save).clicked() {
                outcome = self.save(project, strings, outbox);
            }
            if ui.button(revise.cancel).clicked() {
                outcome = EditorOutcome::Closed;
            }
            ui.weak(revise.editor_hint)
        });
        ui.horizontal(|ui| {
            let label = ui.label(revise.find);
            ui.add(egui::TextEdit::singleline(&mut self.find).desired_width(140.0))
                .labelled_by(label.id);
            let label = ui.label(revise.replace_with);
            ui.add(egui::TextEdit::singleline(&mut self.with).desired_width(140.0))
                .labelled_by(label.id);
            let can = !self.find.is_empty();
            if (ui.add_enabled(can, egui::Button::new(revise.replace_here))).clicked() {
                self.text = self.text.replace(&self.find, &self.with);
            }
            let unsaved = self.text != self.original;
            let hint = if unsaved {
                revise.replace_needs_save
            } else {
                revise.replace_everywhere_hint
            };
            let everywhere = ui
                .add_enabled(
                    can && !unsaved,
                    egui::Button::new(revise.replace_everywhere),
                )
                .on_hover_text(hint)
                .on_disabled_hover_text(hint);
            if everywhere.clicked() {
                outbox.command(Command::ReplaceText {
                    find: self.find.clone(),
                    with: self.with.clone(),
                    document_ids: None,
                });
                outcome = EditorOutcome::Closed;
            }
        });
        if outcome == EditorOutcome::Closed {
            return outcome;
        }
        if ui.input(|input| input.key_pressed(Key::Escape)) {
            return EditorOutcome::Closed;
        }
        let id = ui.make_persistent_id(("transcript-editor", self.document_id));
        if let Some((start, end)) = self.select.take() {
            let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
            state.cursor.set_char_range(Some(CCursorRange::two(
                CCursor::new(start),
                CCursor::new(end),
            )));
            state.store(ui.ctx(), id);
            ui.memory_mut(|memory| memory.request_focus(id));
        }
        self.marks.set_codings(codings);
        self.marks.update(&self.text);
        self.on_save_ui(ui, snapshot, strings);
        let font_id = egui::FontId::proportional(text_size);
        let line_height =
            ui.fonts_mut(|fonts| fonts.row_height(&font_id)) + ui.spacing().extra_text_line_spacing;
        let code_color = |code_id| snapshot.color(code_id);
        let style = MarkStyle {
            font_id: font_id.clone(),
            text_color: ui.visuals().text_color(),
            line_height,
            code_color: &code_color,
            // The transcript view's tint strengths.
            alpha: if ui.visuals().dark_mode { 85 } else { 55 },
            review_color: ui.visuals().warn_fg_color,
        };
        let TranscriptEditor { text, marks, .. } = self;
        let mut layouter = |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, wrap_width: f32| {
            marks.update(buffer.as_str());
            let job = marks.layout_job(buffer.as_str(), wrap_width, &style);
            ui.fonts_mut(|fonts| fonts.layout_job(job))
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add(
                    egui::TextEdit::multiline(text)
                        .id(id)
                        .font(font_id)
                        .desired_width(f32::INFINITY)
                        .desired_rows(20)
                        .lock_focus(true)
                        .layouter(&mut layouter),
                )
                .labelled_by(hint.inner.id);
            });
        outcome
    }

    /// What saving now would do beyond moving codings: the codings it would orphan (code and
    /// old text) and how many it would flag 要確認.
    fn on_save_ui(&self, ui: &mut egui::Ui, snapshot: &Snapshot, strings: &Strings) {
        let revise = strings.revise;
        let orphans = self.marks.orphans_on_save();
        let reviews = self.marks.reviews_on_save();
        if orphans.is_empty() && reviews == 0 {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            let warn = ui.visuals().warn_fg_color;
            for (coding, old_text) in &orphans {
                let code = snapshot.tree.path_string(coding.code_id);
                ui.colored_label(
                    warn,
                    fill(revise.editor_orphan_on_save, &[&code, &short(old_text, 24)]),
                );
            }
            if reviews > 0 {
                ui.colored_label(warn, fill(revise.editor_reviews_on_save, &[&reviews]));
            }
        });
    }

    /// Sends the revision (nothing when the text did not change). Refuses when the stored text
    /// changed since editing began (an undo from the menu), since the edits would not fit it.
    fn save(&self, project: &Project, strings: &Strings, outbox: &mut Outbox) -> EditorOutcome {
        let stored = match project.read().document_text(self.document_id) {
            Ok(Some(stored)) => stored,
            Ok(None) | Err(_) => {
                outbox.action(Action::Problem(strings.revise.document_changed.to_owned()));
                return EditorOutcome::Editing;
            }
        };
        if stored != self.original {
            outbox.action(Action::Problem(strings.revise.document_changed.to_owned()));
            return EditorOutcome::Editing;
        }
        let edits = diff_texts(&self.original, &self.text);
        if !edits.is_empty() {
            outbox.command(Command::ReviseDocument {
                document_id: self.document_id,
                edits,
                utterances: None,
            });
        }
        EditorOutcome::Closed
    }
}

/// At most `limit` characters of `text`, with … when cut.
fn short(text: &str, limit: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(limit).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
