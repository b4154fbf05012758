//! Applying codes to spans (`Command::AddCodings`): every new coding is checked against its
//! document, its code and the codings already stored, given an id and a GUID, and stored; the
//! inverse deletes exactly those rows.
//!
//! A bulk import (a million codings from a CSV) is a pipeline: one thread checks the codings
//! and builds their rows, a few thousand at a time, while the transaction's thread stores the
//! previous ones, so that the checks cost no time of their own on a machine with two cores.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::apply::{Ids, new_guid};
use super::{Command, NewCoding};
use crate::model::{CodeId, Coding, CodingId, DocumentId, DocumentInfo, RowKeys, Rows, Span};
use crate::store::{CodingKey, IdTable, Tx};
use crate::{Error, Result};

/// Up to this many new codings, each is checked against the stored ones by an indexed lookup;
/// more, and the stored codings of their documents are read once.
const FEW_CODINGS: usize = 32;

/// From this many new codings on, their GUIDs are made on every core.
const PARALLEL_GUIDS: usize = 10_000;

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
    let mut maker = RowMaker::new(&documents, &stored_keys, &codings, &now);
    // The GUIDs in ascending order along the ids: the unique index on guid then grows at one
    // place per batch instead of at a random page per row (a million codings imported in half
    // the time). They stay random v4 UUIDs.
    let guids: Vec<String> = if codings.len() > PARALLEL_GUIDS {
        // Made and sorted on every core: a system call for randomness each.
        use rayon::prelude::*;
        let mut guids: Vec<String> = (0..codings.len())
            .into_par_iter()
            .map(|_| new_guid())
            .collect();
        guids.par_sort_unstable();
        guids
    } else {
        let mut guids: Vec<String> = (0..codings.len()).map(|_| new_guid()).collect();
        guids.sort_unstable();
        guids
    };
    if few {
        let mut rows = Rows::default();
        for (coding, guid) in codings.into_iter().zip(guids) {
            let (code_id, document_id) = (coding.code_id, coding.document_id);
            let id = CodingId(ids.take());
            let row = maker.row(coding, id, guid, |span, coder| {
                Ok(reader
                    .find_coding(code_id, document_id, span, coder)?
                    .is_some())
            })?;
            rows.codings.push(row);
        }
        return Command::InsertRows(Box::new(rows)).apply(tx);
    }
    let count = codings.len();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<Coding>>>(4);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            for (coding, guid) in codings.into_iter().zip(guids) {
                let id = CodingId(ids.take());
                match maker.row(coding, id, guid, |_, _| Ok(false)) {
                    Ok(row) => chunk.push(row),
                    Err(error) => {
                        // The storing thread returns this error; nothing more is sent.
                        let _ = sender.send(Err(error));
                        return;
                    }
                }
                if chunk.len() == CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                    if sender.send(Ok(full)).is_err() {
                        return; // the storing thread failed and stopped listening
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = sender.send(Ok(chunk));
            }
        });
        let mut stored = Vec::with_capacity(count);
        for chunk in receiver {
            let chunk = chunk?;
            tx.insert_codings(&chunk)?;
            stored.extend(chunk.iter().map(|row| row.id));
        }
        // The inverse `InsertRows` of the same rows would return.
        Ok(Command::DeleteRows(RowKeys {
            codings: stored,
            ..RowKeys::default()
        }))
    })
}

/// Checks new codings one by one and builds their rows.
struct RowMaker<'a> {
    documents: &'a BTreeMap<DocumentId, DocumentInfo>,
    /// The stored codings of the documents (for a bulk import; empty otherwise).
    stored_keys: &'a HashSet<CodingKey>,
    /// The new codings come strictly sorted (as a file import hands them over), so none
    /// repeats another and no set of their keys is needed.
    strictly_sorted: bool,
    /// Each coder name numbered once: hashing a million keys that each held a copy of the
    /// coder's name was a tenth of an import.
    coder_numbers: HashMap<String, usize>,
    seen: HashSet<(CodeId, DocumentId, usize, usize, usize)>,
    now: &'a str,
}

impl<'a> RowMaker<'a> {
    fn new(
        documents: &'a BTreeMap<DocumentId, DocumentInfo>,
        stored_keys: &'a HashSet<CodingKey>,
        codings: &[NewCoding],
        now: &'a str,
    ) -> RowMaker<'a> {
        let strictly_sorted = codings.windows(2).all(|pair| match pair {
            [a, b] => {
                (a.document_id, a.start, a.end, a.code_id, a.coder.trim())
                    < (b.document_id, b.start, b.end, b.code_id, b.coder.trim())
            }
            _ => true,
        });
        RowMaker {
            documents,
            stored_keys,
            strictly_sorted,
            coder_numbers: HashMap::new(),
            seen: HashSet::with_capacity(if strictly_sorted { 0 } else { codings.len() }),
            now,
        }
    }

    /// The row of one new coding, or why it cannot be stored. `stored` says whether the
    /// project holds the same coding already (for the few codings of a click).
    fn row(
        &mut self,
        coding: NewCoding,
        id: CodingId,
        guid: String,
        stored: impl FnOnce(Span, &str) -> Result<bool>,
    ) -> Result<Coding> {
        let Some(document) = self.documents.get(&coding.document_id) else {
            return Err(Error::NoSuchDocument(format!("id {}", coding.document_id)));
        };
        let span = Span::new(&document.name, document.chars, coding.start, coding.end)?;
        // The name as given when it needs no trimming (most do not): no copy per row.
        let coder = match coding.coder.trim() {
            trimmed if trimmed.len() == coding.coder.len() => coding.coder,
            trimmed => trimmed.to_owned(),
        };
        if coder.is_empty() {
            return Err(Error::Conflict("the coder name is empty".to_owned()));
        }
        let already = stored(span, &coder)?
            || (!self.stored_keys.is_empty()
                && self.stored_keys.contains(&(
                    coding.code_id,
                    coding.document_id,
                    span,
                    coder.clone(),
                )));
        let repeated = !self.strictly_sorted && {
            let coder_number = match self.coder_numbers.get(&coder) {
                Some(number) => *number,
                None => {
                    let number = self.coder_numbers.len();
                    self.coder_numbers.insert(coder.clone(), number);
                    number
                }
            };
            !self.seen.insert((
                coding.code_id,
                coding.document_id,
                span.start,
                span.end,
                coder_number,
            ))
        };
        if already || repeated {
            return Err(Error::Conflict(format!(
                "document '{}' [{}, {}) already has this code from coder '{coder}'",
                document.name, span.start, span.end
            )));
        }
        Ok(Coding {
            id,
            guid,
            document_id: coding.document_id,
            code_id: coding.code_id,
            span,
            coder,
            memo: coding.memo,
            created_at: self.now.to_owned(),
            exemplar: false,
        })
    }
}
