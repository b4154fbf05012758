//! What the 一致率 tab hands the 調整 tab: one disagreement (a code in a document between two
//! coders, optionally narrowed to a range), and how both show a statistic that may be
//! undefined (never as NaN).

use crate::model::{CodeId, DocumentId};

/// A disagreement to reconcile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    pub document_id: DocumentId,
    pub code_id: CodeId,
    /// Coder A's and coder B's names.
    pub first: String,
    pub second: String,
    /// Only spans that overlap `[start, end)`; `None`: the whole document.
    pub range: Option<(usize, usize)>,
}

/// A statistic with three decimals, or `undefined` (κ where Pe = 1, α without variation).
pub fn statistic_text(value: Option<f64>, undefined: &str) -> String {
    match value {
        Some(value) if value.is_finite() => format!("{value:.3}"),
        _ => undefined.to_owned(),
    }
}

/// A share as a percentage with one decimal, or `undefined`.
pub fn percent_text(value: Option<f64>, undefined: &str) -> String {
    match value {
        Some(value) if value.is_finite() => format!("{:.1} %", value * 100.0),
        _ => undefined.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undefined_kappa_reads_as_a_dash_never_nan() {
        assert_eq!(statistic_text(None, "—"), "—");
        assert_eq!(statistic_text(Some(f64::NAN), "—"), "—");
        assert_eq!(statistic_text(Some(0.31818), "—"), "0.318");
        assert_eq!(percent_text(Some(0.85), "—"), "85.0 %");
    }
}
