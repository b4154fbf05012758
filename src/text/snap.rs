//! Snapping a selection to word boundaries, so that a drag that starts inside 在宅 or ends inside
//! レスパイト still codes whole words. With the token index (lindera) the boundaries are the
//! tokens'; without it they are the edges of runs of one script (kanji, hiragana, katakana,
//! Latin letters and digits). Punctuation and spaces never pull a boundary along.

use crate::model::TokenSpan;

/// The script of a character, for the fallback word boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    Kanji,
    Hiragana,
    Katakana,
    Alphanumeric,
    /// Punctuation, spaces, symbols: never part of a word run.
    Other,
}

fn script(c: char) -> Script {
    match c {
        '々'
        | '〆'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}' => Script::Kanji,
        '\u{3041}'..='\u{309F}' => Script::Hiragana,
        'ー' | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
            Script::Katakana
        }
        c if c.is_alphanumeric() => Script::Alphanumeric,
        _ => Script::Other,
    }
}

/// `[start, end)` widened to whole words of `chars` (the document's code points): to the
/// tokens that contain its ends when `tokens` is given, else to the script runs that contain
/// them. An empty or out-of-range span comes back unchanged.
pub fn snap_to_words(
    chars: &[char],
    tokens: Option<&[TokenSpan]>,
    start: usize,
    end: usize,
) -> (usize, usize) {
    if start >= end || end > chars.len() {
        return (start, end);
    }
    if let Some(tokens) = tokens.filter(|tokens| !tokens.is_empty()) {
        let containing = |offset: usize| {
            let index = tokens.partition_point(|token| token.end <= offset);
            tokens
                .get(index)
                .filter(|token| token.start <= offset && offset < token.end)
        };
        let is_word = |token: &TokenSpan| {
            chars
                .get(token.start..token.end)
                .is_some_and(|word| word.iter().any(|c| script(*c) != Script::Other))
        };
        let new_start = containing(start)
            .filter(|token| is_word(token))
            .map_or(start, |token| token.start);
        let new_end = containing(end - 1)
            .filter(|token| is_word(token))
            .map_or(end, |token| token.end);
        return (new_start, new_end);
    }
    let mut new_start = start;
    if let Some(first) = chars.get(start).map(|c| script(*c))
        && first != Script::Other
    {
        while new_start > 0 && chars.get(new_start - 1).map(|c| script(*c)) == Some(first) {
            new_start -= 1;
        }
    }
    let mut new_end = end;
    if let Some(last) = chars.get(end - 1).map(|c| script(*c))
        && last != Script::Other
    {
        while chars.get(new_end).map(|c| script(*c)) == Some(last) {
            new_end += 1;
        }
    }
    (new_start, new_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(text: &str, tokens: Option<&[TokenSpan]>, start: usize, end: usize) -> String {
        let chars: Vec<char> = text.chars().collect();
        let (start, end) = snap_to_words(&chars, tokens, start, end);
        chars[start..end].iter().collect()
    }

    #[test]
    fn without_tokens_a_selection_grows_to_whole_script_runs() {
        // 「宅に移」 inside 在宅に移行した → 在宅に移行 (kanji run, hiragana, kanji run).
        assert_eq!(snap("在宅に移行した", None, 1, 4), "在宅に移行");
        // Katakana with the long vowel mark, and 𠮷 as one kanji code point.
        assert_eq!(snap("このレスパイトは", None, 3, 5), "レスパイト");
        assert_eq!(snap("𠮷田さん", None, 1, 2), "𠮷田");
        // Punctuation at an end does not pull the boundary.
        assert_eq!(snap("支援、連携", None, 1, 3), "支援、");
        // NICU in full-width letters is one run.
        assert_eq!(snap("元はＮＩＣＵに", None, 3, 4), "ＮＩＣＵ");
    }

    #[test]
    fn with_tokens_the_ends_move_to_the_tokens_that_hold_them() {
        // 医療的ケア児 | を | 支援 | し | た
        let tokens = [
            TokenSpan {
                start: 0,
                end: 6,
                lexeme_id: 1,
            },
            TokenSpan {
                start: 6,
                end: 7,
                lexeme_id: 2,
            },
            TokenSpan {
                start: 7,
                end: 9,
                lexeme_id: 3,
            },
            TokenSpan {
                start: 9,
                end: 10,
                lexeme_id: 4,
            },
            TokenSpan {
                start: 10,
                end: 11,
                lexeme_id: 5,
            },
        ];
        assert_eq!(
            snap("医療的ケア児を支援した", Some(&tokens), 3, 8),
            "医療的ケア児を支援"
        );
        assert_eq!(snap("医療的ケア児を支援した", Some(&tokens), 7, 9), "支援");
    }

    #[test]
    fn empty_and_out_of_range_spans_are_left_alone() {
        let chars: Vec<char> = "支援".chars().collect();
        assert_eq!(snap_to_words(&chars, None, 1, 1), (1, 1));
        assert_eq!(snap_to_words(&chars, None, 0, 9), (0, 9));
    }
}
