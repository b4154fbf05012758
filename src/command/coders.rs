//! Renaming and merging coders (identity drift: `yamada` and `山田` are one person). Both
//! compile to primitives whose inverses restore ids exactly.

use std::collections::{BTreeMap, BTreeSet};

use super::Command;
use crate::model::{Coder, CodingId, RowKeys, Span};
use crate::store::{CoderReferences, Tx};
use crate::{Error, Result};

/// The coder with this name, or an error that lists the coders.
pub(super) fn existing_coder(tx: &Tx<'_>, name: &str) -> Result<Coder> {
    let name = name.trim();
    if let Some(coder) = tx.read().coder_by_name(name)? {
        return Ok(coder);
    }
    let known: Vec<String> = tx.read().coders()?.into_iter().map(|c| c.name).collect();
    Err(Error::Conflict(format!(
        "no coder named '{name}' (coders: {})",
        known.join(", ")
    )))
}

/// Renames a coder; its GUID, colour and everything it coded stay.
pub(super) fn rename_coder(tx: &Tx<'_>, name: &str, new_name: &str) -> Result<Command> {
    let coder = existing_coder(tx, name)?;
    let new_name = new_name.trim();
    if new_name.is_empty() {
        return Err(Error::Conflict("the new coder name is empty".to_owned()));
    }
    if new_name == coder.name {
        return Err(Error::Conflict(format!(
            "the coder is already named '{new_name}'"
        )));
    }
    if tx.read().coder_by_name(new_name)?.is_some() {
        return Err(Error::Conflict(format!(
            "a coder named '{new_name}' already exists: merge the two coders instead"
        )));
    }
    let renamed = Coder {
        name: new_name.to_owned(),
        ..coder.clone()
    };
    Command::SetCoders(vec![(coder.id, Some(renamed))]).apply(tx)
}

/// Merges coder `source` into `target`: every coding, summary and journal line of `source`
/// becomes `target`'s, and `source` is deleted. Where both coded the same code on the same
/// span, `target`'s coding stays and takes over `source`'s memo (appended), exemplar flag and
/// summary links; `source`'s duplicate goes.
pub(super) fn merge_coders(tx: &Tx<'_>, source: &str, target: &str) -> Result<Command> {
    let source = existing_coder(tx, source)?;
    let target = existing_coder(tx, target)?;
    if source.id == target.id {
        return Err(Error::Conflict(format!(
            "cannot merge coder '{}' into itself",
            source.name
        )));
    }
    let reader = tx.read();
    let codings = reader.codings()?;
    let target_spans: BTreeMap<(crate::model::CodeId, crate::model::DocumentId, Span), _> = codings
        .iter()
        .filter(|coding| coding.coder == target.name)
        .map(|coding| ((coding.code_id, coding.document_id, coding.span), coding))
        .collect();
    let mut references = reader.coder_references(source.id)?;
    let mut duplicates: BTreeMap<CodingId, CodingId> = BTreeMap::new();
    let mut memos = Vec::new();
    let mut exemplars = Vec::new();
    for coding in codings.iter().filter(|coding| coding.coder == source.name) {
        let Some(kept) = target_spans.get(&(coding.code_id, coding.document_id, coding.span))
        else {
            continue;
        };
        duplicates.insert(coding.id, kept.id);
        let memo = coding.memo.trim();
        if !memo.is_empty() && !kept.memo.contains(memo) {
            let joined = if kept.memo.trim().is_empty() {
                memo.to_owned()
            } else {
                format!("{}\n{}: {memo}", kept.memo, source.name)
            };
            memos.push((kept.id, joined));
        }
        if coding.exemplar && !kept.exemplar {
            exemplars.push((kept.id, true));
        }
    }
    references
        .codings
        .retain(|(coding_id, _)| !duplicates.contains_key(coding_id));
    let mut steps = Vec::new();
    if !memos.is_empty() {
        steps.push(Command::SetCodingMemos(memos));
    }
    if !exemplars.is_empty() {
        steps.push(Command::SetExemplars(exemplars));
    }
    for summary in reader.summaries()? {
        let links = reader.summary_links(summary.id)?;
        if !links.iter().any(|link| duplicates.contains_key(link)) {
            continue;
        }
        let relinked: BTreeSet<CodingId> = links
            .iter()
            .map(|link| duplicates.get(link).copied().unwrap_or(*link))
            .collect();
        steps.push(Command::ReplaceSummary {
            summary,
            links: relinked.into_iter().collect(),
        });
    }
    if !duplicates.is_empty() {
        steps.push(Command::DeleteRows(RowKeys {
            codings: duplicates.keys().copied().collect(),
            ..RowKeys::default()
        }));
    }
    let repointed = CoderReferences {
        codings: references
            .codings
            .iter()
            .map(|(id, _)| (*id, target.id))
            .collect(),
        summaries: references
            .summaries
            .iter()
            .map(|(id, _)| (*id, target.id))
            .collect(),
        journal: references
            .journal
            .iter()
            .map(|(id, _)| (*id, target.id))
            .collect(),
    };
    if !repointed.is_empty() {
        steps.push(Command::ReassignCoders(Box::new(repointed)));
    }
    steps.push(Command::SetCoders(vec![(source.id, None)]));
    Command::Batch(steps).apply(tx)
}
