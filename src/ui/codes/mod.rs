//! The right panel: the code tree, the editor under it and its dialogs. Sends `Action::ApplyCode`,
//! `EditMemo`, `Problem` and the code commands (`AddCode`, `RenameCode`, `EditCode`, `MoveCode`,
//! `MergeCodes`, `DeleteCode`).

pub(super) mod dialogs;
pub(super) mod editor;
pub(super) mod tree;
