//! The 調整 tab: one disagreement (a code in a document between two coders) as the same text
//! in lanes, coder A's spans, coder B's spans and the consensus so far, each in the coder's
//! colour, and five decisions (Aを採用 / Bを採用 / 和 / 積 / 破棄). A decision sends
//! `Command::Reconcile`, which writes consensus codings (coder 合意) as one undoable command.

pub mod view;
