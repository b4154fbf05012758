//! What the panels send during a frame. Project changes are core [`Command`]s; everything else
//! the workbench does (open a project, undo, show a document) is an [`Action`]. Both are
//! collected in an [`Outbox`] and applied after the frame, so no panel mutates state while
//! another is still reading it.

use std::path::PathBuf;

use crate::command::Command;
use crate::model::{CodeId, DocumentId, MemoTarget};
use crate::ui::windows::export::{ExportKind, ExportRequest};
use crate::ui::windows::import::{ImportKind, ImportRequest};

/// A workbench intent that is not a project command.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Open an existing project file.
    OpenProject(PathBuf),
    /// Create a new project file and open it.
    CreateProject(PathBuf),
    /// Build the sample study (once) and open it.
    OpenSample,
    /// Import `.txt` files and folders into the open project as one command.
    ImportPaths(Vec<PathBuf>),
    /// Open the import window for a REFI-QDA file or a survey (with a dropped file, read it).
    OpenImport {
        kind: ImportKind,
        path: Option<PathBuf>,
    },
    /// Run an import from the import window in the background, as one command.
    RunImport(Box<ImportRequest>),
    /// Close the open project and return to the start screen.
    CloseProject,
    /// Show a document in the transcript view.
    OpenDocument(DocumentId),
    /// Undo the latest command.
    Undo,
    /// Redo the latest undone command.
    Redo,
    /// Remove a project from the recent list.
    ForgetRecent(PathBuf),
    /// Apply a code to the current text selection.
    ApplyCode(CodeId),
    /// Reload the Japanese font from the settings.
    ReloadFont,
    /// Open a document in the transcript tab with `[start, end)` selected and scrolled into
    /// view (from a matrix cell or a search hit; the tab it came from gets a back button).
    ShowSegment {
        document_id: DocumentId,
        start: usize,
        end: usize,
    },
    /// Create a code named after the selected words and apply it to them (in-vivo coding),
    /// under the code selected in the tree (or at the top level).
    CodeInVivo,
    /// Open the export window for one kind of export.
    OpenExport(ExportKind),
    /// Write an export file.
    Export(Box<ExportRequest>),
    /// Show a message in the status line (what a background job or a panel reports).
    Notify { text: String, error: bool },
    /// Open the memo window on the memo of the project, a case, a document or a code.
    EditMemo(MemoTarget),
    /// Show a problem a panel found in the status line (the panel sent nothing).
    Problem(String),
    /// 他のコーダーを隠す on or off (blind coding: other coders' codings are not shown).
    SetBlind(bool),
    /// Open the window of ファイル ▸ プロジェクトを統合….
    OpenMerge,
    /// Open the orphan review window (孤立コーディングと要確認).
    OpenOrphans,
    /// Open the window of ファイル ▸ 改訂版を取り込む… (on the open transcript's document).
    OpenReimport,
}

/// The commands and actions sent during one frame, applied in order after it.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Project commands, each executed (and undoable) on its own.
    pub commands: Vec<Command>,
    /// Workbench actions.
    pub actions: Vec<Action>,
}

impl Outbox {
    /// Sends a project command.
    pub fn command(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Sends a workbench action.
    pub fn action(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// True when nothing was sent.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty() && self.actions.is_empty()
    }
}
