//! What two or more views share: the grouping and level combo boxes (they return the choice and
//! send nothing), the filter widget of the matrix, crosstab and export window (it edits an
//! `analysis::Filter` and sends nothing) and the ※ memo marker (a click sends
//! `Action::EditMemo`).

pub mod filter;
pub(super) mod group_by;
pub(super) mod level_combo;
pub(super) mod memo_marker;
