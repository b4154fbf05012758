//! Search over all documents: substrings of any length on the folded search copy, regular
//! expressions on the stored text, and morphological search by base form (支援する finds
//! 支援し, 支援して, 支援した). Every hit is a code-point span that can be coded.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use regex::Regex;
use serde::Serialize;

use super::index::{TextLayer, lexicon};
use crate::model::{DocumentId, DocumentInfo, TokenSpan, Utterance};
use crate::project::Project;
use crate::store::SearchText;
use crate::text::CharIndex;
use crate::text::fold::{FoldedText, fold_recipe};
use crate::text::search::{find_regex, find_substring};
use crate::text::speakers::utterance_at;
use crate::{Error, Result};

mod indexed;
mod refresh;

pub use indexed::IndexedSearch;

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
    /// Search copies this build had to fold because the project held none for the text:
    /// [`SearchIndex::store_folds`] writes them.
    unstored: Vec<UnstoredFold>,
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

/// A search copy folded by a build, to be stored.
struct UnstoredFold {
    document_id: DocumentId,
    text_hash: String,
    patches: Vec<u8>,
}

impl SearchIndex {
    /// Reads every document with its search copy: the stored copy where it is current, else
    /// folded here (in parallel) and kept for [`SearchIndex::store_folds`].
    pub fn build(project: &Project) -> Result<SearchIndex> {
        SearchIndex::build_for(project, true)
    }

    /// [`SearchIndex::build`] for one kind of search: a one-off regular expression or
    /// base-form search needs no search copies.
    pub fn build_for_mode(project: &Project, mode: SearchMode) -> Result<SearchIndex> {
        SearchIndex::build_for(project, mode == SearchMode::Substring)
    }

    /// Reads every document, with the search copies only when `substring` searches come. The
    /// texts are checked, folded and indexed on every core while the next ones are read.
    fn build_for(project: &Project, substring: bool) -> Result<SearchIndex> {
        let reader = project.read();
        let infos = reader.document_infos()?;
        let positions: HashMap<DocumentId, usize> = infos
            .iter()
            .enumerate()
            .map(|(position, info)| (info.id, position))
            .collect();
        let built: Vec<Mutex<Option<Result<BuiltDocument>>>> =
            infos.iter().map(|_| Mutex::new(None)).collect();
        let recipe = fold_recipe();
        // The reading stays on this thread (the connection is not shared): `in_place_scope`.
        // The utterances are read after the texts, while the pool works on the last ones.
        let mut utterances = rayon::in_place_scope(|scope| {
            reader.each_search_text(&recipe, |stored| {
                let Some(&position) = positions.get(&stored.document_id) else {
                    return Ok(());
                };
                let Some(info) = infos.get(position).cloned() else {
                    return Ok(());
                };
                let slot = built.get(position);
                scope.spawn(move |_| {
                    let document = build_document(info, stored, substring);
                    if let Some(slot) = slot
                        && let Ok(mut slot) = slot.lock()
                    {
                        *slot = Some(document);
                    }
                });
                Ok(())
            })?;
            reader.utterances_by_document()
        })?;
        let mut documents = Vec::with_capacity(built.len());
        let mut unstored = Vec::new();
        for slot in built {
            let document = slot
                .into_inner()
                .map_err(|_| Error::Conflict("a search worker panicked".to_owned()))?;
            if let Some(document) = document {
                let (mut document, fold) = document?;
                document.utterances = utterances.remove(&document.info.id).unwrap_or_default();
                documents.push(document);
                unstored.extend(fold);
            }
        }
        Ok(SearchIndex {
            documents,
            cases: case_names(project)?,
            unstored,
        })
    }

    /// Stores the search copies this build folded, so that the next build reads them instead
    /// of folding every text again; returns how many. Derived data, outside undo (a later
    /// edit or revision of a text makes its copy stale, and the next build folds it again).
    pub fn store_folds(&mut self, project: &mut Project) -> Result<usize> {
        if self.unstored.is_empty() {
            return Ok(0);
        }
        let recipe = fold_recipe();
        let tx = project.derived_data_transaction()?;
        for fold in &self.unstored {
            tx.write_search_fold(fold.document_id, &fold.text_hash, &recipe, &fold.patches)?;
        }
        tx.commit()?;
        Ok(std::mem::take(&mut self.unstored).len())
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
        let hits_of = |document: &IndexedDocument, spans: Vec<(usize, usize)>| -> Vec<Hit> {
            spans
                .into_iter()
                .map(|(start, end)| {
                    hit(
                        &document.info,
                        &self.cases,
                        &document.text,
                        &document.utterances,
                        start,
                        end,
                    )
                })
                .collect()
        };
        let mut hits = Vec::new();
        if let Some(pattern) = &pattern {
            // The token index is read from the project, one document at a time.
            let reader = project.read();
            for document in &self.documents {
                if let Some(tokens) = reader.tokens(document.info.id)? {
                    hits.extend(hits_of(document, pattern.find(&tokens)));
                }
            }
            return Ok(hits);
        }
        // Substrings and regular expressions scan memory: every core takes documents.
        use rayon::prelude::*;
        let per_document: Vec<Vec<Hit>> = self
            .documents
            .par_iter()
            .map(|document| {
                let spans = match (&regex, &document.folded) {
                    (Some(regex), _) => find_regex(document.text.text(), regex),
                    (None, Some(folded)) => find_substring(folded, query),
                    (None, None) => find_substring(&FoldedText::new(document.text.text()), query),
                };
                hits_of(document, spans)
            })
            .collect();
        hits.extend(per_document.into_iter().flatten());
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

/// Stores the search copy of `text`, the text now stored for `document_id`, in `tx`: for the
/// paths that write a text (import, revision, edit) to call in their own transaction, so that
/// the next search finds the copy current instead of folding the text itself. Not needed for
/// correctness: a copy whose text hash differs from the document's is never used.
pub fn store_search_copy(
    tx: &crate::store::Tx<'_>,
    document_id: DocumentId,
    text: &str,
) -> Result<()> {
    let folded = FoldedText::new(text);
    tx.write_search_fold(
        document_id,
        &crate::revise::text_hash(text),
        &fold_recipe(),
        &folded.patches(text),
    )
}

/// A document ready for searching, with its search copy when it had to be folded.
type BuiltDocument = (IndexedDocument, Option<UnstoredFold>);

/// Checks a stored text, makes its search copy (when `substring`) and its index; the
/// utterances are left empty.
fn build_document(
    info: DocumentInfo,
    stored: SearchText,
    substring: bool,
) -> Result<BuiltDocument> {
    let text = String::from_utf8(stored.text).map_err(|_| {
        Error::Conflict(format!(
            "document '{}': the stored text is not UTF-8 (damaged project file?)",
            info.name
        ))
    })?;
    let (folded, unstored) = if substring {
        let (folded, unstored) =
            search_copy(stored.document_id, &text, &stored.text_hash, stored.patches);
        (Some(folded), unstored)
    } else {
        (None, None)
    };
    let document = IndexedDocument {
        folded,
        text: CharIndex::new(text),
        info,
        // Filled by the caller (read after the texts).
        utterances: Vec::new(),
        hash: Some(stored.text_hash),
    };
    Ok((document, unstored))
}

/// The search copy of a document: from its stored patches when they fit its text, else folded
/// now (and returned for storing).
fn search_copy(
    document_id: DocumentId,
    text: &str,
    text_hash: &str,
    patches: Option<Vec<u8>>,
) -> (FoldedText, Option<UnstoredFold>) {
    if let Some(folded) = patches
        .as_deref()
        .and_then(|patches| FoldedText::from_patches(text, patches))
    {
        return (folded, None);
    }
    let folded = FoldedText::new(text);
    let unstored = UnstoredFold {
        document_id,
        text_hash: text_hash.to_owned(),
        patches: folded.patches(text),
    };
    (folded, Some(unstored))
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::import::txt::{TxtOptions, collect_transcripts};
    use crate::revise::TextEdit;

    fn spans(hits: &[Hit]) -> Vec<(usize, usize, &str)> {
        hits.iter()
            .map(|hit| (hit.start, hit.end, hit.text.as_str()))
            .collect()
    }

    /// A researcher searches a project twice: the first search folds the text and stores its
    /// search copy, the second reads it back and finds the same spans. After a revision of
    /// the text, the stored copy no longer fits and the text is folded again, so the hits
    /// follow the new text; undoing the revision brings the first copy's hits back.
    #[test]
    fn a_stored_search_copy_is_used_until_the_text_changes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let folder = tmp.path().join("texts");
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::write(
            folder.join("A.txt"),
            "Ａ：ＮＩＣＵを出て、ｶﾞｰｾﾞの交換を𠮷田さんと。\nＩ：NICUですね。\n",
        )
        .expect("write");
        let mut project = Project::create(&tmp.path().join("p.casecode")).expect("project");
        let documents = collect_transcripts(&[folder], &TxtOptions::default())
            .expect("collect")
            .documents;
        project
            .execute(Command::ImportDocuments { documents })
            .expect("import");
        let expected = [(2, 6, "ＮＩＣＵ"), (28, 32, "NICU")];

        let mut first = SearchIndex::build(&project).expect("build");
        let hits = first
            .search(&project, "nicu", SearchMode::Substring, None)
            .expect("search");
        assert_eq!(spans(&hits), expected);
        assert_eq!(first.store_folds(&mut project).expect("store"), 1);
        assert_eq!(first.store_folds(&mut project).expect("again"), 0);

        let mut second = SearchIndex::build(&project).expect("build");
        assert_eq!(second.store_folds(&mut project).expect("nothing new"), 0);
        let hits = second
            .search(&project, "nicu", SearchMode::Substring, None)
            .expect("search");
        assert_eq!(spans(&hits), expected);
        let hits = second
            .search(&project, "ガーゼ", SearchMode::Substring, None)
            .expect("search");
        assert_eq!(spans(&hits), [(10, 15, "ｶﾞｰｾﾞ")]);

        let document_id = project.read().document_infos().expect("infos")[0].id;
        project
            .execute(Command::EditText {
                document_id,
                edits: vec![TextEdit {
                    start: 2,
                    end: 6,
                    text: "ＧＣＵ".to_owned(),
                }],
            })
            .expect("edit");
        let revised = SearchIndex::build(&project).expect("build");
        let hits = revised
            .search(&project, "nicu", SearchMode::Substring, None)
            .expect("search");
        assert_eq!(spans(&hits), [(27, 31, "NICU")]);
        let hits = revised
            .search(&project, "gcu", SearchMode::Substring, None)
            .expect("search");
        assert_eq!(spans(&hits), [(2, 5, "ＧＣＵ")]);

        // A writer of texts can store the copy in its own transaction: nothing is left to fold.
        let text = project
            .read()
            .document_text(document_id)
            .expect("read")
            .expect("text");
        let tx = project.derived_data_transaction().expect("tx");
        store_search_copy(&tx, document_id, &text).expect("store the copy");
        tx.commit().expect("commit");
        let mut current = SearchIndex::build(&project).expect("build");
        assert_eq!(current.store_folds(&mut project).expect("nothing"), 0);

        project.undo().expect("undo");
        let mut undone = SearchIndex::build(&project).expect("build");
        let hits = undone
            .search(&project, "nicu", SearchMode::Substring, None)
            .expect("search");
        assert_eq!(spans(&hits), expected);
        assert_eq!(undone.store_folds(&mut project).expect("store"), 1);
    }
}
