//! The team server: preparing a PostgreSQL database (`server init`), members as PostgreSQL
//! roles (`server grant`), publishing a project file as a server project, downloading a server
//! project as a file, and listening for other coders' commands (LISTEN/NOTIFY).
//!
//! Rights are PostgreSQL's own: three group roles, `casecode_admin` (publishes projects, owns
//! their tables), `casecode_coder` (reads and writes project rows) and `casecode_reviewer`
//! (reads; writes only the derived token index, which a search builds). A member is a login
//! role in one of them, so a reviewer's write fails in the database, whatever the client.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use rusqlite::params;
use rusqlite::types::Value;

use super::db::Conn;
use super::pg::{PgConn, ServerAddress, quote_identifier, quote_literal};
use super::{Backend, MIGRATIONS, Store};
use crate::{Error, Result};

/// The group roles `server init` creates.
const ADMIN: &str = "casecode_admin";
const CODER: &str = "casecode_coder";
const REVIEWER: &str = "casecode_reviewer";

/// The channel every command's notice is sent on.
pub(crate) const CHANNEL: &str = "casecode";

/// Tables that are derived data (the token index): reviewers may write them.
const DERIVED_TABLES: [&str; 5] = [
    "lexemes",
    "token_index",
    "search_folds",
    "search_index_documents",
    "search_postings",
];

/// The project tables in an order that satisfies every immediate foreign key; tables added by
/// later migrations and not named here are copied after these.
const TABLE_ORDER: &[&str] = &[
    "project_meta",
    "coders",
    "attributes",
    "cases",
    "attribute_values",
    "documents",
    "utterances",
    "frames",
    "roles",
    "codes",
    "code_roles",
    "codings",
    "summaries",
    "summary_segments",
    "cell_states",
    "journal",
    "undo_stack",
    "lexemes",
    "token_index",
    "user_terms",
    "refi_guids",
    "coding_reviews",
    "orphans",
    "scat_sheets",
    "scat_rows",
    "mgta_variations",
    "mgta_memos",
    "mgta_diagram_boxes",
    "mgta_diagram_arrows",
    "stop_words",
    "speaker_roles",
    "search_folds",
    "search_index_documents",
    "search_postings",
];

/// Tables whose ids PostgreSQL assigns (identity columns) and whose counters follow a copy.
const IDENTITY_TABLES: [&str; 3] = ["journal", "undo_stack", "lexemes"];

/// What a member may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    Admin,
    Coder,
    Reviewer,
}

impl Grant {
    /// `admin`, `coder` or `reviewer`.
    pub fn parse(text: &str) -> Option<Grant> {
        match text {
            "admin" => Some(Grant::Admin),
            "coder" => Some(Grant::Coder),
            "reviewer" => Some(Grant::Reviewer),
            _ => None,
        }
    }

    fn group(self) -> &'static str {
        match self {
            Grant::Admin => ADMIN,
            Grant::Coder => CODER,
            Grant::Reviewer => REVIEWER,
        }
    }
}

/// Rows copied by a publish or a download.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransferReport {
    pub tables: usize,
    pub rows: usize,
}

/// Another coder's command, as the server announced it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    pub project: String,
    pub coder: String,
    /// `do`, `undo` or `redo`.
    pub action: String,
    pub label: String,
}

impl Store {
    /// Opens a server project.
    pub fn open_server(address: &ServerAddress) -> Result<Store> {
        if address.project.is_empty() {
            return Err(Error::BadInput {
                file: address.display.clone(),
                message: "name the project: add ?project=NAME to the address".to_owned(),
            });
        }
        let connection = PgConn::connect(address)?;
        let conn = Conn::Pg(&connection);
        let exists: bool = conn.one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables
                            WHERE table_schema = ?1 AND table_name = 'casecode_schema_version')",
            params![address.project],
        )?;
        if !exists {
            return Err(Error::BadInput {
                file: address.display.clone(),
                message: format!(
                    "the server has no project '{}' that you may read (publish one with `casecode publish FILE URL`, or ask an admin to grant you a role)",
                    address.project
                ),
            });
        }
        let found: i64 = conn.one("SELECT max(version) FROM casecode_schema_version", &[])?;
        let known = MIGRATIONS.len() as i64;
        if found > known {
            return Err(Error::SchemaTooNew {
                path: address.display.clone().into(),
                found,
                known,
            });
        }
        if found < known {
            connection.begin()?;
            let upgraded = upgrade(conn, found);
            match upgraded {
                Ok(()) => connection.commit()?,
                Err(error) => {
                    connection.rollback();
                    return Err(error);
                }
            }
        }
        Ok(Store {
            backend: Backend::Pg(Box::new(connection)),
            path: address.display.clone().into(),
        })
    }

    /// Prepares a database for casecode projects: the three group roles and their rights on
    /// the database. Safe to run again.
    pub fn server_init(address: &ServerAddress) -> Result<()> {
        let connection = PgConn::connect(&address.without_project())?;
        let conn = Conn::Pg(&connection);
        for group in [ADMIN, CODER, REVIEWER] {
            let exists: bool = conn.one(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
                params![group],
            )?;
            if !exists {
                conn.batch(&format!("CREATE ROLE {} NOLOGIN", quote_identifier(group)))?;
            }
        }
        let database = quote_identifier(&address.database());
        conn.batch(&format!(
            "GRANT CONNECT ON DATABASE {database} TO {ADMIN}, {CODER}, {REVIEWER};
             GRANT CREATE ON DATABASE {database} TO {ADMIN};"
        ))?;
        Ok(())
    }

    /// Creates or updates the login role `role` as a member with the rights of `grant` (and of
    /// no other group).
    pub fn server_grant(address: &ServerAddress, role: &str, grant: Grant) -> Result<()> {
        if role.trim().is_empty() {
            return Err(Error::Conflict("the role name is empty".to_owned()));
        }
        let connection = PgConn::connect(&address.without_project())?;
        let conn = Conn::Pg(&connection);
        let groups_exist: i64 = conn.one(
            "SELECT count(*) FROM pg_roles WHERE rolname IN (?1, ?2, ?3)",
            params![ADMIN, CODER, REVIEWER],
        )?;
        if groups_exist < 3 {
            return Err(Error::Conflict(format!(
                "{}: the database is not prepared for casecode; run `casecode server init` first",
                address.display
            )));
        }
        let name = quote_identifier(role);
        let exists: bool = conn.one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
            params![role],
        )?;
        if !exists {
            conn.batch(&format!("CREATE ROLE {name} LOGIN"))?;
        }
        for group in [ADMIN, CODER, REVIEWER] {
            if group != grant.group() {
                conn.batch(&format!("REVOKE {group} FROM {name}"))?;
            }
        }
        conn.batch(&format!("GRANT {} TO {name}", grant.group()))?;
        let create_role = if grant == Grant::Admin {
            "CREATEROLE"
        } else {
            "NOCREATEROLE"
        };
        conn.batch(&format!("ALTER ROLE {name} {create_role}"))?;
        Ok(())
    }

    /// Uploads the project file `file` as the new server project `address` (its schema):
    /// every row, GUIDs and journal included, in one transaction.
    pub fn publish(file: &Path, address: &ServerAddress) -> Result<TransferReport> {
        if address.project.is_empty() {
            return Err(Error::BadInput {
                file: address.display.clone(),
                message: "name the new project: add ?project=NAME to the address".to_owned(),
            });
        }
        let source = Store::open(file)?;
        if source.server().is_some() {
            return Err(Error::Conflict(format!(
                "{}: publish uploads a project file; this is already a server project",
                file.display()
            )));
        }
        let connection = PgConn::connect(&address.without_project())?;
        let conn = Conn::Pg(&connection);
        let taken: bool = conn.one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = ?1)",
            params![address.project],
        )?;
        if taken {
            return Err(Error::Conflict(format!(
                "{}: the server already has a project named '{}'; choose another name",
                address.display, address.project
            )));
        }
        let admin_exists: bool = conn.one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
            params![ADMIN],
        )?;
        if !admin_exists {
            return Err(Error::Conflict(format!(
                "{}: the database is not prepared for casecode; run `casecode server init` first",
                address.display
            )));
        }
        let schema = quote_identifier(&address.project);
        connection.begin()?;
        let result = (|| -> Result<TransferReport> {
            conn.batch(&format!(
                "SET LOCAL ROLE {ADMIN};
                 CREATE SCHEMA {schema};
                 SET LOCAL search_path TO {schema};"
            ))?;
            for migration in MIGRATIONS {
                if let Some(sql) = migration.postgres {
                    conn.batch(sql)?;
                }
            }
            conn.execute(
                "UPDATE casecode_schema_version SET version = ?1",
                params![MIGRATIONS.len() as i64],
            )?;
            let report = copy_tables(source.conn(), conn)?;
            for table in IDENTITY_TABLES {
                conn.batch(&format!(
                    "SELECT setval(pg_get_serial_sequence({}, 'id'), coalesce(max(id), 0) + 1, false) FROM {table}",
                    quote_literal(table)
                ))?;
            }
            grant_rights(conn, &schema)?;
            Ok(report)
        })();
        match result {
            Ok(report) => {
                connection.commit()?;
                Ok(report)
            }
            Err(error) => {
                connection.rollback();
                Err(error)
            }
        }
    }

    /// Writes the project (a server project, or a file) to the new project file `out`: every
    /// row, the journal and undo history included.
    pub fn download(&self, out: &Path) -> Result<TransferReport> {
        let mut target = Store::create(out)?;
        let tx = target.transaction()?;
        let conn = tx.transaction();
        for table in table_names(conn)? {
            conn.execute(&format!("DELETE FROM {table}"), &[])?;
        }
        // One snapshot of the server, so that other coders' commands during the copy are
        // either wholly in it or not at all.
        let source = self.read().connection();
        let report = source.consistent(|| copy_tables(source, conn))?;
        tx.commit()?;
        Ok(report)
    }

    /// The projects of the server database at `address` that the signed-in role may read.
    pub fn server_projects(address: &ServerAddress) -> Result<Vec<String>> {
        let connection = PgConn::connect(&address.without_project())?;
        Conn::Pg(&connection).query(
            "SELECT table_schema FROM information_schema.tables
             WHERE table_name = 'casecode_schema_version' ORDER BY 1",
            &[],
            |row| row.get(0),
        )
    }
}

/// Runs the PostgreSQL steps after version `found`.
fn upgrade(conn: Conn<'_>, found: i64) -> Result<()> {
    for migration in MIGRATIONS.iter().skip(found as usize) {
        if let Some(sql) = migration.postgres {
            conn.batch(sql)?;
        }
    }
    conn.execute(
        "UPDATE casecode_schema_version SET version = ?1",
        params![MIGRATIONS.len() as i64],
    )?;
    Ok(())
}

fn grant_rights(conn: Conn<'_>, schema: &str) -> Result<()> {
    conn.batch(&format!(
        "GRANT USAGE ON SCHEMA {schema} TO {CODER}, {REVIEWER};
         GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {REVIEWER};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {CODER};
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {CODER}, {REVIEWER};"
    ))?;
    for table in DERIVED_TABLES {
        conn.batch(&format!(
            "GRANT INSERT, UPDATE, DELETE ON {schema}.{table} TO {REVIEWER}"
        ))?;
    }
    Ok(())
}

/// The project tables of a connection, in copy order.
fn table_names(conn: Conn<'_>) -> Result<Vec<String>> {
    let mut present: Vec<String> = match conn {
        Conn::Lite(_) => conn.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            &[],
            |row| row.get(0),
        )?,
        Conn::Pg(_) => conn.query(
            "SELECT table_name FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name <> 'casecode_schema_version'",
            &[],
            |row| row.get(0),
        )?,
    };
    present.sort();
    let mut ordered: Vec<String> = TABLE_ORDER
        .iter()
        .filter(|name| present.iter().any(|table| table == *name))
        .map(|name| (*name).to_owned())
        .collect();
    ordered.extend(
        present
            .into_iter()
            .filter(|name| !TABLE_ORDER.contains(&name.as_str())),
    );
    Ok(ordered)
}

/// Copies every row of every project table from `source` into the same (empty) tables of
/// `target`.
fn copy_tables(source: Conn<'_>, target: Conn<'_>) -> Result<TransferReport> {
    let reader = super::Reader::new(source);
    let mut report = TransferReport::default();
    let target_tables = table_names(target)?;
    for table in table_names(source)? {
        if !target_tables.contains(&table) {
            return Err(Error::Conflict(format!(
                "the target has no table '{table}' (it was made by an older casecode)"
            )));
        }
        let columns = reader.column_names(&table)?;
        let placeholders: Vec<String> = (1..=columns.len()).map(|n| format!("?{n}")).collect();
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            placeholders.join(", ")
        );
        let mut batch: Vec<Vec<Value>> = Vec::new();
        let flush = |batch: &mut Vec<Vec<Value>>| -> Result<()> {
            if batch.is_empty() {
                return Ok(());
            }
            match target {
                Conn::Lite(_) => {
                    for row in batch.iter() {
                        let refs: Vec<&dyn rusqlite::ToSql> = row
                            .iter()
                            .map(|value| value as &dyn rusqlite::ToSql)
                            .collect();
                        target.execute(&insert, &refs)?;
                    }
                }
                Conn::Pg(_) => {
                    // Many rows per statement: one round trip per few hundred rows.
                    let width = columns.len();
                    let mut values = Vec::with_capacity(batch.len());
                    for row_index in 0..batch.len() {
                        let slots: Vec<String> = (1..=width)
                            .map(|n| format!("?{}", row_index * width + n))
                            .collect();
                        values.push(format!("({})", slots.join(", ")));
                    }
                    let sql = format!(
                        "INSERT INTO {table} ({}) VALUES {}",
                        columns.join(", "),
                        values.join(", ")
                    );
                    let refs: Vec<&dyn rusqlite::ToSql> = batch
                        .iter()
                        .flatten()
                        .map(|value| value as &dyn rusqlite::ToSql)
                        .collect();
                    target.execute(&sql, &refs)?;
                }
            }
            batch.clear();
            Ok(())
        };
        let rows_per_batch = (60_000 / columns.len().max(1)).clamp(1, 500);
        let mut copied = 0;
        source.for_each(
            &format!("SELECT {} FROM {table}", columns.join(", ")),
            &[],
            |row| {
                let mut values = Vec::with_capacity(columns.len());
                for index in 0..columns.len() {
                    values.push(row.value(index)?);
                }
                batch.push(values);
                copied += 1;
                if batch.len() >= rows_per_batch {
                    flush(&mut batch)?;
                }
                Ok(())
            },
        )?;
        flush(&mut batch)?;
        report.tables += 1;
        report.rows += copied;
    }
    Ok(report)
}

/// Listens for the commands other coders commit on a server project.
pub struct ServerListener {
    receiver: Receiver<Result<Notice>>,
    stop: Arc<AtomicBool>,
    _thread: JoinHandle<()>,
}

impl Drop for ServerListener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl ServerListener {
    /// Starts listening (a connection of its own, on a thread of its own). The thread ends
    /// when the listener is dropped.
    pub fn start(address: &ServerAddress) -> Result<ServerListener> {
        let mut client = address.connect()?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|error| super::pg::server_error(error, &address.display))?;
        let (sender, receiver) = channel();
        let project = address.project.clone();
        let display = address.display.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || listen(client, project, display, sender, &stopped));
        Ok(ServerListener {
            receiver,
            stop,
            _thread: thread,
        })
    }

    /// The notices that arrived since the last call (a lost connection comes as an error).
    pub fn poll(&self) -> Vec<Result<Notice>> {
        self.receiver.try_iter().collect()
    }

    /// Waits up to `timeout` for the next notice.
    pub fn wait(&self, timeout: Duration) -> Option<Result<Notice>> {
        self.receiver.recv_timeout(timeout).ok()
    }
}

fn listen(
    mut client: postgres::Client,
    project: String,
    display: String,
    sender: Sender<Result<Notice>>,
    stop: &AtomicBool,
) {
    loop {
        let mut notifications = client.notifications();
        let mut iter = notifications.timeout_iter(Duration::from_millis(250));
        loop {
            match iter.next() {
                Ok(Some(notification)) => {
                    let Ok(notice) = serde_json::from_str::<Notice>(notification.payload()) else {
                        continue;
                    };
                    if notice.project == project && sender.send(Ok(notice)).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    let _ = sender.send(Err(super::pg::server_error(error, &display)));
                    return;
                }
            }
        }
        if stop.load(Ordering::Relaxed) {
            return;
        }
    }
}

/// The notice of a command, sent by the server to every listener when its transaction
/// commits (PostgreSQL drops it when the transaction rolls back).
pub(crate) fn notify(
    conn: Conn<'_>,
    project: &str,
    coder: &str,
    action: &str,
    label: &str,
) -> Result<()> {
    let mut label: String = label.chars().take(1_000).collect();
    if label.len() > 6_000 {
        label.truncate(label.char_indices().nth(500).map_or(0, |(at, _)| at));
    }
    let payload = serde_json::to_string(&Notice {
        project: project.to_owned(),
        coder: coder.to_owned(),
        action: action.to_owned(),
        label,
    })
    .unwrap_or_default();
    conn.query_row(
        "SELECT pg_notify(?1, ?2)",
        params![CHANNEL, payload],
        |_| Ok(()),
    )
}

impl Store {
    /// The PostgreSQL role signed in, for a server project.
    pub fn server_role(&self) -> Result<Option<String>> {
        match &self.backend {
            Backend::Lite(_) => Ok(None),
            Backend::Pg(_) => Ok(Some(
                self.conn().one("SELECT CAST(current_user AS TEXT)", &[])?,
            )),
        }
    }
}

impl Error {
    /// True when the error says the connection to the team server is gone or cannot be made:
    /// unreachable, or the server ending the session (SQLSTATE class 08, or 57P01–57P03 when it
    /// shuts down or restarts). A command that failed so changed nothing (it is one
    /// transaction) and may be sent again on a new connection. Here, next to the code that
    /// writes those SQLSTATEs into the messages.
    pub fn is_connection_lost(&self) -> bool {
        match self {
            Error::ServerUnreachable { .. } => true,
            Error::Postgres(message) => ["(57P01", "(57P02", "(57P03", "(08"]
                .iter()
                .any(|code| message.contains(code)),
            _ => false,
        }
    }
}
