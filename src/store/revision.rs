//! Rows of transcript revisions: the text and its hash, utterances and coding spans replaced as
//! a whole, 要確認 flags and orphans. Each write returns what it replaced, so that the command
//! layer can build exact inverses.

use rusqlite::params;

use super::Store;
use super::columns::UTTERANCE_COLUMNS;
use super::db::{Row, is_constraint_violation};
use super::read::Reader;
use super::write::Tx;
use crate::model::{
    Coding, CodingId, CodingReview, DocumentId, Orphan, OrphanReason, ReviewReason, Span,
    SummaryId, Utterance,
};
use crate::revise::{TextEdit, apply_edits, check_edits, inverse_edits, text_hash};
use crate::{Error, Result};

/// Spans are moved in two steps through this offset, so that two codings trading places never
/// meet the unique (code, document, span, coder) index halfway.
const PARKED: i64 = 1 << 40;

const ORPHAN_COLUMNS: &str = "id, reason, old_text, coding, summary_ids, orphaned_at";

fn orphan_from_row(row: &Row<'_>) -> Result<Orphan> {
    let bad = |index: usize, message: String| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            message.into(),
        )
    };
    let reason: String = row.get(1)?;
    let coding: String = row.get(3)?;
    let summary_ids: String = row.get(4)?;
    Ok(Orphan {
        id: row.get(0)?,
        reason: OrphanReason::parse(&reason)
            .ok_or_else(|| bad(1, format!("unknown orphan reason '{reason}'")))?,
        old_text: row.get(2)?,
        coding: serde_json::from_str::<Coding>(&coding).map_err(|e| bad(3, e.to_string()))?,
        summary_ids: serde_json::from_str::<Vec<SummaryId>>(&summary_ids)
            .map_err(|e| bad(4, e.to_string()))?,
        orphaned_at: row.get(5)?,
    })
}

fn review_from_row(row: &Row<'_>) -> Result<CodingReview> {
    let reason: String = row.get(1)?;
    Ok(CodingReview {
        coding_guid: row.get(0)?,
        reason: ReviewReason::parse(&reason).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                format!("unknown review reason '{reason}'").into(),
            )
        })?,
        old_text: row.get(2)?,
    })
}

impl Reader<'_> {
    /// The SHA-256 (hex) of a document's stored text; `None` when there is no such document.
    pub fn document_hash(&self, document_id: DocumentId) -> Result<Option<String>> {
        self.query_one(
            "SELECT text_hash FROM documents WHERE id = ?1",
            params![document_id.0],
            |row| row.get(0),
        )
    }

    /// Every orphan, by id.
    pub fn orphans(&self) -> Result<Vec<Orphan>> {
        self.query(
            &format!("SELECT {ORPHAN_COLUMNS} FROM orphans ORDER BY id"),
            params![],
            orphan_from_row,
        )
    }

    /// The orphans of one document, by id.
    pub fn orphans_of_document(&self, document_id: DocumentId) -> Result<Vec<Orphan>> {
        self.query(
            &format!("SELECT {ORPHAN_COLUMNS} FROM orphans WHERE document_id = ?1 ORDER BY id"),
            params![document_id.0],
            orphan_from_row,
        )
    }

    /// One orphan.
    pub fn orphan(&self, orphan_id: i64) -> Result<Option<Orphan>> {
        self.query_one(
            &format!("SELECT {ORPHAN_COLUMNS} FROM orphans WHERE id = ?1"),
            params![orphan_id],
            orphan_from_row,
        )
    }

    /// Every 要確認 flag of a coding that still exists, by coding GUID.
    pub fn coding_reviews(&self) -> Result<Vec<CodingReview>> {
        self.query(
            "SELECT r.coding_guid, r.reason, r.old_text FROM coding_reviews r
             JOIN codings c ON c.guid = r.coding_guid ORDER BY r.coding_guid",
            params![],
            review_from_row,
        )
    }

    /// The 要確認 flag of one coding (by GUID), whether or not the coding still exists.
    pub fn coding_review(&self, coding_guid: &str) -> Result<Option<CodingReview>> {
        self.query_one(
            "SELECT coding_guid, reason, old_text FROM coding_reviews WHERE coding_guid = ?1",
            params![coding_guid],
            review_from_row,
        )
    }
}

impl Tx<'_> {
    /// Applies text edits to a document: its text, length and hash change, and its token index
    /// (derived data) is dropped so that the next search re-tokenizes this document only.
    /// Returns the edits that restore the old text.
    pub fn edit_document_text(
        &self,
        document_id: DocumentId,
        edits: &[TextEdit],
    ) -> Result<Vec<TextEdit>> {
        let reader = self.read();
        let (Some(info), Some(text)) = (
            reader.document_info(document_id)?,
            reader.document_text(document_id)?,
        ) else {
            return Err(Error::NoSuchDocument(format!("id {document_id}")));
        };
        check_edits(edits, info.chars)
            .map_err(|message| Error::Conflict(format!("document '{}': {message}", info.name)))?;
        let new_text = apply_edits(&text, edits);
        let inverse = inverse_edits(&text, edits);
        self.set_document_text(document_id, &new_text)?;
        Ok(inverse)
    }

    /// Writes a document's text with its length and hash; drops its token index.
    fn set_document_text(&self, document_id: DocumentId, text: &str) -> Result<()> {
        let tx = self.transaction();
        tx.execute(
            "UPDATE documents SET text = ?2, chars = ?3, text_hash = ?4 WHERE id = ?1",
            params![
                document_id.0,
                text,
                text.chars().count() as i64,
                text_hash(text)
            ],
        )?;
        tx.execute(
            "DELETE FROM token_index WHERE document_id = ?1",
            params![document_id.0],
        )?;
        Ok(())
    }

    /// Writes the hash of documents inserted with their text (see `insert_rows`).
    pub(crate) fn write_text_hash(&self, document_id: DocumentId, text: &str) -> Result<()> {
        self.transaction().execute(
            "UPDATE documents SET text_hash = ?2 WHERE id = ?1",
            params![document_id.0, text_hash(text)],
        )?;
        Ok(())
    }

    /// Replaces the utterances of a document; returns the previous ones.
    pub fn set_utterances(
        &self,
        document_id: DocumentId,
        utterances: &[Utterance],
    ) -> Result<Vec<Utterance>> {
        let previous = self.read().utterances(document_id)?;
        let tx = self.transaction();
        tx.execute(
            "DELETE FROM utterances WHERE document_id = ?1",
            params![document_id.0],
        )?;
        let statement = &format!(
            "INSERT INTO utterances ({UTTERANCE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        );
        for row in utterances {
            tx.execute(
                statement,
                params![
                    document_id.0,
                    row.number,
                    row.speaker,
                    row.start as i64,
                    row.text_start as i64,
                    row.end as i64
                ],
            )?;
        }
        Ok(previous)
    }

    /// Moves codings to new spans; returns the previous spans. The spans are not checked against
    /// the document's length: a revision moves them together with its text, in either order
    /// (undo runs the steps backwards). Two codings of one code and coder on one span are
    /// refused.
    pub fn set_coding_spans(&self, spans: &[(CodingId, Span)]) -> Result<Vec<(CodingId, Span)>> {
        let reader = self.read();
        let mut previous = Vec::with_capacity(spans.len());
        let tx = self.transaction();
        let park = "UPDATE codings SET start = CAST(?2 AS BIGINT) + CAST(?4 AS BIGINT),
            \"end\" = CAST(?3 AS BIGINT) + CAST(?4 AS BIGINT) WHERE id = ?1";
        for (coding_id, span) in spans {
            let Some(coding) = reader.coding(*coding_id)? else {
                return Err(Error::NoSuchCoding(coding_id.0));
            };
            if span.start >= span.end {
                return Err(Error::Conflict(format!(
                    "coding {coding_id}: the span [{}, {}) is empty",
                    span.start, span.end
                )));
            }
            tx.execute(
                park,
                params![coding_id.0, span.start as i64, span.end as i64, PARKED],
            )?;
            previous.push((*coding_id, coding.span));
        }
        if !spans.is_empty() {
            tx.execute(
                "UPDATE codings SET start = start - ?1, \"end\" = \"end\" - ?1 WHERE start >= ?1",
                params![PARKED],
            )
            .map_err(|error| {
                if is_constraint_violation(&error) {
                    Error::Conflict(
                        "two codings of the same code by the same coder would cover the same span"
                            .to_owned(),
                    )
                } else {
                    error
                }
            })?;
        }
        Ok(previous)
    }

    /// Sets (or with `None` removes) 要確認 flags by coding GUID; returns the previous ones.
    pub fn set_coding_reviews(
        &self,
        reviews: &[(String, Option<CodingReview>)],
    ) -> Result<Vec<(String, Option<CodingReview>)>> {
        let mut previous = Vec::with_capacity(reviews.len());
        let tx = self.transaction();
        for (guid, review) in reviews {
            previous.push((guid.clone(), self.read().coding_review(guid)?));
            tx.execute(
                "DELETE FROM coding_reviews WHERE coding_guid = ?1",
                params![guid],
            )?;
            if let Some(review) = review {
                tx.execute(
                    "INSERT INTO coding_reviews (coding_guid, reason, old_text) VALUES (?1, ?2, ?3)",
                    params![guid, review.reason.as_str(), review.old_text],
                )?;
            }
        }
        Ok(previous)
    }

    /// The first unused orphan id.
    pub fn next_orphan_id(&self) -> Result<i64> {
        self.transaction()
            .one("SELECT ifnull(max(id), 0) + 1 FROM orphans", params![])
    }

    /// Inserts orphans with the ids they carry.
    pub fn insert_orphans(&self, orphans: &[Orphan]) -> Result<()> {
        let tx = self.transaction();
        let statement = &format!(
            "INSERT INTO orphans (document_id, code_id, {ORPHAN_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        );
        for orphan in orphans {
            let coding = serde_json::to_string(&orphan.coding)
                .map_err(|error| Error::Conflict(format!("orphan {}: {error}", orphan.id)))?;
            let summary_ids = serde_json::to_string(&orphan.summary_ids)
                .map_err(|error| Error::Conflict(format!("orphan {}: {error}", orphan.id)))?;
            tx.execute(
                statement,
                params![
                    orphan.coding.document_id.0,
                    orphan.coding.code_id.0,
                    orphan.id,
                    orphan.reason.as_str(),
                    orphan.old_text,
                    coding,
                    summary_ids,
                    orphan.orphaned_at
                ],
            )?;
        }
        Ok(())
    }

    /// Deletes orphans by id; returns them (a missing id is an error).
    pub fn delete_orphans(&self, orphan_ids: &[i64]) -> Result<Vec<Orphan>> {
        let mut deleted = Vec::with_capacity(orphan_ids.len());
        for orphan_id in orphan_ids {
            let Some(orphan) = self.read().orphan(*orphan_id)? else {
                return Err(Error::Conflict(format!("no orphan with id {orphan_id}")));
            };
            self.transaction()
                .execute("DELETE FROM orphans WHERE id = ?1", params![orphan_id])?;
            deleted.push(orphan);
        }
        Ok(deleted)
    }
}

impl Store {
    /// Writes the text hash of documents stored before schema 7 (or by a tool that left it
    /// empty). Cheap when there are none: one indexed-free scan of a short column.
    pub(super) fn fill_text_hashes(&mut self) -> Result<()> {
        let missing: Vec<(i64, String)> = self.read().query(
            "SELECT id, text FROM documents WHERE text_hash = ''",
            params![],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if missing.is_empty() {
            return Ok(());
        }
        let tx = self.transaction()?;
        for (id, text) in &missing {
            tx.write_text_hash(DocumentId(*id), text)?;
        }
        tx.commit()
    }
}
