//! The 逐語録 tab: one transcript with its codings, the quick-code box above it and the menu of
//! each coding. Sends `Action::ApplyCode`, `CodeInVivo` and the coding commands (`RecodeCodings`,
//! `RemoveCodings`, `SetExemplar`, `SetCodingMemo`).

pub(super) mod coding_menu;
pub(super) mod layout;
pub(super) mod quick_code;
pub mod view;
