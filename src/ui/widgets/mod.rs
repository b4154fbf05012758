//! What two or more views share: the grouping and level combo boxes (they return the choice and
//! send nothing), the filter widget of the matrix, crosstab and export window (it edits an
//! `analysis::Filter` and sends nothing), the ※ memo marker (a click sends
//! `Action::EditMemo`), the path field with its 参照… button (export, KWIC export, re-import) and
//! the wrapped quotation cell of the orphan and re-import tables.

pub mod disagreement;
pub mod filter;
pub(super) mod group_by;
pub(super) mod level_combo;
pub(super) mod memo_marker;
pub(super) mod path_field;
pub(super) mod text_cell;
