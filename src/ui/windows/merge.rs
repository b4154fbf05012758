//! ファイル ▸ プロジェクトを統合…: a second coder's copy (or any casecode project) is read,
//! the merge is planned as a dry run and its report shown line by line before anything
//! changes; 統合 then sends one `Command::MergeProject`, undoable as a whole.

use std::path::{Path, PathBuf};

use eframe::egui;

use crate::command::{Command, MergePlan, MergeSource, merge_source, plan_merge};
use crate::project::Project;
use crate::ui::action::Outbox;
use crate::ui::i18n::{Strings, fill};

/// A planned merge: the file, what it brings, and what would happen.
struct Planned {
    path: PathBuf,
    source: MergeSource,
    plan: MergePlan,
}

/// The merge window's state.
#[derive(Default)]
pub struct MergeWindow {
    open: bool,
    path: String,
    planned: Option<Planned>,
    problem: Option<String>,
}

impl MergeWindow {
    /// Opens the window (empty).
    pub fn open(&mut self) {
        self.open = true;
        self.planned = None;
        self.problem = None;
    }

    /// True while the window is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The dry run's report lines, once planned.
    pub fn report(&self) -> Option<&[String]> {
        self.planned
            .as_ref()
            .map(|planned| planned.plan.report.as_slice())
    }

    /// Reads the other project and plans the merge without changing anything.
    fn plan(&mut self, project: &Project) {
        self.planned = None;
        self.problem = None;
        let path = PathBuf::from(self.path.trim());
        match plan_from(project, &path) {
            Ok((source, plan)) => self.planned = Some(Planned { path, source, plan }),
            Err(error) => self.problem = Some(format!("{error:#}")),
        }
    }

    /// The window.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        if !self.open {
            return;
        }
        let team = strings.team;
        let mut open = self.open;
        let mut merged = false;
        egui::Window::new(team.merge_title)
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.label(team.merge_intro);
                ui.horizontal(|ui| {
                    let label = ui.label(team.merge_path);
                    ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(340.0))
                        .labelled_by(label.id);
                    if ui.button(strings.centre.browse).clicked()
                        && let Some(path) = rfd::FileDialog::new()
                            .add_filter("casecode", &["casecode"])
                            .pick_file()
                    {
                        self.path = path.display().to_string();
                    }
                });
                let ready = !self.path.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new(team.merge_dry_run))
                    .clicked()
                {
                    self.plan(project);
                }
                if let Some(problem) = &self.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                let Some(planned) = &self.planned else {
                    return;
                };
                // A plan is for the file it read: another path needs its own check first.
                if planned.path != Path::new(self.path.trim()) {
                    ui.weak(team.merge_recheck);
                    return;
                }
                ui.separator();
                let plan = &planned.plan;
                ui.strong(fill(
                    team.merge_summary,
                    &[
                        &plan.codings_added,
                        &plan.codings_present,
                        &plan.codings_refused,
                    ],
                ));
                egui::ScrollArea::vertical()
                    .id_salt("merge-report")
                    .max_height(260.0)
                    .show(ui, |ui| {
                        for line in &plan.report {
                            ui.label(line);
                        }
                    });
                ui.separator();
                if plan.steps.is_empty() {
                    ui.weak(team.merge_nothing);
                } else if ui.button(team.merge_button).clicked() {
                    outbox.command(Command::MergeProject {
                        source: Box::new(planned.source.clone()),
                    });
                    merged = true;
                }
            });
        self.open = open && !merged;
        if merged {
            self.planned = None;
        }
    }
}

/// The other project's rows and the plan of merging them into `project`.
fn plan_from(project: &Project, path: &Path) -> anyhow::Result<(MergeSource, MergePlan)> {
    if !path.is_file() {
        anyhow::bail!("{}: no such project file", path.display());
    }
    if std::fs::canonicalize(path).ok() == std::fs::canonicalize(project.path()).ok() {
        anyhow::bail!("{}: cannot merge a project into itself", path.display());
    }
    let other = Project::open(path)?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let source = merge_source(&other.read(), &name)?;
    let plan = plan_merge(&project.read(), &source)?;
    Ok((source, plan))
}
