//! Editing an attribute value in place: a click on the value opens a field; on Enter (or when
//! the field lets go) the text is checked against the attribute's kind the way the core will
//! check it, so a bad value shows what is wrong and changes nothing, and a good one is sent as
//! `SetAttributeValue` (an empty field clears it); Esc cancels.

use super::*;

/// The value being edited in place.
#[derive(Clone, Debug)]
pub(super) struct ValueEditor {
    case_id: CaseId,
    attribute_id: AttributeId,
    text: String,
    /// Why the last attempt was refused.
    problem: Option<String>,
    /// The field still has to take the keyboard (the frame after it appeared).
    focus: bool,
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
    /// One attribute row: the name, then the value (a button) or its editor.
    pub(super) fn value_ui(
        &mut self,
        ui: &mut egui::Ui,
        case_id: CaseId,
        attribute: &Attribute,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let name = ui
            .allocate_ui_with_layout(
                egui::vec2(NAME_WIDTH, ui.spacing().interact_size.y),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_min_width(NAME_WIDTH);
                    ui.add(egui::Label::new(RichText::new(&attribute.name).weak()).truncate())
                },
            )
            .inner;
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
}
