//! The orphan review window (編集 ▸ 孤立コーディングと要確認…, or the 要確認 count in the status
//! line): codings whose text a revision deleted (orphans: old text, code, coder, document) and
//! codings a revision clipped or replaced (要確認). It reads the project and sends
//! `Command::ReattachOrphan` (再付与, onto the text selected in the transcript),
//! `Command::DeleteOrphans` (削除), `Command::SetCodingReviews` (確認済み: the flag is
//! removed) and `Action::ShowSegment` (表示); it never writes itself.

mod window;

pub use window::OrphanWindow;
