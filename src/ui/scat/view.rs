//! The SCAT tab's state and drawing.

use eframe::egui;

use crate::command::{Command, ScatCommand};
use crate::methods::scat::ScatWorksheet;
use crate::model::{DocumentId, SCAT_HEADINGS, ScatField};
use crate::project::Project;
use crate::ui::action::{Action, Outbox};

/// The label of the button that writes the selected row's steps.
pub const SAVE_ROW: &str = "この行を保存";
/// The label of the button that writes the three free-text blocks.
pub const SAVE_BLOCKS: &str = "ストーリー・ライン等を保存";
/// The label of the theme → code button.
pub const THEME_TO_CODE: &str = "〈4〉のテーマをコードにする";
/// The label of the button that adds the selected words of the テクスト to 〈1〉.
pub const ADD_TO_STEP_ONE: &str = "選んだ語句を〈1〉に追加";
/// The label of the button that creates a worksheet.
pub const CREATE: &str = "SCAT ワークシートを作成";

/// The SCAT tab.
#[derive(Default)]
pub struct ScatView {
    /// The document whose worksheet is shown (default: the first document).
    pub document_id: Option<DocumentId>,
    /// The selected row, 1-based.
    pub selected_row: usize,
    loaded: Option<Loaded>,
    /// The steps being edited: (document, row) and their texts.
    drafts: Option<((DocumentId, usize), [String; 5])>,
    /// The free-text blocks being edited.
    blocks: Option<(DocumentId, [String; 3])>,
    /// The words selected in the row's テクスト, for 〈1〉.
    picked: Option<String>,
}

struct Loaded {
    generation: u64,
    document_id: DocumentId,
    worksheet: Option<ScatWorksheet>,
}

impl ScatView {
    /// Draws the tab; `generation` changes after every command.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        generation: u64,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        let documents = project.read().document_infos()?;
        let Some(first) = documents.first() else {
            ui.weak("文書がありません。");
            return Ok(());
        };
        let document_id = *self.document_id.get_or_insert(first.id);
        ui.horizontal(|ui| {
            let current = documents
                .iter()
                .find(|d| d.id == document_id)
                .map_or("", |d| d.name.as_str());
            egui::ComboBox::from_label("文書")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for document in &documents {
                        ui.selectable_value(
                            &mut self.document_id,
                            Some(document.id),
                            &document.name,
                        );
                    }
                });
        });
        let stale = self
            .loaded
            .as_ref()
            .is_none_or(|l| l.generation != generation || l.document_id != document_id);
        if stale {
            let name = documents
                .iter()
                .find(|d| d.id == document_id)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            let worksheet = ScatWorksheet::load(project.read(), &name).ok();
            self.loaded = Some(Loaded {
                generation,
                document_id,
                worksheet,
            });
            self.drafts = None;
            self.blocks = None;
        }
        let Some(Loaded {
            worksheet: Some(worksheet),
            ..
        }) = &self.loaded
        else {
            if ui.button(CREATE).clicked() {
                outbox.command(Command::Scat(ScatCommand::Init { document_id }));
            }
            return Ok(());
        };
        if self.selected_row == 0 || self.selected_row > worksheet.rows.len() {
            self.selected_row = 1;
        }
        let row_index = self.selected_row - 1;
        let key = (document_id, self.selected_row);
        if self.drafts.as_ref().is_none_or(|(k, _)| *k != key) {
            let steps = worksheet
                .rows
                .get(row_index)
                .map(|row| row.steps.clone())
                .unwrap_or_default();
            self.drafts = Some((key, steps));
            self.picked = None;
        }
        if self
            .blocks
            .as_ref()
            .is_none_or(|(id, _)| *id != document_id)
        {
            self.blocks = Some((
                document_id,
                [
                    worksheet.storyline.clone(),
                    worksheet.theory.clone(),
                    worksheet.issues.clone(),
                ],
            ));
        }
        // The table above, the selected row's editor below, each scrolling on its own.
        let table_height = (ui.available_height() * 0.45).max(160.0);
        egui::ScrollArea::both()
            .id_salt("scat-table")
            .max_height(table_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                table_ui(ui, worksheet, &mut self.selected_row);
            });
        ui.separator();
        let Some((_, drafts)) = &mut self.drafts else {
            return Ok(());
        };
        let Some(row) = worksheet.rows.get(row_index) else {
            return Ok(());
        };
        egui::ScrollArea::vertical()
            .id_salt("scat-editor")
            .show(ui, |ui| {
                ui.strong(format!(
                    "{} 行　{}　{}",
                    row.number,
                    row.speaker,
                    row.citation.as_deref().unwrap_or("")
                ));
                // Read-only but selectable: the words picked here go to 〈1〉.
                let mut text = row.text.as_str();
                let output = egui::TextEdit::multiline(&mut text)
                    .desired_width(f32::INFINITY)
                    .desired_rows(2)
                    .show(ui);
                if let Some(range) = output.cursor_range {
                    let [start, end] = range.sorted_cursors();
                    let (start, end): (usize, usize) = (start.index.into(), end.index.into());
                    let picked: String = row
                        .text
                        .chars()
                        .skip(start)
                        .take(end.saturating_sub(start))
                        .collect();
                    if !picked.trim().is_empty() {
                        self.picked = Some(picked);
                    }
                }
                ui.horizontal(|ui| {
                    let picked = self.picked.clone().unwrap_or_default();
                    if ui
                        .add_enabled(!picked.is_empty(), egui::Button::new(ADD_TO_STEP_ONE))
                        .clicked()
                    {
                        let first = &mut drafts[0];
                        if !first.is_empty() {
                            first.push('／');
                        }
                        first.push_str(picked.trim());
                    }
                    if ui.button("トランスクリプトで見る").clicked() {
                        outbox.action(Action::ShowSegment {
                            document_id,
                            start: row.start,
                            end: row.end,
                        });
                    }
                });
                // Each step's heading above its field: a grid would widen the fields past
                // the centre, under the code panel, where they cannot be clicked.
                for (step, draft) in drafts.iter_mut().enumerate() {
                    let heading = ui.label(SCAT_HEADINGS[3 + step]);
                    ui.add(
                        egui::TextEdit::multiline(draft)
                            .desired_rows(1)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(heading.id);
                }
                ui.horizontal(|ui| {
                    let changed: Vec<usize> = (0..5)
                        .filter(|step| drafts[*step] != row.steps[*step])
                        .collect();
                    if ui
                        .add_enabled(!changed.is_empty(), egui::Button::new(SAVE_ROW))
                        .clicked()
                    {
                        for step in changed {
                            outbox.command(Command::Scat(ScatCommand::SetStep {
                                document_id,
                                row: row.number,
                                step: step + 1,
                                text: drafts[step].clone(),
                            }));
                        }
                    }
                    let theme_ready = !row.steps[3].trim().is_empty();
                    if ui
                        .add_enabled(theme_ready, egui::Button::new(THEME_TO_CODE))
                        .on_hover_text("コードを作り、この行のテクストにコーディングします")
                        .clicked()
                    {
                        outbox.command(Command::Scat(ScatCommand::ThemeToCode {
                            document_id,
                            row: row.number,
                            name: None,
                            parent_id: None,
                            coder: project.coder().to_owned(),
                        }));
                    }
                    if ui.button("行を分割（カーソル位置）").clicked()
                        && let Some(range) = output.cursor_range
                    {
                        outbox.command(Command::Scat(ScatCommand::SplitRow {
                            document_id,
                            row: row.number,
                            at: range.primary.index.into(),
                        }));
                    }
                    if ui.button("次の行と結合").clicked() {
                        outbox.command(Command::Scat(ScatCommand::JoinRows {
                            document_id,
                            row: row.number,
                        }));
                    }
                });
                ui.separator();
                if let Some((_, blocks)) = &mut self.blocks {
                    blocks_ui(ui, worksheet, blocks, document_id, outbox);
                }
            });
        Ok(())
    }
}

/// The worksheet as a read-only table; a click on a row selects it.
fn table_ui(ui: &mut egui::Ui, worksheet: &ScatWorksheet, selected_row: &mut usize) {
    let widths = [32.0, 48.0, 320.0, 130.0, 130.0, 130.0, 150.0, 130.0];
    egui::Grid::new("scat-grid")
        .num_columns(8)
        .striped(true)
        .show(ui, |ui| {
            for (heading, width) in SCAT_HEADINGS.iter().zip(widths) {
                cell_ui(ui, width, egui::RichText::new(*heading).strong());
            }
            ui.end_row();
            for row in &worksheet.rows {
                let selected = row.number == *selected_row;
                if ui
                    .selectable_label(selected, row.number.to_string())
                    .clicked()
                {
                    *selected_row = row.number;
                }
                ui.label(&row.speaker);
                if cell_ui(ui, widths[2], row.text.as_str()).clicked() {
                    *selected_row = row.number;
                }
                for (step, width) in row.steps.iter().zip(&widths[3..]) {
                    cell_ui(ui, *width, step.as_str());
                }
                ui.end_row();
            }
        });
}

/// A table cell of a fixed width whose wrapped text makes the row as tall as it needs (sized
/// widgets would centre the text and let it run into the next row); a click selects the row.
fn cell_ui(ui: &mut egui::Ui, width: f32, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.vertical(|ui| {
        ui.set_width(width);
        ui.add(egui::Label::new(text).wrap().sense(egui::Sense::click()))
    })
    .inner
}

/// ストーリー・ライン, 理論記述 and さらに追究すべき点・課題, edited in place.
fn blocks_ui(
    ui: &mut egui::Ui,
    worksheet: &ScatWorksheet,
    blocks: &mut [String; 3],
    document_id: DocumentId,
    outbox: &mut Outbox,
) {
    for (field, draft) in ScatField::ALL.iter().zip(blocks.iter_mut()) {
        let heading = ui.strong(field.heading());
        ui.add(
            egui::TextEdit::multiline(draft)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(heading.id);
    }
    if !worksheet.themes_missing_from_storyline.is_empty() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "ストーリー・ラインにまだない〈4〉: {}",
                worksheet.themes_missing_from_storyline.join("、")
            ),
        );
    }
    let stored = [
        worksheet.storyline.as_str(),
        worksheet.theory.as_str(),
        worksheet.issues.as_str(),
    ];
    let changed: Vec<usize> = (0..3).filter(|i| blocks[*i] != stored[*i]).collect();
    if ui
        .add_enabled(!changed.is_empty(), egui::Button::new(SAVE_BLOCKS))
        .clicked()
    {
        for index in changed {
            outbox.command(Command::Scat(ScatCommand::SetField {
                document_id,
                field: ScatField::ALL[index],
                text: blocks[index].clone(),
            }));
        }
    }
}
