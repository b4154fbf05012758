//! `casecode tokenize`: tokens of a file of any size in constant memory. The file is read in
//! batches of lines (see [`crate::text::stream`]); each batch is cut at line ends into pieces
//! that every core tokenizes and formats, and the pieces are written in order. Offsets are
//! code points from the start of the file, as if it had been tokenized whole.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use crate::text::stream::TextBatches;
use crate::text::tokenize::{TokenView, Tokenizer, Word, WordKind, line_pieces};

/// Text read from the file at a time.
const BATCH_BYTES: usize = 1 << 20;
/// Text tokenized by one core at a time.
const PIECE_BYTES: usize = 16 * 1024;

/// Tokenizes the file at `path` onto `out` (TSV, or the JSON array of `--json`).
pub fn tokenize_file(
    tokenizer: &Tokenizer,
    path: &Path,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let batches = TextBatches::open(path, BATCH_BYTES)?;
    tokenize_batches(
        tokenizer,
        batches.map(|batch| batch.map_err(Into::into)),
        json,
        out,
    )
}

/// Tokenizes batches of text that end at line ends, as one text, onto `out`.
pub fn tokenize_batches(
    tokenizer: &Tokenizer,
    batches: impl Iterator<Item = anyhow::Result<String>>,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut chars = 0;
    let mut empty = true;
    if json {
        out.write_all(b"[")?;
    }
    for batch in batches {
        let batch = batch?;
        // Each piece with the code point it starts at.
        let mut pieces: Vec<(Range<usize>, usize)> = Vec::new();
        for range in line_pieces(&batch, PIECE_BYTES) {
            let count = batch
                .get(range.clone())
                .map_or(0, |piece| piece.chars().count());
            pieces.push((range, chars));
            chars += count;
        }
        let rendered: Vec<String> = pieces
            .into_par_iter()
            .map(|(range, offset)| {
                let piece = batch.get(range).unwrap_or_default();
                let mut rendered = String::with_capacity(piece.len() * 8);
                if json {
                    tokenizer
                        .visit_tokens(piece, |token| render(&mut rendered, token, offset, json))?;
                } else {
                    render_tsv(tokenizer, piece, offset, &mut rendered)?;
                }
                Ok(rendered)
            })
            .collect::<anyhow::Result<_>>()?;
        for text in &rendered {
            // Every JSON element starts with a comma; the first one of all drops it.
            let text = match (json && empty, text.strip_prefix(',')) {
                (true, Some(rest)) => rest,
                _ => text.as_str(),
            };
            empty &= text.is_empty();
            out.write_all(text.as_bytes())?;
        }
    }
    if json {
        out.write_all(if empty { b"]\n" } else { b"\n]\n" })?;
    }
    Ok(())
}

/// The TSV lines of a piece's tokens. The columns after the surface (base form, POS,
/// reading) are made once per dictionary word and reused: reading a word's fields from the
/// dictionary for every token took most of the time.
fn render_tsv(
    tokenizer: &Tokenizer,
    piece: &str,
    offset: usize,
    rendered: &mut String,
) -> anyhow::Result<()> {
    let mut words = Vec::new();
    tokenizer.tokenize_words(piece, &mut words)?;
    let mut tails: HashMap<Word, String> = HashMap::new();
    for token in &words {
        let surface = piece
            .get(token.byte_start..token.byte_end)
            .unwrap_or_default();
        // An unknown word's base form is its surface, so its tail is not shared.
        let shared = token.word.kind != WordKind::Unknown && !token.word.trimmed;
        let _ = write!(
            rendered,
            "{}\t{}\t{surface}\t",
            token.start + offset,
            token.end + offset
        );
        match tails.get(&token.word).filter(|_| shared) {
            Some(tail) => rendered.push_str(tail),
            None => {
                let lexeme = tokenizer.word_lexeme(surface, token.word);
                let [pos1, pos2, pos3, pos4] = &lexeme.pos;
                let tail = format!(
                    "{}\t{pos1},{pos2},{pos3},{pos4}\t{}\n",
                    lexeme.base_form, lexeme.reading
                );
                rendered.push_str(&tail);
                if shared {
                    tails.insert(token.word, tail);
                }
            }
        }
    }
    Ok(())
}

/// One token as a TSV line, or as a pretty-printed JSON array element (`,` first).
fn render(rendered: &mut String, token: &TokenView<'_>, offset: usize, json: bool) {
    let token = TokenView {
        start: token.start + offset,
        end: token.end + offset,
        ..*token
    };
    if json {
        let element = serde_json::to_string_pretty(&token).unwrap_or_default();
        rendered.push(',');
        for line in element.lines() {
            rendered.push_str("\n  ");
            rendered.push_str(line);
        }
    } else {
        let [pos1, pos2, pos3, pos4] = token.pos;
        let _ = writeln!(
            rendered,
            "{}\t{}\t{}\t{}\t{pos1},{pos2},{pos3},{pos4}\t{}",
            token.start, token.end, token.surface, token.base_form, token.reading
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::dictionary::tests::test_dictionary;

    /// The TSV with fields reused per dictionary word is line for line what each token gives.
    #[test]
    fn tsv_lines_with_shared_word_columns_equal_each_tokens_own() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
        let text = crate::import::read_text_file(&folder.join("A.txt")).expect("sample")
            + "　𠮷田さんとＡＢＣで話した\n";
        let tokenizer = Tokenizer::load(&test_dictionary(), &[]).expect("tokenizer");
        let mut shared = String::new();
        render_tsv(&tokenizer, &text, 7, &mut shared).expect("tsv");
        let mut own = String::new();
        tokenizer
            .visit_tokens(&text, |token| render(&mut own, token, 7, false))
            .expect("tokens");
        assert!(own.lines().count() > 1000);
        assert!(shared == own, "the two renderings differ");
    }
}
