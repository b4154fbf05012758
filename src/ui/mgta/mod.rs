//! The M-GTA tab: 分析テーマ and 分析焦点者, the concepts with their number of variations (so
//! saturation shows), the 分析ワークシート of the selected concept (定義 and 理論的メモ edited in
//! place, variations moved, hidden and linked back to the transcript), the 理論的メモノート, and
//! the 結果図 canvas ([`diagram`]: boxes dragged into place, labelled arrows). It sends
//! [`crate::command::MgtaCommand`]s (and `EditCode` for a 定義). Labels are Japanese only: they
//! are the method's own terms.

pub mod diagram;
pub mod view;
