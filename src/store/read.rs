//! Read queries. Every list comes back sorted (by the order named in each function).

use rusqlite::params;

use super::db::{Conn, Row};

use super::columns::*;
use crate::Result;
use crate::model::{
    Attribute, AttributeValue, Case, CaseId, CellMark, CellState, Code, CodeId, CodeRole, Coding,
    CodingId, Document, DocumentId, DocumentInfo, Frame, MemoTarget, Role, RoleId, Span, Summary,
    SummaryId, SummarySegment, Utterance,
};

/// Read access to a project, either committed state or inside a transaction.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    connection: Conn<'a>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(connection: Conn<'a>) -> Reader<'a> {
        Reader { connection }
    }

    /// A value of the project's key/value metadata.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.connection.query_opt(
            "SELECT value FROM project_meta WHERE key = ?1",
            params![key],
            |row| row.get(0),
        )
    }

    /// The memo of `target` (empty when none was written), or `None` when there is no such
    /// case, document, code or coding. The project's memo is the `memo` key of `project_meta`.
    pub fn memo(&self, target: MemoTarget) -> Result<Option<String>> {
        let (sql, id) = match target {
            MemoTarget::Project => {
                return Ok(Some(self.meta(PROJECT_MEMO_KEY)?.unwrap_or_default()));
            }
            MemoTarget::Case(case_id) => ("SELECT memo FROM cases WHERE id = ?1", case_id.0),
            MemoTarget::Document(document_id) => {
                ("SELECT memo FROM documents WHERE id = ?1", document_id.0)
            }
            MemoTarget::Code(code_id) => ("SELECT memo FROM codes WHERE id = ?1", code_id.0),
            MemoTarget::Coding(coding_id) => {
                ("SELECT memo FROM codings WHERE id = ?1", coding_id.0)
            }
        };
        self.connection
            .query_opt(sql, params![id], |row| row.get(0))
    }

    /// All cases, by name.
    pub fn cases(&self) -> Result<Vec<Case>> {
        self.query(
            &format!("SELECT {CASE_COLUMNS} FROM cases ORDER BY name, id"),
            params![],
            case_from_row,
        )
    }

    /// The case with this name.
    pub fn case_by_name(&self, name: &str) -> Result<Option<Case>> {
        self.query_one(
            &format!("SELECT {CASE_COLUMNS} FROM cases WHERE name = ?1"),
            params![name],
            case_from_row,
        )
    }

    /// All attributes, in column order.
    pub fn attributes(&self) -> Result<Vec<Attribute>> {
        self.query(
            &format!("SELECT {ATTRIBUTE_COLUMNS} FROM attributes ORDER BY position, id"),
            params![],
            attribute_from_row,
        )
    }

    /// All attribute values, by case then attribute id.
    pub fn attribute_values(&self) -> Result<Vec<AttributeValue>> {
        self.query(
            "SELECT case_id, attribute_id, value FROM attribute_values ORDER BY case_id, attribute_id",
            params![],
            attribute_value_from_row,
        )
    }

    /// All documents without their text, by name.
    pub fn document_infos(&self) -> Result<Vec<DocumentInfo>> {
        self.query(
            &format!("SELECT {DOCUMENT_INFO_COLUMNS} FROM documents ORDER BY name, id"),
            params![],
            document_info_from_row,
        )
    }

    /// The document with this name, without its text.
    pub fn document_by_name(&self, name: &str) -> Result<Option<DocumentInfo>> {
        self.query_one(
            &format!("SELECT {DOCUMENT_INFO_COLUMNS} FROM documents WHERE name = ?1"),
            params![name],
            document_info_from_row,
        )
    }

    /// One document with its text.
    pub fn document(&self, document_id: DocumentId) -> Result<Option<Document>> {
        self.query_one(
            &format!("SELECT {DOCUMENT_INFO_COLUMNS}, text FROM documents WHERE id = ?1"),
            params![document_id.0],
            document_from_row,
        )
    }

    /// The stored text of one document.
    pub fn document_text(&self, document_id: DocumentId) -> Result<Option<String>> {
        self.query_one(
            "SELECT text FROM documents WHERE id = ?1",
            params![document_id.0],
            |row| row.get(0),
        )
    }

    /// A document's utterances, by number.
    pub fn utterances(&self, document_id: DocumentId) -> Result<Vec<Utterance>> {
        self.query(
            &format!(
                "SELECT {UTTERANCE_COLUMNS} FROM utterances WHERE document_id = ?1 ORDER BY number"
            ),
            params![document_id.0],
            utterance_from_row,
        )
    }

    /// Role frames, in order.
    pub fn frames(&self) -> Result<Vec<Frame>> {
        self.query(
            "SELECT id, name, position FROM frames ORDER BY position, id",
            params![],
            frame_from_row,
        )
    }

    /// All roles, by frame order then role order.
    pub fn roles(&self) -> Result<Vec<Role>> {
        self.query(
            "SELECT r.id, r.frame_id, r.name, r.position FROM roles r JOIN frames f ON f.id = r.frame_id
             ORDER BY f.position, f.id, r.position, r.id",
            params![],
            role_from_row,
        )
    }

    /// All codes, ordered by parent, position and name (the tree is built by `crate::codebook`).
    pub fn codes(&self) -> Result<Vec<Code>> {
        self.query(
            &format!(
                "SELECT {CODE_COLUMNS} FROM codes ORDER BY ifnull(parent_id, 0), position, name, id"
            ),
            params![],
            code_from_row,
        )
    }

    /// All code–role memberships, sorted.
    pub fn code_roles(&self) -> Result<Vec<CodeRole>> {
        self.query(
            "SELECT code_id, role_id FROM code_roles ORDER BY code_id, role_id",
            params![],
            code_role_from_row,
        )
    }

    /// All codings, by document, start, end, code and id.
    pub fn codings(&self) -> Result<Vec<Coding>> {
        self.query(
            &format!(
                "SELECT {CODING_COLUMNS} FROM codings ORDER BY document_id, start, \"end\", code_id, id"
            ),
            params![],
            coding_from_row,
        )
    }

    /// The codings of one document, by start, end, code and id.
    pub fn codings_of_document(&self, document_id: DocumentId) -> Result<Vec<Coding>> {
        self.query(
            &format!(
                "SELECT {CODING_COLUMNS} FROM codings WHERE document_id = ?1 ORDER BY start, \"end\", code_id, id"
            ),
            params![document_id.0],
            coding_from_row,
        )
    }

    /// One document without its text.
    pub fn document_info(&self, document_id: DocumentId) -> Result<Option<DocumentInfo>> {
        self.query_one(
            &format!("SELECT {DOCUMENT_INFO_COLUMNS} FROM documents WHERE id = ?1"),
            params![document_id.0],
            document_info_from_row,
        )
    }

    /// One code.
    pub fn code(&self, code_id: CodeId) -> Result<Option<Code>> {
        self.query_one(
            &format!("SELECT {CODE_COLUMNS} FROM codes WHERE id = ?1"),
            params![code_id.0],
            code_from_row,
        )
    }

    /// The roles of one code, sorted by id.
    pub fn roles_of_code(&self, code_id: CodeId) -> Result<Vec<RoleId>> {
        self.query(
            "SELECT role_id FROM code_roles WHERE code_id = ?1 ORDER BY role_id",
            params![code_id.0],
            |row| Ok(RoleId(row.get(0)?)),
        )
    }

    /// The codings of one code (not of its children), by document, start, end and id.
    pub fn codings_of_code(&self, code_id: CodeId) -> Result<Vec<Coding>> {
        self.query(
            &format!(
                "SELECT {CODING_COLUMNS} FROM codings WHERE code_id = ?1 ORDER BY document_id, start, \"end\", id"
            ),
            params![code_id.0],
            coding_from_row,
        )
    }

    /// One coding.
    pub fn coding(&self, coding_id: CodingId) -> Result<Option<Coding>> {
        self.query_one(
            &format!("SELECT {CODING_COLUMNS} FROM codings WHERE id = ?1"),
            params![coding_id.0],
            coding_from_row,
        )
    }

    /// The coding with exactly this code, document, span and coder, if any.
    pub fn find_coding(
        &self,
        code_id: CodeId,
        document_id: DocumentId,
        span: Span,
        coder: &str,
    ) -> Result<Option<Coding>> {
        self.query_one(
            &format!(
                "SELECT {CODING_COLUMNS} FROM codings
                 WHERE code_id = ?1 AND document_id = ?2 AND start = ?3 AND \"end\" = ?4
                   AND coder_id = (SELECT id FROM coders WHERE name = ?5)"
            ),
            params![
                code_id.0,
                document_id.0,
                span.start as i64,
                span.end as i64,
                coder
            ],
            coding_from_row,
        )
    }

    /// All cell summaries, by case then code.
    pub fn summaries(&self) -> Result<Vec<Summary>> {
        self.query(
            &format!("SELECT {SUMMARY_COLUMNS} FROM summaries ORDER BY case_id, code_id"),
            params![],
            summary_from_row,
        )
    }

    /// The summary of one cell.
    pub fn summary(&self, case_id: CaseId, code_id: CodeId) -> Result<Option<Summary>> {
        self.query_one(
            &format!("SELECT {SUMMARY_COLUMNS} FROM summaries WHERE case_id = ?1 AND code_id = ?2"),
            params![case_id.0, code_id.0],
            summary_from_row,
        )
    }

    /// The summaries written on one code, by case.
    pub fn summaries_of_code(&self, code_id: CodeId) -> Result<Vec<Summary>> {
        self.query(
            &format!("SELECT {SUMMARY_COLUMNS} FROM summaries WHERE code_id = ?1 ORDER BY case_id"),
            params![code_id.0],
            summary_from_row,
        )
    }

    /// All summary–segment links, sorted.
    pub fn summary_segments(&self) -> Result<Vec<SummarySegment>> {
        self.query(
            "SELECT summary_id, coding_id FROM summary_segments ORDER BY summary_id, coding_id",
            params![],
            summary_segment_from_row,
        )
    }

    /// The codings linked to one summary, sorted by id.
    pub fn summary_links(&self, summary_id: SummaryId) -> Result<Vec<CodingId>> {
        self.query(
            "SELECT coding_id FROM summary_segments WHERE summary_id = ?1 ORDER BY coding_id",
            params![summary_id.0],
            |row| Ok(CodingId(row.get(0)?)),
        )
    }

    /// All marked cells, by case then code.
    pub fn cell_states(&self) -> Result<Vec<CellState>> {
        self.query(
            "SELECT case_id, code_id, state FROM cell_states ORDER BY case_id, code_id",
            params![],
            cell_state_from_row,
        )
    }

    /// The mark of one cell.
    pub fn cell_state(&self, case_id: CaseId, code_id: CodeId) -> Result<Option<CellMark>> {
        Ok(self
            .query_one(
                "SELECT case_id, code_id, state FROM cell_states WHERE case_id = ?1 AND code_id = ?2",
                params![case_id.0, code_id.0],
                cell_state_from_row,
            )?
            .map(|state| state.mark))
    }

    /// Number of rows of each main table: documents, cases, codes, codings.
    pub fn counts(&self) -> Result<[usize; 4]> {
        let mut counts = [0; 4];
        for (slot, table) in counts
            .iter_mut()
            .zip(["documents", "cases", "codes", "codings"])
        {
            *slot = self
                .connection
                .one::<i64>(&format!("SELECT count(*) FROM {table}"), &[])?
                as usize;
        }
        Ok(counts)
    }

    /// A dump of every row of every project table (not the journal or undo stack), for
    /// comparing two states exactly.
    pub fn dump(&self) -> Result<String> {
        self.connection.consistent(|| self.dump_now())
    }

    fn dump_now(&self) -> Result<String> {
        let mut out = String::new();
        for table in [
            "project_meta",
            "attributes",
            "cases",
            "attribute_values",
            "documents",
            "utterances",
            "frames",
            "roles",
            "codes",
            "code_roles",
            "codings",
            "summaries",
            "summary_segments",
            "cell_states",
            "user_terms",
            "refi_guids",
            "coding_reviews",
            "orphans",
            "stop_words",
            "speaker_roles",
            "scat_sheets",
            "scat_rows",
            "mgta_variations",
            "mgta_memos",
            "mgta_diagram_boxes",
            "mgta_diagram_arrows",
        ] {
            // A one-column table (stop_words) has no second column to order by.
            let order = if table == "stop_words" { "1" } else { "1, 2" };
            let columns = self.column_names(table)?;
            self.connection.for_each(
                &format!(
                    "SELECT {} FROM {table} ORDER BY {order}",
                    columns.join(", ")
                ),
                &[],
                |row| {
                    out.push_str(table);
                    for index in 0..columns.len() {
                        let value = row.value(index)?;
                        out.push_str(&format!("|{value:?}"));
                    }
                    out.push('\n');
                    Ok(())
                },
            )?;
        }
        Ok(out)
    }

    /// The columns of a table in their stored order (the same names on both engines; the
    /// order is SQLite's, which the PostgreSQL schema keeps).
    pub(crate) fn column_names(&self, table: &str) -> Result<Vec<String>> {
        match self.connection {
            Conn::Lite(_) => self.connection.query(
                "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
                params![table],
                |row| row.get(0),
            ),
            Conn::Pg(_) => self.connection.query(
                "SELECT column_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position",
                params![table],
                |row| row.get(0),
            ),
        }
        .map(|names: Vec<String>| {
            names
                .into_iter()
                .map(|name| if name == "end" { "\"end\"".to_owned() } else { name })
                .collect()
        })
    }

    pub(crate) fn connection(&self) -> Conn<'a> {
        self.connection
    }

    pub(crate) fn query<T>(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
        map: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.connection.query(sql, params, map)
    }

    pub(crate) fn query_one<T>(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
        map: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        self.connection.query_opt(sql, params, map)
    }
}
