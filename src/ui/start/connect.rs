//! サーバーに接続…: the dialog that opens a project on a team server. The researcher types the
//! address (`postgres://USER@HOST:PORT/DB?project=NAME`) and, when the server asks for one, a
//! password; プロジェクト一覧 lists the server's projects to pick from; 接続 opens one. Listing and
//! connecting run on a thread of their own, so an unreachable host never freezes the window.
//!
//! The password lives in this dialog's memory and, once connected, in the session's (to
//! reconnect); it is written nowhere: the recent-projects list keeps the address without it.
//! Every failure is shown in the dialog, Japanese first, with the server's own words after it.

use eframe::egui;

use crate::project::Project;
use crate::store::{ServerAddress, ServerListener, Store};
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Job;

/// A project opened on a server by the dialog, ready to become the session.
pub struct Connected {
    /// What was connected to, password included when one was typed (memory only).
    pub open_url: String,
    pub project: Project,
    /// The listener for other coders' commands; `None` when it could not start (the session
    /// then reconnects as after a lost connection).
    pub listener: Option<ServerListener>,
}

/// The dialog's state.
#[derive(Default)]
pub struct ConnectDialog {
    open: bool,
    url: String,
    password: String,
    projects: Option<Vec<String>>,
    listing: Option<Job<Vec<String>>>,
    connecting: Option<Job<Connected>>,
    error: Option<String>,
}

impl ConnectDialog {
    /// Opens the dialog (keeping what was typed before).
    pub fn open(&mut self) {
        self.open = true;
        self.error = None;
    }

    /// Opens the dialog on `url` (a recent server project) and connects at once; a server
    /// that asks for a password shows its refusal here, next to the password field.
    pub fn open_and_connect(&mut self, url: &str, strings: &Strings) {
        self.open = true;
        self.url = url.to_owned();
        self.projects = None;
        self.connect(strings);
    }

    /// Opens the dialog on `url` (without its password) with why it did not open.
    pub fn show_failure(&mut self, url: &str, error: &anyhow::Error, strings: &Strings) {
        self.open = true;
        self.url = url.to_owned();
        self.projects = None;
        self.error = Some(explain(error, strings));
    }

    /// True while the dialog is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The error shown in the dialog.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The projects listed by プロジェクト一覧, once listed.
    pub fn projects(&self) -> Option<&[String]> {
        self.projects.as_deref()
    }

    /// True while a listing or a connection runs in the background.
    pub fn is_busy(&self) -> bool {
        self.listing.is_some() || self.connecting.is_some()
    }

    /// Blocks until the background listing or connection has finished (tests).
    pub fn wait(&mut self, strings: &Strings) -> Option<Connected> {
        if let Some(mut job) = self.listing.take() {
            let result = job.wait();
            self.listed(result, strings);
        }
        let mut job = self.connecting.take()?;
        let result = job.wait();
        self.connected(result, strings)
    }

    /// The project once a connection has succeeded (once); the dialog closes then.
    pub fn poll(&mut self, strings: &Strings) -> Option<Connected> {
        if let Some(job) = &mut self.listing
            && let Some(result) = job.poll()
        {
            self.listing = None;
            self.listed(Some(result), strings);
        }
        let result = self.connecting.as_mut()?.poll()?;
        self.connecting = None;
        self.connected(Some(result), strings)
    }

    fn listed(&mut self, result: Option<anyhow::Result<Vec<String>>>, strings: &Strings) {
        match result {
            Some(Ok(projects)) => {
                self.projects = Some(projects);
                self.error = None;
            }
            Some(Err(error)) => self.error = Some(explain(&error, strings)),
            None => {}
        }
    }

    fn connected(
        &mut self,
        result: Option<anyhow::Result<Connected>>,
        strings: &Strings,
    ) -> Option<Connected> {
        match result? {
            Ok(connected) => {
                self.open = false;
                self.error = None;
                self.password.clear();
                Some(connected)
            }
            Err(error) => {
                self.error = Some(explain(&error, strings));
                None
            }
        }
    }

    /// The dialog, while open.
    pub fn ui(&mut self, ctx: &egui::Context, strings: &Strings) {
        if !self.open {
            return;
        }
        let server = strings.server;
        let mut list = false;
        let mut connect = false;
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("connect-server")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(server.dialog_title);
            ui.label(server.dialog_intro);
            ui.add_space(6.0);
            let label = ui.label(server.url);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.url)
                        .hint_text(server.url_hint)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            let entered =
                field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
            let label = ui.label(server.password);
            ui.add(
                egui::TextEdit::singleline(&mut self.password)
                    .password(true)
                    .hint_text(server.password_hint)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            ui.add_space(6.0);
            let idle = !self.is_busy();
            let has_url = !self.url.trim().is_empty();
            ui.horizontal(|ui| {
                list = ui
                    .add_enabled(idle && has_url, egui::Button::new(server.list_projects))
                    .clicked();
                connect = ui
                    .add_enabled(idle && has_url, egui::Button::new(server.connect))
                    .clicked()
                    || (entered && idle && has_url);
                close = ui.button(server.close).clicked();
                if self.listing.is_some() {
                    ui.weak(server.listing);
                }
                if self.connecting.is_some() {
                    ui.weak(server.connecting);
                }
            });
            if let Some(projects) = &self.projects {
                ui.separator();
                if projects.is_empty() {
                    ui.weak(server.no_projects);
                } else {
                    ui.label(server.projects_heading);
                    let chosen = selected_project(&self.url);
                    egui::ScrollArea::vertical()
                        .max_height(180.0)
                        .auto_shrink([false, true])
                        .show(ui, |ui| {
                            for project in projects {
                                let selected = chosen.as_deref() == Some(project.as_str());
                                if ui.selectable_label(selected, project).clicked() {
                                    self.url = with_project(&self.url, project);
                                    self.error = None;
                                }
                            }
                        });
                }
            }
            if let Some(error) = &self.error {
                ui.separator();
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if self.is_busy() {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
        });
        if list {
            self.list(strings);
        }
        if connect {
            self.connect(strings);
        }
        if close || (modal.should_close() && !self.is_busy()) {
            self.open = false;
        }
    }

    /// プロジェクト一覧: lists the projects of the typed database in the background.
    fn list(&mut self, strings: &Strings) {
        let url = match self.login_url(strings, false) {
            Ok(url) => url,
            Err(message) => {
                self.error = Some(message);
                return;
            }
        };
        self.error = None;
        self.listing = Some(Job::spawn(strings.server.listing, move |_| {
            let address = ServerAddress::parse(&url)?;
            Ok(Store::server_projects(&address)?)
        }));
    }

    /// 接続: opens the typed project in the background.
    fn connect(&mut self, strings: &Strings) {
        let url = match self.login_url(strings, true) {
            Ok(url) => url,
            Err(message) => {
                self.error = Some(message);
                return;
            }
        };
        self.error = None;
        self.connecting = Some(Job::spawn(strings.server.connecting, move |_| {
            let project = Project::open(std::path::Path::new(&url))?;
            let listener = project
                .server()
                .and_then(|address| ServerListener::start(address).ok());
            Ok(Connected {
                open_url: url,
                project,
                listener,
            })
        }));
    }

    /// The typed address with the typed password in it, checked; the error in the user's
    /// words otherwise.
    fn login_url(&self, strings: &Strings, needs_project: bool) -> Result<String, String> {
        let server = strings.server;
        let typed = self.url.trim();
        let address = ServerAddress::parse(typed).map_err(|error| match error {
            crate::Error::BadInput { message, .. } => fill(server.bad_url, &[&message]),
            other => fill(server.bad_url, &[&other]),
        })?;
        if needs_project && address.project.is_empty() {
            return Err(server.no_project_in_url.to_owned());
        }
        if self.password.is_empty() {
            return Ok(typed.to_owned());
        }
        with_password(typed, &self.password).ok_or_else(|| server.password_needs_user.to_owned())
    }
}

/// The project named by `?project=` in a typed address.
fn selected_project(url: &str) -> Option<String> {
    ServerAddress::parse(url.trim())
        .ok()
        .map(|address| address.project)
        .filter(|project| !project.is_empty())
}

/// `url` with its `project=` parameter set to `project` (other parameters kept).
pub fn with_project(url: &str, project: &str) -> String {
    let url = url.trim();
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("project="))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("project={}", percent_encode(project)));
    format!("{base}?{}", pairs.join("&"))
}

/// `url` with `password` as the password of its user (replacing one written in it); `None`
/// when the address names no user.
pub fn with_password(url: &str, password: &str) -> Option<String> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (user_info, host) = rest[..authority_end].rsplit_once('@')?;
    let user = user_info.split(':').next().unwrap_or_default();
    if user.is_empty() {
        return None;
    }
    Some(format!(
        "{}{user}:{}@{host}{}",
        &url[..scheme_end],
        percent_encode(password),
        &rest[authority_end..]
    ))
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A failure to list or to connect, Japanese first, then the server's own words.
fn explain(error: &anyhow::Error, strings: &Strings) -> String {
    let server = strings.server;
    let detail = format!("{error:#}");
    match error.downcast_ref::<crate::Error>() {
        Some(crate::Error::ServerUnreachable { message, .. }) => {
            if message.contains("authentication") || message.contains("role \"") {
                fill(server.authentication, &[message])
            } else {
                fill(server.unreachable, &[message])
            }
        }
        Some(crate::Error::BadInput { file, message }) if message.contains("no project") => {
            let project = ServerAddress::parse(file)
                .map(|address| address.project)
                .unwrap_or_default();
            fill(server.no_such_project, &[&project])
        }
        Some(crate::Error::BadInput { message, .. }) => fill(server.bad_url, &[message]),
        _ => fill(server.other_error, &[&detail]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_project_replaces_the_one_in_the_address_and_keeps_other_parameters() {
        assert_eq!(
            with_project("postgres://鈴木@db:5432/study", "面接 2026"),
            "postgres://鈴木@db:5432/study?project=%E9%9D%A2%E6%8E%A5%202026"
        );
        assert_eq!(
            with_project("postgres://a@db/study?sslmode=require&project=old", "new"),
            "postgres://a@db/study?sslmode=require&project=new"
        );
    }

    #[test]
    fn a_typed_password_goes_into_the_address_encoded_and_replaces_a_written_one() {
        assert_eq!(
            with_password("postgres://suzuki@db:5432/study?project=s", "p@ss:w/rd").as_deref(),
            Some("postgres://suzuki:p%40ss%3Aw%2Frd@db:5432/study?project=s")
        );
        assert_eq!(
            with_password("postgres://suzuki:old@db/study", "new").as_deref(),
            Some("postgres://suzuki:new@db/study")
        );
        assert_eq!(with_password("postgres://db/study", "x"), None);
        // The password round-trips through the address parser and is hidden when shown.
        let url = with_password("postgres://suzuki@db/study?project=s", "秘密").expect("a user");
        let address = ServerAddress::parse(&url).expect("a valid address");
        assert_eq!(address.display, "postgres://suzuki:***@db/study?project=s");
    }
}
