//! Auto-coding: evaluates rules (see `rules`) per sentence or per utterance and proposes
//! segments. Suggestions are never applied silently: the CLI lists them (`--dry-run`) or applies
//! them as one undoable command (`--apply`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::index::lexicon;
use super::rules::{Condition, Rule, parse_cod, parse_ron};
use super::search::{case_names, hit};
use crate::model::{CaseId, Lexeme, TokenSpan};
use crate::project::Project;
use crate::text::CharIndex;
use crate::text::fold::{FoldedText, fold_query};
use crate::{Error, Result};

/// The unit a rule is evaluated on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Split at 。！？!? and line ends.
    Sentence,
    /// A speaker turn (its speech, without the label).
    Utterance,
}

/// A proposed segment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Suggestion {
    pub code: String,
    pub document: String,
    pub case: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub utterance: Option<String>,
}

/// Evaluates the rules on every indexed document; suggestions sorted by code, document, start.
pub fn suggest(project: &Project, rules: &[Rule], unit: Unit) -> Result<Vec<Suggestion>> {
    let reader = project.read();
    let lexicon = lexicon(project)?;
    let cases = case_names(project)?;
    let attributes = case_attributes(project)?;
    let mut suggestions = Vec::new();
    for info in reader.document_infos()? {
        let Some(tokens) = reader.tokens(info.id)? else {
            continue;
        };
        let text = reader.document_text(info.id)?.unwrap_or_default();
        let utterances = reader.utterances(info.id)?;
        let units: Vec<(usize, usize)> = match unit {
            Unit::Sentence => sentences(&text),
            Unit::Utterance => utterances
                .iter()
                .map(|u| (u.text_start, u.end))
                .filter(|(s, e)| s < e)
                .collect(),
        };
        let index = CharIndex::new(text);
        let empty = BTreeMap::new();
        let case_attributes = attributes.get(&info.case_id).unwrap_or(&empty);
        for (start, end) in units {
            let unit_tokens: Vec<&Lexeme> = tokens
                .iter()
                .filter(|token| token.start >= start && token.end <= end)
                .filter_map(|token: &TokenSpan| lexicon.get(&token.lexeme_id))
                .collect();
            let unit_text = FoldedText::new(index.slice(start, end).unwrap_or_default());
            let context = UnitContext {
                tokens: &unit_tokens,
                text: unit_text.as_str(),
                attributes: case_attributes,
            };
            for rule in rules {
                if context.holds(&rule.condition) {
                    let found = hit(&info, &cases, &index, &utterances, start, end);
                    suggestions.push(Suggestion {
                        code: rule.code.clone(),
                        document: found.document,
                        case: found.case,
                        start,
                        end,
                        text: found.text,
                        utterance: found.utterance,
                    });
                }
            }
        }
    }
    suggestions.sort();
    suggestions.dedup();
    Ok(suggestions)
}

/// Sentences as code-point spans: split after 。！？!? and at line ends; blank stretches and
/// leading spaces are left out.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    for (index, ch) in text.chars().enumerate() {
        if ch == '\n' {
            if let Some(from) = start.take() {
                spans.push((from, index));
            }
            continue;
        }
        if start.is_none() && !ch.is_whitespace() {
            start = Some(index);
        }
        if matches!(ch, '。' | '！' | '？' | '!' | '?')
            && let Some(from) = start.take()
        {
            spans.push((from, index + 1));
        }
    }
    if let Some(from) = start {
        spans.push((from, text.chars().count()));
    }
    spans
}

fn case_attributes(project: &Project) -> Result<BTreeMap<CaseId, BTreeMap<String, String>>> {
    let reader = project.read();
    let names: BTreeMap<_, _> = reader
        .attributes()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let mut values: BTreeMap<CaseId, BTreeMap<String, String>> = BTreeMap::new();
    for value in reader.attribute_values()? {
        if let Some(name) = names.get(&value.attribute_id) {
            values
                .entry(value.case_id)
                .or_default()
                .insert(name.clone(), value.value);
        }
    }
    Ok(values)
}

struct UnitContext<'a> {
    tokens: &'a [&'a Lexeme],
    text: &'a str,
    attributes: &'a BTreeMap<String, String>,
}

impl UnitContext<'_> {
    fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::Word(word) => self.tokens.iter().any(|t| &t.base_form == word),
            Condition::WordPos(word, pos) => self
                .tokens
                .iter()
                .any(|t| &t.base_form == word && &t.pos[0] == pos),
            Condition::Substring(substring) => self.text.contains(&fold_query(substring)),
            Condition::Attribute(name, value) => {
                self.attributes.get(name).is_some_and(|v| v == value)
            }
            Condition::Near(words, window) => self.near(words, *window),
            Condition::Seq(words, window) => self.seq(words, *window),
            Condition::Not(inner) => !self.holds(inner),
            Condition::And(left, right) => self.holds(left) && self.holds(right),
            Condition::Or(left, right) => self.holds(left) || self.holds(right),
        }
    }

    fn positions(&self, word: &str) -> Vec<usize> {
        self.tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.base_form == word)
            .map(|(i, _)| i)
            .collect()
    }

    /// Some occurrence of every word lies within a window of `window` words.
    fn near(&self, words: &[String], window: usize) -> bool {
        let lists: Vec<Vec<usize>> = words.iter().map(|w| self.positions(w)).collect();
        if lists.iter().any(Vec::is_empty) {
            return false;
        }
        let Some(first) = lists.first() else {
            return false;
        };
        first.iter().any(|&anchor| {
            let mut low = anchor;
            let mut high = anchor;
            lists.iter().skip(1).all(|list| {
                // The occurrence that keeps the span smallest.
                let best = list.iter().min_by_key(|&&p| p.max(high) - p.min(low));
                match best {
                    Some(&p) if p.max(high) - p.min(low) <= window => {
                        low = low.min(p);
                        high = high.max(p);
                        true
                    }
                    _ => false,
                }
            })
        })
    }

    /// The words occur in order, each within `window` words after the previous.
    fn seq(&self, words: &[String], window: usize) -> bool {
        let lists: Vec<BTreeSet<usize>> = words
            .iter()
            .map(|w| self.positions(w).into_iter().collect())
            .collect();
        let Some(first) = lists.first() else {
            return false;
        };
        first.iter().any(|&start| {
            let mut previous = start;
            lists.iter().skip(1).all(|list| {
                match list.range(previous + 1..=previous + window).next() {
                    Some(&next) => {
                        previous = next;
                        true
                    }
                    None => false,
                }
            })
        })
    }
}

/// Reads a rules file: KH Coder's `.cod` (or `.txt`), else casecode's RON. A malformed rule
/// is reported with the file, line and column (`rules.cod: line 2, column 9: …`).
pub fn read_rules_file(path: &Path) -> Result<Vec<Rule>> {
    let text = crate::import::read_text_file(path)?;
    let is_cod = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("cod") || e.eq_ignore_ascii_case("txt"));
    let parsed = if is_cod {
        parse_cod(&text)
    } else {
        parse_ron(&text)
    };
    parsed.map_err(|error| Error::bad_input(path.display(), error.to_string()))
}

/// Checks that every rule's code exists in the project; the error lists the unknown ones.
pub fn check_codes(project: &Project, rules: &[Rule]) -> Result<()> {
    let tree = project.code_tree()?;
    let unknown: Vec<String> = rules
        .iter()
        .filter(|rule| tree.resolve(&rule.code).is_err())
        .map(|rule| format!("{} (line {})", rule.code, rule.line))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "rules name codes the project does not have: {}",
            unknown.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_japanese_punctuation_and_line_ends() {
        let text = "Ａ：はい。そうです！\n　続き？ええ\n\n";
        let spans = sentences(text);
        let chars: Vec<char> = text.chars().collect();
        let pieces: Vec<String> = spans
            .iter()
            .map(|(s, e)| chars[*s..*e].iter().collect())
            .collect();
        assert_eq!(pieces, ["Ａ：はい。", "そうです！", "続き？", "ええ"]);
    }
}
