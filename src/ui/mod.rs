//! The egui workbench (feature `gui`, on by default). The only module that names egui.
//!
//! It follows the rerun pattern: views read the project through a [`snapshot::Snapshot`] taken
//! after each change and *send* core [`crate::command::Command`]s (and workbench
//! [`action::Action`]s) into an [`action::Outbox`]; [`app::Workbench`] executes them after the
//! frame through `Project::execute`, so every change is undoable and journalled exactly as from
//! the CLI.
//!
//! The shell is the files at this level: [`app`] (the frame loop and the start screen or an open
//! project), [`session`] (an open project and its panels), [`action`] (what views send),
//! [`jobs`] (background work), [`snapshot`] (what views read), `menu` (the menu bar and its
//! shortcuts), [`centre`] (the tabs of the centre), [`settings`] (the settings file) and
//! [`fonts`] (the Japanese font). Each view has a folder of its own, whose `mod.rs` says what it
//! is and what it sends: [`start`], [`transcript`], `codes`, `cases`, [`matrix`], [`crosstab`],
//! [`search`], and [`windows`] (import, export, memo, settings). What two views share is in
//! `widgets`; a view never reaches into another view's folder. Every label is in [`i18n`], one
//! file per area.

pub mod action;
pub mod app;
pub mod centre;
pub mod fonts;
pub mod jobs;
mod menu;
pub mod probe;
pub mod server_link;
pub mod session;
pub mod settings;
pub mod snapshot;

pub mod agreement;
pub mod autocode;
mod cases;
mod codes;
pub mod cooccurrence;
pub mod crosstab;
pub mod editor;
pub mod i18n;
pub mod matrix;
pub mod mgta;
pub mod orphans;
pub mod reconcile;
pub mod reimport;
pub mod scat;
pub mod search;
pub mod start;
pub mod transcript;
mod widgets;
pub mod windows;

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
            // Read on a worker: the window shows its progress instead of appearing late.
            if let Some(path) = project {
                workbench.act(action::Action::OpenProject(path));
            }
            Ok(Box::new(workbench))
        }),
    )
    .map_err(|error| anyhow::anyhow!("the workbench window could not start: {error}"))
}
