//! Decoding transcript files as researchers receive them: UTF-8 with or without BOM,
//! Shift_JIS including the CP932 extensions (①, Ⅱ, NEC and IBM specials), EUC-JP, and UTF-16
//! with a BOM. The stored text is the decoded text with the BOM removed and CRLF/CR turned
//! into LF; nothing else changes, because every offset refers to it.

use encoding_rs::{DecoderResult, EUC_JP, Encoding, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

/// Which encoding to decode a file with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EncodingChoice {
    /// Detect: BOM, then UTF-8, then Shift_JIS/CP932 or EUC-JP.
    #[default]
    Auto,
    Utf8,
    /// Shift_JIS; decoded as CP932, its Windows superset (strict Shift_JIS fails on ①).
    ShiftJis,
    Cp932,
    EucJp,
    Utf16Le,
    Utf16Be,
}

impl EncodingChoice {
    /// Parses the names accepted by `--encoding`.
    pub fn parse(name: &str) -> Option<EncodingChoice> {
        let name = name.trim().to_ascii_lowercase().replace('_', "-");
        Some(match name.as_str() {
            "auto" => EncodingChoice::Auto,
            "utf-8" | "utf8" => EncodingChoice::Utf8,
            "shift-jis" | "sjis" | "shiftjis" => EncodingChoice::ShiftJis,
            "cp932" | "windows-31j" | "ms932" => EncodingChoice::Cp932,
            "euc-jp" | "eucjp" => EncodingChoice::EucJp,
            "utf-16le" | "utf16le" => EncodingChoice::Utf16Le,
            "utf-16be" | "utf16be" => EncodingChoice::Utf16Be,
            _ => return None,
        })
    }
}

/// A decoded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// BOM removed, line ends LF.
    pub text: String,
    /// `utf-8`, `utf-8-bom`, `shift_jis`, `cp932`, `euc-jp`, `utf-16le`, `utf-16be`.
    pub encoding: String,
}

/// Decodes `bytes`; the error is a sentence about the content (the caller adds the file name).
pub fn decode(bytes: &[u8], choice: EncodingChoice) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_owned());
    }
    let (text, encoding) = match choice {
        EncodingChoice::Auto => detect_and_decode(bytes)?,
        EncodingChoice::Utf8 => match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (strict(UTF_8, rest)?, "utf-8-bom".to_owned()),
            None => (strict(UTF_8, bytes)?, "utf-8".to_owned()),
        },
        EncodingChoice::ShiftJis => (strict(SHIFT_JIS, bytes)?, "shift_jis".to_owned()),
        EncodingChoice::Cp932 => (strict(SHIFT_JIS, bytes)?, "cp932".to_owned()),
        EncodingChoice::EucJp => (strict(EUC_JP, bytes)?, "euc-jp".to_owned()),
        EncodingChoice::Utf16Le => (
            strict(UTF_16LE, bytes.strip_prefix(b"\xFF\xFE").unwrap_or(bytes))?,
            "utf-16le".to_owned(),
        ),
        EncodingChoice::Utf16Be => (
            strict(UTF_16BE, bytes.strip_prefix(b"\xFE\xFF").unwrap_or(bytes))?,
            "utf-16be".to_owned(),
        ),
    };
    if text.is_empty() {
        return Err("the file is empty".to_owned());
    }
    check_not_binary(&text)?;
    Ok(Decoded {
        text: normalize_line_ends(&text),
        encoding,
    })
}

fn detect_and_decode(bytes: &[u8]) -> Result<(String, String), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok((strict(UTF_8, rest)?, "utf-8-bom".to_owned()));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok((strict(UTF_16LE, rest)?, "utf-16le".to_owned()));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok((strict(UTF_16BE, rest)?, "utf-16be".to_owned()));
    }
    if bytes.contains(&0) {
        return match utf16_without_bom(bytes) {
            Some(encoding) => {
                let name = if encoding == UTF_16LE {
                    "utf-16le"
                } else {
                    "utf-16be"
                };
                Ok((strict(encoding, bytes)?, name.to_owned()))
            }
            None => Err("binary file (it contains NUL bytes); not a text transcript".to_owned()),
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "utf-8".to_owned()));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"jp"), true);
    // Try the detector's guess first when it is a Japanese encoding, then the others.
    let mut candidates: Vec<&'static Encoding> = vec![SHIFT_JIS, EUC_JP];
    if guess == EUC_JP {
        candidates.swap(0, 1);
    }
    let mut first_error = None;
    for encoding in candidates {
        match strict(encoding, bytes) {
            Ok(text) => {
                let name = if encoding == EUC_JP {
                    "euc-jp"
                } else if uses_cp932_extensions(bytes) {
                    "cp932"
                } else {
                    "shift_jis"
                };
                return Ok((text, name.to_owned()));
            }
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(format!(
        "undecodable bytes: the file is not UTF-8, Shift_JIS/CP932 or EUC-JP ({}); give --encoding if you know it",
        first_error.unwrap_or_default()
    ))
}

/// Decodes without replacement characters; the error names the byte offset of the first bad
/// sequence.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let mut consumed = 0;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(
            bytes.get(consumed..).unwrap_or_default(),
            &mut text,
            true,
        );
        consumed += read;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => text.reserve(bytes.len().max(16)),
            DecoderResult::Malformed(bad, after) => {
                let at = consumed.saturating_sub(after as usize + bad as usize);
                return Err(format!(
                    "invalid {} byte sequence at byte {at}",
                    encoding.name()
                ));
            }
        }
    }
}

/// UTF-16 without BOM shows as NUL in every other byte of ASCII-heavy text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let even_zero = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_zero * 3 > pairs && even_zero * 20 < pairs {
        Some(UTF_16LE)
    } else if even_zero * 3 > pairs && odd_zero * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when the Shift_JIS bytes use rows only CP932 has (NEC specials, NEC-selected and IBM
/// extensions), so that the recorded encoding tells the truth.
fn uses_cp932_extensions(bytes: &[u8]) -> bool {
    let mut index = 0;
    while let Some(&lead) = bytes.get(index) {
        let double = matches!(lead, 0x81..=0x9F | 0xE0..=0xFC);
        if double {
            if matches!(lead, 0x87 | 0xED | 0xEE | 0xFA..=0xFC) {
                return true;
            }
            index += 2;
        } else {
            index += 1;
        }
    }
    false
}

/// Rejects decoded text that is mostly control characters (a binary file that happened to
/// decode).
pub(crate) fn check_not_binary(text: &str) -> Result<(), String> {
    let mut total = 0usize;
    let mut control = 0usize;
    for ch in text.chars().take(65_536) {
        total += 1;
        if ch.is_control() && !matches!(ch, '\n' | '\r' | '\t' | '\u{c}') {
            control += 1;
        }
    }
    if control * 100 > total {
        return Err(format!(
            "binary file ({control} control characters in the first {total}); not a text transcript"
        ));
    }
    Ok(())
}

/// CRLF and lone CR become LF.
pub fn normalize_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(bytes: &[u8]) -> Decoded {
        decode(bytes, EncodingChoice::Auto).expect("decodes")
    }

    #[test]
    fn cp932_extensions_decode_and_are_named() {
        let (bytes, _, _) = SHIFT_JIS.encode("Ａ：①の件とⅡ型の話です。\r\n");
        let decoded = auto(&bytes);
        assert_eq!(decoded.text, "Ａ：①の件とⅡ型の話です。\n");
        assert_eq!(decoded.encoding, "cp932");
    }

    #[test]
    fn plain_shift_jis_is_named_shift_jis() {
        let (bytes, _, _) = SHIFT_JIS.encode("医療的ケア児の支援について、お話を伺います。");
        assert_eq!(auto(&bytes).encoding, "shift_jis");
    }

    #[test]
    fn euc_jp_is_detected() {
        let (bytes, _, _) =
            EUC_JP.encode("訪問看護ステーションで働いています。家族支援が中心です。");
        let decoded = auto(&bytes);
        assert_eq!(decoded.encoding, "euc-jp");
        assert_eq!(
            decoded.text,
            "訪問看護ステーションで働いています。家族支援が中心です。"
        );
    }

    #[test]
    fn boms_are_removed_and_named() {
        assert_eq!(auto(b"\xEF\xBB\xBFabc").text, "abc");
        assert_eq!(auto(b"\xEF\xBB\xBFabc").encoding, "utf-8-bom");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "𠮷田\r\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let decoded = auto(&utf16);
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding.as_str()),
            ("𠮷田\n", "utf-16le")
        );
    }

    #[test]
    fn empty_binary_and_undecodable_files_are_refused() {
        assert!(decode(b"", EncodingChoice::Auto).is_err());
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", EncodingChoice::Auto).is_err());
        let error = decode(b"abc\xFF\xFE\xFD\x80", EncodingChoice::Utf8).expect_err("invalid");
        assert!(error.contains("byte 3"), "{error}");
    }
}
