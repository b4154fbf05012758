//! The `refi_guids` table: GUIDs that a REFI-QDA file gave to users, selections and memo notes,
//! which casecode keeps no rows for (see `migrations/0005_refi_guids.sql`).

use rusqlite::params;

use super::{Reader, Tx};
use crate::Result;

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
