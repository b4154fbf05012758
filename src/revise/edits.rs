//! Text edits in code points: what changed between two versions of a transcript, as a sorted
//! list of non-overlapping replacements of the old text. A revision is stored as its edits (the
//! journal and the undo stack then hold the change, not two copies of a long transcript).

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp};

/// Replace the old text's code points `[start, end)` with `text` (`start == end`: an insertion;
/// empty `text`: a deletion).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEdit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl TextEdit {
    /// Code points removed from the old text.
    pub fn deleted(&self) -> usize {
        self.end - self.start
    }

    /// Code points inserted.
    pub fn inserted(&self) -> usize {
        self.text.chars().count()
    }
}

/// Checks that edits fit a text of `chars` code points: each `start <= end <= chars`, sorted,
/// not overlapping (they may touch, except two insertions at one point: that is one insertion),
/// none a no-op. The message says which edit is wrong.
pub fn check_edits(edits: &[TextEdit], chars: usize) -> Result<(), String> {
    let mut previous: Option<&TextEdit> = None;
    for (index, edit) in edits.iter().enumerate() {
        let number = index + 1;
        if edit.start > edit.end {
            return Err(format!(
                "edit {number}: start {} is after end {}",
                edit.start, edit.end
            ));
        }
        if edit.end > chars {
            return Err(format!(
                "edit {number}: end {} is past the end of the text ({chars} characters)",
                edit.end
            ));
        }
        if edit.start == edit.end && edit.text.is_empty() {
            return Err(format!("edit {number} changes nothing"));
        }
        if let Some(previous) = previous {
            let two_insertions = previous.start == previous.end
                && edit.start == edit.end
                && edit.start == previous.end;
            if edit.start < previous.end || two_insertions {
                return Err(format!(
                    "edit {number} at {} overlaps the edit before it (which ends at {}); edits must be sorted and apart",
                    edit.start, previous.end
                ));
            }
        }
        previous = Some(edit);
    }
    Ok(())
}

/// The text after the edits (which must pass [`check_edits`]; positions past the end are
/// treated as the end).
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let inserted: usize = edits.iter().map(|edit| edit.text.len()).sum();
    let mut out = String::with_capacity(text.len() + inserted);
    let mut bytes = ByteOffsets::new(text);
    let mut copied_to = 0usize;
    for edit in edits {
        let start = bytes.of(edit.start);
        let end = bytes.of(edit.end);
        out.push_str(text.get(copied_to..start).unwrap_or_default());
        out.push_str(&edit.text);
        copied_to = end.max(copied_to);
    }
    out.push_str(text.get(copied_to..).unwrap_or_default());
    out
}

/// Byte offsets of code-point positions asked for in ascending order, in one forward walk.
struct ByteOffsets<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    /// The code-point position and byte offset reached so far.
    position: usize,
    byte: usize,
}

impl<'a> ByteOffsets<'a> {
    fn new(text: &'a str) -> ByteOffsets<'a> {
        ByteOffsets {
            text,
            chars: text.char_indices(),
            position: 0,
            byte: 0,
        }
    }

    /// The byte offset of code point `target` (the end of the text past it); `target` must not
    /// be before the previous one asked for.
    fn of(&mut self, target: usize) -> usize {
        while self.position < target {
            match self.chars.next() {
                Some((_, c)) => {
                    self.byte += c.len_utf8();
                    self.position += 1;
                }
                None => return self.text.len(),
            }
        }
        self.byte
    }
}

/// The edits that turn the text after `edits` back into `text`: applied to the new text they
/// restore the old one exactly.
pub fn inverse_edits(text: &str, edits: &[TextEdit]) -> Vec<TextEdit> {
    let chars: Vec<char> = text.chars().collect();
    let mut inverse: Vec<TextEdit> = Vec::with_capacity(edits.len());
    let mut shift: isize = 0;
    for edit in edits {
        let start = (edit.start as isize + shift) as usize;
        let inserted = edit.inserted();
        let old: String = chars
            .get(edit.start..edit.end.min(chars.len()))
            .unwrap_or_default()
            .iter()
            .collect();
        match inverse.last_mut() {
            // Touching edits (two deletions side by side) would invert into two insertions at
            // one point: they are one edit of the new text.
            Some(last) if last.end == start => {
                last.end = start + inserted;
                last.text.push_str(&old);
            }
            _ => inverse.push(TextEdit {
                start,
                end: start + inserted,
                text: old,
            }),
        }
        shift += inserted as isize - edit.deleted() as isize;
    }
    inverse
}

/// Every occurrence of `find` in `text` replaced by `with`, left to right, not overlapping.
/// Empty `find` finds nothing.
pub fn replace_all(text: &str, find: &str, with: &str) -> Vec<TextEdit> {
    if find.is_empty() || find == with {
        return Vec::new();
    }
    let find_chars = find.chars().count();
    let mut edits = Vec::new();
    let mut char_position = 0usize;
    let mut byte_position = 0usize;
    for (byte, _) in text.match_indices(find) {
        char_position += text
            .get(byte_position..byte)
            .unwrap_or_default()
            .chars()
            .count();
        edits.push(TextEdit {
            start: char_position,
            end: char_position + find_chars,
            text: with.to_owned(),
        });
        char_position += find_chars;
        byte_position = byte + find.len();
    }
    edits
}

/// How long a character diff may search for the smallest edit script before it settles for a
/// coarser (still exact) one: two very different versions must not freeze the workbench.
const DIFF_DEADLINE: Duration = Duration::from_secs(2);

/// The edits that turn `old` into `new`, from a character diff (Myers, in code points).
/// Equal text is never part of an edit, except a short run between two larger changes that
/// only matched by chance (one `の` inside a rewritten sentence): it is absorbed into one
/// replacement so that a coding on the rewritten sentence is orphaned rather than pinned to a
/// stray particle. Equal texts give no edits.
pub fn diff_texts(old: &str, new: &str) -> Vec<TextEdit> {
    if old == new {
        return Vec::new();
    }
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &old_chars,
        &new_chars,
        Some(Instant::now() + DIFF_DEADLINE),
    );
    // Raw changes as (old range, new range), with the equal runs between them.
    let mut changes: Vec<Change> = Vec::new();
    for op in ops {
        let (old_range, new_range) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index..old_index + old_len, new_index..new_index),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        match changes.last_mut() {
            Some(last) if last.old.end == old_range.start && last.new.end == new_range.start => {
                last.old.end = old_range.end;
                last.new.end = new_range.end;
            }
            _ => changes.push(Change {
                old: old_range,
                new: new_range,
            }),
        }
    }
    let changes = absorb_chance_matches(changes);
    changes
        .into_iter()
        .map(|change| TextEdit {
            start: change.old.start,
            end: change.old.end,
            text: new_chars
                .get(change.new.clone())
                .unwrap_or_default()
                .iter()
                .collect(),
        })
        .collect()
}

#[derive(Clone, Debug)]
struct Change {
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
}

impl Change {
    fn size(&self) -> usize {
        self.old.len().max(self.new.len())
    }
}

/// Merges two changes separated by an equal run that is no longer than either change (the
/// "semantic cleanup" rule of diff-match-patch, in one left-to-right pass).
fn absorb_chance_matches(changes: Vec<Change>) -> Vec<Change> {
    let mut merged: Vec<Change> = Vec::with_capacity(changes.len());
    for change in changes {
        if let Some(last) = merged.last_mut() {
            let gap = change.old.start - last.old.end;
            if gap <= last.size() && gap <= change.size() {
                last.old.end = change.old.end;
                last.new.end = change.new.end;
                continue;
            }
        }
        merged.push(change);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> TextEdit {
        TextEdit {
            start,
            end,
            text: text.to_owned(),
        }
    }

    #[test]
    fn applying_edits_counts_code_points_not_bytes() {
        let text = "𠮷田さんは山田さんと話した";
        let edits = vec![edit(0, 2, "○○"), edit(5, 7, "○○")];
        assert_eq!(apply_edits(text, &edits), "○○さんは○○さんと話した");
        assert_eq!(
            apply_edits(text, &[edit(13, 13, "。")]),
            format!("{text}。")
        );
    }

    #[test]
    fn inverse_edits_restore_the_old_text() {
        let text = "Ａ：えー、相談支援専門員さんと話しました。";
        let edits = vec![edit(2, 5, ""), edit(7, 7, "の"), edit(19, 21, "た！")];
        let new = apply_edits(text, &edits);
        assert_eq!(new, "Ａ：相談の支援専門員さんと話しました！");
        assert_eq!(apply_edits(&new, &inverse_edits(text, &edits)), text);
        // Two deletions side by side invert into one insertion.
        let touching = vec![edit(2, 3, ""), edit(3, 5, "")];
        let inverse = inverse_edits(text, &touching);
        assert_eq!(inverse, vec![edit(2, 2, "えー、")]);
        assert!(check_edits(&inverse, 18).is_ok());
    }

    #[test]
    fn a_diff_rebuilds_the_new_text_from_the_old() {
        let old = "Ｉ：お名前は？\nＡ：山田です。えー、相談員をしています。\n";
        let new = "Ｉ：お名前は？\nＡ：○○です。相談支援専門員をしています。\n追加の行。\n";
        let edits = diff_texts(old, new);
        assert!(check_edits(&edits, old.chars().count()).is_ok());
        assert_eq!(apply_edits(old, &edits), new);
        assert!(diff_texts(old, old).is_empty());
    }

    #[test]
    fn a_stray_particle_inside_a_rewritten_sentence_is_not_kept() {
        let old = "前文。あいうえおのかきくけこ。後文。";
        let new = "前文。さしすせその、たちつてと。後文。";
        let edits = diff_texts(old, new);
        assert_eq!(edits.len(), 1, "{edits:?}");
        assert_eq!(apply_edits(old, &edits), new);
    }

    #[test]
    fn replace_all_finds_every_occurrence_in_code_points() {
        let edits = replace_all("𠮷山田と山田山田", "山田", "○○");
        assert_eq!(
            edits,
            vec![edit(1, 3, "○○"), edit(4, 6, "○○"), edit(6, 8, "○○")]
        );
        assert!(check_edits(&edits, 8).is_ok());
        assert_eq!(apply_edits("𠮷山田と山田山田", &edits), "𠮷○○と○○○○");
        assert!(replace_all("山田", "", "x").is_empty());
    }

    #[test]
    fn bad_edits_are_named() {
        assert!(
            check_edits(&[edit(3, 2, "")], 10)
                .expect_err("refused")
                .contains("edit 1")
        );
        assert!(
            check_edits(&[edit(0, 11, "")], 10)
                .expect_err("refused")
                .contains("past the end")
        );
        assert!(check_edits(&[edit(0, 3, "x"), edit(2, 3, "")], 10).is_err());
        assert!(check_edits(&[edit(2, 2, "x"), edit(2, 2, "y")], 10).is_err());
        assert!(check_edits(&[edit(4, 4, "")], 10).is_err());
    }
}
