//! The units agreement is counted over: characters, utterances, sentences or whole
//! documents, and which units a set of spans touches.

use serde::Serialize;

use crate::analysis::DocumentEntry;

/// What one unit of agreement is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Every code point of the text.
    #[default]
    Character,
    /// Every speaker turn (a document without speaker turns is one unit).
    Utterance,
    /// Every sentence: text up to 。！？!? or a line end.
    Sentence,
    /// The whole document.
    Document,
}

impl Unit {
    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Character => "character",
            Unit::Utterance => "utterance",
            Unit::Sentence => "sentence",
            Unit::Document => "document",
        }
    }

    /// Parses [`Unit::as_str`] (also 文字, 発話, 文, 文書).
    pub fn parse(name: &str) -> Option<Unit> {
        match name.trim() {
            "character" | "char" | "文字" => Some(Unit::Character),
            "utterance" | "発話" => Some(Unit::Utterance),
            "sentence" | "文" => Some(Unit::Sentence),
            "document" | "文書" => Some(Unit::Document),
            _ => None,
        }
    }
}

/// The units of one document as sorted, disjoint spans; `None` for the character unit (whose
/// units are the code points themselves and are never listed).
pub fn unit_spans(unit: Unit, document: &DocumentEntry) -> Option<Vec<(usize, usize)>> {
    match unit {
        Unit::Character => None,
        Unit::Document => Some(vec![(0, document.chars)]),
        Unit::Utterance if document.utterances.is_empty() => Some(vec![(0, document.chars)]),
        Unit::Utterance => {
            let mut spans: Vec<(usize, usize)> = (document.utterances.iter())
                .map(|utterance| (utterance.start, utterance.end.max(utterance.start + 1)))
                .collect();
            spans.sort_unstable();
            Some(spans)
        }
        Unit::Sentence => Some(sentences(&document.text)),
    }
}

/// Sentences as code-point spans: each ends after 。！？!? (and closing brackets right
/// after) or before a line end; blank stretches are no sentence.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        let c = chars.get(at).copied().unwrap_or('\n');
        if c == '\n' {
            if let Some(begin) = start.take() {
                spans.push((begin, at));
            }
            at += 1;
            continue;
        }
        if start.is_none() && !c.is_whitespace() {
            start = Some(at);
        }
        at += 1;
        if matches!(c, '。' | '！' | '？' | '!' | '?' | '．') {
            while chars
                .get(at)
                .is_some_and(|next| matches!(next, '」' | '』' | '）' | ')' | '】'))
            {
                at += 1;
            }
            if let Some(begin) = start.take() {
                spans.push((begin, at));
            }
        }
    }
    if let Some(begin) = start {
        spans.push((begin, chars.len()));
    }
    spans
}

/// Sorted, merged copy of spans (overlapping or touching spans become one).
pub fn merged(spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut sorted = spans.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(sorted.len());
    for (start, end) in sorted {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// Total length of merged spans.
pub fn covered(spans: &[(usize, usize)]) -> u64 {
    spans.iter().map(|(start, end)| (end - start) as u64).sum()
}

/// Length of the intersection of two merged span lists.
pub fn intersection(a: &[(usize, usize)], b: &[(usize, usize)]) -> u64 {
    let (mut i, mut j, mut total) = (0, 0, 0u64);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let (start, end) = (x.0.max(y.0), x.1.min(y.1));
        if start < end {
            total += (end - start) as u64;
        }
        if x.1 < y.1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    total
}

/// Indexes of the units (sorted, disjoint spans) that any of the merged spans touches.
pub fn touched_units(units: &[(usize, usize)], spans: &[(usize, usize)]) -> Vec<usize> {
    let mut touched = Vec::new();
    for (start, end) in spans {
        let mut index = units.partition_point(|unit| unit.1 <= *start);
        while let Some(unit) = units.get(index) {
            if unit.0 >= *end {
                break;
            }
            if touched.last() != Some(&index) {
                touched.push(index);
            }
            index += 1;
        }
    }
    touched.sort_unstable();
    touched.dedup();
    touched
}

/// Number of values two sorted index lists share.
pub fn shared(a: &[usize], b: &[usize]) -> u64 {
    let (mut i, mut j, mut count) = (0, 0, 0u64);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_sentences_end_at_the_full_stop_and_the_line_end() {
        let text = "Ａ：はい。そうです！\nＩ：「本当？」と。\n\n終わり";
        let spans = sentences(text);
        let cut: Vec<String> = spans
            .iter()
            .map(|(s, e)| text.chars().skip(*s).take(e - s).collect())
            .collect();
        assert_eq!(
            cut,
            [
                "Ａ：はい。",
                "そうです！",
                "Ｉ：「本当？」",
                "と。",
                "終わり"
            ]
        );
    }

    #[test]
    fn spans_touch_every_unit_they_share_a_character_with() {
        let units = [(0, 5), (5, 10), (12, 20)];
        assert_eq!(touched_units(&units, &[(4, 6)]), [0, 1]);
        assert_eq!(touched_units(&units, &[(10, 12)]), Vec::<usize>::new());
        assert_eq!(touched_units(&units, &[(9, 13), (15, 16)]), [1, 2]);
    }

    #[test]
    fn intersections_of_merged_spans_count_characters() {
        let a = merged(&[(0, 10), (5, 15), (20, 25)]);
        assert_eq!(a, [(0, 15), (20, 25)]);
        let b = merged(&[(10, 22)]);
        assert_eq!(intersection(&a, &b), 5 + 2);
        assert_eq!(covered(&a), 20);
    }
}
