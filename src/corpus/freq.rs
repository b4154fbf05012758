//! Word frequencies by base form: overall, with document frequency, and per case or per value
//! of a case attribute (所属組織 …), as KH Coder's 抽出語リスト.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::index::lexicon;
use super::scope::{ScopeMap, TextScope};
use crate::Result;
use crate::model::CaseId;
use crate::project::Project;

/// Which words to count and how to group them.
#[derive(Clone, Debug, Default)]
pub struct FreqOptions {
    /// Parts of speech (品詞, first level) to keep; empty keeps all but 記号.
    pub pos: Vec<String>,
    /// Base forms to leave out.
    pub stopwords: BTreeSet<String>,
    /// `None`: no groups; `Some("case")`: per case; `Some(ATTRIBUTE)`: per attribute value.
    pub by: Option<String>,
    /// Keep the N most frequent (0 = all).
    pub top: usize,
    /// Leave out words that carry no content of their own, as KH Coder's 抽出語リスト does:
    /// IPADIC's 非自立 (こと, ん, よう), 接尾 (さん, 人 as a suffix), 代名詞 (それ, 私) and 数,
    /// and "words" with no letter at all (IPADIC tags an unknown half-width `:` as a noun).
    pub content_words: bool,
}

/// The IPADIC sub-categories (品詞細分類1) that [`FreqOptions::content_words`] leaves out.
pub const FUNCTION_SUBCATEGORIES: [&str; 4] = ["非自立", "接尾", "代名詞", "数"];

/// One word's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FreqRow {
    pub base_form: String,
    pub pos: String,
    pub count: usize,
    /// Number of documents containing the word.
    pub documents: usize,
    /// Count per group (case name or attribute value; `（なし）` for cases without a value).
    pub groups: BTreeMap<String, usize>,
}

/// Counts words over all indexed documents; most frequent first, ties by base form.
pub fn frequencies(project: &Project, options: &FreqOptions) -> Result<Vec<FreqRow>> {
    frequencies_in(project, options, &TextScope::everything())
}

/// [`frequencies`] over the part of the texts `scope` keeps (the interviewees' speech without
/// non-verbal notes, say): a token counts when it lies wholly inside it.
pub fn frequencies_in(
    project: &Project,
    options: &FreqOptions,
    scope: &TextScope,
) -> Result<Vec<FreqRow>> {
    let kept = ScopeMap::build(project, scope)?;
    let reader = project.read();
    let lexicon = lexicon(project)?;
    let group_of = groups(project, options.by.as_deref())?;
    let mut rows: BTreeMap<(String, String), FreqRow> = BTreeMap::new();
    for info in reader.document_infos()? {
        let Some(tokens) = reader.tokens(info.id)? else {
            continue;
        };
        let group = group_of.get(&info.case_id).cloned();
        let mut seen = BTreeSet::new();
        for token in tokens {
            if !kept.keeps(info.id, token.start, token.end) {
                continue;
            }
            let Some(lexeme) = lexicon.get(&token.lexeme_id) else {
                continue;
            };
            let pos = lexeme.pos[0].clone();
            let keep = if options.pos.is_empty() {
                pos != "記号"
            } else {
                options.pos.contains(&pos)
            };
            let function_word = options.content_words
                && (lexeme
                    .pos
                    .get(1)
                    .is_some_and(|sub| FUNCTION_SUBCATEGORIES.contains(&sub.as_str()))
                    || !lexeme.base_form.chars().any(char::is_alphanumeric));
            if !keep || function_word || options.stopwords.contains(&lexeme.base_form) {
                continue;
            }
            let key = (lexeme.base_form.clone(), pos.clone());
            let row = rows.entry(key.clone()).or_insert_with(|| FreqRow {
                base_form: lexeme.base_form.clone(),
                pos,
                count: 0,
                documents: 0,
                groups: BTreeMap::new(),
            });
            row.count += 1;
            if seen.insert(key) {
                row.documents += 1;
            }
            if let Some(group) = &group {
                *row.groups.entry(group.clone()).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<FreqRow> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| (&a.base_form, &a.pos).cmp(&(&b.base_form, &b.pos)))
    });
    if options.top > 0 {
        rows.truncate(options.top);
    }
    Ok(rows)
}

/// The project's stop words, for [`FreqOptions::stopwords`].
pub fn project_stop_words(project: &Project) -> Result<BTreeSet<String>> {
    Ok(project.read().stop_words()?.into_iter().collect())
}

/// The group of each case: its name (`case`) or its value of an attribute.
fn groups(project: &Project, by: Option<&str>) -> Result<BTreeMap<CaseId, String>> {
    let reader = project.read();
    let cases = reader.cases()?;
    Ok(match by {
        None => BTreeMap::new(),
        Some("case") => cases.into_iter().map(|case| (case.id, case.name)).collect(),
        Some(attribute_name) => {
            let Some(attribute) = reader
                .attributes()?
                .into_iter()
                .find(|a| a.name == attribute_name)
            else {
                return Err(crate::Error::Conflict(format!(
                    "no attribute named '{attribute_name}'"
                )));
            };
            let values: BTreeMap<CaseId, String> = reader
                .attribute_values()?
                .into_iter()
                .filter(|value| value.attribute_id == attribute.id)
                .map(|value| (value.case_id, value.value))
                .collect();
            cases
                .into_iter()
                .map(|case| {
                    (
                        case.id,
                        values
                            .get(&case.id)
                            .cloned()
                            .unwrap_or_else(|| "（なし）".to_owned()),
                    )
                })
                .collect()
        }
    })
}
