//! Where a coded span lands after text edits (the rules are in the module above), and the plan
//! for all codings of a document: new spans, 要確認 flags and orphans.

use std::collections::BTreeMap;

use super::edits::TextEdit;
use crate::model::{Coding, CodingId, OrphanReason, ReviewReason, Span};

/// What happened to one coding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fate {
    /// Same span.
    Unchanged,
    /// Shifted with the text around it; same length.
    Moved,
    /// Grown or shrunk by an edit inside it.
    Resized,
    /// Clipped or replaced: kept, flagged 要確認.
    Review(ReviewReason),
    /// Its text is gone: kept as an orphan, flagged 要確認.
    Orphaned(OrphanReason),
}

/// One span's outcome: the new span (`None` for an orphan) and what happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpanChange {
    pub span: Option<Span>,
    pub fate: Fate,
}

/// Re-anchors `span` of the old text through `edits` (sorted, as [`super::check_edits`] wants).
/// Each edit is judged against the span as it was in the old text (edits never overlap, so
/// this is well defined whatever their order), and the new ends are the old ones shifted by the
/// edits before them.
pub fn reanchor(span: Span, edits: &[TextEdit]) -> SpanChange {
    let (s, e) = (span.start, span.end);
    let orphan = SpanChange {
        span: None,
        fate: Fate::Orphaned(OrphanReason::Deleted),
    };
    let mut review: Option<ReviewReason> = None;
    // Code points of the old span still there: a coding whose own text is all gone but which
    // took in replacement text is kept on it, flagged (replaced).
    let mut surviving = span.len();
    // Shift of everything after the edits seen so far, and of the start (edits before it).
    let mut shift: isize = 0;
    let mut start: Option<isize> = None;
    let mut end: Option<isize> = None;
    let mut start_shift: isize = 0;
    for edit in edits {
        let (a, b) = (edit.start, edit.end);
        if a >= e {
            // After the span, or an insertion exactly at its end: not extended.
            break;
        }
        let deleted = b - a;
        let delta = edit.inserted() as isize - deleted as isize;
        let at = a as isize + shift;
        if b <= s {
            // Before the span, or an insertion exactly at its start: shift.
            start_shift += delta;
        } else if s <= a && b <= e && !(a == s && b == e) {
            // Inside: an insertion strictly inside, or a deletion or replacement of part of its
            // own text. The span takes the new text in.
            surviving = surviving.saturating_sub(deleted);
        } else if a <= s && e <= b {
            if a == s && b == e && edit.inserted() > 0 {
                // Exactly its text replaced: the coding moves onto the replacement.
                start = Some(at);
                end = Some(at + edit.inserted() as isize);
                surviving = 0;
            } else {
                return orphan;
            }
        } else if a < s {
            // The edit takes its beginning: keep what remains, after the new text.
            start = Some(at + edit.inserted() as isize);
            surviving = surviving.saturating_sub(b - s);
            review = Some(ReviewReason::Clipped);
        } else {
            // The edit takes its end.
            end = Some(at);
            surviving = surviving.saturating_sub(e - a);
            review = Some(ReviewReason::Clipped);
        }
        shift += delta;
    }
    let new_start = start.unwrap_or(s as isize + start_shift).max(0) as usize;
    let new_end = end.unwrap_or(e as isize + shift).max(0) as usize;
    if new_end <= new_start {
        return orphan;
    }
    if surviving == 0 {
        review = Some(ReviewReason::Replaced);
    }
    let new = Span {
        start: new_start,
        end: new_end,
    };
    let fate = match review {
        Some(reason) => Fate::Review(reason),
        None if new == span => Fate::Unchanged,
        None if new.len() == span.len() => Fate::Moved,
        None => Fate::Resized,
    };
    SpanChange {
        span: Some(new),
        fate,
    }
}

/// Where a boundary position of the old text lands: shifted by edits before it (an insertion
/// exactly at it too), and to the start of the new text of an edit that covers it.
pub fn map_point(point: usize, edits: &[TextEdit]) -> usize {
    let mut shift: isize = 0;
    for edit in edits {
        if edit.end <= point {
            shift += edit.inserted() as isize - edit.deleted() as isize;
        } else if edit.start < point {
            return (edit.start as isize + shift).max(0) as usize;
        } else {
            break;
        }
    }
    (point as isize + shift).max(0) as usize
}

/// What a revision does to the codings of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RevisionPlan {
    /// Every coding's outcome, by coding id.
    pub changes: BTreeMap<CodingId, SpanChange>,
}

impl RevisionPlan {
    /// Codings whose span changed, with the new span, by coding id.
    pub fn new_spans(&self) -> Vec<(CodingId, Span)> {
        self.changes
            .iter()
            .filter(|(_, change)| !matches!(change.fate, Fate::Unchanged | Fate::Orphaned(_)))
            .filter_map(|(id, change)| change.span.map(|span| (*id, span)))
            .collect()
    }

    /// Codings to orphan, by coding id.
    pub fn orphans(&self) -> Vec<(CodingId, OrphanReason)> {
        self.changes
            .iter()
            .filter_map(|(id, change)| match change.fate {
                Fate::Orphaned(reason) => Some((*id, reason)),
                _ => None,
            })
            .collect()
    }

    /// Codings kept but flagged 要確認, by coding id.
    pub fn reviews(&self) -> Vec<(CodingId, ReviewReason)> {
        self.changes
            .iter()
            .filter_map(|(id, change)| match change.fate {
                Fate::Review(reason) => Some((*id, reason)),
                _ => None,
            })
            .collect()
    }

    /// How many codings each fate has: unchanged, moved, resized, flagged, orphaned.
    pub fn counts(&self) -> [usize; 5] {
        let mut counts = [0; 5];
        for change in self.changes.values() {
            let slot = match change.fate {
                Fate::Unchanged => 0,
                Fate::Moved => 1,
                Fate::Resized => 2,
                Fate::Review(_) => 3,
                Fate::Orphaned(_) => 4,
            };
            counts[slot] += 1;
        }
        counts
    }
}

/// Re-anchors every coding of a document. Two codings of one code by one coder that land on
/// the same span cannot both stay (the project holds each such coding once): the one with the
/// lower id stays, the other becomes an orphan (`Duplicate`) that keeps its memo and links.
pub fn plan_revision(codings: &[Coding], edits: &[TextEdit]) -> RevisionPlan {
    let mut sorted: Vec<&Coding> = codings.iter().collect();
    sorted.sort_by_key(|coding| coding.id);
    let mut plan = RevisionPlan::default();
    let mut taken: BTreeMap<(crate::model::CodeId, &str, Span), CodingId> = BTreeMap::new();
    for coding in sorted {
        let mut change = reanchor(coding.span, edits);
        if let Some(span) = change.span {
            let key = (coding.code_id, coding.coder.as_str(), span);
            match taken.entry(key) {
                std::collections::btree_map::Entry::Occupied(_) => {
                    change = SpanChange {
                        span: None,
                        fate: Fate::Orphaned(OrphanReason::Duplicate),
                    };
                }
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(coding.id);
                }
            }
        }
        plan.changes.insert(coding.id, change);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> TextEdit {
        TextEdit {
            start,
            end,
            text: text.to_owned(),
        }
    }

    fn span(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    fn lands(start: usize, end: usize, edits: &[TextEdit]) -> (Option<(usize, usize)>, Fate) {
        let change = reanchor(span(start, end), edits);
        (change.span.map(|s| (s.start, s.end)), change.fate)
    }

    #[test]
    fn insertions_shift_grow_or_leave_alone() {
        assert_eq!(
            lands(10, 20, &[edit(3, 3, "あいう")]),
            (Some((13, 23)), Fate::Moved)
        );
        assert_eq!(
            lands(10, 20, &[edit(10, 10, "あ")]),
            (Some((11, 21)), Fate::Moved)
        );
        assert_eq!(
            lands(10, 20, &[edit(15, 15, "あ")]),
            (Some((10, 21)), Fate::Resized)
        );
        assert_eq!(
            lands(10, 20, &[edit(20, 20, "あ")]),
            (Some((10, 20)), Fate::Unchanged)
        );
    }

    #[test]
    fn deletions_shrink_clip_or_orphan() {
        assert_eq!(
            lands(10, 20, &[edit(2, 5, "")]),
            (Some((7, 17)), Fate::Moved)
        );
        assert_eq!(
            lands(10, 20, &[edit(12, 15, "")]),
            (Some((10, 17)), Fate::Resized)
        );
        assert_eq!(
            lands(10, 20, &[edit(10, 12, "")]),
            (Some((10, 18)), Fate::Resized)
        );
        assert_eq!(
            lands(10, 20, &[edit(5, 12, "")]),
            (Some((5, 13)), Fate::Review(ReviewReason::Clipped))
        );
        assert_eq!(
            lands(10, 20, &[edit(18, 25, "")]),
            (Some((10, 18)), Fate::Review(ReviewReason::Clipped))
        );
        assert_eq!(
            lands(10, 20, &[edit(10, 20, "")]),
            (None, Fate::Orphaned(OrphanReason::Deleted))
        );
        assert_eq!(
            lands(10, 20, &[edit(8, 22, "新しい文")]),
            (None, Fate::Orphaned(OrphanReason::Deleted))
        );
    }

    #[test]
    fn a_replacement_at_the_start_stays_inside() {
        // 山田さんは… anonymised to ○○さんは…: the coding keeps the replacement.
        assert_eq!(
            lands(10, 20, &[edit(10, 12, "○○○")]),
            (Some((10, 21)), Fate::Resized)
        );
        assert_eq!(
            lands(10, 12, &[edit(10, 12, "○○")]),
            (Some((10, 12)), Fate::Review(ReviewReason::Replaced))
        );
    }

    #[test]
    fn several_edits_compose_and_piecewise_deletion_orphans() {
        let edits = [edit(0, 0, "前置き。"), edit(12, 14, ""), edit(16, 20, "")];
        assert_eq!(lands(10, 20, &edits), (Some((14, 18)), Fate::Resized));
        let halves = [edit(10, 15, ""), edit(15, 20, "")];
        assert_eq!(
            lands(10, 20, &halves),
            (None, Fate::Orphaned(OrphanReason::Deleted))
        );
        // All of its own text gone, one half replaced: kept on the replacement, in either order.
        for edits in [
            [edit(10, 15, "Q"), edit(15, 20, "")],
            [edit(10, 15, ""), edit(15, 20, "Q")],
        ] {
            assert_eq!(
                lands(10, 20, &edits),
                (Some((10, 11)), Fate::Review(ReviewReason::Replaced))
            );
        }
    }

    #[test]
    fn text_inserted_inside_stays_when_a_deletion_then_takes_the_end() {
        // Found by the property test: judged after the deletion, the insertion looked as if it
        // were at the end; against the old span it is strictly inside.
        let edits = [edit(1, 1, "あ"), edit(1, 2, "")];
        assert_eq!(lands(0, 2, &edits), (Some((0, 2)), Fate::Unchanged));
    }

    #[test]
    fn points_follow_the_text() {
        let edits = [edit(2, 2, "ab"), edit(5, 8, "x")];
        assert_eq!(map_point(0, &edits), 0);
        assert_eq!(map_point(2, &edits), 4);
        assert_eq!(map_point(6, &edits), 7);
        assert_eq!(map_point(9, &edits), 9);
    }
}
