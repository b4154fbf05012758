//! The start screen, shown when no project is open: recent projects, open or create a project,
//! the sample study. Sends `Action::OpenProject`, `CreateProject`, `OpenSample`, `ForgetRecent`.

pub mod sample_study;
pub(super) mod screen;
