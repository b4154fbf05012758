//! The state and drawing of the 調整 tab. The three lanes look at every segment of the
//! project; in a large project they are collected on a worker thread (issue 17).

use std::sync::Arc;

use eframe::egui::{self, Color32, text::LayoutJob};

use crate::analysis::AnalysisData;
use crate::command::Command;
use crate::command::{Reconciliation, Take};
use crate::model::{CODER_PALETTE, CONSENSUS_CODER, CodeId, Coder, DocumentId};
use crate::project::Project;
use crate::ui::action::Outbox;
use crate::ui::i18n::team::TeamStrings;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Latest;
use crate::ui::snapshot::parse_color;
use crate::ui::widgets::disagreement::Disagreement;

/// Characters of context shown before the first and after the last span.
const CONTEXT: usize = 24;

/// The state of the 調整 tab: the disagreement shown, if any.
#[derive(Default)]
pub struct ReconcileView {
    disagreement: Option<Disagreement>,
    /// Coder colours, read once per project generation.
    colors: Option<(u64, Vec<Coder>)>,
    /// The lanes of the disagreement, by project generation (`None`: its document or code is
    /// gone).
    lanes: Latest<(u64, Disagreement), Option<Lanes>>,
}

/// What the lanes show of one disagreement: the two coders' spans and 合意's, the stretch of
/// text around them, and the names in the heading.
struct Lanes {
    code_path: String,
    document_name: String,
    /// The document's text, one entry per code point.
    text: Vec<char>,
    /// The code points shown: the spans with some context.
    window: (usize, usize),
    /// Coder A, coder B and 合意, each with their sorted spans.
    lanes: [(String, Vec<(usize, usize)>); 3],
}

impl Lanes {
    /// Collects the lanes from every segment of the project; `None` when the disagreement's
    /// document or code no longer exists.
    fn collect(data: &AnalysisData, disagreement: &Disagreement) -> Option<Lanes> {
        let document = data.document(disagreement.document_id)?;
        data.tree().get(disagreement.code_id)?;
        let in_range = |start: usize, end: usize| {
            (disagreement.range).is_none_or(|(from, to)| start < to && from < end)
        };
        let spans_of = |coder: &str| -> Vec<(usize, usize)> {
            let mut spans: Vec<_> = (data.segments())
                .filter(|s| s.document_id == disagreement.document_id)
                .filter(|s| s.code_id == disagreement.code_id && s.coder == coder)
                .filter(|s| in_range(s.start, s.end))
                .map(|s| (s.start, s.end))
                .collect();
            spans.sort_unstable();
            spans
        };
        let lanes = [
            (disagreement.first.clone(), spans_of(&disagreement.first)),
            (disagreement.second.clone(), spans_of(&disagreement.second)),
            (CONSENSUS_CODER.to_owned(), spans_of(CONSENSUS_CODER)),
        ];
        let all = lanes.iter().flat_map(|(_, spans)| spans.iter());
        let from = all
            .clone()
            .map(|s| s.0)
            .chain(disagreement.range.map(|r| r.0));
        let to = all.map(|s| s.1).chain(disagreement.range.map(|r| r.1));
        let window = match (from.min(), to.max()) {
            (Some(from), Some(to)) => (
                from.saturating_sub(CONTEXT),
                (to + CONTEXT).min(document.chars),
            ),
            _ => (0, document.chars.min(CONTEXT * 4)),
        };
        Some(Lanes {
            code_path: data.tree().path_string(disagreement.code_id),
            document_name: document.name.clone(),
            text: document.text.chars().collect(),
            window,
            lanes,
        })
    }
}

impl ReconcileView {
    /// Shows `disagreement`.
    pub fn open(&mut self, disagreement: Disagreement) {
        self.disagreement = Some(disagreement);
    }

    /// The disagreement shown.
    pub fn disagreement(&self) -> Option<&Disagreement> {
        self.disagreement.as_ref()
    }

    /// Shows two coders' disagreement on `code_id` over a whole document (what a document's
    /// link in 一致率 opens).
    pub fn open_document(
        &mut self,
        document_id: DocumentId,
        code_id: CodeId,
        first: &str,
        second: &str,
    ) {
        self.open(Disagreement {
            document_id,
            code_id,
            first: first.to_owned(),
            second: second.to_owned(),
            range: None,
        });
    }

    /// The spans of the disagreement shown, once collected: coder A's, coder B's and 合意's.
    pub fn lanes(&self) -> Option<[&[(usize, usize)]; 3]> {
        let disagreement = self.disagreement.as_ref()?;
        let (key, lanes) = self.lanes.shown_with_key()?;
        let lanes = lanes.as_ref().filter(|_| key.1 == *disagreement)?;
        let [a, b, consensus] = &lanes.lanes;
        Some([&a.1, &b.1, &consensus.1])
    }

    /// True while the coders' spans are collected on a worker thread.
    pub fn is_busy(&self) -> bool {
        self.lanes.is_running()
    }

    /// Blocks until the coders' spans being collected (if any) are shown (tests).
    pub fn wait(&mut self) {
        self.lanes.wait();
    }

    /// The tab. `generation` changes whenever the project changed; `background`: collect the
    /// spans on a worker thread (a large project: every segment is looked at).
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        data: &Arc<AnalysisData>,
        generation: u64,
        background: bool,
        strings: &'static Strings,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        let team = strings.team;
        let Some(disagreement) = &self.disagreement else {
            ui.weak(team.reconcile_empty);
            return Ok(());
        };
        if self.colors.as_ref().is_none_or(|(at, _)| *at != generation) {
            self.colors = Some((generation, project.read().coders()?));
        }
        let coders = self.colors.as_ref().map_or(&[][..], |(_, c)| c.as_slice());
        let key = (generation, disagreement.clone());
        let (shared, wanted) = (Arc::clone(data), disagreement.clone());
        (self.lanes).ensure(&key, background, strings.jobs.lanes, move |_| {
            Ok(Lanes::collect(&shared, &wanted))
        });
        self.lanes.status_ui(ui, strings.cancel);
        // The lanes of this disagreement (perhaps of the project before the last change while
        // the new ones are collected); another disagreement's are not shown.
        let Some((_, lanes)) = (self.lanes.shown_with_key()).filter(|(k, _)| k.1 == *disagreement)
        else {
            return Ok(());
        };
        let Some(lanes) = lanes else {
            ui.label(team.missing);
            return Ok(());
        };
        ui.heading(fill(
            team.reconcile_heading,
            &[&lanes.code_path, &lanes.document_name],
        ));
        ui.weak(match disagreement.range {
            Some((start, end)) => fill(team.reconcile_range, &[&start, &end]),
            None => team.whole_document.to_owned(),
        });
        let (text, window, lanes) = (&lanes.text, lanes.window, &lanes.lanes);
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("reconcile-lanes")
            .max_height(ui.available_height() - 90.0)
            .show(ui, |ui| {
                let mut used: Vec<Color32> = Vec::new();
                for (index, (coder, spans)) in lanes.iter().enumerate() {
                    let label = if index == 2 {
                        team.lane_consensus.to_owned()
                    } else {
                        format!("{} {coder}", ["A", "B"].get(index).unwrap_or(&""))
                    };
                    let color = coder_color(coders, coder, &used);
                    used.push(color);
                    lane_ui(ui, &label, color, text, window, spans, team);
                    ui.add_space(6.0);
                }
            });
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            for (take, label) in [
                (Take::First, team.take_a),
                (Take::Second, team.take_b),
                (Take::Union, team.take_union),
                (Take::Intersection, team.take_intersection),
                (Take::Discard, team.take_discard),
            ] {
                if ui.button(label).on_hover_text(team.take_hint).clicked() {
                    outbox.command(Command::Reconcile {
                        decision: Reconciliation {
                            document_id: disagreement.document_id,
                            code_id: disagreement.code_id,
                            first: disagreement.first.clone(),
                            second: disagreement.second.clone(),
                            take,
                            range: disagreement.range,
                            reconciler: project.coder().to_owned(),
                        },
                    });
                }
            }
            ui.separator();
            ui.weak(fill(team.reconciler, &[&project.coder()]));
        });
        Ok(())
    }
}

/// The coder's stored colour or, for a coder not stored yet (合意 before the first decision),
/// the first palette colour no lane above uses.
fn coder_color(coders: &[Coder], name: &str, used: &[Color32]) -> Color32 {
    let rgb = |[r, g, b]: [u8; 3]| Color32::from_rgb(r, g, b);
    let stored = (coders.iter())
        .find(|coder| coder.name == name)
        .and_then(|coder| coder.color.as_deref())
        .and_then(parse_color);
    if let Some(stored) = stored {
        return rgb(stored);
    }
    (0..CODER_PALETTE.len())
        .filter_map(|index| parse_color(&Coder::palette_color(index)).map(rgb))
        .find(|color| !used.contains(color))
        .unwrap_or(Color32::GRAY)
}

/// One lane: the coder's name in their colour, then the text of `window` with the coder's
/// spans underlaid in that colour.
fn lane_ui(
    ui: &mut egui::Ui,
    label: &str,
    color: Color32,
    text: &[char],
    window: (usize, usize),
    spans: &[(usize, usize)],
    team: &TeamStrings,
) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 2.0, color);
        ui.strong(label);
        if spans.is_empty() {
            ui.weak(team.lane_empty);
        } else {
            let listed: Vec<String> = (spans.iter())
                .map(|(start, end)| format!("[{start}, {end})"))
                .collect();
            ui.weak(listed.join(" "));
        }
    });
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = ui.visuals().text_color();
    let tint = color.gamma_multiply(0.35);
    let mut job = LayoutJob::default();
    let covered = |at: usize| spans.iter().any(|(start, end)| *start <= at && at < *end);
    let mut at = window.0;
    while at < window.1 {
        let inside = covered(at);
        let mut end = at + 1;
        while end < window.1 && covered(end) == inside {
            end += 1;
        }
        let piece: String = text.get(at..end).unwrap_or_default().iter().collect();
        let mut format = egui::TextFormat::simple(font.clone(), plain);
        if inside {
            format.background = tint;
            format.underline = egui::Stroke::new(2.0, color);
        }
        job.append(&piece, 0.0, format);
        at = end;
    }
    job.wrap.max_width = ui.available_width();
    ui.label(job);
}
