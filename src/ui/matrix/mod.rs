//! The 事例-コード・マトリックス tab: options, the virtualised grid and the selected cell. Sends
//! `Action::ShowSegment` and the cell commands (`SetSummary`, `SetCellState`).

pub(super) mod cell;
pub(super) mod grid;
pub mod view;
