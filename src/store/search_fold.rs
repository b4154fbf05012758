//! The stored search copy of each document (migration 0010): the patches that turn a text
//! into its folded search copy, kept with the hash of the text they were made from. Derived
//! data: written outside undo, and used only while the hash still matches the document's.

use std::collections::BTreeMap;

use rusqlite::params;

use super::columns::{UTTERANCE_COLUMNS, utterance_from_row};
use super::{Reader, Tx};
use crate::Result;
use crate::model::{DocumentId, Utterance};

/// A document's text as a substring search reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText {
    pub document_id: DocumentId,
    /// The stored text's bytes, UTF-8 as the store keeps it: the caller checks them (on
    /// every core, where the store would check them one document after another).
    pub text: Vec<u8>,
    /// `documents.text_hash`: SHA-256 of the text.
    pub text_hash: String,
    /// The stored patches of its search copy, when made from this very text with `recipe`.
    pub patches: Option<Vec<u8>>,
}

impl Reader<'_> {
    /// Every document's text with its stored search copy where that copy is current (made from
    /// the same text, by the fold `recipe`), by document id, one at a time as they are read
    /// (so that the caller can work on one text while the next is read). One query.
    pub fn each_search_text(
        &self,
        recipe: &str,
        mut visit: impl FnMut(SearchText) -> Result<()>,
    ) -> Result<()> {
        self.connection().for_each(
            "SELECT d.id, d.text, d.text_hash, f.patches
             FROM documents d
             LEFT JOIN search_folds f
               ON f.document_id = d.id AND f.text_hash = d.text_hash AND f.recipe = ?1
             ORDER BY d.id",
            params![recipe],
            |row| {
                visit(SearchText {
                    document_id: DocumentId(row.get(0)?),
                    text: row.text_bytes(1)?,
                    text_hash: row.get(2)?,
                    patches: row.get(3)?,
                })
            },
        )?;
        Ok(())
    }

    /// Every document's utterances by document, each list by number: one query in primary-key
    /// order instead of one per document.
    pub fn utterances_by_document(&self) -> Result<BTreeMap<DocumentId, Vec<Utterance>>> {
        let mut by_document: BTreeMap<DocumentId, Vec<Utterance>> = BTreeMap::new();
        let rows = self.query(
            &format!("SELECT {UTTERANCE_COLUMNS} FROM utterances ORDER BY document_id, number"),
            params![],
            utterance_from_row,
        )?;
        for utterance in rows {
            by_document
                .entry(utterance.document_id)
                .or_default()
                .push(utterance);
        }
        Ok(by_document)
    }
}

impl Tx<'_> {
    /// Stores (or replaces) a document's search copy: `patches` made with `recipe` from the
    /// text whose hash is `text_hash`.
    pub fn write_search_fold(
        &self,
        document_id: DocumentId,
        text_hash: &str,
        recipe: &str,
        patches: &[u8],
    ) -> Result<()> {
        let transaction = self.transaction();
        transaction.execute(
            "DELETE FROM search_folds WHERE document_id = ?1",
            params![document_id.0],
        )?;
        transaction.execute(
            "INSERT INTO search_folds (document_id, text_hash, recipe, patches)
             VALUES (?1, ?2, ?3, ?4)",
            params![document_id.0, text_hash, recipe, patches],
        )?;
        Ok(())
    }
}
