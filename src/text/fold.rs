//! A search copy of a text: NFKC-normalised and lower-cased, so that ＡＢＣ, ABC and abc, ｶﾞ and
//! ガ, ① and 1 match each other. The stored text is never changed; the copy keeps a map from
//! its code points back to the stored text's, so every hit is reported at exact offsets.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// A folded copy with its map back to the original.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FoldedText {
    folded: String,
    /// For each folded code point, the original cluster `[start, end)` it came from; stored as
    /// runs where folded and original advance together, to stay small for Japanese text
    /// (which NFKC mostly leaves alone).
    runs: Vec<Run>,
    folded_chars: usize,
}

/// A run of folded code points `[folded, folded + len)` that came from original code points
/// `[original, original + original_len)`. Identity runs have `len == original_len` and map
/// one to one; other runs are one cluster (e.g. ｶﾞ → ガ, ㈱ → (株)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    folded: usize,
    len: usize,
    original: usize,
    original_len: usize,
    identity: bool,
}

impl FoldedText {
    /// Folds `text`. Kana, kanji and 、。ー, most of a Japanese text, take a fast path: they
    /// fold to themselves and nothing composes onto them from before.
    pub fn new(text: &str) -> FoldedText {
        let mut folded = String::with_capacity(text.len());
        let mut runs: Vec<Run> = Vec::new();
        let mut folded_chars = 0usize;
        let mut index = 0usize;
        let mut chars = text.chars().peekable();
        let mut cluster = String::new();
        while let Some(c) = chars.next() {
            // A cluster: one character and the marks that NFKC may compose onto it.
            let mut end = index + 1;
            let lone = chars
                .peek()
                .is_none_or(|&next| plain_japanese(next) || !composes_onto_previous(next));
            let (out_len, identity) = if lone && (plain_japanese(c) || folds_to_itself(c)) {
                folded.push(c);
                (1, true)
            } else {
                cluster.clear();
                cluster.push(c);
                while let Some(&next) = chars.peek() {
                    if plain_japanese(next) || !composes_onto_previous(next) {
                        break;
                    }
                    cluster.push(next);
                    chars.next();
                    end += 1;
                }
                let before = folded.len();
                folded.extend(cluster.nfkc().flat_map(char::to_lowercase));
                let out = folded.get(before..).unwrap_or_default();
                (out.chars().count(), out == cluster)
            };
            match runs.last_mut() {
                Some(last)
                    if identity
                        && last.identity
                        && last.folded + last.len == folded_chars
                        && last.original + last.original_len == index =>
                {
                    last.len += out_len;
                    last.original_len += end - index;
                }
                _ => runs.push(Run {
                    folded: folded_chars,
                    len: out_len,
                    original: index,
                    original_len: end - index,
                    identity,
                }),
            }
            folded_chars += out_len;
            index = end;
        }
        FoldedText {
            folded,
            runs,
            folded_chars,
        }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.folded
    }

    /// The original span covering folded code points `[start, end)`: every original cluster
    /// that contributed to them, whole.
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.folded_chars {
            return None;
        }
        let (first, last) = (self.run_of(start)?, self.run_of(end - 1)?);
        let original_start = if first.identity {
            first.original + (start - first.folded)
        } else {
            first.original
        };
        let original_end = if last.identity {
            last.original + (end - 1 - last.folded) + 1
        } else {
            last.original + last.original_len
        };
        Some((original_start, original_end))
    }

    fn run_of(&self, folded: usize) -> Option<Run> {
        let after = self.runs.partition_point(|run| run.folded <= folded);
        after
            .checked_sub(1)
            .and_then(|index| self.runs.get(index))
            .copied()
    }
}

/// Folds a query the same way as the texts it is matched against.
pub fn fold_query(query: &str) -> String {
    query.nfkc().flat_map(char::to_lowercase).collect()
}

/// Hiragana, katakana, the CJK unified ideographs, 、。 and ー: NFKC leaves them alone, they
/// have no case, and they compose onto nothing (a range test instead of table lookups).
fn plain_japanese(c: char) -> bool {
    matches!(
        c,
        '\u{3041}'..='\u{3096}'
            | '\u{30A1}'..='\u{30FA}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{3001}'
            | '\u{3002}'
            | '\u{30FC}'
    )
}

/// True when a lone character is its own NFKC form and has no lower case: the common case of
/// Japanese text, handled without allocating.
fn folds_to_itself(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_uppercase();
    }
    let mut lower = c.to_lowercase();
    let unchanged_case = lower.next() == Some(c) && lower.next().is_none();
    unchanged_case && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// Marks that NFKC composes with the character before them: combining marks and the
/// half-width (semi-)voiced sound marks ﾞ ﾟ, which NFKC turns into combining ones.
fn composes_onto_previous(c: char) -> bool {
    matches!(c, '\u{FF9E}' | '\u{FF9F}') || canonical_combining_class(c) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str, query: &str) -> Vec<(usize, usize, String)> {
        let folded = FoldedText::new(text);
        let query = fold_query(query);
        let chars: Vec<char> = text.chars().collect();
        folded
            .as_str()
            .match_indices(&query)
            .filter_map(|(byte, found)| {
                let start = folded.as_str()[..byte].chars().count();
                let (s, e) = folded.original_span(start, start + found.chars().count())?;
                Some((s, e, chars[s..e].iter().collect()))
            })
            .collect()
    }

    #[test]
    fn full_and_half_width_forms_match_at_exact_original_offsets() {
        let text = "𠮷田さんとＮＩＣＵで、ｶﾞｰｾﾞの件。㈱○○とNICU。";
        assert_eq!(
            hits(text, "nicu"),
            [(5, 9, "ＮＩＣＵ".into()), (23, 27, "NICU".into())]
        );
        assert_eq!(hits(text, "ガーゼ"), [(11, 16, "ｶﾞｰｾﾞ".into())]);
        assert_eq!(hits(text, "株"), [(19, 20, "㈱".into())]);
        assert_eq!(hits(text, "田"), [(1, 2, "田".into())]);
    }

    /// The fold as it was before its fast path (one `Vec<char>`, table lookups per character).
    fn reference(text: &str) -> FoldedText {
        let mut folded = String::with_capacity(text.len());
        let mut runs: Vec<Run> = Vec::new();
        let mut folded_chars = 0usize;
        let chars: Vec<char> = text.chars().collect();
        let mut index = 0usize;
        while index < chars.len() {
            // A cluster: one character and the marks that NFKC may compose onto it.
            let mut end = index + 1;
            while end < chars.len() && composes_onto_previous(chars[end]) {
                end += 1;
            }
            let stable = end == index + 1 && folds_to_itself(chars[index]);
            let (out_len, identity) = if stable {
                folded.push(chars[index]);
                (1, true)
            } else {
                let cluster: String = chars[index..end].iter().collect();
                let out: String = cluster.nfkc().flat_map(char::to_lowercase).collect();
                folded.push_str(&out);
                (out.chars().count(), out == cluster)
            };
            match runs.last_mut() {
                Some(last)
                    if identity
                        && last.identity
                        && last.folded + last.len == folded_chars
                        && last.original + last.original_len == index =>
                {
                    last.len += out_len;
                    last.original_len += end - index;
                }
                _ => runs.push(Run {
                    folded: folded_chars,
                    len: out_len,
                    original: index,
                    original_len: end - index,
                    identity,
                }),
            }
            folded_chars += out_len;
            index = end;
        }
        FoldedText {
            folded,
            runs,
            folded_chars,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn the_fast_fold_equals_the_reference_fold(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "す", "も", "ば", "パ", "ー", "、", "。", "支援", "𠮷", "Ａ", "ａ", "A", "i",
                "ｶ", "ﾞ", "ﾟ", "\u{3099}", "\u{309A}", "\u{301}", "e", "㈱", "①", "　", "\n",
                "ﬁ", "İ", "Σ", "ｶﾞ", "が", "か\u{3099}",
            ]), 0..40)
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(FoldedText::new(&text), reference(&text));
        }
    }
}
