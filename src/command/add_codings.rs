//! Applying codes to spans (`Command::AddCodings`): every new coding is checked against its
//! document, its code and the codings already stored, given an id and a GUID, and stored; the
//! inverse deletes exactly those rows.
//!
//! A bulk import (a million codings from a CSV) is a pipeline: one thread checks the codings
//! and builds their rows, a few thousand at a time, while the transaction's thread stores the
//! previous ones, so that the checks cost no time of their own on a machine with two cores.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::apply::Ids;
use super::{Command, NewCoding};
use crate::model::{
    CodeId, CoderId, Coding, CodingId, DocumentId, DocumentInfo, RowKeys, Rows, Span,
};
use crate::store::{BulkCoding, CodingKey, IdTable, Tx};
use crate::{Error, Result};

/// Up to this many new codings, each is checked against the stored ones by an indexed lookup;
/// more, and the stored codings of their documents are read once.
const FEW_CODINGS: usize = 32;

/// From this many new codings on, their GUIDs are sorted on every core.
const PARALLEL_SORT: usize = 10_000;

/// Rows handed from the checking thread to the storing one at a time.
const CHUNK: usize = 16_384;

pub(super) fn add_codings(tx: &Tx<'_>, codings: Vec<NewCoding>) -> Result<Command> {
    let reader = tx.read();
    let now = tx.now()?;
    let mut ids = Ids::of(tx, IdTable::Codings)?;
    // The documents and codes named: few, looked up once each.
    let mut documents: BTreeMap<DocumentId, DocumentInfo> = BTreeMap::new();
    let mut codes: BTreeSet<CodeId> = BTreeSet::new();
    for coding in &codings {
        if let std::collections::btree_map::Entry::Vacant(entry) =
            documents.entry(coding.document_id)
        {
            let Some(info) = reader.document_info(coding.document_id)? else {
                return Err(Error::NoSuchDocument(format!("id {}", coding.document_id)));
            };
            entry.insert(info);
        }
        if !codes.contains(&coding.code_id) {
            if reader.code(coding.code_id)?.is_none() {
                return Err(Error::NoSuchCode(format!("id {}", coding.code_id)));
            }
            codes.insert(coding.code_id);
        }
    }
    // The codings already there: for a bulk import read once (a million lookups took most of
    // it); for the few codings of a click, looked up one by one (reading every coding of the
    // document took most of a coding command on a large project, above all on a server).
    let few = codings.len() <= FEW_CODINGS;
    let stored_keys = if few {
        HashSet::new()
    } else {
        let touched: BTreeSet<DocumentId> = documents.keys().copied().collect();
        reader.coding_keys(&touched)?
    };
    let mut maker = RowMaker::new(&documents, &stored_keys, &codings);
    // Random v4 GUIDs in ascending order along the ids: the unique index on guid then grows at
    // one place per batch instead of at a random page per row (a million codings imported in
    // half the time).
    let mut guids: Vec<uuid::Uuid> = (0..codings.len()).map(|_| uuid::Uuid::new_v4()).collect();
    if codings.len() > PARALLEL_SORT {
        use rayon::prelude::*;
        guids.par_sort_unstable();
    } else {
        guids.sort_unstable();
    }
    if few {
        let mut rows = Rows::default();
        for (coding, guid) in codings.into_iter().zip(guids) {
            let (code_id, document_id) = (coding.code_id, coding.document_id);
            let (span, _) = maker.check(&coding, |span, coder| {
                Ok(reader
                    .find_coding(code_id, document_id, span, coder)?
                    .is_some())
            })?;
            let coder = coding.coder.trim().to_owned();
            rows.codings.push(Coding {
                id: CodingId(ids.take()),
                guid: guid.to_string(),
                document_id,
                code_id,
                span,
                coder,
                memo: coding.memo,
                created_at: now.clone(),
                exemplar: false,
            });
        }
        return Command::InsertRows(Box::new(rows)).apply(tx);
    }
    let count = codings.len();
    // Each chunk comes with the coder names first met in it; its rows carry the numbers the
    // checking thread gave those names, which this thread turns into the coders' ids.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Chunk>>(4);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let empty = || Chunk {
                coders: Vec::new(),
                rows: Vec::with_capacity(CHUNK),
            };
            let mut chunk = empty();
            let mut coders_sent = 0;
            for (coding, guid) in codings.into_iter().zip(guids) {
                let id = CodingId(ids.take());
                match maker.check(&coding, |_, _| Ok(false)) {
                    Ok((span, coder)) => {
                        chunk.coders.extend(
                            maker
                                .coders
                                .get(coders_sent..)
                                .into_iter()
                                .flatten()
                                .cloned(),
                        );
                        coders_sent = maker.coders.len();
                        chunk.rows.push(BulkCoding {
                            id,
                            guid,
                            document_id: coding.document_id,
                            code_id: coding.code_id,
                            span,
                            coder_id: CoderId(coder as i64),
                            memo: coding.memo,
                            created_at: None,
                            exemplar: false,
                        });
                    }
                    Err(error) => {
                        // The storing thread returns this error; nothing more is sent.
                        let _ = sender.send(Err(error));
                        return;
                    }
                }
                if chunk.rows.len() == CHUNK {
                    let full = std::mem::replace(&mut chunk, empty());
                    if sender.send(Ok(full)).is_err() {
                        return; // the storing thread failed and stopped listening
                    }
                }
            }
            if !chunk.rows.is_empty() {
                let _ = sender.send(Ok(chunk));
            }
        });
        let mut stored = Vec::with_capacity(count);
        let mut coder_ids: Vec<CoderId> = Vec::new();
        for chunk in receiver {
            let mut chunk = chunk?;
            for name in &chunk.coders {
                coder_ids.push(tx.ensure_coder(name)?);
            }
            for row in &mut chunk.rows {
                row.coder_id = usize::try_from(row.coder_id.0)
                    .ok()
                    .and_then(|number| coder_ids.get(number))
                    .copied()
                    .ok_or_else(|| Error::Conflict("a coding names no coder".to_owned()))?;
            }
            tx.insert_bulk_codings(&chunk.rows, &now)?;
            stored.extend(chunk.rows.iter().map(|row| row.id));
        }
        // The inverse `InsertRows` of the same rows would return.
        Ok(Command::DeleteRows(RowKeys {
            codings: stored,
            ..RowKeys::default()
        }))
    })
}

/// Rows handed from the checking thread to the storing one, with the coder names they are the
/// first to name (in the order of their numbers).
struct Chunk {
    coders: Vec<String>,
    rows: Vec<BulkCoding>,
}

/// Checks new codings one by one.
struct RowMaker<'a> {
    documents: &'a BTreeMap<DocumentId, DocumentInfo>,
    /// The stored codings of the documents (for a bulk import; empty otherwise).
    stored_keys: &'a HashSet<CodingKey>,
    /// The new codings come strictly sorted (as a file import hands them over), so none
    /// repeats another and no set of their keys is needed.
    strictly_sorted: bool,
    /// The coder names met so far (trimmed), numbered in that order.
    coders: Vec<String>,
    /// Each coder name numbered once: hashing a million keys that each held a copy of the
    /// coder's name was a tenth of an import.
    coder_numbers: HashMap<String, usize>,
    seen: HashSet<(CodeId, DocumentId, usize, usize, usize)>,
}

impl<'a> RowMaker<'a> {
    fn new(
        documents: &'a BTreeMap<DocumentId, DocumentInfo>,
        stored_keys: &'a HashSet<CodingKey>,
        codings: &[NewCoding],
    ) -> RowMaker<'a> {
        // The coders are compared only where all else is equal: reading a million names
        // (scattered in memory after the file's rows were sorted) took a tenth of an import.
        let strictly_sorted = codings.windows(2).all(|pair| match pair {
            [a, b] => (a.document_id, a.start, a.end, a.code_id)
                .cmp(&(b.document_id, b.start, b.end, b.code_id))
                .then_with(|| a.coder.trim().cmp(b.coder.trim()))
                .is_lt(),
            _ => true,
        });
        RowMaker {
            documents,
            stored_keys,
            strictly_sorted,
            coders: Vec::new(),
            coder_numbers: HashMap::new(),
            seen: HashSet::with_capacity(if strictly_sorted { 0 } else { codings.len() }),
        }
    }

    /// Checks one new coding: its span and its coder's number in [`RowMaker::coders`], or why
    /// it cannot be stored. `stored` says whether the project holds the same coding already
    /// (for the few codings of a click).
    fn check(
        &mut self,
        coding: &NewCoding,
        stored: impl FnOnce(Span, &str) -> Result<bool>,
    ) -> Result<(Span, usize)> {
        let Some(document) = self.documents.get(&coding.document_id) else {
            return Err(Error::NoSuchDocument(format!("id {}", coding.document_id)));
        };
        let span = Span::new(&document.name, document.chars, coding.start, coding.end)?;
        let coder = coding.coder.trim();
        if coder.is_empty() {
            return Err(Error::Conflict("the coder name is empty".to_owned()));
        }
        let number = match self.coders.last() {
            // Rows of one coder come in runs: most rows need no lookup.
            Some(last) if last == coder => self.coders.len() - 1,
            _ => match self.coder_numbers.get(coder) {
                Some(number) => *number,
                None => {
                    self.coders.push(coder.to_owned());
                    self.coder_numbers
                        .insert(coder.to_owned(), self.coders.len() - 1);
                    self.coders.len() - 1
                }
            },
        };
        let already = stored(span, coder)?
            || (!self.stored_keys.is_empty()
                && self.stored_keys.contains(&(
                    coding.code_id,
                    coding.document_id,
                    span,
                    coder.to_owned(),
                )));
        let repeated = !self.strictly_sorted
            && !self.seen.insert((
                coding.code_id,
                coding.document_id,
                span.start,
                span.end,
                number,
            ));
        if already || repeated {
            return Err(Error::Conflict(format!(
                "document '{}' [{}, {}) already has this code from coder '{coder}'",
                document.name, span.start, span.end
            )));
        }
        Ok((span, number))
    }
}
