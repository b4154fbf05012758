//! What two or more views share: the grouping and level combo boxes (they return the choice and
//! send nothing) and the ※ memo marker (a click sends `Action::EditMemo`).

pub(super) mod group_by;
pub(super) mod level_combo;
pub(super) mod memo_marker;
