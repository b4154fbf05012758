//! The left panel: each case (事例) with its attributes (所属組織, 勤務年数 …) and its documents,
//! optionally grouped under the values of one attribute. A click on a value edits it in place:
//! the text is checked against the attribute's kind before anything is sent, so a bad value
//! shows what is wrong and changes nothing; a good one is sent as `SetAttributeValue` (empty
//! clears it). Clicking a document opens it; right-click a case or a document for its memo.
//! The project memo is at the top.

use std::collections::BTreeMap;

use eframe::egui::{self, RichText};

use crate::command::Command;
use crate::import::attributes::canonical_value;
use crate::model::{Attribute, AttributeId, AttributeKind, Case, CaseId, DocumentId, MemoTarget};
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::memo_window::{MEMO_MARKER, memo_marker_ui};
use crate::ui::snapshot::Snapshot;

/// The value being edited in place.
#[derive(Clone, Debug)]
struct ValueEditor {
    case_id: CaseId,
    attribute_id: AttributeId,
    text: String,
    /// Why the last attempt was refused.
    problem: Option<String>,
    /// The field still has to take the keyboard (the frame after it appeared).
    focus: bool,
}

/// What the cases panel remembers between frames.
#[derive(Debug, Default)]
pub struct CasesPanel {
    /// Cases are grouped by the values of this attribute.
    group_by: Option<AttributeId>,
    editor: Option<ValueEditor>,
}

/// What a value edit ended with.
#[derive(Debug, PartialEq)]
pub enum ValueEdit {
    /// Send this value (`None` clears it).
    Send(Option<String>),
    /// Nothing changes (the same value, or an empty field where there was none).
    Unchanged,
    /// The text does not fit the kind; the message says why.
    Refused(String),
}

/// Checks an edited value against the attribute's kind, the way the core will.
pub fn check_value(
    kind: AttributeKind,
    text: &str,
    current: Option<&str>,
    strings: &Strings,
) -> ValueEdit {
    if text.trim().is_empty() {
        return match current {
            Some(_) => ValueEdit::Send(None),
            None => ValueEdit::Unchanged,
        };
    }
    match canonical_value(kind, text) {
        Some(value) if Some(value.as_str()) == current => ValueEdit::Unchanged,
        Some(value) => ValueEdit::Send(Some(value)),
        None => ValueEdit::Refused(fill(
            strings.value_invalid,
            &[&text.trim(), &strings.kind_name(kind)],
        )),
    }
}

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
        egui::ScrollArea::vertical()
            .id_salt("cases")
            .auto_shrink(false)
            .show(ui, |ui| {
                if snapshot.documents.is_empty() {
                    ui.weak(strings.no_documents);
                }
                match self.group_by {
                    None => {
                        for case in &snapshot.cases {
                            self.case_ui(ui, case, snapshot, strings, open, outbox);
                        }
                    }
                    Some(attribute_id) => {
                        for (value, cases) in groups(snapshot, attribute_id) {
                            let title = value.unwrap_or_else(|| strings.no_value.to_owned());
                            egui::CollapsingHeader::new(
                                RichText::new(format!("{title}（{}）", cases.len())).strong(),
                            )
                            .id_salt(("group", attribute_id.0, &title))
                            .default_open(true)
                            .show(ui, |ui| {
                                for case in cases {
                                    self.case_ui(ui, case, snapshot, strings, open, outbox);
                                }
                            });
                        }
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

    fn case_ui(
        &mut self,
        ui: &mut egui::Ui,
        case: &Case,
        snapshot: &Snapshot,
        strings: &Strings,
        open: Option<DocumentId>,
        outbox: &mut Outbox,
    ) {
        let id = ui.make_persistent_id(("case", case.id.0));
        egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, true)
            .show_header(ui, |ui| {
                ui.label(RichText::new(&case.name).strong())
                    .context_menu(|ui| {
                        if ui.button(strings.edit_memo).clicked() {
                            outbox.action(Action::EditMemo(MemoTarget::Case(case.id)));
                            ui.close();
                        }
                    });
                memo_marker_ui(ui, MemoTarget::Case(case.id), &case.memo, outbox);
            })
            .body(|ui| {
                egui::Grid::new(("attributes", case.id.0))
                    .num_columns(2)
                    .spacing([6.0, 2.0])
                    .show(ui, |ui| {
                        for attribute in &snapshot.attributes {
                            self.value_ui(ui, case.id, attribute, snapshot, strings, outbox);
                            ui.end_row();
                        }
                    });
                for document in snapshot.documents.iter().filter(|d| d.case_id == case.id) {
                    ui.horizontal(|ui| {
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
                    });
                }
            });
    }

    /// One attribute row: the name, then the value (a button) or its editor.
    fn value_ui(
        &mut self,
        ui: &mut egui::Ui,
        case_id: CaseId,
        attribute: &Attribute,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let name = ui.weak(&attribute.name);
        let current = snapshot.values.get(&(case_id, attribute.id));
        let editing = self
            .editor
            .as_ref()
            .is_some_and(|e| e.case_id == case_id && e.attribute_id == attribute.id);
        if !editing {
            let shown = current.map_or(strings.no_value, String::as_str);
            let text = if current.is_some() {
                RichText::new(shown)
            } else {
                RichText::new(shown).weak()
            };
            let button = ui
                .add(egui::Button::new(text).frame(false))
                .on_hover_text(strings.edit_value_hint);
            if button.clicked() {
                self.editor = Some(ValueEditor {
                    case_id,
                    attribute_id: attribute.id,
                    text: current.cloned().unwrap_or_default(),
                    problem: None,
                    focus: true,
                });
            }
            return;
        }
        let Some(editor) = &mut self.editor else {
            return;
        };
        let field_id = ui.make_persistent_id(("value", case_id.0, attribute.id.0));
        let finished = ui
            .vertical(|ui| {
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut editor.text)
                            .id(field_id)
                            .desired_width(140.0),
                    )
                    .labelled_by(name.id);
                if editor.focus {
                    editor.focus = false;
                    field.request_focus();
                    // Select the old value so that typing replaces it.
                    if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), field_id) {
                        state.cursor.set_char_range(Some(
                            egui::text::CCursorRange::select_all_str(&editor.text),
                        ));
                        state.store(ui.ctx(), field_id);
                    }
                }
                if let Some(problem) = &editor.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                if !field.lost_focus() {
                    return false;
                }
                if ui.input(|input| input.key_pressed(egui::Key::Escape)) {
                    return true;
                }
                let current = current.map(String::as_str);
                match check_value(attribute.kind, &editor.text, current, strings) {
                    ValueEdit::Send(value) => {
                        outbox.command(Command::SetAttributeValue {
                            case_id,
                            attribute_id: attribute.id,
                            value,
                        });
                        true
                    }
                    ValueEdit::Unchanged => true,
                    ValueEdit::Refused(problem) => {
                        editor.problem = Some(problem);
                        // After Enter the field keeps the keyboard for another try; after a
                        // click elsewhere it stays open with its message but lets go.
                        editor.focus = ui.input(|input| input.key_pressed(egui::Key::Enter));
                        false
                    }
                }
            })
            .inner;
        if finished {
            self.editor = None;
        }
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
    use crate::ui::i18n::JAPANESE;

    #[test]
    fn a_value_is_checked_against_its_kind_before_it_is_sent() {
        let strings = &JAPANESE;
        assert_eq!(
            check_value(AttributeKind::Integer, "１５", Some("12"), strings),
            ValueEdit::Send(Some("15".to_owned()))
        );
        assert_eq!(
            check_value(AttributeKind::Integer, "12", Some("12"), strings),
            ValueEdit::Unchanged
        );
        assert_eq!(
            check_value(AttributeKind::Integer, "", Some("12"), strings),
            ValueEdit::Send(None)
        );
        assert_eq!(
            check_value(AttributeKind::Date, " ", None, strings),
            ValueEdit::Unchanged
        );
        assert_eq!(
            check_value(AttributeKind::Date, "2024/2/30", None, strings),
            ValueEdit::Refused(
                "「2024/2/30」は日付（例: 2024-08-05）として読めません。何も変更していません。"
                    .to_owned()
            )
        );
    }

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
