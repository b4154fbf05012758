//! The 自動コーディング tab: load KH Coder `.cod` or casecode RON rules, preview the
//! sentences or utterances they match, and accept suggestions all at once or one by one
//! (each acceptance one undoable command).

pub mod view;
