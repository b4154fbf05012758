//! A one-off substring search through the stored character index (migration 0012): the hits
//! of every indexed document come from the positions of the query's characters, without
//! reading any text; the few documents without a current index (new, or changed since) are
//! read and scanned as before, and indexed for the next search. The hits are exactly those of
//! [`search`](super::search) in [`SearchMode::Substring`](super::SearchMode::Substring):
//! same spans, texts, citations and order (tests/search_char_index.rs compares them).

use std::collections::{BTreeMap, HashMap};

use super::{Hit, UnstoredFold, case_names, search_copy};
use crate::model::DocumentId;
use crate::project::Project;
use crate::store::{DocumentName, SearchText};
use crate::text::CharIndex;
use crate::text::char_postings::{FoldMap, decode_positions, postings_of, query_starts};
use crate::text::fold::{fold_query, fold_recipe};
use crate::text::search::find_substring;
use crate::text::speakers::utterance_at;
use crate::{Error, Result};

/// A hit before its citation: stored-text span `[start, end)` and its text.
type FoundSpan = (usize, usize, String);

/// The hits of one indexed search, with the index of the documents it had to scan.
pub struct IndexedSearch {
    pub hits: Vec<Hit>,
    unindexed: Vec<UnindexedDocument>,
    /// On a team server: the scan's index, whose new search copies [`IndexedSearch::store`]
    /// stores as before.
    scanned: Option<super::SearchIndex>,
}

/// A document scanned because it had no current index: what storing its index needs.
struct UnindexedDocument {
    document_id: DocumentId,
    text_hash: String,
    fold_map: Vec<u8>,
    postings: Vec<(char, Vec<u8>)>,
    /// Its search copy, when that was folded now too.
    fold: Option<UnstoredFold>,
}

impl IndexedSearch {
    /// Finds `query` (a substring after folding, as [`SearchMode::Substring`]) in every
    /// document; hits sorted by document name and start. A project on a team server is
    /// scanned (its index is not kept there).
    ///
    /// [`SearchMode::Substring`]: super::SearchMode::Substring
    pub fn run(project: &Project, query: &str) -> Result<IndexedSearch> {
        if query.trim().is_empty() {
            return Err(Error::Conflict("the search query is empty".to_owned()));
        }
        if project.server().is_some() {
            let index = super::SearchIndex::build(project)?;
            let hits = index.search(project, query, super::SearchMode::Substring, None)?;
            return Ok(IndexedSearch {
                hits,
                unindexed: Vec::new(),
                scanned: Some(index),
            });
        }
        let reader = project.read();
        let recipe = fold_recipe();
        let documents = reader.document_names()?;
        // Kept encoded: only the documents where the query stands are decoded.
        let mut maps: BTreeMap<DocumentId, Vec<u8>> = reader.search_index_maps(&recipe)?;
        let query_chars: Vec<char> = fold_query(query).chars().collect();
        // The positions of each distinct query character in every indexed document.
        let mut positions: HashMap<char, HashMap<DocumentId, Vec<usize>>> = HashMap::new();
        for &c in &query_chars {
            if positions.contains_key(&c) {
                continue;
            }
            let mut by_document = HashMap::new();
            for (document_id, bytes) in reader.search_postings(c)? {
                if !maps.contains_key(&document_id) {
                    continue;
                }
                // A damaged list makes its document one to scan (and index again).
                match decode_positions(&bytes) {
                    Some(list) => {
                        by_document.insert(document_id, list);
                    }
                    None => {
                        maps.remove(&document_id);
                    }
                }
            }
            positions.insert(c, by_document);
        }
        let cases = case_names(project)?;
        let mut hits = Vec::new();
        let mut unindexed = Vec::new();
        let mut found = Vec::new();
        let empty = Vec::new();
        for document in &documents {
            let spans: Vec<FoundSpan> = match maps.get(&document.id) {
                Some(bytes) => {
                    let lists: Vec<&[usize]> = query_chars
                        .iter()
                        .map(|c| {
                            positions
                                .get(c)
                                .and_then(|by_document| by_document.get(&document.id))
                                .unwrap_or(&empty)
                                .as_slice()
                        })
                        .collect();
                    let starts = if query_chars.is_empty() {
                        Vec::new()
                    } else {
                        query_starts(&lists)
                    };
                    match (starts.is_empty(), FoldMap::decode(bytes)) {
                        (true, _) => Vec::new(),
                        (false, Some(map)) => {
                            let mut spans: Vec<FoundSpan> = starts
                                .into_iter()
                                .filter_map(|start| {
                                    let (from, to) =
                                        map.original_span(start, start + query_chars.len())?;
                                    Some((from, to, map.original_text(start, &query_chars)))
                                })
                                .collect();
                            spans.dedup();
                            spans
                        }
                        // A damaged map: scan the document (and index it again).
                        (false, None) => {
                            scan_document(&reader, document, &recipe, query, &mut unindexed)?
                        }
                    }
                }
                None => scan_document(&reader, document, &recipe, query, &mut unindexed)?,
            };
            if !spans.is_empty() {
                found.push((document, spans));
            }
        }
        // The citations: each document's utterances, in one query when many documents have
        // hits (one per document costs more then), else one per document.
        let mut all_utterances = if found.len() > 64 {
            Some(reader.utterances_by_document()?)
        } else {
            None
        };
        for (document, spans) in found {
            let utterances = match &mut all_utterances {
                Some(all) => all.remove(&document.id).unwrap_or_default(),
                None => reader.utterances(document.id)?,
            };
            let case = cases.get(&document.case_id).cloned().unwrap_or_default();
            hits.extend(spans.into_iter().map(|(start, end, text)| {
                Hit {
                    document: document.name.clone(),
                    utterance: utterance_at(&utterances, start, |u| u.start)
                        .map(|u| format!("{case}-{}", u.number)),
                    case: case.clone(),
                    start,
                    end,
                    text,
                }
            }));
        }
        Ok(IndexedSearch {
            hits,
            unindexed,
            scanned: None,
        })
    }

    /// Stores the character index (and search copy) of the documents this search scanned, so
    /// that the next search reads their positions instead; returns how many. Derived data,
    /// outside undo. On a team server: the search copies it folded, as a scan stores them.
    pub fn store(&mut self, project: &mut Project) -> Result<usize> {
        if let Some(index) = &mut self.scanned {
            return index.store_folds(project);
        }
        if self.unindexed.is_empty() {
            return Ok(0);
        }
        let recipe = fold_recipe();
        let tx = project.derived_data_transaction()?;
        for document in &self.unindexed {
            if let Some(fold) = &document.fold {
                tx.write_search_fold(fold.document_id, &fold.text_hash, &recipe, &fold.patches)?;
            }
            tx.write_search_index(
                document.document_id,
                &document.text_hash,
                &recipe,
                &document.fold_map,
                &document.postings,
            )?;
        }
        tx.commit()?;
        Ok(std::mem::take(&mut self.unindexed).len())
    }
}

/// The spans of `query` in a document without a current index: read, scanned, and its index
/// made (kept in `unindexed` for storing).
fn scan_document(
    reader: &crate::store::Reader<'_>,
    document: &DocumentName,
    recipe: &str,
    query: &str,
    unindexed: &mut Vec<UnindexedDocument>,
) -> Result<Vec<FoundSpan>> {
    let Some(stored) = reader.search_text(document.id, recipe)? else {
        return Ok(Vec::new());
    };
    let (spans, indexed) = scan(&document.name, stored, query)?;
    unindexed.push(indexed);
    Ok(spans)
}

/// Scans one document as [`SearchIndex::search`](super::SearchIndex::search) does, and makes
/// its index.
fn scan(
    name: &str,
    stored: SearchText,
    query: &str,
) -> Result<(Vec<FoundSpan>, UnindexedDocument)> {
    let text = String::from_utf8(stored.text).map_err(|_| {
        Error::Conflict(format!(
            "document '{name}': the stored text is not UTF-8 (damaged project file?)"
        ))
    })?;
    let (folded, fold) = search_copy(stored.document_id, &text, &stored.text_hash, stored.patches);
    let indexed = UnindexedDocument {
        document_id: stored.document_id,
        text_hash: stored.text_hash,
        fold_map: FoldMap::new(&text, &folded).encode(),
        postings: postings_of(folded.as_str()),
        fold,
    };
    let index = CharIndex::new(text);
    let spans = find_substring(&folded, query)
        .into_iter()
        .map(|(start, end)| {
            let text = index.slice(start, end).unwrap_or_default().to_owned();
            (start, end, text)
        })
        .collect();
    Ok((spans, indexed))
}
