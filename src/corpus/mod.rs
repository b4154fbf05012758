//! The project's texts as a corpus: the Japanese text layer over a project. It keeps the token
//! index up to date (tokenizing only documents that are new or whose dictionary changed, in
//! parallel), and answers search, KWIC and word-frequency questions with exact code-point spans
//! that can be coded.

pub mod autocode;
mod build;
pub mod freq;
pub mod index;
pub mod kwic;
pub mod rules;
pub mod scope;
pub mod search;

pub use index::{IndexReport, TextLayer, ensure_index};
pub use scope::{ScopeMap, SpeakerScope, TextScope};
pub use search::{Hit, IndexedSearch, SearchIndex, SearchMode, search};
