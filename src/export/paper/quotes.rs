//! Quotes cut from their document's text while they are written. The snapshot the paper
//! tables read carries no segment text (at a million codings the quotes alone were hundreds
//! of megabytes, held once in the snapshot and again in every table that showed them), so a
//! writer cuts each quote as it writes it, from the document it is visiting: callers go
//! through the segments document by document, and only that document is indexed.

use std::collections::HashMap;

use crate::analysis::{AnalysisData, Segment};
use crate::model::{CodingId, DocumentId};
use crate::text::CharIndex;

/// Cuts quotes from one document at a time: asking for a segment of another document indexes
/// that one instead, so visiting the segments in document order indexes each document once.
pub(super) struct QuoteCutter<'d> {
    data: &'d AnalysisData,
    current: Option<(DocumentId, CharIndex)>,
}

impl<'d> QuoteCutter<'d> {
    pub(super) fn new(data: &'d AnalysisData) -> QuoteCutter<'d> {
        QuoteCutter {
            data,
            current: None,
        }
    }

    /// Exactly the stored text of the segment's span: the snapshot's own text when it was
    /// loaded with quotes, else cut from the document (empty when the span lies outside it,
    /// which a stored project never has).
    pub(super) fn quote<'s>(&'s mut self, segment: &'s Segment) -> &'s str {
        if !segment.text.is_empty() {
            return &segment.text;
        }
        let stale = self
            .current
            .as_ref()
            .is_none_or(|(document_id, _)| *document_id != segment.document_id);
        if stale {
            self.current = self
                .data
                .document(segment.document_id)
                .map(|document| (segment.document_id, CharIndex::new(document.text.clone())));
        }
        self.current
            .as_ref()
            .and_then(|(_, index)| index.slice(segment.start, segment.end))
            .unwrap_or_default()
    }
}

/// The quotes of `segments` by coding id, cut document by document (the segments are visited
/// in document order whatever order they come in).
pub(super) fn cut_quotes(data: &AnalysisData, segments: &[&Segment]) -> HashMap<CodingId, String> {
    let mut ordered: Vec<&Segment> = segments.to_vec();
    ordered.sort_unstable_by_key(|segment| (segment.document_id, segment.start, segment.coding_id));
    ordered.dedup_by_key(|segment| segment.coding_id);
    let mut cutter = QuoteCutter::new(data);
    ordered
        .into_iter()
        .map(|segment| (segment.coding_id, cutter.quote(segment).to_owned()))
        .collect()
}
