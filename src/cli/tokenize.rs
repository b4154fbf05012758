//! `casecode tokenize`: tokens of a file of any size in constant memory. The file is read in
//! batches of lines (see [`crate::text::stream`]); each batch is cut at line ends into pieces
//! that every core tokenizes and formats, and the pieces are written in order. Offsets are
//! code points from the start of the file, as if it had been tokenized whole.

use std::cell::RefCell;
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

/// The TSV columns after the surface (base form, POS, reading, line end) of the dictionary
/// words met so far on this thread, for the tokenizer [`WordTails::tokenizer`]: reading a
/// word's fields from the dictionary for every token took most of the rendering time, and a
/// cache per piece still met every common word again in every piece.
#[derive(Default)]
struct WordTails {
    tokenizer: u64,
    /// By word id.
    system: Vec<Option<Box<str>>>,
    user: Vec<Option<Box<str>>>,
}

thread_local! {
    static WORD_TAILS: RefCell<WordTails> = RefCell::new(WordTails::default());
}

/// The TSV lines of a piece's tokens. The columns after the surface are made once per
/// dictionary word and thread (see [`WordTails`]) and reused.
fn render_tsv(
    tokenizer: &Tokenizer,
    piece: &str,
    offset: usize,
    rendered: &mut String,
) -> anyhow::Result<()> {
    WORD_TAILS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut tails) => render_tsv_with(tokenizer, piece, offset, rendered, &mut tails),
        Err(_) => render_tsv_with(
            tokenizer,
            piece,
            offset,
            rendered,
            &mut WordTails::default(),
        ),
    })
}

fn render_tsv_with(
    tokenizer: &Tokenizer,
    piece: &str,
    offset: usize,
    rendered: &mut String,
    tails: &mut WordTails,
) -> anyhow::Result<()> {
    if tails.tokenizer != tokenizer.id() {
        *tails = WordTails {
            tokenizer: tokenizer.id(),
            ..WordTails::default()
        };
    }
    let mut words = Vec::with_capacity(piece.len() / 4);
    tokenizer.tokenize_words(piece, &mut words)?;
    for token in &words {
        let surface = piece
            .get(token.byte_start..token.byte_end)
            .unwrap_or_default();
        push_number(rendered, token.start + offset);
        rendered.push('\t');
        push_number(rendered, token.end + offset);
        rendered.push('\t');
        rendered.push_str(surface);
        rendered.push('\t');
        // An unknown word's base form is its surface, and a trimmed token's too: their
        // columns are not shared.
        let slots = match token.word.kind {
            _ if token.word.trimmed => None,
            WordKind::System => Some(&mut tails.system),
            WordKind::User => Some(&mut tails.user),
            WordKind::Unknown => None,
        };
        let index = token.word.id as usize;
        match slots {
            Some(slots) => {
                if slots.len() <= index {
                    slots.resize(index + 1, None);
                }
                if let Some(slot) = slots.get_mut(index) {
                    let tail = slot.get_or_insert_with(|| tail(tokenizer, surface, token.word));
                    rendered.push_str(tail);
                }
            }
            None => rendered.push_str(&tail(tokenizer, surface, token.word)),
        }
    }
    Ok(())
}

/// The columns after the surface of a token of `word`.
fn tail(tokenizer: &Tokenizer, surface: &str, word: Word) -> Box<str> {
    let lexeme = tokenizer.word_lexeme(surface, word);
    let [pos1, pos2, pos3, pos4] = &lexeme.pos;
    format!(
        "{}\t{pos1},{pos2},{pos3},{pos4}\t{}\n",
        lexeme.base_form, lexeme.reading
    )
    .into_boxed_str()
}

/// Appends `number` in decimal (without the formatting machinery: two numbers a token).
fn push_number(out: &mut String, mut number: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(digit) = digits.get_mut(at) {
            *digit = b'0' + (number % 10) as u8;
        }
        number /= 10;
        if number == 0 || at == 0 {
            break;
        }
    }
    out.extend(digits.iter().skip(at).map(|&digit| char::from(digit)));
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

    /// The TSV with columns reused per dictionary word is line for line what each token
    /// gives, also at large offsets, and also for a second dictionary loaded afterwards on
    /// the same thread (whose word ids mean other words: the reused columns must not leak).
    #[test]
    fn tsv_lines_with_shared_word_columns_equal_each_tokens_own() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
        let text = crate::import::read_text_file(&folder.join("A.txt")).expect("sample")
            + "　𠮷田さんとＡＢＣで医療的ケア児の話した\n";
        let plain = Tokenizer::load(&test_dictionary(), &[]).expect("tokenizer");
        let user = Tokenizer::load(
            &test_dictionary(),
            &[folder.join("../dictionaries/user_dictionary.csv")],
        )
        .expect("tokenizer with the domain dictionary");
        for (tokenizer, offset) in [(&plain, 7), (&user, 1_234_567_890), (&plain, 0)] {
            let mut shared = String::new();
            render_tsv(tokenizer, &text, offset, &mut shared).expect("tsv");
            let mut own = String::new();
            tokenizer
                .visit_tokens(&text, |token| render(&mut own, token, offset, false))
                .expect("tokens");
            assert!(own.lines().count() > 1000);
            assert!(shared == own, "the two renderings differ");
        }
    }
}
