//! The workbench: the start screen or an open project's panels, the menu bar, the status line
//! and the settings window. Each frame the panels read and send [`Command`]s and [`Action`]s
//! into an [`Outbox`]; after the frame [`Workbench::apply`] executes them in order, so nothing is
//! mutated while it is being drawn. There is no Save: every command is already stored. A
//! project opened from the window (the start screen, a recent project, a dropped file) is read on
//! a worker thread with a progress bar in the status line, so that a project of a million codings
//! does not freeze the window while it loads (issue 17).

use std::path::{Path, PathBuf};

use eframe::egui;

use crate::command::Command;
use crate::project::Project;
use crate::ui::action::{Action, Outbox};
use crate::ui::fonts::install_japanese_font;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Job;
use crate::ui::menu::{MenuState, menu_bar_ui, shortcut_actions};
use crate::ui::server_link::without_password;
use crate::ui::session::Session;
use crate::ui::settings::{Settings, SettingsFile, ThemeChoice};
use crate::ui::start::connect::Connected;
use crate::ui::start::sample_study::{ensure_sample_project, sample_folder};
use crate::ui::start::screen::StartScreen;
use crate::ui::transcript::view::TranscriptView;
use crate::ui::windows::import::ImportKind;
use crate::ui::windows::settings::SettingsWindow;

/// A line in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Status {
    text: String,
    error: bool,
}

/// The whole application state.
pub struct Workbench {
    settings: Settings,
    settings_file: SettingsFile,
    /// Set once the font of the settings has been loaded into the context.
    fonts_ready: bool,
    font_in_use: Option<PathBuf>,
    applied_theme: Option<ThemeChoice>,
    session: Option<Session>,
    start: StartScreen,
    settings_window: SettingsWindow,
    status: Option<Status>,
    /// Where "サンプル研究を開く" builds the sample study.
    sample_folder: PathBuf,
    /// The coder prompt's field while it is open (a project opened with no coder name set).
    coder_prompt: Option<String>,
    /// A project being opened on a worker thread, and its file.
    opening: Option<(PathBuf, Job<Session>)>,
}

impl Workbench {
    /// A workbench with the settings of `settings_file` and nothing open.
    pub fn new(settings_file: SettingsFile) -> Workbench {
        let (settings, problem) = settings_file.load();
        let status = problem.map(|error| Status {
            text: format!("{error:#}"),
            error: true,
        });
        Workbench {
            settings,
            settings_file,
            fonts_ready: false,
            font_in_use: None,
            applied_theme: None,
            session: None,
            start: StartScreen::default(),
            settings_window: SettingsWindow::default(),
            status,
            sample_folder: sample_folder(),
            coder_prompt: None,
            opening: None,
        }
    }

    /// Builds the sample study in `folder` instead of the user's cache folder.
    pub fn with_sample_folder(mut self, folder: PathBuf) -> Workbench {
        self.sample_folder = folder;
        self
    }

    /// The open project.
    pub fn project(&self) -> Option<&Project> {
        self.session.as_ref().map(Session::project)
    }

    /// The open transcript.
    pub fn transcript(&self) -> Option<&TranscriptView> {
        self.session.as_ref().and_then(Session::transcript)
    }

    /// The open transcript, to set its selection.
    pub fn transcript_mut(&mut self) -> Option<&mut TranscriptView> {
        self.session.as_mut().and_then(Session::transcript_mut)
    }

    /// Sets the coder recorded on new codings, in the settings (saved) and in the open project.
    pub fn set_coder(&mut self, name: &str) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        self.settings.coder = name.to_owned();
        if let Some(session) = &mut self.session {
            session.set_coder(name);
        }
        self.coder_prompt = None;
        self.save_settings();
    }

    /// True while the workbench asks for the coder's name.
    pub fn is_asking_for_coder(&self) -> bool {
        self.coder_prompt.is_some()
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The font file loaded for Japanese, once the first frame has run.
    pub fn font_in_use(&self) -> Option<&Path> {
        self.font_in_use.as_deref()
    }

    /// The status line (the last message or error).
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|status| status.text.as_str())
    }

    /// Opens a project file now, in this thread, reporting failure in the status line (tests
    /// and scripts; the window opens projects with [`Action::OpenProject`], on a worker).
    pub fn open_project(&mut self, path: &Path) {
        if crate::store::is_server_address(&path.to_string_lossy()) {
            // A server address that does not open goes to the connect dialog (see `act`).
            self.act(Action::OpenProject(path.to_owned()));
            return;
        }
        let coder = self.settings.coder.clone();
        let report = self.start_session(path, Session::open(path, &coder));
        self.report(report);
    }

    /// True while a project is being opened on a worker thread.
    pub fn is_opening(&self) -> bool {
        self.opening.is_some()
    }

    /// True while anything runs on a worker thread: a project opening, an import, counts, an
    /// analysis view.
    pub fn is_busy(&self) -> bool {
        self.opening.is_some() || self.session.as_ref().is_some_and(Session::is_busy)
    }

    /// Starts opening a project file on a worker thread; the next frames show its progress
    /// and, once read, the project.
    fn open_in_background(&mut self, path: PathBuf, strings: &Strings) -> anyhow::Result<String> {
        if let Some((_, job)) = self.opening.take() {
            job.cancel();
        }
        let coder = self.settings.coder.clone();
        let label = fill(strings.jobs.opening, &[&path.display()]);
        let file = path.clone();
        let job = Job::spawn(label, move |_| Session::open(&file, &coder));
        self.opening = Some((path, job));
        Ok(String::new())
    }

    /// Takes the opened project once its worker has finished (`wait`: blocks until then).
    fn poll_opening(&mut self, wait: bool) {
        let Some((_, job)) = &mut self.opening else {
            return;
        };
        if job.is_cancelled() {
            self.opening = None;
            return;
        }
        let result = if wait { job.wait() } else { job.poll() };
        let Some(result) = result else {
            return;
        };
        let Some((path, _)) = self.opening.take() else {
            return;
        };
        let report = self.start_session(&path, result);
        self.report(report);
    }

    /// The open session (tests drive its tabs through it).
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    /// The open session.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Blocks until the background import (if any) has finished and reports it, as the
    /// next frame would; tests call it instead of waiting for frames.
    pub fn wait_for_background(&mut self) {
        self.poll_opening(true);
        let strings = self.settings.language.strings();
        if let Some(report) = self
            .session
            .as_mut()
            .and_then(|session| session.poll_import(true, strings))
        {
            self.report(report);
        }
        if let Some(session) = &mut self.session
            && let Err(error) = (session.wait_for_counts())
                .and_then(|()| session.centre_mut().wait_for_background())
        {
            self.report(Err(error));
        }
        if let Some(session) = &mut self.session {
            session.wait_for_reimport();
        }
    }

    /// Blocks until the connect dialog's background work (listing, connecting) and a team
    /// server reconnection under way have finished, and takes their results as the next
    /// frame would (tests).
    pub fn wait_for_server(&mut self) {
        let strings = self.settings.language.strings();
        if let Some(connected) = self.start.connect_dialog_mut().wait(strings) {
            let report = self.open_connected(connected);
            self.report(report);
        }
        if let Some(report) =
            (self.session.as_mut()).and_then(|session| session.poll_server(None, strings, true))
        {
            self.report(report);
        }
    }

    /// The start screen (tests reach its connect dialog).
    pub fn start_screen_mut(&mut self) -> &mut StartScreen {
        &mut self.start
    }

    /// One frame: draw everything, then apply what was sent.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.prepare_context(ui.ctx());
        let strings = self.settings.language.strings();
        if let Some(report) = self
            .session
            .as_mut()
            .and_then(|session| session.poll_import(false, strings))
        {
            self.report(report);
        }
        if let Some(report) = (self.session.as_mut())
            .and_then(|session| session.poll_server(Some(ui.ctx()), strings, false))
        {
            self.report(report);
        }
        let mut outbox = Outbox::default();
        shortcut_actions(ui.ctx(), &mut outbox);
        self.dropped_files(ui.ctx(), &mut outbox);
        let snapshot = self.session.as_ref().map(Session::snapshot);
        let menu = MenuState {
            project_open: self.session.is_some(),
            undo_label: snapshot.and_then(|s| s.undo_label.as_deref()),
            redo_label: snapshot.and_then(|s| s.redo_label.as_deref()),
        };
        egui::Panel::top("menu").show(ui, |ui| {
            if menu_bar_ui(ui, &menu, strings, &mut outbox) {
                self.settings_window.open = true;
            }
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, strings));
        match &mut self.session {
            Some(session) => {
                session.ui(ui, strings, self.settings.transcript_text_size, &mut outbox);
            }
            None => {
                egui::CentralPanel::default().show(ui, |ui| {
                    self.start.ui(ui, &self.settings, strings, &mut outbox);
                });
                if let Some(connected) = self.start.take_connected(strings) {
                    let report = self.open_connected(connected);
                    self.report(report);
                }
            }
        }
        self.drop_overlay_ui(ui, strings);
        self.coder_prompt_ui(ui.ctx(), strings);
        let change = self.settings_window.ui(
            ui.ctx(),
            &mut self.settings,
            self.font_in_use.as_ref(),
            strings,
        );
        if change.font {
            outbox.action(Action::ReloadFont);
        }
        if change.changed {
            if let Some(session) = &mut self.session {
                session.set_coder(&self.settings.coder);
                if change.dictionary {
                    session.set_dictionary(self.settings.dictionary_path.clone());
                }
            }
            self.save_settings();
        }
        self.apply(outbox);
        // After the frame that showed the progress: a project opened on a worker replaces the
        // screen from the next frame on.
        self.poll_opening(false);
        crate::ui::probe::flush(ui.input(|input| input.pointer.any_down()));
    }

    /// Loads the font and sets the theme when they are new or changed.
    fn prepare_context(&mut self, ctx: &egui::Context) {
        if !self.fonts_ready {
            self.fonts_ready = true;
            match install_japanese_font(ctx, self.settings.font_path.as_deref()) {
                Ok(found) => self.font_in_use = found,
                Err(error) => self.report(Err(error)),
            }
        }
        if self.applied_theme != Some(self.settings.theme) {
            self.applied_theme = Some(self.settings.theme);
            ctx.set_theme(match self.settings.theme {
                ThemeChoice::System => egui::ThemePreference::System,
                ThemeChoice::Light => egui::ThemePreference::Light,
                ThemeChoice::Dark => egui::ThemePreference::Dark,
            });
        }
    }

    /// Executes the frame's commands, then its actions.
    pub fn apply(&mut self, outbox: Outbox) {
        let Outbox { commands, actions } = outbox;
        if !commands.is_empty() {
            self.execute(commands);
        }
        for action in actions {
            self.act(action);
        }
    }

    fn execute(&mut self, commands: Vec<Command>) {
        let strings = self.settings.language.strings();
        let Some(session) = &mut self.session else {
            return;
        };
        let mut reports = Vec::new();
        for command in commands {
            reports.push(session.execute_for_status(command, strings));
        }
        reports.push(session.refresh().map(|()| String::new()));
        for report in reports {
            self.report(report);
        }
    }

    /// Does one action now.
    pub fn act(&mut self, action: Action) {
        let strings = self.settings.language.strings();
        let coder = self.settings.coder.clone();
        let report = match action {
            Action::OpenProject(path)
                if crate::store::is_server_address(&path.to_string_lossy()) =>
            {
                match Session::open(&path, &coder) {
                    // A server address that did not open (`casecode gui URL`): the connect
                    // dialog says why in its words and lets the researcher fix it or type a
                    // password.
                    Err(error) => {
                        let address = without_password(&path.to_string_lossy());
                        (self.start.connect_dialog_mut()).show_failure(&address, &error, strings);
                        Err(error)
                    }
                    opened => self.start_session(&path, opened),
                }
            }
            Action::OpenProject(path) => self.open_in_background(path, strings),
            Action::CreateProject(path) => {
                self.start_session(&path, Session::create(&path, &coder))
            }
            Action::OpenSample => ensure_sample_project(&self.sample_folder, false)
                .and_then(|path| match Session::open(&path, &coder) {
                    Ok(session) => Ok((path, session)),
                    // A sample from an older build: build it again.
                    Err(_) => ensure_sample_project(&self.sample_folder, true)
                        .and_then(|path| Ok((path.clone(), Session::open(&path, &coder)?))),
                })
                .and_then(|(path, session)| self.start_session(&path, Ok(session))),
            Action::ImportPaths(paths) => self.import(&paths, strings),
            Action::CloseProject => {
                if let Some(previous) = self.session.take() {
                    crate::ui::jobs::drop_elsewhere(previous);
                }
                Ok(String::new())
            }
            Action::ForgetRecent(path) => {
                self.settings.forget_project(&path);
                self.save_settings();
                Ok(String::new())
            }
            Action::ReloadFont => {
                self.fonts_ready = false;
                Ok(String::new())
            }
            Action::Undo | Action::Redo => self.undo_or_redo(action == Action::Undo, strings),
            Action::Notify { text, error } => {
                self.status = Some(Status { text, error });
                Ok(String::new())
            }
            Action::Problem(problem) => Err(anyhow::anyhow!(problem)),
            Action::OpenDocument(_)
            | Action::ApplyCode(_)
            | Action::CodeInVivo
            | Action::EditMemo(_)
            | Action::OpenExport(_)
            | Action::Export(_)
            | Action::OpenImport { .. }
            | Action::RunImport(_)
            | Action::ShowSegment { .. }
            | Action::SetBlind(_)
            | Action::OpenMerge
            | Action::OpenOrphans
            | Action::OpenReimport => self.session_action(action, strings),
        };
        self.report(report);
    }

    fn session_action(
        &mut self,
        action: Action,
        strings: &'static Strings,
    ) -> anyhow::Result<String> {
        let Some(session) = &mut self.session else {
            // A survey or a REFI-QDA file dropped on the start screen has nowhere to go.
            if matches!(action, Action::OpenImport { .. } | Action::RunImport(_)) {
                anyhow::bail!("{}", strings.import_needs_project);
            }
            return Ok(String::new());
        };
        // Going somewhere or opening a window changes nothing to read again (at a million
        // codings re-reading took most of the ~480 ms of opening another document).
        let changes = !matches!(
            action,
            Action::OpenDocument(_)
                | Action::ShowSegment { .. }
                | Action::OpenExport(_)
                | Action::OpenImport { .. }
                | Action::EditMemo(_)
                | Action::OpenMerge
                | Action::OpenOrphans
                | Action::OpenReimport
        );
        let report = match action {
            Action::OpenDocument(document_id) => {
                session.open_document(document_id).map(|()| String::new())
            }
            Action::ApplyCode(code_id) => session.apply_code(code_id, strings),
            Action::CodeInVivo => session.code_in_vivo(strings),
            Action::OpenExport(kind) => {
                session.open_export(kind);
                Ok(String::new())
            }
            Action::Export(request) => request.run(session.project(), strings),
            Action::OpenImport { kind, path } => {
                session.open_import(kind, path.as_deref());
                Ok(String::new())
            }
            Action::RunImport(request) => session.start_import_request(*request, strings),
            Action::ShowSegment {
                document_id,
                start,
                end,
            } => session
                .show_segment(document_id, start, end)
                .map(|()| String::new()),
            Action::EditMemo(target) => session.open_memo(target, strings).map(|()| String::new()),
            Action::SetBlind(blind) => session.set_blind(blind).map(|()| String::new()),
            Action::OpenMerge => {
                session.open_merge();
                Ok(String::new())
            }
            Action::OpenOrphans => {
                session.open_orphans();
                Ok(String::new())
            }
            Action::OpenReimport => {
                session.open_reimport();
                Ok(String::new())
            }
            _ => Ok(String::new()),
        };
        if changes {
            session.refresh()?;
        }
        report
    }

    fn undo_or_redo(&mut self, undo: bool, strings: &Strings) -> anyhow::Result<String> {
        let Some(session) = &mut self.session else {
            return Ok(String::new());
        };
        if session.is_offline() {
            anyhow::bail!("{}", strings.server.undo_while_offline);
        }
        let done = if undo { session.undo() } else { session.redo() };
        session.refresh()?;
        Ok(match done? {
            Some(label) if undo => fill(strings.undo_with, &[&label]),
            Some(label) => fill(strings.redo_with, &[&label]),
            None if undo => strings.nothing_to_undo.to_owned(),
            None => strings.nothing_to_redo.to_owned(),
        })
    }

    fn start_session(
        &mut self,
        path: &Path,
        session: anyhow::Result<Session>,
    ) -> anyhow::Result<String> {
        let mut session = session?;
        session.set_dictionary(self.settings.dictionary_path.clone());
        // On a team server the coder is the PostgreSQL role signed in: nothing to ask.
        let on_server = session.project().server().is_some();
        if self.settings.coder.trim().is_empty() && !on_server {
            // Codings record their coder: ask once, before the first one, instead of storing
            // a made-up name.
            self.coder_prompt = Some(login_name());
        }
        // A server project is remembered (and shown) by its address without the password.
        let remembered = if on_server {
            PathBuf::from(without_password(&path.to_string_lossy()))
        } else {
            path.to_owned()
        };
        if let Some(previous) = self.session.replace(session) {
            crate::ui::jobs::drop_elsewhere(previous);
        }
        self.settings.remember_project(&remembered);
        self.save_settings();
        let strings = self.settings.language.strings();
        Ok(fill(strings.opened, &[&remembered.display()]))
    }

    /// Opens the server project the connect dialog connected to.
    fn open_connected(&mut self, connected: Connected) -> anyhow::Result<String> {
        let path = PathBuf::from(&connected.open_url);
        self.start_session(&path, Session::from_connected(connected))
    }

    fn import(&mut self, paths: &[PathBuf], strings: &'static Strings) -> anyhow::Result<String> {
        let Some(session) = &mut self.session else {
            anyhow::bail!("{}", strings.import_needs_project);
        };
        session.start_import(paths.to_vec(), strings)
    }

    /// Shows a result in the status line; empty success messages leave it unchanged.
    fn report(&mut self, report: anyhow::Result<String>) {
        match report {
            Ok(text) if text.is_empty() => {}
            Ok(text) => {
                self.status = Some(Status { text, error: false });
            }
            Err(error) => {
                let strings = self.settings.language.strings();
                self.status = Some(Status {
                    text: fill(strings.error, &[&format!("{error:#}")]),
                    error: true,
                });
            }
        }
    }

    fn save_settings(&mut self) {
        if let Err(error) = self.settings_file.save(&self.settings) {
            self.report(Err(error));
        }
    }

    fn status_ui(&mut self, ui: &mut egui::Ui, strings: &Strings) {
        ui.horizontal(|ui| {
            if let Some((_, job)) = &self.opening {
                job.ui(ui, strings.cancel);
                ui.separator();
            }
            if let Some(session) = &mut self.session {
                let counts = session.snapshot();
                let workbench = strings.workbench;
                ui.weak(format!(
                    "{}{}{}",
                    session.project().path().display(),
                    workbench.status_separator,
                    workbench.counts(
                        counts.cases.len(),
                        counts.documents.len(),
                        counts.tree.len()
                    ),
                ));
                ui.separator();
                ui.label(fill(workbench.status_coder, &[&session.project().coder()]))
                    .on_hover_text(workbench.status_coder_hint);
                ui.separator();
                let to_review = session.snapshot().to_review;
                if to_review > 0 {
                    let count = fill(strings.revise.status_count, &[&to_review]);
                    if (ui.link(count).on_hover_text(strings.revise.status_hint)).clicked() {
                        session.open_orphans();
                    }
                    ui.separator();
                }
            }
            if let Some(status) = &self.status {
                if status.error {
                    ui.colored_label(ui.visuals().error_fg_color, &status.text);
                } else {
                    ui.label(&status.text);
                }
            }
        });
    }

    /// Asks for the coder's name (prefilled with the login name) until one is given.
    fn coder_prompt_ui(&mut self, ctx: &egui::Context, strings: &Strings) {
        let Some(name) = &mut self.coder_prompt else {
            return;
        };
        let workbench = strings.workbench;
        let mut chosen = None;
        egui::Modal::new(egui::Id::unique("coder-prompt")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading(workbench.coder_title);
            ui.label(workbench.coder_intro);
            ui.add_space(6.0);
            let submitted = ui
                .horizontal(|ui| {
                    let label = ui.label(workbench.coder_name);
                    let field = ui
                        .add(egui::TextEdit::singleline(name).desired_width(220.0))
                        .labelled_by(label.id);
                    field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter))
                })
                .inner;
            ui.add_space(6.0);
            let ready = !name.trim().is_empty();
            let ok = ui.add_enabled(ready, egui::Button::new(workbench.coder_ok));
            if !ready {
                ui.weak(workbench.coder_empty);
            }
            if ready && (ok.clicked() || submitted) {
                chosen = Some(name.trim().to_owned());
            }
        });
        if let Some(name) = chosen {
            self.set_coder(&name);
            self.status = Some(Status {
                text: fill(workbench.coder_set, &[&name]),
                error: false,
            });
        }
    }

    /// Files dropped on the window: a `.casecode` file opens; a REFI-QDA file or a survey opens
    /// its import window; transcripts and folders are imported.
    fn dropped_files(&mut self, ctx: &egui::Context, outbox: &mut Outbox) {
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_owned())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        let is_project = |path: &PathBuf| {
            path.extension()
                .is_some_and(|extension| extension.eq_ignore_ascii_case("casecode"))
        };
        if let Some(project) = dropped.iter().find(|path| is_project(path)) {
            outbox.action(Action::OpenProject(project.clone()));
            return;
        }
        // Surveys and REFI-QDA files each need their window (one at a time); the rest are
        // transcripts and folders.
        let mut windows = Vec::new();
        let mut transcripts = Vec::new();
        for path in dropped {
            match ImportKind::of_path(&path) {
                Some(kind) => windows.push((kind, path)),
                None => transcripts.push(path),
            }
        }
        let mut windows = windows.into_iter();
        if let Some((kind, path)) = windows.next() {
            outbox.action(Action::OpenImport {
                kind,
                path: Some(path),
            });
        }
        let left: Vec<String> = windows
            .map(|(_, path)| path.display().to_string())
            .collect();
        if !left.is_empty() {
            let strings = self.settings.language.strings();
            outbox.action(Action::Problem(fill(
                strings.import.one_at_a_time,
                &[&left.join(", ")],
            )));
        }
        if !transcripts.is_empty() {
            outbox.action(Action::ImportPaths(transcripts));
        }
    }

    /// A hint over the window while files are dragged over it.
    fn drop_overlay_ui(&self, ui: &egui::Ui, strings: &Strings) {
        if ui.input(|input| input.raw.hovered_files.is_empty()) {
            return;
        }
        let screen = ui.ctx().content_rect();
        let painter = ui.ctx().layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop-overlay"),
        ));
        painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            screen.center(),
            egui::Align2::CENTER_CENTER,
            strings.drop_hint,
            egui::FontId::proportional(18.0),
            egui::Color32::WHITE,
        );
    }
}

/// The login name of the operating system's user, or nothing when it is not known.
fn login_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|key| std::env::var(key).ok())
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty())
        .unwrap_or_default()
}

impl eframe::App for Workbench {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        Workbench::ui(self, ui);
    }
}
