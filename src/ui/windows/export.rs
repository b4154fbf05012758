//! The export window: every export of `casecode export` from the ファイル ▸ エクスポート menu.
//! The researcher picks where to write (a typed path, or the system dialog where there is one)
//! and, for the paper tables, the level, the grouping attribute and what the matrix cells hold;
//! the workbench then writes the file through the same core functions as the CLI and names the
//! file in the status line.

use std::path::{Path, PathBuf};

use eframe::egui;

use crate::export::paper::{self, CellContent, PaperOptions};
use crate::export::qdpx;
use crate::project::Project;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::snapshot::Snapshot;
use crate::ui::widgets::filter::{FilterChoices, FilterWidget};
use crate::ui::widgets::group_by::group_by_combo;
use crate::ui::widgets::path_field::path_field_ui;

/// What can be exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// The xlsx workbook for the paper (matrix, 表1, 表2, codebook, crosstab, segments).
    Workbook,
    /// The segment list, one row per coding (CSV).
    SegmentsCsv,
    /// The matrix of counts (CSV).
    MatrixCsv,
    /// 表1, 表2, the matrix and the crosstab as Markdown.
    Markdown,
    /// The same tables as HTML.
    Html,
    /// The whole project for other QDA tools (REFI-QDA).
    Qdpx,
    /// The codebook for other QDA tools (REFI-QDA).
    Qdc,
}

impl ExportKind {
    /// Every kind, in menu order.
    pub const ALL: [ExportKind; 7] = [
        ExportKind::Workbook,
        ExportKind::SegmentsCsv,
        ExportKind::MatrixCsv,
        ExportKind::Markdown,
        ExportKind::Html,
        ExportKind::Qdpx,
        ExportKind::Qdc,
    ];

    /// The file extension written.
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::Workbook => "xlsx",
            ExportKind::SegmentsCsv | ExportKind::MatrixCsv => "csv",
            ExportKind::Markdown => "md",
            ExportKind::Html => "html",
            ExportKind::Qdpx => "qdpx",
            ExportKind::Qdc => "qdc",
        }
    }

    /// The menu label.
    pub fn label(self, strings: &Strings) -> &'static str {
        let labels = &strings.centre.export_kinds;
        let index = ExportKind::ALL.iter().position(|k| *k == self).unwrap_or(0);
        labels.get(index).copied().unwrap_or("")
    }

    /// The paper tables take options; the REFI-QDA files do not.
    fn is_paper(self) -> bool {
        !matches!(self, ExportKind::Qdpx | ExportKind::Qdc)
    }

    /// A default file name next to the project: `study.xlsx`, `study-segments.csv` ….
    fn default_path(self, project: &Path) -> PathBuf {
        let suffix = match self {
            ExportKind::SegmentsCsv => "-segments",
            ExportKind::MatrixCsv => "-matrix",
            _ => "",
        };
        let stem = project
            .file_stem()
            .map_or_else(|| "study".into(), |stem| stem.to_string_lossy());
        project.with_file_name(format!("{stem}{suffix}.{}", self.extension()))
    }
}

/// One export to do: what, where, and the paper options.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRequest {
    pub kind: ExportKind,
    pub path: PathBuf,
    pub options: PaperOptions,
}

impl ExportRequest {
    /// Writes the file; returns the status-line message naming it.
    pub fn run(&self, project: &Project, strings: &Strings) -> anyhow::Result<String> {
        let centre = &strings.centre;
        let paper =
            |write: fn(&Project, &PaperOptions, &Path) -> crate::Result<paper::ExportReport>| {
                write(project, &self.options, &self.path).map(|report| {
                    fill(
                        centre.exported_tables,
                        &[&report.path.display(), &report.tables.join("・")],
                    )
                })
            };
        let message = match self.kind {
            ExportKind::Workbook => paper(paper::write_workbook)?,
            ExportKind::SegmentsCsv => paper(paper::write_segments_csv)?,
            ExportKind::MatrixCsv => paper(paper::write_matrix_csv)?,
            ExportKind::Markdown => paper(paper::write_markdown)?,
            ExportKind::Html => paper(paper::write_html)?,
            ExportKind::Qdpx => {
                qdpx::write_qdpx(project, &self.path)?;
                fill(centre.exported, &[&self.path.display()])
            }
            ExportKind::Qdc => {
                qdpx::write_qdc(project, &self.path)?;
                fill(centre.exported, &[&self.path.display()])
            }
        };
        Ok(message)
    }
}

/// The export window's state.
#[derive(Default)]
pub struct ExportWindow {
    kind: Option<ExportKind>,
    path: String,
    level: String,
    group_by: Option<String>,
    cell: CellContent,
    excel_bom: bool,
    /// Which cases and segments the tables read.
    filter: FilterWidget,
}

impl ExportWindow {
    /// The filter widget (tests set conditions through it).
    pub fn filter_mut(&mut self) -> &mut FilterWidget {
        &mut self.filter
    }

    /// Opens the window for `kind` with a file name next to the project.
    pub fn open(&mut self, kind: ExportKind, project: &Path) {
        self.kind = Some(kind);
        self.path = kind.default_path(project).display().to_string();
        if self.level.is_empty() {
            self.level = "code".to_owned();
        }
    }

    /// The window, while open.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let Some(kind) = self.kind else {
            return;
        };
        let centre = &strings.centre;
        let mut close = false;
        // The menu's 「…」 says a window follows; the window's own title does not carry it.
        egui::Window::new(kind.label(strings).trim_end_matches('…'))
            .id(egui::Id::unique("export-window"))
            .collapsible(false)
            .resizable(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                path_field_ui(
                    ui,
                    centre.export_to,
                    centre.browse,
                    &mut self.path,
                    |current| pick_export_file(kind, current),
                );
                if kind.is_paper() {
                    self.paper_options_ui(ui, kind, snapshot, strings);
                }
                ui.separator();
                ui.horizontal(|ui| {
                    let path = self.path.trim();
                    if ui
                        .add_enabled(!path.is_empty(), egui::Button::new(centre.export_button))
                        .clicked()
                    {
                        outbox.action(Action::Export(Box::new(ExportRequest {
                            kind,
                            path: PathBuf::from(path),
                            options: self.options(),
                        })));
                        close = true;
                    }
                    if ui.button(strings.cancel).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.kind = None;
        }
    }

    fn paper_options_ui(
        &mut self,
        ui: &mut egui::Ui,
        kind: ExportKind,
        snapshot: &Snapshot,
        strings: &Strings,
    ) {
        let centre = &strings.centre;
        let attributes = &snapshot.attributes;
        egui::Grid::new("export-options")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label(centre.level);
                ui.horizontal(|ui| {
                    for (value, name) in [
                        ("code", strings.level_names[2]),
                        ("subcategory", strings.level_names[1]),
                        ("category", strings.level_names[0]),
                        ("role", centre.roles_level),
                    ] {
                        ui.selectable_value(&mut self.level, value.to_owned(), name);
                    }
                });
                ui.end_row();
                ui.label("");
                group_by_combo(
                    ui,
                    "export-group",
                    attributes,
                    &mut self.group_by,
                    |attribute| attribute.name.clone(),
                    strings,
                );
                ui.end_row();
                if matches!(
                    kind,
                    ExportKind::Workbook | ExportKind::Markdown | ExportKind::Html
                ) {
                    ui.label(centre.cell_mode);
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut self.cell, CellContent::Count, centre.mode_count);
                        ui.selectable_value(
                            &mut self.cell,
                            CellContent::Quotes,
                            centre.mode_segments,
                        );
                        ui.selectable_value(
                            &mut self.cell,
                            CellContent::Summary,
                            centre.mode_summary,
                        );
                        ui.selectable_value(&mut self.cell, CellContent::Both, centre.mode_both);
                    });
                    ui.end_row();
                }
                if matches!(kind, ExportKind::SegmentsCsv | ExportKind::MatrixCsv) {
                    ui.label("");
                    ui.checkbox(&mut self.excel_bom, centre.excel_bom);
                    ui.end_row();
                }
                ui.label("");
                self.filter.ui(
                    ui,
                    "export",
                    snapshot.generation,
                    || FilterChoices::of_snapshot(snapshot),
                    strings,
                );
                ui.end_row();
            });
    }

    fn options(&self) -> PaperOptions {
        PaperOptions {
            level: if self.level.is_empty() {
                "code".to_owned()
            } else {
                self.level.clone()
            },
            group_by: self.group_by.clone(),
            cell: self.cell,
            excel_bom: self.excel_bom,
            filter: self.filter.filter().clone(),
            ..PaperOptions::default()
        }
    }
}

/// Asks the system dialog where to write; `None` where no dialog service exists.
fn pick_export_file(kind: ExportKind, current: &str) -> Option<PathBuf> {
    let current = Path::new(current);
    let mut dialog = rfd::FileDialog::new().add_filter(kind.extension(), &[kind.extension()]);
    if let Some(name) = current.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    if let Some(folder) = current.parent().filter(|folder| folder.is_dir()) {
        dialog = dialog.set_directory(folder);
    }
    dialog.save_file()
}
