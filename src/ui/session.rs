//! An open project in the workbench: the [`Project`], the [`Snapshot`] the panels read, and the
//! state of the three panels. Commands sent by the panels are executed here, one by one, each
//! undoable on its own; after them the snapshot and the open transcript's codings are re-read.
//! On a team server, `session/live.rs` keeps the session live: other coders' commands re-read
//! it the same way, and commands sent while the server cannot be reached wait for it.
//! In a large project (issue 17) the counts of codings are re-read on a worker thread and the
//! analysis tabs compute on workers too, so that no frame waits for a million codings.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use eframe::egui;

use crate::command::{Command, NewCoding};
use crate::import::qdpx::read_exchange_file;
use crate::import::txt::{TxtFlags, collect_transcripts};
use crate::model::{CodeId, DocumentId, MemoTarget};
use crate::project::Project;
use crate::ui::action::{Action, Outbox};
use crate::ui::cases::panel::CasesPanel;
use crate::ui::centre::{Centre, CentreTab};
use crate::ui::codes::tree::CodeTreePanel;
use crate::ui::editor::{EditorOutcome, TranscriptEditor};
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{BACKGROUND_FROM_CODINGS, Job, Progress};
use crate::ui::menu::APPLY_CODE;
use crate::ui::orphans::OrphanWindow;
use crate::ui::reimport::ReimportWindow;
use crate::ui::server_link::ServerLink;
use crate::ui::snapshot::{CodingCounts, Snapshot};
use crate::ui::start::connect::Connected;
use crate::ui::transcript::quick_code::QuickCode;
use crate::ui::transcript::view::TranscriptView;
use crate::ui::windows::export::{ExportKind, ExportWindow};
use crate::ui::windows::import::{ImportKind, ImportRequest, ImportWindow};
use crate::ui::windows::memo::MemoWindow;
use crate::ui::windows::merge::MergeWindow;

mod background;
mod live;

pub use live::Sent;

/// The narrowest the centre (the transcript) may become when the side panels are widened.
const TRANSCRIPT_MIN: f32 = 480.0;

/// What a finished operation wants to tell the user.
pub type Report = anyhow::Result<String>;

/// What a background import brings back: the status-line message and the warnings, or `None`
/// when it was cancelled before it changed anything.
type Imported = Option<(String, Vec<String>)>;

/// One open project and its panels.
pub struct Session {
    project: Project,
    snapshot: Snapshot,
    transcript: Option<TranscriptView>,
    code_tree: CodeTreePanel,
    quick_code: QuickCode,
    centre: Centre,
    import_job: Option<Job<Imported>>,
    import_window: ImportWindow,
    export_window: ExportWindow,
    cases: CasesPanel,
    memo_window: MemoWindow,
    merge_window: MergeWindow,
    orphan_window: OrphanWindow,
    reimport_window: ReimportWindow,
    /// 逐語録を編集: the open transcript's text being edited.
    editor: Option<TranscriptEditor>,
    /// 他のコーダーを隠す: only the workbench's coder's codings are drawn and counted.
    blind: bool,
    /// On a team server: the listener for other coders' commands and the lost-connection
    /// state (see [`ServerLink`]).
    server: Option<ServerLink>,
    /// The counts of codings being re-read after a change (a large project).
    counts_job: Option<Job<CodingCounts>>,
    /// A document, the snapshot and the open transcript being read on workers (a large
    /// project).
    pending: background::Pending,
    /// Read on workers whatever the project's size (tests of the large-project behaviour on
    /// a small study).
    always_background: bool,
}

impl Session {
    /// Opens a project file; `coder` (when not empty) is recorded on new codings. The first
    /// document is shown.
    pub fn open(path: &Path, coder: &str) -> anyhow::Result<Session> {
        let mut project = Project::open(path)?;
        project.set_coder(coder);
        let server = (project.server())
            .map(|_| ServerLink::start(path.to_string_lossy().into_owned(), &project));
        Session::with_project(project, server)
    }

    /// A project the connect dialog opened on a team server.
    pub fn from_connected(connected: Connected) -> anyhow::Result<Session> {
        let Connected {
            open_url,
            project,
            listener,
        } = connected;
        Session::with_project(project, Some(ServerLink::new(open_url, listener)))
    }

    /// Creates a project file and opens it.
    pub fn create(path: &Path, coder: &str) -> anyhow::Result<Session> {
        let mut project = Project::create(path)?;
        project.set_coder(coder);
        Session::with_project(project, None)
    }

    fn with_project(project: Project, server: Option<ServerLink>) -> anyhow::Result<Session> {
        let snapshot = Snapshot::read(&project)?;
        let first = snapshot.documents.first().map(|document| document.id);
        let mut session = Session {
            project,
            snapshot,
            transcript: None,
            code_tree: CodeTreePanel::default(),
            quick_code: QuickCode::default(),
            centre: Centre::default(),
            import_job: None,
            import_window: ImportWindow::default(),
            export_window: ExportWindow::default(),
            cases: CasesPanel::default(),
            memo_window: MemoWindow::default(),
            merge_window: MergeWindow::default(),
            orphan_window: OrphanWindow::default(),
            reimport_window: ReimportWindow::default(),
            editor: None,
            blind: false,
            server,
            counts_job: None,
            pending: background::Pending::default(),
            always_background: false,
        };
        let background = session.is_large();
        session.centre.set_background(background);
        // Already on the worker that opens the project.
        if let Some(document_id) = first {
            session.load_document_now(document_id)?;
        }
        Ok(session)
    }

    /// The project.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Sets the coder of new codings (ignored when empty).
    pub fn set_coder(&mut self, coder: &str) {
        self.project.set_coder(coder);
    }

    /// 他のコーダーを隠す: while on, other coders' codings are neither drawn in the transcript
    /// nor counted in the code tree; the project keeps them.
    pub fn set_blind(&mut self, blind: bool) -> anyhow::Result<()> {
        self.blind = blind;
        self.refresh()
    }

    /// Opens the window of ファイル ▸ プロジェクトを統合….
    pub fn open_merge(&mut self) {
        self.merge_window.open();
    }

    /// Opens the orphan review window (孤立コーディングと要確認).
    pub fn open_orphans(&mut self) {
        self.orphan_window.open();
    }

    /// Opens ファイル ▸ 改訂版を取り込む… on the open transcript's document.
    pub fn open_reimport(&mut self) {
        let document_id = self.transcript.as_ref().map(TranscriptView::document_id);
        self.reimport_window.open(document_id);
    }

    /// True while the 改訂版を取り込む window is shown.
    pub fn reimport_open(&self) -> bool {
        self.reimport_window.is_open()
    }

    /// True while the 改訂版を取り込む window reads and compares its file in the background.
    pub fn reimport_reading(&self) -> bool {
        self.reimport_window.is_reading()
    }

    /// Blocks until the 改訂版を取り込む window's reading (if any) has finished.
    pub fn wait_for_reimport(&mut self) {
        self.reimport_window.wait();
    }

    /// The transcript editor, while 逐語録を編集 is on.
    pub fn editor(&self) -> Option<&TranscriptEditor> {
        self.editor.as_ref()
    }

    /// True while the orphan review window is shown.
    pub fn orphans_open(&self) -> bool {
        self.orphan_window.is_open()
    }

    /// The merge window (tests read its dry-run report).
    pub fn merge_window(&self) -> &MergeWindow {
        &self.merge_window
    }

    /// True while other coders' codings are hidden.
    pub fn is_blind(&self) -> bool {
        self.blind
    }

    /// Sets the dictionary folder of the settings (`None`: automatic); a change loads the
    /// text layer again when next needed.
    pub fn set_dictionary(&mut self, folder: Option<PathBuf>) {
        self.centre.search.set_dictionary(folder);
    }

    /// True when the project has so many codings that its counts and analysis views are
    /// computed on worker threads ([`BACKGROUND_FROM_CODINGS`]).
    pub fn is_large(&self) -> bool {
        self.always_background || self.snapshot.codings >= BACKGROUND_FROM_CODINGS
    }

    /// Reads documents, the snapshot after a change and the analysis views on worker
    /// threads whatever the project's size, as a large project does (tests use it on a small
    /// study).
    pub fn set_background(&mut self) {
        self.always_background = true;
        self.centre.set_background(true);
    }

    /// True while work of this project runs on a worker thread (an import, counts, a view).
    pub fn is_busy(&self) -> bool {
        self.import_job.is_some()
            || self.counts_job.is_some()
            || self.pending.is_busy()
            || self.centre.is_busy()
    }

    /// True while the snapshot, its counts, the open transcript or a document are read on
    /// workers (after a change, or to open a document).
    pub fn is_rereading(&self) -> bool {
        self.counts_job.is_some() || self.pending.is_busy()
    }

    /// True while a document is read on a worker to be shown in the transcript.
    pub fn is_opening_document(&self) -> bool {
        self.pending.opening().is_some()
    }

    /// Blocks until what is being re-read (the counts, the snapshot, the open transcript, a
    /// document being opened) is in place (tests).
    pub fn wait_for_counts(&mut self) -> anyhow::Result<()> {
        let mut outbox = Outbox::default();
        self.poll_pending(true, &mut outbox);
        if let Some(mut job) = self.counts_job.take()
            && let Some(counts) = job.wait()
        {
            self.snapshot.set_counts(counts?);
        }
        for action in outbox.actions {
            if let Action::Problem(problem) = action {
                anyhow::bail!("{problem}");
            }
        }
        Ok(())
    }

    /// Puts the counts of a finished worker into the snapshot.
    fn poll_counts(&mut self, outbox: &mut Outbox) {
        let Some(job) = &mut self.counts_job else {
            return;
        };
        match job.poll() {
            None => {}
            Some(Ok(counts)) => {
                self.counts_job = None;
                self.snapshot.set_counts(counts);
            }
            Some(Err(error)) => {
                self.counts_job = None;
                outbox.action(Action::Problem(format!("{error:#}")));
            }
        }
    }

    /// What the panels read.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The open transcript.
    pub fn transcript(&self) -> Option<&TranscriptView> {
        self.transcript.as_ref()
    }

    /// The open transcript, to change its selection.
    pub fn transcript_mut(&mut self) -> Option<&mut TranscriptView> {
        self.transcript.as_mut()
    }

    /// The code selected in the code tree.
    pub fn selected_code(&self) -> Option<CodeId> {
        self.code_tree.selected()
    }

    /// The centre tabs (matrix, crosstab, search) and which one is shown.
    pub fn centre(&self) -> &Centre {
        &self.centre
    }

    /// The centre tabs, to switch tabs or set their options.
    pub fn centre_mut(&mut self) -> &mut Centre {
        &mut self.centre
    }

    /// Opens a document in the transcript tab with `[start, end)` selected and in view; the
    /// tab shown before gets a back button.
    pub fn show_segment(
        &mut self,
        document_id: DocumentId,
        start: usize,
        end: usize,
    ) -> anyhow::Result<()> {
        let shown = |view: &TranscriptView| view.document_id() == document_id;
        if self.is_large() && !self.transcript.as_ref().is_some_and(shown) {
            // Selected and scrolled to once the worker has read it.
            self.open_document_in_background(document_id, Some((start, end)));
        } else {
            self.open_document(document_id)?;
            if let Some(view) = &mut self.transcript {
                view.reveal(start, end);
            }
        }
        if self.centre.tab != CentreTab::Transcript {
            self.centre.came_from = Some(self.centre.tab);
            self.centre.tab = CentreTab::Transcript;
        }
        Ok(())
    }

    /// Shows a document in the centre; in a large project it is read on a worker while the
    /// transcript shown stays.
    pub fn open_document(&mut self, document_id: DocumentId) -> anyhow::Result<()> {
        if self
            .transcript
            .as_ref()
            .is_some_and(|view| view.document_id() == document_id)
        {
            // Back to the document shown: one still being read is no longer wanted.
            self.pending.cancel_document();
            return Ok(());
        }
        if self.is_large() {
            self.open_document_in_background(document_id, None);
            return Ok(());
        }
        self.load_document_now(document_id)
    }

    /// Reads a document and shows it, in this frame.
    fn load_document_now(&mut self, document_id: DocumentId) -> anyhow::Result<()> {
        self.transcript = TranscriptView::load(&self.project, document_id)?;
        if self.blind
            && let Some(view) = &mut self.transcript
        {
            view.set_only_coder(&self.project, Some(self.project.coder()))?;
        }
        Ok(())
    }

    /// The three panels: cases on the left, codes on the right, the transcript in the centre.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        strings: &'static Strings,
        text_size: f32,
        outbox: &mut Outbox,
    ) {
        self.poll_counts(outbox);
        self.poll_pending(false, outbox);
        if self.counts_job.is_some() {
            // Keeps frames coming until the counts are in.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        let open = self.transcript.as_ref().map(TranscriptView::document_id);
        let text_selected = self
            .transcript
            .as_ref()
            .is_some_and(|view| view.selected_span().is_some());
        self.server_banner_ui(ui, strings);
        // Both side panels are resizable (egui remembers their widths between runs), start
        // in proportion to the window, and always leave the transcript room for a readable
        // line (at 1280 px it used to be narrower than the code tree).
        let width = ui.available_width();
        let cases_default = (width * 0.17).clamp(180.0, 260.0);
        let codes_default = (width * 0.24).clamp(260.0, 380.0);
        egui::Panel::left("cases")
            .resizable(true)
            .default_size(cases_default)
            .min_size(160.0)
            .max_size((width - TRANSCRIPT_MIN - 220.0).max(160.0))
            .show(ui, |ui| {
                self.cases.ui(ui, &self.snapshot, strings, open, outbox)
            });
        egui::Panel::right("codes")
            .resizable(true)
            .default_size(codes_default)
            .min_size(220.0)
            .max_size((width - TRANSCRIPT_MIN - 160.0).max(220.0))
            .show(ui, |ui| {
                self.code_tree
                    .ui(ui, &self.snapshot, strings, text_selected, outbox);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(job) = &self.import_job {
                job.ui(ui, strings.cancel);
            }
            self.centre.tabs_ui(ui, strings);
            // Below the tabs: a bar coming or going must not move them (their ids would
            // change and a click between two frames be lost).
            self.pending_ui(ui, strings);
            if self.centre.tab != CentreTab::Transcript {
                let shown = self.centre.analysis_ui(
                    ui,
                    &self.project,
                    &self.snapshot,
                    self.code_tree.selected(),
                    strings,
                    outbox,
                );
                if let Err(error) = shown {
                    outbox.action(Action::Notify {
                        text: fill(strings.error, &[&format!("{error:#}")]),
                        error: true,
                    });
                }
                return;
            }
            match &mut self.transcript {
                Some(view) => {
                    // The keyboard way to code: select text, select a code, Ctrl+Enter.
                    if let Some(code_id) = self.code_tree.selected()
                        && view.selected_span().is_some()
                        && !ui.ctx().egui_wants_keyboard_input()
                        && ui.input_mut(|input| input.consume_shortcut(&APPLY_CODE))
                    {
                        outbox.action(Action::ApplyCode(code_id));
                    }
                    view.set_recode_target(
                        self.code_tree
                            .selected()
                            .map(|code_id| (code_id, self.snapshot.tree.path_string(code_id))),
                    );
                    self.quick_code
                        .ui(ui, &self.snapshot, strings, text_selected, outbox);
                    let mut blind = self.blind;
                    let hint = fill(strings.team.blind_hint, &[&self.project.coder()]);
                    if ui
                        .toggle_value(&mut blind, strings.team.blind_toggle)
                        .on_hover_text(hint)
                        .changed()
                    {
                        outbox.action(Action::SetBlind(blind));
                    }
                    let document_id = view.document_id();
                    match self
                        .editor
                        .as_mut()
                        .filter(|editor| editor.document_id() == document_id)
                    {
                        Some(editor) => {
                            let outcome = editor.ui(
                                ui,
                                &self.project,
                                &self.snapshot,
                                view.codings(),
                                strings,
                                text_size,
                                outbox,
                            );
                            if outcome == EditorOutcome::Closed {
                                self.editor = None;
                            }
                        }
                        None => {
                            let revise = strings.revise;
                            if (ui.button(revise.edit_transcript))
                                .on_hover_text(revise.edit_transcript_hint)
                                .clicked()
                            {
                                let selection = view.selected_span();
                                match TranscriptEditor::open(
                                    &self.project,
                                    document_id,
                                    selection,
                                    view.codings(),
                                ) {
                                    Ok(editor) => self.editor = Some(editor),
                                    Err(error) => {
                                        outbox.action(Action::Problem(format!("{error:#}")))
                                    }
                                }
                            }
                            view.ui(ui, &self.snapshot, strings, text_size, outbox);
                        }
                    }
                }
                None => {
                    ui.centered_and_justified(|ui| ui.weak(strings.choose_document));
                }
            }
        });
        self.memo_window.ui(ui.ctx(), strings, outbox);
        (self.merge_window).ui(ui.ctx(), &self.project, strings, outbox);
        let selection = (self.transcript.as_ref())
            .and_then(|view| Some((view.document_id(), view.selected_span()?)));
        (self.reimport_window).ui(ui.ctx(), &self.project, &self.snapshot, strings, outbox);
        (self.orphan_window).ui(
            ui.ctx(),
            &self.project,
            &self.snapshot,
            selection,
            strings,
            outbox,
        );
        self.export_window
            .ui(ui.ctx(), &self.snapshot, strings, outbox);
        self.import_window.ui(ui.ctx(), strings, outbox);
    }

    /// Opens the memo window on the memo of the project, a case, a document, a code or a
    /// coding, as stored in the project.
    pub fn open_memo(&mut self, target: MemoTarget, strings: &Strings) -> anyhow::Result<()> {
        self.memo_window
            .open(target, &self.project, &self.snapshot, strings)
    }

    /// Executes one command; returns its label. On a team server that cannot be reached the
    /// command is kept and sent once reconnected (the banner shows it).
    pub fn execute(&mut self, command: Command) -> Report {
        match self.send(command)? {
            Sent::Applied(label) | Sent::Kept(label) => Ok(label),
        }
    }

    /// Executes one command as the workbench does after a frame: the status line's message,
    /// which says when the command was kept for a server that cannot be reached.
    pub fn execute_for_status(&mut self, command: Command, strings: &Strings) -> Report {
        Ok(match self.send(command)? {
            Sent::Applied(label) => label,
            Sent::Kept(label) => fill(strings.server.queued, &[&label]),
        })
    }

    /// Undoes the latest command; returns its label (`None`: nothing to undo).
    pub fn undo(&mut self) -> anyhow::Result<Option<String>> {
        let undone = self.project.undo();
        self.own_history_step("undo", undone)
    }

    /// Redoes the latest undone command; returns its label (`None`: nothing to redo).
    pub fn redo(&mut self) -> anyhow::Result<Option<String>> {
        let redone = self.project.redo();
        self.own_history_step("redo", redone)
    }

    /// Applies a code to the selected text of the open transcript.
    pub fn apply_code(&mut self, code_id: CodeId, strings: &Strings) -> Report {
        let Some((document_id, (start, end))) = self
            .transcript
            .as_ref()
            .and_then(|view| Some((view.document_id(), view.selected_span()?)))
        else {
            anyhow::bail!("{}", strings.select_text_first);
        };
        let coder = self.project.coder().to_owned();
        let path = self.snapshot.tree.path_string(code_id);
        if self
            .transcript
            .as_ref()
            .is_some_and(|view| view.has_coding(code_id, start, end, &coder))
        {
            anyhow::bail!(
                "{}",
                fill(
                    strings.workbench.already_coded,
                    &[&path, &start, &end, &coder]
                )
            );
        }
        let command = Command::AddCodings {
            codings: vec![NewCoding {
                document_id,
                code_id,
                start,
                end,
                coder,
                memo: String::new(),
            }],
        };
        let sent = self.send(command)?;
        // Coded (or kept to send): the selection has done its work (a later click cannot
        // code it again).
        if let Some(view) = &mut self.transcript {
            view.clear_selection();
        }
        Ok(match sent {
            Sent::Applied(label) => format!("{label}: {path} [{start}, {end})"),
            Sent::Kept(label) => fill(strings.server.queued, &[&label]),
        })
    }

    /// The export window (tests set its filter).
    pub fn export_window_mut(&mut self) -> &mut ExportWindow {
        &mut self.export_window
    }

    /// Opens the export window for `kind`, with a file name next to the project.
    pub fn open_export(&mut self, kind: ExportKind) {
        self.export_window.open(kind, self.project.path());
    }

    /// In-vivo coding: a new code named after the selected words (under the code selected in
    /// the tree, or at the top level), applied to them, as one command.
    pub fn code_in_vivo(&mut self, strings: &Strings) -> Report {
        let Some((document_id, (start, end), text)) = self.transcript.as_ref().and_then(|view| {
            Some((
                view.document_id(),
                view.selected_span()?,
                view.selected_text()?,
            ))
        }) else {
            anyhow::bail!("{}", strings.select_text_first);
        };
        let name = crate::command::in_vivo_name(text);
        let sent = self.send(Command::CodeInVivo {
            parent_id: self.code_tree.selected(),
            name,
            coding: NewCoding {
                document_id,
                code_id: CodeId(0),
                start,
                end,
                coder: self.project.coder().to_owned(),
                memo: String::new(),
            },
        })?;
        if let Some(view) = &mut self.transcript {
            view.clear_selection();
        }
        Ok(match sent {
            Sent::Applied(label) => format!("{label} [{start}, {end})"),
            Sent::Kept(label) => fill(strings.server.queued, &[&label]),
        })
    }

    /// Starts importing `.txt` and `.docx` files and folders (dropped on the window) with the
    /// default options on a background thread; [`Session::poll_import`] picks up the result.
    pub fn start_import(&mut self, paths: Vec<PathBuf>, strings: &'static Strings) -> Report {
        let flags = TxtFlags::default();
        self.start_import_request(ImportRequest::Transcripts { paths, flags }, strings)
    }

    /// Opens the import window (with a dropped file, reads it).
    pub fn open_import(&mut self, kind: ImportKind, path: Option<&Path>) {
        self.import_window.open(kind, path);
    }

    /// Starts an import from the import window on a background thread.
    pub fn start_import_request(
        &mut self,
        request: ImportRequest,
        strings: &'static Strings,
    ) -> Report {
        let import = &strings.import;
        match request {
            ImportRequest::Transcripts { paths, flags } => {
                let label = fill(strings.centre.importing, &[&paths.len()]);
                self.spawn_import(label, strings, move |progress, project| {
                    let options = flags.options().map_err(anyhow::Error::msg)?;
                    let mut collected = collect_transcripts(&paths, &options)?;
                    let count = collected.documents.len();
                    if count == 0 {
                        anyhow::bail!("{}", strings.nothing_to_import);
                    }
                    if progress.is_cancelled() {
                        return Ok(None);
                    }
                    let warnings = std::mem::take(&mut collected.warnings);
                    let source: Vec<String> = paths
                        .iter()
                        .map(|path| path.display().to_string())
                        .collect();
                    project.execute(collected.into_command(source.join(", ")))?;
                    Ok(Some((fill(strings.imported, &[&count]), warnings)))
                })
            }
            ImportRequest::Exchange(file) => {
                let label = fill(import.importing_file, &[&file.display()]);
                self.spawn_import(label, strings, move |progress, project| {
                    let (exchange, warnings) = read_exchange_file(&file)?;
                    if progress.is_cancelled() {
                        return Ok(None);
                    }
                    let counts = exchange.counts();
                    let label = project.execute(Command::ImportExchange {
                        exchange: Box::new(exchange),
                    })?;
                    Ok(Some((
                        fill(import.exchange_done, &[&label, &counts]),
                        warnings,
                    )))
                })
            }
            ImportRequest::Survey {
                file,
                cases,
                documents,
                command,
            } => {
                let label = fill(import.importing_file, &[&file.display()]);
                self.spawn_import(label, strings, move |_, project| {
                    project.execute(*command)?;
                    let message = fill(import.survey_done, &[&cases, &documents, &file.display()]);
                    Ok(Some((message, Vec::new())))
                })
            }
        }
    }

    /// Runs `work` on a background thread with its own connection to the project.
    fn spawn_import(
        &mut self,
        label: String,
        strings: &'static Strings,
        work: impl FnOnce(&Progress, &mut Project) -> anyhow::Result<Imported> + Send + 'static,
    ) -> Report {
        if self.import_job.is_some() {
            anyhow::bail!("{}", strings.centre.import_running);
        }
        // On a server: the address it was opened with (a typed password is not in the path).
        let path = self.reopen_path();
        let coder = self.project.coder().to_owned();
        self.import_job = Some(Job::spawn(label, move |progress| {
            let mut project = Project::open(&path)?;
            project.set_coder(&coder);
            work(progress, &mut project)
        }));
        Ok(String::new())
    }

    /// The finished import's report, once (`None` while none has finished); `wait` blocks
    /// until it finishes. Warnings are counted in the message and listed in the report window.
    pub fn poll_import(&mut self, wait: bool, strings: &Strings) -> Option<Report> {
        let job = self.import_job.as_mut()?;
        let result = if wait { job.wait() } else { job.poll() }?;
        self.import_job = None;
        let report = match result {
            Ok(Some((message, warnings))) => self.refresh().map(|()| {
                if warnings.is_empty() {
                    return message;
                }
                let message = fill(strings.import.with_warnings, &[&message, &warnings.len()]);
                self.import_window.show_report(message.clone(), warnings);
                message
            }),
            Ok(None) => Ok(strings.centre.import_cancelled.to_owned()),
            Err(error) => Err(error),
        };
        Some(report)
    }

    /// Re-reads the snapshot and the open transcript after commands.
    pub fn refresh(&mut self) -> anyhow::Result<()> {
        if self.is_offline() {
            // Nothing can be read; the views keep showing what they read last.
            return Ok(());
        }
        if self.is_large() {
            // A million codings take seconds to count and the open transcript thousands of
            // codings to read: the panels keep what they show until workers have read it.
            self.refresh_in_background();
            self.centre.invalidate();
            return Ok(());
        }
        let only_coder = self.blind.then(|| self.project.coder());
        self.snapshot =
            Snapshot::read_for(&self.project, only_coder).context("reading the project")?;
        // Once large, a project stays in the background mode for the session (a few codings
        // removed should not make the next matrix freeze the window again).
        if self.snapshot.codings >= BACKGROUND_FROM_CODINGS {
            self.centre.set_background(true);
        }
        self.centre.invalidate();
        let Some(view) = &mut self.transcript else {
            return Ok(());
        };
        let document_id = view.document_id();
        if self
            .snapshot
            .documents
            .iter()
            .any(|document| document.id == document_id)
        {
            view.reload_if_revised(&self.project)?;
            view.set_only_coder(&self.project, only_coder)?;
        } else {
            self.transcript = None;
        }
        if self.transcript.is_none()
            && let Some(first) = self.snapshot.documents.first().map(|document| document.id)
        {
            self.open_document(first)?;
        }
        Ok(())
    }
}
