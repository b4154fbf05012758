//! Speaker turns. A line that starts with a speaker label (`Ａ：`, `A:`, `Ｉ：`, `インタビュアー：`,
//! `【A】`, `[A]`) opens an utterance; lines without a label continue the previous one. Text
//! before the first label (a title, a header) belongs to no utterance.

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// One recognised utterance, offsets in code points of the text it was parsed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedUtterance {
    /// 1-based.
    pub number: u32,
    /// The label, NFKC-normalised and trimmed (`Ａ` and `A` are one speaker).
    pub speaker: String,
    /// Where the label begins.
    pub start: usize,
    /// Where the speech begins (after the label and colon).
    pub text_start: usize,
    /// End of the last non-blank line of the utterance.
    pub end: usize,
}

/// The label patterns of one import. Each is a regex matched at the start of a line, with a
/// named group `speaker`; the match's end is where the speech begins.
#[derive(Clone, Debug)]
pub struct SpeakerPatterns {
    patterns: Vec<Regex>,
}

/// Bracketed labels: `【A】`, `[A]`, `［Ａ］`, optionally followed by a colon.
const BRACKETED: &str = r"^[ \t\u{3000}]*[【\[［](?P<speaker>[^】\]］\n]{1,20})[】\]］][ \t\u{3000}]*[：:]?[ \t\u{3000}]*";

/// Colon labels: a short alphanumeric label (`Ａ`, `I`, `F107`), a role word, or `…さん`.
const COLON: &str = r"^[ \t\u{3000}]*(?P<speaker>[A-Za-zＡ-Ｚａ-ｚ][A-Za-z0-9Ａ-Ｚａ-ｚ０-９]{0,5}|インタビュアー|インタビュイー|調査者|聞き手|話し手|司会者?|対象者|回答者|[^\s：:、。「」（）()]{1,10}?さん)[ \t\u{3000}]*[：:][ \t\u{3000}]*";

impl Default for SpeakerPatterns {
    fn default() -> SpeakerPatterns {
        SpeakerPatterns {
            patterns: [BRACKETED, COLON]
                .iter()
                .filter_map(|pattern| Regex::new(pattern).ok())
                .collect(),
        }
    }
}

impl SpeakerPatterns {
    /// Patterns given by the researcher. Each must compile and have a `speaker` group; a
    /// leading `^` is added when missing.
    pub fn custom(patterns: &[String]) -> Result<SpeakerPatterns, String> {
        let mut compiled = Vec::with_capacity(patterns.len());
        for pattern in patterns {
            let anchored = if pattern.starts_with('^') {
                pattern.clone()
            } else {
                format!("^{pattern}")
            };
            let regex = Regex::new(&anchored).map_err(|error| {
                format!("speaker pattern '{pattern}' is not a valid regex: {error}")
            })?;
            if !regex
                .capture_names()
                .flatten()
                .any(|name| name == "speaker")
            {
                return Err(format!(
                    "speaker pattern '{pattern}' has no group named 'speaker', e.g. (?P<speaker>[A-Z])："
                ));
            }
            compiled.push(regex);
        }
        Ok(SpeakerPatterns { patterns: compiled })
    }

    /// The label at the start of `line`: (speaker, byte length of label and separator).
    fn label(&self, line: &str) -> Option<(String, usize)> {
        for pattern in &self.patterns {
            let Some(captures) = pattern.captures(line) else {
                continue;
            };
            let (Some(whole), Some(speaker)) = (captures.get(0), captures.name("speaker")) else {
                continue;
            };
            let speaker: String = speaker
                .as_str()
                .nfkc()
                .collect::<String>()
                .trim()
                .to_owned();
            // `[00:12:34]` is a timestamp, not a speaker.
            if speaker.is_empty()
                || speaker
                    .chars()
                    .all(|c| c.is_ascii_digit() || ":.：".contains(c))
            {
                continue;
            }
            return Some((speaker, whole.end()));
        }
        None
    }

    /// Splits `text` into utterances.
    pub fn parse(&self, text: &str) -> Vec<ParsedUtterance> {
        let mut utterances: Vec<ParsedUtterance> = Vec::new();
        let mut line_start = 0usize; // in code points
        for line in text.split('\n') {
            let line_chars = line.chars().count();
            if let Some((speaker, label_bytes)) = self.label(line) {
                let label_chars = line
                    .get(..label_bytes)
                    .map_or(0, |label| label.chars().count());
                utterances.push(ParsedUtterance {
                    number: utterances.len() as u32 + 1,
                    speaker,
                    start: line_start + leading_blank_chars(line),
                    text_start: line_start + label_chars,
                    end: line_start + line_chars - trailing_blank_chars(line),
                });
            } else if let Some(current) = utterances.last_mut()
                && !line.trim().is_empty()
            {
                current.end = line_start + line_chars - trailing_blank_chars(line);
            }
            line_start += line_chars + 1;
        }
        for utterance in &mut utterances {
            utterance.end = utterance.end.max(utterance.text_start);
        }
        utterances
    }
}

fn leading_blank_chars(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count()
}

fn trailing_blank_chars(line: &str) -> usize {
    if line.trim().is_empty() {
        return 0;
    }
    line.chars().rev().take_while(|c| c.is_whitespace()).count()
}

/// The utterance containing code point `offset`, by binary search over utterances sorted by
/// start (an offset in the gap after an utterance belongs to it, up to the next label).
pub fn utterance_at<T>(
    utterances: &[T],
    offset: usize,
    start_of: impl Fn(&T) -> usize,
) -> Option<&T> {
    let after = utterances.partition_point(|utterance| start_of(utterance) <= offset);
    after.checked_sub(1).and_then(|index| utterances.get(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_half_width_and_bracketed_labels_open_turns() {
        let text = "事例Ａ　逐語録\n\nＩ：よろしくお願いします。\nＡ：はい（笑）。\nえーと、続きです。\n\nA: half\n【Ｆ】括弧です\n[00:12:34] 時刻\nインタビュアー：どうぞ\n";
        let utterances = SpeakerPatterns::default().parse(text);
        let speakers: Vec<&str> = utterances.iter().map(|u| u.speaker.as_str()).collect();
        assert_eq!(speakers, ["I", "A", "A", "F", "インタビュアー"]);
        let chars: Vec<char> = text.chars().collect();
        let second = &utterances[1];
        let speech: String = chars[second.text_start..second.end].iter().collect();
        assert_eq!(speech, "はい（笑）。\nえーと、続きです。");
        let fourth = &utterances[3];
        let speech: String = chars[fourth.text_start..fourth.end].iter().collect();
        assert_eq!(speech, "括弧です\n[00:12:34] 時刻");
        assert_eq!(
            utterances.iter().map(|u| u.number).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn custom_patterns_need_a_speaker_group() {
        assert!(SpeakerPatterns::custom(&["(?P<who>母)：".to_owned()]).is_err());
        let patterns =
            SpeakerPatterns::custom(&["(?P<speaker>母|父)：".to_owned()]).expect("valid");
        let utterances = patterns.parse("母：はい\n父：ええ\nＡ：no");
        // Only the custom labels count: `Ａ：no` continues the second utterance.
        assert_eq!(utterances.len(), 2);
        assert_eq!(utterances[1].end, 14);
    }
}
