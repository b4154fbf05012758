//! The analysis layer: the case-code matrix (事例-コード・マトリックス), the crosstab by
//! attribute, code co-occurrence and code frequencies. Pure functions over one
//! [`AnalysisData`] snapshot: no SQL, no UI. The CLI prints them; the GUI and the exports read
//! the same structures.
//!
//! # Counting rules (the same in every analysis)
//! - **Segments are counted per coding.** A span coded with two focus codes of the same
//!   subcategory counts **twice** at the subcategory level, and a span coded by two coders
//!   counts twice. A coding is never split or merged with another.
//! - **Cases are counted distinct.** The same span counts **once** for "cases"; so does a case
//!   with twenty segments.
//! - **Roll-up.** At a level of depth `d` (0 = カテゴリー, 1 = サブカテゴリー, 2 = 焦点コード)
//!   a coding counts in the column of its code's ancestor at depth `d`. A code *shallower*
//!   than `d` keeps a column of its own when it is a leaf or has codings of its own; that
//!   column counts only the code's own codings (its children have their own columns). So no
//!   coding is ever lost by choosing a deeper level.
//! - **Roles.** A code belongs to the roles given to it or to any of its ancestors. A coding
//!   counts once in every role its code belongs to (a code in two roles counts in both).
//! - **Cells.** A cell with codings is *coded*; without codings it is *explicitly negative*
//!   when the researcher marked that (case, code) negative, and *not mentioned* otherwise.
//!   Summaries and marks belong to the exact code they were written on and are shown when
//!   that code is a column; they are never rolled up.

pub mod agreement;
pub mod axis;
pub mod cooccurrence;
pub mod crosstab;
pub mod data;
pub mod filter;
pub mod frequency;
mod idhash;
pub mod matrix;
pub mod network;
pub mod passages;
pub mod render;
pub mod stats;

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;

pub use axis::{Column, ColumnKey, Level, Scope};
pub use cooccurrence::{Cooccurrence, CooccurrenceMode};
pub use crosstab::{Count, Crosstab};
pub use data::{AnalysisData, CellSummary, CodingTable, CountedCoding, DocumentEntry, Segment};
pub use filter::Filter;
pub use frequency::Frequencies;
pub use matrix::{Cell, CellStatus, Matrix, MatrixOptions, Orientation, Totals, Update};
pub use network::{Network, NetworkOptions};
