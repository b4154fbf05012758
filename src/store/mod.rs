//! SQLite persistence: one file per project. The only module that writes SQL.
//!
//! The schema is versioned with `PRAGMA user_version`; each numbered file in `migrations/`
//! moves it one version up. The file is in WAL mode with foreign keys on, and every write
//! happens in an immediate transaction so that a second process waits (busy timeout) instead
//! of corrupting anything.

mod bulk;
mod coders;
mod columns;
mod copy;
mod corpus_filters;
pub(crate) mod db;
mod history;
mod methods;
pub(crate) mod pg;
mod read;
mod refi;
mod revision;
mod rows;
mod search_fold;
mod search_index;
mod server;
mod stream;
mod tokens;
mod write;

pub use bulk::{BulkCoding, CodingCore, CodingKey};
pub use coders::CoderReferences;
pub use copy::CopyReport;
pub use history::{JournalEntry, StackEntry};
pub use pg::{ServerAddress, is_server_address};
pub use read::Reader;
pub use refi::RefiGuid;
pub use search_fold::SearchText;
pub use search_index::DocumentName;
pub use server::{Grant, Notice, ServerListener, TransferReport};
pub use tokens::{LexemeFields, TokenBlob};
pub use write::{IdTable, Tx};

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::{Error, Result};
use db::Conn;
use pg::PgConn;

/// `PRAGMA application_id` of casecode projects ("case" in ASCII).
const APPLICATION_ID: i64 = 0x6361_7365;

/// The page size of a new project file, in bytes.
const PAGE_SIZE: i64 = 16_384;

/// The schema version that added `documents.text_hash` (0007_revisions.sql).
const TEXT_HASH_VERSION: i64 = 7;

/// One step of the schema, in both dialects. SQLite files exist from version 1; a server
/// project starts at version 9, whose PostgreSQL text creates the whole schema, so the earlier
/// steps have no PostgreSQL text. Every later step needs both.
struct Migration {
    sqlite: &'static str,
    postgres: Option<&'static str>,
}

/// The migrations, in order; migration `n` (1-based) brings the schema to version `n`.
const MIGRATIONS: &[Migration] = &[
    Migration {
        sqlite: include_str!("migrations/0001_initial.sql"),
        postgres: None,
    },
    Migration {
        sqlite: include_str!("migrations/0002_matrix_cells.sql"),
        postgres: None,
    },
    Migration {
        sqlite: include_str!("migrations/0003_token_index.sql"),
        postgres: None,
    },
    Migration {
        sqlite: include_str!("migrations/0004_document_metadata.sql"),
        postgres: None,
    },
    Migration {
        sqlite: include_str!("migrations/0005_refi_guids.sql"),
        postgres: None,
    },
    Migration {
        sqlite: include_str!("migrations/0006_coders.sql"),
        postgres: None,
    },
    Migration {
        sqlite: include_str!("migrations/0007_revisions.sql"),
        postgres: None,
    },
    Migration {
        sqlite: include_str!("migrations/0008_methods.sql"),
        postgres: None,
    },
    Migration {
        sqlite: include_str!("migrations/0009_corpus_filters.sql"),
        postgres: Some(include_str!("migrations/postgres/0009_schema.sql")),
    },
    Migration {
        sqlite: include_str!("migrations/0010_search_folds.sql"),
        postgres: Some(include_str!("migrations/postgres/0010_search_folds.sql")),
    },
    Migration {
        sqlite: include_str!("migrations/0011_undo_per_coder.sql"),
        postgres: Some(include_str!("migrations/postgres/0011_undo_per_coder.sql")),
    },
    Migration {
        sqlite: include_str!("migrations/0012_search_index.sql"),
        postgres: Some(include_str!("migrations/postgres/0012_search_index.sql")),
    },
];

/// How long a writer waits for another process's transaction before giving up; the variable
/// `CASECODE_BUSY_TIMEOUT_MS` overrides it (tests use a short one).
fn busy_timeout() -> Duration {
    std::env::var("CASECODE_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(Duration::from_secs(10), Duration::from_millis)
}

/// An open project: a SQLite file, or a schema on a PostgreSQL team server.
pub struct Store {
    backend: Backend,
    /// The file, or the server address (without password) as a path.
    path: PathBuf,
}

enum Backend {
    Lite(Connection),
    Pg(Box<PgConn>),
}

impl Store {
    /// Creates a new project file; refuses to touch an existing file. A server project is
    /// made by publishing a file ([`Store::publish`]).
    pub fn create(path: &Path) -> Result<Store> {
        if is_server_address(&path.to_string_lossy()) {
            return Err(Error::Conflict(format!(
                "{}: a server project is created by publishing a project file: casecode publish FILE URL",
                path.display()
            )));
        }
        if path.exists() {
            return Err(Error::ProjectExists(path.to_owned()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags)?;
        // Pages of 16 KB (SQLite's default is 4 KB), set before the file is written: storing
        // a million codings took a quarter less CPU, the tables and indexes being shallower.
        // A file made before keeps its pages.
        connection.pragma_update(None, "page_size", PAGE_SIZE)?;
        connection.pragma_update(None, "application_id", APPLICATION_ID)?;
        let mut store = Store {
            backend: Backend::Lite(connection),
            path: path.to_owned(),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing project file, or a server project when `path` is a `postgres://`
    /// address, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let text = path.to_string_lossy();
        if is_server_address(&text) {
            return Store::open_server(&ServerAddress::parse(&text)?);
        }
        if !path.is_file() {
            return Err(Error::NoSuchProject(path.to_owned()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags)?;
        let application_id: i64 = connection
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .map_err(|_| Error::NotAProject(path.to_owned()))?;
        let mut store = Store {
            backend: Backend::Lite(connection),
            path: path.to_owned(),
        };
        if application_id != APPLICATION_ID {
            return Err(Error::NotAProject(path.to_owned()));
        }
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// The project file, or the server address (without password).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The server address when the project lives on a team server.
    pub fn server(&self) -> Option<&ServerAddress> {
        match &self.backend {
            Backend::Lite(_) => None,
            Backend::Pg(connection) => Some(&connection.address),
        }
    }

    pub(crate) fn conn(&self) -> Conn<'_> {
        match &self.backend {
            Backend::Lite(connection) => Conn::Lite(connection),
            Backend::Pg(connection) => Conn::Pg(connection),
        }
    }

    /// Read access to the committed state.
    pub fn read(&self) -> Reader<'_> {
        Reader::new(self.conn())
    }

    /// Starts a write transaction: immediate (write-locking) on SQLite, serializable on the
    /// server.
    pub fn transaction(&mut self) -> Result<Tx<'_>> {
        let path = self.path.clone();
        match &mut self.backend {
            Backend::Lite(connection) => {
                let transaction = connection
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|error| busy_or(error, &path))?;
                Ok(Tx::lite(transaction, path))
            }
            Backend::Pg(connection) => {
                connection.begin()?;
                Ok(Tx::pg(connection, path))
            }
        }
    }

    /// `PRAGMA integrity_check`: `ok` or the problems SQLite lists; a server project is
    /// checked by the server itself (constraints on every write), so it answers `ok` once the
    /// connection works.
    pub fn integrity_check(&self) -> Result<String> {
        let connection = match &self.backend {
            Backend::Lite(connection) => connection,
            Backend::Pg(connection) => {
                Conn::Pg(connection).one::<i64>("SELECT 1", &[])?;
                return Ok("ok".to_owned());
            }
        };
        let mut statement = connection.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines.join("\n"))
    }

    /// The SQLite connection (every caller runs on a file project).
    fn lite(&mut self) -> &mut Connection {
        match &mut self.backend {
            Backend::Lite(connection) => connection,
            Backend::Pg(_) => unreachable!("SQLite-only code reached with a server project"),
        }
    }

    fn configure(&mut self) -> Result<()> {
        let path = self.path.clone();
        let connection = self.lite();
        connection.busy_timeout(busy_timeout())?;
        let mode: String =
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Conflict(format!(
                "{}: SQLite refused WAL mode (got {mode})",
                path.display()
            )));
        }
        // NORMAL is durable against a killed process in WAL mode; only a power cut can lose
        // the last commits, never corrupt the file.
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        // A page cache of up to 64 MB (SQLite's default is 2 MB): a bulk import of a million
        // codings updates indexes in random order, and with 2 MB it spilled pages to the
        // journal over and over. Pages are only taken as they are used.
        connection.pragma_update(None, "cache_size", -65_536)?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let path = self.path.clone();
        let found: i64 = self
            .lite()
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        if found > known {
            return Err(Error::SchemaTooNew { path, found, known });
        }
        if found == known {
            return Ok(());
        }
        // Some migrations rebuild a table (SQLite cannot add a reference to a column): that
        // needs foreign keys off (a dropped table would cascade), checked after each step.
        self.lite().pragma_update(None, "foreign_keys", "OFF")?;
        let migrated = self.run_migrations(found, &path);
        self.lite().pragma_update(None, "foreign_keys", "ON")?;
        migrated?;
        // Documents stored before the text hash existed get it once, here: every insert and
        // revision writes it from then on, so an open at the current schema reads no text.
        if found < TEXT_HASH_VERSION {
            self.fill_text_hashes()?;
        }
        Ok(())
    }

    fn run_migrations(&mut self, found: i64, path: &Path) -> Result<()> {
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let version = index as i64 + 1;
            let transaction = self
                .lite()
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|error| busy_or(error, path))?;
            transaction.execute_batch(migration.sqlite)?;
            if version == 6 {
                coders::finish_migration(Conn::Lite(&transaction))?;
            }
            let broken: i64 = transaction.query_row(
                "SELECT count(*) FROM pragma_foreign_key_check",
                [],
                |row| row.get(0),
            )?;
            if broken > 0 {
                return Err(Error::Conflict(format!(
                    "{}: upgrading the project to schema version {version} left {broken} broken reference(s); the file was not changed",
                    path.display()
                )));
            }
            transaction.pragma_update(None, "user_version", version)?;
            transaction.commit()?;
        }
        Ok(())
    }
}

/// Turns SQLite's busy/locked errors into [`Error::Busy`] naming the project file.
pub(crate) fn busy_or(error: rusqlite::Error, path: &Path) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy(path.to_owned()),
        _ => Error::Sqlite(error),
    }
}
