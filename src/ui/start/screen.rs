//! The start screen shown when no project is open: recent projects, opening by dialog or by a
//! typed path (dialogs are not available everywhere), creating a project, and the sample study.
//! Dropping a `.casecode` file anywhere on the window opens it (handled by the app).
//! サーバーに接続… opens the [`ConnectDialog`]; a recent server project (kept as its address
//! without the password) connects through that dialog, so a refusal shows next to the
//! password field.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use crate::store::is_server_address;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::Strings;
use crate::ui::settings::Settings;
use crate::ui::start::connect::{ConnectDialog, Connected};

/// What the start screen remembers: the typed path and the connect dialog.
#[derive(Default)]
pub struct StartScreen {
    typed_path: String,
    connect: ConnectDialog,
}

impl StartScreen {
    /// The start screen.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &Settings,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        ui.vertical_centered(|ui| {
            ui.add_space(24.0);
            ui.label(RichText::new(strings.start_heading).size(32.0).strong());
            ui.label(strings.start_intro);
            ui.add_space(16.0);
        });
        ui.columns(2, |columns| {
            if let [left, right] = columns {
                self.recent_ui(left, settings, strings, outbox);
                self.open_ui(right, strings, outbox);
            }
        });
        ui.add_space(16.0);
        ui.vertical_centered(|ui| ui.weak(strings.drop_hint));
        self.connect.ui(ui.ctx(), strings);
    }

    /// The server project the connect dialog opened, once (the dialog has closed).
    pub fn take_connected(&mut self, strings: &Strings) -> Option<Connected> {
        self.connect.poll(strings)
    }

    /// The connect dialog (tests wait for its background work through it).
    pub fn connect_dialog_mut(&mut self) -> &mut ConnectDialog {
        &mut self.connect
    }

    fn open_ui(&mut self, ui: &mut egui::Ui, strings: &Strings, outbox: &mut Outbox) {
        if ui.button(strings.open_by_dialog).clicked()
            && let Some(path) = pick_project_file()
        {
            outbox.action(Action::OpenProject(path));
        }
        ui.weak(strings.dialog_unavailable);
        ui.add_space(8.0);
        let field = ui.add(
            egui::TextEdit::singleline(&mut self.typed_path)
                .hint_text(strings.path_hint)
                .desired_width(f32::INFINITY),
        );
        let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let typed = expand_home(self.typed_path.trim());
        ui.horizontal(|ui| {
            let has_path = !self.typed_path.trim().is_empty();
            if ui
                .add_enabled(has_path, egui::Button::new(strings.open_typed_path))
                .clicked()
                || (submitted && has_path)
            {
                outbox.action(Action::OpenProject(typed.clone()));
            }
            if ui
                .add_enabled(has_path, egui::Button::new(strings.create_typed_path))
                .clicked()
            {
                outbox.action(Action::CreateProject(typed.clone()));
            }
        });
        ui.add_space(8.0);
        if (ui.button(strings.server.connect_button))
            .on_hover_text(strings.server.connect_hint)
            .clicked()
        {
            self.connect.open();
        }
        ui.add_space(16.0);
        if ui
            .button(RichText::new(strings.open_sample).size(16.0))
            .clicked()
        {
            outbox.action(Action::OpenSample);
        }
    }

    fn recent_ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &Settings,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        ui.heading(strings.recent_projects);
        if settings.recent_projects.is_empty() {
            ui.weak(strings.no_recent_projects);
        }
        for path in &settings.recent_projects {
            ui.horizontal(|ui| {
                let address = path.to_string_lossy();
                if is_server_address(&address) {
                    let name = server_project_name(&address);
                    let link = ui.link(name).on_hover_text(format!(
                        "{}\n{}",
                        address, strings.server.recent_server_hint
                    ));
                    if link.clicked() {
                        self.connect.open_and_connect(&address, strings);
                    }
                } else {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |name| name.to_string_lossy().into_owned(),
                    );
                    let exists = path.is_file();
                    let link = ui
                        .add_enabled(exists, egui::Link::new(name))
                        .on_hover_text(path.display().to_string());
                    if link.clicked() {
                        outbox.action(Action::OpenProject(path.clone()));
                    }
                }
                if ui
                    .small_button("×")
                    .on_hover_text(strings.remove_from_list)
                    .clicked()
                {
                    outbox.action(Action::ForgetRecent(path.clone()));
                }
            });
        }
    }
}

/// `project（host/database）` for a server address in the recent list.
fn server_project_name(address: &str) -> String {
    match crate::store::ServerAddress::parse(address) {
        Ok(parsed) => {
            let place = address
                .split_once('@')
                .map_or(address, |(_, place)| place)
                .split('?')
                .next()
                .unwrap_or_default();
            format!("{}（{place}）", parsed.project)
        }
        Err(_) => address.to_owned(),
    }
}

/// Asks the system file dialog for a project file; `None` when cancelled or when no dialog
/// service exists (the typed path remains).
pub fn pick_project_file() -> Option<PathBuf> {
    rfd::FileDialog::new()
        .add_filter("casecode", &["casecode"])
        .pick_file()
}

/// Asks the system file dialog where to create a project.
pub fn pick_new_project_file() -> Option<PathBuf> {
    rfd::FileDialog::new()
        .add_filter("casecode", &["casecode"])
        .set_file_name("study.casecode")
        .save_file()
}

/// `~/x` → `$HOME/x`; anything else unchanged.
fn expand_home(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => Path::new(typed).to_owned(),
    }
}
