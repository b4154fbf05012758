//! Revising transcripts after coding: a document's text changes by edits, and every coding is
//! re-anchored (`revise::anchor`), flagged 要確認 or kept as an orphan; utterances are found
//! again. Orphans are re-attached to a span or deleted. Each step is built from primitives
//! whose inverses are exact, so undo restores the old text and every coding as it was.

use std::collections::BTreeSet;

use super::apply::Ids;
use super::{Command, NewUtterance};
use crate::model::{
    CodingId, CodingReview, DocumentId, Orphan, RowKeys, Rows, Span, SummarySegment, Utterance,
};
use crate::revise::{
    TextEdit, apply_edits, check_edits, map_point, plan_revision, reanchor, replace_all,
};
use crate::store::{IdTable, Tx};
use crate::text::SpeakerPatterns;
use crate::{Error, Result};

/// Applies `ReviseDocument`: edits of the current text, and the utterances of the new text
/// when the caller found them (an import); otherwise they are found again here.
pub(super) fn revise_document(
    tx: &Tx<'_>,
    document_id: DocumentId,
    edits: Vec<TextEdit>,
    utterances: Option<Vec<NewUtterance>>,
) -> Result<Command> {
    let reader = tx.read();
    let (Some(info), Some(text)) = (
        reader.document_info(document_id)?,
        reader.document_text(document_id)?,
    ) else {
        return Err(Error::NoSuchDocument(format!("id {document_id}")));
    };
    check_edits(&edits, info.chars)
        .map_err(|message| Error::Conflict(format!("document '{}': {message}", info.name)))?;
    if edits.is_empty() && utterances.is_none() {
        return Ok(Command::Batch(Vec::new()));
    }
    let codings = reader.codings_of_document(document_id)?;
    let plan = plan_revision(&codings, &edits);
    let new_text = apply_edits(&text, &edits);
    let old_chars: Vec<char> = text.chars().collect();
    let old_text_of = |span: Span| -> String {
        old_chars
            .get(span.start..span.end)
            .unwrap_or_default()
            .iter()
            .collect()
    };
    let new_utterances: Vec<Utterance> = match utterances {
        Some(utterances) => utterances
            .into_iter()
            .map(|u| Utterance {
                document_id,
                number: u.number,
                speaker: u.speaker,
                start: u.start,
                text_start: u.text_start,
                end: u.end,
            })
            .collect(),
        None => detect_utterances(
            document_id,
            &text,
            &new_text,
            &edits,
            &reader.utterances(document_id)?,
        ),
    };

    let mut inverses = Vec::new();
    // 1. Orphans leave the codings table (their summary links with them) and are kept whole.
    let orphaned = plan.orphans();
    if !orphaned.is_empty() {
        let removed = tx.delete_rows(&RowKeys {
            codings: orphaned.iter().map(|(id, _)| *id).collect(),
            ..RowKeys::default()
        })?;
        let now = tx.now()?;
        let first_orphan = tx.next_orphan_id()?;
        let mut orphans = Vec::with_capacity(orphaned.len());
        for (orphan_id, (coding_id, reason)) in (first_orphan..).zip(orphaned.iter()) {
            let Some(coding) = removed.codings.iter().find(|c| c.id == *coding_id) else {
                return Err(Error::NoSuchCoding(coding_id.0));
            };
            orphans.push(Orphan {
                id: orphan_id,
                old_text: old_text_of(coding.span),
                summary_ids: removed
                    .summary_segments
                    .iter()
                    .filter(|link| link.coding_id == *coding_id)
                    .map(|link| link.summary_id)
                    .collect(),
                coding: coding.clone(),
                reason: *reason,
                orphaned_at: now.clone(),
            });
        }
        inverses.push(Command::InsertRows(Box::new(removed)));
        inverses.push(Command::InsertOrphans(orphans).apply(tx)?);
    }
    // 2. The text, then the spans that moved in it.
    if !edits.is_empty() {
        inverses.push(Command::EditText { document_id, edits }.apply(tx)?);
    }
    let spans = plan.new_spans();
    if !spans.is_empty() {
        inverses.push(Command::SetCodingSpans(spans).apply(tx)?);
    }
    // 3. 要確認 flags; a coding already flagged keeps the text it had before its first revision.
    let mut reviews = Vec::new();
    for (coding_id, reason) in plan.reviews() {
        let Some(coding) = codings.iter().find(|c| c.id == coding_id) else {
            continue;
        };
        let old_text = match reader.coding_review(&coding.guid)? {
            Some(existing) => existing.old_text,
            None => old_text_of(coding.span),
        };
        reviews.push((
            coding.guid.clone(),
            Some(CodingReview {
                coding_guid: coding.guid.clone(),
                reason,
                old_text,
            }),
        ));
    }
    if !reviews.is_empty() {
        inverses.push(Command::SetCodingReviews(reviews).apply(tx)?);
    }
    // 4. Utterances (numbers and speakers) of the new text.
    inverses.push(
        Command::SetUtterances {
            document_id,
            utterances: new_utterances,
        }
        .apply(tx)?,
    );
    inverses.reverse();
    Ok(Command::Batch(inverses))
}

/// The utterances of the revised text. When the usual speaker labels reproduce the stored
/// utterances of the old text, the new text is parsed the same way (new turns are found,
/// deleted ones go); otherwise the document was imported with its own patterns, which the
/// project does not keep, and the stored utterances are carried through the edits instead.
fn detect_utterances(
    document_id: DocumentId,
    old_text: &str,
    new_text: &str,
    edits: &[TextEdit],
    stored: &[Utterance],
) -> Vec<Utterance> {
    let patterns = SpeakerPatterns::default();
    let reproduced = patterns.parse(old_text);
    let same = reproduced.len() == stored.len()
        && reproduced.iter().zip(stored).all(|(parsed, stored)| {
            parsed.number == stored.number
                && parsed.speaker == stored.speaker
                && parsed.start == stored.start
                && parsed.text_start == stored.text_start
                && parsed.end == stored.end
        });
    if same {
        return patterns
            .parse(new_text)
            .into_iter()
            .map(|parsed| Utterance {
                document_id,
                number: parsed.number,
                speaker: parsed.speaker,
                start: parsed.start,
                text_start: parsed.text_start,
                end: parsed.end,
            })
            .collect();
    }
    let mut carried: Vec<Utterance> = Vec::with_capacity(stored.len());
    for utterance in stored {
        let (start, end) = if utterance.start < utterance.end {
            match reanchor(
                Span {
                    start: utterance.start,
                    end: utterance.end,
                },
                edits,
            )
            .span
            {
                Some(span) => (span.start, span.end),
                None => continue,
            }
        } else {
            let point = map_point(utterance.start, edits);
            (point, point)
        };
        carried.push(Utterance {
            document_id,
            number: carried.len() as u32 + 1,
            speaker: utterance.speaker.clone(),
            start,
            text_start: map_point(utterance.text_start, edits).clamp(start, end),
            end,
        });
    }
    carried
}

/// Applies `ReplaceText`: every occurrence of `find` in the documents (all when `None`)
/// replaced by `with`, each document revised as by `ReviseDocument`.
pub(super) fn replace_text(
    tx: &Tx<'_>,
    find: &str,
    with: &str,
    document_ids: Option<Vec<DocumentId>>,
) -> Result<Command> {
    if find.is_empty() {
        return Err(Error::Conflict("the text to find is empty".to_owned()));
    }
    let reader = tx.read();
    let document_ids = match document_ids {
        Some(ids) => ids,
        None => reader
            .document_infos()?
            .iter()
            .map(|info| info.id)
            .collect(),
    };
    let mut inverses = Vec::new();
    for document_id in document_ids {
        let Some(text) = reader.document_text(document_id)? else {
            return Err(Error::NoSuchDocument(format!("id {document_id}")));
        };
        let edits = replace_all(&text, find, with);
        if edits.is_empty() {
            continue;
        }
        inverses.push(revise_document(tx, document_id, edits, None)?);
    }
    if inverses.is_empty() {
        return Err(Error::Conflict(format!("'{find}' occurs in no document")));
    }
    inverses.reverse();
    Ok(Command::Batch(inverses))
}

/// Applies `ReattachOrphan`: the orphan becomes a coding again on `[start, end)` of its
/// document, with its id when free, its GUID, code, coder, memo, exemplar flag and the links
/// of summaries that still exist.
pub(super) fn reattach_orphan(
    tx: &Tx<'_>,
    orphan_id: i64,
    start: usize,
    end: usize,
) -> Result<Command> {
    let reader = tx.read();
    let Some(orphan) = reader.orphan(orphan_id)? else {
        return Err(Error::Conflict(format!("no orphan with id {orphan_id}")));
    };
    let coding = &orphan.coding;
    let Some(info) = reader.document_info(coding.document_id)? else {
        return Err(Error::NoSuchDocument(format!("id {}", coding.document_id)));
    };
    let span = Span::new(&info.name, info.chars, start, end)?;
    if reader.code(coding.code_id)?.is_none() {
        return Err(Error::Conflict(format!(
            "the code of orphan {orphan_id} was deleted; restore the code (undo) or delete the orphan"
        )));
    }
    if reader
        .find_coding(coding.code_id, coding.document_id, span, &coding.coder)?
        .is_some()
    {
        return Err(Error::Conflict(format!(
            "document '{}' [{start}, {end}) already has this code from coder '{}'",
            info.name, coding.coder
        )));
    }
    let coding_id = if reader.coding(coding.id)?.is_none() {
        coding.id
    } else {
        CodingId(Ids::of(tx, IdTable::Codings)?.take())
    };
    let existing: BTreeSet<_> = reader.summaries()?.iter().map(|s| s.id).collect();
    let rows = Rows {
        codings: vec![crate::model::Coding {
            id: coding_id,
            span,
            ..coding.clone()
        }],
        summary_segments: orphan
            .summary_ids
            .iter()
            .filter(|id| existing.contains(id))
            .map(|summary_id| SummarySegment {
                summary_id: *summary_id,
                coding_id,
            })
            .collect(),
        ..Rows::default()
    };
    let mut steps = vec![
        Command::RemoveOrphans(vec![orphan_id]),
        Command::InsertRows(Box::new(rows)),
    ];
    if reader.coding_review(&coding.guid)?.is_some() {
        steps.push(Command::SetCodingReviews(vec![(coding.guid.clone(), None)]));
    }
    Command::Batch(steps).apply(tx)
}

/// Diff size of edits: (edits, code points deleted, code points inserted).
pub(super) fn diff_size(edits: &[TextEdit]) -> (usize, usize, usize) {
    edits
        .iter()
        .fold((0, 0, 0), |(count, deleted, inserted), edit| {
            (
                count + 1,
                deleted + edit.deleted(),
                inserted + edit.inserted(),
            )
        })
}

/// For an incoming document whose GUID the project already holds: the stored document's name
/// when its text differs from `text` (compared by SHA-256), `None` when it is the same text.
pub(super) fn stored_document_differs(
    tx: &Tx<'_>,
    guid: &str,
    text: &str,
) -> Result<Option<String>> {
    let reader = tx.read();
    for info in reader.document_infos()? {
        if info.guid.eq_ignore_ascii_case(guid) {
            let stored = reader.document_hash(info.id)?.unwrap_or_default();
            return Ok((stored != crate::revise::text_hash(text)).then_some(info.name));
        }
    }
    Ok(None)
}
