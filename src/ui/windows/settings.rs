//! The settings window: coder name, language, Japanese font file, theme, transcript text
//! size and the morphological dictionary. It edits a [`Settings`] value; the app saves it and applies what changed.

use std::path::PathBuf;

use eframe::egui;

use crate::ui::i18n::{Language, Strings, fill};
use crate::ui::settings::{Settings, ThemeChoice};

/// What the settings window remembers: whether it is open and the typed font path.
#[derive(Debug, Default)]
pub struct SettingsWindow {
    /// Shown when true.
    pub open: bool,
    font_path: Option<String>,
    dictionary_path: Option<String>,
}

/// What the user changed in this frame.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SettingsChange {
    /// Any field changed: save the file.
    pub changed: bool,
    /// The font path changed: load the font again.
    pub font: bool,
    /// The dictionary folder changed: load the text layer again.
    pub dictionary: bool,
}

impl SettingsWindow {
    /// The window. `font_in_use` is the font file actually loaded.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        settings: &mut Settings,
        font_in_use: Option<&PathBuf>,
        strings: &Strings,
    ) -> SettingsChange {
        let mut change = SettingsChange::default();
        if !self.open {
            self.font_path = None;
            self.dictionary_path = None;
            return change;
        }
        let dictionary_path = self.dictionary_path.get_or_insert_with(|| {
            settings
                .dictionary_path
                .as_ref()
                .map(|path| path.display().to_string())
                .unwrap_or_default()
        });
        let font_path = self.font_path.get_or_insert_with(|| {
            settings
                .font_path
                .as_ref()
                .map(|path| path.display().to_string())
                .unwrap_or_default()
        });
        let mut open = self.open;
        // Below the menu bar (never over it), centred, and as wide in every language so that
        // switching the language does not move it.
        let content = ctx.content_rect();
        let below_menu = egui::Rect::from_min_max(
            egui::pos2(content.left(), content.top() + 28.0),
            content.max,
        );
        egui::Window::new(strings.settings_title)
            .open(&mut open)
            .resizable(false)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(egui::pos2(below_menu.center().x, below_menu.top() + 12.0))
            .constrain_to(below_menu)
            .min_width(520.0)
            .max_width(520.0)
            .show(ctx, |ui| {
                egui::Grid::new("settings-grid")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        let label = ui.label(strings.coder_name);
                        change.changed |= ui
                            .text_edit_singleline(&mut settings.coder)
                            .labelled_by(label.id)
                            .changed();
                        ui.end_row();

                        ui.label(strings.language);
                        ui.horizontal(|ui| {
                            change.changed |= ui
                                .radio_value(&mut settings.language, Language::Japanese, "日本語")
                                .changed();
                            change.changed |= ui
                                .radio_value(&mut settings.language, Language::English, "English")
                                .changed();
                        });
                        ui.end_row();

                        ui.label(strings.theme);
                        ui.horizontal(|ui| {
                            for (choice, label) in [
                                (ThemeChoice::System, strings.theme_system),
                                (ThemeChoice::Light, strings.theme_light),
                                (ThemeChoice::Dark, strings.theme_dark),
                            ] {
                                change.changed |=
                                    ui.radio_value(&mut settings.theme, choice, label).changed();
                            }
                        });
                        ui.end_row();

                        let label = ui.label(strings.text_size);
                        ui.horizontal(|ui| {
                            change.changed |= ui
                                .add(
                                    egui::Slider::new(
                                        &mut settings.transcript_text_size,
                                        10.0..=32.0,
                                    )
                                    .show_value(false),
                                )
                                .labelled_by(label.id)
                                .changed();
                            ui.label(format!("{:.0} pt", settings.transcript_text_size));
                        });
                        ui.end_row();

                        ui.label(strings.font_file);
                        ui.vertical(|ui| {
                            ui.horizontal(|ui| {
                                ui.add(
                                    egui::TextEdit::singleline(font_path)
                                        .hint_text(strings.font_hint)
                                        .desired_width(320.0),
                                );
                                if ui.button(strings.apply_font).clicked() {
                                    let typed = font_path.trim();
                                    settings.font_path =
                                        (!typed.is_empty()).then(|| PathBuf::from(typed));
                                    change.changed = true;
                                    change.font = true;
                                }
                            });
                            match font_in_use {
                                Some(path) => {
                                    ui.weak(fill(strings.font_in_use, &[&path.display()]));
                                }
                                None => {
                                    ui.colored_label(ui.visuals().warn_fg_color, strings.font_none);
                                }
                            }
                        });
                        ui.end_row();

                        let label = ui.label(strings.dictionary_folder);
                        ui.vertical(|ui| {
                            ui.horizontal(|ui| {
                                ui.add(
                                    egui::TextEdit::singleline(dictionary_path)
                                        .hint_text(strings.dictionary_hint)
                                        .desired_width(320.0),
                                )
                                .labelled_by(label.id);
                                let apply = ui.add(egui::Button::new(strings.apply_font));
                                if apply.clicked() {
                                    let typed = dictionary_path.trim();
                                    settings.dictionary_path =
                                        (!typed.is_empty()).then(|| PathBuf::from(typed));
                                    change.changed = true;
                                    change.dictionary = true;
                                }
                            });
                            ui.weak(strings.dictionary_note);
                        });
                        ui.end_row();
                    });
                ui.separator();
                if ui.button(strings.close).clicked() {
                    self.open = false;
                }
            });
        self.open &= open;
        change
    }
}
