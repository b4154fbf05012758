//! Text handling that every importer shares: decoding real Japanese files, speaker turns, and
//! code-point offsets.

pub mod char_postings;
pub mod dictionary;
pub mod encoding;
pub mod fold;
mod ipadic_source;
pub mod offsets;
pub mod search;
pub mod snap;
pub mod speakers;
pub mod stream;
pub mod tokenize;

pub use encoding::{Decoded, EncodingChoice, decode};
pub use offsets::CharIndex;
pub use speakers::{ParsedUtterance, SpeakerPatterns};
