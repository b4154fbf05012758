//! The `refi_guids` table: GUIDs that a REFI-QDA file gave to users, selections and memo notes,
//! which casecode keeps no rows for (see `migrations/0005_refi_guids.sql`); and the few reads a
//! REFI-QDA export makes about all codings at once, so that it can read the codings themselves
//! one document at a time.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rusqlite::params;

use super::{Reader, Tx};
use crate::Result;
use crate::model::CodingId;

/// One stored GUID: `kind` is `user`, `selection` or `note`; `key` names what it stands for.
pub type RefiGuid = (String, String, String);

impl Reader<'_> {
    /// Every stored REFI-QDA GUID, by kind and key.
    pub fn refi_guids(&self) -> Result<Vec<RefiGuid>> {
        self.query(
            "SELECT kind, key, guid FROM refi_guids ORDER BY kind, key",
            params![],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
    }

    /// Runs `read` on one consistent state of the project: on a server, a repeatable-read
    /// snapshot (an export reads the codings document by document, and another coder's command
    /// must not fall between two of those reads).
    pub fn consistently<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        self.connection().consistent(read)
    }

    /// The names of the coders who made codings, sorted.
    pub fn coding_coders(&self) -> Result<BTreeSet<String>> {
        let names: Vec<String> = self.query(
            "SELECT name FROM coders WHERE id IN (SELECT DISTINCT coder_id FROM codings)",
            params![],
            |row| row.get(0),
        )?;
        Ok(names.into_iter().collect())
    }

    /// Whether any coding is marked as an exemplar (代表的語り).
    pub fn any_exemplar(&self) -> Result<bool> {
        let found: Option<i64> = self.connection().query_opt(
            "SELECT 1 FROM codings WHERE exemplar = 1 LIMIT 1",
            params![],
            |row| row.get(0),
        )?;
        Ok(found.is_some())
    }

    /// The GUID of every coding, lower case (an import refuses a coding already there).
    pub fn coding_guids(&self) -> Result<HashSet<String>> {
        let mut guids = HashSet::new();
        self.connection()
            .for_each("SELECT guid FROM codings", params![], |row| {
                let guid: String = row.get(0)?;
                guids.insert(guid.to_ascii_lowercase());
                Ok(())
            })?;
        Ok(guids)
    }

    /// The GUIDs of the codings that support a summary, by coding id.
    pub fn summary_coding_guids(&self) -> Result<BTreeMap<CodingId, String>> {
        let rows: Vec<(i64, String)> = self.query(
            "SELECT id, guid FROM codings WHERE id IN (SELECT coding_id FROM summary_segments)",
            params![],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(rows
            .into_iter()
            .map(|(id, guid)| (CodingId(id), guid))
            .collect())
    }
}

impl Tx<'_> {
    /// Sets (or with `None` removes) GUIDs by kind and key; returns the previous values.
    pub fn set_refi_guids(
        &self,
        guids: &[(String, String, Option<String>)],
    ) -> Result<Vec<(String, String, Option<String>)>> {
        let reader = self.read();
        let connection = reader.connection();
        let mut previous = Vec::with_capacity(guids.len());
        for (kind, key, guid) in guids {
            let old: Option<String> = connection.query_opt(
                "SELECT guid FROM refi_guids WHERE kind = ?1 AND key = ?2",
                params![kind, key],
                |row| row.get(0),
            )?;
            connection.execute(
                "DELETE FROM refi_guids WHERE kind = ?1 AND key = ?2",
                params![kind, key],
            )?;
            if let Some(guid) = guid {
                connection.execute(
                    "INSERT INTO refi_guids (kind, key, guid) VALUES (?1, ?2, ?3)",
                    params![kind, key, guid],
                )?;
            }
            previous.push((kind.clone(), key.clone(), old));
        }
        Ok(previous)
    }
}
