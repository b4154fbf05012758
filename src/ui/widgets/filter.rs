//! The filter widget the matrix, crosstab and export windows share: which cases and segments a
//! table reads, by attribute value (the CLI's `--where`) and by a set of documents (the CLI's
//! `--documents`). It edits an [`analysis::Filter`](crate::analysis::Filter) and nothing else,
//! so a table built from the GUI and one printed by the CLI with the same choices are the same
//! table. The coder scope (`Filter::coders`) is kept as given: the team-coding view sets it.

use std::collections::BTreeSet;

use eframe::egui;

use crate::analysis::{AnalysisData, Filter};
use crate::model::{Attribute, AttributeId, DocumentId};
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;

/// What can be chosen: each attribute with its values (in their typed order), and the
/// documents by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterChoices {
    pub attributes: Vec<(Attribute, Vec<String>)>,
    pub documents: Vec<(DocumentId, String)>,
}

impl FilterChoices {
    /// The choices of an analysis snapshot (the matrix and crosstab tabs).
    pub fn of_data(data: &AnalysisData) -> FilterChoices {
        let attributes = data
            .attributes()
            .iter()
            .map(|attribute| (attribute.clone(), data.values_of(attribute)))
            .collect();
        let mut documents: Vec<(DocumentId, String)> = data
            .documents()
            .map(|document| (document.id, document.name.clone()))
            .collect();
        documents.sort_by(|a, b| a.1.cmp(&b.1));
        FilterChoices {
            attributes,
            documents,
        }
    }

    /// The choices of the panels' snapshot (the export window, which has no analysis data).
    pub fn of_snapshot(snapshot: &Snapshot) -> FilterChoices {
        let attributes = snapshot
            .attributes
            .iter()
            .map(|attribute| {
                let values: BTreeSet<String> = snapshot
                    .values
                    .iter()
                    .filter(|((_, attribute_id), value)| {
                        *attribute_id == attribute.id && !value.trim().is_empty()
                    })
                    .map(|(_, value)| value.clone())
                    .collect();
                (attribute.clone(), values.into_iter().collect())
            })
            .collect();
        let mut documents: Vec<(DocumentId, String)> = snapshot
            .documents
            .iter()
            .map(|document| (document.id, document.name.clone()))
            .collect();
        documents.sort_by(|a, b| a.1.cmp(&b.1));
        FilterChoices {
            attributes,
            documents,
        }
    }
}

/// The filter being edited, and the choices it was offered (read once per project state).
#[derive(Clone, Debug, Default)]
pub struct FilterWidget {
    filter: Filter,
    choices: Option<(u64, FilterChoices)>,
}

impl FilterWidget {
    /// The filter as chosen.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// Replaces the filter (a test, or another view handing its choice over).
    pub fn set_filter(&mut self, filter: Filter) {
        self.filter = filter;
    }

    /// Admits the cases whose `attribute` has `value` too (a `--where ATTRIBUTE=VALUE`).
    pub fn add_condition(&mut self, attribute_id: AttributeId, value: &str) {
        self.filter
            .attributes
            .entry(attribute_id)
            .or_default()
            .insert(value.to_owned());
    }

    /// Drops conditions on attributes or documents that no longer exist.
    fn forget_missing(&mut self, choices: &FilterChoices) {
        let attributes: BTreeSet<AttributeId> = choices
            .attributes
            .iter()
            .map(|(attribute, _)| attribute.id)
            .collect();
        let documents: BTreeSet<DocumentId> = choices.documents.iter().map(|(id, _)| *id).collect();
        self.filter
            .attributes
            .retain(|attribute_id, values| attributes.contains(attribute_id) && !values.is_empty());
        self.filter
            .documents
            .retain(|document_id| documents.contains(document_id));
    }

    /// The filter in words: 「所属組織 = 市役所・保健センター ／ 文書 2 件」.
    pub fn summary(&self, choices: &FilterChoices, strings: &Strings) -> String {
        let workbench = strings.workbench;
        let mut parts: Vec<String> = choices
            .attributes
            .iter()
            .filter_map(|(attribute, _)| {
                let values = self.filter.attributes.get(&attribute.id)?;
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                Some(format!("{} = {}", attribute.name, values.join("・")))
            })
            .collect();
        if !self.filter.documents.is_empty() {
            parts.push(fill(
                workbench.filter_documents_count,
                &[&self.filter.documents.len()],
            ));
        }
        if !self.filter.coders.is_empty() {
            let coders: Vec<&str> = self.filter.coders.iter().map(String::as_str).collect();
            parts.push(coders.join("・"));
        }
        if parts.is_empty() {
            workbench.filter_none.to_owned()
        } else {
            parts.join(" ／ ")
        }
    }

    /// A 「絞り込み: … ▼」 menu button showing the filter in words, with a checkbox per
    /// attribute value and per document. `choices` is asked again only when `generation` (the
    /// project's state) changed. Returns true when the filter changed.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        id_salt: &str,
        generation: u64,
        choices: impl FnOnce() -> FilterChoices,
        strings: &Strings,
    ) -> bool {
        let choices = match self.choices.take() {
            Some((built, choices)) if built == generation => choices,
            _ => choices(),
        };
        self.forget_missing(&choices);
        let changed = self.edit_ui(ui, id_salt, &choices, strings);
        self.choices = Some((generation, choices));
        changed
    }

    fn edit_ui(
        &mut self,
        ui: &mut egui::Ui,
        id_salt: &str,
        choices: &FilterChoices,
        strings: &Strings,
    ) -> bool {
        let before = self.filter.clone();
        let workbench = strings.workbench;
        // One button that carries its label (「絞り込み: …」), so that a wrapping toolbar never
        // parts the two (a nested row in a wrapping row overflows instead of wrapping).
        // The menu stays open while boxes are ticked; a click outside closes it.
        let config = egui::containers::menu::MenuConfig::new()
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
        egui::containers::menu::MenuButton::new(format!(
            "{}: {} ▼",
            workbench.filter,
            self.summary(choices, strings)
        ))
        .config(config)
        .ui(ui, |ui| {
            ui.set_max_height(420.0);
            egui::ScrollArea::vertical()
                .id_salt((id_salt, "filter"))
                .show(ui, |ui| self.menu_ui(ui, choices, strings));
        })
        .0
        .on_hover_text(workbench.filter_hint);
        self.filter != before
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, choices: &FilterChoices, strings: &Strings) {
        let workbench = strings.workbench;
        if ui
            .add_enabled(
                self.filter != Filter::default(),
                egui::Button::new(workbench.filter_clear),
            )
            .clicked()
        {
            self.filter = Filter::default();
        }
        ui.separator();
        ui.strong(workbench.filter_attributes);
        for (attribute, values) in &choices.attributes {
            self.attribute_ui(ui, attribute, values);
        }
        ui.separator();
        ui.strong(workbench.filter_documents);
        for (document_id, name) in &choices.documents {
            let mut chosen = self.filter.documents.contains(document_id);
            if ui.checkbox(&mut chosen, name).changed() {
                if chosen {
                    self.filter.documents.insert(*document_id);
                } else {
                    self.filter.documents.remove(document_id);
                }
            }
        }
    }

    fn attribute_ui(&mut self, ui: &mut egui::Ui, attribute: &Attribute, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let chosen_count = self
            .filter
            .attributes
            .get(&attribute.id)
            .map_or(0, BTreeSet::len);
        let title = if chosen_count == 0 {
            attribute.name.clone()
        } else {
            format!("{} ({chosen_count})", attribute.name)
        };
        ui.collapsing(title, |ui| {
            for value in values {
                let mut chosen = self
                    .filter
                    .attributes
                    .get(&attribute.id)
                    .is_some_and(|chosen| chosen.contains(value));
                if ui.checkbox(&mut chosen, value).changed() {
                    let entry = self.filter.attributes.entry(attribute.id).or_default();
                    if chosen {
                        entry.insert(value.clone());
                    } else {
                        entry.remove(value);
                    }
                }
            }
        });
    }
}
