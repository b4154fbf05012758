//! The persisted undo/redo stack and the append-only journal (audit trail).

use rusqlite::params;

use super::db::Conn;
use super::{Reader, Tx};
use crate::Result;

/// One entry of the undo/redo stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackEntry {
    pub id: i64,
    pub label: String,
    /// The serialized command that undoes (for a done entry) or redoes (for an undone one).
    pub command: String,
}

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JournalEntry {
    pub id: i64,
    pub at: String,
    pub coder: String,
    pub action: String,
    pub label: String,
    pub detail: String,
}

impl Reader<'_> {
    /// The whole journal, oldest first.
    pub fn journal(&self) -> Result<Vec<JournalEntry>> {
        self.query(
            // The coder as named now (renames show), else as written then.
            "SELECT id, at, ifnull((SELECT name FROM coders WHERE coders.id = journal.coder_id), coder),
                    action, label, detail FROM journal ORDER BY id",
            params![],
            |row| {
                Ok(JournalEntry {
                    id: row.get(0)?,
                    at: row.get(1)?,
                    coder: row.get(2)?,
                    action: row.get(3)?,
                    label: row.get(4)?,
                    detail: row.get(5)?,
                })
            },
        )
    }

    /// The entry `undo` would revert: the latest done one.
    pub fn next_undo(&self) -> Result<Option<StackEntry>> {
        self.stack_entry(
            "SELECT id, label, undo FROM undo_stack WHERE undone = 0 ORDER BY id DESC LIMIT 1",
        )
    }

    /// The entry `redo` would re-apply: the earliest undone one.
    pub fn next_redo(&self) -> Result<Option<StackEntry>> {
        self.stack_entry(
            "SELECT id, label, redo FROM undo_stack WHERE undone = 1 ORDER BY id LIMIT 1",
        )
    }

    fn stack_entry(&self, sql: &str) -> Result<Option<StackEntry>> {
        Ok(self.connection().query_opt(sql, params![], |row| {
            Ok(StackEntry {
                id: row.get(0)?,
                label: row.get(1)?,
                command: row.get::<Option<String>>(2)?.unwrap_or_default(),
            })
        })?)
    }
}

impl Tx<'_> {
    /// Appends a journal line.
    pub fn journal_append(
        &self,
        coder: &str,
        action: &str,
        label: &str,
        detail: &str,
    ) -> Result<()> {
        let at = self.now()?;
        let coder_id = self.ensure_coder(coder)?;
        self.transaction().execute(
            "INSERT INTO journal (at, coder, action, label, detail, coder_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![at, coder, action, label, detail, coder_id.0],
        )?;
        if let Conn::Pg(connection) = self.transaction() {
            super::server::notify(
                self.transaction(),
                &connection.address.project,
                coder,
                action,
                label,
            )?;
        }
        Ok(())
    }

    /// Records a newly done command: drops what could have been redone, pushes the inverse.
    pub fn push_undo(&self, label: &str, inverse: &str) -> Result<()> {
        self.transaction()
            .execute("DELETE FROM undo_stack WHERE undone = 1", params![])?;
        self.transaction().execute(
            "INSERT INTO undo_stack (label, undo, redo, undone) VALUES (?1, ?2, NULL, 0)",
            params![label, inverse],
        )?;
        Ok(())
    }

    /// Marks an entry undone, keeping the command that redoes it.
    pub fn mark_undone(&self, id: i64, redo: &str) -> Result<()> {
        self.transaction().execute(
            "UPDATE undo_stack SET undone = 1, undo = NULL, redo = ?2 WHERE id = ?1",
            params![id, redo],
        )?;
        Ok(())
    }

    /// Marks an entry done again, keeping the command that undoes it.
    pub fn mark_redone(&self, id: i64, undo: &str) -> Result<()> {
        self.transaction().execute(
            "UPDATE undo_stack SET undone = 0, undo = ?2, redo = NULL WHERE id = ?1",
            params![id, undo],
        )?;
        Ok(())
    }
}
