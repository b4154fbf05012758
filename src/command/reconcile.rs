//! Reconciliation: where two coders disagree on a code in a document, the consensus layer
//! (coder 合意) takes one side's spans, their union or their intersection, or discards the
//! passage. Each decision writes consensus codings (with who reconciled, from which coders,
//! and how, in the coding memo; when, in its creation time) as one undoable command.

use serde::{Deserialize, Serialize};

use super::{Command, NewCoding};
use crate::model::{CONSENSUS_CODER, CodeId, CodingId, DocumentId, RowKeys};
use crate::store::Tx;
use crate::{Error, Result};

/// What the consensus takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Take {
    /// The first coder's spans.
    First,
    /// The second coder's spans.
    Second,
    /// Every character either coded.
    Union,
    /// Only the characters both coded.
    Intersection,
    /// Nothing: the passage is not coded in the consensus (consensus codings there go).
    Discard,
}

impl Take {
    /// Parses `a`, `b`, `union`, `intersection`, `discard`.
    pub fn parse(name: &str) -> Option<Take> {
        match name.trim() {
            "a" | "first" => Some(Take::First),
            "b" | "second" => Some(Take::Second),
            "union" => Some(Take::Union),
            "intersection" => Some(Take::Intersection),
            "discard" => Some(Take::Discard),
            _ => None,
        }
    }

    /// The decision in one word, for the history.
    pub fn describe_short(self) -> &'static str {
        match self {
            Take::First => "A を採用",
            Take::Second => "B を採用",
            Take::Union => "和",
            Take::Intersection => "共通部分",
            Take::Discard => "破棄",
        }
    }

    /// How the memo names the decision.
    fn describe(self, first: &str, second: &str) -> String {
        match self {
            Take::First => format!("{first} の範囲を採用"),
            Take::Second => format!("{second} の範囲を採用"),
            Take::Union => format!("{first} と {second} の和"),
            Take::Intersection => format!("{first} と {second} の共通部分"),
            Take::Discard => "破棄".to_owned(),
        }
    }
}

/// A reconciliation decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub document_id: DocumentId,
    pub code_id: CodeId,
    pub first: String,
    pub second: String,
    pub take: Take,
    /// Only spans that overlap this range (`None`: the whole document).
    pub range: Option<(usize, usize)>,
    /// Who reconciled.
    pub reconciler: String,
}

fn merged(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (start, end) in spans {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

fn intersect(a: &[(usize, usize)], b: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let (start, end) = (x.0.max(y.0), x.1.min(y.1));
            if start < end {
                out.push((start, end));
            }
        }
    }
    merged(out)
}

/// Applies a decision: the consensus codings of that code in the range are replaced by the
/// spans the decision takes.
pub(super) fn reconcile(tx: &Tx<'_>, decision: Reconciliation) -> Result<Command> {
    let reader = tx.read();
    let codings = reader.codings_of_document(decision.document_id)?;
    let overlaps = |start: usize, end: usize| {
        decision
            .range
            .is_none_or(|(from, to)| start < to && from < end)
    };
    let spans_of = |coder: &str| -> Vec<(usize, usize)> {
        (codings.iter())
            .filter(|c| c.code_id == decision.code_id && c.coder == coder)
            .filter(|c| overlaps(c.span.start, c.span.end))
            .map(|c| (c.span.start, c.span.end))
            .collect()
    };
    let (a, b) = (spans_of(&decision.first), spans_of(&decision.second));
    if a.is_empty() && b.is_empty() {
        return Err(Error::Conflict(format!(
            "neither {} nor {} coded this code there: nothing to reconcile",
            decision.first, decision.second
        )));
    }
    let taken = match decision.take {
        Take::First => a.clone(),
        Take::Second => b.clone(),
        Take::Union => merged(a.iter().chain(&b).copied().collect()),
        Take::Intersection => intersect(&merged(a.clone()), &merged(b.clone())),
        Take::Discard => Vec::new(),
    };
    let existing: Vec<(CodingId, (usize, usize))> = (codings.iter())
        .filter(|c| c.code_id == decision.code_id && c.coder == CONSENSUS_CODER)
        .filter(|c| overlaps(c.span.start, c.span.end))
        .map(|c| (c.id, (c.span.start, c.span.end)))
        .collect();
    let stale: Vec<CodingId> = (existing.iter())
        .filter(|(_, span)| !taken.contains(span))
        .map(|(id, _)| *id)
        .collect();
    let memo = format!(
        "合意: {}（{} が調整）",
        decision.take.describe(&decision.first, &decision.second),
        decision.reconciler
    );
    let new: Vec<NewCoding> = (taken.iter())
        .filter(|span| !existing.iter().any(|(_, e)| e == *span))
        .map(|(start, end)| NewCoding {
            document_id: decision.document_id,
            code_id: decision.code_id,
            start: *start,
            end: *end,
            coder: CONSENSUS_CODER.to_owned(),
            memo: memo.clone(),
        })
        .collect();
    if stale.is_empty() && new.is_empty() {
        return Err(Error::Conflict(
            "the consensus already reads so: nothing to change".to_owned(),
        ));
    }
    let mut steps = Vec::new();
    if !stale.is_empty() {
        steps.push(Command::DeleteRows(RowKeys {
            codings: stale,
            ..RowKeys::default()
        }));
    }
    if !new.is_empty() {
        steps.push(Command::AddCodings { codings: new });
    }
    Command::Batch(steps).apply(tx)
}
