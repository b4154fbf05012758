//! The core's error type. Every message names what it is about (file, document, code) so that
//! the CLI and the GUI can show it as is.

use std::path::PathBuf;

/// Errors of the UI-free core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// A PostgreSQL error, with its SQLSTATE and the server's detail.
    #[error("PostgreSQL: {0}")]
    Postgres(String),

    /// A unique, check or foreign-key constraint refused a write on the server.
    #[error("PostgreSQL: {0}")]
    PostgresConstraint(String),

    /// A serializable transaction lost to a concurrent one (SQLSTATE 40001/40P01); the command
    /// is retried from the start.
    #[error(
        "the server refused the command because another coder's command changed the same rows at the same moment: {0}"
    )]
    ServerConflict(String),

    /// The connection to the team server is lost or was never made.
    #[error("{url}: cannot reach the team server: {message}")]
    ServerUnreachable { url: String, message: String },

    /// The signed-in PostgreSQL role may read but not write this project.
    #[error(
        "{url}: your PostgreSQL role may read this project but not change it (reviewer): {message}"
    )]
    ReadOnlyRole { url: String, message: String },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{0}: the file already exists; casecode never overwrites a project")]
    ProjectExists(PathBuf),

    #[error("{0}: no such project file (create one with `casecode new`)")]
    NoSuchProject(PathBuf),

    #[error("{0}: not a casecode project")]
    NotAProject(PathBuf),

    #[error(
        "{path}: the project was written by a newer casecode (schema {found}, this build knows {known})"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error(
        "{0}: the project is locked by another process that is writing to it; try again when it has finished"
    )]
    Busy(PathBuf),

    #[error("{file}: {message}")]
    BadInput { file: String, message: String },

    #[error("no document named '{0}'")]
    NoSuchDocument(String),

    #[error("no case named '{0}'")]
    NoSuchCase(String),

    #[error("no code '{0}' (give a unique name or the full path joined with '/')")]
    NoSuchCode(String),

    #[error("code name '{name}' is ambiguous; use the full path: {candidates}")]
    AmbiguousCode { name: String, candidates: String },

    #[error("no role '{0}' (give ROLE or FRAME/ROLE)")]
    NoSuchRole(String),

    #[error("role name '{name}' is in several frames; write FRAME/ROLE: {candidates}")]
    AmbiguousRole { name: String, candidates: String },

    #[error("no coding with id {0}")]
    NoSuchCoding(i64),

    #[error("span [{start}, {end}) of document '{document}': {reason}")]
    InvalidSpan {
        document: String,
        start: usize,
        end: usize,
        reason: String,
    },

    #[error("{0}")]
    Conflict(String),

    #[error(transparent)]
    Dictionary(#[from] crate::text::dictionary::DictionaryError),

    #[error("the undo history holds an entry this build cannot read: {0}")]
    BadHistory(String),
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Bad content in a named input file.
    pub fn bad_input(file: impl std::fmt::Display, message: impl Into<String>) -> Error {
        Error::BadInput {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

impl Error {
    /// True when a server transaction lost a race and may simply be run again: a
    /// serialization failure, or a new row's id taken by a concurrent command (ids are the
    /// next free number when a command runs).
    pub fn is_lost_race(&self) -> bool {
        match self {
            Error::ServerConflict(_) => true,
            Error::PostgresConstraint(message) => {
                message.contains("_pkey") || message.contains("coders_name_key")
            }
            _ => false,
        }
    }
}
