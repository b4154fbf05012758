//! 逐語録を編集: the open transcript as a multiline text field (IME, copy and paste as in any
//! egui field), opened with the transcript's selection selected. 保存 sends one
//! `Command::ReviseDocument` with the edits from a character diff of the stored text and the
//! edited one (codings re-anchored by the core, undoable as one step); キャンセル or Esc
//! discards. A find-and-replace row replaces in the field (saved with 保存) or, with nothing
//! unsaved, in every document at once (`Command::ReplaceText`, one undo step: anonymising a
//! name). It never writes the project itself.

mod view;

pub use view::{EditorOutcome, TranscriptEditor};
