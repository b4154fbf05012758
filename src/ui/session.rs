//! An open project in the workbench: the [`Project`], the [`Snapshot`] the panels read, and the
//! state of the three panels. Commands sent by the panels are executed here, one by one, each
//! undoable on its own; after them the snapshot and the open transcript's codings are re-read.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use eframe::egui;

use crate::command::{Command, NewCoding};
use crate::import::txt::{TxtOptions, collect_transcripts};
use crate::model::{CodeId, DocumentId, MemoTarget};
use crate::project::Project;
use crate::ui::action::Outbox;
use crate::ui::cases_panel::CasesPanel;
use crate::ui::code_tree::CodeTreePanel;
use crate::ui::i18n::Strings;
use crate::ui::memo_window::MemoWindow;
use crate::ui::quick_code::QuickCode;
use crate::ui::snapshot::Snapshot;
use crate::ui::transcript::TranscriptView;

/// What a finished operation wants to tell the user.
pub type Report = anyhow::Result<String>;

/// One open project and its panels.
pub struct Session {
    project: Project,
    snapshot: Snapshot,
    transcript: Option<TranscriptView>,
    code_tree: CodeTreePanel,
    quick_code: QuickCode,
    cases: CasesPanel,
    memo_window: MemoWindow,
}

impl Session {
    /// Opens a project file; `coder` (when not empty) is recorded on new codings. The first
    /// document is shown.
    pub fn open(path: &Path, coder: &str) -> anyhow::Result<Session> {
        let mut project = Project::open(path)?;
        project.set_coder(coder);
        Session::with_project(project)
    }

    /// Creates a project file and opens it.
    pub fn create(path: &Path, coder: &str) -> anyhow::Result<Session> {
        let mut project = Project::create(path)?;
        project.set_coder(coder);
        Session::with_project(project)
    }

    fn with_project(project: Project) -> anyhow::Result<Session> {
        let snapshot = Snapshot::read(&project)?;
        let first = snapshot.documents.first().map(|document| document.id);
        let mut session = Session {
            project,
            snapshot,
            transcript: None,
            code_tree: CodeTreePanel::default(),
            quick_code: QuickCode::default(),
            cases: CasesPanel::default(),
            memo_window: MemoWindow::default(),
        };
        if let Some(document_id) = first {
            session.open_document(document_id)?;
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

    /// Shows a document in the centre.
    pub fn open_document(&mut self, document_id: DocumentId) -> anyhow::Result<()> {
        if self
            .transcript
            .as_ref()
            .is_some_and(|view| view.document_id() == document_id)
        {
            return Ok(());
        }
        self.transcript = TranscriptView::load(&self.project, document_id)?;
        Ok(())
    }

    /// The three panels: cases on the left, codes on the right, the transcript in the centre.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        strings: &Strings,
        text_size: f32,
        outbox: &mut Outbox,
    ) {
        let open = self.transcript.as_ref().map(TranscriptView::document_id);
        let text_selected = self
            .transcript
            .as_ref()
            .is_some_and(|view| view.selected_span().is_some());
        egui::Panel::left("cases")
            .resizable(true)
            .default_size(250.0)
            .show(ui, |ui| {
                self.cases.ui(ui, &self.snapshot, strings, open, outbox)
            });
        egui::Panel::right("codes")
            .resizable(true)
            .default_size(340.0)
            .show(ui, |ui| {
                self.code_tree
                    .ui(ui, &self.snapshot, strings, text_selected, outbox);
            });
        egui::CentralPanel::default().show(ui, |ui| match &mut self.transcript {
            Some(view) => {
                self.quick_code
                    .ui(ui, &self.snapshot, strings, text_selected, outbox);
                view.ui(ui, &self.snapshot, strings, text_size, outbox);
            }
            None => {
                ui.centered_and_justified(|ui| ui.weak(strings.choose_document));
            }
        });
        self.memo_window.ui(ui.ctx(), strings, outbox);
    }

    /// Opens the memo window on the memo of the project, a case, a document, a code or a
    /// coding, as stored in the project.
    pub fn open_memo(&mut self, target: MemoTarget, strings: &Strings) -> anyhow::Result<()> {
        self.memo_window
            .open(target, &self.project, &self.snapshot, strings)
    }

    /// Executes one command; returns its label.
    pub fn execute(&mut self, command: Command) -> Report {
        Ok(self.project.execute(command)?)
    }

    /// Undoes the latest command; returns its label (`None`: nothing to undo).
    pub fn undo(&mut self) -> anyhow::Result<Option<String>> {
        Ok(self.project.undo()?)
    }

    /// Redoes the latest undone command; returns its label (`None`: nothing to redo).
    pub fn redo(&mut self) -> anyhow::Result<Option<String>> {
        Ok(self.project.redo()?)
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
        let command = Command::AddCodings {
            codings: vec![NewCoding {
                document_id,
                code_id,
                start,
                end,
                coder: self.project.coder().to_owned(),
                memo: String::new(),
            }],
        };
        let label = self.project.execute(command)?;
        let path = self.snapshot.tree.path_string(code_id);
        Ok(format!("{label}: {path} [{start}, {end})"))
    }

    /// Imports `.txt` files and folders as one command; returns the number of documents and
    /// the warnings (skipped files).
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        strings: &Strings,
    ) -> anyhow::Result<(usize, Vec<String>)> {
        let collected = collect_transcripts(paths, &TxtOptions::default())?;
        let count = collected.documents.len();
        if count == 0 {
            anyhow::bail!("{}", strings.nothing_to_import);
        }
        self.project.execute(Command::ImportDocuments {
            documents: collected.documents,
        })?;
        Ok((count, collected.warnings))
    }

    /// Re-reads the snapshot and the open transcript after commands.
    pub fn refresh(&mut self) -> anyhow::Result<()> {
        self.snapshot = Snapshot::read(&self.project).context("reading the project")?;
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
            view.reload_codings(&self.project)?;
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
