//! The left panel: each case (事例) with its attributes (所属組織, 勤務年数 …) and its documents,
//! optionally grouped under the values of one attribute. A click on a value edits it in place:
//! the text is checked against the attribute's kind before anything is sent, so a bad value
//! shows what is wrong and changes nothing; a good one is sent as `SetAttributeValue` (empty
//! clears it). Clicking a document opens it; right-click a case or a document for its memo.
//! The project memo is at the top.

use std::collections::{BTreeMap, BTreeSet};

use eframe::egui::{self, RichText};

use crate::command::Command;
use crate::import::attributes::canonical_value;
use crate::model::{Attribute, AttributeId, AttributeKind, Case, CaseId, DocumentId, MemoTarget};
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;
use crate::ui::widgets::memo_marker::{MEMO_MARKER, memo_marker_ui};

mod value_editor;
use value_editor::ValueEditor;

/// What the cases panel remembers between frames.
#[derive(Debug, Default)]
pub struct CasesPanel {
    /// Cases are grouped by the values of this attribute.
    group_by: Option<AttributeId>,
    editor: Option<ValueEditor>,
    /// Cases shown folded (name only).
    collapsed_cases: BTreeSet<CaseId>,
    /// Groups shown folded, by their value (`None`: the cases without one).
    collapsed_groups: BTreeSet<Option<String>>,
    /// The lines built for a snapshot, a grouping and a folding, kept until one changes.
    lines: Option<(LinesKey, Vec<Row>)>,
    /// Counts fold and unfold clicks (part of the key).
    folds: u64,
}

/// What the panel's lines were built from.
#[derive(Clone, Copy, Debug, PartialEq)]
struct LinesKey {
    generation: u64,
    group_by: Option<AttributeId>,
    folds: u64,
}

/// One line of the panel, pointing into the snapshot by position. Only the lines in view are
/// laid out, so a survey of thousands of respondents scrolls as smoothly as ten interviews.
#[derive(Clone, Debug)]
enum Row {
    /// A value of the grouping attribute (`None`: no value), with its number of cases.
    Group { value: Option<String>, count: usize },
    /// A case's name (`snapshot.cases[case]`); `indent` is 1 inside a group.
    Case { case: usize, indent: usize },
    /// One attribute (`snapshot.attributes[attribute]`) of a case.
    Value {
        case: usize,
        attribute: usize,
        indent: usize,
    },
    /// One document (`snapshot.documents[document]`) of a case.
    Document { document: usize, indent: usize },
}

/// Horizontal space per level of nesting.
const INDENT: f32 = 14.0;
/// The width of an attribute's name before its value.
const NAME_WIDTH: f32 = 96.0;

impl CasesPanel {
    /// The panel. `open` is the document shown in the centre.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        open: Option<DocumentId>,
        outbox: &mut Outbox,
    ) {
        if self
            .group_by
            .is_some_and(|id| !snapshot.attributes.iter().any(|a| a.id == id))
        {
            self.group_by = None;
        }
        ui.heading(strings.cases);
        ui.horizontal(|ui| {
            let marker = if snapshot.project_memo.trim().is_empty() {
                strings.project_memo.to_owned()
            } else {
                format!("{MEMO_MARKER} {}", strings.project_memo)
            };
            let button = ui.button(marker);
            let button = if snapshot.project_memo.trim().is_empty() {
                button
            } else {
                button.on_hover_text(&snapshot.project_memo)
            };
            if button.clicked() {
                outbox.action(Action::EditMemo(MemoTarget::Project));
            }
        });
        self.group_by_ui(ui, snapshot, strings);
        ui.separator();
        if snapshot.documents.is_empty() {
            ui.weak(strings.no_documents);
        }
        let key = LinesKey {
            generation: snapshot.generation,
            group_by: self.group_by,
            folds: self.folds,
        };
        let rows = match self.lines.take() {
            Some((built, rows)) if built == key => rows,
            _ => self.rows(snapshot),
        };
        let row_height = ui.spacing().interact_size.y;
        // Both ways: a row wider than the panel scrolls sideways instead of widening the panel
        // (which took the transcript down to ~23 characters a row at 1280 px).
        egui::ScrollArea::both()
            .id_salt("cases")
            .auto_shrink(false)
            .show_rows(ui, row_height, rows.len(), |ui, range| {
                for row in rows.get(range).unwrap_or_default() {
                    self.row_ui(ui, row, snapshot, strings, open, outbox);
                }
            });
        self.lines = Some((key, rows));
    }

    /// The lines to show: groups (when grouping), then each case, and under an unfolded case
    /// its attributes and documents.
    fn rows(&self, snapshot: &Snapshot) -> Vec<Row> {
        let mut documents: BTreeMap<CaseId, Vec<usize>> = BTreeMap::new();
        for (index, document) in snapshot.documents.iter().enumerate() {
            documents.entry(document.case_id).or_default().push(index);
        }
        let position: BTreeMap<CaseId, usize> = snapshot
            .cases
            .iter()
            .enumerate()
            .map(|(index, case)| (case.id, index))
            .collect();
        let mut rows = Vec::new();
        let case_rows = |rows: &mut Vec<Row>, case: &Case, indent: usize| {
            let Some(&index) = position.get(&case.id) else {
                return;
            };
            rows.push(Row::Case {
                case: index,
                indent,
            });
            if self.collapsed_cases.contains(&case.id) {
                return;
            }
            rows.extend((0..snapshot.attributes.len()).map(|attribute| Row::Value {
                case: index,
                attribute,
                indent: indent + 1,
            }));
            rows.extend(
                documents
                    .get(&case.id)
                    .into_iter()
                    .flatten()
                    .map(|&document| Row::Document {
                        document,
                        indent: indent + 1,
                    }),
            );
        };
        match self.group_by {
            None => {
                for case in &snapshot.cases {
                    case_rows(&mut rows, case, 0);
                }
            }
            Some(attribute_id) => {
                for (value, cases) in groups(snapshot, attribute_id) {
                    let folded = self.collapsed_groups.contains(&value);
                    rows.push(Row::Group {
                        value,
                        count: cases.len(),
                    });
                    if !folded {
                        for case in cases {
                            case_rows(&mut rows, case, 1);
                        }
                    }
                }
            }
        }
        rows
    }

    fn row_ui(
        &mut self,
        ui: &mut egui::Ui,
        row: &Row,
        snapshot: &Snapshot,
        strings: &Strings,
        open: Option<DocumentId>,
        outbox: &mut Outbox,
    ) {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            match row {
                Row::Group { value, count } => {
                    let folded = self.collapsed_groups.contains(value);
                    if fold_button(ui, folded) {
                        toggle(&mut self.collapsed_groups, value.clone());
                        self.folds += 1;
                    }
                    let title = value.as_deref().unwrap_or(strings.no_value);
                    ui.label(RichText::new(format!("{title}（{count}）")).strong());
                }
                Row::Case { case, indent } => {
                    let Some(case) = snapshot.cases.get(*case) else {
                        return;
                    };
                    ui.add_space(INDENT * *indent as f32);
                    if fold_button(ui, self.collapsed_cases.contains(&case.id)) {
                        toggle(&mut self.collapsed_cases, case.id);
                        self.folds += 1;
                    }
                    ui.label(RichText::new(&case.name).strong())
                        .context_menu(|ui| {
                            if ui.button(strings.edit_memo).clicked() {
                                outbox.action(Action::EditMemo(MemoTarget::Case(case.id)));
                                ui.close();
                            }
                        });
                    memo_marker_ui(ui, MemoTarget::Case(case.id), &case.memo, outbox);
                }
                Row::Value {
                    case,
                    attribute,
                    indent,
                } => {
                    let (Some(case), Some(attribute)) = (
                        snapshot.cases.get(*case),
                        snapshot.attributes.get(*attribute),
                    ) else {
                        return;
                    };
                    ui.add_space(INDENT * *indent as f32 + INDENT);
                    self.value_ui(ui, case.id, attribute, snapshot, strings, outbox);
                }
                Row::Document { document, indent } => {
                    let Some(document) = snapshot.documents.get(*document) else {
                        return;
                    };
                    ui.add_space(INDENT * *indent as f32 + INDENT);
                    let label = format!(
                        "{} ({} {})",
                        document.name, document.chars, strings.characters
                    );
                    let response = ui
                        .selectable_label(open == Some(document.id), label)
                        .on_hover_text(&document.source_path);
                    if response.clicked() {
                        outbox.action(Action::OpenDocument(document.id));
                    }
                    response.context_menu(|ui| {
                        if ui.button(strings.edit_memo).clicked() {
                            outbox.action(Action::EditMemo(MemoTarget::Document(document.id)));
                            ui.close();
                        }
                    });
                    let target = MemoTarget::Document(document.id);
                    memo_marker_ui(ui, target, &document.memo, outbox);
                }
            }
        });
    }

    fn group_by_ui(&mut self, ui: &mut egui::Ui, snapshot: &Snapshot, strings: &Strings) {
        ui.horizontal(|ui| {
            let label = ui.label(strings.group_by);
            let selected = self
                .group_by
                .and_then(|id| snapshot.attributes.iter().find(|a| a.id == id))
                .map_or(strings.group_none, |attribute| attribute.name.as_str());
            egui::ComboBox::from_id_salt("group-cases")
                .selected_text(selected)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.group_by, None, strings.group_none);
                    for attribute in &snapshot.attributes {
                        ui.selectable_value(
                            &mut self.group_by,
                            Some(attribute.id),
                            &attribute.name,
                        );
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }
}

/// The ▼ / ▶ in front of a case or a group; true when clicked.
fn fold_button(ui: &mut egui::Ui, folded: bool) -> bool {
    // ▼ and ▶ are in the CJK fonts (▾ and ▸ are not).
    let arrow = if folded { "▶" } else { "▼" };
    ui.add(egui::Button::new(RichText::new(arrow).size(9.0)).frame(false))
        .clicked()
}

/// Folds what is unfolded and unfolds what is folded.
fn toggle<T: Ord>(set: &mut BTreeSet<T>, item: T) {
    if !set.remove(&item) {
        set.insert(item);
    }
}

/// Cases grouped by their value of one attribute: values in order (numbers by size), cases
/// without a value last.
fn groups(snapshot: &Snapshot, attribute_id: AttributeId) -> Vec<(Option<String>, Vec<&Case>)> {
    let kind = snapshot
        .attributes
        .iter()
        .find(|attribute| attribute.id == attribute_id)
        .map_or(AttributeKind::Text, |attribute| attribute.kind);
    let mut grouped: BTreeMap<GroupKey, (Option<String>, Vec<&Case>)> = BTreeMap::new();
    for case in &snapshot.cases {
        let value = snapshot.values.get(&(case.id, attribute_id)).cloned();
        let key = GroupKey::of(kind, value.as_deref());
        grouped
            .entry(key)
            .or_insert_with(|| (value, Vec::new()))
            .1
            .push(case);
    }
    grouped.into_values().collect()
}

/// Orders group values: numbers by size, other values as text, no value last.
#[derive(Debug, PartialEq)]
enum GroupKey {
    Number(f64, String),
    Text(String),
    Missing,
}

impl Eq for GroupKey {}

impl Ord for GroupKey {
    fn cmp(&self, other: &GroupKey) -> std::cmp::Ordering {
        match (self, other) {
            (GroupKey::Number(a, a_text), GroupKey::Number(b, b_text)) => {
                a.total_cmp(b).then_with(|| a_text.cmp(b_text))
            }
            (GroupKey::Text(a), GroupKey::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for GroupKey {
    fn partial_cmp(&self, other: &GroupKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl GroupKey {
    fn rank(&self) -> u8 {
        match self {
            GroupKey::Number(..) => 0,
            GroupKey::Text(_) => 1,
            GroupKey::Missing => 2,
        }
    }

    fn of(kind: AttributeKind, value: Option<&str>) -> GroupKey {
        match value {
            None => GroupKey::Missing,
            Some(value) if matches!(kind, AttributeKind::Integer | AttributeKind::Number) => {
                match value.parse::<f64>() {
                    Ok(number) if number.is_finite() => GroupKey::Number(number, value.to_owned()),
                    _ => GroupKey::Text(value.to_owned()),
                }
            }
            Some(value) => GroupKey::Text(value.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_groups_are_ordered_by_size_and_missing_values_come_last() {
        let mut keys = vec![
            GroupKey::of(AttributeKind::Integer, None),
            GroupKey::of(AttributeKind::Integer, Some("12")),
            GroupKey::of(AttributeKind::Integer, Some("9")),
        ];
        keys.sort();
        assert_eq!(
            keys,
            vec![
                GroupKey::Number(9.0, "9".to_owned()),
                GroupKey::Number(12.0, "12".to_owned()),
                GroupKey::Missing,
            ]
        );
    }
}
