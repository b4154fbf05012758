//! Building the token index of many documents at once, at the speed a user waits for: the
//! documents are cut at line ends into pieces that are tokenized in parallel on every core
//! (lindera never lets a sentence cross a line end, so the pieces give exactly the tokens of
//! the whole text), each token is kept as a span and a dictionary word (no string per token),
//! and the tokens of each document go to the store while the next documents are tokenized.
//! A lexeme's strings are made once, when its dictionary word is first met.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;

use crate::model::DocumentId;
use crate::store::{LexemeFields, TokenBlob, Tx};
use crate::text::tokenize::{Tokenizer, Word, WordKind, WordToken, line_pieces};
use crate::{Error, Result};

/// Pieces are cut at the first line end after this many bytes.
const PIECE_BYTES: usize = 16 * 1024;

/// Documents are tokenized in batches of at least this much text, so that both cores have
/// pieces to share also when the documents are short, while memory holds one batch's tokens.
const BATCH_BYTES: usize = 1024 * 1024;

/// A document waiting to be tokenized: its id, the dictionary key it is indexed with, its text.
pub(crate) type StaleDocument = (DocumentId, String, String);

/// The tokens of one piece of a document, positions relative to the piece.
struct Piece {
    /// Byte and code-point offset of the piece in its document.
    byte_offset: usize,
    char_offset: usize,
    tokens: Vec<WordToken>,
}

/// One tokenized document on its way to the store.
struct Tokenized {
    document_id: DocumentId,
    key: String,
    text: String,
    pieces: Vec<Piece>,
}

/// Tokenizes `stale` on all cores and writes each document's tokens in `tx` as it is ready;
/// returns the number of tokens written. `progress(done, total)` hears about each document.
pub(crate) fn index_documents(
    tx: &Tx<'_>,
    tokenizer: &Tokenizer,
    stale: Vec<StaleDocument>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<usize> {
    let total = stale.len();
    let done = AtomicUsize::new(0);
    let mut lexicon = Lexicon::load(tx, tokenizer)?;
    std::thread::scope(|scope| {
        // Two documents in flight at most: memory stays at about one batch of tokens.
        let (sender, receiver) = sync_channel::<Tokenized>(2);
        let producer = scope.spawn(move || -> Result<()> {
            let mut pending = stale.into_iter().peekable();
            while pending.peek().is_some() {
                let mut batch = Vec::new();
                let mut bytes = 0;
                while let Some(document) = pending.next_if(|_| bytes < BATCH_BYTES) {
                    bytes += document.2.len();
                    batch.push(document);
                }
                for tokenized in tokenize_batch(tokenizer, batch)? {
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(finished, total);
                    if sender.send(tokenized).is_err() {
                        // The writer stopped on an error; it reports it.
                        return Ok(());
                    }
                }
            }
            Ok(())
        });
        let mut written = 0;
        let mut failure = None;
        for tokenized in receiver.iter() {
            match lexicon.write(tx, &tokenized) {
                Ok(count) => written += count,
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        drop(receiver);
        let produced = producer
            .join()
            .map_err(|_| Error::Conflict("the tokenizer thread panicked".to_owned()))?;
        match failure {
            Some(error) => Err(error),
            None => produced.map(|()| written),
        }
    })
}

/// Tokenizes the pieces of a batch of documents in parallel; returns the documents in order.
fn tokenize_batch(tokenizer: &Tokenizer, batch: Vec<StaleDocument>) -> Result<Vec<Tokenized>> {
    let pieces: Vec<(usize, Range<usize>)> = batch
        .iter()
        .enumerate()
        .flat_map(|(index, (_, _, text))| pieces_of(text).map(move |range| (index, range)))
        .collect();
    let tokenized: Vec<(usize, Range<usize>, usize, Vec<WordToken>)> = pieces
        .into_par_iter()
        .map(|(index, range)| {
            let text = batch
                .get(index)
                .and_then(|(_, _, text)| text.get(range.clone()))
                .unwrap_or_default();
            let mut tokens = Vec::with_capacity(text.len() / 4);
            tokenizer.tokenize_words(text, &mut tokens)?;
            Ok((index, range, text.chars().count(), tokens))
        })
        .collect::<std::result::Result<_, crate::text::dictionary::DictionaryError>>()?;
    let mut documents: Vec<Tokenized> = batch
        .into_iter()
        .map(|(document_id, key, text)| Tokenized {
            document_id,
            key,
            text,
            pieces: Vec::new(),
        })
        .collect();
    let mut chars = 0;
    let mut current = usize::MAX;
    for (index, range, piece_chars, tokens) in tokenized {
        if index != current {
            current = index;
            chars = 0;
        }
        if let Some(document) = documents.get_mut(index) {
            document.pieces.push(Piece {
                byte_offset: range.start,
                char_offset: chars,
                tokens,
            });
        }
        chars += piece_chars;
    }
    Ok(documents)
}

/// Byte ranges of `text` cut after a line end once a piece holds [`PIECE_BYTES`].
fn pieces_of(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    line_pieces(text, PIECE_BYTES)
}

/// Lexeme ids by dictionary word, filled as words are met; the lexemes already stored are
/// read once, so a new lexeme is one insert.
struct Lexicon<'t> {
    tokenizer: &'t Tokenizer,
    /// System and user words by word id: the surface (a word has one) and the lexeme id.
    system: Vec<Option<(Box<str>, i64)>>,
    user: Vec<Option<(Box<str>, i64)>>,
    /// Unknown words by character class entry, then surface.
    unknown: HashMap<u32, HashMap<Box<str>, i64>>,
    /// Every stored lexeme by its fields.
    stored: HashMap<(String, String, [String; 4], String), i64>,
}

impl<'t> Lexicon<'t> {
    fn load(tx: &Tx<'_>, tokenizer: &'t Tokenizer) -> Result<Lexicon<'t>> {
        let stored = tx
            .read()
            .lexemes()?
            .into_iter()
            .map(|lexeme| {
                (
                    (lexeme.surface, lexeme.base_form, lexeme.pos, lexeme.reading),
                    lexeme.id,
                )
            })
            .collect();
        Ok(Lexicon {
            tokenizer,
            system: Vec::new(),
            user: Vec::new(),
            unknown: HashMap::new(),
            stored,
        })
    }

    /// Writes one document's tokens; returns how many.
    fn write(&mut self, tx: &Tx<'_>, document: &Tokenized) -> Result<usize> {
        let count = document.pieces.iter().map(|p| p.tokens.len()).sum();
        let mut blob = TokenBlob::with_capacity(count);
        for piece in &document.pieces {
            for token in &piece.tokens {
                let bytes =
                    piece.byte_offset + token.byte_start..piece.byte_offset + token.byte_end;
                let surface = document.text.get(bytes).unwrap_or_default();
                let lexeme_id = self.id(tx, surface, token.word)?;
                blob.push(
                    piece.char_offset + token.start,
                    piece.char_offset + token.end,
                    lexeme_id,
                );
            }
        }
        tx.write_token_blob(document.document_id, &document.key, &blob)?;
        Ok(blob.len())
    }

    /// The lexeme id of a token, storing its lexeme when new.
    fn id(&mut self, tx: &Tx<'_>, surface: &str, word: Word) -> Result<i64> {
        let slots = match word.kind {
            _ if word.trimmed => None,
            WordKind::System => Some(&mut self.system),
            WordKind::User => Some(&mut self.user),
            WordKind::Unknown => {
                if let Some(id) = self
                    .unknown
                    .get(&word.id)
                    .and_then(|surfaces| surfaces.get(surface))
                {
                    return Ok(*id);
                }
                None
            }
        };
        let index = word.id as usize;
        if let Some(slots) = slots
            && let Some(Some((known, id))) = slots.get(index)
            && **known == *surface
        {
            return Ok(*id);
        }
        let id = self.stored_id(tx, surface, word)?;
        if word.trimmed {
            return Ok(id);
        }
        let slots = match word.kind {
            WordKind::System => &mut self.system,
            WordKind::User => &mut self.user,
            WordKind::Unknown => {
                self.unknown
                    .entry(word.id)
                    .or_default()
                    .insert(Box::from(surface), id);
                return Ok(id);
            }
        };
        if slots.len() <= index {
            slots.resize(index + 1, None);
        }
        if let Some(slot) = slots.get_mut(index) {
            *slot = Some((Box::from(surface), id));
        }
        Ok(id)
    }

    /// The id of the lexeme with a token's fields, inserted when not stored yet.
    fn stored_id(&mut self, tx: &Tx<'_>, surface: &str, word: Word) -> Result<i64> {
        let lexeme = self.tokenizer.word_lexeme(surface, word);
        let key = (lexeme.surface, lexeme.base_form, lexeme.pos, lexeme.reading);
        if let Some(id) = self.stored.get(&key) {
            return Ok(*id);
        }
        let id = tx.insert_lexeme(&LexemeFields {
            surface: &key.0,
            base_form: &key.1,
            pos: [&key.2[0], &key.2[1], &key.2[2], &key.2[3]],
            reading: &key.3,
        })?;
        self.stored.insert(key, id);
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::corpus::index::{TextLayer, ensure_index, fnv1a, lexicon};
    use crate::project::Project;
    use crate::text::dictionary::tests::test_dictionary;
    use crate::text::dictionary::{DictionaryOrigin, DictionaryStatus};

    /// A researcher who built the token index of the sample study before this change gets the
    /// same index now: every token's span, surface, base form, POS and reading, and even the
    /// lexeme ids, in every document. The fingerprint was taken with the whole-text, string
    /// per token index build of commit a8ce775 (`casecode demo sample_transcripts`, then
    /// `casecode search … --base-form`, then FNV-1a over the lines below of the stored index).
    #[test]
    fn the_index_of_the_sample_study_is_the_one_built_before_the_speed_work() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("sample.casecode");
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
        crate::sample::build_study(&folder, &path, Some("test")).expect("sample study");
        let mut project = Project::open(&path).expect("open");
        let status = DictionaryStatus {
            path: test_dictionary(),
            origin: DictionaryOrigin::Environment,
            source: None,
            source_encoding: None,
        };
        let layer = TextLayer::with_terms(status, Vec::new()).expect("text layer");
        let report = ensure_index(&mut project, &layer, &|_, _| {}).expect("index");
        assert_eq!((report.documents, report.tokenized), (10, 10));
        let lexemes = lexicon(&project).expect("lexicon");
        let reader = project.read();
        let mut infos = reader.document_infos().expect("documents");
        infos.sort_by(|a, b| a.name.cmp(&b.name));
        let mut lines = String::new();
        let mut count = 0;
        for info in &infos {
            let tokens = reader.tokens(info.id).expect("read").expect("indexed");
            for token in tokens {
                let lexeme = &lexemes[&token.lexeme_id];
                lines.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    info.name,
                    token.start,
                    token.end,
                    lexeme.surface,
                    lexeme.base_form,
                    lexeme.pos.join(","),
                    lexeme.reading,
                    token.lexeme_id
                ));
                count += 1;
            }
        }
        assert!(
            lines.contains("\t相談支援専門員\t相談支援専門員\t名詞,"),
            "domain terms"
        );
        assert_eq!(
            (count, format!("{:016x}", fnv1a(lines.as_bytes()))),
            (30_452, "ec024914ae2faff1".to_owned())
        );
    }

    /// A long document is cut into pieces that both cores tokenize; the tokens are those of
    /// the whole text at once, with the same spans and the same lexemes.
    #[test]
    fn a_long_document_cut_into_pieces_gives_the_tokens_of_the_whole_text() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
        let mut text = String::new();
        for name in ["A.txt", "B.txt", "C.txt", "D.txt", "E.txt", "F.txt"] {
            text.push_str(&crate::import::read_text_file(&folder.join(name)).expect("sample"));
            // A full-width space and 𠮷 at a piece's edge move no offset.
            text.push_str("　𠮷田\n");
        }
        let tokenizer = Tokenizer::load(&test_dictionary(), &[]).expect("tokenizer");
        let whole = tokenizer.tokenize(&text);
        let batch = vec![(DocumentId(1), String::new(), text.clone())];
        let documents = tokenize_batch(&tokenizer, batch).expect("tokenize");
        let [document] = documents.as_slice() else {
            panic!("one document");
        };
        assert!(document.pieces.len() > 3, "{}", document.pieces.len());
        let pieced: Vec<crate::text::tokenize::Token> = document
            .pieces
            .iter()
            .flat_map(|piece| {
                piece.tokens.iter().map(|token| {
                    let bytes =
                        piece.byte_offset + token.byte_start..piece.byte_offset + token.byte_end;
                    let mut lexeme = tokenizer.word_lexeme(&text[bytes], token.word);
                    lexeme.start = piece.char_offset + token.start;
                    lexeme.end = piece.char_offset + token.end;
                    lexeme
                })
            })
            .collect();
        assert_eq!(pieced.len(), whole.len());
        assert!(pieced == whole, "the pieces tokenize as the whole text");
    }

    #[test]
    fn pieces_end_at_line_ends_and_cover_the_text() {
        let line = "Ａ：支援しています。\n";
        let text = line.repeat(3_000);
        let pieces: Vec<Range<usize>> = pieces_of(&text).collect();
        assert!(pieces.len() > 2, "{}", pieces.len());
        let mut at = 0;
        for piece in &pieces {
            assert_eq!(piece.start, at);
            assert!(text[piece.clone()].ends_with('\n'));
            at = piece.end;
        }
        assert_eq!(at, text.len());
        let unterminated = "支援".repeat(10_000);
        let whole: Vec<Range<usize>> = pieces_of(&unterminated).collect();
        assert_eq!((whole.len(), whole.first()), (1, Some(&(0..60_000))));
        assert_eq!(pieces_of("").count(), 0);
    }
}
