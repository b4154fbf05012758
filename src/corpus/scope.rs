//! Which parts of the texts the word-frequency list, KWIC and search read.
//!
//! KH Coder users expect three things left out: the interviewer's words (only the interviewee's
//! speech is data for 頻出語), the speaker labels themselves (`Ａ：`), and non-verbal notes
//! such as `（笑）` or `＜笑い＞`. A [`TextScope`] says which speakers count and whether notes
//! do; [`ScopeMap`] turns it into the code-point intervals of each document that count, so
//! that a token, a hit or a KWIC line is kept only when it lies wholly inside one of them.
//!
//! Who is an interviewer: a speaker label (NFKC-normalised, as stored) in
//! [`INTERVIEWER_LABELS`], optionally followed by digits (`I1`, `インタビュアー2`), unless the
//! researcher said otherwise (`Command::SetSpeakerRoles`, stored in the project).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::search::Hit;
use crate::model::{DocumentId, Utterance};
use crate::project::Project;
use crate::{Error, Result};

/// Speaker labels taken for the interviewer unless the researcher says otherwise (`Ｉ：` is
/// stored as `I`).
pub const INTERVIEWER_LABELS: [&str; 8] = [
    "I",
    "Q",
    "インタビュアー",
    "聞き手",
    "調査者",
    "質問者",
    "司会",
    "司会者",
];

/// The longest non-verbal note, in characters between the brackets; a longer bracketed
/// stretch is taken for speech (an aside, an explanation) and kept.
pub const NOTE_MAX_CHARS: usize = 12;

/// The bracket pairs of non-verbal notes: `（笑）`, `(笑)`, `＜笑い＞`, `<笑い>`, `〈沈黙〉`.
const NOTE_BRACKETS: [(char, char); 5] = [
    ('（', '）'),
    ('(', ')'),
    ('＜', '＞'),
    ('<', '>'),
    ('〈', '〉'),
];

/// Whose speech counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpeakerScope {
    /// The whole text: labels, headers and every speaker (how casecode counted before it
    /// knew speakers).
    All,
    /// The speech of every speaker except these. Speaker labels and text outside speaker
    /// turns (titles, `＠` headers) are left out; a document without speaker turns (a survey
    /// answer) counts whole.
    Except(BTreeSet<String>),
}

/// Which parts of the texts count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextScope {
    pub speakers: SpeakerScope,
    /// Leave out non-verbal notes `（笑）` `＜笑い＞` (see [`nonverbal_notes`]).
    pub skip_notes: bool,
}

impl TextScope {
    /// Everything, as before: every speaker, labels and notes included.
    pub fn everything() -> TextScope {
        TextScope {
            speakers: SpeakerScope::All,
            skip_notes: false,
        }
    }

    /// The default of the workbench and the CLI: the interviewees' speech (every speaker but
    /// the interviewers), without non-verbal notes.
    pub fn default_for(project: &Project) -> Result<TextScope> {
        Ok(TextScope {
            speakers: SpeakerScope::Except(
                speakers(project)?
                    .into_iter()
                    .filter(|speaker| speaker.interviewer)
                    .map(|speaker| speaker.speaker)
                    .collect(),
            ),
            skip_notes: true,
        })
    }

    /// The scope a user writes (`--speakers`): `all` (the whole text), `interviewees`
    /// (every speaker but the interviewers), or speaker labels separated by commas (`A,B`:
    /// only their speech; `Ａ` and `A` are one label). An unknown label is refused with the
    /// project's labels listed.
    pub fn parse(project: &Project, speakers_spec: &str, skip_notes: bool) -> Result<TextScope> {
        let speakers = match speakers_spec.trim() {
            // Every speaker needs no list of them (counting them scans every utterance).
            "all" => SpeakerScope::All,
            spec => scope_of_speakers(&speakers(project)?, spec)?,
        };
        Ok(TextScope {
            speakers,
            skip_notes,
        })
    }

    /// A short description for notes under exported tables and the CLI's stderr.
    pub fn describe(&self) -> String {
        let speakers = match &self.speakers {
            SpeakerScope::All => "話者: 全文（話者ラベル・見出しを含む）".to_owned(),
            SpeakerScope::Except(left_out) if left_out.is_empty() => "話者: 全員の発話".to_owned(),
            SpeakerScope::Except(left_out) => format!(
                "話者: {} を除く発話",
                left_out.iter().cloned().collect::<Vec<_>>().join("・")
            ),
        };
        let notes = if self.skip_notes {
            "非言語の注記（笑）等を除く"
        } else {
            "非言語の注記を含む"
        };
        format!("{speakers} / {notes}")
    }

    /// Whether nothing is left out.
    pub fn is_everything(&self) -> bool {
        self.speakers == SpeakerScope::All && !self.skip_notes
    }

    /// The intervals of one document that count.
    pub fn kept(&self, text: &str, utterances: &[Utterance]) -> Kept {
        let length = text.chars().count();
        let mut intervals: Vec<(usize, usize)> = match (&self.speakers, utterances.is_empty()) {
            (SpeakerScope::Except(left_out), false) => {
                let mut speech: Vec<(usize, usize)> = utterances
                    .iter()
                    .filter(|utterance| !left_out.contains(&utterance.speaker))
                    .map(|utterance| (utterance.text_start, utterance.end.min(length)))
                    .filter(|(start, end)| start < end)
                    .collect();
                speech.sort_unstable();
                speech
            }
            _ => vec![(0, length)],
        };
        if self.skip_notes {
            intervals = subtract(&intervals, &nonverbal_notes(text));
        }
        Kept { intervals }
    }
}

/// The intervals of one document that count: sorted, disjoint, half-open, in code points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kept {
    intervals: Vec<(usize, usize)>,
}

impl Kept {
    /// Whether `[start, end)` lies wholly inside one kept interval.
    pub fn contains(&self, start: usize, end: usize) -> bool {
        let after = self.intervals.partition_point(|(from, _)| *from <= start);
        after
            .checked_sub(1)
            .and_then(|index| self.intervals.get(index))
            .is_some_and(|(_, to)| end <= *to)
    }

    /// The intervals.
    pub fn intervals(&self) -> &[(usize, usize)] {
        &self.intervals
    }
}

/// The kept intervals of every document of a project under one scope.
#[derive(Clone, Debug, Default)]
pub struct ScopeMap {
    /// `None`: the scope keeps everything (no document was read).
    documents: Option<BTreeMap<DocumentId, Kept>>,
    names: BTreeMap<String, DocumentId>,
}

impl ScopeMap {
    /// Reads each document's text and utterances once (nothing when the scope keeps
    /// everything).
    pub fn build(project: &Project, scope: &TextScope) -> Result<ScopeMap> {
        if scope.is_everything() {
            return Ok(ScopeMap::default());
        }
        let reader = project.read();
        let mut documents = BTreeMap::new();
        let mut names = BTreeMap::new();
        for info in reader.document_infos()? {
            let text = reader.document_text(info.id)?.unwrap_or_default();
            let utterances = reader.utterances(info.id)?;
            documents.insert(info.id, scope.kept(&text, &utterances));
            names.insert(info.name, info.id);
        }
        Ok(ScopeMap {
            documents: Some(documents),
            names,
        })
    }

    /// Whether `[start, end)` of a document counts.
    pub fn keeps(&self, document_id: DocumentId, start: usize, end: usize) -> bool {
        match &self.documents {
            None => true,
            Some(documents) => documents
                .get(&document_id)
                .is_some_and(|kept| kept.contains(start, end)),
        }
    }

    /// Leaves out the hits outside the scope.
    pub fn retain_hits(&self, hits: &mut Vec<Hit>) {
        if self.documents.is_none() {
            return;
        }
        hits.retain(|hit| {
            self.names
                .get(&hit.document)
                .is_some_and(|id| self.keeps(*id, hit.start, hit.end))
        });
    }
}

/// The speakers scope of `spec` (`interviewees` or a list of labels) among the `known` ones.
fn scope_of_speakers(known: &[SpeakerInfo], spec: &str) -> Result<SpeakerScope> {
    Ok(match spec {
        "interviewees" => SpeakerScope::Except(
            known
                .iter()
                .filter(|speaker| speaker.interviewer)
                .map(|speaker| speaker.speaker.clone())
                .collect(),
        ),
        list => {
            let mut chosen = BTreeSet::new();
            for label in list
                .split([',', '、'])
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                let label: String = label.nfkc().collect();
                if !known.iter().any(|speaker| speaker.speaker == label) {
                    return Err(Error::Conflict(format!(
                        "no speaker '{label}' in the project (speakers: {})",
                        known
                            .iter()
                            .map(|speaker| speaker.speaker.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                chosen.insert(label);
            }
            SpeakerScope::Except(
                known
                    .iter()
                    .map(|speaker| speaker.speaker.clone())
                    .filter(|speaker| !chosen.contains(speaker))
                    .collect(),
            )
        }
    })
}

/// One speaker label of the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpeakerInfo {
    pub speaker: String,
    /// Utterances with this label, over all documents.
    pub utterances: usize,
    /// Whether the label is taken for an interviewer.
    pub interviewer: bool,
    /// Whether the researcher said so (rather than casecode guessing from the label).
    pub set_by_researcher: bool,
}

/// Every speaker label of the project, sorted, with its role.
pub fn speakers(project: &Project) -> Result<Vec<SpeakerInfo>> {
    let reader = project.read();
    let roles = reader.speaker_roles()?;
    Ok(reader
        .speaker_counts()?
        .into_iter()
        .map(|(speaker, utterances)| {
            let set = roles.get(&speaker).copied();
            SpeakerInfo {
                interviewer: set.unwrap_or_else(|| looks_like_interviewer(&speaker)),
                set_by_researcher: set.is_some(),
                speaker,
                utterances,
            }
        })
        .collect())
}

/// Whether a label is one of [`INTERVIEWER_LABELS`], optionally numbered (`I2`).
pub fn looks_like_interviewer(speaker: &str) -> bool {
    let bare = speaker.trim_end_matches(|c: char| c.is_ascii_digit());
    INTERVIEWER_LABELS
        .iter()
        .any(|label| bare == *label || (bare.is_ascii() && bare.eq_ignore_ascii_case(label)))
}

/// The non-verbal notes of a text as code-point spans, brackets included: a bracket pair of
/// [`NOTE_BRACKETS`] around 1 to [`NOTE_MAX_CHARS`] characters on one line, with no bracket
/// inside (`（笑）`, `＜笑い＞`, `（沈黙）`, `（うん）`). Sorted.
pub fn nonverbal_notes(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut notes = Vec::new();
    let mut index = 0;
    while let Some(&ch) = chars.get(index) {
        let Some(&(_, close)) = NOTE_BRACKETS.iter().find(|(open, _)| *open == ch) else {
            index += 1;
            continue;
        };
        let inner = chars
            .iter()
            .skip(index + 1)
            .take(NOTE_MAX_CHARS + 1)
            .position(|c| *c == close || *c == '\n' || is_bracket(*c));
        match inner {
            Some(length) if length > 0 && chars.get(index + 1 + length) == Some(&close) => {
                let end = index + length + 2;
                notes.push((index, end));
                index = end;
            }
            _ => index += 1,
        }
    }
    notes
}

fn is_bracket(c: char) -> bool {
    NOTE_BRACKETS
        .iter()
        .any(|(open, close)| c == *open || c == *close)
}

/// `intervals` minus `holes` (both sorted; `intervals` disjoint).
fn subtract(intervals: &[(usize, usize)], holes: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(intervals.len() + holes.len());
    for &(start, end) in intervals {
        let mut from = start;
        let first = holes.partition_point(|(_, hole_end)| *hole_end <= start);
        for &(hole_start, hole_end) in holes.iter().skip(first) {
            if hole_start >= end {
                break;
            }
            if hole_start > from {
                out.push((from, hole_start));
            }
            from = from.max(hole_end);
        }
        if from < end {
            out.push((from, end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentId;

    fn slices(text: &str, spans: &[(usize, usize)]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        spans
            .iter()
            .map(|(start, end)| chars[*start..*end].iter().collect())
            .collect()
    }

    #[test]
    fn laughter_and_pauses_in_brackets_are_notes_but_long_asides_are_speech() {
        let text = "はい（笑）。＜笑い＞そうですね(笑)\n〈沈黙〉（うん）（これは説明のための長い補足の文章です）（";
        assert_eq!(
            slices(text, &nonverbal_notes(text)),
            ["（笑）", "＜笑い＞", "(笑)", "〈沈黙〉", "（うん）"]
        );
        assert!(nonverbal_notes("（）と(\n)").is_empty());
    }

    #[test]
    fn interviewer_labels_are_guessed_from_the_label_numbered_or_not() {
        for label in [
            "I",
            "i",
            "I2",
            "Q",
            "インタビュアー",
            "インタビュアー1",
            "聞き手",
        ] {
            assert!(looks_like_interviewer(label), "{label}");
        }
        for label in ["A", "F107", "母", "Ia"] {
            assert!(!looks_like_interviewer(label), "{label}");
        }
    }

    fn utterance(
        number: u32,
        speaker: &str,
        start: usize,
        text_start: usize,
        end: usize,
    ) -> Utterance {
        Utterance {
            document_id: DocumentId(1),
            number,
            speaker: speaker.to_owned(),
            start,
            text_start,
            end,
        }
    }

    #[test]
    fn the_interviewees_speech_is_kept_without_labels_headers_or_laughter() {
        let text = "事例Ａ\nＩ：どうでしたか。\nＡ：大変でした（笑）。\n";
        let utterances = [utterance(1, "I", 4, 6, 13), utterance(2, "A", 14, 16, 25)];
        let scope = TextScope {
            speakers: SpeakerScope::Except(["I".to_owned()].into()),
            skip_notes: true,
        };
        let kept = scope.kept(text, &utterances);
        assert_eq!(slices(text, kept.intervals()), ["大変でした", "。"]);
        assert!(kept.contains(16, 18));
        assert!(!kept.contains(21, 24), "（笑） is left out");
        assert!(!kept.contains(6, 8), "the interviewer's words are left out");
        assert!(!kept.contains(0, 2), "the header is left out");
        let everything = TextScope::everything().kept(text, &utterances);
        assert!(everything.contains(0, 25));
        // A survey answer has no speaker turns: it counts whole, notes aside.
        let answer = "とても助かった（笑）";
        let kept = scope.kept(answer, &[]);
        assert_eq!(slices(answer, kept.intervals()), ["とても助かった"]);
    }

    #[test]
    fn subtracting_holes_splits_and_trims_intervals() {
        assert_eq!(
            subtract(&[(0, 10), (20, 30)], &[(2, 4), (8, 22), (29, 40)]),
            [(0, 2), (4, 8), (22, 29)]
        );
    }
}
