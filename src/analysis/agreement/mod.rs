//! Inter-coder agreement between two coders, per code × document, pooled per code and
//! overall: the 2 × 2 counts over units (a unit counts as coded by a coder when any of its
//! characters is), percent agreement, Cohen's κ (NVivo's definition), Krippendorff's α
//! (nominal, binary per code over the units) and MAXQDA-style segment agreement (two segments
//! match when they overlap by at least a chosen share of their union; unmatched ones are
//! listed).
//!
//! QualCoder's "kappa" is not Cohen's κ (it counts both terms inside the union of coded text
//! only, so "neither" is always 0); this module counts every unit of every document in scope.

mod stats;
mod units;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use stats::{Counts, krippendorff_alpha_nominal};
pub use units::Unit;
use units::{covered, intersection, merged, shared, touched_units, unit_spans};

use super::data::{AnalysisData, Segment};
use crate::model::{CodeId, CodingId, DocumentId};

/// MAXQDA's default: segments match when they overlap by 90 %.
pub const DEFAULT_SEGMENT_OVERLAP: f64 = 0.9;

/// What to compare.
#[derive(Clone, Debug, PartialEq)]
pub struct AgreementOptions {
    /// The two coders, by name.
    pub coders: (String, String),
    pub unit: Unit,
    /// Only these codes (exact codes; empty: every code either coder used).
    pub codes: BTreeSet<CodeId>,
    /// Only these documents (empty: every document).
    pub documents: BTreeSet<DocumentId>,
    /// Segment agreement: the least overlap (intersection over union) for two segments to
    /// match, as a fraction.
    pub segment_overlap: f64,
}

impl AgreementOptions {
    /// Character unit, every code and document, 90 % segment overlap.
    pub fn new(first: &str, second: &str) -> AgreementOptions {
        AgreementOptions {
            coders: (first.to_owned(), second.to_owned()),
            unit: Unit::Character,
            codes: BTreeSet::new(),
            documents: BTreeSet::new(),
            segment_overlap: DEFAULT_SEGMENT_OVERLAP,
        }
    }
}

/// A segment without a partner of the other coder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnmatchedSegment {
    pub coding_id: CodingId,
    pub coder: String,
    pub document: String,
    pub start: usize,
    pub end: usize,
    /// `A-23`.
    pub citation: Option<String>,
    pub text: String,
}

/// MAXQDA-style agreement of one code's segments.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SegmentAgreement {
    /// Segments of the first and second coder.
    pub segments_a: usize,
    pub segments_b: usize,
    /// Of those, how many have a partner of the other coder.
    pub matched_a: usize,
    pub matched_b: usize,
    /// (matched_a + matched_b) / (segments_a + segments_b); `None` without segments.
    pub agreement: Option<f64>,
    /// Every segment without a partner, by document and position.
    pub unmatched: Vec<UnmatchedSegment>,
}

/// One code in one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentAgreement {
    pub document_id: DocumentId,
    pub document: String,
    pub counts: Counts,
}

/// One code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeAgreement {
    pub code_id: CodeId,
    /// `カテゴリー/サブカテゴリー/焦点コード`.
    pub code_path: String,
    /// Documents where either coder used the code, by name (the others count as "neither"
    /// in `pooled`).
    pub documents: Vec<DocumentAgreement>,
    /// Over every unit of every document in scope.
    pub pooled: Counts,
    pub segments: SegmentAgreement,
}

/// The whole comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    pub coders: (String, String),
    pub unit: Unit,
    /// Units per code: the sum over the documents in scope.
    pub units_per_code: u64,
    /// Codes in tree order.
    pub codes: Vec<CodeAgreement>,
    /// Every code × unit pooled.
    pub overall: Counts,
}

impl Agreement {
    /// Compares two coders' codings.
    pub fn compute(data: &AnalysisData, options: &AgreementOptions) -> Agreement {
        let (first, second) = (&options.coders.0, &options.coders.1);
        let in_scope = |document_id: &DocumentId| {
            options.documents.is_empty() || options.documents.contains(document_id)
        };
        // (code, document) → each coder's segments.
        let mut spans: BTreeMap<(CodeId, DocumentId), [Vec<&Segment>; 2]> = BTreeMap::new();
        for segment in data.segments() {
            let side = if segment.coder == *first {
                0
            } else if segment.coder == *second {
                1
            } else {
                continue;
            };
            if !in_scope(&segment.document_id)
                || !(options.codes.is_empty() || options.codes.contains(&segment.code_id))
            {
                continue;
            }
            let entry = spans
                .entry((segment.code_id, segment.document_id))
                .or_default();
            if let Some(list) = entry.get_mut(side) {
                list.push(segment);
            }
        }
        let documents: Vec<_> = data.documents().filter(|d| in_scope(&d.id)).collect();
        let unit_lists: BTreeMap<DocumentId, Option<Vec<(usize, usize)>>> = documents
            .iter()
            .map(|document| (document.id, unit_spans(options.unit, document)))
            .collect();
        let unit_count = |document_id: DocumentId| -> u64 {
            match unit_lists.get(&document_id) {
                Some(Some(units)) => units.len() as u64,
                _ => data.document(document_id).map_or(0, |d| d.chars as u64),
            }
        };
        let units_per_code: u64 = documents.iter().map(|d| unit_count(d.id)).sum();
        let mut codes: BTreeSet<CodeId> = spans.keys().map(|(code_id, _)| *code_id).collect();
        codes.extend(options.codes.iter().copied());
        let tree = data.tree();
        let order: BTreeMap<CodeId, usize> = (tree.walk().into_iter().enumerate())
            .map(|(position, code_id)| (code_id, position))
            .collect();
        let mut codes: Vec<CodeId> = codes.into_iter().collect();
        codes.sort_by_key(|code_id| (order.get(code_id).copied().unwrap_or(usize::MAX), *code_id));
        let mut result = Vec::with_capacity(codes.len());
        let mut overall = Counts::default();
        for code_id in codes {
            let mut code = CodeAgreement {
                code_id,
                code_path: tree.path_string(code_id),
                documents: Vec::new(),
                pooled: Counts::default(),
                segments: SegmentAgreement::default(),
            };
            let mut coded_units = 0u64;
            for ((_, document_id), [a, b]) in
                spans.range((code_id, DocumentId(i64::MIN))..=(code_id, DocumentId(i64::MAX)))
            {
                let total = unit_count(*document_id);
                let merged_a = merged(&a.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>());
                let merged_b = merged(&b.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>());
                let (both, only_a, only_b) = match unit_lists.get(document_id) {
                    Some(Some(units)) => {
                        let touched_a = touched_units(units, &merged_a);
                        let touched_b = touched_units(units, &merged_b);
                        let both = shared(&touched_a, &touched_b);
                        (
                            both,
                            touched_a.len() as u64 - both,
                            touched_b.len() as u64 - both,
                        )
                    }
                    _ => {
                        let both = intersection(&merged_a, &merged_b);
                        (both, covered(&merged_a) - both, covered(&merged_b) - both)
                    }
                };
                let counts = Counts {
                    both,
                    a_only: only_a,
                    b_only: only_b,
                    neither: total.saturating_sub(both + only_a + only_b),
                };
                coded_units += both + only_a + only_b;
                code.pooled.both += both;
                code.pooled.a_only += only_a;
                code.pooled.b_only += only_b;
                code.documents.push(DocumentAgreement {
                    document_id: *document_id,
                    document: data
                        .document(*document_id)
                        .map_or_else(String::new, |d| d.name.clone()),
                    counts,
                });
                match_segments(data, &mut code.segments, a, b, options.segment_overlap);
            }
            code.pooled.neither = units_per_code.saturating_sub(coded_units);
            code.documents.sort_by(|x, y| x.document.cmp(&y.document));
            code.segments.unmatched.sort_by(|x, y| {
                (&x.document, x.start, x.end, &x.coder).cmp(&(
                    &y.document,
                    y.start,
                    y.end,
                    &y.coder,
                ))
            });
            let total = code.segments.segments_a + code.segments.segments_b;
            code.segments.agreement = (total > 0)
                .then(|| (code.segments.matched_a + code.segments.matched_b) as f64 / total as f64);
            overall.add(code.pooled);
            result.push(code);
        }
        Agreement {
            coders: options.coders.clone(),
            unit: options.unit,
            units_per_code,
            codes: result,
            overall,
        }
    }

    /// The JSON of `casecode agreement --json` (field names fixed by the issue; fractions,
    /// `null` where a coefficient is undefined).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let counts = |c: &Counts| {
            json!({
                "both": c.both, "a_only": c.a_only, "b_only": c.b_only, "neither": c.neither,
                "agreement": c.agreement(), "kappa": c.kappa(),
            })
        };
        json!({
            "coders": [self.coders.0, self.coders.1],
            "unit": self.unit.as_str(),
            "units_per_code": self.units_per_code,
            "codes": self.codes.iter().map(|code| {
                let mut pooled = counts(&code.pooled);
                pooled["alpha"] = json!(code.pooled.alpha());
                json!({
                    "code_path": code.code_path,
                    "documents": code.documents.iter().map(|document| {
                        let mut row = counts(&document.counts);
                        row["document"] = json!(document.document);
                        row
                    }).collect::<Vec<_>>(),
                    "pooled": pooled,
                    "segments": code.segments,
                })
            }).collect::<Vec<_>>(),
            "overall": {
                "both": self.overall.both, "a_only": self.overall.a_only,
                "b_only": self.overall.b_only, "neither": self.overall.neither,
                "agreement": self.overall.agreement(),
                "kappa": self.overall.kappa(),
                "alpha": self.overall.alpha(),
            },
        })
    }
}

/// Share of the union of two spans that both cover.
fn overlap(a: &Segment, b: &Segment) -> f64 {
    let both = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let union = a.end.max(b.end) - a.start.min(b.start);
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// The words of a segment: its stored quote, or (from a snapshot loaded without quotes, as the
/// agreement CLI loads it) cut from its document's text. Only unmatched segments are quoted,
/// so the walk over the text is paid for those alone.
fn quote(data: &AnalysisData, segment: &Segment) -> String {
    if !segment.text.is_empty() {
        return segment.text.clone();
    }
    data.document(segment.document_id)
        .map(|document| {
            (document.text.chars())
                .skip(segment.start)
                .take(segment.end.saturating_sub(segment.start))
                .collect()
        })
        .unwrap_or_default()
}

/// Counts the segments of one code in one document and which have a partner.
fn match_segments(
    data: &AnalysisData,
    into: &mut SegmentAgreement,
    a: &[&Segment],
    b: &[&Segment],
    threshold: f64,
) {
    let threshold = threshold.clamp(0.0, 1.0);
    let mut record = |segment: &Segment, others: &[&Segment], matched: &mut usize| {
        if others
            .iter()
            .any(|other| overlap(segment, other) >= threshold.max(f64::MIN_POSITIVE))
        {
            *matched += 1;
        } else {
            into.unmatched.push(UnmatchedSegment {
                coding_id: segment.coding_id,
                coder: segment.coder.clone(),
                document: data
                    .document(segment.document_id)
                    .map_or_else(String::new, |d| d.name.clone()),
                start: segment.start,
                end: segment.end,
                citation: segment.citation.clone(),
                text: quote(data, segment),
            });
        }
    };
    let mut matched_a = 0;
    for segment in a {
        record(segment, b, &mut matched_a);
    }
    let mut matched_b = 0;
    for segment in b {
        record(segment, a, &mut matched_b);
    }
    into.segments_a += a.len();
    into.segments_b += b.len();
    into.matched_a += matched_a;
    into.matched_b += matched_b;
}
