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
    /// Who did it.
    pub coder: String,
    /// What it touched (a `Footprint` as JSON; empty for entries from before schema 11).
    pub touched: String,
}

fn stack_entry_from_row(row: &super::db::Row<'_>) -> Result<StackEntry> {
    Ok(StackEntry {
        id: row.get(0)?,
        label: row.get(1)?,
        command: row.get::<Option<String>>(2)?.unwrap_or_default(),
        coder: row.get(3)?,
        touched: row.get(4)?,
    })
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

    /// The entry `undo` would revert: the latest done one (of `coder`'s, when given).
    pub fn next_undo(&self, coder: Option<&str>) -> Result<Option<StackEntry>> {
        self.stack_entry(
            "SELECT id, label, undo, coder, touched FROM undo_stack
             WHERE undone = 0 AND (CAST(?1 AS TEXT) IS NULL OR coder = ?1) ORDER BY id DESC LIMIT 1",
            coder,
        )
    }

    /// The entry `redo` would re-apply: the earliest undone one (of `coder`'s, when given).
    pub fn next_redo(&self, coder: Option<&str>) -> Result<Option<StackEntry>> {
        self.stack_entry(
            "SELECT id, label, redo, coder, touched FROM undo_stack
             WHERE undone = 1 AND (CAST(?1 AS TEXT) IS NULL OR coder = ?1) ORDER BY id LIMIT 1",
            coder,
        )
    }

    /// The done entries after `id` of coders other than `coder`, oldest first.
    pub fn later_entries_of_others(&self, id: i64, coder: &str) -> Result<Vec<StackEntry>> {
        self.query(
            "SELECT id, label, undo, coder, touched FROM undo_stack
             WHERE id > ?1 AND undone = 0 AND coder <> ?2 ORDER BY id",
            params![id, coder],
            stack_entry_from_row,
        )
    }

    fn stack_entry(&self, sql: &str, coder: Option<&str>) -> Result<Option<StackEntry>> {
        self.connection()
            .query_opt(sql, params![coder], stack_entry_from_row)
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

    /// Records a newly done command: drops what could have been redone (the coder's own, when
    /// `per_coder`), pushes the inverse with the coder and what the command touched.
    pub fn push_undo(
        &self,
        label: &str,
        inverse: &str,
        coder: &str,
        touched: &str,
        per_coder: bool,
    ) -> Result<()> {
        self.transaction().execute(
            "DELETE FROM undo_stack WHERE undone = 1 AND (?1 = 0 OR coder = ?2)",
            params![per_coder, coder],
        )?;
        self.transaction().execute(
            "INSERT INTO undo_stack (label, undo, redo, undone, coder, touched)
             VALUES (?1, ?2, NULL, 0, ?3, ?4)",
            params![label, inverse, coder, touched],
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
