//! The M-GTA tab's state and drawing.

use eframe::egui;

use super::diagram::DiagramCanvas;
use crate::command::{Command, MgtaCommand};
use crate::methods::mgta::{ConceptSheet, MgtaAnalysis};
use crate::model::{CodeId, TheoreticalMemo};
use crate::project::Project;
use crate::ui::action::{Action, Outbox};

/// The label of the field for a new 理論的メモ entry on the worksheet.
pub const NEW_MEMO: &str = "新しい理論的メモ";
/// The label of the button that adds it.
pub const ADD_MEMO: &str = "メモを追加";
/// The label of the field for a new 理論的メモノート entry.
pub const NEW_NOTE: &str = "理論的メモノートへの記入";
/// The label of the button that adds it.
pub const ADD_NOTE: &str = "ノートに追加";

/// Which part of the tab is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MgtaPage {
    /// Concepts and the selected concept's worksheet.
    #[default]
    Worksheets,
    /// The 結果図.
    Diagram,
}

/// The M-GTA tab.
#[derive(Default)]
pub struct MgtaView {
    /// The part shown.
    pub page: MgtaPage,
    /// The concept whose worksheet is shown (default: the first).
    pub concept: Option<CodeId>,
    /// The 結果図 canvas.
    pub canvas: DiagramCanvas,
    loaded: Option<(u64, MgtaAnalysis)>,
    definition: Option<(CodeId, String)>,
    settings: Option<[String; 2]>,
    new_memo: String,
    new_note: String,
}

impl MgtaView {
    /// Draws the tab; `generation` changes after every command.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        generation: u64,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        if self.loaded.as_ref().is_none_or(|(g, _)| *g != generation) {
            self.loaded = Some((generation, MgtaAnalysis::load(project.read())?));
            self.definition = None;
            self.settings = None;
        }
        let Some((_, analysis)) = &self.loaded else {
            return Ok(());
        };
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.page, MgtaPage::Worksheets, "分析ワークシート");
            ui.selectable_value(&mut self.page, MgtaPage::Diagram, "結果図");
        });
        let settings = self.settings.get_or_insert_with(|| {
            [
                analysis.settings.theme.clone(),
                analysis.settings.focus_person.clone(),
            ]
        });
        egui::Grid::new("mgta-settings")
            .num_columns(2)
            .show(ui, |ui| {
                for (label, draft) in ["分析テーマ", "分析焦点者"].iter().zip(settings.iter_mut())
                {
                    let heading = ui.label(*label);
                    ui.add(egui::TextEdit::singleline(draft).desired_width(480.0))
                        .labelled_by(heading.id);
                    ui.end_row();
                }
            });
        let stored = [&analysis.settings.theme, &analysis.settings.focus_person];
        if (settings[0] != *stored[0] || settings[1] != *stored[1])
            && ui.button("分析テーマ・分析焦点者を保存").clicked()
        {
            outbox.command(Command::Mgta(MgtaCommand::SetSettings {
                theme: Some(settings[0].clone()),
                focus_person: Some(settings[1].clone()),
            }));
        }
        ui.separator();
        if self.page == MgtaPage::Diagram {
            self.canvas.ui(ui, project, analysis, outbox)?;
            return Ok(());
        }
        let concept_id = *self
            .concept
            .get_or_insert_with(|| analysis.concepts.first().map_or(CodeId(0), |c| c.code_id));
        egui::Panel::left("mgta-concepts")
            .resizable(true)
            .default_size(280.0)
            .show(ui, |ui| {
                ui.strong("概念（ヴァリエーション数）");
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for concept in &analysis.concepts {
                        let label =
                            format!("{}（{}）", concept.name, concept.shown_variations().count());
                        if ui
                            .selectable_label(concept.code_id == concept_id, label)
                            .on_hover_text(&concept.category)
                            .clicked()
                        {
                            self.concept = Some(concept.code_id);
                        }
                    }
                });
            });
        egui::ScrollArea::vertical()
            .id_salt("mgta-worksheet")
            .show(ui, |ui| {
                if let Some(sheet) = analysis.concept(concept_id) {
                    if self
                        .definition
                        .as_ref()
                        .is_none_or(|(id, _)| *id != concept_id)
                    {
                        self.definition = Some((concept_id, sheet.definition.clone()));
                    }
                    if let Some((_, definition)) = &mut self.definition {
                        worksheet_ui(ui, sheet, definition, &mut self.new_memo, project, outbox);
                    }
                }
                ui.separator();
                notebook_ui(ui, &analysis.notebook, &mut self.new_note, project, outbox);
            });
        Ok(())
    }
}

fn memo_line(ui: &mut egui::Ui, memo: &TheoreticalMemo, outbox: &mut Outbox) {
    ui.horizontal_wrapped(|ui| {
        ui.weak(format!("{}（{}）", memo.date, memo.coder));
        ui.label(&memo.text);
        if ui.small_button("削除").clicked() {
            outbox.command(Command::Mgta(MgtaCommand::RemoveMemo { memo_id: memo.id }));
        }
    });
}

fn worksheet_ui(
    ui: &mut egui::Ui,
    sheet: &ConceptSheet,
    definition: &mut String,
    new_memo: &mut String,
    project: &Project,
    outbox: &mut Outbox,
) {
    // Grid cells grow with their content: bounded fields stay inside the centre.
    let field_width = (ui.available_width() - 220.0).max(200.0);
    egui::Grid::new("mgta-sheet")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            ui.strong("概念名");
            ui.label(&sheet.name);
            ui.end_row();
            let heading = ui.strong("定義");
            ui.vertical(|ui| {
                ui.add(
                    egui::TextEdit::multiline(definition)
                        .desired_rows(2)
                        .desired_width(field_width),
                )
                .labelled_by(heading.id);
                if *definition != sheet.definition && ui.button("定義を保存").clicked() {
                    outbox.command(Command::EditCode {
                        code_id: sheet.code_id,
                        definition: Some(definition.clone()),
                        color: None,
                        memo: None,
                        roles: None,
                    });
                }
            });
            ui.end_row();
            ui.strong("ヴァリエーション（具体例）");
            ui.vertical(|ui| {
                for (position, variation) in sheet.variations.iter().enumerate() {
                    ui.horizontal_wrapped(|ui| {
                        let citation = variation.citation.as_deref().unwrap_or(&variation.document);
                        if ui
                            .link(citation)
                            .on_hover_text("トランスクリプトで見る")
                            .clicked()
                        {
                            outbox.action(Action::ShowSegment {
                                document_id: variation.document_id,
                                start: variation.start,
                                end: variation.end,
                            });
                        }
                        let text = format!("「{}」", variation.text);
                        if variation.hidden {
                            ui.weak(text);
                        } else {
                            ui.label(text);
                        }
                        if position > 0 && ui.small_button("↑").clicked() {
                            outbox.command(Command::Mgta(MgtaCommand::MoveVariation {
                                code_id: sheet.code_id,
                                coding_id: variation.coding_id,
                                to: position,
                            }));
                        }
                        let toggle = if variation.hidden { "表示" } else { "隠す" };
                        if ui.small_button(toggle).clicked() {
                            outbox.command(Command::Mgta(MgtaCommand::HideVariation {
                                code_id: sheet.code_id,
                                coding_id: variation.coding_id,
                                hidden: !variation.hidden,
                            }));
                        }
                    });
                }
            });
            ui.end_row();
            ui.strong("理論的メモ");
            ui.vertical(|ui| {
                for memo in &sheet.memos {
                    memo_line(ui, memo, outbox);
                }
                let heading = ui.weak(NEW_MEMO);
                ui.add(
                    egui::TextEdit::multiline(new_memo)
                        .desired_rows(2)
                        .desired_width(field_width),
                )
                .labelled_by(heading.id);
                if ui
                    .add_enabled(!new_memo.trim().is_empty(), egui::Button::new(ADD_MEMO))
                    .clicked()
                {
                    outbox.command(Command::Mgta(MgtaCommand::AddMemo {
                        code_id: Some(sheet.code_id),
                        date: None,
                        coder: project.coder().to_owned(),
                        text: std::mem::take(new_memo),
                    }));
                }
            });
            ui.end_row();
        });
}

fn notebook_ui(
    ui: &mut egui::Ui,
    notebook: &[TheoreticalMemo],
    new_note: &mut String,
    project: &Project,
    outbox: &mut Outbox,
) {
    ui.strong("理論的メモノート");
    for memo in notebook {
        memo_line(ui, memo, outbox);
    }
    let heading = ui.weak(NEW_NOTE);
    ui.add(
        egui::TextEdit::multiline(new_note)
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(heading.id);
    if ui
        .add_enabled(!new_note.trim().is_empty(), egui::Button::new(ADD_NOTE))
        .clicked()
    {
        outbox.command(Command::Mgta(MgtaCommand::AddMemo {
            code_id: None,
            date: None,
            coder: project.coder().to_owned(),
            text: std::mem::take(new_note),
        }));
    }
}
