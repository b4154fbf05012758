//! The left panel: each case (事例) with its attributes (所属組織, 勤務年数 …) and its documents.
//! Clicking a document opens it in the transcript view.

use eframe::egui::{self, RichText};

use crate::model::DocumentId;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::Strings;
use crate::ui::snapshot::Snapshot;

/// The list of cases and documents. `open` is the document shown in the centre.
pub fn cases_ui(
    ui: &mut egui::Ui,
    snapshot: &Snapshot,
    strings: &Strings,
    open: Option<DocumentId>,
    outbox: &mut Outbox,
) {
    ui.heading(strings.cases);
    egui::ScrollArea::vertical()
        .id_salt("cases")
        .auto_shrink(false)
        .show(ui, |ui| {
            if snapshot.documents.is_empty() {
                ui.weak(strings.no_documents);
            }
            for case in &snapshot.cases {
                let documents: Vec<_> = snapshot
                    .documents
                    .iter()
                    .filter(|document| document.case_id == case.id)
                    .collect();
                let id = ui.make_persistent_id(("case", case.id.0));
                egui::collapsing_header::CollapsingState::load_with_default_open(
                    ui.ctx(),
                    id,
                    true,
                )
                .show_header(ui, |ui| {
                    ui.label(RichText::new(&case.name).strong());
                })
                .body(|ui| {
                    for attribute in &snapshot.attributes {
                        let Some(value) = snapshot.values.get(&(case.id, attribute.id)) else {
                            continue;
                        };
                        ui.horizontal_wrapped(|ui| {
                            ui.weak(format!("{}:", attribute.name));
                            ui.label(value);
                        });
                    }
                    for document in documents {
                        let label = format!(
                            "{} ({} {})",
                            document.name, document.chars, strings.characters
                        );
                        if ui
                            .selectable_label(open == Some(document.id), label)
                            .on_hover_text(&document.source_path)
                            .clicked()
                        {
                            outbox.action(Action::OpenDocument(document.id));
                        }
                    }
                });
            }
        });
}
