//! The 検索・KWIC tab: substring, regex and morphological search as KWIC lines, and the word
//! frequency list. Sends `Action::ShowSegment` and `AddCodings` (code all hits).

pub mod export;
pub mod find;
pub mod frequency;
pub mod scope;
pub mod view;
