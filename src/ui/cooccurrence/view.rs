//! The state and controls of the 共起 tab: level, mode (overlapping spans or the same
//! utterance), the Jaccard threshold and the edge limit; the table of pairs or the network. In
//! a large project the pairs are counted on a worker thread (issue 17) while the ones counted
//! before stay on screen.

use std::sync::Arc;

use eframe::egui;
use egui_extras::{Column as TableColumn, TableBuilder};

use crate::analysis::render::column_label;
use crate::analysis::{
    AnalysisData, Cooccurrence, CooccurrenceMode, Filter, Frequencies, Level, Network,
    NetworkOptions,
};
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Latest;
use crate::ui::widgets::level_combo::level_combo_ui;

use super::network::network_ui;

/// What the tab is built for: generation, level, mode, options.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Built {
    generation: u64,
    level: Level,
    mode: CooccurrenceMode,
    options: NetworkOptions,
}

/// The state of the 共起 tab.
pub struct CooccurrenceView {
    level: Level,
    mode: CooccurrenceMode,
    options: NetworkOptions,
    show_network: bool,
    built: Latest<Built, (Cooccurrence, Network)>,
}

impl Default for CooccurrenceView {
    fn default() -> CooccurrenceView {
        CooccurrenceView {
            level: Level::CODE,
            mode: CooccurrenceMode::Overlap,
            options: NetworkOptions::default(),
            show_network: true,
            built: Latest::default(),
        }
    }
}

impl CooccurrenceView {
    /// The network shown (after the last build).
    pub fn network(&self) -> Option<&Network> {
        self.built.shown().map(|(_, network)| network)
    }

    /// The co-occurrence table shown (after the last build).
    pub fn table(&self) -> Option<&Cooccurrence> {
        self.built.shown().map(|(table, _)| table)
    }

    /// True while the pairs are counted on a worker thread.
    pub fn is_busy(&self) -> bool {
        self.built.is_running()
    }

    /// Blocks until the pairs being counted (if any) are shown (tests).
    pub fn wait(&mut self) {
        self.built.wait();
    }

    /// Sets the smallest Jaccard index drawn (as the slider does).
    pub fn set_min_jaccard(&mut self, min_jaccard: f64) {
        self.options.min_jaccard = min_jaccard.clamp(0.0, 1.0);
    }

    /// The tab. `generation` changes whenever the project changed; `background`: count on a
    /// worker thread (a large project).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &Arc<AnalysisData>,
        generation: u64,
        background: bool,
        strings: &'static Strings,
    ) {
        let corpus = strings.corpus;
        ui.horizontal_wrapped(|ui| {
            level_combo_ui(ui, "cooccurrence-level", &mut self.level, data, strings);
            ui.separator();
            ui.selectable_value(
                &mut self.mode,
                CooccurrenceMode::Overlap,
                corpus.mode_overlap,
            )
            .on_hover_text(corpus.mode_hint);
            ui.selectable_value(
                &mut self.mode,
                CooccurrenceMode::Utterance,
                corpus.mode_utterance,
            )
            .on_hover_text(corpus.mode_hint);
            ui.separator();
            let label = ui.label(corpus.min_jaccard);
            ui.add(egui::Slider::new(&mut self.options.min_jaccard, 0.0..=1.0).step_by(0.01))
                .labelled_by(label.id);
            let label = ui.label(corpus.max_edges);
            ui.add(egui::DragValue::new(&mut self.options.max_edges).range(1..=500))
                .labelled_by(label.id);
            ui.separator();
            ui.selectable_value(&mut self.show_network, true, corpus.show_network);
            ui.selectable_value(&mut self.show_network, false, corpus.show_table);
        });
        let wanted = Built {
            generation,
            level: self.level,
            mode: self.mode,
            options: self.options,
        };
        let shared = Arc::clone(data);
        (self.built).ensure(
            &wanted,
            background,
            strings.jobs.cooccurrence,
            move |progress| {
                let filter = Filter::default();
                let stop = || progress.is_cancelled();
                let table =
                    Cooccurrence::build_until(&shared, wanted.level, wanted.mode, &filter, &stop)
                        .ok_or_else(|| anyhow::anyhow!("cancelled"))?;
                let frequencies = Frequencies::build(&shared, wanted.level, &filter);
                let network = Network::build(&table, &frequencies, wanted.options);
                Ok((table, network))
            },
        );
        self.built.status_ui(ui, strings.cancel);
        let Some((table, network)) = self.built.shown() else {
            return;
        };
        if self.show_network {
            let mut summary = fill(
                corpus.network_summary,
                &[
                    &network.nodes.len(),
                    &network.edges.len(),
                    &format!("{:.2}", self.options.min_jaccard),
                ],
            );
            if network.left_out > 0 {
                summary.push_str(" / ");
                summary.push_str(&fill(corpus.network_left_out, &[&network.left_out]));
            }
            ui.weak(summary);
            if network.edges.is_empty() {
                ui.label(corpus.no_pairs);
                return;
            }
            network_ui(ui, network, strings);
        } else {
            table_ui(ui, table, strings);
        }
    }
}

/// The pairs, strongest Jaccard first.
fn table_ui(ui: &mut egui::Ui, table: &Cooccurrence, strings: &Strings) {
    let corpus = strings.corpus;
    if table.pairs.is_empty() {
        ui.label(corpus.no_pairs);
        return;
    }
    let mut pairs: Vec<_> = table.pairs.iter().collect();
    pairs.sort_by(|a, b| {
        b.jaccard
            .total_cmp(&a.jaccard)
            .then_with(|| (a.first, a.second).cmp(&(b.first, b.second)))
    });
    let label = |index: usize| {
        table
            .columns
            .get(index)
            .map(column_label)
            .unwrap_or_default()
    };
    TableBuilder::new(ui)
        .id_salt("cooccurrence-table")
        .striped(true)
        .column(TableColumn::initial(260.0).clip(true))
        .column(TableColumn::initial(260.0).clip(true))
        .column(TableColumn::initial(80.0))
        .column(TableColumn::remainder())
        .header(22.0, |mut header| {
            for title in [
                corpus.code_a,
                corpus.code_b,
                corpus.pair_count,
                corpus.jaccard,
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, pairs.len(), |mut row| {
                let Some(pair) = pairs.get(row.index()) else {
                    return;
                };
                row.col(|ui| {
                    ui.label(label(pair.first));
                });
                row.col(|ui| {
                    ui.label(label(pair.second));
                });
                row.col(|ui| {
                    ui.label(pair.count.to_string());
                });
                row.col(|ui| {
                    ui.label(format!("{:.3}", pair.jaccard));
                });
            });
        });
}
