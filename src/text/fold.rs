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
pub(crate) struct Run {
    pub(crate) folded: usize,
    pub(crate) len: usize,
    pub(crate) original: usize,
    pub(crate) original_len: usize,
    pub(crate) identity: bool,
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
        original_span_in(&self.runs, self.folded_chars, start, end)
    }

    /// The runs of the map back to the original, in folded order (identity runs merged).
    pub(crate) fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// How many code points the search copy has.
    pub(crate) fn folded_chars(&self) -> usize {
        self.folded_chars
    }
}

/// [`FoldedText::original_span`] over a run list (shared with the stored map of the character
/// index, so that both report the very same spans).
pub(crate) fn original_span_in(
    runs: &[Run],
    folded_chars: usize,
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    if start >= end || end > folded_chars {
        return None;
    }
    let (first, last) = (run_of(runs, start)?, run_of(runs, end - 1)?);
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

/// The run holding folded code point `folded`.
pub(crate) fn run_of(runs: &[Run], folded: usize) -> Option<Run> {
    let after = runs.partition_point(|run| run.folded <= folded);
    after
        .checked_sub(1)
        .and_then(|index| runs.get(index))
        .copied()
}

impl FoldedText {
    /// The places where the search copy differs from `text` (the text this copy was folded
    /// from), compact enough to store: for Japanese text, which NFKC mostly leaves alone, a
    /// few bytes per line instead of a second copy of the text. [`FoldedText::from_patches`]
    /// turns them back into this copy without folding again.
    ///
    /// Layout: one record per cluster that folds to something else, in text order: the
    /// cluster's byte offset and byte length in `text`, the folded bytes' length, then the
    /// folded bytes (numbers as LEB128 varints).
    pub fn patches(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let (mut original, mut folded) = (Cursor::new(text), Cursor::new(&self.folded));
        for run in self.runs.iter().filter(|run| !run.identity) {
            let start = original.byte_of(run.original);
            let end = original.byte_of(run.original + run.original_len);
            let from = folded.byte_of(run.folded);
            let to = folded.byte_of(run.folded + run.len);
            let folded_bytes = self.folded.get(from..to).unwrap_or_default();
            push_varint(&mut out, start);
            push_varint(&mut out, end - start);
            push_varint(&mut out, folded_bytes.len());
            out.extend_from_slice(folded_bytes.as_bytes());
        }
        out
    }

    /// The search copy of `text` from the [`FoldedText::patches`] stored for it: the text is
    /// copied between the patched clusters (no Unicode table is consulted). `None` when the
    /// patches do not fit the text (they were made from another text, or are damaged): fold
    /// the text again then.
    pub fn from_patches(text: &str, patches: &[u8]) -> Option<FoldedText> {
        let mut folded = String::with_capacity(text.len() + text.len() / 8);
        let mut runs: Vec<Run> = Vec::new();
        let (mut folded_chars, mut original_chars, mut byte_at) = (0usize, 0usize, 0usize);
        let mut input = patches;
        let copy = |gap: &str, runs: &mut Vec<Run>, folded: &mut String, at: (usize, usize)| {
            let count = gap.chars().count();
            if count > 0 {
                runs.push(Run {
                    folded: at.0,
                    len: count,
                    original: at.1,
                    original_len: count,
                    identity: true,
                });
                folded.push_str(gap);
            }
            count
        };
        while !input.is_empty() {
            let start = take_varint(&mut input)?;
            let end = start.checked_add(take_varint(&mut input)?)?;
            let out_len = take_varint(&mut input)?;
            let out = std::str::from_utf8(input.get(..out_len)?).ok()?;
            input = input.get(out_len..)?;
            let gap = text.get(byte_at..start)?;
            let copied = copy(gap, &mut runs, &mut folded, (folded_chars, original_chars));
            folded_chars += copied;
            original_chars += copied;
            let cluster_chars = text.get(start..end)?.chars().count();
            let out_chars = out.chars().count();
            if cluster_chars == 0 {
                return None;
            }
            runs.push(Run {
                folded: folded_chars,
                len: out_chars,
                original: original_chars,
                original_len: cluster_chars,
                identity: false,
            });
            folded.push_str(out);
            folded_chars += out_chars;
            original_chars += cluster_chars;
            byte_at = end;
        }
        let gap = text.get(byte_at..)?;
        folded_chars += copy(gap, &mut runs, &mut folded, (folded_chars, original_chars));
        Some(FoldedText {
            folded,
            runs,
            folded_chars,
        })
    }
}

/// A forward walk over a text that turns increasing code-point offsets into byte offsets.
struct Cursor<'t> {
    text: &'t str,
    char: usize,
    byte: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Cursor<'t> {
        Cursor {
            text,
            char: 0,
            byte: 0,
        }
    }

    /// The byte offset of code point `char` (not before the last one asked for); the text's
    /// length past its end.
    fn byte_of(&mut self, char: usize) -> usize {
        if char > self.char {
            let rest = self.text.get(self.byte..).unwrap_or_default();
            self.byte += rest
                .char_indices()
                .nth(char - self.char)
                .map_or(rest.len(), |(at, _)| at);
            self.char = char;
        }
        self.byte
    }
}

/// Appends `value` as an LEB128 varint.
pub(crate) fn push_varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7F) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads an LEB128 varint from the front of `input`; `None` when it is cut short or too long.
pub(crate) fn take_varint(input: &mut &[u8]) -> Option<usize> {
    let mut value = 0usize;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = input.split_first()?;
        *input = rest;
        value |= usize::from(byte & 0x7F).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Names the fold as [`FoldedText::new`] does it now: a stored search copy made by another
/// recipe is folded again. Names the Unicode versions of the NFKC tables and of the lower
/// case, because a new version of either can fold a character differently.
pub fn fold_recipe() -> String {
    let (major, minor, patch) = unicode_normalization::UNICODE_VERSION;
    let (case_major, case_minor, case_patch) = char::UNICODE_VERSION;
    format!(
        "nfkc-lower-1 nfkc-{major}.{minor}.{patch} lower-{case_major}.{case_minor}.{case_patch}"
    )
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// The stored patches give back exactly the copy that folding gives, and patches made
        /// from another text (or cut short) give `None` or a copy, never a panic.
        #[test]
        fn the_copy_from_stored_patches_equals_the_folded_copy(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "す", "も", "ば", "支援", "𠮷", "Ａ", "ａ", "A", "ｶ", "ﾞ", "ﾟ", "\u{3099}",
                "\u{301}", "e", "㈱", "①", "　", "\n", "ﬁ", "İ", "Σ", "ｶﾞ", "Ｉ：", "（笑）",
            ]), 0..40),
            cut in 0usize..64,
        ) {
            let text = pieces.concat();
            let folded = FoldedText::new(&text);
            let patches = folded.patches(&text);
            proptest::prop_assert_eq!(FoldedText::from_patches(&text, &patches), Some(folded));
            let _ = FoldedText::from_patches(&text, &patches[..cut.min(patches.len())]);
            let _ = FoldedText::from_patches("支援", &patches);
        }
    }

    #[test]
    fn japanese_text_needs_few_patches() {
        let text = "Ｉ：医療的ケア児のお母さんが復職を考えていて、レスパイトの調整が難しくて。\n"
            .repeat(100);
        let patches = FoldedText::new(&text).patches(&text);
        // Two full-width forms a line (Ｉ and ：), a few bytes each.
        assert!(patches.len() < 12 * 100, "{}", patches.len());
        let copy = FoldedText::from_patches(&text, &patches).expect("patches fit");
        assert!(copy.as_str().starts_with("i:医療的ケア児"));
        assert_eq!(copy.original_span(0, 2), Some((0, 2)));
    }
}
