//! The stored character index of the search copies (migration 0012): per document, the map
//! from its folded search copy back to the stored text, and per (code point, document) the
//! positions of that code point in the copy. Derived data, written outside undo; a document's
//! index counts only while its `search_index_documents` row is there (a trigger removes the row
//! when the text changes) and was made with the current fold recipe.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{Reader, Tx};
use crate::Result;
use crate::model::{CaseId, DocumentId};

/// A document as a search names it, read without its text (the columns before `text` in the
/// row, so SQLite does not walk the text's overflow pages to reach them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentName {
    pub id: DocumentId,
    pub name: String,
    pub case_id: CaseId,
}

impl Reader<'_> {
    /// Every document's id, name and case, by name (as [`Reader::document_infos`] orders them).
    pub fn document_names(&self) -> Result<Vec<DocumentName>> {
        self.query(
            "SELECT id, name, case_id FROM documents ORDER BY name, id",
            params![],
            |row| {
                Ok(DocumentName {
                    id: DocumentId(row.get(0)?),
                    name: row.get(1)?,
                    case_id: CaseId(row.get(2)?),
                })
            },
        )
    }

    /// The fold maps of the documents whose character index is current for `recipe`.
    pub fn search_index_maps(&self, recipe: &str) -> Result<BTreeMap<DocumentId, Vec<u8>>> {
        let rows = self.query(
            "SELECT document_id, fold_map FROM search_index_documents WHERE recipe = ?1",
            params![recipe],
            |row| Ok((DocumentId(row.get(0)?), row.get::<Vec<u8>>(1)?)),
        )?;
        Ok(rows.into_iter().collect())
    }

    /// The stored positions of `code_point` in every document that has them (current or not:
    /// the caller keeps those of the documents [`Reader::search_index_maps`] named).
    pub fn search_postings(&self, code_point: char) -> Result<Vec<(DocumentId, Vec<u8>)>> {
        self.query(
            "SELECT document_id, positions FROM search_postings WHERE code_point = ?1",
            params![u32::from(code_point)],
            |row| Ok((DocumentId(row.get(0)?), row.get::<Vec<u8>>(1)?)),
        )
    }

    /// One document's text with its stored search copy where that copy is current (see
    /// [`Reader::each_search_text`]).
    pub fn search_text(
        &self,
        document_id: DocumentId,
        recipe: &str,
    ) -> Result<Option<super::SearchText>> {
        self.connection().query_opt(
            "SELECT d.id, d.text, d.text_hash, f.patches
             FROM documents d
             LEFT JOIN search_folds f
               ON f.document_id = d.id AND f.text_hash = d.text_hash AND f.recipe = ?2
             WHERE d.id = ?1",
            params![document_id.0, recipe],
            |row| {
                Ok(super::SearchText {
                    document_id: DocumentId(row.get(0)?),
                    text: row.text_bytes(1)?,
                    text_hash: row.get(2)?,
                    patches: row.get(3)?,
                })
            },
        )
    }
}

impl Tx<'_> {
    /// Stores (or replaces) a document's character index: its fold map and the positions of
    /// each code point (`postings`, by code point), made with `recipe` from the text whose
    /// hash is `text_hash`. Nothing counts when the document's text is no longer that one.
    pub fn write_search_index(
        &self,
        document_id: DocumentId,
        text_hash: &str,
        recipe: &str,
        fold_map: &[u8],
        postings: &[(char, Vec<u8>)],
    ) -> Result<()> {
        let transaction = self.transaction();
        transaction.execute(
            "DELETE FROM search_postings WHERE document_id = ?1",
            params![document_id.0],
        )?;
        transaction.execute(
            "DELETE FROM search_index_documents WHERE document_id = ?1",
            params![document_id.0],
        )?;
        for (code_point, positions) in postings {
            transaction.execute(
                "INSERT INTO search_postings (code_point, document_id, positions)
                 VALUES (?1, ?2, ?3)",
                params![u32::from(*code_point), document_id.0, positions],
            )?;
        }
        // The row that makes the index count goes in only if the text is still the one it was
        // made from: another process may have changed it since this search read it (its
        // trigger ran before this transaction), and an index of the old text must not count.
        transaction.execute(
            "INSERT INTO search_index_documents (document_id, text_hash, recipe, fold_map)
             SELECT ?1, ?2, ?3, ?4
             WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?1 AND text_hash = ?2)",
            params![document_id.0, text_hash, recipe, fold_map],
        )?;
        Ok(())
    }
}
