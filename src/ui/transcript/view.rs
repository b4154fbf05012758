//! The centre of the workbench: one transcript with utterance numbers in a gutter, speaker labels
//! in their own colour, codings as tinted text plus coloured stripes in the right margin (one
//! lane per overlapping coding, as MAXQDA draws them), and a mouse selection whose ends are exact
//! code-point offsets. Right-click on coded text or on a stripe: remove the coding, flag it as
//! 代表的語り, or edit its memo. Only visible lines are painted each frame.

use std::collections::BTreeSet;
use std::sync::Arc;

use eframe::egui::{self, Color32, Galley, Pos2, Rect, Response, Sense, vec2};

use crate::Result;
use crate::model::{CodeId, Coding, CodingId, DocumentId, DocumentInfo, TokenSpan};
use crate::project::Project;
use crate::text::snap::snap_to_words;
use crate::ui::action::Action;
use crate::ui::action::Outbox;
use crate::ui::i18n::Strings;
use crate::ui::snapshot::Snapshot;
use crate::ui::transcript::coding_menu::{
    MemoDialog, code_label_ui, code_name, coding_menu_ui, coding_tooltip_ui,
};
use crate::ui::transcript::layout::{LineStyle, TranscriptText, range_rects};

mod paint;

/// Width of the gutter that shows utterance numbers.
const GUTTER: f32 = 52.0;
/// Horizontal distance between stripe lanes.
const LANE: f32 = 6.0;
/// Width of one stripe.
const STRIPE: f32 = 4.0;
/// Lanes drawn at most; deeper overlaps share the last lane.
const MAX_LANES: usize = 16;

/// A selection in code points: where the drag began and where it is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Selection {
    anchor: usize,
    cursor: usize,
}

/// A line painted in the last frame: its index, where its galley was put, and the galley.
#[derive(Clone, Debug)]
struct PlacedLine {
    index: usize,
    origin: Pos2,
    galley: Arc<Galley>,
}

/// How the text is drawn this frame.
struct Geometry {
    /// The whole transcript's rectangle in screen coordinates.
    rect: Rect,
    wrap_width: f32,
    text_size: f32,
    style: LineStyle,
}

impl Geometry {
    fn line_origin(&self, top: f32) -> Pos2 {
        self.rect.min + vec2(GUTTER, top)
    }
}

/// One open transcript and everything the view remembers about it.
pub struct TranscriptView {
    document: DocumentInfo,
    case_name: String,
    body: TranscriptText,
    selection: Option<Selection>,
    /// Where the text's context menu was opened, in code points.
    context_offset: Option<usize>,
    /// The coding whose stripe the pointer was over in the last frame.
    hovered_coding: Option<CodingId>,
    placed: Vec<PlacedLine>,
    memo_dialog: MemoDialog,
    /// A code point to scroll into view once the layout exists (set by [`Self::reveal`]).
    pending_scroll: Option<usize>,
    /// The document's tokens from the token index, when it has been built.
    tokens: Option<Vec<TokenSpan>>,
    /// Widen each mouse selection to whole words when the drag ends.
    snap: bool,
    /// The code selected in the tree (id and path): the coding menu offers to recode to it.
    recode_to: Option<(CodeId, String)>,
    /// Blind mode: only this coder's codings are drawn (the project keeps the others).
    only_coder: Option<String>,
    /// Stripes in the coder's colour instead of the code's.
    stripes_by_coder: bool,
    /// The stored hash of the text shown: a revision changes it.
    text_hash: Option<String>,
}

impl TranscriptView {
    /// Reads a document with its utterances and codings; `None` when it no longer exists.
    pub fn load(project: &Project, document_id: DocumentId) -> Result<Option<TranscriptView>> {
        let reader = project.read();
        let Some(document) = reader.document(document_id)? else {
            return Ok(None);
        };
        let utterances = reader.utterances(document_id)?;
        let codings = reader.codings_of_document(document_id)?;
        let tokens = reader.tokens(document_id)?;
        let text_hash = reader.document_hash(document_id)?;
        let case_name = reader
            .cases()?
            .into_iter()
            .find(|case| case.id == document.info.case_id)
            .map(|case| case.name)
            .unwrap_or_default();
        Ok(Some(TranscriptView {
            body: TranscriptText::new(document.text, &utterances, codings),
            document: document.info,
            case_name,
            selection: None,
            context_offset: None,
            hovered_coding: None,
            placed: Vec::new(),
            memo_dialog: MemoDialog::default(),
            pending_scroll: None,
            tokens,
            snap: false,
            recode_to: None,
            only_coder: None,
            stripes_by_coder: false,
            text_hash,
        }))
    }

    /// Reads the document again when a revision changed its stored text (保存 in the editor,
    /// 取り込む, a replace, or their undo): text, utterances, tokens and codings. The selection
    /// is dropped (its offsets belong to the old text); the view's options stay. Returns true
    /// when it read the document again.
    pub fn reload_if_revised(&mut self, project: &Project) -> Result<bool> {
        let stored_hash = project.read().document_hash(self.document.id)?;
        if stored_hash == self.text_hash {
            return Ok(false);
        }
        let Some(mut fresh) = TranscriptView::load(project, self.document.id)? else {
            return Ok(false);
        };
        fresh.snap = self.snap;
        fresh.stripes_by_coder = self.stripes_by_coder;
        fresh.only_coder = self.only_coder.take();
        fresh.reload_codings(project)?;
        *self = fresh;
        Ok(true)
    }

    /// The stored hash of the text shown (a worker compares it to tell a revision).
    pub fn text_hash(&self) -> Option<&str> {
        self.text_hash.as_deref()
    }

    /// Puts codings read on a worker in place: only `only_coder`'s (blind mode), as the
    /// worker filtered them. Keeps the layout and the selection.
    pub fn replace_codings(&mut self, codings: Vec<Coding>, only_coder: Option<String>) {
        self.only_coder = only_coder;
        self.body.set_codings(codings);
    }

    /// Puts the document read again on a worker after a revision in place (its codings
    /// filtered there, see [`Self::set_only_coder`]), keeping the view's other options, as
    /// [`Self::reload_if_revised`] does.
    pub fn replace_with_revised(&mut self, mut fresh: TranscriptView) {
        fresh.snap = self.snap;
        fresh.stripes_by_coder = self.stripes_by_coder;
        *self = fresh;
    }

    /// The stored text shown.
    pub fn text(&self) -> &str {
        self.body.text.text()
    }

    /// Re-reads the codings after a command; keeps the layout and the selection.
    pub fn reload_codings(&mut self, project: &Project) -> Result<()> {
        let mut codings = project.read().codings_of_document(self.document.id)?;
        if let Some(coder) = &self.only_coder {
            codings.retain(|coding| coding.coder == *coder);
        }
        self.body.set_codings(codings);
        Ok(())
    }

    /// Blind mode: draws only `coder`'s codings (`None`: everyone's), re-reading them.
    pub fn set_only_coder(&mut self, project: &Project, coder: Option<&str>) -> Result<()> {
        self.only_coder = coder.map(str::to_owned);
        self.reload_codings(project)
    }

    /// Colours the stripes by coder (true) or by code (false), as the header's toggle does.
    pub fn set_stripes_by_coder(&mut self, by_coder: bool) {
        self.stripes_by_coder = by_coder;
    }

    /// True when the stripes are coloured by coder.
    pub fn stripes_by_coder(&self) -> bool {
        self.stripes_by_coder
    }

    /// The codings drawn, in the order they are stored.
    pub fn codings(&self) -> &[Coding] {
        &self.body.codings
    }

    /// The document shown.
    pub fn document_id(&self) -> DocumentId {
        self.document.id
    }

    /// The selected span `[start, end)` in code points, when it is not empty.
    pub fn selected_span(&self) -> Option<(usize, usize)> {
        let selection = self.selection?;
        let start = selection.anchor.min(selection.cursor);
        let end = selection.anchor.max(selection.cursor);
        (start < end).then_some((start, end))
    }

    /// Selects `[start, end)` (clamped to the text), as a mouse drag would.
    pub fn select(&mut self, start: usize, end: usize) {
        let chars = self.body.text.chars();
        self.selection = Some(Selection {
            anchor: start.min(chars),
            cursor: end.min(chars),
        });
    }

    /// The code the coding menu offers to recode to (the one selected in the tree).
    pub fn set_recode_target(&mut self, target: Option<(CodeId, String)>) {
        self.recode_to = target;
    }

    /// Turns snapping to word boundaries on or off.
    pub fn set_snap(&mut self, snap: bool) {
        self.snap = snap;
    }

    /// The selected text, if any.
    pub fn selected_text(&self) -> Option<&str> {
        let (start, end) = self.selected_span()?;
        self.body.text.slice(start, end)
    }

    /// Widens the selection to whole words (tokens when indexed, else script runs).
    fn snap_selection(&mut self) {
        let Some((start, end)) = self.selected_span() else {
            return;
        };
        let chars: Vec<char> = self.body.text.text().chars().collect();
        let (start, end) = snap_to_words(&chars, self.tokens.as_deref(), start, end);
        self.select(start, end);
    }

    /// Selects `[start, end)` and scrolls it into view on the next frame (a jump from the
    /// matrix or from a search hit).
    pub fn reveal(&mut self, start: usize, end: usize) {
        self.select(start, end);
        self.pending_scroll = Some(start);
    }

    /// True while a [`Self::reveal`] waits for its scroll.
    pub fn is_scrolling_to_reveal(&self) -> bool {
        self.pending_scroll.is_some()
    }

    /// Where the boundary before code point `offset` was drawn in the last frame (the middle of
    /// its row), if its line was visible. Tests use it to drag the mouse over real text.
    pub fn point_of_offset(&self, offset: usize) -> Option<Pos2> {
        let index = self.body.line_at(offset);
        let line = self.body.lines.get(index)?;
        let placed = self.placed.iter().find(|placed| placed.index == index)?;
        let cursor = egui::text::CCursor::new(offset.checked_sub(line.start)?);
        let rect = placed.galley.pos_from_cursor(cursor);
        Some(placed.origin + rect.center().to_vec2())
    }

    /// Records where each character boundary of the visible lines is (see [`crate::ui::probe`]).
    fn probe_offsets(&self, clip: Rect) {
        for placed in &self.placed {
            let Some(line) = self.body.lines.get(placed.index) else {
                continue;
            };
            for offset in line.start..=line.end {
                if let Some(point) = self.point_of_offset(offset)
                    && clip.contains(point)
                {
                    crate::ui::probe::record(format!("offset {offset}"), point);
                }
            }
        }
    }

    /// The transcript: a header with the selection, then the scrollable text.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        strings: &Strings,
        text_size: f32,
        outbox: &mut Outbox,
    ) {
        ui.horizontal(|ui| {
            ui.heading(&self.document.name);
            let case = if self.case_name == self.document.name {
                String::new()
            } else {
                format!("{}: {} ・ ", strings.case, self.case_name)
            };
            ui.weak(format!(
                "{case}{} {} ・ {} ・ {} {}",
                self.document.chars,
                strings.characters,
                self.document.encoding,
                self.body.codings.len(),
                strings.segments,
            ));
            ui.toggle_value(&mut self.stripes_by_coder, strings.team.stripes_by_coder)
                .on_hover_text(strings.team.stripes_by_coder_hint);
        });
        self.selection_ui(ui, strings, outbox);
        ui.separator();
        let style = LineStyle {
            text: ui.visuals().text_color(),
            speaker: ui.visuals().hyperlink_color,
        };
        // Room for lanes in steps of four, so that one more overlap rarely reflows the text.
        let lanes_shown = self.body.lane_count.clamp(1, MAX_LANES).next_multiple_of(4);
        let margin = 12.0 + LANE * lanes_shown as f32;
        let mut scroll_area = egui::ScrollArea::vertical()
            .id_salt(("transcript", self.document.id.0))
            .auto_shrink(false);
        // A pending reveal scrolls once the lines have been laid out (the first frame of a
        // newly opened document lays them out; the next one scrolls).
        if let Some(offset) = self.pending_scroll
            && let Some(layout) = self.body.line_layout()
        {
            let index = self.body.line_at(offset);
            if let Some(top) = layout.tops.get(index) {
                scroll_area = scroll_area.vertical_scroll_offset((top - 80.0).max(0.0));
            }
            self.pending_scroll = None;
        }
        scroll_area.show_viewport(ui, |ui, viewport| {
            let width = ui.available_width();
            let wrap_width = (width - GUTTER - margin).max(120.0);
            let total_height = self
                .body
                .ensure_layout(ui.painter(), wrap_width, text_size, &style);
            let (rect, response) =
                ui.allocate_exact_size(vec2(width, total_height), Sense::click_and_drag());
            let geometry = Geometry {
                rect,
                wrap_width,
                text_size,
                style,
            };
            let viewport = viewport.translate(rect.min.to_vec2());
            self.paint_lines(ui, &geometry, viewport, snapshot);
            if crate::ui::probe::enabled() {
                self.probe_offsets(ui.clip_rect());
            }
            self.stripes_ui(ui, &geometry, snapshot, strings, outbox);
            self.pointer_ui(ui, &response, &geometry, snapshot, strings, outbox);
        });
        self.memo_dialog.ui(ui.ctx(), strings, outbox);
    }

    /// The selection header: one row of fixed height whatever is selected, so that nothing
    /// below it moves while the mouse button is down (a wrapped header used to push the text
    /// down by a row during a drag, and the selection ended one line away from the pointer).
    /// The preview is elided to the row's width; the full text is in its tooltip.
    fn selection_ui(&mut self, ui: &mut egui::Ui, strings: &Strings, outbox: &mut Outbox) {
        let height = ui.spacing().interact_size.y;
        let size = vec2(ui.available_width(), height);
        let layout = egui::Layout::left_to_right(egui::Align::Center);
        ui.allocate_ui_with_layout(size, layout, |ui| {
            ui.set_min_size(size);
            ui.set_max_height(height);
            let centre = &strings.centre;
            if ui
                .checkbox(&mut self.snap, centre.snap_words)
                .on_hover_text(centre.snap_hint)
                .changed()
                && self.snap
            {
                self.snap_selection();
            }
            let selected = self.selected_span().is_some();
            if ui
                .add_enabled(selected, egui::Button::new(centre.in_vivo))
                .on_hover_text(centre.in_vivo_hint)
                .clicked()
            {
                outbox.action(Action::CodeInVivo);
            }
            if ui
                .add_enabled(selected, egui::Button::new(strings.clear_selection).small())
                .clicked()
            {
                self.selection = None;
            }
            ui.separator();
            self.selection_label_ui(ui, strings);
        });
    }

    fn selection_label_ui(&self, ui: &mut egui::Ui, strings: &Strings) {
        match self.selected_span() {
            Some((start, end)) => {
                let text = self.body.text.slice(start, end).unwrap_or_default();
                let preview: String = text.chars().take(40).collect();
                let more = if end - start > 40 { "…" } else { "" };
                let label = format!(
                    "{}: [{start}, {end}) {} {} 「{preview}{more}」",
                    strings.selection,
                    end - start,
                    strings.characters,
                );
                ui.add(egui::Label::new(label).truncate());
            }
            None => {
                ui.add(
                    egui::Label::new(egui::RichText::new(strings.no_selection).weak()).truncate(),
                );
            }
        }
    }

    /// Clears the selection (after it was coded).
    pub fn clear_selection(&mut self) {
        self.selection = None;
    }

    /// True when the coding `code_id` × `[start, end)` by `coder` is already in this document.
    pub fn has_coding(&self, code_id: CodeId, start: usize, end: usize, coder: &str) -> bool {
        self.body.codings.iter().any(|coding| {
            coding.code_id == code_id
                && (coding.span.start, coding.span.end) == (start, end)
                && coding.coder == coder
        })
    }

    /// Mouse selection, the hover tooltip over coded text, and the text's context menu.
    fn pointer_ui(
        &mut self,
        ui: &mut egui::Ui,
        response: &Response,
        geometry: &Geometry,
        snapshot: &Snapshot,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        if response.drag_started_by(egui::PointerButton::Primary)
            && let Some(origin) = ui.input(|input| input.pointer.press_origin())
            && let Some(offset) = self.offset_at(ui, geometry, origin)
        {
            self.selection = Some(Selection {
                anchor: offset,
                cursor: offset,
            });
        }
        if response.dragged_by(egui::PointerButton::Primary)
            && let Some(pointer) = ui.input(|input| input.pointer.interact_pos())
        {
            if let Some(offset) = self.offset_at(ui, geometry, pointer)
                && let Some(selection) = &mut self.selection
            {
                selection.cursor = offset;
            }
            let clip = ui.clip_rect();
            let step = if pointer.y < clip.top() + 24.0 {
                12.0
            } else if pointer.y > clip.bottom() - 24.0 {
                -12.0
            } else {
                0.0
            };
            if step != 0.0 {
                ui.scroll_with_delta(vec2(0.0, step));
                ui.request_repaint();
            }
        }
        if response.drag_stopped_by(egui::PointerButton::Primary) && self.snap {
            self.snap_selection();
        }
        if response.clicked()
            && let Some(pointer) = response.interact_pointer_pos()
        {
            let shift = ui.input(|input| input.modifiers.shift);
            let offset = self.offset_at(ui, geometry, pointer);
            match (&mut self.selection, offset) {
                (Some(selection), Some(offset)) if shift => selection.cursor = offset,
                _ => self.selection = None,
            }
        }
        if response.secondary_clicked() {
            self.context_offset = response
                .interact_pointer_pos()
                .and_then(|pointer| self.offset_at(ui, geometry, pointer));
        }
        if !response.dragged()
            && let Some(pointer) = response.hover_pos()
            && let Some(offset) = self.offset_at(ui, geometry, pointer)
        {
            let here: Vec<Coding> = self
                .body
                .codings_at(offset)
                .into_iter()
                .filter_map(|index| self.body.codings.get(index).cloned())
                .collect();
            if !here.is_empty() {
                response.clone().on_hover_ui_at_pointer(|ui| {
                    for coding in &here {
                        code_label_ui(ui, coding, snapshot, strings);
                    }
                });
            }
        }
        let recode_to = self.recode_to.clone();
        let context_codings: Vec<Coding> = self
            .context_offset
            .map(|offset| self.body.codings_at(offset))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|index| self.body.codings.get(index).cloned())
            .collect();
        response.context_menu(|ui| {
            if context_codings.is_empty() {
                ui.weak(strings.no_selection);
            }
            for coding in &context_codings {
                let name = code_name(snapshot, coding);
                let edit_memo = if context_codings.len() == 1 {
                    ui.strong(&name);
                    coding_menu_ui(ui, coding, recode_to.as_ref(), strings, outbox)
                } else {
                    ui.menu_button(name, |ui| {
                        coding_menu_ui(ui, coding, recode_to.as_ref(), strings, outbox)
                    })
                    .inner
                    .unwrap_or(false)
                };
                if edit_memo {
                    self.memo_dialog.open(coding, snapshot);
                }
            }
        });
    }

    /// The code point under a screen position (the nearest character boundary).
    fn offset_at(&self, ui: &egui::Ui, geometry: &Geometry, pointer: Pos2) -> Option<usize> {
        let layout = self.body.line_layout()?;
        let y = pointer.y - geometry.rect.min.y;
        let index = layout
            .tops
            .partition_point(|top| *top <= y)
            .saturating_sub(1);
        let line = self.body.lines.get(index)?;
        let top = *layout.tops.get(index)?;
        let galley = self.body.galley(
            ui.painter(),
            index,
            geometry.wrap_width,
            geometry.text_size,
            &geometry.style,
        );
        let local = galley
            .cursor_from_pos(pointer - geometry.line_origin(top))
            .index
            .0;
        Some(line.start + local.min(line.end - line.start))
    }

    fn coding_text(&self, coding: &Coding, limit: usize) -> String {
        let text = self
            .body
            .text
            .slice(coding.span.start, coding.span.end)
            .unwrap_or_default();
        let mut preview: String = text.chars().take(limit).collect();
        if coding.span.len() > limit {
            preview.push('…');
        }
        preview
    }
}
