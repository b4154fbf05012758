//! The 一致率 tab: choose two coders, the unit and the segment overlap, compute inter-coder
//! agreement on a background job, and read it per code (both / A only / B only / neither,
//! percent agreement, Cohen's κ, Krippendorff's α, segment agreement) with the unmatched
//! segments listed. It sends nothing: a click on a disagreement returns a
//! [`crate::ui::widgets::disagreement::Disagreement`] that the centre opens in the 調整 tab.

pub mod view;
