//! The seam between the store's queries and the two database engines. Every query in
//! `src/store/` runs through [`Conn`]: SQL written once, with `?N` placeholders and values bound
//! as rusqlite values (the store's common currency), and rows read through [`Row`], which gives
//! both engines SQLite's conversion rules (an integer read as `bool`, a `BIGINT` as `usize` …).
//! What differs between the engines lives in `sqlite.rs`-style code here (the `Lite` arms) and
//! in `pg.rs`; the few SQLite idioms the queries use (`json_each`, `strftime`, `INSERT OR IGNORE`,
//! `ifnull`) are rewritten for PostgreSQL once per statement in `pg.rs`.

use rusqlite::types::{FromSql, ToSqlOutput, Value, ValueRef};
use rusqlite::{OptionalExtension, ToSql};

use super::pg::PgConn;
use crate::{Error, Result};

/// A connection (or an open transaction on it) of either engine.
#[derive(Clone, Copy)]
pub(crate) enum Conn<'a> {
    Lite(&'a rusqlite::Connection),
    Pg(&'a PgConn),
}

/// One result row.
pub(crate) enum Row<'r> {
    Lite(&'r rusqlite::Row<'r>),
    Pg(&'r postgres::Row),
}

impl Row<'_> {
    /// Column `index` converted by SQLite's rules, whichever engine read it.
    pub(crate) fn get<T: FromSql>(&self, index: usize) -> Result<T> {
        match self {
            Row::Lite(row) => Ok(row.get(index)?),
            Row::Pg(row) => {
                let value = super::pg::cell(row, index)?;
                T::column_result(ValueRef::from(&value)).map_err(|error| {
                    Error::Postgres(format!(
                        "column {} ({}): {error}",
                        index,
                        row.columns().get(index).map_or("?", |column| column.name())
                    ))
                })
            }
        }
    }

    /// A text column's UTF-8 bytes as stored, unchecked on SQLite (the caller checks them,
    /// on every core); PostgreSQL has checked them already.
    pub(crate) fn text_bytes(&self, index: usize) -> Result<Vec<u8>> {
        match self {
            Row::Lite(row) => match row.get_ref(index)? {
                ValueRef::Text(bytes) => Ok(bytes.to_vec()),
                other => Err(Error::Sqlite(rusqlite::Error::InvalidColumnType(
                    index,
                    "text".to_owned(),
                    other.data_type(),
                ))),
            },
            Row::Pg(_) => Ok(self.get::<String>(index)?.into_bytes()),
        }
    }

    /// Column `index` as a plain value.
    pub(crate) fn value(&self, index: usize) -> Result<Value> {
        match self {
            Row::Lite(row) => Ok(row.get(index)?),
            Row::Pg(row) => super::pg::cell(row, index),
        }
    }
}

/// A bound parameter as a plain value.
pub(crate) fn owned_value(param: &dyn ToSql) -> Result<Value> {
    Ok(match param.to_sql()? {
        ToSqlOutput::Borrowed(value) => match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(value) => Value::Integer(value),
            ValueRef::Real(value) => Value::Real(value),
            ValueRef::Text(text) => Value::Text(String::from_utf8_lossy(text).into_owned()),
            ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
        },
        ToSqlOutput::Owned(value) => value,
        other => {
            return Err(Error::Conflict(format!(
                "a value of this kind cannot be stored: {other:?}"
            )));
        }
    })
}

impl<'a> Conn<'a> {
    /// Runs `read` on one consistent snapshot: on the server, a read-only repeatable-read
    /// transaction when none is open (so that reads spread over several queries never mix the
    /// states before and after another coder's command); SQLite's readers see one state anyway
    /// within a statement, and the whole-project readers run between writes of this process.
    pub(crate) fn consistent<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        match self {
            Conn::Pg(connection) if !connection.in_transaction() => {
                connection.begin_snapshot()?;
                let result = read();
                match &result {
                    Ok(_) => connection.commit()?,
                    Err(_) => connection.rollback(),
                }
                result
            }
            _ => read(),
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[&dyn ToSql]) -> Result<usize> {
        match self {
            Conn::Lite(connection) => Ok(connection.prepare_cached(sql)?.execute(params)?),
            Conn::Pg(connection) => connection.execute(sql, params),
        }
    }

    /// Runs several statements without parameters.
    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Lite(connection) => Ok(connection.execute_batch(sql)?),
            Conn::Pg(connection) => connection.batch(sql),
        }
    }

    /// Every row, mapped.
    pub(crate) fn query<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        mut map: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.for_each(sql, params, |row| {
            out.push(map(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` on every row in order (SQLite streams; PostgreSQL reads the rows first).
    pub(crate) fn for_each(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        match self {
            Conn::Lite(connection) => {
                let mut statement = connection.prepare_cached(sql)?;
                let mut rows = statement.query(params)?;
                while let Some(row) = rows.next()? {
                    f(&Row::Lite(row))?;
                }
                Ok(())
            }
            Conn::Pg(connection) => {
                for row in connection.query(sql, params)? {
                    f(&Row::Pg(&row))?;
                }
                Ok(())
            }
        }
    }

    /// The first row mapped, or `None` when there is none.
    pub(crate) fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        map: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        match self {
            Conn::Lite(connection) => {
                let mut statement = connection.prepare_cached(sql)?;
                let mut map = Some(map);
                let mut failure = None;
                let value = statement
                    .query_row(params, |row| {
                        let map = map.take().expect("query_row calls its closure once");
                        match map(&Row::Lite(row)) {
                            Ok(value) => Ok(Some(value)),
                            Err(error) => {
                                failure = Some(error);
                                Ok(None)
                            }
                        }
                    })
                    .optional()?;
                match failure {
                    Some(error) => Err(error),
                    None => Ok(value.flatten()),
                }
            }
            Conn::Pg(connection) => match connection.query(sql, params)?.first() {
                Some(row) => Ok(Some(map(&Row::Pg(row))?)),
                None => Ok(None),
            },
        }
    }

    /// The first row mapped; no row is an error.
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        map: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, map)?.ok_or_else(|| {
            Error::Conflict(format!("the query returned no row: {}", first_line(sql)))
        })
    }

    /// A single value of the first row.
    pub(crate) fn one<T: FromSql>(&self, sql: &str, params: &[&dyn ToSql]) -> Result<T> {
        self.query_row(sql, params, |row| row.get(0))
    }
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or_default()
}

/// True when the error is a broken constraint (unique, check, foreign key) on either engine.
pub(crate) fn is_constraint_violation(error: &Error) -> bool {
    match error {
        Error::Sqlite(error) => {
            error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
        }
        Error::PostgresConstraint(_) => true,
        _ => false,
    }
}
