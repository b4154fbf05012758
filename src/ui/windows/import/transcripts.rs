//! The transcript import form: files and folders (one per line, or chosen in the system
//! dialog), the options of `casecode import` — encoding, case name, cleanup filters, lines to
//! drop, speaker-label patterns — and a preview of what they make (each document with its
//! length, encoding, utterances and filters; skipped files and warnings) before anything is
//! stored.

use std::path::PathBuf;

use eframe::egui;

use crate::import::txt::{SkipReason, TxtFlags, collect_transcripts};
use crate::ui::i18n::import::ImportStrings;
use crate::ui::i18n::{Strings, fill};

/// The encodings offered, as `TxtFlags` names them (the first is automatic detection).
const ENCODINGS: [&str; 7] = [
    "auto",
    "utf-8",
    "shift_jis",
    "cp932",
    "euc-jp",
    "utf-16le",
    "utf-16be",
];

/// The cleanup filters offered, as `TxtFlags` names them, in the order of
/// `ImportStrings::filter_names`.
const FILTERS: [&str; 3] = ["aozora", "timestamps", "nucc-header"];

/// One document of the preview.
struct PreviewRow {
    name: String,
    chars: usize,
    encoding: String,
    utterances: usize,
    filters: String,
}

/// What the files would make with the options as they were when read.
struct Preview {
    rows: Vec<PreviewRow>,
    skipped: usize,
    /// The skipped files and why, worded by the window in its language.
    skipped_files: Vec<(String, SkipReason)>,
    warnings: Vec<String>,
    /// `＠` header attributes (name:kind), when the NUCC filter found any.
    attributes: Vec<String>,
}

/// The form's fields and the latest preview.
#[derive(Default)]
pub(super) struct TranscriptForm {
    pub(super) paths: String,
    encoding: usize,
    case: String,
    filters: [bool; 3],
    drop_lines: String,
    speaker_patterns: String,
    /// Why the options are not valid (a regex that does not compile); checked when a field
    /// changes, not every frame.
    problem: Option<String>,
    preview: Option<Result<Preview, String>>,
}

/// The non-empty lines of a multi-line field.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

impl TranscriptForm {
    /// The files and folders named.
    pub(super) fn paths(&self) -> Vec<PathBuf> {
        lines(&self.paths).into_iter().map(PathBuf::from).collect()
    }

    /// The options as `casecode import` flags.
    pub(super) fn flags(&self) -> TxtFlags {
        TxtFlags {
            encoding: ENCODINGS
                .get(self.encoding)
                .copied()
                .unwrap_or("auto")
                .to_owned(),
            case: Some(self.case.trim().to_owned()).filter(|case| !case.is_empty()),
            speaker_patterns: lines(&self.speaker_patterns),
            filters: FILTERS
                .iter()
                .zip(self.filters)
                .filter(|(_, on)| *on)
                .map(|(name, _)| (*name).to_owned())
                .collect(),
            drop_lines: lines(&self.drop_lines),
        }
    }

    /// True when files are named and the options are valid (the regexes compile).
    pub(super) fn is_ready(&self) -> bool {
        self.problem.is_none() && !self.paths.trim().is_empty()
    }

    /// Reads the files with the current options, changing nothing.
    fn read(&mut self) {
        let preview = self.flags().options().and_then(|options| {
            collect_transcripts(&self.paths(), &options).map_err(|error| error.to_string())
        });
        self.preview = Some(preview.map(|collected| {
            Preview {
                rows: collected
                    .documents
                    .iter()
                    .map(|document| PreviewRow {
                        name: document.name.clone(),
                        chars: document.text.chars().count(),
                        encoding: if document.metadata.format == "docx" {
                            "docx".to_owned()
                        } else {
                            document.encoding.clone()
                        },
                        utterances: document.utterances.len(),
                        filters: document.metadata.filters.join(", "),
                    })
                    .collect(),
                skipped: collected.skipped,
                skipped_files: (collected.skipped_files.iter())
                    .map(|file| (file.path.display().to_string(), file.reason))
                    .collect(),
                warnings: collected.warnings,
                attributes: collected
                    .attributes
                    .map(|table| {
                        table
                            .columns
                            .iter()
                            .map(|column| column.name.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        }));
    }

    /// The form. Any change to a field drops the preview (it would no longer be true).
    pub(super) fn ui(
        &mut self,
        ui: &mut egui::Ui,
        strings: &Strings,
        pick: &dyn Fn(bool) -> Option<Vec<PathBuf>>,
    ) {
        let import = &strings.import;
        let mut changed = false;
        egui::Grid::new("transcript-options")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(import.transcript_paths);
                ui.vertical(|ui| {
                    changed |= ui
                        .add(
                            egui::TextEdit::multiline(&mut self.paths)
                                .desired_rows(3)
                                .desired_width(440.0),
                        )
                        .labelled_by(label.id)
                        .changed();
                    ui.horizontal(|ui| {
                        for (folder, text) in
                            [(false, import.choose_files), (true, import.choose_folder)]
                        {
                            if ui.button(text).clicked()
                                && let Some(chosen) = pick(folder)
                            {
                                for path in chosen {
                                    if !self.paths.is_empty() && !self.paths.ends_with('\n') {
                                        self.paths.push('\n');
                                    }
                                    self.paths.push_str(&path.display().to_string());
                                }
                                changed = true;
                            }
                        }
                    });
                });
                ui.end_row();

                let label = ui.label(import.encoding);
                let current = import
                    .encoding_names
                    .get(self.encoding)
                    .copied()
                    .unwrap_or_default();
                egui::ComboBox::from_id_salt("transcript-encoding")
                    .selected_text(current)
                    .show_ui(ui, |ui| {
                        for (index, name) in import.encoding_names.iter().enumerate() {
                            changed |= ui
                                .selectable_value(&mut self.encoding, index, *name)
                                .changed();
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label(import.case_name);
                changed |= ui
                    .add(egui::TextEdit::singleline(&mut self.case).hint_text(import.case_hint))
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();

                ui.label(import.filters);
                ui.vertical(|ui| {
                    for (on, name) in self.filters.iter_mut().zip(import.filter_names) {
                        changed |= ui.checkbox(on, name).changed();
                    }
                });
                ui.end_row();

                let label = ui.label(import.drop_lines);
                changed |= ui
                    .add(
                        egui::TextEdit::multiline(&mut self.drop_lines)
                            .desired_rows(1)
                            .desired_width(440.0)
                            .hint_text(import.drop_lines_hint),
                    )
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();

                let label = ui.label(import.speaker_patterns);
                changed |= ui
                    .add(
                        egui::TextEdit::multiline(&mut self.speaker_patterns)
                            .desired_rows(1)
                            .desired_width(440.0)
                            .hint_text(import.speaker_patterns_hint),
                    )
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();
            });
        if changed {
            self.preview = None;
            self.problem = self.flags().options().err();
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        if ui
            .add_enabled(self.is_ready(), egui::Button::new(import.read))
            .clicked()
        {
            self.read();
        }
        self.preview_ui(ui, strings);
    }

    fn preview_ui(&self, ui: &mut egui::Ui, strings: &Strings) {
        let import = &strings.import;
        let Some(preview) = &self.preview else {
            ui.weak(import.transcripts_read_first);
            return;
        };
        let preview = match preview {
            Ok(preview) => preview,
            Err(problem) => {
                ui.colored_label(ui.visuals().error_fg_color, problem);
                return;
            }
        };
        ui.label(fill(
            import.transcripts_preview,
            &[
                &preview.rows.len(),
                &preview.skipped,
                // Each skipped file has its line among the warnings too.
                &preview.warnings.len().saturating_sub(preview.skipped),
            ],
        ));
        egui::ScrollArea::vertical()
            .id_salt("transcript-preview")
            .max_height(220.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("transcript-preview-rows")
                    .num_columns(5)
                    .striped(true)
                    .show(ui, |ui| {
                        for header in import.preview_columns {
                            ui.strong(header);
                        }
                        ui.end_row();
                        for row in &preview.rows {
                            ui.label(&row.name);
                            ui.label(row.chars.to_string());
                            ui.label(&row.encoding);
                            ui.label(row.utterances.to_string());
                            ui.weak(&row.filters);
                            ui.end_row();
                        }
                    });
                for (path, reason) in &preview.skipped_files {
                    ui.weak(fill(
                        import.skipped_line,
                        &[path, &skip_reason_label(*reason, import)],
                    ));
                }
                // The core's skip lines come first; the window words those itself.
                for warning in preview.warnings.iter().skip(preview.skipped) {
                    ui.weak(warning);
                }
            });
        if !preview.attributes.is_empty() {
            ui.label(fill(
                import.header_attributes,
                &[&preview.attributes.join("、")],
            ));
        }
    }
}

/// Why a file was skipped, in the window's language.
fn skip_reason_label(reason: SkipReason, import: &ImportStrings) -> &'static str {
    let index = match reason {
        SkipReason::MacMetadata => 0,
        SkipReason::SystemFile => 1,
        SkipReason::OfficeLock => 2,
        SkipReason::Hidden => 3,
        SkipReason::FolderLink => 4,
        SkipReason::Table => 5,
        SkipReason::OldWord => 6,
        SkipReason::NotTranscript => 7,
    };
    import
        .skip_reasons
        .get(index)
        .copied()
        .unwrap_or(reason.label())
}
