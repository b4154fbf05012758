//! The PostgreSQL side of the seam: a team server project is one schema of a PostgreSQL
//! database, addressed as `postgres://USER@HOST:PORT/DB?project=NAME`. This file holds what
//! differs from SQLite: the connection, placeholders (`?N` becomes `$N`), how values are bound
//! and read back, transactions (serializable), and how server errors become casecode errors.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::str::FromStr;

use bytes::BytesMut;
use postgres::config::SslMode;
use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql as PgToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};
use rusqlite::ToSql;
use rusqlite::types::Value;

use super::db::owned_value;
use crate::{Error, Result};

/// The URL schemes of a team server project.
const SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

/// True when `address` names a server project rather than a file.
pub fn is_server_address(address: &str) -> bool {
    SCHEMES.iter().any(|scheme| address.starts_with(scheme))
}

/// A parsed server address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerAddress {
    /// What the `postgres` crate connects to: the URL without `project=`.
    pub(crate) connect: String,
    /// The project (schema) name; empty for a bare database URL (`server init`).
    pub project: String,
    /// The URL as shown to people: without the password.
    pub display: String,
}

impl ServerAddress {
    /// Parses `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?project=NAME&…]`.
    pub fn parse(url: &str) -> Result<ServerAddress> {
        let bad = |message: &str| Error::BadInput {
            file: redact(url),
            message: message.to_owned(),
        };
        if !is_server_address(url) {
            return Err(bad(
                "a team server address starts with postgres:// (postgres://USER@HOST:PORT/DATABASE?project=NAME)",
            ));
        }
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut project = String::new();
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if key == "project" {
                project = percent_decode(value).map_err(|message| bad(&message))?;
            } else {
                kept.push(pair);
            }
        }
        if project.chars().any(char::is_control) || project.len() > 63 {
            return Err(bad(
                "the project name must be at most 63 bytes (about 21 kanji) without control characters",
            ));
        }
        let connect = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        postgres::Config::from_str(&connect).map_err(|error| bad(&error.to_string()))?;
        let display = if project.is_empty() {
            redact(&connect)
        } else {
            format!(
                "{}{}project={}",
                redact(&connect),
                if kept.is_empty() { "?" } else { "&" },
                project
            )
        };
        Ok(ServerAddress {
            connect,
            project,
            display,
        })
    }

    /// The whole address, password included: what a second connection of this process opens
    /// (never shown or saved; [`ServerAddress::display`] is for people).
    pub fn full_url(&self) -> String {
        if self.project.is_empty() {
            return self.connect.clone();
        }
        let separator = if self.connect.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}project={}",
            self.connect,
            percent_encode(&self.project)
        )
    }

    /// The same server and database without a project: what `server init`, `grant`, `list`
    /// and `publish` connect to.
    pub(crate) fn without_project(&self) -> ServerAddress {
        ServerAddress {
            connect: self.connect.clone(),
            project: String::new(),
            display: redact(&self.connect),
        }
    }

    /// The database's name, as the URL gives it.
    pub fn database(&self) -> String {
        postgres::Config::from_str(&self.connect)
            .ok()
            .and_then(|config| config.get_dbname().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Opens a connection (password from the URL, else `PGPASSWORD`).
    pub(crate) fn connect(&self) -> Result<Client> {
        let mut config =
            postgres::Config::from_str(&self.connect).map_err(|error| Error::BadInput {
                file: self.display.clone(),
                message: error.to_string(),
            })?;
        if config.get_password().is_none()
            && let Ok(password) = std::env::var("PGPASSWORD")
        {
            config.password(password);
        }
        config.application_name("casecode");
        let unreachable = |message: String| Error::ServerUnreachable {
            url: self.display.clone(),
            message,
        };
        if config.get_ssl_mode() == SslMode::Disable {
            return config
                .connect(NoTls)
                .map_err(|error| unreachable(error.to_string()));
        }
        // `sslmode=prefer` (the default) and `require` go through TLS when the server offers
        // it, with the certificate checked against the system's certificate authorities.
        let connector =
            native_tls::TlsConnector::new().map_err(|error| unreachable(error.to_string()))?;
        config
            .connect(postgres_native_tls::MakeTlsConnector::new(connector))
            .map_err(|error| unreachable(error.to_string()))
    }
}

/// The URL without its password.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!(
                "{}{name}:***@{host}{}",
                &url[..scheme_end],
                &rest[authority_end..]
            )
        }
        _ => url.to_owned(),
    }
}

fn percent_decode(text: &str) -> std::result::Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let hex = text
                    .get(index + 1..index + 3)
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                    .ok_or_else(|| format!("bad %-escape in '{text}'"))?;
                out.push(hex);
                index += 3;
            }
            b'+' => {
                out.push(b' ');
                index += 1;
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("'{text}' is not UTF-8 once decoded"))
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `"name"` with inner quotes doubled: a PostgreSQL identifier.
pub(crate) fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` with inner quotes doubled: a PostgreSQL string literal.
pub(crate) fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// An open connection to one server project (its schema is the search path).
pub struct PgConn {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    pub(crate) address: ServerAddress,
    in_transaction: Cell<bool>,
    /// Whether this session holds the project's writer lock (see [`PgConn::begin`]).
    holds_lock: Cell<bool>,
}

impl PgConn {
    /// Connects and, for a project address, makes its schema the search path.
    pub(crate) fn connect(address: &ServerAddress) -> Result<PgConn> {
        let client = address.connect()?;
        let connection = PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            address: address.clone(),
            in_transaction: Cell::new(false),
            holds_lock: Cell::new(false),
        };
        if !address.project.is_empty() {
            connection.batch(&format!(
                "SET search_path TO {}",
                quote_identifier(&address.project)
            ))?;
        }
        Ok(connection)
    }

    pub(crate) fn error(&self, error: postgres::Error) -> Error {
        server_error(error, &self.address.display)
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let translated = translate(sql);
        let statement = self
            .client
            .borrow_mut()
            .prepare(&translated)
            .map_err(|error| self.error(error))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn bind(params: &[&dyn ToSql]) -> Result<Vec<Bound>> {
        params
            .iter()
            .map(|param| owned_value(*param).map(Bound))
            .collect()
    }

    pub(crate) fn execute(&self, sql: &str, params: &[&dyn ToSql]) -> Result<usize> {
        let statement = self.statement(sql)?;
        let bound = Self::bind(params)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = bound
            .iter()
            .map(|value| value as &(dyn PgToSql + Sync))
            .collect();
        let changed = self
            .client
            .borrow_mut()
            .execute(&statement, &refs)
            .map_err(|error| self.error(error))?;
        Ok(changed as usize)
    }

    pub(crate) fn query(&self, sql: &str, params: &[&dyn ToSql]) -> Result<Vec<postgres::Row>> {
        let statement = self.statement(sql)?;
        let bound = Self::bind(params)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = bound
            .iter()
            .map(|value| value as &(dyn PgToSql + Sync))
            .collect();
        self.client
            .borrow_mut()
            .query(&statement, &refs)
            .map_err(|error| self.error(error))
    }

    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|error| self.error(error))
    }

    /// Starts a write transaction: queued behind the other writers of the same project, then
    /// serializable. The queue is a session-level advisory lock on the schema, taken *before*
    /// the transaction begins, so that the transaction's snapshot includes whatever the writer
    /// before it committed (a lock taken inside the transaction would leave it a stale
    /// snapshot, and every queued writer would fail to serialize). Commands take a few
    /// milliseconds, so waiting in line costs less than failing and retrying; the lock goes
    /// with the session if the client dies, and the serializable level still guards anything
    /// that bypasses it.
    pub(crate) fn begin(&self) -> Result<()> {
        self.batch("SELECT pg_advisory_lock(hashtext('casecode:' || current_schema()))")?;
        self.holds_lock.set(true);
        if let Err(error) = self.batch("BEGIN ISOLATION LEVEL SERIALIZABLE") {
            self.unlock();
            return Err(error);
        }
        self.in_transaction.set(true);
        Ok(())
    }

    fn unlock(&self) {
        if self.holds_lock.replace(false) {
            // A lost connection has dropped the lock with the session.
            let _ =
                self.batch("SELECT pg_advisory_unlock(hashtext('casecode:' || current_schema()))");
        }
    }

    /// Starts a read-only repeatable-read transaction: one snapshot for several reads.
    pub(crate) fn begin_snapshot(&self) -> Result<()> {
        self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        self.in_transaction.set(true);
        Ok(())
    }

    pub(crate) fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    pub(crate) fn commit(&self) -> Result<()> {
        self.in_transaction.set(false);
        let committed = self.batch("COMMIT");
        self.unlock();
        committed
    }

    pub(crate) fn rollback(&self) {
        if self.in_transaction.replace(false) {
            // A lost connection has rolled back already; nothing else can be done here.
            let _ = self.batch("ROLLBACK");
        }
        self.unlock();
    }
}

/// A server error as a casecode error: lost races are [`Error::ServerConflict`] (retried),
/// broken constraints [`Error::PostgresConstraint`], missing rights [`Error::ReadOnlyRole`].
pub(crate) fn server_error(error: postgres::Error, display: &str) -> Error {
    if let Some(db) = error.as_db_error() {
        let code = db.code();
        let message = match db.detail() {
            Some(detail) => format!("{} ({}; {detail})", db.message(), code.code()),
            None => format!("{} ({})", db.message(), code.code()),
        };
        if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED
        {
            return Error::ServerConflict(message);
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return Error::ReadOnlyRole {
                url: display.to_owned(),
                message,
            };
        }
        if code.code().starts_with("23") {
            return Error::PostgresConstraint(message);
        }
        return Error::Postgres(message);
    }
    if error.is_closed() || error.to_string().contains("connection") {
        return Error::ServerUnreachable {
            url: display.to_owned(),
            message: error.to_string(),
        };
    }
    Error::Postgres(error.to_string())
}

/// A statement as the queries write it (SQLite's dialect) in PostgreSQL's: the SQLite idioms
/// the store uses, then `?N` placeholders as `$N`.
pub(crate) fn translate(sql: &str) -> String {
    static IDIOMS: std::sync::LazyLock<[(regex::Regex, &'static str); 4]> =
        std::sync::LazyLock::new(|| {
            let rule = |pattern: &str| regex::Regex::new(pattern).expect("a fixed pattern");
            [
                (
                    rule(r"SELECT value FROM json_each\(\?(\d+)\)"),
                    "SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(CAST(?$1 AS TEXT) AS JSON))",
                ),
                (
                    rule(r"strftime\('%Y-%m-%dT%H:%M:%SZ', 'now'\)"),
                    r#"to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#,
                ),
                (rule(r"\bifnull\("), "coalesce("),
                (
                    rule(r"(?s)^(\s*)INSERT OR IGNORE INTO (.*?);?\s*$"),
                    "${1}INSERT INTO $2 ON CONFLICT DO NOTHING",
                ),
            ]
        });
    let mut text = sql.to_owned();
    for (pattern, replacement) in IDIOMS.iter() {
        if pattern.is_match(&text) {
            text = pattern.replace_all(&text, *replacement).into_owned();
        }
    }
    placeholders(&text)
}

/// `?N` placeholders (SQLite) as `$N` (PostgreSQL), outside quotes.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(open) => {
                if c == open {
                    quote = None;
                }
                out.push(c);
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            None => out.push(c),
        }
    }
    out
}

/// One cell as a plain value, by the column's type.
pub(crate) fn cell(row: &postgres::Row, index: usize) -> Result<Value> {
    let Some(column) = row.columns().get(index) else {
        return Err(Error::Postgres(format!("no column {index}")));
    };
    let read = |error: postgres::Error| {
        Error::Postgres(format!("column {} ({}): {error}", index, column.name()))
    };
    let ty = column.type_();
    let value = if *ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(index)
            .map_err(read)?
            .map(Value::Integer)
    } else if *ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(index)
            .map_err(read)?
            .map(|value| Value::Integer(value.into()))
    } else if *ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(index)
            .map_err(read)?
            .map(|value| Value::Integer(value.into()))
    } else if *ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(index)
            .map_err(read)?
            .map(|value| Value::Integer(value.into()))
    } else if *ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(index)
            .map_err(read)?
            .map(Value::Real)
    } else if *ty == Type::FLOAT4 {
        row.try_get::<_, Option<f32>>(index)
            .map_err(read)?
            .map(|value| Value::Real(value.into()))
    } else if *ty == Type::BYTEA {
        row.try_get::<_, Option<Vec<u8>>>(index)
            .map_err(read)?
            .map(Value::Blob)
    } else if *ty == Type::OID {
        row.try_get::<_, Option<u32>>(index)
            .map_err(read)?
            .map(|value| Value::Integer(value.into()))
    } else {
        row.try_get::<_, Option<String>>(index)
            .map_err(read)?
            .map(Value::Text)
    };
    Ok(value.unwrap_or(Value::Null))
}

/// A value bound to a statement: converted to whatever type PostgreSQL inferred for the
/// parameter, as SQLite would have stored it.
#[derive(Debug)]
struct Bound(Value);

type BindResult = std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>>;

fn put<T: PgToSql>(value: T, ty: &Type, out: &mut BytesMut) -> BindResult {
    value.to_sql(ty, out)
}

impl PgToSql for Bound {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> BindResult {
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(value) => {
                let value = *value;
                if *ty == Type::INT8 {
                    put(value, ty, out)
                } else if *ty == Type::INT4 {
                    put(i32::try_from(value)?, ty, out)
                } else if *ty == Type::INT2 {
                    put(i16::try_from(value)?, ty, out)
                } else if *ty == Type::BOOL {
                    put(value != 0, ty, out)
                } else if *ty == Type::FLOAT8 {
                    put(value as f64, ty, out)
                } else if *ty == Type::FLOAT4 {
                    put(value as f32, ty, out)
                } else {
                    put(value.to_string(), ty, out)
                }
            }
            Value::Real(value) => {
                let value = *value;
                if *ty == Type::FLOAT4 {
                    put(value as f32, ty, out)
                } else if *ty == Type::FLOAT8 {
                    put(value, ty, out)
                } else {
                    put(value.to_string(), ty, out)
                }
            }
            Value::Text(text) => {
                if *ty == Type::INT8 {
                    put(text.trim().parse::<i64>()?, ty, out)
                } else if *ty == Type::BYTEA {
                    put(text.as_bytes(), ty, out)
                } else {
                    put(text.as_str(), ty, out)
                }
            }
            Value::Blob(bytes) => put(bytes.as_slice(), ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_outside_quotes_become_dollars() {
        assert_eq!(
            placeholders("SELECT '?1', \"a?2\" FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?1', \"a?2\" FROM t WHERE a = $1 AND b = $12"
        );
    }

    #[test]
    fn sqlite_idioms_are_rewritten() {
        assert_eq!(
            translate("INSERT OR IGNORE INTO stop_words (word) VALUES (?1)"),
            "INSERT INTO stop_words (word) VALUES ($1) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            translate("DELETE FROM codes WHERE id IN (SELECT value FROM json_each(?2))"),
            "DELETE FROM codes WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(CAST($2 AS TEXT) AS JSON)))"
        );
        assert_eq!(
            translate("SELECT ifnull(max(id), 0) + 1 FROM t"),
            "SELECT coalesce(max(id), 0) + 1 FROM t"
        );
    }

    #[test]
    fn a_server_address_keeps_the_project_apart_and_hides_the_password() {
        let address =
            ServerAddress::parse("postgres://suzuki:secret@db.example:5433/lab?project=%E7%A0%94%E7%A9%B6&sslmode=disable")
                .expect("a valid address");
        assert_eq!(address.project, "研究");
        assert_eq!(
            address.connect,
            "postgres://suzuki:secret@db.example:5433/lab?sslmode=disable"
        );
        assert_eq!(
            address.display,
            "postgres://suzuki:***@db.example:5433/lab?sslmode=disable&project=研究"
        );
        assert_eq!(address.database(), "lab");
        // A worker thread reconnects with the password; people never see it.
        assert_eq!(
            address.full_url(),
            "postgres://suzuki:secret@db.example:5433/lab?sslmode=disable&project=%E7%A0%94%E7%A9%B6"
        );
        assert_eq!(
            ServerAddress::parse(&address.full_url()).expect("reparsed"),
            address
        );
        assert!(ServerAddress::parse("study.casecode").is_err());
    }
}
