//! What two or more views share. Widgets send nothing themselves: they return the choice.

pub(super) mod group_by;
