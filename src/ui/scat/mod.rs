//! The SCAT tab: the worksheet of one document as a table (番号, 発話者, テクスト and 〈1〉–〈5〉,
//! rows sized to their text), an editor for the selected row (テクスト read-only and selectable,
//! the five steps edited in place — IME included — a selection of the テクスト added to 〈1〉 in
//! one click, the 〈4〉 theme turned into a code), and the three free-text blocks below. It sends
//! [`crate::command::ScatCommand`]s; clicking a row's テクスト shows the utterance in the
//! transcript. Labels are Japanese only: they are the method's own terms (no English UI yet).

pub mod view;
