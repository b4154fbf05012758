//! Building the matrix: from the snapshot's segments ([`Matrix::build`]) or from bare codings
//! ([`Matrix::build_counted`]), both through one assembly, so that the two give the same
//! matrix.

use std::collections::{BTreeMap, BTreeSet};

use super::{Ids, Matrix, MatrixOptions};
use crate::analysis::axis::{CodeAxis, case_rows};
use crate::analysis::data::{AnalysisData, CodingTable};
use crate::analysis::idhash::IdMap;
use crate::analysis::passages::{PassageSpan, passage_count};
use crate::model::{CaseId, CellMark, CodingId};

impl Matrix {
    /// Builds the whole matrix in one pass over the segments: each admitted coding becomes
    /// (row, column, coding) entries, which are sorted once and grouped into cells.
    pub fn build(data: &AnalysisData, options: MatrixOptions) -> Matrix {
        let filter = options.filter.clone();
        let admitted = data
            .segments()
            .filter(move |segment| filter.admits_segment(segment))
            .map(|segment| {
                (
                    segment.coding_id,
                    segment.case_id,
                    PassageSpan::from(segment),
                )
            });
        Matrix::assemble(data, options, data.segment_count(), admitted)
    }

    /// [`Matrix::build`] from the bare codings of [`AnalysisData::load_for_counting`] (a
    /// snapshot without segments): the same matrix, without a segment per coding. What the
    /// command line's counting modes use at a million codings.
    pub fn build_counted(
        data: &AnalysisData,
        codings: &CodingTable,
        options: MatrixOptions,
    ) -> Matrix {
        let filter = &options.filter;
        let coder_admitted: Vec<bool> = codings
            .coders
            .iter()
            .map(|name| filter.coders.is_empty() || filter.coders.contains(name))
            .collect();
        let documents = filter.documents.clone();
        let admitted = codings
            .codings
            .iter()
            .filter(move |coding| {
                coder_admitted
                    .get(coding.coder as usize)
                    .copied()
                    .unwrap_or(false)
                    && (documents.is_empty() || documents.contains(&coding.document_id))
            })
            .map(|coding| {
                (
                    coding.coding_id,
                    coding.case_id,
                    PassageSpan {
                        document_id: coding.document_id,
                        start: coding.start,
                        end: coding.end,
                        code_id: coding.code_id,
                    },
                )
            });
        Matrix::assemble(data, options, codings.codings.len(), admitted)
    }

    /// The matrix of the `admitted` codings (coding, case, span), in coding id order.
    fn assemble(
        data: &AnalysisData,
        options: MatrixOptions,
        expected: usize,
        admitted: impl Iterator<Item = (CodingId, CaseId, PassageSpan)>,
    ) -> Matrix {
        let cases = case_rows(data, &options.filter, options.group_by);
        let axis = CodeAxis::new(data, options.level);
        let case_positions: BTreeMap<CaseId, usize> = cases
            .iter()
            .enumerate()
            .map(|(position, row)| (row.case_id, position))
            .collect();
        // Hash lookups in the hot loop; the ordered maps stay for reading.
        let row_of: IdMap<CaseId, usize> = case_positions
            .iter()
            .map(|(case_id, position)| (*case_id, *position))
            .collect();
        // The admitted codings in id order, and for each of its cells (row, column, position
        // in that list): sorting those sorts each cell's codings by id too.
        let mut admitted_spans: Vec<(CodingId, PassageSpan)> = Vec::with_capacity(expected);
        let mut entries: Vec<(u32, u32, u32)> = Vec::with_capacity(expected);
        for (coding_id, case_id, span) in admitted {
            let Some(row) = row_of.get(&case_id) else {
                continue;
            };
            let (Ok(row), Ok(position)) =
                (u32::try_from(*row), u32::try_from(admitted_spans.len()))
            else {
                continue;
            };
            for column in axis.columns_of(span.code_id) {
                if let Ok(column) = u32::try_from(*column) {
                    entries.push((row, column, position));
                }
            }
            admitted_spans.push((coding_id, span));
        }
        debug_assert!(admitted_spans.is_sorted_by_key(|(coding_id, _)| *coding_id));
        // The span of every coding by id (kept for incremental changes) is hashed on one core
        // while the cells are grouped and their passages counted on the other.
        let ((rows, passages), spans) = rayon::join(
            || group_cells(entries, &admitted_spans, cases.len()),
            || {
                let mut spans: IdMap<CodingId, PassageSpan> =
                    IdMap::with_capacity_and_hasher(admitted_spans.len(), Default::default());
                spans.extend(admitted_spans.iter().copied());
                spans
            },
        );
        let mut matrix = Matrix {
            known_cases: data.cases().iter().map(|case| case.id).collect(),
            options,
            cases,
            axis,
            rows,
            negative: BTreeSet::new(),
            summaries: BTreeMap::new(),
            case_positions,
            spans,
            passages,
        };
        for (case_id, code_id, mark) in data.marks() {
            if let Some(at) = matrix.code_cell(case_id, code_id)
                && mark == CellMark::Negative
            {
                matrix.negative.insert(at);
            }
        }
        for summary in data.summaries() {
            if let Some(at) = matrix.code_cell(summary.case_id, summary.code_id) {
                matrix.summaries.insert(at, summary.clone());
            }
        }
        matrix
    }
}

/// The cells of every row from their (row, column, position in `admitted`) entries, and the
/// passages of the cells that hold two or more codings (counted on every core).
#[allow(clippy::type_complexity)]
fn group_cells(
    mut entries: Vec<(u32, u32, u32)>,
    admitted: &[(CodingId, PassageSpan)],
    row_count: usize,
) -> (Vec<Vec<(usize, Ids)>>, BTreeMap<(usize, usize), usize>) {
    use rayon::prelude::*;
    entries.par_sort_unstable();
    let coding = |position: u32| admitted.get(position as usize);
    let mut rows: Vec<Vec<(usize, Ids)>> = vec![Vec::new(); row_count];
    let mut shared: Vec<((usize, usize), &[(u32, u32, u32)])> = Vec::new();
    for cell in entries.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let Some(&(row, column, _)) = cell.first() else {
            continue;
        };
        let (row, column) = (row as usize, column as usize);
        let ids = match cell {
            [(_, _, one)] => match coding(*one) {
                Some((coding_id, _)) => Ids::One(*coding_id),
                None => continue,
            },
            many => {
                shared.push(((row, column), many));
                Ids::Many(
                    many.iter()
                        .filter_map(|entry| coding(entry.2).map(|(coding_id, _)| *coding_id))
                        .collect(),
                )
            }
        };
        if let Some(cells) = rows.get_mut(row) {
            cells.push((column, ids));
        }
    }
    let passages = shared
        .into_par_iter()
        .map(|(at, cell)| {
            let spans: Vec<PassageSpan> = cell
                .iter()
                .filter_map(|entry| coding(entry.2).map(|(_, span)| *span))
                .collect();
            (at, passage_count(&spans))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    (rows, passages)
}
