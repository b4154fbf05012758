//! The codings drawn on the editor's text while it is edited. Each change of the field is
//! diffed against the stored text and every coding re-anchored by the same rules that 保存
//! applies (`revise::diff_texts` + `revise::plan_revision`), so what the researcher sees while
//! typing is what saving will store: a coding shifts, grows and shrinks with the text, a clipped
//! one is underlined (要確認 on save), and one whose text is wholly deleted leaves the text and
//! is listed as an orphan-to-be above the field.

use std::collections::BTreeMap;

use eframe::egui::{self, Color32, FontId, Stroke, TextFormat, text::LayoutJob};

use crate::model::{CodeId, Coding, CodingId, Span};
use crate::revise::{Fate, RevisionPlan, diff_texts, plan_revision};

/// Where one coding sits in the text being edited, and what saving would do to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiveMark {
    pub coding_id: CodingId,
    pub code_id: CodeId,
    /// Its span in the field's text, in code points; `None`: an orphan on save.
    pub span: Option<Span>,
    pub fate: Fate,
}

/// The document's codings re-anchored on the field's current text.
#[derive(Debug)]
pub struct LiveMarks {
    /// The stored text the edits are a diff against.
    original: String,
    /// The document's codings as stored, by id.
    codings: Vec<Coding>,
    /// The text the plan was computed for (`None`: not yet).
    planned_for: Option<String>,
    plan: RevisionPlan,
    /// The last layout of the planned text, and what it was made with: the field asks for a
    /// layout every frame, typing or not.
    job: Option<(JobKey, LayoutJob)>,
}

/// What a layout depends on besides the text and the plan.
#[derive(Clone, Debug, PartialEq)]
struct JobKey {
    wrap_width: f32,
    font_id: FontId,
    text_color: Color32,
    line_height: f32,
    alpha: u8,
    review_color: Color32,
    /// Each coding's code colour (a code recoloured while editing).
    colors: Vec<[u8; 3]>,
}

/// How the marks are drawn: one colour per code, the tint strength, the 要確認 underline.
pub struct MarkStyle<'a> {
    pub font_id: FontId,
    pub text_color: Color32,
    pub line_height: f32,
    pub code_color: &'a dyn Fn(CodeId) -> [u8; 3],
    /// Alpha of one coding's tint (more where codings overlap).
    pub alpha: u8,
    pub review_color: Color32,
}

impl LiveMarks {
    /// Marks for `codings` of the stored text `original`.
    pub fn new(original: String, codings: Vec<Coding>) -> LiveMarks {
        LiveMarks {
            original,
            codings,
            planned_for: None,
            plan: RevisionPlan::default(),
            job: None,
        }
    }

    /// Replaces the codings (after a command changed them while editing), re-planning when
    /// they differ.
    pub fn set_codings(&mut self, codings: &[Coding]) {
        if self.codings != codings {
            self.codings = codings.to_vec();
            self.planned_for = None;
            self.job = None;
        }
    }

    /// Re-anchors every coding on `text` when it changed since the last call (typing one
    /// character diffs the whole text once; the diff skips the common prefix and suffix).
    pub fn update(&mut self, text: &str) {
        if self.planned_for.as_deref() == Some(text) {
            return;
        }
        let edits = diff_texts(&self.original, text);
        self.plan = plan_revision(&self.codings, &edits);
        self.planned_for = Some(text.to_owned());
        self.job = None;
    }

    /// Every coding's mark, by coding id, as of the last [`LiveMarks::update`].
    pub fn marks(&self) -> Vec<LiveMark> {
        let mut marks: Vec<LiveMark> = self
            .codings
            .iter()
            .filter_map(|coding| {
                let change = self.plan.changes.get(&coding.id)?;
                Some(LiveMark {
                    coding_id: coding.id,
                    code_id: coding.code_id,
                    span: change.span,
                    fate: change.fate,
                })
            })
            .collect();
        marks.sort_by_key(|mark| mark.coding_id);
        marks
    }

    /// The codings that saving now would orphan, with their stored text, by coding id.
    pub fn orphans_on_save(&self) -> Vec<(&Coding, String)> {
        let mut orphans: Vec<(&Coding, String)> = self
            .codings
            .iter()
            .filter(|coding| {
                (self.plan.changes.get(&coding.id))
                    .is_some_and(|change| matches!(change.fate, Fate::Orphaned(_)))
            })
            .map(|coding| {
                let text = (self.original.chars())
                    .skip(coding.span.start)
                    .take(coding.span.len())
                    .collect();
                (coding, text)
            })
            .collect();
        orphans.sort_by_key(|(coding, _)| coding.id);
        orphans
    }

    /// How many codings saving now would flag 要確認 (clipped or replaced).
    pub fn reviews_on_save(&self) -> usize {
        self.plan.reviews().len()
    }

    /// `text` laid out with the marks: each coded run tinted in its code's colour (overlapping
    /// codings mix their colours and tint more), a 要確認-to-be coding underlined. The job is
    /// built again only when the text, the plan or the style changed.
    pub fn layout_job(&mut self, text: &str, wrap_width: f32, style: &MarkStyle<'_>) -> LayoutJob {
        let key = JobKey {
            wrap_width,
            font_id: style.font_id.clone(),
            text_color: style.text_color,
            line_height: style.line_height,
            alpha: style.alpha,
            review_color: style.review_color,
            colors: (self.codings.iter())
                .map(|coding| (style.code_color)(coding.code_id))
                .collect(),
        };
        let planned = self.planned_for.as_deref() == Some(text);
        if planned
            && let Some((cached_key, job)) = &self.job
            && *cached_key == key
        {
            return job.clone();
        }
        let job = self.build_job(text, wrap_width, style);
        if planned {
            self.job = Some((key, job.clone()));
        }
        job
    }

    fn build_job(&self, text: &str, wrap_width: f32, style: &MarkStyle<'_>) -> LayoutJob {
        let plain = TextFormat {
            font_id: style.font_id.clone(),
            color: style.text_color,
            line_height: Some(style.line_height),
            ..TextFormat::default()
        };
        let mut job = LayoutJob {
            wrap: egui::text::TextWrapping::wrap_at_width(wrap_width),
            keep_trailing_whitespace: true,
            ..LayoutJob::default()
        };
        // Boundaries where the set of covering codings changes: +1 at a start, −1 at an end.
        let mut events: Vec<(usize, bool, usize)> = Vec::new();
        let marks = self.marks();
        for (index, mark) in marks.iter().enumerate() {
            if let Some(span) = mark.span {
                events.push((span.start, true, index));
                events.push((span.end, false, index));
            }
        }
        events.sort_unstable();
        let mut active: BTreeMap<usize, ()> = BTreeMap::new();
        let mut chars = text.char_indices().map(|(byte, _)| byte);
        let mut char_position = 0usize;
        let mut byte_of = |target: usize| -> usize {
            // Boundaries come in ascending order: one forward walk over the text.
            let mut byte = text.len();
            while char_position <= target {
                match chars.next() {
                    Some(next) => {
                        if char_position == target {
                            byte = next;
                        }
                        char_position += 1;
                    }
                    None => {
                        char_position = usize::MAX;
                        break;
                    }
                }
            }
            byte
        };
        let mut from_byte = 0usize;
        let mut event_index = 0usize;
        while event_index < events.len() {
            let Some(&(at, _, _)) = events.get(event_index) else {
                break;
            };
            let to_byte = byte_of(at).max(from_byte);
            if to_byte > from_byte {
                let format = run_format(&plain, &active, &marks, style);
                job.append(
                    text.get(from_byte..to_byte).unwrap_or_default(),
                    0.0,
                    format,
                );
                from_byte = to_byte;
            }
            while let Some(&(next_at, starts, index)) = events.get(event_index)
                && next_at == at
            {
                if starts {
                    active.insert(index, ());
                } else {
                    active.remove(&index);
                }
                event_index += 1;
            }
        }
        job.append(text.get(from_byte..).unwrap_or_default(), 0.0, plain);
        job
    }
}

/// The format of a run covered by the `active` marks.
fn run_format(
    plain: &TextFormat,
    active: &BTreeMap<usize, ()>,
    marks: &[LiveMark],
    style: &MarkStyle<'_>,
) -> TextFormat {
    let covering: Vec<&LiveMark> = active.keys().filter_map(|&i| marks.get(i)).collect();
    if covering.is_empty() {
        return plain.clone();
    }
    let mut sum = [0u32; 3];
    for mark in &covering {
        let color = (style.code_color)(mark.code_id);
        for (total, channel) in sum.iter_mut().zip(color) {
            *total += u32::from(channel);
        }
    }
    let count = covering.len() as u32;
    let [r, g, b] = sum.map(|total| (total / count) as u8);
    let alpha = (u32::from(style.alpha) * (count + 1) / 2).min(170) as u8;
    let review = covering
        .iter()
        .any(|mark| matches!(mark.fate, Fate::Review(_)));
    TextFormat {
        background: Color32::from_rgba_unmultiplied(r, g, b, alpha),
        underline: if review {
            Stroke::new(2.0, style.review_color)
        } else {
            Stroke::NONE
        },
        ..plain.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentId;

    fn coding(id: i64, code: i64, start: usize, end: usize) -> Coding {
        Coding {
            id: CodingId(id),
            guid: String::new(),
            document_id: DocumentId(1),
            code_id: CodeId(code),
            span: Span { start, end },
            coder: "山田".to_owned(),
            memo: String::new(),
            created_at: String::new(),
            exemplar: false,
        }
    }

    fn spans(marks: &LiveMarks) -> Vec<Option<(usize, usize)>> {
        (marks.marks().into_iter())
            .map(|mark| mark.span.map(|span| (span.start, span.end)))
            .collect()
    }

    const TEXT: &str = "Ａ：家族の負担が大きい。地域の資源が足りない。";

    #[test]
    fn marks_follow_typing_before_inside_and_over_a_coding() {
        // 家族の負担 [2, 7) and 地域の資源 [12, 17).
        let mut marks = LiveMarks::new(
            TEXT.to_owned(),
            vec![coding(1, 1, 2, 7), coding(2, 2, 12, 17)],
        );
        marks.update(TEXT);
        assert_eq!(spans(&marks), [Some((2, 7)), Some((12, 17))]);
        // Typed before both (exactly at the first's start): both shift.
        marks.update(&TEXT.replacen("家族", "ご家族", 1));
        assert_eq!(spans(&marks), [Some((3, 8)), Some((13, 18))]);
        // Typed inside the second: it grows, the first stays.
        marks.update(&TEXT.replacen("地域の", "地域の社会", 1));
        assert_eq!(spans(&marks), [Some((2, 7)), Some((12, 19))]);
        // The first's text wholly deleted: an orphan on save, listed with its old text.
        marks.update(&TEXT.replacen("家族の負担", "", 1));
        assert_eq!(spans(&marks), [None, Some((7, 12))]);
        let orphans = marks.orphans_on_save();
        let orphans: Vec<&str> = orphans.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(orphans, ["家族の負担"]);
        // Back to the stored text: nothing moved.
        marks.update(TEXT);
        assert_eq!(spans(&marks), [Some((2, 7)), Some((12, 17))]);
        assert!(marks.orphans_on_save().is_empty());
    }

    #[test]
    fn the_layout_tints_exactly_the_coded_runs() {
        let text = "𠮷田の話。家族の負担。";
        let mut marks = LiveMarks::new(
            text.to_owned(),
            vec![coding(1, 1, 5, 10), coding(2, 2, 8, 10)],
        );
        marks.update(text);
        let style = MarkStyle {
            font_id: FontId::proportional(14.0),
            text_color: Color32::BLACK,
            line_height: 20.0,
            code_color: &|code_id| {
                if code_id == CodeId(1) {
                    [200, 0, 0]
                } else {
                    [0, 0, 200]
                }
            },
            alpha: 60,
            review_color: Color32::YELLOW,
        };
        let job = marks.layout_job(text, 300.0, &style);
        assert_eq!(job.text, text);
        let runs: Vec<(&str, bool)> = (job.sections.iter())
            .map(|section| {
                (
                    &job.text[section.byte_range.start.0..section.byte_range.end.0],
                    section.format.background != Color32::TRANSPARENT,
                )
            })
            .filter(|(run, _)| !run.is_empty())
            .collect();
        assert_eq!(
            runs,
            [
                ("𠮷田の話。", false),
                ("家族の", true),
                ("負担", true),
                ("。", false)
            ]
        );
        let overlap = &job.sections[2].format.background;
        let single = &job.sections[1].format.background;
        assert!(overlap.a() > single.a(), "overlapping codings tint more");
    }
}
