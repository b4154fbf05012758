//! The `coders` table (see `migrations/0006_coders.sql`): reads, the creation of a coder the
//! first time a name is used, and the writes behind renaming and merging coders.

use rusqlite::params;

use super::db::{Conn, Row, is_constraint_violation};

use super::{Reader, Tx};
use crate::model::{Coder, CoderId, CodingId, SummaryId};
use crate::{Error, Result};

const CODER_COLUMNS: &str = "id, guid, name, color";

fn coder_from_row(row: &Row<'_>) -> Result<Coder> {
    Ok(Coder {
        id: CoderId(row.get(0)?),
        guid: row.get(1)?,
        name: row.get(2)?,
        color: row.get(3)?,
    })
}

/// Rows that refer to a coder, by id: what a merge of coders repoints.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CoderReferences {
    pub codings: Vec<(CodingId, CoderId)>,
    pub summaries: Vec<(SummaryId, CoderId)>,
    /// Journal line ids.
    pub journal: Vec<(i64, CoderId)>,
}

impl CoderReferences {
    /// True when nothing refers.
    pub fn is_empty(&self) -> bool {
        self.codings.is_empty() && self.summaries.is_empty() && self.journal.is_empty()
    }
}

impl Reader<'_> {
    /// The first unused id of a table, as [`Tx::next_id`] hands it out (for planning).
    pub fn next_id(&self, table: super::IdTable) -> Result<i64> {
        let sql = format!("SELECT ifnull(max(id), 0) + 1 FROM {}", table.name());
        self.connection().one(&sql, params![])
    }

    /// The first unused coder id.
    pub fn next_coder_id(&self) -> Result<i64> {
        self.connection()
            .one("SELECT ifnull(max(id), 0) + 1 FROM coders", params![])
    }

    /// Every coder, by name.
    pub fn coders(&self) -> Result<Vec<Coder>> {
        self.query(
            &format!("SELECT {CODER_COLUMNS} FROM coders ORDER BY name, id"),
            params![],
            coder_from_row,
        )
    }

    /// The coder with this name.
    pub fn coder_by_name(&self, name: &str) -> Result<Option<Coder>> {
        self.query_one(
            &format!("SELECT {CODER_COLUMNS} FROM coders WHERE name = ?1"),
            params![name],
            coder_from_row,
        )
    }

    /// The coder with this id.
    pub fn coder(&self, coder_id: CoderId) -> Result<Option<Coder>> {
        self.query_one(
            &format!("SELECT {CODER_COLUMNS} FROM coders WHERE id = ?1"),
            params![coder_id.0],
            coder_from_row,
        )
    }

    /// Number of codings of each coder, by coder id (coders without codings are absent).
    pub fn coding_counts_by_coder(&self) -> Result<Vec<(CoderId, usize)>> {
        self.query(
            "SELECT coder_id, count(*) FROM codings GROUP BY coder_id ORDER BY coder_id",
            params![],
            |row| Ok((CoderId(row.get(0)?), row.get::<i64>(1)?.max(0) as usize)),
        )
    }

    /// The codings, summaries and journal lines that refer to a coder, sorted by id.
    pub fn coder_references(&self, coder_id: CoderId) -> Result<CoderReferences> {
        let ids = |sql: &str| -> Result<Vec<i64>> {
            self.query(sql, params![coder_id.0], |row| row.get(0))
        };
        Ok(CoderReferences {
            codings: ids("SELECT id FROM codings WHERE coder_id = ?1 ORDER BY id")?
                .into_iter()
                .map(|id| (CodingId(id), coder_id))
                .collect(),
            summaries: ids("SELECT id FROM summaries WHERE author_id = ?1 ORDER BY id")?
                .into_iter()
                .map(|id| (SummaryId(id), coder_id))
                .collect(),
            journal: ids("SELECT id FROM journal WHERE coder_id = ?1 ORDER BY id")?
                .into_iter()
                .map(|id| (id, coder_id))
                .collect(),
        })
    }
}

/// The id of the coder named `name`, created when missing: its GUID is the one a REFI-QDA
/// import stored for that user name, else the name-based one; its colour the next of the
/// palette.
pub(crate) fn ensure_coder(connection: Conn<'_>, name: &str) -> Result<CoderId> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Conflict("the coder name is empty".to_owned()));
    }
    if let Some(id) = connection.query_opt(
        "SELECT id FROM coders WHERE name = ?1",
        params![name],
        |row| row.get::<i64>(0),
    )? {
        return Ok(CoderId(id));
    }
    let stored: Option<String> = connection.query_opt(
        "SELECT guid FROM refi_guids WHERE kind = 'user' AND key = ?1",
        params![name],
        |row| row.get(0),
    )?;
    let mut guid = stored.unwrap_or_else(|| Coder::derived_guid(name));
    // A renamed coder keeps the GUID derived from its old name; a new coder of that old name
    // then needs another.
    let taken: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM coders WHERE guid = ?1)",
        params![&guid],
        |row| row.get(0),
    )?;
    if taken {
        guid = uuid::Uuid::new_v4().to_string();
    }
    let count: i64 =
        connection.query_row("SELECT count(*) FROM coders", params![], |row| row.get(0))?;
    let color = Coder::palette_color(count.max(0) as usize);
    let id: i64 = connection
        .query_row(
            "INSERT INTO coders (id, guid, name, color)
             VALUES ((SELECT ifnull(max(id), 0) + 1 FROM coders), ?1, ?2, ?3) RETURNING id",
            params![guid, name, color],
            |row| row.get(0),
        )
        .map_err(|error| {
            if is_constraint_violation(&error) {
                Error::Conflict(format!(
                    "coder '{name}': its GUID {guid} already belongs to another coder"
                ))
            } else {
                error
            }
        })?;
    Ok(CoderId(id))
}

/// After migration 6: every coder gets its real GUID (stored by a REFI-QDA import, else
/// name-based) and a palette colour, in name order.
pub(crate) fn finish_migration(connection: Conn<'_>) -> Result<()> {
    let pending: Vec<(i64, String)> = connection.query(
        "SELECT id, name FROM coders WHERE guid LIKE 'pending:%' ORDER BY name, id",
        params![],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    for (index, (id, name)) in pending.iter().enumerate() {
        let stored: Option<String> = connection.query_opt(
            "SELECT guid FROM refi_guids WHERE kind = 'user' AND key = ?1",
            params![name],
            |row| row.get(0),
        )?;
        let guid = stored.unwrap_or_else(|| Coder::derived_guid(name));
        connection.execute(
            "UPDATE coders SET guid = ?2, color = ?3 WHERE id = ?1",
            params![id, guid, Coder::palette_color(index)],
        )?;
    }
    Ok(())
}

impl Tx<'_> {
    /// The id of the coder named `name`, created when missing (see [`ensure_coder`]).
    pub fn ensure_coder(&self, name: &str) -> Result<CoderId> {
        if let Some(id) = self.coder_ids.borrow().get(name) {
            return Ok(*id);
        }
        let id = ensure_coder(self.transaction(), name)?;
        self.coder_ids.borrow_mut().insert(name.to_owned(), id);
        Ok(id)
    }

    /// Inserts, overwrites (`Some`) or deletes (`None`) coder rows by id; returns the rows as
    /// they were, for the inverse. A name or GUID taken by another coder is a conflict.
    pub fn set_coders(
        &self,
        coders: &[(CoderId, Option<Coder>)],
    ) -> Result<Vec<(CoderId, Option<Coder>)>> {
        // Names may change or go: the ids looked up so far in this transaction are stale.
        self.coder_ids.borrow_mut().clear();
        let mut previous = Vec::with_capacity(coders.len());
        for (coder_id, coder) in coders {
            let old = self.read().coder(*coder_id)?;
            let connection = self.transaction();
            match coder {
                Some(coder) => {
                    connection
                        .execute(
                            "INSERT INTO coders (id, guid, name, color) VALUES (?1, ?2, ?3, ?4)
                             ON CONFLICT (id) DO UPDATE SET guid = excluded.guid,
                             name = excluded.name, color = excluded.color",
                            params![coder_id.0, coder.guid, coder.name.trim(), coder.color],
                        )
                        .map_err(|error| {
                            if is_constraint_violation(&error) {
                                Error::Conflict(format!(
                                    "a coder named '{}' (or with GUID {}) already exists",
                                    coder.name, coder.guid
                                ))
                            } else {
                                error
                            }
                        })?;
                }
                None => {
                    connection.execute("DELETE FROM coders WHERE id = ?1", params![coder_id.0])?;
                }
            }
            previous.push((*coder_id, old));
        }
        Ok(previous)
    }

    /// Points codings, summaries and journal lines at other coders; returns what they pointed
    /// at before.
    pub fn reassign_coders(&self, references: &CoderReferences) -> Result<CoderReferences> {
        let connection = self.transaction();
        let mut previous = CoderReferences::default();
        let old = |sql: &str, id: i64| -> Result<Option<i64>> {
            connection.query_opt(sql, params![id], |row| row.get(0))
        };
        for (coding_id, coder_id) in &references.codings {
            let Some(was) = old("SELECT coder_id FROM codings WHERE id = ?1", coding_id.0)? else {
                return Err(Error::NoSuchCoding(coding_id.0));
            };
            connection
                .execute(
                    "UPDATE codings SET coder_id = ?2 WHERE id = ?1",
                    params![coding_id.0, coder_id.0],
                )
                .map_err(|error| {
                    if is_constraint_violation(&error) {
                        Error::Conflict(format!(
                            "coding {coding_id}: the other coder already has the same code on the same span"
                        ))
                    } else {
                        error
                    }
                })?;
            previous.codings.push((*coding_id, CoderId(was)));
        }
        for (summary_id, coder_id) in &references.summaries {
            if let Some(was) = old(
                "SELECT author_id FROM summaries WHERE id = ?1",
                summary_id.0,
            )? {
                connection.execute(
                    "UPDATE summaries SET author_id = ?2 WHERE id = ?1",
                    params![summary_id.0, coder_id.0],
                )?;
                previous.summaries.push((*summary_id, CoderId(was)));
            }
        }
        for (line, coder_id) in &references.journal {
            if let Some(Some(was)) = connection.query_opt(
                "SELECT coder_id FROM journal WHERE id = ?1",
                params![line],
                |row| row.get::<Option<i64>>(0),
            )? {
                connection.execute(
                    "UPDATE journal SET coder_id = ?2 WHERE id = ?1",
                    params![line, coder_id.0],
                )?;
                previous.journal.push((*line, CoderId(was)));
            }
        }
        Ok(previous)
    }
}
