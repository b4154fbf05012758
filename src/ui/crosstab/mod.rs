//! The クロス集計 tab: codes × the values of an attribute, with tests and a bar chart. Read-only:
//! it sends nothing.

pub mod chart;
pub mod view;
