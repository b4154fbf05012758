//! The start screen, shown when no project is open: recent projects, open or create a project,
//! the sample study, サーバーに接続… (a project on a team server). Sends `Action::OpenProject`,
//! `CreateProject`, `OpenSample`, `ForgetRecent`; a server project opened by the connect
//! dialog is taken by the workbench with `StartScreen::take_connected`.

pub mod connect;
pub mod sample_study;
pub mod screen;
