//! The case-code matrix (事例-コード・マトリックス): cases × codes at a level (or the roles of a
//! frame), each cell holding its codings, its 要約 and its state, with totals, transposition,
//! decompression back to the segments, and incremental update after one coding.
//!
//! Counting (see [`analysis`](crate::analysis) and [`passages`](super::passages)): a cell's
//! *segments* are its distinct passages (identical spans once, whoever coded them; overlapping
//! spans of different codes once), with the number of codings kept beside; *presence* and the
//! *cases* of a column count each case once.
//!
//! Incremental update: the matrix keeps, for every case row, a sorted map from column to
//! the cell's coding ids, and the axis keeps, for every code, the columns its codings count in (the code's
//! ancestor at the level, or its roles, resolved once). Adding or removing one coding touches
//! only those cells: O(log n) with no recomputation. A change the axes cannot absorb (a coding
//! of a new case, or of a code that needs a new column) answers [`Update::Rebuild`].

use std::collections::{BTreeMap, BTreeSet};

mod build;

use super::axis::{CaseRow, CodeAxis, Column, Level};
use super::data::{AnalysisData, CellSummary, Segment};
use super::filter::Filter;
use super::idhash::IdMap;
use super::passages::{PassageSpan, passage_count};
use crate::model::{AttributeId, CaseId, CodeId, CodingId};

/// Which axis runs down the side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Orientation {
    /// Cases as rows, codes as columns.
    #[default]
    CasesAsRows,
    /// Codes as rows, cases as columns (the layout most Japanese papers print).
    CodesAsRows,
}

/// What is known about a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellStatus {
    /// At least one coding.
    Coded,
    /// No coding and no mark: not evidence of absence.
    NotMentioned,
    /// No coding, and the researcher marked the case as saying the code does not apply.
    Negative,
}

impl CellStatus {
    /// `coded`, `not_mentioned` or `negative` (the JSON name).
    pub fn as_str(self) -> &'static str {
        match self {
            CellStatus::Coded => "coded",
            CellStatus::NotMentioned => "not_mentioned",
            CellStatus::Negative => "negative",
        }
    }
}

/// One cell: case × column, borrowed from the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell<'m> {
    /// The codings counted in the cell, by id.
    pub coding_ids: &'m [CodingId],
    /// The distinct passages among them (see [`passages`](super::passages)).
    pub passages: usize,
    /// The researcher marked this (case, code) explicitly negative.
    pub negative: bool,
    /// The 要約 written on this (case, code), with its linked codings.
    pub summary: Option<&'m CellSummary>,
}

impl Cell<'_> {
    /// Number of segments: distinct passages (identical spans once, whoever coded them;
    /// overlapping spans of different codes once).
    pub fn segments(&self) -> usize {
        self.passages
    }

    /// Number of codings (each coder's each code on each span), shown beside the passages.
    pub fn codings(&self) -> usize {
        self.coding_ids.len()
    }

    /// 1 when coded, else 0.
    pub fn presence(&self) -> usize {
        usize::from(!self.coding_ids.is_empty())
    }

    /// Coded, explicitly negative or not mentioned. A mark on a cell that also has codings
    /// does not hide the codings: the cell reads coded (and keeps `negative` set, so that the
    /// contradiction can be shown).
    pub fn status(&self) -> CellStatus {
        if !self.coding_ids.is_empty() {
            CellStatus::Coded
        } else if self.negative {
            CellStatus::Negative
        } else {
            CellStatus::NotMentioned
        }
    }
}

/// What an incremental change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// Cells changed.
    Applied,
    /// Nothing to change: the coding is outside the filter, in no column, or already there.
    Unchanged,
    /// The axes cannot take the change (a new case, or a code that needs a new column):
    /// build the matrix again.
    Rebuild,
}

/// Row and column sums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the cells' segments (passages).
    pub segments: usize,
    /// Sum of the cells' codings.
    pub codings: usize,
    /// Number of coded cells: cases in a column's total, codes in a case's total.
    pub coded: usize,
}

/// How to build a matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixOptions {
    pub level: Level,
    /// Group (and sort) the cases by this attribute.
    pub group_by: Option<AttributeId>,
    pub filter: Filter,
    pub orientation: Orientation,
}

impl Default for MatrixOptions {
    fn default() -> MatrixOptions {
        MatrixOptions {
            level: Level::CODE,
            group_by: None,
            filter: Filter::default(),
            orientation: Orientation::CasesAsRows,
        }
    }
}

/// The matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    pub options: MatrixOptions,
    /// The case axis, grouped and sorted.
    pub cases: Vec<CaseRow>,
    /// The code axis.
    pub axis: CodeAxis,
    /// The cells of each case row (parallel to `cases`), sorted by column; empty cells are
    /// absent.
    rows: Vec<Vec<(usize, Ids)>>,
    /// Cells marked explicitly negative: (row, column).
    negative: BTreeSet<(usize, usize)>,
    /// Summaries by (row, column).
    summaries: BTreeMap<(usize, usize), CellSummary>,
    case_positions: BTreeMap<CaseId, usize>,
    /// Every case of the data at build time, on the axis or filtered out.
    known_cases: BTreeSet<CaseId>,
    /// What the passage rule needs of every admitted coding.
    spans: IdMap<CodingId, PassageSpan>,
    /// Passages of the cells with two or more codings, by (row, column); a cell with one
    /// coding is one passage.
    passages: BTreeMap<(usize, usize), usize>,
}

impl Matrix {
    /// (row, column) of the cell of a case and the column that is this code.
    fn code_cell(&self, case_id: CaseId, code_id: CodeId) -> Option<(usize, usize)> {
        Some((
            *self.case_positions.get(&case_id)?,
            self.axis.column_of_code(code_id)?,
        ))
    }

    /// Recounts the passages of one cell (after a build or a change).
    fn count_passages(&mut self, row: usize, column: usize) {
        let ids = self
            .rows
            .get(row)
            .and_then(|cells| find(cells, column))
            .map_or(&[][..], Ids::as_slice);
        if ids.len() < 2 {
            self.passages.remove(&(row, column));
            return;
        }
        let spans: Vec<PassageSpan> = ids
            .iter()
            .filter_map(|coding_id| self.spans.get(coding_id).copied())
            .collect();
        self.passages.insert((row, column), passage_count(&spans));
    }

    /// The code axis: codes (or roles) in order.
    pub fn columns(&self) -> &[Column] {
        &self.axis.columns
    }

    /// The cell of a case and a column (blank when nothing is there).
    pub fn cell(&self, case_id: CaseId, column: usize) -> Cell<'_> {
        let Some(row) = self.case_positions.get(&case_id).copied() else {
            return Cell {
                coding_ids: &[],
                passages: 0,
                negative: false,
                summary: None,
            };
        };
        let coding_ids = self
            .rows
            .get(row)
            .and_then(|cells| find(cells, column))
            .map_or(&[][..], Ids::as_slice);
        Cell {
            coding_ids,
            passages: self
                .passages
                .get(&(row, column))
                .copied()
                .unwrap_or(coding_ids.len().min(1)),
            negative: self.negative.contains(&(row, column)),
            summary: self.summaries.get(&(row, column)),
        }
    }

    /// Decompression: the segments of a cell, each with its document and span, sorted by
    /// document name, start, end and coding id, ready to open the transcript there.
    pub fn segments_of<'d>(
        &self,
        data: &'d AnalysisData,
        case_id: CaseId,
        column: usize,
    ) -> Vec<(&'d str, &'d Segment)> {
        let mut located: Vec<(&str, &Segment)> = self
            .cell(case_id, column)
            .coding_ids
            .iter()
            .filter_map(|coding_id| data.segment(*coding_id))
            .map(|segment| {
                let document = data
                    .document(segment.document_id)
                    .map_or("", |document| document.name.as_str());
                (document, segment)
            })
            .collect();
        located.sort_by(|(a_doc, a), (b_doc, b)| {
            (a_doc, a.start, a.end, a.coding_id).cmp(&(b_doc, b.start, b.end, b.coding_id))
        });
        located
    }

    /// Sums of every column, in column order: segments, and the number of cases coded.
    pub fn column_totals(&self) -> Vec<Totals> {
        let mut totals = vec![Totals::default(); self.axis.columns.len()];
        for (row, cells) in self.rows.iter().enumerate() {
            for (column, ids) in cells {
                if let Some(total) = totals.get_mut(*column) {
                    total.segments += self.cell_passages(row, *column, ids);
                    total.codings += ids.as_slice().len();
                    total.coded += 1;
                }
            }
        }
        totals
    }

    /// Sums of one case: its segments over all columns, and the number of columns coded.
    pub fn case_totals(&self, case_id: CaseId) -> Totals {
        let mut totals = Totals::default();
        let Some(row) = self.case_positions.get(&case_id).copied() else {
            return totals;
        };
        for (column, ids) in self.rows.get(row).into_iter().flatten() {
            totals.segments += self.cell_passages(row, *column, ids);
            totals.codings += ids.as_slice().len();
            totals.coded += 1;
        }
        totals
    }

    fn cell_passages(&self, row: usize, column: usize, ids: &Ids) -> usize {
        self.passages
            .get(&(row, column))
            .copied()
            .unwrap_or(ids.as_slice().len().min(1))
    }

    /// The same matrix with the other axis down the side.
    pub fn transposed(mut self) -> Matrix {
        self.options.orientation = match self.options.orientation {
            Orientation::CasesAsRows => Orientation::CodesAsRows,
            Orientation::CodesAsRows => Orientation::CasesAsRows,
        };
        self
    }

    /// Adds one new coding's segment to its cells without recomputing anything else.
    pub fn insert_segment(&mut self, segment: &Segment) -> Update {
        self.change(segment, true)
    }

    /// Removes one coding's segment from its cells.
    pub fn remove_segment(&mut self, segment: &Segment) -> Update {
        self.change(segment, false)
    }

    fn change(&mut self, segment: &Segment, insert: bool) -> Update {
        if !self.axis.fits(segment.code_id) || !self.known_cases.contains(&segment.case_id) {
            return Update::Rebuild;
        }
        if !self.options.filter.admits_segment(segment) {
            return Update::Unchanged;
        }
        let Some(row_index) = self.case_positions.get(&segment.case_id).copied() else {
            return Update::Unchanged; // a case the filter leaves out
        };
        let Some(row) = self.rows.get_mut(row_index) else {
            return Update::Unchanged;
        };
        let mut changed = false;
        let mut touched = Vec::new();
        for column in self.axis.columns_of(segment.code_id) {
            touched.push(*column);
            let at = row.binary_search_by_key(column, |(column, _)| *column);
            changed |= match (at, insert) {
                (Ok(at), true) => row
                    .get_mut(at)
                    .is_some_and(|(_, ids)| ids.insert(segment.coding_id)),
                (Err(at), true) => {
                    row.insert(at, (*column, Ids::One(segment.coding_id)));
                    true
                }
                (Ok(at), false) => {
                    let (removed, empty) = row
                        .get_mut(at)
                        .map_or((false, false), |(_, ids)| ids.remove(segment.coding_id));
                    if empty {
                        row.remove(at);
                    }
                    removed
                }
                (Err(_), false) => false,
            };
        }
        if !changed {
            return Update::Unchanged;
        }
        if insert {
            self.spans
                .insert(segment.coding_id, PassageSpan::from(segment));
        }
        for column in touched {
            self.count_passages(row_index, column);
        }
        if !insert {
            self.spans.remove(&segment.coding_id);
        }
        Update::Applied
    }
}

/// The coding ids of one cell, sorted. Most cells of a focus-code matrix hold one coding,
/// which then needs no allocation of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ids {
    One(CodingId),
    /// Two or more.
    Many(Vec<CodingId>),
}

impl Ids {
    fn as_slice(&self) -> &[CodingId] {
        match self {
            Ids::One(one) => std::slice::from_ref(one),
            Ids::Many(many) => many,
        }
    }

    /// Adds an id; false when it was there.
    fn insert(&mut self, coding_id: CodingId) -> bool {
        let mut ids = self.as_slice().to_vec();
        let Err(at) = ids.binary_search(&coding_id) else {
            return false;
        };
        ids.insert(at, coding_id);
        *self = Ids::Many(ids);
        true
    }

    /// Removes an id; returns (removed, now empty).
    fn remove(&mut self, coding_id: CodingId) -> (bool, bool) {
        let mut ids = self.as_slice().to_vec();
        let Ok(at) = ids.binary_search(&coding_id) else {
            return (false, false);
        };
        ids.remove(at);
        let empty = ids.is_empty();
        if let [one] = ids.as_slice() {
            *self = Ids::One(*one);
        } else if !empty {
            *self = Ids::Many(ids);
        }
        (true, empty)
    }
}

/// The cell of a column in a row sorted by column.
fn find(cells: &[(usize, Ids)], column: usize) -> Option<&Ids> {
    cells
        .binary_search_by_key(&column, |(column, _)| *column)
        .ok()
        .and_then(|at| cells.get(at))
        .map(|(_, ids)| ids)
}
