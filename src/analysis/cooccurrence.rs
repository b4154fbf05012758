//! Code × code co-occurrence, in two senses:
//! - **overlap**: two different codings in the same document whose spans share at least one
//!   code point. `count` is the number of such pairs of codings; `jaccard` is the share of
//!   the text coded with either code that is coded with both (code points, |A ∩ B| / |A ∪ B|).
//! - **utterance**: both codes touch the same speaker turn (a span touches every turn from the
//!   one it starts in to the one it ends in). `count` is the number of such turns; `jaccard`
//!   is |turns of A ∩ turns of B| / |turns of A ∪ turns of B|. Spans before the first turn
//!   are in no turn.
//!
//! Codings roll up to the columns of the level as in the matrix. Two codings of one column are
//! not a co-occurrence, and neither is one coding whose code is in two roles.

use std::collections::BTreeMap;

use super::axis::{CodeAxis, Column, Level};
use super::data::{AnalysisData, Segment};
use super::filter::Filter;
use super::idhash::IdMap;
use crate::model::DocumentId;

/// Which sense of co-occurrence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CooccurrenceMode {
    /// Overlapping spans in the same document.
    #[default]
    Overlap,
    /// The same utterance (speaker turn).
    Utterance,
}

impl CooccurrenceMode {
    /// `overlap` or `utterance`.
    pub fn as_str(self) -> &'static str {
        match self {
            CooccurrenceMode::Overlap => "overlap",
            CooccurrenceMode::Utterance => "utterance",
        }
    }
}

/// Two columns that co-occur.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// Column indices, `first < second`.
    pub first: usize,
    pub second: usize,
    /// Pairs of codings (overlap) or shared utterances (utterance).
    pub count: usize,
    /// Jaccard index, 0 … 1.
    pub jaccard: f64,
}

/// The co-occurrence table.
#[derive(Clone, Debug, PartialEq)]
pub struct Cooccurrence {
    pub level: Level,
    pub mode: CooccurrenceMode,
    pub filter: Filter,
    pub columns: Vec<Column>,
    /// Per column: code points coded (overlap) or utterances touched (utterance).
    pub extent: Vec<usize>,
    /// Every pair with a count above zero, by (first, second).
    pub pairs: Vec<Pair>,
}

impl Cooccurrence {
    /// Computes co-occurrence over the filtered segments.
    pub fn build(
        data: &AnalysisData,
        level: Level,
        mode: CooccurrenceMode,
        filter: &Filter,
    ) -> Cooccurrence {
        // Never stopped: `build_until` returns a table.
        Cooccurrence::build_until(data, level, mode, filter, &|| false).unwrap_or_else(|| {
            Cooccurrence {
                level,
                mode,
                filter: filter.clone(),
                columns: Vec::new(),
                extent: Vec::new(),
                pairs: Vec::new(),
            }
        })
    }

    /// [`Cooccurrence::build`] that gives up (`None`) as soon as `stop` says so. It is asked
    /// once per document (overlap) or every few thousand segments (utterance), so that a
    /// computation no longer wanted on a worker thread (the workbench at a million codings)
    /// ends early instead of running on.
    pub fn build_until(
        data: &AnalysisData,
        level: Level,
        mode: CooccurrenceMode,
        filter: &Filter,
        stop: &dyn Fn() -> bool,
    ) -> Option<Cooccurrence> {
        let axis = CodeAxis::new(data, level);
        let segments = filter.segments(data);
        if stop() {
            return None;
        }
        let (extent, counts, shared) = match mode {
            CooccurrenceMode::Overlap => overlap(&axis, &segments, stop)?,
            CooccurrenceMode::Utterance => utterance(&axis, &segments, stop)?,
        };
        let pairs = counts
            .into_iter()
            .map(|((first, second), count)| {
                let both = shared.get(&(first, second)).copied().unwrap_or(0);
                let either = extent.get(first).copied().unwrap_or(0)
                    + extent.get(second).copied().unwrap_or(0)
                    - both;
                Pair {
                    first,
                    second,
                    count,
                    jaccard: if either == 0 {
                        0.0
                    } else {
                        both as f64 / either as f64
                    },
                }
            })
            .collect();
        Some(Cooccurrence {
            level,
            mode,
            filter: filter.clone(),
            columns: axis.columns,
            extent,
            pairs,
        })
    }
}

type Tallies = (
    Vec<usize>,
    BTreeMap<(usize, usize), usize>,
    BTreeMap<(usize, usize), usize>,
);

/// How many segments the utterance pass handles between two looks at `stop`.
const STOP_EVERY: usize = 4_096;

fn overlap(axis: &CodeAxis, segments: &[&Segment], stop: &dyn Fn() -> bool) -> Option<Tallies> {
    let mut sorted: Vec<&Segment> = segments.to_vec();
    sorted.sort_unstable_by_key(|s| (s.document_id, s.start, s.end, s.coding_id));
    let mut extent = vec![0; axis.columns.len()];
    let mut counts: IdMap<(usize, usize), usize> = IdMap::default();
    let mut shared: IdMap<(usize, usize), usize> = IdMap::default();
    let mut linked: Vec<(usize, usize)> = Vec::new();
    for document in sorted.chunk_by(|a, b| a.document_id == b.document_id) {
        if stop() {
            return None;
        }
        let mut document_pairs: Vec<(usize, usize)> = Vec::new();
        for (index, first) in document.iter().enumerate() {
            for second in document.iter().skip(index + 1) {
                if second.start >= first.end {
                    break; // sorted by start: nothing later overlaps `first`
                }
                if second.end <= first.start || first.start == first.end {
                    continue;
                }
                linked.clear();
                for a in axis.columns_of(first.code_id) {
                    for b in axis.columns_of(second.code_id) {
                        if a != b {
                            linked.push((*a.min(b), *a.max(b)));
                        }
                    }
                }
                linked.sort_unstable();
                linked.dedup();
                for pair in &linked {
                    *counts.entry(*pair).or_default() += 1;
                }
                document_pairs.extend_from_slice(&linked);
            }
        }
        // Coverage of each column in this document, as merged intervals, for Jaccard.
        let mut spans: Vec<(usize, usize, usize)> = document
            .iter()
            .flat_map(|segment| {
                axis.columns_of(segment.code_id)
                    .iter()
                    .map(|column| (*column, segment.start, segment.end))
            })
            .collect();
        spans.sort_unstable();
        let mut covered: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
        for (column, start, end) in spans {
            let intervals = covered.entry(column).or_default();
            match intervals.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => intervals.push((start, end)),
            }
        }
        for (column, intervals) in &covered {
            if let Some(slot) = extent.get_mut(*column) {
                *slot += intervals
                    .iter()
                    .map(|(start, end)| end - start)
                    .sum::<usize>();
            }
        }
        document_pairs.sort_unstable();
        document_pairs.dedup();
        for (first, second) in document_pairs {
            if let (Some(a), Some(b)) = (covered.get(&first), covered.get(&second)) {
                *shared.entry((first, second)).or_default() += intersection(a, b);
            }
        }
    }
    Some((
        extent,
        counts.into_iter().collect(),
        shared.into_iter().collect(),
    ))
}

fn utterance(axis: &CodeAxis, segments: &[&Segment], stop: &dyn Fn() -> bool) -> Option<Tallies> {
    let mut touched: Vec<(DocumentId, u32, usize)> = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        if index % STOP_EVERY == 0 && stop() {
            return None;
        }
        let Some((first, last)) = segment.utterances else {
            continue;
        };
        for number in first..=last {
            for column in axis.columns_of(segment.code_id) {
                touched.push((segment.document_id, number, *column));
            }
        }
    }
    touched.sort_unstable();
    touched.dedup();
    let mut extent = vec![0; axis.columns.len()];
    let mut counts: IdMap<(usize, usize), usize> = IdMap::default();
    for (number, turn) in touched
        .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
        .enumerate()
    {
        if number % STOP_EVERY == 0 && stop() {
            return None;
        }
        for (index, (_, _, a)) in turn.iter().enumerate() {
            if let Some(slot) = extent.get_mut(*a) {
                *slot += 1;
            }
            for (_, _, b) in turn.iter().skip(index + 1) {
                *counts.entry((*a, *b)).or_default() += 1;
            }
        }
    }
    // Shared turns are the count itself.
    let counts: BTreeMap<(usize, usize), usize> = counts.into_iter().collect();
    Some((extent, counts.clone(), counts))
}

/// Sorts and merges half-open intervals in place (touching intervals join).
pub(crate) fn merge(intervals: &mut Vec<(usize, usize)>) {
    intervals.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(intervals.len());
    for &(start, end) in intervals.iter() {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    *intervals = merged;
}

/// Code points in both of two merged interval lists.
fn intersection(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    let (mut i, mut j, mut total) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let (start, end) = (x.0.max(y.0), x.1.min(y.1));
        total += end.saturating_sub(start);
        if x.1 < y.1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_merge_and_intersect_in_code_points() {
        let mut a = vec![(10, 20), (0, 5), (4, 8), (20, 22)];
        merge(&mut a);
        assert_eq!(a, [(0, 8), (10, 22)]);
        let b = vec![(6, 12), (21, 30)];
        assert_eq!(intersection(&a, &b), 2 + 2 + 1);
    }
}
