//! ファイル ▸ 改訂版を取り込む…: a corrected file (.txt in any encoding, .docx) replaces the text
//! of one document. The window shows the core's `revise::Revision` preview first — how many
//! edits, and for each coding that changes whether it moves, shrinks or grows, is flagged
//! 要確認 or becomes an orphan, with its old and new text — and 取り込む sends the revision's
//! one `Command::ReviseDocument`. The file is read and diffed on a background job (a spinner
//! and キャンセル meanwhile), so the window stays responsive. It never writes the project
//! itself.

mod window;

pub use window::ReimportWindow;
