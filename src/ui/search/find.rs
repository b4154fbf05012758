//! One search of the 検索・KWIC tab, from the query to the sorted KWIC lines: the search copy
//! of every document (built once, then refreshed where texts changed), the hits, the speaker
//! scope, the context of each hit. In a large project it runs on a worker thread (issue 17)
//! while the lines found before stay on screen; the index is shared with the worker behind a
//! lock, so that a search started while another runs waits for it rather than reading every
//! text again.

use std::sync::{Arc, Mutex};

use crate::analysis::AnalysisData;
use crate::corpus::{ScopeMap, SearchIndex, SearchMode, TextLayer, TextScope};
use crate::project::Project;
use crate::ui::jobs::Progress;
use crate::ui::search::view::{HitOrder, KwicRow, kwic_rows, sort_rows};

/// The search copy of every document and the project generation it is up to date for.
pub type SharedIndex = Arc<Mutex<Option<(u64, SearchIndex)>>>;

/// What one search asks.
#[derive(Clone)]
pub struct Query {
    pub text: String,
    pub mode: SearchMode,
    pub scope: TextScope,
    /// Characters of context on each side.
    pub width: usize,
    pub order: HitOrder,
    /// The project generation the search reads.
    pub generation: u64,
}

/// What one search found: the query it answers and the lines, sorted by `query.order`.
pub struct Found {
    pub query: Query,
    pub rows: Vec<KwicRow>,
}

/// Runs `query`: brings the index up to date for the query's generation (after a change only
/// the documents whose text changed are read again), finds the hits in the scope and builds
/// their KWIC lines. `None` when cancelled.
pub fn find(
    project: &Project,
    index: &SharedIndex,
    layer: Option<&TextLayer>,
    data: &AnalysisData,
    query: Query,
    progress: &Progress,
) -> anyhow::Result<Option<Found>> {
    let mut slot = index
        .lock()
        .map_err(|_| anyhow::anyhow!("a search failed while reading the documents"))?;
    match &mut *slot {
        Some((built_for, index)) if *built_for != query.generation => {
            index.refresh(project)?;
            *built_for = query.generation;
        }
        Some(_) => {}
        None => *slot = Some((query.generation, SearchIndex::build(project)?)),
    }
    let Some((_, index)) = &*slot else {
        return Ok(None);
    };
    if progress.is_cancelled() {
        return Ok(None);
    }
    let mut hits = index.search(project, &query.text, query.mode, layer)?;
    drop(slot);
    ScopeMap::build(project, &query.scope)?.retain_hits(&mut hits);
    if progress.is_cancelled() {
        return Ok(None);
    }
    let mut rows = kwic_rows(hits, data, query.width);
    sort_rows(&mut rows, query.order);
    Ok(Some(Found { query, rows }))
}
