//! The selected matrix cell, shown under the grid: its segments (a click opens the transcript
//! there), and for a code column its 要約 and its "explicitly negative" mark, saved as commands.

use eframe::egui;

use crate::analysis::{AnalysisData, Matrix, Segment};
use crate::command::Command;
use crate::model::{CaseId, CellMark, CodeId};
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};

/// The selected cell under the grid. Returns true when it should close.
#[allow(clippy::too_many_arguments)]
pub(crate) fn cell_panel_ui(
    ui: &mut egui::Ui,
    data: &AnalysisData,
    matrix: &Matrix,
    case_id: CaseId,
    column: usize,
    draft: &mut Option<((CaseId, CodeId), String)>,
    coder: &str,
    strings: &Strings,
    outbox: &mut Outbox,
) -> bool {
    let centre = &strings.centre;
    let Some(column_info) = matrix.axis.columns.get(column) else {
        return true;
    };
    let mut close = false;
    ui.horizontal(|ui| {
        ui.heading(fill(
            centre.cell_title,
            &[&data.case_name(case_id), &column_info.name],
        ));
        if ui.small_button(centre.close_cell).clicked() {
            close = true;
        }
    });
    ui.weak(column_info.path_string());
    ui.separator();
    // Identical spans (two coders, or one coder with two codes of the column) are one passage:
    // listed once with their coders, as the matrix counts them and the exports quote them.
    // `segments_of` sorts by document and span, so identical spans are neighbours.
    let mut segments: Vec<(&str, &Segment, Vec<&str>)> = Vec::new();
    for (document, segment) in matrix.segments_of(data, case_id, column) {
        match segments.last_mut() {
            Some((_, last, coders))
                if (last.document_id, last.start, last.end)
                    == (segment.document_id, segment.start, segment.end) =>
            {
                if !coders.contains(&segment.coder.as_str()) {
                    coders.push(segment.coder.as_str());
                }
            }
            _ => segments.push((document, segment, vec![segment.coder.as_str()])),
        }
    }
    // Segments on the left, the 要約 and the mark on the right: the panel sits under the
    // grid, so the grid keeps its width.
    ui.columns(2, |columns| {
        let [left, right] = columns else {
            return;
        };
        left.label(fill(centre.cell_segments, &[&segments.len()]));
        egui::ScrollArea::vertical()
            .id_salt("matrix-cell-segments")
            .auto_shrink(false)
            .show(left, |ui| {
                if segments.is_empty() {
                    ui.weak(centre.cell_no_segments);
                }
                for (document, segment, coders) in &segments {
                    let citation = segment
                        .citation
                        .clone()
                        .unwrap_or_else(|| (*document).to_owned());
                    let star = if segment.exemplar { "★ " } else { "" };
                    let text = format!(
                        "{star}{citation}「{}」（{}）",
                        segment.text,
                        coders.join("・")
                    );
                    let response = ui
                        .add(egui::Button::selectable(false, text).wrap())
                        .on_hover_text(centre.open_segment);
                    if response.clicked() {
                        outbox.action(Action::ShowSegment {
                            document_id: segment.document_id,
                            start: segment.start,
                            end: segment.end,
                        });
                    }
                }
            });
        match column_info.code_id() {
            Some(code_id) => {
                summary_ui(
                    right,
                    data,
                    (case_id, code_id),
                    draft,
                    coder,
                    strings,
                    outbox,
                );
            }
            None => {
                right.weak(centre.role_cell_note);
            }
        }
    });
    close
}

/// The 要約 of a cell and its "explicitly negative" mark.
fn summary_ui(
    ui: &mut egui::Ui,
    data: &AnalysisData,
    (case_id, code_id): (CaseId, CodeId),
    draft: &mut Option<((CaseId, CodeId), String)>,
    coder: &str,
    strings: &Strings,
    outbox: &mut Outbox,
) {
    let centre = &strings.centre;
    let key = (case_id, code_id);
    let stored = data.summary(case_id, code_id);
    if draft.as_ref().is_none_or(|(k, _)| *k != key) {
        *draft = Some((key, stored.map(|s| s.text.clone()).unwrap_or_default()));
    }
    let heading = ui.strong(centre.summary);
    if let Some(summary) = stored {
        ui.weak(fill(
            centre.summary_by,
            &[&summary.author, &summary.updated_at],
        ));
    }
    if let Some((_, text)) = draft.as_mut() {
        ui.add(
            egui::TextEdit::multiline(text)
                .hint_text(centre.summary_hint)
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(heading.id);
        let changed = stored.map_or(!text.is_empty(), |summary| summary.text != *text);
        if ui
            .add_enabled(changed, egui::Button::new(centre.save_summary))
            .clicked()
        {
            outbox.command(Command::SetSummary {
                case_id,
                code_id,
                text: text.clone(),
                coding_ids: None,
                author: coder.to_owned(),
            });
        }
    }
    ui.separator();
    let mut negative = data.mark(case_id, code_id).is_some();
    if ui
        .checkbox(&mut negative, centre.negative)
        .on_hover_text(centre.negative_hint)
        .changed()
    {
        outbox.command(Command::SetCellState {
            case_id,
            code_id,
            mark: negative.then_some(CellMark::Negative),
        });
    }
}
