//! The character index of a search copy: where each code point of a folded text stands, and
//! the map from the copy's positions back to the stored text. A substring query is answered
//! from the positions of its own characters alone — folded position `p` matches when the
//! query's `i`-th character stands at `p + i` for every `i` — so a search reads a few kilobytes
//! per query character instead of every text. The spans and texts are exactly those of
//! [`find_substring`](super::search::find_substring) on the same copy (a test compares them).

use std::collections::HashMap;

use super::fold::{FoldedText, Run, original_span_in, push_varint, take_varint};

/// The map from a folded search copy's code points back to the stored text, with the stored
/// text of every cluster that folds to something else (so a hit's text is known without
/// reading the document).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FoldMap {
    runs: Vec<Run>,
    /// The original text of the runs, one after another: empty for identity runs (whose text
    /// is the copy's own); run `i`'s ends at byte `cluster_ends[i]`.
    clusters: String,
    cluster_ends: Vec<usize>,
    folded_chars: usize,
}

impl FoldMap {
    /// The map of `folded`, the search copy of `text`.
    pub fn new(text: &str, folded: &FoldedText) -> FoldMap {
        let mut clusters = String::new();
        let mut cluster_ends = Vec::with_capacity(folded.runs().len());
        let mut chars = text.chars();
        let mut at = 0usize;
        for run in folded.runs() {
            if !run.identity {
                // Runs are in original order: skip to this cluster and take it.
                let skip = run.original.saturating_sub(at);
                if skip > 0 {
                    chars.nth(skip - 1);
                }
                clusters.extend(chars.by_ref().take(run.original_len));
                at = run.original + run.original_len;
            }
            cluster_ends.push(clusters.len());
        }
        FoldMap {
            runs: folded.runs().to_vec(),
            clusters,
            cluster_ends,
            folded_chars: folded.folded_chars(),
        }
    }

    /// The original text of run `index` (empty for an identity run).
    fn cluster(&self, index: usize) -> &str {
        let start = match index.checked_sub(1) {
            Some(before) => self.cluster_ends.get(before).copied().unwrap_or_default(),
            None => 0,
        };
        let end = self.cluster_ends.get(index).copied().unwrap_or_default();
        self.clusters.get(start..end).unwrap_or_default()
    }

    /// The map as stored: the copy's length, then per run that folds to something else its
    /// folded gap since the previous such run, folded length, original length and original
    /// text (UTF-8, after its byte length); numbers as LEB128 varints. The identity runs
    /// between them are implied (folded and original advance together there).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        push_varint(&mut out, self.folded_chars);
        let mut folded_end = 0usize;
        for (index, run) in self.runs.iter().enumerate() {
            if run.identity {
                continue;
            }
            let cluster = self.cluster(index);
            push_varint(&mut out, run.folded - folded_end);
            push_varint(&mut out, run.len);
            push_varint(&mut out, run.original_len);
            push_varint(&mut out, cluster.len());
            out.extend_from_slice(cluster.as_bytes());
            folded_end = run.folded + run.len;
        }
        out
    }

    /// A map from [`FoldMap::encode`]; `None` when the bytes are damaged.
    pub fn decode(mut input: &[u8]) -> Option<FoldMap> {
        let folded_chars = take_varint(&mut input)?;
        let (mut runs, mut clusters, mut cluster_ends) = (Vec::new(), String::new(), Vec::new());
        let (mut folded, mut original) = (0usize, 0usize);
        let identity = |runs: &mut Vec<Run>, ends: &mut Vec<usize>, at: (usize, usize), len| {
            if len > 0 {
                runs.push(Run {
                    folded: at.0,
                    len,
                    original: at.1,
                    original_len: len,
                    identity: true,
                });
                ends.push(ends.last().copied().unwrap_or(0));
            }
        };
        while !input.is_empty() {
            let gap = take_varint(&mut input)?;
            let len = take_varint(&mut input)?;
            let original_len = take_varint(&mut input)?;
            let bytes = take_varint(&mut input)?;
            let cluster = std::str::from_utf8(input.get(..bytes)?).ok()?;
            input = input.get(bytes..)?;
            identity(&mut runs, &mut cluster_ends, (folded, original), gap);
            folded = folded.checked_add(gap)?;
            original = original.checked_add(gap)?;
            runs.push(Run {
                folded,
                len,
                original,
                original_len,
                identity: false,
            });
            clusters.push_str(cluster);
            cluster_ends.push(clusters.len());
            folded = folded.checked_add(len)?;
            original = original.checked_add(original_len)?;
        }
        let rest = folded_chars.checked_sub(folded)?;
        identity(&mut runs, &mut cluster_ends, (folded, original), rest);
        Some(FoldMap {
            runs,
            clusters,
            cluster_ends,
            folded_chars,
        })
    }

    /// The stored text's span of folded `[start, end)` (see [`FoldedText::original_span`]).
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        original_span_in(&self.runs, self.folded_chars, start, end)
    }

    /// The stored text of the span [`FoldMap::original_span`] gives for folded
    /// `[start, start + query.len())`, where the copy holds `query`: identity runs give the
    /// query's own characters, every other cluster touched gives its original text whole.
    pub fn original_text(&self, start: usize, query: &[char]) -> String {
        let end = start + query.len();
        let mut out = String::new();
        let first = self.runs.partition_point(|run| run.folded <= start);
        let mut position = start;
        for (index, run) in self.runs.iter().enumerate().skip(first.saturating_sub(1)) {
            if position >= end {
                break;
            }
            let run_end = run.folded + run.len;
            if run.identity {
                let to = run_end.min(end);
                out.extend(query.get(position - start..to - start).unwrap_or_default());
                position = to;
            } else {
                out.push_str(self.cluster(index));
                position = position.max(run_end);
            }
        }
        out
    }
}

/// Where each code point stands in `folded`: per code point (ascending), its folded positions
/// as LEB128 varints of the gaps between them (the first from 0).
pub fn postings_of(folded: &str) -> Vec<(char, Vec<u8>)> {
    let mut last: HashMap<char, (usize, Vec<u8>)> = HashMap::new();
    for (position, c) in folded.chars().enumerate() {
        let (previous, bytes) = last.entry(c).or_insert((0, Vec::new()));
        push_varint(bytes, position - *previous);
        *previous = position;
    }
    let mut postings: Vec<(char, Vec<u8>)> =
        last.into_iter().map(|(c, (_, bytes))| (c, bytes)).collect();
    postings.sort_unstable_by_key(|(c, _)| *c);
    postings
}

/// The positions [`postings_of`] stored; `None` when the bytes are damaged.
pub fn decode_positions(mut input: &[u8]) -> Option<Vec<usize>> {
    let mut positions = Vec::with_capacity(input.len());
    let mut position = 0usize;
    while !input.is_empty() {
        position = position.checked_add(take_varint(&mut input)?)?;
        positions.push(position);
    }
    Some(positions)
}

/// The folded starts where a query stands, ascending: `lists[i]` holds the positions of the
/// query's `i`-th character (sorted). Every occurrence, overlapping ones too, as the scan.
pub fn query_starts(lists: &[&[usize]]) -> Vec<usize> {
    // Walk the rarest character's positions and look the others up.
    let Some((rarest, anchor)) = lists.iter().enumerate().min_by_key(|(_, list)| list.len()) else {
        return Vec::new();
    };
    anchor
        .iter()
        .filter_map(|&position| position.checked_sub(rarest))
        .filter(|&start| {
            lists
                .iter()
                .enumerate()
                .all(|(offset, list)| list.binary_search(&(start + offset)).is_ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold::fold_query;
    use crate::text::search::find_substring;

    /// The index's answer: spans and texts.
    fn indexed(text: &str, query: &str) -> Vec<(usize, usize, String)> {
        let folded = FoldedText::new(text);
        let map = FoldMap::decode(&FoldMap::new(text, &folded).encode()).expect("decode");
        let postings: HashMap<char, Vec<usize>> = postings_of(folded.as_str())
            .into_iter()
            .map(|(c, bytes)| (c, decode_positions(&bytes).expect("positions")))
            .collect();
        let query: Vec<char> = fold_query(query).chars().collect();
        let empty = Vec::new();
        let lists: Vec<&[usize]> = query
            .iter()
            .map(|c| postings.get(c).unwrap_or(&empty).as_slice())
            .collect();
        let mut spans: Vec<(usize, usize, String)> = query_starts(&lists)
            .into_iter()
            .filter_map(|start| {
                let (from, to) = map.original_span(start, start + query.len())?;
                Some((from, to, map.original_text(start, &query)))
            })
            .collect();
        spans.dedup();
        spans
    }

    /// The scan's answer, for comparison.
    fn scanned(text: &str, query: &str) -> Vec<(usize, usize, String)> {
        let chars: Vec<char> = text.chars().collect();
        find_substring(&FoldedText::new(text), query)
            .into_iter()
            .map(|(from, to)| (from, to, chars[from..to].iter().collect()))
            .collect()
    }

    #[test]
    fn the_index_finds_what_the_scan_finds_across_folding() {
        let text = "Ｉ：𠮷田さん、ＮＩＣＵの話を。\nＡ：ｶﾞｲﾄﾞﾍﾙﾊﾟｰと㈱ケアの①番、nicu。\nああああ\n";
        for query in [
            "児",
            "𠮷",
            "nicu",
            "ＮＩＣＵ",
            "ガイド",
            "ｶﾞ",
            "(株)",
            "株",
            "1",
            "①番",
            "。\nＡ",
            "ああ",
            "i：",
            "：",
            "ー",
            "と㈱ケ",
            "x",
            "の話を。\nａ：ガ",
        ] {
            assert_eq!(
                indexed(text, query),
                scanned(text, query),
                "query {query:?}"
            );
        }
    }

    #[test]
    fn an_empty_text_and_a_text_without_folding_round_trip() {
        for text in ["", "支援会議を開いて、支援した。"] {
            let folded = FoldedText::new(text);
            let map = FoldMap::new(text, &folded);
            assert_eq!(
                FoldMap::decode(&map.encode())
                    .expect("decode")
                    .original_span(0, 1),
                map.original_span(0, 1)
            );
            assert_eq!(indexed(text, "支援"), scanned(text, "支援"));
        }
    }
}
