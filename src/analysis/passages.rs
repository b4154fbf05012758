//! The distinct-passages rule, one rule for every level and every coder scope:
//!
//! **A cell counts passages, not codings.** Two codings in one document are the same passage
//! when their spans are identical (the same span coded by two coders, or by one coder with
//! two codes), or when they belong to *different* codes and their spans overlap (at the
//! subcategory, category and role levels, where a column gathers several codes). Passages
//! are the connected groups of that relation. So at a focus-code column two coders' identical
//! codings count once, while their overlapping but different spans stay separate until they
//! are reconciled; at a role column a sentence coded with two codes of that role counts once.
//! The number of codings is kept beside the passage count.

use super::data::Segment;
use crate::model::{CodeId, DocumentId};

/// What the rule needs of a coding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PassageSpan {
    pub document_id: DocumentId,
    pub start: usize,
    pub end: usize,
    pub code_id: CodeId,
}

impl From<&Segment> for PassageSpan {
    fn from(segment: &Segment) -> PassageSpan {
        PassageSpan {
            document_id: segment.document_id,
            start: segment.start,
            end: segment.end,
            code_id: segment.code_id,
        }
    }
}

/// The passages among `spans`: groups of indexes into `spans`, each group sorted, groups in
/// order of their first span (document, start, end).
pub fn passages(spans: &[PassageSpan]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|index| spans.get(*index).copied());
    let mut parent: Vec<usize> = (0..spans.len()).collect();
    fn root(parent: &mut [usize], mut index: usize) -> usize {
        while let Some(&up) = parent.get(index) {
            if up == index {
                break;
            }
            // Path halving keeps the trees flat.
            let grand = parent.get(up).copied().unwrap_or(up);
            if let Some(slot) = parent.get_mut(index) {
                *slot = grand;
            }
            index = grand;
        }
        index
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        if ra != rb
            && let Some(slot) = parent.get_mut(ra.max(rb))
        {
            *slot = ra.min(rb);
        }
    };
    // Sweep each document in start order, keeping the spans still open.
    let mut open: Vec<usize> = Vec::new();
    let mut document = None;
    for &index in &order {
        let Some(span) = spans.get(index) else {
            continue;
        };
        if document != Some(span.document_id) {
            open.clear();
            document = Some(span.document_id);
        }
        open.retain(|other| spans.get(*other).is_some_and(|o| o.end > span.start));
        for &other in &open {
            let Some(o) = spans.get(other) else { continue };
            let identical = o.start == span.start && o.end == span.end;
            if identical || o.code_id != span.code_id {
                join(&mut parent, index, other);
            }
        }
        open.push(index);
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &index in &order {
        let group = root(&mut parent, index);
        groups.entry(group).or_default().push(index);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort_by_key(|group| group.first().and_then(|first| spans.get(*first)).copied());
    groups
}

/// The number of passages among `spans` (see the module doc).
pub fn passage_count(spans: &[PassageSpan]) -> usize {
    match spans {
        [] => 0,
        [_] => 1,
        _ => passages(spans).len(),
    }
}

/// Segments with identical spans (document, start, end) folded into one, in order, each with
/// the coders who coded it (sorted, distinct): how a cell's segments are quoted.
pub fn distinct_quotes<'d>(segments: &[&'d Segment]) -> Vec<(&'d Segment, Vec<&'d str>)> {
    let mut sorted: Vec<&Segment> = segments.to_vec();
    sorted.sort_by_key(|s| (s.document_id, s.start, s.end, s.coding_id));
    let mut out: Vec<(&Segment, Vec<&str>)> = Vec::new();
    for segment in sorted {
        match out.last_mut() {
            Some((first, coders))
                if (first.document_id, first.start, first.end)
                    == (segment.document_id, segment.start, segment.end) =>
            {
                if !coders.contains(&segment.coder.as_str()) {
                    coders.push(&segment.coder);
                    coders.sort_unstable();
                }
                if segment.exemplar && !first.exemplar {
                    *first = segment;
                }
            }
            _ => out.push((segment, vec![segment.coder.as_str()])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(document: i64, start: usize, end: usize, code: i64) -> PassageSpan {
        PassageSpan {
            document_id: DocumentId(document),
            start,
            end,
            code_id: CodeId(code),
        }
    }

    #[test]
    fn identical_spans_are_one_passage_whatever_the_code_or_coder() {
        let spans = [span(1, 10, 20, 1), span(1, 10, 20, 1), span(1, 10, 20, 2)];
        assert_eq!(passage_count(&spans), 1);
    }

    #[test]
    fn overlapping_spans_of_one_code_stay_two_passages_until_reconciled() {
        let spans = [span(1, 10, 20, 1), span(1, 15, 25, 1)];
        assert_eq!(passage_count(&spans), 2);
    }

    #[test]
    fn overlapping_spans_of_different_codes_are_one_passage() {
        let spans = [span(1, 10, 20, 1), span(1, 15, 25, 2), span(1, 30, 40, 1)];
        assert_eq!(passages(&spans), vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn touching_spans_and_other_documents_are_separate() {
        let spans = [span(1, 10, 20, 1), span(1, 20, 30, 2), span(2, 10, 20, 2)];
        assert_eq!(passage_count(&spans), 3);
    }
}
