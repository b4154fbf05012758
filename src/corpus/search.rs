//! Search over all documents: substrings of any length on the folded search copy, regular
//! expressions on the stored text, and morphological search by base form (支援する finds
//! 支援し, 支援して, 支援した). Every hit is a code-point span that can be coded.

use std::collections::BTreeSet;

use regex::Regex;
use serde::Serialize;

use super::index::{TextLayer, lexicon};
use crate::model::{DocumentInfo, TokenSpan, Utterance};
use crate::project::Project;
use crate::text::CharIndex;
use crate::text::fold::FoldedText;
use crate::text::search::{find_regex, find_substring};
use crate::text::speakers::utterance_at;
use crate::{Error, Result};

mod refresh;

/// How a query is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchMode {
    /// Substring after NFKC and lower-casing of both sides; any length, also one character.
    Substring,
    /// A regular expression (Rust `regex` syntax) on the stored text.
    Regex,
    /// The query's words by base form, in sequence.
    BaseForm,
}

/// One hit: a span of a document, ready to be coded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub document: String,
    pub case: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `A-23`, or `null` before the first speaker turn.
    pub utterance: Option<String>,
}

/// Searches every document; hits sorted by document name and start. `layer` is needed for
/// [`SearchMode::BaseForm`] (whose token index must be current: see `ensure_index`). Builds a
/// [`SearchIndex`] for this one query; a long-lived caller (the GUI) keeps one instead.
pub fn search(
    project: &Project,
    query: &str,
    mode: SearchMode,
    layer: Option<&TextLayer>,
) -> Result<Vec<Hit>> {
    SearchIndex::build_for(project, mode == SearchMode::Substring)?
        .search(project, query, mode, layer)
}

/// Every document's text, search copy and utterances in memory, so that a query is a scan of
/// memory (a one-character term over 30 MB in milliseconds) rather than a read of the project.
pub struct SearchIndex {
    documents: Vec<IndexedDocument>,
    cases: std::collections::BTreeMap<crate::model::CaseId, String>,
}

struct IndexedDocument {
    info: DocumentInfo,
    text: CharIndex,
    /// The search copy; `None` when built for other searches only (folded when needed).
    folded: Option<FoldedText>,
    utterances: Vec<Utterance>,
    /// The stored hash of the text (see [`SearchIndex::refresh`]).
    hash: Option<String>,
}

impl SearchIndex {
    /// Reads and folds every document (in parallel).
    pub fn build(project: &Project) -> Result<SearchIndex> {
        SearchIndex::build_for(project, true)
    }

    /// Reads every document, folding the search copies only when `substring` searches come
    /// (a one-off regular expression or base-form search does not need them).
    fn build_for(project: &Project, substring: bool) -> Result<SearchIndex> {
        let reader = project.read();
        let mut loaded = Vec::new();
        for info in reader.document_infos()? {
            let text = reader.document_text(info.id)?.unwrap_or_default();
            let utterances = reader.utterances(info.id)?;
            let hash = reader.document_hash(info.id)?;
            loaded.push((info, text, utterances, hash));
        }
        use rayon::prelude::*;
        let documents = loaded
            .into_par_iter()
            .map(|(info, text, utterances, hash)| IndexedDocument {
                folded: substring.then(|| FoldedText::new(&text)),
                text: CharIndex::new(text),
                info,
                utterances,
                hash,
            })
            .collect();
        Ok(SearchIndex {
            documents,
            cases: case_names(project)?,
        })
    }

    /// Runs one query; hits sorted by document name and start.
    pub fn search(
        &self,
        project: &Project,
        query: &str,
        mode: SearchMode,
        layer: Option<&TextLayer>,
    ) -> Result<Vec<Hit>> {
        if query.trim().is_empty() {
            return Err(Error::Conflict("the search query is empty".to_owned()));
        }
        let regex = match mode {
            SearchMode::Regex => Some(Regex::new(query).map_err(|error| {
                Error::Conflict(format!(
                    "'{query}' is not a valid regular expression: {error}"
                ))
            })?),
            _ => None,
        };
        let pattern = match (mode, layer) {
            (SearchMode::BaseForm, Some(layer)) => {
                Some(BaseFormPattern::new(project, layer, query)?)
            }
            (SearchMode::BaseForm, None) => {
                return Err(Error::Conflict(
                    "base-form search needs the Japanese dictionary".to_owned(),
                ));
            }
            _ => None,
        };
        let reader = project.read();
        let mut hits = Vec::new();
        for document in &self.documents {
            let spans = match mode {
                SearchMode::Substring => match &document.folded {
                    Some(folded) => find_substring(folded, query),
                    None => find_substring(&FoldedText::new(document.text.text()), query),
                },
                SearchMode::Regex => regex
                    .as_ref()
                    .map(|regex| find_regex(document.text.text(), regex))
                    .unwrap_or_default(),
                SearchMode::BaseForm => match (&pattern, reader.tokens(document.info.id)?) {
                    (Some(pattern), Some(tokens)) => pattern.find(&tokens),
                    _ => Vec::new(),
                },
            };
            hits.extend(spans.into_iter().map(|(start, end)| {
                hit(
                    &document.info,
                    &self.cases,
                    &document.text,
                    &document.utterances,
                    start,
                    end,
                )
            }));
        }
        Ok(hits)
    }
}

/// Builds a hit with its text and citation.
pub(crate) fn hit(
    info: &DocumentInfo,
    cases: &std::collections::BTreeMap<crate::model::CaseId, String>,
    index: &CharIndex,
    utterances: &[Utterance],
    start: usize,
    end: usize,
) -> Hit {
    let case = cases.get(&info.case_id).cloned().unwrap_or_default();
    Hit {
        document: info.name.clone(),
        utterance: utterance_at(utterances, start, |u| u.start)
            .map(|u| format!("{case}-{}", u.number)),
        case,
        start,
        end,
        text: index.slice(start, end).unwrap_or_default().to_owned(),
    }
}

pub(crate) use crate::listing::case_names;

/// A query as a sequence of lexeme sets: position `i` matches any lexeme whose base form is
/// the `i`-th word's base form.
pub(crate) struct BaseFormPattern {
    positions: Vec<BTreeSet<i64>>,
}

impl BaseFormPattern {
    pub(crate) fn new(
        project: &Project,
        layer: &TextLayer,
        query: &str,
    ) -> Result<BaseFormPattern> {
        let words: Vec<String> = layer
            .tokenize(query)
            .into_iter()
            .map(|token| token.base_form)
            .collect();
        if words.is_empty() {
            return Err(Error::Conflict(format!(
                "'{query}' has no words to search for"
            )));
        }
        let lexicon = lexicon(project)?;
        let positions = words
            .iter()
            .map(|word| {
                lexicon
                    .values()
                    .filter(|lexeme| &lexeme.base_form == word)
                    .map(|lexeme| lexeme.id)
                    .collect()
            })
            .collect();
        Ok(BaseFormPattern { positions })
    }

    /// Spans of consecutive tokens matching the pattern.
    pub(crate) fn find(&self, tokens: &[TokenSpan]) -> Vec<(usize, usize)> {
        let length = self.positions.len();
        if length == 0 || self.positions.iter().any(BTreeSet::is_empty) {
            return Vec::new();
        }
        tokens
            .windows(length)
            .filter(|window| {
                window
                    .iter()
                    .zip(&self.positions)
                    .all(|(token, set)| set.contains(&token.lexeme_id))
            })
            .filter_map(|window| Some((window.first()?.start, window.last()?.end)))
            .collect()
    }
}
