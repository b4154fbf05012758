//! Work on a million codings: the codings as the analyses need them (no guid, memo or
//! creation time, in storage order, no sort in SQL), the keys of the codings already stored
//! for a set of documents, read once instead of one lookup per new coding, and the insertion
//! of many coding rows at once.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::params;

use super::columns::CODING_STORED_COLUMNS;
use super::db::{Conn, is_constraint_violation};
use super::{Reader, Tx};
use crate::model::{CodeId, Coder, CoderId, Coding, CodingId, DocumentId, Rows, Span};
use crate::{Error, Result};

/// What makes a coding unique: code, document, span and coder.
pub type CodingKey = (CodeId, DocumentId, Span, String);

/// A new coding as a bulk insert stores it: its GUID inline, its coder by id, no string of its
/// own but a memo (most often empty). A million [`Coding`] rows each carried a GUID, a coder
/// name and a creation time on the heap: strings made on one thread and read and freed on
/// another, scattered in memory, which cost a bulk import more than SQLite's own work on them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkCoding {
    pub id: CodingId,
    pub guid: uuid::Uuid,
    pub document_id: DocumentId,
    pub code_id: CodeId,
    pub span: Span,
    pub coder_id: CoderId,
    pub memo: String,
    /// The row's own creation time (a REFI-QDA import keeps the file's); `None`: the batch's.
    pub created_at: Option<String>,
    pub exemplar: bool,
}

/// A coding as counting needs it: ids and offsets (code points, half-open), the coder by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodingCore {
    pub coding_id: CodingId,
    pub document_id: DocumentId,
    pub code_id: CodeId,
    pub start: usize,
    pub end: usize,
    pub coder_id: CoderId,
}

impl Reader<'_> {
    /// Every row an analysis snapshot or a project merge reads: cases, attributes and their
    /// values, frames and roles, the code tree, documents with their utterances, codings,
    /// summaries and cell marks. With `quotes` false the codings are read as
    /// [`Reader::codings_for_analysis`] reads them.
    pub fn project_rows(&self, quotes: bool) -> Result<Rows> {
        self.connection()
            .consistent(|| self.project_rows_now(Some(quotes)))
    }

    /// What counting reads, from one snapshot: [`Reader::project_rows`] without codings, the
    /// codings as bare ids and offsets ([`CodingCore`], by id) and every coder.
    pub fn project_rows_for_counting(&self) -> Result<(Rows, Vec<CodingCore>, Vec<Coder>)> {
        self.connection().consistent(|| {
            let rows = self.project_rows_now(None)?;
            Ok((rows, self.coding_cores()?, self.coders()?))
        })
    }

    /// Every coding as ids and offsets with its coder's id, by id: a sixth of the bytes of
    /// [`Reader::codings_for_analysis`] and no string per row.
    pub fn coding_cores(&self) -> Result<Vec<CodingCore>> {
        let mut cores = self.query(
            "SELECT id, document_id, code_id, start, \"end\", coder_id FROM codings",
            params![],
            |row| {
                Ok(CodingCore {
                    coding_id: CodingId(row.get(0)?),
                    document_id: DocumentId(row.get(1)?),
                    code_id: CodeId(row.get(2)?),
                    start: usize::try_from(row.get::<i64>(3)?).unwrap_or_default(),
                    end: usize::try_from(row.get::<i64>(4)?).unwrap_or_default(),
                    coder_id: CoderId(row.get(5)?),
                })
            },
        )?;
        // SQLite returns rowid order already; a server need not.
        if !cores.is_sorted_by_key(|core| core.coding_id) {
            cores.sort_unstable_by_key(|core| core.coding_id);
        }
        Ok(cores)
    }

    /// The rows; the codings with their quotes (`Some(true)`), as the analyses read them
    /// (`Some(false)`) or not at all (`None`).
    fn project_rows_now(&self, quotes: Option<bool>) -> Result<Rows> {
        let mut documents = Vec::new();
        let mut utterances = Vec::new();
        for info in self.document_infos()? {
            utterances.extend(self.utterances(info.id)?);
            if let Some(document) = self.document(info.id)? {
                documents.push(document);
            }
        }
        Ok(Rows {
            attributes: self.attributes()?,
            cases: self.cases()?,
            attribute_values: self.attribute_values()?,
            frames: self.frames()?,
            roles: self.roles()?,
            codes: self.codes()?,
            code_roles: self.code_roles()?,
            documents,
            utterances,
            codings: match quotes {
                Some(true) => self.codings()?,
                Some(false) => self.codings_for_analysis()?,
                None => Vec::new(),
            },
            summaries: self.summaries()?,
            summary_segments: self.summary_segments()?,
            cell_states: self.cell_states()?,
        })
    }

    /// Every coding without its guid, memo and creation time (left empty), by id. What the
    /// analyses read: a third of the strings of [`Reader::codings`], and no sort.
    pub fn codings_for_analysis(&self) -> Result<Vec<Coding>> {
        self.connection()
            .consistent(|| self.codings_for_analysis_now())
    }

    fn codings_for_analysis_now(&self) -> Result<Vec<Coding>> {
        // The coders' names are read once and handed out by id: a join per row was a fifth of
        // reading a million codings.
        let names: HashMap<i64, String> = self
            .coders()?
            .into_iter()
            .map(|coder| (coder.id.0, coder.name))
            .collect();
        self.query(
            "SELECT id, document_id, code_id, start, \"end\", coder_id, exemplar FROM codings",
            params![],
            |row| {
                Ok(Coding {
                    id: CodingId(row.get(0)?),
                    guid: String::new(),
                    document_id: DocumentId(row.get(1)?),
                    code_id: CodeId(row.get(2)?),
                    span: Span {
                        start: usize::try_from(row.get::<i64>(3)?).unwrap_or_default(),
                        end: usize::try_from(row.get::<i64>(4)?).unwrap_or_default(),
                    },
                    coder: names.get(&row.get::<i64>(5)?).cloned().unwrap_or_default(),
                    memo: String::new(),
                    created_at: String::new(),
                    exemplar: row.get(6)?,
                })
            },
        )
    }

    /// The keys of the codings stored for `documents`.
    pub fn coding_keys(&self, documents: &BTreeSet<DocumentId>) -> Result<HashSet<CodingKey>> {
        let ids = serde_json::to_string(&documents.iter().map(|id| id.0).collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".to_owned());
        let keys = self.query(
            "SELECT c.code_id, c.document_id, c.start, c.\"end\", k.name
             FROM codings c LEFT JOIN coders k ON k.id = c.coder_id
             WHERE c.document_id IN (SELECT value FROM json_each(?1))",
            params![ids],
            |row| {
                Ok((
                    CodeId(row.get(0)?),
                    DocumentId(row.get(1)?),
                    Span {
                        start: usize::try_from(row.get::<i64>(2)?).unwrap_or_default(),
                        end: usize::try_from(row.get::<i64>(3)?).unwrap_or_default(),
                    },
                    row.get::<String>(4)?,
                ))
            },
        )?;
        Ok(keys.into_iter().collect())
    }
}

impl Tx<'_> {
    /// Inserts coding rows with the ids they carry (creating coders on first use of a name).
    /// A coding that exists already (code, document, span, coder) is an [`Error::Conflict`]
    /// naming it.
    pub fn insert_codings(&self, codings: &[Coding]) -> Result<()> {
        // Each coder name is resolved once, not once per row.
        let mut coder_ids: HashMap<&str, CoderId> = HashMap::new();
        let mut resolved: Vec<i64> = Vec::with_capacity(codings.len());
        for row in codings {
            let id = match coder_ids.get(row.coder.as_str()) {
                Some(id) => *id,
                None => {
                    let id = self.ensure_coder(&row.coder)?;
                    coder_ids.insert(row.coder.as_str(), id);
                    id
                }
            };
            resolved.push(id.0);
        }
        match self.transaction() {
            Conn::Lite(connection) => insert_codings_lite(connection, codings, &resolved),
            connection @ Conn::Pg(_) => {
                // One statement per row keeps the conflict naming its row: a failed statement
                // aborts a PostgreSQL transaction, so a batch could not be retried row by row.
                let statement = format!(
                    "INSERT INTO codings ({CODING_STORED_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                );
                for (row, coder_id) in codings.iter().zip(&resolved) {
                    connection
                        .execute(
                            &statement,
                            params![
                                row.id.0,
                                row.guid,
                                row.document_id.0,
                                row.code_id.0,
                                row.span.start as i64,
                                row.span.end as i64,
                                coder_id,
                                row.memo,
                                row.created_at,
                                row.exemplar
                            ],
                        )
                        .map_err(|error| duplicate(error, row))?;
                }
                Ok(())
            }
        }
    }
}

/// SQLite: one statement prepared once, its values bound in place row after row. (Rows of
/// several per statement were tried: SQLite then journals every page a statement touches, so
/// that it can take a failing statement back, which cost more than the statements saved.)
fn insert_codings_lite(
    connection: &rusqlite::Connection,
    codings: &[Coding],
    coder_ids: &[i64],
) -> Result<()> {
    let mut statement = connection.prepare_cached(&format!(
        "INSERT INTO codings ({CODING_STORED_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?;
    for (row, coder_id) in codings.iter().zip(coder_ids) {
        let inserted = (|| -> rusqlite::Result<usize> {
            statement.raw_bind_parameter(1, row.id.0)?;
            statement.raw_bind_parameter(2, row.guid.as_str())?;
            statement.raw_bind_parameter(3, row.document_id.0)?;
            statement.raw_bind_parameter(4, row.code_id.0)?;
            statement.raw_bind_parameter(5, row.span.start as i64)?;
            statement.raw_bind_parameter(6, row.span.end as i64)?;
            statement.raw_bind_parameter(7, *coder_id)?;
            statement.raw_bind_parameter(8, row.memo.as_str())?;
            statement.raw_bind_parameter(9, row.created_at.as_str())?;
            statement.raw_bind_parameter(10, row.exemplar)?;
            statement.raw_execute()
        })();
        inserted.map_err(|error| duplicate(error.into(), row))?;
    }
    Ok(())
}

impl Tx<'_> {
    /// Inserts new coding rows with the ids and coders they carry; `now` is the creation time
    /// of a row without its own. A coding that exists already (code, document, span, coder) is
    /// an [`Error::Conflict`] naming it.
    pub fn insert_bulk_codings(&self, rows: &[BulkCoding], now: &str) -> Result<()> {
        let statement = format!(
            "INSERT INTO codings ({CODING_STORED_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        );
        let connection = self.transaction();
        let conflict = |error: Error, row: &BulkCoding| {
            if !is_constraint_violation(&error) {
                return error;
            }
            let coder = (self.read().coders().ok().into_iter().flatten())
                .find(|coder| coder.id == row.coder_id)
                .map_or_else(|| format!("id {}", row.coder_id.0), |coder| coder.name);
            Error::Conflict(format!(
                "the same coding (code, span [{}, {}), coder '{coder}') already exists ({error})",
                row.span.start, row.span.end
            ))
        };
        let mut guid = [0u8; uuid::fmt::Hyphenated::LENGTH];
        match connection {
            Conn::Lite(connection) => {
                let mut insert = connection.prepare_cached(&statement)?;
                for row in rows {
                    let inserted = (|| -> rusqlite::Result<usize> {
                        insert.raw_bind_parameter(1, row.id.0)?;
                        insert.raw_bind_parameter(
                            2,
                            &*row.guid.hyphenated().encode_lower(&mut guid),
                        )?;
                        insert.raw_bind_parameter(3, row.document_id.0)?;
                        insert.raw_bind_parameter(4, row.code_id.0)?;
                        insert.raw_bind_parameter(5, row.span.start as i64)?;
                        insert.raw_bind_parameter(6, row.span.end as i64)?;
                        insert.raw_bind_parameter(7, row.coder_id.0)?;
                        insert.raw_bind_parameter(8, row.memo.as_str())?;
                        insert.raw_bind_parameter(9, row.created_at.as_deref().unwrap_or(now))?;
                        insert.raw_bind_parameter(10, row.exemplar)?;
                        insert.raw_execute()
                    })();
                    inserted.map_err(|error| conflict(error.into(), row))?;
                }
            }
            connection @ Conn::Pg(_) => {
                // One statement per row, as `insert_codings` does on a server.
                for row in rows {
                    connection
                        .execute(
                            &statement,
                            params![
                                row.id.0,
                                &*row.guid.hyphenated().encode_lower(&mut guid),
                                row.document_id.0,
                                row.code_id.0,
                                row.span.start as i64,
                                row.span.end as i64,
                                row.coder_id.0,
                                row.memo,
                                row.created_at.as_deref().unwrap_or(now),
                                row.exemplar
                            ],
                        )
                        .map_err(|error| conflict(error, row))?;
                }
            }
        }
        Ok(())
    }
}

/// A constraint violation of a coding row as the conflict it is.
fn duplicate(error: Error, row: &Coding) -> Error {
    if is_constraint_violation(&error) {
        Error::Conflict(format!(
            "the same coding (code, span [{}, {}), coder '{}') already exists ({error})",
            row.span.start, row.span.end, row.coder
        ))
    } else {
        error
    }
}
