//! Whole rows in and out: [`Tx::insert_rows`] puts back rows with the ids they carry, and
//! [`Tx::delete_rows`] removes rows together with everything that depends on them (a code's
//! subcodes and codings, a case's documents and summaries …) and returns exactly what it
//! removed, so that each is the other's inverse. Field updates are in `write.rs`.

use std::collections::BTreeSet;

use rusqlite::params;

use super::columns::{
    ATTRIBUTE_COLUMNS, CASE_COLUMNS, CODE_COLUMNS, CODING_COLUMNS, DOCUMENT_INFO_COLUMNS, IN_JSON,
    SUMMARY_COLUMNS, SUMMARY_STORED_COLUMNS, UTTERANCE_COLUMNS, attribute_from_row,
    attribute_value_from_row, case_from_row, cell_state_from_row, code_from_row,
    code_role_from_row, coding_from_row, document_from_row, frame_from_row, role_from_row,
    summary_from_row, summary_segment_from_row, utterance_from_row,
};
use super::db::is_constraint_violation;
use super::write::Tx;
use crate::model::{RowKeys, Rows};
use crate::{Error, Result};

impl Tx<'_> {
    /// Inserts rows with the ids they carry. Unique names clash as [`Error::Conflict`].
    pub fn insert_rows(&self, rows: &Rows) -> Result<()> {
        let tx = self.transaction();
        let conflict = |error: Error, what: &str| -> Error {
            if is_constraint_violation(&error) {
                Error::Conflict(format!("{what} already exists ({error})"))
            } else {
                error
            }
        };
        let statement =
            "INSERT INTO attributes (id, guid, name, kind, position) VALUES (?1, ?2, ?3, ?4, ?5)";
        for row in &rows.attributes {
            tx.execute(
                statement,
                params![
                    row.id.0,
                    row.guid,
                    row.name,
                    row.kind.as_str(),
                    row.position
                ],
            )
            .map_err(|e| conflict(e, &format!("attribute '{}'", row.name)))?;
        }
        let statement = "INSERT INTO cases (id, guid, name, memo) VALUES (?1, ?2, ?3, ?4)";
        for row in &rows.cases {
            tx.execute(statement, params![row.id.0, row.guid, row.name, row.memo])
                .map_err(|e| conflict(e, &format!("case '{}'", row.name)))?;
        }
        let statement =
            "INSERT INTO attribute_values (case_id, attribute_id, value) VALUES (?1, ?2, ?3)";
        for row in &rows.attribute_values {
            tx.execute(
                statement,
                params![row.case_id.0, row.attribute_id.0, row.value],
            )?;
        }
        let statement = "INSERT INTO frames (id, name, position) VALUES (?1, ?2, ?3)";
        for row in &rows.frames {
            tx.execute(statement, params![row.id.0, row.name, row.position])
                .map_err(|e| conflict(e, &format!("role frame '{}'", row.name)))?;
        }
        let statement = "INSERT INTO roles (id, frame_id, name, position) VALUES (?1, ?2, ?3, ?4)";
        for row in &rows.roles {
            tx.execute(
                statement,
                params![row.id.0, row.frame_id.0, row.name, row.position],
            )
            .map_err(|e| conflict(e, &format!("role '{}'", row.name)))?;
        }
        let statement =
            &format!("INSERT INTO codes ({CODE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        for row in &rows.codes {
            tx.execute(
                statement,
                params![
                    row.id.0,
                    row.guid,
                    row.parent_id.map(|id| id.0),
                    row.name,
                    row.definition,
                    row.color,
                    row.memo,
                    row.position
                ],
            )
            .map_err(|e| conflict(e, &format!("a sibling code named '{}'", row.name)))?;
        }
        let statement = "INSERT INTO code_roles (code_id, role_id) VALUES (?1, ?2)";
        for row in &rows.code_roles {
            tx.execute(statement, params![row.code_id.0, row.role_id.0])?;
        }
        let statement = &format!(
            "INSERT INTO documents ({DOCUMENT_INFO_COLUMNS}, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        );
        for row in &rows.documents {
            let info = &row.info;
            tx.execute(
                statement,
                params![
                    info.id.0,
                    info.guid,
                    info.name,
                    info.case_id.0,
                    info.chars as i64,
                    info.encoding,
                    info.source_path,
                    info.memo,
                    info.imported_at,
                    super::columns::metadata_to_json(&info.metadata),
                    row.text
                ],
            )
            .map_err(|e| conflict(e, &format!("document '{}'", info.name)))?;
            self.write_text_hash(info.id, &row.text)?;
        }
        let statement = &format!(
            "INSERT INTO utterances ({UTTERANCE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        );
        for row in &rows.utterances {
            tx.execute(
                statement,
                params![
                    row.document_id.0,
                    row.number,
                    row.speaker,
                    row.start as i64,
                    row.text_start as i64,
                    row.end as i64
                ],
            )?;
        }
        self.insert_codings(&rows.codings)?;
        let statement = &format!(
            "INSERT INTO summaries ({SUMMARY_STORED_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        );
        for row in &rows.summaries {
            let author_id = super::coders::ensure_coder(tx, &row.author)?;
            tx.execute(
                statement,
                params![
                    row.id.0,
                    row.guid,
                    row.case_id.0,
                    row.code_id.0,
                    row.text,
                    author_id.0,
                    row.updated_at
                ],
            )
            .map_err(|e| conflict(e, "a summary of this cell"))?;
        }
        let statement = "INSERT INTO summary_segments (summary_id, coding_id) VALUES (?1, ?2)";
        for row in &rows.summary_segments {
            tx.execute(statement, params![row.summary_id.0, row.coding_id.0])?;
        }
        let statement = "INSERT INTO cell_states (case_id, code_id, state) VALUES (?1, ?2, ?3)";
        for row in &rows.cell_states {
            tx.execute(
                statement,
                params![row.case_id.0, row.code_id.0, row.mark.as_str()],
            )?;
        }
        Ok(())
    }

    /// Deletes the rows named by `keys` and everything that depends on them, and returns all
    /// the rows it deleted (the inverse is [`Tx::insert_rows`] of them).
    pub fn delete_rows(&self, keys: &RowKeys) -> Result<Rows> {
        let closed = self.close_over_dependents(keys)?;
        let snapshot = self.snapshot(&closed)?;
        let tx = self.transaction();
        let run = |sql: &str, ids: &BTreeSet<i64>| -> Result<()> {
            if !ids.is_empty() {
                tx.execute(sql, params![ids_json(ids)])?;
            }
            Ok(())
        };
        if !closed.summaries.is_empty() || !closed.codings.is_empty() {
            tx.execute(
                "DELETE FROM summary_segments WHERE summary_id IN (SELECT value FROM json_each(?1))
                 OR coding_id IN (SELECT value FROM json_each(?2))",
                params![ids_json(&closed.summaries), ids_json(&closed.codings)],
            )?;
        }
        run(
            &format!("DELETE FROM summaries WHERE id {IN_JSON}"),
            &closed.summaries,
        )?;
        if !closed.cases.is_empty() || !closed.codes.is_empty() {
            tx.execute(
                "DELETE FROM cell_states WHERE case_id IN (SELECT value FROM json_each(?1))
                 OR code_id IN (SELECT value FROM json_each(?2))",
                params![ids_json(&closed.cases), ids_json(&closed.codes)],
            )?;
        }
        run(
            &format!("DELETE FROM codings WHERE id {IN_JSON}"),
            &closed.codings,
        )?;
        run(
            &format!("DELETE FROM utterances WHERE document_id {IN_JSON}"),
            &closed.documents,
        )?;
        if !closed.codes.is_empty() || !closed.roles.is_empty() {
            tx.execute(
                "DELETE FROM code_roles WHERE code_id IN (SELECT value FROM json_each(?1))
                 OR role_id IN (SELECT value FROM json_each(?2))",
                params![ids_json(&closed.codes), ids_json(&closed.roles)],
            )?;
        }
        if !closed.cases.is_empty() || !closed.attributes.is_empty() {
            tx.execute(
                "DELETE FROM attribute_values WHERE case_id IN (SELECT value FROM json_each(?1))
                 OR attribute_id IN (SELECT value FROM json_each(?2))",
                params![ids_json(&closed.cases), ids_json(&closed.attributes)],
            )?;
        }
        run(
            &format!("DELETE FROM documents WHERE id {IN_JSON}"),
            &closed.documents,
        )?;
        run(
            &format!("DELETE FROM codes WHERE id {IN_JSON}"),
            &closed.codes,
        )?;
        run(
            &format!("DELETE FROM roles WHERE id {IN_JSON}"),
            &closed.roles,
        )?;
        run(
            &format!("DELETE FROM frames WHERE id {IN_JSON}"),
            &closed.frames,
        )?;
        run(
            &format!("DELETE FROM cases WHERE id {IN_JSON}"),
            &closed.cases,
        )?;
        run(
            &format!("DELETE FROM attributes WHERE id {IN_JSON}"),
            &closed.attributes,
        )?;
        Ok(snapshot)
    }

    /// Adds to `keys` every row that a deletion of them would take along.
    fn close_over_dependents(&self, keys: &RowKeys) -> Result<ClosedKeys> {
        let set = |ids: &mut dyn Iterator<Item = i64>| ids.collect::<BTreeSet<i64>>();
        let mut closed = ClosedKeys {
            attributes: set(&mut keys.attributes.iter().map(|id| id.0)),
            cases: set(&mut keys.cases.iter().map(|id| id.0)),
            frames: set(&mut keys.frames.iter().map(|id| id.0)),
            roles: set(&mut keys.roles.iter().map(|id| id.0)),
            codes: set(&mut keys.codes.iter().map(|id| id.0)),
            documents: set(&mut keys.documents.iter().map(|id| id.0)),
            codings: set(&mut keys.codings.iter().map(|id| id.0)),
            summaries: set(&mut keys.summaries.iter().map(|id| id.0)),
        };
        let ids_where = |sql: &str, ids: &BTreeSet<i64>| -> Result<Vec<i64>> {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            self.read()
                .query(sql, params![ids_json(ids)], |row| row.get(0))
        };
        closed.roles.extend(ids_where(
            &format!("SELECT id FROM roles WHERE frame_id {IN_JSON}"),
            &closed.frames,
        )?);
        closed.codes.extend(ids_where(
            "WITH RECURSIVE tree(id) AS (SELECT value FROM json_each(?1)
               UNION SELECT c.id FROM codes c JOIN tree t ON c.parent_id = t.id)
             SELECT id FROM tree",
            &closed.codes,
        )?);
        closed.documents.extend(ids_where(
            &format!("SELECT id FROM documents WHERE case_id {IN_JSON}"),
            &closed.cases,
        )?);
        closed.codings.extend(ids_where(
            &format!("SELECT id FROM codings WHERE code_id {IN_JSON}"),
            &closed.codes,
        )?);
        closed.codings.extend(ids_where(
            &format!("SELECT id FROM codings WHERE document_id {IN_JSON}"),
            &closed.documents,
        )?);
        closed.summaries.extend(ids_where(
            &format!("SELECT id FROM summaries WHERE case_id {IN_JSON}"),
            &closed.cases,
        )?);
        closed.summaries.extend(ids_where(
            &format!("SELECT id FROM summaries WHERE code_id {IN_JSON}"),
            &closed.codes,
        )?);
        Ok(closed)
    }

    /// Reads every row named by the closed key set, plus the dependent rows without ids.
    fn snapshot(&self, closed: &ClosedKeys) -> Result<Rows> {
        let reader = self.read();
        let fetch = |sql: &str, ids: &BTreeSet<i64>| -> (String, String) {
            (sql.to_owned(), ids_json(ids))
        };
        let mut rows = Rows::default();
        let (sql, ids) = fetch(
            &format!("SELECT {ATTRIBUTE_COLUMNS} FROM attributes WHERE id {IN_JSON} ORDER BY id"),
            &closed.attributes,
        );
        rows.attributes = reader.query(&sql, params![ids], attribute_from_row)?;
        let (sql, ids) = fetch(
            &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id {IN_JSON} ORDER BY id"),
            &closed.cases,
        );
        rows.cases = reader.query(&sql, params![ids], case_from_row)?;
        rows.attribute_values = reader.query(
            "SELECT case_id, attribute_id, value FROM attribute_values
             WHERE case_id IN (SELECT value FROM json_each(?1))
                OR attribute_id IN (SELECT value FROM json_each(?2))
             ORDER BY case_id, attribute_id",
            params![ids_json(&closed.cases), ids_json(&closed.attributes)],
            attribute_value_from_row,
        )?;
        let (sql, ids) = fetch(
            &format!("SELECT id, name, position FROM frames WHERE id {IN_JSON} ORDER BY id"),
            &closed.frames,
        );
        rows.frames = reader.query(&sql, params![ids], frame_from_row)?;
        let (sql, ids) = fetch(
            &format!(
                "SELECT id, frame_id, name, position FROM roles WHERE id {IN_JSON} ORDER BY id"
            ),
            &closed.roles,
        );
        rows.roles = reader.query(&sql, params![ids], role_from_row)?;
        let (sql, ids) = fetch(
            &format!("SELECT {CODE_COLUMNS} FROM codes WHERE id {IN_JSON} ORDER BY id"),
            &closed.codes,
        );
        rows.codes = reader.query(&sql, params![ids], code_from_row)?;
        rows.code_roles = reader.query(
            "SELECT code_id, role_id FROM code_roles
             WHERE code_id IN (SELECT value FROM json_each(?1))
                OR role_id IN (SELECT value FROM json_each(?2))
             ORDER BY code_id, role_id",
            params![ids_json(&closed.codes), ids_json(&closed.roles)],
            code_role_from_row,
        )?;
        let (sql, ids) = fetch(
            &format!(
                "SELECT {DOCUMENT_INFO_COLUMNS}, text FROM documents WHERE id {IN_JSON} ORDER BY id"
            ),
            &closed.documents,
        );
        rows.documents = reader.query(&sql, params![ids], document_from_row)?;
        let (sql, ids) = fetch(
            &format!(
                "SELECT {UTTERANCE_COLUMNS} FROM utterances WHERE document_id {IN_JSON}
                 ORDER BY document_id, number"
            ),
            &closed.documents,
        );
        rows.utterances = reader.query(&sql, params![ids], utterance_from_row)?;
        let (sql, ids) = fetch(
            &format!("SELECT {CODING_COLUMNS} FROM codings WHERE id {IN_JSON} ORDER BY id"),
            &closed.codings,
        );
        rows.codings = reader.query(&sql, params![ids], coding_from_row)?;
        let (sql, ids) = fetch(
            &format!("SELECT {SUMMARY_COLUMNS} FROM summaries WHERE id {IN_JSON} ORDER BY id"),
            &closed.summaries,
        );
        rows.summaries = reader.query(&sql, params![ids], summary_from_row)?;
        rows.summary_segments = reader.query(
            "SELECT summary_id, coding_id FROM summary_segments
             WHERE summary_id IN (SELECT value FROM json_each(?1))
                OR coding_id IN (SELECT value FROM json_each(?2))
             ORDER BY summary_id, coding_id",
            params![ids_json(&closed.summaries), ids_json(&closed.codings)],
            summary_segment_from_row,
        )?;
        rows.cell_states = reader.query(
            "SELECT case_id, code_id, state FROM cell_states
             WHERE case_id IN (SELECT value FROM json_each(?1))
                OR code_id IN (SELECT value FROM json_each(?2))
             ORDER BY case_id, code_id",
            params![ids_json(&closed.cases), ids_json(&closed.codes)],
            cell_state_from_row,
        )?;
        Ok(rows)
    }
}

struct ClosedKeys {
    attributes: BTreeSet<i64>,
    cases: BTreeSet<i64>,
    frames: BTreeSet<i64>,
    roles: BTreeSet<i64>,
    codes: BTreeSet<i64>,
    documents: BTreeSet<i64>,
    codings: BTreeSet<i64>,
    summaries: BTreeSet<i64>,
}

fn ids_json(ids: &BTreeSet<i64>) -> String {
    let mut json = String::from("[");
    for (index, id) in ids.iter().enumerate() {
        if index > 0 {
            json.push(',');
        }
        json.push_str(&id.to_string());
    }
    json.push(']');
    json
}
