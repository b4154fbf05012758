//! The windows opened from the menus and panels: import, export, memo, settings. Sends
//! `Action::RunImport`, `Export`, `EditMemo` and `SetMemo`; the settings window hands its edited
//! settings back to the app.

pub mod export;
pub mod import;
pub mod memo;
pub(super) mod settings;
