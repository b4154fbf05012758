//! The transcript's text split into lines, with the heights of their wrapped layout computed once
//! per document, width and text size. Each frame lays out only the visible lines, through
//! egui's galley cache (a cache hit after the first frame), so a 100,000-character transcript
//! costs what its visible screenful costs. Offsets here are code points of the stored text, the
//! same unit as a galley's character cursor (`char`s), so a selection maps 1:1 onto a span.

use std::sync::Arc;

use eframe::egui::{self, Color32, FontId, Galley, Rect, TextFormat, text::LayoutJob};

use crate::model::{Coding, Utterance};
use crate::text::CharIndex;

/// One line of the stored text, `[start, end)` in code points, without its newline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// First code point.
    pub start: usize,
    /// One past the last code point (the newline is not included).
    pub end: usize,
    /// The utterance that begins on this line: its number and where its speaker label ends.
    pub utterance: Option<(u32, usize)>,
}

/// Heights of every line at one width and text size.
#[derive(Clone, Debug, Default)]
pub struct LineLayout {
    key: (u32, u32, u32),
    /// Top of each line, from the top of the transcript.
    pub tops: Vec<f32>,
    /// Height of each line.
    pub heights: Vec<f32>,
    /// Height of the whole transcript.
    pub total_height: f32,
}

/// The text of one document, its lines, and where its codings sit.
#[derive(Clone, Debug, Default)]
pub struct TranscriptText {
    /// The stored text with O(1) code-point slicing.
    pub text: CharIndex,
    /// Lines in order.
    pub lines: Vec<Line>,
    /// The document's codings, by start, end, code and id.
    pub codings: Vec<Coding>,
    /// For each coding (same index), the lane of its stripe in the margin.
    pub lanes: Vec<usize>,
    /// Number of lanes in use.
    pub lane_count: usize,
    /// For each line, the indexes of the codings that overlap it.
    pub codings_by_line: Vec<Vec<usize>>,
    layout: Option<LineLayout>,
}

impl TranscriptText {
    /// Splits `text` into lines and marks where utterances begin.
    pub fn new(text: String, utterances: &[Utterance], codings: Vec<Coding>) -> TranscriptText {
        let text = CharIndex::new(text);
        let mut lines = Vec::new();
        let mut start = 0;
        for (offset, character) in text.text().chars().enumerate() {
            if character == '\n' {
                lines.push(Line {
                    start,
                    end: offset,
                    utterance: None,
                });
                start = offset + 1;
            }
        }
        lines.push(Line {
            start,
            end: text.chars(),
            utterance: None,
        });
        for utterance in utterances {
            let index = line_at(&lines, utterance.start);
            if let Some(line) = lines.get_mut(index)
                && line.utterance.is_none()
            {
                line.utterance = Some((utterance.number, utterance.text_start.min(line.end)));
            }
        }
        let mut transcript = TranscriptText {
            text,
            lines,
            ..TranscriptText::default()
        };
        transcript.set_codings(codings);
        transcript
    }

    /// Replaces the codings (after a command) without touching the layout.
    pub fn set_codings(&mut self, codings: Vec<Coding>) {
        let (lanes, lane_count) = assign_lanes(&codings);
        let mut by_line = vec![Vec::new(); self.lines.len()];
        for (index, coding) in codings.iter().enumerate() {
            let first = line_at(&self.lines, coding.span.start);
            let last = line_at(&self.lines, coding.span.end.saturating_sub(1));
            for line in by_line.iter_mut().take(last + 1).skip(first) {
                line.push(index);
            }
        }
        self.codings = codings;
        self.lanes = lanes;
        self.lane_count = lane_count;
        self.codings_by_line = by_line;
    }

    /// Computes the heights of all lines when the width, text size or scale changed; returns
    /// the height of the whole transcript.
    pub fn ensure_layout(
        &mut self,
        painter: &egui::Painter,
        wrap_width: f32,
        text_size: f32,
        style: &LineStyle,
    ) -> f32 {
        let key = (
            wrap_width.round() as u32,
            text_size.to_bits(),
            painter.pixels_per_point().to_bits(),
        );
        if self.layout.as_ref().is_none_or(|layout| layout.key != key) {
            let mut tops = Vec::with_capacity(self.lines.len());
            let mut heights = Vec::with_capacity(self.lines.len());
            let mut y = 0.0;
            for index in 0..self.lines.len() {
                let galley = self.galley(painter, index, wrap_width, text_size, style);
                let height = galley.rect.height().max(text_size);
                tops.push(y);
                heights.push(height);
                y += height;
            }
            self.layout = Some(LineLayout {
                key,
                tops,
                heights,
                total_height: y,
            });
        }
        self.layout
            .as_ref()
            .map_or(0.0, |layout| layout.total_height)
    }

    /// The layout computed by the last [`TranscriptText::ensure_layout`].
    pub fn line_layout(&self) -> Option<&LineLayout> {
        self.layout.as_ref()
    }

    /// The galley of one line (from egui's cache after the first request).
    pub fn galley(
        &self,
        painter: &egui::Painter,
        index: usize,
        wrap_width: f32,
        text_size: f32,
        style: &LineStyle,
    ) -> Arc<Galley> {
        let Some(line) = self.lines.get(index) else {
            return painter.layout_job(LayoutJob::default());
        };
        let text = self.text.slice(line.start, line.end).unwrap_or_default();
        let font_id = FontId::proportional(text_size);
        let normal = TextFormat {
            font_id: font_id.clone(),
            color: style.text,
            line_height: Some(text_size * 1.55),
            ..TextFormat::default()
        };
        let mut job = LayoutJob {
            wrap: egui::text::TextWrapping::wrap_at_width(wrap_width),
            ..LayoutJob::default()
        };
        let label_chars = line
            .utterance
            .map_or(0, |(_, label_end)| label_end.saturating_sub(line.start));
        let label_bytes = text
            .char_indices()
            .nth(label_chars)
            .map_or(text.len(), |(byte, _)| byte);
        let (label, speech) = text.split_at(label_bytes);
        if !label.is_empty() {
            job.append(
                label,
                0.0,
                TextFormat {
                    color: style.speaker,
                    ..normal.clone()
                },
            );
        }
        job.append(speech, 0.0, normal);
        painter.layout_job(job)
    }

    /// The line holding code point `offset` (the last line for the end of the text).
    pub fn line_at(&self, offset: usize) -> usize {
        line_at(&self.lines, offset)
    }

    /// The indexes of the codings that cover code point `offset`.
    pub fn codings_at(&self, offset: usize) -> Vec<usize> {
        let line = self.line_at(offset);
        self.codings_by_line
            .get(line)
            .map(|indexes| {
                indexes
                    .iter()
                    .copied()
                    .filter(|&index| {
                        self.codings
                            .get(index)
                            .is_some_and(|c| c.span.start <= offset && offset < c.span.end)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The colours a line is laid out with.
#[derive(Clone, Debug, PartialEq)]
pub struct LineStyle {
    /// Speech.
    pub text: Color32,
    /// The speaker label (`Ａ：`).
    pub speaker: Color32,
}

fn line_at(lines: &[Line], offset: usize) -> usize {
    lines
        .partition_point(|line| line.end < offset)
        .min(lines.len().saturating_sub(1))
}

/// Stripe lanes: each coding gets the lowest lane free at its start, so overlapping codings sit
/// side by side and a lane is reused as soon as its coding ends (interval colouring).
fn assign_lanes(codings: &[Coding]) -> (Vec<usize>, usize) {
    let mut lane_ends: Vec<usize> = Vec::new();
    let mut lanes = Vec::with_capacity(codings.len());
    for coding in codings {
        let free = lane_ends.iter().position(|&end| end <= coding.span.start);
        let lane = match free {
            Some(lane) => lane,
            None => {
                lane_ends.push(0);
                lane_ends.len() - 1
            }
        };
        if let Some(end) = lane_ends.get_mut(lane) {
            *end = coding.span.end;
        }
        lanes.push(lane);
    }
    (lanes, lane_ends.len())
}

/// The rectangles covering characters `[start, end)` of a galley (one per wrapped row), relative
/// to the galley's origin.
pub fn range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let count = row.char_count_excluding_newline().0;
        let row_end = row_start + count;
        let from = start.max(row_start);
        let to = end.min(row_end);
        if from < to {
            let x0 = row.pos.x + row.x_offset(egui::text::CharIndex(from - row_start));
            let x1 = row.pos.x + row.x_offset(egui::text::CharIndex(to - row_start));
            rects.push(Rect::from_min_max(
                egui::pos2(x0, row.min_y()),
                egui::pos2(x1, row.max_y()),
            ));
        }
        row_start += row.char_count_including_newline().0;
        if row_start >= end {
            break;
        }
    }
    rects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CodeId, CodingId, DocumentId, Span};

    fn coding(id: i64, start: usize, end: usize) -> Coding {
        Coding {
            id: CodingId(id),
            guid: String::new(),
            document_id: DocumentId(1),
            code_id: CodeId(1),
            span: Span { start, end },
            coder: String::new(),
            memo: String::new(),
            created_at: String::new(),
            exemplar: false,
        }
    }

    #[test]
    fn overlapping_codings_get_separate_lanes_and_lanes_are_reused() {
        let codings = vec![coding(1, 0, 10), coding(2, 5, 15), coding(3, 12, 20)];
        let (lanes, count) = assign_lanes(&codings);
        assert_eq!(lanes, [0, 1, 0]);
        assert_eq!(count, 2);
    }

    #[test]
    fn lines_count_code_points_and_find_codings_across_lines() {
        let utterance = Utterance {
            document_id: DocumentId(1),
            number: 1,
            speaker: "B".to_owned(),
            start: 6,
            text_start: 8,
            end: 13,
        };
        let transcript = TranscriptText::new(
            "𠮷田の話\n\nＢ：支援します".to_owned(),
            &[utterance],
            vec![coding(1, 2, 10)],
        );
        let starts: Vec<(usize, usize)> =
            transcript.lines.iter().map(|l| (l.start, l.end)).collect();
        assert_eq!(starts, [(0, 4), (5, 5), (6, 13)]);
        assert_eq!(transcript.lines[2].utterance, Some((1, 8)));
        assert_eq!(transcript.codings_by_line, [vec![0], vec![0], vec![0]]);
        assert_eq!(transcript.codings_at(9), [0]);
        assert!(transcript.codings_at(10).is_empty());
        assert_eq!(transcript.line_at(4), 0);
        assert_eq!(transcript.line_at(5), 1);
    }
}
