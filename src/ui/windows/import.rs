//! The import dialogs of the ファイル menu: transcripts with the options of `casecode import`
//! and a preview (`transcripts.rs`), a REFI-QDA project or codebook (.qdpx, .qdc) from MAXQDA,
//! NVivo, ATLAS.ti or QualCoder, and a survey (.csv, .xlsx)
//! whose columns the researcher assigns — case name, free text, attribute or not used — with a
//! preview of the cases and documents that choice makes, read through the same core as
//! `casecode import-survey`. The import runs in the background as one undoable command; when it
//! reports warnings (what REFI-QDA elements casecode cannot keep, skipped files), the report
//! window lists every one of them.

use std::path::{Path, PathBuf};

use eframe::egui;

use crate::command::Command;
use crate::import::survey::{ColumnRole, Survey, SurveyFile, SurveyOptions};
use crate::import::txt::TxtFlags;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};

mod transcripts;
use transcripts::TranscriptForm;

/// Characters of a first-row value the survey dialog shows.
const SAMPLE_CHARS: usize = 24;

/// The file types the import window reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// A REFI-QDA project (.qdpx) or codebook (.qdc).
    Exchange,
    /// Survey answers (.csv, .xlsx).
    Survey,
    /// Transcripts (.txt, .docx) and folders of them, with the options of `casecode import`.
    Transcripts,
}

impl ImportKind {
    /// The kind that reads `path`, by its extension (`None`: transcripts or anything else).
    pub fn of_path(path: &Path) -> Option<ImportKind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "qdpx" | "qdc" => Some(ImportKind::Exchange),
            "csv" | "xlsx" | "xlsm" => Some(ImportKind::Survey),
            _ => None,
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            ImportKind::Exchange => &["qdpx", "qdc"],
            ImportKind::Survey => &["csv", "xlsx", "xlsm"],
            ImportKind::Transcripts => &["txt", "docx"],
        }
    }
}

/// An import to run in the background.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportRequest {
    /// Read a REFI-QDA file and add it to the project.
    Exchange(PathBuf),
    /// Transcripts: files and folders, and the options as `casecode import` flags.
    Transcripts {
        paths: Vec<PathBuf>,
        flags: TxtFlags,
    },
    /// A survey read and checked in the dialog: the command that imports it.
    Survey {
        file: PathBuf,
        cases: usize,
        documents: usize,
        command: Box<Command>,
    },
}

/// A survey file read into the dialog, the role chosen for each column, and what that makes.
struct SurveyForm {
    file: SurveyFile,
    roles: Vec<ColumnRole>,
    first_values: Vec<String>,
    preview: Result<Survey, String>,
}

impl SurveyForm {
    fn read(path: &Path, sheet: Option<&str>) -> Result<SurveyForm, String> {
        let file = SurveyFile::open(path, sheet).map_err(|error| error.to_string())?;
        let roles = file.suggested_roles();
        let first_values = (0..file.columns().len())
            .map(|index| {
                let value = file.column_values(index).next().unwrap_or_default();
                let mut sample: String = value.chars().take(SAMPLE_CHARS).collect();
                if value.chars().count() > SAMPLE_CHARS {
                    sample.push('…');
                }
                sample.replace('\n', " ")
            })
            .collect();
        let mut form = SurveyForm {
            file,
            roles,
            first_values,
            preview: Err(String::new()),
        };
        form.update_preview();
        Ok(form)
    }

    fn options(&self) -> SurveyOptions {
        SurveyOptions::from_roles(self.file.columns(), &self.roles, self.file.sheet())
    }

    fn update_preview(&mut self) {
        self.preview = self
            .file
            .survey(&self.options())
            .map_err(|error| error.to_string());
    }

    /// Gives `column` its role; a second case-name column takes the role from the first.
    fn set_role(&mut self, column: usize, role: ColumnRole) {
        if role == ColumnRole::Id {
            for other in &mut self.roles {
                if *other == ColumnRole::Id {
                    *other = ColumnRole::Skip;
                }
            }
        }
        if let Some(slot) = self.roles.get_mut(column) {
            *slot = role;
        }
        self.update_preview();
    }
}

/// The import window and the report window.
#[derive(Default)]
pub struct ImportWindow {
    kind: Option<ImportKind>,
    path: String,
    survey: Option<SurveyForm>,
    transcripts: TranscriptForm,
    problem: Option<String>,
    report: Option<(String, Vec<String>)>,
}

impl ImportWindow {
    /// Opens the window for `kind`; with a path (a dropped file) a survey is read at once.
    pub fn open(&mut self, kind: ImportKind, path: Option<&Path>) {
        self.kind = Some(kind);
        self.survey = None;
        self.problem = None;
        self.path = path
            .map(|path| path.display().to_string())
            .unwrap_or_default();
        if path.is_some() && kind == ImportKind::Survey {
            self.read_survey(None);
        }
        if kind == ImportKind::Transcripts {
            // The options stay as they were last time; the files are new.
            self.transcripts.paths = self.path.clone();
        }
    }

    /// Lists the warnings of a finished import (`summary` is its status-line message).
    pub fn show_report(&mut self, summary: String, warnings: Vec<String>) {
        if !warnings.is_empty() {
            self.report = Some((summary, warnings));
        }
    }

    /// The import window and the report window, while open.
    pub fn ui(&mut self, ctx: &egui::Context, strings: &Strings, outbox: &mut Outbox) {
        self.report_ui(ctx, strings);
        let Some(kind) = self.kind else {
            return;
        };
        let import = &strings.import;
        let title = match kind {
            ImportKind::Exchange => import.title_exchange,
            ImportKind::Survey => import.title_survey,
            ImportKind::Transcripts => import.title_transcripts,
        };
        let mut close = false;
        egui::Window::new(title)
            .id(egui::Id::unique("import-window"))
            .collapsible(false)
            .resizable(true)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_width(640.0)
            .show(ctx, |ui| {
                if kind != ImportKind::Transcripts {
                    self.path_ui(ui, kind, strings);
                }
                if let Some(problem) = &self.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                match kind {
                    ImportKind::Exchange => {
                        ui.label(import.exchange_intro);
                    }
                    ImportKind::Survey => self.survey_ui(ui, strings),
                    ImportKind::Transcripts => {
                        self.transcripts.ui(ui, strings, &pick_transcripts);
                    }
                }
                ui.separator();
                ui.horizontal(|ui| {
                    let button = egui::Button::new(import.import_button);
                    if ui.add_enabled(self.is_ready(kind), button).clicked()
                        && let Some(request) = self.request(kind)
                    {
                        outbox.action(Action::RunImport(Box::new(request)));
                        close = true;
                    }
                    if ui.button(strings.cancel).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.kind = None;
            self.survey = None;
        }
    }

    fn path_ui(&mut self, ui: &mut egui::Ui, kind: ImportKind, strings: &Strings) {
        let import = &strings.import;
        ui.horizontal(|ui| {
            let label = ui.label(import.file);
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.path).desired_width(380.0))
                .labelled_by(label.id);
            let mut read = kind == ImportKind::Survey
                && field.lost_focus()
                && ui.input(|input| input.key_pressed(egui::Key::Enter));
            if ui.button(strings.centre.browse).clicked()
                && let Some(path) = pick_import_file(kind)
            {
                self.path = path.display().to_string();
                read = kind == ImportKind::Survey;
            }
            if kind == ImportKind::Survey {
                read |= ui.button(import.read).clicked();
            }
            if read {
                self.read_survey(None);
            }
        });
    }

    fn read_survey(&mut self, sheet: Option<&str>) {
        let path = PathBuf::from(self.path.trim());
        match SurveyForm::read(&path, sheet) {
            Ok(form) => {
                self.survey = Some(form);
                self.problem = None;
            }
            Err(problem) => {
                self.survey = None;
                self.problem = Some(problem);
            }
        }
    }

    /// The columns and their roles, and the preview of what they make.
    fn survey_ui(&mut self, ui: &mut egui::Ui, strings: &Strings) {
        let import = &strings.import;
        let Some(form) = &mut self.survey else {
            ui.weak(import.read_first);
            return;
        };
        let mut sheet_choice = None;
        if form.file.sheets().len() > 1 {
            let current = form.file.sheet().unwrap_or_default().to_owned();
            ui.horizontal(|ui| {
                // The label before its control.
                let label = ui.label(import.sheet);
                egui::ComboBox::from_id_salt("survey-sheet")
                    .selected_text(&current)
                    .show_ui(ui, |ui| {
                        for sheet in form.file.sheets() {
                            if ui.selectable_label(*sheet == current, sheet).clicked() {
                                sheet_choice = Some(sheet.clone());
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        }
        ui.label(fill(
            import.survey_size,
            &[
                &form.file.row_count(),
                &form.file.columns().len(),
                &form.file.encoding(),
            ],
        ));
        let mut changed = None;
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("survey-columns")
                    .num_columns(3)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.strong(import.column);
                        ui.strong(import.role);
                        ui.strong(import.first_value);
                        ui.end_row();
                        for (index, name) in form.file.columns().iter().enumerate() {
                            ui.label(name);
                            ui.horizontal(|ui| {
                                let current = form.roles.get(index).copied().unwrap_or_default();
                                for (role, label) in ROLES.iter().zip(import.role_names) {
                                    let enabled = !name.is_empty() || *role == ColumnRole::Skip;
                                    let button = egui::Button::selectable(current == *role, label);
                                    if ui.add_enabled(enabled, button).clicked() {
                                        changed = Some((index, *role));
                                    }
                                }
                            });
                            ui.weak(form.first_values.get(index).map_or("", String::as_str));
                            ui.end_row();
                        }
                    });
            });
        if let Some((column, role)) = changed {
            form.set_role(column, role);
        }
        if !form.roles.contains(&ColumnRole::Id) {
            ui.weak(import.no_id_column);
        }
        match &form.preview {
            Ok(survey) => {
                ui.label(fill(
                    import.survey_preview,
                    &[
                        &survey.table.rows.len(),
                        &survey.documents.len(),
                        &survey.empty_answers,
                    ],
                ));
                let attributes: Vec<String> = survey
                    .table
                    .columns
                    .iter()
                    .map(|column| format!("{}（{}）", column.name, strings.kind_name(column.kind)))
                    .collect();
                ui.label(if attributes.is_empty() {
                    import.no_attributes.to_owned()
                } else {
                    format!("{}: {}", import.survey_attributes, attributes.join("、"))
                });
            }
            Err(problem) => {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
        }
        if let Some(sheet) = sheet_choice {
            self.read_survey(Some(&sheet));
        }
    }

    /// True when the import button can be pressed: a file is named (REFI-QDA) or the survey's
    /// columns make cases and documents.
    fn is_ready(&self, kind: ImportKind) -> bool {
        match kind {
            ImportKind::Exchange => !self.path.trim().is_empty(),
            ImportKind::Transcripts => self.transcripts.is_ready(),
            ImportKind::Survey => self
                .survey
                .as_ref()
                .is_some_and(|form| form.preview.is_ok()),
        }
    }

    /// The import the window describes (built when the button is pressed: a survey's
    /// documents are copied once, not every frame).
    fn request(&self, kind: ImportKind) -> Option<ImportRequest> {
        let file = PathBuf::from(self.path.trim());
        match kind {
            ImportKind::Exchange => {
                (!self.path.trim().is_empty()).then_some(ImportRequest::Exchange(file))
            }
            ImportKind::Transcripts => Some(ImportRequest::Transcripts {
                paths: self.transcripts.paths(),
                flags: self.transcripts.flags(),
            }),
            ImportKind::Survey => {
                let survey = self.survey.as_ref()?.preview.as_ref().ok()?;
                let source = file.file_name().map_or_else(
                    || file.display().to_string(),
                    |name| name.to_string_lossy().into_owned(),
                );
                Some(ImportRequest::Survey {
                    cases: survey.table.rows.len(),
                    documents: survey.documents.len(),
                    command: Box::new(Command::ImportCases {
                        source,
                        documents: survey.documents.clone(),
                        table: survey.table.clone(),
                    }),
                    file,
                })
            }
        }
    }

    fn report_ui(&mut self, ctx: &egui::Context, strings: &Strings) {
        let Some((summary, warnings)) = &self.report else {
            return;
        };
        let import = &strings.import;
        let mut close = false;
        egui::Window::new(import.report_title)
            .id(egui::Id::unique("import-report"))
            .collapsible(false)
            .resizable(true)
            .default_width(640.0)
            .show(ctx, |ui| {
                ui.label(summary);
                ui.strong(fill(import.warnings, &[&warnings.len()]));
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        for warning in warnings {
                            ui.label(warning);
                        }
                    });
                if ui.button(import.close).clicked() {
                    close = true;
                }
            });
        if close {
            self.report = None;
        }
    }
}

/// The roles in the order of `ImportStrings::role_names`.
const ROLES: [ColumnRole; 4] = [
    ColumnRole::Skip,
    ColumnRole::Id,
    ColumnRole::Text,
    ColumnRole::Attribute,
];

/// Asks the system dialog for transcripts, or for a folder of them; `None` where no dialog
/// service exists.
fn pick_transcripts(folder: bool) -> Option<Vec<PathBuf>> {
    let dialog = rfd::FileDialog::new();
    if folder {
        dialog.pick_folder().map(|folder| vec![folder])
    } else {
        let extensions = ImportKind::Transcripts.extensions();
        dialog
            .add_filter(extensions.join(", "), extensions)
            .pick_files()
    }
}

/// Asks the system dialog for a file to import; `None` where no dialog service exists.
fn pick_import_file(kind: ImportKind) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .add_filter(kind.extensions().join(", "), kind.extensions())
        .pick_file()
}
