//! Revising a transcript after coding: the text edits that turn one version into the next
//! ([`edits`]: from a character diff or given directly) and where every coded span lands
//! afterwards ([`anchor`]). Pure functions over code points; the command that applies them is
//! `command::revise`, the rows it writes live in `store::revision`.
//!
//! The rules, for a coding `[s, e)` and an edit that replaces `[a, b)` of the old text:
//! - text inserted before the coding (or exactly at its start) shifts it; inserted strictly
//!   inside grows it; inserted exactly at its end leaves it alone;
//! - text deleted (or replaced) inside it shrinks (or resizes) it;
//! - a deletion that overlaps only part of it clips it to what remains, flagged 要確認;
//! - a replacement of exactly its text moves it onto the new text, flagged 要確認;
//! - a deletion of its whole text orphans it: it leaves the text but keeps everything else.

pub mod anchor;
pub mod edits;
pub mod preview;

pub use anchor::{Fate, RevisionPlan, SpanChange, map_point, plan_revision, reanchor};
pub use edits::{TextEdit, apply_edits, check_edits, diff_texts, inverse_edits, replace_all};
pub use preview::{CodingPreview, Revision};

use sha2::{Digest, Sha256};

/// The SHA-256 of a stored text's UTF-8 bytes, as 64 lowercase hex digits: equal for the same
/// text whatever encoding or line ends the file had (the stored text is decoded, LF).
pub fn text_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}
