//! The code frequency table: per code (at a level) or role, its segments (one per coding), its
//! cases (distinct), the code points of text it covers, and the % of cases. Frequencies are
//! supporting evidence, not importance.

use super::axis::{CodeAxis, Column, Level};
use super::cooccurrence::merge;
use super::data::AnalysisData;
use super::filter::Filter;
use super::passages::{PassageSpan, passage_count};
use crate::model::{CaseId, DocumentId};

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct FrequencyRow {
    pub column: Column,
    /// Codings.
    pub segments: usize,
    /// Distinct cases with a coding.
    pub cases: usize,
    /// Code points covered: text coded twice (two coders, two overlapping codings) counts
    /// once.
    pub chars: usize,
    /// `cases` as a % of the cases that pass the filter (`None` when there are none).
    pub percent_of_cases: Option<f64>,
}

/// The frequency table.
#[derive(Clone, Debug, PartialEq)]
pub struct Frequencies {
    pub level: Level,
    pub filter: Filter,
    /// Cases that pass the filter.
    pub total_cases: usize,
    /// In axis order.
    pub rows: Vec<FrequencyRow>,
}

impl Frequencies {
    /// Counts the filtered segments per column.
    pub fn build(data: &AnalysisData, level: Level, filter: &Filter) -> Frequencies {
        let axis = CodeAxis::new(data, level);
        let total_cases = filter.cases(data).len();
        let columns = axis.columns.len();
        let mut segments = vec![0; columns];
        let mut mentions: Vec<(usize, CaseId)> = Vec::new();
        let mut spans: Vec<(usize, DocumentId, usize, usize)> = Vec::new();
        let mut passages: Vec<(usize, PassageSpan)> = Vec::new();
        for segment in filter.segments(data) {
            for column in axis.columns_of(segment.code_id) {
                passages.push((*column, PassageSpan::from(segment)));
                mentions.push((*column, segment.case_id));
                spans.push((*column, segment.document_id, segment.start, segment.end));
            }
        }
        // Segments are distinct passages, by the one rule of `passages`.
        passages.sort_unstable();
        for run in passages.chunk_by(|a, b| a.0 == b.0) {
            if let Some((column, _)) = run.first()
                && let Some(slot) = segments.get_mut(*column)
            {
                let spans: Vec<PassageSpan> = run.iter().map(|(_, span)| *span).collect();
                *slot = passage_count(&spans);
            }
        }
        mentions.sort_unstable();
        mentions.dedup();
        let mut cases = vec![0; columns];
        for (column, _) in mentions {
            if let Some(slot) = cases.get_mut(column) {
                *slot += 1;
            }
        }
        // Sorted spans: merge overlapping ones of one column and document as they come.
        spans.sort_unstable();
        let mut chars = vec![0; columns];
        for run in spans.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let mut intervals: Vec<(usize, usize)> = run
                .iter()
                .map(|(_, _, start, end)| (*start, *end))
                .collect();
            merge(&mut intervals);
            if let Some((column, ..)) = run.first()
                && let Some(slot) = chars.get_mut(*column)
            {
                *slot += intervals
                    .iter()
                    .map(|(start, end)| end - start)
                    .sum::<usize>();
            }
        }
        let rows = axis
            .columns
            .into_iter()
            .zip(segments)
            .zip(cases)
            .zip(chars)
            .map(|(((column, segments), cases), chars)| FrequencyRow {
                column,
                segments,
                cases,
                chars,
                percent_of_cases: (total_cases > 0)
                    .then(|| cases as f64 * 100.0 / total_cases as f64),
            })
            .collect();
        Frequencies {
            level,
            filter: filter.clone(),
            total_cases,
            rows,
        }
    }
}
