//! What two or more views share: the grouping and level combo boxes (they return the choice and
//! send nothing).

pub(super) mod group_by;
pub(super) mod level_combo;
