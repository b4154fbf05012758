//! casecode: code Japanese interview transcripts and read them through a case-code matrix
//! (事例-コード・マトリックス).
//!
//! The core (model, store, command, project, text, import, export, listing) knows nothing of
//! any user interface. It is driven through [`project::Project::execute`] with a
//! [`command::Command`]; every command is applied in one SQLite transaction and returns its
//! inverse, which makes undo/redo and the audit journal. The CLI ([`cli`]) is a thin face
//! over it; the egui workbench (`ui`, feature `gui`, on by default) is another: its views read a
//! snapshot of the project and send the same commands, one folder per view under `src/ui/`.
//! Offsets are Unicode code points, half-open `[start, end)`.

pub mod analysis;
pub mod cli;
pub mod codebook;
pub mod command;
pub mod corpus;
mod error;
pub mod export;
pub mod import;
pub mod listing;
pub mod methods;
pub mod model;
pub mod project;
pub mod revise;
pub mod sample;
pub mod store;
pub mod text;
#[cfg(feature = "gui")]
pub mod ui;

pub use error::{Error, Result};
