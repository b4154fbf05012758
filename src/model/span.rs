//! Spans of stored text in Unicode code points, half-open `[start, end)`, as REFI-QDA counts them.

use serde::{Deserialize, Serialize};

use crate::Error;

/// A checked, non-empty span `[start, end)` in code points of one document's stored text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First code point of the span.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl Span {
    /// Checks `start < end <= chars` and builds the span; `document` names the text in the error.
    pub fn new(document: &str, chars: usize, start: usize, end: usize) -> Result<Span, Error> {
        if start >= end {
            return Err(Error::InvalidSpan {
                document: document.to_owned(),
                start,
                end,
                reason: if start == end {
                    "the span is empty (start must be less than end)".to_owned()
                } else {
                    "start is after end".to_owned()
                },
            });
        }
        if end > chars {
            return Err(Error::InvalidSpan {
                document: document.to_owned(),
                start,
                end,
                reason: format!("the document has only {chars} characters"),
            });
        }
        Ok(Span { start, end })
    }

    /// Number of code points covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Spans are never empty; provided for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when the two spans share at least one code point.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}
