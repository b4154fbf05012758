//! The 共起 tab: code × code co-occurrence as a table and as a network painted with egui's
//! painter (codes as circles sized by segments, lines as wide as their Jaccard index).

pub mod network;
pub mod view;
