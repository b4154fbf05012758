//! Code-point offsets. Every interface of casecode counts Unicode code points (𠮷 is one), never
//! bytes or UTF-16 units; this index turns them into byte ranges of a Rust `str`.

/// Code points between two byte marks of a [`CharIndex`].
const STEP: usize = 32;

/// A text with the byte position of every [`STEP`]-th code point, for slicing by code-point
/// offsets with a walk of fewer than [`STEP`] characters. A mark per code point would take
/// 8 bytes per character (80 MB for a 30 MB project of Japanese text, and most of a cold
/// search's time in page faults); a mark per 32 takes a quarter of a byte.
#[derive(Clone, Debug, Default)]
pub struct CharIndex {
    text: String,
    /// `marks[k]` is the byte offset of code point `k * STEP`.
    marks: Vec<usize>,
    /// Number of code points.
    chars: usize,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: String) -> CharIndex {
        let mut marks = Vec::with_capacity(text.len() / STEP + 1);
        let mut chars = 0usize;
        for (index, byte) in text.bytes().enumerate() {
            // A code point starts at every byte that is not a continuation byte.
            if byte & 0xC0 != 0x80 {
                if chars.is_multiple_of(STEP) {
                    marks.push(index);
                }
                chars += 1;
            }
        }
        if chars.is_multiple_of(STEP) {
            marks.push(text.len());
        }
        CharIndex { text, marks, chars }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of code points.
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// The text of `[start, end)` in code points, or `None` when out of range or reversed.
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        if start > end {
            return None;
        }
        let from = self.byte_of(start)?;
        let to = self.byte_of(end)?;
        self.text.get(from..to)
    }

    /// The code-point offset of a byte offset that lies on a character boundary.
    pub fn char_at_byte(&self, byte: usize) -> Option<usize> {
        if byte > self.text.len() || !self.text.is_char_boundary(byte) {
            return None;
        }
        let mark = self
            .marks
            .partition_point(|&at| at <= byte)
            .checked_sub(1)?;
        let from = *self.marks.get(mark)?;
        let walked = self.text.get(from..byte)?.chars().count();
        Some(mark * STEP + walked)
    }

    /// The byte offset of code point `char` (`text.len()` for one past the last).
    fn byte_of(&self, char: usize) -> Option<usize> {
        if char > self.chars {
            return None;
        }
        let from = *self.marks.get(char / STEP)?;
        let rest = char % STEP;
        if rest == 0 {
            return Some(from);
        }
        let tail = self.text.get(from..)?;
        Some(
            tail.char_indices()
                .nth(rest)
                .map_or(self.text.len(), |(at, _)| from + at),
        )
    }
}

/// Number of code points of `text`.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_bmp_character_counts_as_one_code_point() {
        let index = CharIndex::new("𠮷田さんの支援".to_owned());
        assert_eq!(index.chars(), 7);
        assert_eq!(index.slice(0, 2), Some("𠮷田"));
        assert_eq!(index.slice(5, 7), Some("支援"));
        assert_eq!(index.slice(5, 8), None);
        assert_eq!(index.slice(3, 2), None);
        assert_eq!(index.char_at_byte(4), Some(1));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        /// Every slice and every byte position agrees with a mark per code point, for texts
        /// shorter and longer than a step between marks.
        #[test]
        fn slices_equal_those_of_a_mark_per_code_point(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "す", "𠮷", "a", "支援", "\n", "é", "😀", "ｶﾞ",
            ]), 0..120)
        ) {
            let text = pieces.concat();
            let every: Vec<usize> =
                text.char_indices().map(|(at, _)| at).chain([text.len()]).collect();
            let index = CharIndex::new(text.clone());
            proptest::prop_assert_eq!(index.chars(), every.len() - 1);
            for start in 0..every.len() + 1 {
                for end in [start, start + 1, start + 33, every.len() - 1, every.len()] {
                    let expected = match (every.get(start), every.get(end)) {
                        (Some(&from), Some(&to)) if from <= to => text.get(from..to),
                        _ => None,
                    };
                    proptest::prop_assert_eq!(index.slice(start, end), expected);
                }
            }
            for byte in 0..=text.len() + 1 {
                proptest::prop_assert_eq!(index.char_at_byte(byte), every.binary_search(&byte).ok());
            }
        }
    }
}
