//! 逐語録を編集: the open transcript as a multiline text field (IME, copy and paste as in any
//! egui field), opened with the transcript's selection selected. 保存 sends one
//! `Command::ReviseDocument` with the edits from a character diff of the stored text and the
//! edited one (codings re-anchored by the core, undoable as one step); キャンセル or Esc
//! discards. The document's codings stay drawn on the text while it is edited, re-anchored on
//! every change by the rules saving applies ([`LiveMarks`]): they shift, grow and shrink as the
//! researcher types, and a coding whose text is wholly deleted is listed as an orphan-to-be.
//! A find-and-replace row replaces in the field (saved with 保存) or, with nothing
//! unsaved, in every document at once (`Command::ReplaceText`, one undo step: anonymising a
//! name). It never writes the project itself.

mod marks;
mod view;

pub use marks::{LiveMark, LiveMarks};
pub use view::{EditorOutcome, TranscriptEditor};
