//! The egui workbench (feature `gui`, on by default). The only module that names egui.
//!
//! It follows the rerun pattern: panels read the project through a [`snapshot::Snapshot`] taken
//! after each change and *send* core [`crate::command::Command`]s (and workbench
//! [`action::Action`]s) into an [`action::Outbox`]; [`app::Workbench`] executes them after the
//! frame through `Project::execute`, so every change is undoable and journalled exactly as from
//! the CLI. Labels live in [`i18n`]; the Japanese font is loaded by [`fonts`].

pub mod action;
pub mod app;
mod cases_panel;
pub mod centre;
mod code_dialogs;
mod code_editor;
mod code_tree;
mod coding_menu;
pub mod crosstab_chart;
pub mod crosstab_view;
pub mod export_window;
pub mod filter_widget;
pub mod fonts;
pub mod frequency_view;
mod group_by;
pub mod i18n;
pub mod i18n_centre;
pub mod i18n_import;
pub mod i18n_workbench;
pub mod import_window;
pub mod jobs;
mod matrix_cell;
mod matrix_grid;
pub mod matrix_view;
pub mod memo_window;
mod menu;
pub mod probe;
mod quick_code;
pub mod sample_study;
pub mod search_view;
pub mod session;
pub mod settings;
mod settings_window;
pub mod snapshot;
mod start;
pub mod transcript;
mod transcript_layout;

use std::path::PathBuf;

pub use app::Workbench;

/// Opens the workbench window (and `project`, when given) and returns when it is closed.
pub fn run(project: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title(i18n::JAPANESE.app_title)
            .with_app_id("casecode")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "casecode",
        options,
        Box::new(move |_creation| {
            let mut workbench = Workbench::new(settings::SettingsFile::user());
            if let Some(path) = &project {
                workbench.open_project(path);
            }
            Ok(Box::new(workbench))
        }),
    )
    .map_err(|error| anyhow::anyhow!("the workbench window could not start: {error}"))
}
