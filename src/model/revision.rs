//! What a transcript revision leaves for the researcher to review: codings flagged 要確認
//! (clipped or replaced) and orphans, codings whose text was deleted, kept whole until they
//! are re-attached to a span or deleted.

use serde::{Deserialize, Serialize};

use super::{Coding, SummaryId};

/// Why a coding that stayed in the text needs review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewReason {
    /// A deletion took part of its text.
    Clipped,
    /// Its exact text was replaced; it now covers the replacement.
    Replaced,
}

impl ReviewReason {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewReason::Clipped => "clipped",
            ReviewReason::Replaced => "replaced",
        }
    }

    /// Parses the stored name.
    pub fn parse(name: &str) -> Option<ReviewReason> {
        match name {
            "clipped" => Some(ReviewReason::Clipped),
            "replaced" => Some(ReviewReason::Replaced),
            _ => None,
        }
    }

    /// How the workbench and the CLI say it.
    pub fn label(self) -> &'static str {
        match self {
            ReviewReason::Clipped => "要確認（一部削除）",
            ReviewReason::Replaced => "要確認（置換）",
        }
    }
}

/// Why a coding became an orphan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrphanReason {
    /// Its whole text was deleted.
    Deleted,
    /// It landed on the same span as another coding of the same code by the same coder.
    Duplicate,
}

impl OrphanReason {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrphanReason::Deleted => "deleted",
            OrphanReason::Duplicate => "duplicate",
        }
    }

    /// Parses the stored name.
    pub fn parse(name: &str) -> Option<OrphanReason> {
        match name {
            "deleted" => Some(OrphanReason::Deleted),
            "duplicate" => Some(OrphanReason::Duplicate),
            _ => None,
        }
    }

    /// How the workbench and the CLI say it.
    pub fn label(self) -> &'static str {
        match self {
            OrphanReason::Deleted => "本文が削除された",
            OrphanReason::Duplicate => "同じ範囲に同じコーディングがある",
        }
    }
}

/// A coding flagged 要確認 by a revision, keyed by the coding's GUID (never reused, so a flag
/// cannot pass to another coding), with the text it covered before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodingReview {
    pub coding_guid: String,
    pub reason: ReviewReason,
    pub old_text: String,
}

/// A coding whose text a revision deleted: the coding as it was (id, GUID, code, coder, memo,
/// exemplar flag, old span), the text it covered and the summaries that cited it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orphan {
    pub id: i64,
    pub coding: Coding,
    pub old_text: String,
    pub summary_ids: Vec<SummaryId>,
    pub reason: OrphanReason,
    pub orphaned_at: String,
}
