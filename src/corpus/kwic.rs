//! Concordance (KWIC), KH Coder-style: every occurrence of a word by base form with its left
//! context, the keyword as written, and its right context.

use serde::Serialize;

use super::index::TextLayer;
use super::scope::{ScopeMap, TextScope};
use super::search::{BaseFormPattern, Hit, case_names, hit};
use crate::Result;
use crate::project::Project;
use crate::text::CharIndex;

/// How concordance lines are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KwicSort {
    /// By the left context read backwards from the keyword (the word just before comes first).
    Left,
    /// By the right context.
    Right,
    /// By document and position.
    Document,
}

/// One concordance line; `start`/`end` are the keyword's code-point span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KwicLine {
    pub document: String,
    pub case: String,
    pub utterance: Option<String>,
    pub start: usize,
    pub end: usize,
    pub left: String,
    pub keyword: String,
    pub right: String,
}

/// The concordance of `word` with `width` characters of context on each side (line breaks
/// shown as spaces; context never crosses into another document).
pub fn kwic(
    project: &Project,
    layer: &TextLayer,
    word: &str,
    width: usize,
    sort: KwicSort,
) -> Result<Vec<KwicLine>> {
    kwic_in(project, layer, word, width, sort, &TextScope::everything())
}

/// [`kwic`] with only the occurrences inside `scope` (the interviewees' speech, say); the
/// contexts are the text as it stands around them.
pub fn kwic_in(
    project: &Project,
    layer: &TextLayer,
    word: &str,
    width: usize,
    sort: KwicSort,
    scope: &TextScope,
) -> Result<Vec<KwicLine>> {
    let kept = ScopeMap::build(project, scope)?;
    let pattern = BaseFormPattern::new(project, layer, word)?;
    let reader = project.read();
    let cases = case_names(project)?;
    let mut lines = Vec::new();
    for info in reader.document_infos()? {
        let Some(tokens) = reader.tokens(info.id)? else {
            continue;
        };
        let mut spans = pattern.find(&tokens);
        spans.retain(|(start, end)| kept.keeps(info.id, *start, *end));
        if spans.is_empty() {
            continue;
        }
        let index = CharIndex::new(reader.document_text(info.id)?.unwrap_or_default());
        let utterances = reader.utterances(info.id)?;
        for (start, end) in spans {
            let found = hit(&info, &cases, &index, &utterances, start, end);
            let flat = |text: &str| text.replace('\n', " ");
            lines.push(KwicLine {
                left: flat(
                    index
                        .slice(start.saturating_sub(width), start)
                        .unwrap_or_default(),
                ),
                right: flat(
                    index
                        .slice(end, (end + width).min(index.chars()))
                        .unwrap_or_default(),
                ),
                keyword: found.text,
                document: found.document,
                case: found.case,
                utterance: found.utterance,
                start,
                end,
            });
        }
    }
    match sort {
        KwicSort::Document => {
            lines.sort_by(|a, b| (&a.document, a.start).cmp(&(&b.document, b.start)))
        }
        KwicSort::Left => lines.sort_by(|a, b| {
            let reversed = |line: &KwicLine| line.left.chars().rev().collect::<String>();
            (reversed(a), &a.document, a.start).cmp(&(reversed(b), &b.document, b.start))
        }),
        KwicSort::Right => lines.sort_by(|a, b| {
            (&a.right, &a.document, a.start).cmp(&(&b.right, &b.document, b.start))
        }),
    }
    Ok(lines)
}

/// Search hits as concordance lines with `width` characters of context on each side (for
/// exporting search results as KWIC); the order of `hits` is kept.
pub fn lines_from_hits(project: &Project, hits: &[Hit], width: usize) -> Result<Vec<KwicLine>> {
    let reader = project.read();
    let mut texts: std::collections::BTreeMap<&str, CharIndex> = std::collections::BTreeMap::new();
    let mut lines = Vec::with_capacity(hits.len());
    for hit in hits {
        if !texts.contains_key(hit.document.as_str()) {
            let text = match reader.document_by_name(&hit.document)? {
                Some(info) => reader.document_text(info.id)?.unwrap_or_default(),
                None => String::new(),
            };
            texts.insert(hit.document.as_str(), CharIndex::new(text));
        }
        let Some(index) = texts.get(hit.document.as_str()) else {
            continue;
        };
        let flat = |text: &str| text.replace('\n', " ");
        lines.push(KwicLine {
            document: hit.document.clone(),
            case: hit.case.clone(),
            utterance: hit.utterance.clone(),
            start: hit.start,
            end: hit.end,
            left: flat(
                index
                    .slice(hit.start.saturating_sub(width), hit.start)
                    .unwrap_or_default(),
            ),
            keyword: hit.text.clone(),
            right: flat(
                index
                    .slice(hit.end, (hit.end + width).min(index.chars()))
                    .unwrap_or_default(),
            ),
        });
    }
    Ok(lines)
}
