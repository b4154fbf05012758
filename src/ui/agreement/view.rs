//! The state and controls of the 一致率 tab, and its table.

use std::sync::Arc;

use eframe::egui;
use egui_extras::{Column as TableColumn, TableBuilder, TableRow};

use crate::analysis::AnalysisData;
use crate::analysis::agreement::{
    Agreement, AgreementOptions, CodeAgreement, Counts, DEFAULT_SEGMENT_OVERLAP, Unit,
};
use crate::ui::i18n::team::TeamStrings;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Job;
use crate::ui::widgets::disagreement::{Disagreement, percent_text, statistic_text};

/// The state of the 一致率 tab.
pub struct AgreementView {
    first: String,
    second: String,
    unit: Unit,
    /// Segment overlap in percent.
    overlap_percent: f64,
    job: Option<Job<Agreement>>,
    /// The generation the job was started at.
    job_generation: u64,
    /// The last result and the generation it was computed at.
    result: Option<(u64, Agreement)>,
    problem: Option<String>,
}

impl Default for AgreementView {
    fn default() -> AgreementView {
        AgreementView {
            first: String::new(),
            second: String::new(),
            unit: Unit::Character,
            overlap_percent: DEFAULT_SEGMENT_OVERLAP * 100.0,
            job: None,
            job_generation: 0,
            result: None,
            problem: None,
        }
    }
}

impl AgreementView {
    /// The agreement shown (after the last computation).
    pub fn agreement(&self) -> Option<&Agreement> {
        self.result.as_ref().map(|(_, agreement)| agreement)
    }

    /// Chooses the two coders (as the combo boxes do).
    pub fn set_coders(&mut self, first: &str, second: &str) {
        first.clone_into(&mut self.first);
        second.clone_into(&mut self.second);
    }

    /// Chooses the unit (as the combo box does).
    pub fn set_unit(&mut self, unit: Unit) {
        self.unit = unit;
    }

    /// Blocks until the computation (if any) has finished; tests call it instead of waiting
    /// for frames.
    pub fn wait(&mut self) -> anyhow::Result<()> {
        if let Some(job) = &mut self.job
            && let Some(result) = job.wait()
        {
            self.job = None;
            self.result = Some((self.job_generation, result?));
        }
        Ok(())
    }

    /// True while the agreement is computed.
    pub fn is_busy(&self) -> bool {
        self.job.is_some()
    }

    /// Starts the computation on a thread of its own, on the shared analysis data.
    fn start(&mut self, data: &Arc<AnalysisData>, generation: u64, strings: &TeamStrings) {
        let mut options = AgreementOptions::new(&self.first, &self.second);
        options.unit = self.unit;
        options.segment_overlap = (self.overlap_percent / 100.0).clamp(0.0, 1.0);
        let data = Arc::clone(data);
        self.problem = None;
        self.job_generation = generation;
        self.job = Some(Job::spawn(strings.computing, move |_progress| {
            Ok(Agreement::compute(&data, &options))
        }));
    }

    fn poll(&mut self) {
        let Some(job) = &mut self.job else {
            return;
        };
        if job.is_cancelled() {
            self.job = None;
            return;
        }
        match job.poll() {
            None => {}
            Some(Ok(agreement)) => {
                self.job = None;
                self.result = Some((self.job_generation, agreement));
            }
            Some(Err(error)) => {
                self.job = None;
                self.problem = Some(format!("{error:#}"));
            }
        }
    }

    /// The tab; `coders` are the snapshot's coders (read with it, once). Returns the
    /// disagreement the researcher clicked, to open in the 調整 tab.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &Arc<AnalysisData>,
        coders: &[String],
        generation: u64,
        strings: &Strings,
    ) -> Option<Disagreement> {
        let team = strings.team;
        self.poll();
        let coders = coders.to_vec();
        if coders.len() < 2 {
            ui.label(team.need_two_coders);
            return None;
        }
        // The first two coders by name until the researcher chooses.
        if !coders.contains(&self.first) {
            self.first = coders.first().cloned().unwrap_or_default();
        }
        if !coders.contains(&self.second) || self.second == self.first {
            self.second = (coders.iter().find(|name| **name != self.first))
                .cloned()
                .unwrap_or_default();
        }
        self.controls_ui(ui, data, generation, &coders, team);
        if let Some(job) = &self.job {
            job.ui(ui, team.cancel);
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        let Some((computed_at, agreement)) = &self.result else {
            ui.weak(team.not_computed);
            return None;
        };
        if *computed_at != generation {
            ui.colored_label(ui.visuals().warn_fg_color, team.stale);
        }
        results_ui(ui, data, agreement, strings)
    }

    fn controls_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &Arc<AnalysisData>,
        generation: u64,
        coders: &[String],
        team: &TeamStrings,
    ) {
        ui.horizontal_wrapped(|ui| {
            for (id, label, chosen) in [
                ("agreement-first", team.coder_a, &mut self.first),
                ("agreement-second", team.coder_b, &mut self.second),
            ] {
                let label = ui.label(label);
                egui::ComboBox::from_id_salt(id)
                    .selected_text(chosen.as_str())
                    .show_ui(ui, |ui| {
                        for name in coders {
                            ui.selectable_value(chosen, name.clone(), name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
            ui.separator();
            let label = ui.label(team.unit);
            egui::ComboBox::from_id_salt("agreement-unit")
                .selected_text(unit_label(self.unit, team))
                .show_ui(ui, |ui| {
                    for unit in [
                        Unit::Character,
                        Unit::Utterance,
                        Unit::Sentence,
                        Unit::Document,
                    ] {
                        ui.selectable_value(&mut self.unit, unit, unit_label(unit, team));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            let label = ui.label(team.overlap).on_hover_text(team.overlap_hint);
            ui.add(
                egui::DragValue::new(&mut self.overlap_percent)
                    .range(1.0..=100.0)
                    .suffix(" %"),
            )
            .labelled_by(label.id);
            ui.separator();
            let ready = self.first != self.second && self.job.is_none();
            let compute = ui.add_enabled(ready, egui::Button::new(team.compute));
            if self.first == self.second {
                ui.weak(team.same_coder);
            }
            if compute.clicked() {
                self.start(data, generation, team);
            }
        });
        ui.separator();
    }
}

fn unit_label(unit: Unit, team: &TeamStrings) -> &'static str {
    match unit {
        Unit::Character => team.unit_character,
        Unit::Utterance => team.unit_utterance,
        Unit::Sentence => team.unit_sentence,
        Unit::Document => team.unit_document,
    }
}

/// Up to this many unmatched segments in all, each code's list starts unfolded.
const UNMATCHED_OPEN: usize = 500;

/// The unmatched segments listed under one code (the rest are counted).
const UNMATCHED_LISTED: usize = 200;

/// The summary line, the table per code and the disagreements; returns the one clicked.
fn results_ui(
    ui: &mut egui::Ui,
    data: &AnalysisData,
    agreement: &Agreement,
    strings: &Strings,
) -> Option<Disagreement> {
    let team = strings.team;
    let (first, second) = &agreement.coders;
    ui.weak(fill(
        team.summary,
        &[
            first,
            second,
            &unit_label(agreement.unit, team),
            &agreement.units_per_code,
        ],
    ));
    if agreement.codes.is_empty() {
        ui.label(team.no_codes);
        return None;
    }
    // Only the rows in view are laid out: at a million codings 500 codes × 9 figures made the
    // first frame with the result take 116 ms (issue 17).
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let table_height = (ui.available_height() * 0.5).max(4.0 * row_height);
    egui::ScrollArea::horizontal()
        .id_salt("agreement-table-sideways")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("agreement-table")
                .striped(true)
                .column(TableColumn::initial(220.0).clip(true))
                .columns(TableColumn::auto().at_least(56.0), 8)
                .max_scroll_height(table_height)
                .header(row_height, |mut header| {
                    for title in [
                        team.column_code,
                        team.column_both,
                        team.column_a_only,
                        team.column_b_only,
                        team.column_neither,
                        team.column_agreement,
                        team.column_kappa,
                        team.column_alpha,
                        team.column_segments,
                    ] {
                        header.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(
                        row_height,
                        agreement.codes.len() + 1,
                        |mut row| match agreement.codes.get(row.index()) {
                            Some(code) => {
                                counts_row_ui(&mut row, &code.code_path, &code.pooled, team);
                                let segments =
                                    percent_text(code.segments.agreement, team.undefined);
                                row.col(|ui| {
                                    ui.label(segments);
                                });
                            }
                            None => {
                                counts_row_ui(&mut row, team.overall, &agreement.overall, team);
                                row.col(|_| {});
                            }
                        },
                    );
                });
        });
    let mut clicked = None;
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("agreement-scroll")
        .show(ui, |ui| {
            ui.strong(team.disagreements);
            // Two coders of a million codings disagree on hundreds of thousands of segments:
            // laying them all out froze a frame for minutes (issue 17). Many are folded and
            // each code lists its first ones.
            let unmatched: usize = (agreement.codes.iter())
                .map(|code| code.segments.unmatched.len())
                .sum();
            let open = unmatched <= UNMATCHED_OPEN;
            for code in &agreement.codes {
                if let Some(disagreement) =
                    disagreements_ui(ui, data, agreement, code, open, strings)
                {
                    clicked = Some(disagreement);
                }
            }
        });
    clicked
}

/// One row of the table: the code's name, its counts and statistics.
fn counts_row_ui(row: &mut TableRow<'_, '_>, label: &str, counts: &Counts, team: &TeamStrings) {
    // The code's own name keeps the figures in view; the full path is in the tooltip.
    let name = label.rsplit('/').next().unwrap_or(label);
    row.col(|ui| {
        ui.label(name).on_hover_text(label);
    });
    let figures = [counts.both, counts.a_only, counts.b_only, counts.neither]
        .map(|count| count.to_string())
        .into_iter()
        .chain([
            percent_text(counts.agreement(), team.undefined),
            statistic_text(counts.kappa(), team.undefined),
            statistic_text(counts.alpha(), team.undefined),
        ]);
    for figure in figures {
        row.col(|ui| {
            ui.label(figure);
        });
    }
}

/// One code's documents with disagreement and its first unmatched segments, each a link to
/// 調整; `open`: unfolded to begin with.
fn disagreements_ui(
    ui: &mut egui::Ui,
    data: &AnalysisData,
    agreement: &Agreement,
    code: &CodeAgreement,
    open: bool,
    strings: &Strings,
) -> Option<Disagreement> {
    let team = strings.team;
    let disagreeing: Vec<_> = (code.documents.iter())
        .filter(|document| document.counts.a_only + document.counts.b_only > 0)
        .collect();
    if disagreeing.is_empty() && code.segments.unmatched.is_empty() {
        return None;
    }
    let (first, second) = &agreement.coders;
    let link_to = |document_id, range| Disagreement {
        document_id,
        code_id: code.code_id,
        first: first.clone(),
        second: second.clone(),
        range,
    };
    let mut clicked = None;
    egui::CollapsingHeader::new(&code.code_path)
        .id_salt(("agreement-code", code.code_id))
        .default_open(open)
        .show(ui, |ui| {
            for document in &disagreeing {
                ui.horizontal(|ui| {
                    let counts = &document.counts;
                    ui.label(fill(
                        team.document_row,
                        &[
                            &document.document,
                            &counts.both,
                            &counts.a_only,
                            &counts.b_only,
                        ],
                    ));
                    let code_name = code.code_path.rsplit('/').next().unwrap_or_default();
                    let link = fill(team.reconcile_document, &[&code_name, &document.document]);
                    if ui
                        .link(link)
                        .on_hover_text(team.open_reconcile_hint)
                        .clicked()
                    {
                        clicked = Some(link_to(document.document_id, None));
                    }
                });
            }
            if code.segments.unmatched.is_empty() {
                ui.weak(team.no_unmatched);
                return;
            }
            ui.label(team.unmatched);
            for segment in code.segments.unmatched.iter().take(UNMATCHED_LISTED) {
                let Some(document) = data.document_named(&segment.document) else {
                    continue;
                };
                let place = segment.citation.as_deref().unwrap_or(&segment.document);
                let text = format!("{} · {} · {}", segment.coder, place, segment.text);
                if ui
                    .link(text)
                    .on_hover_text(team.open_reconcile_hint)
                    .clicked()
                {
                    clicked = Some(link_to(document.id, Some((segment.start, segment.end))));
                }
            }
            let rest = code
                .segments
                .unmatched
                .len()
                .saturating_sub(UNMATCHED_LISTED);
            if rest > 0 {
                ui.weak(fill(
                    strings.jobs.more_unmatched,
                    &[&rest, &UNMATCHED_LISTED],
                ));
            }
        });
    clicked
}
