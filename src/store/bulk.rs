//! Reads for work on a million codings: the codings as the analyses need them (no guid, memo
//! or creation time, in storage order, no sort in SQL), and the keys of the codings already
//! stored for a set of documents, read once instead of one lookup per new coding.

use std::collections::{BTreeSet, HashSet};

use rusqlite::params;

use super::Reader;
use crate::Result;
use crate::model::{CodeId, Coding, CodingId, DocumentId, Rows, Span};

/// What makes a coding unique: code, document, span and coder.
pub type CodingKey = (CodeId, DocumentId, Span, String);

impl Reader<'_> {
    /// Every row an analysis snapshot or a project merge reads: cases, attributes and their
    /// values, frames and roles, the code tree, documents with their utterances, codings,
    /// summaries and cell marks. With `quotes` false the codings are read as
    /// [`Reader::codings_for_analysis`] reads them.
    pub fn project_rows(&self, quotes: bool) -> Result<Rows> {
        self.connection()
            .consistent(|| self.project_rows_now(quotes))
    }

    fn project_rows_now(&self, quotes: bool) -> Result<Rows> {
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
            codings: if quotes {
                self.codings()?
            } else {
                self.codings_for_analysis()?
            },
            summaries: self.summaries()?,
            summary_segments: self.summary_segments()?,
            cell_states: self.cell_states()?,
        })
    }

    /// Every coding without its guid, memo and creation time (left empty), by id. What the
    /// analyses read: a third of the strings of [`Reader::codings`], and no sort.
    pub fn codings_for_analysis(&self) -> Result<Vec<Coding>> {
        self.query(
            "SELECT c.id, c.document_id, c.code_id, c.start, c.\"end\", k.name, c.exemplar
             FROM codings c LEFT JOIN coders k ON k.id = c.coder_id",
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
                    coder: row.get(5)?,
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
