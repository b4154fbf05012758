//! Japanese morphological analysis: turns text into [`Token`]s with **code-point** spans,
//! using a lindera dictionary provisioned by [`super::dictionary`] plus optional user
//! dictionaries (lindera's simple CSV `surface,品詞,読み`).
//!
//! Tokens follow lindera's segmentation, except that whitespace (half- and full-width spaces,
//! tabs, newlines) never forms a token, and that lindera sees non-ASCII whitespace as ASCII
//! spaces (see [`spaces_for_lindera`]: works around a lindera builder bug that makes `　`
//! derail the words next to it). A [`Tokenizer`] is `Send + Sync` and cheap to clone, so
//! documents can be tokenized in parallel; each thread reuses its own lattice.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fs;
use std::io::Cursor;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lindera::dictionary::{DictionaryBuilder, Lattice, UserDictionary, load_fs_dictionary};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

use super::dictionary::{DictionaryError, error_chain};

/// One morpheme of a text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    /// First code point of the token in the text.
    pub start: usize,
    /// One past the last code point (half-open `[start, end)`).
    pub end: usize,
    /// The text of the token, exactly as in the input.
    pub surface: String,
    /// 原形 (dictionary form); the surface when IPADIC has none (`*`, unknown words).
    pub base_form: String,
    /// 品詞, 品詞細分類1, 品詞細分類2, 品詞細分類3 (`*` where IPADIC has none).
    pub pos: [String; 4],
    /// 読み in katakana; empty when unknown.
    pub reading: String,
}

/// Where the detail fields sit in the dictionary's details (schema index minus the four
/// common fields surface, left id, right id, cost).
#[derive(Clone, Copy, Debug)]
struct FieldIndex {
    pos: [Option<usize>; 4],
    base_form: Option<usize>,
    reading: Option<usize>,
}

/// A loaded dictionary (plus user dictionaries) ready to tokenize; cheap to clone.
#[derive(Clone)]
pub struct Tokenizer {
    segmenter: Arc<Segmenter>,
    fields: FieldIndex,
    /// The system words' details read from the files (see [`WordsFile`]); `None` where they
    /// cannot be opened, and the details come through lindera's map instead.
    words_file: Option<Arc<WordsFile>>,
    /// Distinct for every [`Tokenizer::load`]; clones share it.
    id: u64,
}

/// The next [`Tokenizer::id`].
static NEXT_TOKENIZER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Detail fields looked at per token (IPADIC has 9).
const MAX_FIELDS: usize = 16;

thread_local! {
    /// One lattice per thread, reused across calls (lindera's `segment_with_lattice`).
    static LATTICE: RefCell<Lattice> = RefCell::new(Lattice::default());
}

impl Tokenizer {
    /// Loads the built dictionary at `dictionary` and compiles the user dictionaries (UTF-8
    /// CSV rows `surface,品詞,読み`, e.g. `医療的ケア児,カスタム名詞,イリョウテキケアジ`).
    pub fn load(
        dictionary: &Path,
        user_dictionaries: &[PathBuf],
    ) -> Result<Tokenizer, DictionaryError> {
        let system = load_fs_dictionary(dictionary).map_err(|e| DictionaryError::Load {
            path: dictionary.to_path_buf(),
            message: error_chain(&e),
        })?;
        let user = compile_user_dictionaries(
            &DictionaryBuilder::new((*system.metadata).clone()),
            user_dictionaries,
        )?;
        let schema = &system.metadata.dictionary_schema;
        let field = |name: &str| schema.get_field_index(name).and_then(|i| i.checked_sub(4));
        let fields = FieldIndex {
            pos: [
                field("part_of_speech"),
                field("part_of_speech_subcategory_1"),
                field("part_of_speech_subcategory_2"),
                field("part_of_speech_subcategory_3"),
            ],
            base_form: field("base_form"),
            reading: field("reading"),
        };
        let segmenter = Segmenter::new(Mode::Normal, system, user);
        Ok(Tokenizer {
            segmenter: Arc::new(segmenter),
            fields,
            words_file: WordsFile::open(dictionary).map(Arc::new),
            id: NEXT_TOKENIZER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Tells loaded dictionaries apart: the same for clones, another for every load. Whoever
    /// keeps something per dictionary word across calls (a cache of a word's columns) keys
    /// it by this, because word ids mean other words in another load.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Splits `text` into tokens with code-point spans. Whitespace is not a token.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        // lindera 6.2's segmenter has no failing path; should one appear, the text has no tokens.
        self.try_tokenize(text).unwrap_or_default()
    }

    /// [`Tokenizer::tokenize`], passing on an error of lindera's segmenter.
    pub fn try_tokenize(&self, text: &str) -> Result<Vec<Token>, DictionaryError> {
        LATTICE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut lattice) => self.tokenize_with(text, &mut lattice),
            Err(_) => self.tokenize_with(text, &mut Lattice::default()),
        })
    }

    fn tokenize_with(
        &self,
        text: &str,
        lattice: &mut Lattice,
    ) -> Result<Vec<Token>, DictionaryError> {
        let mut tokens = Vec::new();
        self.walk(text, lattice, |walked| {
            let fields = self.fields_of(walked.word);
            tokens.push(Token {
                start: walked.start,
                end: walked.end,
                surface: walked.surface.to_string(),
                base_form: fields
                    .base_form(walked.surface, walked.word.trimmed)
                    .to_string(),
                pos: fields.pos.map(str::to_string),
                reading: fields.reading.to_string(),
            });
        })?;
        Ok(tokens)
    }

    /// Calls `visit` with every token of `text`, in order, without building strings: the
    /// one place that turns lindera's segmentation into code-point spans (both
    /// [`Tokenizer::tokenize`] and [`Tokenizer::tokenize_words`] go through it, so they agree).
    fn walk(
        &self,
        text: &str,
        lattice: &mut Lattice,
        mut visit: impl FnMut(Walked<'_>),
    ) -> Result<(), DictionaryError> {
        let analysed = spaces_for_lindera(text);
        let segmented = self
            .segmenter
            .segment_with_lattice(Cow::Borrowed(&analysed), lattice)
            .map_err(|e| DictionaryError::Segment {
                message: error_chain(&e),
            })?;
        // Walks forward once: (byte, code point) of the last position converted.
        let (mut byte_at, mut char_at) = (0_usize, 0_usize);
        for token in segmented {
            // lindera's byte offsets are absolute; check them, and find the surface if not.
            let found = if analysed.get(token.byte_start..token.byte_end) == Some(&*token.surface) {
                Some(token.byte_start)
            } else {
                analysed
                    .get(byte_at..)
                    .and_then(|rest| rest.find(&*token.surface))
                    .map(|i| byte_at + i)
            };
            let Some(byte_start) = found.filter(|&b| b >= byte_at) else {
                continue;
            };
            let byte_end = byte_start + token.surface.len();
            if token.surface.chars().all(char::is_whitespace) {
                continue;
            }
            // The same bytes of the original text (the substitution keeps every byte offset).
            let Some(surface) = text.get(byte_start..byte_end) else {
                continue;
            };
            // Trim whitespace lindera grouped into a token.
            let front = surface.trim_start_matches(char::is_whitespace);
            let core = front.trim_end_matches(char::is_whitespace);
            let core_start = byte_start + (surface.len() - front.len());
            char_at += text
                .get(byte_at..core_start)
                .map_or(0, |gap| gap.chars().count());
            let start = char_at;
            char_at += core.chars().count();
            byte_at = core_start + core.len();
            visit(Walked {
                start,
                end: char_at,
                byte_start: core_start,
                surface: core,
                word: Word {
                    kind: WordKind::of(token.word_id),
                    id: token.word_id.id(),
                    trimmed: core.len() != surface.len(),
                },
            });
        }
        Ok(())
    }

    /// The tokens of `text` as spans and dictionary words, appended to `out` (no string per
    /// token: what the index build needs). The same tokens as [`Tokenizer::tokenize`]: the
    /// lexeme of each is `word_lexeme(surface, word)`.
    pub fn tokenize_words(
        &self,
        text: &str,
        out: &mut Vec<WordToken>,
    ) -> Result<(), DictionaryError> {
        LATTICE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut lattice) => self.walk_words(text, &mut lattice, out),
            Err(_) => self.walk_words(text, &mut Lattice::default(), out),
        })
    }

    fn walk_words(
        &self,
        text: &str,
        lattice: &mut Lattice,
        out: &mut Vec<WordToken>,
    ) -> Result<(), DictionaryError> {
        self.walk(text, lattice, |walked| {
            out.push(WordToken {
                start: walked.start,
                end: walked.end,
                byte_start: walked.byte_start,
                byte_end: walked.byte_start + walked.surface.len(),
                word: walked.word,
            });
        })
    }

    /// Calls `visit` with every token of `text` as borrowed fields (no string per token):
    /// what [`Tokenizer::tokenize`] gives, for callers that print or count tokens.
    pub fn visit_tokens(
        &self,
        text: &str,
        mut visit: impl FnMut(&TokenView<'_>),
    ) -> Result<(), DictionaryError> {
        let mut run = |lattice: &mut Lattice| {
            self.walk(text, lattice, |walked| {
                let fields = self.fields_of(walked.word);
                visit(&TokenView {
                    start: walked.start,
                    end: walked.end,
                    surface: walked.surface,
                    base_form: fields.base_form(walked.surface, walked.word.trimmed),
                    pos: fields.pos,
                    reading: fields.reading,
                });
            })
        };
        LATTICE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut lattice) => run(&mut lattice),
            Err(_) => run(&mut Lattice::default()),
        })
    }

    /// The lexeme of a token that [`Tokenizer::tokenize_words`] found: its surface (the text
    /// of `byte_start..byte_end`), base form, POS and reading, exactly as
    /// [`Tokenizer::tokenize`] gives them.
    pub fn word_lexeme(&self, surface: &str, word: Word) -> Token {
        // Called once per distinct word by its callers, which keep the result: the details
        // of a system word are read from the file, not touched through lindera's map.
        let read = match (&self.words_file, word.kind) {
            (Some(file), WordKind::System) => file.details(word.id),
            _ => None,
        };
        let fields = match &read {
            Some(joined) => {
                let mut details = ["*"; MAX_FIELDS];
                (details.iter_mut())
                    .zip(joined.split('\0'))
                    .for_each(|(slot, value)| *slot = value);
                self.fields_from(details)
            }
            None => self.fields_of(word),
        };
        Token {
            start: 0,
            end: 0,
            surface: surface.to_string(),
            base_form: fields.base_form(surface, word.trimmed).to_string(),
            pos: fields.pos.map(str::to_string),
            reading: fields.reading.to_string(),
        }
    }

    /// The detail fields of a dictionary word, borrowed from the dictionary.
    fn fields_of(&self, word: Word) -> WordFields<'_> {
        self.fields_from(self.detail_fields(word))
    }

    /// The fields of a word from its first [`MAX_FIELDS`] detail fields.
    fn fields_from<'d>(&self, details: [&'d str; MAX_FIELDS]) -> WordFields<'d> {
        let field =
            |index: Option<usize>| index.and_then(|i| details.get(i)).copied().unwrap_or("*");
        WordFields {
            pos: self.fields.pos.map(field),
            base_form: field(self.fields.base_form),
            reading: match field(self.fields.reading) {
                "*" => "",
                r => r,
            },
        }
    }

    /// The first [`MAX_FIELDS`] detail fields of a word, borrowed from the dictionary without
    /// the per-token allocation of lindera's `Token::details` (unset fields are `*`, as there).
    fn detail_fields<'d>(&'d self, word: Word) -> [&'d str; MAX_FIELDS] {
        let id = word.id as usize;
        let mut fields = ["*"; MAX_FIELDS];
        let mut fill = |values: &mut dyn Iterator<Item = &'d str>| {
            fields
                .iter_mut()
                .zip(values)
                .for_each(|(slot, value)| *slot = value);
        };
        let dictionary = &self.segmenter.dictionary;
        match word.kind {
            WordKind::Unknown => fill(&mut dictionary.unknown_word_details_iter(id)),
            WordKind::System => fill(&mut dictionary.word_details_iter(id)),
            WordKind::User => {
                if let Some(user) = &self.segmenter.user_dictionary {
                    fill(&mut user.word_details_iter(id));
                }
            }
        }
        fields
    }
}

/// The system dictionary's word details read with `pread` from `dict.wordsidx` (a
/// little-endian `u32` offset per word id) and `dict.words` (at that offset a `u32` length and
/// the fields joined by NUL), lindera 6.2's layout. Through lindera's memory map, the first
/// touch of each word brought the kernel's 64 KB of neighbouring pages into the process too:
/// a couple of thousand distinct words kept 26 MB of the 33 MB file resident during an index
/// build. Read this way, only the bytes asked for are copied.
#[derive(Debug)]
struct WordsFile {
    index: std::fs::File,
    words: std::fs::File,
}

impl WordsFile {
    #[cfg(unix)]
    fn open(dictionary: &Path) -> Option<WordsFile> {
        Some(WordsFile {
            index: std::fs::File::open(dictionary.join("dict.wordsidx")).ok()?,
            words: std::fs::File::open(dictionary.join("dict.words")).ok()?,
        })
    }

    #[cfg(not(unix))]
    fn open(_dictionary: &Path) -> Option<WordsFile> {
        None
    }

    /// The joined details of system word `id`; `None` when the files do not hold it (the
    /// caller then asks lindera).
    #[cfg(unix)]
    fn details(&self, id: u32) -> Option<String> {
        use std::os::unix::fs::FileExt;
        let mut four = [0u8; 4];
        self.index
            .read_exact_at(&mut four, u64::from(id) * 4)
            .ok()?;
        let offset = u64::from(u32::from_le_bytes(four));
        self.words.read_exact_at(&mut four, offset).ok()?;
        // A word's fields are a few dozen bytes; a larger length is a damaged file, left to
        // lindera's checks rather than allocated.
        let length = u32::from_le_bytes(four) as usize;
        if length > 64 * 1024 {
            return None;
        }
        let mut joined = vec![0u8; length];
        self.words.read_exact_at(&mut joined, offset + 4).ok()?;
        String::from_utf8(joined).ok()
    }

    #[cfg(not(unix))]
    fn details(&self, _id: u32) -> Option<String> {
        None
    }
}

/// A [`Token`] with its fields borrowed from the text and the dictionary; serializes as a
/// [`Token`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TokenView<'a> {
    pub start: usize,
    pub end: usize,
    pub surface: &'a str,
    pub base_form: &'a str,
    pub pos: [&'a str; 4],
    pub reading: &'a str,
}

/// Byte ranges of `text` cut after a line end once a piece holds `piece_bytes`: lindera never
/// lets a sentence cross a line end, so the pieces tokenize exactly as the whole text does,
/// and can be tokenized in parallel.
pub fn line_pieces(text: &str, piece_bytes: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let from = (start + piece_bytes).min(text.len());
        let end = text
            .as_bytes()
            .get(from..)
            .and_then(|rest| rest.iter().position(|&byte| byte == b'\n'))
            .map_or(text.len(), |at| from + at + 1);
        let range = start..end;
        start = end;
        Some(range)
    })
}

/// A token as [`Tokenizer::walk`] hands it on.
struct Walked<'t> {
    start: usize,
    end: usize,
    byte_start: usize,
    surface: &'t str,
    word: Word,
}

/// A token without strings: code-point span, byte span of its surface in the text, and the
/// dictionary word (whose fields give base form, POS and reading).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordToken {
    /// First code point, half-open `[start, end)`.
    pub start: usize,
    pub end: usize,
    /// The surface's bytes in the text.
    pub byte_start: usize,
    pub byte_end: usize,
    pub word: Word,
}

/// Which lexicon a dictionary word comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WordKind {
    System,
    User,
    Unknown,
}

impl WordKind {
    fn of(word_id: lindera::dictionary::WordId) -> WordKind {
        if word_id.is_unknown() {
            WordKind::Unknown
        } else if word_id.is_system() {
            WordKind::System
        } else {
            WordKind::User
        }
    }
}

/// A dictionary word as a token carries it. A system or user word has one surface; an unknown
/// word's id is its character class, so its lexeme also depends on the surface. `trimmed`:
/// lindera grouped whitespace into the token, which was cut off (the base form is then the
/// surface).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Word {
    pub kind: WordKind,
    pub id: u32,
    pub trimmed: bool,
}

/// The detail fields of a word, borrowed from the dictionary.
struct WordFields<'d> {
    pos: [&'d str; 4],
    base_form: &'d str,
    reading: &'d str,
}

impl<'d> WordFields<'d> {
    /// 原形; the surface when IPADIC has none or the token was trimmed.
    fn base_form<'s>(&self, surface: &'s str, trimmed: bool) -> &'s str
    where
        'd: 's,
    {
        match self.base_form {
            "*" | "" => surface,
            _ if trimmed => surface,
            base => base,
        }
    }
}

/// The text lindera analyses: every whitespace character other than ASCII space, `\n` and
/// `\t` becomes as many ASCII spaces as it has UTF-8 bytes, so byte offsets stay those of
/// `text`. Needed because lindera 6.2's builder trims the surface of IPADIC's full-width space
/// entry (`　,記号,空白`) to nothing and drops it: a `　` then groups with the following
/// symbol into one unknown 名詞 (`　「`) and derails the next word. ASCII spaces are the
/// SPACE class, which lindera skips, and match MeCab's segmentation.
fn spaces_for_lindera(text: &str) -> Cow<'_, str> {
    let odd = |c: char| c.is_whitespace() && !matches!(c, ' ' | '\n' | '\t');
    if !text.chars().any(odd) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if odd(c) {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Compiles all user dictionaries into one (lindera's segmenter takes a single one). Each file
/// is compiled on its own first, so that an error names the file and its own row number.
fn compile_user_dictionaries(
    builder: &DictionaryBuilder,
    paths: &[PathBuf],
) -> Result<Option<UserDictionary>, DictionaryError> {
    let bad = |path: &Path, message: String| DictionaryError::UserDictionary {
        path: path.to_path_buf(),
        message,
    };
    let mut compiled = Vec::new();
    let mut all = String::new();
    for path in paths {
        let bytes = fs::read(path).map_err(|e| DictionaryError::Io {
            path: path.clone(),
            source: e,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| bad(path, "not UTF-8".to_string()))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        if text.trim().is_empty() {
            continue;
        }
        let user = builder.build_user_dict_from_reader(Cursor::new(text.as_bytes()));
        compiled.push(user.map_err(|e| bad(path, error_chain(&e)))?);
        all.push_str(text);
        if !all.ends_with('\n') {
            all.push('\n');
        }
    }
    if compiled.len() < 2 {
        return Ok(compiled.pop());
    }
    let user = builder.build_user_dict_from_reader(Cursor::new(all.into_bytes()));
    let first = paths.first().map_or(Path::new(""), PathBuf::as_path);
    user.map(Some).map_err(|e| bad(first, error_chain(&e)))
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::text::dictionary::tests::test_dictionary;

    fn user_dictionary() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/user_dictionary.csv")
    }

    fn plain() -> &'static Tokenizer {
        static PLAIN: OnceLock<Tokenizer> = OnceLock::new();
        PLAIN.get_or_init(|| Tokenizer::load(&test_dictionary(), &[]).expect("load"))
    }

    /// The details read from the files are lindera's, word for word (every 7th system word,
    /// the first and the last).
    #[test]
    fn system_word_details_read_from_the_files_are_lindera_s() {
        let tokenizer = plain();
        let file = tokenizer
            .words_file
            .as_ref()
            .expect("the dictionary's files open");
        let dictionary = &tokenizer.segmenter.dictionary;
        let count = dictionary.prefix_dictionary.words_idx_data.len() / 4;
        assert!(count > 300_000, "{count} system words");
        let ids = (0..count).step_by(7).chain([count - 1]);
        for id in ids {
            let from_lindera: Vec<&str> = dictionary.word_details_iter(id).collect();
            let read = file.details(id as u32).expect("details read");
            let from_file: Vec<&str> = read.split('\0').collect();
            assert_eq!(from_file, from_lindera, "word {id}");
        }
        // Past the last word: nothing, and the caller asks lindera.
        assert_eq!(file.details(count as u32), None);
    }

    fn surfaces(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.surface.as_str()).collect()
    }

    /// Every token is `text[start..end]` in code points, tokens are in order, do not overlap,
    /// and whatever lies between them is whitespace.
    fn assert_spans(text: &str, tokens: &[Token]) {
        let chars: Vec<char> = text.chars().collect();
        let mut at = 0;
        for token in tokens {
            assert!(token.start >= at && token.end > token.start, "{token:?}");
            let between: String = chars[at..token.start].iter().collect();
            assert!(
                between.chars().all(char::is_whitespace),
                "untokenized {between:?}"
            );
            let span: String = chars[token.start..token.end].iter().collect();
            assert_eq!(span, token.surface);
            assert!(!token.surface.contains(char::is_whitespace), "{token:?}");
            at = token.end;
        }
        assert!(chars[at..].iter().all(|c| c.is_whitespace()));
    }

    #[test]
    fn sumomo() {
        let text = "すもももももももものうち";
        let tokens = plain().tokenize(text);
        assert_eq!(
            surfaces(&tokens),
            ["すもも", "も", "もも", "も", "もも", "の", "うち"]
        );
        assert_spans(text, &tokens);
        assert_eq!(tokens[0].pos, ["名詞", "一般", "*", "*"].map(String::from));
        assert_eq!(tokens[0].reading, "スモモ");
        assert_eq!(
            tokens[6].pos,
            ["名詞", "非自立", "副詞可能", "*"].map(String::from)
        );
    }

    #[test]
    fn shien_base_forms() {
        let tokens = plain().tokenize("支援していました");
        assert_eq!(surfaces(&tokens), ["支援", "し", "て", "い", "まし", "た"]);
        let base: Vec<&str> = tokens.iter().map(|t| t.base_form.as_str()).collect();
        assert_eq!(base, ["支援", "する", "て", "いる", "ます", "た"]);
        let pos: Vec<&str> = tokens.iter().map(|t| t.pos[0].as_str()).collect();
        assert_eq!(pos, ["名詞", "動詞", "助詞", "動詞", "助動詞", "助動詞"]);
        assert_eq!(tokens[0].pos[1], "サ変接続");
        assert_eq!(tokens[3].pos[1], "非自立");
        assert_eq!(tokens[4].reading, "マシ");
    }

    #[test]
    fn non_bmp_spans_are_code_points() {
        let text = "𠮷田さんと話した";
        let tokens = plain().tokenize(text);
        let spans: Vec<(usize, usize, &str)> = tokens
            .iter()
            .map(|t| (t.start, t.end, t.surface.as_str()))
            .collect();
        let expected = [
            (0, 1, "𠮷"),
            (1, 2, "田"),
            (2, 4, "さん"),
            (4, 5, "と"),
            (5, 7, "話し"),
            (7, 8, "た"),
        ];
        assert_eq!(spans, expected);
        // 𠮷 is not in IPADIC: an unknown word has no reading and its surface as base form.
        assert_eq!(
            (tokens[0].reading.as_str(), tokens[0].base_form.as_str()),
            ("", "𠮷")
        );
        assert_eq!(tokens[4].base_form, "話す");
        assert_spans(text, &tokens);
    }

    #[test]
    fn whitespace_is_never_a_token() {
        let text = "事例Ａ　インタビュー\r\n\n 𠮷田さん\tは　「雨」です　。\u{3000}\n";
        let tokens = plain().tokenize(text);
        assert_spans(text, &tokens);
        let pairs: Vec<(&str, &str)> = tokens
            .iter()
            .map(|t| (t.surface.as_str(), t.pos[1].as_str()))
            .collect();
        // A full-width space must not glue onto 「 or 。 (lindera's own result without the fix).
        assert!(pairs.contains(&("「", "括弧開")), "{pairs:?}");
        assert!(pairs.contains(&("雨", "一般")), "{pairs:?}");
        assert!(pairs.contains(&("。", "句点")), "{pairs:?}");
        assert!(plain().tokenize(" \u{3000}\r\n\t").is_empty());
        assert!(plain().tokenize("").is_empty());
    }

    #[test]
    fn user_dictionary_joins_terms() {
        let text = "医療的ケア児の相談支援専門員";
        let split = plain().tokenize(text);
        let expected = [
            "医療", "的", "ケア", "児", "の", "相談", "支援", "専門", "員",
        ];
        assert_eq!(surfaces(&split), expected);
        let user = Tokenizer::load(&test_dictionary(), &[user_dictionary()]).expect("load");
        let joined = user.tokenize(text);
        assert_eq!(surfaces(&joined), ["医療的ケア児", "の", "相談支援専門員"]);
        assert_spans(text, &joined);
        assert_eq!(joined[0].pos[0], "名詞");
        assert_eq!(joined[0].reading, "イリョウテキケアジ");
        assert_eq!(joined[2].base_form, "相談支援専門員");
    }

    #[test]
    fn several_user_dictionaries_merge_and_bad_ones_are_named() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let extra = tmp.path().join("extra.csv");
        fs::write(&extra, "\u{feff}重心児,カスタム名詞,ジュウシンジ").expect("write");
        let both = [user_dictionary(), extra.clone()];
        let tokenizer = Tokenizer::load(&test_dictionary(), &both).expect("load");
        let tokens = tokenizer.tokenize("重心児の医療的ケア児");
        assert_eq!(surfaces(&tokens), ["重心児", "の", "医療的ケア児"]);
        let bad = tmp.path().join("sjis.csv");
        fs::write(
            &bad,
            b"\x88\xe3\x97\xc3,\x83J\x83X\x83^\x83\x80,\x83C\x83\x8a\x83\x87\x83E",
        )
        .expect("write");
        let error = Tokenizer::load(&test_dictionary(), &[extra, bad.clone()]).err();
        let error = error.expect("not UTF-8").to_string();
        assert!(
            error.contains(&bad.display().to_string()) && error.contains("UTF-8"),
            "{error}"
        );
        let short = tmp.path().join("short.csv");
        fs::write(
            &short,
            "訪問看護,カスタム名詞,ホウモンカンゴ\n重心,カスタム名詞\n",
        )
        .expect("write");
        let error = Tokenizer::load(&test_dictionary(), &[user_dictionary(), short.clone()]).err();
        let error = error.expect("two fields").to_string();
        assert!(
            error.contains(&short.display().to_string()) && error.contains("Row 2"),
            "{error}"
        );
        let missing = tmp.path().join("missing.csv");
        let error = Tokenizer::load(&test_dictionary(), std::slice::from_ref(&missing)).err();
        assert!(
            error
                .expect("missing")
                .to_string()
                .contains(&missing.display().to_string())
        );
    }

    #[test]
    fn loading_a_missing_dictionary_names_it() {
        let error = Tokenizer::load(Path::new("/nonexistent/dictionary"), &[]).err();
        assert!(
            error
                .expect("missing")
                .to_string()
                .contains("/nonexistent/dictionary")
        );
    }

    #[test]
    fn sample_transcript_spans_hold_and_threads_agree() {
        fn send_sync_clone<T: Send + Sync + Clone>() {}
        send_sync_clone::<Tokenizer>();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts/A.txt");
        let text = fs::read_to_string(&path).expect("sample transcript");
        let text = text.trim_start_matches('\u{feff}');
        let tokenizer = Tokenizer::load(&test_dictionary(), &[user_dictionary()]).expect("load");
        let whole = tokenizer.tokenize(text);
        assert!(whole.len() > 1000);
        assert_spans(text, &whole);
        let parallel: Vec<Vec<Token>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    let tokenizer = tokenizer.clone();
                    s.spawn(move || tokenizer.tokenize(text))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        assert!(parallel.iter().all(|tokens| *tokens == whole));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn spans_hold_for_any_mix_of_scripts_and_spaces(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "す", "もも", "𠮷", "田", "支援", "して", "「", "」", "。", "、", "ケア児", "Ａ",
                "abc", "12", "😀", "　", " ", "\n", "\r\n", "\t", "\u{a0}", "\u{2003}",
            ]), 0..40)
        ) {
            let text = pieces.concat();
            assert_spans(&text, &plain().tokenize(&text));
        }
    }
}
