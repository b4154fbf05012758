//! Writes, always inside one immediate transaction. Commands call these; nothing else does.
//! This file holds the transaction and the field updates (a code's name, an attribute value, a
//! memo …), each returning what it replaced; whole rows go in and out in `rows.rs`.

use std::path::PathBuf;

use rusqlite::params;

use super::db::{Conn, is_constraint_violation};
use super::pg::PgConn;

use super::columns::{
    ATTRIBUTE_COLUMNS, CODE_COLUMNS, PROJECT_MEMO_KEY, SUMMARY_COLUMNS, attribute_from_row,
    code_from_row, summary_from_row,
};
use super::read::Reader;
use crate::model::{
    Attribute, AttributeId, CaseId, CellMark, Code, CodeId, CodingId, MemoTarget, RoleId, Summary,
};
use crate::{Error, Result};

/// A write transaction on the project. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx<'a> {
    inner: Inner<'a>,
    path: PathBuf,
    /// The transaction's time, read once: every time stamp of one command is the same.
    now: std::cell::OnceCell<String>,
    /// Coder ids looked up (or created) in this transaction, by name.
    pub(super) coder_ids:
        std::cell::RefCell<std::collections::HashMap<String, crate::model::CoderId>>,
}

enum Inner<'a> {
    Lite(rusqlite::Transaction<'a>),
    Pg(PgTransaction<'a>),
}

/// An open serializable transaction on the server; rolled back when dropped uncommitted.
struct PgTransaction<'a>(&'a PgConn);

impl Drop for PgTransaction<'_> {
    fn drop(&mut self) {
        self.0.rollback();
    }
}

impl<'a> Tx<'a> {
    pub(crate) fn lite(transaction: rusqlite::Transaction<'a>, path: PathBuf) -> Tx<'a> {
        Tx {
            inner: Inner::Lite(transaction),
            path,
            now: std::cell::OnceCell::new(),
            coder_ids: Default::default(),
        }
    }

    /// Wraps a transaction [`PgConn::begin`] has opened.
    pub(crate) fn pg(connection: &'a PgConn, path: PathBuf) -> Tx<'a> {
        Tx {
            inner: Inner::Pg(PgTransaction(connection)),
            path,
            now: std::cell::OnceCell::new(),
            coder_ids: Default::default(),
        }
    }

    /// Reads inside the transaction (sees its own writes).
    pub fn read(&self) -> Reader<'_> {
        Reader::new(self.transaction())
    }

    /// Commits; a busy database is reported as [`Error::Busy`], a lost race on the server as
    /// [`Error::ServerConflict`].
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        match self.inner {
            Inner::Lite(transaction) => transaction
                .commit()
                .map_err(|error| super::busy_or(error, &path)),
            Inner::Pg(transaction) => transaction.0.commit(),
        }
    }

    /// The current time as ISO 8601 UTC, from the database's clock.
    pub fn now(&self) -> Result<String> {
        if let Some(now) = self.now.get() {
            return Ok(now.clone());
        }
        let now: String = self
            .transaction()
            .one("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", &[])?;
        Ok(self.now.get_or_init(|| now).clone())
    }

    /// The first unused id of a table (ids are never handed out twice within a transaction
    /// because callers allocate consecutive ranges from this value).
    pub fn next_id(&self, table: IdTable) -> Result<i64> {
        let sql = format!("SELECT coalesce(max(id), 0) + 1 FROM {}", table.name());
        self.transaction().one(&sql, &[])
    }

    /// Sets one key of the project metadata.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.transaction().execute(
            "INSERT INTO project_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Replaces code rows (name, parent, position, definition, colour, memo) by id and returns
    /// the rows as they were.
    pub fn update_codes(&self, codes: &[Code]) -> Result<Vec<Code>> {
        let mut previous = Vec::with_capacity(codes.len());
        let statement =
            "UPDATE codes SET guid = ?2, parent_id = ?3, name = ?4, definition = ?5, color = ?6,
             memo = ?7, position = ?8 WHERE id = ?1";
        for code in codes {
            let Some(old) = self.read().query_one(
                &format!("SELECT {CODE_COLUMNS} FROM codes WHERE id = ?1"),
                params![code.id.0],
                code_from_row,
            )?
            else {
                return Err(Error::NoSuchCode(code.id.to_string()));
            };
            self.transaction()
                .execute(
                    statement,
                    params![
                        code.id.0,
                        code.guid,
                        code.parent_id.map(|id| id.0),
                        code.name,
                        code.definition,
                        code.color,
                        code.memo,
                        code.position
                    ],
                )
                .map_err(|error| {
                    if is_constraint_violation(&error) {
                        Error::Conflict(format!(
                            "a sibling code named '{}' already exists",
                            code.name
                        ))
                    } else {
                        error
                    }
                })?;
            previous.push(old);
        }
        Ok(previous)
    }

    /// Sets the roles of a code and returns the roles it had, sorted.
    pub fn set_code_roles(&self, code_id: CodeId, roles: &[RoleId]) -> Result<Vec<RoleId>> {
        let old = self.read().query(
            "SELECT role_id FROM code_roles WHERE code_id = ?1 ORDER BY role_id",
            params![code_id.0],
            |row| Ok(RoleId(row.get(0)?)),
        )?;
        self.transaction().execute(
            "DELETE FROM code_roles WHERE code_id = ?1",
            params![code_id.0],
        )?;
        let statement = "INSERT OR IGNORE INTO code_roles (code_id, role_id) VALUES (?1, ?2)";
        for role in roles {
            self.transaction()
                .execute(statement, params![code_id.0, role.0])?;
        }
        Ok(old)
    }

    /// Points codings at other codes and returns the previous assignment.
    pub fn reassign_codings(
        &self,
        moves: &[(CodingId, CodeId)],
    ) -> Result<Vec<(CodingId, CodeId)>> {
        let mut previous = Vec::with_capacity(moves.len());
        let statement = "UPDATE codings SET code_id = ?2 WHERE id = ?1";
        for &(coding_id, code_id) in moves {
            let Some(old) = self.read().coding(coding_id)? else {
                return Err(Error::NoSuchCoding(coding_id.0));
            };
            self.transaction()
                .execute(statement, params![coding_id.0, code_id.0])
                .map_err(|error| {
                    if is_constraint_violation(&error) {
                        Error::Conflict(format!(
                            "coding {coding_id} would duplicate a coding of the target code"
                        ))
                    } else {
                        error
                    }
                })?;
            previous.push((coding_id, old.code_id));
        }
        Ok(previous)
    }

    /// Sets (or with `None` removes) attribute values and returns the previous values.
    #[allow(clippy::type_complexity)]
    pub fn set_attribute_values(
        &self,
        values: &[(CaseId, AttributeId, Option<String>)],
    ) -> Result<Vec<(CaseId, AttributeId, Option<String>)>> {
        let mut previous = Vec::with_capacity(values.len());
        for (case_id, attribute_id, value) in values {
            let old: Option<String> = self.read().query_one(
                "SELECT value FROM attribute_values WHERE case_id = ?1 AND attribute_id = ?2",
                params![case_id.0, attribute_id.0],
                |row| row.get(0),
            )?;
            match value {
                Some(value) => self.transaction().execute(
                    "INSERT INTO attribute_values (case_id, attribute_id, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (case_id, attribute_id) DO UPDATE SET value = excluded.value",
                    params![case_id.0, attribute_id.0, value],
                )?,
                None => self.transaction().execute(
                    "DELETE FROM attribute_values WHERE case_id = ?1 AND attribute_id = ?2",
                    params![case_id.0, attribute_id.0],
                )?,
            };
            previous.push((*case_id, *attribute_id, old));
        }
        Ok(previous)
    }

    /// Replaces attribute rows (name, kind, position) by id and returns them as they were.
    pub fn update_attributes(&self, attributes: &[Attribute]) -> Result<Vec<Attribute>> {
        let mut previous = Vec::with_capacity(attributes.len());
        for attribute in attributes {
            let Some(old) = self.read().query_one(
                &format!("SELECT {ATTRIBUTE_COLUMNS} FROM attributes WHERE id = ?1"),
                params![attribute.id.0],
                attribute_from_row,
            )?
            else {
                return Err(Error::Conflict(format!(
                    "no attribute with id {}",
                    attribute.id
                )));
            };
            self.transaction().execute(
                "UPDATE attributes SET guid = ?2, name = ?3, kind = ?4, position = ?5 WHERE id = ?1",
                params![
                    attribute.id.0,
                    attribute.guid,
                    attribute.name,
                    attribute.kind.as_str(),
                    attribute.position
                ],
            )?;
            previous.push(old);
        }
        Ok(previous)
    }

    /// Overwrites a summary row (cell, text, author, time) and its links by id; returns the row
    /// and links as they were.
    pub fn replace_summary(
        &self,
        summary: &Summary,
        links: &[CodingId],
    ) -> Result<(Summary, Vec<CodingId>)> {
        let Some(old) = self.read().query_one(
            &format!("SELECT {SUMMARY_COLUMNS} FROM summaries WHERE id = ?1"),
            params![summary.id.0],
            summary_from_row,
        )?
        else {
            return Err(Error::Conflict(format!(
                "no summary with id {}",
                summary.id
            )));
        };
        let old_links = self.read().summary_links(summary.id)?;
        let author_id = self.ensure_coder(&summary.author)?;
        self.transaction()
            .execute(
                "UPDATE summaries SET guid = ?2, case_id = ?3, code_id = ?4, text = ?5, author_id = ?6,
                 updated_at = ?7 WHERE id = ?1",
                params![
                    summary.id.0,
                    summary.guid,
                    summary.case_id.0,
                    summary.code_id.0,
                    summary.text,
                    author_id.0,
                    summary.updated_at
                ],
            )
            .map_err(|error| {
                if is_constraint_violation(&error) {
                    Error::Conflict("that cell already has a summary".to_owned())
                } else {
                    error
                }
            })?;
        self.transaction().execute(
            "DELETE FROM summary_segments WHERE summary_id = ?1",
            params![summary.id.0],
        )?;
        let statement =
            "INSERT OR IGNORE INTO summary_segments (summary_id, coding_id) VALUES (?1, ?2)";
        for coding_id in links {
            self.transaction()
                .execute(statement, params![summary.id.0, coding_id.0])?;
        }
        Ok((old, old_links))
    }

    /// Sets (or with `None` clears) cell marks; returns the previous marks.
    #[allow(clippy::type_complexity)]
    pub fn set_cell_states(
        &self,
        states: &[(CaseId, CodeId, Option<CellMark>)],
    ) -> Result<Vec<(CaseId, CodeId, Option<CellMark>)>> {
        let mut previous = Vec::with_capacity(states.len());
        for (case_id, code_id, mark) in states {
            previous.push((
                *case_id,
                *code_id,
                self.read().cell_state(*case_id, *code_id)?,
            ));
            match mark {
                Some(mark) => self.transaction().execute(
                    "INSERT INTO cell_states (case_id, code_id, state) VALUES (?1, ?2, ?3)
                     ON CONFLICT (case_id, code_id) DO UPDATE SET state = excluded.state",
                    params![case_id.0, code_id.0, mark.as_str()],
                )?,
                None => self.transaction().execute(
                    "DELETE FROM cell_states WHERE case_id = ?1 AND code_id = ?2",
                    params![case_id.0, code_id.0],
                )?,
            };
        }
        Ok(previous)
    }

    /// Sets the exemplar flag of codings; returns the previous flags.
    pub fn set_exemplars(&self, flags: &[(CodingId, bool)]) -> Result<Vec<(CodingId, bool)>> {
        let mut previous = Vec::with_capacity(flags.len());
        for (coding_id, exemplar) in flags {
            let Some(old) = self.read().coding(*coding_id)? else {
                return Err(Error::NoSuchCoding(coding_id.0));
            };
            self.transaction().execute(
                "UPDATE codings SET exemplar = ?2 WHERE id = ?1",
                params![coding_id.0, exemplar],
            )?;
            previous.push((*coding_id, old.exemplar));
        }
        Ok(previous)
    }

    /// Sets the memo of codings; returns the previous memos.
    pub fn set_coding_memos(
        &self,
        memos: &[(CodingId, String)],
    ) -> Result<Vec<(CodingId, String)>> {
        let mut previous = Vec::with_capacity(memos.len());
        for (coding_id, memo) in memos {
            let Some(old) = self.read().coding(*coding_id)? else {
                return Err(Error::NoSuchCoding(coding_id.0));
            };
            self.transaction().execute(
                "UPDATE codings SET memo = ?2 WHERE id = ?1",
                params![coding_id.0, memo],
            )?;
            previous.push((*coding_id, old.memo));
        }
        Ok(previous)
    }

    /// Writes memos and returns the previous ones. An empty project memo removes its key. A
    /// missing case, document, code or coding is an error and nothing is written.
    pub fn set_memos(&self, memos: &[(MemoTarget, String)]) -> Result<Vec<(MemoTarget, String)>> {
        let mut previous = Vec::with_capacity(memos.len());
        for (target, memo) in memos {
            let Some(old) = self.read().memo(*target)? else {
                return Err(match target {
                    MemoTarget::Case(case_id) => Error::NoSuchCase(format!("id {case_id}")),
                    MemoTarget::Document(id) => Error::NoSuchDocument(format!("id {id}")),
                    MemoTarget::Code(code_id) => Error::NoSuchCode(format!("id {code_id}")),
                    MemoTarget::Coding(coding_id) => Error::NoSuchCoding(coding_id.0),
                    MemoTarget::Project => Error::Conflict("the project has no memo".to_owned()),
                });
            };
            let (sql, id) = match target {
                MemoTarget::Project => {
                    if memo.is_empty() {
                        self.transaction().execute(
                            "DELETE FROM project_meta WHERE key = ?1",
                            params![PROJECT_MEMO_KEY],
                        )?;
                    } else {
                        self.set_meta(PROJECT_MEMO_KEY, memo)?;
                    }
                    previous.push((*target, old));
                    continue;
                }
                MemoTarget::Case(case_id) => {
                    ("UPDATE cases SET memo = ?2 WHERE id = ?1", case_id.0)
                }
                MemoTarget::Document(document_id) => (
                    "UPDATE documents SET memo = ?2 WHERE id = ?1",
                    document_id.0,
                ),
                MemoTarget::Code(code_id) => {
                    ("UPDATE codes SET memo = ?2 WHERE id = ?1", code_id.0)
                }
                MemoTarget::Coding(coding_id) => {
                    ("UPDATE codings SET memo = ?2 WHERE id = ?1", coding_id.0)
                }
            };
            self.transaction().execute(sql, params![id, memo])?;
            previous.push((*target, old));
        }
        Ok(previous)
    }

    /// The connection the transaction runs on.
    pub(crate) fn transaction(&self) -> Conn<'_> {
        match &self.inner {
            Inner::Lite(transaction) => Conn::Lite(transaction),
            Inner::Pg(transaction) => Conn::Pg(transaction.0),
        }
    }
}

/// Tables whose ids callers allocate.
#[derive(Clone, Copy, Debug)]
pub enum IdTable {
    Attributes,
    Cases,
    Frames,
    Roles,
    Codes,
    Documents,
    Codings,
    Summaries,
}

impl IdTable {
    pub(crate) fn name(self) -> &'static str {
        match self {
            IdTable::Attributes => "attributes",
            IdTable::Cases => "cases",
            IdTable::Frames => "frames",
            IdTable::Roles => "roles",
            IdTable::Codes => "codes",
            IdTable::Documents => "documents",
            IdTable::Codings => "codings",
            IdTable::Summaries => "summaries",
        }
    }
}
