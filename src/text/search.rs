//! Finding spans in one text: substrings of any length (also one or two characters, which
//! SQLite's trigram index cannot find) on the folded search copy, and regular expressions on
//! the stored text. Results are code-point spans of the stored text, sorted.

use regex::Regex;

use super::fold::{FoldedText, fold_query};

/// Every occurrence of `query` in `text` after folding both (NFKC, lower case), as original
/// code-point spans `[start, end)`. Overlapping occurrences are all reported.
pub fn find_substring(text: &FoldedText, query: &str) -> Vec<(usize, usize)> {
    let query = fold_query(query);
    let Some(first) = query.chars().next() else {
        return Vec::new();
    };
    let query_chars = query.chars().count();
    let haystack = text.as_str();
    let mut spans = Vec::new();
    let mut char_position = 0usize;
    let mut byte_position = 0usize;
    let mut from = 0usize;
    while let Some(found) = haystack.get(from..).and_then(|rest| rest.find(&query)) {
        let byte = from + found;
        char_position += haystack
            .get(byte_position..byte)
            .map_or(0, |skipped| skipped.chars().count());
        byte_position = byte;
        if let Some(span) = text.original_span(char_position, char_position + query_chars) {
            spans.push(span);
        }
        // Step one character so that overlapping occurrences are found too.
        from = byte + first.len_utf8();
    }
    spans.dedup();
    spans
}

/// Every match of `regex` in the stored `text`, as code-point spans; empty matches are skipped.
pub fn find_regex(text: &str, regex: &Regex) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut char_position = 0usize;
    let mut byte_position = 0usize;
    for found in regex.find_iter(text) {
        if found.start() == found.end() {
            continue;
        }
        char_position += text
            .get(byte_position..found.start())
            .map_or(0, |s| s.chars().count());
        byte_position = found.start();
        let length = found.as_str().chars().count();
        spans.push((char_position, char_position + length));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_two_character_terms_are_found_after_a_non_bmp_character() {
        let text = "𠮷田：児の支援。\n医ケア児も支援して、支援した。";
        let folded = FoldedText::new(text);
        assert_eq!(find_substring(&folded, "児"), [(3, 4), (12, 13)]);
        assert_eq!(
            find_substring(&folded, "支援"),
            [(5, 7), (14, 16), (19, 21)]
        );
        assert_eq!(find_substring(&folded, "ああ"), []);
        assert_eq!(
            find_substring(&FoldedText::new("ああああ"), "ああ"),
            [(0, 2), (1, 3), (2, 4)]
        );
        let regex = Regex::new("支援し[てた]").expect("regex");
        assert_eq!(find_regex(text, &regex), [(14, 18), (19, 23)]);
    }
}
