//! Code-point offsets. Every interface of casecode counts Unicode code points (𠮷 is one), never
//! bytes or UTF-16 units; this index turns them into byte ranges of a Rust `str`.

/// A text with the byte position of every code point, for O(1) slicing by code-point offsets.
#[derive(Clone, Debug, Default)]
pub struct CharIndex {
    text: String,
    /// `bytes[i]` is the byte offset of code point `i`; one extra entry holds `text.len()`.
    bytes: Vec<usize>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: String) -> CharIndex {
        let mut bytes: Vec<usize> = text.char_indices().map(|(index, _)| index).collect();
        bytes.push(text.len());
        CharIndex { text, bytes }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of code points.
    pub fn chars(&self) -> usize {
        self.bytes.len() - 1
    }

    /// The text of `[start, end)` in code points, or `None` when out of range or reversed.
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        if start > end {
            return None;
        }
        let from = *self.bytes.get(start)?;
        let to = *self.bytes.get(end)?;
        self.text.get(from..to)
    }

    /// The code-point offset of a byte offset that lies on a character boundary.
    pub fn char_at_byte(&self, byte: usize) -> Option<usize> {
        self.bytes.binary_search(&byte).ok()
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
}
