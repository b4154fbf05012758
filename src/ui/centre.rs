//! The centre of an open project: the transcript and the analysis tabs (事例-コード・マトリックス,
//! クロス集計, 検索・KWIC …) over one [`AnalysisData`] snapshot that is read lazily, only when a
//! tab that needs it is shown, and read again after every command (the generation counter tells
//! the views to rebuild). In a large project (issue 17: a million codings) the snapshot is read
//! on a worker thread while the views keep showing what they built from the previous one.
//! Going from a matrix cell or a search hit to the transcript remembers where the researcher
//! came from, so a back button returns there.

use std::sync::Arc;

use eframe::egui;

use crate::analysis::AnalysisData;
use crate::model::CodeId;
use crate::project::Project;
use crate::ui::action::Outbox;
use crate::ui::agreement::view::AgreementView;
use crate::ui::autocode::view::AutocodeView;
use crate::ui::cooccurrence::view::CooccurrenceView;
use crate::ui::crosstab::view::CrosstabView;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::Latest;
use crate::ui::matrix::view::MatrixView;
use crate::ui::mgta::view::MgtaView;
use crate::ui::reconcile::view::ReconcileView;
use crate::ui::scat::view::ScatView;
use crate::ui::search::view::SearchView;
use crate::ui::snapshot::Snapshot;
use crate::ui::widgets::filter::FilterChoices;

/// The tabs of the centre.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CentreTab {
    /// The open transcript.
    #[default]
    Transcript,
    /// 事例-コード・マトリックス.
    Matrix,
    /// Codes × attribute values.
    Crosstab,
    /// Search and KWIC.
    Search,
    /// Code co-occurrence: table and network.
    Cooccurrence,
    /// Auto-coding rules: suggestions to accept.
    Autocode,
    /// SCAT worksheets.
    Scat,
    /// M-GTA analysis worksheets and the 結果図.
    Mgta,
    /// Inter-coder agreement of two coders.
    Agreement,
    /// One disagreement in two lanes, and the consensus decisions.
    Reconcile,
}

impl CentreTab {
    /// The tab's label.
    pub fn label(self, strings: &Strings) -> &'static str {
        match self {
            CentreTab::Transcript => strings.centre.tab_transcript,
            CentreTab::Matrix => strings.centre.tab_matrix,
            CentreTab::Crosstab => strings.centre.tab_crosstab,
            CentreTab::Search => strings.centre.tab_search,
            CentreTab::Cooccurrence => strings.corpus.tab_cooccurrence,
            CentreTab::Autocode => strings.corpus.tab_autocode,
            // The methods' own names, the same in every language.
            CentreTab::Scat => "SCAT",
            CentreTab::Mgta => "M-GTA",
            CentreTab::Agreement => strings.team.tab_agreement,
            CentreTab::Reconcile => strings.team.tab_reconcile,
        }
    }
}

/// The analysis tabs and what they share.
#[derive(Default)]
pub struct Centre {
    /// The tab shown.
    pub tab: CentreTab,
    /// The tab a jump to the transcript came from (shown as a back button).
    pub came_from: Option<CentreTab>,
    /// The matrix tab.
    pub matrix: MatrixView,
    /// The crosstab tab.
    pub crosstab: CrosstabView,
    /// The search tab.
    pub search: SearchView,
    /// The co-occurrence tab.
    pub cooccurrence: CooccurrenceView,
    /// The auto-coding tab.
    pub autocode: AutocodeView,
    /// The SCAT tab.
    pub scat: ScatView,
    /// The M-GTA tab.
    pub mgta: MgtaView,
    /// The 一致率 tab.
    pub agreement: AgreementView,
    /// The 調整 tab.
    pub reconcile: ReconcileView,
    /// The analysis snapshot and what the filters offer (both read on the same worker: the
    /// coders alone take a pass over every coding), keyed by the generation they were read at.
    analysis: Latest<u64, (Arc<AnalysisData>, Arc<FilterChoices>)>,
    generation: u64,
    /// Read the snapshot and compute the views on worker threads (a large project).
    background: bool,
}

impl Centre {
    /// Marks the analysis snapshot out of date after the project changed; the views keep
    /// showing what they built until the new one is read.
    pub fn invalidate(&mut self) {
        self.generation += 1;
    }

    /// Whether the snapshot and the views are computed on worker threads (see
    /// [`crate::ui::jobs::BACKGROUND_FROM_CODINGS`]).
    pub fn set_background(&mut self, background: bool) {
        self.background = background;
    }

    /// True while the snapshot or a view is being computed on a worker thread.
    pub fn is_busy(&self) -> bool {
        self.analysis.is_running()
            || self.matrix.is_busy()
            || self.crosstab.is_busy()
            || self.search.is_busy()
            || self.agreement.is_busy()
            || self.cooccurrence.is_busy()
            || self.autocode.is_busy()
            || self.reconcile.is_busy()
    }

    /// Blocks until the background work of the centre (if any) has finished: the snapshot,
    /// the views' computations, the morphological index.
    pub fn wait_for_background(&mut self) -> anyhow::Result<()> {
        self.analysis.wait();
        self.matrix.wait();
        self.crosstab.wait();
        self.cooccurrence.wait();
        self.reconcile.wait();
        self.search.wait_for_index(self.generation)?;
        self.search.wait();
        self.agreement.wait()?;
        self.autocode.wait()
    }

    /// The tab bar, and the back button when the transcript was opened from another tab.
    pub fn tabs_ui(&mut self, ui: &mut egui::Ui, strings: &Strings) {
        // Wrapped, so that the back button never widens the centre under the side panels.
        ui.horizontal_wrapped(|ui| {
            for tab in [
                CentreTab::Transcript,
                CentreTab::Matrix,
                CentreTab::Crosstab,
                CentreTab::Search,
                CentreTab::Cooccurrence,
                CentreTab::Autocode,
                CentreTab::Scat,
                CentreTab::Mgta,
                CentreTab::Agreement,
                CentreTab::Reconcile,
            ] {
                if ui
                    .selectable_label(self.tab == tab, tab.label(strings))
                    .clicked()
                {
                    self.tab = tab;
                    self.came_from = None;
                }
            }
            if self.tab == CentreTab::Transcript
                && let Some(from) = self.came_from
            {
                ui.separator();
                let back = fill(strings.centre.back_to, &[&from.label(strings)]);
                if ui.button(back).clicked() {
                    self.tab = from;
                    self.came_from = None;
                }
            }
        });
        ui.separator();
    }

    /// The analysis tab shown (not the transcript, which the session draws).
    pub fn analysis_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        selected_code: Option<CodeId>,
        strings: &'static Strings,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        let generation = self.generation;
        // SCAT and M-GTA read the project itself.
        match self.tab {
            CentreTab::Transcript => return Ok(()),
            CentreTab::Scat => return self.scat.ui(ui, project, generation, outbox),
            CentreTab::Mgta => return self.mgta.ui(ui, project, generation, outbox),
            _ => {}
        }
        let path = project.reopen_path();
        (self.analysis).ensure(
            &generation,
            self.background,
            strings.jobs.reading,
            move |_| {
                let project = Project::open(&path)?;
                let data = AnalysisData::load(&project)?;
                let choices = FilterChoices::of_data(&data);
                Ok((Arc::new(data), Arc::new(choices)))
            },
        );
        self.analysis.status_ui(ui, strings.cancel);
        let Some((read_at, (data, choices))) = self.analysis.shown_with_key() else {
            return Ok(());
        };
        // The views rebuild when the snapshot they read is new, not before: until then they
        // keep the result they built from the previous one.
        let (data, choices, generation) = (Arc::clone(data), Arc::clone(choices), *read_at);
        let background = self.background;
        match self.tab {
            CentreTab::Transcript | CentreTab::Scat | CentreTab::Mgta => {}
            CentreTab::Matrix => {
                (self.matrix).ui(
                    ui,
                    &data,
                    &choices,
                    generation,
                    background,
                    project.coder(),
                    strings,
                    outbox,
                );
            }
            CentreTab::Crosstab => {
                (self.crosstab).ui(ui, &data, &choices, generation, background, strings);
            }
            CentreTab::Search => {
                let code =
                    selected_code.map(|code_id| (code_id, snapshot.tree.path_string(code_id)));
                // The index follows the project itself, not the snapshot.
                (self.search).ui(
                    ui,
                    project,
                    &data,
                    self.generation,
                    background,
                    code,
                    strings,
                    outbox,
                )?;
            }
            CentreTab::Cooccurrence => {
                (self.cooccurrence).ui(ui, &data, generation, background, strings);
            }
            CentreTab::Autocode => {
                self.autocode
                    .set_dictionary(self.search.dictionary().cloned());
                (self.autocode).ui(ui, project, &data, generation, background, strings, outbox)?;
            }
            CentreTab::Agreement => {
                let coders = &choices.coders;
                if let Some(disagreement) =
                    self.agreement.ui(ui, &data, coders, generation, strings)
                {
                    self.reconcile.open(disagreement);
                    self.tab = CentreTab::Reconcile;
                }
            }
            CentreTab::Reconcile => {
                (self.reconcile).ui(ui, project, &data, generation, background, strings, outbox)?;
            }
        }
        Ok(())
    }
}
