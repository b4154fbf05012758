//! Reading a text file of any size in constant memory: the encoding is found as
//! [`super::decode`] finds it (a BOM, else UTF-8 if the whole file is valid UTF-8, else
//! Shift_JIS/CP932 or EUC-JP, whichever decodes without error, in the detector's order), by one
//! streaming pass over the file, and a second pass decodes it into batches of text that end at
//! a line end, with line ends normalised to LF. What a batch holds is exactly the matching
//! part of `decode(whole file).text`. UTF-16 without a BOM (recognised by its NUL bytes) and
//! undecodable files are read whole, as `decode` reads them, for the same result and message.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::{DecoderResult, EUC_JP, Encoding, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

use super::encoding::{EncodingChoice, check_not_binary, decode, normalize_line_ends};
use crate::{Error, Result};

/// Bytes read from the file at a time.
const BLOCK: usize = 1 << 20;

/// How the file is read.
enum Plan {
    /// Decode as it streams: the encoding and the BOM bytes to skip.
    Stream(&'static Encoding, usize),
    /// Read and decode the whole file at once (UTF-16 without a BOM, or an error to report).
    Whole,
}

/// A text file as batches of text ending at line ends (the last may not).
pub struct TextBatches {
    path: PathBuf,
    file: Option<File>,
    decoder: Option<encoding_rs::Decoder>,
    /// Decoded text not handed out yet.
    pending: String,
    /// Bytes read so far (for error messages).
    consumed: usize,
    batch_bytes: usize,
    /// Whether a batch has been handed out (the binary check looks at the first).
    started: bool,
    /// The whole text, for [`Plan::Whole`].
    whole: Option<String>,
    finished: bool,
}

impl TextBatches {
    /// Opens `path`; batches hold at least `batch_bytes` bytes of text where the file has them.
    pub fn open(path: &Path, batch_bytes: usize) -> Result<TextBatches> {
        let plan = plan(path)?;
        let mut batches = TextBatches {
            path: path.to_owned(),
            file: None,
            decoder: None,
            pending: String::new(),
            consumed: 0,
            batch_bytes: batch_bytes.max(1),
            started: false,
            whole: None,
            finished: false,
        };
        match plan {
            Plan::Whole => {
                let bytes = std::fs::read(path).map_err(|source| io(path, source))?;
                let decoded = decode(&bytes, EncodingChoice::Auto)
                    .map_err(|message| Error::bad_input(path.display(), message))?;
                batches.whole = Some(decoded.text);
            }
            Plan::Stream(encoding, bom) => {
                let mut file = File::open(path).map_err(|source| io(path, source))?;
                let mut skipped = vec![0; bom];
                file.read_exact(&mut skipped)
                    .map_err(|source| io(path, source))?;
                batches.consumed = bom;
                batches.file = Some(file);
                batches.decoder = Some(encoding.new_decoder_without_bom_handling());
            }
        }
        Ok(batches)
    }

    /// The next batch, or `None` at the end of the file.
    fn next_batch(&mut self) -> Result<Option<String>> {
        if let Some(whole) = self.whole.take() {
            // `decode` checked it already.
            self.finished = true;
            self.started = true;
            return Ok(Some(whole));
        }
        while !self.finished {
            if self.pending.len() >= self.batch_bytes
                && let Some(at) = self.pending.rfind('\n')
            {
                let rest = self.pending.split_off(at + 1);
                let batch = std::mem::replace(&mut self.pending, rest);
                return self.hand_out(batch).map(Some);
            }
            self.read_block()?;
        }
        if self.pending.is_empty() {
            if !self.started {
                return Err(Error::bad_input(
                    self.path.display(),
                    "the file is empty".to_owned(),
                ));
            }
            return Ok(None);
        }
        let batch = std::mem::take(&mut self.pending);
        self.hand_out(batch).map(Some)
    }

    /// Decodes one more block into `pending`; marks the end of the file.
    fn read_block(&mut self) -> Result<()> {
        let (Some(file), Some(decoder)) = (self.file.as_mut(), self.decoder.as_mut()) else {
            self.finished = true;
            return Ok(());
        };
        let mut block = vec![0; BLOCK];
        let read = file
            .read(&mut block)
            .map_err(|source| io(&self.path, source))?;
        let last = read == 0;
        let mut input = block.get(..read).unwrap_or_default();
        loop {
            self.pending.reserve(
                decoder
                    .max_utf8_buffer_length_without_replacement(input.len())
                    .unwrap_or(input.len() * 3 + 16),
            );
            let (result, used) =
                decoder.decode_to_string_without_replacement(input, &mut self.pending, last);
            input = input.get(used..).unwrap_or_default();
            self.consumed += used;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => continue,
                DecoderResult::Malformed(bad, after) => {
                    let at = self.consumed.saturating_sub(after as usize + bad as usize);
                    return Err(Error::bad_input(
                        self.path.display(),
                        format!(
                            "invalid {} byte sequence at byte {at}",
                            decoder.encoding().name()
                        ),
                    ));
                }
            }
        }
        if last {
            self.finished = true;
        }
        Ok(())
    }

    fn hand_out(&mut self, batch: String) -> Result<String> {
        if !self.started {
            check_not_binary(&batch)
                .map_err(|message| Error::bad_input(self.path.display(), message))?;
            self.started = true;
        }
        Ok(if batch.contains('\r') {
            normalize_line_ends(&batch)
        } else {
            batch
        })
    }
}

impl Iterator for TextBatches {
    type Item = Result<String>;

    fn next(&mut self) -> Option<Result<String>> {
        match self.next_batch() {
            Ok(Some(batch)) => Some(Ok(batch)),
            Ok(None) => None,
            Err(error) => {
                self.finished = true;
                self.pending.clear();
                self.whole = None;
                Some(Err(error))
            }
        }
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Finds the encoding by reading the file in blocks, as [`decode`] would decide it.
fn plan(path: &Path) -> Result<Plan> {
    let mut file = File::open(path).map_err(|source| io(path, source))?;
    let mut block = vec![0; BLOCK];
    let mut head = [0u8; 3];
    let mut have = 0;
    while have < head.len() {
        let read = file
            .read(&mut head[have..])
            .map_err(|source| io(path, source))?;
        if read == 0 {
            break;
        }
        have += read;
    }
    let head = &head[..have];
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Plan::Stream(UTF_8, 3));
    }
    if head.starts_with(b"\xFF\xFE") {
        return Ok(Plan::Stream(UTF_16LE, 2));
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok(Plan::Stream(UTF_16BE, 2));
    }
    if have == 0 {
        return Ok(Plan::Whole);
    }
    // One pass: NUL bytes, UTF-8 validity, and the detector's guess.
    if head.contains(&0) {
        return Ok(Plan::Whole);
    }
    // Bytes of a UTF-8 sequence cut by the end of a block.
    let mut carry: Vec<u8> = head.to_vec();
    let mut utf8 = true;
    loop {
        let read = file.read(&mut block).map_err(|source| io(path, source))?;
        let chunk = block.get(..read).unwrap_or_default();
        if chunk.contains(&0) {
            return Ok(Plan::Whole);
        }
        let last = read == 0;
        if utf8 {
            carry.extend_from_slice(chunk);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(error) if error.error_len().is_none() && !last => {
                    carry.drain(..error.valid_up_to());
                }
                Err(_) => {
                    utf8 = false;
                    carry.clear();
                }
            }
        } else {
            carry.clear();
        }
        if last {
            break;
        }
    }
    if utf8 {
        return Ok(Plan::Stream(UTF_8, 0));
    }
    // Not UTF-8 (rare): one more pass for the detector's guess.
    let guess = guess_encoding(path)?;
    let mut candidates: Vec<&'static Encoding> = vec![SHIFT_JIS, EUC_JP];
    if guess == EUC_JP {
        candidates.swap(0, 1);
    }
    for encoding in candidates {
        if decodes_strictly(path, encoding)? {
            return Ok(Plan::Stream(encoding, 0));
        }
    }
    // Nothing decodes: `decode` names the problem.
    Ok(Plan::Whole)
}

/// chardetng's guess for the whole file, as `decode` asks it.
fn guess_encoding(path: &Path) -> Result<&'static Encoding> {
    let mut file = File::open(path).map_err(|source| io(path, source))?;
    let mut detector = chardetng::EncodingDetector::new();
    let mut block = vec![0; BLOCK];
    loop {
        let read = file.read(&mut block).map_err(|source| io(path, source))?;
        let last = read == 0;
        detector.feed(block.get(..read).unwrap_or_default(), last);
        if last {
            return Ok(detector.guess(Some(b"jp"), true));
        }
    }
}

/// Whether the whole file decodes in `encoding` without a malformed sequence (streamed).
fn decodes_strictly(path: &Path, encoding: &'static Encoding) -> Result<bool> {
    let mut file = File::open(path).map_err(|source| io(path, source))?;
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut block = vec![0; BLOCK];
    let mut out = String::with_capacity(BLOCK * 3);
    loop {
        let read = file.read(&mut block).map_err(|source| io(path, source))?;
        let last = read == 0;
        let mut input = block.get(..read).unwrap_or_default();
        loop {
            out.clear();
            let (result, used) =
                decoder.decode_to_string_without_replacement(input, &mut out, last);
            input = input.get(used..).unwrap_or_default();
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => continue,
                DecoderResult::Malformed(..) => return Ok(false),
            }
        }
        if last {
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every batch but the last ends at a line end, and together they are what `decode` gives.
    fn assert_batches_equal_decode(bytes: &[u8], batch_bytes: usize) -> usize {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("t.txt");
        std::fs::write(&path, bytes).expect("write");
        let batches: Vec<String> = TextBatches::open(&path, batch_bytes)
            .expect("open")
            .collect::<Result<_>>()
            .expect("read");
        for batch in batches.iter().rev().skip(1) {
            assert!(batch.ends_with('\n'), "{batch:?}");
        }
        let expected = decode(bytes, EncodingChoice::Auto).expect("decode").text;
        assert_eq!(batches.concat(), expected);
        batches.len()
    }

    #[test]
    fn large_files_of_every_encoding_read_in_batches_as_decode_reads_them_whole() {
        let line = "Ａ：①の件で𠮷田さんと話しました。\r\n";
        let text = line.repeat(80_000);
        // UTF-8 (several blocks: a character split between blocks), with and without a BOM.
        assert!(assert_batches_equal_decode(text.as_bytes(), 100_000) > 1);
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert!(assert_batches_equal_decode(&with_bom, 100_000) > 1);
        // CP932 (no 𠮷 there) and EUC-JP.
        let legacy = "Ａ：①の件で吉田さんと話しました。\r\n".repeat(80_000);
        let (cp932, _, _) = SHIFT_JIS.encode(&legacy);
        assert!(assert_batches_equal_decode(&cp932, 100_000) > 1);
        let plain = "Ａ：その件で吉田さんと話しました。\n".repeat(80_000);
        let (euc, _, _) = EUC_JP.encode(&plain);
        assert!(assert_batches_equal_decode(&euc, 100_000) > 1);
        // UTF-16 with a BOM streams; without one it is read whole.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(assert_batches_equal_decode(&utf16, 100_000) > 1);
        let bare: Vec<u8> = "A: yes, I see. はい\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(assert_batches_equal_decode(&bare, 10), 1);
        // A small file is one batch.
        assert_eq!(assert_batches_equal_decode("短い\n".as_bytes(), 1 << 20), 1);
    }

    #[test]
    fn empty_binary_and_undecodable_files_are_named() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let check = |name: &str, bytes: &[u8], expected: &str| {
            let path = tmp.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            let error = TextBatches::open(&path, 1 << 20)
                .and_then(|batches| batches.collect::<Result<Vec<String>>>())
                .expect_err("an error");
            let message = error.to_string();
            assert!(
                message.contains(name) && message.contains(expected),
                "{message}"
            );
        };
        check("empty.txt", b"", "empty");
        check("binary.txt", &[0x01; 200], "binary");
        check(
            "bad.txt",
            &[0x82, 0x20, 0xFF, 0xFE, 0x41, 0x80],
            "undecodable",
        );
    }
}
